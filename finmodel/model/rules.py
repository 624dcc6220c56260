"""Rules beyond a table's own totals: percentages of an unstated base, and relations across tables.

* :class:`CommonBase`: percentages of one base that the paper never prints ("% of net
  budget"). Nothing can be recomputed, but every row's figure and percentage imply a
  base, and those must agree: the same £ figure printed with two different
  percentages implies two bases.
* :class:`Cell` names one printed figure of a named table; :class:`CrossTotal` states
  that a figure of one table is a sum, difference, product or ratio of figures of
  others (the investment table's total is the profile's total cost).

:func:`finmodel.check` checks them with the same rounding rule as every total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from finmodel.core.amounts import fmt_number
from finmodel.core.errors import ModelError
from finmodel.model.printed import labels, scale_of, text
from finmodel.model.published import PublishedTable
from finmodel.model.totals import Rule

__all__ = ["Cell", "CommonBase", "CrossTotal"]


@dataclass(frozen=True)
class CommonBase(Rule):
    """Percentages of one base the paper does not print: each % = amount / base × ``scale``.

    Give exactly one of ``columns`` (percentage columns, each mapped to the amount
    column it is a percentage of; the rule holds along the rows) or ``rows`` (the same
    with rows). Every pair in every row (column) shares one base, so several
    snapshots printed side by side ("Q1 %" of "Q1 £k", "Q2 %" of "Q2 £k") can be
    checked together.

    Parameters
    ----------
    columns, rows : mapping of str to str
        Percentage label -> amount label.
    scale : float
        100 for percentages.
    within : sequence of str, optional
        The rows (for ``columns``) or columns (for ``rows``) where the base is common;
        default every one.

    Notes
    -----
    A printed amount :math:`a \\pm h_a` and percentage :math:`p \\pm h_p` imply a base
    in :math:`[s (a - h_a) / (p + h_p),\\ s (a + h_a) / (p - h_p)]` (for positive
    figures; interval division in general). The figures agree when one base lies in
    every such interval. Otherwise the base most of them allow (the first, on a tie)
    is taken as the paper's, and each figure that does not allow it is a finding. A
    percentage whose interval contains 0 implies no base and is not checked.

    Examples
    --------
    >>> CommonBase(columns={"% of net budget": "£k"}).describe()
    '% of net budget = £k / (one unstated base) × 100'
    """

    noun: ClassVar[str] = "base"

    columns: Mapping[str, str] | None = None
    rows: Mapping[str, str] | None = None
    scale: float = 100.0
    within: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if (self.columns is None) == (self.rows is None):
            raise ModelError("CommonBase: give exactly one of columns= or rows= (percentage -> amount)")
        pairs = self.columns if self.columns is not None else self.rows
        who = "CommonBase"
        if not isinstance(pairs, Mapping) or not pairs:
            raise ModelError(
                f"{who}: {self.axis}s ({pairs!r}) must map each percentage label to its amount label"
            )
        mapped = {
            text(k, who, "percentage label"): text(v, who, f"amount of {k!r}") for k, v in pairs.items()
        }
        object.__setattr__(self, "columns" if self.columns is not None else "rows", mapped)
        object.__setattr__(self, "scale", scale_of(self.scale, who))
        if self.within is not None:
            object.__setattr__(self, "within", labels(self.within, who, "within"))

    @property
    def axis(self) -> Literal["row", "column"]:
        """``"column"`` for percentage columns, ``"row"`` for percentage rows."""
        return "column" if self.columns is not None else "row"

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(percentage label, amount label) pairs."""
        pairs = self.columns if self.columns is not None else self.rows
        assert pairs is not None
        return tuple(pairs.items())

    def check_labels(self, table: PublishedTable, who: str) -> None:
        """Refuse a label the table does not have."""
        same, other = (
            (table.columns, table.row_labels) if self.axis == "column" else (table.row_labels, table.columns)
        )
        for percent, amount in self.pairs:
            for label in (percent, amount):
                if label not in same:
                    raise ModelError(f"{who}: there is no {self.axis} called {label!r}")
        for label in self.within or ():
            if label not in other:
                raise ModelError(
                    f"{who}: within names {label!r}, which is not a {'row' if self.axis == 'column' else 'column'}"
                )

    def describe(self) -> str:
        """The rule in words."""
        shown = "; ".join(
            f"{p} = {a} / (one unstated base) × {fmt_number(self.scale)}" for p, a in self.pairs
        )
        return shown

    def figures(self, table: PublishedTable) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """(percentage cell, amount cell) for every printed pair, as (row, column) cells."""
        along = table.row_labels if self.axis == "column" else table.columns
        out = []
        for other in along:
            if self.within is not None and other not in self.within:
                continue
            for percent, amount in self.pairs:
                cells = (
                    ((other, percent), (other, amount))
                    if self.axis == "column"
                    else ((percent, other), (amount, other))
                )
                if all(table.value(*c) is not None for c in cells):
                    out.append(cells)
        return out


