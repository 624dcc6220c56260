"""Fitting a delivery rate to a council's own record of savings planned and achieved.

A council's monitoring reports say what share of each year's (or each directorate's)
planned savings was achieved. :func:`fit_delivery` turns such a record into a
:class:`~finmodel.core.distributions.Beta` for the share of a saving delivered, and says
how well the record pins it down: with five directorates, not very well.

Shares of exactly 100%
----------------------
A Beta has no mass at 1 (nor at 0), so a share of exactly 100% has zero density and a
maximum-likelihood fit to exact values cannot use it. Two honest ways round it:

* the **method of moments** (the default) matches the record's mean and variance, to
  which a 100% contributes like any other value; the fitted Beta reproduces the sample
  mean exactly;
* **maximum likelihood with rounding**: a share printed as "100%" to the nearest whole
  percent is any value from 99.5% to 100%, and "93%" any value from 92.5% to 93.5%.
  ``method="mle", rounding=0.01`` fits the probability of each printed interval, which
  is positive at 100% too. Exact values at 0 or 1 without ``rounding`` are refused.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

from finmodel.core.amounts import fmt_number
from finmodel.core.beta_shapes import beta_moments, shape_from_mean_sd
from finmodel.core.distributions import Beta
from finmodel.core.errors import AmountError

__all__ = ["DeliveryFit", "fit_delivery"]

Method = Literal["moments", "mle"]
_WHO = "fit_delivery"


@dataclass(frozen=True)
class DeliveryFit:
    """A Beta fitted to a record of delivery shares, with the uncertainty of the fit.

    Attributes
    ----------
    a, b : float
        The fitted shape parameters.
    shares : tuple of float
        The record the fit was made from (shares of planned savings achieved).
    method : {"moments", "mle"}
    rounding : float or None
        For ``"mle"``: the precision the shares were printed to (0.01 for whole percent).
    covariance : numpy.ndarray
        2 x 2 estimated covariance of ``(a, b)``: the delta method for the method of
        moments, the inverse observed information for maximum likelihood.
    confidence : float
        The level of the intervals reported (0.95).

    Examples
    --------
    The 2017/18 record of OCC's directorates (002_90ddc037a457842c.txt lines 618, 625,
    632, 640 and 647):

    >>> import finmodel as fm
    >>> fit = fm.fit_delivery([0.93, 0.79, 1.00, 0.93, 1.00])
    >>> round(fit.mean, 4), round(fit.beta().cases["central"], 4)
    (0.93, 0.93)
    >>> fit.table().round(3)
          estimate  std_error  lower   upper
    a        7.307      7.289  1.034  51.628
    b        0.550      0.479  0.100   3.028
    mean     0.930      0.044  0.780   0.980
    sd       0.086      0.054  0.026   0.233
    """

    a: float
    b: float
    shares: tuple[float, ...]
    method: Method
    rounding: float | None
    covariance: np.ndarray
    confidence: float = 0.95

    @property
    def n(self) -> int:
        """The number of shares in the record."""
        return len(self.shares)

    @property
    def mean(self) -> float:
        """The fitted Beta's mean, a / (a + b) (the record's mean for the method of moments)."""
        return self.a / (self.a + self.b)

    @property
    def sd(self) -> float:
        """The fitted Beta's standard deviation."""
        return math.sqrt(beta_moments(self.a, self.b)[1])

    @property
    def std_errors(self) -> tuple[float, float]:
        """Standard errors of ``a`` and ``b``."""
        return math.sqrt(self.covariance[0, 0]), math.sqrt(self.covariance[1, 1])

    def beta(self, name: str | None = None) -> Beta:
        """The fitted Beta, taking the parameters as known.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.fit_delivery([0.9, 0.8, 0.95, 0.85]).beta(name="delivery").name
        'delivery'
        """
        return Beta(self.a, self.b, name=name)

    @cached_property
    def _draws(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Gauss-Hermite nodes (a, b) and weights over the parameters' sampling distribution:
        normal in the logit of the mean and the log of the concentration a + b, centred on
        the estimates, with the fit's covariance carried over by the delta method."""
        nodes, weights = np.polynomial.hermite_e.hermegauss(24)
        weights = weights / weights.sum()
        a, b = self.a, self.b
        k = a + b
        m = a / k
        jac = np.array([[b / (k * k), -a / (k * k)], [1.0 / k, 1.0 / k]])
        jac[0] /= m * (1.0 - m)
        cov = jac @ self.covariance @ jac.T
        root = np.linalg.cholesky(cov + 1e-15 * np.eye(2))
        z1, z2 = np.meshgrid(nodes, nodes, indexing="ij")
        theta = np.array([[math.log(m / (1.0 - m))], [math.log(k)]]) + root @ np.vstack([z1.ravel(), z2.ravel()])
        means = special.expit(theta[0])
        total = np.exp(theta[1])
        return means * total, (1.0 - means) * total, np.outer(weights, weights).ravel()

    def predictive(self, name: str | None = None) -> Beta:
        """A Beta that carries the fit's own uncertainty: the same mean as :meth:`beta`, wider.

        The parameters are uncertain: the logit of the mean and the log of the
        concentration ``a + b`` are taken as normal, centred on the estimates, with the
        fit's covariance. Averaging the Beta over them widens it; this Beta has the
        fitted mean and the averaged variance.

        Notes
        -----
        Variance :math:`E[\\sigma^2] + E[(\\mu - \\hat\\mu)^2]`, where :math:`\\mu = a/(a+b)`
        and :math:`\\sigma^2` are the mean and variance of Beta(a, b), the expectations
        taken by Gauss-Hermite quadrature (24 x 24 nodes). It is an approximation: the
        average of Betas is not exactly a Beta.

        Examples
        --------
        >>> import finmodel as fm
        >>> fit = fm.fit_delivery([0.93, 0.79, 1.00, 0.93, 1.00])
        >>> wider = fit.predictive()
        >>> round(wider.cases["central"], 3), wider.cases["low"] < fit.beta().cases["low"]
        (0.93, True)
        """
        a, b, w = self._draws
        s = a + b
        means = a / s
        variances = a * b / (s * s * (s + 1.0))
        var = float(w @ variances + w @ (means - self.mean) ** 2)
        return Beta.from_mean_sd(self.mean, math.sqrt(var), name=name)

    def table(self) -> pd.DataFrame:
        """Estimates, standard errors and intervals of ``a``, ``b``, the mean and the sd.

        The intervals of ``a`` and ``b`` are normal on the log scale (they stay
        positive); those of the mean and sd are the 2.5th and 97.5th percentiles (for a
        95% interval) over the parameters' sampling distribution, by the same quadrature
        as :meth:`predictive`.

        Examples
        --------
        >>> import finmodel as fm
        >>> list(fm.fit_delivery([0.9, 0.8, 0.95, 0.85]).table().index)
        ['a', 'b', 'mean', 'sd']
        """
        z = float(special.ndtri(0.5 + self.confidence / 2.0))
        rows = {}
        for label, value, se in (("a", self.a, self.std_errors[0]), ("b", self.b, self.std_errors[1])):
            spread = math.exp(z * se / value)
            rows[label] = (value, se, value / spread, value * spread)
        a, b, w = self._draws
        s = a + b
        for label, value, draws in (
            ("mean", self.mean, a / s),
            ("sd", self.sd, np.sqrt(a * b / (s * s * (s + 1.0)))),
        ):
            centre = float(w @ draws)
            se = math.sqrt(float(w @ (draws - centre) ** 2))
            lower, upper = _weighted_quantiles(draws, w, (0.5 - self.confidence / 2.0, 0.5 + self.confidence / 2.0))
            rows[label] = (value, se, lower, upper)
        return pd.DataFrame.from_dict(rows, orient="index", columns=["estimate", "std_error", "lower", "upper"])

    def __repr__(self) -> str:
        return (
            f"DeliveryFit(Beta({self.a:.4g}, {self.b:.4g}) from {self.n} shares by {self.method}, "
            f"mean {self.mean:.1%})"
        )


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: Sequence[float]) -> tuple[float, float]:
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    picks = [float(x[order][min(int(np.searchsorted(cum, q)), len(x) - 1)]) for q in qs]
    return picks[0], picks[1]


