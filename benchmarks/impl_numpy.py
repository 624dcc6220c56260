"""Hand-written numpy: the baseline every finmodel figure is measured against.

What a careful numpy programmer writes for one model and one question: the same PCG64
generator as finmodel (``np.random.default_rng``), float64 throughout, and exactly the
statistics of the finmodel call it is compared with (numpy's default ``"linear"``
quantiles at the same probabilities), using everything it knows about its one model.
It is the speed limit for that question, not a rival engine:

* ``model1_statistics``: reference model 1's P10/P50/P90 of net by year and of NPV, and
  P(cumulative net >= 0 in 2019/20) (target T1 of ``benchmarks.targets``);
* ``readme_statistics``: the README's OCC case for change, P10/P50/P90 of the cumulative
  net by year and P(cumulative net >= 0 in 2019/20) (T2);
* ``model2_final_gap_quantiles``: reference model 2's P10/P50/P90 of the final year's
  budget gap (T3);
* ``model2_central_table``: reference model 2's council table under its central case,
  ``fm.evaluate(plan, "central").table()``, as one ``pd.DataFrame`` (T6);
* ``run_model1`` / ``run_model2``: the harness's summaries (``models.py``) for
  ``benchmarks.run``, ``scaling`` and ``memory``.

What makes it fast
------------------
* **Layout for the reductions.** Draws are laid out (inputs, trials), so every
  transformation and every sum over inputs runs along contiguous rows, and the kept
  per-trial results are (quantities, trials): each quantity a contiguous row.
* **Chunks that stay in cache.** Trials are drawn ``CHUNK`` at a time into buffers
  allocated once per call; a model-1 chunk's uniforms (9 x 16,384 numbers, 1.2 MB) stay
  in the 2 MB L2 cache, and a model-2 chunk's (420 x 312, 1 MB) likewise.
* **Closed forms and the cheapest exact sampler for each input.** Triangular with its
  mode at the low end: ``high - (high - low) * sqrt(u)``. ``Beta(9, 1)``: ``u ** (1/9)``,
  computed as ``exp(log(u) / 9)`` (a quarter faster than ``np.power``). The README's PERT
  ranges are ``Beta(3, 3)``, the median of five uniforms, taken with a 9-operation
  min/max network (2.5 times faster than ``rng.beta(3, 3)``). A ``Chance(p)`` slip
  compares 32 random bits with ``round(p * 2**32)`` (two slips per 64-bit draw of
  ``random_raw``; p is then 0.3 to within 5e-11).
* **Linearity.** Model 1's yearly net, NPV and cumulative net are linear in three
  per-trial factors (benefit delivered on time, benefit delivered a year late, cost
  overrun), so one small matrix product per chunk gives every quantity at once, and
  only the rows asked for are kept. Model 2's gap in one year (or summed over the
  years) is a weighted sum over lines: two matrix-vector products per chunk; lines
  whose slip cannot change it (every line, in the final year) draw no slip.
* **Partition-based exact quantiles.** ``quantiles`` finds only the order statistics
  numpy's default ``"linear"`` method needs, each with a single-``kth`` in-place
  ``ndarray.partition`` (numpy's SIMD selection; ``np.quantile`` partitions once with
  every ``kth`` at once, which takes the slower introselect path, and copies first),
  bisecting so each partition works on what the last one left. The result is bit for
  bit ``np.quantile(x, q)``.
* **Monotone maps.** In the README case the cumulative net of every year is an
  increasing affine function of one per-trial number, the total run rate R; rounding
  is monotone, so the order statistics of ``R * s - c`` are ``R``'s order statistics
  mapped the same way, bit for bit. One partition of R gives all four years.

Measured in one process, medians of 7 interleaved runs, one BLAS thread, on the shared
2-core development machine (load average about 2 during the run, so absolute times are
noisy; ``python -m benchmarks.targets`` measures the current figures against finmodel).
"Before" is this module as it was (draws laid out (trials, inputs), so every operation on
an input ran over a strided column; every year's cumulative net computed and searched;
``np.percentile`` along axis 0 of the (trials, years) net, which copies it and partitions
columns with every ``kth`` at once):

==========================================  ==========  =========
call                                        before s    after s
==========================================  ==========  =========
``run_model1(1_000_000, seed)``             0.59        0.14
``model1_statistics(1_000_000, seed)``                  0.13
``readme_statistics(1_000_000, seed)``                  0.09
``run_model2(100_000, seed)``               0.71        0.48
``model2_final_gap_quantiles(100_000, s)``              0.30
==========================================  ==========  =========

Half of model 2's time is drawing its 420 uniforms a trial (620 with the harness's
slips, 200 of them as 32-bit draws); model 1's is spread over drawing (a third), the
transformations and the quantiles.
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
    """Bernoulli(p) draws into the bool array ``out``, 32 random bits each."""
    bits = rng.bit_generator.random_raw((out.size + 1) // 2).view(np.uint32)[: out.size]
    return np.less(bits.reshape(out.shape), np.uint32(round(p * 2**32)), out=out)


def _triangular_low_mode(u: np.ndarray, low, high, out: np.ndarray | None = None) -> np.ndarray:
    """``triangular(low, low, high)`` from uniforms: ``high - (high - low) * sqrt(u)``."""
    out = np.sqrt(u, out=u if out is None else out)
    out *= low - high
    out += high
    return out


def _beta_a_1(u: np.ndarray, a: float) -> np.ndarray:
    """``Beta(a, 1)`` in place: ``u ** (1 / a)`` as ``exp(log(u) / a)`` (``u = 0`` gives 0)."""
    with np.errstate(divide="ignore"):
        np.log(u, out=u)
    u *= 1.0 / a
    return np.exp(u, out=u)


def _median_of_five(u: np.ndarray, out: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """The median of the five rows of ``u`` (overwritten) into ``out``: ``Beta(3, 3)`` draws.

    A selection network: the larger of two pairs' minima and the smaller of their maxima
    bracket the median together with the fifth value.
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


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, size):
        yield start, min(n, start + size)


