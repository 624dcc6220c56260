"""The ``finmodel`` command: run, check and list scenario files, write a report or a template.

Exit codes, the same for every subcommand (:func:`main` maps every outcome to one):

====  ==========================================================================
0     done: the output was written (``check``: every published total agrees)
1     ``finmodel check`` found a disagreement (``run`` lists them but exits 0)
2     bad input: a file that cannot be read or is refused, an unknown scenario,
      a bad option, a request beyond a limit, an output that cannot be written
3     an internal error (a bug in finmodel): a one-line message asks for ``--debug``
130   interrupted (Ctrl-C)
====  ==========================================================================

No Python traceback is printed unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import numpy as np
import pandas as pd

import finmodel as fm
from finmodel import io as files
from finmodel.core.errors import FinmodelError
from finmodel.engine.convergence import default_metric
from finmodel.engine.results import NOTHING_UNCERTAIN, Provenance
from finmodel.outputs.csv_tables import long_csv, write_tables
from finmodel.outputs.headline import key_figures
from finmodel.outputs.report import nothing_to_check, write_report
from finmodel.outputs.run_text import figures_text, label, next_steps, payback_text

__all__ = ["BAD_INPUT", "DISAGREES", "INTERNAL", "INTERRUPTED", "OK", "main"]

OK, DISAGREES, BAD_INPUT, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finmodel",
        description="Reproduce, check and stress-test council financial models from scenario files.",
        epilog="FILE is a scenario file (.toml) or the name of a bundled one: see finmodel list.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", parents=[common], help="print a model's tables, its key figures, its check and a simulation summary"
    )
    run.add_argument("file", metavar="FILE", help=FILE_HELP)
    _run_options(run)
    run.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="table: council format (default); csv: every table, rounded as printed, in one long "
                          "table, or one file per table with --out; json: everything, for another program")
    run.add_argument("--out", metavar="DIR", default=None,
                     help="with --format csv: write one CSV file per table into DIR (default: print the long format)")
    check = commands.add_parser(
        "check", parents=[common], help="recompute every published total and list disagreements"
    )
    check.add_argument("file", metavar="FILE", help=FILE_HELP)
    commands.add_parser("list", parents=[common], help="the bundled scenario files, by the name finmodel run takes")
    report = commands.add_parser(
        "report", parents=[common], help="write a self-contained HTML report (tables, charts, check, provenance)"
    )
    report.add_argument("file", metavar="FILE", help=FILE_HELP)
    report.add_argument("--out", metavar="DIR", required=True, help="the folder to write report.html into")
    _run_options(report)
    report.add_argument("--excel", action="store_true", help="also write the result as report.xlsx")
    template = commands.add_parser(
        "template", parents=[common], help="write an Excel workbook to fill in with an MTFP or a case for change"
    )
    template.add_argument("kind", choices=("mtfp", "case"), help="mtfp or case")
    template.add_argument("path", metavar="OUT.xlsx", help="the workbook to write")
    template.add_argument("--start", default="2024/25", help="the first financial year (default: 2024/25)")
    template.add_argument("--years", type=int, default=4, help="how many years (default: 4)")
    template.add_argument("--units", default="£m", help="£m, £k, £ or £bn (default: £m)")
    template.add_argument("--blank", action="store_true", help="leave out the worked example")
    return parser


FILE_HELP = "a scenario file (.toml), or the name of a bundled one (finmodel list), e.g. occ-mtfp-2018-22"


def _run_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--scenario",
        default=None,
        help="low, central, high, worst, best or a scenario named in the file (default: the scenario of the "
             "published table the file reproduces, e.g. low for the OCC case for change; else central)",
    )
    command.add_argument("--simulate", type=int, metavar="N", default=None,
                         help="Monte Carlo trials (default: the file's [simulation] n, if it has one; "
                              "0 for no simulation)")
    command.add_argument("--seed", type=int, default=None,
                         help="the simulation's seed (default: the file's [simulation] seed); only with a simulation")


def _resolve(name: str) -> str:
    """A path as given, or the bundled scenario file of that name (``occ-mtfp-2018-22``)."""
    if os.path.exists(name):
        return name
    stem = name[:-5] if name.endswith(".toml") else name
    for entry in files.bundled():
        if entry.name == stem and os.sep not in name:
            return str(entry.path)
    return name


def _reproduced(loaded: Any) -> Any:
    """The first published table the model reproduces (its scenario and basis), if any."""
    for table in loaded.tables:
        if getattr(table, "reproduces", None) is not None:
            return table.reproduces
    return None


def _scenario(loaded: Any, name: str | None) -> str:
    """The name of the scenario to show: a case, or a scenario of the file."""
    if name is None:  # the scenario the paper printed, else the central case
        reproduced = _reproduced(loaded)
        name = reproduced.scenario if reproduced is not None else "central"
    if name in ("low", "central", "high", "worst", "best") or name in loaded.scenarios:
        return name
    known = ", ".join(["low", "central", "high", "worst", "best", *loaded.scenarios])
    raise FinmodelError(f"{loaded.path}: no scenario called {name!r} (scenarios: {known})")


def _simulation(loaded: Any, args: argparse.Namespace) -> fm.Simulation | None:
    settings = getattr(loaded, "simulation", None)
    n = args.simulate if args.simulate is not None else _get(settings, "n")
    if n is None or n == 0:
        if args.seed is not None:
            why = "--simulate 0 was given" if n == 0 else "the file has no [simulation] section"
            raise FinmodelError(
                f"--seed {args.seed} sets the seed of a simulation, and this run has none ({why}); "
                "add --simulate N to simulate N trials"
            )
        return None
    seed = args.seed if args.seed is not None else _get(settings, "seed")
    method = _get(settings, "method") or "random"
    sim: fm.Simulation = loaded.simulate(n=n, seed=seed, method=method)  # n is checked against the limit first
    return sim


def _get(settings: Any, key: str) -> Any:
    if isinstance(settings, dict):
        return settings.get(key)
    return getattr(settings, key, None)


def _views(model: Any, loaded: Any = None) -> tuple[str, ...]:
    """The model's table views, the one the paper printed first."""
    views = list(model.bases)
    reproduced = _reproduced(loaded) if loaded is not None else None
    if reproduced is not None and reproduced.basis in views:
        views.remove(reproduced.basis)
        views.insert(0, reproduced.basis)
    return tuple(views)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    given = args.file
    args.file = _resolve(given)
    loaded = files.load(args.file)
    model = loaded.model
    if model is None:  # published tables only: nothing to run, only to check
        out.write(str(fm.check(loaded)).rstrip() + "\n")
        out.write(_checked_by(loaded, args.file))
        return OK
    result = loaded.evaluate(_scenario(loaded, args.scenario))
    report = fm.check(loaded)
    sim = _simulation(loaded, args)
    views = _views(model, loaded)
    if args.format == "json":
        payload: dict[str, Any] = {
            "file": str(args.file),
            "title": getattr(loaded, "title", model.name),
            "model": model.name,
            "units": model.units,
            "scenario": result.scenario,
            "provenance": result.provenance.as_dict(),
            "tables": {view: json.loads(result.table(view).to_json(orient="split")) for view in views},
            "key_figures": {f.label: f.value for f in key_figures(result)},
            "check": {
                "ok": report.ok,
                "findings": json.loads(report.to_frame().to_json(orient="records")),
            },
        }
        if sim is not None:
            payload["simulation"] = {
                "trials": sim.n,
                "seed": sim.provenance.seed,
                "key_figures": {f.label: f.value for f in key_figures(sim)},
                "provenance": sim.provenance.as_dict(),
                "summary": json.loads(sim.summary().to_json(orient="index")),
            }
        out.write(json.dumps(payload, indent=2, default=_json_default) + "\n")
        return OK
    if args.format == "csv":
        if args.out is not None:
            written = write_tables(result, views, args.out, sim)
            out.write("".join(f"{path}\n" for path in written))
        else:
            comments = [f"produced by {_produced(result.provenance, args.file)}"]
            if sim is not None:
                q = sim.provenance  # no commas: the comment stays one cell that pandas' comment="#" skips
                comments.append(f"Monte Carlo summary ({q.trials} trials; seed {q.seed}; method {q.method}"
                                + ("; results do not depend on the chunk size)" if q.chunk_invariant else ")"))
            out.write(long_csv(result, views, sim, comments=comments))
        return OK
    if args.out is not None:
        raise FinmodelError("--out DIR goes with --format csv (one CSV file per table); for a report, use "
                            f"finmodel report {args.file} --out DIR")
    title = getattr(loaded, "title", None) or model.name
    chosen = "" if args.scenario is not None else (
        " (the scenario of the published table)" if _reproduced(loaded) is not None else " (the default)")
    out.write(f"{title}\n")
    if loaded.source:
        out.write(f"Source: {' '.join(loaded.source.split())}\n")
    out.write(f"Scenario: {result.scenario}{chosen}\n\n")
    for view in views:
        out.write(label(result, view) + "\n" + result.report(view, decimals=_decimals(model)) + "\n\n")
    out.write(f"Key figures, scenario {result.scenario}:\n{figures_text(result)}\n\n")
    out.write(_check_text(report) + "\n")
    if sim is not None:
        out.write(_simulation_text(sim))
        out.write(f"\n{figures_text(sim, chances_only=True)}\n")
        if "payback_year" in sim.metrics:
            out.write(f"\n{payback_text(sim)}\n")
    out.write(_stress_text(loaded, sim))
    names = [str(n) for n in loaded.scenarios]
    out.write("\n" + next_steps(str(given), scenario=result.scenario, simulated=sim is not None,
                                has_scenarios=names) + "\n")
    out.write(f"\nProduced by {_produced(result.provenance, args.file)}\n")
    if sim is not None:
        out.write(f"Monte Carlo: {_drawn(sim.provenance)}\n")
    return OK


