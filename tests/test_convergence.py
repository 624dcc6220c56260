"""Standard errors that mean what they say, simulating to a tolerance, and models with nothing uncertain."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import finmodel as fm
from finmodel.engine.convergence import mean_interval, quantile_interval

RERUNS = 300
MU, SIGMA = 1.0, 0.6  # a skewed metric: LogNormal(mu, sigma)


@pytest.fixture(scope="module")
def reruns() -> list[np.ndarray]:
    """300 seeded simulations of 1,000 trials each of a log-normal run rate."""
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.LogNormal(MU, SIGMA))])
    return [np.asarray(fm.simulate(case, n=1_000, seed=seed).samples("run_rate")) for seed in range(RERUNS)]


def test_mean_intervals_cover_the_true_mean_95_percent_of_the_time(reruns: list[np.ndarray]) -> None:
    truth = np.exp(MU + SIGMA**2 / 2)
    covered = [low <= truth <= high for _, _, low, high in map(mean_interval, reruns)]
    assert np.mean(covered) == pytest.approx(0.95, abs=0.03)


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_percentile_intervals_cover_the_true_percentile_95_percent_of_the_time(
    reruns: list[np.ndarray], q: float
) -> None:
    truth = np.exp(MU + SIGMA * stats.norm.ppf(q))
    covered = [quantile_interval(x, q)[2] <= truth <= quantile_interval(x, q)[3] for x in reruns]
    assert np.mean(covered) == pytest.approx(0.95, abs=0.03)


def test_percentile_standard_error_matches_the_spread_of_reruns(reruns: list[np.ndarray]) -> None:
    estimates = [quantile_interval(x, 0.9) for x in reruns]
    spread = np.std([e[0] for e in estimates], ddof=1)
    assert np.mean([e[1] for e in estimates]) == pytest.approx(spread, rel=0.15)


def test_standard_errors_table_of_a_per_year_metric() -> None:
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Normal(10, 2))])
    sim = fm.simulate(case, n=4_000, seed=1)
    table = fm.standard_errors(sim, "benefit")
    assert table.index.names == ["year", "statistic"] and len(table) == 8
    one = fm.standard_errors(sim, "benefit", year="2019/20")
    assert one.loc["mean", "estimate"] == pytest.approx(sim.mean("benefit", year="2019/20"))
    assert one.loc["P50", "estimate"] == pytest.approx(float(sim.quantiles("benefit", [0.5], year="2019/20").iloc[0]))
    assert one.loc["mean", "standard_error"] == pytest.approx(2 / np.sqrt(4_000), rel=0.05)


def test_simulate_until_stops_when_the_mean_is_within_tolerance() -> None:
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Normal(10, 5))])
    run = fm.simulate_until(case, "run_rate", batch=500, seed=3)
    needed = (1.96 * 5 / (0.03 * 10)) ** 2  # about 1,067 trials
    assert run.met and needed <= run.simulation.n < needed + 1_000
    assert run.history["relative"].iloc[-1] <= 0.03 < run.history["relative"].iloc[-2]
    # exactly the plain simulation with that n and seed
    plain = fm.simulate(case, n=run.simulation.n, seed=3)
    assert (plain.samples("run_rate") == run.simulation.samples("run_rate")).all()
    assert run.history["mean"].iloc[-1] == pytest.approx(plain.mean("run_rate"), rel=1e-12)


def test_simulate_until_stops_at_the_cap_and_says_so() -> None:
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Normal(0.01, 5))])
    run = fm.simulate_until(case, "run_rate", batch=1_000, max_trials=3_000, seed=1)
    assert not run.met and run.simulation.n == 3_000 and len(run.history) == 3


def test_simulate_until_every_year_of_a_per_year_metric() -> None:
    plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("d", [fm.Normal(10, 1), fm.Normal(10, 30)])])
    assert fm.simulate_until(plan, "net_pressure", batch=200, seed=1, tolerance=0.05).simulation.n > 1_000
    assert fm.simulate_until(plan, "net_pressure", year="2018/19", batch=200, seed=1, tolerance=0.05).simulation.n == 200


def test_a_model_with_nothing_uncertain_says_so() -> None:
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)], [fm.Cost("k", [3, 0])])
    sim = fm.simulate(case, n=100, seed=1)
    assert sim.varying_inputs == ()
    assert sim.summary().attrs["note"] == fm.engine.results.NOTHING_UNCERTAIN
    varied = fm.simulate(fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("Benefit", fm.Range(3, 5, name="b"))]),
                         n=100, seed=1)
    assert varied.varying_inputs == ("b",) and "note" not in varied.summary().attrs
    fixed = fm.simulate(varied.model, n=100, seed=1, scenario=fm.Scenario("fix", {"b": 4.0}))
    assert fixed.varying_inputs == ()
