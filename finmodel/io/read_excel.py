"""Excel in: an MTFP or a cost/benefit case from a worksheet laid out as a committee paper.

The layout is described in :mod:`finmodel.io.excel_layout`: a header row of financial
years, lines down the sheet, each line's kind in a Kind column or given by the section
heading above it, ranges in Low/High columns. Reading never evaluates anything: a
formula's value is the one the spreadsheet saved with it. Every refusal is a
:class:`~finmodel.io.errors.WorkbookError` naming the file, the sheet, the cell and the
value.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from finmodel.core.distributions import Range
from finmodel.core.errors import FinmodelError
from finmodel.core.money import check_units
from finmodel.core.years import Timeline, parse_year
from finmodel.io.errors import WorkbookError
from finmodel.io.excel_layout import (
    COLUMNS,
    MODEL_KINDS,
    SETTINGS,
    SIGNS,
    is_total_label,
    kind_of,
    model_kind_of,
    normal,
    printed_sign,
    profile_of,
)
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import Benefit, Cost, Line
from finmodel.model.plans import MTFP

__all__ = ["read_excel"]

#: How far down a sheet the header row of financial years is looked for.
HEADER_SEARCH = 60
_DASHES = {"-", "–", "—", "nil"}
_NUMBER = re.compile(r"^(?P<neg>-)?\(?(?P<body>£?\d[\d,]*(\.\d+)?|£?\.\d+)\)?$")
_YES = {"yes", "y", "true", "recurring", "on-going", "ongoing"}
_NO = {"no", "n", "false", "one-off", "one off", "oneoff", "non-recurring"}


@dataclass
class _Raw:
    """A line row as read, before the model's kind (and so its signs) is known."""

    row: int
    label: str
    kind: type[Line]
    years: list[float | None]
    low: float | None
    central: float | None
    high: float | None
    recurring: bool | None
    category: str | None
    owner: str | None
    input: str | None


