"""Reading ``[[table]]``, ``[[statement]]`` and ``[[cross_total]]``: what a paper printed, kept beside the model.

A published table is checked by its rules (``[[table.total]]``,
``[[table.common_base]]``) and, with ``[table.reproduces]``, against the model; a
statement is one printed figure and the quantity it states; a cross-table total says
that a figure of one table is given by figures of others. :func:`finmodel.check` does
the checking. A file may hold tables and statements about them with no ``[model]``.

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

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import NOT_WITHIN
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.io.errors import ScenarioFileError
from finmodel.io.layout import (
    CELL_KEYS,
    COMMON_BASE_KEYS,
    CROSS_TOTAL_KEYS,
    REPRODUCES_KEYS,
    ROW_KEYS,
    STATEMENT_KEYS,
    TABLE_KEYS,
    TOTAL_KEYS,
)
from finmodel.io.read_values import Values
from finmodel.io.scenario_file import scenario_names
from finmodel.io.toml_writer import show, toml_key
from finmodel.model.base import Model
from finmodel.model.published import EXACT, PublishedRow, PublishedTable, Reproduction, Rule, Total
from finmodel.model.rules import Cell, CommonBase, CrossTotal
from finmodel.model.statements import LINE_ALIAS, OPS, LineRow, Part, Statement

__all__ = ["read_cross_total", "read_statement", "read_table"]

_PARTS = ("of", "minus", "times", "over")


def _building(r: Values, path: str, build: Any) -> Any:
    """Build a value, reporting a FinmodelError at ``path`` (a ScenarioFileError already names its own)."""
    try:
        return build()
    except ScenarioFileError:
        raise
    except FinmodelError as err:
        raise r.fail(path, str(err)) from None


def read_table(
    r: Values, spec: Any, path: str, model: Model | None, scenarios: Mapping[str, Scenario]
) -> PublishedTable:
    """A published table: its columns, rows, rounding, rules and what it reproduces.

    Examples
    --------
    >>> from finmodel.io.read_values import Values
    >>> spec = {"name": "t", "source": "", "columns": ["a"], "row": [{"label": "x", "values": [1], "rounding": 2}]}
    >>> read_table(Values("x.toml"), spec, "table[0]", None, {}).places("x", "a")
    2
    """
    r.table(spec, path, TABLE_KEYS, ("name", "source", "columns", "row"))
    columns = r.labels(spec["columns"], f"{path}.columns")
    rows = r.each(spec["row"], f"{path}.row", partial(_row, r))
    rounding = _rounding(r, spec, path, 0)
    rules: list[Rule] = [*r.each(spec.get("total", []), f"{path}.total", partial(_total, r))]
    rules += r.each(spec.get("common_base", []), f"{path}.common_base", partial(_common_base, r))
    reproduces = None
    if "reproduces" in spec:
        if model is None:
            raise r.fail(f"{path}.reproduces", "a table reproduces a model, and the file has no [model]")
        reproduces = _reproduction(r, spec["reproduces"], f"{path}.reproduces", model, scenarios, columns)
    units = r.optional(spec, path, "units", r.text)
    return _building(
        r,
        path,
        lambda: PublishedTable(
            r.text(spec["name"], f"{path}.name"),
            r.text(spec["source"], f"{path}.source", empty=True),
            tuple(columns),
            tuple(rows),
            tuple(rules),
            rounding,
            r.text(spec.get("note", ""), f"{path}.note", empty=True),
            units,
            reproduces,
        ),
    )


def _places(r: Values, value: Any, path: str) -> int | str:
    """Decimal places, or ``"exact"``."""
    if value == EXACT and isinstance(value, str):
        return EXACT
    places = r.rounding(value, path)
    assert places is not None
    return places


def _rounding(r: Values, spec: dict[str, Any], path: str, default: Any) -> Any:
    """``rounding``: places or ``"exact"``, or a table of them by column; ``default`` when absent."""
    if "rounding" not in spec:
        return default
    raw = spec["rounding"]
    if isinstance(raw, dict):
        return {k: _places(r, v, f"{path}.rounding.{toml_key(k)}") for k, v in raw.items()}
    return _places(r, raw, f"{path}.rounding")


def _row(r: Values, spec: Any, path: str) -> PublishedRow:
    r.table(spec, path, ROW_KEYS, ("label", "values"))
    values = r.each(spec["values"], f"{path}.values", partial(_figure, r))
    source = r.text(spec.get("source", ""), f"{path}.source", empty=True)
    rounding = _rounding(r, spec, path, None)
    label = r.text(spec["label"], f"{path}.label")
    return _building(r, path, lambda: PublishedRow(label, tuple(values), source, rounding))


def _figure(r: Values, value: Any, path: str) -> float | None:
    """A printed figure, or ``"-"`` (None) for a blank cell."""
    if value == "-" and isinstance(value, str):
        return None
    return r.number(value, path)


def _total(r: Values, spec: Any, path: str) -> Total:
    r.table(spec, path, TOTAL_KEYS, ("of",))
    kwargs: dict[str, Any] = {
        **r.given(spec, path, r.text, "row", "column"),
        **r.given(spec, path, lambda v, p: tuple(r.labels(v, p)), "of", "minus", "times", "over", "within"),
        **r.given(spec, path, r.number, "scale"),
        **r.given(spec, path, r.flag, "running"),
    }
    with r.refusing(path):
        return Total(**kwargs)


def _common_base(r: Values, spec: Any, path: str) -> CommonBase:
    r.table(spec, path, COMMON_BASE_KEYS)
    kwargs: dict[str, Any] = {
        **{
            key: {
                k: r.text(v, f"{path}.{key}.{toml_key(k)}")
                for k, v in r.mapping(spec[key], f"{path}.{key}").items()
            }
            for key in ("columns", "rows")
            if key in spec
        },
        **r.given(spec, path, lambda v, p: tuple(r.labels(v, p)), "within"),
        **r.given(spec, path, r.number, "scale"),
    }
    with r.refusing(path):
        return CommonBase(**kwargs)


def _labels_map(r: Values, spec: dict[str, Any], path: str, key: str) -> dict[str, str]:
    raw = r.mapping(spec.get(key, {}), f"{path}.{key}")
    return {k: r.text(v, f"{path}.{key}.{toml_key(k)}") for k, v in raw.items()}


def _reproduction(
    r: Values, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario], columns: list[str]
) -> Reproduction:
    r.table(spec, path, REPRODUCES_KEYS, ("scenario",))
    scenario = _scenario(r, spec["scenario"], f"{path}.scenario", scenarios)
    basis = r.optional(spec, path, "basis", r.text)
    if basis is not None and basis not in model.bases:
        raise r.fail(
            f"{path}.basis", f"expected one of {', '.join(map(show, model.bases))}, got {show(basis)}"
        )
    mapped = _labels_map(r, spec, path, "columns")
    for column in columns:
        if column.strip().lower() != "total":
            year = mapped.get(column, column)
            try:
                model.timeline.label_of(year)
            except FinmodelError:
                where = f"{path}.columns.{toml_key(column)}" if column in mapped else path
                raise r.fail(
                    where,
                    f"column {show(column)} is not a year of the model's timeline {model.timeline!r}"
                    + ("" if column in mapped else "; map it to one in columns"),
                ) from None
    metrics = _labels_map(r, spec, path, "metrics")
    for label, metric in metrics.items():
        if metric not in model.available or not model.metrics[metric].per_year:
            per_year = [m for m in model.available if model.metrics[m].per_year]
            raise r.fail(
                f"{path}.metrics.{toml_key(label)}",
                f"expected a per-year metric ({', '.join(per_year)}), got {show(metric)}",
            )
    signs: dict[str, float] = {}
    for label, value in r.mapping(spec.get("signs", {}), f"{path}.signs").items():
        if isinstance(value, bool) or value not in (1, -1):
            raise r.fail(f"{path}.signs.{toml_key(label)}", f"expected 1 or -1, got {show(value)}")
        signs[label] = float(value)
    costs = r.text(spec.get("costs", "negative"), f"{path}.costs")
    if costs not in ("negative", "positive"):
        raise r.fail(f"{path}.costs", f'expected "negative" or "positive", got {show(costs)}')
    factors = r.optional(spec, path, "discount_factors", r.text)
    rows = _labels_map(r, spec, path, "rows")
    return _building(
        r,
        path,
        lambda: Reproduction(scenario, basis, rows, mapped, signs, costs, metrics, factors),  # type: ignore[arg-type]
    )


def _scenario(r: Values, value: Any, path: str, scenarios: Mapping[str, Scenario]) -> str:
    """The name of a case or of one of the file's named scenarios."""
    name = r.text(value, path)
    if name not in BASE_CASES and name not in scenarios:
        raise r.fail(path, f"unknown scenario {show(name)} (scenarios: {scenario_names(scenarios)})")
    return name


