"""Published tables as they are printed: signs, coverage, products, relative years, rounding by row.

The tables here are small public-style tables written for these tests: an invest-to-save
appraisal printed over Y0..Y4 with costs as positive numbers, a net present cost row and
4-decimal discount factors (``LED``), and a quarterly savings-monitoring report with no
model behind it (``MONITORING``). Every expected figure is worked out in a comment.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finmodel as fm
from finmodel.outputs.cli import main

# An invest-to-save appraisal, £ (whole pounds), years counted from the investment (Y0):
# £2.4m of capital in Y0, £20k a year of running costs and £650k a year of savings from Y1.
# The paper prints costs positive, a "Net cost" row (cost less saving), discount factors to
# 4 dp at 3.5% and a "Net present cost" row computed with those rounded factors:
# 630,000 x 0.9662 = 608,706; x 0.9335 = 588,105; x 0.9019 = 568,197; x 0.8714 = 548,982;
# 2,400,000 - (608,706 + 588,105 + 568,197 + 548,982) = 86,010.
LED = """
title = "Street lighting: invest to save"
source = "a public-style appraisal written for the tests"

[model]
kind = "CostBenefitCase"
name = "LED street lighting"
years = 5
labels = "Y{n}"
units = "£"

[[benefit]]
name = "Energy and maintenance savings"
run_rate = 650000
profile = { cumulative = [0, 1] }

[[cost]]
name = "Capital cost"
amounts = [2400000, 0, 0, 0, 0]

[[cost]]
name = "Running costs"
amounts = [0, 20000, 20000, 20000, 20000]

[[table]]
name = "Appraisal"
source = "appraisal table"
units = "£"
columns = ["Y0", "Y1", "Y2", "Y3", "Y4", "Total"]
rounding = 0

[table.reproduces]
scenario = "central"
basis = "in-year"
costs = "positive"
rows = { "Savings" = "Annual benefit", "Net cost" = "Annual net benefit" }
signs = { "Net cost" = -1, "Net present cost" = -1 }
metrics = { "Discount factor" = "discount_factor", "Net present cost" = "present_value" }
discount_factors = "Discount factor"

[[table.row]]
label = "Savings"
values = [0, 650000, 650000, 650000, 650000, 2600000]

[[table.row]]
label = "Capital cost"
values = [2400000, 0, 0, 0, 0, 2400000]

[[table.row]]
label = "Running costs"
values = [0, 20000, 20000, 20000, 20000, 80000]

[[table.row]]
label = "Net cost"
values = [2400000, -630000, -630000, -630000, -630000, -120000]

[[table.row]]
label = "Discount factor"
values = [1, 0.9662, 0.9335, 0.9019, 0.8714, "-"]
rounding = 4

[[table.row]]
label = "Net present cost"
values = [2400000, -608706, -588105, -568197, -548982, 86010]

[[table.total]]
column = "Total"
of = ["Y0", "Y1", "Y2", "Y3", "Y4"]
within = ["Savings", "Capital cost", "Running costs", "Net cost", "Net present cost"]

[[table.total]]
row = "Net cost"
of = ["Capital cost", "Running costs"]
minus = ["Savings"]

