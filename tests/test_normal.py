"""finmodel's own normal quantile and CDF, and the compiled coupling of correlated inputs.

``finmodel/core/compiled/normal.py`` implements the standard normal quantile (AS241) and
CDF (``exp(-x**2 / 2)`` times a rational function of ``|x|``, Cody's erfc beyond) rather
than repeat scipy's operations, so these tests hold them to stated bounds, never to
equality:

* against exact values (mpmath 1.4.1 at 200 bits: ``mpmath.ncdf(x)`` and
  ``-sqrt(2) erfinv(1 - 2p)``, evaluated at the double given, printed with ``repr``):
  relative error at most 1e-15 for both, wherever the result is a normal double;
* against scipy on dense grids reaching the far tails: the quantile within 2e-15 of
  ``ndtri`` relatively, for ``p`` from ``2**-54`` to ``1 - 2**-53``; the CDF within
  ``(8 + 2 x**2) 2**-52`` of ``ndtr`` for ``x`` from -38 to 9 where ``ndtr(x)`` is a
  normal double (scipy's own error, from rounding ``x / sqrt(2)`` before squaring, grows
  as ``x**2 2**-52``), and both below ``2**-1022`` where it is not;
* the coupled uniforms against the scipy path within the error those bounds propagate to.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

import finmodel as fm
from finmodel.core import compiled

TINY = 2.0**-1022  # the smallest normal double

# (x, Phi(x)) and (p, Phi^-1(p)) from mpmath (see the module's docstring)
CDF = [
    (-38.0, 2.88542835e-316),  # subnormal: no relative accuracy is possible
    (-37.5, 4.605353009581955e-308),
    (-30.0, 4.906713927148187e-198),
    (-22.5, 2.0753107990663545e-112),
    (-12.0, 1.776482112077679e-33),
    (-8.25, 7.919726314642477e-17),
    (-6.0, 9.86587645037698e-10),
    (-5.65, 8.022391850663497e-09),
    (-5.5, 1.8989562465887718e-08),
    (-5.0, 2.866515718791939e-07),
    (-4.858070399344315, 5.926763339335161e-07),
    (-4.708788356159375, 1.2459682456617067e-06),
    (-4.7082, 1.2495691708758376e-06),
    (-4.0, 3.1671241833119924e-05),
    (-3.5, 0.00023262907903552504),
    (-3.0, 0.0013498980316300946),
    (-2.75, 0.002979763235054557),
    (-2.0, 0.02275013194817921),
    (-1.75, 0.04005915686381709),
    (-1.5, 0.06680720126885807),
    (-1.0, 0.15865525393145705),
    (-0.75, 0.2266273523768682),
    (-0.6629126073623883, 0.253693263391031),
    (-0.6, 0.2742531177500736),
    (-0.5, 0.3085375387259869),
    (-0.25, 0.4012936743170763),
    (-0.1, 0.460172162722971),
    (-0.001, 0.49960105778608893),
    (0.0, 0.5),
    (0.001, 0.500398942213911),
    (0.1, 0.539827837277029),
    (0.3, 0.6179114221889527),
    (0.5, 0.6914624612740131),
    (0.66, 0.7453730853286639),
    (0.6629126073623883, 0.746306736608969),
    (0.7, 0.758036347776927),
    (1.25, 0.8943502263331448),
    (1.75, 0.9599408431361829),
    (2.5, 0.9937903346742238),
    (3.5, 0.9997673709209645),
    (4.5, 0.9999966023268753),
    (5.0, 0.9999997133484281),
    (5.65, 0.9999999919776081),
    (5.75, 0.9999999955378276),
    (7.0, 0.9999999999987201),
    (8.25, 0.9999999999999999),
]
QUANTILE = [
    (2.0**-54, -8.292361075813595),
    (2.0**-50, -7.956038125481531),
    (1e-15, -7.941345326170997),
    (1e-11, -6.706023155495136),
    (1.4e-11, -6.656723091518184),
    (1e-09, -5.9978070150076865),
    (1e-06, -4.753424308822899),
    (0.001, -3.0902323061678136),
    (0.02, -2.053748910631823),
    (0.0749, -1.4402382675279637),
    (0.075, -1.439531470938456),
    (0.1, -1.2815515655446004),
    (0.3, -0.5244005127080408),
    (0.4999, -0.00025066283008800747),
    (0.5001, 0.00025066283008800747),
    (0.7, 0.5244005127080407),
    (0.925, 1.4395314709384561),
    (0.9251, 1.440238267527964),
    (0.99, 2.3263478740408408),
    (0.999999, 4.753424308817087),
    (1 - 2.0**-40, 7.047700256664409),
    (1 - 2.0**-53, 8.209536151601387),
]


def _normal():  # the compiled module
    return compiled.load("normal")


def _probabilities() -> np.ndarray:
    """Uniform steps over (0, 1) and steps in the exponent down to 2**-54 and up to 1 - 2**-53."""
    return np.concatenate(
        [
            np.linspace(0.0, 1.0, 400_001)[1:-1],
            2.0 ** -np.linspace(1.0, 54.0, 100_001),
            1.0 - 2.0 ** -np.linspace(1.0, 53.0, 100_001),
        ]
    )


def test_the_quantile_is_within_1e_15_of_exact_values() -> None:
    p, exact = np.array(QUANTILE).T
    found = _normal().quantile(p)
    assert np.all(np.abs(found - exact) <= 1e-15 * np.abs(exact))


def test_the_quantile_is_within_2e_15_of_scipys_far_into_the_tails() -> None:
    p = _probabilities()
    found, reference = _normal().quantile(p), special.ndtri(p)
    assert np.all(np.abs(found - reference) <= 2e-15 * np.abs(reference))


def test_the_quantile_of_what_is_not_a_probability_is_scipys() -> None:
    p = np.array([0.0, 1.0, 0.5, -0.0, -0.1, 1.1, np.nan, np.inf, 5e-324, 2.0**-1030, 2.0**-1022])
    found, reference = _normal().quantile(p), special.ndtri(p)
    assert np.array_equal(found[:4], [-np.inf, np.inf, 0.0, -np.inf])
    assert np.isnan(found[4:8]).all()
    assert np.all(np.abs(found[8:] - reference[8:]) <= 2e-15 * np.abs(reference[8:]))


def test_the_quantile_keeps_the_shape_it_is_given() -> None:
    p = np.array([[0.1, 0.2, 0.95], [0.5, 0.999, 1e-12]])
    assert np.array_equal(_normal().quantile(p), _normal().quantile(p.ravel()).reshape(2, 3))


def test_the_logarithm_behind_the_tails_is_within_one_unit_in_the_last_place() -> None:
    log = _normal()._log
    x = np.concatenate([2.0 ** -np.linspace(0.0, 1022.0, 20_001), np.linspace(0.5, 1.0, 20_001)])
    x = np.concatenate([x, np.nextafter(x, 0.0), np.nextafter(x, 1.0)])
    x = x[(x >= TINY) & (x <= 1.0)]
    found = np.array([log(v) for v in x[::7]])
    exact = np.array([math.log(v) for v in x[::7]])
    assert np.all(np.abs(found - exact) <= np.spacing(np.abs(exact)))


def test_the_cdf_is_within_1e_15_of_exact_values() -> None:
    x, exact = np.array(CDF).T
    found = _normal().cdf(x)
    normal = exact >= TINY
    assert np.all(np.abs(found - exact)[normal] <= 1e-15 * exact[normal])
    assert np.all(np.abs(found - exact)[~normal] <= 2.0**-1060)  # a few hundred units of 2**-1074


def test_the_cdf_is_within_scipys_error_of_scipys_from_minus_38_to_9() -> None:
    x = np.concatenate(
        [np.linspace(-38.0, 9.0, 1_000_001), np.random.default_rng(3).normal(0.0, 1.5, 200_000)]
    )
    found, reference = _normal().cdf(x), special.ndtr(x)
    normal = reference >= TINY
    bound = (8.0 + 2.0 * x**2) * 2.0**-52 * reference
    assert np.all(np.abs(found - reference)[normal] <= bound[normal])
    assert np.all(found[~normal] < TINY)
    assert np.all((found >= 0.0) & (found <= 1.0))


def test_the_cdf_at_the_ends_is_scipys() -> None:
    x = np.array([-np.inf, np.inf, np.nan, -40.0, 40.0, 0.0, -0.0, 8.3, 1e-300])
    found = _normal().cdf(x)
    assert np.array_equal(found, special.ndtr(x), equal_nan=True)


def _two_correlated() -> tuple[np.ndarray, np.ndarray]:
    spearman = np.array(
        [[1.0, 0.5, -0.3, 0.2], [0.5, 1.0, 0.1, 0.6], [-0.3, 0.1, 1.0, 0.0], [0.2, 0.6, 0.0, 1.0]]
    )
    pearson = 2.0 * np.sin(np.pi * spearman / 6.0)
    np.fill_diagonal(pearson, 1.0)
    return spearman, np.linalg.cholesky(pearson)


def _uniforms(n: int, members: int = 4) -> np.ndarray:
    u = np.random.default_rng(7).random((members, n))
    ends = np.array([0.0, 2.0**-53, 0.5, 1.0 - 2.0**-53, 1e-12, 1.0 - 1e-12])
    for j in range(members):  # the ends, in every row, meeting different ends of the other rows
        u[j, : min(n, 6)] = np.roll(ends, j)[: min(n, 6)]
    return u


def _symmetric_root() -> np.ndarray:
    """A full (not triangular) mixing matrix: the symmetric square root of the correlations."""
    _, cholesky = _two_correlated()
    values, vectors = np.linalg.eigh(cholesky @ cholesky.T)
    return (vectors * np.sqrt(values)) @ vectors.T


@pytest.mark.parametrize("full", [False, True], ids=["Cholesky", "full"])
@pytest.mark.parametrize("n", [1, 7, 511, 512, 513, 5_000])
def test_coupled_uniforms_are_the_scipy_paths_within_the_propagated_error(n: int, full: bool) -> None:
    mixing = _symmetric_root() if full else _two_correlated()[1]
    u = _uniforms(n)
    found = _normal().couple(u, mixing)
    z = special.ndtri(np.maximum(u, 2.0**-54))
    y = mixing @ z
    reference = np.minimum(special.ndtr(y), 1.0 - 2.0**-53)
    # a relative error e in each z moves y by at most e * sum |m_jk z_k|, and Phi(y) by at most
    # (1 + |y|) times that relatively (Mills' ratio); the sums themselves differ by rounding
    spread = np.abs(mixing) @ np.abs(z)
    bound = (
        (8.0 + 2.0 * y**2) * 2.0**-52 + (1.0 + np.abs(y)) * (2e-15 + 8.0 * 2.0**-52) * spread
    ) * reference
    assert np.all(np.abs(found - reference) <= bound)
    assert np.all((found > 0.0) & (found <= 1.0 - 2.0**-53))
    assert np.array_equal(u, _uniforms(n))  # couple leaves its argument alone


def test_a_member_whose_row_is_a_single_one_keeps_its_uniform() -> None:
    _, mixing = _two_correlated()  # a Cholesky factor: its first row is (1, 0, 0, 0)
    u = _uniforms(1_000)
    found = _normal().couple(u, mixing)
    assert np.array_equal(found[0], np.minimum(np.maximum(u[0], 2.0**-54), 1.0 - 2.0**-53))
    assert not np.array_equal(found[1:], u[1:])


def test_coupling_in_place_is_coupling_a_copy() -> None:
    _, mixing = _two_correlated()
    u = _uniforms(2_000)
    rows = [row.copy() for row in u]
    _normal().couple_rows(tuple(rows), mixing)
    assert np.array_equal(np.stack(rows), _normal().couple(u, mixing))


def _both_paths(group, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    on = group.couple(u)
    with compiled.off():
        off = group.couple(u)
    return on, off


def test_a_group_couples_by_the_compiled_loop_when_loops_are_on_and_by_scipy_when_off() -> None:
    spearman, _ = _two_correlated()
    inputs = fm.correlate([fm.Range(0, 1) for _ in range(4)], spearman)
    group = inputs[0].group
    u = _uniforms(20_000)
    on, off = _both_paths(group, u)
    assert np.array_equal(on, _normal().couple(u, group.mixing))
    assert np.array_equal(
        off, np.minimum(special.ndtr(group.mixing @ special.ndtri(np.maximum(u, 2.0**-54))), 1.0 - 2.0**-53)
    )
    assert not np.array_equal(on, off)  # the two paths differ in the last bits, so this test tells them apart
    assert np.allclose(on, off, rtol=1e-13, atol=0.0)


def test_rows_the_compiled_loop_cannot_take_go_by_scipy() -> None:
    spearman, _ = _two_correlated()
    group = fm.correlate([fm.Range(0, 1) for _ in range(4)], spearman)[0].group
    u = _uniforms(1_000)
    strided = [np.repeat(row, 2)[::2] for row in u]  # views with a step: not contiguous
    group.couple_rows(strided, None)
    z = special.ndtri(np.maximum(u, 2.0**-54))
    assert np.array_equal(np.stack(strided), np.minimum(special.ndtr(group.mixing @ z), 1.0 - 2.0**-53))


def test_a_correlated_simulation_is_the_same_with_loops_on_and_off_within_the_bound() -> None:
    spearman, _ = _two_correlated()
    rates = fm.correlate(
        [fm.Range(1.0, 3.0), fm.Triangular(0.0, 1.0, 4.0), fm.Normal(2.0, 0.5), fm.Uniform(0.0, 2.0)],
        spearman,
    )
    years = fm.Timeline("2018/19", 3)
    case = fm.CostBenefitCase(
        "c",
        years,
        benefits=[fm.Benefit(f"b{i}", r) for i, r in enumerate(rates)],
        costs=[fm.Cost("k", [1.0, 1.0, 1.0])],
    )
    on = fm.simulate(case, n=20_000, seed=4, chunk_size=3_000).samples("npv")
    with compiled.off():
        off = fm.simulate(case, n=20_000, seed=4, chunk_size=3_000).samples("npv")
    assert not np.array_equal(on, off)
    assert np.allclose(on, off, rtol=0.0, atol=1e-12 * np.abs(off).max())


@pytest.mark.parametrize("members", [1, 2, 3, 4, 5, 6])
def test_coupling_is_the_quantile_the_mixing_left_to_right_and_the_cdf_bit_for_bit(members: int) -> None:
    # the loop reads the rows in place and adds the mixing's terms two a pass: the same
    # numbers as each step done on its own, the terms added in the order of the columns
    normal = _normal()
    rng = np.random.default_rng(members)
    u = _uniforms(1_031, members)
    for mixing in (np.tril(rng.normal(size=(members, members))), rng.normal(size=(members, members))):
        mixing[members - 1, members // 2] = 0.0  # a zero inside a row is skipped, not added
        z = normal.quantile(np.maximum(u, 2.0**-54))
        y = np.empty_like(z)
        for j in range(members):
            y[j] = mixing[j, 0] * z[0]
            for k in range(1, members):
                if mixing[j, k] != 0.0:
                    y[j] = y[j] + mixing[j, k] * z[k]
        expected = np.minimum(normal.cdf(y), 1.0 - 2.0**-53)
        assert np.array_equal(normal.couple(u, mixing), expected)
