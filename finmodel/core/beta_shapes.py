"""Shapes of a Beta distribution from the figures officers give: a mean and a spread, or
two percentiles; and the Beta's own moments.

These functions return the shape parameters ``(a, b)``; :class:`~finmodel.core.distributions.Beta`
offers them as ``Beta.from_mean_sd`` and ``Beta.from_percentiles``, and
:mod:`~finmodel.core.delivery` uses them to fit a record of savings delivered.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping

import numpy as np
from scipy import special

from finmodel.core.amounts import fmt_number
from finmodel.core.errors import AmountError

__all__ = ["beta_moments", "shape_from_mean_sd", "shape_from_percentiles"]

#: the concentrations a + b searched for a Beta through two percentiles
_CONCENTRATION = (1e-3, 1e7)


def shape_from_mean_sd(mean: float, sd: float, who: str = "Beta.from_mean_sd") -> tuple[float, float]:
    """The Beta ``(a, b)`` with the given mean and standard deviation.

    Notes
    -----
    With mean :math:`m` and variance :math:`v`, :math:`a + b = m(1 - m)/v - 1`,
    :math:`a = m (a + b)` and :math:`b = (1 - m)(a + b)`. A Beta with mean :math:`m`
    has a variance below :math:`m(1 - m)`, so the standard deviation must lie below
    :math:`\\sqrt{m(1 - m)}`.

    Examples
    --------
    >>> a, b = shape_from_mean_sd(0.75, 0.15)
    >>> round(a, 4), round(b, 4)
    (5.5, 1.8333)
    """
    for label, value in (("mean", mean), ("sd", sd)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not math.isfinite(value):
            raise AmountError(f"{who}: {label} ({value!r}) must be a finite number")
    if not 0.0 < mean < 1.0:
        raise AmountError(f"{who}: mean ({fmt_number(float(mean))}) must lie strictly between 0 and 1")
    limit = math.sqrt(mean * (1.0 - mean))
    if not 0.0 < sd < limit:
        raise AmountError(
            f"{who}: sd ({fmt_number(float(sd))}) must lie strictly between 0 and {limit:.4g}; "
            f"a Beta with mean {fmt_number(float(mean))} has a smaller spread than that"
        )
    total = mean * (1.0 - mean) / sd**2 - 1.0
    return mean * total, (1.0 - mean) * total


def _percent(key: str, who: str) -> float:
    match = re.fullmatch(r"p(\d{1,2})(?:_(\d+))?", key)
    if match is None:
        raise AmountError(f"{who}: {key!r} is not a percentile; name percentiles p10, p90, p2_5, ...")
    value = float(match.group(1) + ("." + match.group(2) if match.group(2) else ""))
    if not 0.0 < value < 100.0:
        raise AmountError(f"{who}: {key!r} is not a percentile strictly between 0 and 100")
    return value / 100.0


def shape_from_percentiles(percentiles: Mapping[str, float], who: str = "Beta.from_percentiles") -> tuple[float, float]:
    """The Beta ``(a, b)`` whose percentiles are those given (exactly two, e.g. p10 and p90).

    Parameters
    ----------
    percentiles : mapping of str to float
        Two percentiles by name, ``{"p10": 0.8, "p90": 0.98}``; ``p2_5`` is the 2.5th.
    who : str
        Names the caller in messages.

    Notes
    -----
    Write the Beta by its mean :math:`m` and concentration :math:`k = a + b`. For a fixed
    :math:`k`, the CDF at the lower value :math:`x_1` falls steadily from 1 to 0 as
    :math:`m` rises, so exactly one :math:`m(k)` puts the probability :math:`q_1` below
    :math:`x_1`. As :math:`k \\to \\infty` the Beta closes on :math:`x_1`, so the
    probability below :math:`x_2 > x_1` tends to 1; as :math:`k \\to 0` it becomes two
    point masses at 0 and 1 with :math:`q_1` at 0, so that probability tends to
    :math:`q_1 < q_2`. Between lies the :math:`k` that puts :math:`q_2` below
    :math:`x_2`, found by Brent's method on :math:`\\log k` within
    :math:`10^{-3} \\le k \\le 10^{7}`; a pair that needs a concentration outside that
    range (a spread too narrow or too wide for a Beta to carry in floating point) is
    refused.

    Examples
    --------
    >>> a, b = shape_from_percentiles({"p10": 0.8, "p90": 0.98})
    >>> from scipy import special
    >>> [round(float(special.betainc(a, b, x)), 6) for x in (0.8, 0.98)]
    [0.1, 0.9]
    """
    from scipy import optimize
    if len(percentiles) != 2:
        raise AmountError(f"{who}: give exactly two percentiles (e.g. p10=0.8, p90=0.98), got {len(percentiles)}")
    points = []
    for key, value in percentiles.items():
        q = _percent(key, who)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not math.isfinite(value):
            raise AmountError(f"{who}: {key} ({value!r}) must be a finite number")
        if not 0.0 < value < 1.0:
            raise AmountError(f"{who}: {key} ({fmt_number(float(value))}) must lie strictly between 0 and 1")
        points.append((q, float(value), key))
    (q1, x1, k1), (q2, x2, k2) = sorted(points)
    if q1 == q2:
        raise AmountError(f"{who}: {k1} and {k2} are the same percentile")
    if x1 >= x2:
        raise AmountError(
            f"{who}: {k1} ({fmt_number(x1)}) must be below {k2} ({fmt_number(x2)}); a higher percentile is a higher value"
        )

    def mean_for(k: float) -> float:
        return float(optimize.brentq(lambda m: special.betainc(m * k, (1 - m) * k, x1) - q1, 1e-15, 1 - 1e-15, xtol=1e-15))

    def excess(log_k: float) -> float:
        k = math.exp(log_k)
        m = mean_for(k)
        return float(special.betainc(m * k, (1 - m) * k, x2)) - q2

    low, high = (math.log(k) for k in _CONCENTRATION)
    grid = np.linspace(low, high, 61)
    found = [(float(g), _safe(excess, float(g))) for g in grid]
    for (g0, v0), (g1, v1) in itertools.pairwise(found):
        if math.isfinite(v0) and math.isfinite(v1) and v0 <= 0.0 <= v1:
            log_k = float(optimize.brentq(excess, g0, g1, xtol=1e-13))
            k = math.exp(log_k)
            m = mean_for(k)
            return m * k, (1.0 - m) * k
    raise AmountError(
        f"{who}: no Beta has {k1} = {fmt_number(x1)} and {k2} = {fmt_number(x2)} within a + b from "
        f"{_CONCENTRATION[0]:g} to {_CONCENTRATION[1]:g}; the two values are too close together or too "
        "far apart for their percentiles"
    )


def _safe(func: Callable[[float], float], x: float) -> float:
    try:
        return func(x)
    except (ValueError, RuntimeError):
        return math.nan


def beta_moments(a: float, b: float) -> tuple[float, float, float, float]:
    """Mean, variance, and third and fourth central moments of Beta(a, b).

    Notes
    -----
    With :math:`s = a + b`: mean :math:`a/s`; variance :math:`\\sigma^2 = ab/(s^2(s+1))`;
    :math:`\\mu_3 = 2(b - a)\\sqrt{s + 1} / ((s + 2)\\sqrt{ab}) \\, \\sigma^3`;
    :math:`\\mu_4 = (3 + \\kappa)\\sigma^4` with excess kurtosis
    :math:`\\kappa = 6((a - b)^2 (s + 1) - ab(s + 2)) / (ab(s + 2)(s + 3))`.

    Examples
    --------
    >>> [round(x, 6) for x in beta_moments(1.0, 1.0)]  # the uniform: 1/2, 1/12, 0, 1/80
    [0.5, 0.083333, 0.0, 0.0125]
    """
    s = a + b
    mean = a / s
    var = a * b / (s * s * (s + 1.0))
    sd = math.sqrt(var)
    skew = 2.0 * (b - a) * math.sqrt(s + 1.0) / ((s + 2.0) * math.sqrt(a * b))
    kurt = 6.0 * ((a - b) ** 2 * (s + 1.0) - a * b * (s + 2.0)) / (a * b * (s + 2.0) * (s + 3.0))
    return mean, var, skew * sd**3, (3.0 + kurt) * var**2
