"""Reading ``[[table]]`` and ``[[statement]]``: what a paper printed, kept beside the model.

A published table is checked by its totals (``[[table.total]]``) and, with
``[table.reproduces]``, against the model; a statement is one printed figure and the
metric of the model it should equal. :func:`finmodel.check` does the checking.

Examples
--------
>>> import finmodel as fm
>>> from finmodel.io.read_values import Values
>>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)], [])
>>> spec = {"text": "pays back in 2018/19", "value": "2018/19", "source": "p. 3", "metric": "payback_year"}
>>> read_statement(Values("x.toml"), spec, "statement[0]", case, {}).value
'2018/19'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from finmodel.core.errors import FinmodelError
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.io.errors import ScenarioFileError
from finmodel.io.read_values import Values
from finmodel.io.scenario_file import scenario_names
from finmodel.io.toml_writer import show, toml_key
from finmodel.model.base import Model
from finmodel.model.published import PublishedRow, PublishedTable, Reproduction, Statement, Total

__all__ = ["read_statement", "read_table"]

_TABLE_KEYS = ("name", "source", "units", "columns", "rounding", "note", "row", "total", "reproduces")
_TOTAL_KEYS = ("row", "column", "of", "minus", "over", "scale", "running", "within")
_STATEMENT_KEYS = ("text", "value", "source", "metric", "year", "scenario", "basis", "units", "rounding")


def read_table(
    r: Values, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario]
) -> PublishedTable:
    """A published table: its columns, rows, rounding, totals and what it reproduces."""
    r.table(spec, path, _TABLE_KEYS, ("name", "source", "columns", "row"))
    columns = r.labels(spec["columns"], f"{path}.columns")
    rows = r.each(spec["row"], f"{path}.row", partial(_row, r))
    rounding: Any = 0
    if "rounding" in spec:
        raw = spec["rounding"]
        if isinstance(raw, dict):
            rounding = {k: r.rounding(v, f"{path}.rounding.{toml_key(k)}") for k, v in raw.items()}
        else:
            rounding = r.rounding(raw, f"{path}.rounding")
    totals = r.each(spec.get("total", []), f"{path}.total", partial(_total, r))
    reproduces = None
    if "reproduces" in spec:
        reproduces = _reproduction(r, spec["reproduces"], f"{path}.reproduces", model, scenarios, columns)
    units = r.optional(spec, path, "units", r.text)
    # a FinmodelError from the table itself is reported at the table's path
    try:
        return PublishedTable(
            r.text(spec["name"], f"{path}.name"),
            r.text(spec["source"], f"{path}.source", empty=True),
            tuple(columns),
            tuple(rows),
            tuple(totals),
            rounding,
            r.text(spec.get("note", ""), f"{path}.note", empty=True),
            units,
            reproduces,
        )
    except ScenarioFileError:
        raise  # already names the file, the key path and the value
    except FinmodelError as err:
        raise r.fail(path, str(err)) from None


def _row(r: Values, spec: Any, path: str) -> PublishedRow:
    r.table(spec, path, ("label", "values", "source"), ("label", "values"))
    values = r.each(spec["values"], f"{path}.values", partial(_cell, r))
    source = r.text(spec.get("source", ""), f"{path}.source", empty=True)
    return PublishedRow(r.text(spec["label"], f"{path}.label"), tuple(values), source)


def _cell(r: Values, value: Any, path: str) -> float | None:
    """A printed figure, or ``"-"`` (None) for a blank cell."""
    if value == "-" and isinstance(value, str):
        return None
    return r.number(value, path)


def _total(r: Values, spec: Any, path: str) -> Total:
    r.table(spec, path, _TOTAL_KEYS, ("of",))
    kwargs: dict[str, Any] = {
        **r.given(spec, path, r.text, "row", "column"),
        **r.given(spec, path, lambda v, p: tuple(r.labels(v, p)), "of", "minus", "over", "within"),
        **r.given(spec, path, r.number, "scale"),
        **r.given(spec, path, r.flag, "running"),
    }
    with r.refusing(path):
        return Total(**kwargs)


def _reproduction(
    r: Values, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario], columns: list[str]
) -> Reproduction:
    r.table(spec, path, ("scenario", "basis", "rows"), ("scenario",))
    scenario = _scenario(r, spec["scenario"], f"{path}.scenario", scenarios)
    basis = r.optional(spec, path, "basis", r.text)
    if basis is not None and basis not in model.bases:
        raise r.fail(
            f"{path}.basis", f"expected one of {', '.join(map(show, model.bases))}, got {show(basis)}"
        )
    for column in columns:
        if column.strip().lower() != "total":
            label = r.year(column, f"{path} (column {show(column)})")
            if label not in model.timeline.labels:
                raise r.fail(path, f"column {show(column)} is not a year of the model's timeline")
    raw_rows = r.mapping(spec.get("rows", {}), f"{path}.rows")
    rows = {k: r.text(v, f"{path}.rows.{toml_key(k)}") for k, v in raw_rows.items()}
    return Reproduction(scenario, basis, rows)


def _scenario(r: Values, value: Any, path: str, scenarios: Mapping[str, Scenario]) -> str:
    """The name of a case or of one of the file's named scenarios."""
    name = r.text(value, path)
    if name not in BASE_CASES and name not in scenarios:
        raise r.fail(path, f"unknown scenario {show(name)} (scenarios: {scenario_names(scenarios)})")
    return name


