"""``evaluate`` and ``simulate``: the one evaluation path.

Every model quantity is a float64 array of shape (years, trials). A deterministic
scenario is one trial with every input at its chosen value; a simulation is many
trials drawn chunk by chunk. Both go through the same kernel
(:mod:`finmodel.model.flows`) and the same passes (:mod:`finmodel.engine.passes`):
min/max and Monte Carlo cannot disagree about what the model is.

``simulate`` computes the model's headline metric at once (a case's net, an MTFP's
budget gap) and everything else on first use: each input's stream is reproducible from
the seed, so a later pass sees exactly the same draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from finmodel.core.errors import FinmodelError
from finmodel.core.limits import check_trials
from finmodel.core.version import VERSION
from finmodel.engine.hooks import progress_reporter
from finmodel.engine.passes import ChunkResult, Job, Store
from finmodel.engine.results import CaseEvaluation, CaseSimulation, Evaluation, Provenance, Simulation
from finmodel.engine.sampling import Draws, Method, SeedLike, seed_sequence
from finmodel.engine.scenario import BASE_CASES, Scenario, as_scenario
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase

__all__ = [
    "CHUNK_VALUES",
    "CHUNK_YEAR_VALUES",
    "DASK_CHUNK",
    "DEFAULT_CHUNK",
    "chunk_size_for",
    "evaluate",
    "run_trials",
    "simulate",
    "simulate_many",
]

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
#: Values of one (years, trials) array per chunk by default (2 MiB of float64), locally:
#: a 5-year case's default call took 5 to 8 % less time with 32,768-trial chunks than
#: with 26,214 (1 MiB), and plans of 10 and 40 years took the same either way.
CHUNK_YEAR_VALUES = 2**18

Progress = Callable[[int, int], None]
#: ``progress=``: True (a progress bar), False (none), None (a bar where output is
#: interactive and the pass is long), or a callable ``progress(trials_done, trials)``.
ProgressLike = bool | Progress | None


def _check_model(model: Any) -> Model:
    if not isinstance(model, Model):
        raise FinmodelError(f"expected a model (MTFP or CostBenefitCase), got {model!r}")
    return model


def _result_types(model: Model) -> tuple[type[Evaluation], type[Simulation]]:
    """The result classes of a kind of model: a case's offer payback, NPV and run rates."""
    if isinstance(model, CostBenefitCase):
        return CaseEvaluation, CaseSimulation
    return Evaluation, Simulation


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
        For a cost/benefit case, a :class:`~finmodel.engine.results.CaseEvaluation`
        (with ``run_rate``, ``payback_year``, ``npv``, ``roi``).

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
    store = Store(model, 1, (), values, None, 1)
    return _result_types(model)[0](model, chosen.name, 1, store, _provenance(model, chosen.name, 1, None, "scenario"))


def run_trials(
    model: Model, inputs: Mapping[Any, Any], scenario: str | Scenario = "central", *, progress: ProgressLike = None
) -> Simulation:
    """The model at given input values: one trial per position of the arrays given.

    For designs a user or an analysis builds (a Sobol or Shapley sample, a grid of
    policy levers, a fitted record): the same kernel and results as :func:`simulate`,
    with the inputs given instead of drawn.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    inputs : mapping
        Keys are the model's inputs (objects, or their ``name=``); values are arrays of
        one value per trial, all the same length, or single numbers.
    scenario : str or Scenario
        Where every input not given sits (default: each at its central case).
    progress : bool, callable or None
        As for :func:`simulate`.

    Returns
    -------
    Simulation
        ``n`` is the length of the arrays.

    Examples
    --------
    >>> import finmodel as fm
    >>> qw = fm.Range(8, 17, name="quick wins")
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("Quick wins", qw)],
    ...                           [fm.Cost("IT", [10, 0])])
    >>> fm.run_trials(case, {"quick wins": [8, 12, 17]}).samples("npv").round(2).tolist()
    [5.73, 13.59, 23.42]
    """
    model = _check_model(model)
    chosen = as_scenario(scenario)
    model, values = chosen.values(model)
    by_name = {leaf.name: leaf for leaf in model.leaves() if leaf.name is not None}
    given: dict[Any, Any] = {}
    n = None
    for key, value in inputs.items():
        leaf = by_name.get(key) if isinstance(key, str) else key
        if leaf is None or leaf not in values:
            known = ", ".join(map(repr, by_name))
            raise FinmodelError(f"run_trials: {model.describe()} has no input {key!r} (named inputs: {known})")
        array = np.asarray(value, dtype=float)
        if array.ndim > 1 or not np.isfinite(array).all():
            raise FinmodelError(f"run_trials: the values of {leaf.describe()} must be finite numbers, one per trial")
        if array.ndim == 1:
            if n is not None and array.size != n:
                raise FinmodelError(
                    f"run_trials: {leaf.describe()} has {array.size} values but another input has {n}; "
                    "give every input the same number of trials"
                )
            n = array.size
            given[leaf] = array
        else:
            given[leaf] = float(array)
    if n is None or n < 1:
        raise FinmodelError("run_trials: give at least one input as an array of values, one per trial")
    reporter = progress_reporter(progress, model.name)
    chunk = chunk_size_for(len(given), years=model.timeline.length)
    store = Store(model, n, (), {**values, **given}, None, chunk, progress=reporter)
    return _result_types(model)[1](model, chosen.name, n, store, _provenance(model, chosen.name, n, None, "given"))


