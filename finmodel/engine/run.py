"""``evaluate`` and ``simulate``: the one evaluation path.

Every model quantity is a float64 array of shape (trials, years). A deterministic
scenario is one trial with every input at its chosen value; a simulation is many
trials drawn chunk by chunk. Both call the same ``model.outputs``: min/max and Monte
Carlo cannot disagree about what the model is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import Evaluation, Simulation
from finmodel.engine.sampling import Draws, Method, SeedLike, seed_sequence
from finmodel.engine.scenario import Scenario, as_scenario
from finmodel.model.base import Model
from finmodel.model.outputs import Outputs

__all__ = ["CHUNK_VALUES", "DASK_CHUNK", "DEFAULT_CHUNK", "chunk_size_for", "evaluate", "simulate", "simulate_many"]

#: Most trials per chunk by default: memory is bounded by the chunk, and results do not
#: depend on it.
DEFAULT_CHUNK = 32_768
#: Most trials per chunk by default with ``backend="dask"``: every task costs milliseconds
#: of scheduling and transfer, so tasks are made bigger than local chunks.
DASK_CHUNK = 262_144
#: Input values per chunk by default (128 MB of float64): a model with many uncertain
#: inputs gets fewer trials per chunk, so a chunk's memory stays bounded however many
#: inputs there are.
CHUNK_VALUES = 2**24
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
    """Every output a table of ``model`` can show, in any view and any grouping."""
    keys: dict[str, None] = {}
    for view in model.views():
        for by in model.GROUPINGS:
            for row in model.rows(view, by=by):  # type: ignore[call-arg]
                key = row.key.lstrip("-")
                members = model.group_members(key) if key.startswith("group:") else [key]
                keys.update(dict.fromkeys(members))
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

    def row(key: str) -> np.ndarray:  # a table row, refused if not finite like a metric
        value = outputs[key]
        _refuse_non_finite(model, outputs, key, value, 0)
        return value[0]

    return Evaluation(model, chosen.name, 1, _Checked(model, outputs, names), row)


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


@dataclass(frozen=True)
class _Job:
    """Everything a chunk of trials needs; small and picklable, so chunks can run anywhere."""

    model: Model
    name: str
    leaves: tuple[Any, ...]
    fixed: dict[Any, float]
    n: int
    wanted: tuple[str, ...]
    row_keys: tuple[str, ...]
    chunk: int

    def run(self, draws: Draws, start: int, stop: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Per-trial values of the wanted metrics and the row sums, for trials ``start..stop-1``."""
        size = stop - start
        outputs = self.model.outputs(draws.values(start, stop, self.fixed), size)
        kept = {}
        for metric in self.wanted:
            chunk = outputs[metric]
            _refuse_non_finite(self.model, outputs, metric, chunk, start)
            kept[metric] = chunk
        sums = {key: outputs[key].sum(axis=0) for key in self.row_keys}
        return kept, sums


def _run_part(job: _Job, part: dict[str, Any], start: int, stop: int) -> Any:
    """A chunk as a task for another process (the Dask backend)."""
    return job.run(Draws(job.leaves, **part), start, stop)


def _prepare(
    model: Model,
    n: int,
    seed: SeedLike,
    method: Method,
    chunk_size: int | None,
    metrics: Sequence[str] | None,
    scenario: Scenario | None,
    dtype: str,
    backend: str = "local",
) -> tuple[_Job, Draws]:
    model = _check_model(model)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise FinmodelError(f"simulate: n ({n!r}) must be a whole number of trials >= 1")
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1
    ):
        raise FinmodelError(f"simulate: chunk_size ({chunk_size!r}) must be a whole number >= 1 or None")
    if dtype not in ("float64", "float32"):
        raise FinmodelError(f"simulate: dtype ({dtype!r}) must be 'float64' or 'float32'")
    fixed: dict[Any, float] = {}
    name = "simulation"
    if scenario is not None:
        if not isinstance(scenario, Scenario):
            raise FinmodelError(f"simulate: scenario ({scenario!r}) must be a Scenario")
        if scenario.base != "central":
            raise FinmodelError(
                f"simulate: Scenario {scenario.name!r} has base={scenario.base!r}, but a simulation draws "
                "every input the scenario does not override; leave base at 'central'"
            )
        model, fixed = scenario.apply(model)
        name = scenario.name
    available = model.outputs({}, 0)
    if isinstance(metrics, str):
        metrics = [metrics]
    if metrics is None:
        wanted = [m for m in model.METRICS if m in available]
        row_keys = _row_keys(model)
    else:
        wanted = list(dict.fromkeys(metrics))
        row_keys = []
        for metric in wanted:
            if metric not in available or metric not in model.METRICS:
                known = ", ".join(k for k in model.METRICS if k in available)
                raise FinmodelError(
                    f"simulate: {model.describe()} has no metric {metric!r} (metrics: {known})"
                )
    uncertain = [leaf for leaf in model.leaves() if leaf not in fixed]
    draws = Draws.plan(uncertain, int(n), seed, method)
    chunk = chunk_size_for(len(uncertain), backend) if chunk_size is None else int(chunk_size)
    return _Job(model, name, tuple(uncertain), fixed, int(n), tuple(wanted), tuple(row_keys), chunk), draws


