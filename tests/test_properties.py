"""Properties that must hold for any plan or case, checked with hypothesis.

Parts add up to totals; incremental and cumulative views are running totals and first
differences of each other; draws stay inside their bounds; the low and high cases
bracket the simulation; results do not depend on the chunk size; a shared amount is one
quantity; NPV is linear; widening an input never narrows the result; Latin hypercube
sampling hits every stratum once; the worst and best cases bracket every simulated gap
of a monotone plan; an expression's leaves, bounds and signs agree with their recursive
definitions; deep and long expressions survive dump and load.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import finmodel as fm

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ATOL = 1e-9

money = st.integers(-5_000, 5_000).map(lambda pence: pence / 100)  # £m to the penny
positive = st.integers(0, 5_000).map(lambda pence: pence / 100)


def per_year(elements: st.SearchStrategy, k: int) -> st.SearchStrategy:
    return st.lists(elements, min_size=k, max_size=k)


def years_of(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "Total"]


def values(table: pd.DataFrame, label: str) -> np.ndarray:
    return table.loc[label, years_of(table)].to_numpy(dtype=float)


# -- strategies ---------------------------------------------------------------------------------
@st.composite
def mtfps(draw, *, base_budget: bool = False, at_risk: bool | None = None) -> fm.MTFP:
    k = draw(st.integers(1, 5))
    lines: list[fm.Line] = [
        fm.Pressure("Pressures", draw(per_year(money, k))),
        fm.Investment("Investments", draw(per_year(money, k))),
        fm.Saving("Savings", draw(per_year(positive, k)), recurring=draw(st.booleans())),
        fm.Reserves("Reserves", draw(per_year(positive, k)), recurring=draw(st.booleans())),
    ]
    if k > 1:
        moves = draw(per_year(money, k - 1))
        lines.append(fm.Reprofile("Re-profiling", [*moves, -sum(moves)]))
    if base_budget:
        levels = per_year(st.integers(9_000, 11_000).map(lambda pence: pence / 100), k)
        lines.append(fm.Funding("Funding", draw(levels), basis="level"))
    else:
        lines.append(fm.Funding("Funding", draw(per_year(money, k)), basis="change"))
    if at_risk if at_risk is not None else draw(st.booleans()):
        lines.append(
            fm.Saving(
                "At risk",
                draw(per_year(positive, k)),
                recurring=draw(st.booleans()),
                delivery=draw(st.sampled_from([0.0, 0.5, 0.9, 1.0])),
                delay=draw(st.sampled_from([None, 0, 1, 2, 0.5])),
            )
        )
    return fm.MTFP("Plan", fm.Timeline("2020/21", k), lines, base_budget=100.0 if base_budget else None)


@st.composite
def ranges(draw) -> fm.Range:
    low = draw(st.integers(0, 5_000)) / 100
    width = draw(st.integers(0, 5_000)) / 100
    dist = draw(st.sampled_from(["pert", "triangular", "uniform"]))
    central = None
    if dist != "uniform" and draw(st.booleans()):
        central = low + width * draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    return fm.Range(low, low + width, central=central, dist=dist)


@st.composite
def bounded(draw) -> fm.Leaf:
    """Any input with stated ends."""
    low = draw(st.integers(-5_000, 5_000)) / 100
    width = draw(st.integers(0, 5_000)) / 100
    mode = low + width * draw(st.floats(0, 1))
    kind = draw(st.sampled_from(["range", "triangular", "pert", "uniform"]))
    if kind == "range":
        return draw(ranges())
    if kind == "triangular":
        return fm.Triangular(low, mode, low + width)
    if kind == "pert":
        return fm.PERT(low, mode, low + width)
    return fm.Uniform(low, low + width)


@st.composite
def profiles(draw, k: int) -> fm.Profile:
    steps = draw(st.lists(st.integers(0, 20), min_size=1, max_size=k).filter(lambda s: sum(s) > 0))
    return fm.Profile.increments(steps)


@st.composite
def cases(draw, *, uncertain: bool = True) -> fm.CostBenefitCase:
    """A case whose benefits are Ranges (monotone inputs), with costs per year."""
    k = draw(st.integers(1, 6))
    benefits = []
    for i in range(draw(st.integers(1, 3))):
        amount = draw(ranges()) if uncertain else draw(positive)
        # delivery with stated ends only: a Beta's low case is its 5th percentile, not its minimum
        delivery = (
            draw(st.sampled_from([None, fm.Range(0.5, 1.0), fm.Uniform(0.8, 1.0)])) if uncertain else None
        )
        delay = draw(st.sampled_from([None, 1, fm.Chance(0.3)])) if uncertain else None
        benefits.append(fm.Benefit(f"Benefit {i}", amount, draw(profiles(k)), delivery=delivery, delay=delay))
    costs = [
        fm.Cost("Implementation", draw(per_year(positive, k))),
        fm.Cost("Licence", draw(per_year(positive, k)), recurring=True),
    ]
    return fm.CostBenefitCase("Case", fm.Timeline("2018/19", k), benefits, costs)


# -- lines sum to totals ------------------------------------------------------------------------
@PROPERTY
@given(mtfps())
def test_mtfp_rows_add_up_to_the_net_and_years_to_the_total(plan):
    table = fm.evaluate(plan).table()
    labels = list(table.index)
    parts = labels[: labels.index("Net Pressure / (Saving)")]
    net = values(table, "Net Pressure / (Saving)")
    np.testing.assert_allclose(sum(values(table, label) for label in parts), net, atol=ATOL)
    np.testing.assert_allclose(np.cumsum(net), values(table, "Cumulative budget gap"), atol=ATOL)
    summed = table[table["Total"].notna()]
    np.testing.assert_allclose(summed[years_of(table)].sum(axis=1), summed["Total"], atol=ATOL)


@PROPERTY
@given(mtfps(base_budget=True))
def test_brought_forward_rows_add_up(plan):
    result = fm.evaluate(plan)
    table = result.table(basis="cumulative")
    labels = list(table.index)
    changes = labels[labels.index("Net budget brought forward") + 1 : labels.index("Spending requirement")]
    spending = values(table, "Spending requirement")
    brought = values(table, "Net budget brought forward")
    np.testing.assert_allclose(brought + sum(values(table, label) for label in changes), spending, atol=ATOL)
    np.testing.assert_allclose(brought, [100.0, *spending[:-1]], atol=ATOL)
    gap = spending - values(table, "Funding available") - values(table, "Reserves applied")
    np.testing.assert_allclose(gap, values(table, "Cumulative funding gap"), atol=ATOL)
    # the two layouts agree: annual funding gap == net pressure
    np.testing.assert_allclose(
        values(table, "Annual funding gap"), values(result.table(), "Net Pressure / (Saving)"), atol=ATOL
    )


@PROPERTY
@given(cases(uncertain=False))
def test_case_rows_add_up_to_the_net_and_years_to_the_total(case):
    result = fm.evaluate(case)
    for basis in ("in-year", "incremental"):
        table = result.table(basis=basis, by="line")
        benefits = sum(values(table, b.name) for b in case.benefits)
        costs = sum(values(table, c.name) for c in case.costs)
        np.testing.assert_allclose(benefits, values(table, "Annual benefit"), atol=ATOL)
        np.testing.assert_allclose(costs, values(table, "Annual cost"), atol=ATOL)
        np.testing.assert_allclose(
            values(table, "Annual benefit") + values(table, "Annual cost"),
            values(table, "Annual net benefit"),
            atol=ATOL,
        )
        summed = table[table["Total"].notna()]
        np.testing.assert_allclose(summed[years_of(table)].sum(axis=1), summed["Total"], atol=ATOL)


@PROPERTY
@given(cases(), st.integers(0, 2**32 - 1))
def test_simulated_tables_of_means_add_up(case, seed):
    table = fm.simulate(case, n=500, seed=seed).table()
    np.testing.assert_allclose(
        values(table, "Annual benefit") + values(table, "Annual cost"),
        values(table, "Annual net benefit"),
        atol=1e-7,
    )


# -- incremental and cumulative views ----------------------------------------------------------
@PROPERTY
@given(mtfps(at_risk=False))
def test_mtfp_cumulative_view_is_the_running_total_of_the_incremental_view(plan):
    result = fm.evaluate(plan)
    incremental, cumulative = result.table(), result.table(basis="cumulative")
    for line in plan.lines:
        np.testing.assert_allclose(
            np.cumsum(values(incremental, line.name)), values(cumulative, line.name), atol=ATOL
        )
        np.testing.assert_allclose(
            np.diff(values(cumulative, line.name), prepend=0.0), values(incremental, line.name), atol=ATOL
        )


@PROPERTY
@given(mtfps(base_budget=True))
def test_mtfp_cumulative_funding_gap_is_the_running_total_of_the_annual_gap(plan):
    table = fm.evaluate(plan).table(basis="cumulative")
    np.testing.assert_allclose(
        np.cumsum(values(table, "Annual funding gap")), values(table, "Cumulative funding gap"), atol=ATOL
    )


@PROPERTY
@given(cases(uncertain=False))
def test_case_in_year_is_the_running_total_of_incremental(case):
    result = fm.evaluate(case)
    in_year, incremental = (
        result.table(basis="in-year", by="line"),
        result.table(basis="incremental", by="line"),
    )
    for line in case.lines:
        if line.recurring:  # on-going: received each year is the running total of what was added
            np.testing.assert_allclose(
                np.cumsum(values(incremental, line.name)), values(in_year, line.name), atol=ATOL
            )
        else:  # one-off amounts count in their own year on both bases
            np.testing.assert_allclose(values(incremental, line.name), values(in_year, line.name), atol=ATOL)
    for table in (in_year, incremental):
        np.testing.assert_allclose(
            np.cumsum(values(table, "Annual net benefit")), values(table, "Cumulative net"), atol=ATOL
        )


# -- bounds -------------------------------------------------------------------------------------
def _one_hot(i: int, k: int) -> fm.Profile:
    return fm.Profile.cumulative([1.0 if j == i else 0.0 for j in range(k)])


def _draws_via_model(inputs, n, seed, method="random", chunk_size=65_536):
    """Column ``i`` of the simulated benefit is input ``i`` (its line is received in year ``i`` only)."""
    k = len(inputs)
    benefits = [fm.Benefit(f"b{i}", x, _one_hot(i, k)) for i, x in enumerate(inputs)]
    case = fm.CostBenefitCase("draws", fm.Timeline("2018/19", k), benefits)
    sim = fm.simulate(case, n=n, seed=seed, method=method, chunk_size=chunk_size, metrics=["benefit"])
    return sim.samples("benefit")


@PROPERTY
@given(
    st.lists(bounded(), min_size=1, max_size=3), st.integers(0, 2**32 - 1), st.sampled_from(["random", "lhs"])
)
def test_every_simulated_draw_of_a_bounded_amount_lies_within_low_and_high(inputs, seed, method):
    # a benefit is refused if its central case is negative, so shift those inputs up
    shifted = [x if x.cases["central"] >= 0 else x + (-x.cases["low"]) for x in inputs]
    draws = _draws_via_model(shifted, 2_000, seed, method)
    for i, x in enumerate(shifted):
        low, high = x.case("low"), x.case("high")
        assert draws[:, i].min() >= low - ATOL and draws[:, i].max() <= high + ATOL


@PROPERTY
@given(cases(), st.integers(0, 2**32 - 1), st.sampled_from(["random", "lhs"]))
def test_low_and_high_cases_bracket_every_simulated_run_rate(case, seed, method):
    low, high = fm.evaluate(case, "low").run_rate, fm.evaluate(case, "high").run_rate
    run_rate = fm.simulate(case, n=2_000, seed=seed, method=method, metrics=["run_rate"]).samples("run_rate")
    tolerance = ATOL * max(1.0, abs(high))
    assert run_rate.min() >= low - tolerance and run_rate.max() <= high + tolerance


@PROPERTY
@given(cases(), st.integers(0, 100), st.integers(0, 100))
def test_widening_an_input_never_narrows_the_run_rate_range(case, wider_below, wider_above):
    first = case.benefits[0]
    narrow = first.amount
    assert isinstance(narrow, fm.Range)
    down = min(wider_below / 10, narrow.low)  # keep the run rate a benefit: never below zero
    wide = fm.Range(narrow.low - down, narrow.high + wider_above / 10, dist=narrow.dist)
    widened = case.with_line(first.with_amount(wide))
    assert fm.evaluate(widened, "low").run_rate <= fm.evaluate(case, "low").run_rate + ATOL
    assert fm.evaluate(widened, "high").run_rate >= fm.evaluate(case, "high").run_rate - ATOL


# -- reproducibility ------------------------------------------------------------------------------
def _everything_case() -> fm.CostBenefitCase:
    """Every kind of draw: ranges, Beta delivery, Chance delay, correlated inputs, cost overrun."""
    operating, quick = fm.correlate([fm.Range(21, 33), fm.Range(8, 17)], [[1, 0.6], [0.6, 1]])
    phasing = fm.Profile.increments([2, 13, 13, 5])
    overrun = fm.Triangular(1.0, 1.0, 1.6)
    return fm.CostBenefitCase(
        "OCC",
        fm.Timeline("2018/19", 4),
        [
            fm.Benefit("Operating model", operating, phasing, delivery=fm.Beta(9, 1)),
            fm.Benefit("Quick wins", quick, phasing, delay=fm.Chance(0.3)),
            fm.Benefit("Sourcing", fm.Range(4, 8, dist="uniform"), phasing),
        ],
        [fm.Cost("Implementation", [3 * overrun, 8 * overrun, 5 * overrun, 1 * overrun])],
    )


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_same_seed_same_results_whatever_the_chunk_size(method):
    case = _everything_case()
    small = fm.simulate(case, n=2_500, seed=2018, method=method, chunk_size=1_000)
    large = fm.simulate(case, n=2_500, seed=2018, method=method, chunk_size=100_000)
    assert small.metrics == large.metrics
    for metric in small.metrics:
        np.testing.assert_array_equal(small.samples(metric), large.samples(metric), err_msg=metric)
    # the tables of means agree to rounding (they are summed chunk by chunk)
    np.testing.assert_allclose(small.table().to_numpy(), large.table().to_numpy(), rtol=1e-12, equal_nan=True)


@PROPERTY
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 3_000),
    st.sampled_from([1, 7, 1_000]),
    st.sampled_from(["random", "lhs"]),
)
def test_chunk_size_never_changes_a_draw(seed, n, chunk_size, method):
    inputs = [fm.Range(0, 1), fm.Normal(0, 1)]
    np.testing.assert_array_equal(
        _draws_via_model(inputs, n, seed, method, chunk_size=chunk_size),
        _draws_via_model(inputs, n, seed, method, chunk_size=100_000),
    )


def test_different_seeds_give_different_results():
    case = _everything_case()
    a = fm.simulate(case, n=1_000, seed=1, metrics=["npv"]).samples("npv")
    b = fm.simulate(case, n=1_000, seed=2, metrics=["npv"]).samples("npv")
    assert not np.array_equal(a, b)


# -- shared amounts --------------------------------------------------------------------------------
def test_x_minus_x_is_zero_in_every_trial():
    x = fm.Range(1, 2)
    assert ((x - x).sample(10_000, seed=1) == 0).all()
    case = fm.CostBenefitCase("shared", fm.Timeline("2018/19", 2), [fm.Benefit("x - x", x - x)])
    assert (fm.simulate(case, n=10_000, seed=1).samples("benefit") == 0).all()
    # two separately built Ranges are independent quantities
    assert ((fm.Range(1, 2) - fm.Range(1, 2)).sample(10_000, seed=1) != 0).any()


@PROPERTY
@given(ranges(), st.integers(0, 2**32 - 1))
def test_a_range_used_in_two_benefits_gives_perfectly_rank_correlated_lines(x, seed):
    if x.low == x.high:
        return  # a fixed amount has no ranks to correlate
    draws = _draws_via_model([x, 2 * x + 1], 2_000, seed)
    assert stats.spearmanr(draws[:, 0], draws[:, 1]).statistic == pytest.approx(1.0)
    np.testing.assert_allclose(draws[:, 1], 2 * draws[:, 0] + 1, rtol=1e-12)


def test_two_separate_ranges_are_not_rank_correlated():
    # the property above can fail: independent inputs give rank correlation near 0
    draws = _draws_via_model([fm.Range(21, 33), fm.Range(21, 33)], 20_000, 1)
    assert abs(stats.spearmanr(draws[:, 0], draws[:, 1]).statistic) < 0.05


# -- NPV ----------------------------------------------------------------------------------------
flows = st.lists(st.integers(-10_000, 10_000).map(lambda p: p / 100), min_size=1, max_size=60)


@PROPERTY
@given(flows, st.integers(-50, 50), st.integers(-50, 50), st.sampled_from([None, 0.0, 0.035, 0.1]), st.data())
def test_npv_is_linear_in_the_flows(f, a, b, rate, data):
    g = data.draw(per_year(st.integers(-10_000, 10_000).map(lambda p: p / 100), len(f)))
    f_, g_ = np.array(f), np.array(g)
    for first_year in ("undiscounted", "discounted"):
        combined = float(fm.npv(a * f_ + b * g_, rate, first_year))
        separate = a * float(fm.npv(f_, rate, first_year)) + b * float(fm.npv(g_, rate, first_year))
        assert combined == pytest.approx(separate, rel=1e-9, abs=1e-6)


@PROPERTY
@given(cases(uncertain=False), st.sampled_from([None, 0.035, 0.1]))
def test_case_npv_is_npv_of_benefits_less_npv_of_costs(case, rate):
    result = fm.evaluate(case)
    benefit, cost = result.value("benefit").to_numpy(), result.value("cost").to_numpy()
    assert result.npv(rate=rate) == pytest.approx(
        float(fm.npv(benefit, rate)) - float(fm.npv(cost, rate)), rel=1e-9, abs=1e-9
    )


# -- Latin hypercube --------------------------------------------------------------------------------
@PROPERTY
@given(st.integers(1, 3_000), st.integers(0, 2**32 - 1), st.sampled_from([1, 64, 1_000, 65_536]))
def test_lhs_hits_every_stratum_of_every_input_once(n, seed, chunk_size):
    # Uniform(0, 1) draws are the uniforms themselves: stratum = floor(u * n)
    u = _draws_via_model([fm.Uniform(0, 1), fm.Uniform(0, 1), fm.Uniform(0, 1)], n, seed, "lhs", chunk_size)
    for column in u.T:
        assert sorted(np.floor(column * n).astype(int).tolist()) == list(range(n))


def test_plain_monte_carlo_does_not_stratify():
    # the check above can fail: 1,000 plain draws leave some of 1,000 strata empty
    u = _draws_via_model([fm.Uniform(0, 1)], 1_000, 3, "random")[:, 0]
    assert len(set(np.floor(u * 1_000).astype(int).tolist())) < 1_000


# -- monotone MTFPs: the worst and best cases bracket every trial -------------------------------
@st.composite
def monotone_mtfps(draw) -> fm.MTFP:
    """Pressures and investments (more is worse) and savings (more is better), each a Range."""
    k = draw(st.integers(1, 5))
    lines: list[fm.Line] = []
    for i in range(draw(st.integers(1, 5))):
        cls = draw(st.sampled_from([fm.Pressure, fm.Investment, fm.Saving]))
        lines.append(cls(f"{cls.kind} {i}", draw(ranges()), draw(profiles(k)), recurring=draw(st.booleans())))
    return fm.MTFP("Plan", fm.Timeline("2020/21", k), lines)


@PROPERTY
@given(monotone_mtfps(), st.integers(0, 2**32 - 1), st.sampled_from(["random", "lhs"]))
def test_best_and_worst_cases_bracket_every_simulated_budget_gap(plan, seed, method):
    best = fm.evaluate(plan, "best").value("cumulative_gap").to_numpy()
    worst = fm.evaluate(plan, "worst").value("cumulative_gap").to_numpy()
    gaps = fm.simulate(plan, n=2_000, seed=seed, method=method).samples("cumulative_gap")
    assert (gaps >= best - 1e-9).all() and (gaps <= worst + 1e-9).all()


# -- expressions: the walks agree with their definitions -------------------------------------------
def _reference_leaves(x) -> list:
    if isinstance(x, fm.Expr):
        out = _reference_leaves(x.left)
        out += [leaf for leaf in _reference_leaves(x.right) if not any(leaf is o for o in out)]
        return out
    return [x] if isinstance(x, fm.Leaf) else []


def _reference_bounds(x) -> tuple[float, float]:
    """Interval arithmetic, by recursion (the definition the engine's loop must agree with)."""
    if not isinstance(x, fm.Amount):
        return (x, x)
    if isinstance(x, fm.Leaf):
        return x.support
    (a, b), (c, d) = _reference_bounds(x.left), _reference_bounds(x.right)
    if x.op == "+":
        return a + c, b + d
    if x.op == "-":
        return a - d, b - c
    if x.op == "/":
        if c <= 0 <= d:
            return -np.inf, np.inf
        c, d = 1 / d, 1 / c
    products = [0.0 if np.isnan(p) else p for p in (a * c, a * d, b * c, b * d)]
    return min(products), max(products)


@st.composite
def expressions(draw):
    """An expression over up to four inputs, sub-expressions used more than once."""
    pool = [draw(bounded()) for _ in range(draw(st.integers(1, 4)))] + [2.0, -0.5]
    for _ in range(draw(st.integers(1, 12))):
        a, b = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        op = draw(st.sampled_from("+-*"))
        if isinstance(a, fm.Amount) or isinstance(b, fm.Amount):
            pool.append(a + b if op == "+" else a - b if op == "-" else a * b)
    return next(x for x in reversed(pool) if isinstance(x, fm.Expr)) if any(
        isinstance(x, fm.Expr) for x in pool
    ) else pool[0] + 1.0


@PROPERTY
@given(expressions(), st.integers(0, 2**32 - 1))
def test_expression_walks_agree_with_their_definitions(e, seed):
    reference = _reference_leaves(e)
    assert len(e.leaves()) == len(reference) and all(a is b for a, b in zip(e.leaves(), reference, strict=True))
    assert e.bounds() == _reference_bounds(e)
    draws = e.sample(500, seed=seed)
    low, high = e.bounds()
    assert (draws >= low - 1e-9 * (1 + abs(low))).all() and (draws <= high + 1e-9 * (1 + abs(high))).all()
    # a sign of +1 (-1) means raising the input never lowers (raises) the expression
    rng = np.random.default_rng(seed)
    for leaf, sign in e.signs().items():
        if sign == 0 or leaf.support[0] == leaf.support[1]:
            continue
        values = {x: np.full(2, rng.uniform(*x.support)) for x in e.leaves()}
        values[leaf] = np.array(leaf.support)
        lo_value, hi_value = e.evaluate(values)
        assert sign * (hi_value - lo_value) >= -1e-9 * (1 + abs(lo_value) + abs(hi_value))


# -- dump and load: deep and long expressions come back the same ---------------------------------
@st.composite
def deep_cases(draw) -> fm.CostBenefitCase:
    """A case whose benefit is an expression hundreds of operations deep or thousands of characters long."""
    inputs = [fm.Range(1 + i, 2 + i, name=draw(st.sampled_from(["a", "b", "growth", "ＩＴ costs"])) + f" {i}")
              for i in range(draw(st.integers(1, 30)))]
    e: fm.Amount = inputs[0]
    for _ in range(draw(st.integers(65, 400))):
        x = draw(st.sampled_from(inputs))
        step = draw(st.sampled_from(["+", "*", "avg", "shared"]))
        if step == "+":
            e = e + x
        elif step == "*":
            e = e * draw(st.sampled_from([0.5, 1.0, 1.25]))
        elif step == "avg":
            e = (e + x) / 2
        else:
            e = e + e * 0.001  # the sub-expression so far, used twice
    years = fm.Timeline("2018/19", 2)
    return fm.CostBenefitCase("deep", years, [fm.Benefit("Deep", e / 1_000)], [fm.Cost("IT", [1, 0])])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(deep_cases())
def test_dump_then_load_round_trips_deep_expressions(case):
    text = fm.dumps(case)
    again = fm.loads(text).model
    assert fm.dumps(again) == text
    for scenario in ("low", "high"):
        assert fm.evaluate(again, scenario).run_rate == fm.evaluate(case, scenario).run_rate
    np.testing.assert_array_equal(
        fm.simulate(case, n=200, seed=5).samples("net"), fm.simulate(again, n=200, seed=5).samples("net")
    )
