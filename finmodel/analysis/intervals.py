"""Interval arithmetic on printed figures: the one rounding rule of every check.

A figure printed to :math:`d` decimal places stands for a true value within
:math:`h = 0.5 \\times 10^{-d}` of it, so it is an interval :math:`[v - h, v + h]`
(``h = 0`` for an exact figure or a model's value). A relation
:math:`T = (\\sum a - \\sum b) \\times \\prod c \\,/\\, \\sum d \\times s` is evaluated on
intervals: sums add their ends, products and quotients take the extreme products of
the ends, and a denominator whose interval contains 0 leaves nothing to check.

Examples
--------
>>> combine([(2.0, 1.5, 2.5), (13.0, 12.5, 13.5)], [], [], [], 1.0)
(15.0, 14.0, 16.0)
>>> combine([(100.0, 99.5, 100.5)], [], [(0.9662, 0.96615, 0.96625)], [], 1.0)[0]
96.62
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Interval", "combine", "outside", "slack"]

#: (the value from the printed figures as printed, the lowest and highest true values)
Interval = tuple[float, float, float]


def slack(lo: float, hi: float) -> float:
    """The allowance for binary floating point: :math:`10^{-9}` relative.

    Examples
    --------
    >>> slack(-2.0, 3.0)
    3e-09
    """
    return 1e-9 * max(1.0, abs(lo), abs(hi))


def outside(value: float, lo: float, hi: float) -> bool:
    """Whether ``value`` lies outside ``[lo, hi]`` by more than :func:`slack`.

    Examples
    --------
    >>> outside(12.76, 12.625, 12.715), outside(12.715, 12.625, 12.715)
    (True, False)
    """
    eps = slack(lo, hi)
    return value < lo - eps or value > hi + eps


def _product(a: Interval, b: Interval) -> Interval:
    ends = [x * y for x in a[1:] for y in b[1:]]
    return a[0] * b[0], min(ends), max(ends)


def combine(
    plus: Sequence[Interval],
    minus: Sequence[Interval],
    times: Sequence[Interval],
    over: Sequence[Interval],
    scale: float,
) -> Interval | None:
    """``(Σ plus - Σ minus) × Π times / Σ over × scale`` on intervals; None if Σ over may be 0.

    Notes
    -----
    Sums: :math:`[\\sum lo_i - \\sum hi_j, \\sum hi_i - \\sum lo_j]`. Products and
    quotients: the least and greatest of the products (quotients) of the ends, which
    bound every product (quotient) of values in the intervals.

    Examples
    --------
    A percentage, 0.08 / 2.1 x 100, of figures printed to 2 and 1 decimal places:

    >>> point, lo, hi = combine([(0.08, 0.075, 0.085)], [], [], [(2.1, 2.05, 2.15)], 100.0)
    >>> round(point, 2), round(lo, 2), round(hi, 2)
    (3.81, 3.49, 4.15)
    >>> combine([(1.0, 0.5, 1.5)], [], [], [(0.0, -0.5, 0.5)], 1.0) is None
    True
    """
    point = lo = hi = 0.0
    for v, a, b in plus:
        point, lo, hi = point + v, lo + a, hi + b
    for v, a, b in minus:
        point, lo, hi = point - v, lo - b, hi - a
    for factor in times:
        point, lo, hi = _product((point, lo, hi), factor)
    if over:
        d_point = d_lo = d_hi = 0.0
        for v, a, b in over:
            d_point, d_lo, d_hi = d_point + v, d_lo + a, d_hi + b
        if d_lo <= 0.0 <= d_hi:
            return None  # the denominator may be zero: nothing can be said
        ends = [x / y for x in (lo, hi) for y in (d_lo, d_hi)]
        point, lo, hi = point / d_point, min(ends), max(ends)
    ends = sorted((lo * scale, hi * scale))
    return point * scale, ends[0], ends[1]
