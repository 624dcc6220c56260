"""The uncertain inputs: each knows its cases and draws its own samples.

Every input is drawn through its inverse cumulative distribution function (``ppf``)
applied to uniforms, so plain Monte Carlo, Latin hypercube sampling and rank
correlation share one mechanism. Closed forms are used where they exist (uniform,
triangular, Beta with a parameter of 1, PERT with its mode at an end); other Betas and
PERTs use a table of polynomial pieces built once per shape
(:mod:`finmodel.core.quantiles`); Normal and LogNormal use scipy's ``ndtri``.

Cases
-----
``low`` and ``high`` are the stated ends where an input has them (Range, Triangular,
PERT, Uniform; 0 and 1 for Chance), otherwise its 5th and 95th percentiles (Normal,
LogNormal, Beta). ``central`` is the stated most likely value where there is one (the
mode of Triangular and PERT, Range's ``central``, which defaults to the midpoint),
otherwise the mean (Uniform, Normal, Beta, Chance) or the median (LogNormal).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
from scipy import special

from finmodel.core import compiled
from finmodel.core.amounts import Leaf, fmt_number
from finmodel.core.beta_shapes import shape_from_mean_sd, shape_from_percentiles
from finmodel.core.quantiles import beta_quantile

__all__ = ["PERT", "Beta", "Chance", "LogNormal", "Normal", "Range", "Triangular", "Uniform"]

Z95 = float(special.ndtri(0.95))  # 1.6448536..., the 95th percentile of N(0, 1)


# -- inverse CDFs shared by several inputs ----------------------------------------------
def triangular_ppf(u: np.ndarray, low: float, mode: float, high: float, out: np.ndarray | None = None) -> np.ndarray:
    """Inverse CDF of the triangular distribution on [low, high] with the given mode.

    Parameters
    ----------
    u : numpy.ndarray
        Uniforms in [0, 1).
    low, mode, high : float
    out : numpy.ndarray, optional
        Where to write the draws (may be ``u`` itself); a new array by default.

    Notes
    -----
    With :math:`c = (m - a) / (b - a)`,
    :math:`F^{-1}(u) = a + \\sqrt{u (b - a)(m - a)}` for :math:`u < c`, else
    :math:`b - \\sqrt{(1 - u)(b - a)(b - m)}`. A mode at either end needs one branch.

    Examples
    --------
    >>> triangular_ppf(np.array([0.5]), 0.0, 0.0, 2.0).round(4)
    array([0.5858])
    """
    width = high - low
    target = np.empty(np.shape(u)) if out is None else out
    if width == 0:
        target[...] = low
        return target
    kernel = compiled.load("draws")
    if kernel is not None and _flat(u) and _flat(target):
        kernel.triangular_into(u, target, float(low), float(mode), float(high))
        return target
    if mode in (low, high):  # one branch, computed in place
        if mode == low:
            np.subtract(1.0, u, out=target)
            np.sqrt(target, out=target)
            target *= -width
            target += high
        else:
            np.sqrt(u, out=target)
            target *= width
            target += low
        return target
    c = (mode - low) / width
    left = low + np.sqrt(u * (width * (mode - low)))
    right = high - np.sqrt((1.0 - u) * (width * (high - mode)))
    np.copyto(target, np.where(u < c, left, right))
    return target


def _flat(x: Any) -> bool:
    """Whether ``x`` is a one-dimensional float64 array, as the compiled loops take."""
    return isinstance(x, np.ndarray) and x.ndim == 1 and x.dtype == np.float64


def beta_ppf(u: np.ndarray, a: float, b: float, out: np.ndarray | None = None) -> np.ndarray:
    """Inverse CDF of Beta(a, b) on [0, 1]; closed form when a or b is 1.

    Parameters
    ----------
    u : numpy.ndarray
        Uniforms in [0, 1).
    a, b : float
    out : numpy.ndarray, optional
        Where to write the draws (may be ``u`` itself); a new array by default.

    Notes
    -----
    Beta(a, 1) has CDF :math:`x^a`, so :math:`F^{-1}(u) = u^{1/a}`, computed as
    :math:`\\exp(\\ln(u) / a)` (as accurate for draws, and faster than a power); Beta(1, b)
    has :math:`F^{-1}(u) = 1 - (1 - u)^{1/b}`. Otherwise the inverse of the regularised
    incomplete beta function comes from :func:`~finmodel.core.quantiles.beta_quantile`:
    polynomial pieces built once per shape, within 1e-12 of ``scipy.special.betaincinv``
    (which it uses instead for a shape its table cannot match).

    Examples
    --------
    >>> abs(float(beta_ppf(np.array([0.5]), 9.0, 1.0)[0]) - 0.5 ** (1 / 9)) < 1e-15
    True
    >>> beta_ppf(np.array([0.05, 0.5, 0.95]), 3.0, 3.0).round(4)
    array([0.1893, 0.5   , 0.8107])
    """
    if b == 1.0 or a == 1.0:
        target = np.empty(np.shape(u)) if out is None else out
        if b == 1.0:
            if target is not u:
                np.copyto(target, u)
        else:
            np.subtract(1.0, u, out=target)
        with np.errstate(divide="ignore"):  # log(0) is -inf, and exp(-inf) is 0
            np.log(target, out=target)
        target *= 1.0 / (a if b == 1.0 else b)
        np.exp(target, out=target)
        return target if b == 1.0 else np.subtract(1.0, target, out=target)
    found = beta_quantile(a, b)(u)
    if out is None:
        return found
    np.copyto(out, found)
    return out


def _scaled_beta(u: np.ndarray, low: float, mode: float, high: float, lamb: float) -> np.ndarray:
    """``low + (high - low) * Beta`` draws of a PERT, in place of the uniforms ``u``."""
    width = high - low
    if width == 0:
        u.fill(low)
        return u
    beta_ppf(u, *_pert_shape(low, mode, high, lamb), out=u)
    u *= width
    u += low
    return u


def _normal_scores(u: np.ndarray) -> np.ndarray:
    """Standard normal scores of the uniforms ``u``, in place; a uniform of exactly 0 (one
    in 2**53) is read as half a step, 2**-54, so every score is finite."""
    np.maximum(u, 2.0**-54, out=u)
    return special.ndtri(u, out=u)


def _pert_shape(low: float, mode: float, high: float, lamb: float) -> tuple[float, float]:
    width = high - low
    return 1.0 + lamb * (mode - low) / width, 1.0 + lamb * (high - mode) / width


class _Bounded(Leaf):
    """An input with stated low and high ends (the low and high cases)."""

    def _check_order(self, **named: float) -> None:
        items = list(named.items())
        for (n1, v1), (n2, v2) in itertools.pairwise(items):
            if v1 > v2:
                raise self._refuse(
                    f"{n1} exceeds {n2}",
                    f"{n1} ({fmt_number(v1)}) exceeds {n2} ({fmt_number(v2)})",
                )

    @property
    def support(self) -> tuple[float, float]:
        return self.cases["low"], self.cases["high"]


@dataclass(frozen=True, eq=False, repr=False)
class Uniform(_Bounded):
    """Every value between ``low`` and ``high`` equally likely.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Uniform(4, 8).cases
    {'low': 4.0, 'central': 6.0, 'high': 8.0}
    """

    kind: ClassVar[str] = "Uniform"
    low: float
    high: float

    def _validate(self) -> None:
        object.__setattr__(self, "low", self._number("low", self.low))
        object.__setattr__(self, "high", self._number("high", self.high))
        self._check_order(low=self.low, high=self.high)

    def params(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        u *= self.high - self.low
        u += self.low
        return u

    @property
    def cases(self) -> dict[str, float]:
        return {"low": self.low, "central": 0.5 * (self.low + self.high), "high": self.high}


@dataclass(frozen=True, eq=False, repr=False)
class Triangular(_Bounded):
    """Triangular distribution between ``low`` and ``high`` peaking at ``mode``.

    Examples
    --------
    >>> import finmodel as fm
    >>> overrun = fm.Triangular(1.0, 1.0, 1.6, name="cost overrun")
    >>> overrun.cases
    {'low': 1.0, 'central': 1.0, 'high': 1.6}
    """

    kind: ClassVar[str] = "Triangular"
    low: float
    mode: float
    high: float

    def _validate(self) -> None:
        for f in ("low", "mode", "high"):
            object.__setattr__(self, f, self._number(f, getattr(self, f)))
        self._check_order(low=self.low, mode=self.mode, high=self.high)

    def params(self) -> dict[str, Any]:
        return {"low": self.low, "mode": self.mode, "high": self.high}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        return triangular_ppf(u, self.low, self.mode, self.high, out=u)

    @property
    def cases(self) -> dict[str, float]:
        return {"low": self.low, "central": self.mode, "high": self.high}


@dataclass(frozen=True, eq=False, repr=False)
class PERT(_Bounded):
    """The (modified) PERT distribution: a Beta scaled to [low, high] with the given mode.

    Notes
    -----
    Shape parameters :math:`\\alpha = 1 + \\lambda (m - a)/(b - a)` and
    :math:`\\beta = 1 + \\lambda (b - m)/(b - a)`, with :math:`\\lambda = 4` for the
    classic PERT; the mean is :math:`(a + \\lambda m + b)/(\\lambda + 2)`.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.PERT(21, 27, 33).cases["central"]
    27.0
    """

    kind: ClassVar[str] = "PERT"
    low: float
    mode: float
    high: float
    lamb: float = 4.0

    def _validate(self) -> None:
        for f in ("low", "mode", "high", "lamb"):
            object.__setattr__(self, f, self._number(f, getattr(self, f)))
        self._check_order(low=self.low, mode=self.mode, high=self.high)
        if self.lamb <= 0:
            raise self._refuse(f"lamb ({fmt_number(self.lamb)}) must be positive")

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"low": self.low, "mode": self.mode, "high": self.high}
        if self.lamb != 4.0:
            out["lamb"] = self.lamb
        return out

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        return _scaled_beta(u, self.low, self.mode, self.high, self.lamb)

    @property
    def cases(self) -> dict[str, float]:
        return {"low": self.low, "central": self.mode, "high": self.high}


_RANGE_DISTS = ("pert", "triangular", "uniform")


@dataclass(frozen=True, eq=False, repr=False)
class Range(_Bounded):
    """An amount known to lie between ``low`` and ``high``: the common "£21m to £33m".

    The ends are the ``low`` and ``high`` scenario cases. ``dist`` says how Monte Carlo
    draws between them: ``"pert"`` (default) or ``"triangular"``, both peaking at
    ``central``, or ``"uniform"``.

    Parameters
    ----------
    low, high : float
        The ends of the range (``low <= high``).
    central : float, optional
        The most likely value; the midpoint if not given. Not allowed with
        ``dist="uniform"``, which has no peak.
    dist : {"pert", "triangular", "uniform"}
        The shape Monte Carlo draws from.
    name : str, optional
        Used in messages, scenario overrides and sensitivity tables.

    Examples
    --------
    >>> import finmodel as fm
    >>> quick_wins = fm.Range(8, 17, name="Quick wins run rate")
    >>> quick_wins.cases
    {'low': 8.0, 'central': 12.5, 'high': 17.0}
    >>> fm.Range(17, 8, name="Quick wins run rate")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: Range 'Quick wins run rate': low (17) exceeds high (8)
    """

    kind: ClassVar[str] = "Range"
    low: float
    high: float
    central: float | None = None
    dist: Literal["pert", "triangular", "uniform"] = "pert"

    def _validate(self) -> None:
        object.__setattr__(self, "low", self._number("low", self.low))
        object.__setattr__(self, "high", self._number("high", self.high))
        if self.dist not in _RANGE_DISTS:
            raise self._refuse(f"dist ({self.dist!r}) must be one of 'pert', 'triangular', 'uniform'")
        self._check_order(low=self.low, high=self.high)
        if self.central is not None:
            if self.dist == "uniform":
                raise self._refuse(
                    "central has no effect with dist='uniform'; drop central or use dist='pert'"
                )
            object.__setattr__(self, "central", self._number("central", self.central))
            self._check_order(low=self.low, central=self.central, high=self.high)

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"low": self.low, "high": self.high}
        if self.central is not None:
            out["central"] = self.central
        if self.dist != "pert":
            out["dist"] = self.dist
        return out

    @property
    def mode(self) -> float:
        """The peak Monte Carlo draws around (``central``, or the midpoint)."""
        return 0.5 * (self.low + self.high) if self.central is None else self.central

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        if self.dist == "uniform":
            u *= self.high - self.low
            u += self.low
            return u
        if self.dist == "triangular":
            return triangular_ppf(u, self.low, self.mode, self.high, out=u)
        return _scaled_beta(u, self.low, self.mode, self.high, 4.0)

    @property
    def cases(self) -> dict[str, float]:
        return {"low": self.low, "central": self.mode, "high": self.high}


class _Percentiles(Leaf):
    """An input without stated ends: low and high are its 5th and 95th percentiles."""

    def _check_draws(self) -> None:
        """Refuse parameters whose most extreme draws overflow float64."""
        with np.errstate(over="ignore", invalid="ignore"):
            ends = self.ppf(np.array([2.0**-54, np.nextafter(1.0, 0.0)]))  # the extreme uniforms drawn
        if not np.isfinite(ends).all():
            raise self._refuse("its draws overflow float64; give the amounts in larger units")

    def _percentile_cases(self, central: float) -> dict[str, float]:
        found = self.__dict__.get("_cases")  # computed once: scipy's inverse CDFs are not free
        if found is None:
            lo, hi = self.ppf(np.array([0.05, 0.95]))
            found = {"low": float(lo), "central": central, "high": float(hi)}
            self.__dict__["_cases"] = found
        return dict(found)


@dataclass(frozen=True, eq=False, repr=False)
class Normal(_Percentiles):
    """Normal distribution with the given mean and standard deviation.

    Examples
    --------
    >>> import finmodel as fm
    >>> {k: round(v, 3) for k, v in fm.Normal(10, 1).cases.items()}
    {'low': 8.355, 'central': 10.0, 'high': 11.645}
    """

    kind: ClassVar[str] = "Normal"
    mean: float
    sd: float

    def _validate(self) -> None:
        object.__setattr__(self, "mean", self._number("mean", self.mean))
        object.__setattr__(self, "sd", self._number("sd", self.sd))
        if self.sd < 0:
            raise self._refuse("sd must not be negative", f"sd ({fmt_number(self.sd)}) must not be negative")
        self._check_draws()

    def params(self) -> dict[str, Any]:
        return {"mean": self.mean, "sd": self.sd}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        z = _normal_scores(u)
        z *= self.sd
        z += self.mean
        return z

    @property
    def cases(self) -> dict[str, float]:
        return self._percentile_cases(self.mean)

    @property
    def support(self) -> tuple[float, float]:
        if self.sd == 0:
            return self.mean, self.mean
        return -math.inf, math.inf


@dataclass(frozen=True, eq=False, repr=False)
class LogNormal(_Percentiles):
    """Log-normal distribution: ``exp(mu + sigma * Z)``; positive and right-skewed.

    Use :meth:`from_interval` to give it as a 90% range, "5 to 10", the way Guesstimate
    reads an interval.

    Examples
    --------
    >>> import finmodel as fm
    >>> x = fm.LogNormal.from_interval(5, 10)
    >>> {k: round(v, 3) for k, v in x.cases.items()}
    {'low': 5.0, 'central': 7.071, 'high': 10.0}
    """

    kind: ClassVar[str] = "LogNormal"
    mu: float
    sigma: float

    def _validate(self) -> None:
        object.__setattr__(self, "mu", self._number("mu", self.mu))
        object.__setattr__(self, "sigma", self._number("sigma", self.sigma))
        if self.sigma < 0:
            raise self._refuse(
                "sigma must not be negative", f"sigma ({fmt_number(self.sigma)}) must not be negative"
            )
        self._check_draws()

    @classmethod
    def from_interval(cls, p5: float, p95: float, *, name: str | None = None) -> LogNormal:
        """The log-normal whose 5th and 95th percentiles are ``p5`` and ``p95``.

        Notes
        -----
        :math:`\\mu = (\\ln p_5 + \\ln p_{95})/2` and
        :math:`\\sigma = (\\ln p_{95} - \\ln p_5) / (2 z_{0.95})` with
        :math:`z_{0.95} = 1.6449`.

        Examples
        --------
        >>> import finmodel as fm
        >>> round(fm.LogNormal.from_interval(5, 10).sigma, 4)
        0.2107
        """
        who = f"LogNormal {name!r}" if name else f"LogNormal.from_interval(p5={p5!r}, p95={p95!r})"
        from finmodel.core.errors import AmountError

        for label, v in (("p5", p5), ("p95", p95)):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
                raise AmountError(f"{who}: {label} ({v!r}) must be a positive finite number")
        if p5 > p95:
            raise AmountError(f"{who}: p5 ({fmt_number(float(p5))}) exceeds p95 ({fmt_number(float(p95))})")
        mu = 0.5 * (math.log(p5) + math.log(p95))
        sigma = (math.log(p95) - math.log(p5)) / (2.0 * Z95)
        return cls(mu, sigma, name=name)

    def params(self) -> dict[str, Any]:
        return {"mu": self.mu, "sigma": self.sigma}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        z = _normal_scores(u)
        z *= self.sigma
        z += self.mu
        return np.exp(z, out=z)

    @property
    def cases(self) -> dict[str, float]:
        return self._percentile_cases(math.exp(self.mu))

    @property
    def support(self) -> tuple[float, float]:
        if self.sigma == 0:
            return math.exp(self.mu), math.exp(self.mu)
        return 0.0, math.inf


@dataclass(frozen=True, eq=False, repr=False)
class Beta(_Percentiles):
    """Beta(a, b) on [0, 1]: a rate such as the share of a saving delivered.

    Give it the way officers talk with :meth:`from_mean_sd` or :meth:`from_percentiles`;
    fit it to a record of savings delivered with :func:`~finmodel.fit_delivery`.

    Examples
    --------
    >>> import finmodel as fm
    >>> delivery = fm.Beta(9, 1, name="delivery rate")
    >>> {k: round(v, 3) for k, v in delivery.cases.items()}
    {'low': 0.717, 'central': 0.9, 'high': 0.994}
    """

    kind: ClassVar[str] = "Beta"
    a: float
    b: float

    def _validate(self) -> None:
        for f in ("a", "b"):
            value = self._number(f, getattr(self, f))
            if value <= 0:
                raise self._refuse(f"{f} must be positive", f"{f} ({fmt_number(value)}) must be positive")
            object.__setattr__(self, f, value)

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float, *, name: str | None = None) -> Beta:
        """The Beta with the given mean and standard deviation: "about 90%, give or take 5%".

        Notes
        -----
        :math:`a + b = m(1 - m)/s^2 - 1`, :math:`a = m(a + b)`, :math:`b = (1 - m)(a + b)`
        for mean :math:`m` and standard deviation :math:`s`; a Beta with mean :math:`m`
        has :math:`s < \\sqrt{m(1 - m)}`, and a larger ``sd`` is refused.

        Examples
        --------
        >>> import finmodel as fm
        >>> amber = fm.Beta.from_mean_sd(0.75, 0.15)
        >>> round(amber.a, 4), round(amber.b, 4), amber.cases["central"]
        (5.5, 1.8333, 0.75)
        >>> fm.Beta.from_mean_sd(0.9, 0.4)
        Traceback (most recent call last):
        ...
        finmodel.core.errors.AmountError: Beta.from_mean_sd: sd (0.4) must lie strictly between 0 and 0.3; a Beta with mean 0.9 has a smaller spread than that
        """
        who = f"Beta {name!r}" if name else "Beta.from_mean_sd"
        a, b = shape_from_mean_sd(mean, sd, who)
        return cls(a, b, name=name)

    @classmethod
    def from_percentiles(cls, *, name: str | None = None, **percentiles: float) -> Beta:
        """The Beta through two percentiles: "nine times in ten between 80% and 98%".

        Parameters
        ----------
        name : str, optional
        **percentiles : float
            Exactly two, named ``p10``, ``p90``, ``p5``, ``p95``, ``p50`` (the median),
            ``p2_5`` (the 2.5th), ...; each strictly between 0 and 1.

        Notes
        -----
        Solved numerically (see :func:`~finmodel.core.beta_shapes.shape_from_percentiles`):
        any two values ``0 < x1 < x2 < 1`` at two percentiles are met by exactly one Beta
        in principle; a pair whose Beta is too narrow or too wide to compute is refused
        with a message saying so.

        Examples
        --------
        >>> import finmodel as fm
        >>> green = fm.Beta.from_percentiles(p10=0.8, p90=0.98)
        >>> [round(float(x), 4) for x in green.ppf(np.array([0.1, 0.9]))]
        [0.8, 0.98]
        >>> fm.Beta.from_percentiles(p10=0.9, p90=0.8)
        Traceback (most recent call last):
        ...
        finmodel.core.errors.AmountError: Beta.from_percentiles: p10 (0.9) must be below p90 (0.8); a higher percentile is a higher value
        """
        who = f"Beta {name!r}" if name else "Beta.from_percentiles"
        a, b = shape_from_percentiles(percentiles, who)
        return cls(a, b, name=name)

    def params(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        return beta_ppf(u, self.a, self.b, out=u)

    @property
    def cases(self) -> dict[str, float]:
        return self._percentile_cases(self.a / (self.a + self.b))

    @property
    def support(self) -> tuple[float, float]:
        return 0.0, 1.0


@dataclass(frozen=True, eq=False, repr=False)
class Chance(Leaf):
    """An event: 1 with probability ``p``, otherwise 0.

    Multiply by an amount for a risk that may happen (``Chance(0.3) * 2`` is a £2m
    pressure with a 30% chance), or use as a delay (one year's slip with probability
    0.3). Its cases are 0 (low), ``p`` (central, the expected value) and 1 (high).

    Examples
    --------
    >>> import numpy as np, finmodel as fm
    >>> slip = fm.Chance(0.3, name="one-year slip")
    >>> round(float(slip.sample(100_000, seed=0).mean()), 2)
    0.3
    """

    kind: ClassVar[str] = "Chance"
    p: float

    def _validate(self) -> None:
        value = self._number("p", self.p)
        if not 0.0 <= value <= 1.0:
            raise self._refuse("p must lie in [0, 1]", f"p ({fmt_number(value)}) must lie in [0, 1]")
        object.__setattr__(self, "p", value)

    def params(self) -> dict[str, Any]:
        return {"p": self.p}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.from_uniforms(np.array(u, dtype=float))

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        u[...] = u >= 1.0 - self.p
        return u

    @property
    def cases(self) -> dict[str, float]:
        return {"low": 0.0, "central": self.p, "high": 1.0}

    @property
    def support(self) -> tuple[float, float]:
        return 0.0, 1.0