# --------------------------------------------------------------------- model 1 ---
# Every model-1 quantity is linear in three per-trial factors (benefit delivered on time,
# benefit delivered a year late, cost overrun); these are its weights.
M1_NET = np.column_stack([m.M1_PHASING, m.M1_PHASING_SLIPPED, -m.M1_COSTS])  # (4 years, 3)
M1_CUM = np.cumsum(M1_NET, axis=0)
M1_NPV = m.M1_DISCOUNT @ M1_NET


def _model1_rows(n: int, seed: int, weights: np.ndarray) -> Iterator[tuple[int, int, np.ndarray]]:
    """Per chunk of trials, ``weights @ factors``: rows of per-trial quantities of model 1."""
    rng = np.random.default_rng(seed)
    k = len(m.M1_BENEFIT_LOW)
    low, high = m.M1_BENEFIT_LOW[:, None], m.M1_BENEFIT_HIGH[:, None]
    draws, slip, late = np.empty((2 * k + 1) * CHUNK), np.empty(k * CHUNK, dtype=bool), np.empty(k * CHUNK)
    factors, rows = np.empty(3 * CHUNK), np.empty(len(weights) * CHUNK)
    for start, stop in _chunks(n, CHUNK):
        c = stop - start
        u, f = rng.random(out=_rows(draws, 2 * k + 1, c)), _rows(factors, 3, c)
        rate = _triangular_low_mode(u[:k], low, high)
        rate *= _beta_a_1(u[k : 2 * k], m.M1_DELIVERY_A)
        slipped = _slips(rng, m.M1_SLIP_PROB, _rows(slip, k, c))
        np.sum(np.multiply(rate, slipped, out=_rows(late, k, c)), axis=0, out=f[1])
        np.sum(rate, axis=0, out=f[0])
        f[0] -= f[1]
        _triangular_low_mode(u[2 * k], m.M1_OVERRUN_LOW, m.M1_OVERRUN_HIGH, out=f[2])
        yield start, stop, np.matmul(weights, f, out=_rows(rows, len(weights), c))


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
def readme_run_rates(total: np.ndarray, seed: int) -> Iterator[np.ndarray]:
    """Fill ``total`` with each trial's total run rate R of the README case, a chunk at a time.

    Yields each chunk's part of ``total`` once it is filled. ``R = sum_k low_k + (high_k -
    low_k) * B_k`` with ``B_k ~ Beta(3, 3)``, the median of five uniforms.
    """
    rng = np.random.default_rng(seed)
    low = np.array([lo for _, lo, _ in m.README_BENEFITS])
    width = np.array([hi for *_, hi in m.README_BENEFITS]) - low
    k = len(low)
    draws, beta, tmp = np.empty(5 * k * CHUNK), np.empty(CHUNK), np.empty(2 * CHUNK)
    for start, stop in _chunks(len(total), CHUNK):
        c = stop - start
        u, r = rng.random(out=_rows(draws, 5 * k, c)), total[start:stop]
        r.fill(low.sum())
        for j in range(k):
            b = _median_of_five(u[5 * j : 5 * j + 5], beta[:c], _rows(tmp, 2, c))
            b *= width[j]
            r += b
        yield r


