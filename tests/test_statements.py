"""Statements beyond equality, the quantities they state, and the file keys that carry them.

The case is the invest-to-save appraisal of ``test_published_tables.py`` (written for the
tests): £2.4m in Y0, £650k a year of savings and £20k a year of running costs from Y1.
In-year net: -2,400,000, then 630,000 a year; cumulative -2.4m, -1.77m, -1.14m, -0.51m,
+0.12m, so it pays back in Y4, 4 + 510/630 = 4.81 years from the start.
"""

from __future__ import annotations

import math

import pytest

import finmodel as fm
from finmodel.model.printed import printed_places
from tests.test_published_tables import LED, MONITORING


@pytest.fixture(scope="module")
def led() -> fm.ScenarioFile:
    return fm.loads(LED, name="led.toml")


def _check(model: fm.CostBenefitCase, *statements: fm.Statement) -> list[tuple]:
    report = fm.check(model, statements=list(statements))
    return [
        (f.row, f.printed, f.recomputed if isinstance(f.recomputed, str) else round(f.recomputed, 2))
        for f in report.findings
    ]


def test_bounds_and_ranges(led):
    model = led.model
    assert (
        _check(
            model,
            fm.Statement(
                "at least £2.5m of savings over the five years", 2.5, "", "total_benefit", units="£m", op=">="
            ),
            # a cost line prints negative in a case's table: scale=-1 states it as a cost
            fm.Statement(
                "running costs under £100k a year",
                100,
                "",
                of=[fm.LineRow("Running costs")],
                scale=-1,
                year="Y1",
                units="£k",
                op="<",
            ),
            fm.Statement(
                "a run rate between £600k and £700k", (600, 700), "", "run_rate", units="£k", op="between"
            ),
        )
        == []
    )
    # £2.6m of savings (4 x 650k) is not "more than £3.0m"; £20k is not "at least £50k"
    assert _check(
        model,
        fm.Statement("more than £3.0m of savings", 3.0, "", "total_benefit", units="£m", op=">"),
        fm.Statement(
            "running costs of at least £50k",
            50,
            "",
            of=[fm.LineRow("Running costs")],
            scale=-1,
            year="Y1",
            units="£k",
            op=">=",
        ),
        fm.Statement(
            "a run rate between £700k and £800k", (700, 800), "", "run_rate", units="£k", op="between"
        ),
    ) == [
        ("more than £3.0m of savings", 3.0, 2.6),
        ("running costs of at least £50k", 50.0, 20.0),
        ("a run rate between £700k and £800k", "700 and 800", 650.0),
    ]


def test_a_bound_is_read_at_its_stated_precision(led):
    # "at least £2.6m" stated to 1 dp holds for anything from £2.55m; "exact" makes it strict
    said = fm.Statement("at least £2.64m", 2.64, "", "total_benefit", units="£m", op=">=")
    assert _check(led.model, said) == [("at least £2.64m", 2.64, 2.6)]
    assert (
        _check(led.model, fm.Statement("at least £2.6m", 2.6, "", "total_benefit", units="£m", op=">=")) == []
    )
    strict = fm.Statement("more than £2.6m", 2.6, "", "total_benefit", units="£m", op=">", rounding="exact")
    assert strict.rounding is None
    assert _check(led.model, strict) == [("more than £2.6m", 2.6, 2.6)]


def test_payback_as_officers_quote_it(led):
    model = led.model
    assert fm.evaluate(model).payback_years == pytest.approx(4 + 510_000 / 630_000)
    assert (
        _check(
            model,
            fm.Statement("pays back in 4.8 years", 4.8, "", "payback_years"),
            fm.Statement("pays back within five years", 5, "", "payback_years", op="<="),
            fm.Statement("pays back by year 4", "Y4", "", "payback_year", op="<="),
        )
        == []
    )
    assert _check(
        model,
        fm.Statement("pays back within three years", 3, "", "payback_years", op="<="),
        fm.Statement("pays back in year 3", "Y3", "", "payback_year"),
    ) == [("pays back within three years", 3.0, 4.81), ("pays back in year 3", "Y3", "Y4")]


def test_never_paying_back_reads_the_same_for_both_paybacks():
    case = fm.CostBenefitCase(
        "c", fm.Timeline("2024/25", 3), [fm.Benefit("b", 1)], [fm.Cost("k", [10, 0, 0])]
    )
    assert (
        _check(case, fm.Statement("does not pay back in the period", fm.NOT_WITHIN, "", "payback_year")) == []
    )
    found = fm.check(case, statements=[fm.Statement("pays back in 2.5 years", 2.5, "", "payback_years")])
    assert found.findings[0].recomputed == fm.NOT_WITHIN
    assert "model not within the timeline" in str(found)


def test_sums_and_products_of_model_quantities(led):
    model = led.model
    both = [fm.LineRow("Capital cost"), fm.LineRow("Running costs")]
    assert (
        _check(
            model,
            # -2,400,000 - 4 x 20,000 = -2,480,000 (costs print negative)
            fm.Statement("£2.48m of costs in all", -2.48, "", of=both, year="total", units="£m"),
            # four years of savings at the run rate: 4 x 650k
            fm.Statement(
                "four years at £650k a year is £2.6m", 2.6, "", of=["run_rate"], scale=4, units="£m"
            ),
            # return: (total benefit - total cost) / total cost x 100 = (2.6 - 2.48) / 2.48 = 4.8%
            fm.Statement(
                "a return of 4.8%",
                4.8,
                "",
                of=["total_benefit"],
                minus=["total_cost"],
                over=["total_cost"],
                scale=100,
            ),
            # a net present cost of £86k: the NPV with the sign the paper uses
            fm.Statement("a net present cost of £86k", 86, "", of=["npv"], scale=-1, units="£k"),
        )
        == []
    )


