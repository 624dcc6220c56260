"""Latin hypercube sampling: exact strata, chunk invariance, and inputs paired as independent permutations pair them.

The inputs' strata come from one shared permutation read at an offset per input, with
the labels turned by a rotation per input (decision 18). What must hold: every input
takes every stratum once, whatever ``n``; a chunk's draws do not depend on the chunk size
or on where the chunk runs; each trial is uniform on the unit cube; and an estimator's
variance over seeds is that of Latin hypercube sampling with independent permutations:
far below plain random draws for an additive function, and no worse for one with
interactions between inputs. The references with independent permutations are computed
here with numpy.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import finmodel as fm
from finmodel.core import compiled
from finmodel.engine import sampling
from finmodel.engine.sampling import Draws

SEEDS = range(200)  # seeds for the variances over seeds
N = 2_000  # trials per seed there


def _inputs(m: int) -> list[fm.Range]:
    return [fm.Range(0, 1, dist="uniform") for _ in range(m)]


def _uniforms(draws: Draws, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Every input's uniforms for trials ``start..stop-1``, one row per input."""
    out = draws.uniforms(start, draws.n if stop is None else stop)
    return np.array([out[leaf] for leaf in draws.leaves])


def _independent(m: int, n: int, seed: int) -> np.ndarray:
    """Latin hypercube uniforms with an independent permutation per input (the reference)."""
    rng = np.random.default_rng([seed, 18])
    return np.array([(rng.permutation(n) + rng.random(n)) / n for _ in range(m)])


def _pairs(u: np.ndarray) -> float:
    """The mean over trials of the sum over pairs of inputs of ``x_j * x_k``."""
    total = u.sum(axis=0)
    return float(np.mean((total**2 - (u**2).sum(axis=0)) / 2))


def _variance(estimates: list[float]) -> float:
    return float(np.var(estimates, ddof=1))


# -- strata -------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3, 5, 16, 17, 99, 1_000, 4_099, 65_537])
@pytest.mark.parametrize("m", [1, 2, 13, 40])
def test_every_input_takes_every_stratum_once(n, m):
    u = _uniforms(Draws.plan(_inputs(m), n, seed=n + m, method="lhs"))
    assert ((u >= 0) & (u < 1)).all()
    strata = np.floor(u * n).astype(np.int64)
    assert (np.sort(strata, axis=1) == np.arange(n)).all()


def test_the_top_stratum_stays_below_one():
    # (n - 1 + u) / n rounds up to 1 for u just below 1; the placement keeps it below
    u = np.array([1.0 - 2.0**-53, 0.5])
    sampling._place(u, np.array([0, 2], dtype=np.uint32), 1, 0, 3)
    assert u.tolist() == [1.0 - 2.0**-53, 0.5 / 3]


@pytest.mark.parametrize("n", [*range(1, 300), 1_000, 2_000, 10_007, 65_536, 1_000_000, 2**33 + 1])
def test_offsets_have_distinct_differences_modulo_n(n):
    # two trials share at most one position of the shared permutation: for inputs j, k at
    # trials s, t the positions s + d_j and t + d_k meet when t - s = d_j - d_k
    most = 0
    for count in range(2, 40):
        offsets = sampling._offsets(n, count)
        if offsets is None:
            break
        most = count
        differences = [(a - b) % n for a, b in itertools.permutations(offsets, 2)]
        assert 0 not in differences and len(set(differences)) == len(differences), (n, offsets)
    # inputs share a permutation at every n from 4 p**2 up, p the first prime >= their number
    assert most == 39 or 4 * 41**2 > n
    assert most >= 13 or n < 4 * 13**2


def test_inputs_share_one_permutation_at_scale():
    draws = Draws.plan(_inputs(13), 1_000_000, seed=1, method="lhs")
    assert all(strata is draws.strata[0] for strata in draws.strata)
    assert len(set(draws.rotations)) == 13


