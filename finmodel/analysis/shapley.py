"""Shapley effects: each input's share of a metric's variance, meaningful for correlated inputs.

Sobol indices split the variance cleanly only when inputs are independent; with inputs
tied by :func:`~finmodel.correlate`, a first-order index counts what an input shares
with its partners, and the indices no longer add up to anything. The Shapley effect
(Owen 2014; Song, Nelson and Staum 2016) shares the variance out fairly instead: every
input gets its average marginal contribution over every order in which inputs could be
learnt, the effects are never negative, and they add up to exactly 1.

Conditional draws follow the Gaussian copula the engine uses to correlate inputs, so
the effects describe the same joint distribution a simulation draws from.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from finmodel.analysis.sobol import LIMIT
from finmodel.analysis.targets import Input, checked_inputs, default_metric, metric_values, model_inputs
from finmodel.core.errors import FinmodelError
from finmodel.core.seeds import SeedLike, seed_sequence
from finmodel.engine.run import run_trials
from finmodel.model.base import Model

__all__ = ["ShapleyEffects", "copula_correlation", "shapley"]

#: Every order of the inputs is used up to this many inputs (7! = 5,040 orders); above,
#: ``permutations`` orders drawn at random.
EXACT_UP_TO = 7


@dataclass(frozen=True)
class ShapleyEffects:
    """Each input's Shapley effect on a metric: its fair share of the variance.

    Attributes
    ----------
    metric : str
    year : str or None
    trials : int
        Model evaluations used.
    variance : float
        The metric's variance.
    permutations : int
        Orders of the inputs averaged over (every one when ``exact``).
    exact : bool
        Whether every order was used (only the cost estimates are then random).
    table : pandas.DataFrame
        One row per input (indexed by its label), largest first: ``shapley`` (the share of
        the variance, the shares adding up to 1) and ``standard_error`` (of the average
        over randomly drawn orders; NaN when every order was used).

    Examples
    --------
    >>> import finmodel as fm
    >>> a, b = fm.correlate([fm.Normal(0, 1, name="a"), fm.Normal(0, 1, name="b")], [[1, 0.5], [0.5, 1]])
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("x", a + b)])
    >>> found = shapley(case, "run_rate", n_outer=2_000, seed=1)
    >>> found.table["shapley"].round(1).tolist(), found.exact  # symmetric: a half each
    ([0.5, 0.5], True)
    """

    metric: str
    year: str | None
    trials: int
    variance: float
    permutations: int
    exact: bool
    table: pd.DataFrame

    def __repr__(self) -> str:
        where = f" in {self.year}" if self.year else ""
        return f"Shapley effects of {self.metric}{where} ({self.trials:,} trials):\n{self.table.to_string()}"


def copula_correlation(inputs: list[Input]) -> np.ndarray:
    """The correlation matrix of the inputs' normal scores under the engine's Gaussian copula.

    Inputs in one :func:`~finmodel.correlate` group take the Pearson correlation of their
    normal scores, ``2 sin(pi rho_s / 6)`` of the Spearman ``rho_s`` given (as the
    engine mixes them); inputs in no group, or in different groups, are independent.

    Examples
    --------
    >>> import finmodel as fm
    >>> a, b = fm.correlate([fm.Range(0, 1), fm.Range(0, 1)], [[1, 0.5], [0.5, 1]])
    >>> copula_correlation([Input("a", a), Input("b", b)]).round(4).tolist()
    [[1.0, 0.5176], [0.5176, 1.0]]
    """
    d = len(inputs)
    out = np.eye(d)
    for i, j in itertools.combinations(range(d), 2):
        gi, gj = getattr(inputs[i].leaf, "group", None), getattr(inputs[j].leaf, "group", None)
        if gi is not None and gj is gi:
            mixing = gj.mixing
            pi, pj = inputs[i].leaf.position, inputs[j].leaf.position  # type: ignore[attr-defined]
            out[i, j] = out[j, i] = float(mixing[pi] @ mixing[pj])
    return out


def _values(inputs: list[Input], z: np.ndarray) -> dict[Any, np.ndarray]:
    """Each input's values from normal scores ``z`` (rows: trials)."""
    u = np.clip(special.ndtr(z), 2.0**-54, 1.0 - 2.0**-53)
    return {item.leaf: item.leaf.ppf(u[:, i]) for i, item in enumerate(inputs)}


def _conditional(
    rng: np.random.Generator, corr: np.ndarray, subset: tuple[int, ...], n_outer: int, n_inner: int
) -> np.ndarray:
    """Normal scores of ``n_outer`` groups of ``n_inner`` trials: the inputs outside
    ``subset`` shared within a group, those in ``subset`` drawn given them."""
    d = corr.shape[0]
    given = [i for i in range(d) if i not in subset]
    chosen = list(subset)
    root = np.linalg.cholesky(corr + 1e-12 * np.eye(d))
    fixed = (rng.standard_normal((n_outer, d)) @ root.T)[:, given]
    s_gg = corr[np.ix_(given, given)]
    s_cg = corr[np.ix_(chosen, given)]
    weights = np.linalg.solve(s_gg, s_cg.T).T if given else np.zeros((len(chosen), 0))
    spread = corr[np.ix_(chosen, chosen)] - weights @ s_cg.T
    root_c = np.linalg.cholesky(spread + 1e-12 * np.eye(len(chosen)))
    mean = fixed @ weights.T
    z = np.empty((n_outer, n_inner, d))
    z[:, :, given] = fixed[:, None, :]
    z[:, :, chosen] = mean[:, None, :] + rng.standard_normal((n_outer, n_inner, len(chosen))) @ root_c.T
    return z.reshape(n_outer * n_inner, d)


