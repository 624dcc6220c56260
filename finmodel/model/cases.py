"""Cost/benefit cases: transformation programmes, invest-to-save, shared services.

Two bases for benefits, both always available from the same case:

* ``"in-year"`` (the default): the benefit actually received in each year. A run rate
  of £33m phased 2, 13, 13, 5 is received as 2, 15, 28, 33. Cash flows, NPV and payback
  use this basis.
* ``"incremental"``: each year's *new* on-going benefit, 2, 13, 13, 5, as the OCC case
  for change prints its "Annual benefit" row (002_90ddc037a457842c.txt:1628). One-off
  amounts count in their own year in both bases.

Every table and metric says which basis it used. The benefit and cost rows are sums of
the lines' rows, added in line order, so a total equals the sum of its rows exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import ClassVar, Literal

import numpy as np

from finmodel.core.discount import FirstYear, npv
from finmodel.core.discount import discount_factors as factors_for
from finmodel.core.errors import ModelError
from finmodel.core.years import Timeline
from finmodel.model.base import Model, Row
from finmodel.model.flows import Flow, Term, fold_years, running_years
from finmodel.model.lines import Benefit, Cost, Line
from finmodel.model.metrics import derived, flow

__all__ = ["BASES", "CostBenefitCase", "payback_index", "payback_years"]

Basis = Literal["in-year", "incremental"]
BASES: tuple[Basis, ...] = ("in-year", "incremental")

#: Cumulative net within this much of zero counts as paid back (absorbs float rounding).
PAYBACK_TOLERANCE = 1e-9


def payback_index(cumulative: np.ndarray) -> np.ndarray:
    """Per trial, the index of the year from which the cumulative net stays >= 0.

    Parameters
    ----------
    cumulative : numpy.ndarray
        Cumulative net, shape (years, trials).

    Returns
    -------
    numpy.ndarray
        Shape (trials,), integers: 0 for the first year, ..., ``years`` where the case
        has not paid back within the timeline.

    Notes
    -----
    Payback is the first year after the last year in which the cumulative net is
    negative: a case that is level before anything is spent, or that dips below zero
    again, has not paid back until it stays in credit. A case never in deficit pays
    back in its first year.

    Examples
    --------
    >>> payback_index(np.array([[-1.0, -3.0, 0.0], [4.0, -1.0, -8.0], [12.0, -0.5, 7.0]])).tolist()
    [1, 3, 2]
    """
    years = cumulative.shape[0]
    out = np.zeros(cumulative.shape[1], dtype=np.int16)
    for year in range(years):  # the last year still short decides
        short = cumulative[year] < -PAYBACK_TOLERANCE
        out[short] = year + 1
    return out


def payback_years(cumulative: np.ndarray) -> np.ndarray:
    """Per trial, the years until the cumulative net turns and stays >= 0, as a fraction.

    Parameters
    ----------
    cumulative : numpy.ndarray
        Cumulative net, shape (years, trials).

    Returns
    -------
    numpy.ndarray
        Shape (trials,): years from the start of the first year; ``inf`` where the case
        has not paid back within the timeline (the number that reads as
        ``fm.NOT_WITHIN``; it compares above every finite payback).

    Notes
    -----
    With :math:`k` the payback year's index (:func:`payback_index`) and :math:`C_t` the
    cumulative net at the end of year :math:`t`, each year's net is taken to flow evenly
    through the year (linear within the year), so the cumulative net crosses zero at

    .. math:: P = k + \\frac{-C_{k-1}}{C_k - C_{k-1}}, \\qquad 0 < P - k \\le 1,

    measured from the start of the first year. A case never in deficit has :math:`P = 0`.
    "Pays back in 2.6 years" is :math:`P = 2.6`: during the third year. A cumulative net
    within ``PAYBACK_TOLERANCE`` of zero counts as paid back, as for ``payback_year``.

    Examples
    --------
    Cost 10 in the first year, then a net 4 a year: cumulative -10, -6, -2, 2; the last
    2 is recovered halfway through the fourth year.

    >>> payback_years(np.array([[-10.0], [-6.0], [-2.0], [2.0]])).tolist()
    [3.5]
    >>> payback_years(np.array([[1.0, -1.0], [2.0, -1.0]])).tolist()
    [0.0, inf]
    """
    years = cumulative.shape[0]
    k = payback_index(cumulative).astype(np.intp)
    out = np.full(cumulative.shape[1], np.inf)
    out[k == 0] = 0.0
    inside = (k > 0) & (k < years)
    if inside.any():
        trials = np.flatnonzero(inside)
        before = cumulative[k[inside] - 1, trials]
        after = cumulative[k[inside], trials]
        out[inside] = k[inside] + np.clip(-before / (after - before), 0.0, 1.0)
    return out


@dataclass(frozen=True, eq=False)
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
    discount_factors : sequence of float, optional
        One discount factor per year, used instead of a rate: a paper's own rounded
        factors (``[1, 0.9662, 0.9335, 0.9019]``), so that its present values and NPV are
        reproduced to the last digit. Give a rate or factors, not both.

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
    bases: ClassVar[tuple[str, ...]] = BASES
    groupings: ClassVar[tuple[str | None, ...]] = (None, "line")
    headline: ClassVar[tuple[str, ...]] = ("net",)
    basis_noun: ClassVar[str] = "benefits"
    negatives_in_brackets: ClassVar[bool] = False

    name: str
    timeline: Timeline
    benefits: Sequence[Benefit]
    costs: Sequence[Cost] = ()
    units: str = "£m"
    discount_rate: float | None = None
    first_year: FirstYear = "undiscounted"
    discount_factors: Sequence[float] | None = None

    def __post_init__(self) -> None:
        who = f"CostBenefitCase {self.name!r}"
        for field, items, cls in (("benefits", self.benefits, Benefit), ("costs", self.costs, Cost)):
            if isinstance(items, Line) or not isinstance(items, (list, tuple)):
                raise ModelError(f"{who}: {field} must be a list of {cls.__name__} lines, got {items!r}")
            for i, item in enumerate(items):
                if not isinstance(item, cls):
                    raise ModelError(f"{who}: {field}[{i}] ({item!r}) is not a {cls.__name__}")
            object.__setattr__(self, field, tuple(items))
        years = self.timeline.length if hasattr(self.timeline, "length") else 1
        factors_for(years, self.discount_rate, self.first_year)  # refuse a bad rate now
        if self.discount_factors is not None:
            object.__setattr__(self, "discount_factors", _given_factors(self.discount_factors, years, self, who))
        super().__post_init__()

    @property
    def discounting(self) -> str:
        """How the case discounts, in words, for reports.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 1)], discount_rate=0.035).discounting
        'a flat rate of 3.5%'
        """
        if self.discount_factors is not None:
            return "the case's own factors"
        if self.discount_rate is not None:
            return f"a flat rate of {100 * self.discount_rate:.4g}%"
        return "the Green Book schedule"

    @cached_property
    def factors(self) -> np.ndarray:
        """The discount factor of each year: the given factors, or those of the rate.

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", 1)])
        >>> case.factors.round(4).tolist()
        [1.0, 0.9662, 0.9335]
        """
        if self.discount_factors is not None:
            return np.array(self.discount_factors, dtype=float)
        return factors_for(self.timeline.length, self.discount_rate, self.first_year)

    @property
    def lines(self) -> tuple[Line, ...]:  # type: ignore[override]  # a case's lines: its benefits and costs
        """The benefits, then the costs."""
        return (*self.benefits, *self.costs)

    def _with_lines(self, lines: tuple[Line, ...]) -> CostBenefitCase:
        return replace(
            self,
            benefits=tuple(li for li in lines if isinstance(li, Benefit)),
            costs=tuple(li for li in lines if isinstance(li, Cost)),
        )

    # -- the terms of the tables ---------------------------------------------------------
    @cached_property
    def _line_rows(self) -> dict[str, tuple[Flow, ...]]:
        """Basis -> one flow per line: its in-year amounts, or its incremental ones (the
        year-on-year change of a recurring line, a one-off line's own amounts)."""
        return {
            "in-year": tuple(Flow((Term(li, "level"),)) for li in self.lines),
            "incremental": tuple(Flow((Term(li, "change" if li.recurring else "level"),)) for li in self.lines),
        }

    def _side(self, cls: type[Line], basis: Basis) -> Flow:
        rows = [row for li, row in zip(self.lines, self._line_rows[basis], strict=True) if isinstance(li, cls)]
        return Flow(tuple(row.terms[0] for row in rows))

    # -- metrics -----------------------------------------------------------------------
    @flow("benefit", description="benefit received in each year (in-year basis)")
    def _benefit(self) -> Flow:
        return self._side(Benefit, "in-year")

    @flow("benefit_incremental", description="new on-going benefit added each year (incremental basis)")
    def _benefit_incremental(self) -> Flow:
        return self._side(Benefit, "incremental")

    @flow("cost", description="cost in each year (positive)")
    def _cost(self) -> Flow:
        return self._side(Cost, "in-year")

    @flow("cost_incremental", description="new cost each year (incremental basis, positive)")
    def _cost_incremental(self) -> Flow:
        return self._side(Cost, "incremental")

    @derived("net", needs=("benefit", "cost"), to_date=True, description="benefit minus cost in each year (in-year basis)")
    def _net(self, benefit: np.ndarray, cost: np.ndarray) -> np.ndarray:
        return benefit - cost

    @derived("net_incremental", needs=("benefit_incremental", "cost_incremental"), to_date=True,
             description="benefit minus cost, incremental basis")
    def _net_incremental(self, benefit: np.ndarray, cost: np.ndarray) -> np.ndarray:
        return benefit - cost

    @derived("cumulative_net", needs=("net",), to_date=True, description="running total of net (in-year basis)")
    def _cumulative_net(self, net: np.ndarray) -> np.ndarray:
        return running_years(net)

    @derived("cumulative_net_incremental", needs=("net_incremental",), to_date=True,
             description="running total of net, incremental basis")
    def _cumulative_net_incremental(self, net: np.ndarray) -> np.ndarray:
        return running_years(net)

    @flow("run_rate", per_year=False,
          description="on-going annual benefit once fully delivered (each line's final share; 0 for one that stops)")
    def _run_rate(self) -> Flow:
        return Flow(tuple(Term(li, "run_rate") for li in self.benefits), per_year=False)

    @flow("cost_run_rate", per_year=False, description="on-going annual cost of the recurring costs")
    def _cost_run_rate(self) -> Flow:
        return Flow(tuple(Term(li, "run_rate") for li in self.costs), per_year=False)

    @derived("net_run_rate", needs=("run_rate", "cost_run_rate"), per_year=False,
             description="on-going annual benefit less on-going annual cost")
    def _net_run_rate(self, benefit: np.ndarray, cost: np.ndarray) -> np.ndarray:
        return benefit - cost

    @derived("peak_run_rate", needs=("benefit",), per_year=False,
             description="the most benefit received in any one year (in-year)")
    def _peak_run_rate(self, benefit: np.ndarray) -> np.ndarray:
        return benefit.max(axis=0)

    @derived("final_run_rate", needs=("benefit",), per_year=False,
             description="the benefit received in the last year of the timeline (in-year)")
    def _final_run_rate(self, benefit: np.ndarray) -> np.ndarray:
        return benefit[-1].copy()

    @derived("npv", needs=("net",), per_year=False, description="net present value of the in-year net flows")
    def _npv(self, net: np.ndarray) -> np.ndarray:
        given = None if self.discount_factors is None else self.factors
        return npv(net.T, self.discount_rate, self.first_year, factors=given)

    @derived("discount_factor", needs=("net",), units="ratio",
             description="the discount factor of each year (the case's rate, or its given factors)")
    def _discount_factor(self, net: np.ndarray) -> np.ndarray:
        return np.repeat(self.factors[:, None], net.shape[1], axis=1)

    @derived("present_value", needs=("net",),
             description="net times the discount factor, each year (in-year): the terms of the NPV")
    def _present_value(self, net: np.ndarray) -> np.ndarray:
        return net * self.factors[:, None]

    @derived(
        "payback_year",
        needs=("cumulative_net",),
        per_year=False,
        units="year",
        description="the year from which the cumulative net (in-year) stays >= 0, or not within the timeline",
    )
    def _payback_year(self, cumulative: np.ndarray) -> np.ndarray:
        return payback_index(cumulative)

    @derived(
        "payback_years",
        needs=("cumulative_net",),
        per_year=False,
        units="duration",
        may_be_infinite=True,
        description="years until the cumulative net (in-year) stays >= 0, linear within the year; inf if not within",
    )
    def _payback_years(self, cumulative: np.ndarray) -> np.ndarray:
        return payback_years(cumulative)

    @derived("total_benefit", needs=("benefit",), per_year=False, description="benefit over the timeline (in-year)")
    def _total_benefit(self, benefit: np.ndarray) -> np.ndarray:
        return fold_years(benefit)

    @derived("total_cost", needs=("cost",), per_year=False, description="cost over the timeline")
    def _total_cost(self, cost: np.ndarray) -> np.ndarray:
        return fold_years(cost)

    @derived(
        "roi",
        needs=("total_benefit", "total_cost"),
        per_year=False,
        units="ratio",
        may_be_infinite=True,
        description="return on investment: (total benefit - total cost) / total cost, in-year; inf with no cost",
    )
    def _roi(self, gained: np.ndarray, spent: np.ndarray) -> np.ndarray:
        out = np.zeros(np.shape(spent))
        has_cost = spent != 0
        out[has_cost] = (gained[has_cost] - spent[has_cost]) / spent[has_cost]
        out[~has_cost & (gained > 0)] = np.inf
        return out

    @flow("benefit_shortfall", description="benefit not received against plan (delivery and slippage), in-year")
    def _benefit_shortfall(self) -> Flow:
        return Flow(tuple(Term(li, "level", "shortfall", sign=-1.0) for li in self.benefits))

    @derived(
        "benefit_cost_ratio",
        needs=("benefit", "cost"),
        per_year=False,
        units="ratio",
        may_be_infinite=True,
        description="present value of benefits / present value of costs (value for money); inf with no cost",
    )
    def _benefit_cost_ratio(self, benefit: np.ndarray, cost: np.ndarray) -> np.ndarray:
        gained = npv(benefit.T, self.discount_rate, self.first_year)
        spent = npv(cost.T, self.discount_rate, self.first_year)
        out = np.full(np.shape(spent), np.inf)
        has_cost = spent != 0
        out[has_cost] = gained[has_cost] / spent[has_cost]
        out[~has_cost & (gained == 0)] = 0.0
        return out

    # -- presentation --------------------------------------------------------------------
    def _rows(self, basis: str, by: str | None) -> list[Row]:
        """Council table rows for a benefit basis; ``by="line"`` adds one row per benefit
        and cost above the totals."""
        suffix = "" if basis == "in-year" else "_incremental"
        line_rows = dict(zip((li.name for li in self.lines), self._line_rows[basis], strict=True))
        rows: list[Row] = []
        if by == "line":
            rows += [Row(li.name, line_rows[li.name]) for li in self.benefits]
        rows.append(Row("Annual benefit", f"benefit{suffix}", bold=by == "line"))
        if by == "line":
            rows += [Row(li.name, line_rows[li.name], sign=-1.0) for li in self.costs]
        rows.append(Row("Annual cost", f"cost{suffix}", sign=-1.0, bold=by == "line"))
        rows.append(Row("Annual net benefit", f"net{suffix}", bold=True))
        rows.append(Row("Cumulative net", f"cumulative_net{suffix}", total="blank"))
        return rows


def _given_factors(values: object, years: int, case: CostBenefitCase, who: str) -> tuple[float, ...]:
    if case.discount_rate is not None or case.first_year != "undiscounted":
        raise ModelError(f"{who}: give discount_rate (and first_year) or discount_factors, not both")
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        raise ModelError(f"{who}: discount_factors ({values!r}) must be a list of numbers, one per year")
    out = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int | float | np.floating) or not 0 < v < float("inf"):
            raise ModelError(f"{who}: discount_factors[{i}] ({v!r}) must be a positive number")
        out.append(float(v))
    if len(out) != years:
        raise ModelError(f"{who}: discount_factors has {len(out)} values but the timeline has {years} years")
    return tuple(out)
