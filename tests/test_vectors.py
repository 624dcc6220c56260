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
