"""Results in Jupyter: the council table as HTML, and for a simulation a summary and a chart.

:func:`results_html` is registered as the renderer behind ``Results._repr_html_``
(:mod:`finmodel.engine.hooks`), so a result left at the end of a notebook cell shows as
its table, in council format, rather than as text. :func:`table_html` gives the same
table for any page (a report, an email).

Every piece of text that comes from a model (names, labels) is escaped, so a line
called ``<script>`` shows as text.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any

import numpy as np

from finmodel.core.money import format_money
from finmodel.engine.hooks import register_html
from finmodel.engine.results import NOT_WITHIN, Results, Simulation
from finmodel.outputs.plotting import default_metric

__all__ = ["results_html", "table_html"]

_CELL = "text-align:right;padding:2px 8px;white-space:nowrap"
_LABEL = "text-align:left;padding:2px 8px"
#: Size of the chart in a simulation's summary, in inches, and its resolution.
THUMBNAIL = (5.4, 2.9)
THUMBNAIL_DPI = 80


def table_html(
    results: Results,
    basis: str | None = None,
    *,
    units: str | None = None,
    decimals: int = 1,
    by: str | None = None,
) -> str:
    """The council table as an HTML ``<table>``: money as the report prints it, total rows in bold.

    Takes the arguments of :meth:`~finmodel.engine.results.Results.report`.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Saving("<Efficiency>", [0.4, 0.4])])
    >>> html = table_html(fm.evaluate(plan))
    >>> "(£0.4m)" in html, "&lt;Efficiency&gt;" in html, "<Efficiency>" in html
    (True, True, False)
    """
    frame = results.table(basis, units=units, by=by)
    rows = results.model.rows(frame.attrs["basis"], by)
    brackets = results.model.negatives_in_brackets
    head = "".join(f'<th style="{_CELL}">{escape(str(c))}</th>' for c in frame.columns)
    body = []
    for row, (label, values) in zip(rows, frame.iterrows(), strict=True):
        weight = "font-weight:bold;border-top:1px solid #999;" if row.bold else ""
        cells = "".join(
            f'<td style="{_CELL}">{escape(format_money(float(v), frame.attrs["units"], decimals, brackets=brackets))}</td>'
            for v in values
        )
        body.append(f'<tr style="{weight}"><th style="{_LABEL}">{escape(str(label))}</th>{cells}</tr>')
    return (
        '<table class="finmodel-table" style="border-collapse:collapse">'
        f'<caption style="text-align:left;font-weight:bold">{escape(str(frame.columns.name))}</caption>'
        f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _header(results: Results) -> str:
    p = results.provenance
    what = f"{escape(type(results).__name__)} of {escape(results.model.describe())}"
    if isinstance(results, Simulation):
        seed = f", seed {p.seed}" if p.seed is not None else ""
        run = f"{results.n:,} trials ({escape(p.method)}{seed}); scenario {escape(results.scenario)}"
    else:
        run = f"scenario {escape(results.scenario)}"
    return f"<p><strong>{what}</strong>: {run}</p>"


def _key_figures(results: Results) -> str:
    """A case's headline figures: run rate, payback and NPV (a simulation's in spread)."""
    if "payback_year" not in results.metrics or "npv" not in results.metrics:
        return ""
    units = results.model.units

    def money(value: float) -> str:
        return escape(format_money(float(value), units, 1, brackets=False))

    if not isinstance(results, Simulation) or results.n == 1:
        npv = float(results.mean("npv"))  # type: ignore[arg-type]
        payback = str(results.quantiles("payback_year", 0.5).iloc[0])
        run_rate = float(results.mean("run_rate"))  # type: ignore[arg-type]
        return f"<p>Run rate {money(run_rate)}; payback {escape(payback)}; NPV {money(npv)}</p>"
    npv_q = results.quantiles("npv", [0.1, 0.5, 0.9]).to_numpy()
    below = results.probability("npv", "<", 0)
    payback = str(results.quantiles("payback_year", 0.5).iloc[0])
    paid = (
        f" ({results.probability('payback_year', '<=', payback):.0%} of trials paid back by then)"
        if payback != NOT_WITHIN
        else ""
    )
    return (
        f"<p>NPV P10 {money(npv_q[0])}, P50 {money(npv_q[1])}, P90 {money(npv_q[2])}; "
        f"P(NPV &lt; 0) = {below:.1%}. Median payback {escape(payback)}{paid}.</p>"
    )


def _spread(results: Simulation, metric: str) -> str:
    """P10/P50/P90 and the mean of a per-year metric, by year, as an HTML table."""
    units, brackets = results.model.units, results.model.negatives_in_brackets
    found = results.quantiles(metric, [0.1, 0.5, 0.9])
    mean = results.mean(metric)
    rows = [("P10", found.loc[0.1]), ("P50", found.loc[0.5]), ("P90", found.loc[0.9]), ("Mean", mean)]
    head = "".join(f'<th style="{_CELL}">{escape(y)}</th>' for y in results.years)
    body = "".join(
        f'<tr><th style="{_LABEL}">{name}</th>'
        + "".join(
            f'<td style="{_CELL}">{escape(format_money(float(v), units, 1, brackets=brackets))}</td>'
            for v in np.asarray(values, dtype=float)
        )
        + "</tr>"
        for name, values in rows
    )
    caption = f"{metric.replace('_', ' ')} ({units}) over {results.n:,} trials"
    return (
        '<table style="border-collapse:collapse">'
        f'<caption style="text-align:left;font-weight:bold">{escape(caption)}</caption>'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _thumbnail(results: Simulation, metric: str) -> str:
    from matplotlib.figure import Figure

    from finmodel.outputs.charts import fan
    from finmodel.outputs.charts.style import png_bytes, style

    with style():
        fig = Figure(figsize=THUMBNAIL, layout="constrained")
        fan(results, metric, ax=fig.add_subplot())
    data = base64.b64encode(png_bytes(fig, dpi=THUMBNAIL_DPI)).decode("ascii")
    alt = escape(f"Fan chart of the {metric.replace('_', ' ')} by year", quote=True)
    return f'<img src="data:image/png;base64,{data}" alt="{alt}"/>'


def results_html(results: Any) -> str | None:
    """A result as HTML for Jupyter: header, headline figures, for a simulation a summary
    and a fan chart, and the council table (of the means, for a simulation)."""
    if not isinstance(results, Results):
        return None
    parts = [_header(results), _key_figures(results)]
    if isinstance(results, Simulation) and results.n > 1:
        metric = default_metric(results)
        parts.append(
            '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
            f"<div>{_spread(results, metric)}</div><div>{_thumbnail(results, metric)}</div></div>"
        )
    parts.append(table_html(results))
    return f'<div class="finmodel-result">{"".join(parts)}</div>'


register_html(results_html)
