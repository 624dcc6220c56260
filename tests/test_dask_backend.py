"""The Dask backend gives bit-identical results to the local backend (same seed)."""

import numpy as np
import pytest

import finmodel as fm

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _case():
    """Reference model 1 of benchmarks/models.py in small: shared overrun, slips, delivery."""
    years = fm.Timeline("2018/19", 4)
    profile = fm.Profile.cumulative([2 / 33, 15 / 33, 28 / 33, 1])
    overrun = fm.Triangular(1.0, 1.0, 1.6, name="cost overrun")
    benefits = [
        fm.Benefit(
            f"category {i}", fm.Triangular(lo, lo, hi), profile, delivery=fm.Beta(9, 1), delay=fm.Chance(0.3)
        )
        for i, (lo, hi) in enumerate([(21, 33), (8, 17), (4, 8), (4, 8)])
    ]
    costs = [fm.Cost("Implementation", [3 * overrun, 8 * overrun, 5 * overrun, 1 * overrun])]
    return fm.CostBenefitCase("stress test", years, benefits, costs, discount_rate=0.035)


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_dask_results_are_bit_identical_to_local(client, method):
    case = _case()
    local = fm.simulate(case, 50_000, seed=2018, method=method, chunk_size=7_000)
    remote = fm.simulate(
        case, 50_000, seed=2018, method=method, chunk_size=7_000, backend="dask", client=client
    )
    assert local.metrics == remote.metrics
    for metric in local.metrics:
        assert np.array_equal(local.samples(metric), remote.samples(metric)), metric
    assert local.table().equals(remote.table())


def test_simulate_many_on_dask_matches_one_by_one(client):
    years = fm.Timeline("2024/25", 3)
    plans = [
        fm.MTFP(
            f"council {i}",
            years,
            [fm.Pressure("Demand", fm.Range(1, 2 + i)), fm.Saving("Plan", fm.Range(0.5, 1))],
        )
        for i in range(4)
    ]
    batch = fm.simulate_many(plans, 10_000, seed=9, backend="dask", client=client, chunk_size=3_000)
    children = np.random.SeedSequence(9).spawn(4)
    for plan, child, result in zip(plans, children, batch, strict=True):
        alone = fm.simulate(plan, 10_000, seed=child, chunk_size=3_000)
        assert np.array_equal(alone.samples("cumulative_gap"), result.samples("cumulative_gap"))
