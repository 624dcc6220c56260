"""Every chart holds the right data: read back from its artists, not compared as pixels.

Each chart is rendered to PNG in memory (Agg) so drawing cannot fail silently, and then
its lines, bars and bands are checked against the numbers the results give
(``quantiles``, ``value``, ``mean``, ``probability``). Known answers from the OCC papers
cite their file and line in /work/shared/seeds.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

import finmodel as fm
from finmodel.outputs.charts import Chart, png_bytes
from finmodel.outputs.charts.style import BETTER, INK, LIGHT, MID, TARGET, WORSE, MoneyFormatter

YEARS = fm.Timeline("2018/19", 4)
LABELS = list(YEARS.labels)


def occ_case(slip: bool = False) -> fm.CostBenefitCase:
    # 002_90ddc037a457842c.txt:1553-1555 (ranges), :1628 (phasing 2, 13, 13, 5), :1629 (cost)
    phasing = fm.Profile.increments([2, 13, 13, 5])
    delay = fm.Chance(0.3, name="slip") if slip else None
    return fm.CostBenefitCase(
        "OCC case for change (January 2018)",
        YEARS,
        benefits=[
            fm.Benefit("Operating model transformation", fm.Range(21, 33), phasing, delay=delay),
            fm.Benefit("Quick wins", fm.Range(8, 17), phasing, delay=delay),
            fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), phasing, delay=delay),
        ],
        costs=[fm.Cost("Implementation", [3, 8, 5, 1])],
    )


def occ_mtfp(risky: bool = False) -> fm.MTFP:
    # 002_90ddc037a457842c.txt:1201-1204, incremental £m
    savings = [fm.Saving("Savings", [32.4, 0.0, 4.9, 0.5])]
    if risky:  # the £15m of transformation savings on their own line, at risk (notebook 02)
        savings = [
            fm.Saving("Savings other than transformation", [17.4, 0.0, 4.9, 0.5]),
            fm.Saving("Transformation savings", [0.0, 8.5, 3.5, 3.0], delivery=fm.Beta(9, 1)),
        ]
    lines = [
        fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5]),
        fm.Pressure("Pressures", [18.4, 9.0, 6.5, 0.2]),
        *savings,
    ]
    if not risky:
        lines.append(fm.Reprofile("Transformation Savings Re-profiled", [15.0, -8.5, -3.5, -3.0]))
    return fm.MTFP("OCC overall financial position 2018/22", YEARS, lines=lines)


@pytest.fixture(scope="module")
def case_sim() -> fm.Simulation:
    return fm.simulate(occ_case(slip=True), n=4_000, seed=2018)


@pytest.fixture(scope="module")
def plan_sim() -> fm.Simulation:
    return fm.simulate(occ_mtfp(risky=True), n=4_000, seed=2018)


def rendered(fig: Figure) -> Figure:
    """The figure, after drawing it to PNG (a drawing error fails the test)."""
    assert isinstance(fig, Figure)
    assert png_bytes(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    return fig


def labelled(ax, label: str):
    """The one line with this legend label."""
    found = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(found) == 1, [line.get_label() for line in ax.get_lines()]
    return found[0]


def legend_labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def band(ax, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper edge, by year, of the filled band with this label."""
    (found,) = [c for c in ax.collections if c.get_label() == label]
    vertices = found.get_paths()[0].vertices
    lows, highs = [], []
    for x in range(len(LABELS)):
        ys = vertices[np.isclose(vertices[:, 0], x), 1]
        lows.append(ys.min())
        highs.append(ys.max())
    return np.array(lows), np.array(highs)


def bars(ax) -> dict[str, tuple[float, float]]:
    """Bottom and top of each bar, by its gid."""
    return {p.get_gid(): (float(p.get_y()), float(p.get_y() + p.get_height())) for p in ax.patches}


