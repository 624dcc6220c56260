"""How precise a simulation's numbers are, and simulating until they are precise enough.

Every mean and percentile from a simulation is an estimate. :func:`standard_errors`
gives each its standard error and confidence interval; :func:`simulate_until` draws
batches of trials until the mean of a metric is known to a stated tolerance, so the
user never has to guess ``n``.

Percentiles use the order-statistic (binomial) interval: the number of trials below the
true ``q``-quantile is Binomial(n, q), so two order statistics whose ranks cover the
middle of that binomial bracket the quantile with at least the stated confidence,
whatever the distribution. It needs no estimate of the density at the quantile (which
the asymptotic formula ``sqrt(q(1-q)/n) / f(x_q)`` does, and which is poor for the lumpy
distributions that slippage and one-off events give) and no choice of batch size (which
batch means do). The standard error shown is the interval's half-width over ``z``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.core.errors import FinmodelError
from finmodel.core.seeds import SeedLike, seed_sequence
from finmodel.engine.means import quantiles, trial_mean
from finmodel.engine.passes import Job
from finmodel.engine.results import Simulation
from finmodel.engine.run import _prepare, chunk_size_for, simulate
from finmodel.engine.scenario import Scenario
from finmodel.model.base import Model

__all__ = [
    "DEFAULT_METRICS",
    "Convergence",
    "default_metric",
    "mean_interval",
    "quantile_interval",
    "simulate_until",
    "standard_errors",
]

#: The metric looked at when none is given, first found wins: a case's NPV, a plan's net
#: pressure over the timeline (its gap in the last year).
DEFAULT_METRICS = ("npv", "total_net_pressure")


def default_metric(model: Model) -> str:
    """``npv`` for a case, ``total_net_pressure`` for a plan.

    Examples
    --------
    >>> import finmodel as fm
    >>> default_metric(fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("d", [1, 1])]))
    'total_net_pressure'
    """
    for name in DEFAULT_METRICS:
        if name in model.available:
            return name
    raise FinmodelError(f"{model.describe()}: name the metric (metrics: {', '.join(model.available)})")


def _z(confidence: float) -> float:
    from scipy import stats
    if not 0 < confidence < 1:
        raise FinmodelError(f"confidence ({confidence!r}) must lie between 0 and 1")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def mean_interval(values: Any, confidence: float = 0.95) -> tuple[float, float, float, float]:
    """The mean of trials, its standard error and a normal confidence interval.

    Returns ``(mean, standard_error, low, high)``.

    Notes
    -----
    :math:`\\mathrm{se} = s / \\sqrt{n}` with :math:`s` the sample standard deviation; the
    interval is :math:`\\bar x \\pm z\\,\\mathrm{se}` (the central limit theorem).

    Examples
    --------
    >>> mean, se, low, high = mean_interval([1.0, 2.0, 3.0, 4.0])
    >>> mean, round(se, 4), round(high - mean, 4)
    (2.5, 0.6455, 1.2652)
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise FinmodelError("mean_interval: needs at least two trials")
    mean = float(trial_mean(x[None, :])[0])
    se = float(np.std(x, ddof=1) / np.sqrt(x.size))
    half = _z(confidence) * se
    return mean, se, mean - half, mean + half


def quantile_interval(values: Any, q: float, confidence: float = 0.95) -> tuple[float, float, float, float]:
    """A percentile of trials, its standard error and its order-statistic confidence interval.

    Returns ``(estimate, standard_error, low, high)``.

    Notes
    -----
    With :math:`B \\sim \\mathrm{Binomial}(n, q)`, :math:`j` the :math:`\\alpha/2` quantile
    of :math:`B` and :math:`k` its :math:`1 - \\alpha/2` quantile plus one, the order
    statistics :math:`[x_{(j)}, x_{(k)}]` (ranks from 1) cover the :math:`q`-quantile with
    probability :math:`P(j \\le B \\le k - 1) \\ge 1 - \\alpha`. The standard error is
    :math:`(x_{(k)} - x_{(j)}) / (2 z)`.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(1).normal(size=10_000)
    >>> estimate, se, low, high = quantile_interval(x, 0.5)
    >>> bool(low < 0 < high), round(se, 3)  # sqrt(pi / 2 / n) = 0.0125
    (True, 0.013)
    """
    from scipy import stats
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise FinmodelError("quantile_interval: needs at least two trials")
    if not 0 <= q <= 1:
        raise FinmodelError(f"quantile_interval: q ({q!r}) must lie in [0, 1]")
    z = _z(confidence)
    alpha = 1 - confidence
    n = x.size
    j = int(stats.binom.ppf(alpha / 2, n, q))
    k = int(stats.binom.ppf(1 - alpha / 2, n, q)) + 1
    ranks = [min(max(j, 1), n) - 1, min(max(k, 1), n) - 1]
    low, high = np.partition(x, ranks)[ranks]
    estimate = float(quantiles(x, np.array([q]))[0])
    return estimate, float((high - low) / (2 * z)), float(low), float(high)


