"""Shifted schedules times a factor per trial, written or added into a (years, trials) array.

The compiled form of :func:`finmodel.core.profiles.delayed` for its common case (delays
of whole years, a factor per trial) and of adding its result into a running total: the
same products and sums as numpy's, in the same order, without the temporary arrays.
"""

from __future__ import annotations

import numba
import numpy as np

from .vectors import wide

__all__ = ["shift_into"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def shift_into(
    out: np.ndarray, table: np.ndarray, delay: np.ndarray, factor: np.ndarray, scale: np.ndarray, mode: int
) -> bool:
    """``out`` (years, trials) set to (``mode`` 0), plus (1) or minus (-1) ``table[t, w] * f``.

    ``f`` is ``factor * scale`` (``scale`` one value per trial, or one for all: a line's
    amount times its delivery), multiplied in that order as numpy would.

    ``w`` is each trial's whole delay ``delay[i]`` (one delay for all when ``delay`` has
    one element), at most the number of years (a delay that long leaves nothing in the
    timeline); ``table`` is a schedule's shifts, column ``k`` shifted ``k`` years.
    Returns False, having written nothing, when a delay is not a whole number of years
    from 0 up (a fraction, a negative or a NaN): the caller then takes the general path.

    Where the delays take at most two values (a slip that happens or not), each trial
    picks its share by a comparison, which the compiler turns into vector instructions;
    more values are looked up per trial.

    Examples
    --------
    >>> from finmodel.core.profiles import _shifts
    >>> out = np.zeros((3, 2))
    >>> shift_into(out, _shifts((0.5, 1.0, 1.0)), np.array([0.0, 1.0]), np.array([10.0, 20.0]), np.ones(1), 0)
    True
    >>> out.T.tolist()
    [[5.0, 10.0, 10.0], [0.0, 10.0, 20.0]]
    """
    wide()
    years, n = out.shape
    width = table.shape[1] - 1
    lowest, highest = _whole_years(delay, width)
    if lowest < 0:
        return False
    if scale.shape[0] == n:
        product = np.empty(n)
        for i in range(n):
            product[i] = factor[i] * scale[i]
        factor = product
    elif scale[0] != 1.0:  # times 1 is the factor itself
        product = np.empty(n)
        one = scale[0]
        for i in range(n):
            product[i] = factor[i] * one
        factor = product
    if delay.shape[0] == 1 or lowest == highest:
        for t in range(years):
            _one_share(out[t], table[t, lowest], factor, mode)
    elif highest - lowest == 1:
        late = float(highest)
        for t in range(years):
            _two_shares(out[t], table[t, lowest], table[t, highest], late, delay, factor, mode)
    else:
        whole = np.minimum(delay, float(width)).astype(np.intp)
        for t in range(years):
            _many_shares(out[t], table[t], whole, factor, mode)
    return True


@_jit
def _whole_years(delay: np.ndarray, width: int) -> tuple[int, int]:
    """The fewest and most whole years of ``delay`` (each held at ``width``), or (-1, -1)
    when one is not a whole number of years from 0 up (a fraction, a negative, a NaN).

    Written without a branch that depends on the data, so that the compiler turns the
    loop into vector instructions: a delay is first held at ``width`` (a NaN becomes
    ``width`` but is caught by ``d >= 0`` failing), then compared with its whole part.
    """
    wide()
    most = float(width)
    lowest, highest = width, 0
    bad = 0
    for i in range(delay.shape[0]):
        d = delay[i]
        held = d if d < most else most
        k = int(held) if held >= 0.0 else 0
        bad |= (not d >= 0.0) | (k != held)
        lowest = min(lowest, k)
        highest = max(highest, k)
    if bad:
        return -1, -1
    return lowest, highest


@_jit
def _one_share(row: np.ndarray, share: float, factor: np.ndarray, mode: int) -> None:
    wide()
    if mode == 0:
        for i in range(row.shape[0]):
            row[i] = share * factor[i]
    elif mode > 0:
        for i in range(row.shape[0]):
            row[i] += share * factor[i]
    else:
        for i in range(row.shape[0]):
            row[i] -= share * factor[i]


@_jit
def _two_shares(
    row: np.ndarray, early: float, later: float, late: float, delay: np.ndarray, factor: np.ndarray, mode: int
) -> None:
    wide()
    if mode == 0:
        for i in range(row.shape[0]):
            row[i] = (later if delay[i] >= late else early) * factor[i]
    elif mode > 0:
        for i in range(row.shape[0]):
            row[i] += (later if delay[i] >= late else early) * factor[i]
    else:
        for i in range(row.shape[0]):
            row[i] -= (later if delay[i] >= late else early) * factor[i]


@_jit
def _many_shares(row: np.ndarray, shares: np.ndarray, whole: np.ndarray, factor: np.ndarray, mode: int) -> None:
    wide()
    if mode == 0:
        for i in range(row.shape[0]):
            row[i] = shares[whole[i]] * factor[i]
    elif mode > 0:
        for i in range(row.shape[0]):
            row[i] += shares[whole[i]] * factor[i]
    else:
        for i in range(row.shape[0]):
            row[i] -= shares[whole[i]] * factor[i]
