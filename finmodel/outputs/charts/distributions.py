"""How uncertain a result is: a fan chart over the years, a histogram and a CDF of one figure.

Every line drawn at a percentile sits at the value ``results.quantiles`` gives (numpy's
default, linear interpolation), so a chart and a table of the same simulation agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from finmodel.core.errors import FinmodelError
from finmodel.core.money import format_money
from finmodel.engine.results import NOT_WITHIN, Results
from finmodel.outputs.charts.data import check_metric, check_results, provenance_note, year_index
from finmodel.outputs.charts.style import (
    INK,
    LIGHT,
    MID,
    TARGET,
    chart,
    factor,
    footnote,
    money_axis,
    new_axes,
    set_title,
    year_axis,
)

__all__ = ["cdf", "fan", "histogram", "metric_label", "percentile_label"]

#: The fan's default bands: P5-P95 and P25-P75.
BANDS = ((0.05, 0.95), (0.25, 0.75))
#: The percentiles marked on a histogram or CDF by default.
MARKED = (0.1, 0.5, 0.9)
#: Points of a CDF (the quantiles at 0, 0.5%, ..., 100%).
CDF_POINTS = 201


def metric_label(metric: str) -> str:
    """``"cumulative_net"`` -> ``"Cumulative net"``.

    Examples
    --------
    >>> metric_label("npv"), metric_label("cumulative_gap")
    ('NPV', 'Cumulative gap')
    """
    special = {"npv": "NPV", "roi": "Return on investment"}
    return special.get(metric, metric.replace("_", " ").capitalize())


def percentile_label(q: float) -> str:
    """``0.1`` -> ``"P10"``; ``0.025`` -> ``"P2.5"``.

    Examples
    --------
    >>> percentile_label(0.1), percentile_label(0.025)
    ('P10', 'P2.5')
    """
    return f"P{round(100 * q, 6):g}"


def _zero_line(ax: Axes, values: np.ndarray) -> None:
    if np.nanmin(values) < 0 < np.nanmax(values) or np.nanmin(values) == 0 or np.nanmax(values) == 0:
        ax.axhline(0.0, color="#666666", linewidth=0.8, zorder=1)


@chart
def fan(
    results: Results,
    metric: str,
    *,
    bands: Sequence[tuple[float, float]] = BANDS,
    target: float | None = None,
    units: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Fan chart of a per-year metric: the median and bands of percentiles, year by year.

    Parameters
    ----------
    results : Simulation or Evaluation
        An evaluation (one trial) draws its single line.
    metric : str
        A per-year money metric (``"cumulative_net"``, ``"cumulative_gap"``, ``"net"``...).
    bands : sequence of (low, high)
        Quantile pairs, widest first; default P5-P95 and P25-P75.
    target : float, optional
        A level to mark (in the model's units, as ``probability`` takes it).
    units : {"£m", "£k", "£", "£bn"}, optional
        Show in these units (default: the model's).
    title : str, optional
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new chart.

    Returns
    -------
    matplotlib.figure.Figure
        Artists are labelled for reading back: the median line ``"Median (P50)"``, each
        band ``"P5–P95"``..., the target ``"Target"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [9, 1, 0])])
    >>> sim = fm.simulate(case, n=2_000, seed=1)
    >>> fig = fm.charts.fan(sim, "cumulative_net")
    >>> median = fig.axes[0].get_lines()[0]
    >>> bool(np.allclose(median.get_ydata(), sim.quantiles("cumulative_net", 0.5)))
    True
    """
    results = check_results(results, "fan")
    check_metric(results, metric, "fan", per_year=True)
    scale, shown = factor(results.model.units, units, "fan")
    pairs = [tuple(float(q) for q in pair) for pair in bands]
    for low, high in pairs:
        if not 0 <= low < high <= 1:
            raise FinmodelError(f"fan: bands ({bands!r}) must be pairs (low, high) with 0 <= low < high <= 1")
    qs = sorted({0.5, *(q for pair in pairs for q in pair)})
    found = results.quantiles(metric, qs) * scale
    fig, ax = new_axes(ax)
    x = np.arange(len(results.years))
    if results.n > 1:
        shades = [LIGHT, MID] + [MID] * max(0, len(pairs) - 2)
        for (low, high), colour in zip(sorted(pairs, key=lambda p: p[0] - p[1]), shades, strict=False):
            ax.fill_between(
                x, found.loc[low], found.loc[high], color=colour, alpha=0.9, linewidth=0,
                label=f"{percentile_label(low)}–{percentile_label(high)}", zorder=2,
            )
        label = "Median (P50)"
    else:
        label = f"{results.scenario} case"
    median = found.loc[0.5].to_numpy()
    ax.plot(x, median, color=INK, marker="o", markersize=4, label=label, zorder=4)
    ax.lines[-1].set_gid("median")
    _zero_line(ax, found.to_numpy())
    if target is not None:
        ax.axhline(target * scale, color=TARGET, linestyle="--", linewidth=1.4, label="Target", zorder=3)
    year_axis(ax, results.years)
    money_axis(ax, shown, brackets=results.model.negatives_in_brackets)
    set_title(ax, title if title is not None else f"{metric_label(metric)}: {results.model.name}")
    ax.legend(loc="best")
    footnote(fig, provenance_note(results))
    return fig


