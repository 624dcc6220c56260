"""Hand-written numpy: the baseline every finmodel figure is measured against.

What a careful numpy programmer writes for one model and one question: the same PCG64
generator as finmodel (``np.random.default_rng``), float64 throughout, and exactly the
statistics of the finmodel call it is compared with (numpy's default ``"linear"``
quantiles at the same probabilities). It is the speed limit for that question, not a
rival engine:

* ``model1_statistics``: reference model 1's P10/P50/P90 of net by year and of NPV, and
  P(cumulative net >= 0 in 2019/20) (target T1 of ``benchmarks.targets``);
* ``readme_statistics``: the README's OCC case for change, P10/P50/P90 of the cumulative
  net by year and P(cumulative net >= 0 in 2019/20) (T2);
* ``model2_final_gap_quantiles``: reference model 2's P10/P50/P90 of the final year's
  budget gap (T3); ``model2_gap_quantiles`` for any one year;
* ``model2_central_table``: reference model 2's council table under its central case,
  ``fm.evaluate(plan, "central").table()``, as one ``pd.DataFrame`` (T6);
* ``run_model1`` / ``run_model2``: the harness's summaries (``models.py``) for
  ``benchmarks.run``, ``scaling`` and ``memory``.

What the baseline may and may not do
------------------------------------
The baseline computes the model as it is specified: every input is drawn for every
trial from its own distribution, and each reported statistic is computed from its own
data. It uses every implementation technique available in numpy: vectorised samplers
(closed-form inverse CDFs or numpy's own samplers, whichever is faster), a
cache-friendly layout and chunking, preallocated buffers, matrix products for sums over
lines, partition-based quantiles, and computing only the statistics asked for (only the
years asked for). It does not use facts about the particular model that a change of its
numbers or distributions would break: that an input cannot affect the statistic asked
(so need not be drawn), that several statistics are one increasing function of one
quantity (so one partition serves them all), or algebra specific to one distribution
family folded into the sums.

A user's model changes, and finmodel is compared with code that would still be right
after the change. So here every sampler takes its input's own parameters and stays
exact for any of them (a faster special case is taken only when the parameters are
that case: a triangular mode at the low end, ``Beta(a, 1)``, a PERT of shape (3, 3));
each line has its own row of shares, though the reference models phase their lines
alike; model 2's slips are drawn in the final year too, where none changes that year's
gap; and each year's statistics are found from that year's own numbers.

What makes it fast
------------------
* **Layout for the reductions.** Draws are laid out (inputs, trials), so every
  transformation and every sum over inputs runs along contiguous rows, and the kept
  per-trial results are (quantities, trials): each quantity a contiguous row.
* **Chunks that stay in cache.** Trials are drawn ``CHUNK`` at a time into buffers
  allocated once per call; a model-1 chunk's uniforms (9 x 16,384 numbers, 1.2 MB) stay
  in the 2 MB L2 cache, and a model-2 chunk's (420 x 312, 1 MB) likewise. The per-line
  amounts are written over the uniforms they were drawn from.
* **The fastest exact sampler for each input.** Triangular: its inverse CDF, one branch
  ``high - (high - low) * sqrt(u)`` when every mode is at its low end (as in both
  reference models), both branches otherwise. ``Beta(a, 1)``: ``u ** (1/a)``, computed
  as ``exp(log(u) / a)`` (a quarter faster than ``np.power``); ``Beta(1, b)`` likewise;
  ``rng.beta`` for any other shape. A PERT range (the README's ``fm.Range``) is a scaled
  Beta: for the shape (3, 3) of a range peaking at its midpoint, the median of five
  uniforms (the third smallest of five is ``Beta(3, 3)``), taken with a 9-operation
  min/max network (three times as fast as ``rng.beta(3, 3)``, uniforms included);
  ``rng.beta`` for any other shape. A ``Chance(p)`` slip compares 32 random bits with
  ``round(p * 2**32)`` (two slips per 64-bit draw of ``random_raw``; p is then exact to
  within 2**-33).
* **Sums over lines as matrix products.** Every quantity is a weighted sum of explicit
  per-trial amounts: model 1's of each category's delivered benefit ``R_k D_k``, the
  same times its slip ``R_k D_k slip_k``, and the cost overrun; model 2's of
  ``S_i D_i``, ``S_i D_i slip_i`` and each pressure ``P_j``; the README case's of the
  three run rates. The weights are each line's shares (on time, plus the change when
  late), so one matrix product per chunk gives every row asked for (net by year, NPV,
  the cumulative net of one year; one year's gap), and only those rows are kept.
* **Partition-based exact quantiles.** ``quantiles`` finds only the order statistics
  numpy's default ``"linear"`` method needs, each with a single-``kth`` in-place
  ``ndarray.partition`` (numpy's SIMD selection; ``np.quantile`` partitions once with
  every ``kth`` at once, which takes the slower introselect path, and copies first),
  bisecting so each partition works on what the last one left. The result is bit for
  bit ``np.quantile(x, q)``. Each statistic's row is partitioned on its own.

Measured in one process, medians of 15 interleaved runs (seed 2024 + r), one BLAS
thread, on the shared 2-core development machine (load average about 4.5 during the
run: wall times are inflated and noisy, CPU seconds less so; ``python -m
benchmarks.targets`` measures the current figures against finmodel). "Before" is this
module at d7962d7, which drew no slip where it could not change the final year's gap,
folded the triangular's ``sqrt`` into model 2's sums, took the README case's four years
from one partition of the total run rate, and summed model 1's four categories as if
they could not be phased differently:

==========================================  =================  =================
call                                        before: wall, CPU  after: wall, CPU
==========================================  =================  =================
``model1_statistics(1_000_000, seed)``      0.25 s, 0.14 s     0.23 s, 0.13 s
``readme_statistics(1_000_000, seed)``      0.16 s, 0.095 s    0.22 s, 0.12 s
``model2_final_gap_quantiles(100_000, s)``  0.41 s, 0.29 s     0.65 s, 0.39 s
``run_model1(1_000_000, seed)``             0.17 s, 0.13 s     0.18 s, 0.13 s
``run_model2(100_000, seed)``               0.35 s, 0.33 s     0.33 s, 0.31 s
==========================================  =================  =================

Model 1 costs the same (a (rows, 9) instead of a (rows, 3) matrix product). The README
case pays for four partitions instead of one; most of its time is the fifteen uniforms
a trial. Model 2's final year pays for the 200 slips a trial it now draws, the explicit
run rates and the larger matrix-vector product; a third of its time is drawing its 420
uniforms a trial.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from . import models as m

CHUNK = 16_384  # trials per chunk for models 1 and the README case
CHUNK_VALUES = 1 << 17  # model 2: uniforms per chunk (1 MB of float64)
Q = np.array(m.QUANTILES) / 100.0  # 0.1, 0.5, 0.9: what np.percentile(x, QUANTILES) uses


# ------------------------------------------------------------------- quantiles ---
def quantiles(x: np.ndarray, q: Sequence[float] | np.ndarray) -> np.ndarray:
    """``np.quantile(x, q)`` (method ``"linear"``) of a contiguous 1-D array, bit for bit.

    Reorders ``x`` in place; only the order statistics the quantiles need are found.

    Examples
    --------
    >>> x = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 0.5])
    >>> bool((quantiles(x.copy(), [0.1, 0.5, 0.9]) == np.quantile(x, [0.1, 0.5, 0.9])).all())
    True
    """
    return _lerp(*order_statistics(x, q))


def order_statistics(
    x: np.ndarray, q: Sequence[float] | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The two neighbouring order statistics of each quantile ``q`` of ``x`` and the weight between.

    numpy's ``"linear"`` method: the virtual index ``(n - 1) * q``, its floor and the next
    index (both held at the last), and ``gamma``, the fractional part. Reorders ``x``.
    """
    q = np.asarray(q, dtype=float)
    last = x.shape[0] - 1
    virtual = last * q
    below = np.floor(virtual)
    lower = np.minimum(below, last).astype(np.intp)
    upper = np.minimum(below + 1, last).astype(np.intp)
    _select(x, np.unique(np.concatenate([lower, upper])).tolist(), 0, last + 1)
    return x[lower], x[upper], virtual - below


