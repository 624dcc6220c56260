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
is -5 in its year only) and a year-on-year *change* (its first difference). The net
pressure is the sum of the lines' changes, the budget gap the sum of their levels, each
added in the order of the table's rows, so each equals the sum of its rows exactly.
With a base budget brought forward in balance, the annual funding gap equals the net
pressure and the cumulative funding gap equals the rolled-forward gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, ClassVar

import numpy as np

from finmodel.core.amounts import check_number, fmt_number
from finmodel.core.errors import AmountError, ModelError
from finmodel.core.years import Timeline
from finmodel.model.base import Model, Row
from finmodel.model.flows import Flow, Term, View, fold_years
from finmodel.model.lines import Funding, Line, Reserves, Saving
from finmodel.model.metrics import derived, flow
from finmodel.model.reserves import ReservesBalance, register_reserve_metrics

__all__ = ["MTFP"]

#: The kinds of line an MTFP takes, in the order council tables print their subtotals.
LINE_KINDS: tuple[type[Line], ...] = Line.kinds("MTFP")


def _at_risk(line: Line) -> bool:
    """A saving whose delivery or timing may differ from plan: tables show plan and shortfall."""
    return isinstance(line, Saving) and line.at_risk


@dataclass(frozen=True, eq=False)
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
    reserves : ReservesBalance, optional
        The council's reserves: the plan then carries the general and earmarked
        balances through its years (``general_reserves``, ``reserves_exhausted_year``,
        the CIPFA measures...) and its tables show the gap before and after the use of
        reserves. See :class:`~finmodel.ReservesBalance`.

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

    With OCC's general balances (£19.7m, line 656) meeting the rolled-forward gap, and
    its net budget of about £416m (an overspend of £10.4m is 2.5% of it, line 654):

    >>> import dataclasses
    >>> with_reserves = dataclasses.replace(plan, reserves=fm.ReservesBalance(
    ...     general=19.7, minimum_share=0.025, net_revenue_expenditure=416))
    >>> result = fm.evaluate(with_reserves)
    >>> result.value("general_reserves").round(1).tolist(), result.value("reserves_exhausted_year")
    ([13.9, 7.2, 2.4, 1.4], 'not within the timeline')
    """

    kind: ClassVar[str] = "MTFP"
    bases: ClassVar[tuple[str, ...]] = ("incremental", "cumulative")
    groupings: ClassVar[tuple[str | None, ...]] = (None, "type", "category", "owner")
    headline: ClassVar[tuple[str, ...]] = ("cumulative_gap",)
    line_kinds: ClassVar[tuple[type[Line], ...]] = LINE_KINDS

    name: str
    timeline: Timeline
    lines: Sequence[Line]  # type: ignore[assignment]  # any sequence, kept as a tuple
    units: str = "£m"
    base_budget: float | None = None
    reserves: ReservesBalance | None = None

    def __post_init__(self) -> None:
        who = f"MTFP {self.name!r}"
        lines = self.lines
        if isinstance(lines, (Line, str, bytes)) or not hasattr(lines, "__iter__"):
            raise ModelError(f"{who}: lines must be a list of lines, got {lines!r}")
        lines = tuple(lines)
        object.__setattr__(self, "lines", lines)
        for i, line in enumerate(lines):
            if isinstance(line, Line) and not isinstance(line, LINE_KINDS):
                raise ModelError(
                    f"{who}: lines[{i}] is a {line.kind}; an MTFP takes pressures, savings, "
                    "investments, re-profiling, funding and reserves (use CostBenefitCase for a case)"
                )
        if self.base_budget is not None:
            try:
                object.__setattr__(self, "base_budget", check_number(self.base_budget, f"{who}: base_budget"))
            except AmountError as err:
                raise ModelError(str(err)) from None
        super().__post_init__()
        self._funding_bases  # noqa: B018 - refuse inconsistent bases now, not when first used
        if self.reserves is not None:
            if not isinstance(self.reserves, ReservesBalance):
                raise ModelError(f"{who}: reserves ({self.reserves!r}) must be a ReservesBalance")
            self.reserves.check_plan(self)

    def _with_lines(self, lines: tuple[Line, ...]) -> MTFP:
        return replace(self, lines=lines)

    @cached_property
    def _funding_bases(self) -> dict[str, float]:
        """Each level-funding line's level brought forward; together they are the base budget."""
        who = self.describe()
        levels = [li for li in self.lines if isinstance(li, Funding) and li.basis == "level"]
        if not levels:
            return {}
        base_budget = self.base_budget
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

    def _origin(self, line: Line) -> float:
        """A line given as levels: its level in the year brought forward (0 for the rest)."""
        if line.name in self._funding_bases:
            return self._funding_bases[line.name]
        base = getattr(line, "base", None) if line.given_as == "levels" else None
        return 0.0 if base is None else float(base)

    # -- the terms of the tables ---------------------------------------------------------
    def _term(self, line: Line, view: View, state: str | None = None, sign: float | None = None) -> Term:
        """A line's effect on the budget gap (its row: as planned for a saving at risk)."""
        chosen = state if state is not None else ("planned" if _at_risk(line) else "achieved")
        return Term(
            line,
            view,
            chosen,  # type: ignore[arg-type]
            float(-line.direction) if sign is None else sign,
            self._origin(line),
        )

    @cached_property
    def _line_rows(self) -> dict[str, tuple[Flow, ...]]:
        """View -> one flow per line (its row), in line order."""
        return {view: tuple(Flow((self._term(li, view),)) for li in self.lines) for view in ("change", "level")}

    @cached_property
    def _undelivered(self) -> dict[str, Flow | None]:
        """View -> the "Savings not delivered" row: achieved less planned of each saving at risk."""
        risky = [li for li in self.lines if _at_risk(li)]
        return {
            view: Flow(tuple(self._term(li, view, "shortfall") for li in risky)) if risky else None
            for view in ("change", "level")
        }

    def _effect(self, line: Line, view: View) -> Term:
        """A line's effect on the budget gap, as achieved (a saving at risk too)."""
        return self._term(line, view, "achieved")

    @cached_property
    def _gap(self) -> dict[str, Flow]:
        """View -> the budget gap: every line's effect, added in line order."""
        return {view: Flow(tuple(self._effect(li, view) for li in self.lines)) for view in ("change", "level")}

    @cached_property
    def _table_total(self) -> dict[str, str | Flow]:
        """View -> the table's total row: the gap metric, or where savings at risk print as
        planned with their shortfall apart, the sum of exactly those rows (the same effects
        grouped differently: equal to the metric to rounding, and to the rows bit for bit)."""
        out: dict[str, str | Flow] = {}
        views: tuple[tuple[View, str], ...] = (("change", "net_pressure"), ("level", "cumulative_gap"))
        for view, metric in views:
            undelivered = self._undelivered[view]
            out[view] = (
                metric
                if undelivered is None
                else Flow(tuple(self._term(li, view) for li in self.lines), (undelivered,))
            )
        return out

    def _subtotal(self, kind: type[Line]) -> Flow | None:
        members = [li for li in self.lines if isinstance(li, kind)]
        return Flow(tuple(self._term(li, "change") for li in members)) if members else None

    def _own(self, kinds: tuple[type[Line], ...], *, keep: bool, constant: float = 0.0) -> Flow:
        """The levels of the lines of ``kinds`` (or of every other kind), in their own sign."""
        chosen = [li for li in self.lines if isinstance(li, kinds) == keep]
        return Flow(tuple(self._term(li, "level", "achieved", sign=float(li.direction) if keep else
                                     float(-li.direction)) for li in chosen), constant=constant)

    # -- metrics -----------------------------------------------------------------------
    @flow("net_pressure", description="net pressure / (saving): each year's change in the budget gap")
    def _net_pressure(self) -> Flow:
        return self._gap["change"]

    @flow("cumulative_gap", description="the rolled-forward budget gap (the net pressure's running total)")
    def _cumulative_gap(self) -> Flow:
        return self._gap["level"]

    @derived(
        "total_net_pressure",
        needs=("net_pressure",),
        per_year=False,
        description="net pressure over the whole timeline (the Total column)",
    )
    def _total_net_pressure(self, net: np.ndarray) -> np.ndarray:
        return fold_years(net)

    @flow("undelivered_savings", description="savings not delivered (slippage and delivery), incremental")
    def _undelivered_savings(self) -> Flow | None:
        return self._undelivered["change"]

    @flow("spending_requirement", description="net budget brought forward plus changes (needs base_budget)")
    def _spending(self) -> Flow | None:
        if self.base_budget is None:
            return None
        return self._own((Funding, Reserves), keep=False, constant=self.base_budget)

    @flow("funding_available", description="funding available each year (needs base_budget)")
    def _funding_available(self) -> Flow | None:
        if self.base_budget is None:
            return None
        return self._own((Funding,), keep=True, constant=self.base_budget)

    @flow("reserves_applied", description="reserves applied to the budget each year (needs base_budget)")
    def _reserves_applied(self) -> Flow | None:
        if self.base_budget is None or not any(isinstance(li, Reserves) for li in self.lines):
            return None
        return self._own((Reserves,), keep=True)

    @flow("gap_before_reserves", description="the budget gap each year before any use of reserves "
          "(with a reserves balance)")
    def _gap_before_reserves(self) -> Flow | None:
        if self.reserves is None:
            return None
        return Flow(tuple(self._effect(li, "level") for li in self.lines if not isinstance(li, Reserves)))

    @flow("planned_use_of_reserves", description="the plan's own use of reserves each year, its Reserves lines "
          "(with a reserves balance)")
    def _planned_use_of_reserves(self) -> Flow | None:
        return None if self.reserves is None else self._own((Reserves,), keep=True)

    @flow("net_revenue_expenditure", description="net revenue expenditure each year: the year brought forward's "
          "plus the plan's spending changes (with a reserves balance)")
    def _net_revenue_expenditure(self) -> Flow | None:
        base = None if self.reserves is None else self.reserves.nre_base(self)
        return None if base is None else self._own((Funding, Reserves), keep=False, constant=base)

    @derived(
        "brought_forward",
        needs=("spending_requirement",),
        description="the net budget brought forward into each year",
    )
    def _brought_forward(self, spending: np.ndarray) -> np.ndarray:
        out = np.empty(spending.shape)
        out[0] = self.base_budget
        out[1:] = spending[:-1]
        return out

    # -- presentation --------------------------------------------------------------------
    def _rows(self, basis: str, by: str | None) -> list[Row]:
        """Council table rows: ``incremental`` (each year's change, the published MTFP form)
        or ``cumulative`` (the brought-forward layout when the plan has a base budget,
        otherwise each line's level and the rolled-forward gap), grouped ``by`` None (each
        line), ``"type"``, ``"category"`` or ``"owner"``."""
        if basis == "cumulative" and self.base_budget is not None:
            return self._brought_forward_rows(by)
        view: View = "change" if basis == "incremental" else "level"
        total = "sum" if view == "change" else "blank"
        out = self._line_table(view, by, total)
        if view == "change":
            out.append(Row("Net Pressure / (Saving)", self._table_total["change"], bold=True, summary=True))
            out.append(Row("Cumulative budget gap", "cumulative_gap", total="blank"))
        else:
            out.append(Row("Cumulative budget gap", self._table_total["level"], total="blank", bold=True, summary=True))
        return out + self._reserves_rows(before=True)

    def _reserves_rows(self, before: bool) -> list[Row]:
        """With a reserves balance: the gap before and after the use of reserves, and the balances."""
        if self.reserves is None:
            return []
        rows = [Row("Gap before use of reserves", "gap_before_reserves", total="blank")] if before else []
        rows.append(Row("Use of reserves", "use_of_reserves"))
        rows.append(Row("Gap after use of reserves", "gap_after_reserves", total="blank", bold=True))
        rows.append(Row("General reserves at 31 March", "general_reserves", total="blank"))
        rows.append(Row("Earmarked reserves at 31 March", "earmarked_reserves", total="blank"))
        return rows

    def _line_table(self, view: View, by: str | None, total: Any, skip: tuple[type[Line], ...] = ()) -> list[Row]:
        shown = [(li, row) for li, row in zip(self.lines, self._line_rows[view], strict=True) if not isinstance(li, skip)]
        if by is None:
            out = [Row(li.name, row, total=total) for li, row in shown]
        else:
            groups: dict[str, list[Line]] = {}
            if by == "type":
                for kind in LINE_KINDS:
                    groups[kind.heading] = [li for li, _ in shown if isinstance(li, kind)]
            else:
                for li, _ in shown:
                    groups.setdefault(getattr(li, by) or "(untagged)", []).append(li)
            out = [
                Row(label, Flow(tuple(self._term(li, view) for li in members)), total=total)
                for label, members in groups.items()
                if members
            ]
        undelivered = self._undelivered[view]
        if undelivered is not None:  # savings at risk are never skipped (only funding and reserves are)
            out.append(Row("Savings not delivered", undelivered, total=total))
        return out

    def _brought_forward_rows(self, by: str | None) -> list[Row]:
        rows = [Row("Net budget brought forward", "brought_forward", total="blank")]
        rows += self._line_table("change", by, "sum", skip=(Funding, Reserves))
        rows.append(Row("Spending requirement", "spending_requirement", total="blank", bold=True))
        rows.append(Row("Funding available", "funding_available", total="blank"))
        if "gap_before_reserves" in self.available:
            rows.append(Row("Gap before use of reserves", "gap_before_reserves", total="blank"))
        if any(isinstance(li, Reserves) for li in self.lines):
            rows.append(Row("Reserves applied", "reserves_applied", total="blank"))
        rows.append(Row("Cumulative funding gap", "cumulative_gap", total="blank", bold=True))
        rows.append(Row("Annual funding gap", "net_pressure"))
        return rows + self._reserves_rows(before=False)


def _register_subtotal(kind: type[Line]) -> None:
    @flow(kind.metric, description=f"{kind.heading.lower()}, incremental, as planned (their sign in the gap)")
    def subtotal(model: MTFP) -> Flow | None:
        return model._subtotal(kind)

    MTFP.register(subtotal)


for _kind in LINE_KINDS:
    _register_subtotal(_kind)
register_reserve_metrics(MTFP)