def _one_value_per_trial(results: Results, metric: str, year: Any, chart_name: str) -> tuple[np.ndarray, str | None]:
    """The metric's values, one per trial (a year's values for a per-year metric)."""
    if results.n < 2:
        raise FinmodelError(
            f"{chart_name}: {type(results).__name__} of {results.model.describe()} has one trial; "
            "a distribution needs a simulation (fm.simulate)"
        )
    found = check_metric(results, metric, chart_name)
    values = results.samples(metric)
    if found.per_year:
        if year is None:
            raise FinmodelError(
                f"{chart_name}: metric {metric!r} has a value per year; choose one with year= "
                f"({', '.join(results.years)})"
            )
        position = year_index(results, year, chart_name)
        return np.asarray(values[:, position]), results.years[position]
    if year is not None:
        raise FinmodelError(f"{chart_name}: metric {metric!r} has one value per trial; leave out year ({year!r})")
    if not np.isfinite(values).all():  # a return on investment with no cost
        raise FinmodelError(f"{chart_name}: metric {metric!r} is infinite in some trials; it cannot be drawn")
    return values, None


def _year_shares(results: Results, metric: str) -> tuple[list[str], np.ndarray]:
    """Shares of trials by year label (payback), in timeline order."""
    values = results.samples(metric)
    labels = [*results.years, NOT_WITHIN]
    counts = np.bincount(np.asarray(values.codes, dtype=np.intp), minlength=len(labels))
    return labels, counts / results.n


def _money_text(value: float, units: str, brackets: bool) -> str:
    return format_money(value, units, 2 if abs(value) < 10 else 1, brackets=brackets)


def _caption(metric: str, year: str | None, results: Results) -> str:
    where = f" in {year}" if year is not None else ""
    return f"{metric_label(metric)}{where}: {results.model.name}"


