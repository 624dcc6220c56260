"""The HTML report: one self-contained page to hand on (``finmodel report FILE --out DIR``).

:func:`write_report` evaluates a scenario file (and, if asked, simulates it) and writes
``report.html``: the key figures, the council tables (each labelled with its scenario
and basis), the charts, the check of the published tables, the stress results where
the file asks for them and the model is simulated, the assumptions with their sources,
and the provenance of the run. Charts are embedded as PNG images (``data:`` URLs) and
the styles are inline: the page needs no network, no script and no other file, and
prints on A4. Every piece of text from a model or a file is escaped.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from html import escape
from pathlib import Path
from typing import Any

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import Results, Simulation
from finmodel.engine.run import evaluate
from finmodel.engine.run import simulate as run_simulation
from finmodel.engine.scenario import Scenario
from finmodel.io.atomic import write_atomic
from finmodel.io.reading import load
from finmodel.io.scenario_file import ScenarioFile
from finmodel.model.base import Model
from finmodel.outputs.display import table_html
from finmodel.outputs.headline import chart_set, key_figures, table_title
from finmodel.outputs.stress import file_stress, stress_parts

__all__ = ["nothing_to_check", "render_report", "write_report"]

_STYLE = """
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #1b2a41; margin: 2em auto; max-width: 60em;
       padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; border-bottom: 2px solid #c9d6e4;
     padding-bottom: 0.2em; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; display: block; max-width: 100%;
        overflow-x: auto; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e3e8ef; }
