"""What every model (an MTFP, a cost/benefit case) shares: lines on a timeline.

A model is an immutable value (a frozen dataclass). It knows its uncertain inputs
(``leaves``), how each input moves the result for the council (``signs``, used by the
worst and best scenarios), the metrics it offers (``metrics``, registered on the class
beside the methods that compute them) and how a council table lays them out (``rows``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any, ClassVar, Literal

import numpy as np

from finmodel.core.amounts import Leaf
from finmodel.core.errors import ModelError
from finmodel.core.money import check_units
from finmodel.core.names import check_name, name_key
from finmodel.core.years import Timeline
from finmodel.model.flows import Flow
from finmodel.model.html import model_html
from finmodel.model.lines import Line
from finmodel.model.metrics import Metric

__all__ = ["Model", "Row"]


@dataclass(frozen=True)
class Row:
    """One row of a council table: its label, what it shows, its sign and its Total cell.

    Parameters
    ----------
    label : str
    source : str or Flow
        A metric of the model (``"net_pressure"``) or a flow (one line's row, a group).
    sign : {1.0, -1.0}
        -1 where the paper prints the quantity negated (costs in a cost/benefit table).
    total : {"sum", "blank"}
        The years add up in the Total column, or the paper leaves it blank (a level or a
        running total).
    bold : bool
    summary : bool
        A total or summary of the model (the net pressure, the gap), not a line or a group
        of lines: charts that walk from line to line leave it out. A row whose source is a
        metric is a summary.

    Examples
    --------
    >>> Row("Annual cost", "cost", sign=-1.0).sign
    -1.0
    """

    label: str
    source: str | Flow
    sign: float = 1.0
    total: Literal["sum", "blank"] = "sum"
    bold: bool = False
    summary: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.source, str):
            object.__setattr__(self, "summary", True)


class Model:
    """Base of :class:`~finmodel.model.plans.MTFP` and :class:`~finmodel.model.cases.CostBenefitCase`.

    Each kind of model is a frozen dataclass with its own fields (``name`` and
    ``timeline`` first); this base holds what they share and checks it after they are
    built (``__post_init__``).
    """

    kind: ClassVar[str] = "Model"
    #: every metric of the kind, by name (collected from the methods that compute them)
    metrics: ClassVar[Mapping[str, Metric]] = MappingProxyType({})
    #: the table bases (views) the kind offers; the first is the default
    bases: ClassVar[tuple[str, ...]] = ()
    #: the ``by=`` values its tables accept (None: one row per line, or the printed summary)
    groupings: ClassVar[tuple[str | None, ...]] = (None,)
    #: the metrics ``simulate`` computes at once (the rest on first use)
    headline: ClassVar[tuple[str, ...]] = ()
    #: how a table's caption names its basis ("view incremental", "benefits in-year")
    basis_noun: ClassVar[str] = "view"
    #: negatives printed in brackets (MTFP tables) or with a minus sign (cost/benefit tables)
    negatives_in_brackets: ClassVar[bool] = True

    name: str
    timeline: Timeline
    #: Every line of the model, in order (a field of an MTFP; a case's benefits then costs).
    lines: tuple[Line, ...]
    #: The units amounts are given in (``"£m"``...).
    units: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found = dict(cls.metrics)
        for value in vars(cls).values():
            metric = getattr(value, "__metric__", None)
            if isinstance(metric, Metric):
                found[metric.name] = metric
        cls.metrics = MappingProxyType(found)

    @classmethod
    def register(cls, func: Any) -> None:
        """Add a metric declared outside the class body (a function decorated with
        :func:`~finmodel.model.metrics.flow` or :func:`~finmodel.model.metrics.derived`)."""
        cls.metrics = MappingProxyType({**cls.metrics, func.__metric__.name: func.__metric__})


    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ModelError(f"{self.kind}: name ({self.name!r}) must be a non-empty string")
        check_name(self.name, self.kind, error=ModelError)
        who = self.describe()
        if not isinstance(self.timeline, Timeline):
            raise ModelError(f"{who}: timeline ({self.timeline!r}) must be a Timeline, e.g. Timeline('2018/19', 4)")
        check_units(self.units, f"{who}: units")
        seen: dict[str, str] = {}
        for i, line in enumerate(self.lines):
            if not isinstance(line, Line):
                raise ModelError(f"{who}: lines[{i}] ({line!r}) is not a line (Pressure, Saving, Benefit, ...)")
            key = name_key(line.name)
            if key in seen:
                if seen[key] == line.name:
                    raise ModelError(f"{who}: two lines are called {line.name!r}; line names must be unique")
                raise ModelError(
                    f"{who}: lines {seen[key]!r} and {line.name!r} look alike (the same letters in another "
                    "form); line names must be unique"
                )
            seen[key] = line.name
            line.check_fits(self.timeline.length)
        _refuse_mixed_correlation(self.leaves(), who)

    # -- inputs ------------------------------------------------------------------------
    @cached_property
    def _leaves(self) -> tuple[Leaf, ...]:
        out: dict[Leaf, None] = {}
        for line in self.lines:
            out.update(dict.fromkeys(line.leaves()))
        return tuple(out)

    def leaves(self) -> tuple[Leaf, ...]:
        """Every uncertain input of the model, each once, in order of first use."""
        return self._leaves

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
        """A copy with the line of the same name replaced by ``line`` (a what-if).

        Examples
        --------
        >>> import finmodel as fm
        >>> plan = fm.MTFP("p", fm.Timeline("2024/25", 2), [fm.Pressure("Demand", [1.0, 1.0])])
        >>> fm.evaluate(plan.with_line(fm.Pressure("Demand", [2.0, 0.0]))).value("net_pressure").tolist()
        [2.0, 0.0]
        """
        self.line(line.name)
        return self._with_lines(tuple(line if li.name == line.name else li for li in self.lines))

    def _with_lines(self, lines: tuple[Line, ...]) -> Model:
        raise NotImplementedError

    # -- metrics and tables ------------------------------------------------------------
    @cached_property
    def _flows(self) -> dict[str, Flow]:
        return {
            name: found
            for name, metric in self.metrics.items()
            if metric.is_flow and (found := metric.func(self)) is not None
        }

    @cached_property
    def available(self) -> tuple[str, ...]:
        """The metrics this model has (a flow with lines behind it, or a metric derived from those).

        Examples
        --------
        >>> import finmodel as fm
        >>> plan = fm.MTFP("p", fm.Timeline("2024/25", 2), [fm.Pressure("Demand", [1.0, 1.0])])
        >>> plan.available[:3]
        ('net_pressure', 'cumulative_gap', 'total_net_pressure')
        """
        have: list[str] = []
        for name, metric in self.metrics.items():
            if (metric.is_flow and name in self._flows) or (
                not metric.is_flow and all(n in have for n in metric.needs)
            ):
                have.append(name)
        return tuple(have)

    def flow(self, name: str) -> Flow:
        """The flow behind a flow metric."""
        return self._flows[name]

    def derive(self, name: str, *arrays: np.ndarray) -> np.ndarray:
        """Compute a derived metric from its ``needs``' values (trial by trial)."""
        return np.asarray(self.metrics[name].func(self, *arrays))

    def rows(self, basis: str | None = None, by: str | None = None) -> list[Row]:
        """The rows of the council table for a basis (the default: ``bases[0]``) and grouping."""
        basis = self.bases[0] if basis is None else basis
        if basis not in self.bases:
            raise ModelError(f"{self.describe()}: basis ({basis!r}) must be one of {', '.join(map(repr, self.bases))}")
        if by not in self.groupings:
            shown = ", ".join("None" if g is None else repr(g) for g in self.groupings)
            raise ModelError(f"{self.describe()}: by ({by!r}) must be one of {shown}")
        cache = self._row_cache
        if (basis, by) not in cache:
            cache[basis, by] = self._rows(basis, by)
        return cache[basis, by]

    @cached_property
    def _row_cache(self) -> dict[tuple[str, str | None], list[Row]]:
        return {}

    def _rows(self, basis: str, by: str | None) -> list[Row]:
        raise NotImplementedError

    def describe(self) -> str:
        """``MTFP 'OCC overall financial position'``."""
        return f"{self.kind} {self.name!r}"

    def _repr_html_(self) -> str:
        """Jupyter's view: the model's lines as a table (see :mod:`finmodel.model.html`)."""
        return model_html(self.kind, self.name, self.timeline, self.units, self.lines, len(self.leaves()))

    def __repr__(self) -> str:
        lines = ", ".join(f"{li.kind} {li.name!r}" for li in self.lines)
        return f"{self.kind}({self.name!r}, {self.timeline!r}, units={self.units!r}, lines=[{lines}])"


def _refuse_mixed_correlation(leaves: Sequence[Leaf], who: str) -> None:
    bases = {id(getattr(leaf, "base", None)): leaf for leaf in leaves if getattr(leaf, "group", None) is not None}
    for leaf in leaves:
        if id(leaf) in bases:
            raise ModelError(
                f"{who}: {leaf.describe()} is used both plain and correlated; use only the inputs "
                "that correlate() returned"
            )
