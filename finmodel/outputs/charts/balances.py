"""The reserves balance by year against the minimum the council holds to.

Drawn from plain values, so a balance computed anywhere can be shown: one balance by
year (a Series indexed by financial year, or an array with ``years=``), or one per trial
(a DataFrame or 2-D array, trials down and years across), with the minimum as one
amount or one per year.
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
from finmodel.outputs.charts.distributions import BANDS, percentile_label
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
    money_axis,
    new_axes,
    set_title,
    year_axis,
)

__all__ = ["reserves"]


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


@chart
def reserves(
    balance: Any,
    minimum: Any = None,
    *,
    years: Sequence[str] | Timeline | None = None,
    units: str = "£m",
    bands: Sequence[tuple[float, float]] = BANDS,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Reserves balance by year, with the minimum balance marked and the years below it shown.

    Parameters
    ----------
    balance : Series, DataFrame or array
        The balance at the end of each year: one path (a Series indexed by year, or a
        1-D array with ``years``), or one per trial (a DataFrame with years as columns,
        or a 2-D array of shape (trials, years)), drawn as a median and bands.
    minimum : float or sequence of float, optional
        The minimum balance (one amount, or one per year).
    years : sequence of str or Timeline, optional
        The financial years, when ``balance`` does not carry them.
    units : {"£m", "£k", "£", "£bn"}
        The units the amounts are in.
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
    """
    check_units(units, "reserves: units")
    values = balance.to_numpy(dtype=float) if isinstance(balance, (pd.Series, pd.DataFrame)) else (
        np.asarray(balance, dtype=float)
    )
    if values.ndim not in (1, 2) or values.size == 0 or not np.isfinite(values).all():
        raise FinmodelError("reserves: balance must be finite amounts, by year (or trials by years)")
    labels = _years(balance, years, values.shape[-1])
    floor = _minimum(minimum, len(labels))
    fig, ax = new_axes(ax)
    x = np.arange(len(labels))
    ticks: list[str] = []
    if values.ndim == 1 or values.shape[0] == 1:
        path = values.reshape(-1)
        named: set[bool] = set()
        for i, value in enumerate(path):
            low = bool(floor is not None and value < floor[i])
            legend = None if low in named else ("Balance below the minimum" if low else "Balance")
            named.add(low)
            ax.bar(i, value, width=0.6, color=WORSE if low else BETTER, hatch=HATCH_WORSE if low else HATCH_BETTER,
                   edgecolor="white", linewidth=0.0, gid=labels[i], label=legend, zorder=2)
        lowest = int(np.argmin(path))
        ax.annotate(f"Lowest {format_money(float(path[lowest]), units)}", (lowest, path[lowest]),
                    textcoords="offset points", xytext=(0, 4), ha="center", fontsize=8)
    else:
        for (low_q, high_q), colour in zip(sorted(bands, key=lambda p: p[0] - p[1]), (LIGHT, MID), strict=False):
            ax.fill_between(x, np.quantile(values, low_q, axis=0), np.quantile(values, high_q, axis=0), color=colour,
                            linewidth=0, label=f"{percentile_label(low_q)}–{percentile_label(high_q)}", zorder=2)
        ax.plot(x, np.quantile(values, 0.5, axis=0), color=INK, marker="o", markersize=4, label="Median (P50)",
                zorder=4)
        if floor is not None:
            below = (values < floor).mean(axis=0)
            ticks = [f"{year}\n{share:.0%} of trials below" for year, share in zip(labels, below, strict=True)]
    if floor is not None:
        ax.step(np.concatenate([x - 0.5, [x[-1] + 0.5]]), np.concatenate([floor, [floor[-1]]]), where="post",
                color=TARGET, linestyle="--", linewidth=1.6, label="Minimum balance", zorder=3)
    ax.axhline(0.0, color="#666666", linewidth=0.8, zorder=1)
    year_axis(ax, labels)
    if ticks:
        ax.set_xticks(x, ticks)
    money_axis(ax, units, brackets=True)
    set_title(ax, title if title is not None else "Reserves balance at the end of each year")
    ax.legend(loc="best")
    return fig