def test_line_is_a_field_and_the_old_spelling_reads_the_same():
    old = fm.Statement(
        "OCC saving", 314, "004_0706a4241b59d058.txt:373", "line:Posts shared to date: OCC saving", "2019/20"
    )
    new = fm.Statement(
        "OCC saving",
        314,
        "004_0706a4241b59d058.txt:373",
        line="Posts shared to date: OCC saving",
        year="2019/20",
    )
    assert old == new and new.metric is None and new.line == "Posts shared to date: OCC saving"
    sf = fm.load(fm.scenarios_folder() / "occ-cdc-joint-posts-2019.toml")
    assert [s.line for s in sf.statements[1:3]] == [
        "Posts shared to date: OCC saving",
        "Posts shared to date: CDC saving",
    ]
    spelled_old = (
        (fm.scenarios_folder() / "occ-cdc-joint-posts-2019.toml")
        .read_text(encoding="utf-8")
        .replace('line = "Posts shared', 'metric = "line:Posts shared')
    )
    assert fm.loads(spelled_old).statements == sf.statements
    with pytest.raises(fm.ModelError, match="give exactly one of metric, line, cell or of"):
        fm.Statement("x", 1, "", "run_rate", line="Running costs")
    with pytest.raises(
        fm.ScenarioFileError, match=r"statement\[1\]: give exactly one of metric, line, cell or of"
    ):
        fm.loads(
            spelled_old.replace(
                'metric = "line:Posts shared to date: OCC saving"',
                'metric = "benefit"\nline = "Posts shared to date: OCC saving"',
            )
        )


def test_one_rule_infers_a_printed_figures_precision():
    # "£15.0m" is printed to one decimal place: the trailing zero is precision
    assert printed_places(15.0) == 1 and printed_places(15) == 0 and printed_places(2.38) == 2
    assert fm.Statement("£15.0m", 15.0, "", "run_rate").rounding == 1
    assert fm.Statement("£15m", 15, "", "run_rate").rounding == 0
    # a finding shows a figure to the precision it was printed, not as the float reads
    t = fm.PublishedTable(
        "t", "", ["a", "b", "total"], [("x", [1.0, 2.0, 4.0])], [fm.Total(column="total", of=["a", "b"])], 1
    )
    assert "printed 4.0, recomputed 3" in str(fm.check(t))


def test_a_scenario_object_evaluates_a_file(led):
    plan_b = fm.Scenario("plan B", {"Energy and maintenance savings": 500000})
    assert led.evaluate(plan_b).run_rate == 500000
    assert led.evaluate("central").run_rate == 650000
    with pytest.raises(
        fm.FinmodelError, match="must be a case, the name of one of the file's scenarios, or a Scenario"
    ):
        led.evaluate({"low": 1})  # type: ignore[arg-type]


def test_relative_years_in_statements(led):
    assert fm.Statement("x", 1, "", "net", "y2").year == "y2"  # resolved against the timeline when checked
    assert (
        _check(led.model, fm.Statement("a net saving of £630k in year 2", 630, "", "net", "y2", units="£k"))
        == []
    )
    with pytest.raises(
        fm.ScenarioFileError, match=r'statement\[0\]\.year: "2024/25" is not on the model\'s timeline'
    ):
        fm.loads(
            LED + '[[statement]]\ntext = "t"\nvalue = 1\nsource = ""\nmetric = "net"\nyear = "2024/25"\n'
        )


def test_every_new_key_survives_dump_and_load(led):
    text = (
        LED
        + MONITORING.split('source = "a public-style monitoring report written for the tests"', 1)[1]
        + """
[[table.common_base]]
columns = { "% of net budget" = "Target" }

[[statement]]
text = "pays back within five years"
value = 5
source = "summary"
metric = "payback_years"
op = "<="

[[statement]]
text = "a run rate of £600k to £700k"
value = [600, 700]
op = "between"
source = "summary"
metric = "run_rate"
units = "£k"

[[statement]]
text = "costs of £2.48m"
value = -2.48
source = "summary"
of = [{ line = "Capital cost" }, { line = "Running costs" }]
year = "total"
units = "£m"
rounding = "exact"

[[statement]]
text = "86% delivered"
value = 86
source = "summary"
cell = { table = "Savings delivery by directorate", row = "Total", column = "% delivered" }

[[cross_total]]
target = { table = "Savings delivery by directorate", row = "Total", column = "Forecast" }
of = [{ table = "Savings delivery by directorate", row = "Adults", column = "Forecast" }]
minus = [{ table = "Savings delivery by directorate", row = "Place", column = "Variance" }]
scale = 1
name = "a rule written for the test"
"""
    )
    first = fm.loads(text)
    again = fm.loads(fm.dumps(first))
    assert fm.dumps(again) == fm.dumps(first)
    assert again.tables == first.tables and again.statements == first.statements
    assert again.cross_totals == first.cross_totals
    assert again.model.timeline == fm.Timeline.relative(5)
    assert str(fm.check(again)) == str(fm.check(first))
    assert first.statements[2].rounding is None  # "exact" kept


def test_a_case_with_its_own_factors_survives_dump_and_load():
    case = fm.CostBenefitCase(
        "c",
        fm.Timeline.relative(3, first=1, label="year {n}", start="2024/25"),
        [fm.Benefit("b", 100)],
        [fm.Cost("k", [300, 0, 0])],
        discount_factors=[1, 0.9662, 0.9335],
    )
    again = fm.loads(fm.dumps(case)).model
    assert again.discount_factors == (1.0, 0.9662, 0.9335)
    assert again.timeline == case.timeline and again.timeline.labels[0] == "year 1"
    assert math.isclose(fm.evaluate(again).npv(), fm.evaluate(case).npv())
