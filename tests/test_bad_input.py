"""A catalogue of refused bad input.

Each row: the call, the error class, and text the message must contain, naming the
object, the field and the value (STYLE.md: ``Saving 'ASC-03': low (1.2e6) exceeds high
(0.9e6)``). Every refusal is a FinmodelError and a ValueError.
"""

from __future__ import annotations

import math
import os
import tempfile

import numpy as np
import pytest

import finmodel as fm

YEARS = fm.Timeline("2018/19", 4)
PHASING = fm.Profile.increments([2, 13, 13, 5])
NAN, INF = float("nan"), math.inf


def _case(*benefits, costs=()):
    return fm.CostBenefitCase("OCC", YEARS, list(benefits), list(costs))


def _shared_worst_case():
    inflation = fm.Range(1.0, 1.1, name="inflation")
    case = _case(fm.Benefit("Income", 10 * inflation), costs=[fm.Cost("Contract", [3 * inflation, 0, 0, 0])])
    return fm.evaluate(case, "worst")


CATALOGUE = [
    # (id, call, error class, the message must contain)
    ("low above high", lambda: fm.Range(17, 8), fm.AmountError, "Range(low=17, high=8): low exceeds high"),
    (
        "low above high, named",
        lambda: fm.Range(17, 8, name="Quick wins run rate"),
        fm.AmountError,
        "Range 'Quick wins run rate': low (17) exceeds high (8)",
    ),
    (
        "mode above high",
        lambda: fm.Triangular(1.0, 1.7, 1.6, name="overrun"),
        fm.AmountError,
        "Triangular 'overrun': mode (1.7) exceeds high (1.6)",
    ),
    (
        "profile longer than the timeline",
        lambda: fm.CostBenefitCase(
            "OCC", fm.Timeline("2018/19", 3), [fm.Benefit("Quick wins", fm.Range(8, 17), PHASING)]
        ),
        fm.ModelError,
        "Benefit 'Quick wins': profile Profile.increments([2, 13, 13, 5]) covers 4 years "
        "but the timeline has 3",
    ),
    (
        "year label 2018/20",
        lambda: fm.Timeline("2018/20", 4),
        fm.YearError,
        "Timeline: start '2018/20' is not a financial year",
    ),
    ("NaN in a Range", lambda: fm.Range(NAN, 33), fm.AmountError, "Range: low (nan) must be a finite number"),
    (
        "inf in a Range",
        lambda: fm.Range(21, INF),
        fm.AmountError,
        "Range: high (inf) must be a finite number",
    ),
    (
        "NaN in a named Range",
        lambda: fm.Range(NAN, 33, name="Operating model"),
        fm.AmountError,
        "Range 'Operating model': low (nan) must be a finite number",
    ),
    (
        "NaN in a Cost's per-year amounts",
        lambda: fm.Cost("Implementation", [3, NAN, 5, 1]),
        fm.ModelError,
        "Cost 'Implementation': amounts[1] is nan",
    ),
    (
        "inf in a Cost's per-year amounts",
        lambda: fm.Cost("Implementation", [3, 8, INF, 1]),
        fm.ModelError,
        "Cost 'Implementation': amounts[2] is inf",
    ),
    (
        "NaN as a Benefit run rate",
        lambda: fm.Benefit("Quick wins", NAN, PHASING),
        fm.ModelError,
        "Benefit 'Quick wins': run_rate is nan",
    ),
    (
        "-inf as a Benefit run rate",
        lambda: fm.Benefit("Quick wins", -INF, PHASING),
        fm.ModelError,
        "Benefit 'Quick wins': run_rate is -inf",
    ),
    ("Chance below 0", lambda: fm.Chance(-0.1), fm.AmountError, "Chance(p=-0.1): p must lie in [0, 1]"),
    (
        "Chance above 1, named",
        lambda: fm.Chance(1.5, name="slip"),
        fm.AmountError,
        "Chance 'slip': p (1.5) must lie in [0, 1]",
    ),
    ("Beta with a = 0", lambda: fm.Beta(0, 1), fm.AmountError, "Beta(a=0, b=1): a must be positive"),
    (
        "Normal with sd < 0",
        lambda: fm.Normal(10, -1),
        fm.AmountError,
        "Normal(mean=10, sd=-1): sd must not be negative",
    ),
    (
        "re-profiling not summing to zero",
        lambda: fm.Reprofile("Transformation savings", [15, -8.5, -3.5, 0]),
        fm.ModelError,
        "Reprofile 'Transformation savings': amounts sum to 3 (15 - 8.5 - 3.5 + 0), not zero",
    ),
    (
        "too few per-year amounts",
        lambda: _case(fm.Benefit("Quick wins", 8), costs=[fm.Cost("Implementation", [3, 8, 5])]),
        fm.ModelError,
        "Cost 'Implementation': has 3 per-year amounts but the timeline has 4 years",
    ),
    (
        "too many per-year amounts in an MTFP",
        lambda: fm.MTFP("MTFP", YEARS, [fm.Pressure("Pressures", [18.4, 9.0, 6.5, 0.2, 1.0])]),
        fm.ModelError,
        "Pressure 'Pressures': has 5 per-year amounts but the timeline has 4 years",
    ),
    (
        "duplicate line names",
        lambda: fm.MTFP(
            "MTFP", YEARS, [fm.Pressure("Adults", [1, 0, 0, 0]), fm.Saving("Adults", [1, 0, 0, 0])]
        ),
        fm.ModelError,
        "MTFP 'MTFP': two lines are called 'Adults'",
    ),
    (
        "funding levels without a base budget",
        lambda: fm.MTFP("MTFP", YEARS, [fm.Funding("Funding", [800, 810, 820, 830], basis="level")]),
        fm.ModelError,
        "MTFP 'MTFP': Funding 'Funding' is given as levels; the plan needs base_budget",
    ),
    (
        "unknown funding basis",
        lambda: fm.Funding("Funding", [1, 1, 1, 1], basis="levels"),
        fm.ModelError,
        "Funding 'Funding': basis ('levels') must be 'change' or 'level'",
    ),
    (
        "unknown scenario name",
        lambda: fm.evaluate(_case(fm.Benefit("Quick wins", fm.Range(8, 17))), "worse"),
        fm.ScenarioError,
        "scenario ('worse') must be one of 'low', 'central', 'high', 'worst', 'best'",
    ),
    (
        "override of an unknown name",
        lambda: fm.evaluate(
            _case(fm.Benefit("Quick wins", fm.Range(8, 17))), fm.Scenario("plan B", {"Quick win": 9})
        ),
        fm.ScenarioError,
        "Scenario 'plan B': CostBenefitCase 'OCC' has no line or named input called 'Quick win'",
    ),
    (
        "worst case of an input feeding a benefit and a cost",
        _shared_worst_case,
        fm.ScenarioError,
        "Scenario 'worst': Range 'inflation' feeds 'Income', 'Contract' in both directions, so it has "
        "no worst end of its own; set it explicitly",
    ),
    (
        "a string as a run rate",
        lambda: fm.Benefit("Operating model", "21m"),
        fm.ModelError,
        "Benefit 'Operating model': run_rate is '21m'; expected a number",
    ),
    (
        "a string as a per-year cost",
        lambda: fm.Cost("Implementation", ["3m", 8, 5, 1]),
        fm.ModelError,
        "Cost 'Implementation': amounts[0] is '3m'; expected a number",
    ),
    (
        "a string in a Range",
        lambda: fm.Range("21m", 33),
        fm.AmountError,
        "Range: low ('21m') must be a finite number",
    ),
    (
        "a string as a scenario value",
        lambda: fm.Scenario("plan B", {"Quick wins": "ten"}),
        fm.ScenarioError,
        "Scenario 'plan B': override 'Quick wins' = 'ten' is not a number",
    ),
    (
        "a saving entered all-negative",
        lambda: fm.Saving("Savings", [-32.4, 0, -4.9, -0.5]),
        fm.ModelError,
        "Saving 'Savings': every amount is negative (-32.4, 0, -4.9, -0.5); enter savings as positive amounts",
    ),
    (
        "a cost entered all-negative",
        lambda: fm.Cost("Implementation", [-3, -8, -5, -1]),
        fm.ModelError,
        "Cost 'Implementation': every amount is negative (-3, -8, -5, -1); enter costs as positive amounts",
    ),
    (
        "a negative delay",
        lambda: fm.Saving("ASC-03", 1.2, delay=-1),
        fm.ProfileError,
        "Saving 'ASC-03': delay (-1) must not be negative",
    ),
    (
        "a delivery rate that can be negative",
        lambda: fm.Saving("ASC-03", 1.2, delivery=fm.Normal(0.9, 0.1)),
        fm.ModelError,
        "Saving 'ASC-03': delivery (Normal(mean=0.9, sd=0.1)) can be negative",
    ),
    (
        "a benefit in an MTFP",
        lambda: fm.MTFP("MTFP", YEARS, [fm.Benefit("Quick wins", 8)]),
        fm.ModelError,
        "MTFP 'MTFP': lines[0] is a Benefit",
    ),
    (
        "a negative seed",
        lambda: fm.simulate(_case(fm.Benefit("Quick wins", fm.Range(8, 17))), n=10, seed=-1),
        fm.FinmodelError,
        "seed (-1) must be a non-negative int",
    ),
    (
        "zero trials",
        lambda: fm.simulate(_case(fm.Benefit("Quick wins", fm.Range(8, 17))), n=0),
        fm.FinmodelError,
        "simulate: n (0) must be a whole number of trials >= 1",
    ),
]


