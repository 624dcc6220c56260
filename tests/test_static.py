"""ruff and mypy pass on the package (configured in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_passes_on_finmodel():
    result = _run("ruff", "check", "finmodel")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_passes_on_finmodel():
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
