"""The numpy baselines of benchmarks/ compute what the finmodel calls they time compute.

Exact where the baseline claims exactness (its quantiles are numpy's, bit for bit; the
README case's cumulative net is finmodel's in the low, central and high cases; model 2's
central table is finmodel's), and within Monte Carlo error against a finmodel simulation
of the same model otherwise (different random streams, so the tolerances are several
standard errors of the estimates at these sizes).
"""

import numpy as np
import pytest

import finmodel as fm
from benchmarks import impl_numpy as nb
from benchmarks import models as m
from benchmarks.impl_finmodel import build_model1, build_model2, build_readme_case

Q = [0.1, 0.5, 0.9]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 11, 1_000, 54_321])
@pytest.mark.parametrize("q", [Q, [0.0, 1.0], [0.9, 0.25, 0.333, 0.999], [0.5]])
def test_quantiles_are_numpys_bit_for_bit(n, q):
    rng = np.random.default_rng(n)
    for x in (rng.normal(size=n), rng.integers(0, 3, size=n).astype(float)):
        assert np.array_equal(nb.quantiles(x.copy(), q), np.quantile(x, q))


def test_median_of_five_is_the_median():
    u = np.random.default_rng(1).random((5, 1_000))
    out, tmp = np.empty(1_000), np.empty((2, 1_000))
    assert np.array_equal(nb._median_of_five(u.copy(), out, tmp), np.median(u, axis=0))


def test_slips_happen_with_their_probability():
    out = np.empty((4, 250_000), dtype=bool)
    share = nb._slips(np.random.default_rng(2), 0.3, out).mean()
    assert abs(share - 0.3) < 0.003  # 6.5 standard errors of a share of 1,000,000 draws


@pytest.mark.parametrize(("scenario", "run_rate"), [("low", 33.0), ("central", 45.5), ("high", 58.0)])
def test_readme_cumulative_net_is_finmodels(scenario, run_rate):
    cum = fm.evaluate(build_readme_case(), scenario).samples("cumulative_net")[0]
    np.testing.assert_allclose(run_rate * m.README_CUM_SHARE - m.README_CUM_COST, cum, rtol=1e-14)


def test_readme_quantiles_by_monotone_map_are_numpys_bit_for_bit():
    total = np.empty(30_001)
    for _ in nb.readme_run_rates(total, seed=5):
        pass
    cum = total[:, None] * m.README_CUM_SHARE - m.README_CUM_COST
    assert np.array_equal(nb.readme_statistics(30_001, 5, Q)["cum_q"], np.quantile(cum, Q, axis=0))


def test_readme_statistics_agree_with_a_finmodel_simulation():
    sim = fm.simulate(build_readme_case(), n=20_000, seed=3)
    ours = nb.readme_statistics(200_000, 4)
    np.testing.assert_allclose(
        ours["cum_q"], sim.quantiles("cumulative_net", Q).to_numpy(), rtol=0.01, atol=0.02
    )
    # 1 in both: R >= 33, so the cumulative net of 2019/20 is at least 33 * 17/33 - 11 = 6
    assert ours["p_breakeven"] == sim.probability("cumulative_net", ">=", 0, year="2019/20") == 1.0


def test_model1_statistics_agree_with_a_finmodel_simulation():
    sim = fm.simulate(build_model1(), n=20_000, seed=3)
    ours = nb.model1_statistics(200_000, 4)
    np.testing.assert_allclose(ours["net_q"], sim.quantiles("net", Q).to_numpy(), atol=0.6)
    np.testing.assert_allclose(ours["npv_q"], sim.quantiles("npv", Q).to_numpy(), atol=0.6)
    p = sim.probability("cumulative_net", ">=", 0, year="2019/20")
    assert abs(ours["p_breakeven"] - p) < 0.02


def test_harness_summary_uses_the_same_draws_as_the_statistics():
    summary, stats = nb.run_model1(50_000, 9), nb.model1_statistics(50_000, 9, nb.Q)
    assert np.array_equal(summary["net_q"], stats["net_q"])
    assert np.array_equal(summary["npv_q"], stats["npv_q"])
    assert summary["p_cum_ge0_1920"] == stats["p_breakeven"]
    assert np.all(np.diff(summary["p_payback_by_year"]) >= 0)


def test_model2_final_gap_agrees_with_a_finmodel_simulation():
    plan = build_model2()
    sim = fm.simulate(plan, n=5_000, seed=3)
    found = sim.quantiles("cumulative_gap", Q, year=plan.timeline.labels[-1]).to_numpy()
    np.testing.assert_allclose(nb.model2_final_gap_quantiles(100_000, 4), found, atol=0.6)


def test_model2_central_table_is_finmodels():
    table = fm.evaluate(build_model2(), "central").table()
    ours = nb.model2_central_table(list(table.index), table.columns)
    assert ours.index.equals(table.index) and ours.columns.equals(table.columns)
    np.testing.assert_allclose(ours.to_numpy(), table.to_numpy(), rtol=1e-12, atol=1e-12)
