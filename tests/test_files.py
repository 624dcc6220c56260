"""Scenario files: the bundled files load, bad files are refused with exact messages,
nothing in a file is executed, and dump then load gives the same model.

Seed figures are cited as file:line; 002 = 002_90ddc037a457842c.txt,
004 = 004_0706a4241b59d058.txt, 001 = 001_41d1686a1fd6c4fe.txt.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

import finmodel as fm
from finmodel.core.correlation import Correlated
from finmodel.core.names import INVISIBLE, name_key

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
BUNDLED = sorted(SCENARIOS.glob("*.toml"))


# -- the bundled files ---------------------------------------------------------------------
def test_four_files_are_bundled_with_one_line_descriptions():
    found = fm.bundled()
    assert [b.name for b in found] == [
        "occ-case-for-change-2018",
        "occ-cdc-joint-posts-2019",
        "occ-mtfp-2018-22",
        "oxford-city-mtfs-2014",
    ]
    for item in found:
        assert item.path.parent == SCENARIOS
        assert item.description and "\n" not in item.description
    assert fm.scenarios_folder() == SCENARIOS


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_file_loads(path):
    sf = fm.load(path)
    assert sf.path == path
    assert sf.title and sf.source and sf.description
    assert isinstance(sf.model, (fm.MTFP, fm.CostBenefitCase))
    fm.evaluate(sf.model, "central")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_file_survives_dump_and_load(path, tmp_path):
    sf = fm.load(path)
    again = fm.load(fm.dump(sf, tmp_path / path.name))
    assert fm.dumps(again) == fm.dumps(sf)
    assert str(fm.check(again)) == str(fm.check(sf))
    for case in ("low", "central", "high"):
        pd.testing.assert_frame_equal(
            fm.evaluate(sf.model, case).table(), fm.evaluate(again.model, case).table(), check_exact=True
        )


def test_occ_case_reproduces_the_headline_range():
    occ = fm.load(SCENARIOS / "occ-case-for-change-2018.toml")
    # £33m to £58m (002:1609) is categories 1-3: 21 + 8 + 4 and 33 + 17 + 8 (002:1553-1555)
    assert occ.evaluate("low").run_rate == 33.0
    assert occ.evaluate("high").run_rate == 58.0
    assert [li.name for li in occ.model.benefits] == [
        "Operating model transformation",
        "Quick wins",
        "Strategic sourcing & process improvements",
    ]
    assert "commercialisation" not in " ".join(li.name.lower() for li in occ.model.lines)
    assert "NOT in it" in occ.description
    # £17m one-off: 6 + 3 + 8 (002:1619), phased 3, 8, 5, 1 (002:1629)
    low = occ.evaluate("minimum").table(basis="incremental")
    assert low.loc["Annual cost"].round(9).tolist() == [-3.0, -8.0, -5.0, -1.0, -17.0]


def test_occ_operating_model_minimum_is_composed_from_the_activity_areas():
    occ = fm.load(SCENARIOS / "occ-case-for-change-2018.toml")
    minimum = occ.amounts["operating_model_minimum"]
    assert isinstance(minimum, fm.Expr)
    # 29-22 + 33-32 + 34-26 + 25-23 + 24-21 = 21 (002:1563-1568)
    assert minimum.case("low") == minimum.case("high") == 21.0
    names = {leaf.name for leaf in minimum.leaves()}
    assert "customer_support_existing" in names  # printed "£34" without its "m" (002:1565)
    assert occ.amounts["customer_support_existing"].case("central") == 34.0
    run_rate = occ.model.line("Operating model transformation").amount
    assert run_rate.case("low") == 21.0 and run_rate.case("high") == 33.0  # 002:1553


def test_cdc_salary_is_one_draw_shared_by_four_lines():
    sf = fm.load(SCENARIOS / "occ-cdc-joint-posts-2019.toml")
    salary = sf.amounts["joint_chief_officer_salary"]
    users = [li for li in sf.model.lines if salary in li.leaves()]
    assert len(users) == 4
    sim = sf.simulate(n=2_000)
    cost = sim.samples("cost")[:, 1]
    # 2020/21 benefit: 314 + 315 (004:373) plus each council's own post not filled
    drawn = (sim.samples("benefit")[:, 1] - (314 + 315)) / 2
    # the two councils' shares of the cost always add up to the one salary drawn
    np.testing.assert_allclose(cost, drawn, rtol=1e-12)
    assert cost.min() >= 117.912 and cost.max() <= 144.228  # 004:189, £k
    assert sf.evaluate("top of the salary range").value("net").tolist() == pytest.approx([629.0, 773.228])


def test_oxford_phasing_meets_both_figures():
    sf = fm.load(SCENARIOS / "oxford-city-mtfs-2014.toml")
    gap = sf.evaluate("central").value("cumulative_gap")
    assert gap.iloc[-1] == pytest.approx(-7.0)  # £7m annualised by 2018/19 (001:113)
    assert gap.sum() == pytest.approx(-22.5)  # £22.5m over four years (001:113)
    even = sf.evaluate("even phasing").value("cumulative_gap")
    assert even.iloc[-1] == pytest.approx(-7.0) and even.sum() == pytest.approx(-17.5)


def test_mtfp_file_reproduces_the_printed_bottom_line():
    sf = fm.load(SCENARIOS / "occ-mtfp-2018-22.toml")
    table = sf.evaluate("central").table().round(1)
    assert table.loc["Net Pressure / (Saving)"].tolist() == [5.8, 0.9, -1.9, -3.8, 1.0]  # 002:1205


# -- the shared-draw rule and correlations ---------------------------------------------------
SHARED = """
[model]
kind = "MTFP"
name = "demand"
start = "2019/20"
years = 2

