"""Review findings: hand-computed checks of finmodel's numbers, errors and API.

Two kinds of test, each with its hand computation in a comment:

* bugs found in review and fixed: the test asserts the correct behaviour, so the bug
  cannot come back;
* tricky hand-computed cases finmodel got right from the start, kept as regression guards.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import finmodel as fm

Y3 = fm.Timeline("2024/25", 3)
Y4 = fm.Timeline("2018/19", 4)
OCC_PHASING = fm.Profile.increments([2, 13, 13, 5])


def _row(result, label, **kw):
    return result.table(**kw).loc[label].tolist()


# =====================================================================================
# Bugs found in review (fixed)
# =====================================================================================


def test_two_level_funding_lines_count_the_base_budget_once():
    # base 100 brought forward in balance: council tax 58 + business rates 42.
    # pressures +5, +4, +3 -> spending requirement 105, 109, 112.
    # Funding available = council tax + business rates = 60+40, 62+41, 64+42 = 100, 103, 106.
    # Cumulative funding gap = 5, 6, 6; annual funding gap = 5, 1, 0 (total 6).
    plan = fm.MTFP("bf", Y3, [
        fm.Pressure("Inflation", [5, 4, 3]),
        fm.Funding("Council tax", [60, 62, 64], basis="level", base=58),
        fm.Funding("Business rates", [40, 41, 42], basis="level", base=42),
    ], base_budget=100)
    e = fm.evaluate(plan)
    assert _row(e, "Funding available", basis="cumulative")[:3] == pytest.approx([100, 103, 106])
    assert _row(e, "Cumulative funding gap", basis="cumulative")[:3] == pytest.approx([5, 6, 6])
    assert e.value("net_pressure").tolist() == pytest.approx([5, 1, 0])
    # each source's change from its own base: council tax +2, +2, +2; business rates -2, +1, +1
    assert _row(e, "Council tax")[:3] == pytest.approx([-2, -2, -2])
    assert _row(e, "Business rates")[:3] == pytest.approx([2, -1, -1])


def test_several_level_funding_lines_need_their_bases():
    with pytest.raises(fm.ModelError, match="give each its level in the year brought forward"):
        fm.MTFP("bf", Y3, [
            fm.Funding("Council tax", [60, 62, 64], basis="level"),
            fm.Funding("Business rates", [40, 41, 42], basis="level"),
        ], base_budget=100)
    with pytest.raises(fm.ModelError, match="add up to 99"):
        fm.MTFP("bf", Y3, [
            fm.Funding("Council tax", [60, 62, 64], basis="level", base=57),
            fm.Funding("Business rates", [40, 41, 42], basis="level", base=42),
        ], base_budget=100)


def test_payback_is_not_a_year_before_the_cumulative_net_goes_negative():
    # cost 0, 8, 5, 0; benefit 0, 0, 10, 10 -> net 0, -8, 5, 10 -> cumulative 0, -8, -3, 7.
    # The case pays back in 2021/22 (cumulative first >= 0 and stays there); finmodel says
    # 2018/19 because the cumulative is 0 before anything has been spent.
    case = fm.CostBenefitCase("c", Y4, [fm.Benefit("B", 10, fm.Profile.cumulative([0, 0, 1]))],
                              [fm.Cost("Impl", [0, 8, 5, 0])])
    assert fm.evaluate(case).value("cumulative_net").tolist() == pytest.approx([0, -8, -3, 7])
    assert fm.evaluate(case).payback_year == "2021/22"


def test_correlation_kept_when_one_member_of_the_group_is_unused():
    # a, b correlated 0.7 (c independent of both). A model that uses only a and b must
    # still see Spearman(a, b) = 0.7 (the copula's margin on {a, b}); got ~0.00.
    a, b, _c = fm.correlate([fm.Uniform(0, 1), fm.Uniform(0, 1), fm.Uniform(0, 1)],
                           [[1, 0.7, 0], [0.7, 1, 0], [0, 0, 1]])
    case = fm.CostBenefitCase("sub", fm.Timeline("2018/19", 1), [fm.Benefit("A", a)], [fm.Cost("B", [b])])
    sim = fm.simulate(case, 20_000, seed=1)
    rho = stats.spearmanr(sim.samples("run_rate"), sim.samples("total_cost")).statistic
    assert rho == pytest.approx(0.7, abs=0.03)


def test_correlation_kept_when_one_member_is_fixed_by_a_scenario():
    a, b, c = fm.correlate([fm.Uniform(0, 1, name="a"), fm.Uniform(0, 1, name="b"), fm.Uniform(0, 1, name="c")],
                           [[1, 0.7, 0], [0.7, 1, 0], [0, 0, 1]])
    case = fm.CostBenefitCase("full", fm.Timeline("2018/19", 1), [fm.Benefit("A", a), fm.Benefit("C", c)],
                              [fm.Cost("B", [b])])
    sim = fm.simulate(case, 20_000, seed=1, scenario=fm.Scenario("fix c", {"c": 0.5}))
    benefit_a = sim.samples("run_rate") - 0.5
    rho = stats.spearmanr(benefit_a, sim.samples("total_cost")).statistic
    assert rho == pytest.approx(0.7, abs=0.03)  # got ~0.00


def test_simulation_table_by_line_for_a_case():
    # Mean of Range(1, 3) (PERT at 2) is 2; cost 1, 1, 0.
    case = fm.CostBenefitCase("c", Y3, [fm.Benefit("B", fm.Range(1, 3))], [fm.Cost("C", [1, 1, 0])])
    sim = fm.simulate(case, 20_000, seed=1, method="lhs")
    table = sim.table(by="line")  # raises "tables need the default metrics=None" although it is
    assert table.loc["C"].tolist()[:3] == pytest.approx([-1, -1, 0])
    assert table.loc["B"].tolist()[:3] == pytest.approx([2, 2, 2], abs=0.01)


def test_scenario_line_override_refuses_savings_typed_negative():
    # Saving("Savings", [-32.4, 0, -4.9, -0.5]) is refused; the same amounts given as a
    # plan-B override are accepted and flip the savings into £37.8m of pressure
    # (net pressure 2018/19 becomes 18.4 + 32.4 = 50.8 instead of being refused).
    plan = fm.MTFP("OCC", Y4, [fm.Pressure("Pressures", [18.4, 9.0, 6.5, 0.2]),
                               fm.Saving("Savings", [32.4, 0.0, 4.9, 0.5])])
    with pytest.raises(fm.FinmodelError, match="negative"):
        fm.evaluate(plan, fm.Scenario("plan B", {"Savings": [-32.4, 0, -4.9, -0.5]}))
    with pytest.raises(fm.FinmodelError, match="negative"):
        plan.line("Savings").with_amount([-32.4, 0, -4.9, -0.5])


def test_reprofile_with_amount_refuses_amounts_not_summing_to_zero():
    with pytest.raises(fm.ModelError, match="not zero"):
        fm.Reprofile("R", [1, -1, 0, 0]).with_amount([1, 0, 0, 0])


def test_scenario_scalar_override_of_level_funding_is_refused():
    # A level funding line needs one amount per year; a scalar override turns it into a
    # one-off of 61 in 2018/19 only (CT row -1, +61, 0, 0), a silently wrong table.
    plan = fm.MTFP("bf", Y4, [fm.Funding("CT", [60, 62, 64, 66], basis="level")], base_budget=60)
    with pytest.raises(fm.FinmodelError):
        fm.evaluate(plan, fm.Scenario("b", {"CT": 61})).table()


def test_mtfp_accepts_lines_from_a_generator():
    rows = {"Demography": [1, 2], "Inflation": [3, 4]}
    plan = fm.MTFP("m", fm.Timeline("2018/19", 2), (fm.Pressure(n, a) for n, a in rows.items()))
    # 1 + 3 = 4, 2 + 4 = 6; got an empty plan with 0, 0
    assert fm.evaluate(plan).value("net_pressure").tolist() == [4, 6]


def test_mtfp_single_line_not_in_a_list_is_a_finmodel_error():
    with pytest.raises(fm.ModelError, match="lines"):
        fm.MTFP("m", Y3, fm.Pressure("P", [1, 2, 3]))


def test_leaf_sample_has_the_same_signature_as_expression_sample():
    x = fm.Range(1, 2)
    # (x * 1).sample(3, seed=1) works; x.sample(3, seed=1) is a TypeError and
    # x.sample(1000, 5) silently returns 5 draws seeded with 1000.
    assert x.sample(3, seed=1).tolist() == pytest.approx((x * 1).sample(3, seed=1).tolist())
    assert x.sample(1000, 5).shape == (1000,)


def test_money_rounds_halves_away_from_zero_like_excel():
    # Quick wins central run rate is Range(8, 17) -> 12.5; Excel ROUND(12.5, 0) = 13.
    assert fm.format_money(12.5, decimals=0) == "£13m"      # got "£12m"
    assert fm.format_money(-12.5, decimals=0) == "(£13m)"
    assert fm.format_money(0.25, decimals=1) == "£0.3m"     # 0.25 is exact in binary
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("Quick wins", fm.Range(8, 17))])
    assert fm.evaluate(case).table(decimals=0).loc["Annual benefit", "2018/19"] == 13


def test_worst_case_of_a_normal_benefit_with_a_delivery_rate():
    # Benefit Normal(5, 1) (low case 5 - 1.645 = 3.355), delivery Beta(9, 1) (low 0.05**(1/9)
    # = 0.7170), no delay. Worst = low benefit x low delivery = 2.4056 every year.
    # Got ScenarioError "Beta(a=9, b=1) feeds 'B' in both directions".
    case = fm.CostBenefitCase("c", Y3, [fm.Benefit("B", fm.Normal(5, 1), delivery=fm.Beta(9, 1))])
    expected = (5 - 1.6448536269514722) * 0.05 ** (1 / 9)
    assert fm.evaluate(case, "worst").value("benefit").tolist() == pytest.approx([expected] * 3)


def test_scenario_overrides_are_read_only():
    s = fm.Scenario("plan B", {"Quick wins run rate": 10})
    with pytest.raises((TypeError, AttributeError, fm.FinmodelError)):
        s.overrides["Implementation"] = [3, 8, 5, 3]


def test_report_negative_decimals_is_a_finmodel_error():
    plan = fm.MTFP("m", Y3, [fm.Pressure("P", [1, 2, 3])])
    with pytest.raises(fm.FinmodelError, match="decimals"):
        fm.evaluate(plan).report(decimals=-1)


# =====================================================================================
# Hand-computed cases finmodel gets right (regression guards)
# =====================================================================================


@pytest.mark.parametrize(
    ("delay", "gap"),
    [
        # recurring saving [1, 2, 0, 0] -> level 1, 3, 3, 3; a delay shifts the level right
        (0, [-1, -3, -3, -3]),
        (1, [0, -1, -3, -3]),
        (2, [0, 0, -1, -3]),
        (0.5, [-0.5, -2, -3, -3]),   # half of shift 0 + half of shift 1
        (1.5, [0, -0.5, -2, -3]),    # half of shift 1 + half of shift 2
    ],
)
def test_recurring_saving_delays(delay, gap):
    plan = fm.MTFP("p", fm.Timeline("2024/25", 4), [fm.Saving("S", [1, 2, 0, 0], delay=delay)])
    e = fm.evaluate(plan)
    assert e.value("cumulative_gap").tolist() == pytest.approx(gap)
    # the table keeps the plan and shows the slippage separately; both sum to the gap
    assert _row(e, "S")[:4] == pytest.approx([-1, -2, 0, 0])
    if delay == 0:  # nothing slips: no shortfall row
        assert "Savings not delivered" not in e.table().index
        return
    assert np.add(_row(e, "S")[:4], _row(e, "Savings not delivered")[:4]) == pytest.approx(np.diff(gap, prepend=0))


def test_one_off_saving_delayed_and_profiled_one_offs():
    y = fm.Timeline("2024/25", 4)
    # one-off [1, 2, 0, 0] delayed a year -> effect 0, 1, 2, 0 -> incremental 0, -1, -1, +2
    e = fm.evaluate(fm.MTFP("p", y, [fm.Saving("S", [1, 2, 0, 0], recurring=False, delay=1)]))
    assert e.value("net_pressure").tolist() == pytest.approx([0, -1, -1, 2])
    # one-off total 4 spread by increments [1, 1] -> 2, 2, 0, 0 -> incremental -2, 0, +2, 0
    e = fm.evaluate(fm.MTFP("p", y, [fm.Saving("S", 4, fm.Profile.increments([1, 1]), recurring=False)]))
    assert e.value("net_pressure").tolist() == pytest.approx([-2, 0, 2, 0])
    # recurring run rate 4, increments [1, 1], delivery 50% -> level 1, 2, 2, 2
    e = fm.evaluate(fm.MTFP("p", y, [fm.Saving("S", 4, fm.Profile.increments([1, 1]), delivery=0.5)]))
    assert e.value("cumulative_gap").tolist() == pytest.approx([-1, -2, -2, -2])
    assert _row(e, "Savings not delivered") == pytest.approx([1, 1, 0, 0, 2])


def test_brought_forward_layout_row_by_row():
    # Spreadsheet: b/f 100; +5 -2 -1 = 102; b/f 102 +4 -1 +1 (one-off returns) = 106;
    # b/f 106 +3 -1 = 108. Funding 102, 104, 105; reserves 1, 0, 0.
    # Cumulative gap = 102-102-1 = -1, 106-104 = 2, 108-105 = 3; annual -1, 3, 1.
    plan = fm.MTFP("bf", Y3, [
        fm.Pressure("Inflation", [5, 4, 3]),
        fm.Saving("Efficiencies", [2, 1, 1]),
        fm.Saving("One-off vacancy", [1, 0, 0], recurring=False),
        fm.Funding("Council tax & grants", [102, 104, 105], basis="level"),
        fm.Reserves("Reserves", [1, 0, 0]),
    ], base_budget=100)
    t = fm.evaluate(plan).table(basis="cumulative")
    expected = {
        "Net budget brought forward": [100, 102, 106],
        "Inflation": [5, 4, 3],
        "Efficiencies": [-2, -1, -1],
        "One-off vacancy": [-1, 1, 0],
        "Spending requirement": [102, 106, 108],
        "Funding available": [102, 104, 105],
        "Reserves applied": [1, 0, 0],
        "Cumulative funding gap": [-1, 2, 3],
        "Annual funding gap": [-1, 3, 1],
    }
    assert list(t.index) == list(expected)
    for label, values in expected.items():
        assert t.loc[label].tolist()[:3] == pytest.approx(values), label
    assert t.loc["Annual funding gap", "Total"] == pytest.approx(3)


def test_funding_change_basis_with_base_budget_and_a_saving_at_risk():
    # Saving 2 in year 1, delivery Uniform(0.5, 1) (central 0.75), delay Chance(0.5) (central 0.5 yr):
    # achieved level = 0.75 x (1, 2, 2) = 0.75, 1.5, 1.5 -> not delivered 1.25, 0.5, 0.5.
    plan = fm.MTFP("bf", Y3, [
        fm.Pressure("Inflation", [5, 4, 3]),
        fm.Funding("CT", [2, 2, 2], basis="change"),
        fm.Saving("Risky", [2, 0, 0], delivery=fm.Uniform(0.5, 1.0), delay=fm.Chance(0.5)),
    ], base_budget=100)
    e = fm.evaluate(plan)
    assert _row(e, "Savings not delivered")[:3] == pytest.approx([1.25, -0.75, 0])
    assert _row(e, "Funding available", basis="cumulative")[:3] == pytest.approx([102, 104, 106])
    # cumulative gap = 100 + (5, 9, 12) - (0.75, 1.5, 1.5) - (102, 104, 106)
    assert e.value("cumulative_gap").tolist() == pytest.approx([2.25, 3.5, 4.5])
    # worst: delivery 0.5, slips a year -> achieved 0, 1, 1 -> gap 100 + (5, 9, 12) - (0, 1, 1) - (102, 104, 106)
    # best: delivery 1, no slip -> achieved 2, 2, 2 -> gap 1, 3, 4
    assert fm.evaluate(plan, "worst").value("cumulative_gap").tolist() == pytest.approx([3, 4, 5])
    assert fm.evaluate(plan, "best").value("cumulative_gap").tolist() == pytest.approx([1, 3, 4])
    # Monte Carlo mean of the not-delivered row equals the central case (linear in both inputs)
    sim = fm.simulate(plan, 50_000, seed=1, method="lhs")
    assert sim.table().loc["Savings not delivered"].tolist()[:3] == pytest.approx([1.25, -0.75, 0], abs=0.01)


def test_case_with_delivery_delay_recurring_cost_npv_roi():
    # B: 33 phased 2, 15, 28, 33; delayed 1 -> 0, 2, 15, 28; x 0.8 -> 0, 1.6, 12, 22.4
    # costs: 3, 8, 5, 1 one-off + licence 1 recurring -> 4, 9, 6, 2
    case = fm.CostBenefitCase("c", Y4, [fm.Benefit("B", 33, OCC_PHASING, delivery=0.8, delay=1)],
                              [fm.Cost("Impl", [3, 8, 5, 1]), fm.Cost("Licence", [1, 0, 0, 0], recurring=True)])
    e = fm.evaluate(case)
    net = np.array([-4, -7.4, 6, 20.4])
    assert e.value("net").tolist() == pytest.approx(net)
    assert e.value("benefit_incremental").tolist() == pytest.approx([0, 1.6, 10.4, 10.4])
    assert e.run_rate == pytest.approx(26.4) and e.value("cost_run_rate") == pytest.approx(1)
    assert e.roi == pytest.approx((36 - 21) / 21)
    assert e.payback_year == "2021/22"
    gb = sum(net[t] / 1.035**t for t in range(4))
    assert e.npv() == pytest.approx(gb)
    assert e.npv(rate=0.035) == pytest.approx(gb)
    assert e.npv(first_year="discounted") == pytest.approx(gb / 1.035)
    assert e.npv(rate=0.1, first_year="discounted") == pytest.approx(sum(net[t] / 1.1 ** (t + 1) for t in range(4)))


def test_green_book_rate_steps_after_year_30():
    f = fm.discount_factors(33)
    assert f[30] == pytest.approx(1.035**-30)
    assert f[32] == pytest.approx(1.035**-30 * 1.03**-2)


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_chance_delay_mean_equals_central_profile(method):
    # central: 0.7 x (2, 15, 28, 33) + 0.3 x (0, 2, 15, 28) = 1.4, 11.1, 24.1, 31.5
    case = fm.CostBenefitCase("c", Y4, [fm.Benefit("B", 33, OCC_PHASING, delay=fm.Chance(0.3))])
    assert fm.evaluate(case).value("benefit").tolist() == pytest.approx([1.4, 11.1, 24.1, 31.5])
    sim = fm.simulate(case, 100_000, seed=5, method=method)
    assert sim.mean("benefit").tolist() == pytest.approx([1.4, 11.1, 24.1, 31.5], abs=0.1)


def test_uniform_run_rate_closed_form_lhs():
    case = fm.CostBenefitCase("c", Y4, [fm.Benefit("U", fm.Uniform(10, 20))])
    sim = fm.simulate(case, 100_000, seed=3, method="lhs")
    assert sim.mean("run_rate") == pytest.approx(15, abs=1e-3)
    assert sim.quantiles("run_rate", [0.1, 0.5, 0.9]).tolist() == pytest.approx([11, 15, 19], abs=1e-2)
    assert sim.probability("run_rate", ">=", 18) == pytest.approx(0.2, abs=1e-3)


def test_two_input_correlation_hits_target_spearman():
    a, b = fm.correlate([fm.Uniform(0, 1), fm.LogNormal(0, 1)], [[1, -0.5], [-0.5, 1]])
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("A", a)], [fm.Cost("B", [b])])
    for method in ("random", "lhs"):
        sim = fm.simulate(case, 50_000, seed=1, method=method)
        rho = stats.spearmanr(sim.samples("run_rate"), sim.samples("total_cost")).statistic
        assert rho == pytest.approx(-0.5, abs=0.02)


def test_scenario_overrides_by_object_name_and_line():
    qw = fm.Range(8, 17, name="QW")
    ov = fm.Triangular(1.0, 1.0, 1.6, name="overrun")
    case = fm.CostBenefitCase("c", Y3, [fm.Benefit("Quick wins", qw), fm.Benefit("Other", fm.Range(1, 2))],
                              [fm.Cost("IT", [3 * ov, 1 * ov, 0])])
    assert fm.evaluate(case, fm.Scenario("a", {qw: 10})).run_rate == pytest.approx(11.5)
    assert fm.evaluate(case, fm.Scenario("a", {"QW": "high"})).run_rate == pytest.approx(18.5)
    assert fm.evaluate(case, fm.Scenario("a", {"Quick wins": 5})).run_rate == pytest.approx(6.5)
    # worst: benefits low (8 + 1), overrun high (x 1.6)
    assert fm.evaluate(case, "worst").value("net").tolist() == pytest.approx([9 - 4.8, 9 - 1.6, 9])
    sim = fm.simulate(case, 500, seed=1, scenario=fm.Scenario("s", {"QW": 10, "IT": [3, 1, 0]}))
    assert np.all(sim.samples("cost") == np.array([3.0, 1.0, 0.0]))
    assert sim.samples("run_rate").min() >= 11 and sim.samples("run_rate").max() <= 12
    with pytest.raises(fm.ScenarioError, match="names both a line and an input"):
        x = fm.Range(1, 2, name="X")
        fm.evaluate(fm.CostBenefitCase("c", Y3, [fm.Benefit("X", x)]), fm.Scenario("s", {"X": 1}))
    with pytest.raises(fm.ScenarioError, match="2 inputs are called 'X'"):
        two = [fm.Benefit("A", fm.Range(1, 2, name="X")), fm.Benefit("B", fm.Range(3, 4, name="X"))]
        fm.evaluate(fm.CostBenefitCase("c", Y3, two), fm.Scenario("s", {"X": 1}))


def test_callers_data_is_copied():
    amounts = np.array([1.0, 2.0, 3.0])
    line = fm.Pressure("P", amounts)
    amounts[0] = 100
    assert line.amount == (1.0, 2.0, 3.0)
    increments = [2, 13]
    profile = fm.Profile.increments(increments)
    increments[0] = 100
    assert profile.received(2).tolist() == pytest.approx([2 / 15, 1])
    matrix = np.array([[1, 0.5], [0.5, 1]])
    a, _ = fm.correlate([fm.Uniform(0, 1), fm.Uniform(0, 1)], matrix)
    matrix[0, 1] = matrix[1, 0] = -0.9
    assert a.group.spearman[0, 1] == 0.5


def test_dump_load_round_trip_of_a_rich_model():
    g = fm.Range(0.02, 0.04, name="growth")
    a, b = fm.correlate([fm.Uniform(0, 1, name="ua"), fm.Beta(9, 1, name="del")], [[1, 0.6], [0.6, 1]])
    y = fm.Timeline("2024/25", 4)
    plan = fm.MTFP("bf", y, [
        fm.Pressure("Demography", [100 * g] * 4, category="Adults"),
        fm.Saving("Demand mgmt", 50 * g, fm.Profile.increments([1, 2]).delay(fm.Chance(0.2)),
                  delivery=b, delay=fm.Chance(0.3), owner="DCS"),
        fm.Saving("One-off", [1, 0, 0, 0], recurring=False),
        fm.Funding("CT", [60, 62, 64, 66], basis="level"),
        fm.Reserves("Res", [a, 0, 0, 0]),
        fm.Reprofile("Rep", [1, -1, 0, 0]),
    ], base_budget=60, units="£k")
    back = fm.loads(fm.dumps(plan)).model
    for case in ("low", "central", "high"):
        for view in ("incremental", "cumulative"):
            x = fm.evaluate(plan, case).table(basis=view)
            z = fm.evaluate(back, case).table(basis=view)
            assert list(x.index) == list(z.index)
            np.testing.assert_allclose(x.fillna(0).to_numpy(), z.fillna(0).to_numpy())
    s1 = fm.simulate(plan, 2_000, seed=2).samples("cumulative_gap")
    s2 = fm.simulate(back, 2_000, seed=2).samples("cumulative_gap")
    np.testing.assert_array_equal(s1, s2)