def readme_statistics(n: int, seed: int, q: Sequence[float] = (0.1, 0.5, 0.9)) -> dict:
    """The README case: quantiles ``q`` of the cumulative net by year (rows q); P(cum[1] >= 0).

    The numbers of ``sim.quantiles("cumulative_net", q)`` and
    ``sim.probability("cumulative_net", ">=", 0, year="2019/20")``. Every year's
    cumulative net is ``R * share - cost`` with the same increasing map for every trial,
    so its order statistics are those of the total run rate ``R`` mapped (bit for bit).
    """
    share, cost = m.README_CUM_SHARE, m.README_CUM_COST
    total, cum = np.empty(n), np.empty(min(n, CHUNK))
    breakeven = 0
    for r in readme_run_rates(total, seed):
        c = np.multiply(r, share[1], out=cum[: len(r)])
        c -= cost[1]
        breakeven += int(np.count_nonzero(c >= 0.0))
    a, b, gamma = order_statistics(total, q)
    cum_q = np.column_stack([_lerp(a * s - c, b * s - c, gamma) for s, c in zip(share, cost, strict=True)])
    return {"cum_q": cum_q, "p_breakeven": breakeven / n}


# --------------------------------------------------------------------- model 2 ---
def _model2_weighted(
    n: int,
    rng: np.random.Generator,
    s_low: np.ndarray,
    s_high: np.ndarray,
    weight: np.ndarray,
    late_weight: np.ndarray,
    pressure_years: float,
) -> np.ndarray:
    """Per trial, ``pressure_years * sum_j P_j - sum_i S_i D_i (weight_i + slip_i * late_weight_i)``.

    With ``weight`` the savings lines' cumulative shares in one year and ``late_weight``
    the change when a line slips, that is the budget gap of that year; with both summed
    over the years, the sum of the yearly gaps. Lines are drawn as rows: the sums over
    lines are matrix-vector products. No slip is drawn when no ``late_weight`` is nonzero.
    """
    lines, pressures = len(s_low), m.M2_N_PRESSURES
    width = 2 * lines + pressures
    chunk = max(1, min(n, CHUNK_VALUES // width))
    slips = bool(np.any(late_weight))
    span = s_high - s_low
    p_high = pressure_years * m.M2_PRESSURE_HIGH.sum()
    p_span = pressure_years * (m.M2_PRESSURE_HIGH - m.M2_PRESSURE_LOW)
    # sum_i S_i D_i w_i = high @ (D w) - span @ (sqrt(u) D w); a fixed w goes into the vectors
    high_v, span_v = (s_high, span) if slips else (s_high * weight, span * weight)
    draws, weights = np.empty(width * chunk), np.empty(lines * chunk)
    slip = np.empty(lines * chunk, dtype=bool)
    out = np.empty(n)
    for start, stop in _chunks(n, chunk):
        c = stop - start
        u, res = rng.random(out=_rows(draws, width, c)), out[start:stop]
        root = np.sqrt(u[:lines], out=u[:lines])
        delivery = _beta_a_1(u[lines : 2 * lines], m.M2_DELIVERY_A)
        if slips:
            w = np.multiply(
                _slips(rng, m.M2_SLIP_PROB, _rows(slip, lines, c)),
                late_weight[:, None],
                out=_rows(weights, lines, c),
            )
            w += weight[:, None]
            delivery *= w
        root *= delivery
        np.matmul(high_v, delivery, out=res)
        res -= span_v @ root
        pressure = p_span @ np.sqrt(u[2 * lines :], out=u[2 * lines :])
        np.subtract(p_high - pressure, res, out=res)
    return out


def model2_final_gap_quantiles(n: int, seed: int, q: Sequence[float] = (0.1, 0.5, 0.9)) -> np.ndarray:
    """Model 2: quantiles ``q`` of the final year's budget gap (finmodel's ``cumulative_gap``).

    The numbers of ``sim.quantiles("cumulative_gap", q, year=<last year>)``.
    """
    share, shift = m.M2_SHARE[:, -1], m.M2_SHARE_SLIPPED[:, -1] - m.M2_SHARE[:, -1]
    rng = np.random.default_rng(seed)
    gap = _model2_weighted(n, rng, m.M2_SAVING_LOW, m.M2_SAVING_HIGH, share, shift, 1.0)
    return quantiles(gap, q)


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary (``models.py``)."""
    s_low, s_high = m.M2_SAVING_LOW, m.M2_SAVING_HIGH
    return simulate_model2(int(n), np.random.default_rng(seed), s_low, s_high, m.M2_SHARE, m.M2_SHARE_SLIPPED)


def simulate_model2(
    n: int,
    rng: np.random.Generator,
    s_low: np.ndarray,
    s_high: np.ndarray,
    share: np.ndarray,
    slipped: np.ndarray,
) -> dict:
    """Model 2's summary for any number of savings lines (rows of ``share``) and years.

    ``share`` and ``slipped`` are each line's cumulative shares, on time and a year late;
    the summary's final cumulative gap is the sum over the years of each year's gap.
    """
    weight, late = share.sum(axis=1), (slipped - share).sum(axis=1)
    final_gap = _model2_weighted(n, rng, s_low, s_high, weight, late, share.shape[1])
    return m.model2_summary(len(final_gap), quantiles(final_gap, Q))


def model2_central_table(index: Sequence[str], columns: Sequence[str]) -> Any:
    """Model 2's council table, central case: what ``fm.evaluate(plan, "central").table()`` shows.

    Rows (``index``): each saving as planned and each pressure, incremental; savings not
    delivered; the net pressure; the cumulative budget gap. ``columns``: the years, then
    "Total" (the row's sum; blank for the gap, a level). Central case: every run rate at
    its mode (the low end), delivery at its mean 9/10, a slip of 0.3 years (a 30 % chance
    of one year, which blends the on-time and the late profile). Returns a ``pd.DataFrame``
    (pandas is imported here, so that the other baselines' processes stay numpy-only).
    """
    import pandas as pd

    delivery = m.M2_DELIVERY_A / (m.M2_DELIVERY_A + m.M2_DELIVERY_B)
    planned = m.M2_SAVING_LOW[:, None] * m.M2_SHARE  # each saving's level, as planned
    achieved = (delivery * m.M2_SAVING_LOW)[:, None] * (
        m.M2_SHARE + m.M2_SLIP_PROB * (m.M2_SHARE_SLIPPED - m.M2_SHARE)
    )
    gap = m.M2_PRESSURE_LOW.sum() - achieved.sum(axis=0)
    lines, pressures = len(planned), len(m.M2_PRESSURE_LOW)
    rows = np.zeros((lines + pressures + 3, planned.shape[1] + 1))
    body = rows[:, :-1]
    body[:lines] = -np.diff(planned, axis=1, prepend=0.0)
    body[lines : lines + pressures, 0] = m.M2_PRESSURE_LOW
    body[-3] = np.diff(planned.sum(axis=0) - achieved.sum(axis=0), prepend=0.0)
    body[-2] = np.diff(gap, prepend=0.0)
    body[-1] = gap
    rows[:, -1] = body.sum(axis=1)
    rows[-1, -1] = np.nan
    return pd.DataFrame(rows + 0.0, index=index, columns=columns)
