"""The two MTFP layouts, reserves, savings delivery and funding, on numbers worked by hand.

Incremental layout: each row is a year's change; "Net Pressure / (Saving)" is their
sum and its running total the cumulative budget gap. Brought-forward layout (a
``base_budget``): the net budget brought forward plus the changes is the spending
requirement, carried forward as next year's base, set against the funding available.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import finmodel as fm

YEARS = fm.Timeline("2020/21", 3)
LABELS = ["2020/21", "2021/22", "2022/23"]


def _row(table: pd.DataFrame, label: str) -> list[float]:
    return table.loc[label, LABELS].to_numpy(dtype=float).round(9).tolist()


def _total(table: pd.DataFrame, label: str) -> float:
    return float(table.loc[label, "Total"])


# -- brought forward -----------------------------------------------------------------------
def brought_forward_plan() -> fm.MTFP:
    return fm.MTFP(
        "Brought forward",
        YEARS,
        base_budget=100,
        lines=[
            fm.Pressure("Demography", [10, 5, 5]),
            fm.Saving("Efficiency", [4, 2, 0]),
            fm.Funding("Funding", [103, 106, 110], basis="level"),
        ],
    )


def test_brought_forward_layout_carries_the_spending_requirement_forward():
    table = fm.evaluate(brought_forward_plan()).table(basis="cumulative")
    # spending requirement: 100 + 10 - 4 = 106; 106 + 5 - 2 = 109; 109 + 5 - 0 = 114
    assert _row(table, "Spending requirement") == [106, 109, 114]
    # each year starts from the year before's spending requirement
    assert _row(table, "Net budget brought forward") == [100, 106, 109]
    assert _row(table, "Demography") == [10, 5, 5]
    assert _row(table, "Efficiency") == [-4, -2, 0]
    assert _row(table, "Funding available") == [103, 106, 110]


def test_brought_forward_layout_funding_gaps():
    table = fm.evaluate(brought_forward_plan()).table(basis="cumulative")
    # cumulative gap = requirement - funding: 106 - 103, 109 - 106, 114 - 110
    assert _row(table, "Cumulative funding gap") == [3, 3, 4]
    # annual gap = this year's cumulative gap less last year's: 3, 0, 1 (total 4)
    assert _row(table, "Annual funding gap") == [3, 0, 1]
    assert _total(table, "Annual funding gap") == pytest.approx(4)
    assert np.isnan(_total(table, "Spending requirement"))


def test_brought_forward_layout_agrees_with_the_incremental_layout():
    result = fm.evaluate(brought_forward_plan())
    incremental, brought_forward = result.table(), result.table(basis="cumulative")
    # funding as levels 103, 106, 110 over a base of 100 is a change of 3, 3, 4
    assert _row(incremental, "Funding") == [-3, -3, -4]
    assert _row(incremental, "Net Pressure / (Saving)") == [3, 0, 1]
    assert _row(brought_forward, "Annual funding gap") == _row(incremental, "Net Pressure / (Saving)")
    assert _row(brought_forward, "Cumulative funding gap") == _row(incremental, "Cumulative budget gap")


def test_brought_forward_layout_needs_a_base_budget_for_funding_levels():
    with pytest.raises(fm.ModelError, match="needs base_budget"):
        fm.MTFP("No base", YEARS, [fm.Funding("Funding", [103, 106, 110], basis="level")])


# -- reserves ------------------------------------------------------------------------------
def reserves_plan(*reserves: fm.Reserves) -> fm.MTFP:
    # without reserves the gap is 10, 15, 20 against flat funding of 100
    return fm.MTFP(
        "Reserves",
        YEARS,
        base_budget=100,
        lines=[
            fm.Pressure("Demography", [10, 5, 5]),
            fm.Funding("Funding", [100, 100, 100], basis="level"),
            *reserves,
        ],
    )


def test_without_reserves_the_gap_grows_with_the_pressures():
    table = fm.evaluate(reserves_plan()).table(basis="cumulative")
    assert _row(table, "Cumulative funding gap") == [10, 15, 20]


def test_one_off_reserves_close_that_years_gap_only():
    table = fm.evaluate(reserves_plan(fm.Reserves("General balances", [4, 0, 0]))).table(basis="cumulative")
    assert _row(table, "Reserves applied") == [4, 0, 0]
    assert _row(table, "Cumulative funding gap") == [6, 15, 20]
    # the incremental view: 4 off the first year, back on in the second
    incremental = fm.evaluate(reserves_plan(fm.Reserves("General balances", [4, 0, 0]))).table()
    assert _row(incremental, "General balances") == [-4, 4, 0]
    assert _total(incremental, "General balances") == pytest.approx(0)


def test_recurring_reserves_reduce_every_later_year():
    plan = reserves_plan(fm.Reserves("Earmarked", [0, 2, 0], recurring=True))
    table = fm.evaluate(plan).table(basis="cumulative")
    assert _row(table, "Reserves applied") == [0, 2, 2]
    assert _row(table, "Cumulative funding gap") == [10, 13, 18]


def test_one_off_and_recurring_reserves_together():
    plan = reserves_plan(
        fm.Reserves("General balances", [4, 0, 0]), fm.Reserves("Earmarked", [0, 2, 0], recurring=True)
    )
    table = fm.evaluate(plan).table(basis="cumulative")
    assert _row(table, "Reserves applied") == [4, 2, 2]
    assert _row(table, "Cumulative funding gap") == [6, 13, 18]
    assert _row(table, "Annual funding gap") == [6, 7, 5]


def test_reserves_are_one_off_by_default():
    assert fm.Reserves("General balances", [4, 0, 0]).recurring is False


# -- savings delivery and slippage ------------------------------------------------------------
def savings_plan() -> fm.MTFP:
    return fm.MTFP(
        "Savings at risk",
        YEARS,
        lines=[
            fm.Pressure("Demography", [10, 0, 0]),
            # half of a recurring 6 is delivered: 3 a year achieved
            fm.Saving("Efficiency", [6, 0, 0], delivery=0.5),
            # 4 planned from 2021/22 slips a year to 2022/23
            fm.Saving("Restructure", [0, 4, 0], delay=1),
        ],
    )


def test_planned_savings_are_shown_with_a_savings_not_delivered_row():
    table = fm.evaluate(savings_plan()).table()
    assert _row(table, "Efficiency") == [-6, 0, 0]
    assert _row(table, "Restructure") == [0, -4, 0]
    # 3 of Efficiency undelivered in 2020/21; Restructure's 4 missing in 2021/22, back in 2022/23
    assert _row(table, "Savings not delivered") == [3, 4, -4]
    assert _total(table, "Savings not delivered") == pytest.approx(3)


def test_the_net_reflects_the_savings_achieved():
    table = fm.evaluate(savings_plan()).table()
    planned = np.add(_row(table, "Efficiency"), _row(table, "Restructure"))
    achieved = planned + np.array(_row(table, "Savings not delivered"))
    # achieved: Efficiency 3 in 2020/21, Restructure 4 in 2022/23
    assert achieved.tolist() == [-3, 0, -4]
    assert _row(table, "Net Pressure / (Saving)") == [7, 0, -4]
    assert _row(table, "Cumulative budget gap") == [7, 7, 3]


def test_delivery_and_delay_together():
    plan = fm.MTFP("Both", YEARS, [fm.Saving("Shared services", [4, 0, 0], delivery=0.5, delay=1)])
    table = fm.evaluate(plan).table()
    # planned 4 from 2020/21; achieved 2 from 2021/22
    assert _row(table, "Shared services") == [-4, 0, 0]
    assert _row(table, "Savings not delivered") == [4, -2, 0]
    assert _row(table, "Net Pressure / (Saving)") == [0, -2, 0]
    assert _row(table, "Cumulative budget gap") == [0, -2, -2]


def test_a_one_off_saving_not_fully_delivered():
    plan = fm.MTFP("One-off", YEARS, [fm.Saving("Vacancy freeze", [2, 0, 0], recurring=False, delivery=0.5)])
    table = fm.evaluate(plan).table()
    # one-off: 2 off 2020/21 only (back on in 2021/22); half delivered
    assert _row(table, "Vacancy freeze") == [-2, 2, 0]
    assert _row(table, "Savings not delivered") == [1, -1, 0]
    assert _row(table, "Cumulative budget gap") == [-1, 0, 0]


def test_savings_not_delivered_in_the_brought_forward_layout():
    plan = fm.MTFP(
        "Brought forward, at risk",
        YEARS,
        base_budget=100,
        lines=[
            fm.Pressure("Demography", [10, 0, 0]),
            fm.Saving("Efficiency", [6, 0, 0], delivery=0.5),
            fm.Funding("Funding", [100, 100, 100], basis="level"),
        ],
    )
    table = fm.evaluate(plan).table(basis="cumulative")
    assert _row(table, "Efficiency") == [-6, 0, 0]
    assert _row(table, "Savings not delivered") == [3, 0, 0]
    # requirement: 100 + 10 - 6 + 3 = 107, then flat
    assert _row(table, "Spending requirement") == [107, 107, 107]
    assert _row(table, "Cumulative funding gap") == [7, 7, 7]


def test_cumulative_view_is_the_running_total_of_the_incremental_view_for_savings_at_risk():
    result = fm.evaluate(savings_plan())
    incremental, cumulative = result.table(), result.table(basis="cumulative")
    for label in ("Demography", "Efficiency", "Restructure", "Savings not delivered"):
        assert _row(cumulative, label) == np.cumsum(_row(incremental, label)).tolist(), label


# -- funding as a change ---------------------------------------------------------------------
def change_plan(base_budget: float | None = None) -> fm.MTFP:
    return fm.MTFP(
        "Funding change",
        YEARS,
        base_budget=base_budget,
        lines=[fm.Pressure("Demography", [10, 5, 5]), fm.Funding("Council tax", [3, 3, 3], basis="change")],
    )


def test_funding_change_is_recurring_and_reduces_the_gap():
    result = fm.evaluate(change_plan())
    incremental, cumulative = result.table(), result.table(basis="cumulative")
    assert _row(incremental, "Council tax") == [-3, -3, -3]
    assert _row(incremental, "Net Pressure / (Saving)") == [7, 2, 2]
    assert _total(incremental, "Net Pressure / (Saving)") == pytest.approx(11)
    # each year's extra 3 is kept in later years: 3, 6, 9 in all
    assert _row(cumulative, "Council tax") == [-3, -6, -9]
    assert _row(cumulative, "Cumulative budget gap") == [7, 9, 11]


def test_funding_change_in_the_brought_forward_layout():
    table = fm.evaluate(change_plan(base_budget=100)).table(basis="cumulative")
    assert _row(table, "Spending requirement") == [110, 115, 120]
    assert _row(table, "Funding available") == [103, 106, 109]
    assert _row(table, "Cumulative funding gap") == [7, 9, 11]
    assert _row(table, "Annual funding gap") == [7, 2, 2]


def test_funding_change_and_level_give_the_same_plan():
    level = fm.MTFP(
        "Funding level",
        YEARS,
        base_budget=100,
        lines=[
            fm.Pressure("Demography", [10, 5, 5]),
            fm.Funding("Council tax", [103, 106, 109], basis="level"),
        ],
    )
    a = fm.evaluate(level).table(basis="cumulative")
    b = fm.evaluate(change_plan(base_budget=100)).table(basis="cumulative")
    for label in (
        "Spending requirement",
        "Funding available",
        "Cumulative funding gap",
        "Annual funding gap",
    ):
        assert _row(a, label) == _row(b, label)
