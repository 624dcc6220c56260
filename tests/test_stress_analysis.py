"""Known answers for the stress-testing analyses: tornado, spider, switching values, Sobol,
Shapley, regression sensitivity, reverse stress tests, policy grids, value for money,
savings at risk."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import finmodel as fm
from finmodel.analysis.sobol import sobol_analyze, sobol_sample
from finmodel.analysis.switching import NO_CROSSING

ONE_YEAR = fm.Timeline("2018/19", 1)


def linear_case() -> tuple[fm.CostBenefitCase, dict[str, float]]:
    """npv = 3 a - 2 b + 0.5 c (one undiscounted year): coefficients by input name."""
    a = fm.Uniform(0, 10, name="a")
    b = fm.Triangular(1, 2, 6, name="b")
    c = fm.Normal(4, 2, name="c")
    case = fm.CostBenefitCase("linear", ONE_YEAR, [fm.Benefit("x", 3 * a + 0.5 * c)], [fm.Cost("k", [2 * b])])
    return case, {"a": 3.0, "b": -2.0, "c": 0.5}


# -- tornado and spider ----------------------------------------------------------------
def test_tornado_of_a_linear_model_is_its_coefficients_times_the_swings() -> None:
    case, coefficients = linear_case()
    found = fm.tornado(case)
    inputs = {leaf.name: leaf for leaf in case.leaves()}
    for name, a in coefficients.items():
        p10, p90 = inputs[name].ppf(np.array([0.1, 0.9]))
        row = found.table.loc[name]
        assert row["low_value"] == pytest.approx(p10) and row["high_value"] == pytest.approx(p90)
        assert row["high_result"] - row["low_result"] == pytest.approx(a * (p90 - p10), rel=1e-12)
        assert row["swing"] == pytest.approx(abs(a) * (p90 - p10), rel=1e-12)
    assert found.base == pytest.approx(3 * 5 - 2 * 2 + 0.5 * 4)  # central: midpoint, mode, mean
    assert list(found.table["swing"]) == sorted(found.table["swing"], reverse=True)


def test_tornado_cases_and_custom_points() -> None:
    case, _ = linear_case()
    by_cases = fm.tornado(case, points="cases").table
    assert by_cases.loc["a", "swing"] == pytest.approx(3 * 10)
    wide = fm.tornado(case, points=(0.05, 0.95)).table
    assert (wide["swing"] > fm.tornado(case).table.loc[wide.index, "swing"]).all()
    with pytest.raises(fm.FinmodelError, match="two percentiles"):
        fm.tornado(case, points=(0.1, 0.5, 0.9))
    with pytest.raises(fm.FinmodelError, match="points"):
        fm.tornado(case, points=(0.9, 0.1))


def test_spider_agrees_with_the_tornado_and_the_model() -> None:
    case, coefficients = linear_case()
    sp = fm.spider(case, points=(0.1, 0.25, 0.5, 0.75, 0.9))
    t = fm.tornado(case).table
    assert sp.results.loc["a", 0.1] == pytest.approx(t.loc["a", "low_result"])
    assert sp.results.loc["c", 0.9] == pytest.approx(t.loc["c", "high_result"])
    # a linear model: result = base + a (x - central)
    central = {leaf.name: leaf.cases["central"] for leaf in case.leaves()}
    for name, a in coefficients.items():
        expected = sp.base + a * (sp.values.loc[name] - central[name])
        np.testing.assert_allclose(sp.results.loc[name], expected, rtol=1e-12)
    assert sp.results.index[0] == "a"  # widest first


def test_tornado_of_a_plan_in_a_year() -> None:
    demand = fm.Uniform(1, 3, name="demand")
    plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [demand, demand])])
    found = fm.tornado(plan, "cumulative_gap", year="2019/20")
    assert found.table.loc["demand", "swing"] == pytest.approx(2 * (2.8 - 1.2))
    with pytest.raises(fm.FinmodelError, match="choose one with year="):
        fm.tornado(plan, "cumulative_gap")


# -- switching values ------------------------------------------------------------------
def test_switching_value_of_a_linear_npv_is_capital_over_the_annuity_factor() -> None:
    years = fm.Timeline("2018/19", 10)
    case = fm.CostBenefitCase(
        "invest to save",
        years,
        [fm.Benefit("Saving", fm.Range(1.0, 6.0, name="annual saving"))],
        [fm.Cost("Capital", [fm.Fixed(17.0, name="capital")] + [0.0] * 9)],
        discount_rate=0.035,
    )
    annuity = sum(1.035**-t for t in range(10))  # first year undiscounted
    found = fm.switching_values(case, within={"capital": (10.0, 40.0)}).table
    assert found.loc["annual saving", "switching_value"] == pytest.approx(17.0 / annuity, rel=1e-9)
    central = fm.Range(1.0, 6.0).cases["central"]
    assert found.loc["annual saving", "change_pct"] == pytest.approx(100 * (17.0 / annuity - central) / central)
    # the capital that the central saving pays for
    assert found.loc["capital", "switching_value"] == pytest.approx(central * annuity, rel=1e-9)


def test_switching_value_does_not_cross_within_its_range() -> None:
    case = fm.CostBenefitCase(
        "always pays", ONE_YEAR, [fm.Benefit("b", fm.Range(10, 20, name="b"))], [fm.Cost("k", [5])]
    )
    row = fm.switching_values(case).table.loc["b"]
    assert np.isnan(row["switching_value"]) and row["note"] == NO_CROSSING


def test_switching_value_of_the_gap_in_a_year() -> None:
    saving = fm.Range(2, 8, name="saving")
    plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("d", [5, 1]), fm.Saving("s", [saving, 0])])
    row = fm.switching_values(plan, "cumulative_gap", year="2019/20", target=0).table.loc["saving"]
    assert row["switching_value"] == pytest.approx(6.0)


# -- Sobol -----------------------------------------------------------------------------
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)  # a = 7, b = 0.1: Ishigami & Homma (1990); Saltelli et al. (2008) 4.8
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)


def test_sobol_indices_of_the_ishigami_function() -> None:
    u = sobol_sample(3, 2**14, seed=2018)
    x = np.pi * (2 * u - 1)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    found = sobol_analyze(y, 3)
    np.testing.assert_allclose(found["S1"], ISHIGAMI_S1, atol=0.01)
    np.testing.assert_allclose(found["ST"], ISHIGAMI_ST, atol=0.01)
    assert ((found["S1_low"] <= found["S1"]) & (found["S1"] <= found["S1_high"])).all()


@dataclass(frozen=True, eq=False, repr=False)
class PowerOfUniform(fm.Leaf):
    """``f(X)`` for ``X`` uniform on (-pi, pi): the Ishigami function's inputs as model inputs."""

    kind: ClassVar[str] = "PowerOfUniform"
    power: int = 1
    sine: bool = False

    def ppf(self, u: np.ndarray) -> np.ndarray:
        x = np.pi * (2 * np.asarray(u) - 1)
        return np.sin(x) if self.sine else x**self.power

    @property
    def cases(self) -> dict[str, float]:
        return dict(zip(("low", "central", "high"), self.ppf(np.array([0.05, 0.5, 0.95])).tolist(), strict=True))

    @property
    def support(self) -> tuple[float, float]:
        return (-1.0, 1.0) if self.sine else (0.0, np.pi**self.power)

    def params(self) -> dict[str, Any]:
        return {"power": self.power, "sine": self.sine}


