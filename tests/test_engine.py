"""The engine's promises: one kernel, lazy results that equal eager ones, chunk invariance.

* A total is bit-identical to the sum of its rows: every row and total goes through
  one kernel (``finmodel.model.flows``), and a total adds its rows in the order printed.
* ``samples("npv")`` and ``npv()`` are one function and agree bit for bit.
* A metric, table row or input draw computed on first use is bit-identical to the same
  thing computed at once; the same seed gives the same answers whatever the chunk size.
* Payback reads the same from ``evaluate``, ``samples`` and ``quantiles``.
* The API says what it does: MTFP results offer no case metrics; ``simulate`` refuses a
  case name as a scenario and says what to do instead.
"""

from __future__ import annotations

import functools
import operator

import numpy as np
import pytest

import finmodel as fm
from finmodel.model.flows import Flow, Term, evaluate_flows, line_values
from finmodel.model.metrics import derived

YEARS = fm.Timeline("2018/19", 4)
PHASING = fm.Profile.increments([2, 13, 13, 5])  # 002_90ddc037a457842c.txt:1628


def occ_case() -> fm.CostBenefitCase:
    """The OCC case for change, 002_90ddc037a457842c.txt lines 1551-1557 and 1607-1640."""
    return fm.CostBenefitCase(
        "OCC case for change",
        YEARS,
        benefits=[
            fm.Benefit("Operating model transformation", fm.Range(21, 33, name="operating model"), PHASING),
            fm.Benefit("Quick wins", fm.Range(8, 17, name="quick wins"), PHASING, delay=fm.Chance(0.3)),
            fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), PHASING, delivery=fm.Beta(9, 1)),
            fm.Benefit("Commercialisation", fm.Range(4, 8), fm.Profile.cumulative([0, 0.5, 1]), recurring=False),
        ],
        costs=[
            fm.Cost("Technology", [2, 2, 1.5, 0.5]),
            fm.Cost("Licences", fm.Triangular(0.2, 0.3, 0.6), recurring=True),
        ],
        discount_rate=0.035,
    )


def mixed_plan(at_risk: bool = True) -> fm.MTFP:
    lines: list[fm.Line] = [
        fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5], category="corporate"),
        fm.Pressure("Demography", fm.Range(15, 21), fm.Profile.cumulative([0.4, 0.7, 0.9, 1.0])),
        fm.Pressure("Inflation", [3.1, 3.3, 3.4, 3.5], owner="finance", category="corporate"),
        fm.Saving("Efficiencies", [12.4, 0.0, 4.9, 0.5]),
        fm.Reprofile("Transformation Savings Re-profiled", [15.0, -8.5, -3.5, -3.0]),
        fm.Funding("Council tax", [3.1, 3.3, 3.4, 3.6]),
        fm.Reserves("General balances", [2.0, 0.0, 1.0, 0.0]),
    ]
    if at_risk:
        lines.insert(4, fm.Saving("ASC-03", fm.Range(1.0, 1.6), delivery=fm.Beta(9, 1), delay=fm.Chance(0.3)))
    return fm.MTFP("A plan", YEARS, lines)


def fold(rows: list[np.ndarray]) -> np.ndarray:
    """The rows added top to bottom, as the table prints them."""
    return functools.reduce(operator.add, rows)


def row_values(frame, labels) -> list[np.ndarray]:
    years = list(YEARS.labels)
    return [frame.loc[label, years].to_numpy(dtype=float) for label in labels]


# -- one kernel: totals are the sums of their rows -------------------------------------------------
@pytest.mark.parametrize("scenario", ["low", "central", "high"])
def test_case_totals_are_the_sums_of_their_rows_bit_for_bit(scenario):
    case = occ_case()
    for basis in case.bases:
        table = fm.evaluate(case, scenario).table(basis, by="line")
        benefits = row_values(table, [b.name for b in case.benefits])
        costs = row_values(table, [c.name for c in case.costs])
        total_benefit, total_cost, net = row_values(table, ["Annual benefit", "Annual cost", "Annual net benefit"])
        assert (fold(benefits) == total_benefit).all()
        assert (fold(costs) == total_cost).all()
        assert (total_benefit + total_cost == net).all()


