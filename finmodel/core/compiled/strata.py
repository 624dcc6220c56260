"""Latin hypercube placement: each uniform moved into its trial's stratum, in one pass.

The compiled form of the numpy steps in :func:`finmodel.engine.sampling.place`: read the
trial's stratum from the (shifted, rotated) strata, add the uniform, divide by ``n`` and
keep the result below 1. The same operations in the same order as numpy's, without the
three passes over memory and the temporary array.
"""

from __future__ import annotations

import numba
import numpy as np

from .vectors import wide

__all__ = ["place"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")

#: The largest double below 1.
_TOP = 1.0 - 2.0**-53


@_jit
def place(u: np.ndarray, strata: np.ndarray, begin: int, rotation: int, n: int) -> None:
    """``u[i] = min((s + u[i]) / n, 1 - 2**-53)`` in place, ``s = (strata[k] + rotation) mod n``.

    ``k`` runs from ``begin`` through the strata, wrapping round to 0 at their end;
    ``rotation`` is in ``[0, n)`` and every stratum below ``n``.

    Examples
    --------
    >>> u = np.array([0.5, 0.25, 0.75])
    >>> place(u, np.array([0, 1, 2, 3], dtype=np.uint32), 2, 1, 4)
    >>> u.tolist()
    [0.875, 0.0625, 0.4375]
    """
    wide()
    size = u.shape[0]
    i, k = 0, begin
    while i < size:
        stop = min(size, i + strata.shape[0] - k)
        _segment(u[i:stop], strata[k : k + stop - i], rotation, n)
        i, k = stop, 0


@_jit
def _segment(u: np.ndarray, strata: np.ndarray, rotation: int, n: int) -> None:
    wide()
    scale = np.float64(n)
    for j in range(u.shape[0]):
        s = np.int64(strata[j]) + rotation
        if s >= n:
            s -= n
        v = (np.float64(s) + u[j]) / scale
        u[j] = v if v < _TOP else _TOP
