"""Checking what printed figures say of each other: a table's rules, and rules across tables.

Every check returns its :class:`~finmodel.analysis.findings.Section` and the cells it
tested (its *coverage*), so that a report can say what nothing tested.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from finmodel.analysis.findings import Finding, Section
from finmodel.analysis.intervals import Interval, combine, outside, slack
from finmodel.core.amounts import fmt_number
from finmodel.core.errors import FinmodelError, ModelError
from finmodel.model.published import PublishedTable, Total, half_unit
from finmodel.model.rules import Cell, CommonBase, CrossTotal

__all__ = ["Coverage", "check_cross_totals", "check_totals", "interval"]

CellKey = tuple[str, str]  # (row, column)


@dataclass
class Coverage:
    """The cells of each table that some check tested, and why others could not be.

    Tables are keyed by their position in the check (two tables may share a name).

    Examples
    --------
    >>> c = Coverage()
    >>> c.add(0, [("Total", "2018/19")])
    >>> c.covered
    {0: {('Total', '2018/19')}}
    """

    covered: dict[int, set[CellKey]] = field(default_factory=dict)
    skipped: dict[int, dict[CellKey, str]] = field(default_factory=dict)

    def add(self, table: int, cells: Sequence[CellKey]) -> None:
        """Mark ``cells`` of table number ``table`` as checked."""
        self.covered.setdefault(table, set()).update(cells)

    def skip(self, table: int, cells: Sequence[CellKey], reason: str) -> None:
        """Note that a rule over ``cells`` could not be checked, and why."""
        for cell in cells:
            self.skipped.setdefault(table, {}).setdefault(cell, reason)


def interval(table: PublishedTable, cell: CellKey) -> Interval:
    """A printed cell as (value, lowest, highest) true value its rounding allows.

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("t", "", ["a"], [("x", [1.25])], rounding=2)
    >>> interval(t, ("x", "a"))
    (1.25, 1.245, 1.255)
    """
    value = table.value(*cell)
    if value is None:
        raise FinmodelError(f"check: table {table.name!r} prints no figure at {cell[0]!r} | {cell[1]!r}")
    h = half_unit(table.places(*cell))
    return value, value - h, value + h


def check_totals(table: PublishedTable, number: int = 0, coverage: Coverage | None = None) -> Section:
    """Recompute every total, product and ratio a table states from its printed parts.

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
    coverage = coverage if coverage is not None else Coverage()
    findings: list[Finding] = []
    counts = {"total": 0, "base": 0}
    for rel in table.checks():
        plus, minus, times, over = (
            [interval(table, c) for c in group] for group in (rel.plus, rel.minus, rel.times, rel.over)
        )
        result = combine(plus, minus, times, over, rel.scale)
        if result is None:
            coverage.skip(number, rel.cells, "its denominator may be 0")
            continue
        counts["total"] += 1
        coverage.add(number, rel.cells)
        point, lo, hi = result
        places = table.places(rel.row, rel.column)
        h = half_unit(places)
        lo, hi = lo - h, hi + h
        printed = table.value(rel.row, rel.column)
        assert printed is not None
        if outside(printed, lo, hi):
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
                    places,
                )
            )
    for rule in table.totals:
        if isinstance(rule, CommonBase):
            counts["base"] += _common_base(table, rule, number, coverage, findings)
        elif isinstance(rule, Total):
            for rel in rule.expand(table, blanks=True):
                shown_cells = [c for c in rel.cells if table.value(*c) is not None]
                if len(shown_cells) < len(rel.cells):
                    coverage.skip(number, shown_cells, 'a figure it needs is printed "-"')
    shown = {k: n for k, n in counts.items() if n or k == "total"}
    return Section(
        table.name,
        "totals",
        table.source,
        sum(counts.values()),
        tuple(findings),
        counts=tuple(shown.items()),
        rules=len(table.totals),
    )


def _implied_base(percent: Interval, amount: Interval, scale: float) -> tuple[float, float, float] | None:
    """The base a printed amount and percentage imply: scale × amount / percent, on intervals."""
    return combine([amount], [], [], [percent], scale)