# -- fan -----------------------------------------------------------------------------------
def test_fan_draws_the_median_and_bands_at_the_simulations_quantiles(case_sim):
    ax = rendered(fm.charts.fan(case_sim, "cumulative_net")).axes[0]
    q = case_sim.quantiles("cumulative_net", [0.05, 0.25, 0.5, 0.75, 0.95])
    np.testing.assert_allclose(labelled(ax, "Median (P50)").get_ydata(), q.loc[0.5])
    np.testing.assert_allclose(band(ax, "P5–P95"), [q.loc[0.05], q.loc[0.95]])
    np.testing.assert_allclose(band(ax, "P25–P75"), [q.loc[0.25], q.loc[0.75]])
    assert legend_labels(ax) == ["P5–P95", "P25–P75", "Median (P50)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == LABELS
    assert ax.get_ylabel() == "£m"
    assert ax.get_title(loc="left") == "Cumulative net: OCC case for change (January 2018)"


def test_fan_converts_units_and_marks_a_target(case_sim):
    ax = fm.charts.fan(case_sim, "net", units="£k", target=10, bands=[(0.1, 0.9)]).axes[0]
    q = case_sim.quantiles("net", [0.1, 0.5, 0.9])
    np.testing.assert_allclose(labelled(ax, "Median (P50)").get_ydata(), q.loc[0.5] * 1_000)
    np.testing.assert_allclose(band(ax, "P10–P90"), [q.loc[0.1] * 1_000, q.loc[0.9] * 1_000])
    assert labelled(ax, "Target").get_ydata()[0] == 10_000
    assert ax.get_ylabel() == "£k"


def test_fan_of_an_evaluation_is_its_single_line():
    low = fm.evaluate(occ_case(), "low")
    ax = fm.charts.fan(low, "cumulative_net_incremental").axes[0]
    # 002_90ddc037a457842c.txt:1631, cumulative net -1, 4, 12, 16 (the printed, incremental basis)
    np.testing.assert_allclose(labelled(ax, "low case").get_ydata(), [-1, 4, 12, 16])
    assert not ax.collections


@pytest.mark.parametrize(
    ("metric", "options", "message"),
    [
        ("npv", {}, "one value per trial, not one per year"),
        ("gap", {}, "no metric 'gap'"),
        ("net", {"bands": [(0.9, 0.1)]}, "bands"),
        ("net", {"units": "£millions"}, "units"),
    ],
)
def test_fan_refuses_what_it_cannot_draw(case_sim, metric, options, message):
    with pytest.raises(fm.FinmodelError, match=message):
        fm.charts.fan(case_sim, metric, **options)


def test_a_chart_refuses_something_that_is_not_a_result():
    with pytest.raises(fm.FinmodelError, match=r"must be the result of fm\.evaluate or fm\.simulate"):
        fm.charts.fan(occ_case(), "net")


# -- payback -----------------------------------------------------------------------------
def test_payback_of_the_low_case_marks_2019_20():
    low = fm.evaluate(occ_case(), "low")
    ax = rendered(fm.charts.payback(low)).axes[0]
    # "cash positive in year 2": 002_90ddc037a457842c.txt:1611, 896
    assert low.payback_year == "2019/20"
    assert labelled(ax, "Payback 2019/20").get_xdata()[0] == 1
    np.testing.assert_allclose(labelled(ax, "Cumulative net").get_ydata(), low.value("cumulative_net"))
    heights = {round(p.get_x() + p.get_width() / 2): p.get_height() for p in ax.patches}
    np.testing.assert_allclose([heights[i] for i in range(4)], low.value("net"))
    hatches = {p.get_hatch() for p in ax.patches}
    assert hatches == {"///", "..."}  # a deficit year and years in credit, told apart without colour


def test_payback_of_a_simulation_marks_the_median_year_and_its_chance(case_sim):
    ax = rendered(fm.charts.payback(case_sim)).axes[0]
    year = case_sim.quantiles("payback_year", 0.5).iloc[0]
    share = case_sim.probability("payback_year", "<=", year)
    line = labelled(ax, f"Median payback {year} ({share:.0%} of trials paid back by then)")
    assert line.get_xdata()[0] == LABELS.index(year)
    np.testing.assert_allclose(labelled(ax, "Median (P50)").get_ydata(), case_sim.quantiles("cumulative_net", 0.5).loc[0.5])


def test_payback_says_when_a_case_does_not_pay_back():
    case = fm.CostBenefitCase("never", YEARS, [fm.Benefit("b", 1)], [fm.Cost("k", [20, 0, 0, 0])])
    ax = fm.charts.payback(fm.evaluate(case)).axes[0]
    assert [t.get_text() for t in ax.texts if t.get_gid() == "payback"] == ["Does not pay back within the timeline"]


def test_payback_refuses_an_mtfp():
    with pytest.raises(fm.FinmodelError, match="payback is drawn for a cost/benefit case"):
        fm.charts.payback(fm.evaluate(occ_mtfp()))


# -- histogram and cdf -----------------------------------------------------------------------
def test_histogram_marks_p10_p50_p90_at_the_quantiles_and_the_target(case_sim):
    ax = rendered(fm.charts.histogram(case_sim, "npv", target=60)).axes[0]
    q = case_sim.quantiles("npv", [0.1, 0.5, 0.9])
    marks = [line for line in ax.get_lines() if line.get_label()[:1] == "P"]
    assert [line.get_label().split()[0] for line in marks] == ["P10", "P50", "P90"]
    np.testing.assert_allclose([line.get_xdata()[0] for line in marks], q)
    assert marks[1].get_label() == f"P50 {fm.format_money(q.loc[0.5], decimals=1, brackets=False)}"
    share = case_sim.probability("npv", ">=", 60)
    target = [line for line in ax.get_lines() if line.get_label().startswith("Target")]
    assert target[0].get_label() == f"Target £60.0m: {share:.0%} of trials at or above"
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(1.0)  # shares of trials


def test_histogram_of_a_per_year_metric_takes_a_year(plan_sim):
    with pytest.raises(fm.FinmodelError, match="choose one with year="):
        fm.charts.histogram(plan_sim, "cumulative_gap")
    ax = fm.charts.histogram(plan_sim, "cumulative_gap", "2021/22", units="£k").axes[0]
    q = plan_sim.quantiles("cumulative_gap", [0.1, 0.5, 0.9], year="2021/22") * 1_000
    marks = [line.get_xdata()[0] for line in ax.get_lines() if line.get_label()[:1] == "P"]
    np.testing.assert_allclose(marks, q)
    assert ax.get_title(loc="left").startswith("Cumulative gap in 2021/22")


def test_histogram_of_payback_shows_the_share_paying_back_each_year(case_sim):
    ax = rendered(fm.charts.histogram(case_sim, "payback_year", target="2019/20")).axes[0]
    codes = pd.Series(case_sim.samples("payback_year")).value_counts(normalize=True)
    heights = [p.get_height() for p in ax.patches]
    expected = [codes.get(label, 0.0) for label in [*LABELS, fm.NOT_WITHIN]]
    np.testing.assert_allclose(heights, expected)
    share = case_sim.probability("payback_year", "<=", "2019/20")
    assert any(f"{share:.0%} of trials paid back by then" in t for t in legend_labels(ax))


def test_cdf_runs_through_the_quantiles(case_sim):
    ax = rendered(fm.charts.cdf(case_sim, "npv", target=0)).axes[0]
    curve = labelled(ax, "Share of trials at or below")
    npv = case_sim.samples("npv")
    assert curve.get_xdata()[0] == npv.min() and curve.get_xdata()[-1] == npv.max()
    for q, line in zip([0.1, 0.5, 0.9], [ln for ln in ax.get_lines() if ln.get_label()[:1] == "P"], strict=True):
        assert line.get_xdata()[0] == pytest.approx(case_sim.quantiles("npv", q).iloc[0])
        assert line.get_ydata()[1] == q  # up to its own height
    share = case_sim.probability("npv", "<=", 0)
    assert f"Target £0.00m: {share:.0%} of trials at or below" in legend_labels(ax)


def test_cdf_of_payback_is_the_share_paid_back_by_each_year(case_sim):
    ax = fm.charts.cdf(case_sim, "payback_year").axes[0]
    expected = [case_sim.probability("payback_year", "<=", year) for year in LABELS]
    np.testing.assert_allclose([p.get_height() for p in ax.patches][:4], expected)


def test_a_distribution_needs_a_simulation_and_finite_values():
    with pytest.raises(fm.FinmodelError, match="a distribution needs a simulation"):
        fm.charts.histogram(fm.evaluate(occ_case()), "npv")
    no_cost = fm.CostBenefitCase("no cost", YEARS, [fm.Benefit("b", fm.Range(1, 2))])
    with pytest.raises(fm.FinmodelError, match="'roi' is infinite in some trials"):
        fm.charts.cdf(fm.simulate(no_cost, n=100, seed=1), "roi")


# -- waterfall -----------------------------------------------------------------------------
def test_waterfall_of_the_occ_mtfp_builds_the_published_gap():
    result = fm.evaluate(occ_mtfp())
    walk = bars(rendered(fm.charts.waterfall(result)).axes[0])
    assert list(walk) == [
        "Opening gap", "Improvements & Investments", "Pressures", "Savings", "Re-profiling", "Closing gap",
    ]
    steps = {k: round(top - bottom, 6) for k, (bottom, top) in walk.items()}
    # 002_90ddc037a457842c.txt:1201-1205, the Total column: 4.7, 34.1, (37.8), 0.0 and 1.0
    assert steps == {
        "Opening gap": 0.0, "Improvements & Investments": 4.7, "Pressures": 34.1, "Savings": -37.8,
        "Re-profiling": 0.0, "Closing gap": 1.0,
    }
    assert walk["Savings"][0] == pytest.approx(4.7 + 34.1)  # each step starts where the last ended


def test_waterfall_of_one_year_starts_from_the_gap_brought_forward():
    walk = bars(fm.charts.waterfall(fm.evaluate(occ_mtfp()), year="2019/20").axes[0])
    steps = {k: round(top - bottom, 6) for k, (bottom, top) in walk.items()}
    # 002_90ddc037a457842c.txt:1201-1205, 2019/20: 0.4 + 9.0 + 0.0 - 8.5 = 0.9 on a gap of 5.8
    assert steps["Opening gap"] == 5.8 and steps["Closing gap"] == 6.7
    assert [steps[k] for k in ("Improvements & Investments", "Pressures", "Savings", "Re-profiling")] == [
        0.4, 9.0, 0.0, -8.5,
    ]


def test_waterfall_of_a_simulation_shows_savings_not_delivered_and_adds_up(plan_sim):
    walk = bars(fm.charts.waterfall(plan_sim).axes[0])
    steps = {k: top - bottom for k, (bottom, top) in walk.items()}
    assert steps["Savings not delivered"] == pytest.approx(plan_sim.mean("undelivered_savings").sum())
    assert steps["Savings not delivered"] > 0
    inner = sum(v for k, v in steps.items() if k not in ("Opening gap", "Closing gap"))
    assert steps["Opening gap"] + inner == pytest.approx(steps["Closing gap"])
    assert steps["Closing gap"] == pytest.approx(plan_sim.mean("cumulative_gap").iloc[-1])
    hatches = {p.get_gid(): p.get_hatch() for p in fm.charts.waterfall(plan_sim).axes[0].patches}
    assert hatches["Pressures"] == "///" and hatches["Savings"] == "..."


def test_waterfall_refuses_a_case():
    with pytest.raises(fm.FinmodelError, match="drawn for an MTFP"):
        fm.charts.waterfall(fm.evaluate(occ_case()))


# -- bridge --------------------------------------------------------------------------------
def test_bridge_line_by_line_names_new_and_removed_lines(plan_sim):
    published = fm.evaluate(occ_mtfp())
    walk = bars(rendered(fm.charts.bridge(published, plan_sim)).axes[0])
    steps = {k: top - bottom for k, (bottom, top) in walk.items()}
    first, *moved, last = steps
    assert (first, last) == ("central", "simulation")  # one plan's name: the gaps are named by scenario
    assert set(moved) == {
        "Savings (removed)", "Savings other than transformation (new)", "Transformation savings (new)",
        "Savings not delivered (new)",
    }  # the re-profiling nets to zero by 2021/22, so it did not move the gap
    assert steps["Savings (removed)"] == pytest.approx(37.8)
    start, end = steps[first], steps[last]
    assert start == pytest.approx(1.0) and end == pytest.approx(plan_sim.mean("cumulative_gap").iloc[-1])
    assert start + sum(steps[k] for k in moved) == pytest.approx(end)


def test_bridge_by_type_and_in_a_year(plan_sim):
    published = fm.evaluate(occ_mtfp())
    steps = {
        k: top - bottom
        for k, (bottom, top) in bars(fm.charts.bridge(published, plan_sim, by="type", year="2019/20").axes[0]).items()
    }
    assert steps["central"] == pytest.approx(6.7)  # 002_90ddc037a457842c.txt:1205, 5.8 + 0.9
    assert steps["Re-profiling (removed)"] == pytest.approx(-6.5)  # 15.0 - 8.5 still out in 2019/20
    assert "Pressures" not in steps  # unchanged


def test_bridge_takes_names_units_and_unchanged_rows():
    last = fm.MTFP("MTFP 2024", YEARS, [fm.Pressure("Demand", [3.0, 1.0, 0, 0]), fm.Pressure("Pay", [1.0, 0, 0, 0])])
    this = fm.MTFP("MTFP 2025", YEARS, [fm.Pressure("Demand", [3500.0, 1000.0, 0, 0]),
                                        fm.Pressure("Pay", [1000.0, 0, 0, 0]),
                                        fm.Saving("Fees", [200.0, 0, 0, 0])], units="£k")
    before, after = fm.evaluate(last), fm.evaluate(this)
    ax = fm.charts.bridge(before, after, names=("Feb 2024", "Feb 2025"), show_unchanged=True).axes[0]
    steps = {k: round(top - bottom, 9) for k, (bottom, top) in bars(ax).items()}
    assert steps == {"Feb 2024": 5.0, "Demand": 0.5, "Pay": 0.0, "Fees (new)": -0.2, "Feb 2025": 5.3}
    in_k = fm.charts.bridge(before, after, units="£k").axes[0]
    assert {k: round(t - b, 6) for k, (b, t) in bars(in_k).items()} == {
        "MTFP 2024": 5000.0, "Demand": 500.0, "Fees (new)": -200.0, "MTFP 2025": 5300.0,
    }
    with pytest.raises(fm.FinmodelError, match="by"):
        fm.charts.bridge(fm.evaluate(last), fm.evaluate(this), by="kind")
    longer = fm.MTFP("MTFP 2026", fm.Timeline("2018/19", 5), [fm.Pressure("Demand", [3.0, 1.0, 0, 0, 0])])
    with pytest.raises(fm.FinmodelError, match="end in different years"):
        fm.charts.bridge(fm.evaluate(last), fm.evaluate(longer))


# -- tornado and spider ----------------------------------------------------------------------
TORNADO = pd.DataFrame(
    {"input": ["Quick wins", "Delivery", "Slip"], "low": [30.0, 35.0, 44.0], "high": [50.0, 41.0, 36.0],
     "base": [40.0] * 3},
)


class SensitivityResult:
    """Stands for a result object of the analysis layer: it hands over its DataFrame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def to_frame(self) -> pd.DataFrame:
        return self.frame


class Sensitivity:
    """Stands for a result that holds both kinds of data: each chart asks for its own."""

    def tornado_frame(self) -> pd.DataFrame:
        return TORNADO

    def spider_frame(self) -> pd.DataFrame:
        return SPIDER

    def to_frame(self) -> pd.DataFrame:
        raise AssertionError("the chart's own method comes first")


@pytest.mark.parametrize(
    "data",
    [
        TORNADO,
        TORNADO.set_index("input"),
        SensitivityResult(TORNADO),
        Sensitivity(),
        {"Quick wins": (30, 50), "Delivery": {"low": 35, "high": 41}, "Slip": (44, 36)},
    ],
    ids=["frame", "indexed", "to_frame", "tornado_frame", "dict"],
)
def test_tornado_draws_each_swing_from_the_base_widest_on_top(data):
    base = None if not isinstance(data, dict) else 40.0
    ax = rendered(fm.charts.tornado(data, base=base, metric="npv")).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Delivery", "Slip", "Quick wins"]  # bottom to top
    ends = {p.get_gid(): (float(p.get_x()), float(p.get_x() + p.get_width())) for p in ax.patches}
    assert ends["Quick wins: low"] == (40.0, 30.0) and ends["Quick wins: high"] == (40.0, 50.0)
    assert ends["Slip: high"] == (40.0, 36.0)
    assert labelled(ax, "Base £40.0m").get_xdata()[0] == 40.0
    assert ax.get_title(loc="left") == "NPV: swing as each input moves from low to high"
    assert {p.get_hatch() for p in ax.patches} == {"\\\\\\", "///"}


def test_tornado_reads_units_metric_and_base_from_attrs_and_keeps_the_top():
    frame = TORNADO.drop(columns="base").assign(input_low=[8, 0.8, 0], input_high=[17, 1.0, 1])
    frame.attrs.update(metric="run_rate", units="£k", base=40.0)
    ax = fm.charts.tornado(frame, top=2).axes[0]
    assert len(ax.get_yticklabels()) == 2
    assert ax.get_yticklabels()[-1].get_text() == "Quick wins\n(8 to 17)"
    assert ax.get_xlabel() == "£k" and ax.get_title(loc="left").startswith("Run rate")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (TORNADO.drop(columns="base"), "give the base output"),
        (TORNADO.drop(columns="high"), "no column 'high'"),
        ([1, 2], "must be a DataFrame"),
    ],
)
def test_tornado_refuses_incomplete_data(data, message):
    with pytest.raises(fm.FinmodelError, match=message):
        fm.charts.tornado(data)


SPIDER = pd.DataFrame(
    {"Quick wins": [30.0, 40.0, 50.0], "Delivery": [35.0, 40.0, 41.0]},
    index=pd.Index([-20, 0, 20], name="change in input (%)"),
)


@pytest.mark.parametrize(
    "data",
    [
        SPIDER,
        SPIDER.reset_index().melt(id_vars="change in input (%)", var_name="input").rename(
            columns={"change in input (%)": "x"}
        ),
        {name: SPIDER[name] for name in SPIDER},
        SensitivityResult(SPIDER),
        Sensitivity(),
    ],
    ids=["wide", "long", "dict", "to_frame", "spider_frame"],
)
def test_spider_draws_a_line_per_input_in_its_own_style(data):
    ax = rendered(fm.charts.spider(data, metric="npv")).axes[0]
    quick, delivery = labelled(ax, "Quick wins"), labelled(ax, "Delivery")
    assert quick.get_ydata().tolist() == [30.0, 40.0, 50.0] and delivery.get_ydata().tolist() == [35.0, 40.0, 41.0]
    assert quick.get_xdata().tolist() == [-20, 0, 20]
    assert quick.get_linestyle() != delivery.get_linestyle() and quick.get_marker() != delivery.get_marker()


def test_spider_marks_the_base_given_in_attrs():
    frame = SPIDER.copy()
    frame.attrs.update(base=40.0, units="£k")
    ax = fm.charts.spider(frame).axes[0]
    assert labelled(ax, "Base").get_ydata()[0] == 40.0
    assert ax.get_xlabel() == "change in input (%)" and ax.get_ylabel() == "£k"


def test_tornado_draws_the_analysis_result_as_it_is():
    case = occ_case(slip=True)
    found = fm.tornado(case, "cumulative_net", year="2019/20", points="cases")
    ax = rendered(fm.charts.tornado(found)).axes[0]
    ends = {p.get_gid(): float(p.get_x() + p.get_width()) for p in ax.patches}
    for name, row in found.table.iterrows():
        assert ends[f"{name}: low"] == pytest.approx(row["low_result"])
        assert ends[f"{name}: high"] == pytest.approx(row["high_result"])
    widest = found.table.index[0]
    assert ax.get_yticklabels()[-1].get_text().startswith(f"{widest}\n(")  # the widest swing on top
    (base,) = [line for line in ax.get_lines() if line.get_label().startswith("Base £")]
    assert base.get_xdata()[0] == pytest.approx(found.base)
    assert ax.get_title(loc="left") == "Cumulative net in 2019/20: swing as each input moves from low to high"
    assert ax.get_xlabel() == "£m"


def test_tornado_of_a_ratio_and_of_a_plan_in_thousands_keep_their_units():
    case = occ_case(slip=True)
    assert fm.charts.tornado(fm.tornado(case, "roi")).axes[0].get_xlabel() == "ratio"
    plan = fm.MTFP("Plan in £k", YEARS, [fm.Pressure("Demand", fm.Range(400, 600, name="demand"))], units="£k")
    found = fm.tornado(plan)
    assert found.to_frame().attrs["units"] == "£k"
    assert fm.charts.tornado(found).axes[0].get_xlabel() == "£k"


def test_spider_draws_the_analysis_result_with_the_target_it_must_reach():
    case = occ_case(slip=True)
    found = fm.spider(case, "cumulative_net", year="2019/20")
    ax = rendered(fm.charts.spider(found, target=4.0)).axes[0]
    for name, row in found.results.iterrows():
        line = labelled(ax, str(name))
        np.testing.assert_allclose(line.get_xdata(), 100 * np.array(found.points))
        assert to_rgb(line.get_color()) != to_rgb(TARGET)  # the target's colour is its own
        np.testing.assert_allclose(line.get_ydata(), row.to_numpy())
    assert labelled(ax, "Base").get_ydata()[0] == pytest.approx(found.base)
    target = labelled(ax, "Target £4.00m")
    assert target.get_ydata()[0] == 4.0 and target.get_linestyle() == "--"
    assert ax.get_xlabel() == "input percentile (%)"
    assert ax.get_title(loc="left") == "Cumulative net in 2019/20 as each input moves"


# -- reserves ------------------------------------------------------------------------------
def test_reserves_marks_the_years_below_the_minimum():
    balance = pd.Series([12.0, 9.5, 7.0, 8.0], index=fm.Timeline("2024/25", 4).labels)
    ax = rendered(fm.charts.reserves(balance, minimum=[8.0, 8.0, 8.0, 8.5])).axes[0]
    heights = {p.get_gid(): (float(p.get_height()), p.get_hatch()) for p in ax.patches}
    assert heights == {"2024/25": (12.0, "..."), "2025/26": (9.5, "..."), "2026/27": (7.0, "///"),
                       "2027/28": (8.0, "///")}
    minimum = labelled(ax, "Minimum balance")
    assert minimum.get_ydata().tolist() == [8.0, 8.0, 8.0, 8.5, 8.5] and minimum.get_linestyle() == "--"
    assert "Lowest £7.0m" in [t.get_text() for t in ax.texts]


def test_reserves_per_trial_draws_the_median_and_the_share_below():
    rng = np.random.default_rng(1)
    paths = 12 - np.cumsum(rng.normal(1.0, 1.5, (2_000, 3)), axis=1)
    ax = fm.charts.reserves(paths, 8.0, years=fm.Timeline("2024/25", 3)).axes[0]
    np.testing.assert_allclose(labelled(ax, "Median (P50)").get_ydata(), np.quantile(paths, 0.5, axis=0))
    below = (paths < 8.0).mean(axis=0)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[2] == f"2026/27\n{below[2]:.0%} of trials below"


def test_reserves_needs_years_for_an_array():
    with pytest.raises(fm.FinmodelError, match="give the financial years"):
        fm.charts.reserves(np.array([1.0, 2.0]))
    with pytest.raises(fm.FinmodelError, match="minimum"):
        fm.charts.reserves(pd.Series([1.0, 2.0], index=["2024/25", "2025/26"]), minimum=[1, 2, 3])


def occ_with_reserves(**options) -> fm.MTFP:
    """The OCC position with the transformation savings at risk, and OCC's balances: general
    £19.7m (002:656), usable earmarked £67.7m - £19.7m (002:655), net revenue expenditure
    about £416m (£10.4m is 2.5%, 002:654)."""
    import dataclasses

    balance = fm.ReservesBalance(general=19.7, earmarked=67.7 - 19.7, minimum_share=0.025,
                                 net_revenue_expenditure=416, **options)
    return dataclasses.replace(occ_mtfp(risky=True), reserves=balance)


def test_reserves_of_a_simulated_plan_are_its_reserves_metrics():
    sim = fm.simulate(occ_with_reserves(), n=4_000, seed=2018)
    ax = rendered(sim.plot.reserves()).axes[0]
    q = sim.quantiles("general_reserves", [0.05, 0.25, 0.5, 0.75, 0.95])
    np.testing.assert_allclose(labelled(ax, "Median (P50)").get_ydata(), q.loc[0.5])
    np.testing.assert_allclose(band(ax, "P5–P95"), [q.loc[0.05], q.loc[0.95]])
    minimum = np.median(sim.samples("reserves_minimum"), axis=0)
    np.testing.assert_allclose(labelled(ax, "Minimum balance").get_ydata()[:-1], minimum)
    below = sim.probability("below_minimum", "==", 1)
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [f"{year}\n{share:.0%} of trials below" for year, share in below.items()]
    assert ax.get_title(loc="left") == "General reserves at 31 March: OCC overall financial position 2018/22"
    (note,) = [t.get_text() for t in ax.figure.texts if t.get_gid() == "footnote"]
    assert note.startswith("OCC overall financial position 2018/22: 4,000 trials")
    by_function = fm.charts.reserves(sim).axes[0]
    np.testing.assert_array_equal(labelled(by_function, "Median (P50)").get_ydata(),
                                  labelled(ax, "Median (P50)").get_ydata())


def test_reserves_of_one_scenario_are_bars_hatched_below_the_plans_minimum():
    result = fm.evaluate(occ_with_reserves(), "worst")
    ax = rendered(result.plot.reserves(units="£k")).axes[0]
    general = result.value("general_reserves")
    below = result.value("below_minimum")
    for year in LABELS:
        bar = next(p for p in ax.patches if p.get_gid() == year)
        assert float(bar.get_height()) == pytest.approx(general[year] * 1_000)
        assert bar.get_hatch() == ("///" if below[year] == 1 else "...")
    assert below.iloc[0] == 0 and below.iloc[-1] == 1  # the worst case runs general balances down
    np.testing.assert_allclose(labelled(ax, "Minimum balance").get_ydata()[:-1],
                               result.value("reserves_minimum").to_numpy() * 1_000)


def test_reserves_draw_other_balances_without_the_general_minimum():
    sim = fm.simulate(occ_with_reserves(use_earmarked=True), n=2_000, seed=1)
    ax = sim.plot.reserves("usable_reserves").axes[0]
    np.testing.assert_allclose(labelled(ax, "Median (P50)").get_ydata(), sim.quantiles("usable_reserves", [0.5]).loc[0.5])
    assert "Minimum balance" not in [line.get_label() for line in ax.get_lines()]
    assert ax.get_title(loc="left").startswith("Usable reserves at 31 March")


def test_reserves_of_a_result_without_a_balance_are_refused(plan_sim, case_sim):
    for result in (plan_sim, case_sim):
        with pytest.raises(fm.FinmodelError, match="ReservesBalance"):
            result.plot.reserves()
    with pytest.raises(fm.FinmodelError, match="metric"):
        fm.simulate(occ_with_reserves(), n=10, seed=1).plot.reserves("cumulative_gap")


# -- methods on results, style, and how figures are made ------------------------------------
def test_methods_on_results_draw_the_same_charts(case_sim, plan_sim):
    assert fm.Simulation.plot is type(case_sim.plot)
    by_method = case_sim.plot.fan("net").axes[0].get_lines()[0].get_ydata()
    by_function = fm.charts.fan(case_sim, "net").axes[0].get_lines()[0].get_ydata()
    np.testing.assert_array_equal(by_method, by_function)
    assert case_sim.plot.fan().axes[0].get_title(loc="left").startswith("Cumulative net")  # a case's default
    assert plan_sim.plot.fan().axes[0].get_title(loc="left").startswith("Cumulative gap")  # an MTFP's
    published = fm.evaluate(occ_mtfp())
    assert bars(published.plot.waterfall().axes[0]) == bars(fm.charts.waterfall(published).axes[0])
    assert bars(published.plot.bridge(plan_sim).axes[0]) == bars(fm.charts.bridge(published, plan_sim).axes[0])
    for fig in (case_sim.plot.payback(), case_sim.plot.histogram("npv"), case_sim.plot.cdf("net", "2021/22")):
        rendered(fig)


def test_charts_are_not_managed_by_pyplot_and_show_once_in_jupyter(case_sim):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = fm.charts.fan(case_sim, "net")
    assert isinstance(fig, Chart) and plt.get_fignums() == before  # nothing for pyplot to show again
    assert fig._repr_png_()[:4] == b"\x89PNG"
    assert [t.get_text() for t in fig.texts if t.get_gid() == "footnote"] == [
        f"OCC case for change (January 2018): 4,000 trials (random), seed 2018. finmodel {fm.__version__}."
    ]


def test_a_chart_draws_into_axes_it_is_given(case_sim):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    try:
        assert fm.charts.fan(case_sim, "net", ax=left) is fig
        assert case_sim.plot.histogram("npv", ax=right) is fig
        assert left.get_lines() and right.patches
        assert not [t for t in fig.texts if t.get_gid() == "footnote"]  # someone else's figure is left alone
    finally:
        plt.close(fig)


def test_the_palette_stays_apart_in_greyscale():
    def grey(colour: str) -> float:
        r, g, b = to_rgb(colour)
        return 0.299 * r + 0.587 * g + 0.114 * b

    fills = sorted(grey(c) for c in (INK, MID, LIGHT))
    assert min(b - a for a, b in itertools.pairwise(fills)) > 0.2
    assert abs(grey(WORSE) - grey(BETTER)) > 0.2  # and they are hatched differently too
    assert abs(grey(TARGET) - grey(INK)) > 0.2


def test_money_ticks_use_council_format():
    brackets = MoneyFormatter("£m", brackets=True)
    brackets.set_locs([-10.0, 0.0, 10.0, 20.0])
    assert [brackets(x) for x in (-10.0, 0.0, 20.0)] == ["(£10m)", "£0m", "£20m"]
    minus = MoneyFormatter("£k")
    minus.set_locs([-0.5, 0.0, 0.5])
    assert [minus(x) for x in (-0.5, 0.5)] == ["-£0.5k", "£0.5k"]


def test_importing_finmodel_does_not_import_matplotlib_or_tqdm():
    code = "import sys, finmodel; print('matplotlib' in sys.modules, 'tqdm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
