"""The Medium Term Financial Plan (MTFP): pressures, savings, investments, funding.

Two layouts, one calculation.

* **Incremental** (``base_budget=None``), as the OCC overall financial position prints
  it: each row is a year's *change*; the bottom line is the "Net Pressure / (Saving)"
  and its running total is the rolled-forward budget gap.
* **Brought forward** (``base_budget`` given): the net budget brought forward, pressures
  and investments added, savings taken off, the spending requirement carried forward
  as next year's base, set against the funding available (often given as a *level*),
  with the cumulative and the annual funding gap.

Both come from the same numbers. Every line has an effect on the budget gap in each
year (its *level*: a recurring saving of 5 from year 1 is -5 in every year; a one-off
is -5 in its year only); the incremental view is the first difference of the level,
and the cumulative gap is the sum of the levels. With a base budget brought forward in
balance, the annual funding gap equals the net pressure and the cumulative funding gap
equals the rolled-forward gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from finmodel.core.amounts import Amount, Leaf, Value, check_number, fmt_number
from finmodel.core.errors import AmountError, ModelError
from finmodel.core.profiles import PhasedSum
from finmodel.core.years import Timeline
from finmodel.model.base import Model, Row, broadcast_rows
from finmodel.model.lines import Funding, Line, Saving
from finmodel.model.outputs import Outputs

__all__ = ["MTFP"]

# kind -> (output name, table label): the subtotals by type, in council order.
_KINDS: dict[str, tuple[str, str]] = {
    "Investment": ("investments", "Improvements & Investments"),
    "Pressure": ("pressures", "Pressures"),
    "Saving": ("savings", "Savings"),
    "Reprofile": ("reprofiling", "Re-profiling"),
    "Funding": ("funding", "Funding"),
    "Reserves": ("reserves", "Reserves applied"),
}


def _per_line(key: str) -> bool:
    return key.startswith(("level:", "line:", "plan:"))


def _at_risk(line: Line) -> bool:
    """A saving whose delivery or timing may differ from plan: tables show plan and shortfall."""
    if not isinstance(line, Saving):
        return False
    slips = line.delay is not None and not (not isinstance(line.delay, Amount) and line.delay == 0)
    return line.delivery is not None or slips


def _funding_bases(who: str, lines: tuple[Line, ...], base_budget: float | None) -> dict[str, float]:
    """Each level-funding line's level brought forward; together they are the base budget."""
    levels = [li for li in lines if isinstance(li, Funding) and li.basis == "level"]
    if not levels:
        return {}
    if base_budget is None:
        raise ModelError(
            f"{who}: Funding {levels[0].name!r} is given as levels; the plan needs base_budget "
            "(the net budget brought forward) to turn the first year into a change"
        )
    missing = [li.name for li in levels if li.base is None]
    if len(missing) > 1:
        raise ModelError(
            f"{who}: {len(missing)} funding lines are given as levels ({', '.join(map(repr, missing))}); "
            "give each its level in the year brought forward (base=...), adding up to the base budget "
            f"({fmt_number(base_budget)})"
        )
    given = {li.name: float(li.base) for li in levels if li.base is not None}
    rest = base_budget - sum(given.values())
    if missing:
        given[missing[0]] = rest
    elif abs(rest) > 1e-9 * max(1.0, abs(base_budget)):
        shown = " + ".join(fmt_number(v) for v in given.values())
        raise ModelError(
            f"{who}: the level-funding bases add up to {fmt_number(round(base_budget - rest, 9))} ({shown}), "
            f"not the base budget ({fmt_number(base_budget)}); a budget is brought forward in balance"
        )
    return given


def _row_key(line: Line, prefix: str) -> str:
    """The output holding a line's row: its planned level for a saving at risk."""
    if prefix == "level:" and _at_risk(line):
        return f"plan:{line.name}"
    return f"{prefix}{line.name}"