# -- cells, statements and cross-table totals ------------------------------------------------
def _cell(r: Values, value: Any, path: str, tables: Sequence[PublishedTable]) -> Cell:
    """``{ table = "...", row = "...", column = "..." }``, a cell of a table read before."""
    spec = r.table(value, path, CELL_KEYS, CELL_KEYS)
    name, row, column = (r.text(spec[k], f"{path}.{k}") for k in CELL_KEYS)
    found = [t for t in tables if t.name == name]
    if len(found) != 1:
        known = ", ".join(show(t.name) for t in tables) or "none"
        problem = "no table is" if not found else "two tables are"
        raise r.fail(f"{path}.table", f"{problem} called {show(name)} (tables: {known})")
    if row not in found[0].row_labels:
        raise r.fail(f"{path}.row", f"table {show(name)} has no row {show(row)}")
    if column not in found[0].columns:
        raise r.fail(f"{path}.column", f"table {show(name)} has no column {show(column)}")
    return Cell(name, row, column)


def _part(r: Values, value: Any, path: str, model: Model | None, tables: Sequence[PublishedTable]) -> Part:
    """A metric's name, ``{ line = "..." }`` or a cell."""
    if isinstance(value, dict) and set(value) == {"line"}:
        return LineRow(_line_name(r, value["line"], f"{path}.line", model))
    if isinstance(value, dict):
        return _cell(r, value, path, tables)
    return _metric(r, value, path, model)


