"""Printed figures: the precision a figure is printed to, and the checks of printed labels.

A figure printed to :math:`d` decimal places stands for anything within
:func:`half_unit` of it; :func:`printed_places` reads a figure's precision from the
number as typed. The small validators here are shared by the published-table classes
(:mod:`finmodel.model.published`, :mod:`finmodel.model.totals`,
:mod:`finmodel.model.rules`, :mod:`finmodel.model.statements`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from finmodel.core.errors import ModelError
from finmodel.core.limits import MAX_DECIMALS

__all__ = [
    "EXACT",
    "Places",
    "Printed",
    "half_unit",
    "labels",
    "places",
    "printed_places",
    "scale_of",
    "text",
]

Printed = float | None
#: How a figure printed exactly (a count) is marked, wherever a rounding is given.
EXACT = "exact"
Places = int | None  # decimal places; None: exact


def half_unit(rounding: int | None) -> float:
    """The largest error rounding to ``rounding`` decimal places can make.

    Notes
    -----
    A value printed to :math:`d` decimal places is within :math:`0.5 \\times 10^{-d}`
    of the value it was rounded from; an exact figure (``None``) is within 0.

    Examples
    --------
    >>> half_unit(0), half_unit(2), half_unit(-2), half_unit(None)
    (0.5, 0.005, 50.0, 0.0)
    """
    if rounding is None:
        return 0.0
    return 0.5 * 10.0 ** (-rounding)


def printed_places(value: float | int) -> int:
    """The decimal places a figure is written with: ``2.38`` -> 2, ``15.0`` -> 1, ``15`` -> 0.

    The one rule for inferring a printed figure's precision from the number as typed.
    A trailing zero is printed precision: "£15.0m" is a figure rounded to one decimal
    place (anything from 14.95 to 15.05), not the whole number 15, so ``15.0`` gives 1
    and only an ``int`` gives 0. A float's shortest representation is what was typed
    (``repr(0.1)`` is ``'0.1'``), so this reads back the digits written in a file or a
    notebook. Where a table states its rounding, that is used instead.

    Examples
    --------
    >>> printed_places(2.38), printed_places(15.0), printed_places(15), printed_places(1e-05)
    (2, 1, 0, 5)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelError(f"printed_places: {value!r} is not a number")
    if isinstance(value, int):
        return 0
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -int(exponent))


def text(value: Any, who: str, what: str, *, empty: bool = False) -> str:
    """``value`` if it is a string (non-empty unless ``empty``), else a ModelError.

    Examples
    --------
    >>> text("Savings", "PublishedRow", "label")
    'Savings'
    """
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise ModelError(f"{who}: {what} ({value!r}) must be a {'string' if empty else 'non-empty string'}")
    return value


def labels(values: Any, who: str, what: str) -> tuple[str, ...]:
    """A tuple of distinct non-empty labels.

    Examples
    --------
    >>> labels(["Y0", "Y1"], "Total", "of")
    ('Y0', 'Y1')
    """
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ModelError(f"{who}: {what} ({values!r}) must be a list of labels")
    out = tuple(text(v, who, f"{what}[{i}]") for i, v in enumerate(values))
    seen: set[str] = set()
    for label in out:
        if label in seen:
            raise ModelError(f"{who}: {what} names {label!r} twice")
        seen.add(label)
    return out


def places(value: Any, who: str) -> Places:
    """Decimal places (an int), or ``"exact"``/None for an exact figure (None).

    Examples
    --------
    >>> places(4, "rounding"), places("exact", "rounding")
    (4, None)
    """
    if value is None or value == EXACT:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not -MAX_DECIMALS <= value <= MAX_DECIMALS:
        raise ModelError(
            f"{who} ({value!r}) must be a whole number of decimal places from {-MAX_DECIMALS} to {MAX_DECIMALS}, "
            "or 'exact'"
        )
    return value


def scale_of(value: Any, who: str) -> float:
    """A finite, non-zero multiplier.

    Examples
    --------
    >>> scale_of(100, "Total 'Low %'")
    100.0
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value == 0
    ):
        raise ModelError(f"{who}: scale ({value!r}) must be a finite, non-zero number")
    return float(value)
