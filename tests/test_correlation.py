"""Rank correlation by ``fm.correlate``: the target is achieved, bad matrices are refused."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import finmodel as fm

N = 50_000
YEAR = fm.Timeline("2018/19", 1)


def _one_hot(i: int, k: int) -> fm.Profile:
    return fm.Profile.cumulative([1.0 if j == i else 0.0 for j in range(k)])


def _simulated(inputs, *, method="random", seed=2018, n=N):
    """Per-trial draws of each input, read back from a simulated model.

    Input ``i`` is the benefit of a line received in year ``i`` only, so column ``i``
    of the simulated "benefit" metric is that input's draw in each trial.
    """
    k = len(inputs)
    benefits = [fm.Benefit(f"b{i}", x, _one_hot(i, k)) for i, x in enumerate(inputs)]
    case = fm.CostBenefitCase("correlated", fm.Timeline("2018/19", k), benefits)
    return fm.simulate(case, n=n, seed=seed, method=method, metrics=["benefit"]).samples("benefit").T


@pytest.mark.parametrize("target", [0.7, -0.6, 0.3, 0.0])
def test_two_inputs_reach_the_target_spearman(target):
    a, b = fm.correlate([fm.Range(21, 33), fm.LogNormal(0.0, 1.0)], [[1, target], [target, 1]])
    x, y = _simulated([a, b])
    assert stats.spearmanr(x, y).statistic == pytest.approx(target, abs=0.02)


@pytest.mark.parametrize("method", ["random", "lhs"])
def test_three_inputs_reach_the_target_matrix(method):
    target = np.array([[1.0, 0.5, -0.3], [0.5, 1.0, 0.2], [-0.3, 0.2, 1.0]])
    inputs = fm.correlate([fm.Range(8, 17), fm.Beta(2, 5), fm.Normal(10, 2)], target)
    rho = stats.spearmanr(_simulated(inputs, method=method), axis=1).statistic
    np.testing.assert_allclose(rho, target, atol=0.02)


def test_correlation_keeps_each_inputs_own_distribution():
    plain = fm.Range(21, 33)
    a, _ = fm.correlate([plain, fm.Uniform(0, 1)], [[1, 0.8], [0.8, 1]])
    assert a.cases == plain.cases and a.support == plain.support
    x = _simulated([a, _])[0]
    # the marginal is still the PERT on [21, 33]: compare its quartiles
    reference = stats.beta(3, 3, loc=21, scale=12)
    np.testing.assert_allclose(np.quantile(x, [0.25, 0.5, 0.75]), reference.ppf([0.25, 0.5, 0.75]), atol=0.05)


def test_a_correlated_input_used_twice_is_still_one_quantity():
    a, b = fm.correlate([fm.Range(0, 1), fm.Range(0, 1)], [[1, 0.5], [0.5, 1]])
    x, twice, _ = _simulated([a, a * 2, b], n=2_000)
    np.testing.assert_array_equal(twice, 2 * x)


def test_correlated_results_do_not_depend_on_the_chunk_size():
    a, b = fm.correlate([fm.Range(0, 1), fm.Normal(0, 1)], [[1, -0.4], [-0.4, 1]])
    case = fm.CostBenefitCase("c", YEAR, [fm.Benefit("a", a)], [fm.Cost("b", [b + 5])])
    one = fm.simulate(case, n=5_000, seed=9, chunk_size=1_000).samples("net")
    two = fm.simulate(case, n=5_000, seed=9, chunk_size=5_000).samples("net")
    np.testing.assert_array_equal(one, two)


# -- refusals ------------------------------------------------------------------------------
def _two():
    return [fm.Range(0, 1), fm.Range(0, 1)]


def _three():
    return [fm.Range(0, 1), fm.Range(0, 1), fm.Range(0, 1)]


@pytest.mark.parametrize(
    ("inputs", "matrix", "message"),
    [
        (_two, [[1, 0.5], [0.4, 1]], "matrix is not symmetric: [0][1] is 0.5 but [1][0] is 0.4"),
        (_two, [[1, 0.5], [0.5, 0.9]], "matrix[1][1] (0.9) must be 1"),
        (_two, [[1, 1.5], [1.5, 1]], "matrix[0][1] (1.5) lies outside [-1, 1]"),
        (_two, [[1, -2], [-2, 1]], "matrix[0][1] (-2) lies outside [-1, 1]"),
        (
            _three,
            [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]],
            "matrix is not positive semi-definite",
        ),
        (_two, [[1, 0.5, 0], [0.5, 1, 0]], "matrix has shape (2, 3), expected (2, 2) for 2 inputs"),
        (_three, [[1, 0.5], [0.5, 1]], "matrix has shape (2, 2), expected (3, 3) for 3 inputs"),
        (_two, [[1, float("nan")], [float("nan"), 1]], "matrix[0][1] (nan) is not a finite number"),
        (_two, [[1, "high"], ["high", 1]], "is not a square table of numbers"),
    ],
)
def test_invalid_matrices_are_refused_naming_the_problem(inputs, matrix, message):
    with pytest.raises(fm.CorrelationError) as caught:
        fm.correlate(inputs(), matrix)
    assert message in str(caught.value)
    assert str(caught.value).startswith("correlate: ")
    assert isinstance(caught.value, fm.FinmodelError) and isinstance(caught.value, ValueError)


def test_only_inputs_can_be_correlated():
    x = fm.Range(0, 1)
    with pytest.raises(fm.CorrelationError, match="is not an uncertain input"):
        fm.correlate([x * 2, fm.Range(0, 1)], [[1, 0.5], [0.5, 1]])
    with pytest.raises(fm.CorrelationError, match="the same input appears twice"):
        fm.correlate([x, x], [[1, 0.5], [0.5, 1]])
    with pytest.raises(fm.CorrelationError, match="needs at least two inputs"):
        fm.correlate([x], [[1]])


def test_an_input_cannot_be_correlated_twice():
    a, _ = fm.correlate(_two(), [[1, 0.5], [0.5, 1]])
    with pytest.raises(fm.CorrelationError, match="is already correlated"):
        fm.correlate([a, fm.Range(0, 1)], [[1, 0.5], [0.5, 1]])


def test_a_model_using_an_input_both_plain_and_correlated_is_refused():
    plain = fm.Range(8, 17, name="Quick wins run rate")
    quick_wins, other = fm.correlate([plain, fm.Range(0, 1)], [[1, 0.5], [0.5, 1]])
    benefits = [fm.Benefit("plain", plain), fm.Benefit("correlated", quick_wins), fm.Benefit("other", other)]
    with pytest.raises(fm.ModelError) as caught:
        fm.CostBenefitCase("mixed", YEAR, benefits)
    assert "Range 'Quick wins run rate' is used both plain and correlated" in str(caught.value)


def test_a_model_mixing_them_inside_an_expression_is_refused_too():
    plain = fm.Range(0, 1)
    a, b = fm.correlate([plain, fm.Range(0, 1)], [[1, 0.5], [0.5, 1]])
    with pytest.raises(fm.ModelError, match="used both plain and correlated"):
        fm.MTFP("m", YEAR, [fm.Pressure("p", a + b), fm.Saving("s", plain * 3)])