def standard_errors(
    sim: Simulation,
    metric: str,
    q: Sequence[float] = (0.1, 0.5, 0.9),
    *,
    year: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The mean and percentiles of a simulated metric with their standard errors and intervals.

    Parameters
    ----------
    sim : Simulation
    metric : str
    q : sequence of float
        Percentiles (default P10, P50, P90).
    year : str, optional
        One year of a per-year metric; default every year.
    confidence : float
        Level of the intervals.

    Returns
    -------
    pandas.DataFrame
        Columns ``estimate``, ``standard_error``, ``low``, ``high``; one row per statistic
        (``mean``, ``P10``, ...), or per year and statistic for a per-year metric.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Normal(10, 2))])
    >>> table = standard_errors(fm.simulate(case, n=10_000, seed=1), "run_rate")
    >>> table.index.tolist(), round(float(table.loc["mean", "standard_error"]), 3)  # 2 / sqrt(10,000)
    (['mean', 'P10', 'P50', 'P90'], 0.02)
    """
    if sim.model.metrics.get(metric) is not None and sim.model.metrics[metric].units == "year":
        raise FinmodelError(f"standard_errors: {metric!r} is a financial year; ask for its probabilities")
    values = np.asarray(sim.samples(metric), dtype=float)
    labels = ["mean", *(f"P{100 * float(x):g}" for x in q)]

    def rows(x: np.ndarray) -> list[tuple[float, float, float, float]]:
        return [mean_interval(x, confidence), *(quantile_interval(x, float(p), confidence) for p in q)]

    columns = ["estimate", "standard_error", "low", "high"]
    if values.ndim == 1:
        return pd.DataFrame(rows(values), index=pd.Index(labels, name="statistic"), columns=columns)
    if year is not None:
        x = values[:, sim.model.timeline.index(year)]
        return pd.DataFrame(rows(x), index=pd.Index(labels, name="statistic"), columns=columns)
    found = [row for i in range(values.shape[1]) for row in rows(values[:, i])]
    index = pd.MultiIndex.from_product([list(sim.years), labels], names=["year", "statistic"])
    return pd.DataFrame(found, index=index, columns=columns)


@dataclass(frozen=True)
class Convergence:
    """A simulation run until its mean was precise enough, and how it got there.

    Attributes
    ----------
    simulation : Simulation
        The simulation at the number of trials reached: exactly ``simulate(model, n,
        seed)`` for that ``n``.
    met : bool
        Whether the tolerance was met (False: the cap was reached first).
    metric : str
    year : str or None
    tolerance : float
        The half-width of the interval allowed, as a share of the mean.
    confidence : float
    history : pandas.DataFrame
        One row per batch: ``trials``, ``mean``, ``half_width`` (of the confidence
        interval) and ``relative`` (half-width over the absolute mean).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Normal(10, 5))])
    >>> run = simulate_until(case, "run_rate", batch=1_000, seed=1)
    >>> run.met, run.simulation.n  # 1.96 * 5 / sqrt(n) <= 0.3 needs n >= 1,068
    (True, 2000)
    """

    simulation: Simulation
    met: bool
    metric: str
    year: str | None
    tolerance: float
    confidence: float
    history: pd.DataFrame


class _Sums:
    """Running sums of trials, per row, shifted by the first trial (no loss of precision
    when the spread is small against the mean)."""

    def __init__(self) -> None:
        self.n = 0
        self.shift = self.total = self.squares = np.zeros(0)

    def add(self, rows: np.ndarray) -> None:
        if self.n == 0:
            self.shift = rows[:, 0].astype(float)
            self.total = np.zeros(rows.shape[0])
            self.squares = np.zeros(rows.shape[0])
        moved = rows - self.shift[:, None]
        self.total = self.total + moved.sum(axis=1)
        self.squares = self.squares + (moved**2).sum(axis=1)
        self.n += rows.shape[1]

    def mean(self) -> np.ndarray:
        return self.shift + self.total / self.n

    def standard_error(self) -> np.ndarray:
        centred = self.squares - self.total**2 / self.n
        return np.sqrt(np.maximum(centred, 0.0) / (self.n - 1) / self.n)


def _copy(sequence: np.random.SeedSequence) -> np.random.SeedSequence:
    """A fresh copy of a seed sequence (spawning is stateful), with the same draws."""
    return np.random.SeedSequence(sequence.entropy, spawn_key=sequence.spawn_key)


def simulate_until(
    model: Model,
    metric: str | None = None,
    *,
    year: str | None = None,
    tolerance: float = 0.03,
    confidence: float = 0.95,
    batch: int = 10_000,
    max_trials: int = 1_000_000,
    seed: SeedLike = None,
    scenario: Scenario | None = None,
) -> Convergence:
    """Simulate in batches until the mean of a metric is within ``tolerance`` at ``confidence``.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    metric : str, optional
        Default ``npv`` for a case, ``total_net_pressure`` for a plan.
    year : str, optional
        One year of a per-year metric; default every year must meet the tolerance.
    tolerance : float
        The half-width of the confidence interval allowed, as a share of the absolute mean
        (default 3%).
    confidence : float
        Default 95%.
    batch : int
        Trials added between checks.
    max_trials : int
        The cap: stop here even if the tolerance is not met (``met`` is then False).
    seed : int, Generator, SeedSequence or None
    scenario : Scenario, optional
        As for :func:`~finmodel.engine.run.simulate`.

    Returns
    -------
    Convergence

    Notes
    -----
    Trial ``t`` has the same draws whatever the number of trials (one stream per input), so
    each batch extends the trials before it, and the simulation returned is exactly
    ``simulate(model, n, seed)`` at the ``n`` reached. The check after each batch is
    :math:`z\\, s / \\sqrt{n} \\le \\text{tolerance} \\times |\\bar x|`. Plain random draws
    only: Latin hypercube strata depend on ``n``.
    """
    metric = default_metric(model) if metric is None else metric
    if metric not in model.available:
        raise FinmodelError(f"simulate_until: {model.describe()} has no metric {metric!r}")
    if not 0 < tolerance:
        raise FinmodelError(f"simulate_until: tolerance ({tolerance!r}) must be a positive share, e.g. 0.03")
    z = _z(confidence)
    for name, value in (("batch", batch), ("max_trials", max_trials)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
            raise FinmodelError(f"simulate_until: {name} ({value!r}) must be a whole number >= 2")
    sequence = seed_sequence(seed)
    changed, _, store, _ = _prepare(
        model, int(max_trials), _copy(sequence), "random", None, scenario, "float64", "local", None, None
    )
    job = Job(changed, store.leaves, store.fixed, keep=(metric,))
    chunk = chunk_size_for(len(store.leaves), years=changed.timeline.length)
    sums = _Sums()
    history = []
    met = False
    while sums.n < max_trials:
        stop = min(sums.n + int(batch), int(max_trials))
        for start in range(sums.n, stop, chunk):
            values = job.run(store.draws, start, min(start + chunk, stop)).kept[metric]
            if values.ndim == 2 and year is not None:
                values = values[changed.timeline.index(year)]
            sums.add(values if values.ndim == 2 else values[None, :])
        mean, half = sums.mean(), z * sums.standard_error()
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(half == 0, 0.0, half / np.abs(mean))
        worst = int(np.argmax(relative))
        history.append((sums.n, float(mean[worst]), float(half[worst]), float(relative[worst])))
        if relative[worst] <= tolerance:
            met = True
            break
    done = sums.n
    sim = simulate(model, done, _copy(sequence), scenario=scenario, metrics=[metric])
    frame = pd.DataFrame(history, columns=["trials", "mean", "half_width", "relative"])
    return Convergence(sim, met, metric, year, float(tolerance), float(confidence), frame)
