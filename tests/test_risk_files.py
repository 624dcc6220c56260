"""Scenario files for delivery risk and reserves: RAG ratings and ``[rag]``, Betas by mean
and spread or percentiles, optimism bias, start months, levels, ``[reserves_balance]``;
errors name the key path; dump then load gives the same model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import finmodel as fm

HEAD = """
[model]
kind = "MTFP"
name = "Risk"
start = "2018/19"
years = 4
"""

FULL = HEAD + """
[rag]
amber = { kind = "Beta", mean = 0.7, sd = 0.1 }
red = 0.3

[amounts]
works = { kind = "OptimismBias", project = { "standard buildings" = 10, "equipment/development" = 5 }, mitigated = 0.2, uncertain = true }
slip = { kind = "OptimismBias", project = "standard buildings", measure = "works duration" }

[[pressure]]
name = "Demography"
amounts = [2, 3, 4, 5]
basis = "level"

[[investment]]
name = "New depot"
amounts = ["1 * (1 + works)", 0, 0, 0]
start_month = "October"

[[saving]]
name = "Care packages"
amounts = [3, 0, 0, 0]
rag = "amber"

[[saving]]
name = "Libraries"
amounts = [1, 0, 0, 0]
delivery = { kind = "Beta", p10 = 0.8, p90 = 0.98 }
delay = "2 * slip"

[[saving]]
name = "Back office"
amounts = [1, 0, 0, 0]
rag = "red"
start_month = "Jan"

