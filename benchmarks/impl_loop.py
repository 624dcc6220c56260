"""Naive pure-Python implementation: one loop iteration per trial.

This is the version an analyst typically writes first: the standard
library's ``random`` module, plain lists and nested ``for`` loops, with the
model written out exactly as it is described in ``models.py``. Only the
final percentiles use numpy (through the shared summary helpers).
"""

from __future__ import annotations

import math
import random

import numpy as np

from . import models as m


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary."""
    n = int(n)
    rnd = random.Random(seed)
    years = m.M1_N_YEARS
    low, high = m.M1_BENEFIT_LOW.tolist(), m.M1_BENEFIT_HIGH.tolist()
    phasing, slipped = m.M1_PHASING.tolist(), m.M1_PHASING_SLIPPED.tolist()
    costs, discount = m.M1_COSTS.tolist(), m.M1_DISCOUNT.tolist()
    nets, npvs = [], []
    n_breakeven = 0
    payback_counts = [0] * years
    for _ in range(n):
        overrun = rnd.triangular(m.M1_OVERRUN_LOW, m.M1_OVERRUN_HIGH, m.M1_OVERRUN_MODE)
        benefit = [0.0] * years
        for k in range(len(low)):
            rate = rnd.triangular(low[k], high[k], low[k])
            delivery = rnd.betavariate(m.M1_DELIVERY_A, m.M1_DELIVERY_B)
            profile = slipped if rnd.random() < m.M1_SLIP_PROB else phasing
            for t in range(years):
                benefit[t] += rate * delivery * profile[t]
        net = [benefit[t] - overrun * costs[t] for t in range(years)]
        npv = 0.0
        cum = 0.0
        payback = math.inf
        for t in range(years):
            npv += net[t] * discount[t]
            cum += net[t]
            if t == m.M1_BREAKEVEN_YEAR and cum >= 0.0:
                n_breakeven += 1
            if cum >= 0.0 and payback == math.inf:
                payback = t
        if payback != math.inf:
            payback_counts[payback] += 1
        nets.append(net)
        npvs.append(npv)
    return m.summarise_model1(_array(nets), _array(npvs), n_breakeven, _array(payback_counts))


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary."""
    n = int(n)
    rnd = random.Random(seed)
    years = m.M2_N_YEARS
    s_low, s_high = m.M2_SAVING_LOW.tolist(), m.M2_SAVING_HIGH.tolist()
    share, slipped = m.M2_SHARE.tolist(), m.M2_SHARE_SLIPPED.tolist()
    p_low, p_high = m.M2_PRESSURE_LOW.tolist(), m.M2_PRESSURE_HIGH.tolist()
    final_gaps = []
    for _ in range(n):
        net = [0.0] * years
        for j in range(len(p_low)):
            pressure = rnd.triangular(p_low[j], p_high[j], p_low[j])
            for t in range(years):
                net[t] += pressure
        for i in range(len(s_low)):
            rate = rnd.triangular(s_low[i], s_high[i], s_low[i])
            delivery = rnd.betavariate(m.M2_DELIVERY_A, m.M2_DELIVERY_B)
            profile = slipped[i] if rnd.random() < m.M2_SLIP_PROB else share[i]
            for t in range(years):
                net[t] -= rate * delivery * profile[t]
        gap = 0.0
        for t in range(years):
            gap += net[t]
        final_gaps.append(gap)
    return m.summarise_model2(_array(final_gaps))


def _array(values: list) -> np.ndarray:
    """Convert a list to a numpy array for the shared summary helpers."""
    return np.asarray(values, dtype=float)
