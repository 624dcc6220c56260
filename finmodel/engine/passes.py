"""Passes over the trials, and the values a result keeps from them.

A result (an evaluation or a simulation) owns a :class:`Store`. Asked for a metric, the
store returns it if it has it, derives it from metrics it has (``npv`` from ``net``),
or runs a *pass*: the trials, chunk by chunk, each chunk drawing the inputs from their
streams (or taking the scenario's fixed values), evaluating the flows the request needs
in one sweep over the lines (:func:`~finmodel.model.flows.evaluate_flows`), deriving
metrics, and keeping only what was asked for: per-trial values of some metrics, the
sums behind the means of table rows, the inputs' draws.

Every input's stream is reproducible from the seed, so a later pass sees exactly the
draws of the first: a metric computed on first use is bit-identical to the same metric
computed at once. Derived metrics work trial by trial, so deriving one from kept values
gives the same bits as deriving it inside a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from finmodel.core.amounts import Leaf
from finmodel.core.errors import FinmodelError
from finmodel.engine.means import Partial, TrialSum
from finmodel.engine.sampling import Draws
from finmodel.model.base import Model
from finmodel.model.flows import Flow, evaluate_flows, line_values

__all__ = ["Job", "Store", "chunks"]

#: Trials per slice when a metric is derived from kept values (keeps the temporaries in cache).
DERIVE_SLICE = 1 << 16

Source = str | Flow


def chunks(n: int, size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each chunk of ``size`` trials (the last may be shorter).

    Examples
    --------
    >>> chunks(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    return [(start, min(start + size, n)) for start in range(0, n, size)]


@dataclass(frozen=True)
class Job:
    """What one pass computes for each chunk: small and picklable, so chunks can run anywhere.

    Attributes
    ----------
    model : Model
    leaves : tuple of Leaf
        The inputs drawn (the model's uncertain inputs not fixed by a scenario).
    fixed : mapping of Leaf to float or array
        Inputs set by a scenario (the same value in every trial), or given one value per
        trial (an array of length ``n``, for a design such as a policy grid).
    keep : tuple of str
        Metrics whose per-trial values are returned.
    sums : tuple of str or Flow
        Metrics or flows whose sums over trials are returned (for the means of table rows).
    inputs : tuple of Leaf
        Inputs whose draws are returned.
    """

    model: Model
    leaves: tuple[Leaf, ...]
    fixed: Mapping[Leaf, Any]
    keep: tuple[str, ...] = ()
    sums: tuple[Source, ...] = ()
    inputs: tuple[Leaf, ...] = ()

    def run(self, draws: Draws | None, start: int, stop: int) -> ChunkResult:
        """The chunk of trials ``start..stop-1``: kept values, partial sums and draws."""
        model, size = self.model, stop - start
        if draws is None:  # every input given: one value for all trials, or one per trial
            values: Mapping[Leaf, Any] = {
                leaf: v[start:stop] if isinstance(v, np.ndarray) else np.array([v]) for leaf, v in self.fixed.items()
            }
        else:
            values = draws.values(start, stop, dict(self.fixed), keep=self.inputs)
        have = _Chunk(model, values, start, size)
        wanted = [*self.keep, *self.sums]
        have.compute(wanted)
        kept = {name: have.full(name) for name in self.keep}
        sums = {source: Partial.of(have.rows(source), start) for source in self.sums}
        drawn = {leaf: np.array(np.broadcast_to(values[leaf], (size,))) for leaf in self.inputs}
        del have
        if draws is not None:
            draws.recycle(values)
        return ChunkResult(kept, sums, drawn)


@dataclass(frozen=True)
class ChunkResult:
    """What a chunk hands back to the store."""

    kept: dict[str, np.ndarray]
    sums: dict[Source, Partial]
    inputs: dict[Leaf, np.ndarray]


class _Chunk:
    """The flows and metrics of one chunk of trials, computed as a request needs them."""

    def __init__(self, model: Model, values: Mapping[Leaf, Any], start: int, size: int) -> None:
        self.model, self.values, self.start, self.size = model, values, start, size
        self.done: dict[Source, np.ndarray] = {}

    def compute(self, wanted: Sequence[Source]) -> None:
        model = self.model
        names: dict[str, None] = {}
        flows: dict[Flow, str] = {}

        def need(name: str) -> None:
            if name in names:
                return
            metric = model.metrics[name]
            for other in metric.needs:
                need(other)
            names[name] = None
            if metric.is_flow:
                flows[model.flow(name)] = name

        for source in wanted:
            if isinstance(source, Flow):
                flows.setdefault(source, "")
            else:
                need(source)
        found = evaluate_flows(model.lines, list(flows), self.values, model.timeline.length)
        for flow, name in flows.items():
            self._check(found[flow], name or "a table row", flow)
            self.done[flow] = found[flow]
            if name:
                array = found[flow]
                self.done[name] = array if flow.per_year else array[0]
        for name in names:
            metric = model.metrics[name]
            if not metric.is_flow:
                args = [self._as_trials(self.done[other]) for other in metric.needs]
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    result = model.derive(name, *args)
                if not metric.may_be_infinite:
                    self._check(result, name, None)
                self.done[name] = result

    def _as_trials(self, array: np.ndarray) -> np.ndarray:
        """A value with one column (the same in every trial) spread over the chunk's trials."""
        if array.shape[-1] == self.size:
            return array
        return np.broadcast_to(array, (*array.shape[:-1], self.size))

    def full(self, source: Source) -> np.ndarray:
        """A value for every trial of the chunk (the collector copies it into its own store)."""
        return self._as_trials(self.done[source])

    def rows(self, source: Source) -> np.ndarray:
        array = self._as_trials(self.done[source])
        return array if array.ndim == 2 else array[None, :]

    def _check(self, array: np.ndarray, name: str, flow: Flow | None) -> None:
        if np.isfinite(array).all():
            return
        bad = np.argwhere(~np.isfinite(np.atleast_2d(array)))[0]
        trial = self.start + (int(bad[-1]) if array.shape[-1] == self.size else 0)
        culprits = self._culprits(flow) if flow is not None else []
        where = f" (lines: {', '.join(map(repr, culprits))})" if culprits else ""
        raise FinmodelError(
            f"{self.model.describe()}: {name!r} is not finite in trial {trial}{where}; "
            "an input expression divides by zero or overflows"
        )

    def _culprits(self, flow: Flow) -> list[str]:
        out: dict[str, None] = {}
        years = self.model.timeline.length
        with np.errstate(all="ignore"):
            for term in flow.terms:
                x = line_values(term.line, self.values, years, term.view, term.state, term.origin)
                if not np.isfinite(x).all():
                    out[term.line.name] = None
        for part in flow.parts:
            out.update(dict.fromkeys(self._culprits(part)))
        return list(out)


@dataclass
class Store:
    """The values one result keeps, and the passes that make them.

    Parameters
    ----------
    model : Model
    n : int
        Trials.
    leaves : tuple of Leaf
        The inputs that are drawn (empty for a deterministic scenario).
    fixed : mapping of Leaf to float
        Inputs held at one value in every trial.
    draws : Draws or None
        The inputs' streams (None for a deterministic scenario, which has one trial).
    chunk : int
        Trials per chunk.
    dtype : str
        Storage of kept values ("float64" or "float32").
    runner : callable, optional
        Runs a pass's chunks elsewhere (the Dask backend): ``runner(job, draws, chunks)``
        returns the chunk results in chunk order.
    progress : callable, optional
        Called as ``progress(trials_done, trials)`` after each chunk.
    """

    model: Model
    n: int
    leaves: tuple[Leaf, ...]
    fixed: Mapping[Leaf, float]
    draws: Draws | None
    chunk: int
    dtype: str = "float64"
    runner: Callable[[Job, Draws | None, list[tuple[int, int]]], Iterable[ChunkResult]] | None = None
    progress: Callable[[int, int], None] | None = None
    kept: dict[str, np.ndarray] = field(default_factory=dict)
    means: dict[Source, np.ndarray] = field(default_factory=dict)
    drawn: dict[Leaf, np.ndarray] = field(default_factory=dict)
    rows: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)

    # -- metrics -----------------------------------------------------------------------
    def get(self, names: Sequence[str]) -> list[np.ndarray]:
        """Per-trial values of metrics: shape (years, trials) or (trials,), computed on first use."""
        missing = [name for name in dict.fromkeys(names) if name not in self.kept]
        in_pass = [name for name in missing if not self._derivable(name)]
        if in_pass:
            headline = [name for name in self.model.headline if name in self.model.available]
            self._run(Job(self.model, self.leaves, self.fixed, keep=tuple(dict.fromkeys([*in_pass, *headline]))))
        for name in missing:
            self._derive(name)
        return [self.kept[name] for name in names]

    def _derivable(self, name: str) -> bool:
        """Whether ``name`` can be derived from kept values, without a pass."""
        if name in self.kept:
            return True
        metric = self.model.metrics[name]
        if metric.is_flow or self.dtype != "float64":
            return False
        return all(self._derivable(other) for other in metric.needs)

    def _derive(self, name: str) -> None:
        if name not in self.kept:
            self.kept[name] = self._derived(name)

    def _derived(self, name: str, row: int | None = None) -> np.ndarray:
        """A derived metric from kept values, in slices of trials (small temporaries); every
        year, or only year ``row``."""
        metric = self.model.metrics[name]
        for other in metric.needs:
            self._derive(other)
        sources = [self.kept[other] for other in metric.needs]
        if row is not None and metric.to_date:  # a year from the years up to it
            years = self.model.timeline.length
            row = row % years
            sources = [s[: row + 1] if self.model.metrics[o].per_year else s for s, o in zip(sources, metric.needs, strict=True)]
        out: np.ndarray | None = None
        for start in range(0, self.n, DERIVE_SLICE):
            stop = min(start + DERIVE_SLICE, self.n)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                part = self.model.derive(name, *(s[..., start:stop] for s in sources))
            if not metric.may_be_infinite and not np.isfinite(part).all():
                trial = start + int(np.argwhere(~np.isfinite(np.atleast_2d(part)))[0][-1])
                raise FinmodelError(
                    f"{self.model.describe()}: {name!r} is not finite in trial {trial}; "
                    "an input expression divides by zero or overflows"
                )
            if row is not None:
                part = part[row]
            if stop - start == self.n and part.flags.owndata:  # one slice: keep it as it is
                return part
            if out is None:
                out = np.empty((*part.shape[:-1], self.n), dtype=part.dtype if part.dtype.kind in "iub" else self.dtype)
            out[..., start:stop] = part
        assert out is not None
        return out

    def row(self, name: str, index: int) -> np.ndarray:
        """Year ``index`` of a per-year metric, shape (trials,): a metric derived from kept
        values is derived for that year alone (and remembered), not kept for every year."""
        if name in self.kept:
            return self.kept[name][index]
        if (name, index) not in self.rows:
            if self._derivable(name):
                self.rows[name, index] = self._derived(name, row=index)
            else:
                (values,) = self.get([name])
                return values[index]
        return self.rows[name, index]

    # -- means and draws ---------------------------------------------------------------
    def mean(self, sources: Sequence[Source]) -> list[np.ndarray]:
        """Means over trials of metrics or flows (shape (rows,)), chunk-size invariant."""
        missing = tuple(source for source in dict.fromkeys(sources) if source not in self.means)
        if missing:
            self._run(Job(self.model, self.leaves, self.fixed, sums=missing))
        return [self.means[source] for source in sources]

    def inputs(self, leaves: Sequence[Leaf]) -> list[np.ndarray]:
        """Each input's value in every trial (its draws, or its fixed value)."""
        missing = tuple(leaf for leaf in dict.fromkeys(leaves) if leaf not in self.drawn)
        if missing:
            self._run(Job(self.model, self.leaves, self.fixed, inputs=missing))
        return [self.drawn[leaf] for leaf in leaves]

    # -- passes ------------------------------------------------------------------------
    def _run(self, job: Job) -> None:
        plan = chunks(self.n, self.chunk)
        kept: dict[str, np.ndarray] = {}
        totals: dict[Source, TrialSum] = {}
        drawn = {leaf: np.empty(self.n) for leaf in job.inputs}
        results = self.runner(job, self.draws, plan) if self.runner is not None else self._local(job, plan)
        for (start, stop), result in zip(plan, results, strict=True):
            for name, values in result.kept.items():
                if name not in kept:
                    kind = values.dtype if values.dtype.kind in "iub" else self.dtype
                    kept[name] = np.empty((*values.shape[:-1], self.n), dtype=kind)
                kept[name][..., start:stop] = values
            for key, part in result.sums.items():
                if key not in totals:
                    totals[key] = TrialSum(part.head.shape[0])
                totals[key].merge(part)
            for leaf, values in result.inputs.items():
                drawn[leaf][start:stop] = values
            if self.progress is not None:
                self.progress(stop, self.n)
        if self.draws is not None:
            self.draws.release()
        self.kept.update(kept)
        for source in job.sums:
            self.means[source] = totals[source].total() / self.n
        self.drawn.update(drawn)

    def _local(self, job: Job, plan: list[tuple[int, int]]) -> Iterable[ChunkResult]:
        for start, stop in plan:
            yield job.run(self.draws, start, stop)