def _check_text(report: Any) -> str:
    """The check as text; a file with nothing to check says so (never "all agrees")."""
    if nothing_to_check(report):
        return "Check: nothing to check (the file has no published tables or statements)"
    return str(report).rstrip()


def _produced(p: Provenance, path: Any) -> str:
    """What produced a result, in a line: version, model, scenario, file and its SHA-256, source."""
    text = f"finmodel {p.finmodel} from {path} (SHA-256 {p.file_sha256}); model {p.model!r}, scenario {p.scenario!r}"
    return text + (f"; source: {' '.join(p.source.split())}" if p.source else "")


def _drawn(p: Provenance) -> str:
    """How a simulation drew its trials, in a line."""
    invariant = "; results do not depend on the chunk size" if p.chunk_invariant else ""
    return f"{p.trials:,} trials, seed {p.seed}, method {p.method}{invariant}"


def _simulation_text(sim: fm.Simulation) -> str:
    """The few numbers a finance officer reads first from a simulation."""
    key = "cumulative_net" if "cumulative_net" in sim.metrics else "cumulative_gap"
    lines = [f"\nMonte Carlo: {sim.n:,} trials ({sim.model.units})"]
    if not sim.varying_inputs:
        lines.append(f"Note: {NOTHING_UNCERTAIN}.")
    scalars = [m for m in ("run_rate", "npv", "roi", "total_net_pressure") if m in sim.metrics]
    if scalars:
        lines.append(sim.summary().loc[scalars].round(2).to_string())
        lines.append(_standard_errors_text(sim, scalars))
    quantiles = sim.quantiles(key, [0.1, 0.5, 0.9]).round(2)
    quantiles.index = ["P10", "P50", "P90"]
    lines.append(f"\n{key.replace('_', ' ')} by year:\n" + quantiles.to_string())
    if key == "cumulative_net":
        chance = sim.probability(key, ">=", 0)
        lines.append("\nP(cumulative net >= 0):  " + "  ".join(f"{y} {p:.1%}" for y, p in chance.items()))
    else:
        chance = sim.probability(key, "<=", 0)
        lines.append("\nP(no budget gap):  " + "  ".join(f"{y} {p:.1%}" for y, p in chance.items()))
    return "\n".join(lines) + "\n"


