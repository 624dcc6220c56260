"""Excel out: a result as a workbook to hand on.

``result.to_excel("plan.xlsx")`` (or ``fm.to_excel(result, "plan.xlsx")``) writes:

============  ==========================================================================
Summary       what was run, the key figures (NPV, payback, run rate; a simulation's spread)
Table ...     each council table (one sheet per basis), in £ formats, totals in bold
Simulation    a simulation's summary: mean, P10, P50, P90 of every metric, by year
Inputs        every uncertain input: its distribution, its low, central and high cases
Model         the lines as :func:`~finmodel.io.read_excel.read_excel` reads them back
Charts        the charts that fit the result, as images
Check         the check of published tables, when one is given
Sensitivity   stress results (a tornado, switching values), when given
Samples       every trial's inputs and one-per-trial metrics (``samples=True``)
Properties    the provenance of the run: version, model, scenario, trials, seed, source
============  ==========================================================================

Headers are frozen, numbers are numbers in £ formats, and text from models and files is
always text (:func:`finmodel.io.excel_cells.put`). The file is written atomically: a
failed write leaves an earlier file as it was.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from finmodel.core.errors import FinmodelError
from finmodel.engine.hooks import register_accessor
from finmodel.engine.results import Results, Simulation
from finmodel.io.atomic import atomic_path
from finmodel.io.excel_cells import HEADER_FILL, money_format, printable, put, title
from finmodel.io.excel_template import write_model_sheet
from finmodel.outputs.headline import chart_set, key_figures, table_title
from finmodel.outputs.stress import StressPart, stress_parts

__all__ = ["ExcelWriter", "to_excel"]

#: The most rows a worksheet holds (Excel's limit), less the header.
MAX_ROWS = 1_048_575
_CHART_DPI = 110
_CHART_ROWS = 26


def to_excel(
    results: Results,
    path: str | Path,
    *,
    simulation: Simulation | None = None,
    samples: bool = False,
    charts: bool = True,
    check: Any = None,
    sensitivity: Mapping[str, Any] | None = None,
) -> Path:
    """Write a result to an Excel workbook; returns the path.

    Parameters
    ----------
    results : Evaluation or Simulation
    path : str or Path
        The ``.xlsx`` file (written atomically).
    simulation : Simulation, optional
        A simulation of the same model to go with an evaluation: its key figures join the
        Summary, its summary the "Simulation" sheet, its charts the "Charts" sheet (and its
        trials the "Samples" sheet), while the tables stay those of the evaluation.
    samples : bool
        Add a "Samples" sheet: every trial's inputs and one-per-trial metrics.
    charts : bool
        Add a "Charts" sheet with the charts that fit the result, as images.
    check : CheckReport, optional
        The check of published tables (``fm.check(...)``), as a "Check" sheet.
    sensitivity : mapping of str to DataFrame or analysis result, optional
        Stress results by title, as a "Sensitivity" sheet: a DataFrame, an object with a
        ``table`` DataFrame (a tornado, switching values), or tornado data as
        :func:`~finmodel.outputs.charts.tornado` takes it; a tornado is also drawn.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Saving("=Efficiency", [0.4, 0.4])])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = fm.evaluate(plan).to_excel(pathlib.Path(folder) / "plan.xlsx", charts=False)
    ...     book = openpyxl.load_workbook(path)
    ...     sheet = book["Table incremental"]
    ...     cells = sheet["A5"], sheet["B5"]
    >>> book.sheetnames
    ['Summary', 'Table incremental', 'Table cumulative', 'Inputs', 'Model', 'Properties']
    >>> [(c.value, c.data_type) for c in cells]
    [('=Efficiency', 's'), (-0.4, 'n')]
    """
    from openpyxl import Workbook

    if not isinstance(results, Results):
        raise FinmodelError(f"to_excel: results ({type(results).__name__}) must be an Evaluation or a Simulation")
    if simulation is not None and (not isinstance(simulation, Simulation) or simulation.model is not results.model):
        raise FinmodelError("to_excel: simulation must be a Simulation of the same model as the results")
    simulated = simulation if simulation is not None else (
        results if isinstance(results, Simulation) and results.n > 1 else None)
    book = Workbook()
    _summary(book.active, results, simulation)
    for basis in results.model.bases:
        _table(book.create_sheet(f"Table {basis}"), results, basis)
    if simulated is not None:
        _simulation(book.create_sheet("Simulation"), simulated)
    _inputs(book.create_sheet("Inputs"), results)
    readable = write_model_sheet(book.create_sheet("Model"), results.model)
    if charts:
        _charts(book.create_sheet("Charts"), [results] if simulation is None else [results, simulation])
    if check is not None:
        _frame(book.create_sheet("Check"), "Check of published tables and statements", str(check).splitlines()[0],
               check.to_frame())
    parts = stress_parts(sensitivity or {})
    if parts:
        _sensitivity(book.create_sheet("Sensitivity"), parts, charts)
    if samples:
        _samples(book.create_sheet("Samples"), simulated if simulated is not None else results)
    _properties(book.create_sheet("Properties"), book, results, readable)
    for sheet in book.worksheets:
        if sheet.title != "Model":  # the Model sheet is for reading back and editing, not printing
            printable(sheet)
    target = Path(path)
    with atomic_path(target, suffix=".xlsx") as temporary:
        book.save(temporary)
    return target


@register_accessor("to_excel")
class ExcelWriter:
    """``result.to_excel(path, ...)``: :func:`to_excel` with the result first."""

    def __init__(self, results: Results) -> None:
        self._results = results

    def __call__(self, path: str | Path, **options: Any) -> Path:
        """Write the result to ``path``; see :func:`to_excel` for the options."""
        return to_excel(self._results, path, **options)


def _decimals(units: str) -> int:
    return 0 if units in ("£", "£k") else 1


def _widths(ws: Any, widths: Mapping[int, float]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _summary(ws: Any, results: Results, simulation: Simulation | None) -> None:
    ws.title = "Summary"
    model, p = results.model, results.provenance
    title(ws, model.name)
    run = simulation if simulation is not None else results
    q = run.provenance
    rows = [("Model", model.describe()), ("Scenario", results.scenario),
            ("Trials", run.n), ("Method", q.method), ("Seed", "none" if q.seed is None else q.seed),
            ("Units", model.units), ("Source", p.source or "not given")]
    for i, (key, value) in enumerate(rows, start=3):
        put(ws, i, 1, key, bold=True)
        put(ws, i, 2, value)
    row = 3 + len(rows)
    money = money_format(model.units, _decimals(model.units), brackets=model.negatives_in_brackets)
    formats = {"money": money, "share": "0.0%", "ratio": "0.00"}
    for shown in [results] + ([simulation] if simulation is not None else []):
        simulated = isinstance(shown, Simulation) and shown.n > 1
        row += 2
        put(ws, row, 1, "Key figures" + (f" over {shown.n:,} trials" if simulated else f", scenario {shown.scenario}"),
            bold=True, fill=HEADER_FILL)
        put(ws, row, 2, "", fill=HEADER_FILL)
        for figure in key_figures(shown):
            row += 1
            put(ws, row, 1, figure.label)
            put(ws, row, 2, figure.value, number_format=formats.get(figure.form))
    row += 2
    put(ws, row, 1, "Each table sheet says which scenario and basis it shows; 'Properties' says what produced "
                    "these figures.", italic=True)
    _widths(ws, {1: 44, 2: 34})


def _table(ws: Any, results: Results, basis: str) -> None:
    from openpyxl.styles import Border, Side

    frame = results.table(basis)
    rows = results.model.rows(basis)
    units = frame.attrs["units"]
    money = money_format(units, _decimals(units), brackets=results.model.negatives_in_brackets)
    put(ws, 1, 1, str(frame.columns.name), bold=True)
    put(ws, 2, 1, table_title(results, basis), italic=True)
    header = 4
    put(ws, header, 1, "", fill=HEADER_FILL)
    for j, column in enumerate(frame.columns, start=2):
        put(ws, header, j, str(column), bold=True, fill=HEADER_FILL)
    top = Border(top=Side(style="thin"))
    for i, (row, (label, values)) in enumerate(zip(rows, frame.iterrows(), strict=True), start=header + 1):
        put(ws, i, 1, str(label), bold=row.bold)
        for j, value in enumerate(values, start=2):
            cell = put(ws, i, j, float(value), number_format=money, bold=row.bold)
            if row.bold:
                cell.border = top
    ws.freeze_panes = ws.cell(row=header + 1, column=2)
    _widths(ws, {1: 46, **{j: 12 for j in range(2, len(frame.columns) + 2)}})


def _frame(ws: Any, title: str, note: str, frame: pd.DataFrame, formats: Mapping[str, str] | None = None,
           row_formats: Sequence[str | None] | None = None) -> None:
    """A DataFrame as a titled table with a frozen header: its index first, then its columns."""
    put(ws, 1, 1, title, bold=True)
    put(ws, 2, 1, note, italic=True)
    header = 4
    names = [str(frame.index.name or ""), *map(str, frame.columns)]
    for j, name in enumerate(names, start=1):
        put(ws, header, j, name, bold=True, fill=HEADER_FILL)
    for i, (label, values) in enumerate(frame.iterrows(), start=header + 1):
        put(ws, i, 1, label if isinstance(label, str) else str(label))
        for j, (column, value) in enumerate(values.items(), start=2):
            shown = (row_formats[i - header - 1] if row_formats else None) or (formats or {}).get(str(column))
            put(ws, i, j, _cell(value), number_format=shown)
    ws.freeze_panes = ws.cell(row=header + 1, column=2)
    _widths(ws, {1: 40, **{j: 14 for j in range(2, len(names) + 1)}})


def _cell(value: Any) -> Any:
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _simulation(ws: Any, sim: Simulation) -> None:
    summary = sim.summary()
    model = sim.model
    money = money_format(model.units, _decimals(model.units), brackets=model.negatives_in_brackets)
    records, formats = [], []
    for label in summary.index:
        metric, _, year = label.partition(" ")
        units = model.metrics[metric].units
        records.append({"metric": metric, "year": year or "", **summary.loc[label].to_dict()})
        formats.append(money if units == "money" else "0.00")
    frame = pd.DataFrame(records).set_index("metric")
    note = (f"{sim.n:,} trials ({sim.provenance.method}, seed {sim.provenance.seed}); mean and percentiles of "
            "every metric (Summary holds the payback years)")
    _frame(ws, f"Simulation summary: {model.name}", note, frame, row_formats=formats)


def _inputs(ws: Any, results: Results) -> None:
    leaves = results.model.leaves()
    drawn = results.inputs()
    rows = []
    for label, leaf in zip(drawn.columns, leaves, strict=True):
        record = {"input": label, "distribution": repr(leaf),
                  **{case: float(leaf.case(case)) for case in ("low", "central", "high")}}
        values = drawn[label].to_numpy(dtype=float)
        if isinstance(results, Simulation) and results.n > 1:
            record.update(mean=float(values.mean()), P10=float(pd.Series(values).quantile(0.1)),
                          P90=float(pd.Series(values).quantile(0.9)))
        else:
            record[f"in scenario {results.scenario}"] = float(values[0])
        rows.append(record)
    frame = pd.DataFrame(rows).set_index("input") if rows else pd.DataFrame(index=pd.Index([], name="input"))
    note = ("Every uncertain input of the model, its low, central and high cases" if rows
            else "The model has no uncertain inputs")
    _frame(ws, "Inputs", note, frame, formats={c: "#,##0.0###" for c in frame.columns if c != "distribution"})


def _image(ws: Any, figure: Any, anchor: str) -> None:
    from openpyxl.drawing.image import Image

    from finmodel.outputs.charts.style import png_bytes

    image = Image(io.BytesIO(png_bytes(figure, dpi=_CHART_DPI)))
    ws.add_image(image, anchor)


def _charts(ws: Any, shown: Sequence[Results]) -> None:
    put(ws, 1, 1, f"Charts: {shown[0].model.name}", bold=True)
    row = 3
    for results in shown:
        for name, figure in chart_set(results):
            simulated = isinstance(results, Simulation) and results.n > 1
            put(ws, row, 1, f"{name} ({f'{results.n:,} trials' if simulated else f'scenario {results.scenario}'})",
                bold=True)
            _image(ws, figure, f"A{row + 1}")
            row += _CHART_ROWS


def _sensitivity(ws: Any, parts: list[StressPart], charts: bool) -> None:
    put(ws, 1, 1, "Sensitivity", bold=True)
    row = 3
    for part in parts:
        put(ws, row, 1, part.title, bold=True, fill=HEADER_FILL)
        frame = part.table
        names = [str(frame.index.name or ""), *(str(c).replace("_", " ") for c in frame.columns)]
        for j, name in enumerate(names, start=1):
            put(ws, row + 1, j, name, bold=True)
        for i, (label, values) in enumerate(frame.iterrows(), start=row + 2):
            put(ws, i, 1, str(label))
            for j, value in enumerate(values, start=2):
                put(ws, i, j, _cell(value), number_format="#,##0.00")
        row += len(frame) + 3
        if charts and part.figure is not None:
            _image(ws, part.figure, f"A{row}")
            row += _CHART_ROWS
    _widths(ws, {1: 40, **{j: 14 for j in range(2, 12)}})


def _samples(ws: Any, results: Results) -> None:
    if results.n > MAX_ROWS:
        raise FinmodelError(
            f"to_excel: samples=True needs one row per trial, and {results.n:,} trials exceed a worksheet's "
            f"{MAX_ROWS:,} rows; write the samples to a file of their own (results.inputs().to_csv(...))"
        )
    model = results.model
    frame = results.inputs()
    for metric in model.available:
        info = model.metrics[metric]
        if info.per_year:
            continue
        values = results.samples(metric)
        frame[metric] = values.astype(str) if info.units == "year" else values
    frame.index = pd.RangeIndex(1, results.n + 1, name="trial")
    _frame(ws, "Samples", "One row per trial: every input's draw and every one-per-trial metric", frame,
           formats={c: "#,##0.00" for c in frame.columns})


def _properties(ws: Any, book: Any, results: Results, readable: bool) -> None:
    p = results.provenance
    put(ws, 1, 1, "Properties of the run", bold=True)
    rows = [*p.as_dict().items(), ("model sheet", "reads back with fm.read_excel(path)" if readable else
                                   "holds lines the sheet layout cannot (see their Notes)")]
    for i, (key, value) in enumerate(rows, start=3):
        put(ws, i, 1, str(key), bold=True)
        shown = value if isinstance(value, (int, float, str)) or value is None else str(value)
        put(ws, i, 2, "" if shown is None else shown)
    _widths(ws, {1: 22, 2: 90})
    props = book.properties
    props.title = p.model
    props.subject = f"{p.scenario}, {p.trials:,} trial(s)"
    props.creator = f"finmodel {p.finmodel}"
    props.description = p.source or None
    props.keywords = "finmodel"