def chunk_size_for(inputs: int, backend: str = "local") -> int:
    """The default trials per chunk for a model with ``inputs`` uncertain inputs.

    A chunk holds every input's values for its trials, so the chunk shrinks as inputs are
    added: about :data:`CHUNK_VALUES` values, at most :data:`DEFAULT_CHUNK` trials
    (:data:`DASK_CHUNK` for ``backend="dask"``, where a chunk is a task) and at least
    1,024. The chunk size never changes results.

    Examples
    --------
    >>> chunk_size_for(13), chunk_size_for(620), chunk_size_for(100_000)
    (32768, 27060, 1024)
    >>> chunk_size_for(13, backend="dask"), chunk_size_for(620, backend="dask")
    (262144, 27060)
    """
    most = DASK_CHUNK if backend == "dask" else DEFAULT_CHUNK
    return max(1_024, min(most, CHUNK_VALUES // max(1, inputs)))


def _chunks(n: int, chunk_size: int) -> list[tuple[int, int]]:
    return [(start, min(start + chunk_size, n)) for start in range(0, n, chunk_size)]


class _Collector:
    """Writes chunk results into preallocated arrays; adds row sums in chunk order."""

    def __init__(self, job: _Job, n_chunks: int, dtype: str) -> None:
        self.job, self.dtype = job, dtype
        self.kept: dict[str, np.ndarray] = {}
        self.sums: list[dict[str, np.ndarray] | None] = [None] * n_chunks

    def add(self, index: int, start: int, stop: int, result: Any) -> None:
        kept, sums = result
        for metric, chunk in kept.items():
            if metric not in self.kept:
                self.kept[metric] = np.empty((self.job.n, *chunk.shape[1:]), dtype=self.dtype)
            self.kept[metric][start:stop] = chunk
        self.sums[index] = sums

    def results(self) -> Simulation:
        job = self.job
        years = job.model.timeline.length
        totals = {key: np.zeros(years) for key in job.row_keys}
        for sums in self.sums:  # in chunk order: the same float additions on every backend
            for key, value in (sums or {}).items():
                totals[key] += value
        means = {key: total / job.n for key, total in totals.items()}

        def row(key: str) -> np.ndarray:
            if key not in means:
                raise FinmodelError(
                    "simulate: tables need the default metrics=None (the means of every row are kept then)"
                )
            return means[key]

        return Simulation(job.model, job.name, job.n, self.kept, row)


def _dask_client(client: Any) -> Any:
    try:
        import distributed
    except ImportError:  # pragma: no cover - depends on the optional group
        raise FinmodelError(
            "simulate: backend='dask' needs the optional dependency: pip install 'finmodel[dask]'"
        ) from None
    if client is None:
        try:
            return distributed.get_client()
        except ValueError:
            raise FinmodelError(
                "simulate: backend='dask' needs a client: pass client=distributed.Client(...) or an address"
            ) from None
    if isinstance(client, str):
        return distributed.Client(client)
    return client


def _run_jobs(jobs: Sequence[tuple[_Job, Draws]], dtype: str, backend: str, client: Any) -> list[Simulation]:
    if backend not in ("local", "dask"):
        raise FinmodelError(f"simulate: backend ({backend!r}) must be 'local' or 'dask'")
    collectors = []
    plans = []
    for job, _draws in jobs:
        chunks = _chunks(job.n, job.chunk)
        collectors.append(_Collector(job, len(chunks), dtype))
        plans.append(chunks)
    if backend == "local":
        for (job, draws), chunks, collector in zip(jobs, plans, collectors, strict=True):
            for index, (start, stop) in enumerate(chunks):
                collector.add(index, start, stop, job.run(draws, start, stop))
            draws.release()
        return [c.results() for c in collectors]
    dask = _dask_client(client)
    from distributed import as_completed

    futures = {}
    for j, ((job, draws), chunks) in enumerate(zip(jobs, plans, strict=True)):
        shared = dask.scatter(job, broadcast=True)
        for index, (start, stop) in enumerate(chunks):
            future = dask.submit(_run_part, shared, draws.part(start, stop), start, stop, pure=False)
            futures[future] = (j, index, start, stop)
    for future in as_completed(list(futures)):
        j, index, start, stop = futures[future]
        collectors[j].add(index, start, stop, future.result())
        future.release()
    return [c.results() for c in collectors]


def simulate(
    model: Model,
    n: int,
    seed: SeedLike = None,
    *,
    method: Method = "random",
    chunk_size: int | None = None,
    metrics: Sequence[str] | None = None,
    scenario: Scenario | None = None,
    dtype: str = "float64",
    backend: str = "local",
    client: Any = None,
) -> Simulation:
    """Monte Carlo simulation of a model: ``n`` trials, drawn in chunks.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    n : int
        Number of trials.
    seed : int, numpy Generator, SeedSequence or None
        Same seed, same results, whatever ``chunk_size`` or ``backend``.
    method : {"random", "lhs"}
        Plain Monte Carlo or Latin hypercube sampling. LHS holds one permutation of
        ``n`` per input (4 bytes a trial each).
    chunk_size : int, optional
        Trials per chunk; bounds memory, never changes results. Default: about 16 million
        input values per chunk, at most 32,768 trials (262,144 with ``backend="dask"``, where a
        chunk is a task; see :func:`chunk_size_for`).
    metrics : sequence of str, optional
        Keep per-trial samples only for these (see ``model.METRICS``); the table of
        means is then not available. Default: every metric, and the table.
    scenario : Scenario, optional
        Fix some inputs or lines (its overrides); the rest are drawn.
    dtype : {"float64", "float32"}
        Storage for the kept samples; float32 halves memory (computation stays float64).
    backend : {"local", "dask"}
        Run chunks in this process, or as tasks on a dask.distributed cluster (optional
        dependency group ``dask``). Results are bit-identical.
    client : distributed.Client or str, optional
        For ``backend="dask"``: a client, or a scheduler address; default: the current client.

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
    job = _prepare(model, n, seed, method, chunk_size, metrics, scenario, dtype, backend)
    return _run_jobs([job], dtype, backend, client)[0]


def simulate_many(
    models: Sequence[Model],
    n: int,
    seed: SeedLike = None,
    *,
    method: Method = "random",
    chunk_size: int | None = None,
    metrics: Sequence[str] | None = None,
    dtype: str = "float64",
    backend: str = "local",
    client: Any = None,
) -> list[Simulation]:
    """Simulate many models in one call (e.g. every council's MTFP), one result per model.

    Parameters
    ----------
    models : sequence of MTFP or CostBenefitCase
    n : int
        Trials per model.
    seed : int, numpy Generator, SeedSequence or None
        Model ``i`` uses child ``i`` of this seed (``SeedSequence.spawn``).
    method, chunk_size, metrics, dtype, backend, client
        As for :func:`simulate`.

    Returns
    -------
    list of Simulation
        In the order of ``models``.

    Notes
    -----
    Each model gets its own child of ``seed`` (``SeedSequence.spawn``), so a model's
    results do not depend on the other models in the batch, only on its position: model
    ``i`` always uses child ``i``. With ``backend="dask"`` every chunk of every model
    is one task, so a cluster works on all the models at once.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2024/25", 3)
    >>> plans = [fm.MTFP(f"council {i}", years, [fm.Pressure("Demand", fm.Range(1, 2 + i))])
    ...          for i in range(3)]
    >>> sims = fm.simulate_many(plans, n=1_000, seed=1, metrics=["cumulative_gap"])
    >>> [round(float(s.samples("cumulative_gap")[:, -1].max()), 1) <= 3 * (2 + i)
    ...  for i, s in enumerate(sims)]
    [True, True, True]
    """
    children = seed_sequence(seed).spawn(len(models))
    jobs = [
        _prepare(model, n, child, method, chunk_size, metrics, None, dtype, backend)
        for model, child in zip(models, children, strict=True)
    ]
    return _run_jobs(jobs, dtype, backend, client)
