"""A table's stated totals, products and ratios: :class:`Total`, expanded cell by cell.

One mechanism describes every stated relation between a table's cells: a *target* row
(or column) equals the sum of some other rows (or columns), minus some others, times
the product of a third set, divided by the sum of a fourth, multiplied by a scale (100
for a percentage), optionally as a running total. So "Total = sum of the five activity
areas", "Benefit = Existing cost - Transformed cost", "Low % = Low £ / In scope spend
x 100", "Present value = Net x Discount factor" and "Cumulative net = running total of
Annual net" are all one kind of object. :meth:`Total.expand` gives the relations cell
by cell (:class:`CellCheck`); :func:`finmodel.check` does the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from finmodel.core.amounts import fmt_number
from finmodel.core.errors import ModelError
from finmodel.model.printed import labels, scale_of, text

if TYPE_CHECKING:
    from finmodel.model.published import PublishedTable

__all__ = ["CellCheck", "Rule", "Total"]


class Rule:
    """Base of the relations a table states (:class:`Total`, :class:`~finmodel.model.rules.CommonBase`).

    A rule names rows or columns of its table; :meth:`check_labels` refuses one that
    names a label the table does not have.

    Examples
    --------
    >>> isinstance(Total(row="Total", of=["a", "b"]), Rule)
    True
    """

    #: how the rule is counted in a report ("total", "base")
    noun: ClassVar[str] = "rule"

    def check_labels(self, table: PublishedTable, who: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Total(Rule):
    """A stated total, product or ratio: target = (Σ ``of`` - Σ ``minus``) × Π ``times`` / Σ ``over`` × ``scale``.

    Give exactly one of ``row`` (the target is a row; the parts name rows, and the
    relation holds in each column) or ``column`` (the target is a column; the parts are
    columns, and it holds in each row).

    Parameters
    ----------
    row : str, optional
        The target row.
    column : str, optional
        The target column.
    of : sequence of str
        The parts that are added.
    minus : sequence of str, optional
        Parts that are subtracted (``Benefit = Existing cost - Transformed cost``).
    times : sequence of str, optional
        Factors the sum is multiplied by (``Present value = Net × Discount factor``).
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
    >>> Total(row="Present value", of=["Net"], times=["Discount factor"]).describe()
    'Present value = Net × Discount factor'
    """

    noun: ClassVar[str] = "total"

    row: str | None = None
    column: str | None = None
    of: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    over: tuple[str, ...] = ()
    scale: float = 1.0
    running: bool = False
    within: tuple[str, ...] | None = None
    times: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.row is None) == (self.column is None):
            raise ModelError(
                f"Total: give exactly one of row= or column= (the target), got row={self.row!r}, "
                f"column={self.column!r}"
            )
        who = f"Total {self.target!r}"
        text(self.target, "Total", "row" if self.row is not None else "column")
        set_ = object.__setattr__
        for name in ("of", "minus", "times", "over"):
            set_(self, name, labels(getattr(self, name), who, name))
        if not self.of:
            raise ModelError(f"{who}: of is empty; name the parts that are added")
        if self.target in self.parts:
            raise ModelError(f"{who}: the target is also one of its own parts")
        set_(self, "scale", scale_of(self.scale, who))
        if not isinstance(self.running, bool):
            raise ModelError(f"{who}: running ({self.running!r}) must be True or False")
        if self.running and (self.over or self.times):
            raise ModelError(f"{who}: a running total cannot also be a product or a ratio (times, over)")
        if self.within is not None:
            set_(self, "within", labels(self.within, who, "within"))

    @property
    def axis(self) -> Literal["row", "column"]:
        """``"row"`` when the target is a row, ``"column"`` when it is a column."""
        return "row" if self.row is not None else "column"

    @property
    def target(self) -> str:
        """The label of the target row or column."""
        return self.row if self.row is not None else str(self.column)

    @property
    def parts(self) -> tuple[str, ...]:
        """Every label the target is computed from."""
        return (*self.of, *self.minus, *self.times, *self.over)

    def check_labels(self, table: PublishedTable, who: str) -> None:
        """Refuse a label the table does not have."""
        same, other = (
            (table.row_labels, table.columns) if self.axis == "row" else (table.columns, table.row_labels)
        )
        noun, other_noun = ("row", "column") if self.axis == "row" else ("column", "row")
        for label in (self.target, *self.parts):
            if label not in same:
                raise ModelError(f"{who}: there is no {noun} called {label!r}")
        for label in self.within or ():
            if label not in other:
                raise ModelError(f"{who}: within names {label!r}, which is not a {other_noun}")

    def describe(self) -> str:
        """The rule in words, for reports: ``Low % = Low £ / In scope spend × 100``."""
        noun = "rows" if self.axis == "row" else "columns"

        def terms(names: tuple[str, ...], joint: str = " + ") -> str:
            if len(names) > 4:
                return f"sum of {len(names)} {noun} ({names[0]} … {names[-1]})"
            return joint.join(names)

        out = terms(self.of)
        if self.minus:
            out += " - " + " - ".join(self.minus)
        if self.running:
            out = f"running total of {out}"
        if self.times:
            out = f"({out})" if len(self.of) + len(self.minus) > 1 else out
            out += " × " + " × ".join(self.times)
        if self.over:
            num = f"({out})" if len(self.of) + len(self.minus) > 1 and not self.times else out
            den = terms(self.over)
            den = f"({den})" if len(self.over) > 1 else den
            out = f"{num} / {den}"
        if self.scale != 1.0:
            out += f" × {fmt_number(self.scale)}"
        return f"{self.target} = {out}"

    def expand(self, table: PublishedTable, *, blanks: bool = False) -> list[CellCheck]:
        """The relation cell by cell, where the target and all its parts are printed.

        With ``blanks=True``, also where some of them are printed "-" (to say why those
        cells cannot be checked).
        """
        across = table.row_labels if self.axis == "column" else table.columns
        across = tuple(x for x in across if self.within is None or x in self.within)

        def cell(label: str, other: str) -> tuple[str, str]:
            return (label, other) if self.axis == "row" else (other, label)

        rule = self.describe()
        out = []
        for k, other in enumerate(across):
            target = cell(self.target, other)
            span = across[: k + 1] if self.running else (other,)
            found = CellCheck(
                target[0],
                target[1],
                tuple(cell(p, o) for p in self.of for o in span),
                tuple(cell(p, o) for p in self.minus for o in span),
                tuple(cell(p, other) for p in self.over),
                self.scale,
                rule,
                tuple(cell(p, other) for p in self.times),
            )
            if blanks or all(table.value(*c) is not None for c in found.cells):
                out.append(found)
        return out


@dataclass(frozen=True)
class CellCheck:
    """One stated relation between printed cells, expanded from a :class:`Total`.

    ``plus``, ``minus``, ``times`` and ``over`` are (row, column) cells; the target cell
    should equal ``(sum(plus) - sum(minus)) * prod(times) / sum(over) * scale`` (an
    empty ``times`` or ``over`` leaves that step out).

    Examples
    --------
    >>> c = CellCheck("Total", "2018/19", (("a", "2018/19"), ("b", "2018/19")), (), (), 1.0, "Total = a + b")
    >>> c.cells[0]
    ('Total', '2018/19')
    """

    row: str
    column: str
    plus: tuple[tuple[str, str], ...]
    minus: tuple[tuple[str, str], ...]
    over: tuple[tuple[str, str], ...]
    scale: float
    rule: str
    times: tuple[tuple[str, str], ...] = ()

    @property
    def cells(self) -> tuple[tuple[str, str], ...]:
        """The target, then every part."""
        return ((self.row, self.column), *self.plus, *self.minus, *self.times, *self.over)