def _metric(r: Values, value: Any, path: str, model: Model | None) -> str:
    name = r.text(value, path)
    if name.startswith(LINE_ALIAS):
        _line_name(r, name[len(LINE_ALIAS) :], path, model)
        return name
    if model is None:
        raise r.fail(path, f"{show(name)} is a metric of a model, and the file has no [model]")
    if name not in model.available:
        raise r.fail(
            path, f"expected one of {', '.join(model.available)}, or a line (line = ...), got {show(name)}"
        )
    return name


def _line_name(r: Values, value: Any, path: str, model: Model | None) -> str:
    name = r.text(value, path)
    if model is None:
        raise r.fail(path, f"{show(name)} is a line of a model, and the file has no [model]")
    if name not in {li.name for li in model.lines}:
        raise r.fail(path, f"{model.describe()} has no line called {show(name)}")
    return name


def _per_year(part: Part, model: Model | None) -> bool:
    if isinstance(part, Cell):
        return False
    if isinstance(part, LineRow) or part.startswith(LINE_ALIAS):
        return True
    assert model is not None
    return model.metrics[part].per_year


def read_statement(
    r: Values,
    spec: Any,
    path: str,
    model: Model | None,
    scenarios: Mapping[str, Scenario],
    tables: Sequence[PublishedTable] = (),
) -> Statement:
    """A printed figure: its text, value and source, and the quantity it states.

    See the module's example.
    """
    r.table(spec, path, STATEMENT_KEYS, ("text", "value", "source"))
    given = [k for k in ("metric", "line", "cell", "of") if k in spec]
    if len(given) != 1:
        raise r.fail(
            path,
            f"give exactly one of metric, line, cell or of (the quantity stated); got {', '.join(given) or 'none'}",
        )
    read = partial(_part, r, model=model, tables=tables)
    quantity: dict[str, Any] = {}
    if "metric" in spec:
        quantity["metric"] = _metric(r, spec["metric"], f"{path}.metric", model)
    if "line" in spec:
        quantity["line"] = _line_name(r, spec["line"], f"{path}.line", model)
    if "cell" in spec:
        quantity["cell"] = _cell(r, spec["cell"], f"{path}.cell", tables)
    for key in _PARTS:
        if key in spec:
            quantity[key] = tuple(r.each(spec[key], f"{path}.{key}", lambda v, p: read(v, p)))
    parts = [p for k in _PARTS for p in quantity.get(k, ())] or [
        LineRow(quantity["line"]) if "line" in quantity else quantity.get("cell") or quantity["metric"]
    ]
    per_year = any(_per_year(p, model) for p in parts)
    year = _year(r, spec, path, model, per_year, quantity)
    op = r.text(spec.get("op", "=="), f"{path}.op")
    if op not in OPS:
        raise r.fail(f"{path}.op", f"expected one of {', '.join(map(show, OPS))}, got {show(op)}")
    value = _value(r, spec["value"], f"{path}.value", model, quantity, op)
    uses_model = any(not isinstance(p, Cell) for p in parts)
    scenario = (
        _scenario(r, spec.get("scenario", "central"), f"{path}.scenario", scenarios)
        if uses_model
        else "central"
    )
    if "scenario" in spec and not uses_model:
        raise r.fail(f"{path}.scenario", "this statement is about printed cells only; leave out scenario")
    rounding: Any = None
    if "rounding" in spec:
        rounding = _places(r, spec["rounding"], f"{path}.rounding")
    text, source = r.text(spec["text"], f"{path}.text"), r.text(spec["source"], f"{path}.source", empty=True)
    quantity.update(r.given(spec, path, r.number, "scale"))
    basis = r.optional(spec, path, "basis", r.text)
    units = r.optional(spec, path, "units", r.text)
    return _building(
        r,
        path,
        lambda: Statement(
            text,
            value,
            source,
            year=year,
            scenario=scenario,
            basis=basis,
            units=units,
            rounding=rounding,
            op=op,
            **quantity,
        ),
    )