def _standard_errors_text(sim: fm.Simulation, metrics: Sequence[str]) -> str:
    """The standard error of each figure of the summary (percentiles by order statistics)."""
    finite = [m for m in metrics if np.isfinite(sim.samples(m)).all()]
    if not finite or sim.n < 2:
        return ""
    rows = {m: fm.standard_errors(sim, m)["standard_error"] for m in finite}
    table = pd.DataFrame(rows).T.round(3)
    table.columns = ["mean", "P10", "P50", "P90"]
    return "standard errors:\n" + table.to_string()


def _stress_text(loaded: Any, sim: fm.Simulation | None) -> str:
    """The file's ``[stress]`` section: a tornado, switching values and the probability of a breach."""
    settings = getattr(loaded, "stress", None)
    if settings is None:
        return ""
    model = loaded.model
    metric = settings.metric or default_metric(model)
    where = f" in {settings.year}" if settings.year else ""
    lines = [f"\nStress test of {metric}{where} ({model.units})"]
    options: dict[str, Any] = {"year": settings.year, "inputs": settings.inputs}
    if settings.tornado:
        found = fm.tornado(model, metric, points=settings.points, **options)
        if isinstance(settings.points, str):  # "cases"
            low, high, swing = "low", "high", "its low and high cases"
        else:
            low, high = (f"P{100 * p:g}" for p in settings.points)
            swing = f"its {low} and {high}"
        lines.append(f"\nTornado: each input alone at {swing}, the rest central ({metric}{where} at base "
                     f"{found.base:,.2f}), widest swing first:")
        shown = found.table.round(2).rename_axis(None)
        shown.columns = [f"input at {low}", f"input at {high}", f"{metric} at {low}", f"{metric} at {high}", "swing"]
        lines.append(shown.to_string())
    if settings.switching:
        switching = fm.switching_values(model, metric, target=settings.target, **options)
        lines.append(_switching_text(switching, f"{metric}{where}"))
    if settings.breach is not None:
        b = settings.breach
        breach = fm.Condition(b.metric, b.op, b.threshold, b.year)
        if sim is None:
            lines.append(f"\nP({breach.describe()}): simulate to see it (--simulate N)")
        else:
            found_p = breach.probability(sim)
            error = (found_p * (1 - found_p) / sim.n) ** 0.5
            lines.append(f"\nP({breach.describe()}) = {found_p:.1%} (standard error {error:.1%}, {sim.n:,} trials)")
    return "\n".join(lines) + "\n"


