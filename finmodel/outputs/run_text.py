"""What ``finmodel run`` prints around the tables: the key figures, the payback
distribution, the label of each table and what to try next.

The figures come from :mod:`finmodel.outputs.headline`, so the command line says what
the workbook and the report say.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np

from finmodel.engine.results import NOT_WITHIN, Results, Simulation
from finmodel.outputs.headline import key_figures, table_title

__all__ = ["figures_text", "label", "next_steps", "payback_text"]

WIDTH = 100


def label(results: Results, basis: str) -> str:
    """A table's label, wrapped: which scenario, which basis and what that means.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> print(label(fm.evaluate(plan, "high"), "cumulative"))
    Scenario high, cumulative view: each line's level in each year (its effect on that year's budget),
    the budget gap rolled forward
    """
    return textwrap.fill(table_title(results, basis), WIDTH)


def figures_text(results: Results, *, chances_only: bool = False) -> str:
    """The key figures as one line each: ``NPV  £56.1m`` (or only the chances and the median
    payback, for a simulation whose percentiles are printed already).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)], [fm.Cost("k", [5, 1])])
    >>> print(figures_text(fm.evaluate(case)))
    NPV                                 £1.9m
    Payback year                        2019/20
    Run rate (on-going benefit a year)  £4.0m
    Return on investment                0.33
    """
    units, brackets = results.model.units, results.model.negatives_in_brackets
    figures = [f for f in key_figures(results) if not f.label.startswith(("Paid back by", "Not paid back"))]
    if chances_only:
        figures = [f for f in figures if f.label.startswith(("P(", "Median"))]
    width = max(len(f.label) for f in figures)
    return "\n".join(f"{f.label.ljust(width)}  {f.shown(units, brackets)}" for f in figures)


def payback_text(sim: Simulation) -> str:
    """How the trials' payback years spread: the share paying back in each year, and by each year.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Range(2, 8))],
    ...                           [fm.Cost("k", [5, 1])])
    >>> print(payback_text(fm.simulate(case, n=10_000, seed=1)))
    Payback year       2018/19  2019/20  not within the timeline
    share of trials      49.1%    47.3%                     3.6%
    paid back by then    49.1%    96.4%                        –
    """
    labels = [*sim.years, NOT_WITHIN]
    shares = np.bincount(sim.samples("payback_year").codes, minlength=len(labels)) / sim.n
    by_then = shares.cumsum()
    widths = [max(len(y), 7) for y in labels]
    cumulative = [f"{s:.1%}" for s in by_then[:-1]] + ["–"]
    rows = [("Payback year", list(labels)), ("share of trials", [f"{s:.1%}" for s in shares]),
            ("paid back by then", cumulative)]
    return "\n".join(f"{name:<17}  " + "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
                     for name, cells in rows)


def next_steps(path: str, *, scenario: str, simulated: bool, has_scenarios: Sequence[str] = ()) -> str:
    """What to try next with the same file, as commands to copy.

    Examples
    --------
    >>> print(next_steps("plan.toml", scenario="central", simulated=False))
    Next:
      finmodel run plan.toml --scenario high                   every uncertain input at its high case
      finmodel run plan.toml --simulate 10000 --seed 1         a Monte Carlo simulation, reproducible
      finmodel report plan.toml --out report                   the same as a web page with charts (report/report.html)
      finmodel run plan.toml --format csv --out tables         each table as a CSV file
    """
    quoted = f'"{path}"' if " " in path else path
    other = "high" if scenario != "high" else "low"
    lines = [(f"finmodel run {quoted} --scenario {other}", f"every uncertain input at its {other} case")]
    if has_scenarios:
        name = has_scenarios[0]
        shown = f'"{name}"' if " " in name else name
        lines.append((f"finmodel run {quoted} --scenario {shown}", "a scenario the file defines"))
    if not simulated:
        lines.append((f"finmodel run {quoted} --simulate 10000 --seed 1", "a Monte Carlo simulation, reproducible"))
    lines.append((f"finmodel report {quoted} --out report", "the same as a web page with charts (report/report.html)"))
    lines.append((f"finmodel run {quoted} --format csv --out tables", "each table as a CSV file"))
    width = max(len(c) for c, _ in lines) + 3
    return "Next:\n" + "\n".join(f"  {c.ljust(width)}{what}" for c, what in lines)
