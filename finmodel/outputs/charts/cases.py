"""When a case for change pays back: the cumulative net by year, with payback marked."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import NOT_WITHIN, Results, Simulation
from finmodel.outputs.charts.data import check_results, provenance_note
from finmodel.outputs.charts.distributions import fan
from finmodel.outputs.charts.style import (
    BETTER,
    HATCH_BETTER,
    HATCH_WORSE,
    INK,
    TARGET,
    WORSE,
    chart,
    factor,
    footnote,
    money_axis,
    new_axes,
    set_title,
    year_axis,
)

__all__ = ["payback"]


@chart
def payback(
    results: Results, *, units: str | None = None, title: str | None = None, ax: Axes | None = None
) -> Figure:
    """The cumulative net of a case for change by year, with its payback year marked.

    An evaluation shows each year's net as a bar (hatched ``...`` in credit, ``///`` in
    deficit) and the cumulative net as a line; a simulation shows the cumulative net as a
    fan (median, P25-P75, P5-P95) and marks the median payback year with the share of
    trials paid back by then. Payback is the year from which the cumulative net (in-year)
    stays at or above zero (``payback_year``).

    Parameters
    ----------
    results : CaseEvaluation or CaseSimulation
    units : {"£m", "£k", "£", "£bn"}, optional
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        The cumulative line is labelled ``"Cumulative net"`` (``"Median (P50)"`` for a
        simulation), the payback line ``"Payback 2019/20"`` (``"Median payback ..."``).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", 6)],
    ...                           [fm.Cost("k", [9, 1, 0])])
    >>> ax = fm.charts.payback(fm.evaluate(case)).axes[0]
    >>> [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    ['Cumulative net', 'Payback 2019/20']
    """
    results = check_results(results, "payback")
    if "payback_year" not in results.metrics:
        raise FinmodelError(
            f"payback: {results.model.describe()} has no payback year; payback is drawn for a cost/benefit case"
        )
    scale, shown = factor(results.model.units, units, "payback")
    if title is None:
        title = f"Cumulative net and payback: {results.model.name}"
    if isinstance(results, Simulation) and results.n > 1:
        fig = fan(results, "cumulative_net", units=shown, title=title, ax=ax)
        ax = fig.axes[0] if ax is None else ax
        year = str(results.quantiles("payback_year", 0.5).iloc[0])
        if year != NOT_WITHIN:
            share = results.probability("payback_year", "<=", year)
            _mark(ax, results.years.index(year), f"Median payback {year} ({share:.0%} of trials paid back by then)")
        else:
            _no_payback(ax, "Median case does not pay back within the timeline")
        ax.legend(loc="best")
        return fig
    fig, ax = new_axes(ax)
    x = np.arange(len(results.years))
    net = results.mean("net") * scale
    cumulative = results.mean("cumulative_net") * scale
    assert not isinstance(net, float) and not isinstance(cumulative, float)
    in_credit = net.to_numpy() >= 0
    for keep, colour, hatch, label in (
        (in_credit, BETTER, HATCH_BETTER, "Net in the year (in credit)"),
        (~in_credit, WORSE, HATCH_WORSE, "Net in the year (in deficit)"),
    ):
        if keep.any():
            ax.bar(x[keep], net.to_numpy()[keep], width=0.6, color=colour, hatch=hatch, edgecolor="white",
                   linewidth=0.0, label=label, zorder=2)
    ax.plot(x, cumulative.to_numpy(), color=INK, marker="o", markersize=5, label="Cumulative net", zorder=4)
    ax.axhline(0.0, color="#666666", linewidth=0.8, zorder=1)
    year = str(results.quantiles("payback_year", 0.5).iloc[0])
    if year != NOT_WITHIN:
        _mark(ax, results.years.index(year), f"Payback {year}")
    else:
        _no_payback(ax, "Does not pay back within the timeline")
    year_axis(ax, results.years)
    money_axis(ax, shown, brackets=results.model.negatives_in_brackets)
    set_title(ax, title)
    ax.legend(loc="best")
    footnote(fig, provenance_note(results))
    return fig


def _mark(ax: Axes, position: int, label: str) -> None:
    ax.axvline(position, color=TARGET, linestyle="--", linewidth=1.6, label=label, zorder=3)


def _no_payback(ax: Axes, text: str) -> None:
    ax.text(0.99, 0.02, text, transform=ax.transAxes, ha="right", va="bottom", color=TARGET, fontsize=8, gid="payback")
