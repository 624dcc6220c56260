"""The Beta inverse CDF tables (finmodel/core/quantiles.py) against scipy's.

The oracle is ``scipy.stats.beta.ppf`` (Boost's ``ibeta_inv``, as is
``scipy.special.betaincinv``), with one correction: for a symmetric shape the median is
exactly 1/2, where scipy can be 1e-8 off (``betaincinv(0.428, 0.428, 0.5)`` gives
0.5000000082). Quantile levels run from 1e-15 to ``1 - 1e-15``: dense in the body, on
log scales into both tails, and around every boundary between regions of the table.

The contract is an absolute error of at most 1e-10 on the [0, 1] scale; the module's
Notes report 2.5e-14 as the largest error found here, and ``FOUND`` fails the tests if
that gets four times worse.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import special, stats

import finmodel as fm
from finmodel.core import quantiles
from finmodel.core.amounts import uniform_open
from finmodel.core.distributions import beta_ppf
from finmodel.core.quantiles import BetaQuantile, beta_quantile

BOUND = 1e-10  # the stated accuracy, absolute
FOUND = 1e-13  # four times the largest error the Notes report (2.5e-14)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_edges = np.array([1 / 32, 31 / 32, 0.5])
U = np.unique(
    np.concatenate(
        [
            np.geomspace(1e-15, 0.5, 700),  # into the left tail
            1 - np.geomspace(1e-15, 0.5, 700),  # into the right tail
            np.linspace(0, 1, 4097)[1:-1],  # the body: 16 points a piece
            np.linspace(0, 1 / 32, 801)[1:],  # the tails, evenly
            np.linspace(31 / 32, 1, 801)[:-1],
            (_edges[:, None] + np.array([-1e-9, -1e-12, 0, 1e-12, 1e-9])).ravel(),  # around the edges
        ]
    )
)


def reference(a: float, b: float, u: np.ndarray) -> np.ndarray:
    """scipy's quantiles, with the median of a symmetric shape set to 1/2."""
    x = stats.beta(a, b).ppf(u)
    if a == b:
        x = np.where(u == 0.5, 0.5, x)
    return x


def _pert(a: float) -> tuple[float, float]:
    return (a, 6.0 - a)


# PERT (lambda = 4): a = 1 + 4 (mode - low) / width from 1 to 5, b = 6 - a, densely and
# near the ends where a or b is 1 (the ends themselves are closed forms)
PERT_SHAPES = [_pert(a) for a in np.linspace(1, 5, 61)[1:-1]] + [
    _pert(a) for a in (1 + 1e-9, 1 + 1e-6, 1.0001, 1.01, 5 - 1e-9, 5 - 1e-6, 4.9999, 4.99)
]
# other lambdas: a + b = 2 + lambda from 2 to 12 (lambda = 0.05 is almost uniform)
LAMBDA_SHAPES = [
    (1 + lamb * p, 1 + lamb * (1 - p))
    for lamb in (0.05, 0.5, 1, 2, 3, 6, 8, 10)
    for p in (0.02, 0.25, 0.5, 0.8, 1.0)
]
# general Betas, a and b from 0.3 to 60
GENERAL_SHAPES = [
    (2, 5),
    (0.5, 0.7),
    (30, 3),
    (9, 1.5),
    (0.3, 0.3),
    (60, 60),
    (0.3, 60),
    (60, 0.3),
    (1.5, 0.5),
] + [(a, b) for a in np.geomspace(0.3, 60, 6) for b in np.geomspace(0.3, 60, 6)]


def _ids(shapes: list[tuple[float, float]]) -> list[str]:
    return [f"Beta({a:.10g}, {b:.10g})" for a, b in shapes]


# -- accuracy ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    PERT_SHAPES + LAMBDA_SHAPES + GENERAL_SHAPES,
    ids=_ids(PERT_SHAPES) + _ids(LAMBDA_SHAPES) + _ids(GENERAL_SHAPES),
)
def test_the_table_agrees_with_scipy_from_1e_15_to_1_minus_1e_15(a, b):
    q = beta_quantile(a, b)
    assert q.tabulated, "the table failed its check, so this would test betaincinv against itself"
    assert q.error <= quantiles.TOLERANCE
    error = np.max(np.abs(q(U) - reference(a, b, U)))
    assert error <= BOUND
    assert error <= FOUND, f"{error:.2e}: the tables are less accurate than the Notes say"


