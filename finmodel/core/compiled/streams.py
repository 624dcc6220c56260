"""Uniforms from numpy's PCG64 streams, bit for bit what ``Generator.random`` gives.

numpy's ``Generator.random`` turns each 64-bit output of its bit generator into a double
as ``(x >> 11) * 2**-53``. PCG64's output comes from a 128-bit linear congruential
generator: each step sets the state ``s`` to ``s * M + inc`` (mod ``2**128``) and outputs
the new state's high and low halves exclusive-ored, rotated right by its top six bits
(XSL-RR). numpy does one step after another, each waiting for the last multiplication.

:func:`fill` does the same steps in :data:`LANES` interleaved lanes: lane ``j`` holds
states ``j + 1``, ``j + 1 + LANES``, ... and moves ``LANES`` steps at once, by
``s * M**LANES + inc * (M**(LANES - 1) + ... + M + 1)``, which is the same state, so the
doubles are the same, in the same order; the processor works on the lanes'
multiplications side by side. The 128-bit arithmetic is LLVM's own (``i128``), reached
through an intrinsic. A stream's state is kept as :func:`state` lays it out, and
:func:`fill` advances it, so that the next call goes on where the last stopped, as the
generator would.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from .vectors import wide

__all__ = ["LANES", "fill", "position", "state"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")

MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645  # PCG64's (numpy's PCG_DEFAULT_MULTIPLIER_128)
LANES = 4  # fill's loop is written out for four lanes
_MASK = (1 << 64) - 1
_M_HI, _M_LO = MULTIPLIER >> 64, MULTIPLIER & _MASK
_MASK_128 = (1 << 128) - 1
_I64, _I128 = ir.IntType(64), ir.IntType(128)


def _mul_add(typingctx: Any, s_hi: Any, s_lo: Any, a_hi: Any, a_lo: Any, c_hi: Any, c_lo: Any) -> Any:
    """``s * a + c`` mod ``2**128``, each number given and returned as (high, low) halves."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        def join(hi: Any, lo: Any) -> Any:
            high = builder.shl(builder.zext(hi, _I128), ir.Constant(_I128, 64))
            return builder.or_(high, builder.zext(lo, _I128))

        s, a, c = join(*args[0:2]), join(*args[2:4]), join(*args[4:6])
        r = builder.add(builder.mul(s, a), c)
        hi = builder.trunc(builder.lshr(r, ir.Constant(_I128, 64)), _I64)
        return context.make_tuple(builder, signature.return_type, (hi, builder.trunc(r, _I64)))

    u64 = types.uint64
    return types.UniTuple(u64, 2)(u64, u64, u64, u64, u64, u64), codegen


_step: Any = intrinsic(_mul_add)
_SCALE = 1.0 / 9007199254740992.0  # 2**-53


@numba.njit(cache=True, nogil=True, error_model="numpy", inline="always")
def _double(hi: Any, lo: Any) -> float:
    """The double of the state (hi, lo): XSL-RR output, its top 53 bits times ``2**-53``."""
    x = hi ^ lo
    r = hi >> np.uint64(58)
    x = (x >> r) | (x << ((np.uint64(64) - r) & np.uint64(63)))
    return float(np.int64(x >> np.uint64(11))) * _SCALE


def state(bit_generator: np.random.PCG64) -> np.ndarray:
    """A PCG64 stream's position as :func:`fill` reads it: eight unsigned 64-bit words.

    The state and the increment, then the multiplier and increment of ``LANES`` steps at
    once, each 128-bit number as its high and low halves.

    Examples
    --------
    >>> s = state(np.random.PCG64(1))
    >>> s.dtype, s.shape
    (dtype('uint64'), (8,))
    """
    words = bit_generator.state["state"]
    current, inc = words["state"], words["inc"]
    a, c = 1, 0
    for _ in range(LANES):
        a, c = (a * MULTIPLIER) & _MASK_128, (c * MULTIPLIER + inc) & _MASK_128
    return np.array([v >> s & _MASK for v in (current, inc, a, c) for s in (64, 0)], dtype=np.uint64)


def position(words: np.ndarray) -> int:
    """The 128-bit state held by ``words`` (see :func:`state`), as numpy's PCG64 states it.

    Examples
    --------
    >>> bits = np.random.PCG64(1)
    >>> position(state(bits)) == bits.state["state"]["state"]
    True
    """
    return int(words[0]) << 64 | int(words[1])


@_jit
def fill(words: np.ndarray, out: np.ndarray) -> None:
    """Fill ``out`` with the stream's next uniforms and advance ``words`` past them.

    ``words`` is a stream's position from :func:`state`; ``out`` a float64 array. The
    values are those ``Generator.random`` would give, bit for bit.

    Examples
    --------
    >>> bits = np.random.PCG64(7)
    >>> words, out = state(bits), np.empty(10)
    >>> fill(words, out)
    >>> bool(np.array_equal(out, np.random.Generator(bits).random(10)))
    True
    >>> position(words) == bits.state["state"]["state"]
    True
    """
    wide()
    n = out.shape[0]
    hi, lo, c_hi, c_lo = words[0], words[1], words[2], words[3]
    m_hi, m_lo = np.uint64(_M_HI), np.uint64(_M_LO)
    i = 0
    if n >= 2 * LANES:
        h0, l0 = _step(hi, lo, m_hi, m_lo, c_hi, c_lo)
        h1, l1 = _step(h0, l0, m_hi, m_lo, c_hi, c_lo)
        h2, l2 = _step(h1, l1, m_hi, m_lo, c_hi, c_lo)
        h3, l3 = _step(h2, l2, m_hi, m_lo, c_hi, c_lo)
        a_hi, a_lo, k_hi, k_lo = words[4], words[5], words[6], words[7]
        while True:
            out[i] = _double(h0, l0)
            out[i + 1] = _double(h1, l1)
            out[i + 2] = _double(h2, l2)
            out[i + 3] = _double(h3, l3)
            i += LANES
            if i + LANES > n:
                break
            h0, l0 = _step(h0, l0, a_hi, a_lo, k_hi, k_lo)
            h1, l1 = _step(h1, l1, a_hi, a_lo, k_hi, k_lo)
            h2, l2 = _step(h2, l2, a_hi, a_lo, k_hi, k_lo)
            h3, l3 = _step(h3, l3, a_hi, a_lo, k_hi, k_lo)
        hi, lo = h3, l3
    while i < n:
        hi, lo = _step(hi, lo, m_hi, m_lo, c_hi, c_lo)
        out[i] = _double(hi, lo)
        i += 1
    words[0], words[1] = hi, lo
