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
from finmodel.io.expressions import is_name
from finmodel.io.scenario_file import ScenarioFile
from finmodel.io.toml_writer import Raw, inline_table, toml_number

__all__ = ["AmountNames"]


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

    def _assign_keys(self, sf: ScenarioFile) -> None:
        """The file's own keys first (a second key for one amount is an alias), then new ones."""
        taken: set[str] = set()
        for key, amount in sf.amounts.items():
            if amount in self.keys:
                self.aliases.append((key, self.keys[amount]))
            else:
                self.keys[amount] = key
            taken.add(key)
        counter = 0
        for amount in self._order:
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

    def _walk(self, x: Any, inside: bool) -> None:
        if isinstance(x, (list, tuple)):
            for item in x:
                self._walk(item, inside)
            return
        if not isinstance(x, Amount):
            return
        if isinstance(x, Leaf):
            self._uses[x] = self._uses.get(x, 0) + 1
            if inside:
                self._forced.add(x)
            if isinstance(x, Correlated):
                for member in x.group.members:
                    self._forced.add(member)
                    self._order.setdefault(member)
            self._order.setdefault(x)
            return
        if isinstance(x, Expr):
            if x not in self._seen:
                self._seen.add(x)
                self._walk(x.left, True)
                self._walk(x.right, True)
            if x.name is not None:
                self._forced.add(x)
            self._order.setdefault(x)

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
        def operand(x: Any) -> str:
            if not isinstance(x, Amount):
                return toml_number(float(x))
            if x in self.keys:
                return self.keys[x]
            if isinstance(x, Expr):
                return f"({self._expr(x)})"
            raise ScenarioFileError(f"internal: input {x!r} used in an expression has no name")

        return f"{operand(e.left)} {e.op} {operand(e.right)}"

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
    if is_name(name):
        return name
    key = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_").lower() or "amount"
    if key[0].isdigit():
        key = "n_" + key
    return key + "_" if keyword.iskeyword(key) else key