[[table.total]]
row = "Net present cost"
of = ["Net cost"]
times = ["Discount factor"]
within = ["Y0", "Y1", "Y2", "Y3", "Y4"]
"""


def _findings(report: fm.CheckReport) -> list[tuple]:
    return [(f.table, f.row, f.column, f.printed, round(f.recomputed, 2)) for f in report.findings]


def _led(**edits: str) -> fm.ScenarioFile:
    text = LED
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    return fm.loads(text, name="led.toml")


# -- 1. sign conventions -----------------------------------------------------------------------
def test_a_table_printing_costs_positive_agrees_when_the_reproduction_says_so():
    report = fm.check(_led())
    assert report.ok and report.complete, str(report)
    text = str(report)
    assert "Appraisal (appraisal table): agrees (16 totals checked)" in text
    assert (
        "against the model (scenario central, basis in-year; discount factors as printed in row 'Discount factor'): agrees (35 cells checked)"
        in text
    )


def test_without_the_papers_signs_every_cost_cell_disagrees():
    # the capital cost (Y0, Total), the running costs (Y1-Y4, Total), the net cost (6 cells)
    # and the net present cost (6 cells): 2 + 5 + 6 + 6 = 19 cells printed with the other sign;
    # every printed 0 agrees either way
    loaded = _led(
        **{'costs = "positive"\n': "", 'signs = { "Net cost" = -1, "Net present cost" = -1 }\n': ""}
    )
    findings = fm.check(loaded).findings
    assert len(findings) == 19
    assert {f.row for f in findings} == {"Capital cost", "Running costs", "Net cost", "Net present cost"}
    assert all(f.printed == pytest.approx(-f.recomputed) for f in findings)


def test_signs_per_row_without_the_costs_convention():
    # costs printed negative (as finmodel prints them), and a "Net cost" row printed as the
    # negative of the model's net benefit: one sign for that row is all the paper needs
    model = _led().model
    t = fm.PublishedTable(
        "Net cost",
        "",
        ["Y0", "Y1"],
        [("Capital cost", [-2400000, 0]), ("Net cost", [2400000, -630000])],
        reproduces=fm.Reproduction(
            rows={"Net cost": "Annual net benefit"}, signs={"Net cost": -1}, basis="in-year"
        ),
        units="£",
    )
    assert fm.check(model, [t]).ok
    unsigned = fm.PublishedTable(
        t.name,
        "",
        t.columns,
        t.rows,
        units="£",
        reproduces=fm.Reproduction(rows={"Net cost": "Annual net benefit"}, basis="in-year"),
    )
    assert [(f.row, f.column) for f in fm.check(model, [unsigned]).findings] == [
        ("Net cost", "Y0"),
        ("Net cost", "Y1"),
    ]
    with pytest.raises(fm.ModelError, match=r"signs\['Net cost'\] \(2\) must be \+1 or -1"):
        fm.Reproduction(signs={"Net cost": 2})


# -- 2. honest coverage ------------------------------------------------------------------------
MONITORING = """
title = "Savings delivery, quarter 2"
source = "a public-style monitoring report written for the tests"

[[table]]
name = "Savings delivery by directorate"
source = "monitoring table"
units = "£k"
columns = ["Target", "Forecast", "Variance", "% delivered", "% of net budget"]
rounding = { "Target" = 0, "Forecast" = 0, "Variance" = 0, "% delivered" = 0, "% of net budget" = 2 }

[[table.row]]
label = "Adults"
values = [1200, 1000, -200, 83, 0.60]

[[table.row]]
label = "Children"
values = [800, 800, 0, 100, 0.40]

[[table.row]]
label = "Place"
values = [500, 350, -150, 70, 0.25]

[[table.row]]
label = "Total"
values = [2500, 2150, -350, 86, 1.25]

[[table.total]]
row = "Total"
of = ["Adults", "Children", "Place"]
within = ["Target", "Forecast", "Variance"]

[[table.total]]
column = "Variance"
of = ["Forecast"]
minus = ["Target"]

