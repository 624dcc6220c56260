"""Checking published tables and stated figures: totals, percentages, and the model.

:func:`check` recomputes every total and percentage a :class:`PublishedTable` states
from its printed parts, compares each table a model reproduces with the model's own
table, and compares each :class:`Statement` with the model output it names. It lists
every disagreement that the printed precision cannot explain.

Notes
-----
**The rounding rule.** A value printed to :math:`d` decimal places stands for a true
value within :math:`h = 0.5 \\times 10^{-d}` of it (``h = 0`` for an exact figure). So
each printed cell is an interval :math:`[v - h, v + h]`, and a relation between cells
is checked by interval arithmetic on those intervals:

* a sum :math:`T = \\sum_i a_i - \\sum_j b_j` of parts printed with half-units
  :math:`h_i` has its true value within :math:`\\sum_i h_i + \\sum_j h_j` of the sum of
  the printed parts; the printed total, itself rounded, may then differ from that sum
  by up to :math:`h_T + \\sum_i h_i + \\sum_j h_j`. Eight parts and a total all printed to
  2 dp may be off by :math:`9 \\times 0.005 = 0.045`.
* a ratio :math:`R = s \\cdot N / D` (a percentage: :math:`s = 100`) takes every value
  in :math:`s \\cdot [N_{lo}, N_{hi}] / [D_{lo}, D_{hi}]` as its numerator and
  denominator range over their intervals (interval division; if the denominator's
  interval contains 0 the cell cannot be checked and is skipped). The printed
  percentage :math:`r` is consistent when some true ratio in that interval rounds to
  it, i.e. when :math:`[r - h_r, r + h_r]` meets :math:`[R_{lo}, R_{hi}]`. For a whole
  percentage this is "within 0.5 percentage points of some ratio the rounded inputs
  allow".

A cell is flagged when its printed value lies outside the interval so derived (widened
by :math:`10^{-9}` relative, for binary floating point). Every relation is one of these
two forms (a running total is a sum over more cells), so a table's totals, differences,
running totals and percentages are all checked the same way.

**Against the model.** A model computes from its inputs without rounding. A printed
cell of a reproduced table is flagged when it differs from the model's value by more
than its own half-unit; a statement likewise, with the half-unit of the precision it is
stated to.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS
from finmodel.core.years import parse_year
from finmodel.engine.results import Evaluation
from finmodel.engine.run import evaluate
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.model.base import Model
from finmodel.model.published import CellCheck, PublishedTable, Statement, half_unit

__all__ = ["CheckReport", "Finding", "Section", "check"]



@dataclass(frozen=True)
class Finding:
    """One disagreement: a printed figure that its parts (or the model) do not give.

    Attributes
    ----------
    table : str
        The table's name, or ``"Statements"``.
    row, column : str
        The cell (for a statement: its text and its year).
    printed : float or str
        The value as printed or stated.
    recomputed : float or str
        The value recomputed from the printed parts, or the model's value.
    difference : float
        ``printed - recomputed`` (NaN for a year-valued statement).
    rule : str
        The relation checked, e.g. ``Low % = Low £ / In scope spend × 100``.
    allowed : (float, float)
        The printed values the parts (with their rounding) allow.
    source : str
        Where the figure is printed (seed file and line).
    """

    table: str
    row: str
    column: str
    printed: float | str
    recomputed: float | str
    difference: float
    rule: str
    allowed: tuple[float, float] = (math.nan, math.nan)
    source: str = ""


@dataclass(frozen=True)
class Section:
    """The result of one group of checks: a table's totals, a reproduction, the statements."""

    name: str
    kind: str
    source: str
    checked: int
    findings: tuple[Finding, ...]
    detail: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing in this group disagrees."""
        return not self.findings


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found: one section per table, reproduction and set of statements.

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("Investment", "002_90ddc037a457842c.txt:1618-1619",
    ...     ["Technology", "People", "External Support", "Total"], [("£m", [6, 3, 8, 17])],
    ...     totals=[fm.Total(column="Total", of=["Technology", "People", "External Support"])])
    >>> report = fm.check(t)
    >>> report.ok
    True
    >>> print(report)
    Check: all agrees
      Investment (002_90ddc037a457842c.txt:1618-1619): agrees (1 total checked)
    """

    title: str
    sections: tuple[Section, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every disagreement, section by section."""
        return tuple(f for s in self.sections for f in s.findings)

    @property
    def ok(self) -> bool:
        """True when every table and statement agrees."""
        return not self.findings

    def to_frame(self) -> pd.DataFrame:
        """The findings as a DataFrame, one row each.

        Examples
        --------
        >>> import finmodel as fm
        >>> t = fm.PublishedTable("t", "", ["a", "b", "total"], [("x", [1, 2, 4]), ("y", [1, 2, 5])],
        ...                       totals=[fm.Total(column="total", of=["a", "b"])])
        >>> fm.check(t).to_frame()[["row", "column", "printed", "recomputed", "allowed_high"]]
          row column  printed  recomputed  allowed_high
        0   y  total      5.0         3.0           4.5
        """
        columns = ["table", "row", "column", "printed", "recomputed", "difference"]
        columns += ["allowed_low", "allowed_high", "rule", "source"]
        records = [
            [f.table, f.row, f.column, f.printed, f.recomputed, f.difference, *f.allowed, f.rule, f.source]
            for f in self.findings
        ]
        return pd.DataFrame(records, columns=columns)

    def _repr_html_(self) -> str:
        """Jupyter's view: the verdict, one line per section, and the findings as a table."""
        count = len(self.findings)
        head = "all agrees" if count == 0 else f"{count} finding{'s' if count != 1 else ''}"
        sections = "".join(f"<li>{escape(_section_line(s))}</li>" for s in self.sections)
        table = self.to_frame().to_html(index=False, na_rep="", escape=True) if count else ""
        return f"<p><strong>{escape(self.title)}</strong>: {head}</p><ul>{sections}</ul>{table}"

    def __str__(self) -> str:
        count = len(self.findings)
        head = "all agrees" if count == 0 else f"{count} finding{'s' if count != 1 else ''}"
        lines = [f"{self.title}: {head}"]
        for section in self.sections:
            lines.append("  " + _section_line(section))
            lines += ["    - " + _finding_line(f, section.kind) for f in section.findings]
        return "\n".join(lines)


# -- formatting ---------------------------------------------------------------------------
def _num(x: float | str, places: int | None, extra: int = 0) -> str:
    if isinstance(x, str):
        return x
    if not math.isfinite(x):
        return str(x)
    if places is None:
        places = 0 if float(x).is_integer() else 4
    digits = max(places + extra, 0)
    text = f"{x:.{digits}f}"
    if extra and "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _section_line(section: Section) -> str:
    where = f" ({section.source})" if section.source else ""
    detail = f", {section.detail}" if section.detail else ""
    noun = {"totals": "total", "model": "cell", "statements": "statement"}[section.kind]
    plural = "s" if section.checked != 1 else ""
    if section.kind == "totals" and section.checked == 0:
        return f"{section.name}{where}: agrees (no stated totals)"
    if section.ok:
        return f"{section.name}{where}{detail}: agrees ({section.checked} {noun}{plural} checked)"
    n = len(section.findings)
    verb = "disagrees" if n == 1 else "disagree"
    return f"{section.name}{where}{detail}: {n} of {section.checked} {noun}{plural} {verb}"


def _finding_line(f: Finding, kind: str) -> str:
    places = _places_of(f.printed)
    if kind == "statements":
        cite = f" ({f.source})" if f.source else ""
        diff = "" if isinstance(f.printed, str) else f", difference {_num(f.difference, places, 2)}"
        return (
            f'"{f.row}"{cite}: stated {_num(f.printed, places)}, model {_num(f.recomputed, places, 2)}'
            f"{diff} [{f.rule}]"
        )
    lo, hi = f.allowed
    return (
        f"{f.row} | {f.column}: printed {_num(f.printed, places)}, "
        f"{'recomputed' if kind == 'totals' else 'model'} {_num(f.recomputed, places, 2)}, "
        f"difference {_num(f.difference, places, 2)} (rounding allows {_num(lo, places, 3)} to "
        f"{_num(hi, places, 3)}) [{f.rule}]"
    )


def _places_of(value: float | str) -> int | None:
    if isinstance(value, str):
        return None
    text = repr(float(value))
    if "e" in text:
        return None
    decimals = text.split(".")[1]
    return 0 if decimals == "0" else len(decimals)


# -- interval arithmetic --------------------------------------------------------------------
def _slack(lo: float, hi: float) -> float:
    return 1e-9 * max(1.0, abs(lo), abs(hi))


def _cell_interval(table: PublishedTable, cell: tuple[str, str]) -> tuple[float, float, float]:
    value = table.value(*cell)
    assert value is not None  # checks() only yields printed cells
    h = half_unit(table.decimals(cell[1]))
    return value, value - h, value + h


def _relation(table: PublishedTable, rel: CellCheck) -> tuple[float, float, float] | None:
    """Point estimate and the interval of true target values the printed parts allow."""
    point = lo = hi = 0.0
    for cell in rel.plus:
        v, a, b = _cell_interval(table, cell)
        point, lo, hi = point + v, lo + a, hi + b
    for cell in rel.minus:
        v, a, b = _cell_interval(table, cell)
        point, lo, hi = point - v, lo - b, hi - a
    if rel.over:
        d_point = d_lo = d_hi = 0.0
        for cell in rel.over:
            v, a, b = _cell_interval(table, cell)
            d_point, d_lo, d_hi = d_point + v, d_lo + a, d_hi + b
        if d_lo <= 0.0 <= d_hi:
            return None  # the denominator may be zero: nothing can be said
        ends = [x / y for x in (lo, hi) for y in (d_lo, d_hi)]
        point, lo, hi = point / d_point, min(ends), max(ends)
    ends = sorted((lo * rel.scale, hi * rel.scale))
    return point * rel.scale, ends[0], ends[1]


def check_totals(table: PublishedTable) -> Section:
    """Recompute every total and ratio a table states from its printed parts.

    Examples
    --------
    Strategic sourcing, 002_90ddc037a457842c.txt:1580-1588: the High £ column sums to
    12.67, not the printed 12.76; the Low £ column sums to 6.29 against 6.28, which
    2 dp rounding of nine figures explains.

    >>> import finmodel as fm
    >>> rows = [("Adults", [3.46, 6.93]), ("Children", [1.10, 2.12]), ("Construction", [0.08, 0.23]),
    ...         ("FM", [0.82, 1.63]), ("HR", [0.37, 0.85]), ("Environment", [0.11, 0.23]),
    ...         ("ICT", [0.13, 0.25]), ("Vehicles", [0.22, 0.43]), ("Sourcing savings", [6.28, 12.76])]
    >>> t = fm.PublishedTable("Strategic sourcing", "", ["Low £", "High £"], rows, rounding=2,
    ...     totals=[fm.Total(row="Sourcing savings", of=[r[0] for r in rows[:-1]])])
    >>> [(f.column, f.printed, round(f.recomputed, 2)) for f in check_totals(t).findings]
    [('High £', 12.76, 12.67)]
    """
    findings = []
    checked = 0
    for rel in table.checks():
        result = _relation(table, rel)
        if result is None:
            continue
        checked += 1
        point, lo, hi = result
        h = half_unit(table.decimals(rel.column))
        lo, hi = lo - h, hi + h
        printed = table.value(rel.row, rel.column)
        assert printed is not None
        eps = _slack(lo, hi)
        if printed < lo - eps or printed > hi + eps:
            source = table.row(rel.row).source or table.source
            findings.append(
                Finding(
                    table.name,
                    rel.row,
                    rel.column,
                    printed,
                    point,
                    printed - point,
                    rel.rule,
                    (lo, hi),
                    source,
                )
            )
    return Section(table.name, "totals", table.source, checked, tuple(findings))


# -- against a model --------------------------------------------------------------------------
class _Evaluations:
    """Evaluations of one model, one per scenario name, computed once."""

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


def _model_rows(ev: Evaluation, basis: str | None, units: str | None) -> dict[str, pd.Series]:
    """Every row the model can print for a basis, by label (totals and single lines)."""
    rows: dict[str, pd.Series] = {}
    for by in (None, "line", "type"):
        try:
            frame = ev.table(basis, units=units, by=by)
        except FinmodelError:
            continue
        for label, values in frame.iterrows():
            rows.setdefault(str(label), values)
    return rows


def _model_column(model: Model, column: str, who: str) -> str:
    if column.strip().lower() == "total":
        return "Total"
    try:
        start = parse_year(column, where=f"{who}: column")
    except FinmodelError:
        raise FinmodelError(
            f"{who}: column {column!r} is neither a financial year nor 'Total', so the model cannot print it"
        ) from None
    label = f"{start}/{(start + 1) % 100:02d}"
    if label not in model.timeline.labels:
        raise FinmodelError(f"{who}: column {column!r} is not on the model's timeline {model.timeline!r}")
    return label


def check_reproduction(table: PublishedTable, model: Model, evaluations: _Evaluations) -> Section:
    """Compare a table a model reproduces with the model's table, cell by printed cell."""
    spec = table.reproduces
    assert spec is not None
    who = f"check: table {table.name!r}"
    ev = evaluations(spec.scenario)
    units = table.units or model.units
    rows = _model_rows(ev, spec.basis, units)
    basis = spec.basis or model.bases[0]
    detail = f"against the model (scenario {spec.scenario}, basis {basis})"
    findings = []
    checked = 0
    columns = {c: _model_column(model, c, who) for c in table.columns}
    for row in table.rows:
        label = spec.model_row(row.label)
        if label not in rows:
            raise FinmodelError(
                f"{who}: the model prints no row {label!r} (rows: {', '.join(map(repr, rows))}); "
                "map the printed label to a model row in reproduces.rows"
            )
        for column, printed in zip(table.columns, row.values, strict=True):
            if printed is None:
                continue
            value = float(rows[label][columns[column]])
            checked += 1
            h = half_unit(table.decimals(column))
            lo, hi = value - h, value + h
            blank = math.isnan(value)
            if blank or abs(printed - value) > h + _slack(lo, hi):
                findings.append(
                    Finding(
                        table.name,
                        row.label,
                        column,
                        printed,
                        value,
                        printed - value,  # NaN for a blank cell
                        f"model row {label!r}" + (" leaves this cell blank" if blank else ""),
                        (lo, hi),  # (NaN, NaN) for a blank cell
                        row.source or table.source,
                    )
                )
    return Section(table.name, "model", table.source, checked, tuple(findings), detail)


def statement_value(statement: Statement, model: Model, ev: Evaluation) -> float | str:
    """The model's value of the output a statement names, in the statement's units.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", 4)], [fm.Cost("k", [5, 1])])
    >>> s = fm.Statement("net in year 1", -1.0, "", "net", "2018/19")
    >>> statement_value(s, case, fm.evaluate(case))
    -1.0
    """
    who = f"check: statement {statement.text!r}"
    metric = statement.metric
    if metric in model.available and model.metrics[metric].units == "year":
        return str(ev.value(metric))
    if metric.startswith("line:"):
        model.line(metric[len("line:") :])
        rows = _model_rows(ev, statement.basis, None)
        values = np.asarray(rows[metric[len("line:") :]][list(model.timeline.labels)], dtype=float)[None, :]
    elif metric in model.available:
        values = np.asarray(ev.samples(metric), dtype=float)
    else:
        known = ", ".join(model.available)
        raise FinmodelError(
            f"{who}: {model.describe()} has no metric {metric!r} (metrics: {known}, line:<name>)"
        )
    if values.ndim == 2:
        if statement.year is None:
            raise FinmodelError(f"{who}: {metric!r} has a value per year; give year ('2018/19' or 'total')")
        row = values[0]
        value = (
            float(row.sum())
            if statement.year == "total"
            else float(row[model.timeline.index(statement.year)])
        )
    else:
        if statement.year is not None:
            raise FinmodelError(f"{who}: {metric!r} has one value, not one per year; leave out year")
        value = float(values[0])
    if metric.startswith("line:") or model.metrics[metric].units == "money":
        value *= UNITS[model.units] / UNITS[statement.units or model.units]
    return value


def check_statements(statements: Sequence[Statement], model: Model, evaluations: _Evaluations) -> Section:
    """Compare each stated figure with the model output it names."""
    findings = []
    for st in statements:
        ev = evaluations(st.scenario)
        value = statement_value(st, model, ev)
        year = "" if st.year is None else st.year
        rule = f"{st.metric}{' ' + year if year else ''}, scenario {st.scenario}"
        if isinstance(st.value, str) or isinstance(value, str):
            if st.value != value:
                findings.append(
                    Finding("Statements", st.text, year, st.value, value, math.nan, rule, source=st.source)
                )
            continue
        h = half_unit(st.rounding)
        if abs(st.value - value) > h + _slack(value - h, value + h):
            findings.append(
                Finding(
                    "Statements",
                    st.text,
                    year,
                    st.value,
                    value,
                    st.value - value,
                    rule,
                    (value - h, value + h),
                    st.source,
                )
            )
    return Section("Statements", "statements", "", len(statements), tuple(findings))


# -- the verb -------------------------------------------------------------------------------
def _as_sequence(items: Any, cls: type, what: str) -> list[Any]:
    if items is None:
        return []
    if isinstance(items, cls):
        return [items]
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise FinmodelError(f"check: {what} must be a list of {cls.__name__}, got {items!r}")
    out = list(items)
    for i, item in enumerate(out):
        if not isinstance(item, cls):
            raise FinmodelError(f"check: {what}[{i}] ({item!r}) is not a {cls.__name__}")
    return out


def check(
    x: Any,
    tables: Sequence[PublishedTable] | None = None,
    statements: Sequence[Statement] | None = None,
    *,
    scenarios: Mapping[str, Scenario] | None = None,
    title: str | None = None,
) -> CheckReport:
    """Check published tables and statements: their totals, and against a model.

    Parameters
    ----------
    x : ScenarioFile, model, PublishedTable or None
        A loaded scenario file (its model, tables, statements and scenarios are used),
        a model (MTFP or CostBenefitCase) to check ``tables`` and ``statements``
        against, or a single table to check on its own.
    tables : sequence of PublishedTable, optional
        Tables to check (added to a file's own).
    statements : sequence of Statement, optional
        Stated figures to compare with the model (needs a model).
    scenarios : mapping of str to Scenario, optional
        Named scenarios that tables and statements may refer to.
    title : str, optional
        Heads the report.

    Returns
    -------
    CheckReport
        ``.ok``, ``.findings``, ``.to_frame()``; ``str(report)`` reads as a report.

    Notes
    -----
    The rounding rule is stated in this module's documentation: each printed value
    stands for an interval half a printed unit either side; a total or ratio is
    flagged only when no choice of true values within those intervals gives the
    printed figure.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> case = fm.CostBenefitCase("OCC", years,
    ...     [fm.Benefit("Minimum benefit", 33, fm.Profile.increments([2, 13, 13, 5]))],
    ...     [fm.Cost("Implementation", [3, 8, 5, 1])])
    >>> said = fm.Statement("net capital investment in year 1 of £2.38m", -2.38,
    ...     "002_90ddc037a457842c.txt:1611", "net_incremental", "2018/19", "low")
    >>> report = fm.check(case, statements=[said])
    >>> print(report)
    OCC: 1 finding
      Statements: 1 of 1 statement disagrees
        - "net capital investment in year 1 of £2.38m" (002_90ddc037a457842c.txt:1611): stated -2.38, model -1, difference -1.38 [net_incremental 2018/19, scenario low]
    """
    model: Model | None = None
    all_tables: list[PublishedTable] = []
    all_statements: list[Statement] = []
    named: dict[str, Scenario] = {}
    heading = title
    if isinstance(x, Model):
        model = x
        heading = heading or x.name
    elif isinstance(x, PublishedTable):
        all_tables.append(x)
    elif x is not None and all(hasattr(x, a) for a in ("model", "tables", "statements")):
        model = x.model
        all_tables += _as_sequence(x.tables, PublishedTable, "tables")
        all_statements += _as_sequence(x.statements, Statement, "statements")
        named.update(getattr(x, "scenarios", None) or {})
        heading = heading or getattr(x, "title", None)
    elif x is not None:
        raise FinmodelError(
            f"check: expected a scenario file, a model or a PublishedTable, got {type(x).__name__}"
        )
    all_tables += _as_sequence(tables, PublishedTable, "tables")
    all_statements += _as_sequence(statements, Statement, "statements")
    named.update(scenarios or {})
    if model is None and all_statements:
        raise FinmodelError(
            "check: statements are compared with a model; pass the model as the first argument"
        )
    evaluations = _Evaluations(model, named) if model is not None else None
    sections = []
    for table in all_tables:
        sections.append(check_totals(table))
        if table.reproduces is not None and model is not None and evaluations is not None:
            sections.append(check_reproduction(table, model, evaluations))
    if all_statements and model is not None and evaluations is not None:
        sections.append(check_statements(all_statements, model, evaluations))
    return CheckReport(heading or "Check", tuple(sections))
