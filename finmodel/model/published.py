"""Tables as a paper prints them, so that they can be checked.

A :class:`PublishedTable` is a table exactly as printed: its row labels, its printed
values (``None`` for a printed "-"), the precision each figure is printed to, and the
relations it states (its *rules*). A :class:`Reproduction` says how a model prints the
same table: the scenario, the basis, the model's names for the printed rows and
columns, and how the paper signs each row.

Its totals are :class:`~finmodel.model.totals.Total` (sums, differences, products,
ratios, running totals: :mod:`finmodel.model.totals`); other rules (percentages of a
base the paper never prints) are in :mod:`finmodel.model.rules`.
:meth:`PublishedTable.checks` expands each total into cell-by-cell relations; the
arithmetic, with the allowance for rounding, is done by
:func:`finmodel.analysis.reconcile.check`.

Rounding is the number of decimal places a figure is printed to (``0`` for whole £m,
``2`` for "£7.78m", ``4`` for a discount factor 0.9662, ``-2`` for "about £600k" read as
the nearest £100k) or ``"exact"`` for a count. It is stated for the table, by column,
by row or for a single cell; the most specific applies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from finmodel.core.errors import ModelError
from finmodel.core.money import check_units
from finmodel.model.printed import (
    EXACT,
    Places,
    Printed,
    half_unit,
    labels,
    places,
    printed_places,
    text,
)
from finmodel.model.reproduction import Reproduction
from finmodel.model.totals import CellCheck, Rule, Total

__all__ = [
    "EXACT",
    "CellCheck",
    "PublishedRow",
    "PublishedTable",
    "Reproduction",
    "Rule",
    "Total",
    "half_unit",
    "printed_places",
]


def _cell(value: Any, who: str) -> Printed:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ModelError(f"{who} ({value!r}) must be a finite number, or None for a printed blank")
    return float(value)


@dataclass(frozen=True)
class PublishedRow:
    """One printed row: its label, its values (``None`` for "-"), where it is printed, its rounding.

    Parameters
    ----------
    label : str
    values : sequence of float or None
    source : str
        The line it is printed on.
    rounding : int, "exact", mapping or None
        Decimal places this row is printed to, where it differs from its columns (a
        discount-factor row to 4 decimals in a table of whole £'000): a whole number,
        ``"exact"``, or a mapping from column to places for single cells. None (the
        default) uses the table's rounding of each column.

    Examples
    --------
    >>> PublishedRow("Adults Social Care", (167.9, 5, 3.46), "002_90ddc037a457842c.txt:1580").values
    (167.9, 5.0, 3.46)
    >>> PublishedRow("Discount factor", (1, 0.9662), rounding=4).rounding
    4
    """

    label: str
    values: tuple[Printed, ...]
    source: str = ""
    rounding: Any = None

    def __post_init__(self) -> None:
        text(self.label, "PublishedRow", "label")
        who = f"PublishedRow {self.label!r}"
        if isinstance(self.values, (str, bytes)) or not isinstance(self.values, Sequence):
            raise ModelError(f"{who}: values ({self.values!r}) must be a list")
        values = tuple(_cell(v, f"{who}: values[{i}]") for i, v in enumerate(self.values))
        object.__setattr__(self, "values", values)
        text(self.source, who, "source", empty=True)
        if isinstance(self.rounding, Mapping):
            by_cell = {
                text(k, who, "rounding key"): places(v, f"{who}: rounding[{k!r}]")
                for k, v in self.rounding.items()
            }
            object.__setattr__(self, "rounding", by_cell)
        elif self.rounding is not None:
            object.__setattr__(
                self,
                "rounding",
                EXACT if self.rounding == EXACT else places(self.rounding, f"{who}: rounding"),
            )


@dataclass(frozen=True)
class PublishedTable:
    """A table as printed in a paper, with the relations it states and its printed precision.

    Parameters
    ----------
    name : str
        The table's title as printed.
    source : str
        Where it is printed, e.g. ``"002_90ddc037a457842c.txt:1576-1592"``.
    columns : sequence of str
        Column labels (numeric columns only; leave out text columns such as a priority
        letter and say so in ``note``).
    rows : sequence
        Each a :class:`PublishedRow` or a tuple ``(label, values)`` or
        ``(label, values, source)``; ``None`` where the paper prints "-".
    totals : sequence of Rule
        The totals, products and ratios the table states (:class:`Total`), and any
        other rule (:class:`~finmodel.model.rules.CommonBase`).
    rounding : int, "exact" or mapping
        Decimal places printed: one for every column, or a mapping with an entry for
        every column; ``"exact"`` (or None) marks an exact figure (a count). A row may
        state its own (:class:`PublishedRow`).
    note : str
        Anything a reader needs (a printed slip such as "£34" without its "m").
    units : {"£", "£k", "£m", "£bn"}, optional
        Units of the money columns; needed to compare with a model.
    reproduces : Reproduction, optional
        The scenario and basis under which a model should print this table.

    Examples
    --------
    The operating model table, 002_90ddc037a457842c.txt lines 1562-1570:

    >>> areas = ["Customer management", "Service delivery", "Customer support",
    ...          "Strategic core", "Support services"]
    >>> table = PublishedTable(
    ...     "Operating model transformation", "002_90ddc037a457842c.txt:1560-1570",
    ...     ["Existing cost", "Transformed cost", "Benefit"],
    ...     [("Customer management", [29, 22, 7]), ("Service delivery", [33, 32, 1]),
    ...      ("Customer support", [34, 26, 8]), ("Strategic core", [25, 23, 2]),
    ...      ("Support services", [24, 21, 3]), ("Total", [145, 124, 21])],
    ...     totals=[Total(row="Total", of=areas),
    ...             Total(column="Benefit", of=["Existing cost"], minus=["Transformed cost"])],
    ...     rounding=0, units="£m")
    >>> len(table.checks())
    9
    >>> table.value("Customer support", "Existing cost")
    34.0
    """

    name: str
    source: str
    columns: tuple[str, ...]
    rows: tuple[PublishedRow, ...]
    totals: tuple[Rule, ...] = ()
    rounding: Any = 0
    note: str = ""
    units: str | None = None
    reproduces: Reproduction | None = None

    def __post_init__(self) -> None:
        text(self.name, "PublishedTable", "name")
        who = f"PublishedTable {self.name!r}"
        set_ = object.__setattr__
        text(self.source, who, "source", empty=True)
        text(self.note, who, "note", empty=True)
        columns = labels(self.columns, who, "columns")
        if not columns:
            raise ModelError(f"{who}: columns is empty")
        set_(self, "columns", columns)
        set_(self, "rows", self._rows(who))
        set_(self, "rounding", self._normalise_rounding(who))
        if self.units is not None:
            check_units(self.units, f"{who}: units")
        if self.reproduces is not None and not isinstance(self.reproduces, Reproduction):
            raise ModelError(f"{who}: reproduces ({self.reproduces!r}) must be a Reproduction")
        if isinstance(self.totals, (str, Rule)) or not isinstance(self.totals, Sequence):
            raise ModelError(f"{who}: totals must be a list of Total (or other rules)")
        totals = tuple(self.totals)
        for i, total in enumerate(totals):
            if not isinstance(total, Rule):
                raise ModelError(f"{who}: totals[{i}] ({total!r}) is not a Total")
            total.check_labels(self, f"{who}: totals[{i}] ({total.describe()!r})")
        set_(self, "totals", totals)
        spec = self.reproduces
        if spec is not None:
            for name, mapping in (("signs", spec.signs), ("rows", spec.rows), ("metrics", spec.metrics)):
                for label in mapping:
                    if label not in self.row_labels:
                        raise ModelError(f"{who}: reproduces.{name} names {label!r}, which is not a row")
            for label in spec.columns:
                if label not in self.columns:
                    raise ModelError(f"{who}: reproduces.columns names {label!r}, which is not a column")
            if spec.discount_factors is not None and spec.discount_factors not in self.row_labels:
                raise ModelError(
                    f"{who}: reproduces.discount_factors names {spec.discount_factors!r}, which is not a row"
                )

    def _rows(self, who: str) -> tuple[PublishedRow, ...]:
        if isinstance(self.rows, (str, PublishedRow)) or not isinstance(self.rows, Sequence):
            raise ModelError(f"{who}: rows must be a list of rows")
        rows = []
        for i, row in enumerate(self.rows):
            if not isinstance(row, PublishedRow):
                if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) not in (2, 3):
                    raise ModelError(f"{who}: rows[{i}] ({row!r}) must be a PublishedRow or (label, values)")
                row = PublishedRow(*row)
            if len(row.values) != len(self.columns):
                raise ModelError(
                    f"{who}: row {row.label!r} has {len(row.values)} values but the table has "
                    f"{len(self.columns)} columns"
                )
            if isinstance(row.rounding, Mapping):
                for column in row.rounding:
                    if column not in self.columns:
                        raise ModelError(
                            f"{who}: row {row.label!r}: rounding names {column!r}, which is not a column"
                        )
            rows.append(row)
        labels([r.label for r in rows], who, "rows")
        return tuple(rows)

    def _normalise_rounding(self, who: str) -> dict[str, Places]:
        if not isinstance(self.rounding, Mapping):
            return dict.fromkeys(self.columns, places(self.rounding, f"{who}: rounding"))
        unknown = [c for c in self.rounding if c not in self.columns]
        if unknown:
            raise ModelError(f"{who}: rounding names {unknown[0]!r}, which is not a column")
        missing = [c for c in self.columns if c not in self.rounding]
        if missing:
            raise ModelError(f"{who}: rounding has no entry for column {missing[0]!r}")
        return {c: places(self.rounding[c], f"{who}: rounding[{c!r}]") for c in self.columns}

    # -- access ------------------------------------------------------------------------
    @property
    def row_labels(self) -> tuple[str, ...]:
        """The row labels in printed order."""
        return tuple(r.label for r in self.rows)

    def row(self, label: str) -> PublishedRow:
        """The row called ``label``."""
        for row in self.rows:
            if row.label == label:
                return row
        raise ModelError(f"PublishedTable {self.name!r}: no row called {label!r}")

    def value(self, row: str, column: str) -> Printed:
        """The printed value of one cell (``None`` for a printed "-")."""
        if column not in self.columns:
            raise ModelError(f"PublishedTable {self.name!r}: no column called {column!r}")
        return self.row(row).values[self.columns.index(column)]

    def decimals(self, column: str) -> Places:
        """Decimal places the table prints in ``column`` (``None``: exact); a row may differ."""
        return self.rounding[column]

    def places(self, row: str, column: str) -> Places:
        """Decimal places of one cell: the cell's own, else its row's, else its column's.

        Examples
        --------
        >>> t = PublishedTable("t", "", ["Y0", "Y1"], [PublishedRow("Net", (-100, 40)),
        ...     PublishedRow("Discount factor", (1, 0.9662), rounding=4),
        ...     PublishedRow("Count", (3, 4), rounding={"Y1": "exact"})])
        >>> t.places("Net", "Y1"), t.places("Discount factor", "Y1"), t.places("Count", "Y1")
        (0, 4, None)
        """
        own = self.row(row).rounding
        if isinstance(own, Mapping):
            if column in own:
                return own[column]
        elif own is not None:
            return None if own == EXACT else own
        return self.decimals(column)

    def to_frame(self) -> pd.DataFrame:
        """The printed values as a DataFrame (NaN for "-").

        Examples
        --------
        >>> t = PublishedTable("t", "", ["a", "b"], [("x", [1, None])])
        >>> t.to_frame()
        t    a   b
        x  1.0 NaN
        """
        data = [[math.nan if v is None else v for v in r.values] for r in self.rows]
        return pd.DataFrame(data, index=list(self.row_labels), columns=pd.Index(self.columns, name=self.name))

    def printed_cells(self) -> tuple[tuple[str, str], ...]:
        """Every (row, column) with a printed figure, row by row."""
        return tuple(
            (r.label, c)
            for r in self.rows
            for c, v in zip(self.columns, r.values, strict=True)
            if v is not None
        )

    def checks(self) -> tuple[CellCheck, ...]:
        """Every stated total, cell by cell, where the target and its parts are printed."""
        out: list[CellCheck] = []
        for total in self.totals:
            if isinstance(total, Total):
                out.extend(total.expand(self))
        return tuple(out)