@pytest.mark.parametrize(
    ("a", "b"),
    [(3, 3), (1.0001, 4.9999), (4.9999, 1.0001), (2, 5), (0.3, 60), (60, 0.3), (9, 1.5), (4.24, 60), (5, 30)],
)
def test_the_left_tail_has_a_small_relative_error(a, b):
    u = np.geomspace(1e-15, 1 / 32, 2000)
    exact = reference(a, b, u)
    # about three times the largest relative error the Notes report (6e-14)
    np.testing.assert_allclose(beta_quantile(a, b)(u), exact, rtol=2e-13, atol=0)


@pytest.mark.parametrize("a", [0.428, 0.503, 1.022, 1.5, 3.0])
def test_the_median_of_a_symmetric_shape_is_one_half(a):
    # scipy's betaincinv(a, a, 0.5) is about 1e-8 off for the first three
    q = beta_quantile(a, a)
    assert q(0.5) == 0.5
    u = np.array([0.5 - 1e-9, 0.5 + 1e-9])
    np.testing.assert_allclose(q(u), stats.beta(a, a).ppf(u), rtol=0, atol=1e-14)


@PROPERTY
@given(a=st.floats(0.3, 60), b=st.floats(0.3, 60), u=st.floats(1e-15, 1 - 1e-15))
def test_accuracy_at_random_shapes_and_levels(a, b, u):
    q = beta_quantile(a, b)
    assert q.tabulated
    assert abs(float(q(u)) - float(reference(a, b, np.array(u)))) <= BOUND


# -- monotone, bounded --------------------------------------------------------------------------------
MONOTONE_SHAPES = [
    (3, 3),
    (1.0001, 4.9999),
    (4.9999, 1.0001),
    (1.9, 4.1),
    (2, 5),
    (0.5, 0.7),
    (30, 3),
    (9, 1.5),
    (60, 60),
    (0.3, 0.3),
]


@pytest.mark.parametrize(("a", "b"), MONOTONE_SHAPES, ids=_ids(MONOTONE_SHAPES))
def test_values_increase_on_a_dense_grid_and_lie_in_0_1(a, b):
    x = beta_quantile(a, b)(np.concatenate([[0.0], U, [1.0]]))
    assert np.all(np.diff(x) >= 0)
    assert x[0] == 0.0 and x[-1] == 1.0


@pytest.mark.parametrize(("a", "b"), MONOTONE_SHAPES, ids=_ids(MONOTONE_SHAPES))
def test_values_increase_between_neighbouring_floats(a, b):
    # at every boundary between pieces, where two pieces meet, and at random levels
    q = beta_quantile(a, b)
    table = q.table
    assert table is not None
    left = (table.left.start + np.arange(1, table.left.coef.shape[1]) / table.left.scale) ** a
    right = 1 - (table.right.start + np.arange(1, table.right.coef.shape[1]) / table.right.scale) ** b
    rng = np.random.default_rng(2024)
    u = np.concatenate(
        [
            np.arange(1, quantiles.CELLS) / quantiles.CELLS,
            left,
            right,
            rng.random(20_000),
            np.geomspace(1e-15, 1 / 32, 5_000),
            1 - np.geomspace(1e-15, 1 / 32, 5_000),
        ]
    )
    u = u[(u > 0) & (u < 1)]
    below, above = np.nextafter(u, 0), np.nextafter(u, 1)
    assert np.all(q(below) <= q(u))
    assert np.all(q(u) <= q(above))


@PROPERTY
@given(a=st.floats(0.3, 60), b=st.floats(0.3, 60), u1=st.floats(0, 1), u2=st.floats(0, 1))
def test_values_never_decrease_and_stay_in_0_1(a, b, u1, u2):
    lo, hi = sorted((u1, u2))
    x = beta_quantile(a, b)(np.array([lo, hi]))
    assert 0.0 <= x[0] <= x[1] <= 1.0