[reserves_balance]
general = 19.7
earmarked = 48
minimum_share = 0.05
use_earmarked = true
earmarked_use = [1, 1, 0, 0]
net_revenue_expenditure = 416
history = [70, 68]
"""


def test_a_file_with_every_risk_input_reads_as_the_python_model():
    sf = fm.loads(FULL, name="risk.toml")
    model = sf.model
    care = model.line("Care packages")
    assert isinstance(care.delivery, fm.Rated) and care.delivery.rating == "amber"
    assert care.delivery.cases["central"] == pytest.approx(0.7)  # the file's [rag], not the default
    assert model.line("Back office").delivery.cases == {"low": 0.3, "central": 0.3, "high": 0.3}
    assert model.line("Back office").delay == pytest.approx(0.75)
    libraries = model.line("Libraries").delivery
    np.testing.assert_allclose(libraries.ppf(np.array([0.1, 0.9])), [0.8, 0.98], rtol=1e-9)
    assert model.line("Libraries").delay.case("central") == pytest.approx(2 * 0.04)
    assert model.line("Demography").basis == "level"
    assert model.line("New depot").delay == 0.5
    works = sf.amounts["works"]
    assert isinstance(works, fm.OptimismBias) and works.upper == pytest.approx((10 * 0.24 + 5 * 2) / 15)
    res = model.reserves
    assert (res.general, res.earmarked, res.minimum_share, res.use_earmarked) == (19.7, 48.0, 0.05, True)
    assert res.earmarked_use == (1.0, 1.0, 0.0, 0.0) and res.history == (70.0, 68.0)
    assert "reserves_exhausted_year" in model.available


def test_the_file_survives_dump_and_load():
    sf = fm.loads(FULL, name="risk.toml")
    text = fm.dumps(sf)
    assert 'rag = "amber"' in text and "[rag]" in text and "[reserves_balance]" in text
    assert 'basis = "level"' in text and 'kind = "OptimismBias"' in text
    again = fm.loads(text, name="again.toml")
    assert fm.dumps(again) == text
    for case in ("low", "central", "high"):
        pd.testing.assert_frame_equal(
            fm.evaluate(sf.model, case).table(), fm.evaluate(again.model, case).table(), check_exact=True
        )
    a = fm.simulate(sf.model, n=200, seed=4).samples("general_reserves")
    b = fm.simulate(again.model, n=200, seed=4).samples("general_reserves")
    np.testing.assert_array_equal(a, b)


def test_a_rating_on_another_mapping_is_written_as_what_it_stands_for():
    mine = fm.DEFAULT_RAG.replace(amber=fm.Beta.from_mean_sd(0.6, 0.2))
    model = fm.MTFP("p", fm.Timeline("2018/19", 2), [
        fm.Saving("A", [1, 0], delivery=fm.rag("amber", scale=mine)),
        fm.Saving("B", [1, 0], delivery=fm.rag("amber")),
        fm.Saving("C", [1, 0], delivery=fm.rag("green", name="green savings")),
    ])
    text = fm.dumps(model)
    assert "[rag]\namber = { kind = \"Beta\"" in text  # the first rating's mapping is the file's
    assert text.count('rag = "amber"') == 1
    assert 'delivery = { kind = "Beta"' in text  # B keeps the default amber as a plain Beta
    again = fm.loads(text).model
    for name in "ABC":
        assert again.line(name).delivery.cases == model.line(name).delivery.cases


BAD = [
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\nrag = "purple"',
     "saving[0].rag: rag: rating ('purple') must be one of"),
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\nrag = "amber"\ndelivery = 0.9',
     'saving[0]: give "delivery" or "rag"'),
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\nstart_month = "Smarch"',
     "saving[0].start_month: start_delay: month ('Smarch') is not a month"),
    ('[rag]\nblue = 0.5', "rag.blue: unknown key (expected one of: delivered, green, amber, red)"),
    ('[amounts]\nx = { kind = "Range", low = 0, high = 1 }\n[rag]\namber = "x * 0.5"',
     "rag.amber: expected a distribution table or a number, not an expression"),
    ('[rag]\nred = -0.5', "rag: RagScale: red (-0.5) must not be negative"),
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\ndelivery = { kind = "Beta", mean = 0.9, sd = 0.5 }',
     "saving[0].delivery: Beta.from_mean_sd: sd (0.5) must lie strictly between 0 and 0.3"),
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\ndelivery = { kind = "Beta", mean = 0.9 }',
     'saving[0].delivery: missing key "sd"'),
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\ndelivery = { kind = "Beta", p10 = 0.9, p90 = 0.8 }',
     "saving[0].delivery: Beta.from_percentiles: p10 (0.9) must be below p90 (0.8)"),
    ('[[saving]]\nname = "S"\namounts = [1, 0, 0, 0]\ndelivery = { kind = "RAG", rating = "amber", p = 1 }',
     "saving[0].delivery.p: unknown key (expected one of: kind, rating, name)"),
    ('[amounts]\nob = { kind = "OptimismBias", project = "bungalows" }\n[[pressure]]\nname = "P"\namount = "ob"',
     "amounts.ob: OptimismBias: project type ('bungalows') must be one of"),
    ('[amounts]\nob = { kind = "OptimismBias", project = { "standard buildings" = "ten" } }\n'
     '[[pressure]]\nname = "P"\namount = "ob"',
     'amounts.ob.project."standard buildings": expected a number, got "ten"'),
    ('[[pressure]]\nname = "P"\namount = 5\nbasis = "level"',
     "pressure[0]: Pressure 'P': basis='level' needs one amount per year"),
    ('[[pressure]]\nname = "P"\namounts = [1, 2, 3, 4]\nbase = 3',
     "pressure[0]: Pressure 'P': base (3.0) applies only to basis='level'"),
    ('[[pressure]]\nname = "P"\namount = 1\n[reserves_balance]\nminimum = 1',
     'reserves_balance: missing key "general"'),
    ('[[pressure]]\nname = "P"\namount = 1\n[reserves_balance]\ngeneral = 1\nminimum = 1\nrunway = 2',
     "reserves_balance.runway: unknown key"),
    ('[[pressure]]\nname = "P"\namount = 1\n[reserves_balance]\ngeneral = 1',
     "reserves_balance: ReservesBalance: give the prudent minimum"),
    ('[[pressure]]\nname = "P"\namount = 1\n[reserves_balance]\ngeneral = 1\nminimum = 0',
     "reserves_balance: MTFP 'Risk': reserves: the prudent minimum as a share and the CIPFA measures"),
    ('[[pressure]]\nname = "P"\namount = 1\n[reserves_balance]\ngeneral = 1\nminimum = 0\n'
     'net_revenue_expenditure = 9\nearmarked_use = [1, "x"]',
     'reserves_balance.earmarked_use[1]: expected a number, got "x"'),
]


@pytest.mark.parametrize(("body", "message"), BAD)
def test_bad_risk_inputs_are_refused_with_the_key_path(body, message):
    with pytest.raises(fm.ScenarioFileError) as err:
        fm.loads(HEAD + body, name="risk.toml")
    assert str(err.value).startswith("risk.toml: ")
    assert message in str(err.value)


def test_a_case_has_no_reserves_balance():
    text = """