class _Sheet:
    """One worksheet, its saved values and its formulas, and how to name its cells in errors."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        try:
            import openpyxl
        except ImportError:  # pragma: no cover - a dependency of finmodel
            raise WorkbookError("reading Excel needs openpyxl: pip install openpyxl") from None
        if not path.is_file():
            raise WorkbookError(f"{path}: no such file")
        try:
            values = openpyxl.load_workbook(path, data_only=True)
            formulas = openpyxl.load_workbook(path, data_only=False)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
            raise WorkbookError(f"{path}: not an Excel workbook (.xlsx) that can be read: {err}") from None
        names = values.sheetnames
        chosen = sheet if sheet is not None else ("Model" if "Model" in names else names[0])
        if chosen not in names:
            raise WorkbookError(f"{path}: no sheet called {chosen!r} (sheets: {', '.join(map(repr, names))})")
        self.path, self.name = path, chosen
        self.values, self.formulas = values[chosen], formulas[chosen]

    def where(self, column: int | None = None, row: int | None = None) -> str:
        from openpyxl.utils import get_column_letter

        place = f"{self.path.name}, sheet {self.name!r}"
        if row is None:
            return place
        if column is None:
            return f"{place}, row {row}"
        return f"{place}, cell {get_column_letter(column)}{row}"

    def get(self, row: int, column: int) -> Any:
        return self.values.cell(row=row, column=column).value

    def number(self, row: int, column: int | None) -> float | None:
        """The number in a cell: None when blank, 0 for a dash; text that is a number is read."""
        if column is None:
            return None
        value = self.get(row, column)
        if value is None:
            formula = self.formulas.cell(row=row, column=column).value
            if isinstance(formula, str) and formula.startswith("="):
                raise WorkbookError(
                    f"{self.where(column, row)}: holds a formula ({formula}) with no saved value; open the "
                    "workbook in Excel or LibreOffice and save it, so that its values are stored"
                )
            return None
        if isinstance(value, bool):
            raise WorkbookError(f"{self.where(column, row)}: expected a number, got {value!r}")
        if isinstance(value, (int, float)):
            if value != value or value in (float("inf"), float("-inf")):
                raise WorkbookError(f"{self.where(column, row)}: expected a number, got {value!r}")
            return float(value)
        text = str(value).strip()
        if not text:
            return None
        if text.lower() in _DASHES:
            return 0.0
        match = _NUMBER.match(text.replace(" ", ""))
        if match is None or (text.startswith("(") != text.endswith(")")):
            raise WorkbookError(f"{self.where(column, row)}: expected a number, got {text!r}")
        found = float(match.group("body").lstrip("£").replace(",", ""))
        return -found if match.group("neg") or text.startswith("(") else found

    def text(self, row: int, column: int | None) -> str | None:
        if column is None:
            return None
        value = self.get(row, column)
        if value is None:
            return None
        shown = str(value).strip()
        return shown or None


def read_excel(
    path: str | Path,
    sheet: str | None = None,
    *,
    kind: str | None = None,
    name: str | None = None,
    units: str | None = None,
    signs: str | None = None,
) -> Model:
    """Read an MTFP or a cost/benefit case from a worksheet laid out as a committee paper.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx`` workbook.
    sheet : str, optional
        The worksheet (default: the one called "Model" if there is one, else the first).
    kind : {"MTFP", "CostBenefitCase"}, optional
        The kind of model; default: the sheet's ``Model`` setting, else what its lines
        are (benefits and costs make a case, the rest an MTFP).
    name : str, optional
        The model's name; default: the sheet's ``Name`` setting, else the sheet's name.
    units : {"£m", "£k", "£", "£bn"}, optional
        Default: the sheet's ``Units`` setting, else ``"£m"``.
    signs : {"as printed", "positive"}, optional
        Default: the sheet's ``Signs`` setting, else ``"as printed"`` (savings, funding and
        reserves negative in an MTFP, costs negative in a case, as council tables print them).

    Returns
    -------
    MTFP or CostBenefitCase

    Raises
    ------
    WorkbookError
        Naming the file, the sheet, the cell and the value that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import finmodel as fm
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     template = fm.write_template(pathlib.Path(folder) / "plan.xlsx", "mtfp", start="2024/25", years=3)
    ...     plan = fm.read_excel(template)
    >>> [line.name for line in plan.lines]
    ['Pay and prices (example)', 'Demography (example)', 'Efficiency programme (example)']
    """
    found = _Sheet(Path(path), sheet)
    header, years = _header(found)
    settings = _settings(found, header)
    columns = _columns(found, header, years)
    raws = _rows(found, header, columns, years, has_kind="kind" in columns)
    if not raws:
        raise WorkbookError(f"{found.where()}: no lines under the header row ({header}); each line needs a label "
                            "and its amounts")
    model_kind = _model_kind(found, kind if kind is not None else settings.get("model"), raws)
    sign_rule = _choice(found, signs if signs is not None else settings.get("signs", "as printed"), SIGNS, "signs")
    chosen_units = units if units is not None else settings.get("units", "£m")
    try:
        check_units(chosen_units, f"{found.where()}: units")
    except FinmodelError as err:
        raise WorkbookError(str(err)) from None
    title = name if name is not None else settings.get("name") or found.name
    try:
        timeline = Timeline(years[0][1], len(years))
    except FinmodelError as err:
        raise WorkbookError(f"{found.where(years[0][0], header)}: {err}") from None
    lines = [_line(found, raw, model_kind, sign_rule) for raw in raws]
    try:
        if model_kind is CostBenefitCase:
            return CostBenefitCase(title, timeline, [li for li in lines if isinstance(li, Benefit)],
                                   [li for li in lines if isinstance(li, Cost)], units=chosen_units)
        return MTFP(title, timeline, lines, units=chosen_units)
    except FinmodelError as err:
        raise WorkbookError(f"{found.where()}: {err}") from None


def _header(sheet: _Sheet) -> tuple[int, list[tuple[int, str]]]:
    """The header row and its year columns, (column, label), consecutive and in order."""
    ws = sheet.values
    for row in range(1, min(ws.max_row, HEADER_SEARCH) + 1):
        years: list[tuple[int, int]] = []
        for column in range(1, ws.max_column + 1):
            value = sheet.get(row, column)
            if isinstance(value, str):
                try:
                    years.append((column, parse_year(value.strip())))
                except FinmodelError:
                    continue
        if years:
            for (c0, y0), (c1, y1) in itertools.pairwise(years):
                if c1 != c0 + 1 or y1 != y0 + 1:
                    raise WorkbookError(
                        f"{sheet.where(c1, row)}: {sheet.get(row, c1)!r} does not follow {sheet.get(row, c0)!r}; "
                        "the years must be consecutive, in adjacent columns"
                    )
            return row, [(c, str(sheet.get(row, c)).strip()) for c, _ in years]
    raise WorkbookError(
        f"{sheet.where()}: no header row of financial years (such as 2018/19) in the first {HEADER_SEARCH} rows"
    )


def _settings(sheet: _Sheet, header: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in range(1, header):
        key = sheet.text(row, 1)
        if key is not None and normal(key) in SETTINGS:
            value = sheet.text(row, 2)
            if value is not None:
                out[normal(key)] = value
    return out


def _columns(sheet: _Sheet, header: int, years: list[tuple[int, str]]) -> dict[str, int]:
    year_columns = {c for c, _ in years}
    aliases = {normal(a): key for key, names in COLUMNS.items() for a in names}
    out: dict[str, int] = {}
    for column in range(1, sheet.values.max_column + 1):
        text = sheet.text(header, column)
        if column in year_columns or text is None:
            continue
        key = aliases.get(normal(text))
        if key is not None and key not in out:
            out[key] = column
    out.setdefault("line", 1)
    if out["line"] in year_columns:
        raise WorkbookError(f"{sheet.where(out['line'], header)}: the years start in the first column; put the "
                            "line labels to their left")
    return out


def _rows(sheet: _Sheet, header: int, columns: dict[str, int], years: list[tuple[int, str]],
          has_kind: bool) -> list[_Raw]:
    out: list[_Raw] = []
    section: type[Line] | None = None
    group: str | None = None
    for row in range(header + 1, sheet.values.max_row + 1):
        label = sheet.text(row, columns["line"])
        kind_text = sheet.text(row, columns.get("kind"))
        if kind_text is not None and normal(kind_text) == "total":
            continue
        if label is not None and is_total_label(label) and kind_text is None:
            continue
        numbers = [sheet.number(row, c) for c, _ in years]
        low, central, high = (sheet.number(row, columns.get(k)) for k in ("low", "central", "high"))
        empty = all(v is None for v in [*numbers, low, central, high])
        if label is None:
            if not empty:
                raise WorkbookError(f"{sheet.where(columns['line'], row)}: a row with amounts but no label")
            continue
        if empty and kind_text is None:  # a section heading
            heading = kind_of(label)
            if heading is not None:
                section, group = heading, None
            elif has_kind:
                group = label
            else:
                raise WorkbookError(
                    f"{sheet.where(columns['line'], row)}: heading {label!r} is not a kind of line "
                    f"({_kinds()}); give the sheet a Kind column or put each line under such a heading"
                )
            continue
        kind = _kind(sheet, row, columns, kind_text, section, label)
        if empty:
            raise WorkbookError(f"{sheet.where(columns['line'], row)}: line {label!r} has no amounts (years "
                                "or Low/High)")
        if (low is None) != (high is None):
            missing = "high" if high is None else "low"
            raise WorkbookError(f"{sheet.where(columns[missing], row)}: line {label!r} has a "
                                f"{'low' if high is None else 'high'} but no {missing}")
        if central is not None and low is None:
            raise WorkbookError(f"{sheet.where(columns['central'], row)}: line {label!r} has a central value "
                                "but no low and high")
        out.append(_Raw(row, label, kind, numbers, low, central, high,
                        _flag(sheet, row, columns.get("recurring")),
                        sheet.text(row, columns.get("category")) or group,
                        sheet.text(row, columns.get("owner")), sheet.text(row, columns.get("input"))))
    return out


def _kinds() -> str:
    return ", ".join(kind.heading for kind in Line.kinds())


def _kind(sheet: _Sheet, row: int, columns: dict[str, int], text: str | None, section: type[Line] | None,
          label: str) -> type[Line]:
    if text is not None:
        found = kind_of(text)
        if found is None:
            raise WorkbookError(f"{sheet.where(columns['kind'], row)}: kind {text!r} is not a kind of line "
                                f"({', '.join(k.kind for k in Line.kinds())}, or Total)")
        return found
    if section is None:
        raise WorkbookError(f"{sheet.where(columns['line'], row)}: line {label!r} has no kind; give it a Kind or "
                            f"put it under a heading such as {_kinds()}")
    return section


def _flag(sheet: _Sheet, row: int, column: int | None) -> bool | None:
    value = None if column is None else sheet.get(row, column)
    if value is None or isinstance(value, bool):
        return value
    text = normal(value)
    if text in _YES:
        return True
    if text in _NO:
        return False
    if not text:
        return None
    raise WorkbookError(f"{sheet.where(column, row)}: recurring: expected yes or no (or one-off), got {value!r}")


def _choice(sheet: _Sheet, value: Any, allowed: tuple[str, ...], what: str) -> str:
    if normal(value) not in allowed:
        shown = " or ".join(repr(a) for a in allowed)
        raise WorkbookError(f"{sheet.where()}: {what} ({value!r}) must be {shown}")
    return normal(value)


def _model_kind(sheet: _Sheet, given: Any, raws: list[_Raw]) -> type[Model]:
    if given is not None:
        found = model_kind_of(given)
        if found is None:
            raise WorkbookError(f"{sheet.where()}: model ({given!r}) must be one of "
                                f"{', '.join(sorted({k.kind for k in MODEL_KINDS.values()}))}")
        return found
    kinds = {raw.kind.model_kind for raw in raws}
    if len(kinds) > 1:
        first = next(raw for raw in raws if raw.kind.model_kind != raws[0].kind.model_kind)
        raise WorkbookError(
            f"{sheet.where(None, first.row)}: line {first.label!r} is a {first.kind.kind} but line "
            f"{raws[0].label!r} is a {raws[0].kind.kind}; an MTFP and a cost/benefit case cannot be mixed"
        )
    return MTFP if kinds == {"MTFP"} else CostBenefitCase


def _line(sheet: _Sheet, raw: _Raw, model: type[Model], signs: str) -> Line:
    sign = printed_sign(model, raw.kind) if signs == "as printed" else 1
    where = f"{sheet.where(None, raw.row)} ({raw.label!r})"
    names = {f.name for f in fields(raw.kind)}
    options: dict[str, Any] = {"category": raw.category, "owner": raw.owner}
    if raw.recurring is not None:
        if "recurring" not in names:
            raise WorkbookError(f"{where}: a {raw.kind.kind.lower()} cannot be marked recurring or one-off")
        options["recurring"] = raw.recurring
    years = [0.0 if v is None else sign * v + 0.0 for v in raw.years]
    try:
        if raw.low is not None and raw.high is not None:
            ends = sorted((sign * raw.low + 0.0, sign * raw.high + 0.0))
            central = None if raw.central is None else sign * raw.central + 0.0
            amount: Any = Range(ends[0], ends[1], central=central, name=raw.input or raw.label)
            profile = profile_of(years)
            if profile is not None:
                if "profile" not in names:
                    raise FinmodelError(f"a {raw.kind.kind.lower()} takes one amount per year, not a phased range")
                options["profile"] = profile
        else:
            amount = years
        return raw.kind(raw.label, amount, **options)  # type: ignore[call-arg]
    except FinmodelError as err:
        hint = ""
        if signs == "as printed" and sign == -1:
            hint = (f" (Signs are 'as printed': {raw.kind.heading.lower()} are shown negative, as the net row "
                    "adds them; or set Signs to 'positive')")
        raise WorkbookError(f"{where}: {err}{hint}") from None