def _provenance(model: Model, scenario: str, n: int, seed: np.random.SeedSequence | None, method: str) -> Provenance:
    entropy = None if seed is None else seed.entropy
    return Provenance(
        VERSION,
        model.name,
        scenario,
        n,
        int(entropy) if isinstance(entropy, (int, np.integer)) else None,
        tuple(seed.spawn_key) if seed is not None else (),
        method,
    )


def chunk_size_for(inputs: int, backend: str = "local", years: int = 1) -> int:
    """The default trials per chunk for a model with ``inputs`` uncertain inputs.

    A chunk holds every input's values for its trials, so the chunk shrinks as inputs are
    added: about :data:`CHUNK_VALUES` values. Locally, a year-by-trial array of the chunk
    is also kept to :data:`CHUNK_YEAR_VALUES` values, so the arrays the kernel adds line
    by line stay in the processor's cache. At most :data:`DEFAULT_CHUNK` trials
    (:data:`DASK_CHUNK` for ``backend="dask"``, where a chunk is a task) and at least
    1,024. The chunk size never changes results.

    Examples
    --------
    >>> chunk_size_for(13, years=4), chunk_size_for(620, years=10), chunk_size_for(100_000)
    (32768, 26214, 1024)
    >>> chunk_size_for(13, backend="dask"), chunk_size_for(620, backend="dask", years=10)
    (262144, 27060)
    """
    most = DASK_CHUNK if backend == "dask" else min(DEFAULT_CHUNK, CHUNK_YEAR_VALUES // max(1, years))
    return max(1_024, min(most, CHUNK_VALUES // max(1, inputs)))


def _whole(value: Any, name: str, what: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < 1:
        raise FinmodelError(f"simulate: {name} ({value!r}) must be a whole number of {what} >= 1")
    return int(value)


def _fixed(model: Model, scenario: Any) -> tuple[Model, dict[Any, float], str]:
    """The model with a scenario's line overrides, the inputs it fixes, and its name."""
    if scenario is None:
        return model, {}, "simulation"
    if isinstance(scenario, str):
        hint = (
            f"use fm.evaluate(model, {scenario!r}) for that case, or pass "
            "fm.Scenario(name, {input: value}) to fix chosen inputs while the others are drawn"
            if scenario in BASE_CASES
            else "pass a Scenario"
        )
        raise FinmodelError(
            f"simulate: scenario={scenario!r} would put every input at one value, leaving nothing to draw; {hint}"
        )
    if not isinstance(scenario, Scenario):
        raise FinmodelError(f"simulate: scenario ({scenario!r}) must be a Scenario")
    if scenario.base != "central":
        raise FinmodelError(
            f"simulate: Scenario {scenario.name!r} has base={scenario.base!r}, but a simulation draws "
            "every input the scenario does not override; leave base at 'central'"
        )
    changed, fixed = scenario.apply(model)
    return changed, fixed, scenario.name


def _prepare(
    model: Model,
    n: int,
    seed: SeedLike,
    method: Method,
    chunk_size: int | None,
    scenario: Scenario | None,
    dtype: str,
    backend: str,
    client: Any,
    progress: ProgressLike,
) -> tuple[Model, str, Store, Provenance]:
    model = _check_model(model)
    n = check_trials(n, "simulate")  # before anything is drawn or allocated
    if chunk_size is not None:
        chunk_size = _whole(chunk_size, "chunk_size", "trials")
    if dtype not in ("float64", "float32"):
        raise FinmodelError(f"simulate: dtype ({dtype!r}) must be 'float64' or 'float32'")
    if backend not in ("local", "dask"):
        raise FinmodelError(f"simulate: backend ({backend!r}) must be 'local' or 'dask'")
    model, fixed, name = _fixed(model, scenario)
    uncertain = tuple(leaf for leaf in model.leaves() if leaf not in fixed)
    sequence = seed_sequence(seed)
    draws = Draws.plan(model.leaves(), n, sequence, method, fixed=fixed)
    chunk = chunk_size_for(len(uncertain), backend, model.timeline.length) if chunk_size is None else chunk_size
    runner = _dask_runner(_dask_client(client)) if backend == "dask" else None
    reporter = progress_reporter(progress, model.name)
    store = Store(model, n, uncertain, fixed, draws, chunk, dtype, runner, reporter)
    return model, name, store, _provenance(model, name, n, sequence, method)


def _eager(model: Model, store: Store, metrics: Sequence[str] | str | None) -> None:
    if isinstance(metrics, str):
        metrics = [metrics]
    wanted = list(model.headline if metrics is None else dict.fromkeys(metrics))
    for metric in wanted:
        if metric not in model.available:
            known = ", ".join(model.available)
            raise FinmodelError(f"simulate: {model.describe()} has no metric {metric!r} (metrics: {known})")
    store.get([m for m in wanted if m in model.available])


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
    progress: ProgressLike = None,
) -> Simulation:
    """Monte Carlo simulation of a model: ``n`` trials, drawn in chunks.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    n : int
        Number of trials, at most :data:`~finmodel.core.limits.MAX_TRIALS` (10 million;
        the environment variable ``FINMODEL_MAX_TRIALS`` sets another limit). A larger
        ``n`` is refused before anything is allocated.
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
        Metrics to compute at once (default: the model's headline, a case's ``net`` or an
        MTFP's ``cumulative_gap``). Every other metric, table and input draw is computed
        when first asked for, with the same draws.
    scenario : Scenario, optional
        Fix some inputs or lines (its overrides); the rest are drawn. A case name such
        as ``"low"`` is refused: it would fix every input (use :func:`evaluate`).
    dtype : {"float64", "float32"}
        Storage for kept values; float32 halves memory (computation stays float64, and
        metrics derived later are derived from the float32 values).
    backend : {"local", "dask"}
        Run chunks in this process, or as tasks on a dask.distributed cluster (optional
        dependency group ``dask``). Results are bit-identical.
    client : distributed.Client or str, optional
        For ``backend="dask"``: a client, or a scheduler address; default: the current client.
    progress : bool, callable or None
        A progress bar for each pass over the trials, the first and any a later question
        needs (a table asked for after simulating): ``None`` (default) shows one only
        where output is interactive (a terminal or a notebook) and a pass takes more than
        a second; ``True`` always, ``False`` never. A callable is called as
        ``progress(trials_done, trials)`` after each chunk of every pass instead.

    Returns
    -------
    Simulation
        For a cost/benefit case, a :class:`~finmodel.engine.results.CaseSimulation`.

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
    model, name, store, provenance = _prepare(
        model, n, seed, method, chunk_size, scenario, dtype, backend, client, progress
    )
    _eager(model, store, metrics)
    return _result_types(model)[1](model, name, store.n, store, provenance)


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
    ``i`` always uses child ``i``.

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
    return [
        simulate(model, n, child, method=method, chunk_size=chunk_size, metrics=metrics, dtype=dtype,
                 backend=backend, client=client)
        for model, child in zip(models, children, strict=True)
    ]


# -- the Dask backend ------------------------------------------------------------------
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


def _run_part(job: Job, part: dict[str, Any], start: int, stop: int) -> ChunkResult:
    """A chunk as a task in another process: its draws rebuilt beside the model, so the
    inputs keep their identity (the shared-draw rule)."""
    return job.run(Draws(job.leaves, **part), start, stop)


def _dask_runner(client: Any) -> Callable[[Job, Draws | None, list[tuple[int, int]]], Iterator[ChunkResult]]:
    def run(job: Job, draws: Draws | None, plan: list[tuple[int, int]]) -> Iterator[ChunkResult]:
        assert draws is not None
        shared = client.scatter(job, broadcast=True)
        futures = [
            client.submit(_run_part, shared, draws.part(start, stop), start, stop, pure=False)
            for start, stop in plan
        ]
        for future in futures:  # in chunk order: sums are added in the same order on every backend
            yield future.result()
            future.release()

    return run
