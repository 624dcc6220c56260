"""A council's reserves carried through its plan, and budgets given as levels.

Seed figures are cited as file:line; 002 = 002_90ddc037a457842c.txt.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finmodel as fm

YEARS = fm.Timeline("2018/19", 4)


def balance(**kwargs) -> fm.ReservesBalance:
    return fm.ReservesBalance(**{"net_revenue_expenditure": 100, **kwargs})


def plan(reserves: fm.ReservesBalance, *extra: fm.Line, pressures=(5.0, 3.0, 2.0, 1.0)) -> fm.MTFP:
    # the gap before reserves is the pressures' running total: 5, 8, 10, 11
    return fm.MTFP("Reserves at risk", YEARS, [fm.Pressure("Demand", list(pressures)), *extra], reserves=reserves)


# -- a known gap path, by hand -------------------------------------------------------------------
def test_a_known_gap_path_matches_the_hand_computed_balance_and_exhaustion_year():
    # general reserves 20, minimum 4, the gap met each year: 20 - 5 = 15; 15 - 8 = 7; the 10 asked
    # for in 2020/21 finds only 7, leaving 3 unmet; nothing is left for 2021/22's 11.
    result = fm.evaluate(plan(balance(general=20, earmarked=10, minimum=4)))
    assert result.value("gap_before_reserves").tolist() == [5, 8, 10, 11]
    assert result.value("use_of_reserves").tolist() == [5, 8, 7, 0]
    assert result.value("general_reserves").tolist() == [15, 7, 0, 0]
    assert result.value("gap_after_reserves").tolist() == [0, 0, 3, 11]
    assert result.value("earmarked_reserves").tolist() == [10, 10, 10, 10]
    assert result.value("reserves_exhausted_year") == "2020/21"
    assert result.value("below_minimum").tolist() == [0, 0, 1, 1]
    assert result.value("reserves_headroom").tolist() == [11, 3, -4, -4]


def test_earmarked_reserves_meet_the_gap_once_general_reserves_are_gone_when_allowed():
    # 2020/21: 7 from general, 3 from earmarked (10 - 3 = 7 left); 2021/22: 7 of the 11 asked for
    result = fm.evaluate(plan(balance(general=20, earmarked=10, minimum=4, use_earmarked=True)))
    assert result.value("use_of_reserves").tolist() == [5, 8, 10, 7]
    assert result.value("general_reserves").tolist() == [15, 7, 0, 0]
    assert result.value("earmarked_reserves").tolist() == [10, 10, 7, 0]
    assert result.value("gap_after_reserves").tolist() == [0, 0, 0, 4]
    assert result.value("reserves_exhausted_year") == "2021/22"


def test_earmarked_reserves_committed_to_later_use_are_not_drawn_for_the_gap():
    # 6 of the 10 earmarked are planned for 2021/22: only 4 can meet the 2020/21 gap, and the
    # 6 are spent as planned
    res = balance(general=20, earmarked=10, minimum=4, use_earmarked=True, earmarked_use=[0, 0, 0, 6])
    result = fm.evaluate(plan(res))
    assert result.value("earmarked_reserves").tolist() == [10, 10, 7, 0]
    assert result.value("use_of_reserves").tolist() == [5, 8, 10, 1]
    res = dataclasses.replace(res, earmarked_use=[0, 0, 6, 0])
    result = fm.evaluate(plan(res))
    assert result.value("earmarked_reserves").tolist() == [10, 10, 1, 0]
    assert result.value("use_of_reserves").tolist() == [5, 8, 10, 1]


def test_a_planned_drawdown_leaves_the_gap_standing():
    res = balance(general=20, earmarked=10, minimum=4, policy="planned", earmarked_use=[1, 1, 1, 1])
    result = fm.evaluate(plan(res, fm.Reserves("General balances", [2, 0, 0, 0])))
    assert result.value("use_of_reserves").tolist() == [2, 0, 0, 0]
    assert result.value("general_reserves").tolist() == [18, 18, 18, 18]
    assert result.value("earmarked_reserves").tolist() == [9, 8, 7, 6]
    assert result.value("gap_after_reserves").tolist() == result.value("cumulative_gap").tolist() == [3, 8, 10, 11]
    assert result.value("reserves_exhausted_year") == fm.NOT_WITHIN


def test_a_planned_drawdown_beyond_the_balance_stops_at_zero():
    res = balance(general=3, minimum=1, policy="planned")
    result = fm.evaluate(plan(res, fm.Reserves("General balances", [2, 2, 0, 0])))
    assert result.value("use_of_reserves").tolist() == [2, 1, 0, 0]
    assert result.value("gap_after_reserves").tolist() == [3, 7, 10, 11]
    assert result.value("reserves_exhausted_year") == "2019/20"


def test_closing_the_gap_honours_the_plans_own_use_of_reserves_and_banks_surpluses():
    # gap before reserves 5, 8, 10, 11 less one-off reserves of 2 in 2018/19; surpluses of 1
    # (pressures falling by 6 in 2019/20) go to general reserves
    res = balance(general=20, minimum=0)
    result = fm.evaluate(plan(res, fm.Reserves("General balances", [2, 0, 0, 0]), pressures=(5, -6, 0, 0)))
    assert result.value("gap_before_reserves").tolist() == [5, -1, -1, -1]
    assert result.value("use_of_reserves").tolist() == [5, -1, -1, -1]
    assert result.value("general_reserves").tolist() == [15, 16, 17, 18]
    assert result.value("gap_after_reserves").tolist() == [0, 0, 0, 0]


def test_the_cipfa_measures_by_hand():
    res = fm.ReservesBalance(general=20, earmarked=10, minimum_share=0.05, net_revenue_expenditure=100)
    result = fm.evaluate(plan(res))
    # general reserves meet the gap (5, 8, 10, 11): 15, 7, 0, 0; usable reserves at 31 March,
    # with earmarked 10: 30 (opening), then 25, 17, 10, 10
    assert result.value("usable_reserves").tolist() == [25, 17, 10, 10]
    # net revenue expenditure: 100 plus the pressures' levels
    assert result.value("net_revenue_expenditure").tolist() == [105, 108, 110, 111]
    assert result.value("reserves_minimum").tolist() == pytest.approx([5.25, 5.4, 5.5, 5.55])
    assert result.value("below_minimum").tolist() == [0, 0, 1, 1]
    assert result.value("reserves_to_nre").tolist() == pytest.approx([25 / 105, 17 / 108, 10 / 110, 10 / 111])
    assert result.value("unallocated_reserves_to_nre").tolist() == pytest.approx([15 / 105, 7 / 108, 0, 0])
    assert result.value("earmarked_reserves_to_nre").tolist() == pytest.approx([10 / 105, 10 / 108, 10 / 110, 10 / 111])
    # average fall over the last three years (fewer where the record is shorter):
    # 2018/19: 30 - 25 over 1 year; 2019/20: 30 - 17 over 2; 2020/21: 30 - 10 over 3; 2021/22: 25 - 10 over 3
    rates = [5, 13 / 2, 20 / 3, 15 / 3]
    assert result.value("reserves_sustainability").tolist() == pytest.approx(
        [r / rate for r, rate in zip([25, 17, 10, 10], rates, strict=True)]
    )
    assert result.value("reserves_change_3y").tolist() == pytest.approx([-5 / 30, -13 / 30, -20 / 30, -15 / 25])


def test_history_extends_the_three_year_measures_back_before_the_plan():
    res = fm.ReservesBalance(general=20, earmarked=10, minimum=0, net_revenue_expenditure=100, history=[40, 35])
    result = fm.evaluate(plan(res))
    # year ends 40, 35, 30 (opening), 25, ...: three years before 2018/19's end is 40
    assert result.value("reserves_change_3y").iloc[0] == pytest.approx((25 - 40) / 40)
    assert result.value("reserves_sustainability").iloc[0] == pytest.approx(25 / ((40 - 25) / 3))


def test_reserves_that_are_not_falling_last_100_years():
    res = fm.ReservesBalance(general=20, minimum=0, net_revenue_expenditure=100)
    result = fm.evaluate(plan(res, pressures=(-1, 0, 0, 0)))
    assert result.value("reserves_sustainability").tolist() == [100, 100, 100, 100]


def test_the_occ_balances_follow_the_paper():
    # general balances £19.7m (002:656); total reserves £78.2m (002:657) are the non-schools
    # reserves of £67.7m (002:655) and £10.5m of school reserves (002:616)
    assert 67.7 + 10.5 == pytest.approx(78.2)
    occ = fm.ReservesBalance(general=19.7, earmarked=67.7 - 19.7, minimum_share=0.05, net_revenue_expenditure=416)
    assert occ.usable == pytest.approx(67.7)
    assert 19.7 / 797 == pytest.approx(0.025, abs=0.0005)  # "£19.7m or 2.5%" of £797m (002:656)


# -- every figure is a distribution ----------------------------------------------------------
def uncertain_plan() -> fm.MTFP:
    return plan(
        fm.ReservesBalance(general=12, earmarked=6, minimum=3, use_earmarked=True, net_revenue_expenditure=100),
        fm.Saving("Transformation", [4.0, 2.0, 0.0, 0.0], delivery=fm.rag("amber"), delay=fm.Chance(0.3)),
        pressures=(fm.Range(3, 7), 3.0, 2.0, 1.0),
    )


def test_a_simulation_gives_each_trial_its_own_balance():
    model = uncertain_plan()
    sim = fm.simulate(model, n=4000, seed=2018)
    gap = sim.samples("gap_before_reserves").T
    general = sim.samples("general_reserves").T
    # the same rule, trial by trial, by hand
    bal = np.full(gap.shape[1], 12.0)
    ear = np.full(gap.shape[1], 6.0)
    for t in range(4):
        used = np.minimum(gap[t], bal + ear)
        from_general = np.where(used > 0, np.minimum(used, bal), used)
        bal, ear = bal - from_general, ear - (used - from_general)
        np.testing.assert_allclose(general[t], bal, atol=1e-12)
    below = sim.probability("below_minimum", "==", 1)
    assert below.tolist() == pytest.approx(np.mean(general < 3, axis=1).tolist())
    assert below.iloc[-1] > below.iloc[0]
    years = sim.samples("reserves_exhausted_year")
    assert set(years.categories) == {*YEARS.labels, fm.NOT_WITHIN}
    assert sim.probability("reserves_exhausted_year", "<=", "2021/22") == pytest.approx(
        np.mean(sim.samples("gap_after_reserves")[:, -1] > 1e-9) + 0.0, abs=0.02
    )


def test_a_reserves_simulation_does_not_depend_on_the_chunk_size():
    model = uncertain_plan()
    a = fm.simulate(model, n=3000, seed=7, chunk_size=500)
    b = fm.simulate(model, n=3000, seed=7, chunk_size=3000)
    for metric in ("general_reserves", "reserves_exhausted_year", "reserves_sustainability", "below_minimum"):
        np.testing.assert_array_equal(np.asarray(a.samples(metric)), np.asarray(b.samples(metric)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-20, 20), min_size=4, max_size=4),
    st.floats(0, 50),
    st.floats(0, 50),
    st.booleans(),
)
def test_reserves_never_go_below_zero_and_the_gap_is_shared_out(pressures, general, earmarked, use_earmarked):
    res = fm.ReservesBalance(general=general, earmarked=earmarked, minimum=0, use_earmarked=use_earmarked,
                             net_revenue_expenditure=100)
    result = fm.evaluate(plan(res, pressures=pressures))
    gen, ear = result.value("general_reserves"), result.value("earmarked_reserves")
    assert (gen >= -1e-9).all() and (ear >= -1e-9).all()
    # what reserves met plus what is left is the gap before reserves, every year
    np.testing.assert_allclose(
        result.value("use_of_reserves") + result.value("gap_after_reserves"), result.value("gap_before_reserves")
    )
    # the opening balance less the total use is the closing balance
    assert gen.iloc[-1] + ear.iloc[-1] == pytest.approx(general + earmarked - result.value("use_of_reserves").sum())


# -- tables ------------------------------------------------------------------------------------
def test_the_table_shows_the_gap_before_and_after_reserves_and_the_balances():
    table = fm.evaluate(plan(balance(general=20, earmarked=10, minimum=4))).table()
    rows = list(table.index)
    assert rows[-6:] == [
        "Cumulative budget gap",
        "Gap before use of reserves",
        "Use of reserves",
        "Gap after use of reserves",
        "General reserves at 31 March",
        "Earmarked reserves at 31 March",
    ]
    assert table.loc["Use of reserves", "Total"] == 20
    assert table.loc["Gap after use of reserves"].tolist()[:4] == [0, 0, 3, 11]


def test_the_brought_forward_layout_shows_the_gap_before_reserves():
    model = fm.MTFP(
        "Levels", fm.Timeline("2018/19", 3), base_budget=440, reserves=fm.ReservesBalance(general=20, minimum=5),
        lines=[
            fm.Pressure("Budget requirement", [450, 462, 475], basis="level", base=440),
            fm.Funding("Funding", [440, 452, 462], basis="level"),
            fm.Reserves("General balances", [2, 0, 0]),
        ],
    )
    table = fm.evaluate(model).table(basis="cumulative")
    assert table.loc["Gap before use of reserves"].tolist()[:3] == [10, 10, 13]
    assert table.loc["Reserves applied"].tolist()[:3] == [2, 0, 0]
    assert table.loc["Cumulative funding gap"].tolist()[:3] == [8, 10, 13]
    # general reserves meet the whole gap before reserves (10, then 10 of the 10 asked) until gone
    assert table.loc["Use of reserves"].tolist()[:3] == [10, 10, 0]
    assert table.loc["Gap after use of reserves"].tolist()[:3] == [0, 0, 13]
    assert table.loc["General reserves at 31 March"].tolist()[:3] == [10, 0, 0]
    assert fm.evaluate(model).value("reserves_exhausted_year") == "2019/20"


def test_plans_without_a_balance_keep_their_rows_and_metrics():
    model = fm.MTFP("p", YEARS, [fm.Pressure("Demand", [1, 1, 1, 1]), fm.Reserves("General", [1, 0, 0, 0])])
    assert "general_reserves" not in model.available and "gap_before_reserves" not in model.available
    assert list(fm.evaluate(model).table().index) == ["Demand", "General", "Net Pressure / (Saving)", "Cumulative budget gap"]


# -- bad balances -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"general": -1, "minimum": 0}, r"general \(-1\) must not be negative"),
        ({"general": 10}, "give the prudent minimum .* not neither"),
        ({"general": 10, "minimum": 1, "minimum_share": 0.05}, "not both"),
        ({"general": 10, "minimum_share": 5}, r"minimum_share \(5\) must be a share in \[0, 1\]"),
        ({"general": 10, "minimum": 1, "policy": "hope"}, "policy \\('hope'\\) must be 'close_gap' or 'planned'"),
        ({"general": 10, "minimum": 1, "earmarked": 2, "earmarked_use": [1, 2]}, "spends 3 by year 2, more than"),
        ({"general": 10, "minimum": 1, "history": [1, 2, 3, 4]}, "takes up to three balances"),
        ({"general": "lots", "minimum": 1}, "general is 'lots'; expected a number"),
    ],
)
def test_bad_balances_are_refused(kwargs, message):
    with pytest.raises(fm.ModelError, match=message):
        fm.ReservesBalance(**kwargs)


def test_a_balance_must_fit_its_plan():
    with pytest.raises(fm.ModelError, match="earmarked_use has 2 amounts but the timeline has 4 years"):
        plan(fm.ReservesBalance(general=1, earmarked=5, minimum=0, net_revenue_expenditure=9, earmarked_use=[1, 1]))
    with pytest.raises(fm.ModelError, match="give the plan a base_budget or the reserves net_revenue_expenditure="):
        plan(fm.ReservesBalance(general=1, minimum=0))
    with pytest.raises(fm.ModelError, match=r"reserves .* must be a ReservesBalance"):
        fm.MTFP("p", YEARS, [fm.Pressure("Demand", [1, 1, 1, 1])], reserves=20)


# -- budget levels --------------------------------------------------------------------------------
def test_a_pressure_given_as_levels_is_read_as_levels():
    as_levels = fm.MTFP("p", YEARS, [fm.Pressure("Demography", [2, 3, 4, 5], basis="level")])
    as_changes = fm.MTFP("p", YEARS, [fm.Pressure("Demography", [2, 1, 1, 1])])
    for basis in ("incremental", "cumulative"):
        np.testing.assert_array_equal(
            fm.evaluate(as_levels).table(basis).to_numpy(), fm.evaluate(as_changes).table(basis).to_numpy()
        )


def test_a_budget_requirement_given_as_levels_against_funding_given_as_levels():
    model = fm.MTFP(
        "MTFS", fm.Timeline("2018/19", 3), base_budget=440,
        lines=[
            fm.Pressure("Budget requirement", [450, 462, 475], basis="level", base=440),
            fm.Funding("Funding", [440, 452, 462], basis="level"),
        ],
    )
    result = fm.evaluate(model)
    assert result.value("spending_requirement").tolist() == [450, 462, 475]
    assert result.value("funding_available").tolist() == [440, 452, 462]
    assert result.value("cumulative_gap").tolist() == [10, 10, 13]
    assert result.value("net_pressure").tolist() == [10, 0, 3]


def test_a_saving_given_as_levels_keeps_its_delivery_risk():
    model = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Saving("Care", [2, 3], basis="level", delivery=0.5)])
    result = fm.evaluate(model)
    assert result.value("undelivered_savings").tolist() == [1.0, 0.5]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: fm.Pressure("P", 5, basis="level"), "basis='level' needs one amount per year"),
        (lambda: fm.Pressure("P", [1, 2], base=3), r"base \(3\) applies only to basis='level'"),
        (lambda: fm.Investment("I", [1, 2], basis="levels"), "basis \\('levels'\\) must be 'change' or 'level'"),
        (lambda: fm.Saving("S", [1, 2], basis="level", recurring=False), "recurring=False does not apply"),
        (lambda: fm.Pressure("P", [1, 2], basis="level", base=fm.Range(1, 2)), "must be a number"),
    ],
)
def test_bad_levels_are_refused(make, message):
    with pytest.raises(fm.ModelError, match=message):
        make()
