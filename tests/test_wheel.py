"""The package as a user installs it: a wheel carries the bundled scenario files.

A wheel is built from the checkout and imported from its unpacked contents (a wheel is
a zip of the installed files), in a fresh interpreter with the checkout out of the way.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("finmodel-*.whl")
    return found


def test_the_wheel_holds_every_subpackage_and_the_scenario_files(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "finmodel").rglob("__init__.py")}
    for package in packages:
        assert f"{package}/__init__.py" in names
    for toml in sorted((ROOT / "scenarios").glob("*.toml")):
        assert f"finmodel/scenarios/{toml.name}" in names


def test_bundled_files_load_from_the_wheel(wheel: Path, tmp_path: Path):
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    code = (
        "import finmodel as fm, pathlib; "
        "items = fm.bundled(); "
        "assert pathlib.Path(fm.__file__).is_relative_to(pathlib.Path(r'%s')), fm.__file__; "
        "print(len(items), fm.load(items[0].path).evaluate('high').run_rate)" % (tmp_path / "site")
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, r'{tmp_path / 'site'}'); {code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "58.0"]
