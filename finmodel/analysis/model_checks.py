"""Checking printed figures against a model: reproduced tables, and statements.

A model computes from its inputs without rounding. A printed cell of a reproduced
table is flagged when it differs from the model's value (in the paper's sign for that
row) by more than its own half-unit; a statement likewise, with the half-unit of the
precision it is stated to, or, for a bound or a range, when no value the stated figure
stands for satisfies it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from finmodel.analysis.findings import Finding, Section
from finmodel.analysis.intervals import Interval, combine
from finmodel.analysis.table_checks import Coverage, find_cell, tables_by_name
from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS
from finmodel.engine.results import NOT_WITHIN, Evaluation
from finmodel.engine.run import evaluate
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.flows import fold_years
from finmodel.model.published import PublishedTable, Reproduction, half_unit
from finmodel.model.rules import Cell
from finmodel.model.statements import LineRow, Part, Statement

__all__ = ["Evaluations", "check_reproduction", "check_statements", "model_column", "statement_value"]


class Evaluations:
    """Evaluations of one model, one per scenario name, computed once.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Range(1, 2))])
    >>> evaluations = Evaluations(case, {})
    >>> evaluations("low") is evaluations("low"), evaluations("high").run_rate
    (True, 2.0)
    """

    def __init__(self, model: Model, scenarios: Mapping[str, Scenario]) -> None:
        self.model = model
        self.scenarios = dict(scenarios)
        self._done: dict[str, Evaluation] = {}

    def __call__(self, name: str) -> Evaluation:
        if name not in self._done:
            if name in self.scenarios:
                chosen: str | Scenario = self.scenarios[name]
            elif name in BASE_CASES:
                chosen = name
            else:
                known = [*BASE_CASES, *self.scenarios]
                raise FinmodelError(
                    f"check: no scenario called {name!r} (scenarios: {', '.join(map(repr, known))})"
                )
            self._done[name] = evaluate(self.model, chosen)
        return self._done[name]


def _model_rows(
    model: Model, ev: Evaluation, basis: str | None, units: str | None
) -> dict[str, tuple[pd.Series, float]]:
    """Every row the model can print for a basis, by label: its values and its printed sign."""
    rows: dict[str, tuple[pd.Series, float]] = {}
    for by in model.groupings:
        try:
            frame = ev.table(basis, units=units, by=by)
        except FinmodelError:
            continue
        signs = {row.label: row.sign for row in model.rows(basis, by)}
        for label, values in frame.iterrows():
            rows.setdefault(str(label), (values, signs.get(str(label), 1.0)))
    return rows


def model_column(model: Model, column: str, spec: Reproduction | None, who: str) -> str:
    """The model table's column for a printed one: ``"Total"``, or a year of its timeline.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("P", [1, 1])])
    >>> model_column(plan, "18/19", None, "check"), model_column(plan, "TOTAL", None, "check")
    ('2018/19', 'Total')
    """
    if column.strip().lower() == "total":
        return "Total"
    year = spec.columns.get(column, column) if spec is not None else column
    try:
        return model.timeline.label_of(year)
    except FinmodelError:
        raise FinmodelError(
            f"{who}: column {column!r} is not a year of the model's timeline {model.timeline!r} nor 'Total'; "
            "map it to a year in reproduces.columns"
        ) from None


def _metric_row(model: Model, ev: Evaluation, metric: str, units: str, who: str) -> pd.Series:
    """A per-year metric as a table row in ``units``, with its Total (a money metric's sum)."""
    if metric not in model.available:
        raise FinmodelError(
            f"{who}: {model.describe()} has no metric {metric!r} (metrics: {', '.join(model.available)})"
        )
    info = model.metrics[metric]
    if not info.per_year:
        raise FinmodelError(
            f"{who}: metric {metric!r} has one value, not one per year, so it cannot be a row"
        )
    money = info.units == "money"
    factor = UNITS[model.units] / UNITS[units] if money else 1.0
    values = ev.value(metric).to_numpy() * factor
    total = float(fold_years(values[:, None])[0]) if money else math.nan  # added as the NPV adds them
    return pd.Series([*values, total], index=[*model.timeline.labels, "Total"])


def _discounting(
    table: PublishedTable, model: Model, evaluations: Evaluations, columns: Mapping[str, str], who: str
) -> tuple[Model, Evaluations, str]:
    """The model to compare with (with the printed discount factors, if asked) and how it discounts."""
    spec = table.reproduces
    assert spec is not None
    if spec.discount_factors is None:
        if spec.metrics and isinstance(model, CostBenefitCase):
            return model, evaluations, f"discount factors: {model.discounting}"
        return model, evaluations, ""
    if not isinstance(model, CostBenefitCase):
        raise FinmodelError(
            f"{who}: reproduces.discount_factors applies to a cost/benefit case, not {model.describe()}"
        )
    row = table.row(spec.discount_factors)
    by_year = {columns[c]: v for c, v in zip(table.columns, row.values, strict=True) if columns[c] != "Total"}
    missing = [y for y in model.timeline.labels if by_year.get(y) is None]
    if missing:
        raise FinmodelError(f"{who}: row {row.label!r} prints no discount factor for {missing[0]!r}")
    factors = tuple(float(by_year[y]) for y in model.timeline.labels)  # type: ignore[arg-type]
    variant = dataclasses.replace(
        model, discount_rate=None, first_year="undiscounted", discount_factors=factors
    )
    return (
        variant,
        Evaluations(variant, evaluations.scenarios),
        f"discount factors as printed in row {row.label!r}",
    )


def check_reproduction(
    table: PublishedTable,
    model: Model,
    evaluations: Evaluations,
    number: int = 0,
    coverage: Coverage | None = None,
) -> Section:
    """Compare a table a model reproduces with the model's table, cell by printed cell, in the paper's signs.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)], [fm.Cost("k", [5, 1])])
    >>> t = fm.PublishedTable("t", "", ["18/19", "19/20"], [("Annual cost", [5, 1])],
    ...                       reproduces=fm.Reproduction(costs="positive"))
    >>> check_reproduction(t, case, Evaluations(case, {})).ok
    True
    """
    spec = table.reproduces
    assert spec is not None
    coverage = coverage if coverage is not None else Coverage()
    who = f"check: table {table.name!r}"
    columns = {c: model_column(model, c, spec, who) for c in table.columns}
    used, evals, note = _discounting(table, model, evaluations, columns, who)
    ev = evals(spec.scenario)
    units = table.units or model.units
    rows = _model_rows(used, ev, spec.basis, units)
    basis = spec.basis or model.bases[0]
    detail = f"against the model (scenario {spec.scenario}, basis {basis}{'; ' + note if note else ''})"
    if spec.costs == "positive" and not any(sign < 0 for _, sign in rows.values()):
        raise FinmodelError(
            f"{who}: costs='positive', but {model.describe()} prints no row negated; give signs per row"
        )
    findings = []
    checked = 0
    for row in table.rows:
        if row.label in spec.metrics:
            values, model_sign = _metric_row(used, ev, spec.metrics[row.label], units, who), 1.0
            rule = f"model metric {spec.metrics[row.label]!r}"
        else:
            label = spec.model_row(row.label)
            if label not in rows:
                raise FinmodelError(
                    f"{who}: the model prints no row {label!r} (rows: {', '.join(map(repr, rows))}); "
                    "map the printed label to a model row in reproduces.rows, or to a metric in reproduces.metrics"
                )
            values, model_sign = rows[label]
            rule = f"model row {label!r}"
        sign = spec.sign(row.label) * (-1.0 if spec.costs == "positive" and model_sign < 0 else 1.0)
        if sign < 0:
            rule += ", printed with the opposite sign"
        for column, printed in zip(table.columns, row.values, strict=True):
            if printed is None:
                continue
            value = sign * float(values[columns[column]]) + 0.0
            checked += 1
            coverage.add(number, [(row.label, column)])
            places = table.places(row.label, column)
            h = half_unit(places)
            lo, hi = value - h, value + h
            blank = math.isnan(value)
            if blank or _differs(printed, value, h):
                findings.append(
                    Finding(
                        table.name,
                        row.label,
                        column,
                        printed,
                        value,
                        printed - value,  # NaN for a blank cell
                        rule + (" leaves this cell blank" if blank else ""),
                        (lo, hi),  # (NaN, NaN) for a blank cell
                        row.source or table.source,
                        places,
                    )
                )
    return Section(table.name, "model", table.source, checked, tuple(findings), detail)


def _differs(stated: float, value: float, h: float) -> bool:
    return abs(stated - value) > h + 1e-9 * max(1.0, abs(value - h), abs(value + h))


# -- statements -------------------------------------------------------------------------------
class _Quantity:
    """Evaluates the parts of one statement: model metrics, lines' rows, printed cells."""

    def __init__(
        self,
        st: Statement,
        model: Model | None,
        evaluations: Callable[[str], Evaluation] | None,
        tables: Sequence[PublishedTable],
        coverage: Coverage,
    ) -> None:
        self.st = st
        self.model = model
        self.evaluations = evaluations
        self.tables = tables
        self.names = tables_by_name(tables)
        self.coverage = coverage
        self.who = f"check: statement {st.text!r}"
        self.per_year = False
        self.uses_model = False

    def _ev(self, part: Part) -> tuple[Model, Evaluation]:
        if self.model is None or self.evaluations is None:
            raise FinmodelError(
                f"check: statements are compared with a model; pass the model as the first argument "
                f"(statement {self.st.text!r} states {_describe(part)})"
            )
        self.uses_model = True
        return self.model, self.evaluations(self.st.scenario)

    def interval(self, part: Part) -> Interval:
        if isinstance(part, Cell):
            number, found = find_cell(part, self.tables, self.names, self.who)
            self.coverage.add(number, [(part.row, part.column)])
            return found
        model, ev = self._ev(part)
        if isinstance(part, LineRow):
            model.line(part.name)  # a clear error for a line the model does not have
            series = _model_rows(model, ev, self.st.basis, None)[part.name][0]
            values = np.asarray(series[list(model.timeline.labels)], dtype=float)[None, :]
            money = True
        else:
            if part not in model.available:
                known = ", ".join(model.available)
                raise FinmodelError(
                    f"{self.who}: {model.describe()} has no metric {part!r} (metrics: {known}; or give line=)"
                )
            if model.metrics[part].units == "year":
                raise FinmodelError(
                    f"{self.who}: {part!r} is a year; state it on its own (metric = {part!r})"
                )
            values = np.asarray(ev.samples(part), dtype=float)
            money = model.metrics[part].units == "money"
        value = self._at_year(values, part)
        if money:
            value *= UNITS[model.units] / UNITS[self.st.units or model.units]
        return value, value, value

    def _at_year(self, values: np.ndarray, part: Part) -> float:
        if values.ndim == 2:
            self.per_year = True
            if self.st.year is None:
                raise FinmodelError(
                    f"{self.who}: {_describe(part)} has a value per year; give year ('2018/19' or 'total')"
                )
            row = values[0]
            if self.st.year == "total":
                return float(row.sum())
            assert self.model is not None
            return float(row[self.model.timeline.index(self.st.year)])
        return float(values[0])

    def evaluate(self) -> Interval | None:
        plus, minus, times, over = ([self.interval(p) for p in group] for group in self.st.parts)
        if self.st.year is not None and not self.per_year:
            raise FinmodelError(
                f"{self.who}: {self.st.quantity()!r} has one value, not one per year; leave out year"
            )
        return combine(plus, minus, times, over, self.st.scale)


def _describe(part: Part) -> str:
    """A part in words, for messages."""
    return f"metric {part!r}" if isinstance(part, str) else part.describe()


def _holds(op: str, value: Any, lo: float, hi: float, h: float) -> bool:
    """Whether a figure stated to half-unit ``h`` relates to a quantity in [lo, hi] by ``op``."""
    finite = [abs(x) for x in (lo, hi) if math.isfinite(x)]
    stated = value if isinstance(value, tuple) else (value,)
    eps = 1e-9 * max(1.0, *finite, *(abs(v) for v in stated))
    if op == "between":
        low, high = value
        return bool(hi + h + eps >= low and lo - h - eps <= high)
    if op == "==":
        return bool(lo - h - eps <= value <= hi + h + eps)
    return {
        ">=": hi + h + eps >= value,
        ">": hi + h > value,
        "<=": lo - h - eps <= value,
        "<": lo - h < value,
    }[op]


def _year_statement(st: Statement, model: Model, ev: Evaluation, who: str) -> tuple[bool, str]:
    """A statement of a year-valued metric (payback): does it hold, and the model's year."""
    assert st.metric is not None
    found = str(ev.value(st.metric))
    if not isinstance(st.value, str):
        raise FinmodelError(
            f"{who}: {st.metric!r} is a year; state a year such as {model.timeline.labels[0]!r} or {NOT_WITHIN!r}"
            " (payback_years is a number of years)"
        )
    if st.op == "between":
        raise FinmodelError(f"{who}: op 'between' needs two numbers; {st.metric!r} is a year")
    if st.year is not None:
        raise FinmodelError(f"{who}: {st.metric!r} has one value, not one per year; leave out year")
    length = model.timeline.length

    def offset(label: str) -> int:
        return length if label == NOT_WITHIN else model.timeline.offset(label)

    try:
        stated = offset(st.value)
    except FinmodelError:
        raise FinmodelError(
            f"{who}: value {st.value!r} is not a year of the timeline {model.timeline!r}"
        ) from None
    return _holds(st.op, float(stated), float(offset(found)), float(offset(found)), 0.0), found


def statement_value(statement: Statement, model: Model, ev: Evaluation) -> float | str:
    """The model's value of the quantity a statement names, in the statement's units.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", 4)], [fm.Cost("k", [5, 1])])
    >>> s = fm.Statement("net in year 1", -1.0, "", "net", "2018/19")
    >>> statement_value(s, case, fm.evaluate(case))
    -1.0
    """
    if (
        statement.metric is not None
        and statement.metric in model.available
        and model.metrics[statement.metric].units == "year"
    ):
        return str(ev.value(statement.metric))
    found = _Quantity(statement, model, lambda name: ev, (), Coverage()).evaluate()
    return math.nan if found is None else found[0]


def check_statements(
    statements: Sequence[Statement],
    model: Model | None,
    evaluations: Evaluations | None,
    tables: Sequence[PublishedTable] = (),
    coverage: Coverage | None = None,
) -> Section:
    """Compare each stated figure with the quantity it states.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)], [fm.Cost("k", [5, 1])])
    >>> said = fm.Statement("at least £5m of benefit", 5, "", "total_benefit", op=">=")
    >>> [f.recomputed for f in check_statements([said], case, Evaluations(case, {})).findings]
    []
    """
    coverage = coverage if coverage is not None else Coverage()
    findings = []
    for st in statements:
        who = f"check: statement {st.text!r}"
        year = "" if st.year is None else st.year
        if model is not None and year not in ("", "total"):
            try:
                year = model.timeline.label_of(year)  # the timeline's own spelling ("y2" -> "Y2")
            except FinmodelError:
                raise FinmodelError(
                    f"{who}: year {year!r} is not on the model's timeline {model.timeline!r}"
                ) from None
        is_year = (
            st.metric is not None
            and model is not None
            and st.metric in model.metrics
            and model.metrics[st.metric].units == "year"
        )
        if is_year:
            assert model is not None and evaluations is not None and st.metric is not None
            holds, found = _year_statement(st, model, evaluations(st.scenario), who)
            if not holds:
                rule = f"{st.quantity()}, scenario {st.scenario}" + (
                    "" if st.op == "==" else f", stated {st.op}"
                )
                findings.append(
                    Finding(
                        "Statements",
                        st.text,
                        year,
                        str(st.value),
                        found,
                        math.nan,
                        rule,
                        source=st.source,
                        op=st.op,
                    )
                )
            continue
        if isinstance(st.value, str):
            raise FinmodelError(f"{who}: value {st.value!r} is a year, but {st.quantity()!r} is a number")
        quantity = _Quantity(st, model, evaluations, tables, coverage)
        result = quantity.evaluate()
        if result is None:
            raise FinmodelError(
                f"{who}: the denominator of {st.quantity()!r} may be 0, so nothing can be said"
            )
        point, lo, hi = result
        h = half_unit(st.rounding)
        if _holds(st.op, st.value, lo, hi, h):
            continue
        rule = f"{st.quantity()}{' ' + year if year else ''}"
        rule += f", scenario {st.scenario}" if quantity.uses_model else ""
        if st.op != "==":
            rule += f", stated {st.op}"
        duration = (
            st.metric is not None and model is not None and model.metrics[st.metric].units == "duration"
        )
        recomputed: float | str = NOT_WITHIN if duration and not math.isfinite(point) else point
        if isinstance(st.value, tuple):
            printed: float | str = " and ".join(_shown(v, st.rounding) for v in st.value)
            difference = math.nan
        else:
            printed = st.value
            difference = st.value - point if isinstance(recomputed, float) else math.nan
        findings.append(
            Finding(
                "Statements",
                st.text,
                year,
                printed,
                recomputed,
                difference,
                rule,
                (lo - h, hi + h),
                st.source,
                st.rounding,
                st.op,
                "model" if quantity.uses_model else "tables",
            )
        )
    return Section("Statements", "statements", "", len(statements), tuple(findings))


def _shown(value: float, places: int | None) -> str:
    return f"{value:.{max(places or 0, 0)}f}" if places is not None else f"{value:g}"
