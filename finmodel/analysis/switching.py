"""Switching values: the value of each input at which a metric reaches a target.

"At what run rate does the case stop paying?" For each input alone (the rest at base),
the metric is scanned across the input's range in one batch of trials; where it crosses
the target, the crossing is found to within a small fraction of the range by Brent's
method (:func:`scipy.optimize.brentq`) on :func:`~finmodel.engine.run.evaluate` with
the input set by a :class:`~finmodel.engine.scenario.Scenario`. An input whose range
holds no crossing is reported as such, never extrapolated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.analysis.targets import Input, checked_inputs, default_metric, metric_values, model_inputs
from finmodel.analysis.tornado import one_at_a_time
from finmodel.core.errors import FinmodelError
from finmodel.engine.run import evaluate
from finmodel.engine.scenario import Scenario, as_scenario
from finmodel.model.base import Model

__all__ = ["NO_CROSSING", "SwitchingValues", "switching_values"]

#: The note of an input whose range holds no switching value.
NO_CROSSING = "does not cross within its range"
#: The range searched for an input with unbounded support: these percentiles.
TAILS = (0.001, 0.999)
#: Points scanned across each input's range to find where the metric crosses.
SCAN = 33


@dataclass(frozen=True)
class SwitchingValues:
    """Where each input alone takes the metric to the target.

    Attributes
    ----------
    metric : str
    year : str or None
    target : float
    base : float
        The metric with every input at base.
    table : pandas.DataFrame
        One row per input (indexed by its label), in the order of the model: ``central``
        (the input at base), ``low`` and ``high`` (the range searched), ``switching_value``
        (NaN where there is none), ``change`` (switching value less central),
        ``change_pct`` (that as a percentage of central; NaN where central is 0), and
        ``note`` (empty, :data:`NO_CROSSING`, or that the metric crosses more than once
        and the crossing nearest to central is shown).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Range(0, 10, name="b"))], [fm.Cost("k", [4])])
    >>> float(switching_values(case, "npv").table.loc["b", "switching_value"].round(6))
    4.0
    """

    metric: str
    year: str | None
    target: float
    base: float
    table: pd.DataFrame

    def __repr__(self) -> str:
        where = f" in {self.year}" if self.year else ""
        return f"Switching values of {self.metric}{where} = {self.target:g} (base {self.base:,.4g}):\n{self.table.to_string()}"


def _range(item: Input, within: Mapping[Any, Any]) -> tuple[float, float]:
    given = within.get(item.label, within.get(item.leaf))
    if given is not None:
        try:
            low, high = (float(v) for v in given)
        except (TypeError, ValueError):
            raise FinmodelError(f"switching_values: within[{item.label!r}] ({given!r}) must be (low, high)") from None
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise FinmodelError(
                f"switching_values: within[{item.label!r}] ({given!r}) must be two finite numbers, low below high"
            )
        return low, high
    low, high = item.leaf.support
    if not np.isfinite(low):
        low = float(item.leaf.ppf(np.array([TAILS[0]]))[0])
    if not np.isfinite(high):
        high = float(item.leaf.ppf(np.array([TAILS[1]]))[0])
    return float(low), float(high)


def switching_values(
    model: Model,
    metric: str | None = None,
    *,
    year: str | None = None,
    target: float = 0.0,
    inputs: Iterable[Any] | None = None,
    within: Mapping[Any, tuple[float, float]] | None = None,
    scenario: str | Scenario = "central",
    xtol: float = 1e-9,
) -> SwitchingValues:
    """The value of each input, alone, at which the metric reaches ``target``.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    metric : str, optional
        Default ``npv`` for a case, ``total_net_pressure`` for a plan; e.g.
        ``"cumulative_net"`` or ``"cumulative_gap"`` with ``year=``.
    year : str, optional
        The year, for a per-year metric.
    target : float
        The value to reach (default 0: NPV zero, a balanced budget).
    inputs : iterable of inputs or names, optional
        Default: every input that can vary, and every input named in ``within``.
    within : mapping of input or name to (low, high), optional
        The range to search; default the input's support (its 0.1th and 99.9th
        percentiles where it is unbounded). Give one for a :class:`~finmodel.Fixed`
        input to search around it.
    scenario : str or Scenario
        Where the other inputs sit (default each at its central case).
    xtol : float
        Brent's tolerance, as a fraction of the range searched.

    Returns
    -------
    SwitchingValues

    Notes
    -----
    The metric :math:`f(x_i)` with the other inputs at base is evaluated at 33 evenly
    spaced points of the range; each change of sign of :math:`f - \\text{target}`
    brackets a root, refined by Brent's method. With several crossings, the one nearest
    the central value is reported. For a 10-year benefit stream :math:`b` against a
    capital cost :math:`K` in year 0, NPV :math:`= b A - K` with annuity factor
    :math:`A = \\sum_{t=0}^{9} 1.035^{-t}`, so the switching value is :math:`K / A`.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 10),
    ...     [fm.Benefit("Savings", fm.Range(1, 5, name="annual saving"))], [fm.Cost("Capital", [20] + [0] * 9)],
    ...     discount_rate=0.035)
    >>> found = switching_values(case).table.loc["annual saving"]
    >>> round(float(found["switching_value"]), 4), round(20 / sum(1.035 ** -t for t in range(10)), 4)
    (2.3235, 2.3235)
    """
    metric = default_metric(model) if metric is None else metric
    within = dict(within or {})
    chosen = model_inputs(model, inputs)
    if inputs is None and within:
        labels = {item.label for item in chosen}
        extra = [key for key in within if (key if isinstance(key, str) else getattr(key, "name", None)) not in labels]
        chosen += [item for item in model_inputs(model, extra) if item.label not in labels]
    chosen = checked_inputs(model, chosen, "switching_values")
    target = float(target)
    ranges = [_range(item, within) for item in chosen]
    grids = [np.linspace(low, high, SCAN) for low, high in ranges]
    base, scanned = one_at_a_time(model, chosen, grids, metric, year, scenario)
    _, central = as_scenario(scenario).values(model)
    rows = []
    for item, grid, found, (low, high) in zip(chosen, grids, scanned, ranges, strict=True):
        middle = central[item.leaf]
        value, note = _crossing(model, item, grid, found - target, middle, metric, year, target, scenario, xtol * (high - low))
        change = value - middle
        pct = 100.0 * change / abs(middle) if middle != 0 else np.nan
        rows.append((middle, low, high, value, change, pct, note))
    table = pd.DataFrame(
        rows,
        columns=["central", "low", "high", "switching_value", "change", "change_pct", "note"],
        index=pd.Index([item.label for item in chosen], name="input"),
    )
    return SwitchingValues(metric, year, target, base, table)


def _crossing(
    model: Model,
    item: Input,
    grid: np.ndarray,
    gaps: np.ndarray,
    middle: float,
    metric: str,
    year: str | None,
    target: float,
    scenario: str | Scenario,
    tolerance: float,
) -> tuple[float, str]:
    """The crossing nearest ``middle`` (value, note), or (NaN, NO_CROSSING)."""
    from scipy import optimize
    exact = np.flatnonzero(gaps == 0)
    brackets = np.flatnonzero(np.sign(gaps[:-1]) * np.sign(gaps[1:]) < 0)
    if exact.size == 0 and brackets.size == 0:
        return np.nan, NO_CROSSING
    candidates = [float(grid[i]) for i in exact]
    base = as_scenario(scenario)

    def gap(x: float) -> float:
        moved = Scenario(base.name, {**base.overrides, item.leaf: x}, base.base)
        return float(metric_values(evaluate(model, moved), metric, year)[0]) - target

    for i in brackets:
        candidates.append(float(optimize.brentq(gap, grid[i], grid[i + 1], xtol=max(tolerance, 1e-300))))
    nearest = min(candidates, key=lambda x: abs(x - middle))
    many = len(candidates) > 1 and not np.allclose(candidates, nearest, atol=tolerance * 10)
    return nearest, "crosses more than once; the crossing nearest central is shown" if many else ""
