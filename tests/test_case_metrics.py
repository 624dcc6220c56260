"""Relative years, typed phasing, fractional payback, peak and final run rates, given discount factors.

Every case here is a small public-style appraisal written for the test (an invest-to-save
scheme costed over Y0..Y4, a programme that stops); the arithmetic that gives each
expected value is in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finmodel as fm
from finmodel.core.years import year_label
from finmodel.model.cases import payback_index, payback_years


# -- financial-year labels: one function -----------------------------------------------------
def test_one_function_writes_every_financial_year_label():
    assert year_label(2018) == "2018/19"
    assert year_label(1999) == "1999/00"
    years = fm.Timeline("18/19", 3)
    assert years.labels == tuple(year_label(y) for y in (2018, 2019, 2020))
    said = fm.Statement("x", 1.0, "", "net", "19/20")
    assert said.year == year_label(2019)


# -- relative timelines -----------------------------------------------------------------------
def test_a_relative_timeline_prints_its_own_labels():
    years = fm.Timeline.relative(15)
    assert years.labels[0] == "Y0" and years.end == "Y14" and len(years) == 15
    assert years.financial_years is None and years.is_relative
    assert years.index("y3") == 3  # case does not matter
    with pytest.raises(fm.YearError, match="is not on the timeline"):
        years.index("Y15")
    with pytest.raises(fm.YearError, match="is not a year of this timeline"):
        years.index("2018/19")  # no financial year attached
    council = fm.Timeline.relative(4, first=1, label="year {n}")
    assert council.labels == ("year 1", "year 2", "year 3", "year 4")
    assert council.index("Year  2") == 1
    assert council["year 2":"year 3"].labels == ("year 2", "year 3")
    assert council.shift(1).labels[0] == "year 2"


def test_a_financial_year_attached_to_a_relative_timeline_is_accepted_too():
    years = fm.Timeline.relative(5, start="2024/25")
    assert years.labels[1] == "Y1"
    assert years.index("2025/26") == 1 and years.label_of("25/26") == "Y1"
    assert years.financial_years == ("2024/25", "2025/26", "2026/27", "2027/28", "2028/29")
    assert repr(years) == "Timeline.relative(5, first=0, label='Y{n}', start='2024/25')"


def test_financial_year_timelines_are_unchanged():
    years = fm.Timeline("2018/19", 4)
    assert repr(years) == "Timeline('2018/19', 4)"
    assert years.start == 2018 and years.first is None and not years.is_relative
    assert years == fm.Timeline("18/19", 4)
    assert years.offset("2030/31") == 12


@pytest.mark.parametrize("label", ["Y", "{n}", "Y{n}{n}", ""])
def test_a_relative_label_needs_one_number_and_words(label):
    with pytest.raises(fm.YearError, match="must hold"):
        fm.Timeline.relative(3, label=label)


def test_a_model_on_a_relative_timeline_evaluates_simulates_and_prints():
    # invest to save: 100 in Y0, then 30 a year saved from Y1 (Y0..Y4)
    years = fm.Timeline.relative(5)
    case = fm.CostBenefitCase(
        "Depot",
        years,
        [fm.Benefit("Saving", fm.Range(25, 35), fm.Profile.cumulative([0, 1]))],
        [fm.Cost("Build", [100, 0, 0, 0, 0])],
    )
    low = fm.evaluate(case, "low")
    table = low.table()
    assert list(table.columns) == ["Y0", "Y1", "Y2", "Y3", "Y4", "Total"]
    assert table.loc["Cumulative net", "Y4"] == pytest.approx(-100 + 4 * 25)
    assert low.payback_year == "Y4"  # -100, -75, -50, -25, 0
    assert "Y0" in low.report() and "Y4" in low.report()
    sim = fm.simulate(case, n=2_000, seed=1)
    assert list(sim.quantiles("net", [0.5]).columns) == list(years.labels)
    assert 0.0 < sim.probability("payback_year", "<=", "Y4") <= 1.0
    assert sim.probability("net", ">", 0, year="Y2") == 1.0


# -- phasing typed as percentages --------------------------------------------------------------
def test_amounts_that_add_to_the_run_rate_are_read_as_before():
    # 002_90ddc037a457842c.txt:1628: £2m, £13m, £13m, £5m of new benefit, a £33m run rate
    assert fm.Profile.increments([2, 13, 13, 5]).received(4) * 33 == pytest.approx([2, 15, 28, 33])
    assert fm.Profile.increments([2, 13, 13, 5], total=33).values == (2, 13, 13, 5)


def test_percentages_that_do_not_add_to_100_are_refused_and_rescaled_only_on_request():
    with pytest.raises(fm.ProfileError, match=r"add up to 95, not the stated total of 100 \(5 short\)"):
        fm.Profile.increments([10, 40, 40, 5], total=100)
    with pytest.raises(fm.ProfileError, match=r"add up to 105.*5 over"):
        fm.Profile.increments([10, 40, 40, 15], total=100)
    rescaled = fm.Profile.increments([10, 40, 40, 5], total=100, rescale=True)
    assert sum(rescaled.values) == pytest.approx(100)
    assert rescaled.received(4).tolist() == pytest.approx([10 / 95, 50 / 95, 90 / 95, 1.0])
    with pytest.raises(fm.ProfileError, match="rescale=True needs total="):
        fm.Profile.increments([1, 2], rescale=True)


def test_a_file_states_the_total_of_its_phasing():
    base = """
