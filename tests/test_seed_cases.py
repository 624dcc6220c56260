"""Known answers from the source papers (/work/shared/seeds), each cited by file and line.

The OCC "Fit for the Future" case for change (January 2018) and the OCC overall
financial position 2018/22, both in 002_90ddc037a457842c.txt.
"""

from __future__ import annotations

import numpy as np
import pytest

import finmodel as fm

YEARS = fm.Timeline("2018/19", 4)
LABELS = ["2018/19", "2019/20", "2020/21", "2021/22"]

# 002_90ddc037a457842c.txt:1553-1556, minimum and maximum benefit by category (£m)
OPERATING_MODEL = (21, 33)  # :1553
QUICK_WINS = (8, 17)  # :1554
SOURCING = (4, 8)  # :1555
COMMERCIALISATION = (4, 8)  # :1556


def occ_case(*, commercialisation: bool = False) -> fm.CostBenefitCase:
    # 002_90ddc037a457842c.txt:1628, the minimum benefit is phased 2, 13, 13, 5 (= 33)
    phasing = fm.Profile.increments([2, 13, 13, 5])
    categories = [
        ("Operating model transformation", OPERATING_MODEL),
        ("Quick wins", QUICK_WINS),
        ("Strategic sourcing & process", SOURCING),
    ]
    if commercialisation:
        categories.append(("Commercialisation", COMMERCIALISATION))
    return fm.CostBenefitCase(
        "OCC case for change (January 2018)",
        YEARS,
        benefits=[fm.Benefit(name, fm.Range(*ends), phasing) for name, ends in categories],
        # 002_90ddc037a457842c.txt:1629, annual capital cost -3, -8, -5, -1 (= -17)
        costs=[fm.Cost("Implementation", [3, 8, 5, 1])],
    )


def occ_mtfp() -> fm.MTFP:
    # 002_90ddc037a457842c.txt:1201-1204, incremental £m, brackets negative
    return fm.MTFP(
        "OCC overall financial position 2018/22",
        YEARS,
        lines=[
            fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5]),
            fm.Pressure("Pressures", [18.4, 9.0, 6.5, 0.2]),
            fm.Saving("Savings", [32.4, 0.0, 4.9, 0.5]),
            fm.Reprofile("Transformation Savings Re-profiled", [15.0, -8.5, -3.5, -3.0]),
        ],
    )


def _row(table, label):
    return table.loc[label, LABELS].to_numpy(dtype=float)


# -- the case for change --------------------------------------------------------------------
def test_incremental_table_reproduces_the_published_profile():
    table = fm.evaluate(occ_case(), "low").table(basis="incremental")
    # 002_90ddc037a457842c.txt:1628 annual benefit 2, 13, 13, 5; total 33
    np.testing.assert_allclose(_row(table, "Annual benefit"), [2, 13, 13, 5])
    assert table.loc["Annual benefit", "Total"] == pytest.approx(33)
    # 002_90ddc037a457842c.txt:1629 annual capital cost -3, -8, -5, -1; total -17
    np.testing.assert_allclose(_row(table, "Annual cost"), [-3, -8, -5, -1])
    assert table.loc["Annual cost", "Total"] == pytest.approx(-17)
    # 002_90ddc037a457842c.txt:1630 annual net benefit -1, 5, 8, 4
    np.testing.assert_allclose(_row(table, "Annual net benefit"), [-1, 5, 8, 4])
    # 002_90ddc037a457842c.txt:1631 cumulative net -1, 4, 12, 16; its Total cell is blank
    np.testing.assert_allclose(_row(table, "Cumulative net"), [-1, 4, 12, 16])
    assert np.isnan(table.loc["Cumulative net", "Total"])


def test_in_year_table_receives_the_run_rate_as_it_builds_up():
    # the benefit received in each year is the running total of 2, 13, 13, 5
    # (002_90ddc037a457842c.txt:1628): 2, 15, 28, 33
    table = fm.evaluate(occ_case(), "low").table(basis="in-year")
    np.testing.assert_allclose(_row(table, "Annual benefit"), [2, 15, 28, 33])
    np.testing.assert_allclose(_row(table, "Annual cost"), [-3, -8, -5, -1])
    np.testing.assert_allclose(_row(table, "Annual net benefit"), [-1, 7, 23, 32])
    np.testing.assert_allclose(_row(table, "Cumulative net"), [-1, 6, 29, 61])
    assert table.loc["Annual benefit", "Total"] == pytest.approx(78)


def test_cash_positive_in_year_2():
    # 002_90ddc037a457842c.txt:1611 "will turn cash positive in year 2"; the cumulative
    # net of 002_90ddc037a457842c.txt:1631 first reaches >= 0 in 2019/20
    low = fm.evaluate(occ_case(), "low")
    assert low.payback_year == "2019/20"
    assert fm.evaluate(occ_case(), "low").table(basis="incremental").loc["Cumulative net", "2019/20"] >= 0
    # at the maximum benefit the first year already pays: 58 * 2/33 = 3.52 > 3
    assert fm.evaluate(occ_case(), "high").payback_year == "2018/19"


def test_run_rates_are_the_headline_33_to_58():
    # 002_90ddc037a457842c.txt:1609 "between £33m and £58m of on-going benefits"
    # (also :134, :739, :833, :896)
    assert fm.evaluate(occ_case(), "low").run_rate == pytest.approx(33)
    assert fm.evaluate(occ_case(), "high").run_rate == pytest.approx(58)


