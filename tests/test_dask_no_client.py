"""Asking for the Dask backend with no cluster is a clear error (kept apart from the cluster tests)."""

import pytest

import finmodel as fm

pytest.importorskip("distributed")


def test_dask_backend_without_client_is_a_clear_error():
    years = fm.Timeline("2024/25", 2)
    plan = fm.MTFP("p", years, [fm.Pressure("Demand", fm.Range(1, 2))])
    with pytest.raises(fm.FinmodelError, match="backend='dask' needs a client"):
        fm.simulate(plan, 100, seed=1, backend="dask")


def test_unknown_backend_is_refused():
    years = fm.Timeline("2024/25", 2)
    plan = fm.MTFP("p", years, [fm.Pressure("Demand", fm.Range(1, 2))])
    with pytest.raises(fm.FinmodelError, match="backend"):
        fm.simulate(plan, 100, seed=1, backend="spark")
