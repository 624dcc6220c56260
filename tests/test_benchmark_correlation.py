"""benchmarks/correlation.py measures what it says: its switched-off coupling leaves the
draws independent, its timed coupling leaves them correlated and is clocked, and the
script runs as a command."""

import subprocess
import sys
from pathlib import Path

from scipy import stats

import finmodel as fm
from benchmarks import models as m
from benchmarks.correlation import coupling
from benchmarks.impl_finmodel import build_model1
from finmodel.core.correlation import CorrelationGroup

ROOT = Path(__file__).resolve().parents[1]
RATES = [f"{name} run rate" for name in m.M1_CATEGORIES[:2]]


def _spearman(mode: str, seconds: list, sizes: set) -> float:
    with coupling(mode, seconds, sizes):
        sim = fm.simulate(build_model1(correlation=0.5), n=20_000, seed=5)
        x, y = (sim.samples(name) for name in RATES)
    return float(stats.spearmanr(x, y).statistic)


def test_the_coupling_switched_off_leaves_the_draws_independent_and_is_put_back():
    real = CorrelationGroup.couple_rows
    seconds: list = []
    assert abs(_spearman("off", seconds, set())) < 0.05  # 7 standard errors of 0 at 20,000
    assert seconds == [] and CorrelationGroup.couple_rows is real


def test_the_timed_coupling_correlates_and_is_clocked_per_chunk():
    seconds: list = []
    sizes: set = set()
    assert abs(_spearman("timed", seconds, sizes) - 0.5) < 0.03
    # every coupling of the run (a pass that reads inputs again couples again) is clocked
    assert sizes == {20_000} and seconds and all(t > 0 for t in seconds)


def test_the_script_runs_and_writes_its_table(tmp_path):
    out = tmp_path / "correlation.md"
    cmd = [sys.executable, "-m", "benchmarks.correlation", "--quick", "--out", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    for row in ("| correlated |", "| coupling off |", "| plain | ", "| four quantiles |", "| three CDFs |"):
        assert row in text
    assert "Traceback" not in proc.stderr
