"""Reading amounts: numbers, names, expressions, distribution tables, and ``[amounts]``.

The shared-draw rule: a named amount (a key of ``[amounts]``) is built once, on first
use, and that ONE object is used wherever the name appears, so every use sees the same
draw in a trial. Two inline tables with equal parameters are two independent amounts.

Examples
--------
>>> amounts = Amounts("x.toml")
>>> amounts.define({"growth": {"kind": "Range", "low": 1, "high": 3}})
>>> twice = amounts.amount("growth + growth", "cost[0].amount")
>>> twice.case("high"), amounts.named("growth") is amounts.named("growth")
(6.0, True)
"""

from __future__ import annotations

import ast
import re
from functools import partial
from typing import Any

from finmodel.core.amounts import CASES, Amount, Expr, Fixed, Leaf
from finmodel.core.distributions import PERT, Beta, Chance, LogNormal, Normal, Range, Triangular, Uniform
from finmodel.core.optimism_bias import OptimismBias
from finmodel.core.rag import DEFAULT_RAG, RATINGS, RagScale, Rated
from finmodel.io.expressions import MAX_EXPRESSION, MAX_NAME, build_expression, is_name
from finmodel.io.read_values import Values
from finmodel.io.toml_writer import show, toml_key

__all__ = ["LEAVES", "Amounts"]

# kind -> (class, required parameters, optional parameters)
LEAVES: dict[str, tuple[type[Leaf], tuple[str, ...], tuple[str, ...]]] = {
    "Range": (Range, ("low", "high"), ("central", "dist")),
    "Uniform": (Uniform, ("low", "high"), ()),
    "Triangular": (Triangular, ("low", "mode", "high"), ()),
    "PERT": (PERT, ("low", "mode", "high"), ("lamb",)),
    "Normal": (Normal, ("mean", "sd"), ()),
    "LogNormal": (LogNormal, ("mu", "sigma"), ()),
    "Beta": (Beta, ("a", "b"), ()),
    "Chance": (Chance, ("p",), ()),
    "Fixed": (Fixed, ("value",), ()),
    "RAG": (Rated, ("rating",), ()),
    "OptimismBias": (OptimismBias, ("project",), ("measure", "mitigated", "uncertain")),
}

_PERCENTILE = re.compile(r"p\d{1,2}(?:_\d+)?")


