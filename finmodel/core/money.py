"""Money units and the council way of printing amounts.

Amounts are typed and computed in the model's own units (as printed in the paper the
model comes from: ``"£m"`` for an MTFP, ``"£k"`` for a staffing paper); units and
rounding are applied only when a result is presented.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

from finmodel.core.errors import FinmodelError
from finmodel.core.limits import MAX_DECIMALS

__all__ = ["UNITS", "convert", "format_money", "round_half_up"]

_DIGITS = 310 + MAX_DECIMALS  # significant digits that rounding any float64 can need

#: Pounds per unit.
UNITS: dict[str, float] = {"£": 1.0, "£k": 1e3, "£m": 1e6, "£bn": 1e9}


def check_units(units: str, where: str) -> str:
    """Return ``units`` if it is one of ``£``, ``£k``, ``£m``, ``£bn``; else raise.

    Examples
    --------
    >>> check_units("£m", "MTFP 'x': units")
    '£m'
    """
    if units not in UNITS:
        raise FinmodelError(f"{where} ({units!r}) must be one of '£', '£k', '£m', '£bn'")
    return units


def convert(value: float, from_units: str, to_units: str) -> float:
    """Convert an amount between units.

    Examples
    --------
    >>> convert(0.629, "£m", "£k")
    629.0
    """
    check_units(from_units, "convert: from_units")
    check_units(to_units, "convert: to_units")
    return value * (UNITS[from_units] / UNITS[to_units])


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round as Excel's ``ROUND`` and council papers do: halves away from zero.

    Python's ``round`` sends halves to the even neighbour (``round(12.5) == 12``); a
    published "£13m" for 12.5 is reproduced only by rounding halves away from zero. The
    value is read at its shortest decimal form first, so ``2.675`` rounds to ``2.68``
    as it does in Excel.

    Examples
    --------
    >>> round_half_up(12.5), round_half_up(-12.5), round_half_up(0.25, 1), round_half_up(2.675, 2)
    (13.0, -13.0, 0.3, 2.68)
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise FinmodelError(f"decimals ({decimals!r}) must be a whole number from 0 to {MAX_DECIMALS}")
    if not math.isfinite(value):
        return value
    step = Decimal(1).scaleb(-decimals)
    # enough digits for the largest float (309 before the point) and every decimal asked for
    exact = Context(prec=_DIGITS, rounding=ROUND_HALF_UP)
    return float(Decimal(repr(float(value))).quantize(step, context=exact)) + 0.0


def format_money(value: float, units: str = "£m", decimals: int = 1, *, brackets: bool = True) -> str:
    """Format an amount as a council report prints it: ``£5.8m``, ``(£1.9m)``.

    Parameters
    ----------
    value : float
        The amount, already in ``units``. NaN prints as an en dash (a blank cell).
    units : {"£", "£k", "£m", "£bn"}
    decimals : int
    brackets : bool
        Negatives in brackets (default) or with a minus sign (``-£3m``, as cost/benefit
        tables print costs).

    Examples
    --------
    >>> format_money(5.8), format_money(-1.9), format_money(0.0)
    ('£5.8m', '(£1.9m)', '£0.0m')
    >>> format_money(-3, decimals=0, brackets=False), format_money(629, "£k", 0)
    ('-£3m', '£629k')
    >>> format_money(1234567, "£", 0)
    '£1,234,567'
    >>> format_money(12.5, decimals=0)  # halves away from zero, as Excel's ROUND
    '£13m'
    """
    check_units(units, "format_money: units")
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        raise FinmodelError(f"format_money: value ({value}) is not a finite amount")
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "(£0.0m)" from -0.04
    suffix = units[1:]
    body = f"£{abs(rounded):,.{decimals}f}{suffix}"
    if rounded < 0:
        return f"({body})" if brackets else f"-{body}"
    return body
