"""The [stress] section of scenario files, and the stress section of `finmodel run`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import finmodel as fm
from finmodel.io import BreachSettings, StressSettings
from finmodel.outputs.cli import main

ROOT = Path(__file__).resolve().parents[1]
OCC_CASE = ROOT / "scenarios" / "occ-case-for-change-2018.toml"

MODEL = """
[model]
kind = "CostBenefitCase"
name = "Invest to save"
start = "2018/19"
years = 3
units = "£m"

[amounts]
saving = { kind = "Range", low = 2, high = 8, name = "annual saving" }

[[benefit]]
name = "Saving"
run_rate = "saving"

[[cost]]
name = "Capital"
amounts = [9, 0, 0]
"""


def run(*args: str) -> str:
    out = io.StringIO()
    assert main(list(args), out=out) == 0
    return out.getvalue()


def test_the_bundled_case_asks_for_a_stress_test() -> None:
    stress = fm.load(OCC_CASE).stress
    assert stress == StressSettings(metric="npv", breach=BreachSettings("cumulative_net", "<", 0.0, "2019/20"))


def test_stress_settings_are_read_and_written_back() -> None:
    text = MODEL + """
[stress]
metric = "cumulative_net"
year = "2020/21"
points = "cases"
switching = false
target = 1.5
inputs = ["annual saving"]
breach = { metric = "payback_year", op = ">", threshold = "2019/20" }
"""
    sf = fm.loads(text)
    assert sf.stress == StressSettings(
        "cumulative_net", "2020/21", True, "cases", False, 1.5, ("annual saving",),
        BreachSettings("payback_year", ">", "2019/20"),
    )
    assert fm.loads(fm.dumps(sf)).stress == sf.stress


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('tornados = true', r"stress\.tornados: unknown key"),
        ('metric = "gap"', r"stress\.metric: \"gap\" is not a metric"),
        ('metric = "net"', r'stress: "net" has one value per year: give "year"'),
        ('metric = "npv"\nyear = "2019/20"', r"stress\.year: \"npv\" has one value per trial"),
        ('metric = "net"\nyear = "2025/26"', r"stress\.year: \"2025/26\" is not on the model's timeline"),
        ("points = [0.9, 0.1]", r"stress\.points: expected two increasing percentiles"),
        ('inputs = ["nope"]', r"stress\.inputs\[0\]: \"nope\" is not a named input"),
        ('breach = { metric = "npv", op = "=", threshold = 0 }', r"stress\.breach\.op: expected one of"),
        ('breach = { metric = "npv", op = "<" }', r'stress\.breach: missing key "threshold"'),
        ('breach = { metric = "payback_year", op = ">", threshold = 2 }', r"stress\.breach\.threshold: expected a financial year"),
    ],
)
def test_bad_stress_settings_name_the_key(section: str, message: str) -> None:
    with pytest.raises(fm.ScenarioFileError, match=message):
        fm.loads(MODEL + "\n[stress]\n" + section + "\n", name="bad.toml")


def test_run_reports_the_tornado_switching_values_and_the_breach(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(MODEL + '\n[stress]\nbreach = { metric = "npv", op = "<", threshold = 0 }\n', encoding="utf-8")
    text = run("run", str(path), "--simulate", "20000", "--seed", "1")
    assert "Stress test of npv (£m)" in text
    assert "standard errors:" in text  # of every figure of the summary
    assert "Tornado: each input alone at its P10 and P90" in text and "annual saving" in text
    assert "Switching values" in text
    # npv = s (1 + 1/1.035 + 1/1.035^2) - 9 = 0 at s = 3.1038
    switching = fm.switching_values(fm.load(path).model).table.loc["annual saving", "switching_value"]
    assert switching == pytest.approx(9 / sum(1.035**-t for t in range(3)))
    block = text.split("Switching values")[1].splitlines()
    assert block[1].split() == ["central", "switching", "value", "change", "%"]  # headers in words
    assert block[2].startswith("annual saving") and " 3.1 " in block[2]
    tornado = text.split("Tornado")[1].splitlines()
    assert tornado[1].split()[:4] == ["input", "at", "P10", "input"] and tornado[2].startswith("annual saving")
    expected = fm.simulate(fm.load(path).model, n=20_000, seed=1).probability("npv", "<", 0)
    assert f"P(npv < 0) = {expected:.1%}" in text
    without = run("run", str(path))
    assert "simulate to see it (--simulate N)" in without


def test_run_says_in_one_line_when_no_input_alone_reaches_the_target() -> None:
    text = run("run", str(OCC_CASE))
    assert "Switching values: no input alone takes npv to 0 within its range (npv at base " in text
    assert "does not cross" not in text and "NaN" not in text.split("Stress test")[1]


def test_run_lists_the_inputs_without_a_switching_value_after_those_with_one(tmp_path: Path) -> None:
    two = MODEL.replace('name = "annual saving" }', 'name = "annual saving" }\nother = { kind = "Range", low = 0, high = 1, name = "small" }')
    two = two.replace('run_rate = "saving"', 'run_rate = "saving + other"')
    path = tmp_path / "two.toml"
    path.write_text(two + "\n[stress]\ntornado = false\n", encoding="utf-8")
    block = run("run", str(path)).split("Switching values")[1].splitlines()
    assert block[2].startswith("annual saving") and block[3] == "No switching value within its range: small."


def test_run_notes_a_simulation_with_nothing_uncertain(tmp_path: Path) -> None:
    path = tmp_path / "certain.toml"
    path.write_text(MODEL.replace('saving = { kind = "Range", low = 2, high = 8, name = "annual saving" }', "saving = 5"),
                    encoding="utf-8")
    text = run("run", str(path), "--simulate", "100")
    assert "nothing in this model is uncertain" in text