[model]
kind = "CostBenefitCase"
name = "c"
start = "2018/19"
years = 1
[[benefit]]
name = "b"
run_rate = 1
rag = "green"
[reserves_balance]
general = 1
minimum = 0
"""
    with pytest.raises(fm.ScenarioFileError, match="reserves_balance: a CostBenefitCase has no reserves"):
        fm.loads(text)


# -- round trips of made-up models ------------------------------------------------------------
RATINGS = st.sampled_from(["delivered", "green", "amber", "red"])
SHARES = st.floats(0.0, 0.6)


@st.composite
def risky_plans(draw):
    years = draw(st.integers(1, 4))
    timeline = fm.Timeline(2018, years)
    scale = fm.DEFAULT_RAG if draw(st.booleans()) else fm.DEFAULT_RAG.replace(
        amber=fm.Beta.from_mean_sd(draw(st.floats(0.3, 0.8)), 0.1), red=draw(st.floats(0, 1))
    )
    lines: list[fm.Line] = []
    for i in range(draw(st.integers(1, 4))):
        amounts = draw(st.lists(st.floats(0.1, 50), min_size=years, max_size=years))
        kind = draw(st.sampled_from(["rated", "levels", "biased", "late"]))
        if kind == "rated":
            lines.append(fm.Saving(f"S{i}", amounts, delivery=fm.rag(draw(RATINGS), scale=scale)))
        elif kind == "levels":
            base = draw(st.none() | st.floats(0, 10))
            lines.append(fm.Pressure(f"P{i}", amounts, basis="level", base=base))
        elif kind == "biased":
            bias = fm.OptimismBias(
                draw(st.sampled_from(["standard buildings", "equipment/development"])),
                mitigated=draw(SHARES),
                uncertain=draw(st.booleans()),
            )
            lines.append(fm.Investment(f"I{i}", amounts).scaled(bias.uplift()))
        else:
            delay = fm.start_delay(draw(st.sampled_from(["May", "October", "March"])))
            lines.append(fm.Saving(f"L{i}", amounts, delay=delay, delivery=fm.Beta.from_mean_sd(0.8, 0.1)))
    reserves = None
    if draw(st.booleans()):
        reserves = fm.ReservesBalance(
            general=draw(st.floats(0, 50)),
            earmarked=draw(st.floats(0, 50)),
            minimum=draw(st.floats(0, 5)),
            policy=draw(st.sampled_from(["close_gap", "planned"])),
            use_earmarked=draw(st.booleans()),
            net_revenue_expenditure=draw(st.floats(50, 500)),
            history=draw(st.lists(st.floats(0, 100), max_size=3)),
        )
    return fm.MTFP("Risky", timeline, lines, reserves=reserves)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(risky_plans())
def test_dump_then_load_gives_the_same_risky_model(model):
    text = fm.dumps(model)
    again = fm.loads(text, name="round trip").model
    assert fm.dumps(again) == text
    assert again.reserves == model.reserves
    for case in ("low", "central", "high"):
        for basis in ("incremental", "cumulative"):
            pd.testing.assert_frame_equal(
                fm.evaluate(model, case).table(basis), fm.evaluate(again, case).table(basis), check_exact=True
            )
    metric = "general_reserves" if model.reserves is not None else "cumulative_gap"
    a = fm.simulate(model, n=32, seed=3, metrics=[metric]).samples(metric)
    b = fm.simulate(again, n=32, seed=3, metrics=[metric]).samples(metric)
    np.testing.assert_array_equal(a, b)
