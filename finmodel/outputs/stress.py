"""Stress results in the workbook and the report: tornado and switching-value tables and charts.

This is where the analysis layer's stress results plug into what people hand on.
:func:`stress_parts` turns each result it is given into a :class:`StressPart` (a title,
a table and, for a tornado, a chart):

* a DataFrame is shown as it is;
* tornado data as :func:`~finmodel.outputs.charts.tornado` takes it (low, high and base
  outputs, or a result whose ``to_frame()`` hands them over: the analysis layer's
  :class:`~finmodel.analysis.tornado.Tornado`) is shown and drawn;
* any other object with a ``table`` DataFrame (switching values) shows that table.

:func:`file_stress` runs what a scenario file's ``[stress]`` section asks for, through
the analysis layer's :func:`~finmodel.analysis.tornado.tornado` and
:func:`~finmodel.analysis.switching.switching_values`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from finmodel.analysis.switching import switching_values
from finmodel.analysis.targets import default_metric
from finmodel.analysis.tornado import tornado
from finmodel.core.errors import FinmodelError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["StressPart", "file_stress", "stress_parts"]


@dataclass(frozen=True)
class StressPart:
    """One stress result as shown: a title, a table, and a chart where one fits."""

    title: str
    table: pd.DataFrame
    figure: Figure | None = None


def _tornado_data(item: Any) -> pd.DataFrame | None:
    """Tornado chart data (low, high, base...) from a DataFrame or a result that hands it over, if it is one."""
    if isinstance(item, pd.DataFrame):
        return item if {"low", "high"} <= set(item.columns) else None
    for method in ("tornado_frame", "to_frame"):
        if callable(getattr(item, method, None)):
            found = getattr(item, method)()
            if isinstance(found, pd.DataFrame) and {"low", "high"} <= set(found.columns):
                return found
    return None


#: How a tornado's columns read in a table.
TORNADO_COLUMNS = {"low": "result, input low", "high": "result, input high", "base": "base", "swing": "swing",
                   "input_low": "input low", "input_high": "input high"}


def stress_parts(results: Mapping[str, Any]) -> list[StressPart]:
    """Each stress result, by title, as a table and (for a tornado) a chart.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"low": [30.0, 35.0], "high": [50.0, 41.0], "base": 40.0},
    ...                     index=pd.Index(["Quick wins", "Delivery"], name="input"))
    >>> part = stress_parts({"Tornado of NPV": data})[0]
    >>> part.table["swing"].tolist(), part.figure is not None
    ([20.0, 6.0], True)
    """
    from finmodel.outputs.charts import tornado as tornado_chart
    from finmodel.outputs.charts import tornado_frame

    out = []
    for title, item in results.items():
        data = _tornado_data(item)
        if data is not None:
            frame = tornado_frame(data)
            shown = frame.rename(columns=TORNADO_COLUMNS)
            out.append(StressPart(title, shown, tornado_chart(frame, title=title)))
            continue
        table = item if isinstance(item, pd.DataFrame) else getattr(item, "table", None)
        if not isinstance(table, pd.DataFrame):
            raise FinmodelError(f"sensitivity {title!r}: {type(item).__name__} is not a DataFrame and has no table")
        out.append(StressPart(title, table))
    return out


def file_stress(loaded: Any) -> dict[str, Any]:
    """The tornado and switching values a scenario file's ``[stress]`` section asks for.

    A file with no ``[stress]`` section gets finmodel's defaults (a tornado of each input
    at its P10 and P90, and the switching values at which the default metric reaches
    zero: NPV for a case, the total net pressure for a plan), said so in the titles; a
    model with nothing uncertain gets none.

    Examples
    --------
    >>> import finmodel as fm
    >>> file_stress(fm.load(fm.scenarios_folder() / "occ-mtfp-2018-22.toml"))  # nothing uncertain
    {}
    >>> list(file_stress(fm.load(fm.scenarios_folder() / "occ-cdc-joint-posts-2019.toml")))[0]
    "Tornado of npv: each input alone at its P10 and P90, the rest central (finmodel's default: the file has no [stress] section)"
    """
    model = loaded.model
    if model is None or not any(leaf.bounds()[0] != leaf.bounds()[1] for leaf in model.leaves()):
        return {}
    settings = getattr(loaded, "stress", None)
    note = "" if settings is not None else " (finmodel's default: the file has no [stress] section)"
    metric = (settings.metric if settings is not None else None) or default_metric(model)
    year = settings.year if settings is not None else None
    points = settings.points if settings is not None else (0.1, 0.9)
    target = settings.target if settings is not None else 0.0
    where = f" in {year}" if year else ""
    options: dict[str, Any] = {"year": year, "inputs": settings.inputs if settings is not None else None}
    swing = "its low and high cases" if points == "cases" else "its P{:g} and P{:g}".format(*(100 * p for p in points))
    out: dict[str, Any] = {}
    if settings is None or settings.tornado:
        out[f"Tornado of {metric}{where}: each input alone at {swing}, the rest central{note}"] = tornado(
            model, metric, points=points, **options)
    if settings is None or settings.switching:
        title = f"Switching values: each input alone, the value at which {metric}{where} = {target:g}{note}"
        out[title] = switching_values(model, metric, target=target, **options)
    return out
