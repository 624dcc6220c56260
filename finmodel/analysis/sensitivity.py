"""Which inputs move a simulated metric: rank correlation, regression and contribution to variance.

These read a finished simulation (its inputs' draws against the metric, trial by trial),
so they cost nothing beyond the simulation itself. They describe the inputs *together*,
each drawn from its whole distribution, where a tornado moves one input at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finmodel.analysis.targets import default_metric, metric_values
from finmodel.core.errors import FinmodelError
from finmodel.engine.results import Simulation

__all__ = ["Sensitivity", "sensitivity"]


@dataclass(frozen=True)
class Sensitivity:
    """How each input, drawn with the others, moves a simulated metric.

    Attributes
    ----------
    metric : str
    year : str or None
    trials : int
    r_squared : float
        The share of the metric's variance the linear regression on the inputs explains;
        the standardised regression coefficients describe the metric well when it is near 1.
    table : pandas.DataFrame
        One row per input that varies in the simulation (indexed by its label), largest
        contribution first: ``rank_correlation`` (Spearman's rho between the input and the
        metric), ``src`` (standardised regression coefficient: the change in the metric, in
        its standard deviations, for one standard deviation of the input, the others held)
        and ``contribution`` (the share of variance, signed: rho squared over the sum of
        every input's rho squared, as Crystal Ball reports it).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Normal(10, 3, name="b")), fm.Benefit("s", fm.Normal(5, 1, name="s"))])
    >>> found = sensitivity(fm.simulate(case, n=20_000, seed=1), "run_rate")
    >>> found.table["src"].round(1).tolist(), round(found.r_squared, 3)
    ([0.9, 0.3], 1.0)
    """

    metric: str
    year: str | None
    trials: int
    r_squared: float
    table: pd.DataFrame

    def __repr__(self) -> str:
        where = f" in {self.year}" if self.year else ""
        return (
            f"Sensitivity of {self.metric}{where} ({self.trials:,} trials, R² {self.r_squared:.3f}):\n"
            f"{self.table.to_string()}"
        )


def sensitivity(sim: Simulation, metric: str | None = None, *, year: str | None = None) -> Sensitivity:
    """Rank correlation, standardised regression coefficients and contribution to variance.

    Parameters
    ----------
    sim : Simulation
    metric : str, optional
        Default ``npv`` for a case, ``total_net_pressure`` for a plan.
    year : str, optional
        The year, for a per-year metric.

    Returns
    -------
    Sensitivity

    Notes
    -----
    With :math:`x_i` the draws of input :math:`i` and :math:`y` the metric:
    ``rank_correlation`` is Spearman's :math:`\\rho_i`; ``src`` is :math:`\\beta_i s_i / s_y`
    where :math:`\\beta` solves the least-squares fit :math:`y \\approx \\beta_0 + \\sum_i
    \\beta_i x_i`; ``contribution`` is :math:`\\operatorname{sign}(\\rho_i)\\,\\rho_i^2 /
    \\sum_j \\rho_j^2`. For a linear metric of independent inputs,
    :math:`\\mathrm{src}_i^2` is input :math:`i`'s share of the variance and the squares
    add to :math:`R^2 = 1`; rank correlation also catches monotone, non-linear effects.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Range(1, 2, name="b"))])
    >>> sensitivity(fm.simulate(case, n=1_000, seed=1), "run_rate").table["rank_correlation"].tolist()
    [1.0]
    """
    from scipy import stats
    if not isinstance(sim, Simulation) or sim.n < 3:
        raise FinmodelError(f"sensitivity: needs a simulation of at least 3 trials, got {sim!r}")
    metric = default_metric(sim.model) if metric is None else metric
    y = metric_values(sim, metric, year)
    frame = sim.inputs()
    varies = [c for c in frame.columns if np.ptp(frame[c].to_numpy()) > 0]
    if not varies:
        raise FinmodelError(f"sensitivity: nothing in {sim.model.describe()} varies in this simulation")
    x = frame[varies].to_numpy()
    if np.ptp(y) == 0:
        raise FinmodelError(f"sensitivity: {metric!r} is the same in every trial; no input moves it")
    ranked_y = stats.rankdata(y)
    rho = np.array([np.corrcoef(stats.rankdata(col), ranked_y)[0, 1] for col in x.T])
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    fitted = design @ beta
    r_squared = 1.0 - float(np.sum((y - fitted) ** 2) / np.sum((y - y.mean()) ** 2))
    src = beta[1:] * x.std(axis=0) / y.std()
    squares = rho**2
    contribution = np.sign(rho) * squares / squares.sum() if squares.sum() > 0 else np.zeros_like(rho)
    table = pd.DataFrame(
        {"rank_correlation": rho, "src": src, "contribution": contribution},
        index=pd.Index(varies, name="input"),
    )
    table = table.iloc[np.argsort(-np.abs(contribution), kind="stable")]
    return Sensitivity(metric, year, sim.n, r_squared, table)
