"""The finmodel command: what it prints, and its exit-code contract.

The contract (docs/cli.md, "Exit codes") is checked by running the installed ``finmodel``
command in a subprocess, reading its exit code and its standard error: 0 done, 1 check
found a disagreement, 2 bad input, 3 internal error, 130 interrupted; never a Python
traceback without ``--debug``. What the subcommands print is checked in-process.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

import finmodel as fm
from finmodel.outputs.cli import main

ROOT = Path(__file__).resolve().parents[1]
OCC_CASE = str(ROOT / "scenarios" / "occ-case-for-change-2018.toml")
OCC_MTFP = str(ROOT / "scenarios" / "occ-mtfp-2018-22.toml")
FINMODEL = Path(sys.executable).with_name("finmodel")
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shells and signals")


def run(*args: str) -> tuple[int, str]:
    """In-process: the exit code, and output and messages together."""
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def command(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The installed command, in a subprocess."""
    return subprocess.run([str(FINMODEL), *args], capture_output=True, text=True, timeout=300, **kwargs)


def one_line_message(done: subprocess.CompletedProcess) -> str:
    """Standard error when the command fails: one line, starting "finmodel:", no traceback."""
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr.split(":", 1)[0]
    assert done.stderr.startswith("finmodel: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr


# -- what the subcommands print ------------------------------------------------------------------
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
    assert lines[0].startswith("# produced by finmodel ") and lines[1].startswith("# Monte Carlo summary (10000 trials; seed 2017")
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
    assert text.rstrip().endswith("Monte Carlo: 5,000 trials, seed 7, method random; results do not depend on the "
                                  "chunk size")
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


# -- provenance on every output ------------------------------------------------------------------
SHA = hashlib.sha256(Path(OCC_MTFP).read_bytes()).hexdigest()


def test_json_carries_the_provenance_of_the_tables_and_the_simulation():
    payload = json.loads(run("run", OCC_MTFP, "--format", "json", "--simulate", "500", "--seed", "9")[1])
    tables, simulation = payload["provenance"], payload["simulation"]["provenance"]
    assert tables["file_sha256"] == simulation["file_sha256"] == SHA
    assert tables["scenario"] == "central" and tables["trials"] == 1 and tables["finmodel"]
    assert tables["source"].startswith("Oxfordshire County Council")
    assert (simulation["trials"], simulation["seed"], simulation["method"]) == (500, 9, "random")
    assert simulation["chunk_invariant"] is True


def test_csv_starts_with_a_provenance_comment():
    text = run("run", OCC_MTFP, "--format", "csv", "--simulate", "500", "--seed", "9")[1]
    first = next(csv.reader(io.StringIO(text)))
    assert len(first) == 1 and first[0].startswith("# produced by finmodel ") and SHA in first[0]
    assert "# Monte Carlo summary (500 trials; seed 9; method random" in text  # one cell: no commas


def test_the_text_report_ends_with_its_provenance():
    text = run("run", OCC_MTFP, "--simulate", "500", "--seed", "9")[1]
    assert "Produced by finmodel " in text and f"(SHA-256 {SHA})" in text
    assert text.rstrip().endswith("Monte Carlo: 500 trials, seed 9, method random; results do not depend on the chunk size")
    assert f"(SHA-256 {SHA})" in run("check", OCC_MTFP)[1]


# -- safe text in CSV ------------------------------------------------------------------------------
def test_csv_never_writes_a_name_a_spreadsheet_would_run(tmp_path):
    path = tmp_path / "names.toml"
    path.write_text(
        textwrap.dedent(
            """
            [model]
            kind = "MTFP"
            name = "=cmd|' /C calc'!A0"
            start = "2018/19"
            years = 2
            [[pressure]]
            name = '=HYPERLINK("http://example.com", "details")'
            amounts = [1, 2]
            [[saving]]
            name = "@SUM(A1:A9)"
            amounts = [0.5, 0]
            [[investment]]
            name = "+1+1"
            amounts = [1, 0]
            [[funding]]
            name = "-2+3"
            amounts = [0.1, 0.1]
            """
        ),
        encoding="utf-8",
    )
    code, text = run("run", str(path), "--format", "csv", "--simulate", "100", "--seed", "1")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    texts = [cell for cell in cells if not _is_number(cell)]
    assert "'=HYPERLINK(\"http://example.com\", \"details\")" in texts and "'@SUM(A1:A9)" in texts
    assert not [cell for cell in texts if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# -- the exit-code contract, through the installed command ------------------------------------------
def test_the_installed_command_exits_0_when_done():
    assert FINMODEL.exists(), "the finmodel console script is installed with the package"
    for args in (("run", OCC_MTFP), ("check", OCC_MTFP), ("list",), ("--help",)):
        done = command(*args)
        assert done.returncode == 0 and done.stderr == "", (args, done.stderr)


def test_the_installed_command_exits_1_when_check_disagrees():
    done = command("check", OCC_CASE)
    assert done.returncode == 1 and done.stderr == ""
    assert "printed 12.76, recomputed 12.67" in done.stdout  # 002_90ddc037a457842c.txt:1588


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "no-such-file.toml"], "no-such-file.toml: cannot read the file (No such file or directory)"),
        (["check", "no-such-file.toml"], "no-such-file.toml: cannot read the file"),
        (["run", OCC_CASE, "--scenario", "plan Z"], "no scenario called 'plan Z'"),
        (["run", OCC_CASE, "--simulate", "1000000000000"], "is more trials than finmodel runs at once"),
        (["run", OCC_CASE, "--simulate", "-5"], "n (-5) must be a whole number of trials >= 1"),
        (["check", "/dev/zero"], "/dev/zero: not a regular file"),
        (["check", str(ROOT / "scenarios")], "scenarios: a folder"),
    ],
)
def test_bad_input_exits_2_with_a_one_line_message(args, message):
    done = command(*args)
    assert done.returncode == 2
    assert message in one_line_message(done)


