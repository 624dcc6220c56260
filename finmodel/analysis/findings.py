"""What a check reports: findings, what was checked, and what could not be.

A :class:`CheckReport` holds one :class:`Section` per group of checks (a table's own
rules, a table against the model, the rules across tables, the statements). Each
section counts what it checked, lists its :class:`Finding` (every disagreement the
printed precision cannot explain) and, for a table, what it could not check
(:class:`Unchecked`), so that a report never says "agrees" of figures nothing tested.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import Literal

import pandas as pd

from finmodel.model.statements import OPS

__all__ = ["CheckReport", "Finding", "Section", "Unchecked", "count_phrase"]

#: Section kinds and the noun of the things each checks (singular, plural).
NOUNS: dict[str, tuple[str, str]] = {
    "total": ("total", "totals"),
    "base": ("percentage of one base", "percentages of one base"),
    "cell": ("cell", "cells"),
    "cross": ("cross-table total", "cross-table totals"),
    "statement": ("statement", "statements"),
}


def count_phrase(counts: dict[str, int]) -> str:
    """``{"total": 3, "base": 2}`` -> ``"3 totals and 2 percentages of one base"``.

    Examples
    --------
    >>> count_phrase({"total": 1}), count_phrase({"total": 3, "base": 2})
    ('1 total', '3 totals and 2 percentages of one base')
    """
    parts = [f"{n} {NOUNS[k][n != 1]}" for k, n in counts.items() if n or len(counts) == 1]
    return " and ".join(parts) if parts else "nothing"


@dataclass(frozen=True)
class Finding:
    """One disagreement: a printed figure that its parts (or the model) do not give.

    Attributes
    ----------
    table : str
        The table's name, ``"Across tables"`` or ``"Statements"``.
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
    places : int or None
        Decimal places the figure is printed to (None: exact, or not a number).
    op : str
        For a statement: how the figure relates to the quantity (``"=="``, ``">="``, ...).
    against : str
        For a statement: ``"model"``, or ``"tables"`` for one about printed cells only.

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("t", "", ["a", "b", "total"], [("x", [1, 2, 5])], [fm.Total(column="total", of=["a", "b"])])
    >>> f = fm.check(t).findings[0]
    >>> f.printed, f.recomputed, f.allowed
    (5.0, 3.0, (1.5, 4.5))
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
    places: int | None = None
    op: str = "=="
    against: str = "model"


@dataclass(frozen=True)
class Unchecked:
    """Printed figures of a table that no rule, reproduction or statement tested.

    Attributes
    ----------
    table : str
    what : {"table", "row", "column", "cell"}
        The whole table, a row, a column or single cells.
    label : str
        The row or column label, ``"row | column"`` for a cell, ``""`` for the table.
    reason : str
        Why: ``"no rule"``, ``"its denominator may be 0"``, ...

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("t", "", ["a", "b", "%"], [("x", [1, 2, 3]), ("y", [1, 2, 50])],
    ...                       [fm.Total(column="b", of=["a"], scale=2)])
    >>> fm.check(t).unchecked[0].describe()
    "column '%'"
    """

    table: str
    what: Literal["table", "row", "column", "cell"]
    label: str
    reason: str

    def describe(self) -> str:
        """``row 'Commercialisation'``."""
        return "the table" if self.what == "table" else f"{self.what} {self.label!r}"