@pytest.mark.parametrize("basis", ["incremental", "cumulative"])
def test_mtfp_totals_are_the_sums_of_their_rows_bit_for_bit(basis):
    plan = mixed_plan(at_risk=False)
    table = fm.evaluate(plan, "high").table(basis)
    lines = row_values(table, [li.name for li in plan.lines])
    total = "Net Pressure / (Saving)" if basis == "incremental" else "Cumulative budget gap"
    (printed,) = row_values(table, [total])
    assert (fold(lines) == printed).all()


@pytest.mark.parametrize("basis", ["incremental", "cumulative"])
def test_savings_at_risk_print_as_planned_with_the_shortfall_and_still_add_up(basis):
    plan = mixed_plan(at_risk=True)
    table = fm.evaluate(plan, "central").table(basis)
    labels = [li.name for li in plan.lines] + ["Savings not delivered"]
    total = "Net Pressure / (Saving)" if basis == "incremental" else "Cumulative budget gap"
    (printed,) = row_values(table, [total])
    assert (fold(row_values(table, labels)) == printed).all()
    # the saving's own row is its plan: 1.3 a year from 2018/19, before delivery and slippage
    (asc,) = row_values(table, ["ASC-03"])
    expected = [-1.3, 0, 0, 0] if basis == "incremental" else [-1.3] * 4
    assert asc == pytest.approx(expected)


def test_per_trial_totals_are_the_sums_of_the_kernel_rows_bit_for_bit():
    plan = mixed_plan(at_risk=True)
    sim = fm.simulate(plan, n=3_000, seed=11, chunk_size=700)
    inputs = sim.inputs()
    values = {leaf: inputs[col].to_numpy() for leaf, col in zip(plan.leaves(), inputs.columns, strict=True)}
    rows = plan.rows("incremental")
    flows = [row.source for row in rows if isinstance(row.source, Flow)]
    *shown, total = flows  # the rows printed, then the total row (savings at risk print as planned)
    found = evaluate_flows(plan.lines, flows, values, 4)
    assert (fold([found[f] for f in shown]) == found[total]).all()
    # each line's row is the kernel's value for that line alone
    saving = plan.line("ASC-03")
    alone = line_values(saving, values, 4, "change", "planned")
    assert (found[shown[4]] == -alone).all()
    # the net pressure is every line's effect (a saving at risk as achieved), in line order
    effects = [-li.direction * np.broadcast_to(line_values(li, values, 4, "change"), (4, 3_000)) for li in plan.lines]
    assert (fold(effects) == sim.samples("net_pressure").T).all()
    assert np.allclose(found[total], sim.samples("net_pressure").T, rtol=1e-12, atol=1e-12)


def test_a_sweep_that_writes_lines_into_finished_arrays_adds_up_as_lines_alone():
    # evaluate_flows writes each line into the arrays of lines it has finished with; a
    # total over many slipping lines must still be every line's own value, added in order
    years, n = 6, 2_000
    timeline = fm.Timeline("2024/25", years)
    lines = [
        fm.Saving(
            f"S{i}",
            fm.Triangular(1.0 + i, 1.0 + i, 3.0 + i),
            fm.Profile.cumulative([min(1.0, (t + 1) / (1 + i % 4)) for t in range(years)]),
            delivery=fm.Beta(8, 2),
            delay=fm.Chance(0.3),
        )
        for i in range(12)
    ]
    plan = fm.MTFP("Slipping savings", timeline, lines)
    values = {leaf: leaf.ppf(np.random.default_rng(i).random(n)) for i, leaf in enumerate(plan.leaves())}
    level = Flow(tuple(Term(line, "level") for line in lines))
    change = Flow(tuple(Term(line, "change", sign=-1.0) for line in lines))
    found = evaluate_flows(lines, [level, change], values, years)
    alone = [line_values(line, values, years) for line in lines]
    assert (found[level] == fold(alone)).all()
    assert (found[change] == fold([-np.diff(a, axis=0, prepend=0.0) for a in alone])).all()


