"""Drawing the uncertain inputs: seeds, per-input streams, Latin hypercube, correlation.

Reproducibility
---------------
``seed`` (an int, a :class:`numpy.random.SeedSequence`, a :class:`numpy.random.Generator`
or None) is normalised in one place, :func:`finmodel.core.seeds.seed_sequence`. The seed
sequence is spawned into one
child per uncertain input, in the order the model first uses them. Each input draws
every uniform from its own PCG64 stream, one 64-bit step per trial, so the chunk that
covers trials ``[start, stop)`` jumps its streams ahead by ``start`` and draws
``stop - start`` values. Trial ``t`` therefore gets the same draws whatever the chunk
size, and chunks can run in any order or on any machine.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from finmodel.core.amounts import Leaf
from finmodel.core.errors import FinmodelError
from finmodel.core.seeds import SeedLike, seed_sequence

__all__ = ["Draws", "Method", "SeedLike", "seed_sequence"]

Method = Literal["random", "lhs"]


class Draws:
    """Uniform draws for every uncertain input of a model, chunk by chunk.

    Parameters
    ----------
    leaves : sequence of Leaf
        The model's uncertain inputs, in the model's order.
    n : int
        Total number of trials.
    streams : sequence of SeedSequence
        One per input (see :meth:`plan`).
    method : {"random", "lhs"}
        Plain Monte Carlo, or Latin hypercube: each input's range of probabilities is
        cut into ``n`` equal strata and every stratum is drawn exactly once.
    strata : sequence of arrays, optional
        For LHS, each input's stratum per trial (in the order of ``leaves``): whole
        (length ``n``) or a slice starting at ``offset``.
    offset : int
        The trial at which the given strata start (for a chunk run elsewhere).

    Examples
    --------
    >>> import finmodel as fm
    >>> x = fm.Range(0, 1)
    >>> draws = Draws.plan([x], n=10, seed=1, method="lhs")
    >>> u = draws.uniforms(0, 10)[x]
    >>> sorted((u * 10).astype(int).tolist())
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """

    def __init__(
        self,
        leaves: Sequence[Leaf],
        n: int,
        streams: Sequence[np.random.SeedSequence],
        method: Method = "random",
        strata: Sequence[np.ndarray] = (),
        offset: int = 0,
    ) -> None:
        if method not in ("random", "lhs"):
            raise FinmodelError(f"simulate: method ({method!r}) must be 'random' or 'lhs'")
        self.leaves = tuple(leaves)
        self.n = n
        self.method = method
        self.streams = tuple(streams)
        self.strata = tuple(strata)
        self.offset = offset
        # Chunks usually come in order: keep each stream's generator and its position,
        # and jump (PCG64.advance) only when a chunk starts elsewhere.
        self._generators: list[np.random.Generator | None] = [None] * len(self.leaves)
        self._positions = [-1] * len(self.leaves)
        self._index = {leaf: i for i, leaf in enumerate(self.leaves)}
        self._spare: list[np.ndarray] = []  # arrays of a finished chunk, for the next one's uniforms
        groups: dict[int, Any] = {}
        for leaf in self.leaves:
            group = getattr(leaf, "group", None)
            if group is not None:
                groups[id(group)] = group
        self._groups = list(groups.values())

    @classmethod
    def plan(
        cls,
        leaves: Sequence[Leaf],
        n: int,
        seed: SeedLike,
        method: Method = "random",
        fixed: Collection[Leaf] = (),
    ) -> Draws:
        """Spawn one stream per input from ``seed`` and, for LHS, draw every input's strata.

        Streams follow the model's inputs (``leaves``, in order of first use) whether or
        not an input is drawn: an input ``fixed`` by a scenario keeps its stream unused, so
        every other input sees the same draws as in the simulation without the scenario
        (common random numbers: two what-ifs differ only by what they change).
        """
        if method not in ("random", "lhs"):
            raise FinmodelError(f"simulate: method ({method!r}) must be 'random' or 'lhs'")
        children = seed_sequence(seed).spawn(len(leaves))
        kept = [(leaf, child) for leaf, child in zip(leaves, children, strict=True) if leaf not in fixed]
        leaves = [leaf for leaf, _ in kept]
        streams = [child for _, child in kept]
        strata = []
        if method == "lhs":
            dtype = np.uint32 if n < 2**32 else np.uint64
            for stream in streams:
                rng = np.random.Generator(np.random.PCG64(stream.spawn(1)[0]))
                strata.append(rng.permutation(n).astype(dtype))
        return cls(leaves, n, streams, method, strata)

    def part(self, start: int, stop: int) -> dict[str, Any]:
        """What a chunk run elsewhere needs, without the inputs themselves: the streams and
        only its slice of the strata. Rebuild with ``Draws(leaves, **part)`` next to the model,
        so the inputs keep their identity (the shared-draw rule)."""
        strata = tuple(s[start - self.offset : stop - self.offset] for s in self.strata)
        return {
            "n": self.n,
            "streams": self.streams,
            "method": self.method,
            "strata": strata,
            "offset": start,
        }

    def _stream(self, i: int, start: int, size: int) -> np.random.Generator:
        generator = self._generators[i]
        if generator is None or self._positions[i] != start:
            bit_generator = np.random.PCG64(self.streams[i])
            if start:
                bit_generator.advance(start)
            generator = self._generators[i] = np.random.Generator(bit_generator)
        self._positions[i] = start + size
        return generator

    def _uniform(self, i: int, start: int, stop: int) -> np.ndarray:
        """Uniforms in [0, 1) of input ``i`` for trials ``start..stop-1`` (before correlation).

        Plain Monte Carlo takes the stream's ``k / 2**53`` as they come (an input whose
        inverse CDF is infinite at 0 reads 0 as half a step); Latin hypercube sampling
        moves each into its stratum, ``(stratum + u) / n``."""
        size = stop - start
        spare = self._spare
        if spare and spare[-1].shape != (size,):
            spare.clear()
        u = self._stream(i, start, size).random(out=spare.pop()) if spare else self._stream(i, start, size).random(size)
        if self.method == "lhs":
            u += self.strata[i][start - self.offset : stop - self.offset]
            u /= self.n
            np.minimum(u, 1.0 - 2.0**-53, out=u)  # the top stratum's largest may round up to 1
        return u

    def _couple(self, group: Any, out: dict[Leaf, np.ndarray]) -> None:
        """Correlate the uniforms in ``out`` of a correlation group's members, in place."""
        # members the model does not use, or a scenario fixes, drop out; the rest keep
        # their correlations with each other
        members = [m for m in group.members if m in out]
        group.couple_rows([out[m] for m in members], tuple(m.position for m in members))

    def uniforms(self, start: int, stop: int) -> dict[Leaf, np.ndarray]:
        """Uniforms in [0, 1) for trials ``start..stop-1`` of every input (correlated where asked)."""
        out = {leaf: self._uniform(i, start, stop) for i, leaf in enumerate(self.leaves)}
        for group in self._groups:
            self._couple(group, out)
        return out

    def values(self, start: int, stop: int, fixed: Mapping[Leaf, float] | None = None) -> Mapping[Leaf, np.ndarray]:
        """Every input's values for trials ``start..stop-1``: its inverse CDF of its uniforms.

        Each input is drawn when the model first asks for it, so its uniforms are turned
        into values while they are still in the processor's cache, and an input the
        asked-for outputs do not need is never drawn. Inputs in ``fixed`` (set by a
        scenario) take their fixed value in every trial.

        Examples
        --------
        >>> import finmodel as fm
        >>> x = fm.Range(0, 1, dist="uniform")
        >>> draws = Draws.plan([x], n=10, seed=1)
        >>> bool((draws.values(0, 10)[x] == draws.uniforms(0, 10)[x]).all())
        True
        """
        return _ChunkValues(self, start, stop, dict(fixed or {}))

    def recycle(self, values: Mapping[Leaf, np.ndarray]) -> None:
        """A chunk's values (from :meth:`values`) are finished with: their memory takes the
        next chunk's uniforms where nothing else holds it. The values must not be used after."""
        if isinstance(values, _ChunkValues):
            values.recycle()

    def release(self) -> None:
        """Forget the open streams (when no more chunks will be drawn)."""
        self._generators = [None] * len(self.leaves)
        self._positions = [-1] * len(self.leaves)
        self._spare = []


