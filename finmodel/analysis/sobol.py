"""Variance-based (Sobol) sensitivity indices, first and total order, with confidence intervals.

Two uniform verbs, as in SALib, and one call for a model:

* :func:`sobol_sample` ``(d, n, seed)``: the Saltelli design, uniforms on (0, 1);
* :func:`sobol_analyze` ``(y, d, ...)``: the indices from the metric at those points;
* :func:`sobol` ``(model, metric, ...)``: both, the design run through
  :func:`~finmodel.engine.run.run_trials` with each input's inverse CDF.

Sobol indices assume independent inputs. For inputs tied by
:func:`~finmodel.correlate`, :func:`sobol` refuses and points to
:func:`~finmodel.analysis.shapley.shapley`, whose effects stay meaningful.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.analysis.targets import checked_inputs, default_metric, metric_values, model_inputs
from finmodel.analysis.tornado import DESIGN_VALUES
from finmodel.core.errors import FinmodelError
from finmodel.core.seeds import SeedLike, seed_sequence
from finmodel.engine.run import run_trials
from finmodel.model.base import Model

__all__ = ["SobolIndices", "sobol", "sobol_analyze", "sobol_sample"]

#: Most input values a design may hold (1 GiB of float64).
LIMIT = 8 * DESIGN_VALUES


@dataclass(frozen=True)
class SobolIndices:
    """First- and total-order Sobol indices of a metric, with bootstrap confidence intervals.

    Attributes
    ----------
    metric : str
    year : str or None
    trials : int
        Model evaluations: ``n * (d + 2)`` for ``d`` inputs.
    variance : float
        The metric's variance over the design.
    confidence : float
        The level of the intervals (0.95).
    table : pandas.DataFrame
        One row per input (indexed by its label), largest total effect first: ``S1`` (the
        share of variance the input explains alone), ``S1_low``, ``S1_high``, ``ST`` (the
        share it explains with all its interactions), ``ST_low``, ``ST_high``.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Uniform(0, 3, name="b")), fm.Benefit("s", fm.Uniform(0, 1, name="s"))])
    >>> sobol(case, "run_rate", n=1024, seed=1).table["S1"].round(1).tolist()  # 9/10 and 1/10
    [0.9, 0.1]
    """

    metric: str
    year: str | None
    trials: int
    variance: float
    confidence: float
    table: pd.DataFrame

    def __repr__(self) -> str:
        where = f" in {self.year}" if self.year else ""
        return f"Sobol indices of {self.metric}{where} ({self.trials:,} trials):\n{self.table.to_string()}"


def _base_two(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise FinmodelError(f"sobol: n ({n!r}) must be a whole number of base samples >= 2")
    return int(np.ceil(np.log2(int(n))))


def sobol_sample(d: int, n: int, seed: SeedLike = None) -> np.ndarray:
    """The Saltelli design for ``d`` inputs: uniforms on (0, 1), shape ``(n * (d + 2), d)``.

    Rows are the matrices ``A``, ``B``, then ``AB_1 ... AB_d`` (``A`` with column ``i``
    taken from ``B``), ``n`` rows each; ``A`` and ``B`` are the two halves of a scrambled
    Sobol sequence in ``2d`` dimensions. ``n`` is rounded up to a power of two, which keeps
    the sequence's balance.

    Examples
    --------
    >>> design = sobol_sample(3, 8, seed=1)
    >>> design.shape, bool(((design > 0) & (design < 1)).all())
    ((40, 3), True)
    >>> bool((design[16:24, 1:] == design[:8, 1:]).all() and (design[16:24, 0] == design[8:16, 0]).all())
    True
    """
    from scipy.stats import qmc
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise FinmodelError(f"sobol_sample: d ({d!r}) must be a whole number of inputs >= 1")
    m = _base_two(n)
    rng = np.random.Generator(np.random.PCG64(seed_sequence(seed)))
    points = qmc.Sobol(2 * int(d), scramble=True, seed=rng).random_base2(m)
    points = np.clip(points, 2.0**-54, 1.0 - 2.0**-53)  # every inverse CDF stays finite
    a, b = points[:, :d], points[:, d:]
    blocks = [a, b]
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    return np.vstack(blocks)


def _indices(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and total order along the last axis: Saltelli (2010) and Jansen (1999) estimators."""
    variance = np.var(np.concatenate([fa, fb], axis=-1), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(fb[..., None, :] * (fab - fa[..., None, :]), axis=-1) / variance[..., None]
        total = 0.5 * np.mean((fa[..., None, :] - fab) ** 2, axis=-1) / variance[..., None]
    return first, total


def sobol_analyze(
    y: Any,
    d: int,
    *,
    confidence: float = 0.95,
    resamples: int = 300,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """First- and total-order indices from the metric at the points of :func:`sobol_sample`.

    Parameters
    ----------
    y : array_like, shape (n * (d + 2),)
        The metric at each row of the design, in its order.
    d : int
        Number of inputs.
    confidence : float
        Level of the bootstrap percentile intervals.
    resamples : int
        Bootstrap resamples of the ``n`` rows.
    seed : int, Generator or None
        For the bootstrap (fixed by default, so the intervals are reproducible).

    Returns
    -------
    pandas.DataFrame
        One row per input (0 to d - 1): ``S1``, ``S1_low``, ``S1_high``, ``ST``,
        ``ST_low``, ``ST_high``.

    Notes
    -----
    With :math:`f_A, f_B, f_{AB_i}` the metric at the rows of each matrix and
    :math:`V` the variance of :math:`f_A` and :math:`f_B` together (Saltelli et al. 2010,
    "Variance based sensitivity analysis of model output", Table 2):

    .. math:: S_i = \\frac{\\tfrac1n \\sum f_B (f_{AB_i} - f_A)}{V}, \\qquad
              S_{Ti} = \\frac{\\tfrac1{2n} \\sum (f_A - f_{AB_i})^2}{V}.

    Examples
    --------
    The Ishigami function (a = 7, b = 0.1; exact S1 = 0.3139, 0.4424, 0):

    >>> import numpy as np
    >>> u = sobol_sample(3, 2**14, seed=1)
    >>> x = np.pi * (2 * u - 1)
    >>> y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    >>> sobol_analyze(y, 3)["S1"].round(2).tolist()
    [0.31, 0.44, 0.0]
    """
    values = np.asarray(y, dtype=float)
    if values.ndim != 1 or values.size % (d + 2) or values.size < 2 * (d + 2):
        raise FinmodelError(f"sobol_analyze: y has {values.size} values; expected n * (d + 2) = n * {d + 2}")
    if not np.isfinite(values).all():
        raise FinmodelError("sobol_analyze: y holds values that are not finite")
    if not 0 < confidence < 1:
        raise FinmodelError(f"sobol_analyze: confidence ({confidence!r}) must lie between 0 and 1")
    n = values.size // (d + 2)
    fa, fb, fab = values[:n], values[n : 2 * n], values[2 * n :].reshape(d, n)
    if np.var(np.concatenate([fa, fb])) == 0:
        raise FinmodelError("sobol_analyze: the metric is the same at every point; there is no variance to share")
    first, total = _indices(fa, fb, fab)
    rng = np.random.Generator(np.random.PCG64(seed_sequence(seed)))
    picks = rng.integers(0, n, size=(int(resamples), n))
    boot_first, boot_total = _indices(fa[picks], fb[picks], fab[:, picks].transpose(1, 0, 2))
    tails = [(1 - confidence) / 2, (1 + confidence) / 2]
    s1_low, s1_high = np.quantile(boot_first, tails, axis=0)
    st_low, st_high = np.quantile(boot_total, tails, axis=0)
    return pd.DataFrame(
        {"S1": first, "S1_low": s1_low, "S1_high": s1_high, "ST": total, "ST_low": st_low, "ST_high": st_high}
    )


def sobol(
    model: Model,
    metric: str | None = None,
    *,
    year: str | None = None,
    n: int = 4096,
    seed: SeedLike = None,
    inputs: Iterable[Any] | None = None,
    confidence: float = 0.95,
    resamples: int = 300,
) -> SobolIndices:
    """Sobol indices of a model's metric: the Saltelli design run through the model.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    metric : str, optional
        Default ``npv`` for a case, ``total_net_pressure`` for a plan.
    year : str, optional
        The year, for a per-year metric.
    n : int
        Base samples (rounded up to a power of two); the model runs ``n * (d + 2)`` trials.
    seed : int, Generator or None
    inputs : iterable of inputs or names, optional
        The inputs to vary (default every one that can vary); the rest stay central.
    confidence, resamples
        As for :func:`sobol_analyze`.

    Returns
    -------
    SobolIndices

    Raises
    ------
    FinmodelError
        If an input is correlated with another (:func:`~finmodel.correlate`): Sobol
        indices assume independent inputs; use :func:`~finmodel.analysis.shapley.shapley`.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Normal(10, 2, name="b") * fm.Normal(1, 0.1, name="r"))])
    >>> found = sobol(case, "run_rate", n=2048, seed=1).table
    >>> found.index.tolist(), found["ST"].round(1).tolist()
    (['b', 'r'], [0.8, 0.2])
    """
    metric = default_metric(model) if metric is None else metric
    chosen = checked_inputs(model, model_inputs(model, inputs), "sobol")
    tied = [item.label for item in chosen if getattr(item.leaf, "group", None) is not None]
    if tied:
        raise FinmodelError(
            f"sobol: {', '.join(map(repr, tied))} are correlated with other inputs, and Sobol indices assume "
            "independent inputs; use finmodel.analysis.shapley (Shapley effects) instead"
        )
    d = len(chosen)
    rows = 2 ** _base_two(n) * (d + 2)
    if rows * d > LIMIT:
        raise FinmodelError(
            f"sobol: {d} inputs and n = {n} need {rows:,} trials of {d} values; choose the inputs that matter "
            "with inputs= (a tornado finds them) or a smaller n"
        )
    design = sobol_sample(d, n, seed)
    result = run_trials(model, {item.leaf: item.leaf.ppf(design[:, i]) for i, item in enumerate(chosen)})
    y = metric_values(result, metric, year)
    table = sobol_analyze(y, d, confidence=confidence, resamples=resamples)
    table.index = pd.Index([item.label for item in chosen], name="input")
    table = table.sort_values("ST", ascending=False, kind="stable")
    return SobolIndices(metric, year, int(y.size), float(np.var(y[: 2 * (y.size // (d + 2))])), confidence, table)
