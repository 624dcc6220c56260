"""Scenario files: a whole model, its sources and its published tables, in TOML.

``load(path)`` reads a file into a :class:`ScenarioFile`; ``dump(obj, path)`` writes a
model or a scenario file back. The format is described key by key in
``docs/scenario-files.md``; in brief::

    title = "OCC case for change (January 2018)"
    source = "002_90ddc037a457842c.txt:1551-1640"

    [model]
    kind = "CostBenefitCase"           # or "MTFP"
    name = "OCC case for change"
    start = "2018/19"
    years = 4
    units = "£m"

    [amounts]                          # named amounts, shared wherever they are used
    quick_wins = { kind = "Range", low = 8, high = 17 }

    [[benefit]]
    name = "Quick wins"
    run_rate = "quick_wins"            # a name, or an expression: "a - b", "spend * rate"
    profile = { increments = [2, 13, 13, 5] }

    [[cost]]
    name = "Implementation"
    amounts = [3, 8, 5, 1]

Reading never executes anything from the file: expressions are parsed with :mod:`ast`
and only numbers, names, ``+ - * /``, unary minus and parentheses are accepted; the
amounts are then built with finmodel's own arithmetic. Every error is a
:class:`ScenarioFileError` naming the file, the key path and the bad value::

    scenarios/x.toml: benefit[2].run_rate.low: expected a number, got "21m"

List positions in key paths count from 0, as in Python.

The shared-draw rule
--------------------
A named amount (a key of ``[amounts]``) is ONE object however many lines use it, so
every use sees the same draw in a trial. Two inline tables with equal parameters are
two independent amounts.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finmodel.analysis.reconcile import CheckReport, check
from finmodel.core.amounts import CASES, Amount, Expr, Fixed, Leaf
from finmodel.core.correlation import Correlated, correlate
from finmodel.core.distributions import PERT, Beta, Chance, LogNormal, Normal, Range, Triangular, Uniform
from finmodel.core.errors import FinmodelError
from finmodel.core.money import check_units
from finmodel.core.profiles import Profile
from finmodel.core.years import Timeline, parse_year
from finmodel.engine.results import Evaluation, Simulation
from finmodel.engine.run import evaluate, simulate
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import (
    Benefit,
    Cost,
    Funding,
    Investment,
    Line,
    Pressure,
    Reprofile,
    Reserves,
    Saving,
)
from finmodel.model.plans import MTFP
from finmodel.model.published import PublishedRow, PublishedTable, Reproduction, Statement, Total

__all__ = [
    "BundledScenario",
    "Correlation",
    "ScenarioFile",
    "ScenarioFileError",
    "SimulationSettings",
    "bundled",
    "dump",
    "dumps",
    "load",
    "loads",
    "scenarios_folder",
]


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


# -- the parts of a file ------------------------------------------------------------------
@dataclass(frozen=True)
class SimulationSettings:
    """How a file asks to be simulated: ``n`` trials, a ``seed``, a ``method``.

    Examples
    --------
    >>> SimulationSettings(100_000, 2018).method
    'random'
    """

    n: int
    seed: int | None = None
    method: str = "random"

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1:
            raise FinmodelError(f"SimulationSettings: n ({self.n!r}) must be a whole number of trials >= 1")
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0
        ):
            raise FinmodelError(f"SimulationSettings: seed ({self.seed!r}) must be a whole number >= 0")
        if self.method not in ("random", "lhs"):
            raise FinmodelError(f"SimulationSettings: method ({self.method!r}) must be 'random' or 'lhs'")


@dataclass(frozen=True)
class Correlation:
    """A rank correlation applied on load: the named amounts and their Spearman matrix.

    Examples
    --------
    >>> Correlation(("demand", "cost"), ((1.0, 0.6), (0.6, 1.0))).amounts
    ('demand', 'cost')
    """

    amounts: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded scenario file: the model, its sources, tables, statements and scenarios.

    Attributes
    ----------
    path : Path or None
        Where it was read from (None for :func:`loads`).
    title, description, source : str
        What it is, in a line; more words; the citation of the paper.
    model : MTFP or CostBenefitCase
        The model, with correlations applied to its inputs.
    amounts : mapping of str to Amount
        The named amounts of ``[amounts]``, by name (a plain number is a
        :class:`~finmodel.core.amounts.Fixed`).
    tables : tuple of PublishedTable
    statements : tuple of Statement
    scenarios : mapping of str to Scenario
    simulation : SimulationSettings or None
    correlations : tuple of Correlation

    Examples
    --------
    >>> import finmodel as fm
    >>> occ = fm.load(fm.scenarios_folder() / "occ-case-for-change-2018.toml")
    >>> occ.evaluate("low").run_rate, occ.evaluate("high").run_rate
    (33.0, 58.0)
    >>> occ.amounts["operating_model_minimum"].case("low")  # 29-22 + 33-32 + 34-26 + 25-23 + 24-21
    21.0
    >>> len(occ.check().findings)
    8
    """

    path: Path | None
    title: str
    description: str
    source: str
    model: Model
    amounts: Mapping[str, Amount] = field(default_factory=dict)
    tables: tuple[PublishedTable, ...] = ()
    statements: tuple[Statement, ...] = ()
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    simulation: SimulationSettings | None = None
    correlations: tuple[Correlation, ...] = ()

    def scenario(self, name: str) -> str | Scenario:
        """A named scenario of this file, or a case name (``"low"``, ``"worst"``, ...)."""
        if name in self.scenarios:
            return self.scenarios[name]
        if name in BASE_CASES:
            return name
        known = ", ".join(map(repr, [*BASE_CASES, *self.scenarios]))
        raise FinmodelError(f"{self.title}: no scenario called {name!r} (scenarios: {known})")

    def evaluate(self, scenario: str = "central") -> Evaluation:
        """Evaluate the model under a case or one of the file's named scenarios."""
        return evaluate(self.model, self.scenario(scenario))

    def simulate(self, **kwargs: Any) -> Simulation:
        """Simulate with the file's settings (``n``, ``seed``, ``method``); keywords override them."""
        settings = self.simulation or SimulationSettings(10_000)
        options: dict[str, Any] = {"n": settings.n, "seed": settings.seed, "method": settings.method}
        options.update(kwargs)
        return simulate(self.model, **options)

    def check(self) -> CheckReport:
        """Check the file's tables and statements (see :func:`finmodel.analysis.reconcile.check`)."""
        return check(self)