class _ChunkValues(Mapping[Leaf, np.ndarray]):
    """The values of a model's inputs for one chunk of trials, drawn on first use (see Draws.values)."""

    def __init__(self, draws: Draws, start: int, stop: int, fixed: dict[Leaf, float]) -> None:
        self._draws, self._start, self._stop, self._fixed = draws, start, stop, fixed
        self._done: dict[Leaf, np.ndarray] = {}

    def __getitem__(self, leaf: Leaf) -> np.ndarray:
        found = self._done.get(leaf)
        if found is not None:
            return found
        draws, start, stop = self._draws, self._start, self._stop
        if leaf in self._fixed:
            found = self._done[leaf] = np.full(stop - start, self._fixed[leaf])
            return found
        i = draws._index[leaf]  # a KeyError for an input the model does not have
        group = getattr(leaf, "group", None)
        if group is None:
            found = self._done[leaf] = leaf.from_uniforms(draws._uniform(i, start, stop))
            return found
        members = {m: draws._uniform(draws._index[m], start, stop) for m in group.members if m in draws._index}
        draws._couple(group, members)
        for member, u in members.items():
            self._done[member] = member.from_uniforms(u)
        return self._done[leaf]

    def recycle(self) -> None:
        """Hand the chunk's values back to the draws, to take the next chunk's uniforms.

        Only arrays nothing else holds (no name, container or view: Python's reference
        count is that of a fresh local array) are handed back; the mapping is empty after.
        Drawing the next chunk into memory already in use spares the allocator, which
        may otherwise return a chunk's worth of memory to the system and fault it in again.
        """
        probe = np.empty(1)
        alone = sys.getrefcount(probe)
        spare, done = self._draws._spare, self._done
        while done:
            values = done.popitem()[1]
            if values.dtype == np.float64 and values.base is None and values.flags.writeable:
                if sys.getrefcount(values) == alone:
                    spare.append(values)
            del values

    def __iter__(self) -> Iterator[Leaf]:
        yield from self._draws.leaves
        yield from (leaf for leaf in self._fixed if leaf not in self._draws._index)

    def __len__(self) -> int:
        return len(self._draws.leaves) + sum(leaf not in self._draws._index for leaf in self._fixed)