def _switching_text(found: Any, metric: str) -> str:
    """The inputs that alone take the metric to the target, and where; then those that cannot."""
    table = found.table
    crossing = table[table["switching_value"].notna()]
    missing = [str(name) for name in table.index[table["switching_value"].isna()]]
    if crossing.empty:
        return (f"\nSwitching values: no input alone takes {metric} to {found.target:g} within its range "
                f"({metric} at base {found.base:,.2f}).")
    shown = crossing[["central", "switching_value", "change_pct", "note"]].round(2).rename_axis(None)
    shown.columns = ["central", "switching value", "change %", "note"]
    if not shown["note"].astype(bool).any():
        shown = shown.drop(columns="note")
    lines = [f"\nSwitching values: each input alone, the value at which {metric} = {found.target:g}:", shown.to_string()]
    if missing:
        lines.append(f"No switching value within its range: {', '.join(missing)}.")
    return "\n".join(lines)


def _decimals(model: Any) -> int:
    return 0 if model.units == "£k" else 1


def _json_default(value: Any) -> Any:
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return str(value)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    path = _resolve(args.file)
    loaded = files.load(path)
    report = fm.check(loaded)
    out.write(_check_text(report) + "\n")
    out.write(_checked_by(loaded, path))
    return OK if report.ok else DISAGREES


def _checked_by(loaded: Any, path: Any) -> str:
    return f"Checked by finmodel {fm.VERSION}: {path} (SHA-256 {loaded.sha256})\n"


