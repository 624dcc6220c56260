"""Rank correlation between uncertain inputs, by a Gaussian copula.

``correlate([a, b], matrix)`` returns *new* inputs, ``a2, b2``, that draw jointly with
the requested Spearman rank correlation while keeping each input's own distribution.
Use the returned inputs in the model (``a2, b2 = fm.correlate([a, b], ...)``); a model
that uses an input both plain and correlated is refused, since those would be two
different quantities.

Notes
-----
For each trial the engine draws independent uniforms ``u`` for the members, maps them
to normals ``z = Phi^-1(u)``, mixes them with the Cholesky factor ``L`` of the Pearson
matrix ``R = 2 sin(pi R_s / 6)`` (the normal-copula link between Spearman's ``R_s`` and
Pearson's ``R``), maps back with ``Phi`` and applies each member's inverse CDF. Each
trial is independent of every other, so results do not depend on the chunk size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from scipy import special

from finmodel.core import compiled
from finmodel.core.amounts import Leaf, fmt_number
from finmodel.core.errors import CorrelationError

__all__ = ["Correlated", "CorrelationGroup", "correlate"]

SMALLEST = 2.0**-54  # a uniform of 0 read as half a step of 2**-53
LARGEST = 1.0 - 2.0**-53  # the largest double below 1


@dataclass(frozen=True, eq=False, repr=False)
class CorrelationGroup:
    """Inputs drawn together with a target Spearman rank-correlation matrix."""

    bases: tuple[Leaf, ...]
    spearman: np.ndarray
    mixing: np.ndarray
    members: tuple[Leaf, ...] = ()

    def couple(self, uniforms: np.ndarray, positions: tuple[int, ...] | None = None) -> np.ndarray:
        """Turn independent uniforms of shape (members, n) into correlated ones.

        ``positions`` names the members present (in order) when only some are drawn,
        e.g. a model that uses two of three correlated inputs, or a scenario that fixes
        one: those keep their correlations with each other (the sub-matrix). A uniform
        of 0 is read as half a step (``2**-54``) and no result reaches 1: the largest
        is ``1 - 2**-53``.

        With compiled loops on (:mod:`finmodel.core.compiled`), the normal quantile and
        CDF are finmodel's own (:mod:`finmodel.core.compiled.normal`), within a few units
        in the last place of scipy's ``ndtri`` and ``ndtr``, which are used when they are
        off: correlated draws then differ in their last bits, not in their distribution.

        Examples
        --------
        >>> import finmodel as fm
        >>> a, b = fm.correlate([fm.Range(0, 1), fm.Range(0, 1)], [[1, 0.8], [0.8, 1]])
        >>> u = np.random.default_rng(0).random((2, 5)) * 0.98 + 0.01
        >>> a.group.couple(u).shape
        (2, 5)
        """
        coupled = np.array(uniforms, dtype=np.float64)
        self.couple_rows(list(coupled), positions)
        return coupled

    def couple_rows(self, rows: list[np.ndarray], positions: tuple[int, ...] | None = None) -> None:
        """:meth:`couple` in place, on one array of uniforms per member present (each of
        length n), so that the engine keeps its arrays from chunk to chunk.

        Examples
        --------
        >>> import finmodel as fm
        >>> a, b = fm.correlate([fm.Range(0, 1), fm.Range(0, 1)], [[1, 0.8], [0.8, 1]])
        >>> rows = [np.array([0.2, 0.7]), np.array([0.9, 0.4])]
        >>> a.group.couple_rows(rows)
        >>> bool(np.array_equal(np.stack(rows), a.group.couple([[0.2, 0.7], [0.9, 0.4]])))
        True
        """
        mixing = self._mixing_for(positions)
        if mixing is None:
            return
        normal = compiled.load("normal")
        if normal is not None and all(_plain(row, len(rows[0])) for row in rows):
            normal.couple_rows(tuple(rows), mixing)
            return
        z = special.ndtri(np.maximum(np.stack(rows), SMALLEST))
        for row, coupled in zip(rows, special.ndtr(mixing @ z), strict=True):
            np.minimum(coupled, LARGEST, out=row)  # the normal CDF may round up to 1

    def _mixing_for(self, positions: tuple[int, ...] | None) -> np.ndarray | None:
        """The mixing matrix of the members at ``positions`` (None: all of them), or None
        for a single member, which is drawn as it is."""
        if positions is None or len(positions) == len(self.bases):
            return self.mixing
        if len(positions) == 1:
            return None
        cache = self.__dict__.setdefault("_sub_mixing", {})
        if positions not in cache:
            cache[positions] = _mixing(self.spearman[np.ix_(positions, positions)])
        mixing: np.ndarray = cache[positions]
        return mixing

    def __repr__(self) -> str:
        return f"CorrelationGroup({[m.describe() for m in self.bases]})"


@dataclass(frozen=True, eq=False, repr=False)
class Correlated(Leaf):
    """An input drawn jointly with others in a :class:`CorrelationGroup`.

    It has the distribution and cases of ``base``; only its joint draws differ.
    """

    kind: ClassVar[str] = "Correlated"
    base: Leaf
    group: CorrelationGroup = field(repr=False)
    position: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.base.name)

    def params(self) -> dict[str, Any]:
        return {"base": self.base}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.base.ppf(u)

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        return self.base.from_uniforms(u)

    @property
    def cases(self) -> dict[str, float]:
        return self.base.cases

    @property
    def support(self) -> tuple[float, float]:
        return self.base.support

    def describe(self) -> str:
        return self.base.describe()

    def __repr__(self) -> str:
        return f"Correlated({self.base!r})"


def _plain(row: np.ndarray, n: int) -> bool:
    """Whether the compiled loop takes ``row``: n float64 values, contiguous and writeable."""
    return row.dtype == np.float64 and row.shape == (n,) and row.flags.c_contiguous and row.flags.writeable


def _validate(amounts: Sequence[Any], matrix: Any) -> tuple[tuple[Leaf, ...], np.ndarray]:
    leaves = tuple(amounts)
    if len(leaves) < 2:
        raise CorrelationError(f"correlate: needs at least two inputs, got {len(leaves)}")
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, Leaf):
            raise CorrelationError(
                f"correlate: amounts[{i}] ({leaf!r}) is not an uncertain input; "
                "correlate the inputs an expression is built from"
            )
        if isinstance(leaf, Correlated):
            raise CorrelationError(f"correlate: amounts[{i}] ({leaf.describe()}) is already correlated")
    if len({id(leaf) for leaf in leaves}) != len(leaves):
        raise CorrelationError("correlate: the same input appears twice")
    try:
        m = np.array(matrix, dtype=float)
    except (TypeError, ValueError):
        raise CorrelationError(f"correlate: matrix ({matrix!r}) is not a square table of numbers") from None
    k = len(leaves)
    if m.shape != (k, k):
        raise CorrelationError(f"correlate: matrix has shape {m.shape}, expected ({k}, {k}) for {k} inputs")
    for i, j in zip(*np.nonzero(~np.isfinite(m)), strict=True):
        raise CorrelationError(f"correlate: matrix[{i}][{j}] ({m[i, j]}) is not a finite number")
    for i, j in zip(*np.nonzero(np.abs(m) > 1), strict=True):
        raise CorrelationError(
            f"correlate: matrix[{i}][{j}] ({fmt_number(float(m[i, j]))}) lies outside [-1, 1]"
        )
    for i in range(k):
        if m[i, i] != 1:
            raise CorrelationError(f"correlate: matrix[{i}][{i}] ({fmt_number(float(m[i, i]))}) must be 1")
    for i, j in zip(*np.nonzero(np.abs(m - m.T) > 1e-12), strict=True):
        raise CorrelationError(
            f"correlate: matrix is not symmetric: [{i}][{j}] is {fmt_number(float(m[i, j]))} "
            f"but [{j}][{i}] is {fmt_number(float(m[j, i]))}"
        )
    smallest = float(np.linalg.eigvalsh(m).min())
    if smallest < -1e-10:
        raise CorrelationError(
            f"correlate: matrix is not positive semi-definite (smallest eigenvalue {smallest:.3g}); "
            "these correlations cannot all hold at once"
        )
    return leaves, m


def _mixing(spearman: np.ndarray) -> np.ndarray:
    pearson = 2.0 * np.sin(np.pi * spearman / 6.0)
    np.fill_diagonal(pearson, 1.0)
    try:
        return np.linalg.cholesky(pearson)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(pearson)
        root = vectors * np.sqrt(np.clip(values, 0.0, None))
        # rescale rows so each mixed normal keeps unit variance
        return root / np.sqrt((root**2).sum(axis=1, keepdims=True))


def correlate(amounts: Sequence[Leaf], matrix: Any) -> tuple[Correlated, ...]:
    """Inputs that draw jointly with the given Spearman rank-correlation matrix.

    Parameters
    ----------
    amounts : sequence of uncertain inputs
        Two or more distinct inputs (``Range``, ``Beta``, ...), not expressions.
    matrix : array_like, shape (k, k)
        Target Spearman rank correlations: symmetric, unit diagonal, entries in
        [-1, 1], positive semi-definite.

    Returns
    -------
    tuple of Correlated
        New inputs, in the same order; use these in the model.

    Examples
    --------
    >>> import numpy as np, finmodel as fm
    >>> from scipy.stats import spearmanr
    >>> demand, cost = fm.correlate([fm.Range(0, 1), fm.Normal(5, 1)], [[1, 0.7], [0.7, 1]])
    >>> years = fm.Timeline("2018/19", 1)
    >>> case = fm.CostBenefitCase("c", years, benefits=[fm.Benefit("d", demand)],
    ...                           costs=[fm.Cost("k", [cost])])
    >>> sim = fm.simulate(case, n=20_000, seed=1)
    >>> rho = spearmanr(sim.samples("run_rate"), sim.samples("total_cost")).statistic
    >>> round(float(rho), 1)
    0.7
    """
    leaves, spearman = _validate(amounts, matrix)
    group = CorrelationGroup(leaves, spearman, _mixing(spearman))
    members = tuple(Correlated(leaf, group, i) for i, leaf in enumerate(leaves))
    object.__setattr__(group, "members", members)
    return members