thead th { background: #dce4ee; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
.note { color: #555; font-style: italic; } .figures td:last-child { text-align: right; font-weight: bold; }
img { max-width: 100%; height: auto; display: block; margin: 0.5em 0 1.5em; }
pre { white-space: pre-wrap; background: #f4f6f9; padding: 0.8em; font-size: 0.9em; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } img { page-break-inside: avoid; } }
"""


def nothing_to_check(check: Any) -> bool:
    """Whether a check report checked nothing at all (no published table or statement).

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> nothing_to_check(fm.check(plan))
    True
    """
    return not check.sections


def _image(figure: Any, alt: str) -> str:
    from finmodel.outputs.charts.style import png_bytes

    data = base64.b64encode(png_bytes(figure, dpi=100)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt, quote=True)}"/>'


def _figures(results: Results) -> str:
    units, brackets = results.model.units, results.model.negatives_in_brackets
    rows = "".join(f"<tr><td>{escape(f.label)}</td><td>{escape(f.shown(units, brackets))}</td></tr>"
                   for f in key_figures(results))
    return f'<table class="figures"><tbody>{rows}</tbody></table>'


def _tables(results: Results, first: str | None = None) -> str:
    decimals = 0 if results.model.units in ("£", "£k") else 1
    parts = []
    bases = sorted(results.model.bases, key=lambda b: b != first)  # the basis the paper printed first
    for basis in bases:
        parts.append(f'<p class="note">{escape(table_title(results, basis))}</p>')
        parts.append(table_html(results, basis, decimals=decimals))
    return "".join(parts)


def _charts(results: Results) -> str:
    return "".join(f"<h3>{escape(name)}</h3>{_image(figure, f'{name}: {results.model.name}')}"
                   for name, figure in chart_set(results))


def _check(check: Any) -> str:
    if check is None or nothing_to_check(check):
        return '<p>Nothing to check: the file has no published tables or statements.</p>'
    return str(check._repr_html_())


def _frame_html(frame: Any) -> str:
    frame = frame.rename(columns=lambda c: str(c).replace("_", " "))  # switching_value -> switching value
    return str(frame.to_html(escape=True, na_rep="", float_format=lambda v: f"{v:,.2f}", border=0))


def _stress(parts: list[Any]) -> str:
    out = []
    for part in parts:
        out.append(f"<h3>{escape(part.title)}</h3>{_frame_html(part.table)}")
        if part.figure is not None:
            out.append(_image(part.figure, part.title))
    return "".join(out)


def _assumptions(model: Model, loaded: ScenarioFile | None) -> str:
    from finmodel.model.html import amount_text

    rows, fixed = [], []
    for leaf in model.leaves():
        label = leaf.name if leaf.name is not None else leaf.describe()
        low, high = leaf.bounds()
        if low == high:
            fixed.append(f"{label} = {amount_text(float(low))}")
            continue
        cases = " / ".join(amount_text(float(leaf.case(c))) for c in ("low", "central", "high"))
        rows.append(f"<tr><td>{escape(label)}</td><td>{escape(repr(leaf))}</td><td>{escape(cases)}</td></tr>")
    inputs = ("<table><thead><tr><th>Input</th><th>Distribution</th><th>Low / central / high</th></tr></thead>"
              f"<tbody>{''.join(rows)}</tbody></table>" if rows else "<p>The model has no uncertain inputs.</p>")
    parts = [f"<h3>Lines of the model</h3>{model._repr_html_()}", f"<h3>Uncertain inputs</h3>{inputs}"]
    if fixed:
        parts.append(f"<h3>Fixed named amounts</h3><p>{escape('; '.join(fixed))}</p>")
    if loaded is not None:
        if loaded.description.strip():
            parts.append(f"<h3>What the file says about its figures</h3><pre>{escape(loaded.description.strip())}</pre>")
        cited = [(t.name, t.source) for t in loaded.tables] + [(s.text, s.source) for s in loaded.statements]
        if cited:
            items = "".join(f"<li>{escape(what)}: {escape(where or 'no source given')}</li>" for what, where in cited)
            parts.append(f"<h3>Published figures and where they are printed</h3><ul>{items}</ul>")
    return "".join(parts)


def _provenance(results: Results, sim: Simulation | None, loaded: ScenarioFile | None) -> str:
    p = results.provenance
    rows: list[tuple[str, Any]] = [("finmodel", p.finmodel), ("Model", results.model.describe()),
                                   ("Scenario of the tables", results.scenario)]
    if sim is not None:
        q = sim.provenance
        rows += [("Simulation", f"{q.trials:,} trials ({q.method})"), ("Seed", q.seed)]
    if loaded is not None and loaded.path is not None:
        digest = hashlib.sha256(loaded.path.read_bytes()).hexdigest()
        rows += [("File", loaded.path.name), ("File SHA-256", digest)]
    if loaded is not None and loaded.source:
        rows.append(("Source", loaded.source))
    rows.append(("Written", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")))
    body = "".join(f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return f"<table><tbody>{body}</tbody></table>"


def render_report(
    results: Results,
    *,
    simulation: Simulation | None = None,
    check: Any = None,
    loaded: ScenarioFile | None = None,
    sensitivity: dict[str, Any] | None = None,
) -> str:
    """The report as one HTML page (see the module's description).

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("<p>", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> page = render_report(fm.evaluate(plan))
    >>> page.startswith("<!DOCTYPE html>"), "&lt;p&gt;" in page, "http" in page
    (True, True, False)
    """
    model = results.model
    title = loaded.title if loaded is not None else model.name
    sections = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(loaded.source)}</p>' if loaded is not None and loaded.source else "",
        f"<h2>Key figures: scenario {escape(results.scenario)}</h2>{_figures(results)}",
    ]
    if simulation is not None:
        sections.append(f"<h2>Monte Carlo: {simulation.n:,} trials, seed {escape(str(simulation.provenance.seed))}"
                        f"</h2>{_figures(simulation)}")
    reproduced = [r for t in (loaded.tables if loaded is not None else ()) if (r := t.reproduces) is not None]
    first = str(reproduced[0].basis) if reproduced else None
    sections += [f"<h2>Tables</h2>{_tables(results, first)}", f"<h2>Charts</h2>{_charts(results)}"]
    if simulation is not None:
        sections.append(f"<h2>Charts of the simulation</h2>{_charts(simulation)}")
    sections.append(f"<h2>Check of the published tables</h2>{_check(check)}")
    parts = stress_parts(sensitivity or {})
    if parts:
        sections.append(f"<h2>Stress test</h2>{_stress(parts)}")
    sections += [f"<h2>Assumptions and their sources</h2>{_assumptions(model, loaded)}",
                 f"<h2>Provenance of this run</h2>{_provenance(results, simulation, loaded)}"]
    body = "\n".join(s for s in sections if s)
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"/>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"/>'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n{body}\n"
            f'<p class="note">Written by finmodel {escape(results.provenance.finmodel)}.</p>\n</body></html>\n')


def write_report(
    source: ScenarioFile | Model | str | Path,
    out: str | Path,
    *,
    scenario: str | Scenario | None = None,
    simulate: int | None = None,
    seed: int | None = None,
    workbook: bool = False,
) -> Path:
    """Write ``report.html`` (and, with ``workbook=True``, ``report.xlsx``) into the folder ``out``.

    Parameters
    ----------
    source : ScenarioFile, path of one, or a model
    out : str or Path
        The folder (made if missing); the files in it are written atomically.
    scenario : str or Scenario, optional
        A case or a scenario named in the file; default: the scenario of the table the
        file reproduces, else ``"central"``.
    simulate : int, optional
        Trials of a Monte Carlo simulation (default: the file's ``[simulation]`` settings,
        else none; 0 for none).
    seed : int, optional
        The simulation's seed (default: the file's).
    workbook : bool
        Also write the result as ``report.xlsx``.

    Returns
    -------
    Path
        The path of ``report.html``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import finmodel as fm
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = write_report(fm.scenarios_folder() / "occ-mtfp-2018-22.toml", folder)
    ...     text = page.read_text(encoding="utf-8")
    >>> page.name, "Net Pressure / (Saving)" in text, text.count("data:image/png;base64,")  # waterfall; 3 of the simulation
    ('report.html', True, 4)
    """
    from finmodel.analysis.reconcile import check as check_of

    loaded = source if isinstance(source, ScenarioFile) else None
    if isinstance(source, (str, Path)):
        loaded = load(source)
    model = loaded.model if loaded is not None else source
    if loaded is not None and model is None:  # a file of published tables only: its check is the report
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        return write_atomic(folder / "report.html", check_page(loaded, check_of(loaded)))
    if not isinstance(model, Model):
        raise FinmodelError(f"report: source ({type(source).__name__}) must be a scenario file, its path or a model")
    chosen = scenario if scenario is not None else default_scenario(loaded)
    settings = loaded.simulation if loaded is not None else None
    n = simulate if simulate is not None else (settings.n if settings is not None else None)
    sim = None
    if loaded is not None:  # through the file, so that the results carry its provenance
        results = loaded.evaluate(chosen)
        if n:
            sim = loaded.simulate(n=n, **({"seed": seed} if seed is not None else {}))
    else:
        results = evaluate(model, chosen)
        if n:
            sim = run_simulation(model, n=n, seed=seed)
    check = check_of(loaded if loaded is not None else model)
    sensitivity = file_stress(loaded) if sim is not None and loaded is not None else {}
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    page = render_report(results, simulation=sim, check=check, loaded=loaded, sensitivity=sensitivity)
    target = write_atomic(folder / "report.html", page)
    if workbook:
        from finmodel.outputs.workbook import to_excel

        to_excel(results, folder / "report.xlsx", simulation=sim, check=check, sensitivity=sensitivity)
    return target


def check_page(loaded: ScenarioFile, check: Any) -> str:
    """The report of a file of published tables only (no model): its check and its sources.

    Examples
    --------
    >>> import finmodel as fm
    >>> t = fm.PublishedTable("Investment", "p. 4", ["A", "B", "Total"], [("£m", [6, 3, 9])],
    ...                       totals=[fm.Total(column="Total", of=["A", "B"])])
    >>> loaded = fm.io.ScenarioFile(None, "Tables", "", "Council papers", None, tables=(t,))
    >>> "all agrees" in check_page(loaded, fm.check(loaded))
    True
    """
    cited = "".join(f"<li>{escape(t.name)}: {escape(t.source or 'no source given')}</li>" for t in loaded.tables)
    body = (f"<h1>{escape(loaded.title)}</h1><p class='note'>{escape(loaded.source)}</p>"
            f"<h2>Check of the published tables</h2>{_check(check)}<h2>Sources</h2><ul>{cited}</ul>")
    return (f'<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"/><title>{escape(loaded.title)}</title>'
            f"<style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n")


def default_scenario(loaded: ScenarioFile | None) -> str:
    """The scenario a file's published table shows (the one the paper printed), else ``"central"``.

    Examples
    --------
    >>> import finmodel as fm
    >>> default_scenario(fm.load(fm.scenarios_folder() / "occ-case-for-change-2018.toml"))
    'low'
    """
    if loaded is not None:
        for table in loaded.tables:
            reproduces = getattr(table, "reproduces", None)
            if reproduces is not None:
                return str(reproduces.scenario)
    return "central"