class Amounts(Values):
    """Reads the values of one file, and its amounts by way of the named amounts of ``[amounts]``."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.raw: dict[str, Any] = {}  # [amounts] as written
        self.resolved: dict[str, Amount] = {}  # those built so far, by name
        self._building: list[str] = []  # those being built, outermost first
        self.rag_scale: RagScale = DEFAULT_RAG  # what RAG ratings mean in this file ([rag])

    def read_rag(self, value: Any) -> None:
        """Take the table ``[rag]``: the ratings whose meaning the file sets, each a
        distribution or a number (the others keep :data:`~finmodel.DEFAULT_RAG`'s)."""
        spec = self.table(value, "rag", RATINGS)
        changes: dict[str, Leaf | float] = {}
        for rating, raw in spec.items():
            where = f"rag.{rating}"
            found = self.amount(raw, where)
            if isinstance(found, Amount) and not isinstance(found, Leaf):
                raise self.fail(where, "expected a distribution table or a number, not an expression")
            changes[rating] = found
        with self.refusing("rag"):
            self.rag_scale = DEFAULT_RAG.replace(**changes)

    def define(self, value: Any) -> None:
        """Take the table ``[amounts]``: its keys must be names (see :func:`is_name`)."""
        amounts = self.mapping(value, "amounts")
        for key in amounts:
            if not is_name(key):
                raise self.fail(
                    f"amounts.{toml_key(key)}",
                    f"not a valid name (use letters, digits and _, not starting with a digit; at most "
                    f"{MAX_NAME} characters)",
                )
        self.raw = dict(amounts)

    def named(self, key: str) -> Amount:
        """The named amount ``key`` of ``[amounts]``, built once (the shared-draw rule).

        The names it uses are built first, in a loop rather than by recursion, so a chain
        of named amounts each using the one before may be as long as a file holds.
        """
        if key in self.resolved:
            return self.resolved[key]
        if key in self._building:  # reached again through a table that names it
            loop = " -> ".join([*self._building[self._building.index(key) :], key])
            raise self.fail(f"amounts.{key}", f"circular reference: {loop}")
        for name in self._dependencies_first(key):
            self._building.append(name)
            try:
                self.resolved[name] = self._build(name)
            finally:
                self._building.pop()
        return self.resolved[key]

    def _build(self, key: str) -> Amount:
        raw, path = self.raw[key], f"amounts.{key}"
        result: Amount | float
        if isinstance(raw, dict):
            result = self.amount_table(raw, path, key)
        else:
            result = self.amount(raw, path)
            if isinstance(result, Expr):
                result = result.named(key)
        return result if isinstance(result, Amount) else Fixed(result, name=key)

    def _dependencies_first(self, key: str) -> list[str]:
        """``key`` and the unbuilt named amounts it uses, each after those it uses."""
        order: dict[str, None] = {}
        path: dict[str, None] = {}  # the names being followed, in order, for a circular reference
        stack: list[tuple[str, bool]] = [(key, False)]
        while stack:
            name, done = stack.pop()
            if done:
                del path[name]
                order[name] = None
                continue
            if name in self.resolved or name in order:
                continue
            if name in path:
                followed = list(path)
                loop = " -> ".join([*followed[followed.index(name) :], name])
                raise self.fail(f"amounts.{name}", f"circular reference: {loop}")
            path[name] = None
            stack.append((name, True))
            stack += [(used, False) for used in reversed(self._uses(self.raw[name]))]
        return list(order)

    def _uses(self, raw: Any) -> list[str]:
        """The names of ``[amounts]`` an amount as written refers to (errors are left to building it)."""
        text = raw.get("expr") if isinstance(raw, dict) else raw
        if not isinstance(text, str) or len(text) > MAX_EXPRESSION:
            return []
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return []
        return list(dict.fromkeys(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in self.raw))

    def amount(self, value: Any, path: str) -> Amount | float:
        """A number, a name or expression (a string), or an amount table."""
        if isinstance(value, bool):
            raise self.fail(path, f"expected a number, got {show(value)}")
        if isinstance(value, (int, float)):
            return self.number(value, path)
        if isinstance(value, str):
            return self.expression(value, path)
        if isinstance(value, dict):
            return self.amount_table(value, path, None)
        raise self.fail(
            path, f"expected a number, a name, an expression or a distribution table, got {show(value)}"
        )

    def amounts(self, value: Any, path: str) -> list[Amount | float]:
        """A list of amounts."""
        return self.each(value, path, self.amount)

    def override(self, value: Any, path: str) -> Any:
        """A scenario's value for an input or a line: a case name, an amount or a list of them."""
        if isinstance(value, str) and value in CASES:
            return value
        if isinstance(value, list):
            return [self.amount(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return self.amount(value, path)

    def expression(self, text: str, path: str) -> Amount | float:
        """A name or an expression over names (see :mod:`~finmodel.io.expressions`)."""
        return build_expression(text, self.raw, self.named, partial(self.fail, path))

    def amount_table(self, value: dict[str, Any], path: str, key: str | None) -> Amount | float:
        """``{ expr = "...", name = "..." }`` or a distribution; ``key`` names it under ``[amounts]``."""
        if "expr" in value:
            return self._expression_table(value, path, key)
        if "kind" not in value:
            raise self.fail(
                path, 'an amount table needs kind = "Range" (or another distribution) or expr = "..."'
            )
        kind = value["kind"]
        if not isinstance(kind, str) or kind not in LEAVES:
            raise self.fail(f"{path}.kind", f"expected one of {', '.join(LEAVES)}, got {show(kind)}")
        if kind in _BUILT:
            return _BUILT[kind](self, value, path, key)
        cls, required, optional = LEAVES[kind]
        by_interval = kind == "LogNormal" and ("p5" in value or "p95" in value)
        if by_interval:
            required, optional = ("p5", "p95"), ()
        self.table(value, path, ("kind", *required, *optional, "name"), required)
        name = self.optional(value, path, "name", self.text, key)
        params: dict[str, Any] = {}
        for k in (*required, *optional):
            params |= self.given(value, path, self.text if k == "dist" else self.number, k)
        with self.refusing(path):
            if by_interval:
                return LogNormal.from_interval(params["p5"], params["p95"], name=name)
            return cls(**params, name=name)

    def _expression_table(self, value: dict[str, Any], path: str, key: str | None) -> Amount | float:
        self.table(value, path, ("expr", "name"))
        result = self.expression(self.text(value["expr"], f"{path}.expr"), f"{path}.expr")
        name = self.optional(value, path, "name", self.text, key)
        if isinstance(result, Expr):
            return result if name is None else result.named(name)
        if isinstance(result, float):
            return result if name is None else Fixed(result, name=name)
        if "name" in value:
            raise self.fail(f"{path}.name", "an alias of another named amount cannot have a name of its own")
        return result


def _beta(r: Amounts, value: dict[str, Any], path: str, key: str | None) -> Amount:
    """``{ kind = "Beta", a = ..., b = ... }``, ``{ ..., mean = ..., sd = ... }`` or two percentiles."""
    percentiles = [k for k in value if _PERCENTILE.fullmatch(k)]
    allowed: tuple[str, ...]
    required: tuple[str, ...]
    if "mean" in value or "sd" in value:
        allowed, required = ("kind", "mean", "sd", "name"), ("mean", "sd")
    elif percentiles:
        allowed, required = ("kind", *percentiles, "name"), tuple(percentiles)
    else:
        allowed, required = ("kind", "a", "b", "name"), ("a", "b")
    r.table(value, path, allowed, required)
    name = r.optional(value, path, "name", r.text, key)
    params = {k: r.number(value[k], f"{path}.{k}") for k in required}
    with r.refusing(path):
        if "mean" in params:
            return Beta.from_mean_sd(params["mean"], params["sd"], name=name)
        if percentiles:
            return Beta.from_percentiles(name=name, **params)
        return Beta(params["a"], params["b"], name=name)


def _rag(r: Amounts, value: dict[str, Any], path: str, key: str | None) -> Amount:
    """``{ kind = "RAG", rating = "amber" }``: the file's meaning of the rating ([rag])."""
    r.table(value, path, ("kind", "rating", "name"), ("rating",))
    name = r.optional(value, path, "name", r.text, key)
    rating = r.text(value["rating"], f"{path}.rating")
    with r.refusing(path):
        return r.rag_scale.delivery(rating, name=name)


def _optimism_bias(r: Amounts, value: dict[str, Any], path: str, key: str | None) -> Amount:
    """``{ kind = "OptimismBias", project = "standard buildings", ... }``; a mixed project
    gives its capital expenditure by type, ``project = { "standard buildings" = 10, ... }``."""
    r.table(value, path, ("kind", "project", "measure", "mitigated", "uncertain", "name"), ("project",))
    name = r.optional(value, path, "name", r.text, key)
    raw = value["project"]
    project: str | dict[str, float]
    if isinstance(raw, dict):
        project = {k: r.number(v, f"{path}.project.{toml_key(k)}") for k, v in raw.items()}
    else:
        project = r.text(raw, f"{path}.project")
    params: dict[str, Any] = {
        **r.given(value, path, r.text, "measure"),
        **r.given(value, path, r.number, "mitigated"),
        **r.given(value, path, r.flag, "uncertain"),
    }
    with r.refusing(path):
        return OptimismBias(project, **params, name=name)


_BUILT = {"Beta": _beta, "RAG": _rag, "OptimismBias": _optimism_bias}
