"""fm.check: the findings for each bundled scenario file, and the rounding rule.

Every expected finding cites the seed lines it comes from and the arithmetic that
shows it (002 = 002_90ddc037a457842c.txt, 004 = 004_0706a4241b59d058.txt,
001 = 001_41d1686a1fd6c4fe.txt).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finmodel as fm

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _findings(report: fm.CheckReport) -> list[tuple]:
    return [(f.table, f.row, f.column, f.printed, round(f.recomputed, 2)) for f in report.findings]


# -- the bundled files ----------------------------------------------------------------------
SOURCING = "Strategic sourcing"
OCC_CASE_FINDINGS = [
    # 002:1588 prints £12.76m; the rows 002:1580-1587 sum to
    # 6.93 + 2.12 + 0.23 + 1.63 + 0.85 + 0.23 + 0.25 + 0.43 = 12.67. Nine 2 dp figures allow
    # 9 x 0.005 = 0.045, so the printed total should lie in [12.625, 12.715].
    (SOURCING, "Sourcing savings", "High £", 12.76, 12.67),
    # 002:1587: 0.22 / 9.4 = 2.34%; with the inputs' rounding the ratio lies in
    # [0.215/9.45, 0.225/9.35] = [2.28%, 2.41%], which cannot print as 1%.
    (SOURCING, "Vehicles & Transport", "Low %", 1.0, 2.34),
    # 002:1589: 1.50 / 386.9 = 0.39% (at most 1.505/386.85 = 0.389%), printed 2%.
    (SOURCING, "Process improvements", "Low %", 2.0, 0.39),
    # 002:1581: 2.12 / 34.0 = 6.24% (at most 2.125/33.95 = 6.26%), printed 7%.
    (SOURCING, "Children's Social Care", "High %", 7.0, 6.24),
    # 002:1584: 0.85 / 12.9 = 6.59% (at least 0.845/12.95 = 6.525% > 6.5%), printed 6%.
    (SOURCING, "Human Resources", "High %", 6.0, 6.59),
    # 002:1587: 0.43 / 9.4 = 4.57% (at least 0.425/9.45 = 4.50%), printed 3%.
    (SOURCING, "Vehicles & Transport", "High %", 3.0, 4.57),
    # 002:1589: 3.90 / 386.9 = 1.01% (at most 3.905/386.85 = 1.009%), printed 4%.
    (SOURCING, "Process improvements", "High %", 4.0, 1.01),
    # 002:1611 "net capital investment in year 1 of £2.38m" against the model's (and the
    # printed, 002:1630) annual net for 2018/19: 2 - 3 = -1 (002:1628-1629).
    ("Statements", "an estimated net capital investment in year 1 of £2.38m", "2018/19", -2.38, -1.0),
]


def test_occ_case_for_change_findings():
    report = fm.check(fm.load(SCENARIOS / "occ-case-for-change-2018.toml"))
    assert _findings(report) == OCC_CASE_FINDINGS
    assert not report.ok
    sources = [f.source for f in report.findings]
    assert sources == [
        "002_90ddc037a457842c.txt:1588",
        "002_90ddc037a457842c.txt:1587",
        "002_90ddc037a457842c.txt:1589",
        "002_90ddc037a457842c.txt:1581",
        "002_90ddc037a457842c.txt:1584",
        "002_90ddc037a457842c.txt:1587",
        "002_90ddc037a457842c.txt:1589",
        "002_90ddc037a457842c.txt:1611",
    ]
    high = report.findings[0]
    assert high.allowed == pytest.approx((12.625, 12.715))
    assert high.difference == pytest.approx(0.09)
    assert high.rule.startswith("Sourcing savings = sum of 8 rows")
    assert report.findings[1].rule == "Low % = Low £ / In scope spend × 100"


def test_occ_case_for_change_tables_that_agree_say_so():
    text = str(fm.check(fm.load(SCENARIOS / "occ-case-for-change-2018.toml")))
    for line in (
        "Benefit categories (002_90ddc037a457842c.txt:1551-1557): agrees (2 totals checked)",
        "(002_90ddc037a457842c.txt:1560-1570): agrees (9 totals checked)",
        "Estimated investment costs (002_90ddc037a457842c.txt:1618-1619): agrees (1 total checked)",
        "(002_90ddc037a457842c.txt:1627-1633): agrees (10 totals checked)",
        "against the model (scenario low, basis incremental): agrees (18 cells checked)",
        "Strategic sourcing (002_90ddc037a457842c.txt:1576-1592): 7 of 28 totals disagree",
        "Statements: 1 of 5 statements disagrees",
    ):
        assert line in text
    assert "stated -2.38, model -1, difference -1.38" in text


def test_rounding_explains_the_low_savings_total():
    # 002:1588 prints £6.28m; the rows 002:1580-1587 sum to 6.29: 0.01 apart, within the
    # 0.045 that nine 2 dp figures allow, so it is not a finding.
    report = fm.check(fm.load(SCENARIOS / "occ-case-for-change-2018.toml"))
    assert not [f for f in report.findings if f.column == "Low £"]
    # nor the percentages that round correctly, e.g. 002:1582: 0.08 / 2.1 = 3.81%, printed 4%
    assert not [f for f in report.findings if f.row == "Construction, Repairs & Maintenance"]


@pytest.mark.parametrize(
    "name",
    ["occ-mtfp-2018-22.toml", "occ-cdc-joint-posts-2019.toml", "oxford-city-mtfs-2014.toml"],
)
def test_the_other_files_agree(name):
    report = fm.check(fm.load(SCENARIOS / name))
    assert report.findings == ()
    assert report.ok
    if name == "occ-cdc-joint-posts-2019.toml":
        # the salary ranges (004:189-190) state no totals and nothing reproduces them: the
        # report says so instead of "agrees"
        assert not report.complete
        assert str(report).splitlines()[0].endswith(": no findings; not checked: 1 table")
    else:
        assert report.complete
        assert str(report).splitlines()[0].endswith(": all agrees")


def test_mtfp_report_lines():
    # 002:1201-1205: every row sums to its total and every column to the net line; the
    # central scenario prints the same 25 cells; the prose (002:1647, 1666) restates 34.1,
    # 4.7 and 15 (twice).
    text = str(fm.check(fm.load(SCENARIOS / "occ-mtfp-2018-22.toml")))
    assert "(002_90ddc037a457842c.txt:1200-1207): agrees (10 totals checked)" in text
    assert "against the model (scenario central, basis incremental): agrees (25 cells checked)" in text
    assert "Statements: agrees (4 statements checked)" in text


def test_cdc_about_600k_reconciles_only_at_its_stated_precision():
    sf = fm.load(SCENARIOS / "occ-cdc-joint-posts-2019.toml")
    about = sf.statements[0]
    assert about.rounding == -2 and about.value == 600.0  # "around £600k" (004:119, 201)
    # 314 + 315 = 629 (004:373-374) is within 50 of 600
    exact = fm.Statement(about.text, 600, about.source, about.metric, about.year)
    report = fm.check(sf.model, statements=[exact])
    assert _findings(report) == [("Statements", about.text, "2019/20", 600.0, 629.0)]
    text = str(fm.check(sf))
    assert (
        "Joint role salary ranges (OCC Corporate Adviser range) (004_0706a4241b59d058.txt:189-190): "
        "not checked (no stated totals, no reproduction)" in text
    )


def test_oxford_statements_need_the_phasing():
    sf = fm.load(SCENARIOS / "oxford-city-mtfs-2014.toml")
    # an even phasing reaches the £7m (001:113) but totals 17.5, not £22.5m
    report = fm.check(
        sf.model,
        statements=[
            fm.Statement(s.text, s.value, s.source, s.metric, s.year, "even phasing") for s in sf.statements
        ],
        scenarios=sf.scenarios,
    )
    assert _findings(report) == [
        ("Statements", sf.statements[1].text, "total", -22.5, -17.5),
    ]


# -- the rule itself -------------------------------------------------------------------------
def _one_row_table(parts, total, places=0):
    columns = [f"p{i}" for i in range(len(parts))] + ["total"]
    return fm.PublishedTable(
        "t", "", columns, [("row", [*parts, total])], [fm.Total(column="total", of=columns[:-1])], places
    )


@pytest.mark.parametrize(("n", "places"), [(1, 0), (3, 0), (8, 2), (5, 1), (4, -3)])
def test_a_sum_may_be_off_by_each_parts_half_unit_plus_its_own(n, places):
    h = 0.5 * 10.0**-places
    limit = (n + 1) * h
    assert fm.check(_one_row_table([1.0] * n, n + limit, places)).ok
    assert fm.check(_one_row_table([1.0] * n, n - limit, places)).ok
    beyond = fm.check(_one_row_table([1.0] * n, n + limit * 1.01, places))
    assert [(f.row, f.column) for f in beyond.findings] == [("row", "total")]
    assert beyond.findings[0].allowed == pytest.approx((n - limit, n + limit))


def test_a_percentage_is_judged_against_the_rounding_of_its_inputs():
    def table(saving, spend, printed):
        return fm.PublishedTable(
            "t",
            "",
            ["spend", "saving", "%"],
            [("row", [spend, saving, printed])],
            [fm.Total(column="%", of=["saving"], over=["spend"], scale=100)],
            {"spend": 1, "saving": 2, "%": 0},
        )

    # 0.08 / 2.1 = 3.81% is 0.81 points from a printed 3%, but 0.075 / 2.15 = 3.49% is
    # possible, which does round to 3%: rounding of the inputs explains it (002:1582 style).
    assert fm.check(table(0.08, 2.1, 3)).ok
    # 0.08 / 2.1 can be at most 0.085 / 2.05 = 4.15%: a printed 5% is a finding
    report = fm.check(table(0.08, 2.1, 5))
    assert _findings(report) == [("t", "row", "%", 5.0, 3.81)]
    assert report.findings[0].allowed == pytest.approx((100 * 0.075 / 2.15 - 0.5, 100 * 0.085 / 2.05 + 0.5))


def test_a_denominator_that_may_be_zero_is_not_checked():
    t = fm.PublishedTable(
        "t",
        "",
        ["d", "n", "%"],
        [("r", [0, 1, 50])],
        [fm.Total(column="%", of=["n"], over=["d"], scale=100)],
        0,
    )
    report = fm.check(t)
    assert report.ok and report.sections[0].checked == 0


def test_a_running_total_and_a_difference():
    t = fm.PublishedTable(
        "Cost / Benefit Profile",
        "002_90ddc037a457842c.txt:1627-1633",
        ["18/19", "19/20", "20/21", "21/22"],
        [
            ("benefit", [2, 13, 13, 5]),
            ("cost", [3, 8, 5, 1]),
            ("net", [-1, 5, 8, 4]),
            ("cumulative", [-1, 4, 13, 16]),
        ],
        [
            fm.Total(row="net", of=["benefit"], minus=["cost"]),
            fm.Total(row="cumulative", of=["net"], running=True),
        ],
        0,
    )
    # -1 + 5 + 8 = 12, printed 13: within the 3 x 0.5 + 0.5 = 2 that four whole figures allow
    assert fm.check(t).ok
    t = fm.PublishedTable(
        t.name, t.source, t.columns, [*t.rows[:3], ("cumulative", [-1, 4, 15, 16])], t.totals, 0
    )
    assert _findings(fm.check(t)) == [("Cost / Benefit Profile", "cumulative", "20/21", 15.0, 12.0)]


def test_a_printed_cell_the_model_does_not_give_is_a_finding():
    sf = fm.load(SCENARIOS / "occ-case-for-change-2018.toml")
    profile = sf.tables[-1]
    rows = list(profile.rows)
    rows[0] = fm.PublishedRow("Annual benefit", (2, 14, 13, 5, 34), rows[0].source)
    changed = fm.PublishedTable(
        profile.name,
        profile.source,
        profile.columns,
        rows,
        (),
        profile.rounding,
        "",
        profile.units,
        profile.reproduces,
    )
    report = fm.check(sf.model, [changed], scenarios=sf.scenarios)
    assert _findings(report) == [
        (profile.name, "Annual benefit", "19/20", 14.0, 13.0),
        (profile.name, "Annual benefit", "Total", 34.0, 33.0),
    ]
    assert report.findings[0].rule == "model row 'Annual benefit'"


def test_check_refuses_what_it_cannot_check():
    sf = fm.load(SCENARIOS / "occ-case-for-change-2018.toml")
    with pytest.raises(fm.FinmodelError, match="statements are compared with a model"):
        fm.check(None, statements=sf.statements)
    with pytest.raises(fm.FinmodelError, match="no scenario called 'plan B'"):
        fm.check(sf.model, statements=[fm.Statement("x", 1, "", "run_rate", scenario="plan B")])
    with pytest.raises(fm.FinmodelError, match="has no metric 'profit'"):
        fm.check(sf.model, statements=[fm.Statement("x", 1, "", "profit")])
    with pytest.raises(fm.FinmodelError, match="expected a scenario file, a model or a PublishedTable"):
        fm.check(42)


def test_to_frame_has_one_row_per_finding():
    frame = fm.check(fm.load(SCENARIOS / "occ-case-for-change-2018.toml")).to_frame()
    assert len(frame) == len(OCC_CASE_FINDINGS)
    assert list(frame.columns) == [
        "table",
        "row",
        "column",
        "printed",
        "recomputed",
        "difference",
        "allowed_low",
        "allowed_high",
        "rule",
        "source",
    ]


# -- properties: the rule never flags honest rounding, and always flags a real slip ----------
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=12),
    st.integers(-2, 3),
    st.integers(-2, 3),
)
def test_rounding_true_values_is_never_a_finding(parts, part_places, total_places):
    total = sum(parts)
    columns = [f"p{i}" for i in range(len(parts))] + ["total"]
    printed = [round(p, part_places) for p in parts] + [round(total, total_places)]
    rounding = {**dict.fromkeys(columns[:-1], part_places), "total": total_places}
    t = fm.PublishedTable(
        "t", "", columns, [("r", printed)], [fm.Total(column="total", of=columns[:-1])], rounding
    )
    assert fm.check(t).ok


@settings(max_examples=300, deadline=None)
@given(
    st.floats(0, 1e3, allow_nan=False),
    st.floats(1, 1e3, allow_nan=False),
    st.integers(0, 3),
    st.integers(0, 2),
    st.integers(0, 2),
)
def test_rounding_a_true_percentage_is_never_a_finding(
    saving, spend, saving_places, spend_places, pct_places
):
    rounded_spend = round(spend, spend_places)
    if rounded_spend - 0.5 * 10.0**-spend_places <= 0:
        return  # the printed spend might stand for zero: nothing to check
    row = [round(saving, saving_places), rounded_spend, round(100 * saving / spend, pct_places)]
    t = fm.PublishedTable(
        "t",
        "",
        ["saving", "spend", "%"],
        [("r", row)],
        [fm.Total(column="%", of=["saving"], over=["spend"], scale=100)],
        {"saving": saving_places, "spend": spend_places, "%": pct_places},
    )
    assert fm.check(t).ok


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=10), st.floats(1.001, 100))
def test_a_total_off_by_more_than_the_allowance_is_always_found(parts, factor):
    allowance = 0.5 * (len(parts) + 1)
    t = _one_row_table(parts, sum(parts) + allowance * factor)
    report = fm.check(t)
    assert len(report.findings) == 1
    assert math.isclose(report.findings[0].difference, allowance * factor)
