"""Reverse stress testing: start from the breach, and ask how likely it is and what causes it.

A stress test asks "what happens if"; a reverse stress test starts from the outcome the
council cannot live with (the gap in 2019/20 above the general balance, the case's NPV
below zero, payback later than year 3) and asks:

* how likely it is (:func:`reverse_stress`, from a simulation), and which inputs drive it:
  each input's distribution in the breaching trials against all trials, ranked;
* the smallest combined move of the inputs away from central that reaches it
  (:func:`smallest_move`): the most plausible way to get there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.analysis.shapley import copula_correlation
from finmodel.analysis.switching import TAILS
from finmodel.analysis.targets import Condition, Input, checked_inputs, metric_values, model_inputs
from finmodel.core.errors import FinmodelError
from finmodel.core.seeds import SeedLike, seed_sequence
from finmodel.engine.results import Simulation
from finmodel.engine.run import run_trials
from finmodel.engine.scenario import Scenario, as_scenario
from finmodel.model.base import Model

__all__ = ["ReverseStress", "SmallestMove", "reverse_stress", "smallest_move"]

#: Points of each input's distribution used to measure its standard deviation.
_GRID = (np.arange(20_000) + 0.5) / 20_000


@dataclass(frozen=True)
class ReverseStress:
    """How likely a breach is, and which inputs drive it.

    Attributes
    ----------
    breach : Condition
    probability : float
        The share of trials that breach.
    standard_error : float
        Of the probability: :math:`\\sqrt{p(1 - p)/n}`.
    trials, breaches : int
        Trials simulated, and how many breached.
    drivers : pandas.DataFrame
        One row per input that varies (indexed by its label), most telling first:
        ``mean_all`` and ``mean_breach`` (the input's mean over all trials and over the
        breaching ones), ``median_all``, ``median_breach``, ``shift_sd`` (the difference
        of the means in the input's standard deviations) and ``ks`` (the Kolmogorov-Smirnov
        distance between the input's distribution in the breaching trials and in all
        trials: 0 when the breach tells nothing about the input, up to 1). Ranked by ``ks``.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2),
    ...     [fm.Benefit("b", fm.Range(4, 8, name="benefit")), fm.Benefit("s", fm.Range(0, 0.1, name="small"))],
    ...     [fm.Cost("k", [9, 1])])
    >>> found = reverse_stress(fm.simulate(case, n=10_000, seed=1), Condition("npv", "<", 2))
    >>> found.drivers.index.tolist()[0], round(found.probability, 2)
    ('benefit', 0.52)
    """

    breach: Condition
    probability: float
    standard_error: float
    trials: int
    breaches: int
    drivers: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"P({self.breach.describe()}) = {self.probability:.1%} (± {self.standard_error:.1%}, "
            f"{self.breaches:,} of {self.trials:,} trials)\n{self.drivers.to_string()}"
        )


def reverse_stress(sim: Simulation, breach: Condition) -> ReverseStress:
    """The probability of a breach and the inputs that drive it, from a simulation.

    Parameters
    ----------
    sim : Simulation
    breach : Condition
        E.g. ``Condition("cumulative_gap", ">", 19.7, year="2019/20")``.

    Returns
    -------
    ReverseStress

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 1), [fm.Pressure("d", fm.Uniform(0, 10, name="demand"))])
    >>> round(reverse_stress(fm.simulate(plan, n=10_000, seed=1), Condition("total_net_pressure", ">", 8)).probability, 2)
    0.2
    """
    from scipy import stats
    if not isinstance(sim, Simulation):
        raise FinmodelError(f"reverse_stress: expected a simulation, got {sim!r}")
    if not isinstance(breach, Condition):
        raise FinmodelError(f"reverse_stress: breach ({breach!r}) must be a Condition")
    hit = breach.holds(sim)
    p = float(hit.mean())
    frame = sim.inputs()
    rows = []
    for label in frame.columns:
        x = frame[label].to_numpy()
        if np.ptp(x) == 0:
            continue
        inside = x[hit]
        sd = float(np.std(x))
        if inside.size:
            ks = float(stats.ks_2samp(inside, x).statistic)
            rows.append((label, x.mean(), inside.mean(), np.median(x), np.median(inside), (inside.mean() - x.mean()) / sd, ks))
        else:
            rows.append((label, x.mean(), np.nan, np.median(x), np.nan, np.nan, 0.0))
    drivers = pd.DataFrame(
        rows, columns=["input", "mean_all", "mean_breach", "median_all", "median_breach", "shift_sd", "ks"]
    ).set_index("input")
    drivers = drivers.sort_values("ks", ascending=False, kind="stable")
    return ReverseStress(breach, p, float(np.sqrt(p * (1 - p) / sim.n)), sim.n, int(hit.sum()), drivers)


@dataclass(frozen=True)
class SmallestMove:
    """The smallest combined move of the inputs from central that reaches a breach.

    Attributes
    ----------
    breach : Condition
    reached : bool
        Whether any point within the inputs' ranges breaches.
    distance : float
        The size of the move, in standard deviations (see :func:`smallest_move`); 0 when
        central already breaches, NaN when the breach was not reached.
    value : float
        The metric at the point found.
    table : pandas.DataFrame
        One row per input (indexed by its label), largest move first: ``central``,
        ``value`` (at the point found), ``move`` (value less central) and ``move_sd`` (the
        move in the input's standard deviations).

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 1), [fm.Pressure("d", fm.Normal(5, 1, name="demand"))])
    >>> found = smallest_move(plan, Condition("total_net_pressure", ">=", 7), seed=1)
    >>> round(found.distance, 3), round(float(found.table.loc["demand", "value"]), 3)
    (2.0, 7.0)
    """

    breach: Condition
    reached: bool
    distance: float
    value: float
    table: pd.DataFrame

    def __repr__(self) -> str:
        if not self.reached:
            return f"{self.breach.describe()}: not reached within the inputs' ranges"
        return (
            f"{self.breach.describe()}: reached by a move of {self.distance:.2f} standard deviations "
            f"(metric {self.value:,.4g})\n{self.table.to_string()}"
        )


def _scale(item: Input) -> tuple[float, float, float]:
    """An input's standard deviation and the range it may move in."""
    values = item.leaf.ppf(_GRID)
    low, high = item.leaf.support
    if not np.isfinite(low):
        low = float(item.leaf.ppf(np.array([TAILS[0]]))[0])
    if not np.isfinite(high):
        high = float(item.leaf.ppf(np.array([TAILS[1]]))[0])
    return float(np.std(values)), float(low), float(high)