[model]
kind = "CostBenefitCase"
name = "c"
start = "2024/25"
years = 4
[[benefit]]
name = "b"
run_rate = 10
profile = { increments = [10, 40, 40, 5], total = 100 }
"""
    with pytest.raises(
        fm.ScenarioFileError, match=r"benefit\[0\]\.profile: .*add up to 95, not the stated total of 100"
    ):
        fm.loads(base)
    again = fm.loads(base.replace("total = 100", "total = 100, rescale = true"))
    assert fm.evaluate(again.model).value("benefit").iloc[-1] == pytest.approx(10)


# -- fractional payback ---------------------------------------------------------------------------
def test_payback_in_years_is_linear_within_the_year():
    # net -100 then 40 a year: cumulative -100, -60, -20, 20; the last 20 of the fourth
    # year's 40 is needed, so the case pays back halfway through it: 3.5 years
    years = fm.Timeline.relative(4)
    case = fm.CostBenefitCase(
        "c", years, [fm.Benefit("b", 40, fm.Profile.cumulative([0, 1]))], [fm.Cost("k", [100, 0, 0, 0])]
    )
    result = fm.evaluate(case)
    assert result.payback_years == pytest.approx(3.5)
    assert result.payback_year == "Y3"  # the same event as a year label


def test_a_case_that_never_pays_back_reads_not_within_both_ways():
    years = fm.Timeline("2018/19", 3)
    case = fm.CostBenefitCase("c", years, [fm.Benefit("b", 1)], [fm.Cost("k", [10, 0, 0])])
    result = fm.evaluate(case)
    assert result.payback_year == fm.NOT_WITHIN
    assert math.isinf(result.payback_years)  # compares above any finite payback
    sim = fm.simulate(case, n=100, seed=1)
    assert sim.probability("payback_years", "<=", 3) == 0.0
    assert sim.quantiles("payback_years", [0.5]).iloc[0] == math.inf


def test_a_case_never_in_deficit_pays_back_at_once():
    assert payback_years(np.array([[1.0], [2.0]])).tolist() == [0.0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=8))
def test_fractional_payback_lies_in_its_payback_year(nets):
    cumulative = np.cumsum(np.array(nets))[:, None]
    k = int(payback_index(cumulative)[0])
    p = float(payback_years(cumulative)[0])
    if k == len(nets):
        assert math.isinf(p)
    elif k == 0:
        assert p == 0.0
    else:
        assert k < p <= k + 1
        # linear within the year: the cumulative net at time p is (about) 0
        before, after = cumulative[k - 1, 0], cumulative[k, 0]
        assert before + (after - before) * (p - k) == pytest.approx(0.0, abs=1e-6)


# -- run rate of a case that ends ---------------------------------------------------------------
def test_a_programme_that_stops_reports_its_peak_and_final_level():
    # a £4m benefit received for two years of four, then stopping
    years = fm.Timeline("2024/25", 4)
    case = fm.CostBenefitCase(
        "Stops",
        years,
        [fm.Benefit("b", 4, fm.Profile.cumulative([0.5, 1, 1, 0]))],
        [fm.Cost("k", [3, 0, 0, 0])],
    )
    result = fm.evaluate(case)
    assert result.run_rate == 0.0  # the headline: the on-going level once delivered, here none
    assert result.peak_run_rate == 4.0
    assert result.final_run_rate == 0.0
    assert "0 for one that stops" in fm.CostBenefitCase.metrics["run_rate"].description


def test_peak_and_final_agree_with_the_run_rate_for_a_programme_that_continues():
    phasing = fm.Profile.increments([2, 13, 13, 5])
    case = fm.CostBenefitCase("OCC", fm.Timeline("2018/19", 4), [fm.Benefit("b", 33, phasing)])
    result = fm.evaluate(case)
    assert result.run_rate == result.peak_run_rate == result.final_run_rate == pytest.approx(33)


# -- discount factors --------------------------------------------------------------------------
def test_present_values_add_up_to_the_npv_bit_for_bit():
    case = fm.CostBenefitCase(
        "c",
        fm.Timeline.relative(6),
        [fm.Benefit("b", fm.Range(20, 30), fm.Profile.cumulative([0, 1]))],
        [fm.Cost("k", [100, 5, 5, 5, 5, 5])],
    )
    sim = fm.simulate(case, n=500, seed=3)
    pv = sim.samples("present_value")
    added = pv[:, 0].copy()
    for year in range(1, pv.shape[1]):  # year by year, first to last, as the NPV adds them
        added += pv[:, year]
    assert np.array_equal(added, sim.samples("npv"))
    assert fm.evaluate(case).value("discount_factor").round(6).tolist() == [
        1.0,
        0.966184,
        0.933511,
        0.901943,
        0.871442,
        0.841973,
    ]


def test_given_discount_factors_replace_the_rate():
    # a paper discounting at 3.5% with factors rounded to 4 dp: 1, 0.9662, 0.9335
    case = fm.CostBenefitCase(
        "c",
        fm.Timeline.relative(3),
        [fm.Benefit("b", 100)],
        [fm.Cost("k", [300, 0, 0])],
        discount_factors=[1, 0.9662, 0.9335],
    )
    result = fm.evaluate(case)
    assert result.npv() == pytest.approx(-200 + 96.62 + 93.35)  # -10.03
    assert result.npv() == result.value("npv")
    assert result.npv(rate=0.0) == pytest.approx(0.0)
    assert case.discounting == "the case's own factors"
    with pytest.raises(fm.ModelError, match=r"give discount_rate .* or discount_factors, not both"):
        fm.CostBenefitCase(
            "c",
            fm.Timeline.relative(3),
            [fm.Benefit("b", 1)],
            discount_rate=0.035,
            discount_factors=[1, 1, 1],
        )
    with pytest.raises(fm.ModelError, match="has 2 values but the timeline has 3 years"):
        fm.CostBenefitCase("c", fm.Timeline.relative(3), [fm.Benefit("b", 1)], discount_factors=[1, 0.9])
