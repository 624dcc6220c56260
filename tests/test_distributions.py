"""Every uncertain input against its scipy.stats equivalent.

Sample mean and variance of 200,000 draws must lie within 5 standard errors of the
exact moments: the standard error of the mean is ``sd / sqrt(n)`` and that of the
variance ``var * sqrt((excess kurtosis + 2) / n)``. Cases follow the rules in
finmodel/core/distributions.py: stated ends where there are any, otherwise the 5th and
95th percentiles; central is the stated most likely value, otherwise the mean
(Uniform, Normal, Beta, Chance) or the median (LogNormal).
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest
from scipy import stats

import finmodel as fm

N = 200_000
Z = 5.0


def _pert(low: float, mode: float, high: float, lamb: float = 4.0):
    width = high - low
    a = 1 + lamb * (mode - low) / width
    b = 1 + lamb * (high - mode) / width
    return stats.beta(a, b, loc=low, scale=width)


def _tri(low: float, mode: float, high: float):
    return stats.triang((mode - low) / (high - low), loc=low, scale=high - low)


_LN = fm.LogNormal.from_interval(5, 10)

# (id, input, scipy equivalent)
CASES = [
    ("Range pert, symmetric", fm.Range(21, 33), _pert(21, 27, 33)),
    ("Range pert, skewed", fm.Range(8, 17, central=10), _pert(8, 10, 17)),
    ("Range pert, central at low end", fm.Range(4, 8, central=4), _pert(4, 4, 8)),
    ("Range triangular", fm.Range(8, 17, central=10, dist="triangular"), _tri(8, 10, 17)),
    ("Range uniform", fm.Range(4, 8, dist="uniform"), stats.uniform(4, 4)),
    ("Triangular", fm.Triangular(1.0, 1.2, 1.6), _tri(1.0, 1.2, 1.6)),
    ("Triangular, mode at low", fm.Triangular(1.0, 1.0, 1.6), _tri(1.0, 1.0, 1.6)),
    ("Triangular, mode at high", fm.Triangular(1.0, 1.6, 1.6), _tri(1.0, 1.6, 1.6)),
    ("PERT", fm.PERT(21, 27, 33), _pert(21, 27, 33)),
    ("PERT, lamb=2", fm.PERT(0, 2, 10, lamb=2), _pert(0, 2, 10, lamb=2)),
    ("PERT, mode at high", fm.PERT(0, 10, 10), _pert(0, 10, 10)),
    ("Uniform", fm.Uniform(4, 8), stats.uniform(4, 4)),
    ("Normal", fm.Normal(10, 2), stats.norm(10, 2)),
    ("LogNormal", fm.LogNormal(1.0, 0.5), stats.lognorm(0.5, scale=math.e)),
    ("LogNormal.from_interval", _LN, stats.lognorm(_LN.sigma, scale=math.exp(_LN.mu))),
    ("Beta(1, b), closed form", fm.Beta(1, 3), stats.beta(1, 3)),
    ("Beta(a, 1), closed form", fm.Beta(9, 1), stats.beta(9, 1)),
    ("Beta(a, b), general", fm.Beta(2, 5), stats.beta(2, 5)),
    ("Beta(a, b), general, a < 1", fm.Beta(0.5, 0.7), stats.beta(0.5, 0.7)),
    ("Chance", fm.Chance(0.3), stats.bernoulli(0.3)),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("label", "amount", "reference"), CASES, ids=IDS)
def test_sample_moments_agree_with_scipy(label, amount, reference):
    draws = amount.sample(N, np.random.default_rng(zlib.crc32(label.encode())))
    mean, var = float(reference.mean()), float(reference.var())
    excess_kurtosis = float(reference.stats(moments="k"))
    se_mean = math.sqrt(var / N)
    se_var = var * math.sqrt((excess_kurtosis + 2) / N)
    assert abs(draws.mean() - mean) < Z * se_mean, (draws.mean(), mean)
    assert abs(draws.var() - var) < Z * se_var, (draws.var(), var)


@pytest.mark.parametrize(("label", "amount", "reference"), CASES, ids=IDS)
def test_the_inverse_cdf_is_scipys(label, amount, reference):
    u = np.array([0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999])
    if isinstance(amount, fm.Chance):
        # Chance is 1 on the top p of the unit interval
        np.testing.assert_array_equal(amount.ppf(u), (u >= 0.7).astype(float))
    else:
        np.testing.assert_allclose(amount.ppf(u), reference.ppf(u), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(("label", "amount", "reference"), CASES, ids=IDS)
def test_every_draw_lies_within_the_support(label, amount, reference):
    low, high = amount.support
    draws = amount.sample(N, np.random.default_rng(7))
    assert np.isfinite(draws).all()
    assert draws.min() >= low and draws.max() <= high
    if math.isfinite(low) and math.isfinite(high):
        assert (low, high) == pytest.approx(reference.support())


def test_draws_cover_the_whole_support():
    # a PERT on [21, 33] reaches close to both ends in 200,000 draws
    draws = fm.Range(21, 33).sample(N, np.random.default_rng(3))
    assert draws.min() < 21.5 and draws.max() > 32.5


# -- cases -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount", "low", "central", "high"),
    [
        (fm.Range(8, 17), 8, 12.5, 17),  # central defaults to the midpoint
        (fm.Range(8, 17, central=10), 8, 10, 17),
        (fm.Range(4, 8, dist="uniform"), 4, 6, 8),
        (fm.Triangular(1.0, 1.2, 1.6), 1.0, 1.2, 1.6),  # central is the mode
        (fm.PERT(21, 24, 33), 21, 24, 33),  # central is the mode, not the mean (25)
        (fm.Uniform(4, 8), 4, 6, 8),  # central is the mean
        (fm.Chance(0.3), 0, 0.3, 1),  # central is the expected value
        (fm.Fixed(17.0), 17, 17, 17),
    ],
)
def test_stated_cases(amount, low, central, high):
    assert amount.cases == pytest.approx({"low": low, "central": central, "high": high})


@pytest.mark.parametrize(
    ("amount", "reference", "central"),
    [
        (fm.Normal(10, 2), stats.norm(10, 2), 10.0),  # mean
        (fm.LogNormal(1.0, 0.5), stats.lognorm(0.5, scale=math.e), math.e),  # median
        (fm.Beta(2, 5), stats.beta(2, 5), 2 / 7),  # mean
        (fm.Beta(9, 1), stats.beta(9, 1), 0.9),
    ],
)
def test_percentile_cases(amount, reference, central):
    assert amount.cases["low"] == pytest.approx(reference.ppf(0.05), rel=1e-9)
    assert amount.cases["high"] == pytest.approx(reference.ppf(0.95), rel=1e-9)
    assert amount.cases["central"] == pytest.approx(central, rel=1e-12)


def test_lognormal_from_interval_puts_the_interval_at_the_5th_and_95th_percentiles():
    x = fm.LogNormal.from_interval(5, 10)
    assert x.cases == pytest.approx({"low": 5.0, "central": math.sqrt(50), "high": 10.0}, rel=1e-9)
    reference = stats.lognorm(x.sigma, scale=math.exp(x.mu))
    assert reference.ppf([0.05, 0.95]) == pytest.approx([5.0, 10.0], rel=1e-9)


def test_beta_closed_forms_match_the_general_inverse():
    # Beta(a, 1): F^-1(u) = u^(1/a); Beta(1, b): F^-1(u) = 1 - (1 - u)^(1/b)
    u = np.linspace(0.01, 0.99, 9)
    np.testing.assert_allclose(fm.Beta(9, 1).ppf(u), u ** (1 / 9), rtol=1e-14)
    np.testing.assert_allclose(fm.Beta(1, 3).ppf(u), 1 - (1 - u) ** (1 / 3), rtol=1e-14)
    np.testing.assert_allclose(fm.Beta(9, 1).ppf(u), stats.beta(9, 1).ppf(u), rtol=1e-10)


def test_chance_frequency_is_p():
    draws = fm.Chance(0.3).sample(N, np.random.default_rng(11))
    assert set(np.unique(draws)) <= {0.0, 1.0}
    assert abs(draws.mean() - 0.3) < Z * math.sqrt(0.3 * 0.7 / N)


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_chance_at_the_ends_is_certain(p):
    draws = fm.Chance(p).sample(10_000, np.random.default_rng(1))
    assert (draws == p).all()


def test_a_zero_width_range_is_its_value():
    for dist in ("pert", "triangular", "uniform"):
        draws = fm.Range(5, 5, dist=dist).sample(1_000, np.random.default_rng(1))
        assert (draws == 5).all()


def test_the_same_generator_state_gives_the_same_draws():
    a = fm.Range(21, 33).sample(1_000, np.random.default_rng(2018))
    b = fm.Range(21, 33).sample(1_000, np.random.default_rng(2018))
    np.testing.assert_array_equal(a, b)