# -- the fallback -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [(0.01, 2.0), (0.001, 0.001)])
def test_a_shape_the_table_cannot_match_uses_betaincinv(a, b):
    # with a = 0.01, x = u**100 roughly: 150 orders of magnitude in the body;
    # with a = 0.001 the left tail is below the smallest float
    q = BetaQuantile.build(a, b)
    assert not q.tabulated and q.table is None
    u = np.array([1e-12, 0.01, 0.5, 0.99])
    np.testing.assert_array_equal(q(u), special.betaincinv(a, b, u))
    np.testing.assert_array_equal(fm.Beta(a, b).ppf(u), special.betaincinv(a, b, u))


@pytest.mark.parametrize(("a", "b"), [(1.03125, 0.375), (1.0126, 0.5609)])
def test_the_least_uniforms_are_right_where_betaincinv_fails(a, b):
    # at the engine's least uniform, 2**-54, scipy gives NaN (betaincinv) or 6e-213
    # (stats.beta.ppf) for these shapes;
    # the table (from 2**-56) and the Newton solution below it satisfy F(x) = u
    q = beta_quantile(a, b)
    assert q.tabulated
    u = np.array([2.0**-70, 2.0**-56, 2.0**-54, 2.0**-52])
    x = q(u)
    np.testing.assert_allclose(special.betainc(a, b, x), u, rtol=1e-13)
    assert np.all(np.diff(x) > 0)


@pytest.mark.parametrize(("a", "b"), [(200.0, 3.0), (1000.0, 1000.0), (90.0, 10.0)])
def test_large_shapes_are_tabulated_too(a, b):
    q = beta_quantile(a, b)
    assert q.tabulated
    assert np.max(np.abs(q(U) - reference(a, b, U))) <= FOUND


def test_a_table_whose_check_fails_is_not_used(monkeypatch):
    monkeypatch.setattr(quantiles, "TOLERANCE", 1e-17)  # stricter than rounding allows
    q = BetaQuantile.build(3.0, 3.0)
    assert not q.tabulated
    u = np.linspace(0.01, 0.99, 7)
    np.testing.assert_array_equal(q(u), special.betaincinv(3.0, 3.0, u))


# -- how values are computed ----------------------------------------------------------------------------
def test_values_depend_only_on_their_own_uniform():
    # bit for bit, whatever the split into chunks (and the blocks inside a call)
    q = beta_quantile(1.9, 4.1)
    u = uniform_open(np.random.default_rng(7), 3 * quantiles.BLOCK + 123)
    whole = q(u)
    for cut in (1, 7, quantiles.BLOCK - 1, quantiles.BLOCK + 5, 2 * quantiles.BLOCK):
        np.testing.assert_array_equal(np.concatenate([q(u[:cut]), q(u[cut:])]), whole)
    np.testing.assert_array_equal(np.array([q(v) for v in u[:50]]), whole[:50])


def test_shapes_ends_and_bad_uniforms():
    q = beta_quantile(2.0, 5.0)
    assert isinstance(q(0.25), np.floating)
    assert q(np.full((2, 3), 0.25)).shape == (2, 3)
    np.testing.assert_array_equal(q([0.0, 1.0]), [0.0, 1.0])
    assert np.isnan(q([-0.1, 1.1, np.nan, -np.inf, np.inf])).all()


def test_tables_are_kept_per_shape():
    assert beta_quantile(2.5, 3.5) is beta_quantile(2.5, 3.5)
    assert beta_quantile.cache_info().maxsize == 4096


def test_pert_and_range_draw_through_the_table():
    u = np.linspace(0.001, 0.999, 101)
    np.testing.assert_array_equal(fm.Range(21, 33).ppf(u), 21 + 12 * beta_quantile(3.0, 3.0)(u))
    a, b = 1 + 4 * 2 / 10, 1 + 4 * 8 / 10
    np.testing.assert_array_equal(fm.PERT(0, 2, 10).ppf(u), 10 * beta_quantile(a, b)(u))
    np.testing.assert_array_equal(fm.Beta(2, 5).ppf(u), beta_quantile(2.0, 5.0)(u))
    # the closed forms stay closed forms
    np.testing.assert_array_equal(beta_ppf(u, 9.0, 1.0), np.exp(np.log(u) * (1 / 9)))
    np.testing.assert_array_equal(beta_ppf(u, 1.0, 3.0), 1 - np.exp(np.log(1 - u) * (1 / 3)))
    np.testing.assert_allclose(beta_ppf(u, 9.0, 1.0), u ** (1 / 9), rtol=1e-14)
