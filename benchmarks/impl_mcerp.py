"""mcerp implementation (https://github.com/tisimst/mcerp), optional peer.

mcerp represents every uncertain quantity as an ``UncertainVariable`` that
holds ``mcerp.npts`` Latin-hypercube samples, and arithmetic between them
is element-wise on those samples, so a model is written as ordinary
arithmetic on ``Tri`` / ``Beta`` / ``Bern`` objects. The slip choice is
written arithmetically (``share + slip * (slipped - share)``) because a
Bernoulli variable is 0/1. Percentiles come from ``.percentile`` and
probabilities from comparisons (``x >= 0`` gives P(x >= 0)); the payback
year, which needs a per-trial "first year" search, reads the sample arrays
(``._mcpts``) directly.

mcerp draws from numpy's legacy global generator, seeded here with
``np.random.seed``. Sample size is the global ``mcerp.npts``.
"""

from __future__ import annotations

import mcerp
import numpy as np

from . import models as m


def _start(n: int, seed: int) -> None:
    mcerp.npts = int(n)
    np.random.seed(seed)  # noqa: NPY002 - mcerp samples from the legacy global generator


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary."""
    _start(n, seed)
    years = range(m.M1_N_YEARS)
    overrun = mcerp.Tri(m.M1_OVERRUN_LOW, m.M1_OVERRUN_MODE, m.M1_OVERRUN_HIGH)
    benefit = [0.0] * m.M1_N_YEARS
    for low, high in zip(m.M1_BENEFIT_LOW, m.M1_BENEFIT_HIGH, strict=True):
        value = mcerp.Tri(low, low, high) * mcerp.Beta(m.M1_DELIVERY_A, m.M1_DELIVERY_B)
        slip = mcerp.Bern(m.M1_SLIP_PROB)
        for t in years:
            share = m.M1_PHASING[t] + slip * (m.M1_PHASING_SLIPPED[t] - m.M1_PHASING[t])
            benefit[t] = benefit[t] + value * share
    net = [benefit[t] - overrun * m.M1_COSTS[t] for t in years]
    npv = sum(net[t] * m.M1_DISCOUNT[t] for t in years)
    cum = [net[0]]
    for t in years[1:]:
        cum.append(cum[-1] + net[t])
    n = mcerp.npts
    net_arr = np.column_stack([x._mcpts for x in net])
    ok = np.column_stack([c._mcpts >= 0 for c in cum])
    paid = ok.any(axis=1)
    counts = np.bincount(np.argmax(ok, axis=1)[paid], minlength=m.M1_N_YEARS)
    p_breakeven = cum[m.M1_BREAKEVEN_YEAR] >= 0  # a probability in mcerp
    summary = m.summarise_model1(net_arr, npv._mcpts, round(p_breakeven * n), counts)
    summary["npv_q_mcerp"] = npv.percentile([q / 100 for q in m.QUANTILES])
    return summary


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary."""
    _start(n, seed)
    pressure = sum(
        mcerp.Tri(lo, lo, hi) for lo, hi in zip(m.M2_PRESSURE_LOW, m.M2_PRESSURE_HIGH, strict=True)
    )
    net = [pressure] * m.M2_N_YEARS  # net pressure per year
    for i in range(m.M2_N_LINES):
        low, high = m.M2_SAVING_LOW[i], m.M2_SAVING_HIGH[i]
        value = mcerp.Tri(low, low, high) * mcerp.Beta(m.M2_DELIVERY_A, m.M2_DELIVERY_B)
        slip = mcerp.Bern(m.M2_SLIP_PROB)
        shift = m.M2_SHARE_SLIPPED[i] - m.M2_SHARE[i]
        for t in range(m.M2_N_YEARS):
            net[t] = net[t] - value * (m.M2_SHARE[i, t] + slip * shift[t])
    gap = net[0]
    for t in range(1, m.M2_N_YEARS):
        gap = gap + net[t]  # cumulative gap; only the final year is summarised
    return m.summarise_model2(gap._mcpts)
