"""Reading a scenario file: :func:`load` and :func:`loads`.

The file is parsed with :mod:`tomllib`, then read section by section; nothing in it is
executed. Unknown keys are errors, and every error is a :class:`ScenarioFileError`
naming the file, the key path and the bad value.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from finmodel.core.amounts import Leaf
from finmodel.core.limits import too_many_trials
from finmodel.core.names import name_key
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.io.errors import ScenarioFileError
from finmodel.io.layout import LINES, SCHEMA, TOP_KEYS
from finmodel.io.read_amounts import Amounts
from finmodel.io.read_correlations import read_correlations
from finmodel.io.read_lines import model_kind, read_lines, read_model, read_reserves
from finmodel.io.read_tables import read_cross_total, read_statement, read_table
from finmodel.io.scenario_file import METHODS, ScenarioFile, SimulationSettings
from finmodel.io.stress_settings import read_stress
from finmodel.io.toml_writer import show, toml_key
from finmodel.model.base import Model

__all__ = ["MAX_FILE_BYTES", "load", "loads"]

#: The largest scenario file read (a national model of 10,000 lines is about 2 MB).
MAX_FILE_BYTES = 32 * 1024 * 1024
_BOM = "\ufeff"  # the byte-order mark some editors on Windows put before UTF-8 text


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
    if not isinstance(text, str):
        raise ScenarioFileError(f"{name}: expected the text of a scenario file, got {type(text).__name__}")
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioFileError(f"{name}: {len(text):,} characters; a scenario file may be at most {MAX_FILE_BYTES:,}")
    return _read(_parse(text.removeprefix(_BOM), name), name, None)


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
        On a path that is not a regular file (a folder, a device such as ``/dev/zero``, a
        pipe) or a file larger than :data:`MAX_FILE_BYTES`; on a TOML syntax error, a
        file written for a newer finmodel (``schema``), an unknown key, a value of the
        wrong type, a reference to an unknown name, an expression that is not plain
        arithmetic, or a model that finmodel refuses; the message names the file, the
        key path and the value.

    Notes
    -----
    A UTF-8 byte-order mark at the start of the file (which some Windows editors write)
    is skipped. The result's ``sha256`` is the SHA-256 of the file's bytes; results of
    its :meth:`~finmodel.io.ScenarioFile.evaluate` and
    :meth:`~finmodel.io.ScenarioFile.simulate` carry it in their provenance.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.load(fm.scenarios_folder() / "occ-mtfp-2018-22.toml")
    >>> plan.evaluate("central").table().round(1).loc["Net Pressure / (Saving)"].tolist()
    [5.8, 0.9, -1.9, -3.8, 1.0]
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ScenarioFileError(f"load: path ({path!r}) must be a str or a Path")
    raw = _file_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioFileError(f"{path}: not UTF-8 text (byte {err.start})") from None
    sha256 = hashlib.sha256(raw).hexdigest()
    return _read(_parse(text.removeprefix(_BOM), str(path)), str(path), Path(path), sha256)


def _file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`.

    Opened without waiting (a pipe with no writer would block a plain ``open``), then
    checked to be a regular file before anything is read: a device such as
    ``/dev/zero`` never ends.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise ScenarioFileError(f"{path}: cannot read the file ({reason})") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device or a pipe)"
        raise ScenarioFileError(f"{path}: {what}; give the path of a scenario file (.toml)")
    with os.fdopen(handle, "rb") as stream:
        raw = stream.read(MAX_FILE_BYTES + 1) if info.st_size <= MAX_FILE_BYTES else b""
        if info.st_size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
            size = max(info.st_size, len(raw))
            raise ScenarioFileError(
                f"{path}: {size:,} bytes or more; a scenario file may be at most {MAX_FILE_BYTES:,} bytes"
            )
    return raw


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioFileError(f"{name}: TOML syntax error: {err}") from None
    except ValueError as err:  # a whole number of thousands of digits
        raise ScenarioFileError(f"{name}: TOML value not read: {str(err).split(':')[0]}") from None
    except RecursionError:
        raise ScenarioFileError(
            f"{name}: lists or tables are nested too deeply to read (a scenario file nests a few levels)"
        ) from None


def _schema(r: Amounts, data: dict[str, Any]) -> None:
    """``schema``: the version of the file format; a newer one than this finmodel reads is refused."""
    schema = data.get("schema", SCHEMA)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise r.fail("schema", f"expected a whole number >= 1 (this finmodel writes {SCHEMA}), got {show(schema)}")
    if schema > SCHEMA:
        raise r.fail(
            "schema",
            f"the file is written for a newer finmodel (schema {schema}); this finmodel reads schema "
            f"{SCHEMA} files: upgrade finmodel (pip install --upgrade finmodel) to read it",
        )


def _read(data: dict[str, Any], name: str, path: Path | None, sha256: str | None = None) -> ScenarioFile:
    """The file's sections in the order that each needs the ones before it."""
    r = Amounts(name)
    _schema(r, data)
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
        {key: r.resolved[key] for key in r.raw},  # in the file's order
        tuple(tables),
        tuple(statements),
        scenarios,
        simulation,
        correlations,
        stress,
        tuple(crosses),
        sha256,
    )


def _scenarios(r: Amounts, value: Any, model: Model) -> dict[str, Scenario]:
    """``[scenario.<name>]``: a base case and overrides of named amounts or lines."""
    out: dict[str, Scenario] = {}
    line_names = {li.name for li in model.lines}
    leaf_names = {leaf.name for leaf in model.leaves() if leaf.name is not None}
    cases = {name_key(case): case for case in BASE_CASES}
    seen: dict[str, str] = {}
    for name, spec in r.mapping(value, "scenario").items():
        path = f"scenario.{toml_key(name)}"
        key = name_key(name)
        if key in cases:  # "low" in a file would differ from `finmodel run --scenario low` and fm.evaluate
            raise r.fail(
                path,
                f"a scenario cannot be called {show(name)}: that names the case {cases[key]!r} "
                "(every input at its low, central, high, worst or best value); choose another name",
            )
        if key in seen:
            raise r.fail(path, f"{show(name)} looks alike the scenario {show(seen[key])} (the same letters in another form); "
                "choose another name")
        seen[key] = name
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
    reason = too_many_trials(n)  # refused before anything is allocated
    if reason is not None:
        raise r.fail("simulation.n", f"{n:,} is {reason}")
    seed = r.optional(spec, "simulation", "seed", lambda v, p: r.whole(v, p, 0))
    method = spec.get("method", "random")
    if method not in METHODS:
        raise r.fail("simulation.method", f'expected "random" or "lhs", got {show(method)}')
    return SimulationSettings(n, seed, method)