# -- messages --------------------------------------------------------------------------------
def _toml_string(text: str, *, multiline: bool = False) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif multiline and ch == "\n":
            out.append(ch)
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ScenarioFileError(f"text {text!r} holds a lone surrogate, which a file cannot store")
        else:
            out.append(ch)
    if multiline:
        return '"""\n' + "".join(out) + '"""'
    return '"' + "".join(out) + '"'


def _show(value: Any) -> str:
    """A value as it looks in the file, shortened for a message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = _toml_string(value)
    elif isinstance(value, (int, float)):
        text = _number(value)
    elif isinstance(value, dict):
        text = "a table {" + ", ".join(map(str, value)) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- reading -----------------------------------------------------------------------------------
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_EXPRESSION = 2_000
_MAX_DEPTH = 64

# kind -> (class, required parameters, optional parameters)
_LEAVES: dict[str, tuple[type[Leaf], tuple[str, ...], tuple[str, ...]]] = {
    "Range": (Range, ("low", "high"), ("central", "dist")),
    "Uniform": (Uniform, ("low", "high"), ()),
    "Triangular": (Triangular, ("low", "mode", "high"), ()),
    "PERT": (PERT, ("low", "mode", "high"), ("lamb",)),
    "Normal": (Normal, ("mean", "sd"), ()),
    "LogNormal": (LogNormal, ("mu", "sigma"), ()),
    "Beta": (Beta, ("a", "b"), ()),
    "Chance": (Chance, ("p",), ()),
    "Fixed": (Fixed, ("value",), ()),
}

_COMMON_LINE_KEYS = ("name", "amounts", "delay", "category", "owner")
# section -> (class, model kind, the single-amount key, further keys)
_LINES: dict[str, tuple[type[Line], str, str | None, tuple[str, ...]]] = {
    "pressure": (Pressure, "MTFP", "amount", ("profile", "recurring")),
    "investment": (Investment, "MTFP", "amount", ("profile", "recurring")),
    "saving": (Saving, "MTFP", "amount", ("profile", "recurring", "delivery")),
    "reprofile": (Reprofile, "MTFP", None, ()),
    "funding": (Funding, "MTFP", "amount", ("profile", "basis")),
    "reserves": (Reserves, "MTFP", "amount", ("recurring",)),
    "benefit": (Benefit, "CostBenefitCase", "run_rate", ("profile", "recurring", "delivery")),
    "cost": (Cost, "CostBenefitCase", "amount", ("profile", "recurring")),
}
_SECTION_OF = {cls.kind: section for section, (cls, *_rest) in _LINES.items()}
_TOP_KEYS = (
    "title",
    "description",
    "source",
    "model",
    "amounts",
    *_LINES,
    "correlation",
    "scenario",
    "simulation",
    "table",
    "statement",
)
_MODEL_KEYS = {
    "MTFP": ("kind", "name", "start", "years", "units", "base_budget", "order"),
    "CostBenefitCase": ("kind", "name", "start", "years", "units", "discount_rate", "first_year"),
}
_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


class _Reader:
    """Reads the parsed TOML of one file; every error names the file and the key path."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.raw: dict[str, Any] = {}
        self.resolved: dict[str, Amount] = {}
        self._resolving: list[str] = []

    def fail(self, path: str, message: str) -> ScenarioFileError:
        return ScenarioFileError(f"{self.name}: {path}: {message}" if path else f"{self.name}: {message}")

    # -- plain values -----------------------------------------------------------------
    def table(
        self, value: Any, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a table, got {_show(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(
                    f"{path}.{key}" if path else key,
                    f"unknown key (expected one of: {', '.join(allowed)})",
                )
        for key in required:
            if key not in value:
                raise self.fail(path, f'missing key "{key}"')
        return value

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        """A table whose keys are names chosen by the file (amounts, scenarios, overrides)."""
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a table, got {_show(value)}")
        return value

    def text(self, value: Any, path: str, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(
                path, f"expected {'a string' if empty else 'a non-empty string'}, got {_show(value)}"
            )
        return value

    def number(self, value: Any, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(path, f"expected a number, got {_show(value)}")
        if not math.isfinite(value):
            raise self.fail(path, f"expected a finite number, got {_show(value)}")
        return float(value)

    def whole(self, value: Any, path: str, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(path, f"expected a whole number >= {minimum}, got {_show(value)}")
        return value

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {_show(value)}")
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, got {_show(value)}")
        return value

    def labels(self, value: Any, path: str) -> list[str]:
        return [self.text(v, f"{path}[{i}]") for i, v in enumerate(self.array(value, path))]

    def year(self, value: Any, path: str) -> str:
        try:
            start = parse_year(value)
        except FinmodelError:
            raise self.fail(
                path, f'expected a financial year such as "2018/19" or "18/19", got {_show(value)}'
            ) from None
        return f"{start}/{(start + 1) % 100:02d}"

    def rounding(self, value: Any, path: str) -> int | None:
        if value == "exact" and isinstance(value, str):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f'expected a whole number of decimal places or "exact", got {_show(value)}')
        return value

    # -- amounts ----------------------------------------------------------------------
    def amount(self, value: Any, path: str) -> Amount | float:
        """A number, a name or expression (a string), or an amount table."""
        if isinstance(value, bool):
            raise self.fail(path, f"expected a number, got {_show(value)}")
        if isinstance(value, (int, float)):
            return self.number(value, path)
        if isinstance(value, str):
            return self.expression(value, path)
        if isinstance(value, dict):
            return self.amount_table(value, path, None)
        raise self.fail(
            path, f"expected a number, a name, an expression or a distribution table, got {_show(value)}"
        )

    def amount_table(self, value: dict[str, Any], path: str, key: str | None) -> Amount | float:
        if "expr" in value:
            self.table(value, path, ("expr", "name"))
            result = self.expression(self.text(value["expr"], f"{path}.expr"), f"{path}.expr")
            name = self.text(value["name"], f"{path}.name") if "name" in value else key
            if isinstance(result, Expr):
                return result if name is None else result.named(name)
            if isinstance(result, float):
                return result if name is None else Fixed(result, name=name)
            if "name" in value:
                raise self.fail(
                    f"{path}.name", "an alias of another named amount cannot have a name of its own"
                )
            return result
        if "kind" not in value:
            raise self.fail(
                path, 'an amount table needs kind = "Range" (or another distribution) or expr = "..."'
            )
        kind = value["kind"]
        if kind not in _LEAVES:
            raise self.fail(f"{path}.kind", f"expected one of {', '.join(_LEAVES)}, got {_show(kind)}")
        cls, required, optional = _LEAVES[kind]
        by_interval = kind == "LogNormal" and ("p5" in value or "p95" in value)
        if by_interval:
            required, optional = ("p5", "p95"), ()
        self.table(value, path, ("kind", *required, *optional, "name"), required)
        name = self.text(value["name"], f"{path}.name") if "name" in value else key
        params: dict[str, Any] = {}
        for k in (*required, *optional):
            if k in value:
                params[k] = (
                    self.text(value[k], f"{path}.{k}")
                    if k == "dist"
                    else self.number(value[k], f"{path}.{k}")
                )
        try:
            if by_interval:
                return LogNormal.from_interval(params["p5"], params["p95"], name=name)
            return cls(**params, name=name)
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None

    def named(self, key: str) -> Amount:
        """The named amount ``key`` of ``[amounts]``, built once (the shared-draw rule)."""
        if key in self.resolved:
            return self.resolved[key]
        if key in self._resolving:
            loop = " -> ".join([*self._resolving[self._resolving.index(key) :], key])
            raise self.fail(f"amounts.{key}", f"circular reference: {loop}")
        self._resolving.append(key)
        try:
            raw, path = self.raw[key], f"amounts.{key}"
            result: Amount | float
            if isinstance(raw, dict):
                result = self.amount_table(raw, path, key)
            else:
                result = self.amount(raw, path)
                if isinstance(result, Expr):
                    result = result.named(key)
            if not isinstance(result, Amount):
                result = Fixed(result, name=key)
        finally:
            self._resolving.pop()
        self.resolved[key] = result
        return result

    def expression(self, text: str, path: str) -> Amount | float:
        """Parse ``text`` with :mod:`ast` and build it from allowed nodes only (nothing is executed)."""
        if len(text) > _MAX_EXPRESSION:
            raise self.fail(path, f"expression is longer than {_MAX_EXPRESSION} characters")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            raise self.fail(
                path, f'expected a number, a name or an expression such as "a - b", got {_show(text)}'
            ) from None
        return self._build(tree.body, text, path, 0)

    def _build(self, node: ast.AST, text: str, path: str, depth: int) -> Amount | float:
        where = f"in {_show(text)}"
        if depth > _MAX_DEPTH:
            raise self.fail(path, f"expression is nested more than {_MAX_DEPTH} deep {where}")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise self.fail(path, f"{_show(node.value)} is not a number {where}")
            try:
                value = float(node.value)
            except OverflowError:
                raise self.fail(path, f"number too large {where}") from None
            if not math.isfinite(value):
                raise self.fail(path, f"number is not finite {where}")
            return value
        if isinstance(node, ast.Name):
            if node.id not in self.raw:
                known = ", ".join(self.raw) or "none"
                raise self.fail(path, f"unknown name '{node.id}' {where} (names in [amounts]: {known})")
            return self.named(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._build(node.operand, text, path, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left = self._build(node.left, text, path, depth + 1)
            right = self._build(node.right, text, path, depth + 1)
            if isinstance(node.op, ast.Div) and not isinstance(right, Amount) and right == 0:
                raise self.fail(path, f"division by zero {where}")
            try:
                result = _BINOPS[type(node.op)](left, right)
            except (ZeroDivisionError, OverflowError, FinmodelError) as err:
                raise self.fail(path, f"{err} {where}") from None
            if isinstance(result, float) and not math.isfinite(result):
                raise self.fail(path, f"result is not finite {where}")
            return result
        refused = {
            ast.Call: "function calls are not allowed",
            ast.Attribute: "attribute access is not allowed",
            ast.Subscript: "indexing is not allowed",
        }
        what = refused.get(type(node), f"{type(node).__name__} is not allowed")
        raise self.fail(path, f"{what} {where}; use numbers, names, + - * / and parentheses")

    # -- the file ---------------------------------------------------------------------------
    def read(self, data: dict[str, Any], path: Path | None) -> ScenarioFile:
        self.table(data, "", _TOP_KEYS, ("model",))
        model_spec = self.mapping(data["model"], "model")
        if "kind" not in model_spec:
            raise self.fail("model", 'missing key "kind"')
        kind = model_spec["kind"]
        if kind not in _MODEL_KEYS:
            raise self.fail("model.kind", f'expected "MTFP" or "CostBenefitCase", got {_show(kind)}')
        self.table(model_spec, "model", _MODEL_KEYS[kind], ("kind", "name", "start", "years"))
        amounts = self.mapping(data.get("amounts", {}), "amounts")
        for key in amounts:
            if not _NAME.match(key) or keyword.iskeyword(key):
                raise self.fail(
                    f"amounts.{_key(key)}",
                    "not a valid name (use letters, digits and _, not starting with a digit)",
                )
        self.raw = dict(amounts)
        correlations = self.correlations(data.get("correlation", []))
        lines = self.lines(data, kind)
        for key in self.raw:
            self.named(key)
        model = self.model(model_spec, kind, lines)
        scenarios = self.scenarios(data.get("scenario", {}), model)
        simulation = self.simulation(data["simulation"]) if "simulation" in data else None
        tables = tuple(
            self.published(t, f"table[{i}]", model, scenarios)
            for i, t in enumerate(self.array(data.get("table", []), "table"))
        )
        statements = tuple(
            self.statement(s, f"statement[{i}]", model, scenarios)
            for i, s in enumerate(self.array(data.get("statement", []), "statement"))
        )
        title = self.text(data.get("title", model.name), "title")
        return ScenarioFile(
            path,
            title,
            self.text(data.get("description", ""), "description", empty=True),
            self.text(data.get("source", ""), "source", empty=True),
            model,
            dict(self.resolved),
            tables,
            statements,
            scenarios,
            simulation,
            correlations,
        )

    def correlations(self, value: Any) -> tuple[Correlation, ...]:
        out = []
        for i, spec in enumerate(self.array(value, "correlation")):
            path = f"correlation[{i}]"
            self.table(spec, path, ("amounts", "matrix"), ("amounts", "matrix"))
            names = self.labels(spec["amounts"], f"{path}.amounts")
            leaves = []
            for j, key in enumerate(names):
                if key not in self.raw:
                    raise self.fail(
                        f"{path}.amounts[{j}]",
                        f"unknown name {_show(key)} (names in [amounts]: {', '.join(self.raw)})",
                    )
                if key in self.resolved and isinstance(self.resolved[key], Correlated):
                    raise self.fail(f"{path}.amounts[{j}]", f"{_show(key)} is already correlated")
                raw = self.raw[key]
                if isinstance(raw, bool) or not (
                    isinstance(raw, (int, float)) or (isinstance(raw, dict) and "kind" in raw)
                ):
                    raise self.fail(
                        f"{path}.amounts[{j}]",
                        f"{_show(key)} is not a distribution or a number; correlate the inputs an expression is built from",
                    )
                leaf = self.named(key)
                assert isinstance(leaf, Leaf)
                leaves.append(leaf)
            rows = self.array(spec["matrix"], f"{path}.matrix")
            matrix = tuple(
                tuple(
                    self.number(x, f"{path}.matrix[{r}][{c}]")
                    for c, x in enumerate(self.array(row, f"{path}.matrix[{r}]"))
                )
                for r, row in enumerate(rows)
            )
            try:
                members = correlate(leaves, [list(r) for r in matrix])
            except FinmodelError as err:
                raise self.fail(path, str(err)) from None
            for key, member in zip(names, members, strict=True):
                self.resolved[key] = member
            out.append(Correlation(tuple(names), matrix))
        return tuple(out)

    def lines(self, data: dict[str, Any], kind: str) -> list[Line]:
        out: list[Line] = []
        for section in data:
            if section not in _LINES:
                continue
            _cls, model_kind, _single, _keys = _LINES[section]
            if model_kind != kind:
                sections = [s for s, spec in _LINES.items() if spec[1] == kind]
                raise self.fail(
                    section, f"a {kind} takes {', '.join(f'[[{s}]]' for s in sections)}, not [[{section}]]"
                )
            for i, spec in enumerate(self.array(data[section], section)):
                out.append(self.line(section, spec, f"{section}[{i}]"))
        return out

    def line(self, section: str, spec: Any, path: str) -> Line:
        cls, _kind, single, extra = _LINES[section]
        allowed = (*(["name", single] if single else ["name"]), *_COMMON_LINE_KEYS[1:], *extra)
        self.table(spec, path, allowed, ("name",))
        name = self.text(spec["name"], f"{path}.name")
        if single is not None and single in spec and "amounts" in spec:
            raise self.fail(
                path,
                f'give "{single}" (one amount, phased by a profile) or "amounts" (one per year), not both',
            )
        amount: Any
        if single is not None and single in spec:
            amount = self.amount(spec[single], f"{path}.{single}")
        elif "amounts" in spec:
            amount = [
                self.amount(v, f"{path}.amounts[{j}]")
                for j, v in enumerate(self.array(spec["amounts"], f"{path}.amounts"))
            ]
        else:
            wanted = '"amounts"' if single is None else f'"{single}" or "amounts"'
            raise self.fail(path, f"missing key {wanted}")
        kwargs: dict[str, Any] = {}
        for key in ("category", "owner", "basis"):
            if key in spec:
                kwargs[key] = self.text(spec[key], f"{path}.{key}")
        if "recurring" in spec:
            kwargs["recurring"] = self.flag(spec["recurring"], f"{path}.recurring")
        if "delivery" in spec:
            kwargs["delivery"] = self.amount(spec["delivery"], f"{path}.delivery")
        if "profile" in spec:
            kwargs["profile"] = self.profile(spec["profile"], f"{path}.profile")
        delay = self.amount(spec["delay"], f"{path}.delay") if "delay" in spec else None
        if delay is not None and section in ("saving", "benefit"):
            kwargs["delay"] = delay
        try:
            line = cls(name, amount, **kwargs)  # type: ignore[call-arg]
            if delay is not None and section not in ("saving", "benefit"):
                line = line.delayed(delay)
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None
        return line

    def profile(self, spec: Any, path: str) -> Profile:
        self.table(spec, path, ("increments", "cumulative", "immediate", "delay"))
        forms = [k for k in ("increments", "cumulative", "immediate") if k in spec]
        if len(forms) != 1:
            raise self.fail(path, 'give exactly one of "increments", "cumulative" or "immediate"')
        form = forms[0]
        try:
            if form == "immediate":
                if spec[form] is not True:
                    raise self.fail(f"{path}.immediate", f"expected true, got {_show(spec[form])}")
                profile = Profile.immediate()
            else:
                values = [
                    self.number(v, f"{path}.{form}[{i}]")
                    for i, v in enumerate(self.array(spec[form], f"{path}.{form}"))
                ]
                profile = Profile.increments(values) if form == "increments" else Profile.cumulative(values)
            if "delay" in spec:
                profile = profile.delay(self.amount(spec["delay"], f"{path}.delay"))
        except ScenarioFileError:
            raise
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None
        return profile

    def model(self, spec: dict[str, Any], kind: str, lines: list[Line]) -> Model:
        name = self.text(spec["name"], "model.name")
        start = self.year(spec["start"], "model.start")
        length = self.whole(spec["years"], "model.years", 1)
        units = self.text(spec.get("units", "£m"), "model.units")
        try:
            check_units(units, "units")
        except FinmodelError:
            raise self.fail(
                "model.units", f'expected one of "£", "£k", "£m", "£bn", got {_show(units)}'
            ) from None
        timeline = Timeline(start, length)
        try:
            if kind == "MTFP":
                base = (
                    self.number(spec["base_budget"], "model.base_budget") if "base_budget" in spec else None
                )
                if "order" in spec:
                    lines = self.ordered(lines, self.labels(spec["order"], "model.order"))
                return MTFP(name, timeline, lines, units, base)
            rate = (
                self.number(spec["discount_rate"], "model.discount_rate") if "discount_rate" in spec else None
            )
            first = self.text(spec.get("first_year", "undiscounted"), "model.first_year")
            benefits = [li for li in lines if isinstance(li, Benefit)]
            costs = [li for li in lines if isinstance(li, Cost)]
            return CostBenefitCase(name, timeline, benefits, costs, units, rate, first)  # type: ignore[arg-type]
        except ScenarioFileError:
            raise
        except FinmodelError as err:
            raise self.fail("model", str(err)) from None

    def ordered(self, lines: list[Line], order: list[str]) -> list[Line]:
        by_name = {li.name: li for li in lines}
        if sorted(order) != sorted(by_name) or len(set(order)) != len(order):
            raise self.fail(
                "model.order", f"must list every line name once; lines are {', '.join(map(repr, by_name))}"
            )
        return [by_name[n] for n in order]

    def scenarios(self, value: Any, model: Model) -> dict[str, Scenario]:
        out: dict[str, Scenario] = {}
        line_names = {li.name for li in model.lines}
        leaf_names = {leaf.name for leaf in model.leaves() if leaf.name is not None}
        for name, spec in self.mapping(value, "scenario").items():
            path = f"scenario.{_key(name)}"
            self.table(spec, path, ("base", "overrides"))
            base = self.text(spec.get("base", "central"), f"{path}.base")
            overrides: dict[Any, Any] = {}
            for key, raw in self.mapping(spec.get("overrides", {}), f"{path}.overrides").items():
                where = f"{path}.overrides.{_key(key)}"
                target: Any
                if key in self.raw:
                    target = self.named(key)
                    if not isinstance(target, Leaf):
                        raise self.fail(
                            where, f"{_show(key)} is an expression; override the inputs it is built from"
                        )
                elif key in line_names or key in leaf_names:
                    target = key
                else:
                    raise self.fail(
                        where,
                        f"unknown name: neither a named amount nor a line (lines: {', '.join(map(repr, line_names))})",
                    )
                overrides[target] = self.override(raw, where)
            try:
                scenario = Scenario(name, overrides, base)
                scenario.values(model)
            except FinmodelError as err:
                raise self.fail(path, str(err)) from None
            out[name] = scenario
        return out

    def override(self, raw: Any, path: str) -> Any:
        if isinstance(raw, str) and raw in CASES:
            return raw
        if isinstance(raw, list):
            return [self.amount(v, f"{path}[{i}]") for i, v in enumerate(raw)]
        return self.amount(raw, path)

    def simulation(self, spec: Any) -> SimulationSettings:
        self.table(spec, "simulation", ("n", "seed", "method"), ("n",))
        n = self.whole(spec["n"], "simulation.n", 1)
        seed = self.whole(spec["seed"], "simulation.seed", 0) if "seed" in spec else None
        method = spec.get("method", "random")
        if method not in ("random", "lhs"):
            raise self.fail("simulation.method", f'expected "random" or "lhs", got {_show(method)}')
        return SimulationSettings(n, seed, method)

    def known_scenario(self, name: str, path: str, scenarios: Mapping[str, Scenario]) -> str:
        if name not in BASE_CASES and name not in scenarios:
            known = ", ".join(map(repr, [*BASE_CASES, *scenarios]))
            raise self.fail(path, f"unknown scenario {_show(name)} (scenarios: {known})")
        return name

    def published(
        self, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario]
    ) -> PublishedTable:
        keys = ("name", "source", "units", "columns", "rounding", "note", "row", "total", "reproduces")
        self.table(spec, path, keys, ("name", "source", "columns", "row"))
        columns = self.labels(spec["columns"], f"{path}.columns")
        rows = []
        for i, row in enumerate(self.array(spec["row"], f"{path}.row")):
            where = f"{path}.row[{i}]"
            self.table(row, where, ("label", "values", "source"), ("label", "values"))
            values: list[float | None] = []
            for j, v in enumerate(self.array(row["values"], f"{where}.values")):
                if v == "-" and isinstance(v, str):
                    values.append(None)
                else:
                    values.append(self.number(v, f"{where}.values[{j}]"))
            source = self.text(row.get("source", ""), f"{where}.source", empty=True)
            rows.append(PublishedRow(self.text(row["label"], f"{where}.label"), tuple(values), source))
        rounding: Any = 0
        if "rounding" in spec:
            raw = spec["rounding"]
            if isinstance(raw, dict):
                rounding = {k: self.rounding(v, f"{path}.rounding.{_key(k)}") for k, v in raw.items()}
            else:
                rounding = self.rounding(raw, f"{path}.rounding")
        totals = [
            self.total(t, f"{path}.total[{i}]")
            for i, t in enumerate(self.array(spec.get("total", []), f"{path}.total"))
        ]
        reproduces = None
        if "reproduces" in spec:
            reproduces = self.reproduction(
                spec["reproduces"], f"{path}.reproduces", model, scenarios, columns
            )
        units = self.text(spec["units"], f"{path}.units") if "units" in spec else None
        try:
            return PublishedTable(
                self.text(spec["name"], f"{path}.name"),
                self.text(spec["source"], f"{path}.source", empty=True),
                tuple(columns),
                tuple(rows),
                tuple(totals),
                rounding,
                self.text(spec.get("note", ""), f"{path}.note", empty=True),
                units,
                reproduces,
            )
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None

    def total(self, spec: Any, path: str) -> Total:
        self.table(
            spec, path, ("row", "column", "of", "minus", "over", "scale", "running", "within"), ("of",)
        )
        kwargs: dict[str, Any] = {}
        for key in ("row", "column"):
            if key in spec:
                kwargs[key] = self.text(spec[key], f"{path}.{key}")
        for key in ("of", "minus", "over", "within"):
            if key in spec:
                kwargs[key] = tuple(self.labels(spec[key], f"{path}.{key}"))
        if "scale" in spec:
            kwargs["scale"] = self.number(spec["scale"], f"{path}.scale")
        if "running" in spec:
            kwargs["running"] = self.flag(spec["running"], f"{path}.running")
        try:
            return Total(**kwargs)
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None

    def reproduction(
        self, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario], columns: list[str]
    ) -> Reproduction:
        self.table(spec, path, ("scenario", "basis", "rows"), ("scenario",))
        scenario = self.known_scenario(
            self.text(spec["scenario"], f"{path}.scenario"), f"{path}.scenario", scenarios
        )
        basis = None
        if "basis" in spec:
            basis = self.text(spec["basis"], f"{path}.basis")
            if basis not in model.views():
                raise self.fail(
                    f"{path}.basis",
                    f"expected one of {', '.join(map(_show, model.views()))}, got {_show(basis)}",
                )
        for column in columns:
            if column.strip().lower() != "total":
                label = self.year(column, f"{path} (column {_show(column)})")
                if label not in model.timeline.labels:
                    raise self.fail(path, f"column {_show(column)} is not a year of the model's timeline")
        raw_rows = self.mapping(spec.get("rows", {}), f"{path}.rows")
        rows = {k: self.text(v, f"{path}.rows.{_key(k)}") for k, v in raw_rows.items()}
        return Reproduction(scenario, basis, rows)

    def statement(self, spec: Any, path: str, model: Model, scenarios: Mapping[str, Scenario]) -> Statement:
        keys = ("text", "value", "source", "metric", "year", "scenario", "basis", "units", "rounding")
        self.table(spec, path, keys, ("text", "value", "source", "metric"))
        metric = self.text(spec["metric"], f"{path}.metric")
        if metric.startswith("line:"):
            if metric[5:] not in {li.name for li in model.lines}:
                raise self.fail(
                    f"{path}.metric", f"{model.describe()} has no line called {_show(metric[5:])}"
                )
            per_year = True
        elif metric in model.METRICS:
            per_year = model.METRICS[metric][0]
        else:
            known = ", ".join(model.METRICS)
            raise self.fail(
                f"{path}.metric", f'expected one of {known} or "line:<line name>", got {_show(metric)}'
            )
        year = None
        if "year" in spec:
            if not per_year:
                raise self.fail(
                    f"{path}.year", f"{_show(metric)} has one value, not one per year; leave out year"
                )
            year = spec["year"] if spec["year"] == "total" else self.year(spec["year"], f"{path}.year")
            if year != "total" and year not in model.timeline.labels:
                raise self.fail(
                    f"{path}.year", f"{_show(spec['year'])} is not on the model's timeline {model.timeline!r}"
                )
        elif per_year:
            raise self.fail(path, f'{_show(metric)} has a value per year: give year = "2018/19" or "total"')
        value = spec["value"]
        if isinstance(value, str):
            value = self.year(value, f"{path}.value")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{path}.value", f"expected a number or a financial year, got {_show(value)}")
        else:
            self.number(value, f"{path}.value")  # finite; the int or float kind sets the stated precision
        scenario = self.known_scenario(
            self.text(spec.get("scenario", "central"), f"{path}.scenario"), f"{path}.scenario", scenarios
        )
        rounding = self.rounding(spec["rounding"], f"{path}.rounding") if "rounding" in spec else None
        try:
            return Statement(
                self.text(spec["text"], f"{path}.text"),
                value,
                self.text(spec["source"], f"{path}.source", empty=True),
                metric,
                year,
                scenario,
                self.text(spec["basis"], f"{path}.basis") if "basis" in spec else None,
                self.text(spec["units"], f"{path}.units") if "units" in spec else None,
                rounding,
            )
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None


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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioFileError(f"{name}: TOML syntax error: {err}") from None
    return _Reader(name).read(data, None)


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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioFileError(f"{path}: TOML syntax error: {err}") from None
    return _Reader(str(path)).read(data, where)


# -- writing -----------------------------------------------------------------------------------
def _number(x: float | int) -> str:
    if isinstance(x, bool):
        raise ScenarioFileError(f"cannot write {x!r} as a number")
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        raise ScenarioFileError(f"cannot write the non-finite number {x!r}")
    if x.is_integer() and abs(x) < 1e15 and not (x == 0 and math.copysign(1.0, x) < 0):
        return str(int(x))
    return repr(x)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _value(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return _number(x)
    if isinstance(x, str):
        return _toml_string(x)
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in x) + "]"
    if isinstance(x, _Raw):
        return x.text
    if isinstance(x, dict):
        return _inline(x)
    raise ScenarioFileError(f"cannot write {x!r}")


def _inline(items: Mapping[str, Any]) -> str:
    if not items:
        return "{}"
    return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in items.items()) + " }"


@dataclass(frozen=True)
class _Raw:
    """Text already in TOML form."""

    text: str


def _multiline(text: str) -> str:
    return _toml_string(text, multiline="\n" in text)


def _slug(name: str) -> str:
    if _NAME.match(name) and not keyword.iskeyword(name):
        return name
    key = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_").lower() or "amount"
    if key[0].isdigit():
        key = "n_" + key
    return key + "_" if keyword.iskeyword(key) else key


class _Writer:
    """Writes a scenario file: names shared amounts, then lays out the sections."""

    def __init__(self, sf: ScenarioFile) -> None:
        self.sf = sf
        self.order: dict[Amount, None] = {}  # hoisted amounts, dependencies first
        self.uses: dict[Amount, int] = {}
        self.forced: set[Amount] = set()
        self.seen: set[Amount] = set()
        self.keys: dict[Amount, str] = {}
        self.aliases: list[tuple[str, str]] = []
        self._plan()

    # -- naming ---------------------------------------------------------------------------
    def _walk(self, x: Any, inside: bool) -> None:
        if isinstance(x, (list, tuple)):
            for item in x:
                self._walk(item, inside)
            return
        if not isinstance(x, Amount):
            return
        if isinstance(x, Leaf):
            self.uses[x] = self.uses.get(x, 0) + 1
            if inside:
                self.forced.add(x)
            if isinstance(x, Correlated):
                for member in x.group.members:
                    self.forced.add(member)
                    self.order.setdefault(member)
            self.order.setdefault(x)
            return
        if isinstance(x, Expr):
            if x not in self.seen:
                self.seen.add(x)
                self._walk(x.left, True)
                self._walk(x.right, True)
            if x.name is not None:
                self.forced.add(x)
            self.order.setdefault(x)

    def _plan(self) -> None:
        sf = self.sf
        for amount in sf.amounts.values():
            self._walk(amount, False)
            self.forced.add(amount)
        for line in sf.model.lines:
            self._walk(line.amounts_list, False)
            self._walk(line.delivery, False)
            self._walk(line.delay, False)
            if line.profile is not None:
                self._walk(line.profile.delay_years, False)
        for scenario in sf.scenarios.values():
            for key, value in scenario.overrides.items():
                if isinstance(key, Leaf):
                    self._walk(key, False)
                    self.forced.add(key)
                self._walk(value, False)
        taken: set[str] = set()
        for key, amount in sf.amounts.items():
            if amount in self.keys:
                self.aliases.append((key, self.keys[amount]))
            else:
                self.keys[amount] = key
            taken.add(key)
        counter = 0
        for amount in self.order:
            if amount in self.keys or not self._hoisted(amount):
                continue
            name = amount.name
            if name is None:
                counter += 1
                base = f"amount_{counter}"
            else:
                base = _slug(name)
            key, n = base, 1
            while key in taken:
                n += 1
                key = f"{base}_{n}"
            taken.add(key)
            self.keys[amount] = key

    def _hoisted(self, amount: Amount) -> bool:
        if amount in self.forced or amount in self.keys:
            return True
        if isinstance(amount, Leaf):
            return amount.name is not None or self.uses.get(amount, 0) > 1
        return False

    # -- amounts as text --------------------------------------------------------------------
    def ref(self, x: Any) -> Any:
        """An amount where it is used: a number, a name, an expression or an inline table."""
        if not isinstance(x, Amount):
            return float(x)
        if x in self.keys:
            return self.keys[x]
        if isinstance(x, Leaf):
            return _Raw(_inline(self._leaf_items(x, None)))
        assert isinstance(x, Expr)
        return self._expr(x)

    def _expr(self, e: Expr) -> str:
        def show(x: Any) -> str:
            if not isinstance(x, Amount):
                return _number(float(x))
            if x in self.keys:
                return self.keys[x]
            if isinstance(x, Expr):
                return f"({self._expr(x)})"
            raise ScenarioFileError(f"internal: input {x!r} used in an expression has no name")

        return f"{show(e.left)} {e.op} {show(e.right)}"

    def _leaf_items(self, leaf: Leaf, key: str | None) -> dict[str, Any]:
        base = leaf.base if isinstance(leaf, Correlated) else leaf
        items: dict[str, Any] = {"kind": base.kind}
        for k, v in base.params().items():
            items[k] = v
        if base.name is not None and base.name != key:
            items["name"] = base.name
        return items

    def definition(self, amount: Amount, key: str) -> Any:
        # under [amounts] an unnamed amount is named by its key when read back
        if isinstance(amount, Fixed) and amount.name in (None, key):
            return amount.value
        if isinstance(amount, Leaf):
            return _Raw(_inline(self._leaf_items(amount, key)))
        assert isinstance(amount, Expr)
        text = self._expr(amount)
        if amount.name in (None, key):
            return text
        items: dict[str, Any] = {"expr": text}
        if amount.name is not None:
            items["name"] = amount.name
        return _Raw(_inline(items))

    # -- the document -------------------------------------------------------------------------
    def text(self) -> str:
        sf, out = self.sf, []
        out.append(f"title = {_toml_string(sf.title)}")
        if sf.description:
            out.append(f"description = {_multiline(sf.description)}")
        out.append(f"source = {_toml_string(sf.source)}")
        out += ["", "[model]", *self._model()]
        if self.keys or self.aliases:
            out += ["", "[amounts]"]
            defined = {key: amount for amount, key in self.keys.items()}
            for key in [
                *[k for k in sf.amounts if k in defined],
                *[k for k in defined if k not in sf.amounts],
            ]:
                out.append(f"{_key(key)} = {_value(self.definition(defined[key], key))}")
            out += [f"{_key(alias)} = {_toml_string(target)}" for alias, target in self.aliases]
        for line in self._grouped():
            out += ["", f"[[{_SECTION_OF[line.kind]}]]", *self._line(line)]
        out += self._correlations()
        for name, scenario in sf.scenarios.items():
            out += ["", f"[scenario.{_key(name)}]", f"base = {_toml_string(scenario.base)}"]
            if scenario.overrides:
                items = {
                    self._override_key(k): self._override_value(v) for k, v in scenario.overrides.items()
                }
                out.append(f"overrides = {_inline(items)}")
        if sf.simulation is not None:
            out += ["", "[simulation]", f"n = {sf.simulation.n}"]
            if sf.simulation.seed is not None:
                out.append(f"seed = {sf.simulation.seed}")
            out.append(f"method = {_toml_string(sf.simulation.method)}")
        for table in sf.tables:
            out += self._table(table)
        for st in sf.statements:
            out += ["", "[[statement]]", *self._statement(st)]
        return "\n".join(out) + "\n"

    def _model(self) -> list[str]:
        model = self.sf.model
        out = [
            f"kind = {_toml_string(model.kind)}",
            f"name = {_toml_string(model.name)}",
            f"start = {_toml_string(model.timeline.labels[0])}",
            f"years = {model.timeline.length}",
            f"units = {_toml_string(model.units)}",
        ]
        if isinstance(model, MTFP):
            if model.base_budget is not None:
                out.append(f"base_budget = {_number(model.base_budget)}")
            names = [li.name for li in self._grouped()]
            if names != [li.name for li in model.lines]:
                out.append(f"order = {_value([li.name for li in model.lines])}")
        elif isinstance(model, CostBenefitCase):
            if model.discount_rate is not None:
                out.append(f"discount_rate = {_number(model.discount_rate)}")
            if model.first_year != "undiscounted":
                out.append(f"first_year = {_toml_string(model.first_year)}")
        return out

    def _grouped(self) -> list[Line]:
        kinds = list(dict.fromkeys(li.kind for li in self.sf.model.lines))
        return [li for kind in kinds for li in self.sf.model.lines if li.kind == kind]

    def _line(self, line: Line) -> list[str]:
        section = _SECTION_OF[line.kind]
        _cls, _model, single, _extra = _LINES[section]
        out = [f"name = {_toml_string(line.name)}"]
        if line.per_year or single is None:
            out.append(f"amounts = {_value([self.ref(a) for a in line.amounts_list])}")
        else:
            out.append(f"{single} = {_value(self.ref(line.amount))}")
        if line.profile is not None:
            out.append(f"profile = {self._profile(line.profile)}")
        if section not in ("reprofile", "funding") and line.recurring != line.default_recurring:
            out.append(f"recurring = {_value(line.recurring)}")
        if line.delivery is not None:
            out.append(f"delivery = {_value(self.ref(line.delivery))}")
        if line.delay is not None:
            out.append(f"delay = {_value(self.ref(line.delay))}")
        if isinstance(line, Funding) and line.basis != "change":
            out.append(f"basis = {_toml_string(line.basis)}")
        for tag in ("category", "owner"):
            if getattr(line, tag) is not None:
                out.append(f"{tag} = {_toml_string(getattr(line, tag))}")
        return out

    def _profile(self, profile: Profile) -> str:
        form, values = _profile_form(profile)
        items: dict[str, Any] = {form: values}
        delay = profile.delay_years
        if isinstance(delay, Amount) or delay != 0:
            items["delay"] = self.ref(delay)
        return _inline(items)

    def _correlations(self) -> list[str]:
        out: list[str] = []
        groups: dict[int, Any] = {}
        for amount in self.keys:
            if isinstance(amount, Correlated):
                groups.setdefault(id(amount.group), amount.group)
        for group in groups.values():
            names = [self.keys[m] for m in group.members]
            matrix = [[float(v) for v in row] for row in group.spearman]
            out += ["", "[[correlation]]", f"amounts = {_value(names)}", f"matrix = {_value(matrix)}"]
        return out

    def _override_key(self, key: Any) -> str:
        return self.keys[key] if isinstance(key, Leaf) else str(key)

    def _override_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, (list, tuple)):
            return [self.ref(v) for v in value]
        return self.ref(value)

    def _table(self, table: PublishedTable) -> list[str]:
        out = [
            "",
            "[[table]]",
            f"name = {_toml_string(table.name)}",
            f"source = {_toml_string(table.source)}",
        ]
        if table.units is not None:
            out.append(f"units = {_toml_string(table.units)}")
        out.append(f"columns = {_value(list(table.columns))}")
        places = [table.decimals(c) for c in table.columns]
        if len(set(places)) == 1:
            out.append(f"rounding = {_value('exact' if places[0] is None else places[0])}")
        else:
            out.append(
                f"rounding = {_inline({c: 'exact' if p is None else p for c, p in zip(table.columns, places, strict=True)})}"
            )
        if table.note:
            out.append(f"note = {_multiline(table.note)}")
        if table.reproduces is not None:
            spec = table.reproduces
            out += ["", "[table.reproduces]", f"scenario = {_toml_string(spec.scenario)}"]
            if spec.basis is not None:
                out.append(f"basis = {_toml_string(spec.basis)}")
            if spec.rows:
                out.append(f"rows = {_inline(dict(spec.rows))}")
        for row in table.rows:
            out += ["", "[[table.row]]", f"label = {_toml_string(row.label)}"]
            out.append(f"values = {_value(['-' if v is None else v for v in row.values])}")
            if row.source:
                out.append(f"source = {_toml_string(row.source)}")
        for total in table.totals:
            out += [
                "",
                "[[table.total]]",
                f"{total.axis} = {_toml_string(total.target)}",
                f"of = {_value(list(total.of))}",
            ]
            for key in ("minus", "over"):
                if getattr(total, key):
                    out.append(f"{key} = {_value(list(getattr(total, key)))}")
            if total.scale != 1.0:
                out.append(f"scale = {_number(total.scale)}")
            if total.running:
                out.append("running = true")
            if total.within is not None:
                out.append(f"within = {_value(list(total.within))}")
        return out

    def _statement(self, st: Statement) -> list[str]:
        out = [
            f"text = {_toml_string(st.text)}",
            f"value = {_value(st.value)}",
            f"source = {_toml_string(st.source)}",
        ]
        out.append(f"metric = {_toml_string(st.metric)}")
        if st.year is not None:
            out.append(f"year = {_toml_string(st.year)}")
        if st.scenario != "central":
            out.append(f"scenario = {_toml_string(st.scenario)}")
        for key in ("basis", "units"):
            if getattr(st, key) is not None:
                out.append(f"{key} = {_toml_string(getattr(st, key))}")
        if st.rounding is not None:
            out.append(f"rounding = {st.rounding}")
        return out


def _profile_form(profile: Profile) -> tuple[str, Any]:
    """The form a profile was given in (recovered and verified), else its cumulative shares."""
    given = profile.given
    if given == "immediate" and profile.shares == (1.0,):
        return "immediate", True
    for form, make in (("increments", Profile.increments), ("cumulative", Profile.cumulative)):
        if given.startswith(form + " "):
            try:
                values = ast.literal_eval(given[len(form) + 1 :])
                if make(values).shares == profile.shares:
                    return form, [float(v) for v in values]
            except (ValueError, SyntaxError, TypeError, FinmodelError):
                pass
    return "cumulative", list(profile.shares)


def dumps(obj: ScenarioFile | Model) -> str:
    """A model or a scenario file as TOML text (:func:`loads` reads it back).

    A model alone is written with its name as the title. Named amounts are written
    under ``[amounts]``; an unnamed amount used more than once is given a name
    (``amount_1``) so that it stays one amount, and carries that name when read back.
    Comments are not kept.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> case = fm.CostBenefitCase("OCC", years,
    ...     [fm.Benefit("Quick wins", fm.Range(8, 17), fm.Profile.increments([2, 13, 13, 5]))],
    ...     [fm.Cost("Implementation", [3, 8, 5, 1])])
    >>> print(fm.dumps(case))
    title = "OCC"
    source = ""
    <BLANKLINE>
    [model]
    kind = "CostBenefitCase"
    name = "OCC"
    start = "2018/19"
    years = 4
    units = "£m"
    <BLANKLINE>
    [[benefit]]
    name = "Quick wins"
    run_rate = { kind = "Range", low = 8, high = 17 }
    profile = { increments = [2, 13, 13, 5] }
    <BLANKLINE>
    [[cost]]
    name = "Implementation"
    amounts = [3, 8, 5, 1]
    <BLANKLINE>
    """
    if isinstance(obj, Model):
        obj = ScenarioFile(None, obj.name, "", "", obj)
    if not isinstance(obj, ScenarioFile):
        raise ScenarioFileError(f"dump: expected a ScenarioFile or a model, got {type(obj).__name__}")
    return _Writer(obj).text()


def dump(obj: ScenarioFile | Model, path: str | Path) -> Path:
    """Write a model or a scenario file to ``path`` as TOML; returns the path.

    ``load(dump(model, path)).model`` is the same model: the same lines, amounts,
    profiles and shared amounts, so it evaluates and simulates identically.

    Examples
    --------
    >>> import tempfile, finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8))], [fm.Cost("k", [5, 1])])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     again = fm.load(fm.dump(case, folder + "/c.toml")).model
    >>> fm.evaluate(again, "low").npv(rate=0.0)
    2.0
    """
    text = dumps(obj)
    where = Path(path)
    where.write_text(text, encoding="utf-8")
    return where


# -- the files that come with finmodel ----------------------------------------------------------
@dataclass(frozen=True)
class BundledScenario:
    """A scenario file shipped in the repository's ``scenarios/`` folder."""

    name: str
    path: Path
    description: str


def scenarios_folder() -> Path:
    """The repository's ``scenarios/`` folder.

    finmodel is installed editable (``pip install -e .``) from its repository, so the
    folder is found next to the package: ``<repository>/scenarios``, where
    ``<repository>`` holds ``finmodel/``.

    Examples
    --------
    >>> scenarios_folder().name
    'scenarios'
    """
    return Path(__file__).resolve().parent.parent.parent / "scenarios"


def bundled() -> tuple[BundledScenario, ...]:
    """The bundled scenario files, by name, each with a one-line description (its title).

    Returns an empty tuple when the package is not run from a repository checkout
    (no ``scenarios/`` folder beside it). Only the title is read; :func:`load` a file to
    validate it.

    Examples
    --------
    >>> [s.name for s in bundled()]
    ['occ-case-for-change-2018', 'occ-cdc-joint-posts-2019', 'occ-mtfp-2018-22', 'oxford-city-mtfs-2014']
    """
    folder = scenarios_folder()
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ScenarioFileError(f"{path}: cannot be read: {err}") from None
        title = data.get("title")
        if not isinstance(title, str):
            raise ScenarioFileError(f"{path}: title: expected a string, got {_show(title)}")
        out.append(BundledScenario(path.stem, path, " ".join(title.split())))
    return tuple(out)
