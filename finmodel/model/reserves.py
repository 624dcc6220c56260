"""A council's reserves, carried through its plan year by year: balances, the prudent
minimum, the year they run out, and the CIPFA Financial Resilience Index measures.

A :class:`ReservesBalance` attached to an :class:`~finmodel.MTFP` (``reserves=``) opens
with the general (unallocated) and earmarked balances at 31 March before the plan's
first year, and moves them each year by the plan's use of reserves:

* ``policy="close_gap"`` (the default): reserves meet whatever gap the plan leaves each
  year, after its own ``Reserves`` lines, and take any surplus; while they last, the
  budget balances;
* ``policy="planned"``: reserves move only as planned (the plan's ``Reserves`` lines and
  the balance's ``earmarked_use``); any gap is left standing.

Draws come from general reserves; with ``use_earmarked=True`` earmarked reserves not
committed to their planned use are re-designated once general reserves run out.
Reserves never go below zero: a draw beyond what is available is left in the
"gap after use of reserves", and the year that happens in is when reserves are
exhausted. Every figure is computed trial by trial, so each is a distribution in a
simulation (see ``docs/decisions/0010-reserves-balance.md``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from finmodel.core.amounts import check_number, fmt_number
from finmodel.core.errors import AmountError, ModelError
from finmodel.model.metrics import derived

if TYPE_CHECKING:
    from finmodel.model.plans import MTFP

__all__ = ["ReservesBalance", "ReservesPath", "register_reserve_metrics"]

Policy = Literal["close_gap", "planned"]
POLICIES: tuple[Policy, ...] = ("close_gap", "planned")

#: CIPFA's Financial Resilience Index shows reserves that are not falling as lasting 100 years
SUSTAINABLE_YEARS = 100.0


@dataclass(frozen=True)
class ReservesBalance:
    """Reserves at the start of a plan, the minimum to hold, and how the plan uses them.

    Parameters
    ----------
    general : float
        General (unallocated) reserves at 31 March before the first year, in the plan's
        units.
    earmarked : float
        Earmarked reserves then (usable ones: leave out reserves held for schools).
    minimum : float, optional
        The prudent minimum of general reserves, in the plan's units.
    minimum_share : float, optional
        Or that minimum as a share of each year's net revenue expenditure (``0.05`` for
        5%). Give ``minimum`` or ``minimum_share``.
    policy : {"close_gap", "planned"}
        Draw on reserves to close each year's gap (surpluses go to reserves), or only as
        planned (the plan's ``Reserves`` lines and ``earmarked_use``).
    use_earmarked : bool
        Once general reserves run out, draw earmarked reserves not committed to their
        planned use (default False: only general reserves meet the gap).
    earmarked_use : sequence of float
        Planned use of earmarked reserves each year (negative: a contribution); none if
        empty. It never meets the gap: it is spent on what the reserves are for.
    net_revenue_expenditure : float, optional
        Net revenue expenditure in the year brought forward; each year's is this plus the
        plan's spending changes. Defaults to the plan's ``base_budget``; one of the two is
        needed for the measures against net revenue expenditure.
    history : sequence of float
        Usable reserves (general plus earmarked) at the end of up to three years before
        the opening balance, oldest first, for the three-year CIPFA measures.

    Examples
    --------
    OCC's reserves at 31 March 2018 (002_90ddc037a457842c.txt lines 655-657): general
    balances £19.7m; total reserves £78.2m, which include the general balances and
    £10.5m held for schools (line 616), so £48.0m of usable earmarked reserves:

    >>> import finmodel as fm
    >>> occ = fm.ReservesBalance(general=19.7, earmarked=78.2 - 19.7 - 10.5, minimum_share=0.05)
    >>> round(occ.usable, 1)
    67.7
    """

    general: float
    earmarked: float = 0.0
    _: KW_ONLY
    minimum: float | None = None
    minimum_share: float | None = None
    policy: Policy = "close_gap"
    use_earmarked: bool = False
    earmarked_use: Sequence[float] = ()
    net_revenue_expenditure: float | None = None
    history: Sequence[float] = ()

    def __post_init__(self) -> None:
        who = "ReservesBalance"
        for name in ("general", "earmarked"):
            value = _number(getattr(self, name), f"{who}: {name}")
            if value < 0:
                raise ModelError(f"{who}: {name} ({fmt_number(value)}) must not be negative")
            object.__setattr__(self, name, value)
        if (self.minimum is None) == (self.minimum_share is None):
            raise ModelError(
                f"{who}: give the prudent minimum of general reserves as minimum= (in the plan's units) "
                "or as minimum_share= (e.g. 0.05 for 5% of net revenue expenditure), not "
                + ("both" if self.minimum is not None else "neither")
            )
        if self.minimum is not None:
            value = _number(self.minimum, f"{who}: minimum")
            if value < 0:
                raise ModelError(f"{who}: minimum ({fmt_number(value)}) must not be negative")
            object.__setattr__(self, "minimum", value)
        if self.minimum_share is not None:
            value = _number(self.minimum_share, f"{who}: minimum_share")
            if not 0.0 <= value <= 1.0:
                raise ModelError(f"{who}: minimum_share ({fmt_number(value)}) must be a share in [0, 1], e.g. 0.05")
            object.__setattr__(self, "minimum_share", value)
        if self.policy not in POLICIES:
            raise ModelError(f"{who}: policy ({self.policy!r}) must be 'close_gap' or 'planned'")
        if not isinstance(self.use_earmarked, bool):
            raise ModelError(f"{who}: use_earmarked ({self.use_earmarked!r}) must be True or False")
        object.__setattr__(self, "earmarked_use", _numbers(self.earmarked_use, f"{who}: earmarked_use"))
        history = _numbers(self.history, f"{who}: history")
        if len(history) > 3 or any(v < 0 for v in history):
            raise ModelError(f"{who}: history ({list(history)!r}) takes up to three balances, none negative")
        object.__setattr__(self, "history", history)
        if self.net_revenue_expenditure is not None:
            value = _number(self.net_revenue_expenditure, f"{who}: net_revenue_expenditure")
            if value <= 0:
                raise ModelError(f"{who}: net_revenue_expenditure ({fmt_number(value)}) must be positive")
            object.__setattr__(self, "net_revenue_expenditure", value)
        spent = np.cumsum(self.earmarked_use) if self.earmarked_use else np.zeros(1)
        if self.earmarked - float(spent.max()) < -1e-9:
            year = int(np.argmax(spent > self.earmarked))
            raise ModelError(
                f"{who}: earmarked_use spends {fmt_number(float(spent[year]))} by year {year + 1}, more than the "
                f"earmarked reserves ({fmt_number(self.earmarked)})"
            )

    @property
    def usable(self) -> float:
        """General plus earmarked reserves at the opening."""
        return self.general + self.earmarked

    def check_plan(self, plan: MTFP) -> None:
        """Refuse a balance that does not fit ``plan`` (its years, its net revenue expenditure)."""
        who = f"{plan.describe()}: reserves"
        years = plan.timeline.length
        if self.earmarked_use and len(self.earmarked_use) != years:
            raise ModelError(
                f"{who}: earmarked_use has {len(self.earmarked_use)} amounts but the timeline has {years} years"
            )
        if self.nre_base(plan) is None:
            raise ModelError(
                f"{who}: the prudent minimum as a share and the CIPFA measures are set against net revenue "
                "expenditure; give the plan a base_budget or the reserves net_revenue_expenditure="
            )

    def nre_base(self, plan: MTFP) -> float | None:
        """Net revenue expenditure in the year brought forward (the balance's, or the plan's base budget)."""
        return self.net_revenue_expenditure if self.net_revenue_expenditure is not None else plan.base_budget

    def path(self, gap_before: np.ndarray, planned: np.ndarray) -> ReservesPath:
        """Balances year by year, trial by trial, given the gap before reserves and the planned use.

        Parameters
        ----------
        gap_before : numpy.ndarray
            Shape (years, trials): each year's budget gap before any use of reserves.
        planned : numpy.ndarray
            Shape (years, trials) or (years, 1): the plan's own use of reserves (its
            ``Reserves`` lines).

        Notes
        -----
        For year :math:`t`, with :math:`G_t` the gap before reserves and :math:`P_t` the
        planned use, the reserves asked for are :math:`D^*_t = G_t` (close the gap) or
        :math:`P_t` (planned); the use is :math:`D_t = \\min(D^*_t, A_t)`, where
        :math:`A_t` is general reserves plus, with ``use_earmarked``, earmarked reserves
        beyond what later planned use still needs. A use comes from general reserves
        first; a negative use (a surplus, or a planned contribution) goes to general
        reserves. Earmarked reserves also fall by their planned use, first. The gap
        after reserves is :math:`G_t - D_t`; reserves are exhausted in the first year
        :math:`A_t` after the use is zero.

        Examples
        --------
        >>> bal = ReservesBalance(general=10.0, minimum=2.0)
        >>> p = bal.path(np.array([[4.0], [4.0], [4.0]]), np.zeros((3, 1)))
        >>> p.general[:, 0].tolist(), p.gap_after[:, 0].tolist(), p.exhausted.tolist()
        ([6.0, 2.0, 0.0], [0.0, 0.0, 2.0], [2])
        """
        years = gap_before.shape[0]
        trials = max(gap_before.shape[1], planned.shape[1])
        use_plan = np.array(self.earmarked_use) if self.earmarked_use else np.zeros(years)
        spent = np.concatenate([[0.0], np.cumsum(use_plan)])
        # what later planned use of earmarked reserves still needs at the end of each year
        committed = np.array([max(0.0, float((spent[t + 1 :] - spent[t + 1]).max())) for t in range(years)])
        general = np.full(trials, self.general)
        earmarked = np.full(trials, self.earmarked)
        out = ReservesPath.empty(years, trials)
        scale = max(1.0, self.usable)
        not_yet = np.ones(trials, dtype=bool)
        for t in range(years):
            earmarked = earmarked - use_plan[t]
            asked = gap_before[t] if self.policy == "close_gap" else np.broadcast_to(planned[t], (trials,))
            spare = np.maximum(earmarked - committed[t], 0.0) if self.use_earmarked else 0.0
            used = np.minimum(asked, general + spare)
            from_general = np.where(used > 0.0, np.minimum(used, general), used)
            general = general - from_general
            earmarked = earmarked - (used - from_general)
            left = general + (np.maximum(earmarked - committed[t], 0.0) if self.use_earmarked else 0.0)
            out.use[t], out.general[t], out.earmarked[t] = used, general, earmarked
            out.gap_after[t] = gap_before[t] - used
            done = not_yet & (left <= 1e-9 * scale)
            out.exhausted[done] = t
            not_yet &= ~done
        return out


@dataclass
class ReservesPath:
    """What :meth:`ReservesBalance.path` returns: per-year arrays of shape (years, trials),
    and the index of the year reserves are exhausted (``years`` where they are not)."""

    use: np.ndarray
    general: np.ndarray
    earmarked: np.ndarray
    gap_after: np.ndarray
    exhausted: np.ndarray

    @classmethod
    def empty(cls, years: int, trials: int) -> ReservesPath:
        """Arrays to fill: nothing used yet, reserves not exhausted."""
        blank = [np.empty((years, trials)) for _ in range(4)]
        return cls(blank[0], blank[1], blank[2], blank[3], np.full(trials, years, dtype=np.int16))


def _number(value: Any, where: str) -> float:
    try:
        return check_number(value, where)
    except AmountError as err:
        raise ModelError(str(err)) from None


def _numbers(values: Any, where: str) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ModelError(f"{where} ({values!r}) must be a list of numbers")
    return tuple(_number(v, f"{where}[{i}]") for i, v in enumerate(values))


# -- the metrics an MTFP with a balance offers ---------------------------------------------------
def _window(plan: MTFP, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Usable reserves at each year end and at the year end up to three years before (fewer
    where the record does not go back that far), and the number of years between."""
    res = plan.reserves
    assert res is not None
    trials = usable.shape[1]
    earlier = [np.full(trials, v) for v in (*res.history, res.usable)]
    ends = np.vstack([*earlier, usable])  # year ends, oldest first
    first = len(earlier)
    rows = np.arange(first, ends.shape[0])
    back = np.minimum(3, rows)
    return ends[rows - back], back.astype(float)