[[table.total]]
column = "% delivered"
of = ["Forecast"]
over = ["Target"]
scale = 100
"""


def test_a_column_no_rule_covers_is_reported_not_checked():
    report = fm.check(fm.loads(MONITORING))
    assert report.ok and not report.complete
    text = str(report)
    assert text.splitlines()[0] == "Savings delivery, quarter 2: no findings; not checked: 1 column"
    assert (
        "Savings delivery by directorate (monitoring table): agrees (11 totals checked); "
        "not checked: column '% of net budget' (no rule)" in text
    )
    assert report.unchecked == (
        fm.Unchecked("Savings delivery by directorate", "column", "% of net budget", "no rule"),
    )


def test_a_table_with_no_rule_is_not_said_to_agree():
    t = fm.PublishedTable("Salary ranges", "p. 4", ["Minimum", "Maximum"], [("Director", [117912, 144228])])
    report = fm.check(t)
    assert str(report) == (
        "Check: no findings; not checked: 1 table\n"
        "  Salary ranges (p. 4): not checked (no stated totals, no reproduction)"
    )


def test_a_rule_that_cannot_be_evaluated_says_why():
    t = fm.PublishedTable(
        "t",
        "",
        ["spend", "saving", "%"],
        [("a", [0, 1, 50]), ("b", [10, 1, 10])],
        [fm.Total(column="%", of=["saving"], over=["spend"], scale=100)],
        0,
    )
    report = fm.check(t)
    assert report.sections[0].checked == 1
    assert [u.describe() + ": " + u.reason for u in report.unchecked] == ["row 'a': its denominator may be 0"]


def test_a_percentage_of_one_unstated_base_is_checked_for_consistency():
    # Adults 1,200 at 0.60%, Place 500 at 0.25% and Total 2,500 at 1.25% all imply a net
    # budget of £200,000k; Children's 800 printed at 0.40% implies it too. Print 0.50% instead:
    # 800 / 0.50% = £160,000k, a second base. The base three of four figures imply is taken,
    # and 800 / 200,000 = 0.40% is the figure it allows.
    text = MONITORING + '\n[[table.common_base]]\ncolumns = { "% of net budget" = "Target" }\n'
    report = fm.check(fm.loads(text))
    assert report.ok and report.complete
    assert "agrees (11 totals and 4 percentages of one base checked)" in str(report)
    wrong = fm.loads(text.replace("[800, 800, 0, 100, 0.40]", "[800, 800, 0, 100, 0.50]"))
    report = fm.check(wrong)
    assert _findings(report) == [("Savings delivery by directorate", "Children", "% of net budget", 0.5, 0.4)]
    assert "the base 3 of 4 figures imply" in report.findings[0].rule


def test_the_same_figure_with_two_percentages_implies_two_bases():
    t = fm.PublishedTable(
        "Snapshots",
        "",
        ["Q1 £k", "Q1 %", "Q2 £k", "Q2 %"],
        [("Agency staff", [450, 1.5, 450, 1.8])],
        [fm.CommonBase(columns={"Q1 %": "Q1 £k", "Q2 %": "Q2 £k"})],
        {"Q1 £k": 0, "Q1 %": 1, "Q2 £k": 0, "Q2 %": 1},
    )
    # 450 / 1.5% = 30,000 (29,500 to 30,500 with rounding); 450 / 1.8% = 25,000: no one base
    assert [(f.column, f.printed) for f in fm.check(t).findings] == [("Q2 %", 1.8)]


# -- 3. products, discount factors, and the factors a paper used -------------------------------
def test_a_present_value_is_net_times_its_printed_factor():
    table = _led().tables[0]
    wrong = [
        r
        if r.label != "Net present cost"
        else fm.PublishedRow(r.label, (2400000, -608706, -588105, -568197, -549982, 85010))
        for r in table.rows
    ]
    t = fm.PublishedTable(table.name, table.source, table.columns, wrong, table.totals, table.rounding)
    # 630,000 x 0.8714 = 548,982, printed 549,982: the 4 dp factor allows 630,000 x [0.87135, 0.87145],
    # i.e. 548,950.5 to 549,013.5, and the printed cell's own half unit
    found = fm.check(t).findings
    assert [(f.row, f.column, f.printed, round(f.recomputed)) for f in found] == [
        ("Net present cost", "Y4", -549982.0, -548982)
    ]
    assert found[0].allowed == pytest.approx((-630000 * 0.87145 - 0.5, -630000 * 0.87135 + 0.5))
    assert found[0].rule == "Net present cost = Net cost × Discount factor"


def test_the_models_own_factors_miss_a_paper_that_rounded_its_factors():
    # with the exact 3.5% factors the NPV is -85,960.10 (0.966184, 0.933511, 0.901943, 0.871442),
    # so the printed 86,010 is £50 out, and each present value by more than £0.50
    report = fm.check(_led(**{'discount_factors = "Discount factor"\n': ""}))
    assert [(f.row, f.column) for f in report.findings] == [
        ("Net present cost", "Y1"),
        ("Net present cost", "Y2"),
        ("Net present cost", "Y3"),
        ("Net present cost", "Y4"),
        ("Net present cost", "Total"),
    ]
    assert report.findings[-1].recomputed == pytest.approx(85960.10, abs=0.01)
    # the Total of a present-value row is the NPV itself, to the last bit
    assert report.findings[-1].recomputed == -fm.evaluate(_led().model).npv()
    assert "discount factors: the Green Book schedule" in str(report)
    # the printed 4 dp factors agree with the model's to their printed precision
    assert not [f for f in report.findings if f.row == "Discount factor"]


def test_rounding_belongs_to_a_row_or_a_cell():
    table = _led().tables[0]
    assert table.places("Discount factor", "Y1") == 4 and table.places("Savings", "Y1") == 0
    # a factor printed to 4 dp but checked at the table's 0 dp would pass anything; at 4 dp a
    # slip in the last digit is found
    rows = [
        r
        if r.label != "Discount factor"
        else fm.PublishedRow(r.label, (1, 0.9672, 0.9335, 0.9019, 0.8714, None), rounding=4)
        for r in table.rows
    ]
    model = _led().model
    t = fm.PublishedTable(
        table.name,
        table.source,
        table.columns,
        rows,
        (),
        0,
        units="£",
        reproduces=fm.Reproduction("central", "in-year", metrics={"Discount factor": "discount_factor"}),
    )
    t = fm.PublishedTable(
        t.name,
        t.source,
        t.columns,
        [r for r in rows if r.label == "Discount factor"],
        (),
        0,
        units="£",
        reproduces=t.reproduces,
    )
    assert [(f.column, f.printed, round(f.recomputed, 4)) for f in fm.check(model, [t]).findings] == [
        ("Y1", 0.9672, 0.9662)
    ]
    cell = fm.PublishedRow("x", (1, 2), rounding={"b": "exact"})
    assert fm.PublishedTable("t", "", ["a", "b"], [cell]).places("x", "b") is None


# -- 4. years that are not financial years ------------------------------------------------------
def test_a_financial_year_model_reproduces_a_table_printed_in_relative_years():
    case = fm.CostBenefitCase(
        "c", fm.Timeline("2024/25", 3), [fm.Benefit("b", 10)], [fm.Cost("k", [25, 0, 0])]
    )
    t = fm.PublishedTable(
        "Net",
        "",
        ["Year 1", "Year 2", "Year 3", "Total"],
        [("Annual net benefit", [-15, 10, 10, 5])],
        reproduces=fm.Reproduction(columns={"Year 1": "2024/25", "Year 2": "2025/26", "Year 3": "2026/27"}),
    )
    assert fm.check(case, [t]).ok
    with pytest.raises(fm.FinmodelError, match=r"column 'Year 1' is not a year of the model's timeline"):
        fm.check(case, [fm.PublishedTable(t.name, "", t.columns, t.rows, reproduces=fm.Reproduction())])


# -- 9. a file with tables and no model ---------------------------------------------------------
def test_a_file_of_tables_only_is_checked_without_a_model(tmp_path):
    text = (
        MONITORING
        + """
