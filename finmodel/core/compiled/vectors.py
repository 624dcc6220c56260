"""The width of the vector instructions the compiled loops are built with.

LLVM, which numba compiles through, builds loops for Intel processors with AVX-512 from
256-bit instructions, because the first such processors (Skylake to Cooper Lake) lower
their clock while 512-bit instructions run. Later ones do not, or barely, and on them the
loops that do much arithmetic per value (the normal quantile and CDF of ``normal``) run
a fifth faster with 512-bit vectors. A loop asks for the processor's full width by
calling :func:`wide` first: LLVM then takes ``WIDTH`` bits as its preferred vector
width for that function alone (its ``"prefer-vector-width"`` attribute), and for nothing
else in the process. Processors without AVX-512 are unaffected (LLVM never uses a vector
wider than the processor has), and so are results: the same IEEE operations are done in
the same order whatever the width, so every value is bit for bit what it was.
"""

from __future__ import annotations

from typing import Any

from llvmlite import binding
from numba import types
from numba.core import config
from numba.extending import intrinsic

__all__ = ["WIDTH", "wide"]

# Intel's first processors with AVX-512 lower their clock for 512-bit instructions: LLVM's
# default (256-bit vectors) is kept there.
_SLOWED = frozenset({"knl", "knm", "skylake-avx512", "cascadelake", "cooperlake"})


def _width(cpu: str) -> int | None:
    """The preferred vector width, in bits, for processor ``cpu`` (LLVM's name), or None
    for LLVM's own choice."""
    return None if cpu in _SLOWED else 512


#: The preferred vector width of the compiled loops in bits (None: LLVM's own choice), for
#: the processor numba compiles for (``NUMBA_CPU_NAME``, by default this machine's).
WIDTH: int | None = _width(getattr(config, "CPU_NAME", None) or binding.get_host_cpu_name())


def _wide(typingctx: Any) -> Any:
    """Build the compiled function that calls this with vectors of ``WIDTH`` bits.

    Call it first in a loop's body; it does nothing when run. It sets LLVM's
    ``"prefer-vector-width"`` attribute on that function (llvmlite has no spelling for
    string attributes, so it is added to the function's attribute set as written).

    Examples
    --------
    >>> import numba
    >>> @numba.njit
    ... def double(x):
    ...     wide()
    ...     for i in range(x.shape[0]):
    ...         x[i] *= 2.0
    >>> import numpy as np
    >>> a = np.ones(3)
    >>> double(a)
    >>> a.tolist()
    [2.0, 2.0, 2.0]
    """

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        if WIDTH is not None:
            set.add(builder.function.attributes, f'"prefer-vector-width"="{WIDTH}"')
        return context.get_dummy_value()

    return types.none(), codegen


wide: Any = intrinsic(_wide)
wide.__doc__ = _wide.__doc__
