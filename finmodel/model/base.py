"""What every model (an MTFP, a cost/benefit case) shares: lines on a timeline.

A model is an immutable value. It knows its uncertain inputs (``leaves``), how each
input moves the result for the council (``signs``, used by the worst and best
scenarios), how to compute its outputs from one array of draws per input
(``outputs``), and how a council table lays those outputs out (``rows``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from finmodel.core.amounts import Leaf, Value, unique_leaves
from finmodel.core.errors import ModelError
from finmodel.core.money import check_units
from finmodel.core.years import Timeline
from finmodel.model.lines import Line
from finmodel.model.outputs import Outputs

__all__ = ["Model", "Row"]


@dataclass(frozen=True)
class Row:
    """One row of a council table: its label, the output it shows, and its Total cell.

    ``total`` is ``"sum"`` (the years add up), or ``"blank"`` (a level or a running
    total, which the paper leaves blank in the Total column).
    """

    label: str
    key: str
    total: str = "sum"
    bold: bool = False


class Model:
    """Base of :class:`~finmodel.model.plans.MTFP` and :class:`~finmodel.model.cases.CostBenefitCase`."""

    kind: ClassVar[str] = "Model"
    #: output name -> (is it per year?, description); filled by each model.
    METRICS: ClassVar[dict[str, tuple[bool, str]]] = {}
    #: the ``by=`` values its tables accept (None: one row per line, or the printed summary).
    GROUPINGS: ClassVar[tuple[str | None, ...]] = (None,)

    name: str
    timeline: Timeline
    units: str
    lines: tuple[Line, ...]

    def _setup_common(self, name: str, timeline: Timeline, lines: Sequence[Line], units: str) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ModelError(f"{self.kind}: name ({name!r}) must be a non-empty string")
        who = f"{self.kind} {name!r}"
        if not isinstance(timeline, Timeline):
            raise ModelError(
                f"{who}: timeline ({timeline!r}) must be a Timeline, e.g. Timeline('2018/19', 4)"
            )
        check_units(units, f"{who}: units")
        lines = tuple(lines)
        seen: set[str] = set()
        for i, line in enumerate(lines):
            if not isinstance(line, Line):
                raise ModelError(
                    f"{who}: lines[{i}] ({line!r}) is not a line (Pressure, Saving, Benefit, ...)"
                )
            if line.name in seen:
                raise ModelError(f"{who}: two lines are called {line.name!r}; line names must be unique")
            seen.add(line.name)
            line.check_fits(timeline.length)
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "timeline", timeline)
        set_(self, "units", units)
        set_(self, "lines", lines)
        _refuse_mixed_correlation(self.leaves(), who)

    # -- inputs ------------------------------------------------------------------------
    def leaves(self) -> tuple[Leaf, ...]:
        """Every uncertain input of the model, each once, in order of first use."""
        found = self.__dict__.get("_leaves")
        if found is None:
            out: dict[Leaf, None] = {}
            for line in self.lines:
                out.update(dict.fromkeys(line.leaves()))
            found = tuple(out)
            self.__dict__["_leaves"] = found
        return found

    def signs(self) -> dict[Leaf, int]:
        """For each input: +1 if raising it is better for the council, -1 if worse, 0 if mixed."""
        out: dict[Leaf, int] = {}
        for line in self.lines:
            for leaf, sign in line.signs().items():
                out[leaf] = sign if out.get(leaf, sign) == sign else 0
        return out

    def line(self, name: str) -> Line:
        """The line called ``name``.

        Raises
        ------
        ModelError
            If there is no such line; the message lists the lines there are.
        """
        for line in self.lines:
            if line.name == name:
                return line
        names = ", ".join(repr(li.name) for li in self.lines)
        raise ModelError(f"{self.kind} {self.name!r}: no line called {name!r} (lines: {names})")

    def with_line(self, line: Line) -> Model:
        """A copy with the line of the same name replaced by ``line``."""
        self.line(line.name)
        lines = tuple(line if li.name == line.name else li for li in self.lines)
        new = copy.copy(self)
        new.__dict__.pop("_leaves", None)
        new._setup_common(self.name, self.timeline, lines, self.units)
        return new

    # -- outputs -----------------------------------------------------------------------
    def outputs(self, values: Mapping[Leaf, Value], n: int) -> Outputs:
        """Per-trial outputs (arrays of shape (n, years) or (n,)), computed on demand."""
        raise NotImplementedError

    def rows(self, view: str) -> list[Row]:
        """The rows of the council table for ``view``."""
        raise NotImplementedError

    def views(self) -> tuple[str, ...]:
        """The table views this model offers; the first is the default."""
        raise NotImplementedError

    def group_members(self, group: str) -> list[str]:
        """The output keys summed in a ``group:`` row key (models with groupings override this)."""
        raise ModelError(f"{self.describe()}: no row group {group!r}")

    def line_key(self, line: Line) -> str:
        """The output that holds a line's row."""
        return f"line:{line.name}"

    def describe(self) -> str:
        """``MTFP 'OCC overall financial position'``."""
        return f"{self.kind} {self.name!r}"

    def __setattr__(self, key: str, value: Any) -> None:
        raise ModelError(
            f"{self.describe()}: models are immutable values; build a new one "
            f"(e.g. with_line(...)) instead of setting {key!r}"
        )

    def __repr__(self) -> str:
        lines = ", ".join(f"{li.kind} {li.name!r}" for li in self.lines)
        return f"{self.kind}({self.name!r}, {self.timeline!r}, units={self.units!r}, lines=[{lines}])"


def _refuse_mixed_correlation(leaves: Sequence[Leaf], who: str) -> None:
    bases = {
        id(getattr(leaf, "base", None)): leaf for leaf in leaves if getattr(leaf, "group", None) is not None
    }
    for leaf in leaves:
        if id(leaf) in bases:
            raise ModelError(
                f"{who}: {leaf.describe()} is used both plain and correlated; use only the inputs "
                "that correlate() returned"
            )


def stack_years(parts: Sequence[Value], n: int, years: int) -> np.ndarray:
    """Broadcast per-year values (floats or (n,) arrays) into an (n, years) array."""
    out = np.empty((n, years))
    for j, part in enumerate(parts):
        out[:, j] = part
    return out


def broadcast_rows(array: np.ndarray, n: int) -> np.ndarray:
    """Make a (1, years) array (a deterministic line) into (n, years) without copying."""
    return np.broadcast_to(array, (n, array.shape[-1])) if array.shape[0] != n else array


def any_leaves(items: Sequence[Any]) -> tuple[Leaf, ...]:
    """The leaves of a mix of amounts and numbers."""
    return unique_leaves(items)