def test_sobol_indices_of_the_ishigami_function_as_a_model() -> None:
    """Y = sin X1 + 7 sin^2 X2 + 0.1 X3^4 sin X1 depends on X1 only through sin X1, so the
    indices of sin X1, sin X2 and X3^4 are those of X1, X2 and X3."""
    s1 = PowerOfUniform(sine=True, name="x1")
    s2 = PowerOfUniform(sine=True, name="x2")
    q3 = PowerOfUniform(power=4, name="x3")
    case = fm.CostBenefitCase("Ishigami", ONE_YEAR, [fm.Benefit("y", s1 + 7 * s2 * s2 + 0.1 * q3 * s1)])
    found = fm.sobol(case, "run_rate", n=2**14, seed=2018).table.loc[["x1", "x2", "x3"]]
    np.testing.assert_allclose(found["S1"], ISHIGAMI_S1, atol=0.01)
    np.testing.assert_allclose(found["ST"], ISHIGAMI_ST, atol=0.01)


def test_sobol_refuses_correlated_inputs() -> None:
    a, b = fm.correlate([fm.Normal(0, 1, name="a"), fm.Normal(0, 1, name="b")], [[1, 0.5], [0.5, 1]])
    case = fm.CostBenefitCase("c", ONE_YEAR, [fm.Benefit("x", a + b)])
    with pytest.raises(fm.FinmodelError, match="Shapley"):
        fm.sobol(case, "run_rate")


