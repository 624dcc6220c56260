"""squigglepy implementation (https://github.com/rethinkpriorities/squigglepy).

Every uncertain input is a squigglepy distribution object
(``sq.triangular``, ``sq.beta``, ``sq.bernoulli``) sampled with the
library's vectorised sampler (``dist @ n``, i.e. ``sq.sample(dist, n)``),
then the multi-year accounting is ordinary numpy on the sample arrays, as
the squigglepy README does for anything beyond a one-line model.

Why not squigglepy's distribution algebra all the way down? A composite
such as ``rate * profile[t]`` re-samples its leaves every time it is
sampled, so a run rate used in four years (or one overrun multiplier used
for every cost line) would get a fresh, independent draw per year
(``(x - x) @ n`` is not zero). Sampling each input once and combining the
arrays keeps one draw per trial, which the model requires.

The whole run is held in memory at once (no chunking): squigglepy returns
a full length-n array per input.
"""

from __future__ import annotations

import numpy as np
import squigglepy as sq

from . import models as m


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary."""
    n = int(n)
    sq.set_seed(seed)
    overrun = sq.triangular(m.M1_OVERRUN_LOW, m.M1_OVERRUN_MODE, m.M1_OVERRUN_HIGH) @ n
    benefit = np.zeros((n, m.M1_N_YEARS))
    for low, high in zip(m.M1_BENEFIT_LOW, m.M1_BENEFIT_HIGH, strict=True):
        rate = sq.triangular(low, low, high) @ n
        delivery = sq.beta(m.M1_DELIVERY_A, m.M1_DELIVERY_B) @ n
        slipped = (sq.bernoulli(m.M1_SLIP_PROB) @ n).astype(bool)
        profile = np.where(slipped[:, None], m.M1_PHASING_SLIPPED, m.M1_PHASING)
        benefit += (rate * delivery)[:, None] * profile
    net = benefit - overrun[:, None] * m.M1_COSTS
    npv = net @ m.M1_DISCOUNT
    cum = np.cumsum(net, axis=1)
    ok = cum >= 0
    paid = ok.any(axis=1)
    payback_counts = np.bincount(np.argmax(ok, axis=1)[paid], minlength=m.M1_N_YEARS)
    n_breakeven = int(ok[:, m.M1_BREAKEVEN_YEAR].sum())
    return m.summarise_model1(net, npv, n_breakeven, payback_counts)


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary."""
    n = int(n)
    sq.set_seed(seed)
    net = np.zeros((n, m.M2_N_YEARS))
    for low, high in zip(m.M2_PRESSURE_LOW, m.M2_PRESSURE_HIGH, strict=True):
        net += (sq.triangular(low, low, high) @ n)[:, None]
    for i in range(m.M2_N_LINES):
        low, high = m.M2_SAVING_LOW[i], m.M2_SAVING_HIGH[i]
        rate = sq.triangular(low, low, high) @ n
        delivery = sq.beta(m.M2_DELIVERY_A, m.M2_DELIVERY_B) @ n
        slipped = (sq.bernoulli(m.M2_SLIP_PROB) @ n).astype(bool)
        profile = np.where(slipped[:, None], m.M2_SHARE_SLIPPED[i], m.M2_SHARE[i])
        net -= (rate * delivery)[:, None] * profile
    gap = np.cumsum(net, axis=1)
    return m.summarise_model2(gap[:, -1])