def register_reserve_metrics(cls: type[MTFP]) -> None:
    """Register on ``cls`` the metrics of a plan with a :class:`ReservesBalance`.

    They derive from three flows the plan defines (``gap_before_reserves``,
    ``planned_use_of_reserves``, ``net_revenue_expenditure``), so a plan without a balance
    does not have them.
    """

    def path(plan: MTFP, gap: np.ndarray, planned: np.ndarray) -> ReservesPath:
        assert plan.reserves is not None
        return plan.reserves.path(gap, planned)

    balance = ("gap_before_reserves", "planned_use_of_reserves")

    @derived("use_of_reserves", needs=balance,
             description="reserves used in the budget each year (the plan's and any to close the gap; negative: added)")
    def use_of_reserves(plan: MTFP, gap: np.ndarray, planned: np.ndarray) -> np.ndarray:
        return path(plan, gap, planned).use

    @derived("gap_after_reserves", needs=("gap_before_reserves", "use_of_reserves"),
             description="the budget gap left after the use of reserves")
    def gap_after(plan: MTFP, gap: np.ndarray, used: np.ndarray) -> np.ndarray:
        return gap - used

    @derived("general_reserves", needs=balance, description="general (unallocated) reserves at 31 March")
    def general(plan: MTFP, gap: np.ndarray, planned: np.ndarray) -> np.ndarray:
        return path(plan, gap, planned).general

    @derived("earmarked_reserves", needs=balance, description="earmarked reserves at 31 March")
    def earmarked(plan: MTFP, gap: np.ndarray, planned: np.ndarray) -> np.ndarray:
        return path(plan, gap, planned).earmarked

    @derived("reserves_exhausted_year", needs=balance, per_year=False, units="year",
             description="the first year the reserves that can meet the gap are used up, or not within the timeline")
    def exhausted(plan: MTFP, gap: np.ndarray, planned: np.ndarray) -> np.ndarray:
        return path(plan, gap, planned).exhausted

    @derived("usable_reserves", needs=("general_reserves", "earmarked_reserves"),
             description="general plus earmarked reserves at 31 March (CIPFA's level of reserves)")
    def usable(plan: MTFP, general: np.ndarray, earmarked: np.ndarray) -> np.ndarray:
        return general + earmarked

    @derived("reserves_minimum", needs=("general_reserves", "net_revenue_expenditure"),
             description="the prudent minimum of general reserves each year")
    def minimum(plan: MTFP, general: np.ndarray, nre: np.ndarray) -> np.ndarray:
        res = plan.reserves
        assert res is not None
        if res.minimum is not None:
            return np.full(general.shape, res.minimum)
        assert res.minimum_share is not None
        return res.minimum_share * nre

    @derived("reserves_headroom", needs=("general_reserves", "reserves_minimum"),
             description="general reserves above the prudent minimum (negative: below it)")
    def headroom(plan: MTFP, general: np.ndarray, least: np.ndarray) -> np.ndarray:
        return general - least

    @derived("below_minimum", needs=("reserves_headroom",), units="ratio",
             description="1 where general reserves are below the prudent minimum, else 0 (its mean is the probability)")
    def below(plan: MTFP, headroom: np.ndarray) -> np.ndarray:
        return (headroom < -1e-9 * max(1.0, _scale(plan))).astype(float)

    @derived("reserves_sustainability", needs=("usable_reserves",), units="duration",
             description="CIPFA reserves sustainability: years usable reserves last at the last three years' rate of use (100: not falling)")
    def sustainability(plan: MTFP, usable: np.ndarray) -> np.ndarray:
        before, span = _window(plan, usable)
        rate = (before - usable) / span[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            years = np.where(rate > 0, usable / np.where(rate > 0, rate, 1.0), SUSTAINABLE_YEARS)
        return np.minimum(years, SUSTAINABLE_YEARS)

    @derived("reserves_change_3y", needs=("usable_reserves",), units="ratio", may_be_infinite=True,
             description="CIPFA change in reserves: usable reserves against three years before (-0.25: down a quarter)")
    def change(plan: MTFP, usable: np.ndarray) -> np.ndarray:
        before, _ = _window(plan, usable)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(before > 0, (usable - before) / np.where(before > 0, before, 1.0), np.inf)
        return np.where((before == 0) & (usable == 0), 0.0, ratio)

    @derived("reserves_to_nre", needs=("usable_reserves", "net_revenue_expenditure"), units="ratio",
             description="CIPFA level of reserves: usable reserves as a share of net revenue expenditure")
    def level(plan: MTFP, usable: np.ndarray, nre: np.ndarray) -> np.ndarray:
        return usable / nre

    @derived("unallocated_reserves_to_nre", needs=("general_reserves", "net_revenue_expenditure"), units="ratio",
             description="CIPFA unallocated reserves: general reserves as a share of net revenue expenditure")
    def unallocated(plan: MTFP, general: np.ndarray, nre: np.ndarray) -> np.ndarray:
        return general / nre

    @derived("earmarked_reserves_to_nre", needs=("earmarked_reserves", "net_revenue_expenditure"), units="ratio",
             description="CIPFA earmarked reserves: earmarked reserves as a share of net revenue expenditure")
    def earmarked_share(plan: MTFP, earmarked: np.ndarray, nre: np.ndarray) -> np.ndarray:
        return earmarked / nre

    for func in (use_of_reserves, gap_after, general, earmarked, exhausted, usable, minimum, headroom, below,
                 sustainability, change, level, unallocated, earmarked_share):
        cls.register(func)


def _scale(plan: MTFP) -> float:
    res = plan.reserves
    return res.usable if res is not None and math.isfinite(res.usable) else 1.0