@chart
def histogram(
    results: Results,
    metric: str,
    year: str | None = None,
    *,
    bins: int = 50,
    marks: Sequence[float] = MARKED,
    target: Any = None,
    units: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Histogram of one figure over the trials, with P10/P50/P90 and an optional target marked.

    Parameters
    ----------
    results : Simulation
    metric : str
        A metric (``"npv"``, ``"run_rate"``; a per-year one with ``year``). For
        ``"payback_year"`` the bars are the share of trials paying back in each year.
    year : str, optional
        The year of a per-year metric.
    bins : int
    marks : sequence of float
        Quantiles marked with vertical lines (default P10, P50, P90), at the values of
        ``results.quantiles(metric, marks, year=year)``.
    target : float or str, optional
        A threshold to mark, in the model's units (a year label for payback); the legend
        gives the share of trials at or above it (at or before it, for payback).
    units : {"£m", "£k", "£", "£bn"}, optional
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        The y axis is the share of trials. Each marked quantile is a vertical line
        labelled ``"P10 £1.2m"``...; the target line's label starts ``"Target"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [9, 1, 0])])
    >>> sim = fm.simulate(case, n=2_000, seed=1)
    >>> fig = fm.charts.histogram(sim, "npv", target=5)
    >>> [line.get_label()[:3] for line in fig.axes[0].get_lines()]
    ['P10', 'P50', 'P90', 'Tar']
    """
    results = check_results(results, "histogram")
    found = check_metric(results, metric, "histogram")
    fig, ax = new_axes(ax)
    if found.units == "year":
        _payback_bars(ax, results, metric, target)
        set_title(ax, title if title is not None else _caption(metric, None, results))
        footnote(fig, provenance_note(results))
        return fig
    values, year = _one_value_per_trial(results, metric, year, "histogram")
    money = found.units == "money"
    scale, shown = factor(results.model.units, units, "histogram") if money else (1.0, "")
    brackets = results.model.negatives_in_brackets
    weights = np.full(values.shape, 1.0 / values.size)
    ax.hist(values * scale, bins=bins, weights=weights, color=LIGHT, edgecolor=MID, linewidth=0.5, label="Trials")
    _mark_quantiles(ax, results, metric, year, marks, scale, shown, brackets, money)
    if target is not None:
        share = results.probability(metric, ">=", target, year=year)
        text = _money_text(target * scale, shown, brackets) if money else f"{target:g}"
        ax.axvline(target * scale, color=TARGET, linestyle="--", linewidth=1.6,
                   label=f"Target {text}: {share:.0%} of trials at or above")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("Share of trials")
    if money:
        money_axis(ax, shown, brackets=brackets, which="x")
    ax.set_xlabel(f"{metric_label(metric)} ({shown})" if money else metric_label(metric))
    set_title(ax, title if title is not None else _caption(metric, year, results))
    ax.legend(loc="best")
    footnote(fig, provenance_note(results))
    return fig


def _mark_quantiles(
    ax: Axes, results: Results, metric: str, year: str | None, marks: Sequence[float],
    scale: float, shown: str, brackets: bool, money: bool, *, heights: bool = False,
) -> None:
    """Vertical lines at the quantiles (at their heights on a CDF), labelled with their values."""
    qs = [float(q) for q in marks]
    if not qs:
        return
    at = results.quantiles(metric, qs, year=year) * scale
    for q, value in zip(qs, at.to_numpy(), strict=True):
        text = _money_text(float(value), shown, brackets) if money else f"{value:.3g}"
        style = "-" if q == 0.5 else ":"
        top = q if heights else 1.0
        transform = ax.get_xaxis_transform() if not heights else ax.transData
        ax.plot([value, value], [0.0, top], transform=transform, color=INK, linestyle=style,
                linewidth=1.4, label=f"{percentile_label(q)} {text}", zorder=4)


def _payback_bars(ax: Axes, results: Results, metric: str, target: Any, *, cumulative: bool = False) -> None:
    """Share of trials paying back in each year (or by each year), as bars."""
    if results.n < 2:
        raise FinmodelError(
            f"payback chart: {results.model.describe()} has one trial; a distribution needs a simulation"
        )
    labels, shares = _year_shares(results, metric)
    heights = np.cumsum(shares) if cumulative else shares
    x = np.arange(len(labels))
    ax.bar(x, heights, color=MID, edgecolor=INK, linewidth=0.6, hatch="//",
           label="Paid back by the year" if cumulative else "Pays back in the year")
    ax.set_xticks(x, [label if label != NOT_WITHIN else "not within\nthe timeline" for label in labels])
    ax.set_xlabel("Financial year")
    ax.set_ylabel("Share of trials")
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if target is not None:
        position = year_index(results, target, "payback chart")
        share = results.probability(metric, "<=", target)
        ax.axvline(position + 0.5, color=TARGET, linestyle="--", linewidth=1.6,
                   label=f"Target {labels[position]}: {share:.0%} of trials paid back by then")
    ax.legend(loc="best")


@chart
def cdf(
    results: Results,
    metric: str,
    year: str | None = None,
    *,
    marks: Sequence[float] = MARKED,
    target: Any = None,
    units: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Cumulative distribution of one figure: the chance it is at most each value.

    Parameters are those of :func:`histogram`. The curve joins the quantiles at 0, 0.5%,
    ..., 100%; each marked quantile is a line up to its height; the target's label gives
    the share of trials at or below it (paid back by it, for payback).

    Returns
    -------
    matplotlib.figure.Figure
        The curve is labelled ``"Share of trials at or below"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [9, 1, 0])])
    >>> sim = fm.simulate(case, n=2_000, seed=1)
    >>> curve = fm.charts.cdf(sim, "run_rate").axes[0].get_lines()[0]
    >>> run_rates = sim.samples("run_rate")
    >>> bool(curve.get_xdata()[0] == run_rates.min()), bool(curve.get_xdata()[-1] == run_rates.max())
    (True, True)
    """
    results = check_results(results, "cdf")
    found = check_metric(results, metric, "cdf")
    fig, ax = new_axes(ax)
    if found.units == "year":
        _payback_bars(ax, results, metric, target, cumulative=True)
        set_title(ax, title if title is not None else _caption(metric, None, results))
        footnote(fig, provenance_note(results))
        return fig
    _, year = _one_value_per_trial(results, metric, year, "cdf")
    money = found.units == "money"
    scale, shown = factor(results.model.units, units, "cdf") if money else (1.0, "")
    brackets = results.model.negatives_in_brackets
    grid = np.linspace(0.0, 1.0, CDF_POINTS)
    curve = results.quantiles(metric, grid.tolist(), year=year).to_numpy() * scale
    ax.plot(curve, grid, color=INK, linewidth=1.8, label="Share of trials at or below", zorder=3)
    _mark_quantiles(ax, results, metric, year, marks, scale, shown, brackets, money, heights=True)
    if target is not None:
        share = results.probability(metric, "<=", target, year=year)
        text = _money_text(target * scale, shown, brackets) if money else f"{target:g}"
        ax.axvline(target * scale, color=TARGET, linestyle="--", linewidth=1.6,
                   label=f"Target {text}: {share:.0%} of trials at or below")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("Share of trials at or below")
    ax.grid(True, axis="x")
    if money:
        money_axis(ax, shown, brackets=brackets, which="x")
    ax.set_xlabel(f"{metric_label(metric)} ({shown})" if money else metric_label(metric))
    set_title(ax, title if title is not None else _caption(metric, year, results))
    ax.legend(loc="lower right")
    footnote(fig, provenance_note(results))
    return fig