def _shares(achieved: Sequence[float], planned: Sequence[float] | None) -> np.ndarray:
    values = np.asarray(achieved, dtype=float) if _numbers(achieved, "achieved") else np.array([])
    if planned is not None:
        _numbers(planned, "planned")
        totals = np.asarray(planned, dtype=float)
        if totals.shape != values.shape:
            raise AmountError(f"{_WHO}: achieved has {values.size} values but planned has {totals.size}")
        if np.any(totals <= 0):
            i = int(np.argmax(totals <= 0))
            raise AmountError(f"{_WHO}: planned[{i}] ({fmt_number(float(totals[i]))}) must be positive")
        values = values / totals
    if values.size < 2:
        raise AmountError(f"{_WHO}: needs at least two shares, got {values.size}")
    for i, v in enumerate(values):
        if not 0.0 <= v <= 1.0:
            raise AmountError(
                f"{_WHO}: share [{i}] ({fmt_number(float(v))}) lies outside [0, 1]; a Beta describes a share "
                "delivered between none and all (cap an over-delivery at 1, or leave it out)"
            )
    return values


def _numbers(values: Sequence[float], label: str) -> bool:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise AmountError(f"{_WHO}: {label} ({values!r}) must be a list of numbers")
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
            raise AmountError(f"{_WHO}: {label}[{i}] ({v!r}) must be a finite number")
    return True


