"""Figures stated in a paper's prose, and what each should equal (or exceed, or stay under).

A :class:`Statement` is one printed figure ("a net capital investment in year 1 of
£2.38m", "at least £50m", "pays back within three years") together with the quantity
it states: a metric of the model, one line's row of the model's table, a printed cell
of a table, or a sum, difference, product or ratio of those (the same grammar as a
table's :class:`~finmodel.model.published.Total`). ``op`` says how the figure relates
to the quantity: equal to it (the default), a bound, or a range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from finmodel.core.amounts import fmt_number
from finmodel.core.errors import FinmodelError, ModelError
from finmodel.core.money import check_units
from finmodel.core.years import parse_year, year_label
from finmodel.model.printed import places, printed_places, scale_of, text
from finmodel.model.rules import Cell

__all__ = ["OPS", "LineRow", "Statement"]

#: How a stated figure relates to its quantity, and the words a report uses for each.
OPS: dict[str, str] = {
    "==": "",
    ">=": "at least ",
    ">": "more than ",
    "<=": "at most ",
    "<": "less than ",
    "between": "between ",
}

#: The spelling kept readable from before ``line=`` existed: ``metric="line:<name>"``.
LINE_ALIAS = "line:"


@dataclass(frozen=True)
class LineRow:
    """One line's row of the model's table (in the statement's ``basis``), as a part of a quantity.

    Examples
    --------
    >>> LineRow("Posts shared to date: OCC saving").describe()
    "line 'Posts shared to date: OCC saving'"
    """

    name: str

    def __post_init__(self) -> None:
        text(self.name, "LineRow", "name")

    def describe(self) -> str:
        """``line 'name'``."""
        return f"line {self.name!r}"


Part = str | LineRow | Cell  # a metric's name, a line's row, or a printed cell


def _part(value: Any, who: str) -> Part:
    if isinstance(value, (LineRow, Cell)):
        return value
    if isinstance(value, str):
        if value.startswith(LINE_ALIAS):
            return LineRow(value[len(LINE_ALIAS) :])
        return text(value, who, "metric")
    raise ModelError(f"{who} ({value!r}) must be a metric name, a LineRow or a Cell")


def _parts(values: Any, who: str) -> tuple[Part, ...]:
    if isinstance(values, (str, LineRow, Cell)) or not isinstance(values, Sequence):
        raise ModelError(f"{who} ({values!r}) must be a list of metric names, LineRow or Cell")
    return tuple(_part(v, f"{who}[{i}]") for i, v in enumerate(values))


def _describe_part(part: Part) -> str:
    """A part in words: the metric's name, ``line 'x'`` or ``table › row | column``."""
    return part if isinstance(part, str) else part.describe()


def _label(value: Any, who: str) -> str:
    """A year as given: a financial year in its long form, or another label (``"Y3"``) as typed."""
    label = text(value, who, "year").strip()
    try:
        return year_label(parse_year(label, where=who))
    except FinmodelError:
        return " ".join(label.split())


@dataclass(frozen=True)
class Statement:
    """A figure stated in the prose, and the quantity it states.

    Parameters
    ----------
    text : str
        The words as printed ("net capital investment in year 1 of £2.38m").
    value : float, str or (float, float)
        The figure, in the sign convention of the quantity (an MTFP's savings are
        negative; a case's net is benefit minus cost); a year label for a year-valued
        metric (``payback_year``: ``"2019/20"``, ``"Y2"`` or ``fm.NOT_WITHIN``); a
        pair (low, high) with ``op="between"``.
    source : str
        Where it is printed, ``"002_90ddc037a457842c.txt:1611"``.
    metric : str, optional
        A model metric (``"net_incremental"``, ``"run_rate"``, ``"payback_years"``,
        ... see the model's ``available``). ``"line:<name>"`` is read as ``line=<name>``
        (the spelling before ``line`` existed).
    year : str, optional
        A year of the timeline, or ``"total"`` for the sum over the timeline; leave out
        for a one-per-trial metric such as ``run_rate``.
    scenario : str
        A case or the name of a scenario defined with the model.
    basis : str, optional
        The table view for ``line`` (default the model's first).
    units : str, optional
        Units of ``value``; default the model's.
    rounding : int or "exact", optional
        Decimal places the figure is stated to (``-2`` for "about £600k" read as the
        nearest £100k). Default: as many as ``value`` is written with
        (:func:`~finmodel.model.published.printed_places`: ``2.38`` -> 2, ``15.0`` -> 1,
        ``15`` -> 0).
    line : str, optional
        One line's row of the model's table, instead of ``metric``.
    cell : Cell, optional
        A printed figure of a table, instead of ``metric`` (a file with tables and no
        model can state figures about its own tables).
    of, minus, times, over : sequence, optional
        A quantity computed from several (metric names, :class:`LineRow`, :class:`Cell`):
        (Σ of - Σ minus) × Π times / Σ over × scale, instead of ``metric``.
    scale : float
        Multiplies the quantity (100 for a percentage).
    op : {"==", ">=", ">", "<=", "<", "between"}
        The figure equals the quantity (the default), is a lower bound ("at least
        £50m": ``">="``), an upper bound ("under £2m a year": ``"<"``), or a range.

    Notes
    -----
    The figure stands for every value within half a unit of its last stated digit, as
    a printed cell does; a bound holds when some value it stands for satisfies it ("at
    least £50m" stated to whole £m holds for 49.5).

    Examples
    --------
    >>> s = Statement("net capital investment in year 1 of £2.38m", -2.38,
    ...               "002_90ddc037a457842c.txt:1611", "net_incremental", "18/19", "low")
    >>> s.year, s.rounding
    ('2018/19', 2)
    >>> Statement("OCC's share", 314, "", "line:OCC saving", "2019/20").line
    'OCC saving'
    >>> Statement("at least £50m", 50, "", "run_rate", op=">=").describe()
    'run_rate >= 50'
    """

    noun: ClassVar[str] = "statement"

    text: str
    value: float | str | tuple[float, float]
    source: str
    metric: str | None = None
    year: str | None = None
    scenario: str = "central"
    basis: str | None = None
    units: str | None = None
    rounding: Any = None
    line: str | None = None
    cell: Cell | None = None
    of: tuple[Part, ...] = ()
    minus: tuple[Part, ...] = ()
    times: tuple[Part, ...] = ()
    over: tuple[Part, ...] = ()
    scale: float = 1.0
    op: str = "=="

    def __post_init__(self) -> None:
        text(self.text, "Statement", "text")
        who = f"Statement {self.text!r}"
        set_ = object.__setattr__
        text(self.source, who, "source", empty=True)
        text(self.scenario, who, "scenario")
        if self.metric is not None and text(self.metric, who, "metric").startswith(LINE_ALIAS):
            if self.line is not None:
                raise ModelError(f"{who}: metric {self.metric!r} and line {self.line!r} both name a line")
            set_(self, "line", self.metric[len(LINE_ALIAS) :])
            set_(self, "metric", None)
        if self.line is not None:
            text(self.line, who, "line")
        if self.cell is not None and not isinstance(self.cell, Cell):
            raise ModelError(f"{who}: cell ({self.cell!r}) must be a Cell")
        for name in ("of", "minus", "times", "over"):
            set_(self, name, _parts(getattr(self, name), f"{who}: {name}"))
        given = [k for k in ("metric", "line", "cell") if getattr(self, k) is not None] + (
            ["of"] if self.of else []
        )
        if len(given) != 1:
            shown = ", ".join(given) if given else "none"
            raise ModelError(
                f"{who}: give exactly one of metric, line, cell or of (the quantity stated); got {shown}"
            )
        if (self.minus or self.times or self.over) and not self.of:
            raise ModelError(f"{who}: minus, times and over need of (the parts added)")
        set_(self, "scale", scale_of(self.scale, who))
        if self.op not in OPS:
            raise ModelError(f"{who}: op ({self.op!r}) must be one of {', '.join(map(repr, OPS))}")
        self._value(who)
        if self.year is not None and self.year != "total":
            set_(self, "year", _label(self.year, f"{who}: year"))
        if self.basis is not None:
            text(self.basis, who, "basis")
        if self.units is not None:
            check_units(self.units, f"{who}: units")

    def _value(self, who: str) -> None:
        set_ = object.__setattr__
        value = self.value
        if self.op == "between":
            if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
                raise ModelError(f"{who}: value ({value!r}) must be a pair (low, high) with op='between'")
            low, high = (_number(v, f"{who}: value") for v in value)
            if low > high:
                raise ModelError(f"{who}: value ({value!r}): low exceeds high")
            inferred = max(printed_places(v) for v in value if isinstance(v, (int, float)))
            set_(self, "value", (low, high))
        elif isinstance(value, str):
            set_(self, "value", _label(value, f"{who}: value"))
            if self.rounding is not None:
                raise ModelError(f"{who}: rounding applies to a number, not to the year {value!r}")
            return
        else:
            inferred = (
                printed_places(value)
                if not isinstance(value, bool) and isinstance(value, (int, float))
                else 0
            )
            set_(self, "value", _number(value, f"{who}: value"))
        given = self.rounding
        set_(self, "rounding", inferred if given is None else places(given, f"{who}: rounding"))

    # -- the quantity --------------------------------------------------------------------
    @property
    def parts(self) -> tuple[tuple[Part, ...], tuple[Part, ...], tuple[Part, ...], tuple[Part, ...]]:
        """(of, minus, times, over): a single metric, line or cell is ``of`` alone."""
        if self.metric is not None:
            return (self.metric,), (), (), ()
        if self.line is not None:
            return (LineRow(self.line),), (), (), ()
        if self.cell is not None:
            return (self.cell,), (), (), ()
        return self.of, self.minus, self.times, self.over

    def quantity(self) -> str:
        """The quantity in words: ``run_rate``, ``line 'x'``, ``total_benefit - total_cost``."""
        of, minus, times, over = self.parts
        out = " + ".join(map(_describe_part, of))
        if minus:
            out += " - " + " - ".join(map(_describe_part, minus))
        if times:
            out = (
                (f"({out})" if len(of) + len(minus) > 1 else out)
                + " × "
                + " × ".join(map(_describe_part, times))
            )
        if over:
            den = " + ".join(map(_describe_part, over))
            out = f"{out} / ({den})" if len(over) > 1 else f"{out} / {den}"
        if self.scale != 1.0:
            out += f" × {fmt_number(self.scale)}"
        return out

    def describe(self) -> str:
        """The statement as a relation: ``run_rate >= 50``, ``benefit 2019/20 == 629``."""
        year = f" {self.year}" if self.year is not None else ""
        if self.op == "between":
            assert isinstance(self.value, tuple)
            shown = f"between {fmt_number(self.value[0])} and {fmt_number(self.value[1])}"
            return f"{self.quantity()}{year} {shown}"
        value = self.value if isinstance(self.value, str) else fmt_number(float(self.value))  # type: ignore[arg-type]
        return f"{self.quantity()}{year} {self.op} {value}"


def _number(value: Any, who: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelError(f"{who} ({value!r}) must be a number or a year")
    if not math.isfinite(value):
        raise ModelError(f"{who} ({value!r}) must be finite")
    return float(value)
