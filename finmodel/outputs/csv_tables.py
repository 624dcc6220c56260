"""CSV out: one table per file, or every table in one long file, rounded as the table shows it.

``finmodel run FILE --format csv --out DIR`` writes one file per table
(:func:`write_tables`); ``--format csv`` alone prints the long format (:func:`long_csv`),
one value per line, which a spreadsheet's pivot table turns back into any table:

======== ====================================================================
table    the table's caption (model, units, basis; "mean of N trials")
scenario the scenario (or ``simulation``)
basis    ``in-year``, ``incremental``, ``cumulative``...
units    ``£m``, ``£k``...
row      the row's label, as printed
column   a financial year, or ``Total``
value    the amount, rounded as the table prints it (blank where it prints "–")
======== ====================================================================

The long format starts with ``# ...`` lines saying what produced the figures.
Text a spreadsheet would read as a formula is written as text
(:func:`~finmodel.io.safe_text.safe_text`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from finmodel.engine.results import Results, Simulation
from finmodel.io.atomic import write_atomic
from finmodel.io.safe_text import safe_frame, safe_text

__all__ = ["LONG_COLUMNS", "decimals_of", "long_csv", "write_tables"]

#: The columns of the long format.
LONG_COLUMNS = ("table", "scenario", "basis", "units", "row", "column", "value")


def decimals_of(units: str) -> int:
    """The decimals a council table prints in these units: whole £k, £m to one place.

    Examples
    --------
    >>> decimals_of("£m"), decimals_of("£k")
    (1, 0)
    """
    return 0 if units in ("£", "£k") else 1


def _rounded(results: Results, basis: str) -> pd.DataFrame:
    return results.table(basis, decimals=decimals_of(results.model.units))


def _summary(sim: Simulation) -> pd.DataFrame:
    frame = sim.summary().round(2)
    frame.index.name = "metric"
    return frame


def long_csv(results: Results, bases: Sequence[str], simulation: Simulation | None = None,
             comments: Sequence[str] = ()) -> str:
    """Every table of ``results`` (and, for a simulation, of its means) in the long format.

    ``comments`` come first, each a ``# ...`` line of one cell (what produced the
    figures), commas made semicolons so that the line is never quoted and
    ``pandas.read_csv(..., comment="#")`` skips it.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.04, 0.5])])
    >>> print(long_csv(fm.evaluate(plan), ["incremental"]).splitlines()[1])
    p (£m; view incremental),central,incremental,£m,Demand,2018/19,1.0
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for comment in comments:
        writer.writerow([safe_text("# " + " ".join(comment.replace(",", ";").split()))])
    writer.writerow(LONG_COLUMNS)
    for source in [results, *([simulation] if simulation is not None else [])]:
        scenario = source.scenario if not (isinstance(source, Simulation) and source.n > 1) else "simulation"
        for basis in bases:
            frame = _rounded(source, basis)
            caption, units = str(frame.columns.name), frame.attrs["units"]
            for label, values in frame.iterrows():
                for column, value in values.items():
                    shown = "" if pd.isna(value) else repr(float(value) + 0.0)
                    writer.writerow([safe_text(caption), safe_text(scenario), basis, units, safe_text(str(label)),
                                     column, shown])
    return buffer.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write_tables(results: Results, bases: Sequence[str], folder: str | Path,
                 simulation: Simulation | None = None) -> list[Path]:
    """One CSV file per table in ``folder`` (made if missing); returns the files written.

    ``table-<basis>.csv`` for the scenario's tables, ``simulation-<basis>.csv`` for a
    simulation's tables of means, ``simulation-summary.csv`` for its percentiles, and
    ``provenance.csv`` for what produced them.

    Examples
    --------
    >>> import tempfile, finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.04, 0.5])])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = write_tables(fm.evaluate(plan), ["incremental"], folder)
    ...     text = files[0].read_text(encoding="utf-8")
    >>> [f.name for f in files], text.splitlines()[1]
    (['table-incremental.csv', 'provenance.csv'], 'Demand,1.0,0.5,1.5')
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    sources: list[tuple[str, Results]] = [("table", results)]
    if simulation is not None:
        sources.append(("simulation", simulation))
    for prefix, source in sources:
        for basis in bases:
            frame = _rounded(source, basis)
            frame.index.name = str(frame.columns.name)
            frame.columns.name = None
            written.append(write_atomic(out / f"{prefix}-{_slug(basis)}.csv", safe_frame(frame).to_csv()))
    if simulation is not None:
        written.append(write_atomic(out / "simulation-summary.csv", safe_frame(_summary(simulation)).to_csv()))
    provenance = pd.Series({**results.provenance.as_dict(),
                            **({f"simulation {k}": v for k, v in simulation.provenance.as_dict().items()}
                               if simulation is not None else {})}, name="value")
    provenance.index.name = "property"
    written.append(write_atomic(out / "provenance.csv", safe_frame(provenance.to_frame()).to_csv()))
    return written