[[statement]]
text = "£2.15m of the £2.5m target is forecast to be delivered (86%)"
value = 86
source = "monitoring report, summary"
of = [{ table = "Savings delivery by directorate", row = "Total", column = "Forecast" }]
over = [{ table = "Savings delivery by directorate", row = "Total", column = "Target" }]
scale = 100

[[statement]]
text = "at least 90% of the savings target will be delivered"
value = 90
op = ">="
source = "monitoring report, summary"
cell = { table = "Savings delivery by directorate", row = "Total", column = "% delivered" }
"""
    )
    loaded = fm.loads(text)
    assert loaded.model is None and loaded.title == "Savings delivery, quarter 2"
    report = fm.check(loaded)
    assert [(f.row, f.printed, f.recomputed) for f in report.findings] == [
        ("at least 90% of the savings target will be delivered", 90.0, 86.0)
    ]
    assert (
        '"at least 90% of the savings target will be delivered" (monitoring report, summary): stated at least 90, tables 86'
        in str(report)
    )
    path = tmp_path / "monitoring.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    assert main(["run", str(path)]) == 0
    with pytest.raises(fm.FinmodelError, match="has published tables and no model"):
        loaded.evaluate()


def test_a_file_without_a_model_refuses_what_needs_one():
    with pytest.raises(fm.ScenarioFileError, match=r"benefit: needs a \[model\]"):
        fm.loads(MONITORING + '\n[[benefit]]\nname = "b"\nrun_rate = 1\n')
    statement = '\n[[statement]]\ntext = "t"\nvalue = 1\nsource = ""\nmetric = "run_rate"\n'
    with pytest.raises(
        fm.ScenarioFileError,
        match=r'statement\[0\]\.metric: "run_rate" is a metric of a model, and the file has no \[model\]',
    ):
        fm.loads(MONITORING + statement)
    with pytest.raises(fm.ScenarioFileError, match='missing key "model"'):
        fm.loads('title = "nothing"\n')


# -- cross-table totals -------------------------------------------------------------------------
def test_a_figure_one_table_restates_from_another():
    summary = """