# -- reproducibility ------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "m"), [(1_001, 5), (50, 5), (7, 1)])  # shared; own permutations; one input
def test_chunks_and_parts_give_the_same_draws_as_the_whole(n, m):
    inputs = _inputs(m)
    whole = _uniforms(Draws.plan(inputs, n, seed=4, method="lhs"))
    for size in (1, 7, 400, n):
        draws = Draws.plan(inputs, n, seed=4, method="lhs")
        chunks = [_uniforms(draws, start, min(start + size, n)) for start in range(0, n, size)]
        assert np.array_equal(np.concatenate(chunks, axis=1), whole), size
    draws = Draws.plan(inputs, n, seed=4, method="lhs")
    for start, stop in [(0, n), (n - 3, n), (n // 3, n // 2 + 1), (n - 1, n)]:
        part = draws.part(start, stop)  # as the Dask backend sends it
        assert all(s.shape == (stop - start,) for s in part["strata"])
        again = Draws(inputs, **part)
        assert np.array_equal(_uniforms(again, start, stop), whole[:, start:stop]), (start, stop)


def test_a_fixed_input_leaves_the_others_draws_alone():
    inputs = _inputs(6)
    free = Draws.plan(inputs, 3_000, seed=9, method="lhs")
    for fixed in (inputs[0], inputs[3]):
        draws = Draws.plan(inputs, 3_000, seed=9, method="lhs", fixed=[fixed])
        for leaf in draws.leaves:
            assert np.array_equal(draws.uniforms(0, 3_000)[leaf], free.uniforms(0, 3_000)[leaf])


@pytest.mark.parametrize("dtype", [np.uint32, np.uint64])
def test_compiled_placement_is_numpys_bit_for_bit(dtype):
    rng = np.random.default_rng(5)
    n = 1_009
    strata = rng.permutation(n).astype(dtype)
    for begin, rotation, size in [(0, 0, n), (1_000, 3, 500), (17, n - 1, n), (n - 1, 1, 1), (5, 0, 0)]:
        u = rng.random(size)
        u[: min(size, 3)] = 1.0 - 2.0**-53
        with_loop, with_numpy = u.copy(), u.copy()
        sampling._place(with_loop, strata, begin, rotation, n)
        with compiled.off():
            sampling._place(with_numpy, strata, begin, rotation, n)
        assert np.array_equal(with_loop, with_numpy), (begin, rotation, size)
        assert (with_loop < 1).all()


# -- pairings between inputs ---------------------------------------------------------------------
def test_a_trial_is_uniform_on_the_cube():
    # with independent permutations two inputs share their stratum on a trial with
    # probability 1/n; without its rotations the shared permutation would never let them
    m = 13
    same = 0
    for seed in range(50):
        strata = np.floor(_uniforms(Draws.plan(_inputs(m), N, seed=seed, method="lhs")) * N)
        same += sum(int((strata[j] == strata[k]).sum()) for j, k in itertools.combinations(range(m), 2))
    expected = 50 * m * (m - 1) // 2  # trials x pairs / n, about Poisson
    assert abs(same - expected) < 5 * expected**0.5, (same, expected)


def test_rank_correlations_between_inputs_are_near_zero():
    n = 100_000
    u = _uniforms(Draws.plan(_inputs(13), n, seed=2, method="lhs"))
    rho = np.corrcoef(u)  # of uniforms, that is of ranks
    off = rho[~np.eye(13, dtype=bool)]
    assert np.abs(off).max() < 4.5 / n**0.5  # each about N(0, 1/n) for independent permutations
    # over many seeds, the spread of each correlation is independent permutations' 1/n
    spread = []
    for seed in SEEDS:
        rho = np.corrcoef(_uniforms(Draws.plan(_inputs(6), N, seed=seed, method="lhs")))
        spread.append(rho[np.triu_indices(6, 1)])
    assert np.mean(np.square(spread)) * N == pytest.approx(1.0, abs=0.15)


def test_an_additive_function_has_far_lower_variance_than_plain_draws():
    def mean_of_additive(u: np.ndarray) -> float:
        return float(np.mean(np.exp(u[0]) + u[1] ** 2 + np.sqrt(u[2]) + 1 / (1 + u[3]) + np.sin(3 * u[4]) + u[5]))

    lhs, plain = [], []
    for seed in SEEDS:
        lhs.append(mean_of_additive(_uniforms(Draws.plan(_inputs(6), N, seed=seed, method="lhs"))))
        plain.append(mean_of_additive(_uniforms(Draws.plan(_inputs(6), N, seed=seed))))
    assert _variance(lhs) < 1e-4 * _variance(plain)  # O(1/n**3) against O(1/n)
    assert np.mean(lhs) == pytest.approx(np.e - 1 + 1 / 3 + 2 / 3 + np.log(2) + (1 - np.cos(3)) / 3 + 0.5, abs=1e-6)


def _interaction_variances(m: int, rotations: bool) -> tuple[float, float]:
    """Over seeds, the variance of the mean of sum_{j<k} x_j x_k: drawn, and by independent permutations."""
    drawn, reference = [], []
    for seed in SEEDS:
        draws = Draws.plan(_inputs(m), N, seed=seed, method="lhs")
        if not rotations:
            draws = Draws(draws.leaves, N, draws.streams, "lhs", draws.strata, shifts=draws.shifts)
        drawn.append(_pairs(_uniforms(draws)))
        reference.append(_pairs(_independent(m, N, seed)))
    return _variance(drawn), _variance(reference)


MARGIN = 1.5  # the ratio of two variances from 200 seeds each has a spread of about 0.14


@pytest.mark.parametrize("rotations", [True, False])
def test_interactions_between_inputs_are_no_worse_than_with_independent_permutations(rotations):
    # the pair terms (x_j - 1/2)(x_k - 1/2) have zero marginal means; with the offsets'
    # differences distinct, no two pairs of inputs are paired alike, so the terms add up
    # as independent permutations' do (about m (m - 1) / 2 / 144 / n), rotations or not
    m = 8
    drawn, reference = _interaction_variances(m, rotations)
    assert reference == pytest.approx(m * (m - 1) / 2 / 144 / N, rel=0.3)
    assert drawn < MARGIN * reference, (drawn, reference)


def test_offsets_in_arithmetic_progression_would_fail_the_check_above(monkeypatch):
    # offsets 0, d, 2d, ... pair inputs (0, 1), (1, 2), ... alike, and their terms align
    monkeypatch.setattr(sampling, "_offsets", lambda n, count: tuple(101 * k for k in range(count)))
    drawn, reference = _interaction_variances(8, rotations=False)
    assert drawn > 2 * MARGIN * reference, (drawn, reference)
