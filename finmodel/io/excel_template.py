"""The template workbook, and a model written as a sheet that :func:`read_excel` reads back.

:func:`write_model_sheet` lays a model out as :mod:`finmodel.io.excel_layout` describes
(the Model sheet of a results workbook uses it too); :func:`write_template` writes a
workbook to fill in, with a worked example, that reads back to the same model.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from finmodel.core.distributions import Range
from finmodel.core.errors import FinmodelError
from finmodel.core.profiles import Profile
from finmodel.core.years import Timeline
from finmodel.io.atomic import atomic_path
from finmodel.io.excel_cells import HEADER_FILL, formula, put, title
from finmodel.io.excel_layout import COLUMNS, SIGNS, TOTAL, LineRow, line_row, total_label
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import Benefit, Cost, Line, Pressure, Saving
from finmodel.model.plans import MTFP

__all__ = ["example_model", "write_model_sheet", "write_template"]

#: The template kinds, by the word ``finmodel template`` takes.
TEMPLATES: dict[str, type[Model]] = {"mtfp": MTFP, "case": CostBenefitCase}
_AFTER_YEARS = ("total", "low", "central", "high", "recurring", "category", "owner", "input", "notes")
_WIDTHS = {"line": 42, "kind": 13, "total": 12, "low": 10, "central": 10, "high": 10, "recurring": 11,
           "category": 16, "owner": 14, "input": 24, "notes": 60}
#: The first row of the header (rows above hold the title, the settings and notes).
HEADER_ROW = 9


def _amount_format(model: type[Model], signs: str) -> str:
    brackets = model is MTFP and signs == "as printed"
    return "#,##0.0##;(#,##0.0##);0.0" if brackets else "#,##0.0##;-#,##0.0##;0.0"


def write_model_sheet(ws: Any, model: Model, *, signs: str = "as printed", spare_rows: int = 0,
                      empty_sections: bool = False) -> bool:
    """Lay ``model`` out on the worksheet ``ws``; True when every line can be read back.

    Parameters
    ----------
    ws : openpyxl Worksheet
    model : MTFP or CostBenefitCase
    signs : {"as printed", "positive"}
    spare_rows : int
        Blank rows left after each section, to be filled in (the template).
    empty_sections : bool
        Write a heading for every kind of line the model takes, even with no lines.

    Examples
    --------
    >>> import openpyxl, finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Saving("Efficiency", [0.4, 0.4])])
    >>> ws = openpyxl.Workbook().active
    >>> write_model_sheet(ws, plan), ws["C11"].value
    (True, -0.4)
    """
    if signs not in SIGNS:
        raise FinmodelError(f"write_model_sheet: signs ({signs!r}) must be one of {', '.join(map(repr, SIGNS))}")
    kind = type(model)
    years = model.timeline.labels
    rows = [line_row(line, model, signs) for line in model.lines]
    ranged = any(r.low is not None for r in rows)
    title(ws, model.name)
    negative = ("savings, funding and reserves" if kind is MTFP else "costs")
    for row, (key, value, note) in enumerate([
        ("Model", kind.kind, ""),
        ("Name", model.name, ""),
        ("Units", model.units, ""),
        ("Signs", signs, f"{negative} shown negative, as the net row adds them" if signs == "as printed"
         else "every amount entered as the word says (savings positive)"),
    ], start=2):
        put(ws, row, 1, key, bold=True)
        put(ws, row, 2, value)
        put(ws, row, 3, note, italic=True)
    put(ws, 6, 1, "Each line's kind is its Kind cell, or the heading above it. Amounts: one per year (a recurring "
            "line's change that year, a one-off's amount), or a range in Low and High: the on-going amount once "
            "delivered, the years then giving its phasing.", italic=True)
    put(ws, 7, 1, "Rows whose Kind is Total are recomputed by finmodel, never read. finmodel reads this sheet with "
            "fm.read_excel(path).", italic=True)
    columns = _layout(len(years))
    header = HEADER_ROW
    for key, column in columns.items():
        put(ws, header, column, COLUMNS[key][0], bold=True, fill=HEADER_FILL)
    for i, label in enumerate(years):
        put(ws, header, 3 + i, label, bold=True, fill=HEADER_FILL)
    amount = _amount_format(kind, signs)
    row = header + 1
    first = row
    current: type[Line] | None = None
    sections = Line.kinds(kind.kind) if empty_sections else ()
    order = [(k, [r for r in rows if r.kind is k]) for k in sections] if empty_sections else _runs(rows)
    for section, members in order:
        if section is not current:
            put(ws, row, 1, section.heading, bold=True)
            row += 1
            current = section
        for item in members:
            _line(ws, row, item, columns, len(years), amount)
            row += 1
        row += spare_rows
    last = row - 1
    label = total_label(kind) + (" (low case)" if ranged else "")
    put(ws, row, 1, label, bold=True)
    put(ws, row, 2, TOTAL, bold=True)
    for i in range(len(years) + 1):
        col = 3 + i
        letter = _letter(col)
        formula(ws, row, col, f"=SUM({letter}{first}:{letter}{last})", number_format=amount, bold=True)
    for key, column in columns.items():
        ws.column_dimensions[_letter(column)].width = _WIDTHS.get(key, 11)
    for i in range(len(years)):
        ws.column_dimensions[_letter(3 + i)].width = 11
    ws.freeze_panes = ws.cell(row=header + 1, column=3)
    _validation(ws, kind, columns, header + 1, row)
    return all(r.readable for r in rows)


def _runs(rows: list[LineRow]) -> list[tuple[type[Line], list[LineRow]]]:
    """Consecutive lines of one kind, in the model's order (a heading each time the kind changes)."""
    out: list[tuple[type[Line], list[LineRow]]] = []
    for item in rows:
        if out and out[-1][0] is item.kind:
            out[-1][1].append(item)
        else:
            out.append((item.kind, [item]))
    return out


