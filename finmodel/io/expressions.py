"""The safe expression grammar of scenario files: numbers, names, ``+ - * /`` and parentheses.

An amount may be written as an expression over the names of ``[amounts]``, such as
``"spend * rate - 2"``. The text is parsed with :mod:`ast` and built from the allowed
nodes only, with finmodel's own arithmetic on amounts: nothing in it is executed, and
any other node (a call, an attribute, an index, a comparison, ...) is refused.

Examples
--------
>>> from finmodel.core.amounts import Fixed
>>> from finmodel.io.errors import ScenarioFileError
>>> amounts = {"spend": Fixed(200.0, name="spend")}
>>> total = build_expression("2 * (spend - 50) / 4", amounts, amounts.__getitem__, ScenarioFileError)
>>> total.case("central")
75.0
>>> build_expression("spend.__class__", amounts, amounts.__getitem__, ScenarioFileError)
Traceback (most recent call last):
...
finmodel.io.errors.ScenarioFileError: attribute access is not allowed in "spend.__class__"; use numbers, names, + - * / and parentheses
"""

from __future__ import annotations

import ast
import keyword
import math
import re
from collections.abc import Callable, Collection
from typing import Any

from finmodel.core.amounts import Amount
from finmodel.core.errors import FinmodelError
from finmodel.io.errors import ScenarioFileError
from finmodel.io.toml_writer import show

__all__ = ["MAX_EXPRESSION", "MAX_NAME", "MAX_NESTING", "build_expression", "is_name"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Most characters of one expression in a file (a longer one is written as named parts).
MAX_EXPRESSION = 2_000
#: Most operations nested in one expression in a file.
MAX_NESTING = 64
#: Most characters of a name of ``[amounts]``.
MAX_NAME = 128
_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_REFUSED = {
    ast.Call: "function calls are not allowed",
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "indexing is not allowed",
}


def is_name(text: str) -> bool:
    """Whether ``text`` can name an amount: letters, digits and ``_``, not a Python keyword.

    Examples
    --------
    >>> is_name("quick_wins"), is_name("2018_19"), is_name("lambda"), is_name("A\\n"), is_name("x" * 200)
    (True, False, False, False, False)
    """
    return len(text) <= MAX_NAME and bool(_NAME.fullmatch(text)) and not keyword.iskeyword(text)  # fullmatch: no trailing newline


def build_expression(
    text: str,
    known: Collection[str],
    named: Callable[[str], Amount],
    fail: Callable[[str], ScenarioFileError],
) -> Amount | float:
    """Parse ``text`` and build it from the allowed nodes only (nothing is executed).

    Parameters
    ----------
    text : str
        The expression as written in the file.
    known : collection of str
        The names it may use (the keys of ``[amounts]``, listed in the message for an
        unknown name).
    named : callable
        The amount for a known name.
    fail : callable
        The error to raise for a message (it adds the file and the key path).

    Returns
    -------
    Amount or float
        A plain number when the expression uses no names.
    """
    if len(text) > MAX_EXPRESSION:
        raise fail(f"expression is longer than {MAX_EXPRESSION} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise fail(f'expected a number, a name or an expression such as "a - b", got {show(text)}') from None
    return _Builder(text, known, named, fail).build(tree.body, 0)


class _Builder:
    """Builds one parsed expression; every message ends with the expression's text."""

    def __init__(
        self,
        text: str,
        known: Collection[str],
        named: Callable[[str], Amount],
        fail: Callable[[str], ScenarioFileError],
    ) -> None:
        self.where = f"in {show(text)}"
        self.known = known
        self.named = named
        self._fail = fail

    def fail(self, what: str) -> ScenarioFileError:
        return self._fail(f"{what} {self.where}")

    def build(self, node: ast.AST, depth: int) -> Amount | float:
        if depth > MAX_NESTING:
            raise self.fail(f"expression is nested more than {MAX_NESTING} deep")
        if isinstance(node, ast.Constant):
            return self.number(node.value)
        if isinstance(node, ast.Name):
            if node.id not in self.known:
                known = ", ".join(self.known) or "none"
                raise self._fail(f"unknown name '{node.id}' {self.where} (names in [amounts]: {known})")
            return self.named(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left = self.build(node.left, depth + 1)
            right = self.build(node.right, depth + 1)
            return self.operate(node.op, left, right)
        what = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed")
        raise self._fail(f"{what} {self.where}; use numbers, names, + - * / and parentheses")

    def number(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{show(value)} is not a number")
        try:
            number = float(value)
        except OverflowError:
            raise self.fail("number too large") from None
        if not math.isfinite(number):
            raise self.fail("number is not finite")
        return number

    def operate(self, op: ast.operator, left: Any, right: Any) -> Amount | float:
        if isinstance(op, ast.Div) and not isinstance(right, Amount) and right == 0:
            raise self.fail("division by zero")
        try:
            result = _BINOPS[type(op)](left, right)
        except (ZeroDivisionError, OverflowError, FinmodelError) as err:
            raise self.fail(str(err)) from None
        if isinstance(result, float) and not math.isfinite(result):
            raise self.fail("result is not finite")
        return result
