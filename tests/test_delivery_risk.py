"""Risk inputs a finance officer can explain: Betas by mean and spread or by percentiles,
a fit to a council's own record of savings delivered, RAG ratings, part-year starts and
HM Treasury optimism bias.

Seed figures are cited as file:line; 002 = 002_90ddc037a457842c.txt.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

import finmodel as fm

# The share of planned 2017/18 savings achieved by OCC's directorates, January 2018:
# Children's 93% (002:618), Adults 79% (002:625), Public Health 100% (002:632),
# Communities 93% (002:640), Resources 100% (002:647); "at least 95.3%" overall (002:649).
OCC_2017_18 = [0.93, 0.79, 1.00, 0.93, 1.00]


# -- Beta by mean and spread, and by percentiles -------------------------------------------------
@given(st.floats(0.02, 0.98), st.floats(0.01, 0.99))
def test_beta_from_mean_sd_has_that_mean_and_sd(mean, fraction):
    sd = fraction * math.sqrt(mean * (1 - mean))
    beta = fm.Beta.from_mean_sd(mean, sd)
    s = beta.a + beta.b
    assert beta.a / s == pytest.approx(mean, rel=1e-12)
    assert math.sqrt(beta.a * beta.b / (s * s * (s + 1))) == pytest.approx(sd, rel=1e-9)


def test_beta_from_mean_sd_refuses_a_spread_no_beta_has():
    with pytest.raises(fm.AmountError, match=r"sd \(0.4\) must lie strictly between 0 and 0.3"):
        fm.Beta.from_mean_sd(0.9, 0.4)
    with pytest.raises(fm.AmountError, match=r"mean \(1\) must lie strictly between 0 and 1"):
        fm.Beta.from_mean_sd(1.0, 0.1)
    with pytest.raises(fm.AmountError, match="Beta 'green': sd"):
        fm.Beta.from_mean_sd(0.95, 0.5, name="green")


@settings(max_examples=60, deadline=None)
@given(st.floats(0.3, 40), st.floats(0.3, 40), st.sampled_from([(0.1, 0.9), (0.05, 0.95), (0.25, 0.5)]))
def test_beta_from_percentiles_recovers_the_beta_they_came_from(a, b, qs):
    x1, x2 = (float(special.betaincinv(a, b, q)) for q in qs)
    if not (0 < x1 < x2 < 1) or x2 - x1 < 1e-6:
        return  # too narrow to read back in floating point
    names = {f"p{round(q * 100)}": x for q, x in zip(qs, (x1, x2), strict=True)}
    beta = fm.Beta.from_percentiles(**names)
    assert beta.a == pytest.approx(a, rel=1e-4)
    assert beta.b == pytest.approx(b, rel=1e-4)


def test_beta_from_percentiles_goes_through_them():
    green = fm.Beta.from_percentiles(p10=0.8, p90=0.98, name="green")
    assert green.name == "green"
    np.testing.assert_allclose(green.ppf(np.array([0.1, 0.9])), [0.8, 0.98], rtol=1e-9)
    median = fm.Beta.from_percentiles(p2_5=0.5, p50=0.8)
    np.testing.assert_allclose(median.ppf(np.array([0.025, 0.5])), [0.5, 0.8], rtol=1e-9)


@pytest.mark.parametrize(
    ("percentiles", "message"),
    [
        ({"p10": 0.9, "p90": 0.8}, r"p10 \(0.9\) must be below p90 \(0.8\)"),
        ({"p10": 0.8}, "give exactly two percentiles"),
        ({"p10": 0.8, "p90": 1.0}, r"p90 \(1\) must lie strictly between 0 and 1"),
        ({"p10": 0.3, "p90": 0.300001}, "no Beta has p10 = 0.3 and p90 = 0.300001"),
        ({"q10": 0.3, "p90": 0.5}, "'q10' is not a percentile"),
        ({"p10": 0.3, "p10_0": 0.5}, "are the same percentile"),
    ],
)
def test_beta_from_percentiles_says_when_no_beta_fits(percentiles, message):
    with pytest.raises(fm.AmountError, match=message):
        fm.Beta.from_percentiles(**percentiles)


# -- fitting a record of savings delivered ----------------------------------------------------
def test_a_fitted_beta_reproduces_the_sample_mean_of_the_2017_18_record():
    fit = fm.fit_delivery(OCC_2017_18)
    assert fit.mean == pytest.approx(np.mean(OCC_2017_18), rel=1e-12)
    assert fit.beta().cases["central"] == pytest.approx(0.93, rel=1e-12)
    # and its variance: the sample variance (divisor n - 1)
    assert fit.sd == pytest.approx(np.std(OCC_2017_18, ddof=1), rel=1e-12)
    assert fit.n == 5 and fit.method == "moments"


def test_shares_of_exactly_100_percent_are_handled_honestly():
    # the method of moments takes them as they are
    fm.fit_delivery(OCC_2017_18)
    # maximum likelihood on exact values cannot: a Beta has no density at 1
    with pytest.raises(fm.AmountError, match="no density under a Beta; give rounding="):
        fm.fit_delivery(OCC_2017_18, method="mle")
    # read as whole percentages, 100% is 99.5% to 100%, which has a probability
    rounded = fm.fit_delivery(OCC_2017_18, method="mle", rounding=0.01)
    low, high = rounded.table().loc["mean", ["lower", "upper"]]
    assert low < np.mean(OCC_2017_18) < high
    # the likelihood it maximised: no nearby (a, b) does better
    def loglik(a, b):
        x = np.array(OCC_2017_18)
        lo, hi = np.clip(x - 0.005, 0, 1), np.clip(x + 0.005, 0, 1)
        return np.log(special.betainc(a, b, hi) - special.betainc(a, b, lo)).sum()

    best = loglik(rounded.a, rounded.b)
    for da, db in ((1.02, 1), (0.98, 1), (1, 1.02), (1, 0.98)):
        assert loglik(rounded.a * da, rounded.b * db) <= best + 1e-9


def test_planned_and_achieved_pairs_give_shares():
    fit = fm.fit_delivery(achieved=[9.3, 7.9, 2.0], planned=[10.0, 10.0, 2.0])
    assert fit.shares == pytest.approx((0.93, 0.79, 1.0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"achieved": [0.9]}, "needs at least two shares"),
        ({"achieved": [0.9, 1.2]}, r"share \[1\] \(1.2\) lies outside \[0, 1\]"),
        ({"achieved": [0.9, 0.9, 0.9]}, "every share is 0.9"),
        ({"achieved": [1, 2], "planned": [1, 0]}, r"planned\[1\] \(0\) must be positive"),
        ({"achieved": [1, 2], "planned": [1]}, "achieved has 2 values but planned has 1"),
        ({"achieved": [0.9, 0.8], "rounding": 0.01}, "rounding applies to method='mle' only|rounding .* applies"),
        ({"achieved": [0.9, "x"]}, r"achieved\[1\] \('x'\) must be a finite number"),
        ({"achieved": [0.0, 1.0]}, "too large for a Beta"),
    ],
)
def test_fit_delivery_refuses_what_it_cannot_fit(kwargs, message):
    with pytest.raises(fm.AmountError, match=message):
        fm.fit_delivery(**kwargs)


def test_standard_errors_match_the_spread_of_refits():
    """Known answer: refit many samples from Beta(9, 2); the spread of the estimates is the
    standard error the fit reports, and its 95% intervals cover the truth about 95% of the time."""
    rng = np.random.default_rng(2017)
    fits = [fm.fit_delivery(rng.beta(9.0, 2.0, size=300)) for _ in range(300)]
    a = np.array([f.a for f in fits])
    se = np.array([f.std_errors[0] for f in fits])
    assert np.std(a) == pytest.approx(np.mean(se), rel=0.12)
    covered = np.mean([f.table().loc["a", "lower"] <= 9.0 <= f.table().loc["a", "upper"] for f in fits[:200]])
    assert 0.90 <= covered <= 0.99


def test_maximum_likelihood_recovers_a_known_beta():
    x = np.random.default_rng(5).beta(3.0, 1.5, size=4000)
    fit = fm.fit_delivery(x, method="mle")
    assert abs(fit.a - 3.0) < 3 * fit.std_errors[0]
    assert abs(fit.b - 1.5) < 3 * fit.std_errors[1]


def test_the_predictive_beta_keeps_the_mean_and_is_wider():
    fit = fm.fit_delivery(OCC_2017_18)
    wide = fit.predictive(name="directorate delivery")
    assert wide.cases["central"] == pytest.approx(fit.mean, rel=1e-12)
    s, t = wide.a + wide.b, fit.a + fit.b
    assert wide.a * wide.b / (s * s * (s + 1)) > fit.a * fit.b / (t * t * (t + 1))
    # a large record pins the parameters down: the predictive Beta is the fitted one
    big = fm.fit_delivery(np.random.default_rng(1).beta(9, 2, size=20_000))
    assert big.predictive().a == pytest.approx(big.a, rel=0.02)


# -- RAG ratings --------------------------------------------------------------------------------
def test_default_rag_mapping_is_the_documented_one():
    expected = {"green": (0.95, 0.05), "amber": (0.75, 0.15), "red": (0.40, 0.25)}
    for rating, (mean, sd) in expected.items():
        beta = fm.DEFAULT_RAG[rating]
        s = beta.a + beta.b
        assert beta.a / s == pytest.approx(mean)
        assert math.sqrt(beta.a * beta.b / (s * s * (s + 1))) == pytest.approx(sd)
    assert fm.DEFAULT_RAG["delivered"] == 1.0
    draws = fm.rag("delivered").sample(100, seed=1)
    assert (draws == 1.0).all()


def test_each_rating_is_a_new_input_and_a_shared_one_is_one():
    years = fm.Timeline("2018/19", 1)
    independent = fm.MTFP("p", years, [fm.Saving("A", [1.0], delivery=fm.rag("amber")),
                                       fm.Saving("B", [1.0], delivery=fm.rag("amber"))])
    assert len(independent.leaves()) == 2
    amber = fm.rag("amber")
    shared = fm.MTFP("p", years, [fm.Saving("A", [1.0], delivery=amber), fm.Saving("B", [1.0], delivery=amber)])
    assert len(shared.leaves()) == 1
    a, b = fm.simulate(independent, n=2000, seed=3).inputs().T.to_numpy()
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.1


def test_a_rating_draws_from_its_distribution_and_takes_its_cases():
    amber = fm.rag("Amber", name="care packages delivery")
    assert amber.rating == "amber" and amber.name == "care packages delivery"
    assert amber.cases == fm.DEFAULT_RAG["amber"].cases
    u = np.linspace(0.01, 0.99, 7)
    np.testing.assert_array_equal(amber.ppf(u), fm.DEFAULT_RAG["amber"].ppf(u))
    # the worst case puts a saving's delivery at its rating's 5th percentile
    plan = fm.MTFP("p", fm.Timeline("2018/19", 1), [fm.Saving("A", [2.0], delivery=amber)])
    worst = fm.evaluate(plan, "worst").value("undelivered_savings").iloc[0]
    assert worst == pytest.approx(2.0 * (1 - amber.cases["low"]))


def test_a_council_overrides_the_mapping():
    cautious = fm.DEFAULT_RAG.replace(amber=fm.Beta.from_mean_sd(0.6, 0.2), red=0.25)
    assert fm.rag("amber", scale=cautious).cases["central"] == pytest.approx(0.6)
    assert fm.rag("red", scale=cautious).cases == {"low": 0.25, "central": 0.25, "high": 0.25}
    assert fm.rag("green", scale=cautious).cases == fm.DEFAULT_RAG["green"].cases


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fm.rag("purple"), "rating \\('purple'\\) must be one of 'delivered', 'green', 'amber', 'red'"),
        (lambda: fm.DEFAULT_RAG.replace(blue=0.5), "rating \\('blue'\\)"),
        (lambda: fm.RagScale(green=0.9, amber=fm.Normal(0.5, 0.2), red=0.2), "must not be negative"),
        (lambda: fm.RagScale(green=0.9, amber=fm.Range(0, 1) * 2, red=0.2), "is an expression"),
        (lambda: fm.RagScale(green="high", amber=0.5, red=0.2), "must be a distribution or a number"),
    ],
)
def test_bad_ratings_and_mappings_are_refused(call, message):
    with pytest.raises(fm.AmountError, match=message):
        call()


# -- part-year starts -----------------------------------------------------------------------
def test_start_months_count_from_april():
    assert [fm.start_delay(m) for m in ("April", "oct", "January", "MARCH")] == [0.0, 0.5, 0.75, 11 / 12]
    with pytest.raises(fm.ProfileError, match="is not a month"):
        fm.start_delay("Smarch")


def test_a_saving_that_starts_in_october_delivers_half_its_first_year():
    years = fm.Timeline("2018/19", 3)
    plan = fm.MTFP("p", years, [fm.Saving("Libraries", [2.0, 0.0, 0.0], delay=fm.start_delay("October"))])
    result = fm.evaluate(plan)
    # achieved level: £1m in 2018/19 (six months of £2m a year), £2m after
    assert result.value("undelivered_savings").tolist() == [1.0, -1.0, 0.0]
    assert result.value("cumulative_gap").tolist() == [-1.0, -2.0, -2.0]
    # a January start: three months of twelve in the first year
    plan = fm.MTFP("p", years, [fm.Saving("Libraries", [2.0, 0.0, 0.0], delay=fm.start_delay("January"))])
    assert fm.evaluate(plan).value("cumulative_gap").tolist() == [-0.5, -2.0, -2.0]


def test_a_planned_october_start_is_the_plan_itself():
    """A profile's own delay is the plan's timing: no shortfall, half a year in the first year."""
    years = fm.Timeline("2018/19", 3)
    benefit = fm.Benefit("Shared service", 4.0, fm.Profile.immediate().delay(fm.start_delay("October")))
    case = fm.CostBenefitCase("c", years, [benefit])
    assert fm.evaluate(case).value("benefit").tolist() == [2.0, 4.0, 4.0]


def test_a_one_off_that_slips_half_a_year_falls_half_in_each_year():
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", 1.0)],
                              [fm.Cost("Works", [4.0, 0.0, 0.0]).delayed(fm.start_delay("October"))])
    assert fm.evaluate(case).value("cost").tolist() == [2.0, 2.0, 0.0]


# -- optimism bias --------------------------------------------------------------------------
def test_a_mitigated_optimism_bias_matches_a_hand_computation():
    # standard buildings: capital expenditure upper bound 24%, lower 2%. Late design changes
    # contribute 30% of the bias and are half mitigated; environmental impact contributes 20%
    # and is fully mitigated: share mitigated = 0.3 x 0.5 + 0.2 x 1.0 = 0.35; resultant bias
    # = (1 - 0.35) x 24% = 15.6%; a £3m cost becomes £3.468m.
    share = fm.mitigation({"late design changes": (0.3, 0.5), "environmental impact": (0.2, 1.0)})
    assert share == pytest.approx(0.35)
    bias = fm.OptimismBias("standard buildings", mitigated=share)
    assert bias.resultant == pytest.approx(0.156)
    cost = fm.Cost("Depot", [3.0, 0.0]).scaled(bias.uplift())
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 1.0)], [cost])
    assert fm.evaluate(case).value("cost").tolist() == pytest.approx([3.468, 0.0])


def test_the_green_book_bounds_are_those_of_the_guidance():
    expected = {  # (capex upper, lower, duration upper, lower), per cent
        "standard buildings": (24, 2, 4, 1),
        "non-standard buildings": (51, 4, 39, 2),
        "standard civil engineering": (44, 3, 20, 1),
        "non-standard civil engineering": (66, 6, 25, 3),
        "equipment/development": (200, 10, 54, 10),
    }
    for project, (cu, cl, du, dl) in expected.items():
        capex = fm.OptimismBias(project)
        works = fm.OptimismBias(project, "works duration")
        assert (capex.upper, capex.lower, works.upper, works.lower) == pytest.approx(
            (cu / 100, cl / 100, du / 100, dl / 100)
        )
    outsourcing = fm.OptimismBias("outsourcing", "operating expenditure")
    assert (outsourcing.upper, outsourcing.lower) == (0.41, 0.0)
    with pytest.raises(fm.AmountError, match="'outsourcing' has no bound for 'capital expenditure'"):
        fm.OptimismBias("outsourcing")


def test_a_mixed_project_blends_the_bounds_by_capital_expenditure():
    # £10m of standard building and £5m of equipment: (10 x 24% + 5 x 200%) / 15 = 82.67%
    mixed = fm.OptimismBias({"standard buildings": 10, "equipment/development": 5})
    assert mixed.upper == pytest.approx((10 * 0.24 + 5 * 2.0) / 15)
    assert mixed.lower == pytest.approx((10 * 0.02 + 5 * 0.10) / 15)
    works = fm.OptimismBias({"standard buildings": 10, "equipment/development": 5}, "works duration")
    assert works.upper == pytest.approx((10 * 0.04 + 5 * 0.54) / 15)


def test_an_uncertain_bias_lies_between_the_lower_bound_and_the_resultant():
    bias = fm.OptimismBias("non-standard buildings", mitigated=0.5, uncertain=True)
    assert bias.cases == pytest.approx({"low": 0.04, "central": (0.04 + 0.255) / 2, "high": 0.255})
    draws = bias.sample(50_000, seed=8)
    assert draws.min() >= 0.04 and draws.max() <= 0.255
    assert draws.mean() == pytest.approx((0.04 + 0.255) / 2, rel=0.01)
    # the worst case of a cost scaled by it is the resultant
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", 10.0)],
                              [fm.Cost("Build", [2.0]).scaled(bias.uplift())])
    assert fm.evaluate(case, "worst").value("cost").iloc[0] == pytest.approx(2.0 * 1.255)
    with pytest.raises(fm.AmountError, match="lies below the lower bound"):
        fm.OptimismBias("standard buildings", mitigated=0.95, uncertain=True)


def test_a_works_duration_bias_slips_the_line():
    # non-standard buildings: works duration upper bound 39%; two years of works slip 0.78 years
    works = fm.OptimismBias("non-standard buildings", "works duration")
    slip = works.slippage(2)
    assert slip.case("central") == pytest.approx(0.78)
    cost = fm.Cost("Build", [4.0, 0.0, 0.0]).delayed(slip)
    case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", 1.0)], [cost])
    assert fm.evaluate(case).value("cost").tolist() == pytest.approx([4 * 0.22, 4 * 0.78, 0.0])
    with pytest.raises(fm.AmountError, match="use slippage"):
        works.uplift()
    with pytest.raises(fm.AmountError, match="slippage needs a works-duration bias"):
        fm.OptimismBias("standard buildings").slippage(2)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fm.OptimismBias("bungalows"), "project type \\('bungalows'\\) must be one of"),
        (lambda: fm.OptimismBias("standard buildings", "benefits"), "measure \\('benefits'\\)"),
        (lambda: fm.OptimismBias("standard buildings", mitigated=1.5), "mitigated \\(1.5\\)"),
        (lambda: fm.OptimismBias({"standard buildings": -1}), "must be a number >= 0"),
        (lambda: fm.mitigation([(0.7, 0.5), (0.6, 0.5)]), "add up to 1.3"),
        (lambda: fm.mitigation({"design": (0.5, 2.0)}), "mitigation factor \\(2.0\\) must lie in"),
    ],
)
def test_bad_optimism_bias_is_refused(call, message):
    with pytest.raises(fm.AmountError, match=message):
        call()
