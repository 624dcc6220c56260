"""finmodel implementation: the reference models written with the library's API.

The models are built the way a finance team would write them (``build_model1``,
``build_model2``, ``build_readme_case``), then simulated with the call a user makes,
``fm.simulate(model, n, seed)`` with no ``metrics=`` (every metric kept, and the table
of means), and summarised through the public ``Simulation`` methods (``quantiles``,
``probability``, ``samples``).

Model 1 is a :class:`finmodel.CostBenefitCase`: four ``Benefit`` lines with triangular
run rates phased by ``Profile.cumulative``, a ``Beta(9, 1)`` delivery rate and a
``Chance(0.3)`` one-year slip each, and one ``Cost`` whose per-year amounts all multiply
one shared ``Triangular(1.0, 1.0, 1.6)`` overrun (the shared-draw rule: one draw per
trial for every year). NPV at a flat 3.5 % with the first year undiscounted is the
case's ``npv`` metric. Payback is the case's ``payback_year``: the first year from which
the cumulative net stays at or above zero, which for this model is the first year it
reaches zero (``models.py``'s definition; they would differ only for a trial whose
cumulative net dipped below zero again, and none does). ``build_model1(correlation=r)``
passes the four run rates through ``fm.correlate`` with rank correlation ``r`` between
every pair.

Model 2 is an :class:`finmodel.MTFP` of 200 ``Saving`` lines (triangular run rate,
cumulative-share ramp, ``Beta(9, 1)`` delivery, ``Chance(0.3)`` slip) and 20 flat
``Pressure`` lines. In MTFP terms, ``models.py``'s ``net[t]`` (pressures less the
savings achieved in year t) is each year's budget gap, the level finmodel calls
``cumulative_gap``; its ``gap[9]`` is therefore the sum of the ten yearly gaps, which
is what the summary reads.

The README case is the README's OCC case for change, exactly as the README builds it.

Set ``FINMODEL_DTYPE=float32`` to keep the samples in float32 and
``FINMODEL_CHUNK=...`` to override the chunk size (both for the memory and scaling
scripts; the harness leaves them unset).
"""

from __future__ import annotations

import os

import numpy as np

import finmodel as fm

from . import models as m

# What the harness's summaries read; only ``dask_speedup`` passes them as ``metrics=``.
M1_METRICS = ["net", "npv", "payback_year"]
M2_METRICS = ["cumulative_gap"]


def _options() -> dict:
    out: dict = {"dtype": os.environ.get("FINMODEL_DTYPE", "float64")}
    if os.environ.get("FINMODEL_CHUNK"):
        out["chunk_size"] = int(float(os.environ["FINMODEL_CHUNK"]))
    return out


def build_model1(correlation: float | None = None) -> fm.CostBenefitCase:
    """Reference model 1 as a case for change; ``correlation`` ranks-correlates the four run rates."""
    years = fm.Timeline(m.M1_YEARS[0], m.M1_N_YEARS)
    phasing = fm.Profile.cumulative(m.M1_PHASING.tolist())
    rates = [
        fm.Triangular(low, low, high, name=f"{name} run rate")
        for name, low, high in zip(m.M1_CATEGORIES, m.M1_BENEFIT_LOW, m.M1_BENEFIT_HIGH, strict=True)
    ]
    if correlation is not None:
        matrix = np.full((len(rates), len(rates)), correlation)
        np.fill_diagonal(matrix, 1.0)
        rates = list(fm.correlate(rates, matrix))
    benefits = [
        fm.Benefit(
            name,
            rate,
            phasing,
            delivery=fm.Beta(m.M1_DELIVERY_A, m.M1_DELIVERY_B),
            delay=fm.Chance(m.M1_SLIP_PROB),
        )
        for name, rate in zip(m.M1_CATEGORIES, rates, strict=True)
    ]
    overrun = fm.Triangular(m.M1_OVERRUN_LOW, m.M1_OVERRUN_MODE, m.M1_OVERRUN_HIGH, name="cost overrun")
    costs = [fm.Cost("Implementation", [float(c) * overrun for c in m.M1_COSTS])]
    return fm.CostBenefitCase("Reference model 1", years, benefits, costs, discount_rate=m.M1_DISCOUNT_RATE)


def build_readme_case() -> fm.CostBenefitCase:
    """The README's OCC case for change (January 2018), as the README builds it."""
    years = fm.Timeline(m.M1_YEARS[0], len(m.README_INCREMENTS))
    phasing = fm.Profile.increments(list(m.README_INCREMENTS))
    return fm.CostBenefitCase(
        "OCC case for change (January 2018)",
        years,
        benefits=[fm.Benefit(name, fm.Range(low, high), phasing) for name, low, high in m.README_BENEFITS],
        costs=[fm.Cost("Implementation", m.README_COSTS.tolist())],
    )


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
    """The shared model-1 summary, read through the simulation's public methods."""
    q = np.array(m.QUANTILES) / 100.0
    years = sim.years
    return m.model1_summary(
        sim.n,
        sim.quantiles("net", q).to_numpy(),
        sim.quantiles("npv", q).to_numpy(),
        sim.probability("cumulative_net", ">=", 0, year=years[m.M1_BREAKEVEN_YEAR]),
        np.array([sim.probability("payback_year", "<=", year) for year in years]),
    )


def model2_summary(sim: fm.Simulation) -> dict:
    """The shared model-2 summary: the sum of the yearly gaps, from the kept ``cumulative_gap``."""
    return m.summarise_model2(sim.samples("cumulative_gap").sum(axis=1))


def run_model1(n: int, seed: int) -> dict:
    """Simulate reference model 1 with ``n`` trials (the default call); return its summary."""
    return model1_summary(fm.simulate(build_model1(), int(n), seed, **_options()))


def run_model2(n: int, seed: int) -> dict:
    """Simulate reference model 2 with ``n`` trials (the default call); return its summary."""
    return model2_summary(fm.simulate(build_model2(), int(n), seed, **_options()))
