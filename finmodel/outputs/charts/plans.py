"""What makes up an MTFP's budget gap (a waterfall) and what moved it between two
versions of a plan (a bridge).

Both walk from one gap to another in steps: bars that add to the gap are hatched
``///``, bars that reduce it ``...``, and the gaps at either end are solid. Simulations
are drawn from their means, which add up as the plan does.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS, format_money
from finmodel.engine.results import Results
from finmodel.model.lines import Saving
from finmodel.model.plans import MTFP
from finmodel.outputs.charts.data import check_results, provenance_note, year_index
from finmodel.outputs.charts.style import (
    BETTER,
    HATCH_BETTER,
    HATCH_WORSE,
    INK,
    WORSE,
    chart,
    factor,
    footnote,
    money_axis,
    new_axes,
    set_title,
)

__all__ = ["bridge", "waterfall"]

Step = tuple[str, float, bool]  # label, value (a change, or a gap for a total), is a total


def _plan(results: Any, chart_name: str, what: str = "results") -> Results:
    results = check_results(results, chart_name, what)
    if not isinstance(results.model, MTFP):
        raise FinmodelError(f"{chart_name}: {what} of {results.model.describe()}: this chart is drawn for an MTFP")
    return results


def _gap(results: Results, position: int | None) -> float:
    gap = results.mean("cumulative_gap")
    assert not isinstance(gap, float)
    return float(gap.iloc[-1 if position is None else position])


def _in_year(series: Any, position: int | None) -> float:
    """A per-year metric's change over the whole timeline, or in one year."""
    values = np.asarray(series, dtype=float)
    return float(values.sum() if position is None else values[position])


def _period(results: Results, position: int | None) -> str:
    years = results.years
    return f"{years[0]} to {years[-1]}" if position is None else f"in {years[position]}"


@chart
def waterfall(
    results: Results,
    *,
    year: str | None = None,
    units: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The MTFP's budget gap built up from its parts: opening gap, pressures, investments,
    savings, re-profiling, funding, reserves, closing gap.

    Parameters
    ----------
    results : Evaluation or Simulation of an MTFP
        A simulation is drawn from its means.
    year : str, optional
        One year: from the gap brought forward (the cumulative gap of the year before;
        nothing before the first year) through that year's changes to its cumulative
        gap. Default: the whole timeline, from nothing to the last year's cumulative gap.
    units : {"£m", "£k", "£", "£bn"}, optional
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One bar per step, in order, each with its label as ``gid``: ``"Opening gap"``,
        the kinds' subtotals (``"Pressures"``, ``"Savings"``, ``"Savings not
        delivered"``...; the model's subtotal metrics), ``"Closing gap"``.

    Notes
    -----
    Closing gap = opening gap + the sum of the steps: with ``year`` the step of each kind
    is its metric's value in that year (savings as planned, and the shortfall as its own
    step), so the steps add to that year's ``net_pressure``.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2),
    ...     [fm.Pressure("Demand", [3.0, 1.0]), fm.Saving("Efficiency", [1.0, 0.5])])
    >>> bars = fm.charts.waterfall(fm.evaluate(plan)).axes[0].patches
    >>> [(bar.get_gid(), round(float(bar.get_y() + bar.get_height()), 6)) for bar in bars]
    [('Opening gap', 0.0), ('Pressures', 4.0), ('Savings', 2.5), ('Closing gap', 2.5)]
    """
    results = _plan(results, "waterfall")
    position = None if year is None else year_index(results, year, "waterfall")
    model = results.model
    assert isinstance(model, MTFP)
    steps: list[Step] = [("Opening gap", 0.0 if not position else _gap(results, position - 1), True)]
    for kind in model.line_kinds:
        if kind.metric in results.metrics:
            steps.append((kind.heading, _in_year(results.mean(kind.metric), position), False))
        if kind is Saving and "undelivered_savings" in results.metrics:
            steps.append(("Savings not delivered", _in_year(results.mean("undelivered_savings"), position), False))
    steps.append(("Closing gap", _gap(results, position), True))
    scale, shown = factor(model.units, units, "waterfall")
    fig, ax = new_axes(ax)
    _walk(ax, [(label, value * scale, total) for label, value, total in steps], shown)
    set_title(ax, title if title is not None else f"Budget gap {_period(results, position)}: {model.name}")
    footnote(fig, provenance_note(results))
    return fig


def _contributions(results: Results, grouping: str | None, position: int | None) -> dict[str, float]:
    """Each row's contribution to the cumulative gap (at the year, or the last year)."""
    rows = results.model.rows("incremental", grouping)
    table = results.table("incremental", by=grouping)
    years = len(results.years)
    out: dict[str, float] = {}
    for i, row in enumerate(rows):
        if not row.summary:  # a line or a group of lines, not a total
            values = table.iloc[i, :years].to_numpy(dtype=float)
            out[row.label] = float(values.sum() if position is None else values[: position + 1].sum())
    return out


def _names(before: Results, after: Results, names: Sequence[str] | None) -> tuple[str, str]:
    if names is not None:
        first, second = names
        return str(first), str(second)
    if before.model.name != after.model.name:
        return before.model.name, after.model.name
    if before.scenario != after.scenario:
        return before.scenario, after.scenario
    return "Before", "After"