def smallest_move(
    model: Model,
    breach: Condition,
    *,
    inputs: Iterable[Any] | None = None,
    scenario: str | Scenario = "central",
    starts: int = 4_000,
    seed: SeedLike = None,
) -> SmallestMove:
    """The smallest combined move of the inputs from central at which the breach holds.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    breach : Condition
    inputs : iterable of inputs or names, optional
        The inputs that may move (default every one that can vary); the rest stay put.
    scenario : str or Scenario
        Where the inputs start (default each at its central case).
    starts : int
        Points drawn from the inputs' distributions to find a first breaching point.
    seed : int, Generator or None

    Returns
    -------
    SmallestMove

    Notes
    -----
    "Smallest" is measured in standard deviations: input :math:`i` moved from its central
    value :math:`c_i` to :math:`x_i` moves :math:`m_i = (x_i - c_i) / \\sigma_i`, and the
    combined move is :math:`\\sqrt{m^\\top R^{-1} m}`, with :math:`R` the correlation of
    the inputs' normal scores under the engine's copula (the identity for independent
    inputs, so the root of the sum of squares). The problem

    .. math:: \\min_m\\; m^\\top R^{-1} m \\quad \\text{subject to the breach at } x = c + \\sigma m,
              \\; x \\text{ within each input's range}

    is solved by sequential quadratic programming (:func:`scipy.optimize.minimize`,
    SLSQP), the breach's gradient by finite differences in one batch of trials, starting
    from the breaching draw nearest to central among ``starts`` random draws. For a linear
    metric :math:`\\sum_i a_i x_i` and independent inputs the answer is
    :math:`|T - f(c)| / \\sqrt{\\sum_i a_i^2 \\sigma_i^2}`.
    """
    from scipy import optimize
    if not isinstance(breach, Condition):
        raise FinmodelError(f"smallest_move: breach ({breach!r}) must be a Condition")
    chosen = [item for item in model_inputs(model, inputs) if _scale(item)[0] > 0]
    chosen = checked_inputs(model, chosen, "smallest_move")
    base = as_scenario(scenario)
    _, central_values = base.values(model)
    centre = np.array([central_values[item.leaf] for item in chosen])
    scales = np.array([_scale(item) for item in chosen])
    sd, low, high = scales[:, 0], scales[:, 1], scales[:, 2]
    inverse = np.linalg.inv(copula_correlation(chosen))

    def margins(points: np.ndarray) -> np.ndarray:
        design = {item.leaf: points[:, i] for i, item in enumerate(chosen)}
        values = metric_values(run_trials(model, design, base), breach.metric, breach.year)
        return breach.margin(values, model)

    def size(m: np.ndarray) -> float:
        return float(m @ inverse @ m)

    def table(point: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame(
            {"central": centre, "value": point, "move": point - centre, "move_sd": (point - centre) / sd},
            index=pd.Index([item.label for item in chosen], name="input"),
        )
        return frame.iloc[np.argsort(-np.abs(frame["move_sd"].to_numpy()), kind="stable")]

    at_centre = margins(centre[None, :])
    if at_centre[0] >= 0:
        return SmallestMove(breach, True, 0.0, float(_metric(breach, model, at_centre[0])), table(centre))
    rng = np.random.Generator(np.random.PCG64(seed_sequence(seed)))
    u = rng.random((int(starts), len(chosen))) * (1 - 2e-9) + 1e-9
    draws = np.column_stack([item.leaf.ppf(u[:, i]) for i, item in enumerate(chosen)])
    draws = np.clip(draws, low, high)
    found = margins(draws)
    hits = np.flatnonzero(found >= 0)
    if hits.size == 0:
        corners = np.where(rng.random((int(starts), len(chosen))) < 0.5, low, high)
        found, draws = margins(corners), corners
        hits = np.flatnonzero(found >= 0)
        if hits.size == 0:
            return SmallestMove(breach, False, np.nan, np.nan, table(np.full(len(chosen), np.nan)))
    moves = (draws[hits] - centre) / sd
    best = moves[np.argmin([size(m) for m in moves])]
    step = 1e-4

    def constraint(m: np.ndarray) -> float:
        return float(margins((centre + sd * m)[None, :])[0])

    def gradient(m: np.ndarray) -> np.ndarray:
        points = np.vstack([centre + sd * m, centre + sd * (m + step * np.eye(len(m)))])
        found = margins(points)
        return (found[1:] - found[0]) / step

    solved = optimize.minimize(
        size,
        best,
        jac=lambda m: 2 * inverse @ m,
        method="SLSQP",
        bounds=list(zip((low - centre) / sd, (high - centre) / sd, strict=True)),
        constraints=[{"type": "ineq", "fun": constraint, "jac": gradient}],
        options={"maxiter": 200, "ftol": 1e-12},
    )
    candidate = np.asarray(solved.x, dtype=float)
    if constraint(candidate) >= -1e-9 * max(1.0, abs(breach.limit(model))) and size(candidate) <= size(best):
        best = candidate
    point = centre + sd * best
    reached_margin = margins(point[None, :])[0]
    return SmallestMove(breach, True, float(np.sqrt(size(best))), float(_metric(breach, model, reached_margin)), table(point))


def _metric(breach: Condition, model: Model, margin: float) -> float:
    """The metric's value from its margin (see :meth:`Condition.margin`)."""
    limit = breach.limit(model)
    return limit + margin if breach.op in (">", ">=") else limit - margin