def test_a_chunks_values_are_reused_only_when_nothing_holds_them():
    from finmodel.engine.sampling import Draws

    x, y = fm.Range(0, 1, dist="uniform"), fm.Range(0, 1, dist="uniform")
    draws = Draws.plan([x, y], n=20, seed=1)
    first = draws.values(0, 10)
    held = first[x]
    kept = held.copy()
    first[y]
    draws.recycle(first)
    assert len(draws._spare) == 1  # y's array, which nothing holds; not x's
    second = draws.values(10, 20)
    second[x], second[y]
    assert (held == kept).all()
    fresh = Draws.plan([x, y], n=20, seed=1).values(10, 20)
    assert (second[x] == fresh[x]).all() and (second[y] == fresh[y]).all()


def test_inputs_a_sweep_has_finished_with_take_later_draws_only_when_nothing_holds_them():
    from finmodel.engine.sampling import Draws

    x, y, z = (fm.Range(0, 1, dist="uniform") for _ in range(3))
    draws = Draws.plan([x, y, z], n=20, seed=1)
    values = draws.values(0, 10, keep=[z])
    held = values[x]
    kept = held.copy()
    values[y], values[z]
    values.release([x, y, z])  # x is held here, z is kept for the pass's caller
    assert len(draws._spare) == 1  # y's array alone
    assert values[z] is not None and z in values._done
    again = values[x]  # drawn again: the same numbers
    assert np.array_equal(again, kept)
    later = draws.values(10, 20)
    later[x], later[y]
    assert np.array_equal(held, kept)  # nothing wrote into the array still held
    fresh = Draws.plan([x, y, z], n=20, seed=1).values(10, 20)
    assert np.array_equal(later[y], fresh[y])


def test_a_sweep_releases_an_input_after_the_last_line_that_uses_it():
    # the first and last savings share their run rate: it must stay drawn until the last
    shared = fm.Triangular(1.0, 1.5, 3.0)
    years = fm.Timeline("2024/25", 4)
    lines = [fm.Saving("A", shared, fm.Profile.cumulative([0.5, 1.0]), delay=fm.Chance(0.3))]
    lines += [fm.Saving(f"S{i}", fm.Range(1.0, 2.0), fm.Profile.cumulative([0.5, 1.0])) for i in range(3)]
    lines.append(fm.Saving("Z", shared, fm.Profile.cumulative([0.25, 1.0]), delivery=fm.Beta(8, 2)))
    plan = fm.MTFP("Shared", years, lines)
    from finmodel.engine.sampling import Draws

    draws = Draws.plan(plan.leaves(), n=500, seed=3)
    values = draws.values(0, 500)
    released: list[list] = []
    release = values.release

    def spy(leaves):
        released.append(list(leaves))
        release(leaves)

    values.release = spy  # type: ignore[method-assign]
    flow = plan.flow("cumulative_gap")
    found = evaluate_flows(plan.lines, [flow], values, 4)[flow]
    when = {id(leaf): i for i, group in enumerate(released) for leaf in group}
    assert when[id(shared)] == len(released) - 1  # with the last line's inputs
    plain = {leaf: Draws.plan(plan.leaves(), n=500, seed=3).values(0, 500)[leaf] for leaf in plan.leaves()}
    assert np.array_equal(found, evaluate_flows(plan.lines, [flow], plain, 4)[flow])


def test_case_per_trial_totals_are_the_sums_of_the_lines():
    case = occ_case()
    sim = fm.simulate(case, n=2_000, seed=5)
    inputs = sim.inputs()
    values = {leaf: inputs[col].to_numpy() for leaf, col in zip(case.leaves(), inputs.columns, strict=True)}
    benefit = fold([np.broadcast_to(line_values(b, values, 4), (4, 2_000)) for b in case.benefits])
    assert (benefit.T == sim.samples("benefit")).all()


# -- one NPV ---------------------------------------------------------------------------------------
def test_npv_is_one_function():
    case = occ_case()
    sim = fm.simulate(case, n=5_000, seed=2)
    assert (sim.npv() == sim.samples("npv")).all()
    assert (fm.npv(sim.samples("net"), 0.035) == sim.samples("npv")).all()
    low = fm.evaluate(case, "low")
    assert low.npv() == float(low.samples("npv")[0]) == float(fm.npv(low.samples("net"), 0.035)[0])


