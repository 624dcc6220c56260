"""Run every reproduction notebook in notebooks/ and check the committed copies carry no outputs.

Each notebook asserts the numbers it reproduces from the source papers, so a wrong number
fails its test with the failing cell's error. The notebooks are executed in memory (the
files are never rewritten) by a kernel started from *this* interpreter: the test writes a
throw-away kernelspec whose command is ``sys.executable``, so a kernelspec installed
elsewhere (or none at all) cannot make the notebooks run against another Python.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import ipykernel  # noqa: F401  (the kernel the notebooks run in; part of the [test] extra)
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
KERNEL = "finmodel-notebook-tests"
#: Seconds a single cell may run; each notebook as a whole takes a few seconds.
CELL_TIMEOUT = 120


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernelspec that starts ipykernel in the interpreter running the tests."""
    data_dir = tmp_path_factory.mktemp("jupyter")
    spec_dir = data_dir / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python ({sys.executable})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(data_dir))
        yield KERNEL


def _execute(nb: nbformat.NotebookNode, kernel: str) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=CELL_TIMEOUT,
        startup_timeout=60,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    return client.execute()


def test_there_are_notebooks() -> None:
    assert PATHS, f"no notebooks found in {NOTEBOOKS}"


def test_kernel_runs_in_this_interpreter(kernel_name: str) -> None:
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    out = _execute(probe, kernel_name).cells[0].outputs
    printed = "".join(o.get("text", "") for o in out if o.get("output_type") == "stream").strip()
    assert Path(printed).resolve() == Path(sys.prefix).resolve()


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: code cells {dirty} have outputs or execution counts; strip them"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_runs_and_its_assertions_hold(path: Path, kernel_name: str) -> None:
    nb = nbformat.read(path, as_version=4)
    try:
        _execute(nb, kernel_name)
    except CellExecutionError as err:
        message = re.sub(r"\x1b\[[0-9;]*m", "", str(err))  # drop the traceback's terminal colours
        pytest.fail(f"{path.name}: a cell failed\n{message}", pytrace=False)
