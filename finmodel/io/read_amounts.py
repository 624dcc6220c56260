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
from functools import partial
from typing import Any

from finmodel.core.amounts import CASES, Amount, Expr, Fixed, Leaf
from finmodel.core.distributions import PERT, Beta, Chance, LogNormal, Normal, Range, Triangular, Uniform
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
}


class Amounts(Values):
    """Reads the values of one file, and its amounts by way of the named amounts of ``[amounts]``."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.raw: dict[str, Any] = {}  # [amounts] as written
        self.resolved: dict[str, Amount] = {}  # those built so far, by name

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
        if key not in self.resolved:
            for name in self._dependencies_first(key):
                self.resolved[name] = self._build(name)
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