class MTFP(Model):
    """A Medium Term Financial Plan: the net pressure / (saving) by year.

    Parameters
    ----------
    name : str
    timeline : Timeline
    lines : sequence of lines
        :class:`~finmodel.model.lines.Pressure`, :class:`~finmodel.model.lines.Investment`,
        :class:`~finmodel.model.lines.Saving`, :class:`~finmodel.model.lines.Reprofile`,
        :class:`~finmodel.model.lines.Funding`, :class:`~finmodel.model.lines.Reserves`.
    units : {"£m", "£k", "£", "£bn"}
        The units the amounts are given in.
    base_budget : float, optional
        The net budget brought forward into the first year. Given, the plan is laid
        out brought-forward style and funding may be given as levels.

    Examples
    --------
    The OCC overall financial position, 002_90ddc037a457842c.txt lines 1199-1207:

    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> plan = fm.MTFP("OCC overall financial position 2018/22", years, lines=[
    ...     fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5]),
    ...     fm.Pressure("Pressures", [18.4, 9.0, 6.5, 0.2]),
    ...     fm.Saving("Savings", [32.4, 0.0, 4.9, 0.5]),
    ...     fm.Reprofile("Transformation Savings Re-profiled", [15.0, -8.5, -3.5, -3.0]),
    ... ])
    >>> fm.evaluate(plan, "central").table().round(1).loc["Net Pressure / (Saving)"].tolist()
    [5.8, 0.9, -1.9, -3.8, 1.0]
    """

    kind: ClassVar[str] = "MTFP"
    GROUPINGS: ClassVar[tuple[str | None, ...]] = (None, "type", "category", "owner")
    METRICS: ClassVar[dict[str, tuple[bool, str]]] = {
        "net_pressure": (True, "net pressure / (saving): each year's change in the budget gap"),
        "cumulative_gap": (True, "the rolled-forward budget gap (cumulative net pressure)"),
        "total_net_pressure": (False, "net pressure over the whole timeline (the Total column)"),
        "pressures": (True, "pressures, incremental"),
        "investments": (True, "investments, incremental"),
        "savings": (True, "savings as planned, incremental (negative)"),
        "undelivered_savings": (True, "savings not delivered (slippage and delivery), incremental"),
        "reprofiling": (True, "re-profiling, incremental"),
        "funding": (True, "funding, incremental (negative: funding reduces the gap)"),
        "reserves": (True, "reserves applied, incremental (negative)"),
        "spending_requirement": (True, "net budget brought forward plus changes (needs base_budget)"),
        "funding_available": (True, "funding available each year (needs base_budget)"),
    }

    base_budget: float | None
    _funding_bases: dict[str, float]

    def __init__(
        self,
        name: str,
        timeline: Timeline,
        lines: Sequence[Line],
        units: str = "£m",
        base_budget: float | None = None,
    ) -> None:
        who = f"MTFP {name!r}"
        if isinstance(lines, Line) or isinstance(lines, (str, bytes)) or not hasattr(lines, "__iter__"):
            raise ModelError(f"{who}: lines must be a list of lines, got {lines!r}")
        lines = tuple(lines)
        for i, line in enumerate(lines):
            if isinstance(line, Line) and line.kind in ("Benefit", "Cost"):
                raise ModelError(
                    f"{who}: lines[{i}] is a {line.kind}; an MTFP takes pressures, savings, "
                    "investments, re-profiling, funding and reserves (use CostBenefitCase for a case)"
                )
        if base_budget is not None:
            try:
                base_budget = check_number(base_budget, f"{who}: base_budget")
            except AmountError as err:
                raise ModelError(str(err)) from None
        object.__setattr__(self, "base_budget", base_budget)
        object.__setattr__(self, "_funding_bases", _funding_bases(who, lines, base_budget))
        self._setup_common(name, timeline, lines, units)

    def with_line(self, line: Line) -> MTFP:
        self.line(line.name)
        lines = [line if li.name == line.name else li for li in self.lines]
        return MTFP(self.name, self.timeline, lines, self.units, self.base_budget)

    # -- calculation ---------------------------------------------------------------------
    def _level(self, line: Line, values: Mapping[Leaf, Value], n: int) -> np.ndarray:
        """The line's effect on each year's budget gap (+ widens it)."""
        level = line.achieved(values, self.timeline.length, scale=float(-line.direction))
        if line.name in self._funding_bases:
            level += self._funding_bases[line.name]  # the change from its level brought forward
        return broadcast_rows(level, n)

    def _sum_levels(
        self, lines: Sequence[Line], values: Mapping[Leaf, Value], n: int, *, sign: float = 1.0, planned: bool = False
    ) -> np.ndarray:
        """``sign`` times the sum of the lines' levels (savings at risk as planned if ``planned``),
        added without an ``(n, years)`` array per line."""
        total = PhasedSum(self.timeline.length, n)
        for line in lines:
            line.add_to(total, values, sign * -line.direction, slip=not (planned and _at_risk(line)))
            if line.name in self._funding_bases:  # a level line: its change from its own base
                total.add((1.0,), sign * self._funding_bases[line.name])
        return total.result()

    def outputs(self, values: Mapping[Leaf, Value], n: int) -> Outputs:
        years = self.timeline.length
        makers: dict[str, Any] = {}

        def incremental(level: np.ndarray) -> np.ndarray:
            return np.diff(level, axis=1, prepend=0.0)

        for line in self.lines:
            makers[f"level:{line.name}"] = lambda o, li=line: self._level(li, values, n)
            if _at_risk(line):
                # tables show the saving as planned; the shortfall has a row of its own
                makers[f"plan:{line.name}"] = lambda o, li=line: broadcast_rows(
                    li.planned(values, years, scale=-1.0), n
                )
                makers[f"line:{line.name}"] = lambda o, li=line: incremental(o[f"plan:{li.name}"])
            else:
                makers[f"line:{line.name}"] = lambda o, li=line: incremental(o[f"level:{li.name}"])
        shortfall = [li for li in self.lines if _at_risk(li)]

        def undelivered_level(o: Outputs) -> np.ndarray:
            total = self._sum_levels(shortfall, values, n)
            total -= self._sum_levels(shortfall, values, n, planned=True)
            return total

        if shortfall:
            makers["undelivered_level"] = undelivered_level
            makers["undelivered_savings"] = lambda o: incremental(o["undelivered_level"])

        def by_kind(kind: str) -> Any:
            def make(o: Outputs) -> np.ndarray:  # the sum of the lines' rows
                lines = [li for li in self.lines if li.kind == kind]
                return incremental(self._sum_levels(lines, values, n, planned=True))

            return make

        for kind, (key, _label) in _KINDS.items():
            if any(li.kind == kind for li in self.lines):
                makers[key] = by_kind(kind)

        def gap(o: Outputs) -> np.ndarray:
            return self._sum_levels(self.lines, values, n)

        makers["cumulative_gap"] = gap
        makers["net_pressure"] = lambda o: incremental(o["cumulative_gap"])
        makers["total_net_pressure"] = lambda o: o["cumulative_gap"][:, -1].copy()
        if self.base_budget is not None:
            base = self.base_budget

            def spending(o: Outputs) -> np.ndarray:
                lines = [li for li in self.lines if li.kind not in ("Funding", "Reserves")]
                total = self._sum_levels(lines, values, n)
                total += base
                return total

            def funding_available(o: Outputs) -> np.ndarray:
                total = self._sum_levels([li for li in self.lines if li.kind == "Funding"], values, n, sign=-1.0)
                total += base
                return total

            def brought_forward(o: Outputs) -> np.ndarray:
                spend = o["spending_requirement"]
                return np.concatenate([np.full((n, 1), base), spend[:, :-1]], axis=1)

            def reserves_level(o: Outputs) -> np.ndarray:
                return self._sum_levels([li for li in self.lines if li.kind == "Reserves"], values, n, sign=-1.0)

            makers["spending_requirement"] = spending
            makers["funding_available"] = funding_available
            makers["brought_forward"] = brought_forward
            makers["reserves_applied"] = reserves_level
        return Outputs(makers, transient=_per_line)

    # -- presentation --------------------------------------------------------------------
    def views(self) -> tuple[str, ...]:
        return ("incremental", "cumulative")

    def rows(self, view: str = "incremental", by: str | None = None) -> list[Row]:
        """Council table rows. ``view`` is ``"incremental"`` (each year's change, the
        published MTFP form) or ``"cumulative"`` (the brought-forward layout when the plan
        has a base budget, otherwise each line's level and the rolled-forward gap).
        ``by`` groups the lines: ``None`` (each line), ``"type"``, ``"category"`` or ``"owner"``.
        """
        if view not in self.views():
            raise ModelError(f"{self.describe()}: view ({view!r}) must be one of {self.views()}")
        if view == "cumulative" and self.base_budget is not None:
            return self._brought_forward_rows(by)
        prefix = "line:" if view == "incremental" else "level:"
        out = self._line_rows(prefix, by, total="sum" if view == "incremental" else "blank")
        if view == "incremental":
            out.append(Row("Net Pressure / (Saving)", "net_pressure", "sum", bold=True))
            out.append(Row("Cumulative budget gap", "cumulative_gap", "blank"))
        else:
            out.append(Row("Cumulative budget gap", "cumulative_gap", "blank", bold=True))
        return out

    def _line_rows(self, prefix: str, by: str | None, total: str, skip: tuple[str, ...] = ()) -> list[Row]:
        lines = [li for li in self.lines if li.kind not in skip]
        if by is None:
            out = [Row(li.name, _row_key(li, prefix), total) for li in lines]
        elif by == "type":
            out = [
                Row(label, f"group:{prefix}kind:{kind}", total)
                for kind, (_key, label) in _KINDS.items()
                if any(li.kind == kind for li in lines)
            ]
        elif by in ("category", "owner"):
            tags = list(dict.fromkeys(getattr(li, by) or "(untagged)" for li in lines))
            out = [Row(tag, f"group:{prefix}{by}:{tag}", total) for tag in tags]
        else:
            raise ModelError(f"{self.describe()}: by ({by!r}) must be None, 'type', 'category' or 'owner'")
        if any(_at_risk(li) for li in lines):
            key = "undelivered_savings" if prefix == "line:" else "undelivered_level"
            out.append(Row("Savings not delivered", key, total))
        return out

    def group_members(self, group: str) -> list[str]:
        """The output keys summed in a ``group:`` row key (see :meth:`rows`)."""
        _, prefix, field, value = group.split(":", 3)
        members = []
        for li in self.lines:
            tag = li.kind if field == "kind" else (getattr(li, field) or "(untagged)")
            if tag == value:
                members.append(_row_key(li, f"{prefix}:"))
        return members

    def _brought_forward_rows(self, by: str | None) -> list[Row]:
        rows = [Row("Net budget brought forward", "brought_forward", "blank")]
        rows += self._line_rows("line:", by, "sum", skip=("Funding", "Reserves"))
        rows.append(Row("Spending requirement", "spending_requirement", "blank", bold=True))
        rows.append(Row("Funding available", "funding_available", "blank"))
        if any(li.kind == "Reserves" for li in self.lines):
            rows.append(Row("Reserves applied", "reserves_applied", "blank"))
        rows.append(Row("Cumulative funding gap", "cumulative_gap", "blank", bold=True))
        rows.append(Row("Annual funding gap", "net_pressure", "sum"))
        return rows
