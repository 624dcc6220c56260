"""The README's Python examples run as written, and say what they claim."""

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run_and_reproduce_the_seed_tables():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)  # our own README
    low = namespace["low"]
    table = low.table(basis="incremental")
    # 002_90ddc037a457842c.txt:1628-1631
    assert table.loc["Annual benefit"].tolist() == pytest.approx([2, 13, 13, 5, 33])
    assert table.loc["Cumulative net"].tolist()[:4] == pytest.approx([-1, 4, 12, 16])
    assert low.payback_year == "2019/20"
    # 002_90ddc037a457842c.txt:1205
    assert "£5.8m" in printed.getvalue() and "(£3.8m)" in printed.getvalue()


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    assert len(commands) == 2
    test_command = commands[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "finmodel run scenarios/" in commands[0] and "finmodel report scenarios/" in commands[0]
    # the main job installs finmodel and what it needs to run, not the test and docs tool chain
    assert "pip install -q -e . " in commands[0] and "[test]" not in commands[0]