@dataclass(frozen=True)
class Section:
    """The result of one group of checks: a table's rules, a reproduction, the statements.

    Attributes
    ----------
    name, kind, source : str
        What was checked; ``kind`` is ``"totals"``, ``"model"``, ``"cross"`` or
        ``"statements"``.
    checked : int
        How many relations (or cells, or statements) were checked.
    findings : tuple of Finding
    detail : str
        How (the scenario and basis of a reproduction).
    unchecked : tuple of Unchecked
        For a table's first section: its printed figures that nothing checked.
    counts : dict
        ``checked`` by what was checked (``{"total": 10, "base": 4}``).
    rules : int
        How many rules the table states (0: it states no totals).

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("t", "", ["a", "b", "total"], [("x", [1, 2, 3])], [fm.Total(column="total", of=["a", "b"])])
    >>> section = fm.check(t).sections[0]
    >>> section.kind, section.checked, section.ok
    ('totals', 1, True)
    """

    name: str
    kind: str
    source: str
    checked: int
    findings: tuple[Finding, ...]
    detail: str = ""
    unchecked: tuple[Unchecked, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    rules: int = -1

    @property
    def ok(self) -> bool:
        """True when nothing in this group disagrees."""
        return not self.findings

    @property
    def whole_table_unchecked(self) -> bool:
        """True when no printed figure of the table was checked."""
        return any(u.what == "table" for u in self.unchecked)


@dataclass(frozen=True)
class CheckReport:
    """What :func:`check` found: one section per table, reproduction and set of statements.

    ``ok`` is True when nothing disagrees; ``complete`` when, besides, every printed
    figure was checked; ``unchecked`` lists what was not.

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("Investment", "002_90ddc037a457842c.txt:1618-1619",
    ...     ["Technology", "People", "External Support", "Total"], [("£m", [6, 3, 8, 17])],
    ...     totals=[fm.Total(column="Total", of=["Technology", "People", "External Support"])])
    >>> report = fm.check(t)
    >>> report.ok, report.complete
    (True, True)
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
        """True when every table and statement agrees (in what could be checked)."""
        return not self.findings

    @property
    def unchecked(self) -> tuple[Unchecked, ...]:
        """Every printed figure (by table, row, column or cell) that nothing checked."""
        return tuple(u for s in self.sections for u in s.unchecked)

    @property
    def complete(self) -> bool:
        """True when every printed figure of every table was checked."""
        return not self.unchecked

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

    def _headline(self) -> str:
        """``8 findings``, ``all agrees``, or ``no findings; not checked: 1 table``."""
        count = len(self.findings)
        head = f"{count} finding{'s' if count != 1 else ''}" if count else "all agrees"
        if self.unchecked:
            head = head if count else "no findings"
            kinds = Counter(u.what for u in self.unchecked)
            shown = ", ".join(
                f"{n} {what}{'s' if n != 1 else ''}"
                for what, n in sorted(kinds.items(), key=lambda x: _ORDER[x[0]])
            )
            head += f"; not checked: {shown}"
        return head

    def _repr_html_(self) -> str:
        """Jupyter's view: the verdict, one line per section, and the findings as a table."""
        sections = "".join(f"<li>{escape(_section_line(s))}</li>" for s in self.sections)
        table = self.to_frame().to_html(index=False, na_rep="", escape=True) if self.findings else ""
        return f"<p><strong>{escape(self.title)}</strong>: {escape(self._headline())}</p><ul>{sections}</ul>{table}"

    def __str__(self) -> str:
        lines = [f"{self.title}: {self._headline()}"]
        for section in self.sections:
            lines.append("  " + _section_line(section))
            lines += ["    - " + _finding_line(f, section.kind) for f in section.findings]
        return "\n".join(lines)


_ORDER = {"table": 0, "row": 1, "column": 2, "cell": 3}


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


def _unchecked_text(items: tuple[Unchecked, ...]) -> str:
    by_reason: dict[str, list[Unchecked]] = {}
    for u in items:
        by_reason.setdefault(u.reason, []).append(u)
    return "; ".join(
        f"{', '.join(u.describe() for u in group)} ({reason})" for reason, group in by_reason.items()
    )


def _section_line(section: Section) -> str:
    where = f" ({section.source})" if section.source else ""
    detail = f", {section.detail}" if section.detail else ""
    head = f"{section.name}{where}{detail}"
    if section.whole_table_unchecked:
        return f"{head}: not checked ({section.unchecked[0].reason})"
    counts = dict(section.counts) or {_KIND_NOUN[section.kind]: section.checked}
    phrase = count_phrase(counts)
    if section.kind == "totals" and section.checked == 0:
        status = "no stated totals" if section.rules == 0 else "no stated total could be checked"
    elif section.ok:
        status = f"agrees ({phrase} checked)"
    else:
        n = len(section.findings)
        status = f"{n} of {phrase} {'disagrees' if n == 1 else 'disagree'}"
    if section.unchecked:
        status += f"; not checked: {_unchecked_text(section.unchecked)}"
    return f"{head}: {status}"


_KIND_NOUN = {"totals": "total", "model": "cell", "cross": "cross", "statements": "statement"}


def _finding_line(f: Finding, kind: str) -> str:
    places = f.places
    if kind == "statements":
        cite = f" ({f.source})" if f.source else ""
        diff = (
            ""
            if isinstance(f.printed, str) or isinstance(f.recomputed, str)
            else f", difference {_num(f.difference, places, 2)}"
        )
        return (
            f'"{f.row}"{cite}: stated {OPS[f.op]}{_num(f.printed, places)}, {f.against} '
            f"{_num(f.recomputed, places, 2)}{diff} [{f.rule}]"
        )
    lo, hi = f.allowed
    word = "model" if kind == "model" else "recomputed"
    return (
        f"{f.row} | {f.column}: printed {_num(f.printed, places)}, "
        f"{word} {_num(f.recomputed, places, 2)}, "
        f"difference {_num(f.difference, places, 2)} (rounding allows {_num(lo, places, 3)} to "
        f"{_num(hi, places, 3)}) [{f.rule}]"
    )
