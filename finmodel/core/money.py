"""Money units and the council way of printing amounts.

Amounts are typed and computed in the model's own units (as printed in the paper the
model comes from: ``"£m"`` for an MTFP, ``"£k"`` for a staffing paper); units and
rounding are applied only when a result is presented.
"""

from __future__ import annotations

import math

from finmodel.core.errors import FinmodelError

__all__ = ["UNITS", "convert", "format_money"]

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
    """
    check_units(units, "format_money: units")
    if math.isnan(value):
        return "–"
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "(£0.0m)" from -0.04
    suffix = units[1:]
    body = f"£{abs(rounded):,.{decimals}f}{suffix}"
    if rounded < 0:
        return f"({body})" if brackets else f"-{body}"
    return body
