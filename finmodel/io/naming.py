"""Naming the amounts of a file being written, and writing amounts where they are used.

The shared-draw rule decides what must be named: an amount used in more than one place
is ONE amount only if every use refers to it by the same name. So the named amounts of
the file keep their keys; a named input, an input used more than once, an input inside
an expression and a correlated input get a key of their own (their name made a valid
key, or ``amount_1``, ``amount_2``, ... when unnamed), and are written under
``[amounts]``; an unnamed input used once is written inline where it is used.

Examples
--------
>>> import finmodel as fm
>>> from finmodel.io.scenario_file import ScenarioFile
>>> overrun = fm.Range(1, 2)
>>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
...     [fm.Benefit("b", fm.Range(4, 8))], [fm.Cost("k", [overrun]), fm.Cost("m", [overrun * 2])])
>>> names = AmountNames(ScenarioFile(None, "c", "", "", case))
>>> names.ref(overrun), names.ref(case.benefits[0].amount)
('amount_1', Raw(text='{ kind = "Range", low = 4, high = 8 }'))
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from finmodel.core.amounts import Amount, Expr, Fixed, Leaf
from finmodel.core.correlation import Correlated
from finmodel.core.rag import DEFAULT_RAG, RagScale, Rated
from finmodel.io.errors import ScenarioFileError
from finmodel.io.expressions import MAX_EXPRESSION, MAX_NAME, MAX_NESTING, is_name
from finmodel.io.scenario_file import ScenarioFile
from finmodel.io.toml_writer import Raw, inline_table, toml_number

__all__ = ["AmountNames"]

# An expression is written at most half as long and as deep as a file may hold, and a key
# made from a name at most half as long as a name may be.
_LONGEST, _DEEPEST, _KEY = MAX_EXPRESSION // 2, MAX_NESTING // 2, MAX_NAME // 2


class AmountNames:
    """The keys of the amounts written under ``[amounts]``, and amounts as they are written.

    Attributes
    ----------
    keys : dict of Amount to str
        The key of each amount written under ``[amounts]``, dependencies first.
    aliases : list of (str, str)
        Keys of the file's ``amounts`` that name an amount already written under another
        key, with that key (written as ``alias = "key"``).
    rag_scale : RagScale
        What RAG ratings mean in the file (``[rag]``): the mapping of the model's first
        RAG-rated input. An input rated on another mapping is written as its distribution.
    """

    def __init__(self, sf: ScenarioFile) -> None:
        leaves = sf.model.leaves() if sf.model is not None else ()
        rated = [leaf for leaf in map(_unwrapped, leaves) if isinstance(leaf, Rated)]
        self.rag_scale: RagScale = rated[0].scale if rated else DEFAULT_RAG
        self.keys: dict[Amount, str] = {}
        self.aliases: list[tuple[str, str]] = []
        self._order: dict[Amount, None] = {}  # every amount met, dependencies first
        self._uses: dict[Amount, int] = {}
        self._forced: set[Amount] = set()  # those that must be named
        self._seen: set[Amount] = set()
        self._taken: set[str] = set()
        self._counter = 0
        self._visit(sf)
        self._assign_keys(sf)

    # -- which amounts get a key -------------------------------------------------------------
    def _visit(self, sf: ScenarioFile) -> None:
        """Meet every amount of the file, counting uses and noting those that must be named."""
        for amount in sf.amounts.values():
            self._walk(amount, False)
            self._forced.add(amount)
        for line in sf.model.lines if sf.model is not None else ():
            self._walk(line.amounts_list, False)
            self._walk(line.delivery, False)
            self._walk(line.delay, False)
            if line.profile is not None:
                self._walk(line.profile.delay_years, False)
        for scenario in sf.scenarios.values():
            for key, value in scenario.overrides.items():
                if isinstance(key, Leaf):
                    self._walk(key, False)
                    self._forced.add(key)
                self._walk(value, False)

    @property
    def met(self) -> tuple[Amount, ...]:
        """Every amount of the file, each after the amounts it is built from."""
        return tuple(self._order)

    def _assign_keys(self, sf: ScenarioFile) -> None:
        """The file's own keys first (a second key for one amount is an alias), then new ones.

        An expression that would be written longer or deeper than a file may hold (see
        :mod:`~finmodel.io.expressions`) has its longest operands named, so that every
        file written can be read back.
        """
        for key, amount in sf.amounts.items():
            if amount in self.keys:
                self.aliases.append((key, self.keys[amount]))
            else:
                self.keys[amount] = key
            self._taken.add(key)
        written: dict[Expr, tuple[int, int]] = {}  # length and nesting of expressions written in place
        for amount in self._order:
            if isinstance(amount, Expr):
                written[amount] = self._fit(amount, written)
            if amount not in self.keys and self._hoisted(amount):
                self._new_key(amount)

    def _new_key(self, amount: Amount) -> None:
        if amount.name is None:
            self._counter += 1
            base = f"amount_{self._counter}"
        else:
            base = _slug(amount.name)
        key, n = base, 1
        while key in self._taken:
            n += 1
            key = f"{base}_{n}"
        self._taken.add(key)
        self.keys[amount] = key

    def _fit(self, e: Expr, written: dict[Expr, tuple[int, int]]) -> tuple[int, int]:
        """The length and nesting of ``e`` written in place, after naming operands that make it too big."""
        while True:
            (a, da), (b, db) = (self._size(x, written) for x in (e.left, e.right))
            length, depth = a + b + 3, 1 + max(da, db)
            in_place = [x for x in (e.left, e.right) if isinstance(x, Expr) and x not in self.keys]
            if (length <= _LONGEST and depth <= _DEEPEST) or not in_place:
                return length, depth
            self._new_key(max(in_place, key=lambda x: written[x]))

    def _size(self, x: Any, written: dict[Expr, tuple[int, int]]) -> tuple[int, int]:
        """The length and nesting of an operand as written inside an expression."""
        if not isinstance(x, Amount):
            text = toml_number(float(x))
            return len(text), int(text.startswith("-"))  # a negative number parses as a unary minus
        if x in self.keys:
            return len(self.keys[x]), 0
        if isinstance(x, Expr):
            length, depth = written[x]
            return length + 2, depth  # in parentheses
        return MAX_NAME, 0

    def _walk(self, x: Any, inside: bool) -> None:
        """Meet ``x`` and everything in it, operands before the expressions that use them."""
        stack: list[tuple[Any, bool, bool]] = [(x, inside, False)]
        while stack:
            item, inner, done = stack.pop()
            if isinstance(item, (list, tuple)):
                stack += [(v, inner, False) for v in reversed(item)]
            elif isinstance(item, Leaf):
                self._uses[item] = self._uses.get(item, 0) + 1
                if inner:
                    self._forced.add(item)
                if isinstance(item, Correlated):
                    for member in item.group.members:
                        self._forced.add(member)
                        self._order.setdefault(member)
                self._order.setdefault(item)
            elif isinstance(item, Expr):
                if done:
                    self._order.setdefault(item)
                    continue
                if item.name is not None:
                    self._forced.add(item)
                if item not in self._seen:
                    self._seen.add(item)
                    stack += [(item, inner, True), (item.right, True, False), (item.left, True, False)]

    def _hoisted(self, amount: Amount) -> bool:
        if amount in self._forced or amount in self.keys:
            return True
        if isinstance(amount, Leaf):
            return amount.name is not None or self._uses.get(amount, 0) > 1
        return False

    # -- amounts as written ------------------------------------------------------------------
    def ref(self, x: Any) -> Any:
        """An amount where it is used: a number, a name, an expression or an inline table."""
        if not isinstance(x, Amount):
            return float(x)
        if x in self.keys:
            return self.keys[x]
        if isinstance(x, Leaf):
            return Raw(inline_table(self._leaf_items(x, None)))
        assert isinstance(x, Expr)
        return self._expr(x)

    def definition(self, amount: Amount, key: str) -> Any:
        """An amount under ``[amounts]``, where an unnamed amount is named by its key when read back."""
        if isinstance(amount, Fixed) and amount.name in (None, key):
            return amount.value
        if isinstance(amount, Leaf):
            return Raw(inline_table(self._leaf_items(amount, key)))
        assert isinstance(amount, Expr)
        text = self._expr(amount)
        if amount.name in (None, key):
            return text
        items: dict[str, Any] = {"expr": text}
        if amount.name is not None:
            items["name"] = amount.name
        return Raw(inline_table(items))

    def _expr(self, e: Expr) -> str:
        """``e`` as written: names, numbers, operators, and parentheses around inner expressions."""
        parts: list[str] = []
        stack: list[Any] = [e.right, f" {e.op} ", e.left]
        while stack:
            x = stack.pop()
            if isinstance(x, str):
                parts.append(x)
            elif not isinstance(x, Amount):
                parts.append(toml_number(float(x)))
            elif x in self.keys:
                parts.append(self.keys[x])
            elif isinstance(x, Expr):
                parts.append("(")
                stack += [")", x.right, f" {x.op} ", x.left]
            else:
                raise ScenarioFileError(f"internal: input {x!r} used in an expression has no name")
        return "".join(parts)

    def on_file_scale(self, leaf: Leaf) -> bool:
        """Whether a RAG-rated input means what its rating means in the file's ``[rag]``."""
        return isinstance(leaf, Rated) and leaf.scale.key == self.rag_scale.key

    def _leaf_items(self, leaf: Leaf, key: str | None) -> dict[str, Any]:
        base = _unwrapped(leaf)
        shown: Leaf | float = base
        if isinstance(base, Rated) and not self.on_file_scale(base):
            shown = base.distribution  # rated on another mapping: write what it stands for
        if isinstance(shown, Leaf):
            items: dict[str, Any] = {"kind": shown.kind, **shown.params()}
        else:
            items = {"kind": "Fixed", "value": shown}
        if base.name is not None and base.name != key:
            items["name"] = base.name
        return items


def _unwrapped(leaf: Leaf) -> Leaf:
    """A correlated input's own input."""
    return leaf.base if isinstance(leaf, Correlated) else leaf


def _slug(name: str) -> str:
    """A key for an amount's name: the name itself if it is a valid name, else made one.

    Examples
    --------
    >>> _slug("quick_wins"), _slug("Quick wins (2018)"), _slug("2018 uplift"), _slug("class")
    ('quick_wins', 'quick_wins_2018', 'n_2018_uplift', 'class_')
    """
    if is_name(name) and len(name) <= _KEY:
        return name
    key = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_").lower()[:_KEY] or "amount"
    if key[0].isdigit():
        key = "n_" + key
    return key + "_" if keyword.iskeyword(key) else key
