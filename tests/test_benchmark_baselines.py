"""The numpy baselines of benchmarks/ compute what the finmodel calls they time compute.

Exact where the baseline claims exactness (its quantiles are numpy's, bit for bit; the
README case's cumulative net is finmodel's in the low, central and high cases; model 2's
central table is finmodel's), and within Monte Carlo error against a finmodel simulation
of the same model otherwise (different random streams, so the tolerances are several
standard errors of the estimates at these sizes).
"""

import numpy as np
import pytest
from scipy import stats

import finmodel as fm
from benchmarks import impl_numpy as nb
from benchmarks import models as m
from benchmarks.impl_finmodel import build_model1, build_model2, build_readme_case
from finmodel.core.distributions import triangular_ppf

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
    assert nb._slips(np.random.default_rng(2), 1.0, out).all()
    assert not nb._slips(np.random.default_rng(2), 0.0, out).any()


def test_triangular_sampler_is_the_inverse_cdf_for_any_mode():
    u = np.linspace(0.0, 1.0, 1_001)
    low, mode, high = (
        np.array([1.0, 2.0, 0.0, 5.0]),
        np.array([1.0, 3.0, 4.0, 5.0]),
        np.array([3.0, 6.0, 4.0, 5.0]),
    )
    ours = nb._triangular(np.tile(u, (4, 1)), low[:, None], mode[:, None], high[:, None])
    for row, lo, mo, hi in zip(ours, low, mode, high, strict=True):
        np.testing.assert_allclose(row, triangular_ppf(u, lo, mo, hi), rtol=1e-15, atol=1e-15)
    # every mode at the low end: the one-branch form, u standing for 1 - u
    fast = nb._triangular(np.tile(u, (2, 1)), low[:2, None], low[:2, None], high[:2, None])
    for row, lo, hi in zip(fast, low[:2], high[:2], strict=True):
        np.testing.assert_allclose(row, triangular_ppf(1.0 - u, lo, lo, hi), rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize(("a", "b"), [(9.0, 1.0), (1.0, 4.0), (2.5, 3.5)])
def test_beta_sampler_has_the_beta_distribution(a, b):
    draws = nb._beta(np.random.default_rng(6), np.random.default_rng(7).random(200_000), a, b)
    # Kolmogorov-Smirnov distance; 0.006 is about 2.7 / sqrt(200,000), p < 1e-5 by chance
    assert stats.kstest(draws, stats.beta(a, b).cdf).statistic < 0.006


@pytest.mark.parametrize(("scenario", "run_rate"), [("low", 33.0), ("central", 45.5), ("high", 58.0)])
def test_readme_cumulative_net_is_finmodels(scenario, run_rate):
    cum = fm.evaluate(build_readme_case(), scenario).samples("cumulative_net")[0]
    np.testing.assert_allclose(run_rate * m.README_CUM_SHARE - m.README_CUM_COST, cum, rtol=1e-14)


def test_readme_quantiles_are_numpys_of_each_years_cumulative_net_bit_for_bit():
    cum = np.empty((len(m.README_CUM_COST), 30_001))
    for start, stop, rows in nb.readme_cumulative_net(30_001, seed=5):
        cum[:, start:stop] = rows
    ours = nb.readme_statistics(30_001, 5, Q)
    assert np.array_equal(ours["cum_q"], np.quantile(cum, Q, axis=1))
    assert ours["p_breakeven"] == np.count_nonzero(cum[1] >= 0) / 30_001


def test_readme_statistics_agree_with_a_finmodel_simulation():
    sim = fm.simulate(build_readme_case(), n=20_000, seed=3)
    ours = nb.readme_statistics(200_000, 4)
    np.testing.assert_allclose(
        ours["cum_q"], sim.quantiles("cumulative_net", Q).to_numpy(), rtol=0.01, atol=0.02
    )
    # 1 in both: R >= 33, so the cumulative net of 2019/20 is at least 33 * 17/33 - 11 = 6
    assert ours["p_breakeven"] == sim.probability("cumulative_net", ">=", 0, year="2019/20") == 1.0


def test_readme_statistics_agree_with_finmodel_when_the_central_moves():
    ranges = ((21.0, 24.0, 33.0), (8.0, 15.0, 17.0), (4.0, 6.0, 8.0))  # two PERTs no longer Beta(3, 3)
    years = fm.Timeline(m.M1_YEARS[0], len(m.README_INCREMENTS))
    phasing = fm.Profile.increments(list(m.README_INCREMENTS))
    benefits = [
        fm.Benefit(f"B{i}", fm.Range(lo, hi, central=c), phasing) for i, (lo, c, hi) in enumerate(ranges)
    ]
    case = fm.CostBenefitCase("moved", years, benefits, [fm.Cost("Implementation", m.README_COSTS.tolist())])
    sim = fm.simulate(case, n=20_000, seed=3)
    ours = nb.readme_statistics(200_000, 4, ranges=ranges)
    np.testing.assert_allclose(
        ours["cum_q"], sim.quantiles("cumulative_net", Q).to_numpy(), rtol=0.01, atol=0.02
    )
    assert not np.allclose(ours["cum_q"], nb.readme_statistics(200_000, 4)["cum_q"], rtol=0.01)


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


def test_model2_gap_agrees_with_finmodel_in_a_year_where_slips_count():
    plan = build_model2()
    sim = fm.simulate(plan, n=5_000, seed=3)
    found = sim.quantiles("cumulative_gap", Q, year=plan.timeline.labels[1]).to_numpy()
    assert np.any(m.M2_SHARE_SLIPPED[:, 1] != m.M2_SHARE[:, 1])
    np.testing.assert_allclose(nb.model2_gap_quantiles(100_000, 4, 1), found, atol=0.6)


def test_model2_central_table_is_finmodels():
    table = fm.evaluate(build_model2(), "central").table()
    ours = nb.model2_central_table(list(table.index), table.columns)
    assert ours.index.equals(table.index) and ours.columns.equals(table.columns)
    np.testing.assert_allclose(ours.to_numpy(), table.to_numpy(), rtol=1e-12, atol=1e-12)