# -- Shapley ---------------------------------------------------------------------------
def test_shapley_effects_of_a_correlated_gaussian_linear_model() -> None:
    """Y = b1 X1 + b2 X2 + b3 X3, X1 independent, corr(X2, X3) = rho: Iooss and Prieur (2019),
    "Shapley effects for sensitivity analysis with correlated inputs", section 3.1."""
    b, s, rho = np.array([1.0, 1.0, 1.0]), np.array([1.0, 1.0, 2.0]), 0.6
    spearman = 6 / np.pi * np.arcsin(rho / 2)  # the Gaussian copula's rank correlation
    x1 = fm.Normal(0, s[0], name="x1")
    x2, x3 = fm.correlate([fm.Normal(0, s[1], name="x2"), fm.Normal(0, s[2], name="x3")],
                          [[1, spearman], [spearman, 1]])
    case = fm.CostBenefitCase("Gaussian", ONE_YEAR, [fm.Benefit("y", b[0] * x1 + b[1] * x2 + b[2] * x3)])
    variance = (b * s) @ (b * s) + 2 * rho * b[1] * b[2] * s[1] * s[2]
    cross = rho * b[1] * b[2] * s[1] * s[2]
    expected = {
        "x1": (b[0] * s[0]) ** 2 / variance,
        "x2": ((b[1] * s[1]) ** 2 * (1 - rho**2 / 2) + rho**2 * (b[2] * s[2]) ** 2 / 2 + cross) / variance,
        "x3": ((b[2] * s[2]) ** 2 * (1 - rho**2 / 2) + rho**2 * (b[1] * s[1]) ** 2 / 2 + cross) / variance,
    }
    found = fm.shapley(case, "run_rate", n_outer=20_000, n_variance=50_000, seed=2018)
    assert found.exact and found.table["shapley"].sum() == pytest.approx(1.0)
    for name, value in expected.items():
        assert found.table.loc[name, "shapley"] == pytest.approx(value, abs=0.015)
    assert found.variance == pytest.approx(variance, rel=0.03)


def test_shapley_with_random_orders_for_many_inputs() -> None:
    inputs = [fm.Normal(0, 1 + i % 3, name=f"x{i}") for i in range(8)]
    total = inputs[0]
    for leaf in inputs[1:]:
        total = total + leaf
    case = fm.CostBenefitCase("eight", ONE_YEAR, [fm.Benefit("y", total)])
    found = fm.shapley(case, "run_rate", permutations=60, n_outer=2_000, seed=1)
    assert not found.exact and found.permutations == 60
    variances = np.array([(1 + i % 3) ** 2 for i in range(8)], dtype=float)
    for i, share in enumerate(variances / variances.sum()):  # independent: Shapley = Sobol = share
        assert found.table.loc[f"x{i}", "shapley"] == pytest.approx(share, abs=0.03)
    assert (found.table["standard_error"] > 0).all()


# -- sensitivity from a simulation --------------------------------------------------------
def test_standardised_regression_coefficients_of_a_linear_model() -> None:
    a, b = fm.Normal(0, 3, name="a"), fm.Normal(0, 1, name="b")
    case = fm.CostBenefitCase("c", ONE_YEAR, [fm.Benefit("x", 2 * a - 4 * b)])
    found = fm.sensitivity(fm.simulate(case, n=50_000, seed=1), "run_rate")
    share_a = 36 / (36 + 16)
    assert found.r_squared == pytest.approx(1.0)
    assert found.table.loc["a", "src"] == pytest.approx(np.sqrt(share_a), abs=0.01)
    assert found.table.loc["b", "src"] == pytest.approx(-np.sqrt(1 - share_a), abs=0.01)
    assert found.table["contribution"].abs().sum() == pytest.approx(1.0)
    assert found.table.loc["b", "rank_correlation"] < 0


# -- reverse stress tests ----------------------------------------------------------------
def test_reverse_stress_probability_and_drivers() -> None:
    case, _ = linear_case()
    sim = fm.simulate(case, n=20_000, seed=3)
    breach = fm.Condition("npv", "<", 5)
    found = fm.reverse_stress(sim, breach)
    assert found.probability == pytest.approx(sim.probability("npv", "<", 5))
    assert found.breaches == round(found.probability * sim.n)
    assert found.drivers.index[0] == "a"  # the widest input drives a low NPV
    assert found.drivers.loc["a", "mean_breach"] < found.drivers.loc["a", "mean_all"]
    assert found.drivers.loc["b", "mean_breach"] > found.drivers.loc["b", "mean_all"]