[amounts]
growth = { kind = "Range", low = 0.02, high = 0.04, name = "demand growth" }
base = 100

[[pressure]]
name = "Demography"
amount = "base * growth"

[[saving]]
name = "Demand management"
amount = "base * growth / 2"
"""


def test_a_named_amount_used_twice_loads_as_one_object():
    sf = fm.loads(SHARED)
    growth = sf.amounts["growth"]
    assert growth.name == "demand growth"
    assert all(growth in li.leaves() for li in sf.model.lines)
    assert len(sf.model.leaves()) == 2  # growth and the Fixed base, each once
    sim = fm.simulate(sf.model, n=500, seed=3)
    pressure, saving = sim.samples("pressures")[:, 0], -sim.samples("savings")[:, 0]
    np.testing.assert_allclose(saving, pressure / 2)  # one draw feeds both lines


def test_two_inline_tables_with_equal_parameters_are_two_amounts():
    text = SHARED.replace('amount = "base * growth"', 'amount = { kind = "Range", low = 2, high = 4 }')
    text = text.replace('amount = "base * growth / 2"', 'amount = { kind = "Range", low = 2, high = 4 }')
    sf = fm.loads(text)
    first, second = (li.amount for li in sf.model.lines)
    assert first is not second


def test_correlations_are_applied_to_the_named_inputs():
    text = SHARED.replace("base = 100", 'base = 100\nprice = { kind = "Uniform", low = 0, high = 1 }')
    text = text.replace('amount = "base * growth / 2"', 'amount = "price"')
    text += '\n[[correlation]]\namounts = ["growth", "price"]\nmatrix = [[1, 0.7], [0.7, 1]]\n'
    sf = fm.loads(text)
    assert isinstance(sf.amounts["growth"], Correlated) and isinstance(sf.amounts["price"], Correlated)
    assert sf.correlations[0].amounts == ("growth", "price")
    sim = fm.simulate(sf.model, n=20_000, seed=5)
    rho = spearmanr(sim.samples("pressures")[:, 0], sim.samples("savings")[:, 0]).statistic
    assert rho == pytest.approx(-0.7, abs=0.03)  # savings are negative in the MTFP
    again = fm.loads(fm.dumps(sf))
    assert fm.dumps(again) == fm.dumps(sf)


# -- bad files -----------------------------------------------------------------------------
CASE = """
[model]
kind = "CostBenefitCase"
name = "OCC case for change"
start = "2018/19"
years = 4
units = "£m"

[amounts]
quick_wins = { kind = "Range", low = 8, high = 17 }

[[benefit]]
name = "Operating model transformation"
run_rate = { kind = "Range", low = 21, high = 33 }

[[benefit]]
name = "Quick wins"
run_rate = "quick_wins"

[[benefit]]
name = "Strategic sourcing"
run_rate = { kind = "Range", low = 4, high = 8 }

