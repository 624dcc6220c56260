"""The reserves balance by year against the minimum the council holds to.

Drawn from a result or from plain values. A result of a plan with a
:class:`~finmodel.ReservesBalance` (``fm.evaluate(plan)`` or ``fm.simulate(plan, ...)``)
is drawn as it is, from its reserves metrics: ``general_reserves`` (the default) against
the plan's ``reserves_minimum``, with the share of trials ``below_minimum``; or another
balance (``earmarked_reserves``, ``usable_reserves``). A balance computed anywhere else
is one balance by year (a Series indexed by financial year, or an array with
``years=``), or one per trial (a DataFrame or 2-D array, trials down and years across),
with the minimum as one amount or one per year.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from finmodel.core.errors import FinmodelError
from finmodel.core.money import check_units, format_money
from finmodel.core.years import Timeline
from finmodel.engine.results import Results
from finmodel.outputs.charts.data import check_metric, provenance_note
from finmodel.outputs.charts.distributions import BANDS, metric_label, percentile_label
from finmodel.outputs.charts.style import (
    BETTER,
    HATCH_BETTER,
    HATCH_WORSE,
    INK,
    LIGHT,
    MID,
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

__all__ = ["reserves"]

#: The balances a plan with a reserves balance can draw, by year.
BALANCES = ("general_reserves", "earmarked_reserves", "usable_reserves")


def _years(balance: Any, years: Sequence[str] | Timeline | None, count: int) -> list[str]:
    if isinstance(years, Timeline):
        labels = list(years.labels)
    elif years is not None:
        labels = [str(y) for y in years]
    elif isinstance(balance, pd.DataFrame):
        labels = [str(c) for c in balance.columns]
    elif isinstance(balance, pd.Series):
        labels = [str(i) for i in balance.index]
    else:
        raise FinmodelError("reserves: give the financial years (years=...) for a balance given as an array")
    if len(labels) != count:
        raise FinmodelError(f"reserves: {count} balances by year but {len(labels)} years ({', '.join(labels)})")
    return labels


def _minimum(minimum: Any, count: int) -> np.ndarray | None:
    if minimum is None:
        return None
    values = np.broadcast_to(np.asarray(minimum, dtype=float), (count,)) if np.ndim(minimum) == 0 else (
        np.asarray(minimum, dtype=float)
    )
    if values.shape != (count,) or not np.isfinite(values).all():
        raise FinmodelError(f"reserves: minimum ({minimum!r}) must be one amount or one per year ({count} years)")
    return np.array(values)


def _from_results(
    results: Results, metric: str, minimum: Any, units: str | None
) -> tuple[np.ndarray, list[str], np.ndarray | None, np.ndarray | None, str, str]:
    """A plan's balance by trial and year, its minimum and the share of trials below it,
    in the units shown, and the default title."""
    if "general_reserves" not in results.metrics:
        raise FinmodelError(
            f"reserves: {results.model.describe()} has no reserves balance; give the plan one "
            "(reserves=fm.ReservesBalance(...)) or pass the balances by year"
        )
    if metric not in BALANCES:
        raise FinmodelError(f"reserves: metric ({metric!r}) must be one of {', '.join(BALANCES)}")
    check_metric(results, metric, "reserves", per_year=True)
    scale, shown = factor(results.model.units, units, "reserves")
    values = np.asarray(results.samples(metric), dtype=float) * scale
    floor = below = None
    if minimum is not None:
        floor = _minimum(minimum, values.shape[1])
    elif metric == "general_reserves":  # the plan's own minimum is a minimum of general reserves
        floor = np.quantile(np.asarray(results.samples("reserves_minimum"), dtype=float), 0.5, axis=0) * scale
        below = np.asarray(results.probability("below_minimum", "==", 1), dtype=float)
    title = f"{metric_label(metric)} at 31 March: {results.model.name}"
    return values, list(results.years), floor, below, shown, title


@chart
def reserves(
    balance: Any,
    minimum: Any = None,
    *,
    metric: str = "general_reserves",
    years: Sequence[str] | Timeline | None = None,
    units: str | None = None,
    bands: Sequence[tuple[float, float]] = BANDS,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Reserves balance by year, with the minimum balance marked and the years below it shown.

    Parameters
    ----------
    balance : Evaluation, Simulation, Series, DataFrame or array
        A result of a plan with a :class:`~finmodel.ReservesBalance`: its balance
        ``metric`` by year (one trial as bars, a simulation as a median and bands).
        Or the balance at the end of each year: one path (a Series indexed by year, or a
        1-D array with ``years``), or one per trial (a DataFrame with years as columns,
        or a 2-D array of shape (trials, years)), drawn as a median and bands.
    minimum : float or sequence of float, optional
        The minimum balance (one amount, or one per year). For a result's
        ``general_reserves``, default the plan's prudent minimum (``reserves_minimum``,
        its median where it differs between trials), and the share of trials below it
        is the plan's ``below_minimum``.
    metric : {"general_reserves", "earmarked_reserves", "usable_reserves"}
        For a result: the balance to draw.
    years : sequence of str or Timeline, optional
        The financial years, when ``balance`` does not carry them.
    units : {"£m", "£k", "£", "£bn"}, optional
        The units the amounts are in (a result: shown in these units, default the
        model's; plain values: default ``"£m"``).
    bands : sequence of (low, high)
        For a balance per trial: the quantile bands (default P5-P95, P25-P75).
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One path: a bar per year with ``gid`` the year (hatched ``///`` where the balance
        is below the minimum). Per trial: the median line ``"Median (P50)"`` and bands,
        and the share of trials below the minimum under each year. The minimum is a
        dashed line labelled ``"Minimum balance"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> balance = pd.Series([12.0, 9.5, 7.0, 8.0], index=fm.Timeline("2024/25", 4).labels)
    >>> bars = fm.charts.reserves(balance, minimum=8.0).axes[0].patches
    >>> [(bar.get_gid(), float(bar.get_height()), str(bar.get_hatch())) for bar in bars][1:3]
    [('2025/26', 9.5, '...'), ('2026/27', 7.0, '///')]

    A plan with a reserves balance draws its own (``plan_result.plot.reserves()``):

    >>> plan = fm.MTFP("Plan", fm.Timeline("2024/25", 3), [fm.Pressure("Demand", [4.0, 2.0, 0.0])],
    ...                reserves=fm.ReservesBalance(general=12.0, minimum=5.0, net_revenue_expenditure=200))
    >>> bars = fm.evaluate(plan).plot.reserves().axes[0].patches
    >>> [(bar.get_gid(), float(bar.get_height()), str(bar.get_hatch())) for bar in bars]
    [('2024/25', 8.0, '...'), ('2025/26', 2.0, '///'), ('2026/27', 0.0, '///')]
    """
    below = None
    if isinstance(balance, Results):
        values, labels, floor, below, shown, default_title = _from_results(balance, metric, minimum, units)
    else:
        shown = units if units is not None else "£m"
        check_units(shown, "reserves: units")
        values = balance.to_numpy(dtype=float) if isinstance(balance, (pd.Series, pd.DataFrame)) else (
            np.asarray(balance, dtype=float)
        )
        if values.ndim not in (1, 2) or values.size == 0 or not np.isfinite(values).all():
            raise FinmodelError("reserves: balance must be finite amounts, by year (or trials by years)")
        labels = _years(balance, years, values.shape[-1])
        floor = _minimum(minimum, len(labels))
        default_title = "Reserves balance at the end of each year"
    if below is None and floor is not None:
        below = (values.reshape(-1, len(labels)) < floor).mean(axis=0)
    fig, ax = new_axes(ax)
    x = np.arange(len(labels))
    ticks: list[str] = []
    if values.ndim == 1 or values.shape[0] == 1:
        path = values.reshape(-1)
        named: set[bool] = set()
        for i, value in enumerate(path):
            low = bool(below is not None and below[i] > 0.5)
            legend = None if low in named else ("Balance below the minimum" if low else "Balance")
            named.add(low)
            ax.bar(i, value, width=0.6, color=WORSE if low else BETTER, hatch=HATCH_WORSE if low else HATCH_BETTER,
                   edgecolor="white", linewidth=0.0, gid=labels[i], label=legend, zorder=2)
        lowest = int(np.argmin(path))
        ax.annotate(f"Lowest {format_money(float(path[lowest]), shown)}", (lowest, path[lowest]),
                    textcoords="offset points", xytext=(0, 4), ha="center", fontsize=8)
    else:
        for (low_q, high_q), colour in zip(sorted(bands, key=lambda p: p[0] - p[1]), (LIGHT, MID), strict=False):
            ax.fill_between(x, np.quantile(values, low_q, axis=0), np.quantile(values, high_q, axis=0), color=colour,
                            linewidth=0, label=f"{percentile_label(low_q)}–{percentile_label(high_q)}", zorder=2)
        ax.plot(x, np.quantile(values, 0.5, axis=0), color=INK, marker="o", markersize=4, label="Median (P50)",
                zorder=4)
        if below is not None:
            ticks = [f"{year}\n{share:.0%} of trials below" for year, share in zip(labels, below, strict=True)]
    if floor is not None:
        ax.step(np.concatenate([x - 0.5, [x[-1] + 0.5]]), np.concatenate([floor, [floor[-1]]]), where="post",
                color=TARGET, linestyle="--", linewidth=1.6, label="Minimum balance", zorder=3)
    ax.axhline(0.0, color="#666666", linewidth=0.8, zorder=1)
    year_axis(ax, labels)
    if ticks:
        ax.set_xticks(x, ticks)
    money_axis(ax, shown, brackets=True)
    set_title(ax, title if title is not None else default_title)
    ax.legend(loc="best")
    if isinstance(balance, Results):
        footnote(fig, provenance_note(balance))
    return fig
