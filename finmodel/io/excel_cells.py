"""Cells of the workbooks finmodel writes: text stays text, money shows as money.

Every workbook writer (the template, the Model sheet, a result's workbook) puts its
cells through :func:`put`, so that:

* text is always a text cell. A name beginning with ``=`` would otherwise become a
  formula; one that a spreadsheet would read as a formula on editing (``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return: :func:`~finmodel.io.safe_text.safe_text`
  decides) is also marked with Excel's quote prefix, the mark a typed apostrophe
  leaves, so it stays text when a finance officer edits it. The text itself is kept
  as it is, so it reads back unchanged;
* numbers are numbers (never text), with the number format asked for.
"""

from __future__ import annotations

import math
from typing import Any

from finmodel.core.money import UNITS
from finmodel.io.safe_text import safe_text

__all__ = ["FONT", "HEADER_FILL", "formula", "money_format", "printable", "put", "title"]

#: The workbooks' font (Excel's own default), and the fill of header rows.
FONT = "Calibri"
HEADER_FILL = "DCE4EE"


def money_format(units: str, decimals: int = 1, brackets: bool = True) -> str:
    """An Excel number format showing amounts in ``units`` as council tables print them.

    Examples
    --------
    >>> money_format("£m")
    '"£"#,##0.0"m";("£"#,##0.0"m");"£"0.0"m"'
    >>> money_format("£k", 0, brackets=False)
    '"£"#,##0"k";-"£"#,##0"k";"£"0"k"'
    """
    if units not in UNITS:
        raise ValueError(f"money_format: units ({units!r}) must be one of {', '.join(UNITS)}")
    digits = "0" + ("." + "0" * decimals if decimals else "")
    suffix = f'"{units[1:]}"' if units[1:] else ""
    body = f'"£"#,##{digits}{suffix}'
    negative = f"({body})" if brackets else f"-{body}"
    return f'{body};{negative};"£"{digits}{suffix}'


def put(ws: Any, row: int, column: int, value: Any, *, number_format: str | None = None, bold: bool = False,
        italic: bool = False, fill: str | None = None, wrap: bool = False) -> Any:
    """Write ``value`` to a cell: text as text (see the module), a number as a number.

    NaN and None leave the cell blank. Returns the cell.

    Examples
    --------
    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> cell = put(ws, 1, 1, "=HYPERLINK(\\"http://example.com\\")")
    >>> cell.data_type, cell.quotePrefix, put(ws, 1, 2, 5.8, number_format=money_format("£m")).data_type
    ('s', True, 'n')
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = ws.cell(row=row, column=column)
    if isinstance(value, float) and math.isnan(value):
        value = None
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if safe_text(value) != value:
            cell.quotePrefix = True
    elif value is not None:
        cell.value = float(value) if not isinstance(value, (bool, int)) else value
    if number_format is not None and not isinstance(value, str):
        cell.number_format = number_format
    if bold or italic:
        cell.font = Font(name=FONT, size=11, bold=bold, italic=italic)
    if fill is not None:
        cell.fill = PatternFill("solid", fgColor=fill)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def formula(ws: Any, row: int, column: int, text: str, *, number_format: str | None = None, bold: bool = False) -> Any:
    """Write a formula finmodel made itself (a ``=SUM`` of a total row); never text from a model.

    Examples
    --------
    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> formula(ws, 3, 1, "=SUM(A1:A2)").data_type
    'f'
    """
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=column)
    cell.value = text
    if number_format is not None:
        cell.number_format = number_format
    if bold:
        cell.font = Font(name=FONT, size=11, bold=True)
    return cell


def title(ws: Any, text: str) -> Any:
    """A sheet's title in A1: the text, bold and larger.

    Examples
    --------
    >>> import openpyxl
    >>> title(openpyxl.Workbook().active, "Plan").font.sz
    14.0
    """
    from openpyxl.styles import Font

    cell = put(ws, 1, 1, text)
    cell.font = Font(name=FONT, size=14, bold=True)
    return cell


def printable(ws: Any) -> None:
    """Print the sheet landscape, as wide as one page (as long as it needs).

    Examples
    --------
    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> printable(ws)
    >>> ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight
    ('landscape', 1, 0)
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