def _moments(x: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Method of moments, and the delta-method covariance of (a, b)."""
    n = x.size
    m = float(x.mean())
    v = float(x.var(ddof=1))
    if v == 0.0:
        raise AmountError(f"{_WHO}: every share is {fmt_number(m)}; a record with no spread cannot fix a Beta")
    if not 0.0 < m < 1.0 or v >= m * (1.0 - m):
        raise AmountError(
            f"{_WHO}: the shares' variance ({v:.4g}) is too large for a Beta with their mean ({m:.4g}); "
            "no Beta has these moments"
        )
    a, b = shape_from_mean_sd(m, math.sqrt(v), _WHO)
    c = a + b
    # moments of (m, v) from the fitted Beta: Var m = s2/n, Var v = (mu4 - s2^2)/n, Cov = mu3/n
    _, s2, mu3, mu4 = beta_moments(a, b)
    sigma = np.array([[s2, mu3], [mu3, mu4 - s2 * s2]]) / n
    dc_dm, dc_dv = (1.0 - 2.0 * m) / v, -m * (1.0 - m) / v**2
    jac = np.array([[c + m * dc_dm, m * dc_dv], [-c + (1.0 - m) * dc_dm, (1.0 - m) * dc_dv]])
    return a, b, jac @ sigma @ jac.T


def _mle(x: np.ndarray, rounding: float | None) -> tuple[float, float, np.ndarray]:
    """Maximum likelihood (interval-censored when ``rounding`` is given), covariance from the
    observed information."""
    from scipy import optimize
    if rounding is None:
        if np.any((x <= 0.0) | (x >= 1.0)):
            raise AmountError(
                f"{_WHO}: a share of exactly 0 or 1 has no density under a Beta; give rounding= (the "
                "precision of the record, e.g. 0.01 for whole percentages) or use method='moments'"
            )
        logs = np.log(x).sum(), np.log1p(-x).sum()

        def nll(theta: np.ndarray) -> float:
            a, b = np.exp(theta)
            return float(x.size * special.betaln(a, b) - (a - 1.0) * logs[0] - (b - 1.0) * logs[1])
    else:
        lo = np.clip(x - rounding / 2.0, 0.0, 1.0)
        hi = np.clip(x + rounding / 2.0, 0.0, 1.0)

        def nll(theta: np.ndarray) -> float:
            a, b = np.exp(theta)
            p = special.betainc(a, b, hi) - special.betainc(a, b, lo)
            return float(-np.log(np.maximum(p, 1e-300)).sum())

    m = float(np.clip(x.mean(), 0.05, 0.95))
    v = float(min(x.var(ddof=1), 0.9 * m * (1.0 - m))) or 0.01 * m * (1.0 - m)
    start = np.log(shape_from_mean_sd(m, math.sqrt(v), _WHO))
    found = optimize.minimize(nll, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000})
    theta = found.x
    if not found.success or np.any(np.abs(theta) > 20):
        raise AmountError(f"{_WHO}: the maximum-likelihood fit did not converge; try method='moments'")
    hessian = _hessian(nll, theta)
    try:
        log_cov = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        raise AmountError(f"{_WHO}: the record does not pin the Beta down (singular information)") from None
    if np.any(np.diag(log_cov) <= 0):
        raise AmountError(f"{_WHO}: the record does not pin the Beta down (no curvature at the optimum)")
    a, b = np.exp(theta)
    scale = np.diag([a, b])
    return float(a), float(b), scale @ log_cov @ scale


def _hessian(f: object, theta: np.ndarray, step: float = 1e-4) -> np.ndarray:
    func = f  # central differences of a smooth function of two variables
    out = np.empty((2, 2))
    e = np.eye(2) * step
    for i in range(2):
        for j in range(2):
            out[i, j] = (
                func(theta + e[i] + e[j]) - func(theta + e[i] - e[j]) - func(theta - e[i] + e[j]) + func(theta - e[i] - e[j])  # type: ignore[operator]
            ) / (4.0 * step * step)
    return (out + out.T) / 2.0


def fit_delivery(
    achieved: Sequence[float],
    planned: Sequence[float] | None = None,
    *,
    method: Method = "moments",
    rounding: float | None = None,
    confidence: float = 0.95,
) -> DeliveryFit:
    """Fit a Beta to a record of savings delivered: shares achieved, or achieved against planned.

    Parameters
    ----------
    achieved : sequence of float
        The share of planned savings achieved, each in [0, 1] (``0.93`` for 93%); or,
        with ``planned``, the amounts achieved.
    planned : sequence of float, optional
        The amounts planned, one for each amount achieved; the shares are then
        achieved / planned. Each share counts once whatever its size: the fit describes
        a typical saving (or directorate), not the pound-weighted total.
    method : {"moments", "mle"}
        Method of moments (reproduces the record's mean and variance; takes shares of
        exactly 0 or 1), or maximum likelihood.
    rounding : float, optional
        For ``"mle"``: the precision the shares were printed to (``0.01`` for whole
        percentages). Each share is then read as the interval it was rounded from, so a
        printed 100% (99.5% to 100%) counts. Refused with ``"moments"``.
    confidence : float
        The level of the intervals in :meth:`DeliveryFit.table` (default 0.95).

    Returns
    -------
    DeliveryFit
        ``beta()`` is the fitted Beta; ``predictive()`` a wider one carrying the fit's
        uncertainty; ``table()`` the estimates with standard errors and intervals.

    Notes
    -----
    Method of moments: with the record's mean :math:`m` and variance :math:`v` (divisor
    :math:`n - 1`), :math:`a + b = m(1 - m)/v - 1`, :math:`a = m(a + b)`,
    :math:`b = (1 - m)(a + b)`. Its covariance is the delta method,
    :math:`J \\Sigma J^T`, with :math:`J` the derivatives of :math:`(a, b)` in
    :math:`(m, v)` and :math:`\\Sigma` the covariance of :math:`(m, v)`,
    :math:`\\frac1n \\begin{pmatrix}\\sigma^2 & \\mu_3 \\\\ \\mu_3 & \\mu_4 - \\sigma^4\\end{pmatrix}`,
    from the fitted Beta's central moments. Maximum likelihood maximises
    :math:`\\sum_i \\log f(x_i)` (or :math:`\\sum_i \\log [F(x_i + r/2) - F(x_i - r/2)]`
    with rounding :math:`r`) over :math:`\\log a, \\log b`, and its covariance is the
    inverse of the observed information there. With a handful of shares either is
    rough, which is what the intervals say.

    Examples
    --------
    OCC's directorates in 2017/18 achieved 93%, 79%, 100%, 93% and 100% of their planned
    savings (002_90ddc037a457842c.txt lines 618, 625, 632, 640, 647):

    >>> import finmodel as fm
    >>> fit = fm.fit_delivery([0.93, 0.79, 1.00, 0.93, 1.00])
    >>> fit
    DeliveryFit(Beta(7.307, 0.55) from 5 shares by moments, mean 93.0%)
    >>> rounded = fm.fit_delivery([0.93, 0.79, 1.00, 0.93, 1.00], method="mle", rounding=0.01)
    >>> round(rounded.mean, 3)
    0.934
    >>> fm.fit_delivery([0.93, 0.79, 1.00], method="mle")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: fit_delivery: a share of exactly 0 or 1 has no density under a Beta; give rounding= (the precision of the record, e.g. 0.01 for whole percentages) or use method='moments'
    """
    shares = _shares(achieved, planned)
    if method not in ("moments", "mle"):
        raise AmountError(f"{_WHO}: method ({method!r}) must be 'moments' or 'mle'")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0.0 < confidence < 1.0:
        raise AmountError(f"{_WHO}: confidence ({confidence!r}) must lie strictly between 0 and 1")
    if rounding is not None:
        if method != "mle":
            raise AmountError(f"{_WHO}: rounding ({rounding!r}) applies to method='mle' only")
        if isinstance(rounding, bool) or not isinstance(rounding, (int, float)) or not 0.0 < rounding < 0.5:
            raise AmountError(f"{_WHO}: rounding ({rounding!r}) must be a precision such as 0.01 (whole percent)")
    a, b, cov = _moments(shares) if method == "moments" else _mle(shares, rounding)
    return DeliveryFit(a, b, tuple(float(x) for x in shares), method, rounding, cov, float(confidence))