[[table]]
name = "Summary"
source = "summary page"
units = "£k"
columns = ["£k"]

[[table.row]]
label = "Savings forecast"
values = [2105]

[[cross_total]]
target = { table = "Summary", row = "Savings forecast", column = "£k" }
of = [{ table = "Savings delivery by directorate", row = "Total", column = "Forecast" }]
source = "summary page"
"""
    report = fm.check(fm.loads(MONITORING + summary))
    # 2,105 against the table's 2,150: two digits swapped
    assert _findings(report) == [("Summary", "Savings forecast", "£k", 2105.0, 2150.0)]
    assert "Across tables: 1 of 1 cross-table total disagrees" in str(report)
    assert report.complete or "Summary" not in {u.table for u in report.unchecked}


# -- properties: honest rounding of products and of one base is never a finding ---------------
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(-1e5, 1e5, allow_nan=False), min_size=1, max_size=6),
    st.floats(0.5, 1.0),
    st.integers(0, 2),
    st.integers(2, 5),
)
def test_rounding_true_present_values_is_never_a_finding(nets, rate_factor, money_places, factor_places):
    # true factors decline geometrically; the paper prints net, factor and their product rounded
    factors = [rate_factor**t for t in range(len(nets))]
    columns = [f"Y{t}" for t in range(len(nets))]
    rows = [
        ("Net", [round(n, money_places) for n in nets]),
        fm.PublishedRow(
            "Discount factor", [round(f, factor_places) for f in factors], rounding=factor_places
        ),
        ("Present value", [round(n * f, money_places) for n, f in zip(nets, factors, strict=True)]),
    ]
    t = fm.PublishedTable(
        "t",
        "",
        columns,
        rows,
        [fm.Total(row="Present value", of=["Net"], times=["Discount factor"])],
        money_places,
    )
    assert fm.check(t).ok


@settings(max_examples=200, deadline=None)
@given(st.floats(1.0, 1e4), st.floats(1.0, 1e3))
def test_a_present_value_off_by_more_than_rounding_allows_is_always_found(net, slip_units):
    # net printed whole, factor to 4 dp: the product may be off by |net| x 0.00005 + 0.5 + 0.5
    factor = 0.9662
    allowance = net * 0.00005 + 1.0
    printed = round(net * factor + allowance + slip_units)
    t = fm.PublishedTable(
        "t",
        "",
        ["Y1"],
        [
            ("Net", [round(net)]),
            fm.PublishedRow("Discount factor", [factor], rounding=4),
            ("Present value", [printed]),
        ],
        [fm.Total(row="Present value", of=["Net"], times=["Discount factor"])],
    )
    assert [f.row for f in fm.check(t).findings] == ["Present value"]


@settings(max_examples=200, deadline=None)
@given(
    st.floats(1e3, 1e6),
    st.lists(st.floats(1.0, 1e4), min_size=1, max_size=8),
    st.integers(0, 2),
    st.integers(1, 3),
)
def test_percentages_of_one_true_base_are_never_a_finding(base, amounts, money_places, percent_places):
    rows = [
        (f"r{i}", [round(a, money_places), round(100 * a / base, percent_places)])
        for i, a in enumerate(amounts)
    ]
    t = fm.PublishedTable(
        "t",
        "",
        ["£", "%"],
        rows,
        [fm.CommonBase(columns={"%": "£"})],
        {"£": money_places, "%": percent_places},
    )
    assert fm.check(t).ok
