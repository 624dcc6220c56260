"""monaco implementation (https://github.com/scottshambaugh/monaco).

Written the way monaco's documentation sets a model up: a ``Sim`` with one
``addInVar`` per uncertain input (scipy.stats distributions: ``triang``
with ``c=0`` for a mode at the low end, ``beta(9, 1)``, ``bernoulli``), the
fixed parameters passed with ``addConstVal``, and the three user functions
``preprocess(case) -> run(...) -> postprocess(case, ...)`` called once per
case. Outputs are recorded with ``case.addOutVal`` and the summary is
taken from the collected ``sim.outvars[...].nums``.

Settings: single-threaded (the default, and the same single process the
other implementations get), monaco's default sampling method (scrambled
Sobol', so a quasi-random rather than plain pseudo-random design), no
median first case, nothing saved to disk, progress bars off.
"""

from __future__ import annotations

import warnings

import monaco as mc
import numpy as np
from scipy import stats

from . import models as m


def _triang(low: float, high: float) -> dict:
    """scipy ``triang`` keyword arguments for triangular(low, low, high)."""
    return {"c": 0.0, "loc": float(low), "scale": float(high - low)}


def _sim(name: str, n: int, seed: int, fcns: dict) -> mc.Sim:
    return mc.Sim(
        name=name,
        ndraws=int(n),
        fcns=fcns,
        seed=seed,
        firstcaseismedian=False,
        singlethreaded=True,
        verbose=False,
        savesimdata=False,
        savecasedata=False,
    )


# ---------------------------------------------------------------- model 1 ---
def _m1_preprocess(case):
    k = len(m.M1_BENEFIT_LOW)
    rates = [case.invals[f"rate{i}"].val for i in range(k)]
    delivery = [case.invals[f"delivery{i}"].val for i in range(k)]
    slips = [case.invals[f"slip{i}"].val for i in range(k)]
    return rates, delivery, slips, case.invals["overrun"].val


def _m1_run(rates, delivery, slips, overrun):
    benefit = np.zeros(m.M1_N_YEARS)
    for rate, d, s in zip(rates, delivery, slips, strict=True):
        benefit += rate * d * (m.M1_PHASING_SLIPPED if s else m.M1_PHASING)
    net = benefit - overrun * m.M1_COSTS
    cum = np.cumsum(net)
    ok = np.flatnonzero(cum >= 0)
    payback = float(ok[0]) if ok.size else np.inf
    return net, float(net @ m.M1_DISCOUNT), float(cum[m.M1_BREAKEVEN_YEAR]), payback


def _m1_postprocess(case, net, npv, cum_breakeven, payback):
    for t in range(m.M1_N_YEARS):
        case.addOutVal(f"net{t}", float(net[t]))
    case.addOutVal("npv", npv)
    case.addOutVal("cum_breakeven", cum_breakeven)
    case.addOutVal("payback", payback)


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary."""
    fcns = {"preprocess": _m1_preprocess, "run": _m1_run, "postprocess": _m1_postprocess}
    sim = _sim("model1", n, seed, fcns)
    for i, (low, high) in enumerate(zip(m.M1_BENEFIT_LOW, m.M1_BENEFIT_HIGH, strict=True)):
        sim.addInVar(name=f"rate{i}", dist=stats.triang, distkwargs=_triang(low, high))
        sim.addInVar(
            name=f"delivery{i}",
            dist=stats.beta,
            distkwargs={"a": m.M1_DELIVERY_A, "b": m.M1_DELIVERY_B},
        )
        sim.addInVar(name=f"slip{i}", dist=stats.bernoulli, distkwargs={"p": m.M1_SLIP_PROB})
    sim.addInVar(
        name="overrun",
        dist=stats.triang,
        distkwargs=_triang(m.M1_OVERRUN_LOW, m.M1_OVERRUN_HIGH),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Sobol' "n not a power of 2" notice
        sim.runSim()
    outs = sim.outvars
    net = np.column_stack([outs[f"net{t}"].nums for t in range(m.M1_N_YEARS)])
    npv = np.asarray(outs["npv"].nums, dtype=float)
    n_breakeven = int((np.asarray(outs["cum_breakeven"].nums) >= 0).sum())
    payback = np.asarray(outs["payback"].nums, dtype=float)
    counts = np.bincount(payback[np.isfinite(payback)].astype(int), minlength=m.M1_N_YEARS)
    return m.summarise_model1(net, npv, n_breakeven, counts)


# ---------------------------------------------------------------- model 2 ---
def _m2_preprocess(case):
    L, J = m.M2_N_LINES, m.M2_N_PRESSURES
    rates = np.array([case.invals[f"rate{i}"].val for i in range(L)])
    delivery = np.array([case.invals[f"delivery{i}"].val for i in range(L)])
    slips = np.array([case.invals[f"slip{i}"].val for i in range(L)], dtype=bool)
    pressures = np.array([case.invals[f"pressure{j}"].val for j in range(J)])
    return rates, delivery, slips, pressures


def _m2_run(rates, delivery, slips, pressures):
    profile = np.where(slips[:, None], m.M2_SHARE_SLIPPED, m.M2_SHARE)
    savings = (rates * delivery) @ profile
    net = pressures.sum() - savings
    return (np.cumsum(net),)


def _m2_postprocess(case, gap):
    case.addOutVal("final_gap", float(gap[-1]))


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary."""
    fcns = {"preprocess": _m2_preprocess, "run": _m2_run, "postprocess": _m2_postprocess}
    sim = _sim("model2", n, seed, fcns)
    beta = {"a": m.M2_DELIVERY_A, "b": m.M2_DELIVERY_B}
    for i in range(m.M2_N_LINES):
        low, high = m.M2_SAVING_LOW[i], m.M2_SAVING_HIGH[i]
        sim.addInVar(name=f"rate{i}", dist=stats.triang, distkwargs=_triang(low, high))
        sim.addInVar(name=f"delivery{i}", dist=stats.beta, distkwargs=beta)
        sim.addInVar(name=f"slip{i}", dist=stats.bernoulli, distkwargs={"p": m.M2_SLIP_PROB})
    for j in range(m.M2_N_PRESSURES):
        low, high = m.M2_PRESSURE_LOW[j], m.M2_PRESSURE_HIGH[j]
        sim.addInVar(name=f"pressure{j}", dist=stats.triang, distkwargs=_triang(low, high))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim.runSim()
    return m.summarise_model2(np.asarray(sim.outvars["final_gap"].nums, dtype=float))
