"""The finmodel command: run, check, list, formats and exit codes (0 ok, 1 disagreements, 2 bad input)."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from finmodel.outputs.cli import main

ROOT = Path(__file__).resolve().parents[1]
OCC_CASE = str(ROOT / "scenarios" / "occ-case-for-change-2018.toml")
OCC_MTFP = str(ROOT / "scenarios" / "occ-mtfp-2018-22.toml")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_run_prints_the_published_case_its_check_and_a_simulation():
    code, text = run("run", OCC_CASE, "--simulate", "5000", "--seed", "2018")
    assert code == 0  # run lists disagreements but still succeeds
    # the printed low case, 002_90ddc037a457842c.txt:1628-1631, as the paper prints it
    assert "Scenario: low" in text
    assert "Annual benefit" in text and "£13.0m" in text and "-£17.0m" in text
    assert "Cumulative net" in text and "£16.0m" in text
    # the check: the sourcing table's high total (002_90ddc037a457842c.txt:1588) and the £2.38m statement
    assert "printed 12.76, recomputed 12.67" in text
    assert "2.38" in text
    assert "Monte Carlo: 5,000 trials" in text and "P(cumulative net >= 0)" in text


def test_run_named_and_case_scenarios():
    code, text = run("run", OCC_CASE, "--scenario", "high")
    assert code == 0 and "Scenario: high" in text and "£58.0m" in text


def test_check_exit_code_reports_disagreements():
    assert run("check", OCC_CASE)[0] == 1
    code, text = run("check", OCC_MTFP)
    assert code == 0 and "agrees" in text


def test_json_format_holds_every_table_the_scenario_and_the_simulation():
    code, text = run("run", OCC_MTFP, "--format", "json", "--simulate", "2000", "--seed", "1")
    payload = json.loads(text)
    assert code == 0
    assert payload["scenario"] == "central"
    net = payload["tables"]["incremental"]
    row = net["index"].index("Net Pressure / (Saving)")
    # 002_90ddc037a457842c.txt:1205
    assert [round(v, 1) for v in net["data"][row]] == [5.8, 0.9, -1.9, -3.8, 1.0]
    assert set(payload["tables"]) == {"incremental", "cumulative"}
    assert payload["check"]["ok"] is True
    assert payload["simulation"]["trials"] == 2000


def test_csv_format():
    code, text = run("run", OCC_MTFP, "--format", "csv")
    assert code == 0
    assert "Net Pressure / (Saving),5.8" in text.replace("5.800000000000001", "5.8")


def test_list_names_the_bundled_files():
    code, text = run("list")
    assert code == 0
    for name in (
        "occ-case-for-change-2018.toml",
        "occ-mtfp-2018-22.toml",
        "occ-cdc-joint-posts-2019.toml",
        "oxford-city-mtfs-2014.toml",
    ):
        assert name in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "no-such-file.toml"], "no-such-file.toml"),
        (["run", OCC_CASE, "--scenario", "plan Z"], "no scenario called 'plan Z'"),
        (["check", "no-such-file.toml"], "no-such-file.toml"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, message):
    code, text = run(*args)
    assert code == 2
    assert message in text and "Traceback" not in text


def test_bad_file_content_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[model]\nkind = "MTFP"\nname = "x"\nstart = "2018/20"\nyears = 2\n')
    code, text = run("run", str(bad))
    assert code == 2 and "2018/20" in text


def test_installed_console_script_and_debug_traceback():
    script = Path(sys.executable).with_name("finmodel")
    assert script.exists(), "the finmodel console script is installed with the package"
    done = subprocess.run(
        [str(script), "--debug", "check", "no-such-file.toml"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "no-such-file.toml" in done.stderr
