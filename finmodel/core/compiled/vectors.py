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

LLVM does not vectorise a loop that packs the values meeting a condition into the front
of an array, as the normal quantile does with its tails. :func:`packer` builds that step
for 8 values at a time from LLVM's vector operations: where the processor has a compress
instruction (AVX-512), the step is one instruction for the values and one for their
positions.
"""

from __future__ import annotations

from typing import Any

from llvmlite import binding, ir
from numba import types
from numba.core import config
from numba.extending import intrinsic

__all__ = ["WIDTH", "packer", "wide"]

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


# LLVM 19 and later have a compress that returns a vector; it is kept in a register and
# stored whole. Before, there is only the compressing store, which on some processors
# (AMD's Zen 4) is microcoded and many times slower than the two instructions.
_REGISTER = binding.llvm_version_info >= (19,)


def _declared(module: Any, name: str, result: Any, parameters: list[Any]) -> Any:
    """The function ``name`` of the LLVM ``module``, declared if it is not yet."""
    if name in module.globals:
        return module.globals[name]
    return ir.Function(module, ir.FunctionType(result, parameters), name=name)


def packer(centre: float, radius: float, register: bool = _REGISTER) -> Any:
    """A compiled step that packs, of 8 values, those farther than ``radius`` from ``centre``.

    The step, ``pack(x, start, places, scratch, m) -> int``, takes the 8 values
    ``x[start:start + 8]`` and appends those with ``|v - centre| > radius`` (NaN is not) to
    ``scratch[m:]``, and their positions to ``places[m:]``, in order; it returns ``m`` plus
    their number. ``x`` and ``scratch`` are contiguous float64 arrays, ``places`` a
    contiguous intp array. With ``register`` (LLVM 19 on) ``scratch[m:m + 8]`` and
    ``places[m:m + 8]`` are written in full, past the new count with values of no
    meaning, so the caller must have ``m <= start`` and arrays of at least ``start + 8``
    elements, as a loop packing ``x`` from its start into arrays of ``x``'s length has.

    Parameters
    ----------
    centre, radius : float
        The values packed are those with ``|v - centre| > radius``.
    register : bool, optional
        Compress in a register and store the 8 lanes (LLVM 19 on), or use LLVM's
        compressing store; the same values either way.

    Returns
    -------
    callable
        The step, callable from compiled code only.

    Examples
    --------
    >>> import numba, numpy as np
    >>> pack = packer(0.5, 0.425)
    >>> @numba.njit
    ... def tails(x):
    ...     places = np.zeros(x.shape[0], np.intp)
    ...     scratch = np.zeros(x.shape[0])
    ...     m = 0
    ...     for start in range(0, x.shape[0] - 7, 8):
    ...         m = pack(x, start, places, scratch, m)
    ...     return places[:m], scratch[:m]
    >>> x = np.array([0.5, 0.01, 0.3, 0.99, 0.5, 0.5, 0.95, 0.2, 0.0])
    >>> places, values = tails(x)
    >>> places.tolist(), values.tolist()
    ([1, 3, 6], [0.01, 0.99, 0.95])
    """
    lanes = 8

    def typer(typingctx: Any, x: Any, start: Any, places: Any, scratch: Any, m: Any) -> Any:
        arrays = (x, places, scratch)
        if not all(isinstance(a, types.Array) and a.ndim == 1 and a.layout == "C" for a in arrays):
            raise TypeError(f"packer: contiguous 1-d arrays expected, not {arrays}")
        if (x.dtype, places.dtype, scratch.dtype) != (types.float64, types.intp, types.float64):
            raise TypeError(f"packer: float64, intp and float64 arrays expected, not {arrays}")

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            module = builder.module

            def address(k: int, offset: Any) -> Any:  # of element ``offset`` of array argument k
                data = context.make_array(signature.args[k])(context, builder, value=args[k]).data
                return builder.gep(data, [offset])

            def vector(k: int) -> Any:  # a vector of array argument k's elements
                return ir.VectorType(context.get_data_type(signature.args[k].dtype), lanes)

            i32 = ir.IntType(32)
            flags = ir.VectorType(ir.IntType(1), lanes)
            kind = vector(0)
            values = builder.load(builder.bitcast(address(0, args[1]), kind.as_pointer()), align=8)
            fabs = _declared(module, f"llvm.fabs.v{lanes}f64", kind, [kind])
            distance = builder.call(fabs, [builder.fsub(values, ir.Constant(kind, [centre] * lanes))])
            mask = builder.fcmp_ordered(">", distance, ir.Constant(kind, [radius] * lanes))
            index = vector(2)
            first = builder.insert_element(ir.Constant(index, ir.Undefined), args[1], ir.Constant(i32, 0))
            splat = builder.shuffle_vector(first, first, ir.Constant(ir.VectorType(i32, lanes), [0] * lanes))
            positions = builder.add(splat, ir.Constant(index, list(range(lanes))))
            for packed, k in ((values, 3), (positions, 2)):
                element = packed.type.element
                suffix = f"v{lanes}" + ("f64" if isinstance(element, ir.DoubleType) else f"i{element.width}")
                target = address(k, args[4])
                if register:
                    name = f"llvm.experimental.vector.compress.{suffix}"
                    compress = _declared(module, name, packed.type, [packed.type, flags, packed.type])
                    front = builder.call(compress, [packed, mask, ir.Constant(packed.type, ir.Undefined)])
                    builder.store(front, builder.bitcast(target, packed.type.as_pointer()), align=8)
                else:
                    name = f"llvm.masked.compressstore.{suffix}"
                    store = _declared(module, name, ir.VoidType(), [packed.type, element.as_pointer(), flags])
                    builder.call(store, [packed, target, mask])
            byte = ir.IntType(lanes)
            ctpop = _declared(module, f"llvm.ctpop.i{lanes}", byte, [byte])
            count = builder.call(ctpop, [builder.bitcast(mask, byte)])
            return builder.add(args[4], builder.zext(count, args[4].type))

        return types.intp(x, types.intp, places, scratch, types.intp), codegen

    return intrinsic(typer)