def test_smallest_move_of_a_linear_model_has_the_closed_form() -> None:
    case, coefficients = linear_case()
    found = fm.smallest_move(case, fm.Condition("npv", "<=", 0), seed=1)
    leaves = {leaf.name: leaf for leaf in case.leaves()}
    grid = (np.arange(20_000) + 0.5) / 20_000
    sd = {name: float(np.std(leaf.ppf(grid))) for name, leaf in leaves.items()}
    base = fm.evaluate(case).npv()
    expected = base / np.sqrt(sum((a * sd[name]) ** 2 for name, a in coefficients.items()))
    assert found.reached and found.distance == pytest.approx(expected, rel=1e-4)
    assert found.value == pytest.approx(0.0, abs=1e-6)
    # the move is along the gradient scaled by the variances
    moves = found.table["move"]
    ratio = [moves[name] / (a * sd[name] ** 2) for name, a in coefficients.items()]
    assert np.allclose(ratio, ratio[0], rtol=1e-3)


def test_smallest_move_at_central_and_out_of_reach() -> None:
    case, _ = linear_case()
    assert fm.smallest_move(case, fm.Condition("npv", ">", 0)).distance == 0.0
    bounded = fm.CostBenefitCase("b", ONE_YEAR, [fm.Benefit("x", fm.Range(1, 2, name="x"))])
    found = fm.smallest_move(bounded, fm.Condition("npv", "<", 0), seed=1)
    assert not found.reached and "not reached" in repr(found)


def test_conditions_on_payback_take_year_labels() -> None:
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(2, 8, name="b"))],
                              [fm.Cost("k", [9, 0, 0])])
    sim = fm.simulate(case, n=5_000, seed=1)
    late = fm.Condition("payback_year", ">", "2019/20")
    assert late.probability(sim) == pytest.approx(sim.probability("payback_year", ">", "2019/20"))
    with pytest.raises(fm.FinmodelError, match="year label"):
        fm.Condition("payback_year", ">", 2).holds(sim)
    with pytest.raises(fm.FinmodelError, match="op"):
        fm.Condition("npv", "=", 0)


# -- policy grids ----------------------------------------------------------------------
def grid_plan() -> fm.MTFP:
    return fm.MTFP("p", fm.Timeline("2018/19", 2), [
        fm.Pressure("Demand", fm.Range(4, 8, name="demand")),
        fm.Saving("Programme", [3, 0], delivery=fm.Beta(9, 1, name="delivery")),
        fm.Funding("Council tax", [fm.Fixed(0.0, name="council tax increase"), 0.0]),
    ])


def test_policy_grid_uses_common_random_numbers() -> None:
    plan = grid_plan()
    goal = fm.Condition("cumulative_gap", "<=", 0, year="2019/20")
    grid = fm.policy_grid(plan, [fm.Lever("council tax increase", [0, 1, 2, 3]),
                                 fm.Lever("Programme", [0.5, 1.0, 1.5], scale=True)], goal, n=4_000, seed=7)
    assert len(grid.table) == 12 and grid.pivot().shape == (4, 3)
    # each cell is the same simulation as a direct one with the same seed and levers
    direct = fm.simulate(plan.with_line(plan.line("Programme").scaled(1.5)), 4_000, 7,
                         scenario=fm.Scenario("s", {"council tax increase": 2}))
    assert grid.pivot().loc[2, 1.5] == goal.probability(direct)
    # common random numbers: more tax or more savings never lowers the probability
    table = grid.pivot().to_numpy()
    assert (np.diff(table, axis=0) >= 0).all() and (np.diff(table, axis=1) >= 0).all()


def test_policy_grid_refuses_a_lever_that_changes_the_inputs() -> None:
    plan = grid_plan()
    with pytest.raises(fm.FinmodelError, match="draws would differ"):
        fm.policy_grid(plan, [fm.Lever("Demand", [4.0, 5.0])], fm.Condition("total_net_pressure", "<=", 0), n=100)


# -- value for money and savings at risk ---------------------------------------------------
def test_benefit_cost_ratio_is_present_value_of_benefits_over_costs() -> None:
    years = fm.Timeline("2018/19", 4)
    case = fm.CostBenefitCase("c", years, [fm.Benefit("b", 10, fm.Profile.increments([2, 13, 13, 5]))],
                              [fm.Cost("k", [3, 8, 5, 1])])
    factors = fm.discount_factors(4)
    benefit = 10 * np.array([2, 15, 28, 33]) / 33
    expected = float(factors @ benefit / (factors @ np.array([3, 8, 5, 1])))
    found = fm.value_for_money(fm.evaluate(case))
    assert found.ratio == pytest.approx(expected, rel=1e-12)
    assert found.band == ("poor" if expected < 1 else "low")
    assert fm.evaluate(case).value("benefit_cost_ratio") == pytest.approx(expected, rel=1e-12)


