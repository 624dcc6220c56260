"""Hand-written vectorised numpy implementation: the baseline.

This is what a skilled numpy programmer would write for each model on its
own: trials are processed in chunks so memory stays bounded, all uniforms
are drawn into preallocated buffers, and every distribution is sampled by
its closed-form inverse CDF:

* ``triangular(lo, lo, hi)`` (mode at the low end): ``hi - (hi - lo) * sqrt(u)``
  (the exact inverse CDF ``hi - (hi - lo) * sqrt(1 - u)`` with ``1 - u``
  replaced by the equally distributed ``u``);
* ``Beta(9, 1)``: CDF ``x**9`` so ``u**(1/9)``;
* ``Bernoulli(p)``: ``u < p``.

Only the per-trial outputs that the summary needs are kept (annual net and
NPV for model 1, the final cumulative gap for model 2); the break-even and
payback probabilities are accumulated as counts chunk by chunk.
"""

from __future__ import annotations

import numpy as np

from . import models as m

CHUNK_ELEMENTS = 1 << 21  # uniforms per buffer per chunk (16 MB of float64)
MAX_CHUNK = 65536


def _chunk_size(n: int, width: int) -> int:
    """Trials per chunk so one (trials, width) buffer holds <= CHUNK_ELEMENTS."""
    return max(1, min(n, MAX_CHUNK, CHUNK_ELEMENTS // width))


def _chunks(n: int, width: int):
    """Yield (start, stop) trial ranges of at most ``_chunk_size`` trials."""
    size = _chunk_size(n, width)
    for start in range(0, n, size):
        yield start, min(n, start + size)


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary."""
    n = int(n)
    rng = np.random.default_rng(seed)
    k = len(m.M1_BENEFIT_LOW)
    span = m.M1_BENEFIT_HIGH - m.M1_BENEFIT_LOW
    shift = m.M1_PHASING_SLIPPED - m.M1_PHASING  # (4,) added when slipped
    net = np.empty((n, m.M1_N_YEARS))
    npv = np.empty(n)
    n_breakeven = 0
    payback_counts = np.zeros(m.M1_N_YEARS, dtype=np.int64)
    u = np.empty((_chunk_size(n, 3 * k + 1), 3 * k + 1))
    for start, stop in _chunks(n, 3 * k + 1):
        c = stop - start
        buf = u[:c]
        rng.random(out=buf)
        rate = m.M1_BENEFIT_HIGH - span * np.sqrt(buf[:, :k])
        rate *= buf[:, k : 2 * k] ** (1.0 / m.M1_DELIVERY_A)
        slip = buf[:, 2 * k : 3 * k] < m.M1_SLIP_PROB
        overrun = m.M1_OVERRUN_HIGH - (m.M1_OVERRUN_HIGH - m.M1_OVERRUN_LOW) * np.sqrt(buf[:, 3 * k])
        # benefit[t] = sum_k rate_k * (phasing[t] + slip_k * shift[t])
        total = rate.sum(axis=1)
        slipped_total = (rate * slip).sum(axis=1)
        out = net[start:stop]
        np.multiply(total[:, None], m.M1_PHASING, out=out)
        out += slipped_total[:, None] * shift
        out -= overrun[:, None] * m.M1_COSTS
        np.dot(out, m.M1_DISCOUNT, out=npv[start:stop])
        cum = np.cumsum(out, axis=1)
        ok = cum >= 0.0
        n_breakeven += int(ok[:, m.M1_BREAKEVEN_YEAR].sum())
        first = np.argmax(ok, axis=1)
        payback_counts += np.bincount(first[ok.any(axis=1)], minlength=m.M1_N_YEARS)
    return m.summarise_model1(net, npv, n_breakeven, payback_counts)


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary."""
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
    """Model 2's chunk loop for any number of savings lines (rows of ``share``) and years.

    ``share`` and ``slipped`` are each line's cumulative shares, on time and a year late.
    """
    L, J = share.shape[0], m.M2_N_PRESSURES
    s_span = s_high - s_low
    p_high, p_span = m.M2_PRESSURE_HIGH, m.M2_PRESSURE_HIGH - m.M2_PRESSURE_LOW
    shift = slipped - share  # (L, Y)
    final_gap = np.empty(n)
    width = 3 * L + J
    u = np.empty((_chunk_size(n, width), width))
    for start, stop in _chunks(n, width):
        buf = u[: stop - start]
        rng.random(out=buf)
        delivered = s_high - s_span * np.sqrt(buf[:, :L])
        delivered *= buf[:, L : 2 * L] ** (1.0 / m.M2_DELIVERY_A)
        slip = buf[:, 2 * L : 3 * L] < m.M2_SLIP_PROB
        pressure = (p_high - p_span * np.sqrt(buf[:, 3 * L :])).sum(axis=1)
        # savings[t] = delivered @ share + (delivered * slip) @ shift
        savings = delivered @ share
        savings += (delivered * slip) @ shift
        # the final cumulative gap is the sum over the years of the net pressure
        final_gap[start:stop] = (pressure[:, None] - savings).sum(axis=1)
    return m.summarise_model2(final_gap)