def _layout(years: int) -> dict[str, int]:
    columns = {"line": 1, "kind": 2}
    columns.update({key: 3 + years + i for i, key in enumerate(_AFTER_YEARS)})
    return columns


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _line(ws: Any, row: int, item: LineRow, columns: dict[str, int], years: int, amount: str) -> None:
    put(ws, row, 1, item.label)
    put(ws, row, 2, item.kind.kind)
    for i, value in enumerate(item.years):
        put(ws, row, 3 + i, value, number_format=amount)
    if any(v is not None for v in item.years):
        formula(ws, row, columns["total"], f"=SUM({_letter(3)}{row}:{_letter(2 + years)}{row})",
                number_format=amount)
    for key in ("low", "central", "high"):
        put(ws, row, columns[key], getattr(item, key), number_format=amount)
    if "recurring" in {f.name for f in fields(item.kind)}:
        put(ws, row, columns["recurring"], "yes" if item.recurring else "no")
    for key in ("category", "owner", "input", "notes"):
        put(ws, row, columns[key], getattr(item, key) or None)


def _validation(ws: Any, kind: type[Model], columns: dict[str, int], first: int, last: int) -> None:
    """Drop-down lists for the Kind and Recurring cells."""
    from openpyxl.worksheet.datavalidation import DataValidation

    kinds = ",".join([*(k.kind for k in Line.kinds(kind.kind)), TOTAL])
    for column, choices in ((columns["kind"], kinds), (columns["recurring"], "yes,no")):
        check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        letter = _letter(column)
        check.add(f"{letter}{first}:{letter}{last + 200}")
        ws.add_data_validation(check)


def example_model(kind: str = "mtfp", *, start: str = "2024/25", years: int = 4, units: str = "£m") -> Model:
    """The worked example a template holds: two pressures and a saving, or a benefit and a cost.

    Examples
    --------
    >>> example_model("case", years=3).lines[0]
    Benefit('Channel shift (example)', Range(low=0.8, high=1.5, name='Channel shift (example)'), profile=Profile.increments([1, 2]))
    """
    timeline = Timeline(start, years)
    model = _template_kind(kind)
    if model is MTFP:
        return MTFP("Medium Term Financial Plan (example)", timeline, [
            Pressure("Pay and prices (example)", [2.0] * years),
            Pressure("Demography (example)", [1.2] * years),
            Saving("Efficiency programme (example)", Range(1.0, 2.0, name="Efficiency programme (example)"),
                   Profile.increments([1, 1])),
        ], units=units)
    costs = [1.0, 0.5] + [0.0] * (years - 2) if years >= 2 else [1.0]
    # (the lines' ``amount`` is declared for type checkers only, hence the ignores)
    return CostBenefitCase("Case for change (example)", timeline, [
        Benefit("Channel shift (example)", Range(0.8, 1.5, name="Channel shift (example)"),  # type: ignore[call-arg]
                Profile.increments([1, 2])),
    ], [Cost("Implementation (example)", costs)], units=units)  # type: ignore[call-arg]


def _template_kind(kind: str) -> type[Model]:
    found = TEMPLATES.get(str(kind).lower())
    if found is None:
        raise FinmodelError(f"template: kind ({kind!r}) must be one of {', '.join(map(repr, TEMPLATES))}")
    return found


def write_template(
    path: str | Path,
    kind: str = "mtfp",
    *,
    start: str = "2024/25",
    years: int = 4,
    units: str = "£m",
    example: bool = True,
    model: Model | None = None,
) -> Path:
    """Write a workbook to fill in with an MTFP or a case for change; returns its path.

    The sheet "Model" has the layout :func:`~finmodel.io.read_excel.read_excel` reads:
    a heading for every kind of line, a worked example (``example=True``) or a given
    ``model``, spare rows to fill in, a net row of formulas. Read back, it gives the same
    model (the same table in every case).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (atomically: a failed write leaves an earlier file as it was).
    kind : {"mtfp", "case"}
    start, years, units
        The timeline and units of the template (ignored when ``model`` is given).
    example : bool
        Fill in the worked example of :func:`example_model`; False leaves only headings.
    model : MTFP or CostBenefitCase, optional
        Lay out this model instead of the example.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import finmodel as fm
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = fm.write_template(pathlib.Path(folder) / "case.xlsx", "case", start="2018/19", years=4)
    ...     back = fm.read_excel(path)
    >>> fm.evaluate(back, "low").table().round(2).loc["Annual net benefit"].tolist()
    [-0.73, 0.3, 0.8, 0.8, 1.17]
    """
    from openpyxl import Workbook

    chosen = model if model is not None else (
        example_model(kind, start=start, years=years, units=units) if example
        else _empty(kind, start, years, units)
    )
    book = Workbook()
    ws = book.active
    ws.title = "Model"
    write_model_sheet(ws, chosen, spare_rows=3, empty_sections=True)
    target = Path(path)
    with atomic_path(target, suffix=".xlsx") as temporary:
        book.save(temporary)
    return target


def _empty(kind: str, start: str, years: int, units: str) -> Model:
    """A model of the template's kind with no lines, for a blank template (never evaluated)."""
    model = _template_kind(kind)
    timeline = Timeline(start, years)
    if model is MTFP:
        return MTFP("Medium Term Financial Plan", timeline, [], units=units)
    return CostBenefitCase("Case for change", timeline, [], [], units=units)

