"""Fit the rational function behind finmodel's normal CDF (``_MILLS_P`` / ``_MILLS_Q`` in
``finmodel/core/compiled/normal.py``) and measure its error.

The function is ``M(a) = Phi(-a) exp(a**2 / 2)`` for ``0 <= a <= 4 sqrt(2)`` (a scaled Mills
ratio: smooth, from 1/2 down to about 0.07), fitted as ``P(a) / Q(a)``, both of degree 8,
``Q(0) = 1``, by iteratively reweighted linear least squares (Loeb's method): at 160
Chebyshev points, minimise ``(P - M Q) / (M Q_previous)``, the relative error, eight
times, in 40-digit arithmetic. The coefficients come out positive, so Horner's rule adds
no cancellation. The error of the coefficients as rounded to doubles is then measured
against ``M`` at 20,001 points.

Needs mpmath, which finmodel does not depend on::

    pip install mpmath
    python tools/fit_normal_cdf.py
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 40
TOP = 5.66  # just beyond 4 sqrt(2) = 5.6569, where the vector pass hands over to the far tail
DEGREE = 8
POINTS = 160


def mills(a):
    return mp.ncdf(-a) * mp.exp(a * a / 2)


def fit() -> tuple[list[float], list[float]]:
    """Coefficients of P and Q, lowest power first, rounded to doubles."""
    n = DEGREE
    nodes = [mp.mpf(TOP) / 2 * (1 - mp.cos(mp.pi * (k + 0.5) / POINTS)) for k in range(POINTS)]
    values = [mills(t) for t in nodes]
    previous = [mp.mpf(1)] * POINTS
    for _ in range(8):
        a, b = mp.matrix(POINTS, 2 * n + 1), mp.matrix(POINTS, 1)
        for i, (t, v) in enumerate(zip(nodes, values, strict=True)):
            w = 1 / (v * previous[i])
            for j in range(n + 1):
                a[i, j] = t**j * w
            for j in range(1, n + 1):
                a[i, n + j] = -v * t**j * w
            b[i] = v * w
        x = mp.lu_solve(a.T * a, a.T * b)
        p = [x[j] for j in range(n + 1)]
        q = [mp.mpf(1)] + [x[n + j] for j in range(1, n + 1)]
        previous = [mp.polyval(q[::-1], t) for t in nodes]
    return [float(c) for c in p], [float(c) for c in q]


def error(p: list[float], q: list[float], points: int = 20_001) -> float:
    """Largest relative error of P/Q (the doubles, evaluated exactly) against M."""
    worst = mp.mpf(0)
    for k in range(points):
        t = mp.mpf(float(TOP * k / (points - 1)))
        r = mp.polyval([mp.mpf(c) for c in p[::-1]], t) / mp.polyval([mp.mpf(c) for c in q[::-1]], t)
        worst = max(worst, abs(r / mills(t) - 1))
    return float(worst)


if __name__ == "__main__":
    p, q = fit()
    print("_MILLS_P =", tuple(p[::-1]))  # highest power first, as normal.py's Horner reads them
    print("_MILLS_Q =", tuple(q[::-1]))
    print(f"largest relative error of the rounded coefficients on [0, {TOP}]: {error(p, q):.3g}")
