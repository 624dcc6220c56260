"""Discounting against closed forms worked by hand (numpy-financial is not a dependency).

A constant annuity of ``A`` a year for ``n`` years, the first year undiscounted, has
present value ``A * (1 - (1 + r)^-n) / r * (1 + r)``; with the first year discounted
too, ``A * (1 - (1 + r)^-n) / r``. The Green Book factor for year ``t`` is the product
of one-year factors ``1 / (1 + r_s)`` for ``s = 1..t``, with ``r_s`` = 3.5% for years
1-30, 3% for 31-75, 2.5% for 76-125, 2% for 126-200, 1.5% for 201-300, 1% after.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import finmodel as fm


def annuity_due(amount: float, rate: float, years: int) -> float:
    """Present value of ``amount`` a year for ``years`` years, year 0 undiscounted."""
    return amount * (1 - (1 + rate) ** -years) / rate * (1 + rate)


def annuity_immediate(amount: float, rate: float, years: int) -> float:
    """Present value of ``amount`` a year for ``years`` years, every year discounted."""
    return amount * (1 - (1 + rate) ** -years) / rate


# (last year of the band, rate), HM Treasury Green Book STPR, written out independently
BANDS = ((30, 0.035), (75, 0.03), (125, 0.025), (200, 0.02), (300, 0.015), (math.inf, 0.01))


def green_book_factor(t: int) -> float:
    """Year ``t``'s factor, stepping through the schedule one year at a time."""
    factor = 1.0
    for s in range(1, t + 1):
        rate = next(rate for last, rate in BANDS if s <= last)
        factor /= 1 + rate
    return factor


def constant_case(amount: float, years: int, **kwargs: object) -> fm.CostBenefitCase:
    timeline = fm.Timeline("2018/19", years)
    return fm.CostBenefitCase("annuity", timeline, [fm.Benefit("benefit", amount)], **kwargs)


@pytest.mark.parametrize(("rate", "years"), [(0.035, 10), (0.10, 3), (0.05, 40), (0.0001, 7)])
def test_flat_rate_annuity_matches_closed_form(rate, years):
    flows = np.full(years, 2.5)
    assert float(fm.npv(flows, rate=rate)) == pytest.approx(annuity_due(2.5, rate, years), rel=1e-12)


@pytest.mark.parametrize(("rate", "years"), [(0.035, 10), (0.10, 3), (0.05, 40)])
def test_flat_rate_first_year_discounted_is_the_ordinary_annuity(rate, years):
    flows = np.full(years, 2.5)
    got = float(fm.npv(flows, rate=rate, first_year="discounted"))
    assert got == pytest.approx(annuity_immediate(2.5, rate, years), rel=1e-12)


def test_zero_rate_npv_is_the_plain_sum():
    assert float(fm.npv([3.0, -8.0, 5.0, 1.0], rate=0.0)) == 1.0


def test_green_book_is_3_5_percent_flat_for_the_first_31_years():
    # years 0..30 are all inside the 3.5% band, so the closed form applies
    flows = np.full(31, 1.0)
    assert float(fm.npv(flows)) == pytest.approx(annuity_due(1.0, 0.035, 31), rel=1e-12)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (0, 1.0),
        (1, 1 / 1.035),
        (30, 1.035**-30),
        (31, 1.035**-30 / 1.03),
        (75, 1.035**-30 * 1.03**-45),
        (76, 1.035**-30 * 1.03**-45 / 1.025),
        (125, 1.035**-30 * 1.03**-45 * 1.025**-50),
        (126, 1.035**-30 * 1.03**-45 * 1.025**-50 / 1.02),
        (201, 1.035**-30 * 1.03**-45 * 1.025**-50 * 1.02**-75 / 1.015),
        (301, 1.035**-30 * 1.03**-45 * 1.025**-50 * 1.02**-75 * 1.015**-100 / 1.01),
    ],
)
def test_green_book_factor_at_each_band_edge(year, expected):
    factors = fm.discount_factors(year + 1)
    assert factors[year] == pytest.approx(expected, rel=1e-12)
    assert factors[year] == pytest.approx(green_book_factor(year), rel=1e-12)


def test_green_book_factors_step_by_step_over_320_years():
    factors = fm.discount_factors(320)
    expected = [green_book_factor(t) for t in range(320)]
    np.testing.assert_allclose(factors, expected, rtol=1e-12)
    # each year's factor is the previous one over (1 + that year's rate)
    ratios = factors[:-1] / factors[1:]
    np.testing.assert_allclose(
        ratios[[0, 29, 30, 74, 75, 124, 125]], [1.035, 1.035, 1.03, 1.03, 1.025, 1.025, 1.02]
    )


def test_first_year_discounted_shifts_the_green_book_by_one_year():
    undiscounted = fm.discount_factors(80)
    discounted = fm.discount_factors(79, first_year="discounted")
    np.testing.assert_allclose(discounted, undiscounted[1:], rtol=1e-15)
    assert discounted[0] == pytest.approx(1 / 1.035)
    assert discounted[30] == pytest.approx(1.035**-30 / 1.03)


def test_flat_rate_factors_are_powers():
    np.testing.assert_allclose(fm.discount_factors(5, rate=0.06), 1.06 ** -np.arange(5), rtol=1e-15)
    np.testing.assert_allclose(
        fm.discount_factors(5, rate=0.06, first_year="discounted"), 1.06 ** -np.arange(1, 6), rtol=1e-15
    )


def test_case_npv_of_a_constant_benefit_is_the_annuity():
    case = constant_case(4.0, 12, discount_rate=0.035)
    result = fm.evaluate(case)
    assert result.npv() == pytest.approx(annuity_due(4.0, 0.035, 12), rel=1e-12)
    assert result.npv(rate=0.08) == pytest.approx(annuity_due(4.0, 0.08, 12), rel=1e-12)
    assert result.npv(rate=0.08, first_year="discounted") == pytest.approx(
        annuity_immediate(4.0, 0.08, 12), rel=1e-12
    )


def test_case_npv_defaults_to_the_green_book_over_40_years():
    result = fm.evaluate(constant_case(1.0, 40))
    expected = sum(green_book_factor(t) for t in range(40))
    assert result.npv() == pytest.approx(expected, rel=1e-12)
    # and is not the flat 3.5% annuity: years 31-39 are discounted at 3%
    assert result.npv() > annuity_due(1.0, 0.035, 40)


def test_case_npv_honours_its_first_year_setting():
    case = constant_case(1.0, 5, discount_rate=0.1, first_year="discounted")
    assert fm.evaluate(case).npv() == pytest.approx(annuity_immediate(1.0, 0.1, 5), rel=1e-12)


def test_simulated_npv_of_a_fixed_annuity_is_the_closed_form_in_every_trial():
    sim = fm.simulate(constant_case(4.0, 12, discount_rate=0.035), n=50, seed=1)
    np.testing.assert_allclose(sim.samples("npv"), annuity_due(4.0, 0.035, 12), rtol=1e-12)


def test_closed_form_helpers_agree_with_a_direct_sum():
    # guard the oracle itself
    direct = sum(1.07**-t for t in range(9))
    assert annuity_due(1.0, 0.07, 9) == pytest.approx(direct, rel=1e-14)
    assert annuity_immediate(1.0, 0.07, 9) == pytest.approx(direct / 1.07, rel=1e-14)
    assert green_book_factor(31) == pytest.approx(math.prod([1 / 1.035] * 30) / 1.03, rel=1e-14)