# -- lazy and eager --------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [occ_case, mixed_plan], ids=["case", "mtfp"])
def test_lazy_results_are_bit_identical_to_eager_ones(make):
    model = make()
    eager = fm.simulate(model, n=4_000, seed=9, metrics=list(model.available))
    lazy = fm.simulate(model, n=4_000, seed=9)
    for metric in reversed(model.available):  # asked for in another order, one at a time
        a, b = eager.samples(metric), lazy.samples(metric)
        assert np.array_equal(np.asarray(a), np.asarray(b)), metric
    for basis in model.bases:
        assert eager.table(basis).equals(lazy.table(basis))
    assert eager.inputs().equals(lazy.inputs())


def test_one_year_of_a_to_date_metric_is_that_year_of_the_whole():
    # a metric flagged to_date derives one year from the years up to it; that must be the
    # same numbers as deriving every year and taking the one, for every flagged metric
    model = occ_case()
    flagged = [m.name for m in model.metrics.values() if m.to_date and m.name in model.available]
    assert flagged  # net and cumulative net for a case
    for name in flagged:
        whole = fm.simulate(model, n=3_000, seed=5).samples(name)
        for index in range(model.timeline.length):
            alone = fm.simulate(model, n=3_000, seed=5)._store.row(name, index)
            assert np.array_equal(alone, whole[:, index]), (name, index)


def test_a_metric_asked_for_later_uses_the_same_draws():
    case = occ_case()
    sim = fm.simulate(case, n=3_000, seed=4)
    net = sim.samples("net")  # computed at once
    later = sim.samples("cumulative_net_incremental")  # a pass of its own, later
    again = fm.simulate(case, n=3_000, seed=4, metrics=["cumulative_net_incremental"])
    assert np.array_equal(later, again.samples("cumulative_net_incremental"))
    assert np.array_equal(net, again.samples("net"))


# -- chunk invariance ------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["random", "lhs"])
def test_the_same_seed_gives_the_same_answers_for_any_chunk_size(method):
    case = occ_case()
    runs = [fm.simulate(case, n=10_001, seed=3, method=method, chunk_size=size) for size in (10_001, 4_096, 999)]
    one_by_one = fm.simulate(case, n=300, seed=3, method=method, chunk_size=1)
    at_once = fm.simulate(case, n=300, seed=3, method=method)
    assert np.array_equal(one_by_one.samples("npv"), at_once.samples("npv"))
    assert one_by_one.table().equals(at_once.table())
    first = runs[0]
    for other in runs[1:]:
        for metric in ("net", "npv", "run_rate", "cumulative_net_incremental"):
            assert np.array_equal(first.samples(metric), other.samples(metric)), metric
        assert first.table().equals(other.table())  # means summed in fixed blocks
        assert first.table("incremental", by="line").equals(other.table("incremental", by="line"))
        assert first.summary().equals(other.summary())


def test_table_means_equal_the_means_of_the_samples():
    case = occ_case()
    sim = fm.simulate(case, n=9_000, seed=8, chunk_size=1_000)
    table = sim.table()
    assert table.loc["Annual net benefit", list(YEARS.labels)].tolist() == sim.mean("net").tolist()


# -- one representation of payback -----------------------------------------------------------------
def test_payback_is_a_year_label_everywhere():
    case = occ_case()
    assert fm.evaluate(case, "low").payback_year == "2019/20"
    late = fm.CostBenefitCase("late", YEARS, [fm.Benefit("b", 1)], [fm.Cost("k", [9, 0, 0, 0])])
    assert fm.evaluate(late).payback_year == fm.NOT_WITHIN
    sim = fm.simulate(case, n=2_000, seed=1)
    labels = set(sim.samples("payback_year").tolist())
    assert labels <= {*YEARS.labels, fm.NOT_WITHIN}
    assert set(sim.quantiles("payback_year", [0.1, 0.5, 0.9]).tolist()) <= labels
    assert sim.probability("payback_year", "<=", "2019/20") == pytest.approx(
        np.mean([label in ("2018/19", "2019/20") for label in sim.samples("payback_year").tolist()])
    )
    never = fm.simulate(late, n=100, seed=1)
    assert set(never.samples("payback_year").tolist()) == {fm.NOT_WITHIN}
    assert never.probability("payback_year", "==", fm.NOT_WITHIN) == 1.0


