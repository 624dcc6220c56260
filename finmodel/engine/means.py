"""Means and quantiles over trials; sums that do not depend on how the trials were cut into chunks.

A mean over a million trials added chunk by chunk would group its additions by chunk,
so a different chunk size would change it in the last bits. Here the trials are summed
in fixed blocks of :data:`BLOCK` consecutive trials (block ``b`` holds trials
``b * BLOCK`` to ``(b + 1) * BLOCK - 1``, wherever the chunks begin and end), each block
by numpy's pairwise sum, and the block sums are then added in block order. A block cut
by a chunk boundary is completed from the next chunk before it is summed. So the same
trials give the same sum, bit for bit, for every chunk size, and on every backend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BLOCK", "Partial", "TrialSum", "quantiles", "trial_mean"]

#: Trials per block.
BLOCK = 4096


@dataclass(frozen=True)
class Partial:
    """A chunk's part of a :class:`TrialSum`: the trials before its first whole block,
    the sums of its whole blocks, and the trials after its last whole block."""

    head: np.ndarray
    blocks: np.ndarray
    tail: np.ndarray

    @classmethod
    def of(cls, values: np.ndarray, start: int) -> Partial:
        """Cut ``values`` (shape (rows, trials), trials ``start``, ``start + 1``, ...) at block boundaries.

        Examples
        --------
        >>> p = Partial.of(np.ones((1, 9000)), 100)
        >>> p.head.shape, p.blocks.tolist(), p.tail.shape
        ((1, 3996), [[4096.0]], (1, 908))
        """
        stop = start + values.shape[1]
        first = min(-(-start // BLOCK) * BLOCK, stop)  # the first block boundary at or after start
        last = max(stop // BLOCK * BLOCK, first)  # the last boundary at or before stop
        head = values[:, : first - start]
        body = values[:, first - start : last - start]
        tail = values[:, last - start :]
        rows = values.shape[0]
        blocks = body.reshape(rows, -1, BLOCK).sum(axis=2) if body.shape[1] else np.zeros((rows, 0))
        return cls(np.array(head), blocks, np.array(tail))


class TrialSum:
    """The sum over trials of a quantity with ``rows`` values per trial, chunk-size invariant.

    Chunks must be added in trial order (see :class:`Partial` for chunks computed
    elsewhere and collected in order).

    Examples
    --------
    >>> x = np.random.default_rng(0).random((2, 10_000))
    >>> a, b = TrialSum(2), TrialSum(2)
    >>> a.add(x, 0)
    >>> for start in range(0, 10_000, 777):
    ...     b.add(x[:, start:start + 777], start)
    >>> bool((a.total() == b.total()).all())
    True
    """

    def __init__(self, rows: int) -> None:
        self._sum = np.zeros(rows)
        self._carry = np.zeros((rows, 0))

    def add(self, values: np.ndarray, start: int) -> None:
        """Add the trials ``start, start + 1, ...`` (values of shape (rows, trials))."""
        self.merge(Partial.of(values, start))

    def merge(self, part: Partial) -> None:
        """Add a chunk's :class:`Partial` (chunks in trial order)."""
        if part.head.shape[1]:
            self._carry = np.concatenate([self._carry, part.head], axis=1)
        if self._carry.shape[1] == BLOCK or (self._carry.shape[1] and (part.blocks.shape[1] or part.tail.shape[1])):
            self._sum += self._carry.sum(axis=1)
            self._carry = self._carry[:, :0]
        for k in range(part.blocks.shape[1]):
            self._sum += part.blocks[:, k]
        if part.tail.shape[1]:
            self._carry = part.tail

    def total(self) -> np.ndarray:
        """The sum so far (the last, incomplete block included)."""
        out = self._sum.copy()
        if self._carry.shape[1]:
            out += self._carry.sum(axis=1)
        return out


def trial_mean(values: np.ndarray) -> np.ndarray:
    """The mean over trials (the last axis) by block sums, as a :class:`TrialSum` computes it.

    Examples
    --------
    >>> float(trial_mean(np.arange(10.0)[None, :])[0])
    4.5
    """
    array = np.asarray(values, dtype=float)
    flat = array.reshape(-1, array.shape[-1])
    total = TrialSum(flat.shape[0])
    total.add(flat, 0)
    return (total.total() / array.shape[-1]).reshape(array.shape[:-1])


def quantiles(values: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles of one array of trials: numpy's default (linear) method, by partition.

    The same numbers as ``numpy.quantile(values, q)``, except that two equal neighbours
    (infinite ones included, such as a return on investment with no cost) give that
    value rather than NaN.

    Parameters
    ----------
    values : numpy.ndarray
        Shape (trials,).
    q : numpy.ndarray
        Probabilities in [0, 1].

    Examples
    --------
    >>> x = np.random.default_rng(1).random(1001)
    >>> bool((quantiles(x, np.array([0.1, 0.5, 0.9])) == np.quantile(x, [0.1, 0.5, 0.9])).all())
    True
    >>> quantiles(np.array([1.0, np.inf, np.inf]), np.array([0.9])).tolist()
    [inf]
    """
    n = values.shape[-1]
    position = (n - 1) * q
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, n - 1)
    gamma = position - below
    a, b = _order_statistics(values, below, above)
    with np.errstate(invalid="ignore"):
        diff = b - a
        out = np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)
    return np.where(a == b, a, out)


def _order_statistics(values: np.ndarray, below: np.ndarray, above: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of rank ``below`` and ``above`` (``above`` is ``below`` or ``below + 1``).

    One copy of the data, then the ranks put in place by :func:`_place`: each partition
    works only on the part between the ranks already placed.
    """
    work = values.copy()
    _place(work, sorted(set(below.tolist()) | set(above.tolist())), 0, work.shape[0])
    return work[below], work[above]


def _place(x: np.ndarray, ranks: list[int], lo: int, hi: int) -> None:
    """Put the order statistics ``ranks`` (sorted, within ``[lo, hi)``) of ``x`` in their places.

    A single-rank partition at the middle rank, then each side on its own part; a rank at
    either end of its part (the upper neighbour of one already placed) is that part's
    minimum or maximum, swapped into place. Bisecting halves the work of partitioning
    from the smallest rank up.
    """
    if not ranks:
        return
    mid = len(ranks) // 2
    k = ranks[mid]
    if k in (lo, hi - 1):
        part = x[lo:hi]
        j = lo + int(part.argmin() if k == lo else part.argmax())
        x[k], x[j] = x[j], x[k]
    else:
        x[lo:hi].partition(k - lo)
    _place(x, ranks[:mid], lo, k)
    _place(x, ranks[mid + 1 :], k + 1, hi)
