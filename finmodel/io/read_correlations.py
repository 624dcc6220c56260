"""Reading ``[[correlation]]``: rank correlations between named amounts, applied on load.

Examples
--------
>>> amounts = Amounts("x.toml")
>>> amounts.define({"demand": {"kind": "Range", "low": 1, "high": 2}, "cost": 5})
>>> read_correlations(amounts, [{"amounts": ["demand", "cost"], "matrix": [[1, 0.6], [0.6, 1]]}])
(Correlation(amounts=('demand', 'cost'), matrix=((1.0, 0.6), (0.6, 1.0))),)
>>> type(amounts.named("demand")).__name__
'Correlated'
"""

from __future__ import annotations

from functools import partial
from typing import Any

from finmodel.core.amounts import Leaf
from finmodel.core.correlation import Correlated, correlate
from finmodel.io.read_amounts import Amounts
from finmodel.io.scenario_file import Correlation
from finmodel.io.toml_writer import show

__all__ = ["read_correlations"]


def read_correlations(r: Amounts, value: Any) -> tuple[Correlation, ...]:
    """Correlate the named amounts of each ``[[correlation]]``; ``r`` then holds the correlated ones."""
    out = []
    for i, spec in enumerate(r.array(value, "correlation")):
        path = f"correlation[{i}]"
        r.table(spec, path, ("amounts", "matrix"), ("amounts", "matrix"))
        names = r.labels(spec["amounts"], f"{path}.amounts")
        leaves = [_leaf(r, key, f"{path}.amounts[{j}]") for j, key in enumerate(names)]
        matrix = tuple(r.each(spec["matrix"], f"{path}.matrix", partial(_row, r)))
        with r.refusing(path):
            members = correlate(leaves, [list(row) for row in matrix])
        for key, member in zip(names, members, strict=True):
            r.resolved[key] = member
        out.append(Correlation(tuple(names), matrix))
    return tuple(out)


def _row(r: Amounts, value: Any, path: str) -> tuple[float, ...]:
    return tuple(r.each(value, path, r.number))


def _leaf(r: Amounts, key: str, path: str) -> Leaf:
    """The named amount ``key``, which must be a distribution or a number not yet correlated."""
    if key not in r.raw:
        raise r.fail(path, f"unknown name {show(key)} (names in [amounts]: {', '.join(r.raw)})")
    if key in r.resolved and isinstance(r.resolved[key], Correlated):
        raise r.fail(path, f"{show(key)} is already correlated")
    raw = r.raw[key]
    if isinstance(raw, bool) or not (
        isinstance(raw, (int, float)) or (isinstance(raw, dict) and "kind" in raw)
    ):
        raise r.fail(
            path,
            f"{show(key)} is not a distribution or a number; correlate the inputs an expression is built from",
        )
    leaf = r.named(key)
    assert isinstance(leaf, Leaf)
    return leaf
