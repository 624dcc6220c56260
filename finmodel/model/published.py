"""Tables and figures as a paper prints them, so that they can be checked.

A :class:`PublishedTable` is a table exactly as printed: its row labels, its printed
values (``None`` for a printed "-"), the precision it is printed to, and the totals and
percentages it states. A :class:`Statement` is a figure stated in the prose (the
"net capital investment in year 1 of £2.38m") together with the model output it
should equal.

One mechanism, :class:`Total`, describes every stated relation in a table: a *target*
row (or column) equals the sum of some other rows (or columns), minus some others,
optionally divided by the sum of a third set and multiplied by a scale (100 for a
percentage), optionally as a running total. So "Total = sum of the five activity
areas", "Benefit = Existing cost - Transformed cost", "Low % = Low £ / In scope spend
x 100" and "Cumulative net = running total of Annual net" are all one kind of object.
:meth:`PublishedTable.checks` expands each into cell-by-cell relations; the
arithmetic, with the allowance for rounding, is done by
:func:`finmodel.analysis.reconcile.check`.

Rounding is stated as the number of decimal places printed (``0`` for whole £m, ``2``
for "£7.78m", ``-2`` for "about £600k" read as the nearest £100k) or ``None`` for an
exact figure such as a count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from finmodel.core.amounts import fmt_number
from finmodel.core.errors import ModelError
from finmodel.core.limits import MAX_DECIMALS
from finmodel.core.money import check_units
from finmodel.core.years import parse_year

__all__ = [
    "CellCheck",
    "PublishedRow",
    "PublishedTable",
    "Reproduction",
    "Statement",
    "Total",
    "half_unit",
]

Cell = float | None


def half_unit(rounding: int | None) -> float:
    """The largest error rounding to ``rounding`` decimal places can make.

    Notes
    -----
    A value printed to :math:`d` decimal places is within :math:`0.5 \\times 10^{-d}`
    of the value it was rounded from; an exact figure (``None``) is within 0.

    Examples
    --------
    >>> half_unit(0), half_unit(2), half_unit(-2), half_unit(None)
    (0.5, 0.005, 50.0, 0.0)
    """
    if rounding is None:
        return 0.0
    return 0.5 * 10.0 ** (-rounding)


def _text(value: Any, who: str, what: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise ModelError(f"{who}: {what} ({value!r}) must be a {'string' if empty else 'non-empty string'}")
    return value


def _labels(values: Any, who: str, what: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ModelError(f"{who}: {what} ({values!r}) must be a list of labels")
    out = tuple(_text(v, who, f"{what}[{i}]") for i, v in enumerate(values))
    seen: set[str] = set()
    for label in out:
        if label in seen:
            raise ModelError(f"{who}: {what} names {label!r} twice")
        seen.add(label)
    return out


def _rounding(value: Any, who: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not -MAX_DECIMALS <= value <= MAX_DECIMALS:
        raise ModelError(
            f"{who} ({value!r}) must be a whole number of decimal places from {-MAX_DECIMALS} to "
            f"{MAX_DECIMALS}, or None for exact"
        )
    return value


def _cell(value: Any, who: str) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ModelError(f"{who} ({value!r}) must be a finite number, or None for a printed blank")
    return float(value)


@dataclass(frozen=True)
class PublishedRow:
    """One printed row: its label, its values (``None`` for "-") and where it is printed.

    Examples
    --------
    >>> PublishedRow("Adults Social Care", (167.9, 5, 3.46), "002_90ddc037a457842c.txt:1580").values
    (167.9, 5.0, 3.46)
    """

    label: str
    values: tuple[Cell, ...]
    source: str = ""

    def __post_init__(self) -> None:
        who = "PublishedRow"
        _text(self.label, who, "label")
        if isinstance(self.values, (str, bytes)) or not isinstance(self.values, Sequence):
            raise ModelError(f"PublishedRow {self.label!r}: values ({self.values!r}) must be a list")
        values = tuple(
            _cell(v, f"PublishedRow {self.label!r}: values[{i}]") for i, v in enumerate(self.values)
        )
        object.__setattr__(self, "values", values)
        _text(self.source, f"PublishedRow {self.label!r}", "source", empty=True)


@dataclass(frozen=True)
class Total:
    """A stated total or ratio: target = (sum of ``of`` - sum of ``minus``) / sum of ``over`` x ``scale``.

    Give exactly one of ``row`` (the target is a row; ``of``, ``minus`` and ``over``
    name rows, and the relation holds in each column) or ``column`` (the target is a
    column; the parts are columns, and it holds in each row).

    Parameters
    ----------
    row, column : str
        The target row or column.
    of : sequence of str
        The parts that are added.
    minus : sequence of str, optional
        Parts that are subtracted (``Benefit = Existing cost - Transformed cost``).
    over : sequence of str, optional
        A denominator: the target is a ratio (a percentage with ``scale=100``).
    scale : float
        Multiplies the result (100 for a percentage).
    running : bool
        A running total: the target cell in the k-th column (or row) of ``within``
        is the sum of the parts over the first k columns (rows) of ``within``.
    within : sequence of str, optional
        The columns (for a row target) or rows (for a column target) where the
        relation holds; default every one. A cell is checked only where the target and
        all its parts are printed (not "-").

    Examples
    --------
    >>> Total(column="Low %", of=["Low £"], over=["In scope spend"], scale=100).describe()
    'Low % = Low £ / In scope spend × 100'
    >>> Total(column="Benefit", of=["Existing cost"], minus=["Transformed cost"]).describe()
    'Benefit = Existing cost - Transformed cost'
    """

    row: str | None = None
    column: str | None = None
    of: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    over: tuple[str, ...] = ()
    scale: float = 1.0
    running: bool = False
    within: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if (self.row is None) == (self.column is None):
            raise ModelError(
                f"Total: give exactly one of row= or column= (the target), got row={self.row!r}, "
                f"column={self.column!r}"
            )
        who = f"Total {self.target!r}"
        _text(self.target, "Total", "row" if self.row is not None else "column")
        set_ = object.__setattr__
        for name in ("of", "minus", "over"):
            set_(self, name, _labels(getattr(self, name), who, name))
        if not self.of:
            raise ModelError(f"{who}: of is empty; name the parts that are added")
        parts = (*self.of, *self.minus, *self.over)
        if self.target in parts:
            raise ModelError(f"{who}: the target is also one of its own parts")
        scale = self.scale
        if (
            isinstance(scale, bool)
            or not isinstance(scale, (int, float))
            or not math.isfinite(scale)
            or scale == 0
        ):
            raise ModelError(f"{who}: scale ({scale!r}) must be a finite, non-zero number")
        set_(self, "scale", float(scale))
        if not isinstance(self.running, bool):
            raise ModelError(f"{who}: running ({self.running!r}) must be True or False")
        if self.running and self.over:
            raise ModelError(f"{who}: a running total cannot also be a ratio (over)")
        if self.within is not None:
            set_(self, "within", _labels(self.within, who, "within"))

    @property
    def axis(self) -> str:
        """``"row"`` when the target is a row, ``"column"`` when it is a column."""
        return "row" if self.row is not None else "column"

    @property
    def target(self) -> str:
        """The label of the target row or column."""
        return self.row if self.row is not None else str(self.column)

    def describe(self) -> str:
        """The rule in words, for reports: ``Low % = Low £ / In scope spend × 100``."""
        noun = "rows" if self.axis == "row" else "columns"

        def terms(labels: tuple[str, ...]) -> str:
            if len(labels) > 4:
                return f"sum of {len(labels)} {noun} ({labels[0]} … {labels[-1]})"
            return " + ".join(labels)

        text = terms(self.of)
        if self.minus:
            text += " - " + " - ".join(self.minus)
        if self.running:
            text = f"running total of {text}"
        if self.over:
            num = f"({text})" if len(self.of) + len(self.minus) > 1 else text
            den = terms(self.over)
            den = f"({den})" if len(self.over) > 1 else den
            text = f"{num} / {den}"
        if self.scale != 1.0:
            text += f" × {fmt_number(self.scale)}"
        return f"{self.target} = {text}"


@dataclass(frozen=True)
class Reproduction:
    """How a model reproduces a published table: the scenario, the basis and the row names.

    The table's columns must be financial years on the model's timeline (``"18/19"``
    or ``"2018/19"``) or ``"Total"``.

    Parameters
    ----------
    scenario : str
        A case (``"low"``, ``"central"``, ...) or the name of a scenario defined with the
        model.
    basis : str, optional
        The table view: ``"incremental"`` or ``"in-year"`` for a case,
        ``"incremental"`` or ``"cumulative"`` for an MTFP; default the model's first.
    rows : mapping, optional
        Printed row label -> the model table's row label, where they differ
        (``{"Annual capital cost": "Annual cost"}``).

    Examples
    --------
    >>> Reproduction("low", "incremental", {"Annual capital cost": "Annual cost"}).model_row("Annual capital cost")
    'Annual cost'
    """

    scenario: str = "central"
    basis: str | None = None
    rows: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _text(self.scenario, "Reproduction", "scenario")
        if self.basis is not None:
            _text(self.basis, "Reproduction", "basis")
        if not isinstance(self.rows, Mapping):
            raise ModelError(f"Reproduction: rows ({self.rows!r}) must map printed labels to model labels")
        rows = {
            _text(k, "Reproduction", "rows key"): _text(v, "Reproduction", f"rows[{k!r}]")
            for k, v in self.rows.items()
        }
        object.__setattr__(self, "rows", rows)

    def model_row(self, label: str) -> str:
        """The model table's label for a printed row."""
        return self.rows.get(label, label)


