"""Compiled loops give numpy's numbers bit for bit, and the engine gives the same results with them off.

``finmodel/core/compiled/`` fuses the kernel's hottest steps with numba. Each loop must
do exactly the floating-point operations of the numpy path it replaces, in the same
order: these tests compare the two with ``==`` (never a tolerance), on the loop itself and
on whole simulations run with compiled loops on and off (``compiled.off()``, as
``FINMODEL_COMPILED=0`` does for a whole process).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import finmodel as fm
from finmodel.core import compiled
from finmodel.core.profiles import _shifts, add_delayed, delayed
from finmodel.model.flows import Flow, Term, evaluate_flows

SCHEDULE = (0.1, 0.35, 0.7, 1.0, 1.0, 0.6)


def test_compiled_loops_are_on_where_finmodel_is_installed() -> None:
    # numba is a dependency: the comparisons below must compare two paths, never one
    assert compiled.enabled()
    assert compiled.load("shifts") is not None
N = 1_001


def _numpy(schedule, delay, factor):
    """``delayed`` by the numpy path alone (compiled loops off)."""
    with compiled.off():
        return delayed(schedule, delay, factor)


DELAYS = {
    "none": np.zeros(1),
    "one for all": np.array([2.0]),
    "a slip or not": (np.arange(N) % 3 == 0).astype(float),
    "a slip of two years or one": 1.0 + (np.arange(N) % 4 == 0),
    "several spans": (np.arange(N) % 5).astype(float),
    "past the timeline": np.where(np.arange(N) % 2 == 0, 0.0, 9.0),
    "a fraction past the timeline": np.where(np.arange(N) % 2 == 0, 1.0, 9.5),
    "never (infinitely late)": np.where(np.arange(N) % 2 == 0, 0.0, np.inf),
    "minus zero": np.full(N, -0.0),
}


@pytest.mark.parametrize("name", list(DELAYS))
def test_shifted_values_are_numpys_bit_for_bit(name: str) -> None:
    delay = DELAYS[name]
    factor = np.random.default_rng(1).normal(10.0, 5.0, N)  # signs of both kinds
    expected = _numpy(SCHEDULE, delay if delay.size > 1 else float(delay[0]), factor)
    found = compiled.load("shifts")
    out = np.full((len(SCHEDULE), N), np.nan)
    assert found.shift_into(out, _shifts(SCHEDULE), delay, factor, np.ones(1), 0)
    assert np.array_equal(out, np.broadcast_to(expected, out.shape))
    assert np.array_equal(delayed(SCHEDULE, delay if delay.size > 1 else float(delay[0]), factor), out)


@pytest.mark.parametrize("scale", ["none", "per trial", "one for all"])
@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("name", list(DELAYS))
def test_adding_into_a_total_is_adding_the_array(name: str, sign: float, scale: str) -> None:
    delay = DELAYS[name]
    rng = np.random.default_rng(2)
    factor, start = rng.normal(10.0, 5.0, N), rng.normal(0.0, 100.0, (len(SCHEDULE), N))
    times = {"none": None, "per trial": rng.beta(8.0, 2.0, N), "one for all": 0.85}[scale]
    expected = start.copy()
    # what the numpy path adds: the line's amount times its delivery, then shifted
    values = _numpy(SCHEDULE, delay if delay.size > 1 else float(delay[0]), factor if times is None else factor * times)
    if sign > 0:
        expected += values
    else:
        expected -= values
    total = start.copy()
    assert add_delayed(total, SCHEDULE, delay, factor, sign, times)
    assert np.array_equal(total, expected)


@pytest.mark.parametrize("bad", [0.5, 2.25, -1.0, -np.inf, np.nan])
@pytest.mark.parametrize("where", ["every trial", "the last trial"])
def test_a_delay_the_loop_cannot_take_leaves_the_total_untouched(bad: float, where: str) -> None:
    delay = np.full(N, bad) if where == "every trial" else np.r_[np.ones(N - 1), bad]
    # a fraction of a year blends two shifts (the numpy path's rule); a negative or NaN
    # delay is refused by name elsewhere; here the loop must write nothing and say so
    total = np.ones((len(SCHEDULE), N))
    assert not add_delayed(total, SCHEDULE, delay, np.ones(N), 1.0)
    assert (total == 1.0).all()


def _model():
    timeline = fm.Timeline("2024/25", 6)
    lines: list[fm.Line] = [
        fm.Saving(
            f"Saving {i}",
            fm.Triangular(1.0 + i, 1.5 + i, 4.0 + i),
            fm.Profile.cumulative(list(SCHEDULE)),
            delivery=fm.Beta(6, 2),
            delay=fm.Chance(0.25) if i % 2 else None,
        )
        for i in range(7)
    ]
    lines.append(fm.Pressure("Demography", [1.0, fm.Range(0.5, 1.5), 1.0, 1.0, 1.0, 1.0]))
    lines.append(fm.Saving("Late restructure", fm.Range(2.0, 3.0), fm.Profile.cumulative([0.5, 1.0]).delay(1.5)))
    return fm.MTFP("Compiled or not", timeline, lines)


def test_a_simulation_is_the_same_with_compiled_loops_on_and_off() -> None:
    plan = _model()
    on = fm.simulate(plan, n=5_000, seed=11, chunk_size=1_500)
    on_gap, on_table = on.samples("cumulative_gap"), on.table()
    with compiled.off():
        off = fm.simulate(plan, n=5_000, seed=11, chunk_size=1_500)
        off_gap, off_table = off.samples("cumulative_gap"), off.table()
    assert np.array_equal(on_gap, off_gap)
    assert on_table.equals(off_table)


def test_the_environment_variable_turns_compiled_loops_off() -> None:
    import subprocess
    import sys

    code = "from finmodel.core import compiled; print(compiled.enabled(), compiled.load('shifts') is None)"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "FINMODEL_COMPILED": "0"}
    )
    assert found.stdout.split() == ["False", "True"]


def test_a_total_is_the_sum_of_its_rows_with_compiled_loops() -> None:
    plan = _model()
    lines = plan.lines
    values = {leaf: leaf.ppf(np.random.default_rng(i).random(N)) for i, leaf in enumerate(plan.leaves())}
    terms = tuple(Term(line, "level", sign=-1.0 if isinstance(line, fm.Saving) else 1.0) for line in lines)
    total = Flow(terms)
    rows = [Flow((term,)) for term in terms]
    found = evaluate_flows(lines, [total], values, 6)[total]
    alone = evaluate_flows(lines, rows, values, 6)
    added = np.broadcast_to(alone[rows[0]], found.shape).copy()
    for row in rows[1:]:
        added += alone[row]
    assert np.array_equal(found, added)


@pytest.mark.parametrize("shape", [(3.0, 3.0), (1.5, 4.5), (4.6, 1.4), (0.5, 0.7), (40.0, 2.5)])
def test_beta_pieces_are_numpys_bit_for_bit(shape: tuple[float, float]) -> None:
    from finmodel.core.quantiles import beta_quantile

    u = np.random.default_rng(3).random(20_000)
    u[:8] = [np.nan, 0.0, 1.0 - 2.0**-53, 0.5, 2.0**-54, 1 / 32, 31 / 32, 1.0]  # edges of the body and tails
    quantile = beta_quantile(*shape)
    assert quantile.tabulated
    found = quantile(u)
    with compiled.off():
        expected = quantile(u)
    assert np.array_equal(found, expected, equal_nan=True)


@pytest.mark.parametrize("shape", [(2.0, 2.0, 7.0), (2.0, 7.0, 7.0), (2.0, 3.5, 7.0), (-4.0, -1.0, 3.0)])
def test_triangular_draws_are_numpys_bit_for_bit(shape: tuple[float, float, float]) -> None:
    from finmodel.core.distributions import triangular_ppf

    u = np.random.default_rng(4).random(20_000)
    u[:4] = [np.nan, 0.0, 1.0 - 2.0**-53, 0.3]
    found = triangular_ppf(u, *shape)
    in_place = u.copy()
    triangular_ppf(in_place, *shape, out=in_place)
    with compiled.off():
        expected = triangular_ppf(u, *shape)
    assert np.array_equal(found, expected, equal_nan=True)
    assert np.array_equal(in_place, expected, equal_nan=True)


# ------------------------------------------------------------------ the streams ---
SIZES = (0, 1, 3, 4, 7, 8, 9, 1_000, 4_099)  # fewer than two lanes' worth, whole lanes, a remainder


@pytest.mark.parametrize("seed", [0, 1, 2**63 + 5, 123_456_789])
def test_compiled_uniforms_are_generator_random_bit_for_bit(seed: int) -> None:
    streams = compiled.load("streams")
    for child in np.random.SeedSequence(seed).spawn(3):
        numpy_side = np.random.Generator(np.random.PCG64(child))
        words = streams.state(np.random.PCG64(child))
        for size in SIZES:  # one call after another: each goes on where the last stopped
            out = np.full(size, np.nan)
            streams.fill(words, out)
            assert np.array_equal(out, numpy_side.random(size)), size
            assert streams.position(words) == numpy_side.bit_generator.state["state"]["state"]


def test_compiled_uniforms_go_on_from_an_advanced_stream() -> None:
    streams = compiled.load("streams")
    bits = np.random.PCG64(np.random.SeedSequence(9))
    bits.advance(2**70 + 3)
    words = streams.state(bits)
    out = np.empty(1_001)
    streams.fill(words, out)
    assert np.array_equal(out, np.random.Generator(bits).random(1_001))


def test_draws_give_the_same_uniforms_with_compiled_loops_on_and_off_in_any_order_of_chunks() -> None:
    from finmodel.engine.sampling import Draws

    inputs = [fm.Range(0, 1), fm.Range(2, 3)]

    def chunks(draws: Draws, order: list[tuple[int, int]], off_at: int | None = None) -> dict:
        found = {}
        for k, (start, stop) in enumerate(order):
            if k == off_at:
                with compiled.off():
                    found[start] = draws.uniforms(start, stop)
            else:
                found[start] = draws.uniforms(start, stop)
        return {start: {leaf: u.copy() for leaf, u in got.items()} for start, got in found.items()}

    order = [(0, 700), (700, 1_400), (2_000, 2_500), (1_400, 2_000)]  # in turn, a jump, back again
    with compiled.off():
        expected = chunks(Draws.plan(inputs, n=2_500, seed=4), order)
    for off_at in (None, 1, 2):  # a chunk on the numpy path between compiled ones
        found = chunks(Draws.plan(inputs, n=2_500, seed=4), order, off_at)
        for start in expected:
            for leaf in inputs:
                assert np.array_equal(found[start][leaf], expected[start][leaf]), (off_at, start)
