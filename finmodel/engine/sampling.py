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

Latin hypercube strata
----------------------
With ``method="lhs"`` each input's trials take the ``n`` strata of ``[0, 1)`` in a random
order, one each. Rather than a random permutation per input (a random-access pass over
``n`` values each), the inputs share one: input ``k``'s stratum on trial ``t`` is
``(a[(t + d_k) mod n] + r_k) mod n``, where ``a`` is a random permutation of ``range(n)``,
the offsets ``d_k`` have pairwise differences all distinct modulo ``n`` (so two trials
never share more than one position of ``a``: interactions between inputs do not line up),
and the rotations ``r_k`` are uniform (so each trial is uniform on the unit cube, as
with independent permutations). Where ``n`` is too small for such offsets, each input
draws its own permutation. Docs: ``docs/decisions/0018-lhs-strata.md``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from finmodel.core import compiled
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
        For LHS, the strata each input reads (in the order of ``leaves``; inputs may share
        one array). Input ``i``'s stratum on trial ``t`` is
        ``(strata[i][(t - offset + shifts[i]) % len(strata[i])] + rotations[i]) % n``.
    offset : int
        The trial at which the given strata start (for a chunk run elsewhere).
    shifts, rotations : sequence of int, optional
        For LHS, where each input starts reading its strata and how far it turns their
        labels round (see above); zeros when not given.

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
        shifts: Sequence[int] = (),
        rotations: Sequence[int] = (),
    ) -> None:
        if method not in ("random", "lhs"):
            raise FinmodelError(f"simulate: method ({method!r}) must be 'random' or 'lhs'")
        self.leaves = tuple(leaves)
        self.n = n
        self.method = method
        self.streams = tuple(streams)
        self.strata = tuple(strata)
        self.offset = offset
        self.shifts = tuple(shifts) or (0,) * len(self.strata)
        self.rotations = tuple(rotations) or (0,) * len(self.strata)
        # Chunks usually come in order: keep each stream's generator (or, with compiled
        # loops, its state as compiled.streams reads it) and its position, and jump
        # (PCG64.advance) only when a chunk starts elsewhere.
        self._generators: list[np.random.Generator | np.ndarray | None] = [None] * len(self.leaves)
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
        (common random numbers: two what-ifs differ only by what they change). The Latin
        hypercube strata likewise follow the model's inputs: an input's offset and rotation
        depend on its position among them, and the shared permutation comes from the first
        input's stream, whether or not it is fixed.

        Examples
        --------
        >>> import finmodel as fm
        >>> inputs = [fm.Range(0, 1) for _ in range(3)]
        >>> draws = Draws.plan(inputs, n=1_000, seed=1, method="lhs")
        >>> draws.strata[0] is draws.strata[2], draws.shifts
        (True, (0, 27, 56))
        """
        if method not in ("random", "lhs"):
            raise FinmodelError(f"simulate: method ({method!r}) must be 'random' or 'lhs'")
        children = seed_sequence(seed).spawn(len(leaves))
        positions = [k for k, leaf in enumerate(leaves) if leaf not in fixed]
        drawn = [leaves[k] for k in positions]
        streams = [children[k] for k in positions]
        if method == "random":
            return cls(drawn, n, streams, method)
        strata, shifts, rotations = _latin(children, positions, n)
        return cls(drawn, n, streams, method, strata, shifts=shifts, rotations=rotations)

    def part(self, start: int, stop: int) -> dict[str, Any]:
        """What a chunk run elsewhere needs, without the inputs themselves: the streams and
        only its window of each input's strata (shifted and rotated). Rebuild with
        ``Draws(leaves, **part)`` next to the model, so the inputs keep their identity (the
        shared-draw rule)."""
        strata = tuple(self._window(i, start, stop) for i in range(len(self.strata)))
        return {
            "n": self.n,
            "streams": self.streams,
            "method": self.method,
            "strata": strata,
            "offset": start,
        }

    def _begin(self, i: int, start: int) -> int:
        """Where input ``i``'s trial ``start`` reads its strata."""
        length = self.strata[i].shape[0]
        return (start - self.offset + self.shifts[i]) % length if length else 0

    def _window(self, i: int, start: int, stop: int) -> np.ndarray:
        """Input ``i``'s strata for trials ``start..stop-1`` (a view where it can be)."""
        strata = self.strata[i]
        return _wrapped(strata, self._begin(i, start), stop - start, self.rotations[i], self.n).astype(
            strata.dtype, copy=False
        )

    def _stream(self, i: int, start: int, size: int, streams: Any = None) -> Any:
        """Input ``i``'s stream at trial ``start``, moved on by ``size`` draws: a numpy
        Generator, or the state that ``streams`` (:mod:`finmodel.core.compiled.streams`)
        reads when given."""
        generator = self._generators[i]
        words = streams is not None
        if generator is None or self._positions[i] != start or isinstance(generator, np.ndarray) != words:
            bit_generator = np.random.PCG64(self.streams[i])
            if start:
                bit_generator.advance(start)
            generator = streams.state(bit_generator) if words else np.random.Generator(bit_generator)
            self._generators[i] = generator
        self._positions[i] = start + size
        return generator

    def _uniform(self, i: int, start: int, stop: int) -> np.ndarray:
        """Uniforms in [0, 1) of input ``i`` for trials ``start..stop-1`` (before correlation).

        Plain Monte Carlo takes the stream's ``k / 2**53`` as they come (an input whose
        inverse CDF is infinite at 0 reads 0 as half a step); Latin hypercube sampling
        moves each into its stratum, ``(stratum + u) / n``, kept below 1."""
        size = stop - start
        spare = self._spare
        if spare and spare[-1].shape != (size,):
            spare.clear()
        u = spare.pop() if spare else np.empty(size)
        streams = compiled.load("streams")  # Generator.random's numbers, drawn by a compiled loop
        if streams is None:
            self._stream(i, start, size).random(out=u)
        else:
            streams.fill(self._stream(i, start, size, streams), u)
        if self.method == "lhs":
            _place(u, self.strata[i], self._begin(i, start), self.rotations[i], self.n)
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

    def values(
        self, start: int, stop: int, fixed: Mapping[Leaf, float] | None = None, keep: Collection[Leaf] = ()
    ) -> Mapping[Leaf, np.ndarray]:
        """Every input's values for trials ``start..stop-1``: its inverse CDF of its uniforms.

        Each input is drawn when the model first asks for it, so its uniforms are turned
        into values while they are still in the processor's cache, and an input the
        asked-for outputs do not need is never drawn. Inputs in ``fixed`` (set by a
        scenario) take their fixed value in every trial. The kernel may release inputs it
        has finished with (their memory takes later draws), except those in ``keep``.

        Examples
        --------
        >>> import finmodel as fm
        >>> x = fm.Range(0, 1, dist="uniform")
        >>> draws = Draws.plan([x], n=10, seed=1)
        >>> bool((draws.values(0, 10)[x] == draws.uniforms(0, 10)[x]).all())
        True
        """
        return _ChunkValues(self, start, stop, dict(fixed or {}), frozenset(keep))

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


