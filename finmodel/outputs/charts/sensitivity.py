"""Which inputs matter: a tornado of swings in pounds, and a spider of the output as each
input moves.

Both draw from plain data, so that sensitivity results computed anywhere (the analysis
layer, a spreadsheet, a hand-built dict) can be passed in:

**Tornado data**, one row per input, indexed by the input's name (or with an
``input`` column), with columns:

- ``low``: the output with this input at its low value, every other input at base;
- ``high``: the output with this input at its high value, every other input at base;
- ``base``: the output with every input at base (the same in every row; or ``base=``);
- ``input_low``, ``input_high`` (optional): the input's own low and high values,
  shown beside its name.

**Spider data**, the output at several settings of each input: a DataFrame indexed by
the setting (the input's percentile, or its change from base in per cent; the index's
name labels the axis), one column per input; or the long form with columns ``input``,
``x`` and ``value``; or a dict of Series, one per input, indexed by setting.

For both, ``DataFrame.attrs`` may carry ``metric`` and ``year`` (named in the title),
``units`` (the output's units: ``"£m"``, ``"£k"``...) and ``base`` (the base output).

A result object is accepted as it is when it hands over such a DataFrame: through a
``tornado_frame()`` or ``spider_frame()`` method (for an object that holds both kinds of
data), or else a ``to_frame()`` method. The analysis layer's results do:
``fm.charts.tornado(fm.tornado(case))`` and ``fm.charts.spider(fm.spider(case))`` draw
them with their metric, year, units and base.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS, format_money
from finmodel.outputs.charts.distributions import metric_label
from finmodel.outputs.charts.style import (
    BETTER,
    INK,
    LIGHT,
    LINESTYLES,
    MARKERS,
    MID,
    TARGET,
    WORSE,
    chart,
    money_axis,
    new_axes,
    set_title,
)

__all__ = ["spider", "spider_frame", "tornado", "tornado_frame"]

#: Colours of a spider's lines, in order (their greys differ; line styles and markers differ too).
SERIES = (INK, WORSE, MID, TARGET, BETTER, "#777777")


def _as_frame(data: Any, chart_name: str) -> pd.DataFrame:
    """The DataFrame behind ``data``: itself, or what its ``<chart>_frame()`` or ``to_frame()`` gives."""
    if isinstance(data, pd.DataFrame):
        return data
    if not isinstance(data, (pd.Series, Mapping)):
        for method in (f"{chart_name}_frame", "to_frame"):
            if callable(getattr(data, method, None)):
                frame = getattr(data, method)()
                if isinstance(frame, pd.DataFrame):
                    return frame
    raise FinmodelError(
        f"{chart_name}: data ({type(data).__name__}) must be a DataFrame, a dict, or have a "
        f"{chart_name}_frame() or to_frame() method returning a DataFrame"
    )


def _what(name: Any, year: Any) -> str:
    """The output named in a title: ``"NPV"``, ``"Cumulative gap in 2019/20"``."""
    what = metric_label(str(name)) if name else "Output"
    return f"{what} in {year}" if year else what


def _text(value: float, units: str) -> str:
    if units in UNITS:
        return format_money(value, units, 2 if 0 < abs(value) < 10 else 1, brackets=False)
    return f"{value:,.3g}"


def tornado_frame(data: Any, base: float | None = None) -> pd.DataFrame:
    """Tornado data as a checked DataFrame (columns ``low``, ``high``, ``base``, ``swing``),
    widest swing first.

    Parameters
    ----------
    data : DataFrame, dict or object with ``to_frame()``
        See the module's description; a dict maps each input to ``(low, high)`` or to
        ``{"low": ..., "high": ...}``.
    base : float, optional
        The base output, when ``data`` has no ``base`` column.

    Examples
    --------
    >>> tornado_frame({"Quick wins": (30, 50), "Delivery": (35, 41)}, base=40)
                low  high  base  swing
    input
    Quick wins   30    50    40     20
    Delivery     35    41    40      6
    """
    if isinstance(data, Mapping):
        rows = {name: (v["low"], v["high"]) if isinstance(v, Mapping) else tuple(v) for name, v in data.items()}
        if any(len(pair) != 2 for pair in rows.values()):
            raise FinmodelError("tornado: each input of a dict must map to (low, high)")
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["low", "high"])
        frame.index.name = "input"
    else:
        frame = _as_frame(data, "tornado").copy()
        if "input" in frame.columns:
            frame = frame.set_index("input")
    missing = [c for c in ("low", "high") if c not in frame.columns]
    if missing:
        raise FinmodelError(f"tornado: data has no column {missing[0]!r} (columns: {', '.join(map(str, frame.columns))})")
    if base is None:
        base = frame.attrs.get("base")
    if base is not None:
        frame["base"] = base
    elif "base" not in frame.columns:
        raise FinmodelError("tornado: give the base output, as a 'base' column or base=...")
    numbers = frame[["low", "high", "base"]].to_numpy(dtype=float)
    if not np.isfinite(numbers).all():
        raise FinmodelError("tornado: low, high and base must be finite numbers")
    frame["swing"] = (frame["high"] - frame["low"]).abs()
    order = np.argsort(-frame["swing"].to_numpy(), kind="stable")
    keep = [c for c in ("low", "high", "base", "swing", "input_low", "input_high") if c in frame.columns]
    return frame.iloc[order][keep]


@chart
def tornado(
    data: Any,
    *,
    base: float | None = None,
    top: int | None = None,
    metric: str | None = None,
    units: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Tornado chart: how far the output swings as each input goes from low to high.

    Parameters
    ----------
    data : DataFrame, dict or object with ``to_frame()``
        Tornado data (see the module's description): ``low``, ``high`` and ``base``
        outputs, one row per input.
    base : float, optional
        The base output, when the data does not carry it.
    top : int, optional
        Draw only the widest ``top`` swings.
    metric : str, optional
        The output's name, for the title (default: ``attrs["metric"]``).
    units : str, optional
        The units the outputs are in (default: ``attrs["units"]``, else ``"£m"``).
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        Widest swing at the top. Each input has two bars from the base: its ``gid`` is
        ``"<input>: low"`` or ``"<input>: high"``; the base is a vertical line labelled
        ``"Base £40.0m"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> fig = fm.charts.tornado({"Quick wins": (30, 50), "Delivery": (35, 41)}, base=40, metric="npv")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Delivery', 'Quick wins']
    >>> sorted((b.get_gid(), float(b.get_x() + b.get_width())) for b in ax.patches)[:2]
    [('Delivery: high', 41.0), ('Delivery: low', 35.0)]
    """
    frame = tornado_frame(data, base)
    if top is not None:
        frame = frame.iloc[: int(top)]
    shown = units if units is not None else str(frame.attrs.get("units", "£m"))
    name = metric if metric is not None else frame.attrs.get("metric")
    fig, ax = new_axes(ax, size=(8.0, max(3.0, 0.45 * len(frame) + 1.5)))
    centre = float(frame["base"].iloc[0]) if len(frame) else 0.0
    labels = []
    for row, (label, item) in enumerate(frame.iloc[::-1].iterrows()):
        for side, colour, hatch, legend in (
            ("low", LIGHT, "\\\\\\", "Input at its low value"),
            ("high", MID, "///", "Input at its high value"),
        ):
            ax.barh(row, float(item[side]) - centre, left=centre, height=0.6, color=colour, hatch=hatch,
                    edgecolor=INK, linewidth=0.4, gid=f"{label}: {side}", label=legend if row == 0 else None, zorder=2)
            end = float(item[side])
            ax.text(end, row, f" {_text(end, shown)} " , va="center", ha="left" if end >= centre else "right",
                    fontsize=7, color="#222222")
        if "input_low" in frame.columns and "input_high" in frame.columns:
            label = f"{label}\n({item['input_low']:,.3g} to {item['input_high']:,.3g})"
        labels.append(str(label))
    ax.axvline(centre, color=INK, linewidth=1.2, label=f"Base {_text(centre, shown)}", zorder=3)
    ax.set_yticks(range(len(labels)), labels)
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.margins(x=0.15)
    if shown in UNITS:
        money_axis(ax, shown, which="x")
    else:
        ax.set_xlabel(shown)
    what = _what(name, frame.attrs.get("year"))
    set_title(ax, title if title is not None else f"{what}: swing as each input moves from low to high")
    ax.legend(loc="best")
    return fig


