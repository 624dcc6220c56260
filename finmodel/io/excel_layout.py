"""A model on a worksheet, laid out as committee papers print it: lines down, years across.

One layout serves the template (:func:`~finmodel.io.excel_template.write_template`), the
"Model" sheet of a results workbook and :func:`~finmodel.io.read_excel.read_excel`::

    A1  OCC overall financial position 2018/22             a title (any text)
    A2  Model   | MTFP                                    settings: a word in column A,
    A3  Name    | OCC overall financial position 2018/22  its value in column B
    A4  Units   | £m
    A5  Signs   | as printed
    A7  Line | Kind | 2018/19 | ... | 2021/22 | Total | Low | Central | High | Recurring | ...
    A8  Pressures                                         a section heading: the kind of the lines under it
    A9  Demography | Pressure | 18.4 | 9.0 | 6.5 | 0.2 | =SUM(C9:F9)
    A16 Net Pressure / (Saving) | Total | =SUM(C9:C15)    a total: read past

A line's kind is its **Kind** cell, or else the section heading above it ("Pressures",
"Savings", "Benefits", ... the words tables print). Amounts are either one per year
(each year's change for a recurring line, each year's amount for a one-off), or a
range in the **Low** / **High** columns (with an optional **Central**): the on-going
amount (the full-year effect) once phased in, the years then giving its phasing as
amounts added each year (only their proportions count). **Signs** ``as printed`` means
the sheet shows savings, funding and reserves (an MTFP) or costs (a case) negative, as
the net row adds them; ``positive`` means every amount is entered as the word says.
Rows whose Kind is ``Total`` or whose label begins with Total, Sub-total, Net or
Cumulative are totals, which are recomputed, never read.

This module holds the words of the layout and how a line becomes a row and back; it
imports no spreadsheet library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from finmodel.core.amounts import Amount
from finmodel.core.distributions import Range
from finmodel.core.profiles import Profile
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import Funding, Line
from finmodel.model.plans import MTFP

__all__ = [
    "COLUMNS",
    "MODEL_KINDS",
    "SETTINGS",
    "SIGNS",
    "TOTAL",
    "LineRow",
    "is_total_label",
    "kind_of",
    "line_row",
    "model_kind_of",
    "normal",
    "printed_sign",
    "profile_of",
    "total_label",
]

#: The settings above the header row: ``Model``, ``Name``, ``Units``, ``Signs``.
SETTINGS = ("model", "name", "units", "signs")
#: How the sheet signs its amounts.
SIGNS = ("as printed", "positive")
#: The columns of the layout (the first word is the one written) and the headings read as each.
COLUMNS: dict[str, tuple[str, ...]] = {
    "line": ("Line", "description", "item"),
    "kind": ("Kind", "type"),
    "total": ("Total",),
    "low": ("Low", "minimum", "min"),
    "central": ("Central", "most likely"),
    "high": ("High", "maximum", "max"),
    "recurring": ("Recurring",),
    "category": ("Category",),
    "owner": ("Owner",),
    "input": ("Input", "input name"),
    "notes": ("Notes", "note", "source", "comment", "comments"),
}
#: The Kind of a total row.
TOTAL = "Total"
#: The kinds of model, by the words a sheet may use.
MODEL_KINDS: dict[str, type[Model]] = {
    "mtfp": MTFP,
    "medium term financial plan": MTFP,
    "costbenefitcase": CostBenefitCase,
    "cost/benefit case": CostBenefitCase,
    "case": CostBenefitCase,
}
#: The sign of a line "as printed" is its sign in the net row: +1 for a good line in a
#: case (benefit received), -1 for a good line in an MTFP (a saving reduces the pressure).
_NET_SIGN: dict[type[Model], int] = {MTFP: -1, CostBenefitCase: 1}
_TOTAL_START = re.compile(r"^(total|sub-?total|net\b|cumulative\b)", re.IGNORECASE)


def normal(text: Any) -> str:
    """A heading or word as compared: lower case, single spaces, no trailing colon.

    Examples
    --------
    >>> normal("  Improvements &  Investments: ")
    'improvements & investments'
    """
    return " ".join(str(text).split()).rstrip(":").strip().lower()


def _words(kind: type[Line]) -> set[str]:
    words = {kind.kind, kind.heading, kind.section, kind.metric}
    return {normal(w) for w in words if w} | {normal(w) + "s" for w in (kind.kind, kind.section) if w}


def kind_of(word: Any) -> type[Line] | None:
    """The kind of line a Kind cell or a section heading names, or None.

    Examples
    --------
    >>> [kind_of(w).__name__ for w in ("Pressures", "saving", "Improvements & Investments", "Re-profiling")]
    ['Pressure', 'Saving', 'Investment', 'Reprofile']
    >>> kind_of("Adult social care") is None
    True
    """
    if word is None:
        return None
    found = normal(word)
    return next((kind for kind in Line.kinds() if found in _words(kind)), None)


def model_kind_of(word: Any) -> type[Model] | None:
    """The kind of model a ``Model`` setting names, or None.

    Examples
    --------
    >>> model_kind_of("MTFP").__name__, model_kind_of("Cost/benefit case").__name__
    ('MTFP', 'CostBenefitCase')
    """
    return MODEL_KINDS.get(normal(word))


def printed_sign(model: type[Model], kind: type[Line]) -> int:
    """The sign a line of ``kind`` is printed with in a council table of ``model``.

    Examples
    --------
    >>> from finmodel.model.lines import Saving, Cost, Pressure
    >>> printed_sign(MTFP, Saving), printed_sign(MTFP, Pressure), printed_sign(CostBenefitCase, Cost)
    (-1, 1, -1)
    """
    return _NET_SIGN[model] * kind.direction


def is_total_label(label: str) -> bool:
    """Whether a row label reads as a total (Total..., Sub-total..., Net..., Cumulative...).

    Examples
    --------
    >>> is_total_label("Net Pressure / (Saving)"), is_total_label("Network upgrade")
    (True, False)
    """
    return bool(_TOTAL_START.match(label.strip()))


def total_label(model: type[Model]) -> str:
    """The label of the net row a sheet of ``model`` ends with.

    Examples
    --------
    >>> total_label(MTFP)
    'Net Pressure / (Saving)'
    """
    return "Net Pressure / (Saving)" if model is MTFP else "Annual net benefit"


@dataclass(frozen=True)
class LineRow:
    """One line as a row of the layout, in the sheet's signs.

    ``years`` are the per-year amounts, or the phasing of a range (None: blank cells);
    ``low``, ``central``, ``high`` are the range (None for per-year amounts). ``readable``
    is False for a line the layout cannot hold (its ``notes`` say why).
    """

    label: str
    kind: type[Line]
    years: tuple[float | None, ...]
    low: float | None = None
    central: float | None = None
    high: float | None = None
    recurring: bool = True
    category: str | None = None
    owner: str | None = None
    input: str | None = None
    notes: str = ""
    readable: bool = True


def _plain(x: Any) -> bool:
    return not isinstance(x, Amount) or x.bounds()[0] == x.bounds()[1]


def _value(x: Any) -> float:
    return float(x.case("central")) if isinstance(x, Amount) else float(x)


def _unreadable(line: Line, why: str, years: int) -> LineRow:
    return LineRow(line.name, type(line), (None,) * years, recurring=line.recurring, category=line.category,
                   owner=line.owner, notes=f"Not in this layout ({why}): keep the model in a scenario file",
                   readable=False)


def line_row(line: Line, model: Model, signs: str = "as printed") -> LineRow:
    """The row of the layout that reads back as ``line`` (same table in every case).

    Per-year amounts that are numbers, and one amount (a number, a range, any uncertain
    amount or expression) phased by an increments profile, fit the layout; an uncertain
    amount is kept as its low, central and high cases (its Notes say what the model
    draws when it is not a PERT range). Delivery, delay, uncertain per-year amounts and
    funding given as levels do not fit: the row says so and is not readable.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 4),
    ...     [fm.Benefit("Quick wins", fm.Range(8, 17), fm.Profile.increments([2, 13, 13, 5]))],
    ...     [fm.Cost("IT", [3, 8, 5, 1])])
    >>> row = line_row(case.benefits[0], case)
    >>> row.low, row.high, [round(v, 6) for v in row.years]
    (8.0, 17.0, [0.484848, 3.151515, 3.151515, 1.212121])
    >>> line_row(case.costs[0], case).years
    (-3.0, -8.0, -5.0, -1.0)
    """
    n = model.timeline.length
    sign = printed_sign(type(model), type(line)) if signs == "as printed" else 1
    if line.delivery is not None:
        return _unreadable(line, f"delivery {_describe(line.delivery)}", n)
    if line.delay is not None:
        return _unreadable(line, f"delay {_describe(line.delay)}", n)
    if isinstance(line, Funding) and line.basis == "level":
        return _unreadable(line, "funding given as levels", n)
    common: dict[str, Any] = {"recurring": line.recurring, "category": line.category, "owner": line.owner}
    if line.per_year:
        if not all(_plain(a) for a in line.amounts_list):
            return _unreadable(line, "uncertain amounts in single years", n)
        values = tuple(sign * _value(a) + 0.0 for a in line.amounts_list)
        return LineRow(line.name, type(line), values, **common)
    profile = line.profile
    if profile is not None and (profile.form == "cumulative" or not _plain(profile.delay_years)
                                or _value(profile.delay_years) != 0):
        return _unreadable(line, f"profile {profile!r}", n)
    added = profile.added(n) if profile is not None else np.eye(1, n)[0]
    amount = line.amount
    if _plain(amount):
        return LineRow(line.name, type(line), tuple(float(sign * _value(amount) * a) + 0.0 for a in added), **common)
    low, central, high = (float(amount.case(c)) for c in ("low", "central", "high"))
    scale = low if low != 0 else high if high != 0 else 1.0
    years: tuple[float | None, ...] = (
        tuple(float(sign * scale * a) + 0.0 for a in added) if profile is not None and profile.form != "immediate"
        else (None,) * n
    )
    pert = isinstance(amount, Range) and amount.dist == "pert"
    note = "" if pert else f"The model draws {_describe(amount)}; this sheet keeps its low, central and high cases"
    ends = sorted((sign * low + 0.0, sign * high + 0.0), key=abs)
    shown = None if central == 0.5 * (low + high) else sign * central + 0.0  # blank: the midpoint
    return LineRow(line.name, type(line), years, ends[0], shown, ends[1],
                   input=getattr(amount, "name", None), notes=note, **common)


def _describe(x: Any) -> str:
    return x.describe() if isinstance(x, Amount) else repr(x)


def profile_of(values: list[float]) -> Profile | None:
    """The phasing the year cells of a range give (None when they are all blank or zero).

    Examples
    --------
    >>> profile_of([2, 13, 13, 5])
    Profile.increments([2, 13, 13, 5])
    """
    if not any(values):
        return None
    return Profile.increments(values)