# -- the API says what it does ---------------------------------------------------------------------
def test_mtfp_results_offer_no_case_metrics():
    result = fm.evaluate(mixed_plan())
    for name in ("run_rate", "payback_year", "npv", "roi"):
        assert not hasattr(result, name)
    with pytest.raises(fm.FinmodelError, match="no metric 'npv'"):
        result.samples("npv")


def test_simulate_refuses_a_case_name_and_says_what_to_do():
    with pytest.raises(fm.FinmodelError, match=r"use fm.evaluate\(model, 'low'\).*fm.Scenario"):
        fm.simulate(occ_case(), n=100, seed=1, scenario="low")


def test_a_scenario_that_fixes_an_input_leaves_the_other_draws_alone():
    case = occ_case()
    base = fm.simulate(case, n=2_000, seed=6)
    plan_b = fm.simulate(case, n=2_000, seed=6, scenario=fm.Scenario("plan B", {"operating model": 25}))
    unchanged = [c for c in base.inputs().columns if c != "operating model"]
    assert base.inputs()[unchanged].equals(plan_b.inputs()[unchanged])
    assert (plan_b.inputs()["operating model"] == 25).all()


def test_input_draws_are_available_by_name():
    case = occ_case()
    sim = fm.simulate(case, n=1_000, seed=2)
    quick_wins = sim.samples("quick wins")
    assert quick_wins.shape == (1_000,) and 8 <= quick_wins.min() and quick_wins.max() <= 17
    assert np.array_equal(sim.inputs()["quick wins"].to_numpy(), quick_wins)


# -- metrics next to their code --------------------------------------------------------------------
def test_a_new_metric_is_one_method():
    class Appraised(fm.CostBenefitCase):
        @derived("net_in_year_two", needs=("net",), per_year=False, description="net in the second year")
        def _net_in_year_two(self, net: np.ndarray) -> np.ndarray:
            return net[1].copy()

    case = Appraised("c", YEARS, [fm.Benefit("b", fm.Range(4, 8))], [fm.Cost("k", [5, 1, 0, 0])])
    sim = fm.simulate(case, n=1_000, seed=1)
    assert "net_in_year_two" in sim.metrics
    assert np.array_equal(sim.samples("net_in_year_two"), sim.samples("net")[:, 1])
    assert sim.describe_metrics().loc["net_in_year_two", "description"] == "net in the second year"
    assert "net_in_year_two" not in fm.CostBenefitCase.metrics


def test_every_metric_is_described():
    for model in (occ_case(), mixed_plan()):
        described = fm.evaluate(model).describe_metrics()
        assert list(described.index) == list(model.available)
        assert described["description"].str.len().min() > 10


# -- caching: an immutable model and a result compute their tables once ----------------------------
def test_a_result_computes_a_table_once():
    plan = mixed_plan()
    result = fm.evaluate(plan)
    first = result.table()
    store = result._store
    kept = dict(store.means)
    assert result.table().equals(first)
    assert store.means.keys() == kept.keys() and all(store.means[k] is kept[k] for k in kept)


# -- structure, not strings: a line kind is one class ----------------------------------------------
def test_line_kinds_declare_how_they_present_and_how_files_spell_them():
    from pathlib import Path

    from finmodel.io.layout import LINES, SECTION_OF

    kinds = fm.Line.kinds()
    assert [k.__name__ for k in fm.Line.kinds("MTFP")] == [
        "Investment", "Pressure", "Saving", "Reprofile", "Funding", "Reserves",
    ]
    assert {k.section: k for k in kinds} == {section: spec[0] for section, spec in LINES.items()}
    assert SECTION_OF == {k: k.section for k in kinds}
    for kind in fm.Line.kinds("MTFP"):  # each kind's subtotal is a metric, named by the class
        assert kind.metric in fm.MTFP.metrics
    # nothing dispatches on a line kind's name
    import re

    names = "|".join(k.__name__ for k in kinds)
    by_name = re.compile(rf"kind\s*(==|!=|in)\s*[(\[]?\s*[\"']({names})[\"']")
    package = Path(fm.__file__).parent
    for path in package.rglob("*.py"):
        assert not by_name.search(path.read_text(encoding="utf-8")), path
