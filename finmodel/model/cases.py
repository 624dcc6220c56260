"""Cost/benefit cases: transformation programmes, invest-to-save, shared services.

Two bases for benefits, both always available from the same case:

* ``"in-year"`` (the default): the benefit actually received in each year. A run rate
  of £33m phased 2, 13, 13, 5 is received as 2, 15, 28, 33. Cash flows, NPV and payback
  use this basis.
* ``"incremental"``: each year's *new* on-going benefit, 2, 13, 13, 5, as the OCC case
  for change prints its "Annual benefit" row (002_90ddc037a457842c.txt:1628). One-off
  amounts count in their own year in both bases.

Every table and metric says which basis it used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

import numpy as np

from finmodel.core.amounts import Leaf, Value
from finmodel.core.discount import FirstYear, discount_factors
from finmodel.core.errors import ModelError
from finmodel.core.profiles import PhasedSum
from finmodel.core.years import Timeline
from finmodel.model.base import Model, Row, broadcast_rows
from finmodel.model.lines import Benefit, Cost, Line
from finmodel.model.outputs import Outputs

__all__ = ["BASES", "CostBenefitCase", "payback_index"]

Basis = Literal["in-year", "incremental"]
BASES: tuple[Basis, ...] = ("in-year", "incremental")

#: Cumulative net within this much of zero counts as paid back (absorbs float rounding).
PAYBACK_TOLERANCE = 1e-9


def payback_index(cumulative: np.ndarray) -> np.ndarray:
    """Per trial, the index of the year from which the cumulative net stays >= 0; ``inf`` if none.

    Notes
    -----
    Payback is the first year after the last year in which the cumulative net is
    negative: a case that is level before anything is spent, or that dips below zero
    again, has not paid back until it stays in credit. A case never in deficit pays
    back in its first year.

    Examples
    --------
    >>> payback_index(np.array([[-1.0, 4.0, 12.0], [-3.0, -1.0, -0.5], [0.0, -8.0, 7.0]])).tolist()
    [1.0, inf, 2.0]
    """
    years = cumulative.shape[1]
    short = cumulative < -PAYBACK_TOLERANCE
    last_short = years - 1 - short[:, ::-1].argmax(axis=1)
    first = np.where(short.any(axis=1), last_short + 1, 0).astype(float)
    first[first >= years] = np.inf
    return first


def _discounted(flows: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Per trial, the sum of ``flows * factors`` over the years, added year by year.

    A matrix product may add in an order that depends on the number of trials (BLAS
    kernels differ for one row and for many), which would let the chunk size change a
    trial's NPV in its last bits; adding year by year never does.
    """
    out = flows[:, 0] * factors[0]
    for year in range(1, flows.shape[1]):
        out += flows[:, year] * factors[year]
    return out