def read_statement(
    r: Values, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario]
) -> Statement:
    """A printed figure: its text, value and source, and the metric of the model it states."""
    r.table(spec, path, _STATEMENT_KEYS, ("text", "value", "source", "metric"))
    metric = r.text(spec["metric"], f"{path}.metric")
    per_year = _per_year(r, metric, f"{path}.metric", model)
    year = None
    if "year" in spec:
        if not per_year:
            raise r.fail(f"{path}.year", f"{show(metric)} has one value, not one per year; leave out year")
        year = spec["year"] if spec["year"] == "total" else r.year(spec["year"], f"{path}.year")
        if year != "total" and year not in model.timeline.labels:
            raise r.fail(
                f"{path}.year", f"{show(spec['year'])} is not on the model's timeline {model.timeline!r}"
            )
    elif per_year:
        raise r.fail(path, f'{show(metric)} has a value per year: give year = "2018/19" or "total"')
    value = spec["value"]
    if isinstance(value, str):
        value = r.year(value, f"{path}.value")
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        raise r.fail(f"{path}.value", f"expected a number or a financial year, got {show(value)}")
    else:
        r.number(value, f"{path}.value")  # finite; the int or float kind sets the stated precision
    scenario = _scenario(r, spec.get("scenario", "central"), f"{path}.scenario", scenarios)
    rounding = r.optional(spec, path, "rounding", r.rounding)
    # as in read_table, a ScenarioFileError from a text field below is reported at the statement's path
    try:
        return Statement(
            r.text(spec["text"], f"{path}.text"),
            value,
            r.text(spec["source"], f"{path}.source", empty=True),
            metric,
            year,
            scenario,
            r.optional(spec, path, "basis", r.text),
            r.optional(spec, path, "units", r.text),
            rounding,
        )
    except ScenarioFileError:
        raise  # already names the file, the key path and the value
    except FinmodelError as err:
        raise r.fail(path, str(err)) from None


def _per_year(r: Values, metric: str, path: str, model: Model) -> bool:
    """Whether ``metric`` (a metric of the model, or ``"line:<name>"``) has a value per year."""
    if metric.startswith("line:"):
        if metric[5:] not in {li.name for li in model.lines}:
            raise r.fail(path, f"{model.describe()} has no line called {show(metric[5:])}")
        return True
    if metric in model.available:
        return model.metrics[metric].per_year
    known = ", ".join(model.available)
    raise r.fail(path, f'expected one of {known} or "line:<line name>", got {show(metric)}')