def _list(args: argparse.Namespace, out: TextIO) -> int:
    entries = files.bundled()
    width = max((len(entry.name) for entry in entries), default=0)
    for entry in entries:
        out.write(f"{entry.name.ljust(width)}  {entry.description}\n")
    if entries:
        out.write(f"\nRun one by its name, e.g. finmodel run {entries[0].name} (or give the path of any "
                  ".toml scenario file)\n")
    return OK


def _report(args: argparse.Namespace, out: TextIO) -> int:
    loaded = files.load(_resolve(args.file))
    if loaded.model is None:  # published tables only: the report is their check
        out.write(f"{write_report(loaded, args.out)}\n")
        return OK
    scenario = _scenario(loaded, args.scenario)
    n = args.simulate if args.simulate is not None else _get(getattr(loaded, "simulation", None), "n")
    if (n is None or n == 0) and args.seed is not None:
        raise FinmodelError(f"--seed {args.seed} sets the seed of a simulation, and this report has none; "
                            "add --simulate N")
    page = write_report(loaded, args.out, scenario=scenario, simulate=n or None, seed=args.seed,
                        workbook=args.excel)
    out.write(f"{page}\n")
    if args.excel:
        out.write(f"{page.with_suffix('.xlsx')}\n")
    return OK


def _template(args: argparse.Namespace, out: TextIO) -> int:
    path = fm.write_template(args.path, args.kind, start=args.start, years=args.years, units=args.units,
                             example=not args.blank)
    out.write(f"{path}\nFill in the sheet 'Model', then read it with fm.read_excel({str(path)!r}).\n")
    return OK


#: Each subcommand: it writes its output and returns an exit code (OK or DISAGREES);
#: everything else it may raise is mapped to an exit code by :func:`main`.
COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "run": _run, "check": _check, "list": _list, "report": _report, "template": _template,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the ``finmodel`` command and return its exit code (see the module's table).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: the command line).
    out : text stream, optional
        Where output and messages go (default: output to standard output, messages to
        standard error).

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> main(["check", "no-such-file.toml"], out=buffer)
    2
    >>> "no-such-file.toml" in buffer.getvalue()
    True
    """
    say = _messages(out)
    debug = False
    try:
        args = _parser().parse_args(argv)
        debug = bool(getattr(args, "debug", False))
        stream = out if out is not None else sys.stdout
        if stream is None:  # started with standard output closed (``finmodel list >&-``)
            say("finmodel: standard output is closed; there is nowhere to write the output")
            return BAD_INPUT
        code = COMMANDS[args.command](args, stream)
        stream.flush()  # a closed pipe or a full disk is reported here, not at exit
        return code
    except SystemExit as stop:  # argparse: --help (0), or a bad option (2, after the usage)
        return stop.code if isinstance(stop.code, int) else BAD_INPUT
    except BrokenPipeError:  # the reader went away (``finmodel run ... | head``): not an error
        _quiet_stdout()
        return OK
    except KeyboardInterrupt:
        say("finmodel: interrupted")
        return INTERRUPTED
    except (FinmodelError, OSError) as err:
        _traceback(debug, say)
        say(f"finmodel: {_one_line(err)}")
        return BAD_INPUT
    except MemoryError:
        _traceback(debug, say)
        say("finmodel: not enough memory for this request; ask for fewer trials (--simulate N)")
        return BAD_INPUT
    except Exception as err:  # a bug: one line, and the traceback with --debug
        _traceback(debug, say)
        say(
            f"finmodel: internal error ({type(err).__name__}: {_one_line(err)}); this is a bug in finmodel: "
            "run the command again with --debug to see the traceback, and report it"
        )
        return INTERNAL


def _messages(out: TextIO | None) -> Callable[[str], None]:
    """Writes a message to ``out`` if given, else to standard error (if it is open)."""

    def say(text: str) -> None:
        stream = out if out is not None else sys.stderr
        if stream is None:
            return
        try:
            stream.write(text + "\n")
            stream.flush()
        except (OSError, ValueError):  # standard error closed too: nothing more can be said
            pass

    return say


def _traceback(debug: bool, say: Callable[[str], None]) -> None:
    if debug:
        say(traceback.format_exc().rstrip())


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 2_000 else text[:1_997] + "..."


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that Python's final flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