def spider_frame(data: Any) -> pd.DataFrame:
    """Spider data as a wide DataFrame: index the setting, one column per input.

    Examples
    --------
    >>> long = pd.DataFrame({"input": ["a", "a", "b", "b"], "x": [-10, 10, -10, 10], "value": [1, 3, 2, 2]})
    >>> spider_frame(long)
    input  a  b
    x
    -10    1  2
     10    3  2
    """
    if isinstance(data, Mapping):
        return pd.DataFrame({name: pd.Series(points) for name, points in data.items()})
    frame = _as_frame(data, "spider")
    if {"input", "x", "value"} <= set(frame.columns):
        wide = frame.pivot(index="x", columns="input", values="value")
        wide.attrs.update(frame.attrs)
        return wide
    return frame


@chart
def spider(
    data: Any,
    *,
    metric: str | None = None,
    units: str | None = None,
    target: float | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Spider chart: the output as each input moves through its range, one line per input.

    Parameters
    ----------
    data : DataFrame, dict or object with ``to_frame()``
        Spider data (see the module's description): index the setting, a column per input.
    metric : str, optional
        The output's name (default: ``attrs["metric"]``).
    units : str, optional
        The output's units (default: ``attrs["units"]``, else ``"£m"``).
    target : float, optional
        A level to mark (the £15m a budget relies on, zero NPV): where an input's line
        crosses it is that input's switching value (:func:`finmodel.switching_values`).
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One line per input, labelled with its name (solid, dashed, dotted... with its
        own marker); the base output, where given (``attrs["base"]``), as a line labelled
        ``"Base"``; the target as a dashed line labelled ``"Target £15.0m"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> points = pd.DataFrame({"Quick wins": [30, 40, 50], "Delivery": [35, 40, 41]},
    ...                       index=pd.Index([-20, 0, 20], name="change in input (%)"))
    >>> ax = fm.charts.spider(points, metric="npv").axes[0]
    >>> [(line.get_label(), line.get_ydata().tolist()) for line in ax.get_lines()]
    [('Quick wins', [30, 40, 50]), ('Delivery', [35, 40, 41])]
    """
    frame = spider_frame(data)
    shown = units if units is not None else str(frame.attrs.get("units", "£m"))
    name = metric if metric is not None else frame.attrs.get("metric")
    fig, ax = new_axes(ax)
    colours = SERIES if target is None else tuple(c for c in SERIES if c != TARGET)  # the target's colour is its own
    for i, column in enumerate(frame.columns):
        points = frame[column].dropna()
        ax.plot(points.index.to_numpy(), points.to_numpy(), color=colours[i % len(colours)],
                linestyle=LINESTYLES[i % len(LINESTYLES)], marker=MARKERS[i % len(MARKERS)], markersize=5,
                label=str(column), zorder=3)
    if frame.attrs.get("base") is not None:
        ax.axhline(float(frame.attrs["base"]), color="#666666", linewidth=0.9, linestyle="-", label="Base", zorder=1)
    if target is not None:
        ax.axhline(float(target), color=TARGET, linewidth=1.6, linestyle="--", label=f"Target {_text(float(target), shown)}",
                   zorder=2)
    ax.set_xlabel(str(frame.index.name) if frame.index.name is not None else "Input setting")
    ax.grid(True, axis="x")
    if shown in UNITS:
        money_axis(ax, shown)
    else:
        ax.set_ylabel(shown)
    what = _what(name, frame.attrs.get("year"))
    set_title(ax, title if title is not None else f"{what} as each input moves")
    ax.legend(loc="best")
    return fig
