"""Every compiled loop is built with the processor's full vector width where that is wise.

``finmodel/core/compiled/vectors.py``: a loop that calls ``wide()`` first gets LLVM's
``"prefer-vector-width"`` attribute, so that on processors with AVX-512 that keep their
clock it is built from 512-bit instructions. Results do not depend on the width: the
bit-for-bit comparisons with numpy in ``test_compiled.py`` and ``test_lhs.py`` run on the
loops so built.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numba
import numpy as np
import pytest
from llvmlite import binding

from finmodel.core import compiled
from finmodel.core.compiled import vectors

COMPILED = Path(compiled.__file__).parent
MODULES = sorted(p for p in COMPILED.glob("*.py") if p.name not in ("__init__.py", "vectors.py"))


def _jitted(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Name) and d.id == "_jit" for d in node.decorator_list)
    ]


def _first_statement(node: ast.FunctionDef) -> ast.stmt:
    body = node.body
    docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    return body[1] if docstring else body[0]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_compiled_function_asks_for_wide_vectors_first(path: Path) -> None:
    functions = _jitted(path)
    assert functions, f"{path.name} has no compiled function: is its decorator still `_jit`?"
    for node in functions:
        first = _first_statement(node)
        call = first.value if isinstance(first, ast.Expr) else None
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "wide", (
            f"{path.name}: {node.name} does not call wide() first"
        )


@pytest.mark.parametrize(
    ("cpu", "width"),
    [
        ("skylake-avx512", None),  # lowers its clock for 512-bit instructions: LLVM's choice kept
        ("cascadelake", None),
        ("cooperlake", None),
        ("icelake-server", 512),
        ("sapphirerapids", 512),
        ("emeraldrapids", 512),
        ("znver4", 512),
        ("haswell", 512),  # no AVX-512: LLVM never goes wider than the processor
    ],
)
def test_the_width_follows_the_processor(cpu: str, width: int | None) -> None:
    assert vectors._width(cpu) == width


def _doubled(mark: bool):
    def double(x):
        if mark:
            vectors.wide()
        for i in range(x.shape[0]):
            x[i] = x[i] * 1.5 + 2.0

    return numba.njit(error_model="numpy")(double)


def _uses_zmm(function) -> bool:
    return "zmm" in function.inspect_asm(function.signatures[0])


@pytest.mark.skipif(
    not binding.get_host_cpu_features().get("avx512f", False) or vectors.WIDTH != 512,
    reason="this processor has no AVX-512, or keeps LLVM's 256-bit default",
)
def test_wide_vectors_are_used_by_the_marked_loops_only_and_change_no_value() -> None:
    x = np.random.default_rng(0).random(1_001)
    marked, plain = _doubled(True), _doubled(False)
    a, b = x.copy(), x.copy()
    marked(a)
    plain(b)
    assert np.array_equal(a, b)
    assert _uses_zmm(marked) and not _uses_zmm(plain)
    # one of finmodel's own loops, compiled afresh (code read from numba's cache cannot be inspected)
    cdf_into = numba.njit(error_model="numpy")(compiled.load("normal")._cdf_into.py_func)
    y = np.random.default_rng(1).normal(size=1_001)
    out = np.empty_like(y)
    cdf_into(out, y, 1.0)
    assert _uses_zmm(cdf_into)
    assert np.array_equal(out, compiled.load("normal").cdf(y))


def _packing(register: bool):
    pack = vectors.packer(0.5, 0.425, register=register)

    def tails(x):
        places = np.full(x.shape[0], -1, np.intp)
        scratch = np.full(x.shape[0], -1.0)
        m = 0
        for start in range(0, x.shape[0] - 7, 8):
            m = pack(x, start, places, scratch, m)
        return places, scratch, m

    return numba.njit(error_model="numpy")(tails)


def _edgy(n: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).random(n)
    x[::7] = 0.075  # |x - 1/2| is 0.425 to the last bit or not, as numpy computes it
    x[::11] = 0.925
    x[::13] = np.nan
    x[::17] = np.nextafter(0.925, 1.0)
    x[::19] = 0.0
    return x


@pytest.mark.parametrize("register", [True, False], ids=["compress", "compressing-store"])
@pytest.mark.parametrize("n", [0, 7, 8, 9, 64, 1_003])
def test_packing_keeps_the_values_far_from_the_centre_and_their_places_in_order(
    register: bool, n: int
) -> None:
    if register and binding.llvm_version_info < (19,):
        pytest.skip("LLVM before 19 has no compress to a register")
    x = _edgy(n, n)
    places, scratch, m = _packing(register)(x)
    whole = n - n % 8
    expected = np.flatnonzero(np.abs(x[:whole] - 0.5) > 0.425)  # NaN is not packed
    assert m == expected.size
    assert places[:m].tolist() == expected.tolist()
    assert np.array_equal(scratch[:m], x[expected])
    if not register:  # a compressing store writes nothing past the count
        assert (places[m:] == -1).all() and (scratch[m:] == -1.0).all()


def test_packing_asks_for_contiguous_arrays_of_the_right_types() -> None:
    pack = vectors.packer(0.5, 0.425)

    @numba.njit
    def strided(x):
        return pack(x[::2], 0, np.zeros(8, np.intp), np.zeros(8), 0)

    with pytest.raises((TypeError, numba.TypingError), match="contiguous 1-d arrays"):
        strided(np.zeros(16))


@pytest.mark.skipif(
    not binding.get_host_cpu_features().get("avx512f", False) or binding.llvm_version_info < (19,),
    reason="this processor has no AVX-512, or LLVM has no compress to a register",
)
def test_the_quantiles_tails_are_packed_by_compress_instructions_in_registers() -> None:
    normal = compiled.load("normal")
    quantile_into = numba.njit(error_model="numpy")(normal._quantile_into.py_func)
    p = _edgy(1_001, 3)
    out = np.empty_like(p)
    quantile_into(out, p, np.empty(p.shape[0], np.intp), np.empty_like(p), 0.0)
    assert np.array_equal(out, normal.quantile(p), equal_nan=True)
    asm = quantile_into.inspect_asm(quantile_into.signatures[0])
    compresses = [line.split("#")[0] for line in asm.splitlines() if "compress" in line]
    assert any("vcompresspd" in c for c in compresses) and any("vpcompressq" in c for c in compresses)
    # the register form: the microcoded store to memory (Zen 4) is not used
    assert not any("(" in c for c in compresses), compresses


def test_the_quantile_refuses_work_space_shorter_than_its_probabilities() -> None:
    normal = compiled.load("normal")
    p = np.full(16, 0.01)
    with pytest.raises(ValueError, match="work space"):
        normal._quantile_into(np.empty(16), p, np.empty(8, np.intp), np.empty(16))