@dataclass(frozen=True)
class Cell:
    """One printed figure: a table (by name), a row and a column.

    Examples
    --------
    >>> Cell("Estimated investment costs", "One-off investment", "Total").describe()
    'Estimated investment costs › One-off investment | Total'
    """

    table: str
    row: str
    column: str

    def __post_init__(self) -> None:
        for name in ("table", "row", "column"):
            text(getattr(self, name), "Cell", name)

    def describe(self) -> str:
        """``table › row | column``."""
        return f"{self.table} › {self.row} | {self.column}"

    def find(self, tables: Mapping[str, PublishedTable], who: str) -> tuple[PublishedTable, float | None]:
        """The table and the printed value (None for "-"); a ModelError names what is missing."""
        if self.table not in tables:
            known = ", ".join(map(repr, tables)) or "none"
            raise ModelError(f"{who}: no table called {self.table!r} (tables: {known})")
        table = tables[self.table]
        if self.row not in table.row_labels:
            raise ModelError(f"{who}: table {self.table!r} has no row called {self.row!r}")
        return table, table.value(self.row, self.column)


def _cells(values: Any, who: str, what: str) -> tuple[Cell, ...]:
    """A tuple of :class:`Cell`."""
    if isinstance(values, (str, Cell)) or not isinstance(values, Sequence):
        raise ModelError(f"{who}: {what} ({values!r}) must be a list of Cell")
    for i, v in enumerate(values):
        if not isinstance(v, Cell):
            raise ModelError(f"{who}: {what}[{i}] ({v!r}) is not a Cell")
    return tuple(values)


@dataclass(frozen=True)
class CrossTotal:
    """A figure of one table that figures of other tables give: target = (Σ of - Σ minus) × Π times / Σ over × scale.

    Cells are compared as printed, in their own tables' units: a table in £m against
    one in £k needs ``scale=1000`` (or 0.001).

    Parameters
    ----------
    target : Cell
    of, minus, times, over : sequence of Cell
        As for :class:`~finmodel.model.published.Total`.
    scale : float
    name : str, optional
        The rule in words, for the report.
    source : str, optional
        Where the relation is stated (or implied).

    Examples
    --------
    >>> rule = CrossTotal(Cell("Profile", "Annual cost", "Total"),
    ...                   of=[Cell("Investment", "One-off investment", "Total")], scale=-1)
    >>> rule.describe()
    'Profile › Annual cost | Total = Investment › One-off investment | Total × -1'
    """

    noun: ClassVar[str] = "cross-table total"

    target: Cell
    of: tuple[Cell, ...] = ()
    minus: tuple[Cell, ...] = ()
    times: tuple[Cell, ...] = ()
    over: tuple[Cell, ...] = ()
    scale: float = 1.0
    name: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        who = "CrossTotal"
        if not isinstance(self.target, Cell):
            raise ModelError(f"{who}: target ({self.target!r}) must be a Cell")
        for name in ("of", "minus", "times", "over"):
            object.__setattr__(self, name, _cells(getattr(self, name), who, name))
        if not self.of:
            raise ModelError(f"{who} {self.target.describe()!r}: of is empty; name the cells that are added")
        object.__setattr__(self, "scale", scale_of(self.scale, who))
        text(self.name, who, "name", empty=True)
        text(self.source, who, "source", empty=True)

    @property
    def parts(self) -> tuple[Cell, ...]:
        """Every cell the target is computed from."""
        return (*self.of, *self.minus, *self.times, *self.over)

    def describe(self) -> str:
        """The rule in words (its ``name`` if it has one)."""
        if self.name:
            return self.name
        out = " + ".join(c.describe() for c in self.of)
        if self.minus:
            out += " - " + " - ".join(c.describe() for c in self.minus)
        if self.times:
            out += " × " + " × ".join(c.describe() for c in self.times)
        if self.over:
            den = " + ".join(c.describe() for c in self.over)
            out += f" / ({den})" if len(self.over) > 1 else f" / {den}"
        if self.scale != 1.0:
            out += f" × {fmt_number(self.scale)}"
        return f"{self.target.describe()} = {out}"