def test_a_bad_option_exits_2_with_the_usage():
    done = command("run", OCC_CASE, "--simulate", "lots")
    assert done.returncode == 2 and "invalid int value: 'lots'" in done.stderr and "Traceback" not in done.stderr


def test_bad_file_content_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[model]\nkind = "MTFP"\nname = "x"\nstart = "2018/20"\nyears = 2\n')
    done = command("run", str(bad))
    assert done.returncode == 2 and "model.start" in one_line_message(done) and "2018/20" in done.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5_000 + "]" * 5_000,  # nested deeper than a parser's recursion
        '[model]\nkind = "MTFP"\nname = "m"\nstart = "2018/19"\nyears = 1\n[[table]]\nname = "T"\nsource = "s"\n'
        'columns = ["2018/19"]\nrounding = -400\n',
        "[model]\nkind = 'MTFP'\nname = 'm'\nstart = '2018/19'\nyears = 1\n[simulation]\nn = 9223372036854775807\n",
    ],
    ids=["deep lists", "rounding -400", "2**63 - 1 trials"],
)
def test_files_that_used_to_crash_exit_2(tmp_path, text):
    path = tmp_path / "x.toml"
    path.write_text(text)
    for subcommand in ("run", "check"):
        done = command(subcommand, str(path))
        assert done.returncode == 2
        one_line_message(done)


def test_an_internal_error_exits_3_with_one_line_and_a_pointer_to_debug(tmp_path):
    # a bug is simulated by replacing `list` with a function that fails, when Python starts
    (tmp_path / "sitecustomize.py").write_text(
        "import finmodel.outputs.cli as cli\n"
        "def broken(*args):\n"
        "    return {}['no such key']\n"
        "cli._list = broken\n"
        "if hasattr(cli, 'COMMANDS'):\n"
        "    cli.COMMANDS['list'] = broken\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = command("list", env=env)
    assert done.returncode == 3
    message = one_line_message(done)
    assert "internal error (KeyError: 'no such key')" in message and "--debug" in message
    debug = command("--debug", "list", env=env)
    assert debug.returncode == 3 and "Traceback" in debug.stderr and "broken" in debug.stderr


def test_debug_shows_the_traceback_of_bad_input():
    done = command("--debug", "check", "no-such-file.toml")
    assert done.returncode == 2
    assert "Traceback" in done.stderr and "no-such-file.toml" in done.stderr


@POSIX
def test_a_closed_standard_output_exits_2_with_a_message():
    done = subprocess.run(
        ["sh", "-c", f'"{FINMODEL}" list >&-'], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "standard output is closed" in one_line_message(done)


@POSIX
def test_a_reader_that_goes_away_ends_the_command_quietly():
    child = subprocess.Popen(
        [str(FINMODEL), "run", OCC_CASE, "--simulate", "20000", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()
    child.stdout.close()  # as `| head -1` does
    err = child.stderr.read()
    child.wait(timeout=300)
    assert child.returncode == 0 and err == b""


def test_a_case_with_no_costs_runs(tmp_path):
    path = tmp_path / "no-costs.toml"
    path.write_text(
        '[model]\nkind = "CostBenefitCase"\nname = "No costs"\nstart = "2018/19"\nyears = 2\n'
        '[[benefit]]\nname = "b"\nrun_rate = { kind = "Range", low = 1, high = 2 }\n'
        "[simulation]\nn = 1000\nseed = 1\n"
    )
    done = command("run", str(path))
    assert done.returncode == 0 and done.stderr == ""
    assert "Monte Carlo: 1,000 trials" in done.stdout and "roi" in done.stdout


@POSIX
def test_ctrl_c_exits_130_with_one_line(tmp_path):
    # slow enough to be interrupted in the simulation: 300 uncertain pressures over 30 years
    lines = "\n".join(
        f'[[pressure]]\nname = "P{i}"\namount = {{ kind = "PERT", low = 1, mode = 2, high = 4 }}\n'
        for i in range(300)
    )
    path = tmp_path / "slow.toml"
    path.write_text(f'[model]\nkind = "MTFP"\nname = "Slow"\nstart = "2020/21"\nyears = 30\n{lines}')
    child = subprocess.Popen(
        [str(FINMODEL), "run", str(path), "--simulate", "1000000", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_cpu(child.pid, seconds=4.0)  # past start-up (imports take about 1 s of CPU)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 130, err
    assert err == "finmodel: interrupted\n"


def _wait_for_cpu(pid: int, seconds: float) -> None:
    """Wait until process ``pid`` has used ``seconds`` of CPU time (Linux's /proc; elsewhere a fixed wait)."""
    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if not stat.exists():
            time.sleep(2 * seconds)
            return
        fields = stat.read_text().rsplit(")", 1)[1].split()
        if (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") >= seconds:  # utime + stime
            return
        time.sleep(0.2)
