"""The error raised for a scenario file that cannot be read or written."""

from __future__ import annotations

from finmodel.core.errors import FinmodelError

__all__ = ["ScenarioFileError", "WorkbookError"]


class ScenarioFileError(FinmodelError):
    """A scenario file that cannot be read or written; the message names file, key and value.

    Examples
    --------
    >>> import finmodel as fm
    >>> try:
    ...     fm.loads('title = "x"\\n[model]\\nkind = "MTFP"', name="x.toml")
    ... except fm.ScenarioFileError as err:
    ...     print(err)
    x.toml: model: missing key "name"
    """


class WorkbookError(FinmodelError):
    """A workbook that cannot be read as a model; the message names the sheet, the cell and the value.

    Examples
    --------
    >>> str(WorkbookError("plan.xlsx, sheet 'MTFP', cell C9: expected a number, got '£5.8m'"))
    "plan.xlsx, sheet 'MTFP', cell C9: expected a number, got '£5.8m'"
    """
