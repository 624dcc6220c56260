"""Savings at risk and the headline risk figures a chief finance officer cites.

Under section 25 of the Local Government Act 2003 the chief finance officer reports on
the robustness of the budget's estimates. The figures asked for are few: how much of
the planned savings is expected not to arrive (the expected shortfall against plan) and
how bad that could be (its P90), and the budget gap the council can be 50%, 80% or 90%
confident of not exceeding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finmodel.core.errors import FinmodelError
from finmodel.engine.means import quantiles
from finmodel.engine.results import Simulation

__all__ = ["RiskFigures", "risk_figures"]

#: (metric, whether more of it is worse): the position a plan or a case is judged on,
#: first found wins.
POSITIONS = (("cumulative_gap", True), ("cumulative_net", False))
#: The shortfall against plan, per year: (metric, whether it is a change to accumulate).
SHORTFALLS = (("undelivered_savings", True), ("benefit_shortfall", False))


@dataclass(frozen=True)
class RiskFigures:
    """Savings at risk and the position at chosen confidence levels, by year.

    Attributes
    ----------
    position : str
        The metric judged: ``cumulative_gap`` for a plan (more is worse),
        ``cumulative_net`` for a case (less is worse).
    shortfall_metric : str or None
        Where the shortfall comes from: ``undelivered_savings`` (a plan's savings not
        delivered, accumulated into each year's budget) or ``benefit_shortfall`` (a
        case's benefit not received); None when nothing is at risk of delivery.
    shortfall : pandas.DataFrame
        By year: ``mean`` (the expected shortfall against plan), ``P50``, ``P80`` and
        ``P90`` of the shortfall (the amount that 9 trials in 10 stay under), and
        ``P(any)``, the probability of any shortfall at all. Zeros where nothing is at risk.
    at_confidence : pandas.DataFrame
        By year, the position the council can be that confident of not doing worse than:
        for a plan's gap the 50th, 80th and 90th percentiles; for a case's cumulative net
        the 50th, 20th and 10th. Columns ``P50``, ``P80``, ``P90``.
    trials : int

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2),
    ...     [fm.Saving("s", [10, 0], delivery=fm.Uniform(0.5, 1.0)), fm.Pressure("d", [10, 0])])
    >>> found = risk_figures(fm.simulate(plan, n=20_000, seed=1))
    >>> found.shortfall.loc["2019/20", ["mean", "P90"]].round(1).tolist()  # 10 x U(0, 0.5): 2.5 and 4.5
    [2.5, 4.5]
    >>> found.at_confidence.loc["2019/20"].round(1).tolist()  # the gap is the shortfall here
    [2.5, 4.0, 4.5]
    """

    position: str
    shortfall_metric: str | None
    shortfall: pd.DataFrame
    at_confidence: pd.DataFrame
    trials: int

    def __repr__(self) -> str:
        return (
            f"Savings at risk ({self.shortfall_metric or 'nothing at risk'}; {self.trials:,} trials):\n"
            f"{self.shortfall.to_string()}\n{self.position} at confidence:\n{self.at_confidence.to_string()}"
        )


def _levels(levels: Sequence[float]) -> list[float]:
    found = [float(x) for x in levels]
    if not found or not all(0 < x < 1 for x in found):
        raise FinmodelError(f"risk_figures: levels ({levels!r}) must be confidence levels between 0 and 1")
    return found


def risk_figures(sim: Simulation, levels: Sequence[float] = (0.5, 0.8, 0.9)) -> RiskFigures:
    """The expected shortfall against plan, its percentiles, and the position at confidence levels.

    Parameters
    ----------
    sim : Simulation
        Of a plan (MTFP) or a case.
    levels : sequence of float
        Confidence levels (default 50%, 80% and 90%).

    Returns
    -------
    RiskFigures

    Notes
    -----
    A plan's shortfall in year :math:`t` is the savings not delivered, accumulated:
    :math:`\\sum_{s \\le t} u_s` with :math:`u_s` the ``undelivered_savings`` of year
    :math:`s` (planned less achieved, slippage included), the amount the year's budget is
    short. A case's is its ``benefit_shortfall``, the in-year benefit not received. The
    position at confidence :math:`c` is the :math:`c`-quantile where more is worse and the
    :math:`(1 - c)`-quantile where less is worse.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 10)], [fm.Cost("k", [5, 0])])
    >>> risk_figures(fm.simulate(case, n=100, seed=1)).shortfall["mean"].tolist()
    [0.0, 0.0]
    """
    if not isinstance(sim, Simulation):
        raise FinmodelError(f"risk_figures: expected a simulation, got {sim!r}")
    chosen = _levels(levels)
    model = sim.model
    position, worse_high = next((m, w) for m, w in POSITIONS if m in model.available)
    years = pd.Index(list(sim.years), name="year")
    found = next(((m, acc) for m, acc in SHORTFALLS if m in model.available), None)
    if found is None:
        short = np.zeros((sim.n, len(years)))
    else:
        values = np.asarray(sim.samples(found[0]), dtype=float)
        short = np.cumsum(values, axis=1) if found[1] else values
    names = [f"P{round(100 * x)}" for x in chosen]
    shortfall = pd.DataFrame(
        {
            "mean": short.mean(axis=0) + 0.0,
            **{name: [float(quantiles(col, np.array([x]))[0]) + 0.0 for col in short.T] for name, x in zip(names, chosen, strict=True)},
            "P(any)": (short > 1e-9).mean(axis=0),
        },
        index=years,
    )
    gap = np.asarray(sim.samples(position), dtype=float)
    qs = np.array(chosen if worse_high else [1 - x for x in chosen])
    at_confidence = pd.DataFrame(
        np.column_stack([quantiles(col, qs) for col in gap.T]).T + 0.0, index=years, columns=names
    )
    return RiskFigures(position, found[0] if found else None, shortfall, at_confidence, sim.n)