def test_the_headline_excludes_commercialisation():
    # The headline £33m-£58m (002_90ddc037a457842c.txt:1609) is the sum of the first three
    # categories only: 21 + 8 + 4 = 33 and 33 + 17 + 8 = 58 (:1553-1555). Commercialisation,
    # £4m-£8m (:1556), is NOT in it; with it the range would be £37m-£66m.
    low = OPERATING_MODEL[0] + QUICK_WINS[0] + SOURCING[0]
    high = OPERATING_MODEL[1] + QUICK_WINS[1] + SOURCING[1]
    assert (low, high) == (33, 58)
    with_commercialisation = occ_case(commercialisation=True)
    assert fm.evaluate(with_commercialisation, "low").run_rate == pytest.approx(37)
    assert fm.evaluate(with_commercialisation, "high").run_rate == pytest.approx(66)


def test_investment_is_the_17m_of_the_cost_breakdown():
    # 002_90ddc037a457842c.txt:1619 technology £6m, people £3m, external support £8m = £17m
    assert 6 + 3 + 8 == 17
    low = fm.evaluate(occ_case(), "low")
    assert float(low.samples("total_cost")[0]) == pytest.approx(17)


def test_case_report_prints_costs_with_a_minus_sign():
    # 002_90ddc037a457842c.txt:1628-1629 print "£2m" and "-£3m"
    text = fm.evaluate(occ_case(), "low").report(basis="incremental", decimals=0)
    benefit = next(line for line in text.splitlines() if line.startswith("Annual benefit"))
    cost = next(line for line in text.splitlines() if line.startswith("Annual cost"))
    assert benefit.split()[-5:] == ["£2m", "£13m", "£13m", "£5m", "£33m"]
    assert cost.split()[-5:] == ["-£3m", "-£8m", "-£5m", "-£1m", "-£17m"]


# -- the MTFP ----------------------------------------------------------------------------------
def test_mtfp_net_pressure_matches_the_published_bottom_line():
    table = fm.evaluate(occ_mtfp()).table()
    # 002_90ddc037a457842c.txt:1205 Net Pressure / (Saving) 5.8, 0.9, (1.9), (3.8); total 1.0
    np.testing.assert_allclose(_row(table, "Net Pressure / (Saving)"), [5.8, 0.9, -1.9, -3.8], atol=1e-9)
    assert table.loc["Net Pressure / (Saving)", "Total"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("label", "total"),
    [
        ("Improvements & Investments", 4.7),  # 002_90ddc037a457842c.txt:1201
        ("Pressures", 34.1),  # 002_90ddc037a457842c.txt:1202
        ("Savings", -37.8),  # 002_90ddc037a457842c.txt:1203, printed (£37.8m)
        ("Transformation Savings Re-profiled", 0.0),  # 002_90ddc037a457842c.txt:1204
    ],
)
def test_mtfp_row_totals_match_the_printed_totals(label, total):
    table = fm.evaluate(occ_mtfp()).table()
    assert table.loc[label, "Total"] == pytest.approx(total, abs=1e-9)


def test_mtfp_cumulative_gap():
    # the running total of 002_90ddc037a457842c.txt:1205: 5.8, 6.7, 4.8, 1.0
    table = fm.evaluate(occ_mtfp()).table()
    np.testing.assert_allclose(_row(table, "Cumulative budget gap"), [5.8, 6.7, 4.8, 1.0], atol=1e-9)
    cumulative = fm.evaluate(occ_mtfp()).table(basis="cumulative")
    np.testing.assert_allclose(_row(cumulative, "Cumulative budget gap"), [5.8, 6.7, 4.8, 1.0], atol=1e-9)


def test_mtfp_report_prints_the_council_format():
    # 002_90ddc037a457842c.txt:1205 prints £5.8m, £0.9m, (£1.9m), (£3.8m), £1.0m
    text = fm.evaluate(occ_mtfp()).report()
    net = next(line for line in text.splitlines() if line.startswith("Net Pressure / (Saving)"))
    assert net.split()[-5:] == ["£5.8m", "£0.9m", "(£1.9m)", "(£3.8m)", "£1.0m"]
    # 002_90ddc037a457842c.txt:1203 prints (£32.4m), £0.0m, (£4.9m), (£0.5m), (£37.8m)
    savings = next(line for line in text.splitlines() if line.startswith("Savings"))
    assert savings.split()[-5:] == ["(£32.4m)", "£0.0m", "(£4.9m)", "(£0.5m)", "(£37.8m)"]


@pytest.mark.parametrize(
    ("value", "kwargs", "text"),
    [
        (5.8, {}, "£5.8m"),  # 002_90ddc037a457842c.txt:1205
        (-1.9, {}, "(£1.9m)"),  # 002_90ddc037a457842c.txt:1205
        (-3, {"decimals": 0, "brackets": False}, "-£3m"),  # 002_90ddc037a457842c.txt:1629
        (-0.04, {}, "£0.0m"),  # rounds to zero: no "(£0.0m)"
        (629, {"units": "£k", "decimals": 0}, "£629k"),  # 004_0706a4241b59d058.txt:369-374
    ],
)
def test_format_money(value, kwargs, text):
    assert fm.format_money(value, **kwargs) == text


# The core contract is checked inside the project by tests/test_contract.py.