@chart
def bridge(
    before: Results,
    after: Results,
    *,
    by: str = "line",
    year: str | None = None,
    names: Sequence[str] | None = None,
    show_unchanged: bool = False,
    units: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """What moved the budget gap between two versions of a plan, line by line or by type.

    Parameters
    ----------
    before, after : Evaluation or Simulation of an MTFP
        Two versions of a plan (last year's MTFP and this year's), or two scenarios of
        one plan. Simulations are drawn from their means.
    by : {"line", "type", "category", "owner"}
        Match the versions' lines by name (a line only in one version is marked
        ``(new)`` or ``(removed)``), or group them as the MTFP table's ``by=`` does.
    year : str, optional
        Compare the cumulative gaps in this year (default: the last year; both plans must
        have it on their timelines).
    names : (str, str), optional
        Labels of the two gaps; default: the models' names if they differ, else the
        scenarios'.
    show_unchanged : bool
        Also draw the rows that did not move.
    units : {"£m", "£k", "£", "£bn"}, optional
        Default: the units of ``before``'s model.
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One bar per step with its label as ``gid``: the first gap, each row that moved
        (after less before), the second gap.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2024/25", 2)
    >>> last = fm.MTFP("MTFP 2024", years, [fm.Pressure("Demand", [3.0, 1.0]), fm.Saving("Efficiency", [1.0, 0.5])])
    >>> this = fm.MTFP("MTFP 2025", years, [fm.Pressure("Demand", [3.5, 1.0]), fm.Saving("Efficiency", [1.0, 0.5]),
    ...                                     fm.Saving("Shared services", [0.0, 0.8])])
    >>> bars = fm.charts.bridge(fm.evaluate(last), fm.evaluate(this)).axes[0].patches
    >>> [(bar.get_gid(), round(float(bar.get_height()), 6)) for bar in bars]
    [('MTFP 2024', 2.5), ('Demand', 0.5), ('Shared services (new)', -0.8), ('MTFP 2025', 2.2)]
    """
    before = _plan(before, "bridge", "before")
    after = _plan(after, "bridge", "after")
    if by != "line" and by not in MTFP.groupings:
        shown_by = ", ".join(repr(g) for g in ("line", *(g for g in MTFP.groupings if g is not None)))
        raise FinmodelError(f"bridge: by ({by!r}) must be one of {shown_by}")
    grouping = None if by == "line" else by
    if year is None:
        first = second = None
        if before.years[-1] != after.years[-1]:
            raise FinmodelError(
                f"bridge: the plans end in different years ({before.years[-1]}, {after.years[-1]}); "
                "choose a year both cover with year=..."
            )
    else:
        first, second = year_index(before, year, "bridge"), year_index(after, year, "bridge")
    scale, shown = factor(before.model.units, units, "bridge")
    other = UNITS[after.model.units] / UNITS[shown]
    old = _contributions(before, grouping, first)
    new = _contributions(after, grouping, second)
    start, end = _gap(before, first) * scale, _gap(after, second) * other
    size = max(1.0, abs(start), abs(end))
    steps: list[Step] = []
    for label in [*old, *(k for k in new if k not in old)]:
        moved = new.get(label, 0.0) * other - old.get(label, 0.0) * scale
        if abs(moved) <= 1e-9 * size and not show_unchanged:
            continue
        tag = " (new)" if label not in old else " (removed)" if label not in new else ""
        steps.append((label + tag, moved, False))
    label_before, label_after = _names(before, after, names)
    fig, ax = new_axes(ax)
    _walk(ax, [(label_before, start, True), *steps, (label_after, end, True)], shown)
    where = "" if year is None else f" in {year}"
    set_title(ax, title if title is not None else f"What moved the budget gap{where}: {label_before} to {label_after}")
    footnote(fig, f"{provenance_note(before)} {provenance_note(after)}")
    return fig


def _walk(ax: Axes, steps: Sequence[Step], units: str) -> None:
    """Draw a walk: totals from zero, steps from the running level, connectors between."""
    level = 0.0
    previous_top: float | None = None
    ends = [0.0]
    span = max([abs(v) for _, v, _ in steps] + [1e-12])
    for i, (label, value, total) in enumerate(steps):
        if total:
            bottom, height, colour, hatch = 0.0, value, INK, None
            level = value
        else:
            bottom, height = level, value
            colour, hatch = (WORSE, HATCH_WORSE) if value > 0 else (BETTER, HATCH_BETTER)
            level += value
        ax.bar(i, height, bottom=bottom, width=0.62, color=colour, hatch=hatch, edgecolor="white",
               linewidth=0.0, gid=label, zorder=2)
        top = bottom + height
        if previous_top is not None:
            ax.plot([i - 1 + 0.31, i - 0.31], [previous_top, previous_top], color="#888888", linewidth=0.7, zorder=1)
        previous_top = level
        ends += [bottom, top]
        ax.text(i, max(bottom, top) + 0.015 * span, format_money(value, units, 1, brackets=True), ha="center",
                va="bottom", fontsize=8, color="#222222")
    ax.axhline(0.0, color="#666666", linewidth=0.8, zorder=1)
    ax.set_xticks(range(len(steps)), [textwrap.fill(label, 14) for label, _, _ in steps])
    ax.set_xlim(-0.6, len(steps) - 0.4)
    low, high = min(ends), max(ends)
    pad = 0.1 * (high - low) if high > low else 1.0
    ax.set_ylim(low - (pad if low < 0 else 0.0), high + pad)  # bars' sticky bottoms would stop margins
    money_axis(ax, units, brackets=True)
    ax.legend(
        handles=[
            Patch(facecolor=WORSE, hatch=HATCH_WORSE, edgecolor="white", label="Adds to the gap"),
            Patch(facecolor=BETTER, hatch=HATCH_BETTER, edgecolor="white", label="Reduces the gap"),
            Patch(facecolor=INK, label="Budget gap"),
        ],
        loc="best",
    )