def _common_base(
    table: PublishedTable, rule: CommonBase, number: int, coverage: Coverage, findings: list[Finding]
) -> int:
    """Check one :class:`CommonBase`; returns how many figures were checked."""
    pairs = []
    for percent_cell, amount_cell in rule.figures(table):
        implied = _implied_base(interval(table, percent_cell), interval(table, amount_cell), rule.scale)
        if implied is None:
            coverage.skip(
                number, [percent_cell, amount_cell], "the percentage may be 0, so it implies no base"
            )
            continue
        pairs.append((percent_cell, amount_cell, implied))
        coverage.add(number, [percent_cell, amount_cell])
    if not pairs:
        return 0
    # the base most figures allow: the point covered by most implied intervals (first on a tie)
    members: list[tuple[CellKey, CellKey, Interval]] = []
    for _, _, (_, start, _) in pairs:
        inside = [
            p
            for p in pairs
            if p[2][1] - slack(p[2][1], p[2][2]) <= start <= p[2][2] + slack(p[2][1], p[2][2])
        ]
        if len(inside) > len(members):
            members = inside
    lo = max(p[2][1] for p in members)
    hi = min(p[2][2] for p in members)
    base = (lo + hi) / 2
    count = f"{len(members)} of {len(pairs)} figures"
    for percent_cell, amount_cell, _ in pairs:
        if any(percent_cell == m[0] for m in members):
            continue
        places = table.places(*percent_cell)
        h = half_unit(places)
        amount = interval(table, amount_cell)
        printed = table.value(*percent_cell)
        assert printed is not None
        found = combine([amount], [], [], [(base, lo, hi)], rule.scale)
        if found is None:
            continue  # a base that may be 0 implies no percentage
        point, a, b = found
        percent, of = (
            (percent_cell[1], amount_cell[1]) if rule.axis == "column" else (percent_cell[0], amount_cell[0])
        )
        rule_text = (
            f"{percent} = {of} / base × {fmt_number(rule.scale)}, "
            f"the base {count} imply ({fmt_number(round(base, 6))})"
        )
        source = table.row(percent_cell[0]).source or table.source
        findings.append(
            Finding(
                table.name,
                percent_cell[0],
                percent_cell[1],
                printed,
                point,
                printed - point,
                rule_text,
                (a - h, b + h),
                source,
                places,
            )
        )
    return len(pairs)


# -- across tables ------------------------------------------------------------------------------
def tables_by_name(tables: Sequence[PublishedTable]) -> dict[str, int]:
    """Table name -> its position; a name two tables share maps to -1 (ambiguous).

    Examples
    --------
    >>> import finmodel as fm
    >>> a, b = (fm.PublishedTable(n, "", ["x"], [("r", [1])]) for n in ("A", "B"))
    >>> tables_by_name([a, b, a])
    {'A': -1, 'B': 1}
    """
    out: dict[str, int] = {}
    for i, t in enumerate(tables):
        out[t.name] = -1 if t.name in out else i
    return out


def find_cell(
    cell: Cell, tables: Sequence[PublishedTable], names: Mapping[str, int], who: str
) -> tuple[int, Interval]:
    """The table number of a :class:`Cell` and its printed interval.

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("T", "", ["£m"], [("Total", [17])])
    >>> find_cell(fm.Cell("T", "Total", "£m"), [t], {"T": 0}, "check")
    (0, (17.0, 16.5, 17.5))
    """
    number = names.get(cell.table)
    if number is None:
        known = ", ".join(repr(t.name) for t in tables) or "none"
        raise FinmodelError(f"{who}: no table called {cell.table!r} (tables: {known})")
    if number < 0:
        raise FinmodelError(f"{who}: two tables are called {cell.table!r}; give them different names")
    table = tables[number]
    if cell.row not in table.row_labels or cell.column not in table.columns:
        raise FinmodelError(f"{who}: table {cell.table!r} has no cell {cell.row!r} | {cell.column!r}")
    try:
        return number, interval(table, (cell.row, cell.column))
    except (ModelError, FinmodelError) as err:
        raise FinmodelError(f"{who}: {err}") from None


def check_cross_totals(
    rules: Sequence[CrossTotal], tables: Sequence[PublishedTable], coverage: Coverage
) -> Section:
    """Check figures that other tables' figures give (:class:`~finmodel.model.rules.CrossTotal`).

    Examples
    --------
    >>> import finmodel as fm
    >>> invest = fm.PublishedTable("Investment", "", ["Total"], [("One-off", [17])])
    >>> profile = fm.PublishedTable("Profile", "", ["Total"], [("Annual cost", [-15])])
    >>> rule = fm.CrossTotal(fm.Cell("Profile", "Annual cost", "Total"),
    ...                      of=[fm.Cell("Investment", "One-off", "Total")], scale=-1)
    >>> [(f.printed, f.recomputed) for f in check_cross_totals([rule], [invest, profile], Coverage()).findings]
    [(-15.0, -17.0)]
    """
    names = tables_by_name(tables)
    findings = []
    checked = 0
    for rule in rules:
        who = f"check: cross-table total {rule.describe()!r}"
        target_number, (printed, t_lo, t_hi) = find_cell(rule.target, tables, names, who)
        found = [
            [find_cell(c, tables, names, who) for c in group]
            for group in (rule.of, rule.minus, rule.times, rule.over)
        ]
        plus, minus, times, over = ([iv for _, iv in group] for group in found)
        result = combine(plus, minus, times, over, rule.scale)
        if result is None:
            continue
        checked += 1
        coverage.add(target_number, [(rule.target.row, rule.target.column)])
        for group, cells in zip(found, (rule.of, rule.minus, rule.times, rule.over), strict=True):
            for (number, _), c in zip(group, cells, strict=True):
                coverage.add(number, [(c.row, c.column)])
        point, lo, hi = result
        h = (t_hi - t_lo) / 2
        lo, hi = lo - h, hi + h
        if outside(printed, lo, hi):
            table = tables[target_number]
            findings.append(
                Finding(
                    rule.target.table,
                    rule.target.row,
                    rule.target.column,
                    printed,
                    point,
                    printed - point,
                    rule.describe(),
                    (lo, hi),
                    rule.source or table.row(rule.target.row).source or table.source,
                    table.places(rule.target.row, rule.target.column),
                )
            )
    return Section("Across tables", "cross", "", checked, tuple(findings))
