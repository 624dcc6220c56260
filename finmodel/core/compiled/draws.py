"""Inverse CDFs with a closed form, applied in place in one pass.

The compiled form of :func:`finmodel.core.distributions.triangular_ppf`: the same
operations in the same order as its numpy code, which makes four passes (or, with the
mode inside the range, two temporaries and a selection) over the uniforms.
"""

from __future__ import annotations

import numba
import numpy as np

from .vectors import wide

__all__ = ["triangular_into"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def triangular_into(u: np.ndarray, out: np.ndarray, low: float, mode: float, high: float) -> None:
    """Triangular(low, mode, high) draws of the uniforms ``u`` into ``out`` (may be ``u``).

    With ``w = high - low``: a mode at ``low`` gives ``sqrt(1 - u) * -w + high``; a mode at
    ``high`` gives ``sqrt(u) * w + low``; otherwise ``low + sqrt(u * (w * (mode - low)))``
    below ``u = (mode - low) / w`` and ``high - sqrt((1 - u) * (w * (high - mode)))`` from
    there. ``low < high``.

    Examples
    --------
    >>> out = np.empty(2)
    >>> triangular_into(np.array([0.5, 0.75]), out, 0.0, 0.0, 2.0)
    >>> out.round(4).tolist()
    [0.5858, 1.0]
    """
    wide()
    width = high - low
    n = u.shape[0]
    if mode == low:
        scale = -width
        for i in range(n):
            out[i] = np.sqrt(1.0 - u[i]) * scale + high
    elif mode == high:
        for i in range(n):
            out[i] = np.sqrt(u[i]) * width + low
    else:
        corner = (mode - low) / width
        left = width * (mode - low)
        right = width * (high - mode)
        for i in range(n):
            x = u[i]
            if x < corner:
                out[i] = low + np.sqrt(x * left)
            else:
                out[i] = high - np.sqrt((1.0 - x) * right)