# -- refusals found by trying finmodel as a hostile or careless user would ------------------
# Each of these was accepted (or crashed with something other than a FinmodelError) before.
_CASE_FILE = """
[model]
kind = "CostBenefitCase"
name = "c"
start = "2018/19"
years = 2
[[benefit]]
name = "Quick wins"
run_rate = { kind = "Range", low = 8, high = 17 }
[[cost]]
name = "IT"
amounts = [3, 1]
"""
_MTFP_TABLE = """
[model]
kind = "MTFP"
name = "m"
start = "2018/19"
years = 2
[[pressure]]
name = "P"
amounts = [1, 2]
[[table]]
name = "T"
source = "x"
columns = ["2018/19", "2019/20"]
rounding = -400
[[table.row]]
label = "P"
values = [1, 2]
[[table.total]]
column = "2019/20"
of = ["2018/19"]
"""


def _file(text: str, suffix: str = ".toml") -> str:
    """A scenario file holding ``text``, in a temporary folder (removed when the tests end)."""
    handle, name = tempfile.mkstemp(suffix=suffix, dir=_FOLDER.name)
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write(text)
    return name


def _fifo() -> str:
    path = os.path.join(_FOLDER.name, "pipe.toml")
    if not os.path.exists(path):
        os.mkfifo(path)
    return path