[[cost]]
name = "Implementation"
amounts = [3, 8, 5, 1]
"""


def _refused(tmp_path: Path, text: str) -> str:
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(fm.ScenarioFileError) as info:
        fm.load(path)
    assert isinstance(info.value, fm.FinmodelError)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    return message[len(f"{path}: ") :]


def test_the_unbroken_file_loads(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(CASE, encoding="utf-8")
    assert fm.evaluate(fm.load(path).model, "low").run_rate == 33.0


BAD = [
    pytest.param(
        ("low = 4, high = 8", 'low = "21m", high = 8'),
        'benefit[2].run_rate.low: expected a number, got "21m"',
        id="21m",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'run_rate = "21m"'),
        'benefit[1].run_rate: expected a number, a name or an expression such as "a - b", got "21m"',
        id="21m-as-an-expression",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'runrate = "quick_wins"'),
        "benefit[1].runrate: unknown key (expected one of: name, run_rate, amounts, delay, start_month, "
        "category, owner, profile, recurring, delivery, rag)",
        id="unknown-key",
    ),
    pytest.param(
        ('units = "£m"', 'units = "£m"\ncurrency = "GBP"'),
        "model.currency: unknown key (expected one of: kind, name, start, years, labels, first, units, "
        "discount_rate, first_year, discount_factors)",
        id="unknown-model-key",
    ),
    pytest.param(
        ("[[cost]]", "[[costs]]"),
        "costs: unknown key (expected one of: schema, title, description, source, model, amounts, rag, investment, "
        "pressure, saving, reprofile, funding, reserves, benefit, cost, reserves_balance, correlation, "
        "scenario, simulation, stress, table, statement, cross_total)",
        id="unknown-section",
    ),
    pytest.param(
        ("years = 4", 'years = "four"'),
        'model.years: expected a whole number >= 1, got "four"',
        id="wrong-type",
    ),
    pytest.param(
        ("amounts = [3, 8, 5, 1]", "amounts = [3, 8, true, 1]"),
        "cost[0].amounts[2]: expected a number, got true",
        id="boolean-amount",
    ),
    pytest.param(
        ("low = 8, high = 17", "low = 17, high = 8"),
        "amounts.quick_wins: Range 'quick_wins': low (17) exceeds high (8)",
        id="low-above-high",
    ),
    pytest.param(
        ('start = "2018/19"', 'start = "2018/20"'),
        'model.start: expected a financial year such as "2018/19" or "18/19", got "2018/20"',
        id="bad-year",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'run_rate = "quick_win"'),
        "benefit[1].run_rate: unknown name 'quick_win' in \"quick_win\" (names in [amounts]: quick_wins)",
        id="unknown-name",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'run_rate = "max(quick_wins, 10)"'),
        'benefit[1].run_rate: function calls are not allowed in "max(quick_wins, 10)"; '
        "use numbers, names, + - * / and parentheses",
        id="function-call",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'run_rate = "quick_wins.low"'),
        'benefit[1].run_rate: attribute access is not allowed in "quick_wins.low"; '
        "use numbers, names, + - * / and parentheses",
        id="attribute-access",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'run_rate = "quick_wins ** 2"'),
        'benefit[1].run_rate: BinOp is not allowed in "quick_wins ** 2"; use numbers, names, + - * / and parentheses',
        id="power",
    ),
    pytest.param(
        ('run_rate = "quick_wins"', 'run_rate = "quick_wins / 0"'),
        'benefit[1].run_rate: division by zero in "quick_wins / 0"',
        id="division-by-zero-constant",
    ),
    pytest.param(
        (
            'quick_wins = { kind = "Range", low = 8, high = 17 }',
            'quick_wins = "2 * extra"\nextra = "quick_wins + 1"',
        ),
        "amounts.quick_wins: circular reference: quick_wins -> extra -> quick_wins",
        id="circular-reference",
    ),
    pytest.param(
        ('kind = "Range", low = 8', 'kind = "range", low = 8'),
        "amounts.quick_wins.kind: expected one of Range, Uniform, Triangular, PERT, Normal, LogNormal, Beta, "
        'Chance, Fixed, RAG, OptimismBias, got "range"',
        id="unknown-distribution",
    ),
    pytest.param(
        ("[[cost]]", '[[pressure]]\nname = "Demography"\namount = 1\n\n[[cost]]'),
        "pressure: a CostBenefitCase takes [[benefit]], [[cost]], not [[pressure]]",
        id="line-of-the-wrong-model",
    ),
    pytest.param(
        ("[[cost]]", '[[benefit]]\nname = "Quick wins"\nrun_rate = 1\n\n[[cost]]'),
        "model: CostBenefitCase 'OCC case for change': two lines are called 'Quick wins'; line names must be unique",
        id="duplicate-line",
    ),
    pytest.param(
        ("amounts = [3, 8, 5, 1]", "amounts = [3, 8, 5]"),
        "model: Cost 'Implementation': has 3 per-year amounts but the timeline has 4 years",
        id="wrong-number-of-years",
    ),
    pytest.param(
        ("quick_wins = {", "quick-wins = {"),
        "amounts.quick-wins: not a valid name (use letters, digits and _, not starting with a digit; at most 128 characters)",
        id="bad-name",
    ),
    pytest.param(
        ("amounts = [3, 8, 5, 1]", "amounts = [3, 8, 5, 1]\nprofile = { increments = [1, 1] }"),
        "cost[0]: Cost 'Implementation': a profile phases a single amount; per-year amounts are already phased",
        id="profile-with-per-year-amounts",
    ),
]


@pytest.mark.parametrize(("edit", "message"), BAD)
def test_bad_files_are_refused_with_the_key_path_and_value(tmp_path, edit, message):
    old, new = edit
    assert old in CASE
    assert _refused(tmp_path, CASE.replace(old, new, 1)) == message


def test_a_toml_syntax_error_names_the_file(tmp_path):
    message = _refused(tmp_path, CASE.replace('name = "Quick wins"', 'name = "Quick wins'))
    assert message.startswith("TOML syntax error: ")
    assert message.endswith("(at line 17, column 19)")  # the unclosed string


def test_statement_and_table_errors_name_their_keys(tmp_path):
    statement = '\n[[statement]]\ntext = "t"\nvalue = 1\nsource = "s"\nmetric = "net"\n'
    assert _refused(tmp_path, CASE + statement) == (
        'statement[0]: "net" has a value per year: give year = "2018/19" or "total"'
    )
    assert _refused(tmp_path, CASE + statement + 'year = "2030/31"\n') == (
        "statement[0].year: \"2030/31\" is not on the model's timeline Timeline('2018/19', 4)"
    )
    assert _refused(tmp_path, CASE + statement.replace('"net"', '"profit"')).startswith(
        "statement[0].metric: expected one of benefit, benefit_incremental,"
    )
    table = '\n[[table]]\nname = "t"\nsource = ""\ncolumns = ["a", "b"]\n[table.reproduces]\nscenario = "plan B"\n'
    table += '[[table.row]]\nlabel = "x"\nvalues = [1, 2]\n'
    assert _refused(tmp_path, CASE + table) == (
        "table[0].reproduces.scenario: unknown scenario \"plan B\" (scenarios: 'low', 'central', 'high', "
        "'worst', 'best')"
    )
    table = table.replace('scenario = "plan B"', 'scenario = "low"')
    assert _refused(tmp_path, CASE + table).startswith(
        'table[0].reproduces: column "a" is not a year of the model\'s timeline Timeline(\'2018/19\', 4)'
    )
    table = table.replace('["a", "b"]', '["18/19", "19/20"]').replace("[1, 2]", '[1, "n/a"]')
    assert _refused(tmp_path, CASE + table) == 'table[0].row[0].values[1]: expected a number, got "n/a"'


def test_scenario_errors_name_their_keys(tmp_path):
    scenario = '\n[scenario."plan B"]\noverrides = { quick_wns = 10 }\n'
    assert _refused(tmp_path, CASE + scenario).startswith(
        'scenario."plan B".overrides.quick_wns: unknown name: neither a named amount nor a line'
    )
    scenario = '\n[scenario."plan B"]\nbase = "worst"\noverrides = { quick_wins = "lowest" }\n'
    assert _refused(tmp_path, CASE + scenario) == (
        'scenario."plan B".overrides.quick_wins: unknown name \'lowest\' in "lowest" (names in [amounts]: quick_wins)'
    )
    scenario = '\n[scenario."plan B"]\noverrides = { "Quick wins" = "high" }\n'
    assert _refused(tmp_path, CASE + scenario) == (
        "scenario.\"plan B\": Scenario 'plan B': line 'Quick wins' takes an amount, not the case name 'high'"
    )


def test_a_missing_file_is_a_finmodel_error(tmp_path):
    with pytest.raises(fm.ScenarioFileError, match="cannot read the file"):
        fm.load(tmp_path / "nowhere.toml")


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('pathlib').Path(SENTINEL).touch()",
        "(lambda: __import__('os').system('touch ' + SENTINEL))()",
        "[x for x in ().__class__.__base__.__subclasses__()]",
        "open(SENTINEL, 'w')",
    ],
)
def test_expressions_are_never_executed(tmp_path, expression):
    sentinel = tmp_path / "executed"
    code = expression.replace("SENTINEL", repr(str(sentinel)))
    path = tmp_path / "x.toml"
    path.write_text(CASE.replace('run_rate = "quick_wins"', f"run_rate = '''{code}'''"), encoding="utf-8")
    with pytest.raises(fm.ScenarioFileError, match=r"benefit\[1\]\.run_rate: .* not allowed"):
        fm.load(path)
    assert not sentinel.exists()


def test_dump_refuses_what_is_not_a_model(tmp_path):
    with pytest.raises(fm.ScenarioFileError, match="expected a ScenarioFile or a model"):
        fm.dump("not a model", tmp_path / "x.toml")


# -- round trip -----------------------------------------------------------------------------
def test_awkward_names_survive_a_round_trip():
    years = fm.Timeline("2018/19", 2)
    odd = 'Quick "wins"\\ £ é  ＩＴ'  # quotes, a backslash, non-ASCII (tabs and newlines are refused)
    x = fm.Range(1, 2, name="if")  # a Python keyword is a name, but not a key
    case = fm.CostBenefitCase(
        odd,
        years,
        [fm.Benefit(odd, x * 2, category="a\\b"), fm.Benefit("2nd", x + 1)],
        [fm.Cost("k", [1, 0])],
    )
    text = fm.dumps(case)
    again = fm.loads(text).model
    assert again.name == odd and again.lines[0].name == odd and again.lines[0].category == "a\\b"
    assert fm.dumps(again) == text
    assert "if_ = " in text


def test_an_unnamed_shared_amount_is_given_a_name_and_stays_shared():
    years = fm.Timeline("2018/19", 2)
    x = fm.Range(1, 2)
    case = fm.CostBenefitCase("c", years, [fm.Benefit("a", x), fm.Benefit("b", x)])
    again = fm.loads(fm.dumps(case)).model
    assert again.lines[0].amount is again.lines[1].amount
    assert again.lines[0].amount.name == "amount_1"


def _scenario_file() -> fm.ScenarioFile:
    years = fm.Timeline("2018/19", 4)
    qw = fm.Range(8, 17, name="Quick wins run rate")
    phasing = fm.Profile.increments([2, 13, 13, 5])
    case = fm.CostBenefitCase(
        "OCC", years, [fm.Benefit("Quick wins", qw, phasing)], [fm.Cost("Implementation", [3, 8, 5, 1])]
    )
    table = fm.PublishedTable(
        "Profile",
        "002_90ddc037a457842c.txt:1627-1633",
        ["18/19", "19/20", "Total"],
        [fm.PublishedRow("Annual capital cost", (-3, -8, None), "002_90ddc037a457842c.txt:1629")],
        [fm.Total(column="Total", of=["18/19", "19/20"])],
        {"18/19": 0, "19/20": 0, "Total": None},
        "a note\nover two lines",
        "£m",
        fm.Reproduction("plan B", "incremental", {"Annual capital cost": "Annual cost"}),
    )
    said = fm.Statement(
        "£2.38m", -2.38, "002_90ddc037a457842c.txt:1611", "net_incremental", "18/19", "plan B"
    )
    plan_b = fm.Scenario("plan B", {qw: "low", "Implementation": [4, 8, 5, 1]}, base="low")
    return fm.ScenarioFile(
        None,
        "t",
        "d",
        "s",
        case,
        {"qw": qw},
        (table,),
        (said,),
        {"plan B": plan_b},
        fm.io.SimulationSettings(1_000, 7, "lhs"),
    )


def test_a_scenario_file_made_in_python_survives_a_round_trip():
    sf = _scenario_file()
    text = fm.dumps(sf)
    again = fm.loads(text)
    assert fm.dumps(again) == text
    assert again.tables == sf.tables and again.statements == sf.statements
    assert again.simulation == sf.simulation
    assert str(fm.check(again)) == str(fm.check(sf))
    assert again.evaluate("plan B").value("cost").tolist() == [4.0, 8.0, 5.0, 1.0]


# hypothesis: random models of every kind ---------------------------------------------------
# names hold visible characters (finmodel.core.names refuses controls and invisible characters)
TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp"), exclude_characters=INVISIBLE),
    min_size=1,
    max_size=12,
).filter(str.strip)
SMALL = st.floats(0, 1_000, allow_nan=False)
SIGNED = st.floats(-1_000, 1_000, allow_nan=False)


@st.composite
def leaves(draw, nonnegative=True):
    kind = draw(
        st.sampled_from(
            ["Range", "Uniform", "Triangular", "PERT", "Normal", "LogNormal", "Beta", "Chance", "Fixed"]
        )
    )
    a, b, c = sorted(draw(st.lists(SMALL, min_size=3, max_size=3)))
    if kind == "Range":
        dist = draw(st.sampled_from(["pert", "triangular", "uniform"]))
        central = None if dist == "uniform" or draw(st.booleans()) else b
        return fm.Range(a, c, central, dist)
    if kind == "Uniform":
        return fm.Uniform(a, c)
    if kind == "Triangular":
        return fm.Triangular(a, b, c)
    if kind == "PERT":
        return fm.PERT(a, b, c, draw(st.sampled_from([4.0, 2.5])))
    if kind == "Normal":
        return fm.Normal(draw(SMALL if nonnegative else SIGNED), draw(st.floats(0, 10)))
    if kind == "LogNormal":
        if draw(st.booleans()):
            return fm.LogNormal.from_interval(a + 1, c + 2)
        return fm.LogNormal(draw(st.floats(-2, 2)), draw(st.floats(0, 1)))
    if kind == "Beta":
        return fm.Beta(draw(st.floats(0.5, 9)), draw(st.floats(0.5, 9)))
    if kind == "Chance":
        return fm.Chance(draw(st.floats(0, 1)))
    return fm.Fixed(a)


@st.composite
def amounts(draw, pool):
    """A number, an inline input, a shared input from the pool, or an expression over them."""
    choice = draw(
        st.sampled_from(["number", "inline", "shared", "expression"] if pool else ["number", "inline"])
    )
    if choice == "number":
        return draw(SMALL)
    if choice == "inline":
        return draw(leaves())
    if choice == "shared":
        return draw(st.sampled_from(pool))
    left = draw(st.sampled_from(pool))
    op = draw(st.sampled_from(["+", "*", "/"]))
    other = draw(st.one_of(st.sampled_from(pool), st.floats(0.5, 50)))
    expr = left + other if op == "+" else left * other if op == "*" else left / draw(st.floats(0.5, 50))
    if draw(st.booleans()):
        expr = expr + draw(st.sampled_from(pool))  # nested: (a op b) + c
    return expr.named(draw(TEXT)) if draw(st.booleans()) else expr


@st.composite
def profiles(draw, years):
    form = draw(st.sampled_from(["increments", "cumulative", "immediate"]))
    n = draw(st.integers(1, years))
    if form == "increments":
        values = draw(st.lists(st.floats(0, 100), min_size=n, max_size=n).filter(lambda v: sum(v) >= 1))
        profile = fm.Profile.increments(values)
    elif form == "cumulative":
        profile = fm.Profile.cumulative(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    else:
        profile = fm.Profile.immediate()
    if draw(st.booleans()):
        profile = profile.delay(draw(st.one_of(st.floats(0, 2), st.builds(fm.Chance, st.floats(0, 1)))))
    return profile


DELIVERY = st.one_of(
    st.floats(0, 1),
    st.builds(fm.Beta, st.floats(0.5, 9), st.floats(0.5, 9)),
    st.builds(fm.Range, st.just(0.5), st.just(1.0)),
)
DELAY = st.one_of(st.floats(0, 2), st.builds(fm.Chance, st.floats(0, 1)))


@st.composite
def lines(draw, kind, name, years, pool, base_budget):
    tags = {
        "category": draw(st.none() | TEXT),
        "owner": draw(st.none() | TEXT),
    }
    per_year = kind in ("Reprofile",) or draw(st.booleans())
    if kind == "Reprofile":
        values = draw(st.lists(SIGNED, min_size=years - 1, max_size=years - 1))
        return fm.Reprofile(name, [*values, -sum(values)], **tags)
    if per_year:
        amount = [draw(amounts(pool)) for _ in range(years)]
        profile = None
    else:
        amount = draw(amounts(pool))
        profile = draw(st.none() | profiles(years))
    if kind == "Funding":
        if base_budget is not None and draw(st.booleans()):
            return fm.Funding(name, [base_budget + draw(SMALL) for _ in range(years)], "level", **tags)
        return fm.Funding(name, amount, "change", profile=profile, **tags)
    if kind == "Reserves":
        return fm.Reserves(
            name, amount if per_year else [amount] * years, recurring=draw(st.booleans()), **tags
        )
    cls = {
        "Pressure": fm.Pressure,
        "Investment": fm.Investment,
        "Saving": fm.Saving,
        "Benefit": fm.Benefit,
        "Cost": fm.Cost,
    }[kind]
    extra = {}
    if kind in ("Saving", "Benefit"):
        extra["delivery"] = draw(st.none() | DELIVERY)
        extra["delay"] = draw(st.none() | DELAY)
    line = cls(name, amount, profile, recurring=draw(st.booleans()), **extra, **tags)
    if kind not in ("Saving", "Benefit") and draw(st.booleans()):
        line = line.delayed(draw(DELAY))
    return line


@st.composite
def models(draw):
    years = draw(st.integers(1, 5))
    timeline = fm.Timeline(draw(st.integers(2000, 2030)), years)
    names = draw(st.lists(TEXT, min_size=6, max_size=6, unique_by=name_key))
    pool = [leaf.named(n) for leaf, n in zip(draw(st.lists(leaves(), max_size=3)), names[:3], strict=False)]
    if len(pool) >= 2 and draw(st.booleans()):
        rho = draw(st.floats(-0.9, 0.9))
        pool[:2] = fm.correlate(pool[:2], [[1, rho], [rho, 1]])
    units = draw(st.sampled_from(["£", "£k", "£m", "£bn"]))
    line_names = draw(st.lists(TEXT, min_size=1, max_size=5, unique_by=name_key))
    if draw(st.booleans()):
        n_benefits = draw(st.integers(1, len(line_names)))
        made = [
            draw(lines("Benefit" if i < n_benefits else "Cost", n, years, pool, None))
            for i, n in enumerate(line_names)
        ]
        benefits = [li for li in made if isinstance(li, fm.Benefit)]
        costs = [li for li in made if isinstance(li, fm.Cost)]
        rate = draw(st.none() | st.floats(0, 0.1))
        first = draw(st.sampled_from(["undiscounted", "discounted"]))
        return fm.CostBenefitCase(names[5], timeline, benefits, costs, units, rate, first)
    base = draw(st.none() | st.floats(0, 1_000))
    kinds = ["Pressure", "Investment", "Saving", "Reprofile", "Funding", "Reserves"]
    made = [draw(lines(draw(st.sampled_from(kinds)), n, years, pool, base)) for n in line_names]
    return fm.MTFP(names[5], timeline, _with_funding_bases(made, base, draw), units, base)


def _with_funding_bases(made, base, draw):
    """Several level-funding lines each need their level brought forward (adding up to the
    base budget): give all but the last a drawn base; the last takes the rest."""
    levels = [i for i, li in enumerate(made) if isinstance(li, fm.Funding) and li.basis == "level"]
    out = list(made)
    for i in levels[:-1]:
        li = made[i]
        out[i] = fm.Funding(li.name, list(li.amount), "level", base=draw(SMALL), category=li.category, owner=li.owner)
    return out


def _tables(model):
    out = []
    for case in ("low", "central", "high"):
        ev = fm.evaluate(model, case)
        out += [ev.table(view) for view in model.bases]
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(models())
def test_dump_then_load_gives_the_same_model(model):
    text = fm.dumps(model)
    again = fm.loads(text, name="round trip").model
    assert fm.dumps(again) == text
    assert [li.name for li in again.lines] == [li.name for li in model.lines]
    assert [type(li) for li in again.lines] == [type(li) for li in model.lines]
    for before, after in zip(_tables(model), _tables(again), strict=True):
        pd.testing.assert_frame_equal(before, after, check_exact=True)
    metric = "net" if isinstance(model, fm.CostBenefitCase) else "cumulative_gap"
    a = fm.simulate(model, n=64, seed=11, metrics=[metric]).samples(metric)
    b = fm.simulate(again, n=64, seed=11, metrics=[metric]).samples(metric)
    np.testing.assert_array_equal(a, b)
