"""finmodel implementation: the two reference models written with the library's API.

Both models are built the way a finance team would write them (``build_model1``,
``build_model2``), then simulated with ``fm.simulate(..., metrics=[...])`` so that only
the per-trial outputs the summary needs are kept.

Model 1 is a :class:`finmodel.CostBenefitCase`: four ``Benefit`` lines with triangular
run rates phased by ``Profile.cumulative``, a ``Beta(9, 1)`` delivery rate and a
``Chance(0.3)`` one-year slip each, and one ``Cost`` whose per-year amounts all multiply
one shared ``Triangular(1.0, 1.0, 1.6)`` overrun (the shared-draw rule: one draw per
trial for every year). NPV at a flat 3.5 % with the first year undiscounted is the
case's ``npv`` metric. Payback is the case's ``payback_year``: the first year from which
the cumulative net stays at or above zero, which for this model is the first year it
reaches zero (``models.py``'s definition; they would differ only for a trial whose
cumulative net dipped below zero again, and none does).

Model 2 is an :class:`finmodel.MTFP` of 200 ``Saving`` lines (triangular run rate,
cumulative-share ramp, ``Beta(9, 1)`` delivery, ``Chance(0.3)`` slip) and 20 flat
``Pressure`` lines. In MTFP terms, ``models.py``'s ``net[t]`` (pressures less the
savings achieved in year t) is each year's budget gap, the level finmodel calls
``cumulative_gap``; its ``gap[9]`` is therefore the sum of the ten yearly gaps, which
is what the summary reads.

Set ``FINMODEL_DTYPE=float32`` to keep the samples in float32 and
``FINMODEL_CHUNK=...`` to override the chunk size (both for the memory and scaling
scripts; the harness leaves them unset).
"""

from __future__ import annotations

import os

import numpy as np

import finmodel as fm

from . import models as m

M1_METRICS = ["net", "npv", "payback_year"]
M2_METRICS = ["cumulative_gap"]


def _options() -> dict:
    out: dict = {"dtype": os.environ.get("FINMODEL_DTYPE", "float64")}
    if os.environ.get("FINMODEL_CHUNK"):
        out["chunk_size"] = int(float(os.environ["FINMODEL_CHUNK"]))
    return out


def build_model1() -> fm.CostBenefitCase:
    """Reference model 1 as a case for change."""
    years = fm.Timeline(m.M1_YEARS[0], m.M1_N_YEARS)
    phasing = fm.Profile.cumulative(m.M1_PHASING.tolist())
    benefits = [
        fm.Benefit(
            name,
            fm.Triangular(low, low, high, name=f"{name} run rate"),
            phasing,
            delivery=fm.Beta(m.M1_DELIVERY_A, m.M1_DELIVERY_B),
            delay=fm.Chance(m.M1_SLIP_PROB),
        )
        for name, low, high in zip(m.M1_CATEGORIES, m.M1_BENEFIT_LOW, m.M1_BENEFIT_HIGH, strict=True)
    ]
    overrun = fm.Triangular(m.M1_OVERRUN_LOW, m.M1_OVERRUN_MODE, m.M1_OVERRUN_HIGH, name="cost overrun")
    costs = [fm.Cost("Implementation", [float(c) * overrun for c in m.M1_COSTS])]
    return fm.CostBenefitCase("Reference model 1", years, benefits, costs, discount_rate=m.M1_DISCOUNT_RATE)


def build_model2(n_lines: int = m.M2_N_LINES, n_years: int = m.M2_N_YEARS) -> fm.MTFP:
    """Reference model 2 as an MTFP; ``n_lines`` / ``n_years`` scale it for the scaling curve.

    With the defaults it is exactly ``models.py``'s model 2. Other sizes reuse its
    per-line parameters cyclically (and its ramps cut or held at full to ``n_years``).
    """
    years = fm.Timeline("2024/25", n_years)
    ramp = np.minimum(np.arange(1, n_years + 1)[None, :] / m.M2_RAMP_YEARS[:, None], 1.0)
    lines: list[fm.Line] = []
    for i in range(n_lines):
        k = i % m.M2_N_LINES
        low, high = float(m.M2_SAVING_LOW[k]), float(m.M2_SAVING_HIGH[k])
        lines.append(
            fm.Saving(
                f"Saving {i + 1:03d}",
                fm.Triangular(low, low, high),
                fm.Profile.cumulative(ramp[k].tolist()),
                delivery=fm.Beta(m.M2_DELIVERY_A, m.M2_DELIVERY_B),
                delay=fm.Chance(m.M2_SLIP_PROB),
            )
        )
    for j in range(m.M2_N_PRESSURES):
        low, high = float(m.M2_PRESSURE_LOW[j]), float(m.M2_PRESSURE_HIGH[j])
        lines.append(fm.Pressure(f"Pressure {j + 1:02d}", fm.Triangular(low, low, high)))
    return fm.MTFP("Reference model 2", years, lines)


def model1_summary(sim: fm.Simulation) -> dict:
    """The shared model-1 summary from a simulation that kept ``M1_METRICS``."""
    net = sim.samples("net")
    payback = sim.samples("payback_year")
    # cumulative net in 2019/20 is the sum of the first two years' net
    n_breakeven = int(np.count_nonzero(net[:, 0] + net[:, 1] >= 0.0))
    paid = payback[np.isfinite(payback)].astype(np.intp)
    counts = np.bincount(paid, minlength=m.M1_N_YEARS)
    return m.summarise_model1(net, sim.samples("npv"), n_breakeven, counts)


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials; return its summary."""
    sim = fm.simulate(build_model1(), int(n), seed, metrics=M1_METRICS, **_options())
    return model1_summary(sim)


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials; return its summary."""
    sim = fm.simulate(build_model2(), int(n), seed, metrics=M2_METRICS, **_options())
    return m.summarise_model2(sim.samples("cumulative_gap").sum(axis=1))