#: The largest double below 1.
_TOP = 1.0 - 2.0**-53


def _latin(
    children: Sequence[np.random.SeedSequence], positions: Sequence[int], n: int
) -> tuple[list[np.ndarray], list[int], list[int]]:
    """The strata, shifts and rotations of the inputs at ``positions`` (among ``children``).

    Each input's own permutation stream is the first child of its seed sequence. With
    offsets available (:func:`_offsets`), the first input's stream draws the one permutation
    all inputs share and every other input's stream draws its rotation; otherwise each input
    draws its own permutation.
    """
    dtype = np.uint32 if n < 2**32 else np.uint64

    def generator(k: int) -> np.random.Generator:
        return np.random.Generator(np.random.PCG64(children[k].spawn(1)[0]))

    def permutation(k: int) -> np.ndarray:
        order = np.arange(n, dtype=dtype)  # Generator.permutation(n)'s values, in half the memory
        generator(k).shuffle(order)
        return order

    offsets = _offsets(n, len(children))
    if offsets is None or not positions:
        own = [permutation(k) for k in positions]
        return own, [0] * len(own), [0] * len(own)
    shared = permutation(0)
    rotations = [int(generator(k).integers(n)) if k else 0 for k in positions]
    return [shared] * len(positions), [offsets[k] for k in positions], rotations


