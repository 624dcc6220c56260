"""The core contract of finmodel, checked inside the project (it runs in a clean clone).

The OCC case for change of January 2018 (002_90ddc037a457842c.txt lines 1551-1640) and the
OCC overall financial position (002_90ddc037a457842c.txt lines 1199-1207) are rebuilt from
the paper's own inputs; the Monte Carlo simulation is reproducible, chunk-size invariant and
inside the low/high bracket; a shared amount is one quantity; bad input is refused with a
message naming the value. Each check is the same as in the contract the project was built
against, one assertion per clause.
"""

from __future__ import annotations

import numpy as np
import pytest

import finmodel as fm

YEARS = fm.Timeline("2018/19", 4)
PHASING = fm.Profile.increments([2, 13, 13, 5])  # 002_90ddc037a457842c.txt:1628


def occ_case() -> fm.CostBenefitCase:
    return fm.CostBenefitCase(
        "OCC case for change (January 2018)",
        YEARS,
        benefits=[
            fm.Benefit("Operating model transformation", fm.Range(21, 33), PHASING),  # 002:1553
            fm.Benefit("Quick wins", fm.Range(8, 17), PHASING),  # 002:1554
            fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), PHASING),  # 002:1555
        ],
        costs=[fm.Cost("Implementation", [3, 8, 5, 1])],  # 002:1629
    )


def row(table, label: str) -> np.ndarray:
    """The first row whose label contains ``label`` (any case), by year."""
    for index in table.index:
        if label.lower() in str(index).lower():
            return table.loc[index, list(YEARS.labels)].to_numpy(dtype=float)
    raise AssertionError(f"no row like {label!r} in {list(table.index)}")


def test_timeline_labels_in_both_spellings():
    assert YEARS.labels == ("2018/19", "2019/20", "2020/21", "2021/22")
    assert fm.Timeline("18/19", 4).labels == YEARS.labels


def test_the_printed_low_case_incremental_table():
    # 002_90ddc037a457842c.txt:1628-1631
    table = fm.evaluate(occ_case(), "low").table(basis="incremental")
    np.testing.assert_allclose(row(table, "benefit"), [2, 13, 13, 5])
    np.testing.assert_allclose(row(table, "cost"), [-3, -8, -5, -1])
    np.testing.assert_allclose(row(table, "net benefit"), [-1, 5, 8, 4])
    np.testing.assert_allclose(row(table, "cumulative"), [-1, 4, 12, 16])


def test_payback_and_run_rates():
    case = occ_case()
    low = fm.evaluate(case, "low")
    assert str(low.payback_year) == "2019/20"
    assert low.run_rate == pytest.approx(33.0, abs=1e-9)  # 002:1609, the £33m minimum
    assert fm.evaluate(case, "high").run_rate == pytest.approx(58.0, abs=1e-9)  # the £58m maximum


def test_the_in_year_benefit_is_the_running_total_of_the_printed_one():
    table = fm.evaluate(occ_case(), "low").table(basis="in-year")
    benefit = next(i for i in table.index if "benefit" in str(i).lower() and "net" not in str(i).lower())
    np.testing.assert_allclose(table.loc[benefit, list(YEARS.labels)].to_numpy(dtype=float), [2, 15, 28, 33])


def test_monte_carlo_is_reproducible_chunk_size_invariant_and_bracketed():
    case = occ_case()
    a = fm.simulate(case, n=20_000, seed=2018, chunk_size=1_000)
    b = fm.simulate(case, n=20_000, seed=2018, chunk_size=20_000)
    np.testing.assert_array_equal(np.asarray(a.samples("cumulative_net")), np.asarray(b.samples("cumulative_net")))
    assert a.quantiles("cumulative_net", [0.1, 0.5, 0.9]) is not None
    assert 0.0 <= float(a.probability("cumulative_net", ">=", 0, year="2019/20")) <= 1.0
    run_rate = np.asarray(a.samples("run_rate"), dtype=float)
    assert run_rate.min() >= 33 - 1e-9 and run_rate.max() <= 58 + 1e-9


def test_a_shared_amount_is_one_quantity():
    x = fm.Range(1, 2)
    case = fm.CostBenefitCase(
        "shared", YEARS, [fm.Benefit("x-x", x - x, PHASING)], [fm.Cost("none", [0, 0, 0, 0])]
    )
    np.testing.assert_allclose(np.asarray(fm.simulate(case, n=1_000, seed=1).samples("run_rate")), 0)


def test_the_mtfp_net_pressure_row():
    # 002_90ddc037a457842c.txt:1199-1207
    plan = fm.MTFP(
        "OCC overall financial position 2018/22",
        YEARS,
        lines=[
            fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5]),
            fm.Pressure("Pressures", [18.4, 9.0, 6.5, 0.2]),
            fm.Saving("Savings", [32.4, 0.0, 4.9, 0.5]),
            fm.Reprofile("Transformation Savings Re-profiled", [15.0, -8.5, -3.5, -3.0]),
        ],
    )
    table = fm.evaluate(plan, "central").table()
    net = next(i for i in table.index if str(i).lower().startswith("net"))
    np.testing.assert_allclose(table.loc[net, [*YEARS.labels, "Total"]].to_numpy(dtype=float), [5.8, 0.9, -1.9, -3.8, 1.0])


def test_bad_input_is_refused_with_a_message_naming_the_value():
    with pytest.raises(fm.FinmodelError) as caught:
        fm.Range(17, 8)
    assert isinstance(caught.value, ValueError) and "17" in str(caught.value) and "8" in str(caught.value)
    with pytest.raises(fm.FinmodelError):
        fm.evaluate(fm.MTFP("m", YEARS, lines=[fm.Reprofile("bad", [1, 0, 0, 0])]), "central")