class CostBenefitCase(Model):
    """A case for change: benefits against costs, with payback, NPV and return on investment.

    Parameters
    ----------
    name : str
    timeline : Timeline
    benefits : sequence of Benefit
    costs : sequence of Cost
    units : {"£m", "£k", "£", "£bn"}
    discount_rate : float, optional
        A flat rate for NPV; ``None`` (default) uses the Green Book STPR schedule.
    first_year : {"undiscounted", "discounted"}
        Whether the first year is discounted (Green Book: undiscounted).

    Examples
    --------
    The OCC case for change, 002_90ddc037a457842c.txt lines 1551-1557 and 1624-1631:

    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> phasing = fm.Profile.increments([2, 13, 13, 5])
    >>> case = fm.CostBenefitCase("OCC case for change", years,
    ...     benefits=[fm.Benefit("Operating model transformation", fm.Range(21, 33), phasing),
    ...               fm.Benefit("Quick wins", fm.Range(8, 17), phasing),
    ...               fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), phasing)],
    ...     costs=[fm.Cost("Implementation", [3, 8, 5, 1])])
    >>> fm.evaluate(case, "low").table(basis="incremental").round(6)
    OCC case for change (£m; benefits incremental)  2018/19  2019/20  2020/21  2021/22  Total
    Annual benefit                                      2.0     13.0     13.0      5.0   33.0
    Annual cost                                        -3.0     -8.0     -5.0     -1.0  -17.0
    Annual net benefit                                 -1.0      5.0      8.0      4.0   16.0
    Cumulative net                                     -1.0      4.0     12.0     16.0    NaN
    """

    kind: ClassVar[str] = "CostBenefitCase"
    GROUPINGS: ClassVar[tuple[str | None, ...]] = (None, "line")
    METRICS: ClassVar[dict[str, tuple[bool, str]]] = {
        "benefit": (True, "benefit received in each year (in-year basis)"),
        "benefit_incremental": (True, "new on-going benefit added each year (incremental basis)"),
        "cost": (True, "cost in each year (positive)"),
        "cost_incremental": (True, "new cost each year (incremental basis, positive)"),
        "net": (True, "benefit minus cost in each year (in-year basis)"),
        "net_incremental": (True, "benefit minus cost, incremental basis"),
        "cumulative_net": (True, "running total of net (in-year basis)"),
        "cumulative_net_incremental": (True, "running total of net, incremental basis"),
        "run_rate": (False, "on-going annual benefit once fully delivered"),
        "cost_run_rate": (False, "on-going annual cost of the recurring costs"),
        "net_run_rate": (False, "on-going annual benefit less on-going annual cost"),
        "npv": (False, "net present value of the in-year net flows"),
        "payback_year": (
            False,
            "years from the first year to the year from which the cumulative net "
            "(in-year) stays >= 0; inf if not within the timeline",
        ),
        "roi": (False, "return on investment: (total benefit - total cost) / total cost, in-year"),
        "total_benefit": (False, "benefit over the timeline (in-year)"),
        "total_cost": (False, "cost over the timeline"),
    }

    benefits: tuple[Benefit, ...]
    costs: tuple[Cost, ...]
    discount_rate: float | None
    first_year: FirstYear

    def __init__(
        self,
        name: str,
        timeline: Timeline,
        benefits: Sequence[Benefit],
        costs: Sequence[Cost] = (),
        units: str = "£m",
        discount_rate: float | None = None,
        first_year: FirstYear = "undiscounted",
    ) -> None:
        who = f"CostBenefitCase {name!r}"
        for field, items, cls in (("benefits", benefits, Benefit), ("costs", costs, Cost)):
            if isinstance(items, Line) or not isinstance(items, (list, tuple)):
                raise ModelError(f"{who}: {field} must be a list of {cls.__name__} lines, got {items!r}")
            for i, item in enumerate(items):
                if not isinstance(item, cls):
                    raise ModelError(f"{who}: {field}[{i}] ({item!r}) is not a {cls.__name__}")
        discount_factors(timeline.length if isinstance(timeline, Timeline) else 1, discount_rate, first_year)
        set_ = object.__setattr__
        set_(self, "benefits", tuple(benefits))
        set_(self, "costs", tuple(costs))
        set_(self, "discount_rate", discount_rate)
        set_(self, "first_year", first_year)
        self._setup_common(name, timeline, [*benefits, *costs], units)

    def with_line(self, line: Line) -> CostBenefitCase:
        self.line(line.name)
        swap = [line if li.name == line.name else li for li in self.lines]
        return CostBenefitCase(
            self.name,
            self.timeline,
            [li for li in swap if isinstance(li, Benefit)],
            [li for li in swap if isinstance(li, Cost)],
            self.units,
            self.discount_rate,
            self.first_year,
        )

    # -- calculation -------------------------------------------------------------------
    def outputs(self, values: Mapping[Leaf, Value], n: int) -> Outputs:
        years = self.timeline.length
        makers: dict[str, Any] = {}
        for line in self.lines:
            sign = float(line.direction)
            makers[f"line:{line.name}"] = lambda o, li=line, s=sign: broadcast_rows(
                s * li.achieved(values, years), n
            )
            if line.recurring:
                makers[f"inc:{line.name}"] = lambda o, li=line: np.diff(
                    o[f"line:{li.name}"], axis=1, prepend=0.0
                )
            else:
                makers[f"inc:{line.name}"] = lambda o, li=line: o[f"line:{li.name}"]

        def total(prefix: str, lines: Sequence[Line]) -> Any:
            # the sum of the lines' rows (costs counted positive), without an (n, years) array per line
            def make(o: Outputs) -> np.ndarray:
                if prefix == "line:":
                    in_year = PhasedSum(years, n)
                    for li in lines:
                        li.add_to(in_year, values)
                    return in_year.result()
                recurring, one_off = PhasedSum(years, n), PhasedSum(years, n)
                for li in lines:
                    li.add_to(recurring if li.recurring else one_off, values)
                out = np.diff(recurring.result(), axis=1, prepend=0.0)
                out += one_off.result()
                return out

            return make

        for suffix, prefix in (("", "line:"), ("_incremental", "inc:")):
            makers[f"benefit{suffix}"] = total(prefix, self.benefits)
            makers[f"cost{suffix}"] = total(prefix, self.costs)
            makers[f"net{suffix}"] = lambda o, s=suffix: o[f"benefit{s}"] - o[f"cost{s}"]
            makers[f"cumulative_net{suffix}"] = lambda o, s=suffix: np.cumsum(o[f"net{s}"], axis=1)

        factors = discount_factors(years, self.discount_rate, self.first_year)

        def run_rate(lines: Sequence[Line]) -> Any:
            def make(o: Outputs) -> np.ndarray:
                out = np.zeros(n)
                for li in lines:
                    out += li.run_rate(values)
                return out

            return make

        def roi(o: Outputs) -> np.ndarray:
            spent, gained = o["total_cost"], o["total_benefit"]
            out = np.zeros(n)
            has_cost = spent != 0
            out[has_cost] = (gained[has_cost] - spent[has_cost]) / spent[has_cost]
            out[~has_cost & (gained > 0)] = np.inf
            return out

        makers["run_rate"] = run_rate(self.benefits)
        makers["cost_run_rate"] = run_rate(self.costs)
        makers["net_run_rate"] = lambda o: o["run_rate"] - o["cost_run_rate"]
        makers["npv"] = lambda o: _discounted(o["net"], factors)
        makers["payback_year"] = lambda o: payback_index(o["cumulative_net"])
        makers["total_benefit"] = lambda o: o["benefit"].sum(axis=1)
        makers["total_cost"] = lambda o: o["cost"].sum(axis=1)
        makers["roi"] = roi
        return Outputs(makers, transient=lambda key: key.startswith(("line:", "inc:")))

    # -- presentation --------------------------------------------------------------------
    def views(self) -> tuple[str, ...]:
        return BASES

    def rows(self, view: str = "in-year", by: str | None = None) -> list[Row]:
        """Council table rows for a benefit basis (``"in-year"`` or ``"incremental"``).

        ``by="line"`` adds one row per benefit and cost above the totals.
        """
        if view not in BASES:
            raise ModelError(f"{self.describe()}: basis ({view!r}) must be 'in-year' or 'incremental'")
        suffix = "" if view == "in-year" else "_incremental"
        prefix = "line:" if view == "in-year" else "inc:"
        rows: list[Row] = []
        if by == "line":
            rows += [Row(li.name, f"{prefix}{li.name}") for li in self.benefits]
        elif by is not None:
            raise ModelError(f"{self.describe()}: by ({by!r}) must be None or 'line'")
        rows.append(Row("Annual benefit", f"benefit{suffix}", bold=by == "line"))
        if by == "line":
            rows += [Row(li.name, f"{prefix}{li.name}") for li in self.costs]
        rows.append(Row("Annual cost", f"-cost{suffix}", bold=by == "line"))
        rows.append(Row("Annual net benefit", f"net{suffix}", bold=True))
        rows.append(Row("Cumulative net", f"cumulative_net{suffix}", "blank"))
        return rows
