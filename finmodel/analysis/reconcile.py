"""Checking published tables and stated figures: totals, products, percentages, and the model.

:func:`check` recomputes every total, product and percentage a :class:`PublishedTable`
states from its printed parts, checks percentages of a base the paper never prints for
consistency, checks figures that other tables give, compares each table a model
reproduces with the model's own table (in the paper's signs), and compares each
:class:`Statement` with the quantity it names. It lists every disagreement that the
printed precision cannot explain, and every printed figure that nothing checked.

Notes
-----
**The rounding rule.** A value printed to :math:`d` decimal places stands for a true
value within :math:`h = 0.5 \\times 10^{-d}` of it (``h = 0`` for an exact figure). So
each printed cell is an interval :math:`[v - h, v + h]`, and a relation between cells
is checked by interval arithmetic on those intervals
(:mod:`finmodel.analysis.intervals`):

* a sum :math:`T = \\sum_i a_i - \\sum_j b_j` of parts printed with half-units
  :math:`h_i` has its true value within :math:`\\sum_i h_i + \\sum_j h_j` of the sum of
  the printed parts; the printed total, itself rounded, may then differ from that sum
  by up to :math:`h_T + \\sum_i h_i + \\sum_j h_j`. Eight parts and a total all printed to
  2 dp may be off by :math:`9 \\times 0.005 = 0.045`.
* a product (a present value, net times a discount factor) or a ratio
  :math:`R = s \\cdot N / D` (a percentage: :math:`s = 100`) takes every value between
  the extreme products (quotients) of its factors' interval ends; if a denominator's
  interval contains 0 the cell cannot be checked, and the report says so. The printed
  :math:`r` is consistent when :math:`[r - h_r, r + h_r]` meets that range: for a whole
  percentage, "within 0.5 percentage points of some ratio the rounded inputs allow".

A cell is flagged when its printed value lies outside the interval so derived (widened
by :math:`10^{-9}` relative, for binary floating point).

**Against the model.** A model computes from its inputs without rounding. A printed
cell of a reproduced table is flagged when it differs from the model's value, in the
paper's sign for the row, by more than its own half-unit; a statement likewise, with
the half-unit of the precision it is stated to.

**Coverage.** A printed figure is *checked* when it is the target or a part of a rule
that could be evaluated, a cell compared with the model, or a part of a statement or a
cross-table total. Every other figure is listed as not checked, with the reason, and a
table none of whose figures was checked is reported as "not checked", never as
agreeing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from finmodel.analysis.findings import CheckReport, Finding, Section, Unchecked
from finmodel.analysis.model_checks import Evaluations, check_reproduction, check_statements, statement_value
from finmodel.analysis.table_checks import Coverage, check_cross_totals, check_totals
from finmodel.core.errors import FinmodelError
from finmodel.engine.scenario import Scenario
from finmodel.model.base import Model
from finmodel.model.published import PublishedTable
from finmodel.model.rules import CrossTotal
from finmodel.model.statements import Statement

__all__ = ["CheckReport", "Finding", "Section", "Unchecked", "check", "check_totals", "statement_value"]


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


def _unchecked(
    table: PublishedTable, covered: set[tuple[str, str]], skipped: Mapping[tuple[str, str], str]
) -> tuple[Unchecked, ...]:
    """The printed figures of ``table`` no check tested, by row, column or cell, with the reason."""
    printed = table.printed_cells()
    left = [c for c in printed if c not in covered]
    if not left:
        return ()
    if len(left) == len(printed):
        reasons = sorted({skipped[c] for c in left if c in skipped})
        if reasons:
            why = reasons[0]
        else:
            why = "no stated totals" if not table.totals else "no rule covers it"
            if table.reproduces is None:
                why += ", no reproduction"
        return (Unchecked(table.name, "table", "", why),)

    def reason(cell: tuple[str, str]) -> str:
        return skipped.get(cell, "no rule")

    out: list[Unchecked] = []
    grouped: set[tuple[str, str]] = set()
    for what, labels, position in (("row", table.row_labels, 0), ("column", table.columns, 1)):
        for label in labels:
            cells = [c for c in printed if c[position] == label]
            if len(cells) > 1 and all(c in left for c in cells) and len({reason(c) for c in cells}) == 1:
                out.append(Unchecked(table.name, what, label, reason(cells[0])))  # type: ignore[arg-type]
                grouped.update(cells)
    out += [
        Unchecked(table.name, "cell", f"{r} | {c}", reason((r, c))) for r, c in left if (r, c) not in grouped
    ]
    return tuple(out)


def check(
    x: Any,
    tables: Sequence[PublishedTable] | None = None,
    statements: Sequence[Statement] | None = None,
    *,
    scenarios: Mapping[str, Scenario] | None = None,
    title: str | None = None,
    cross_totals: Sequence[CrossTotal] | None = None,
) -> CheckReport:
    """Check published tables and statements: their own rules, each other, and a model.

    Parameters
    ----------
    x : ScenarioFile, model, PublishedTable or None
        A loaded scenario file (its model, tables, statements, cross-table totals and
        scenarios are used; a file may have tables and no model), a model (MTFP or
        CostBenefitCase) to check ``tables`` and ``statements`` against, a single table
        to check on its own, or None.
    tables : sequence of PublishedTable, optional
        Tables to check (added to a file's own).
    statements : sequence of Statement, optional
        Stated figures to check (those that name a model quantity need a model).
    scenarios : mapping of str to Scenario, optional
        Named scenarios that tables and statements may refer to.
    title : str, optional
        Heads the report.
    cross_totals : sequence of CrossTotal, optional
        Figures of one table that other tables' figures give.

    Returns
    -------
    CheckReport
        ``.ok``, ``.findings``, ``.complete``, ``.unchecked``, ``.to_frame()``;
        ``str(report)`` reads as a report.

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
    crosses: list[CrossTotal] = []
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
        crosses += _as_sequence(getattr(x, "cross_totals", ()), CrossTotal, "cross_totals")
        named.update(getattr(x, "scenarios", None) or {})
        heading = heading or getattr(x, "title", None)
    elif x is not None:
        raise FinmodelError(
            f"check: expected a scenario file, a model or a PublishedTable, got {type(x).__name__}"
        )
    if model is not None and not isinstance(model, Model):
        raise FinmodelError(f"check: the file's model ({model!r}) is not a model")
    all_tables += _as_sequence(tables, PublishedTable, "tables")
    all_statements += _as_sequence(statements, Statement, "statements")
    crosses += _as_sequence(cross_totals, CrossTotal, "cross_totals")
    named.update(scenarios or {})
    evaluations = Evaluations(model, named) if model is not None else None
    coverage = Coverage()
    sections: list[Section] = []
    first: dict[int, int] = {}  # table number -> index of its first section
    for number, table in enumerate(all_tables):
        first[number] = len(sections)
        sections.append(check_totals(table, number, coverage))
        if table.reproduces is None:
            continue
        if model is not None and evaluations is not None:
            sections.append(check_reproduction(table, model, evaluations, number, coverage))
        else:
            coverage.skip(number, table.printed_cells(), "it reproduces a model, and there is none")
    if crosses:
        sections.append(check_cross_totals(crosses, all_tables, coverage))
    if all_statements:
        sections.append(check_statements(all_statements, model, evaluations, all_tables, coverage))
    for number, table in enumerate(all_tables):
        missing = _unchecked(table, coverage.covered.get(number, set()), coverage.skipped.get(number, {}))
        if missing:
            at = first[number]
            sections[at] = dataclasses.replace(sections[at], unchecked=missing)
    return CheckReport(heading or "Check", tuple(sections))