def shapley(
    model: Model,
    metric: str | None = None,
    *,
    year: str | None = None,
    n_variance: int = 10_000,
    n_outer: int = 1_000,
    n_inner: int = 3,
    permutations: int = 200,
    seed: SeedLike = None,
    inputs: Iterable[Any] | None = None,
) -> ShapleyEffects:
    """Shapley effects of a model's metric, for independent or correlated inputs.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    metric : str, optional
        Default ``npv`` for a case, ``total_net_pressure`` for a plan.
    year : str, optional
        The year, for a per-year metric.
    n_variance : int
        Trials for the metric's variance.
    n_outer, n_inner : int
        For each set of inputs, ``n_outer`` values of the other inputs, and for each,
        ``n_inner`` draws of the set given them (Song et al. recommend ``n_inner = 3``).
    permutations : int
        Orders drawn at random when there are more than 7 inputs (every order otherwise).
    seed : int, Generator or None
    inputs : iterable of inputs or names, optional
        Default: every input that can vary; the rest stay central.

    Returns
    -------
    ShapleyEffects

    Notes
    -----
    With :math:`c(J) = E[\\operatorname{Var}(Y \\mid X_{-J})]` the variance left when only
    the inputs in :math:`J` are unknown, the Shapley effect of input :math:`i` is

    .. math:: Sh_i = \\frac{1}{d!\\,V} \\sum_{\\pi} \\big[c(P_i(\\pi) \\cup \\{i\\}) - c(P_i(\\pi))\\big],

    :math:`P_i(\\pi)` the inputs before :math:`i` in the order :math:`\\pi` and
    :math:`V = \\operatorname{Var}(Y)` (Song, Nelson and Staum 2016, "Shapley effects for
    global sensitivity analysis: theory and computation", SIAM/ASA JUQ 4, eq. 11 and
    Algorithm 1). Each :math:`c(J)` is estimated once and reused by every order that needs
    it. Draws of :math:`X_J` given :math:`X_{-J}` are made on the normal scores
    :math:`Z = \\Phi^{-1}(F(X))`, jointly normal with the copula's correlation :math:`R`:
    :math:`Z_J \\mid Z_{-J} \\sim N(R_{J,-J} R_{-J,-J}^{-1} Z_{-J},\\;
    R_{JJ} - R_{J,-J} R_{-J,-J}^{-1} R_{-J,J})`.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Normal(0, 2, name="b")), fm.Benefit("s", fm.Normal(0, 1, name="s"))])
    >>> shapley(case, "run_rate", seed=1).table["shapley"].round(1).tolist()  # 4/5 and 1/5
    [0.8, 0.2]
    """
    metric = default_metric(model) if metric is None else metric
    chosen = checked_inputs(model, model_inputs(model, inputs), "shapley")
    for name, value in (("n_variance", n_variance), ("n_outer", n_outer), ("n_inner", n_inner),
                        ("permutations", permutations)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
            raise FinmodelError(f"shapley: {name} ({value!r}) must be a whole number >= 2")
    d = len(chosen)
    corr = copula_correlation(chosen)
    rng = np.random.Generator(np.random.PCG64(seed_sequence(seed)))
    exact = d <= EXACT_UP_TO
    orders = (
        [tuple(p) for p in itertools.permutations(range(d))]
        if exact
        else [tuple(rng.permutation(d)) for _ in range(int(permutations))]
    )
    subsets = sorted({frozenset(order[: k + 1]) for order in orders for k in range(d - 1)}, key=sorted)
    trials = int(n_variance) + len(subsets) * int(n_outer) * int(n_inner)
    if trials * d > LIMIT:
        raise FinmodelError(
            f"shapley: {d} inputs need {trials:,} trials of {d} values; choose the inputs that matter with "
            "inputs= (a tornado finds them), fewer permutations or a smaller n_outer"
        )
    root = np.linalg.cholesky(corr + 1e-12 * np.eye(d))
    blocks = [rng.standard_normal((int(n_variance), d)) @ root.T]
    for subset in subsets:
        blocks.append(_conditional(rng, corr, tuple(sorted(subset)), int(n_outer), int(n_inner)))
    z = np.vstack(blocks)
    y = metric_values(run_trials(model, _values(chosen, z)), metric, year)
    variance = float(np.var(y[:n_variance], ddof=1))
    if variance == 0:
        raise FinmodelError(f"shapley: {metric!r} is the same in every trial; there is no variance to share")
    cost: dict[frozenset[int], float] = {frozenset(): 0.0, frozenset(range(d)): variance}
    start = int(n_variance)
    size = int(n_outer) * int(n_inner)
    for subset in subsets:
        groups = y[start : start + size].reshape(int(n_outer), int(n_inner))
        cost[subset] = float(np.mean(np.var(groups, axis=1, ddof=1)))
        start += size
    gains = np.zeros((len(orders), d))
    for row, order in enumerate(orders):
        before: frozenset[int] = frozenset()
        for i in order:
            after = before | {i}
            gains[row, i] = cost[after] - cost[before]
            before = after
    effects = gains.mean(axis=0) / variance
    errors = np.full(d, np.nan) if exact else gains.std(axis=0, ddof=1) / math.sqrt(len(orders)) / variance
    table = pd.DataFrame(
        {"shapley": effects, "standard_error": errors}, index=pd.Index([i.label for i in chosen], name="input")
    )
    table = table.sort_values("shapley", ascending=False, kind="stable")
    return ShapleyEffects(metric, year, int(y.size), variance, len(orders), exact, table)