@dataclass(frozen=True)
class CellCheck:
    """One stated relation between printed cells, expanded from a :class:`Total`.

    ``plus``, ``minus`` and ``over`` are (row, column) cells; the target cell should
    equal ``(sum(plus) - sum(minus)) / sum(over) * scale`` (without ``over``: no
    division).
    """

    row: str
    column: str
    plus: tuple[tuple[str, str], ...]
    minus: tuple[tuple[str, str], ...]
    over: tuple[tuple[str, str], ...]
    scale: float
    rule: str


@dataclass(frozen=True)
class PublishedTable:
    """A table as printed in a paper, with its stated totals and its printed precision.

    Parameters
    ----------
    name : str
        The table's title as printed.
    source : str
        Where it is printed, e.g. ``"002_90ddc037a457842c.txt:1576-1592"``.
    columns : sequence of str
        Column labels (numeric columns only; leave out text columns such as a priority
        letter and say so in ``note``).
    rows : sequence of PublishedRow or (label, values[, source])
        Printed values, ``None`` where the paper prints "-".
    totals : sequence of Total
        The totals and ratios the table states.
    rounding : int, None or mapping
        Decimal places printed: one for every column, or a mapping with an entry for
        every column. ``None`` marks an exact figure (a count).
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
    totals: tuple[Total, ...] = ()
    rounding: Any = 0
    note: str = ""
    units: str | None = None
    reproduces: Reproduction | None = None

    def __post_init__(self) -> None:
        _text(self.name, "PublishedTable", "name")
        who = f"PublishedTable {self.name!r}"
        set_ = object.__setattr__
        _text(self.source, who, "source", empty=True)
        _text(self.note, who, "note", empty=True)
        columns = _labels(self.columns, who, "columns")
        if not columns:
            raise ModelError(f"{who}: columns is empty")
        set_(self, "columns", columns)
        set_(self, "rows", self._rows(who))
        set_(self, "rounding", self._normalise_rounding(who))
        if self.units is not None:
            check_units(self.units, f"{who}: units")
        if self.reproduces is not None and not isinstance(self.reproduces, Reproduction):
            raise ModelError(f"{who}: reproduces ({self.reproduces!r}) must be a Reproduction")
        if isinstance(self.totals, (str, Total)) or not isinstance(self.totals, Sequence):
            raise ModelError(f"{who}: totals must be a list of Total")
        totals = tuple(self.totals)
        for i, total in enumerate(totals):
            if not isinstance(total, Total):
                raise ModelError(f"{who}: totals[{i}] ({total!r}) is not a Total")
            self._check_total(total, f"{who}: totals[{i}] ({total.target!r})")
        set_(self, "totals", totals)

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
            rows.append(row)
        _labels([r.label for r in rows], who, "rows")
        return tuple(rows)

    def _normalise_rounding(self, who: str) -> dict[str, int | None]:
        if not isinstance(self.rounding, Mapping):
            places = _rounding(self.rounding, f"{who}: rounding")
            return dict.fromkeys(self.columns, places)
        unknown = [c for c in self.rounding if c not in self.columns]
        if unknown:
            raise ModelError(f"{who}: rounding names {unknown[0]!r}, which is not a column")
        missing = [c for c in self.columns if c not in self.rounding]
        if missing:
            raise ModelError(f"{who}: rounding has no entry for column {missing[0]!r}")
        return {c: _rounding(self.rounding[c], f"{who}: rounding[{c!r}]") for c in self.columns}

    def _check_total(self, total: Total, who: str) -> None:
        same, other = (
            (self.row_labels, self.columns) if total.axis == "row" else (self.columns, self.row_labels)
        )
        noun, other_noun = ("row", "column") if total.axis == "row" else ("column", "row")
        for label in (total.target, *total.of, *total.minus, *total.over):
            if label not in same:
                raise ModelError(f"{who}: there is no {noun} called {label!r}")
        for label in total.within or ():
            if label not in other:
                raise ModelError(f"{who}: within names {label!r}, which is not a {other_noun}")

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

    def value(self, row: str, column: str) -> Cell:
        """The printed value of one cell (``None`` for a printed "-")."""
        if column not in self.columns:
            raise ModelError(f"PublishedTable {self.name!r}: no column called {column!r}")
        return self.row(row).values[self.columns.index(column)]

    def decimals(self, column: str) -> int | None:
        """Decimal places printed in ``column`` (``None``: exact)."""
        return self.rounding[column]

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

    def checks(self) -> tuple[CellCheck, ...]:
        """Every stated relation, cell by cell, where the target and its parts are printed."""
        out: list[CellCheck] = []
        for total in self.totals:
            out.extend(self._expand(total))
        return tuple(out)

    def _expand(self, total: Total) -> list[CellCheck]:
        if total.axis == "row":
            across = [c for c in self.columns if total.within is None or c in total.within]

            def cell(label: str, other: str) -> tuple[str, str]:
                return (label, other)
        else:
            across = [r for r in self.row_labels if total.within is None or r in total.within]

            def cell(label: str, other: str) -> tuple[str, str]:
                return (other, label)

        rule = total.describe()
        out = []
        for k, other in enumerate(across):
            target = cell(total.target, other)
            span = across[: k + 1] if total.running else [other]
            plus = tuple(cell(p, o) for p in total.of for o in span)
            minus = tuple(cell(p, o) for p in total.minus for o in span)
            over = tuple(cell(p, other) for p in total.over)
            if any(self.value(*c) is None for c in (target, *plus, *minus, *over)):
                continue
            out.append(CellCheck(target[0], target[1], plus, minus, over, total.scale, rule))
        return out


def _inferred_places(value: float | int) -> int:
    if isinstance(value, int):
        return 0
    exponent = Decimal(repr(value)).as_tuple().exponent
    return max(0, -int(exponent))


@dataclass(frozen=True)
class Statement:
    """A figure stated in the prose, and the model output it should equal.

    Parameters
    ----------
    text : str
        The words as printed ("net capital investment in year 1 of £2.38m").
    value : float or str
        The figure, in the sign convention of ``metric`` (an MTFP's savings are
        negative; a case's net is benefit minus cost), or a financial year for
        ``payback_year``.
    source : str
        Where it is printed, ``"002_90ddc037a457842c.txt:1611"``.
    metric : str
        A model metric (``"net_incremental"``, ``"run_rate"``, ``"pressures"``, ... see
        the model's ``METRICS``) or ``"line:<line name>"`` for one line's row.
    year : str, optional
        A financial year, or ``"total"`` for the sum over the timeline; leave out for a
        one-per-trial metric such as ``run_rate``.
    scenario : str
        A case or the name of a scenario defined with the model.
    basis : str, optional
        The table view for a ``line:`` metric (default the model's first).
    units : str, optional
        Units of ``value``; default the model's.
    rounding : int, optional
        Decimal places the figure is stated to (``-2`` for "about £600k" read as the
        nearest £100k). Default: as many as ``value`` is written with (``2.38`` -> 2,
        ``15.0`` -> 1, ``15`` -> 0).

    Examples
    --------
    >>> s = Statement("net capital investment in year 1 of £2.38m", -2.38,
    ...               "002_90ddc037a457842c.txt:1611", "net_incremental", "18/19", "low")
    >>> s.year, s.rounding
    ('2018/19', 2)
    """

    text: str
    value: float | str
    source: str
    metric: str
    year: str | None = None
    scenario: str = "central"
    basis: str | None = None
    units: str | None = None
    rounding: int | None = None

    def __post_init__(self) -> None:
        _text(self.text, "Statement", "text")
        who = f"Statement {self.text!r}"
        _text(self.source, who, "source", empty=True)
        _text(self.metric, who, "metric")
        _text(self.scenario, who, "scenario")
        set_ = object.__setattr__
        if isinstance(self.value, str):
            set_(self, "value", _year_label(self.value, f"{who}: value"))
            set_(self, "rounding", None)
        else:
            if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
                raise ModelError(f"{who}: value ({self.value!r}) must be a number or a financial year")
            if not math.isfinite(self.value):
                raise ModelError(f"{who}: value ({self.value!r}) must be finite")
            places = _inferred_places(self.value) if self.rounding is None else self.rounding
            set_(self, "rounding", _rounding(places, f"{who}: rounding"))
            set_(self, "value", float(self.value))
        if self.year is not None and self.year != "total":
            set_(self, "year", _year_label(self.year, f"{who}: year"))
        if self.basis is not None:
            _text(self.basis, who, "basis")
        if self.units is not None:
            check_units(self.units, f"{who}: units")


def _year_label(value: Any, who: str) -> str:
    start = parse_year(value, where=who)
    return f"{start}/{(start + 1) % 100:02d}"
