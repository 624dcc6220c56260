"""A catalogue of refused bad input.

Each row: the call, the error class, and text the message must contain, naming the
object, the field and the value (STYLE.md: ``Saving 'ASC-03': low (1.2e6) exceeds high
(0.9e6)``). Every refusal is a FinmodelError and a ValueError.
"""

from __future__ import annotations

import math

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
