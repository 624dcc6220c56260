"""Reading a scenario file: :func:`load` and :func:`loads`.

The file is parsed with :mod:`tomllib`, then read section by section; nothing in it is
executed. Unknown keys are errors, and every error is a :class:`ScenarioFileError`
naming the file, the key path and the bad value.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from finmodel.core.amounts import Leaf
from finmodel.engine.scenario import Scenario
from finmodel.io.errors import ScenarioFileError
from finmodel.io.layout import LINES, TOP_KEYS
from finmodel.io.read_amounts import Amounts
from finmodel.io.read_correlations import read_correlations
from finmodel.io.read_lines import model_kind, read_lines, read_model, read_reserves
from finmodel.io.read_tables import read_cross_total, read_statement, read_table
from finmodel.io.scenario_file import METHODS, ScenarioFile, SimulationSettings
from finmodel.io.stress_settings import read_stress
from finmodel.io.toml_writer import show, toml_key
from finmodel.model.base import Model

__all__ = ["load", "loads"]


def loads(text: str, name: str = "<string>") -> ScenarioFile:
    """Read a scenario file from a string (``name`` labels error messages).

    Examples
    --------
    >>> import finmodel as fm
    >>> sf = fm.loads('''
    ... [model]
    ... kind = "CostBenefitCase"
    ... name = "Shared post"
    ... start = "2019/20"
    ... years = 1
    ... units = "£k"
    ... [amounts]
    ... salary = { kind = "Range", low = 117.912, high = 144.228 }
    ... [[benefit]]
    ... name = "Own post avoided"
    ... run_rate = "salary"
    ... [[cost]]
    ... name = "Half the joint post"
    ... amount = "salary / 2"
    ... recurring = true
    ... ''')
    >>> sf.evaluate("high").value("net").round(3).tolist()
    [72.114]
    """
    return _read(_parse(text, name), name, None)


def load(path: str | Path) -> ScenarioFile:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    ScenarioFile

    Raises
    ------
    ScenarioFileError
        On a TOML syntax error, an unknown key, a value of the wrong type, a reference
        to an unknown name, an expression that is not plain arithmetic, or a model that
        finmodel refuses; the message names the file, the key path and the value.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.load(fm.scenarios_folder() / "occ-mtfp-2018-22.toml")
    >>> plan.evaluate("central").table().round(1).loc["Net Pressure / (Saving)"].tolist()
    [5.8, 0.9, -1.9, -3.8, 1.0]
    """
    where = Path(path)
    try:
        raw = where.read_bytes()
    except OSError as err:
        raise ScenarioFileError(f"{path}: cannot read the file ({err.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioFileError(f"{path}: not UTF-8 text (byte {err.start})") from None
    return _read(_parse(text, str(path)), str(path), where)


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioFileError(f"{name}: TOML syntax error: {err}") from None


def _read(data: dict[str, Any], name: str, path: Path | None) -> ScenarioFile:
    """The file's sections in the order that each needs the ones before it."""
    r = Amounts(name)
    r.table(data, "", TOP_KEYS)
    model: Model | None = None
    scenarios: dict[str, Scenario] = {}
    correlations: tuple[Any, ...] = ()
    simulation = None
    stress = None
    if "model" in data:
        model_spec, kind = model_kind(r, data["model"])
        r.define(data.get("amounts", {}))
        if "rag" in data:
            r.read_rag(data["rag"])
        correlations = tuple(read_correlations(r, data.get("correlation", [])))
        lines = read_lines(r, data, kind)
        for key in r.raw:
            r.named(key)  # an amount no line uses is still read, and checked
        if "reserves_balance" in data and kind != "MTFP":
            raise r.fail("reserves_balance", f"a {kind} has no reserves; [reserves_balance] belongs to an MTFP")
        reserves = read_reserves(r, data["reserves_balance"]) if "reserves_balance" in data else None
        model = read_model(r, model_spec, kind, lines, reserves)
        scenarios = _scenarios(r, data.get("scenario", {}), model)
        simulation = _simulation(r, data["simulation"]) if "simulation" in data else None
        stress = read_stress(r, data["stress"], model) if "stress" in data else None
    else:
        for key in ("amounts", "rag", "correlation", "scenario", "simulation", "stress", "reserves_balance", *LINES):
            if key in data:
                raise r.fail(key, "needs a [model]; a file without one holds only published tables and statements")
        if "table" not in data and "statement" not in data:
            raise r.fail("", 'missing key "model" (a file without a model holds published tables or statements)')
    tables = r.each(data.get("table", []), "table", lambda t, p: read_table(r, t, p, model, scenarios))
    statements = r.each(
        data.get("statement", []), "statement", lambda s, p: read_statement(r, s, p, model, scenarios, tables)
    )
    crosses = r.each(data.get("cross_total", []), "cross_total", lambda c, p: read_cross_total(r, c, p, tables))
    default = model.name if model is not None else (tables[0].name if tables else "Statements")
    title = r.text(data.get("title", default), "title")
    return ScenarioFile(
        path,
        title,
        r.text(data.get("description", ""), "description", empty=True),
        r.text(data.get("source", ""), "source", empty=True),
        model,
        dict(r.resolved),
        tuple(tables),
        tuple(statements),
        scenarios,
        simulation,
        correlations,
        stress,
        tuple(crosses),
    )


def _scenarios(r: Amounts, value: Any, model: Model) -> dict[str, Scenario]:
    """``[scenario.<name>]``: a base case and overrides of named amounts or lines."""
    out: dict[str, Scenario] = {}
    line_names = {li.name for li in model.lines}
    leaf_names = {leaf.name for leaf in model.leaves() if leaf.name is not None}
    for name, spec in r.mapping(value, "scenario").items():
        path = f"scenario.{toml_key(name)}"
        r.table(spec, path, ("base", "overrides"))
        base = r.text(spec.get("base", "central"), f"{path}.base")
        overrides: dict[Any, Any] = {}
        for key, raw in r.mapping(spec.get("overrides", {}), f"{path}.overrides").items():
            where = f"{path}.overrides.{toml_key(key)}"
            target: Any
            if key in r.raw:
                target = r.named(key)
                if not isinstance(target, Leaf):
                    raise r.fail(where, f"{show(key)} is an expression; override the inputs it is built from")
            elif key in line_names or key in leaf_names:
                target = key
            else:
                raise r.fail(
                    where,
                    f"unknown name: neither a named amount nor a line (lines: {', '.join(map(repr, line_names))})",
                )
            overrides[target] = r.override(raw, where)
        with r.refusing(path):
            scenario = Scenario(name, overrides, base)
            scenario.values(model)
        out[name] = scenario
    return out


def _simulation(r: Amounts, spec: Any) -> SimulationSettings:
    """``[simulation]``: ``n`` trials, a ``seed`` and a ``method``."""
    r.table(spec, "simulation", ("n", "seed", "method"), ("n",))
    n = r.whole(spec["n"], "simulation.n", 1)
    seed = r.optional(spec, "simulation", "seed", lambda v, p: r.whole(v, p, 0))
    method = spec.get("method", "random")
    if method not in METHODS:
        raise r.fail("simulation.method", f'expected "random" or "lhs", got {show(method)}')
    return SimulationSettings(n, seed, method)
