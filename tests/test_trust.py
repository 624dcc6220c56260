"""What a section 151 officer relies on: no crash escapes, nothing runs away, files are
written whole or not at all, the same inputs give the same numbers, outputs say what
produced them.

Each test here is a defect found by trying finmodel as a hostile or careless user would
(the refusals among them are in tests/test_bad_input.py; the command line's crashes and
exit codes in tests/test_cli.py). docs/promises.md lists the promise each test checks.
"""

from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import finmodel as fm

YEARS = fm.Timeline("2018/19", 4)
PHASING = fm.Profile.increments([2, 13, 13, 5])  # 002_90ddc037a457842c.txt:1628
OCC = fm.scenarios_folder() / "occ-case-for-change-2018.toml"


def _occ_case() -> fm.CostBenefitCase:
    return fm.CostBenefitCase(
        "OCC case for change (January 2018)",
        YEARS,
        [
            fm.Benefit("Operating model transformation", fm.Range(21, 33), PHASING),  # 002:1553
            fm.Benefit("Quick wins", fm.Range(8, 17), PHASING),  # 002:1554
            fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), PHASING),  # 002:1555
        ],
        [fm.Cost("Implementation", [3, 8, 5, 1])],  # 002:1629
    )


# -- expressions: built in linear time, walked without recursion ------------------------------
def test_a_sum_of_ten_thousand_inputs_builds_and_evaluates():
    inputs = [fm.Uniform(i, i + 1) for i in range(10_000)]
    total = sum(inputs)
    assert len(total.leaves()) == 10_000 and total.leaves()[0] is inputs[0]
    assert total.bounds() == (49_995_000.0, 50_005_000.0)  # sum of i and of i + 1, i < 10,000
    assert total.case("high") == 50_005_000.0
    assert all(sign == 1 for sign in total.signs().values())
    assert len(repr(total)) < 1_000  # described lazily and cut short
    case = fm.CostBenefitCase("sum", fm.Timeline("2018/19", 2), [fm.Benefit("All", total)])
    draws = fm.simulate(case, n=200, seed=1).samples("run_rate")
    assert (draws >= 49_995_000.0).all() and (draws <= 50_005_000.0).all()


def test_building_an_expression_describes_nothing(monkeypatch):
    described = []
    original = fm.Expr.__repr__
    monkeypatch.setattr(fm.Expr, "__repr__", lambda self: described.append(1) or original(self))
    x = fm.Range(1, 2)
    e = x
    for _ in range(300):
        e = 2 * (e + 1) - x  # each step adds numbers and an input to the whole expression so far
    assert described == []
    assert e.case("low") == pytest.approx(1 + 2 * (2**300 - 1) / 1)


def test_a_shared_sub_expression_is_walked_once():
    x = fm.Range(1, 2)
    e = x
    for _ in range(200):
        e = e + e  # 2**200 terms as a tree, 200 operations as built
    assert e.leaves() == (x,) and e.signs() == {x: 1}
    assert e.case("high") == 2.0**201
    assert np.array_equal(e.sample(10, seed=3), 2.0**200 * x.sample(10, seed=3))


def test_a_deep_expression_pickles():
    x = fm.Range(1, 2, name="x")
    e = x
    for i in range(5_000):
        e = e + i
    again = pickle.loads(pickle.dumps(e))
    assert again.depth == e.depth and again.case("high") == e.case("high")


def test_a_chain_of_600_named_amounts_loads():
    names = "\n".join(f'a{i} = "a{i - 1} + 1"' for i in range(1, 601))
    sf = fm.loads(
        '[model]\nkind = "CostBenefitCase"\nname = "Chain"\nstart = "2018/19"\nyears = 1\n'
        f'[amounts]\na0 = {{ kind = "Range", low = 1, high = 2 }}\n{names}\n'
        '[[benefit]]\nname = "b"\nrun_rate = "a600"\n'
    )
    assert sf.evaluate("high").run_rate == 602.0
    assert list(sf.amounts)[:3] == ["a0", "a1", "a2"]  # in the file's order


