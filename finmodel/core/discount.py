"""Discounting: HM Treasury Green Book social time preference rate (STPR) and flat rates.

Notes
-----
The Green Book discounts year :math:`t` (0 = the first year of the appraisal) by the
product of one-year factors :math:`D_t = \\prod_{s=1}^{t} 1/(1 + r_s)`, where
:math:`r_s` is 3.5% for years 1-30, 3.0% for 31-75, 2.5% for 76-125, 2.0% for
126-200, 1.5% for 201-300 and 1.0% after. Year 0 is undiscounted by default
(``first_year="undiscounted"``); with ``first_year="discounted"`` every year moves one
step, :math:`D_t = \\prod_{s=1}^{t+1} 1/(1 + r_s)`. A flat rate ``r`` gives
:math:`D_t = (1 + r)^{-t}`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from finmodel.core.errors import FinmodelError
from finmodel.core.years import MAX_YEARS

__all__ = ["GREEN_BOOK_SCHEDULE", "discount_factors", "npv"]

#: (last year the rate applies to, rate): the Green Book STPR schedule.
GREEN_BOOK_SCHEDULE: tuple[tuple[float, float], ...] = (
    (30, 0.035),
    (75, 0.030),
    (125, 0.025),
    (200, 0.020),
    (300, 0.015),
    (float("inf"), 0.010),
)

FirstYear = Literal["undiscounted", "discounted"]


def _stpr(year: int) -> float:
    for last, rate in GREEN_BOOK_SCHEDULE:
        if year <= last:
            return rate
    raise AssertionError("unreachable: the schedule ends at infinity")


def discount_factors(
    years: int, rate: float | None = None, first_year: FirstYear = "undiscounted"
) -> np.ndarray:
    """Discount factor for each of ``years`` years.

    Parameters
    ----------
    years : int
        Number of years (year 0 first).
    rate : float, optional
        A flat annual rate (0.035 for 3.5%). ``None`` uses the Green Book schedule.
    first_year : {"undiscounted", "discounted"}
        Whether year 0 has factor 1 (the Green Book convention) or is discounted once.

    Examples
    --------
    >>> discount_factors(3).round(6).tolist()
    [1.0, 0.966184, 0.933511]
    >>> discount_factors(2, rate=0.0).tolist()
    [1.0, 1.0]
    >>> bool(np.isclose(discount_factors(32)[31], 1.035**-30 * 1.03**-1))
    True
    """
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_YEARS:
        raise FinmodelError(f"discount_factors: years ({years!r}) must be a whole number from 0 to {MAX_YEARS}")
    if first_year not in ("undiscounted", "discounted"):
        raise FinmodelError(
            f"discount_factors: first_year ({first_year!r}) must be 'undiscounted' or 'discounted'"
        )
    offset = 1 if first_year == "discounted" else 0
    if rate is None:
        steps = np.array([_stpr(s) for s in range(1, years + offset)])
    else:
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float))
            or not np.isfinite(rate)
            or rate <= -1
        ):
            raise FinmodelError(f"discount_factors: rate ({rate!r}) must be a finite number above -1")
        steps = np.full(max(years + offset - 1, 0), float(rate))
    factors = np.concatenate([[1.0], np.cumprod(1.0 / (1.0 + steps))])
    return factors[offset : offset + years]


def npv(
    flows: np.ndarray,
    rate: float | None = None,
    first_year: FirstYear = "undiscounted",
    *,
    factors: np.ndarray | None = None,
) -> np.ndarray:
    """Net present value of per-year flows along the last axis.

    The one NPV of finmodel: a case's ``npv`` metric, ``Evaluation.npv`` and
    ``Simulation.npv`` all call it, so they agree to the last bit.

    Parameters
    ----------
    flows : array_like, shape (..., years)
        Net flows per year (benefits positive, costs negative).
    rate, first_year
        As for :func:`discount_factors`.
    factors : array_like, optional
        One discount factor per year, used instead of ``rate`` and ``first_year`` (a
        paper's own rounded factors, say).

    Returns
    -------
    numpy.ndarray
        Shape ``flows.shape[:-1]``.

    Notes
    -----
    :math:`NPV = \\sum_t D_t x_t`, added year by year from the first (a matrix product
    may group the additions differently for one trial and for many, which would let the
    number of trials change a trial's NPV in its last bits).

    Examples
    --------
    A constant annuity of 1 for 3 years at 10%, first year undiscounted:
    1 + 1/1.1 + 1/1.21 = 2.7355.

    >>> round(float(npv([1.0, 1.0, 1.0], rate=0.10)), 4)
    2.7355
    >>> float(npv([1.0, 1.0, 1.0], factors=[1.0, 0.9091, 0.8264]))
    2.7355
    """
    array = np.asarray(flows, dtype=float)
    if factors is None:
        factors = discount_factors(array.shape[-1], rate, first_year)
    else:
        factors = np.asarray(factors, dtype=float)
        if factors.shape != (array.shape[-1],) or not np.all(np.isfinite(factors)):
            raise FinmodelError(
                f"npv: factors ({factors.tolist()!r}) must be {array.shape[-1]} finite numbers, one per year"
            )
    if array.shape[-1] == 0:
        return np.zeros(array.shape[:-1])
    out = array[..., 0] * factors[0]
    for year in range(1, array.shape[-1]):
        out += array[..., year] * factors[year]
    return np.asarray(out)
