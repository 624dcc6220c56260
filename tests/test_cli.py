"""The finmodel command: run, check, list, formats and exit codes (0 ok, 1 disagreements, 2 bad input)."""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import finmodel as fm
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


def test_csv_long_format_is_rounded_as_the_table_prints_it():
    code, text = run("run", OCC_MTFP, "--format", "csv")
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith("# produced by finmodel ") and lines[1].startswith("# Monte Carlo (10000 trials; seed 2017")
    assert lines[2] == "table,scenario,basis,units,row,column,value"
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert list(frame.columns) == ["table", "scenario", "basis", "units", "row", "column", "value"]
    # 002_90ddc037a457842c.txt:1205, rounded to one place as printed (no 5.800000000000001)
    net = [line.rsplit(",", 1)[1] for line in lines if ",central,incremental,£m,Net Pressure / (Saving)," in line]
    assert net == ["5.8", "0.9", "-1.9", "-3.8", "1.0"]


def test_csv_one_file_per_table(tmp_path):
    code, text = run("run", OCC_CASE, "--format", "csv", "--out", str(tmp_path), "--simulate", "1000", "--seed", "1")
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["provenance.csv", "simulation-in-year.csv", "simulation-incremental.csv",
                     "simulation-summary.csv", "table-in-year.csv", "table-incremental.csv"]
    table = pd.read_csv(tmp_path / "table-incremental.csv", index_col=0)
    # the printed low case, 002_90ddc037a457842c.txt:1628-1631
    assert table.loc["Annual benefit"].tolist() == [2.0, 13.0, 13.0, 5.0, 33.0]
    assert table.loc["Cumulative net"].iloc[:4].tolist() == [-1.0, 4.0, 12.0, 16.0]
    assert str(tmp_path / "table-incremental.csv") in text


def test_run_prints_key_figures_labels_and_what_to_try_next():
    code, text = run("run", "occ-case-for-change-2018", "--simulate", "5000", "--seed", "7")
    assert code == 0
    assert "Source: Oxfordshire County Council, Performance Scrutiny Committee, 15 March 2018" in text
    assert "Scenario: low (the scenario of the published table)" in text
    assert "Scenario low, incremental benefits: each year's new on-going benefit" in text
    assert "Scenario low, in-year benefits: the benefit received in each year" in text
    # the low case's NPV, payback (002_90ddc037a457842c.txt:1611, "cash positive in year 2") and run rate (002:1609)
    assert "NPV                                 £56.1m" in text
    assert "Payback year                        2019/20" in text
    assert "Run rate (on-going benefit a year)  £33.0m" in text
    assert "P(NPV < 0)" in text and "Payback year       2018/19  2019/20" in text and "share of trials" in text
    assert "Seed 7 (random, 5,000 trials)" in text
    assert "Next:\n  finmodel run occ-case-for-change-2018 --scenario high" in text
    assert "finmodel report occ-case-for-change-2018 --out report" in text


def test_seed_without_a_simulation_is_refused():
    code, text = run("run", OCC_MTFP, "--seed", "3", "--simulate", "0")
    assert code == 2 and "--seed 3 sets the seed of a simulation, and this run has none" in text
    bare = ROOT / "scenarios" / "oxford-city-mtfs-2014.toml"
    code, text = run("run", str(bare), "--seed", "3")
    assert code == 2 and "the file has no [simulation] section" in text


def test_check_with_nothing_to_check_says_so(tmp_path):
    bare = tmp_path / "bare.toml"
    bare.write_text('title = "x"\n[model]\nkind = "MTFP"\nname = "x"\nstart = "2018/19"\nyears = 2\n'
                    '[[pressure]]\nname = "Demand"\namounts = [1, 2]\n')
    code, text = run("check", str(bare))
    assert code == 0 and "nothing to check" in text and "agrees" not in text


def test_help_states_the_real_defaults():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            code = main(["run", "--help"])
        except SystemExit as stop:  # argparse's --help exits
            code = stop.code
    assert code == 0
    text = " ".join(out.getvalue().split())
    assert "default: the scenario of the published table the file reproduces, e.g. low for the OCC case" in text
    assert "default: the file's [simulation] n" in text and "default: central" not in text


def test_template_command_writes_a_workbook_that_reads_back(tmp_path):
    code, text = run("template", "case", str(tmp_path / "case.xlsx"), "--start", "2018/19", "--years", "5")
    assert code == 0 and "fm.read_excel" in text
    model = fm.read_excel(tmp_path / "case.xlsx")
    assert model.timeline.labels[0] == "2018/19" and model.timeline.length == 5


def test_report_command_writes_the_page(tmp_path):
    code, text = run("report", "occ-mtfp-2018-22", "--out", str(tmp_path), "--excel")
    assert code == 0 and (tmp_path / "report.html").exists() and (tmp_path / "report.xlsx").exists()
    assert text.splitlines() == [str(tmp_path / "report.html"), str(tmp_path / "report.xlsx")]


def test_list_names_the_bundled_files_by_the_name_run_takes():
    code, text = run("list")
    assert code == 0
    for name in ("occ-case-for-change-2018", "occ-mtfp-2018-22", "occ-cdc-joint-posts-2019", "oxford-city-mtfs-2014"):
        assert text.count(name) >= 1
        assert run("run", name, "--simulate", "0")[0] == 0  # every name listed runs
    assert "Run one by its name, e.g. finmodel run occ-case-for-change-2018" in text


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
