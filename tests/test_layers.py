"""The architecture holds: imports point down the layers, and the maths never prints.

core -> model -> engine -> io -> analysis -> outputs (DESIGN.md, "Architecture"): a layer may
import from the layers below it, never from those above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "finmodel"
LAYERS = ("core", "model", "engine", "io", "analysis", "outputs")
ABOVE = {layer: set(LAYERS[i + 1 :]) for i, layer in enumerate(LAYERS)}
QUIET = ("core", "model", "engine", "io", "analysis")


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _imported(source: str, where: Path) -> list[tuple[int, str]]:
    """Every module ``source`` imports, as absolute names.

    ``where`` is the file's path inside the package (``core/years.py``), used to
    resolve relative imports. ``from finmodel import engine`` counts as importing
    ``finmodel.engine``.
    """
    package = ["finmodel", *where.parent.parts]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _layer(module: str) -> str | None:
    """The layer an imported module belongs to; "finmodel" for the package itself."""
    parts = module.split(".")
    if parts[0] != "finmodel":
        return None
    if len(parts) == 1:
        return "finmodel"  # the top-level package imports every layer
    return parts[1] if parts[1] in LAYERS else None


def _upward_imports(layer: str) -> list[str]:
    forbidden = ABOVE[layer] | {"finmodel"}
    bad = []
    for path in _modules(layer):
        where = path.relative_to(PACKAGE)
        for line, module in _imported(path.read_text(encoding="utf-8"), where):
            if _layer(module) in forbidden:
                bad.append(f"{where}:{line} imports {module}")
    return bad


def test_every_lower_layer_has_modules_to_check():
    assert all(_modules(layer) for layer in ("core", "model", "engine"))


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_imports_point_down_only(layer):
    assert _upward_imports(layer) == []


@pytest.mark.parametrize(
    ("source", "where", "layer"),
    [
        ("from finmodel.engine.run import evaluate", "core/years.py", "engine"),
        ("import finmodel.outputs.demo", "model/lines.py", "outputs"),
        ("from ..analysis import metrics", "engine/run.py", "analysis"),
        ("from .. import outputs", "analysis/metrics.py", "outputs"),
        ("import finmodel as fm", "core/amounts.py", "finmodel"),
        ("from finmodel.core.errors import AmountError", "model/lines.py", "core"),
    ],
)
def test_the_import_checker_resolves_what_it_sees(source, where, layer):
    # the check above can fail: each of these would be caught (or, for core, allowed)
    modules = [module for _, module in _imported(source, Path(where))]
    assert layer in {_layer(m) for m in modules}


@pytest.mark.parametrize("layer", QUIET)
def test_the_maths_never_prints(layer):
    calls = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in _modules(layer)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    ]
    assert calls == []