def _offsets(n: int, count: int) -> tuple[int, ...] | None:
    """Offsets into a shared permutation of ``range(n)`` for ``count`` inputs, or None.

    The offsets are the first ``count`` of Erdős and Turán's Sidon set
    ``2pk + (k² mod p)``, ``k = 0 .. p-1``, for the largest prime ``p`` with ``4p² <= n``:
    all of them below ``n / 2``, so their pairwise differences, distinct as integers, are
    distinct and non-zero modulo ``n`` as well. None when there is no such ``p`` or
    ``count`` exceeds it. The offsets depend only on ``n`` and the position of an input,
    so adding an input leaves the others' where they were.

    Examples
    --------
    >>> _offsets(1_000_000, 4)
    (0, 999, 2000, 3003)
    >>> _offsets(100, 5), _offsets(100, 6)
    ((0, 11, 24, 34, 41), None)
    """
    if count <= 1:
        return (0,) * count
    p = math.isqrt(n // 4)
    while p >= 2 and not _prime(p):
        p -= 1
    if count > p:
        return None
    return tuple(2 * p * k + (k * k) % p for k in range(count))


def _prime(p: int) -> bool:
    """Whether ``p`` is a prime (by trial division: ``p`` is at most ``sqrt(n) / 2``)."""
    return p >= 2 and all(p % d for d in range(2, math.isqrt(p) + 1))


def _wrapped(strata: np.ndarray, begin: int, size: int, rotation: int, n: int) -> np.ndarray:
    """``size`` strata read from ``begin`` round the end of ``strata``, their labels turned by ``rotation``."""
    window = strata[begin : begin + size]
    if window.shape[0] < size:
        window = np.concatenate((window, strata[: size - window.shape[0]]))
    if rotation:
        window = window.astype(np.int64) + rotation
        window[window >= n] -= n
    return window


def _place(u: np.ndarray, strata: np.ndarray, begin: int, rotation: int, n: int) -> None:
    """Move uniforms ``u`` into their strata in place: ``(stratum + u) / n``, kept below 1.

    The strata are ``size`` values of ``strata`` read from ``begin`` (round its end), each
    turned by ``rotation`` modulo ``n``. One compiled pass when compiled loops are on
    (:func:`finmodel.core.compiled.strata.place`), else numpy's passes: the same numbers.

    Examples
    --------
    >>> u = np.array([0.5, 0.25, 0.75])
    >>> _place(u, np.array([0, 1, 2, 3], dtype=np.uint32), 2, 1, 4)
    >>> u.tolist()
    [0.875, 0.0625, 0.4375]
    """
    kernel = compiled.load("strata")
    if kernel is not None:
        kernel.place(u, strata, begin, rotation, n)
        return
    u += _wrapped(strata, begin, u.shape[0], rotation, n)
    u /= n
    np.minimum(u, _TOP, out=u)  # the top stratum's largest may round up to 1


class _ChunkValues(Mapping[Leaf, np.ndarray]):
    """The values of a model's inputs for one chunk of trials, drawn on first use (see Draws.values)."""

    def __init__(
        self,
        draws: Draws,
        start: int,
        stop: int,
        fixed: dict[Leaf, float],
        keep: frozenset[Leaf] = frozenset(),
    ) -> None:
        self._draws, self._start, self._stop, self._fixed, self._keep = draws, start, stop, fixed, keep
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
        members = {
            m: draws._uniform(draws._index[m], start, stop) for m in group.members if m in draws._index
        }
        draws._couple(group, members)
        for member, u in members.items():
            self._done[member] = member.from_uniforms(u)
        return self._done[leaf]

    def release(self, leaves: Sequence[Leaf]) -> None:
        """Inputs the kernel's sweep has finished with in this chunk (no later line uses them).

        Their arrays take the next draws where nothing else holds them (see :meth:`recycle`),
        so that a chunk of a model with many inputs draws into memory still in the
        processor's cache instead of holding every input's values to the end. An input
        asked for again is drawn again, with the same values; the inputs a pass returns
        (``keep``) are never released.
        """
        keep, fixed = self._keep, self._fixed
        for leaf in leaves:
            if leaf not in keep and leaf not in fixed:
                self._hand_back(leaf)

    def recycle(self) -> None:
        """Hand the chunk's values back to the draws, to take the next chunk's uniforms.

        Only arrays nothing else holds (no name, container or view: Python's reference
        count is that of a fresh local array) are handed back; the mapping is empty after.
        Drawing the next chunk into memory already in use spares the allocator, which
        may otherwise return a chunk's worth of memory to the system and fault it in again.
        """
        for leaf in list(self._done):
            self._hand_back(leaf)

    def _hand_back(self, leaf: Leaf) -> None:
        """Forget ``leaf``'s values; their array takes later draws if nothing else holds it."""
        probe = np.empty(1)
        alone = sys.getrefcount(probe)  # a fresh local's count: this frame's name and the call's argument
        values = self._done.pop(leaf, None)
        if values is None:
            return
        if values.dtype == np.float64 and values.base is None and values.flags.writeable:
            if sys.getrefcount(values) == alone:
                self._draws._spare.append(values)
        del values

    def __iter__(self) -> Iterator[Leaf]:
        yield from self._draws.leaves
        yield from (leaf for leaf in self._fixed if leaf not in self._draws._index)

    def __len__(self) -> int:
        return len(self._draws.leaves) + sum(leaf not in self._draws._index for leaf in self._fixed)