def _deep_and_long_case() -> fm.CostBenefitCase:
    growth = fm.Range(1.0, 1.02, name="growth")
    deep = fm.Fixed(1.0, name="base")
    for _ in range(300):  # 600 operations deep: more than 64 in one string
        deep = deep * growth + 0.5
    long = sum(fm.Range(i, i + 1, name=f"area {i}") for i in range(400))  # thousands of characters
    return fm.CostBenefitCase(
        "Deep", fm.Timeline("2018/19", 2), [fm.Benefit("Deep", deep / 1e3), fm.Benefit("Long", long)]
    )


def test_dump_writes_deep_and_long_expressions_that_load_reads():
    case = _deep_and_long_case()
    text = fm.dumps(case)
    again = fm.loads(text).model
    assert fm.dumps(again) == text
    for scenario in ("low", "central", "high"):
        pd.testing.assert_frame_equal(fm.evaluate(case, scenario).table(), fm.evaluate(again, scenario).table())
    a = fm.simulate(case, n=500, seed=4).samples("net")
    np.testing.assert_array_equal(a, fm.simulate(again, n=500, seed=4).samples("net"))


# -- files -------------------------------------------------------------------------------------
def test_a_file_with_a_byte_order_mark_loads(tmp_path):
    text = OCC.read_text(encoding="utf-8")
    marked = tmp_path / "windows.toml"
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert fm.load(marked).evaluate("high").run_rate == 58.0
    assert fm.loads("\ufeff" + text).evaluate("low").run_rate == 33.0


@pytest.mark.skipif(sys.platform == "win32", reason="limits a file's size with RLIMIT_FSIZE")
def test_a_write_that_fails_half_way_leaves_the_earlier_file_as_it_was(tmp_path):
    target = tmp_path / "case.toml"
    fm.dump(_occ_case(), target)
    before = target.read_bytes()
    # the second write is several times larger, and the process may write only 1 kB more
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        import finmodel as fm
        case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2),
            [fm.Benefit(f"Benefit {{i}}", fm.Range(i, i + 1)) for i in range(200)])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (a full disk)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 1024}, {len(before) + 1024}))
        try:
            fm.dump(case, sys.argv[1])
        except OSError as err:
            print("failed:", err)
        """
    )
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True, text=True, timeout=120)
    assert "failed:" in done.stdout, done.stdout + done.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]  # no temporary file left


def test_load_reads_the_files_sha256_into_every_result():
    sf = fm.load(OCC)
    digest = hashlib.sha256(OCC.read_bytes()).hexdigest()
    assert sf.sha256 == digest
    for result in (sf.evaluate("low"), sf.simulate(n=100, seed=1)):
        assert result.provenance.file_sha256 == digest
        assert result.provenance.source == sf.source and result.provenance.model == sf.model.name
    assert sf.evaluate("low").table().attrs["provenance"]["file_sha256"] == digest  # tables carry it too
    assert fm.evaluate(sf.model).provenance.file_sha256 is None  # a model alone has no file


# -- numbers -----------------------------------------------------------------------------------
def test_summary_keeps_trials_whose_return_is_infinite():
    # about half the trials have no cost (Chance 0 or 1 times 5): their return on investment is inf
    case = fm.CostBenefitCase(
        "c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Range(1, 2))], [fm.Cost("k", [fm.Chance(0.51) * 5.0, 0])]
    )
    sim = fm.simulate(case, n=10_000, seed=1)
    roi = sim.samples("roi")
    assert 0.4 < np.isinf(roi).mean() < 0.6
    summary = sim.summary().loc["roi"]
    quantiles = sim.quantiles("roi", [0.1, 0.5, 0.9])
    assert summary["P50"] == quantiles[0.5] and summary["P90"] == quantiles[0.9] == np.inf
    assert summary["mean"] == np.inf  # not the mean of the finite trials only


def test_table_means_do_not_depend_on_the_chunk_size():
    case = _occ_case()
    tables = [
        fm.simulate(case, n=50_000, seed=2018, chunk_size=size).table(basis=basis)
        for size in (999, 4_096, 50_000)
        for basis in ("incremental",)
    ]
    for other in tables[1:]:
        pd.testing.assert_frame_equal(tables[0], other, check_exact=True)
    means = [fm.simulate(case, n=30_001, seed=7, chunk_size=size).mean("net") for size in (1_000, 30_001)]
    pd.testing.assert_series_equal(means[0], means[1], check_exact=True)