def _lerp(a: np.ndarray, b: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """numpy's quantile interpolation, both branches (``numpy.lib._function_base_impl._lerp``)."""
    diff = b - a
    out = a + diff * gamma
    high = gamma >= 0.5
    out[high] = (b - diff * (1 - gamma))[high]
    return out


def _select(x: np.ndarray, ks: list[int], lo: int, hi: int) -> None:
    """Put the order statistics ``ks`` (sorted, within ``[lo, hi)``) in their places.

    One single-``kth`` partition of the middle one, then each side on its own part; a
    statistic at either end of its part (the upper neighbour of one already placed) is
    that part's minimum or maximum, swapped into place.
    """
    if not ks:
        return
    mid = len(ks) // 2
    k = ks[mid]
    if k in (lo, hi - 1):
        j = lo + int(x[lo:hi].argmin() if k == lo else x[lo:hi].argmax())
        x[k], x[j] = x[j], x[k]
    else:
        x[lo:hi].partition(k - lo)
    _select(x, ks[:mid], lo, k)
    _select(x, ks[mid + 1 :], k + 1, hi)


# -------------------------------------------------------------------- samplers ---
def _rows(buffer: np.ndarray, rows: int, trials: int) -> np.ndarray:
    """A contiguous (rows, trials) view at the start of a flat buffer."""
    return buffer[: rows * trials].reshape(rows, trials)


def _slips(rng: np.random.Generator, p: float, out: np.ndarray) -> np.ndarray:
    """Bernoulli(p) draws into the bool array ``out``, 32 random bits each (p to within 2**-33)."""
    bits = rng.bit_generator.random_raw((out.size + 1) // 2).view(np.uint32)[: out.size]
    threshold = round(p * 2**32)
    if threshold >= 2**32:  # p = 1: beyond 32 bits
        out.fill(True)
        return out
    return np.less(bits.reshape(out.shape), np.uint32(threshold), out=out)


def _triangular(u: np.ndarray, low, mode, high) -> np.ndarray:
    """``triangular(low, mode, high)`` draws in place of the uniforms ``u``, by its inverse CDF.

    The parameters broadcast against ``u`` (a column of them for rows of draws). With
    every mode at its low end one branch is left, ``high - (high - low) * sqrt(u)`` (``u``
    standing for ``1 - u``: the same distribution); otherwise both branches are computed,
    ``low + sqrt(u (high - low) (mode - low))`` below ``u = (mode - low) / (high - low)``
    and ``high - sqrt((1 - u) (high - low) (high - mode))`` above.
    """
    if np.all(np.equal(mode, low)):
        np.sqrt(u, out=u)
        u *= np.subtract(low, high)
        u += high
        return u
    width = np.subtract(high, low)
    with np.errstate(divide="ignore", invalid="ignore"):  # zero width: every draw is high
        corner = (np.subtract(mode, low)) / width
    below = low + np.sqrt(u * (width * np.subtract(mode, low)))
    above = high - np.sqrt((1.0 - u) * (width * np.subtract(high, mode)))
    u[...] = np.where(u < corner, below, above)
    return u


def _beta(rng: np.random.Generator, u: np.ndarray, a: float, b: float) -> np.ndarray:
    """``Beta(a, b)`` draws in place of the uniforms ``u``.

    The closed-form inverse CDF when ``b`` is 1, ``u ** (1 / a)`` computed as
    ``exp(log(u) / a)`` (a quarter faster than ``np.power``; ``u = 0`` gives 0), and when
    ``a`` is 1, ``1 - u ** (1 / b)`` (``u`` standing for ``1 - u``); numpy's own sampler
    (``rng.beta``) otherwise.
    """
    if b == 1.0 or a == 1.0:
        with np.errstate(divide="ignore"):
            np.log(u, out=u)
        u *= 1.0 / (a if b == 1.0 else b)
        np.exp(u, out=u)
        return u if b == 1.0 else np.subtract(1.0, u, out=u)
    u[...] = rng.beta(a, b, size=u.shape)
    return u


def _median_of_five(u: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """The median of the five rows of ``u`` (overwritten) into ``out``: ``Beta(3, 3)`` draws.

    The third smallest of five uniforms is ``Beta(3, 5 + 1 - 3)``. A selection network:
    the larger of two pairs' minima and the smaller of their maxima bracket the median
    together with the fifth value.
    """
    a, b, c, d, e = u
    low, mid = tmp
    np.minimum(a, b, out=low)
    np.maximum(a, b, out=a)
    np.minimum(d, e, out=mid)
    np.maximum(d, e, out=d)
    np.maximum(low, mid, out=low)  # the larger of the two minima
    np.minimum(a, d, out=a)  # the smaller of the two maxima
    np.minimum(a, c, out=mid)
    np.maximum(a, c, out=a)
    np.minimum(a, low, out=a)
    return np.maximum(mid, a, out=out)


def pert_shape(low: float, central: float, high: float) -> tuple[float, float]:
    """The Beta shape of a PERT on ``[low, high]`` peaking at ``central`` (finmodel's ``fm.Range``).

    ``1 + 4 (central - low) / (high - low)`` and ``1 + 4 (high - central) / (high - low)``.

    Examples
    --------
    >>> pert_shape(21.0, 27.0, 33.0)
    (3.0, 3.0)
    """
    width = high - low
    return 1.0 + 4.0 * (central - low) / width, 1.0 + 4.0 * (high - central) / width


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, size):
        yield start, min(n, start + size)


# --------------------------------------------------------------------- model 1 ---
# models.py: every triangular input has its mode at its low end.
M1_BENEFIT_MODE = m.M1_BENEFIT_LOW
M1_CATEGORIES = len(m.M1_BENEFIT_LOW)
# Each category's cumulative share of its run rate, on time and a year late (categories,
# years); models.py phases all four alike, but each has its own row.
M1_SHARE = np.tile(m.M1_PHASING, (M1_CATEGORIES, 1))
M1_SHARE_SLIPPED = np.tile(m.M1_PHASING_SLIPPED, (M1_CATEGORIES, 1))
# Every model-1 quantity is a weighted sum of the per-trial factors: each category's
# benefit R_k D_k, each category's benefit when it slips R_k D_k slip_k, and the cost
# overrun O; net[t] = sum_k R_k D_k (share_k[t] + slip_k (slipped_k[t] - share_k[t]))
# - O cost[t]. These are the weights (years, 2 k + 1).
M1_NET = np.hstack([M1_SHARE.T, (M1_SHARE_SLIPPED - M1_SHARE).T, -m.M1_COSTS[:, None]])
M1_CUM = np.cumsum(M1_NET, axis=0)
M1_NPV = m.M1_DISCOUNT @ M1_NET


def _model1_rows(n: int, seed: int, weights: np.ndarray) -> Iterator[tuple[int, int, np.ndarray]]:
    """Per chunk of trials, ``weights @ factors``: rows of per-trial quantities of model 1.

    Every input is drawn for every trial: each category's run rate, delivery and slip,
    and the overrun. The factors are laid out in the uniforms' own buffer.
    """
    rng = np.random.default_rng(seed)
    k = M1_CATEGORIES
    low, mode, high = m.M1_BENEFIT_LOW[:, None], M1_BENEFIT_MODE[:, None], m.M1_BENEFIT_HIGH[:, None]
    draws, slip = np.empty((2 * k + 1) * CHUNK), np.empty(k * CHUNK, dtype=bool)
    rows = np.empty(len(weights) * CHUNK)
    for start, stop in _chunks(n, CHUNK):
        c = stop - start
        u = rng.random(out=_rows(draws, 2 * k + 1, c))
        benefit = _triangular(u[:k], low, mode, high)  # run rates R_k
        benefit *= _beta(rng, u[k : 2 * k], m.M1_DELIVERY_A, m.M1_DELIVERY_B)  # R_k D_k
        np.multiply(benefit, _slips(rng, m.M1_SLIP_PROB, _rows(slip, k, c)), out=u[k : 2 * k])
        _triangular(u[2 * k], m.M1_OVERRUN_LOW, m.M1_OVERRUN_MODE, m.M1_OVERRUN_HIGH)
        yield start, stop, np.matmul(weights, u, out=_rows(rows, len(weights), c))


def model1_statistics(n: int, seed: int, q: Sequence[float] = (0.1, 0.5, 0.9)) -> dict:
    """Model 1: quantiles ``q`` of net by year (rows q, columns years) and of NPV; P(cum[1] >= 0).

    The numbers of ``sim.quantiles("net", q)``, ``sim.quantiles("npv", q)`` and
    ``sim.probability("cumulative_net", ">=", 0, year="2019/20")``.
    """
    years = m.M1_N_YEARS
    weights = np.vstack([M1_NET, M1_NPV, M1_CUM[m.M1_BREAKEVEN_YEAR]])
    kept = np.empty((years + 1, n))  # net by year, then NPV
    breakeven = 0
    for start, stop, rows in _model1_rows(n, seed, weights):
        kept[:, start:stop] = rows[:-1]
        breakeven += int(np.count_nonzero(rows[-1] >= 0.0))
    net_q = np.column_stack([quantiles(kept[t], q) for t in range(years)])
    return {"net_q": net_q, "npv_q": quantiles(kept[-1], q), "p_breakeven": breakeven / n}


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary (``models.py``)."""
    n, years = int(n), m.M1_N_YEARS
    kept = np.empty((years + 1, n))  # net by year, then NPV
    breakeven = 0
    paid_by = np.zeros(years, dtype=np.int64)  # trials whose cumulative net reached 0 by year t
    for start, stop, rows in _model1_rows(n, seed, np.vstack([M1_NET, M1_NPV, M1_CUM])):
        kept[:, start:stop] = rows[: years + 1]
        cum = rows[years + 1 :]
        breakeven += int(np.count_nonzero(cum[m.M1_BREAKEVEN_YEAR] >= 0.0))
        paid = cum[0] >= 0.0
        for t in range(years):
            if t:
                paid |= cum[t] >= 0.0
            paid_by[t] += np.count_nonzero(paid)
    net_q = np.column_stack([quantiles(kept[t], Q) for t in range(years)])
    return m.model1_summary(n, net_q, quantiles(kept[-1], Q), breakeven / n, paid_by / n)


# ------------------------------------------------------------ the README example ---
# Each benefit's (low, central, high): fm.Range(low, high) peaks at the midpoint.
README_RANGES = tuple((lo, 0.5 * (lo + hi), hi) for _, lo, hi in m.README_BENEFITS)
# Each benefit's share of its run rate received to date (benefits, years); the README
# phases all three alike, but each has its own row.
README_LINE_CUM_SHARE = np.tile(m.README_CUM_SHARE, (len(m.README_BENEFITS), 1))
README_BREAKEVEN_YEAR = 1  # 2019/20


def readme_cumulative_net(
    n: int,
    seed: int,
    ranges: Sequence[tuple[float, float, float]] = README_RANGES,
    cum_share: np.ndarray = README_LINE_CUM_SHARE,
) -> Iterator[tuple[int, int, np.ndarray]]:
    """Per chunk of trials, the README case's cumulative net by year: rows (years, trials).

    ``ranges`` are the benefits' ``(low, central, high)``, ``cum_share`` their shares of
    the run rate received to date (benefits, years). Each run rate is a PERT,
    ``R_k = low_k + (high_k - low_k) B_k`` with ``B_k ~ Beta(pert_shape(...))``: the median
    of five uniforms when the shape is (3, 3) (a range peaking at its midpoint), numpy's
    ``rng.beta`` otherwise. ``cum[t] = sum_k cum_share_k[t] R_k - cum_cost[t]``: one
    matrix product per chunk.
    """
    rng = np.random.default_rng(seed)
    low = np.array([r[0] for r in ranges])
    width = np.array([r[2] for r in ranges]) - low
    shapes = [pert_shape(*r) if r[2] > r[0] else None for r in ranges]
    five = np.cumsum([0] + [5 * (s == (3.0, 3.0)) for s in shapes])  # each benefit's first uniform
    weights = np.ascontiguousarray(np.asarray(cum_share, dtype=float).T)  # (years, benefits)
    cost = m.README_CUM_COST[:, None]
    k, years = len(ranges), len(weights)
    draws, rates, tmp = np.empty(five[-1] * CHUNK), np.empty(k * CHUNK), np.empty(2 * CHUNK)
    rows = np.empty(years * CHUNK)
    for start, stop in _chunks(n, CHUNK):
        c = stop - start
        u, r = rng.random(out=_rows(draws, five[-1], c)), _rows(rates, k, c)
        for j, shape in enumerate(shapes):
            if shape is None:  # no width: the run rate is low
                r[j].fill(0.0)
            elif shape == (3.0, 3.0):
                _median_of_five(u[five[j] : five[j + 1]], r[j], _rows(tmp, 2, c))
            else:
                r[j] = rng.beta(*shape, size=c)
        r *= width[:, None]
        r += low[:, None]
        cum = np.matmul(weights, r, out=_rows(rows, years, c))
        cum -= cost
        yield start, stop, cum


def readme_statistics(
    n: int,
    seed: int,
    q: Sequence[float] = (0.1, 0.5, 0.9),
    ranges: Sequence[tuple[float, float, float]] = README_RANGES,
    cum_share: np.ndarray = README_LINE_CUM_SHARE,
) -> dict:
    """The README case: quantiles ``q`` of the cumulative net by year (rows q); P(cum[1] >= 0).

    The numbers of ``sim.quantiles("cumulative_net", q)`` and
    ``sim.probability("cumulative_net", ">=", 0, year="2019/20")``. Every year's
    cumulative net is kept and partitioned on its own. ``ranges``, ``cum_share``: see
    ``readme_cumulative_net``.
    """
    years = len(m.README_CUM_COST)
    kept = np.empty((years, n))
    breakeven = 0
    for start, stop, cum in readme_cumulative_net(n, seed, ranges, cum_share):
        kept[:, start:stop] = cum
        breakeven += int(np.count_nonzero(cum[README_BREAKEVEN_YEAR] >= 0.0))
    cum_q = np.column_stack([quantiles(kept[t], q) for t in range(years)])
    return {"cum_q": cum_q, "p_breakeven": breakeven / n}


# --------------------------------------------------------------------- model 2 ---
# models.py: every triangular input has its mode at its low end.
M2_SAVING_MODE = m.M2_SAVING_LOW
M2_PRESSURE_MODE = m.M2_PRESSURE_LOW


def pressure_share(years: int) -> np.ndarray:
    """Each pressure's level as a share of its run rate by year (pressures, years): flat, 1 every year."""
    return np.ones((m.M2_N_PRESSURES, years))


def _model2_weighted(
    n: int,
    rng: np.random.Generator,
    savings: tuple[np.ndarray, np.ndarray, np.ndarray],
    weight: np.ndarray,
    late_weight: np.ndarray,
    pressure_weight: np.ndarray,
) -> np.ndarray:
    """Per trial, ``sum_j pressure_weight_j P_j - sum_i S_i D_i (weight_i + slip_i late_weight_i)``.

    ``savings`` are the savings lines' triangular (low, mode, high). With ``weight`` the
    lines' cumulative shares in one year, ``late_weight`` the change when a line slips and
    ``pressure_weight`` the pressures' shares, that is the budget gap of that year; with
    all three summed over the years, the sum of the yearly gaps. Every input is drawn for
    every trial (run rates, deliveries, slips, pressures), laid out as rows; the explicit
    amounts ``S_i D_i``, ``S_i D_i slip_i`` and ``P_j`` are weighted and summed over lines
    by one matrix-vector product per chunk.
    """
    s_low, s_mode, s_high = (np.asarray(a, dtype=float)[:, None] for a in savings)
    p_low, p_mode, p_high = (a[:, None] for a in (m.M2_PRESSURE_LOW, M2_PRESSURE_MODE, m.M2_PRESSURE_HIGH))
    lines, pressures = len(s_low), len(pressure_weight)
    width = 2 * lines + pressures
    chunk = max(1, min(n, CHUNK_VALUES // width))
    coefficients = np.concatenate([-weight, -late_weight, pressure_weight])
    draws, slip = np.empty(width * chunk), np.empty(lines * chunk, dtype=bool)
    out = np.empty(n)
    for start, stop in _chunks(n, chunk):
        c = stop - start
        u = rng.random(out=_rows(draws, width, c))
        achieved = _triangular(u[:lines], s_low, s_mode, s_high)  # run rates S_i
        achieved *= _beta(rng, u[lines : 2 * lines], m.M2_DELIVERY_A, m.M2_DELIVERY_B)  # S_i D_i
        slipped = _slips(rng, m.M2_SLIP_PROB, _rows(slip, lines, c))
        np.multiply(achieved, slipped, out=u[lines : 2 * lines])  # S_i D_i slip_i
        _triangular(u[2 * lines :], p_low, p_mode, p_high)  # pressures P_j
        np.matmul(coefficients, u, out=out[start:stop])
    return out


def model2_gap_quantiles(n: int, seed: int, year: int, q: Sequence[float] = (0.1, 0.5, 0.9)) -> np.ndarray:
    """Model 2: quantiles ``q`` of the budget gap of year ``year`` (an index; finmodel's ``cumulative_gap``)."""
    share, slipped = m.M2_SHARE[:, year], m.M2_SHARE_SLIPPED[:, year]
    savings = (m.M2_SAVING_LOW, M2_SAVING_MODE, m.M2_SAVING_HIGH)
    rng = np.random.default_rng(seed)
    gap = _model2_weighted(n, rng, savings, share, slipped - share, pressure_share(m.M2_N_YEARS)[:, year])
    return quantiles(gap, q)


def model2_final_gap_quantiles(n: int, seed: int, q: Sequence[float] = (0.1, 0.5, 0.9)) -> np.ndarray:
    """Model 2: quantiles ``q`` of the final year's budget gap (finmodel's ``cumulative_gap``).

    The numbers of ``sim.quantiles("cumulative_gap", q, year=<last year>)``.
    """
    return model2_gap_quantiles(n, seed, -1, q)


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary (``models.py``)."""
    savings = (m.M2_SAVING_LOW, M2_SAVING_MODE, m.M2_SAVING_HIGH)
    return simulate_model2(int(n), np.random.default_rng(seed), savings, m.M2_SHARE, m.M2_SHARE_SLIPPED)


def simulate_model2(
    n: int,
    rng: np.random.Generator,
    savings: tuple[np.ndarray, np.ndarray, np.ndarray],
    share: np.ndarray,
    slipped: np.ndarray,
) -> dict:
    """Model 2's summary for any number of savings lines (rows of ``share``) and years.

    ``savings`` are the lines' triangular (low, mode, high); ``share`` and ``slipped``
    each line's cumulative shares, on time and a year late. The summary's final
    cumulative gap is the sum over the years of each year's gap: the weights summed over
    the years.
    """
    weight, late = share.sum(axis=1), (slipped - share).sum(axis=1)
    pressure_weight = pressure_share(share.shape[1]).sum(axis=1)
    final_gap = _model2_weighted(n, rng, savings, weight, late, pressure_weight)
    return m.model2_summary(len(final_gap), quantiles(final_gap, Q))


def model2_central_table(index: Sequence[str], columns: Sequence[str]) -> Any:
    """Model 2's council table, central case: what ``fm.evaluate(plan, "central").table()`` shows.

    Rows (``index``): each saving as planned and each pressure, incremental; savings not
    delivered; the net pressure; the cumulative budget gap. ``columns``: the years, then
    "Total" (the row's sum; blank for the gap, a level). Central case: every run rate at
    its mode, delivery at its mean a / (a + b), a slip of p years for a chance p of one
    year (which blends the on-time and the late profile). Returns a ``pd.DataFrame``
    (pandas is imported here, so that the other baselines' processes stay numpy-only).
    """
    import pandas as pd

    delivery = m.M2_DELIVERY_A / (m.M2_DELIVERY_A + m.M2_DELIVERY_B)
    planned = M2_SAVING_MODE[:, None] * m.M2_SHARE  # each saving's level, as planned
    achieved = (delivery * M2_SAVING_MODE)[:, None] * (
        m.M2_SHARE + m.M2_SLIP_PROB * (m.M2_SHARE_SLIPPED - m.M2_SHARE)
    )
    pressure = M2_PRESSURE_MODE[:, None] * pressure_share(m.M2_SHARE.shape[1])  # each pressure's level
    gap = pressure.sum(axis=0) - achieved.sum(axis=0)
    lines, pressures = len(planned), len(pressure)
    rows = np.zeros((lines + pressures + 3, planned.shape[1] + 1))
    body = rows[:, :-1]
    body[:lines] = -np.diff(planned, axis=1, prepend=0.0)
    body[lines : lines + pressures] = np.diff(pressure, axis=1, prepend=0.0)
    body[-3] = np.diff(planned.sum(axis=0) - achieved.sum(axis=0), prepend=0.0)
    body[-2] = np.diff(gap, prepend=0.0)
    body[-1] = gap
    rows[:, -1] = body.sum(axis=1)
    rows[-1, -1] = np.nan
    return pd.DataFrame(rows + 0.0, index=index, columns=columns)