def _year(
    r: Values, spec: dict[str, Any], path: str, model: Model | None, per_year: bool, quantity: dict[str, Any]
) -> str | None:
    shown = show(quantity.get("metric") or quantity.get("line") or "the quantity")
    if "year" not in spec:
        if per_year:
            raise r.fail(path, f'{shown} has a value per year: give year = "2018/19" or "total"')
        return None
    if not per_year:
        raise r.fail(f"{path}.year", f"{shown} has one value, not one per year; leave out year")
    assert model is not None
    raw = spec["year"]
    if raw == "total":
        return "total"
    try:
        return model.timeline.label_of(r.text(raw, f"{path}.year"))
    except FinmodelError:
        raise r.fail(
            f"{path}.year", f"{show(raw)} is not on the model's timeline {model.timeline!r}"
        ) from None


def _value(r: Values, value: Any, path: str, model: Model | None, quantity: dict[str, Any], op: str) -> Any:
    metric = quantity.get("metric")
    is_year = (
        metric is not None
        and model is not None
        and metric in model.metrics
        and model.metrics[metric].units == "year"
    )
    if is_year:
        if not isinstance(value, str):
            raise r.fail(
                path, f'{show(metric)} is a year: expected a year such as "2019/20", or {show(NOT_WITHIN)}'
            )
        if value == NOT_WITHIN:
            return value
        assert model is not None
        try:
            return model.timeline.label_of(value)
        except FinmodelError:
            raise r.fail(
                path, f"{show(value)} is not a year of the model's timeline {model.timeline!r}"
            ) from None
    if op == "between":
        pair = r.array(value, path)
        if len(pair) != 2:
            raise r.fail(path, f'op = "between" needs [low, high], got {show(value)}')
        for i, v in enumerate(pair):
            r.number(v, f"{path}[{i}]")
        return tuple(pair)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise r.fail(path, f"expected a number, got {show(value)}")
    r.number(value, path)  # finite; the int or float kind sets the stated precision
    return value


def read_cross_total(r: Values, spec: Any, path: str, tables: Sequence[PublishedTable]) -> CrossTotal:
    """A figure of one table that figures of other tables give.

    Examples
    --------
    >>> import finmodel as fm
    >>> from finmodel.io.read_values import Values
    >>> tables = [fm.PublishedTable("A", "", ["£"], [("x", [1])]), fm.PublishedTable("B", "", ["£"], [("y", [1])])]
    >>> cell = {"table": "B", "row": "y", "column": "£"}
    >>> read_cross_total(Values("x.toml"), {"target": {"table": "A", "row": "x", "column": "£"}, "of": [cell]},
    ...                  "cross_total[0]", tables).describe()
    'A › x | £ = B › y | £'
    """
    r.table(spec, path, CROSS_TOTAL_KEYS, ("target", "of"))
    kwargs: dict[str, Any] = {
        key: tuple(r.each(spec[key], f"{path}.{key}", lambda v, p: _cell(r, v, p, tables)))
        for key in _PARTS
        if key in spec
    }
    target = _cell(r, spec["target"], f"{path}.target", tables)
    kwargs.update(r.given(spec, path, r.number, "scale"))
    kwargs.update(r.given(spec, path, lambda v, p: r.text(v, p, empty=True), "name", "source"))
    with r.refusing(path):
        return CrossTotal(target, **kwargs)