def test_savings_at_risk_of_a_plan_accumulate_the_undelivered_savings() -> None:
    slip = fm.Chance(0.25, name="slip")
    plan = fm.MTFP("p", fm.Timeline("2018/19", 3), [fm.Saving("s", [4, 0, 0], delay=slip)])
    found = fm.risk_figures(fm.simulate(plan, n=40_000, seed=1))
    # a slip loses the saving in the first year only: shortfall 4 with probability 1/4
    assert found.shortfall.loc["2018/19", "mean"] == pytest.approx(1.0, abs=0.03)
    assert found.shortfall.loc["2018/19", "P90"] == pytest.approx(4.0)
    assert found.shortfall.loc["2018/19", "P(any)"] == pytest.approx(0.25, abs=0.01)
    assert found.shortfall.loc["2019/20", "mean"] == pytest.approx(0.0, abs=1e-12)
    assert found.at_confidence.loc["2018/19"].tolist() == [-4.0, 0.0, 0.0]


@pytest.mark.parametrize("levels", [(), (0.5, 1.0)])
def test_risk_figures_refuse_bad_levels(levels: tuple[float, ...]) -> None:
    plan = fm.MTFP("p", ONE_YEAR, [fm.Pressure("d", fm.Range(1, 2))])
    with pytest.raises(fm.FinmodelError, match="levels"):
        fm.risk_figures(fm.simulate(plan, n=10, seed=1), levels)


def test_every_analysis_result_is_a_frozen_value() -> None:
    case, _ = linear_case()
    for result in (fm.tornado(case), fm.spider(case), fm.switching_values(case)):
        with pytest.raises(AttributeError):
            result.metric = "other"  # type: ignore[misc]


def test_inputs_not_in_the_model_are_named_in_the_error() -> None:
    case, _ = linear_case()
    with pytest.raises(fm.FinmodelError, match="no input 'nope' \\(inputs: 'a', 'c', 'b'\\)"):
        fm.tornado(case, inputs=["nope"])
    assert list(itertools.chain(fm.tornado(case, inputs=["b"]).table.index)) == ["b"]


@settings(max_examples=25, deadline=None)
@given(
    coefficients=st.lists(st.floats(-5, 5).filter(lambda a: abs(a) > 1e-3), min_size=1, max_size=4),
    low=st.floats(0.01, 0.3),
    high=st.floats(0.7, 0.99),
)
def test_tornado_swings_are_coefficients_times_percentile_spreads(
    coefficients: list[float], low: float, high: float
) -> None:
    inputs = [fm.Triangular(0, 1 + i, 3 + 2 * i, name=f"x{i}") for i in range(len(coefficients))]
    total = 1_000 + coefficients[0] * inputs[0]  # a benefit is entered positive
    for a, leaf in zip(coefficients[1:], inputs[1:], strict=True):
        total = total + a * leaf
    case = fm.CostBenefitCase("random linear", ONE_YEAR, [fm.Benefit("y", total)])
    found = fm.tornado(case, "run_rate", points=(low, high)).table
    for a, leaf in zip(coefficients, inputs, strict=True):
        spread = float(np.diff(leaf.ppf(np.array([low, high])))[0])
        assert found.loc[leaf.name, "swing"] == pytest.approx(abs(a) * spread, rel=1e-9, abs=1e-12)
    assert list(found["swing"]) == sorted(found["swing"], reverse=True)


def test_many_inputs_run_in_blocks_with_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    case, _ = linear_case()
    whole = fm.spider(case)
    monkeypatch.setattr("finmodel.analysis.tornado.DESIGN_VALUES", 10)  # one input a block
    blocked = fm.spider(case)
    assert blocked.base == whole.base
    assert (blocked.results == whole.results).all().all()


def test_variance_based_indices_refuse_designs_too_big_to_hold() -> None:
    inputs = [fm.Uniform(0, 1, name=f"x{i}") for i in range(300)]
    total = inputs[0]
    for leaf in inputs[1:]:
        total = total + leaf
    case = fm.CostBenefitCase("wide", ONE_YEAR, [fm.Benefit("y", total)])
    with pytest.raises(fm.FinmodelError, match="choose the inputs that matter"):
        fm.sobol(case, "run_rate", n=4096)
    with pytest.raises(fm.FinmodelError, match="choose the inputs that matter"):
        fm.shapley(case, "run_rate")
    assert len(fm.tornado(case, "run_rate").table) == 300
