"""``evaluate`` and ``simulate``: the one evaluation path.

Every model quantity is a float64 array of shape (trials, years). A deterministic
scenario is one trial with every input at its chosen value; a simulation is many
trials drawn chunk by chunk. Both call the same ``model.outputs``: min/max and Monte
Carlo cannot disagree about what the model is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import Evaluation, Simulation
from finmodel.engine.sampling import Draws, Method, SeedLike
from finmodel.engine.scenario import Scenario, as_scenario
from finmodel.model.base import Model
from finmodel.model.outputs import Outputs

__all__ = ["DEFAULT_CHUNK", "evaluate", "simulate"]

#: Trials per chunk: memory is bounded by the chunk, and results do not depend on it.
DEFAULT_CHUNK = 65_536
#: Metrics that may legitimately be infinite (no payback; a return with no cost).
_MAY_BE_INFINITE = frozenset({"payback_year", "roi"})


def _check_model(model: Any) -> Model:
    if not isinstance(model, Model):
        raise FinmodelError(f"expected a model (MTFP or CostBenefitCase), got {model!r}")
    return model


def _refuse_non_finite(model: Model, outputs: Outputs, metric: str, values: np.ndarray, start: int) -> None:
    if metric in _MAY_BE_INFINITE or np.isfinite(values).all():
        return
    trial = start + int(np.argwhere(~np.isfinite(values))[0][0])
    culprits = [
        li.name
        for li in model.lines
        if f"line:{li.name}" in outputs and not np.isfinite(outputs[f"line:{li.name}"]).all()
    ]
    where = f" (lines: {', '.join(map(repr, culprits))})" if culprits else ""
    raise FinmodelError(
        f"{model.describe()}: {metric!r} is not finite in trial {trial}{where}; "
        "an input expression divides by zero or overflows"
    )


def _row_keys(model: Model) -> list[str]:
    keys: dict[str, None] = {}
    for view in model.views():
        for row in model.rows(view):
            keys[row.key.lstrip("-")] = None
    return list(keys)


def evaluate(model: Model, scenario: str | Scenario = "central") -> Evaluation:
    """Evaluate a model under one deterministic scenario (one trial).

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    scenario : {"central", "low", "high", "worst", "best"} or Scenario
        Every input at that case, or a :class:`Scenario` with overrides.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> phasing = fm.Profile.increments([2, 13, 13, 5])
    >>> case = fm.CostBenefitCase("OCC", years,
    ...     benefits=[fm.Benefit("Operating model", fm.Range(21, 33), phasing)],
    ...     costs=[fm.Cost("Implementation", [3, 8, 5, 1])])
    >>> fm.evaluate(case, "high").run_rate
    33.0
    >>> fm.evaluate(case, "low").payback_year
    '2020/21'
    """
    model = _check_model(model)
    chosen = as_scenario(scenario)
    model, values = chosen.values(model)
    arrays = {leaf: np.array([value]) for leaf, value in values.items()}
    outputs = model.outputs(arrays, 1)

    names = [name for name in model.METRICS if name in outputs]
    return Evaluation(model, chosen.name, 1, _Checked(model, outputs, names), lambda key: outputs[key][0])


class _Checked(Mapping[str, np.ndarray]):
    """A model's metrics for one scenario, each computed (and checked finite) when first asked."""

    def __init__(self, model: Model, outputs: Outputs, names: Sequence[str]) -> None:
        self._model, self._outputs, self._names = model, outputs, tuple(names)

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._names:
            raise KeyError(key)
        value = self._outputs[key]
        _refuse_non_finite(self._model, self._outputs, key, value, 0)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def simulate(
    model: Model,
    n: int,
    seed: SeedLike = None,
    *,
    method: Method = "random",
    chunk_size: int = DEFAULT_CHUNK,
    metrics: Sequence[str] | None = None,
    scenario: Scenario | None = None,
    dtype: str = "float64",
) -> Simulation:
    """Monte Carlo simulation of a model: ``n`` trials, drawn in chunks.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    n : int
        Number of trials.
    seed : int, numpy Generator, SeedSequence or None
        Same seed, same results, whatever ``chunk_size``.
    method : {"random", "lhs"}
        Plain Monte Carlo or Latin hypercube sampling. LHS holds one permutation of
        ``n`` per input (4 bytes a trial each).
    chunk_size : int
        Trials per chunk; bounds memory, never changes results.
    metrics : sequence of str, optional
        Keep per-trial samples only for these (see ``model.METRICS``); the table of
        means is then not available. Default: every metric, and the table.
    scenario : Scenario, optional
        Fix some inputs or lines (its overrides); the rest are drawn.
    dtype : {"float64", "float32"}
        Storage for the kept samples; float32 halves memory (computation stays float64).

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> case = fm.CostBenefitCase("OCC", years,
    ...     benefits=[fm.Benefit("Quick wins", fm.Range(8, 17), fm.Profile.increments([2, 13, 13, 5]))],
    ...     costs=[fm.Cost("Implementation", [3, 8, 5, 1])])
    >>> a = fm.simulate(case, n=5_000, seed=2018, chunk_size=1_000).samples("npv")
    >>> b = fm.simulate(case, n=5_000, seed=2018, chunk_size=5_000).samples("npv")
    >>> bool((a == b).all())
    True
    """
    model = _check_model(model)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise FinmodelError(f"simulate: n ({n!r}) must be a whole number of trials >= 1")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise FinmodelError(f"simulate: chunk_size ({chunk_size!r}) must be a whole number >= 1")
    if dtype not in ("float64", "float32"):
        raise FinmodelError(f"simulate: dtype ({dtype!r}) must be 'float64' or 'float32'")
    fixed: dict[Any, float] = {}
    name = "simulation"
    if scenario is not None:
        if not isinstance(scenario, Scenario):
            raise FinmodelError(f"simulate: scenario ({scenario!r}) must be a Scenario")
        model, fixed = scenario.apply(model)
        name = scenario.name
    if metrics is None:
        available = model.outputs({}, 0)
        wanted = [name for name in model.METRICS if name in available]
        row_keys: list[str] = _row_keys(model)
    else:
        wanted = list(metrics)
        row_keys = []
    years = model.timeline.length
    uncertain = [leaf for leaf in model.leaves() if leaf not in fixed]
    draws = Draws(uncertain, int(n), seed, method)
    kept: dict[str, np.ndarray] = {}
    sums = {key: np.zeros(years) for key in row_keys}
    for start in range(0, int(n), int(chunk_size)):
        stop = min(start + int(chunk_size), int(n))
        size = stop - start
        values: dict[Any, Any] = {leaf: leaf.ppf(u) for leaf, u in draws.uniforms(start, stop).items()}
        values.update({leaf: np.full(size, v) for leaf, v in fixed.items()})
        outputs = model.outputs(values, size)
        for metric in wanted:
            if metric not in outputs:
                known = ", ".join(k for k in model.METRICS if k in outputs)
                raise FinmodelError(
                    f"simulate: {model.describe()} has no metric {metric!r} (metrics: {known})"
                )
            chunk = outputs[metric]
            _refuse_non_finite(model, outputs, metric, chunk, start)
            if metric not in kept:
                kept[metric] = np.empty((int(n), *chunk.shape[1:]), dtype=dtype)
            kept[metric][start:stop] = chunk
        for key in row_keys:
            sums[key] += outputs[key].sum(axis=0)
    means = {key: total / n for key, total in sums.items()}

    def row(key: str) -> np.ndarray:
        if key not in means:
            raise FinmodelError(
                "simulate: tables need the default metrics=None (the means of every row are kept then)"
            )
        return means[key]

    return Simulation(model, name, int(n), kept, row)
