"""Importing finmodel leaves the heavy modules unloaded until a function needs them.

``scipy.stats`` and ``scipy.optimize`` are imported inside the analysis and convergence
functions that use them, matplotlib with the first chart, openpyxl with the first
workbook, numba with the first simulation that runs a compiled loop; the ``finmodel``
command pays none of them to start. Each check runs in a fresh
interpreter, since this test process has imported them already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy.stats", "scipy.optimize", "matplotlib", "openpyxl", "tqdm", "numba")


def _loaded_after(statement: str) -> list[str]:
    """The heavy modules in ``sys.modules`` after ``statement`` runs in a new interpreter."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("statement", ["import finmodel", "import finmodel.outputs.cli"])
def test_import_loads_no_heavy_module(statement: str) -> None:
    assert _loaded_after(statement) == []


def test_heavy_module_loads_when_a_function_needs_it() -> None:
    """The check above can fail: calling a function that needs ``scipy.stats`` loads it."""
    loaded = _loaded_after("from finmodel.engine.convergence import mean_interval\nmean_interval([1.0, 2.0, 3.0])")
    assert "scipy.stats" in loaded