def _oversized() -> str:
    path = os.path.join(_FOLDER.name, "huge.toml")
    with open(path, "wb") as f:
        f.truncate(32 * 1024 * 1024 + 1)  # one byte over the limit; sparse: nothing is written to disk
    return path


_FOLDER = tempfile.TemporaryDirectory()
_SIMULATION = _CASE_FILE + "[simulation]\nn = 9223372036854775807\n"
_TWO = fm.Timeline("2018/19", 2)
_QW = fm.CostBenefitCase("c", _TWO, [fm.Benefit("Quick wins", fm.Range(8, 17))], [fm.Cost("IT", [3, 1])])

CATALOGUE += [
    (
        "a scenario file asking for 2**63 - 1 trials",
        lambda: fm.loads(_SIMULATION, name="x.toml"),
        fm.ScenarioFileError,
        "x.toml: simulation.n: 9,223,372,036,854,775,807 is more trials than finmodel runs at once (10,000,000)",
    ),
    (
        "10**12 trials",
        lambda: fm.simulate(_QW, n=10**12),
        fm.FinmodelError,
        "simulate: n (1,000,000,000,000) is more trials than finmodel runs at once (10,000,000); ask for "
        "fewer, or set the environment variable FINMODEL_MAX_TRIALS to raise the limit",
    ),
    (
        "10**12 draws of one input",
        lambda: fm.Range(8, 17).sample(10**12),
        fm.AmountError,
        "Range(low=8, high=17): sample size n (1,000,000,000,000) is more than finmodel draws at once",
    ),
    (
        "a profile asked for ten billion years",
        lambda: fm.Profile.increments([1, 1]).received(10**10),
        fm.ProfileError,
        "Profile (increments): years (10000000000) must be a whole number from 1 to 500",
    ),
    (
        "a profile of a thousand years",
        lambda: fm.Profile.increments([1] * 1_000),
        fm.ProfileError,
        "Profile.increments([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ...]): 1,000 values; a profile covers at most 500 years",
    ),
    (
        "a billion years of discount factors",
        lambda: fm.discount_factors(10**9),
        fm.FinmodelError,
        "discount_factors: years (1000000000) must be a whole number from 0 to 500",
    ),
    (
        "a device as a scenario file",
        lambda: fm.load("/dev/zero"),
        fm.ScenarioFileError,
        "/dev/zero: not a regular file (a device or a pipe)",
    ),
    ("a pipe as a scenario file", lambda: fm.load(_fifo()), fm.ScenarioFileError, "not a regular file (a device or a pipe)"),
    ("a folder as a scenario file", lambda: fm.load(_FOLDER.name), fm.ScenarioFileError, ": a folder; give the path"),
    (
        "a scenario file over 32 MB",
        lambda: fm.load(_oversized()),
        fm.ScenarioFileError,
        "33,554,433 bytes or more; a scenario file may be at most 33,554,432 bytes",
    ),
    (
        "TOML lists nested 3,000 deep",
        lambda: fm.loads("a = " + "[" * 3_000 + "]" * 3_000, name="x.toml"),
        fm.ScenarioFileError,
        "x.toml: lists or tables are nested too deeply to read",
    ),
    (
        "a table rounded to -400 places",
        lambda: fm.check(fm.loads(_MTFP_TABLE, name="x.toml")),
        fm.ScenarioFileError,
        'x.toml: table[0].rounding: expected a whole number of decimal places from -15 to 15 or "exact", got -400',
    ),
    (
        "a report to 400 decimal places",
        lambda: fm.evaluate(_QW).report(decimals=400),
        fm.FinmodelError,
        "decimals (400) must be a whole number from 0 to 15",
    ),
    (
        "a probability against NaN",
        lambda: fm.simulate(_QW, n=100, seed=1).probability("npv", ">=", NAN),
        fm.FinmodelError,
        "threshold (nan) must be a number, not NaN",
    ),
    (
        "a uniform whose draws overflow",
        lambda: fm.Uniform(-1e308, 1e308),
        fm.AmountError,
        "Uniform: low (-1e+308) may be at most 1e+15 in size (give amounts in larger units)",
    ),
    (
        "a log-normal whose draws overflow",
        lambda: fm.LogNormal(700, 2, name="growth"),
        fm.AmountError,
        "LogNormal 'growth': its draws overflow float64; give the amounts in larger units",
    ),
    (
        "an amount larger than the limit",
        lambda: fm.Pressure("Demography", [2e15, 0]),
        fm.ModelError,
        "Pressure 'Demography': amount[0] is 2e+15; a number in a model may be at most 1e+15 in size",
    ),
    (
        "a profile whose increments overflow",
        lambda: fm.Profile.increments([1e308, 1e308]),
        fm.ProfileError,
        "Profile.increments([1e+308, 1e+308]): value [0] is 1e+308; a number in a model may be at most 1e+15",
    ),
    (
        "a negative reserves line",
        lambda: fm.Reserves("General balances", [-10, -10, 0, 0]),
        fm.ModelError,
        "Reserves 'General balances': every amount is negative (-10, -10, 0, 0); enter reserves applied as positive",
    ),
    (
        "NaN in a scenario file",
        lambda: fm.loads(_CASE_FILE.replace("low = 8,", "low = nan,"), name="x.toml"),
        fm.ScenarioFileError,
        "x.toml: benefit[0].run_rate.low: expected a finite number, got nan",
    ),
    (
        "a scenario file defining its own 'low'",
        lambda: fm.loads(_CASE_FILE + '[scenario.low]\nbase = "high"\n', name="x.toml"),
        fm.ScenarioFileError,
        "x.toml: scenario.low: a scenario cannot be called \"low\": that names the case 'low'",
    ),
    (
        "a scenario named with fullwidth letters like a case",
        lambda: fm.loads(_CASE_FILE + '[scenario."ｗｏｒｓｔ"]\nbase = "high"\n', name="x.toml"),
        fm.ScenarioFileError,
        "that names the case 'worst'",
    ),
    (
        "two scenarios whose names look alike",
        lambda: fm.loads(_CASE_FILE + '[scenario.planB]\n[scenario."ｐｌａｎＢ"]\n', name="x.toml"),
        fm.ScenarioFileError,
        '"ｐｌａｎＢ" looks alike the scenario "planB"',
    ),
    (
        "two lines whose names look alike",
        lambda: fm.MTFP("m", _TWO, [fm.Pressure("IT", [1, 1]), fm.Saving("ＩＴ", [1, 1])]),
        fm.ModelError,
        "MTFP 'm': lines 'IT' and 'ＩＴ' look alike (the same letters in another form)",
    ),
    (
        "a line name with a right-to-left override",
        lambda: fm.Saving("Savings \u202e)3.2(", [1, 1]),
        fm.ModelError,
        "Saving: name ('Savings \\u202e)3.2(') holds the invisible character U+202E",
    ),
    (
        "a line name with a newline",
        lambda: fm.Cost("IT\nrefresh", [1, 1]),
        fm.ModelError,
        "Cost: name ('IT\\nrefresh') holds the control character U+000A",
    ),
    (
        "an input name with a zero-width space",
        lambda: fm.Range(1, 2, name="growth\u200b"),
        fm.AmountError,
        "Range: name ('growth\\u200b') holds the invisible character U+200B",
    ),
    (
        "a model name with an escape character",
        lambda: fm.MTFP("plan\x1b[2J", _TWO, [fm.Pressure("P", [1, 1])]),
        fm.ModelError,
        "MTFP: name ('plan\\x1b[2J') holds the control character U+001B",
    ),
    (
        "a line name with a control character, in a file",
        lambda: fm.loads(_CASE_FILE.replace('"Quick wins"', '"Quick\\twins"'), name="x.toml"),
        fm.ScenarioFileError,
        "x.toml: benefit[0]: Benefit: name ('Quick\\twins') holds the control character U+0009",
    ),
    (
        "a scenario file of a newer schema",
        lambda: fm.loads("schema = 2\n" + _CASE_FILE, name="x.toml"),
        fm.ScenarioFileError,
        "x.toml: schema: the file is written for a newer finmodel (schema 2); this finmodel reads schema 1 "
        "files: upgrade finmodel",
    ),
    (
        "an expression nested past the limit",
        lambda: fm.Range(1, 2) + _nested(fm.core.limits.MAX_DEPTH),
        fm.AmountError,
        "an expression of amounts may be nested at most 100,000 operations deep",
    ),
    (
        "a whole number too large for float64",
        lambda: fm.Cost("IT", [10**400, 0]),
        fm.ModelError,
        "Cost 'IT': amounts[0] is a whole number too large for an amount (above 1.8e308)",
    ),
    (
        "a name of [amounts] over 128 characters",
        lambda: fm.loads(_CASE_FILE + "[amounts]\n" + "x" * 129 + " = 1\n", name="x.toml"),
        fm.ScenarioFileError,
        "not a valid name (use letters, digits and _, not starting with a digit; at most 128 characters)",
    ),
    (
        "too many trials in the environment's own limit",
        lambda: _with_limit("100", lambda: fm.simulate(_QW, n=101)),
        fm.FinmodelError,
        "simulate: n (101) is more trials than finmodel runs at once (100)",
    ),
    (
        "a limit on trials that is not a number",
        lambda: _with_limit("lots", lambda: fm.simulate(_QW, n=10)),
        fm.FinmodelError,
        "FINMODEL_MAX_TRIALS ('lots') must be a whole number of trials >= 1",
    ),
]


