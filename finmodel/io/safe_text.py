"""Text that a spreadsheet shows as text: names never become formulas.

Excel, LibreOffice and Google Sheets read a cell whose text begins with ``=``, ``+``,
``-`` or ``@`` as a formula, and a leading tab or carriage return can hide such a start.
A line called ``=HYPERLINK("http://example.com", "details")`` written as it is into a
CSV file or a workbook becomes a live link (or worse) when a finance officer opens it:
"CSV injection". Every writer of cells (CSV, Excel) passes text through
:func:`safe_text`, which puts an apostrophe in front of such text, the mark spreadsheets
use for "this is text"; numbers are written as numbers and are left alone.

Examples
--------
>>> safe_text("=HYPERLINK(\\"http://x\\")"), safe_text("Quick wins"), safe_text("-£3m")
('\\'=HYPERLINK("http://x")', 'Quick wins', "'-£3m")
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "safe_frame", "safe_text"]

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text`` with an apostrophe in front if a spreadsheet would read it as a formula.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``text`` itself, or ``"'" + text`` when it begins with one of :data:`FORMULA_STARTS`.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose labels, label names and text cells are safe (:func:`safe_text`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"2018/19": [1.5, -2.0], "note": ["ok", "=1+1"]}, index=["@SUM(A1)", "Costs"])
    >>> safe_frame(frame)
              2018/19   note
    '@SUM(A1)     1.5     ok
    Costs        -2.0  '=1+1
    """
    numeric = all(pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes)
    out = frame.copy() if numeric else frame.map(_safe)
    out.index = out.index.map(_safe)
    out.columns = out.columns.map(_safe)
    out.index.name = _safe(frame.index.name)
    out.columns.name = _safe(frame.columns.name)
    return out