def _nested(depth: int) -> fm.Amount:
    """An expression ``depth`` operations deep (built with the operators, a step at a time)."""
    x = fm.Range(1, 2)
    e: fm.Amount = x
    for _ in range(depth):
        e = e + 1.0
    return e


def _with_limit(value: str, call):
    previous = os.environ.get("FINMODEL_MAX_TRIALS")
    os.environ["FINMODEL_MAX_TRIALS"] = value
    try:
        return call()
    finally:
        if previous is None:
            del os.environ["FINMODEL_MAX_TRIALS"]
        else:
            os.environ["FINMODEL_MAX_TRIALS"] = previous


if not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"):  # not on Windows
    CATALOGUE = [row for row in CATALOGUE if row[0] not in ("a device as a scenario file", "a pipe as a scenario file")]


@pytest.mark.parametrize(("label", "call", "error", "message"), CATALOGUE, ids=[row[0] for row in CATALOGUE])
def test_bad_input_is_refused(label, call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert message in str(caught.value)
    assert isinstance(caught.value, fm.FinmodelError)
    assert isinstance(caught.value, ValueError)


def test_every_error_class_is_a_finmodel_error_and_a_value_error():
    for cls in (
        fm.AmountError,
        fm.CorrelationError,
        fm.ModelError,
        fm.ProfileError,
        fm.ScenarioError,
        fm.YearError,
    ):
        assert issubclass(cls, fm.FinmodelError) and issubclass(cls, ValueError)


# -- no silent NaN ----------------------------------------------------------------------------
def _divides_by_zero_at_low():
    share = fm.Range(0, 1, name="share")  # 10 / share is infinite in the low case
    return _case(fm.Benefit("Per head", 10 / share), costs=[fm.Cost("Implementation", [1, 1, 1, 1])])


@pytest.mark.parametrize(
    "read",
    [
        lambda r: r.table(),
        lambda r: r.report(),
        lambda r: r.run_rate,
        lambda r: r.npv(),
        lambda r: r.samples("net"),
    ],
    ids=["table", "report", "run_rate", "npv", "samples"],
)
def test_division_by_zero_is_refused_when_evaluated(read):
    with pytest.raises(fm.FinmodelError, match="not finite"):
        read(fm.evaluate(_divides_by_zero_at_low(), "low"))


def test_division_by_zero_in_an_mtfp_is_refused_when_evaluated():
    share = fm.Range(0, 1, name="share")
    plan = fm.MTFP("MTFP", YEARS, [fm.Pressure("Per head", [share / share, 0, 0, 0])])
    with pytest.raises(fm.FinmodelError, match="not finite"):
        fm.evaluate(plan, "low").table()


def test_division_by_zero_is_refused_when_simulated():
    # 10 / Chance(0.5) is infinite in about half the trials
    case = _case(fm.Benefit("Per event", 10 / fm.Chance(0.5)))
    with pytest.raises(fm.FinmodelError, match="not finite in trial"):
        fm.simulate(case, n=1_000, seed=1)


def test_division_by_zero_in_a_central_case_is_refused_when_built():
    x = fm.Range(1, 2)
    with pytest.raises(fm.FinmodelError, match="the central case is inf"):
        fm.Benefit("Per head", 10 / (x - x))
    with pytest.raises(fm.FinmodelError, match="the low case is nan"):
        ((x - x) / (x - x)).case("low")


def test_a_finite_evaluation_has_no_nan_outside_blank_total_cells():
    table = fm.evaluate(_divides_by_zero_at_low(), "high").table()
    assert np.isfinite(table[list(YEARS.labels)].to_numpy()).all()
