"""Lines: the rows of an MTFP or a cost/benefit case.

Every line has a name, an amount and explicit flags; nothing is guessed.

* The amount is either one amount (a run rate, or a one-off total) phased by a
  :class:`~finmodel.core.profiles.Profile`, or a list with one amount per year.
* ``recurring`` lines keep their value in every later year: a list gives each year's
  *new* amount (the year-on-year change, as an MTFP prints it) and a run rate is phased
  by the profile's cumulative shares. ``one-off`` lines affect only their own year: a
  list gives each year's amount and a total is spread by the profile's added shares.
* ``delivery`` (fraction delivered, savings and benefits) and ``delay`` (years of
  slippage) may both be uncertain.

Lines are frozen dataclasses: a what-if is a new line (:meth:`Line.with_amount`,
:meth:`Line.delayed`, :meth:`Line.scaled`, or :func:`dataclasses.replace`), checked by
the same ``__post_init__`` as the original. Signs are those of the words: a saving of
5 is entered as 5, and tables print it in brackets. How a line evaluates is in
:mod:`finmodel.model.flows`; how each kind presents itself is in its class attributes
(``direction``, ``heading``, ``metric``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from finmodel.core.amounts import Amount, Leaf, as_amount, fmt_number, merge_signs, plus, unique_leaves
from finmodel.core.errors import AmountError, ModelError
from finmodel.core.names import check_name
from finmodel.core.profiles import Profile, check_delay

__all__ = [
    "Benefit",
    "Cost",
    "Funding",
    "Investment",
    "Line",
    "Pressure",
    "Reprofile",
    "Reserves",
    "Saving",
]

AmountInput = Amount | float | Sequence[Amount | float]
GivenAs = Literal["changes", "in-year", "levels"]


def _signs(x: Amount | float | None, by: int = 1) -> dict[Leaf, int]:
    if not isinstance(x, Amount):
        return {}
    return {leaf: s * by for leaf, s in x.signs().items()}


def _central(x: Amount | float) -> float:
    return x.case("central") if isinstance(x, Amount) else x


@dataclass(frozen=True, eq=False, repr=False)
class Line:
    """Base of every line. Each kind is a frozen dataclass with its own fields.

    Class attributes say how a kind presents itself: ``direction`` is +1 where more is
    better for the council (benefit, saving, funding, reserves) and -1 where more is
    worse (cost, pressure, investment, re-profiling into a year); it decides the
    ``worst`` and ``best`` scenarios and the sign a line takes in the budget gap.
    ``heading`` and ``metric`` name the subtotal row and metric of the kind in an MTFP
    (``"Pressures"``, ``"pressures"``).
    """

    kind: ClassVar[str] = "Line"
    #: the field that holds the amount (``amount``, ``run_rate`` or ``amounts``)
    amount_field: ClassVar[str] = "amount"
    direction: ClassVar[int] = 1
    heading: ClassVar[str] = ""
    metric: ClassVar[str] = ""
    #: a line that only moves amounts between years cannot slip
    can_slip: ClassVar[bool] = True
    #: the model kind that takes this line ("MTFP" or "CostBenefitCase")
    model_kind: ClassVar[str] = ""
    #: its section in a scenario file (``[[pressure]]``); a kind with a section is registered
    section: ClassVar[str] = ""
    #: the file key of one phased amount (None: the line takes one amount per year only)
    single_key: ClassVar[str | None] = "amount"
    #: the further keys it takes in a file, and how each is read ("profile", "flag", "rating",
    #: "amount", "number", "text"); every line also takes amounts, delay, start_month, category, owner
    file_keys: ClassVar[dict[str, str]] = {}
    _registered: ClassVar[list[type[Line]]] = []

    name: str
    _: KW_ONLY
    delay: Amount | float | None = None
    category: str | None = None
    owner: str | None = None

    if TYPE_CHECKING:
        #: The amount: one (phased by the profile) or a tuple of one per year. A field of
        #: its own name in Pressure, Investment and Saving; ``run_rate`` or ``amounts`` in
        #: the other kinds, which read it through a property of this name.
        amount: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.section:
            Line._registered.append(cls)

    @classmethod
    def kinds(cls, model_kind: str | None = None) -> tuple[type[Line], ...]:
        """Every kind of line, in the order council tables print them (for one model kind).

        Examples
        --------
        >>> import finmodel as fm
        >>> [k.__name__ for k in fm.Line.kinds("CostBenefitCase")]
        ['Benefit', 'Cost']
        """
        return tuple(k for k in Line._registered if model_kind is None or k.model_kind == model_kind)

    # fields that only some kinds have (the kinds that have them declare them as fields)
    @property
    def profile(self) -> Profile | None:
        """How a single amount is phased (None: the full amount from the first year)."""
        return None

    @property
    def delivery(self) -> Amount | float | None:
        """The fraction delivered (savings and benefits), or None."""
        return None

    @property
    def recurring(self) -> bool:
        """Whether the line keeps its value in every later year."""
        return True

    @property
    def given_as(self) -> GivenAs:
        """What a list of per-year amounts gives: each year's ``changes`` (recurring),
        ``in-year`` amounts (one-off) or ``levels`` (funding available each year)."""
        return "changes" if self.recurring else "in-year"

    # -- checks ---------------------------------------------------------------------------
    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ModelError(f"{self.kind}: name ({self.name!r}) must be a non-empty string")
        check_name(self.name, self.kind, error=ModelError)
        who = self.describe()
        amount = self.amount
        try:
            if isinstance(amount, (list, tuple, np.ndarray)):
                if len(amount) == 0:
                    raise ModelError(f"{who}: {self.amount_field} is empty; give one amount per year")
                normal: Any = tuple(as_amount(a, f"{who}: {self.amount_field}[{i}]") for i, a in enumerate(amount))
            else:
                normal = as_amount(amount, f"{who}: {self.amount_field}")
        except AmountError as err:
            raise ModelError(str(err)) from None
        object.__setattr__(self, self.amount_field, normal)
        if self.profile is not None:
            if not isinstance(self.profile, Profile):
                raise ModelError(
                    f"{who}: profile ({self.profile!r}) must be a Profile, e.g. Profile.increments([2, 13, 13, 5])"
                )
            if self.per_year:
                raise ModelError(f"{who}: a profile phases a single amount; per-year amounts are already phased")
        if not isinstance(self.recurring, bool):
            raise ModelError(f"{who}: recurring ({self.recurring!r}) must be True or False")
        if self.delay is not None:
            if not self.can_slip:
                raise ModelError(
                    f"{who}: a {self.kind.lower()} cannot slip (delay={self.delay!r}); give the amounts in "
                    "the years they fall"
                )
            object.__setattr__(self, "delay", check_delay(self.delay, f"{who}: delay"))
        for tag in ("category", "owner"):
            value = getattr(self, tag)
            if value is not None and not isinstance(value, str):
                raise ModelError(f"{who}: {tag} ({value!r}) must be a string")
            if value is not None:
                check_name(value, who, tag, ModelError)
        self._check()

    def _check(self) -> None:
        """Checks of a kind's own (overridden by kinds that have them)."""

    def _check_delivery(self) -> None:
        if self.delivery is None:
            return
        try:
            delivery = as_amount(self.delivery, f"{self.describe()}: delivery")
        except AmountError as err:
            raise ModelError(str(err)) from None
        object.__setattr__(self, "delivery", delivery)
        low = delivery.bounds()[0] if isinstance(delivery, Amount) else delivery
        if low < 0:
            raise ModelError(
                f"{self.describe()}: delivery ({delivery!r}) can be negative; a delivery rate is a fraction >= 0"
            )

    def _refuse_all_negative(self, noun: str) -> None:
        values = [_central(a) for a in self.amounts_list]
        if any(v != 0 for v in values) and all(v <= 0 for v in values):
            shown = ", ".join(fmt_number(float(v)) for v in values)
            raise ModelError(
                f"{self.describe()}: every amount is negative ({shown}); enter {noun} as "
                "positive amounts (tables print them in brackets)"
            )

    def check_draws(self, amounts: np.ndarray) -> None:
        """Refuse drawn per-year amounts (shape (years, trials)) this kind cannot take."""

    # -- shape ----------------------------------------------------------------------------
    @property
    def per_year(self) -> bool:
        """True when the line has one amount per year (no profile)."""
        return isinstance(self.amount, tuple)

    @property
    def amounts_list(self) -> tuple[Amount | float, ...]:
        """The line's amounts as a tuple (one item for a phased single amount)."""
        amount = self.amount
        return amount if isinstance(amount, tuple) else (amount,)

    @cached_property
    def _leaves(self) -> tuple[Leaf, ...]:
        profile_leaves = self.profile.leaves() if self.profile is not None else ()
        return unique_leaves([*self.amounts_list, self.delivery, self.delay, *profile_leaves])  # type: ignore[list-item]

    def leaves(self) -> tuple[Leaf, ...]:
        """The uncertain inputs of this line, each once, in order of first use.

        Examples
        --------
        >>> import finmodel as fm
        >>> len(fm.Saving("ASC-03", fm.Range(1, 2), delivery=fm.Beta(9, 1)).leaves())
        2
        """
        return self._leaves

    def check_fits(self, years: int) -> None:
        """Refuse a line whose per-year amounts or profile do not fit ``years`` years."""
        if self.per_year and len(self.amounts_list) != years:
            raise ModelError(
                f"{self.describe()}: has {len(self.amounts_list)} per-year amounts but the "
                f"timeline has {years} years"
            )
        if self.profile is not None and len(self.profile.shares) > years:
            raise ModelError(
                f"{self.describe()}: profile {self.profile!r} covers {len(self.profile.shares)} "
                f"years but the timeline has {years}; it does not fit the timeline"
            )

    def signs(self) -> dict[Leaf, int]:
        """For each input: +1 if raising it is better for the council, -1 if worse, 0 if mixed."""
        amount = merge_signs(*(_signs(a) for a in self.amounts_list))
        positive = all((a.case("low") >= 0 if isinstance(a, Amount) else a >= 0) for a in self.amounts_list)
        scale = 1 if positive else 0
        delivery = _signs(self.delivery, scale)
        delay = _signs(self.delay, -scale)
        profile_delay = _signs(self.profile.delay_years, -scale) if self.profile is not None else {}
        moves = merge_signs(amount, delivery, delay, profile_delay)
        return {leaf: s * self.direction for leaf, s in moves.items()}

    def describe(self) -> str:
        """``Saving 'ASC-03'``, for messages."""
        return f"{self.kind} {self.name!r}"

    # -- what-ifs -------------------------------------------------------------------------
    def with_amount(self, amount: AmountInput) -> Line:
        """A copy of this line with a new amount (one, or one per year), checked as a new line.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Cost("IT", [3, 8, 5, 1]).with_amount([4, 8, 5, 1]).amounts
        (4.0, 8.0, 5.0, 1.0)
        >>> fm.Reprofile("Moved", [1, -1]).with_amount([1, 0])
        Traceback (most recent call last):
        ...
        finmodel.core.errors.ModelError: Reprofile 'Moved': amounts sum to 1 (1 + 0), not zero; a re-profiling only moves amounts between years
        """
        per_year = isinstance(amount, (list, tuple, np.ndarray))
        changes: dict[str, Any] = {self.amount_field: tuple(amount) if per_year else amount}  # type: ignore[arg-type]
        if per_year and self.profile is not None:
            changes["profile"] = None
        return replace(self, **changes)

    def scaled(self, factor: Any) -> Line:
        """A copy with every amount multiplied by ``factor`` (which may be uncertain).

        Examples
        --------
        >>> import finmodel as fm
        >>> overrun = fm.Triangular(1.0, 1.0, 1.6)
        >>> fm.Cost("IT", [3, 8]).scaled(overrun).amounts[1].case("high")
        12.8
        """
        if self.per_year:
            return self.with_amount([a * factor for a in self.amounts_list])
        return self.with_amount(self.amount * factor)

    def delayed(self, years: Any) -> Line:
        """A copy that slips by ``years`` more (which may be uncertain, e.g. ``Chance(0.3)``).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Saving("ASC-03", [1, 0, 0]).delayed(1).delay
        1.0
        """
        if not self.can_slip:
            raise ModelError(
                f"{self.describe()}: a {self.kind.lower()} cannot slip; give the amounts in the years they fall"
            )
        extra = check_delay(years, f"{self.describe()}: delay")
        return replace(self, delay=extra if self.delay is None else plus(self.delay, extra))

    def __repr__(self) -> str:
        amount = list(self.amount) if isinstance(self.amount, tuple) else self.amount
        extras = "".join(
            f", {k}={v!r}"
            for k, v in (("profile", self.profile), ("delivery", self.delivery), ("delay", self.delay))
            if v is not None
        )
        default = type(self).__dataclass_fields__.get("recurring")
        if default is not None and self.recurring != default.default:
            extras += f", recurring={self.recurring}"
        return f"{self.kind}({self.name!r}, {amount!r}{extras})"


class _Amounts:
    """For the kinds whose amount field is ``amounts``: read it as ``amount`` too."""

    amounts: Any

    @property
    def amount(self) -> Any:
        """The ``amounts``: one amount (phased by the profile) or a tuple of one per year."""
        return self.amounts


def _check_levels(line: Line, basis: str, base: Any) -> None:
    """The ``basis`` and ``base`` of a line that may be given as levels (funding, pressures,
    investments, savings): levels need one amount per year; ``base`` is a number, for levels only."""
    who = line.describe()
    if basis not in ("change", "level"):
        raise ModelError(f"{who}: basis ({basis!r}) must be 'change' or 'level'")
    if basis == "level" and not line.per_year:
        raise ModelError(f"{who}: basis='level' needs one amount per year (the level each year), got {line.amount!r}")
    if base is None:
        return
    if basis != "level":
        raise ModelError(f"{who}: base ({base!r}) applies only to basis='level'")
    try:
        number = as_amount(base, f"{who}: base")
    except AmountError as err:
        raise ModelError(str(err)) from None
    if isinstance(number, Amount):
        raise ModelError(f"{who}: base ({base!r}) must be a number")
    object.__setattr__(line, "base", number)


#: the file keys of the kinds that may be given as levels ("rating": a RAG rating for delivery)
_LEVEL_KEYS = {"profile": "profile", "recurring": "flag", "basis": "text", "base": "number"}


class _Levels:
    """For the kinds a plan may print as a level per year (pressures, investments, savings):
    ``basis="level"`` reads a list of amounts as each year's level, like
    ``Funding(basis="level")``, from ``base`` (0 if not given) in the year brought forward."""

    basis: Literal["change", "level"]
    base: float | None
    recurring: bool
    per_year: bool
    amount: Any

    if TYPE_CHECKING:

        def describe(self) -> str: ...

    @property
    def given_as(self) -> GivenAs:
        """``levels`` with ``basis="level"``; otherwise ``changes`` (recurring) or ``in-year`` (one-off)."""
        if self.basis == "level":
            return "levels"
        return "changes" if self.recurring else "in-year"

    def _check(self) -> None:
        self._check_basis()

    def _check_basis(self) -> None:
        _check_levels(self, self.basis, self.base)  # type: ignore[arg-type]
        if self.basis == "level" and not self.recurring:
            raise ModelError(
                f"{self.describe()}: a line given as levels is each year's own; recurring=False does not apply"
            )


@dataclass(frozen=True, eq=False, repr=False)
class Investment(_Levels, Line):
    """An improvement or growth item added to the budget (recurring by default).

    Parameters are those of :class:`Pressure` (``basis="level"`` included); council tables
    print investments first.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5]).kind
    'Investment'
    """

    kind: ClassVar[str] = "Investment"
    model_kind: ClassVar[str] = "MTFP"
    section: ClassVar[str] = "investment"
    file_keys: ClassVar[dict[str, str]] = _LEVEL_KEYS
    direction: ClassVar[int] = -1
    heading: ClassVar[str] = "Improvements & Investments"
    metric: ClassVar[str] = "investments"

    amount: AmountInput
    profile: Profile | None = None
    _: KW_ONLY
    recurring: bool = True
    basis: Literal["change", "level"] = "change"
    base: float | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Pressure(_Levels, Line):
    """An increase in the cost of standing still (demography, inflation, legislation).

    Parameters
    ----------
    name : str
    amount : amount or list of amounts
        One amount (with an optional ``profile``) or one per year. Recurring by default:
        a list gives each year's *new* pressure, as an MTFP table prints it.
    profile : Profile, optional
    recurring : bool, default True
    delay : amount, optional
        Years by which the pressure arrives late.
    basis : {"change", "level"}
        ``"change"`` (default): a list gives each year's new pressure. ``"level"``: the
        pressure's level in each year, as many MTFS tables print it (2, 3, 4, 5 rather
        than 2, 1, 1, 1); with ``base``, a level from which the line starts, e.g. a whole
        budget requirement given as levels with ``base`` the budget brought forward.
    base : float, optional
        For ``basis="level"``: the level in the year brought forward (default 0).
    category, owner : str, optional
        Tags for subtotals.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Pressure("Demography", [18.4, 9.0, 6.5, 0.2]).recurring
    True
    >>> levels = fm.Pressure("Demography", [2, 3, 4, 5], basis="level")
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 4), [levels])
    >>> fm.evaluate(plan).value("net_pressure").tolist()
    [2.0, 1.0, 1.0, 1.0]
    """

    kind: ClassVar[str] = "Pressure"
    model_kind: ClassVar[str] = "MTFP"
    section: ClassVar[str] = "pressure"
    file_keys: ClassVar[dict[str, str]] = _LEVEL_KEYS
    direction: ClassVar[int] = -1
    heading: ClassVar[str] = "Pressures"
    metric: ClassVar[str] = "pressures"

    amount: AmountInput
    profile: Profile | None = None
    _: KW_ONLY
    recurring: bool = True
    basis: Literal["change", "level"] = "change"
    base: float | None = None


@dataclass(frozen=True, eq=False, repr=False)
class Saving(_Levels, Line):
    """A reduction in the net budget, entered as a positive amount.

    Parameters
    ----------
    name : str
    amount : amount or list of amounts
        One amount (with an optional ``profile``) or one per year (each year's new saving).
    profile : Profile, optional
    recurring : bool, default True
        A recurring saving keeps reducing every later year's budget; a one-off saving
        affects its own year only.
    delivery : amount, optional
        Fraction delivered (e.g. ``Beta(9, 1)``). The undelivered part returns to the plan
        as a pressure ("Savings not delivered").
        A RAG rating gives one too: ``delivery=fm.rag("amber")``.
    delay : amount, optional
        Years of slippage (e.g. ``Chance(0.3)`` for one year with probability 0.3, or
        ``fm.start_delay("October")`` for a saving that starts in October, not April).
    basis, base
        ``basis="level"``: the amounts are the saving's level each year, as for
        :class:`Pressure`.
    category, owner : str, optional

    Examples
    --------
    >>> import finmodel as fm
    >>> s = fm.Saving("ASC-03", 1.2, delivery=fm.Beta(9, 1), delay=fm.Chance(0.3))
    >>> s.recurring, s.delivery
    (True, Beta(a=9, b=1))
    >>> fm.Saving("Savings", [-32.4, 0, -4.9, -0.5])
    Traceback (most recent call last):
    ...
    finmodel.core.errors.ModelError: Saving 'Savings': every amount is negative (-32.4, 0, -4.9, -0.5); enter savings as positive amounts (tables print them in brackets)
    """

    kind: ClassVar[str] = "Saving"
    model_kind: ClassVar[str] = "MTFP"
    section: ClassVar[str] = "saving"
    file_keys: ClassVar[dict[str, str]] = {**_LEVEL_KEYS, "delivery": "amount", "rag": "rating"}
    direction: ClassVar[int] = 1
    heading: ClassVar[str] = "Savings"
    metric: ClassVar[str] = "savings"

    amount: AmountInput
    profile: Profile | None = None
    _: KW_ONLY
    recurring: bool = True
    delivery: Amount | float | None = None
    basis: Literal["change", "level"] = "change"
    base: float | None = None

    def _check(self) -> None:
        self._check_basis()
        self._check_delivery()
        self._refuse_all_negative("savings")

    @property
    def at_risk(self) -> bool:
        """Whether delivery or timing may differ from plan (tables then show the plan and a
        separate "Savings not delivered" row).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Saving("A", 1.0).at_risk, fm.Saving("B", 1.0, delay=fm.Chance(0.3)).at_risk
        (False, True)
        """
        slips = self.delay is not None and not (not isinstance(self.delay, Amount) and self.delay == 0)
        return self.delivery is not None or slips


@dataclass(frozen=True, eq=False, repr=False)
class Reprofile(_Amounts, Line):
    """Moving an amount between years: per-year changes that sum to zero over the timeline.

    A positive amount adds to that year's net pressure (a saving pushed out of the year);
    the negatives bring it back later.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Reprofile("Transformation Savings Re-profiled", [15.0, -8.5, -3.5, -3.0]).kind
    'Reprofile'
    """

    kind: ClassVar[str] = "Reprofile"
    model_kind: ClassVar[str] = "MTFP"
    section: ClassVar[str] = "reprofile"
    single_key: ClassVar[str | None] = None
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = -1
    heading: ClassVar[str] = "Re-profiling"
    metric: ClassVar[str] = "reprofiling"
    can_slip: ClassVar[bool] = False

    amounts: Sequence[Amount | float]

    def _check(self) -> None:
        if not self.per_year:
            raise ModelError(f"{self.describe()}: amounts ({self.amounts!r}) must be a list, one amount per year")
        for case in ("central", "low", "high"):
            values = [a.case(case) if isinstance(a, Amount) else a for a in self.amounts_list]
            self._check_sum(np.array(values), case)

    def _check_sum(self, values: np.ndarray, case: str) -> None:
        total = float(values.sum())
        if abs(total) > 1e-9 * max(1.0, float(np.abs(values).max())):
            terms = " ".join(
                (f"- {fmt_number(float(-v))}" if v < 0 else f"+ {fmt_number(float(v))}") for v in values
            ).lstrip("+ ")
            where = "" if case == "central" else f" in the {case} case"
            raise ModelError(
                f"{self.describe()}: amounts sum to {fmt_number(round(total, 12))} ({terms}){where}, "
                "not zero; a re-profiling only moves amounts between years"
            )

    def check_draws(self, amounts: np.ndarray) -> None:
        level = amounts.sum(axis=0)
        if np.any(np.abs(level) > 1e-9 * np.maximum(1.0, np.abs(amounts).max())):
            raise ModelError(
                f"{self.describe()}: in some trials the amounts do not sum to zero "
                f"(largest total {float(np.abs(level).max()):.6g})"
            )


@dataclass(frozen=True, eq=False, repr=False)
class Funding(_Amounts, Line):
    """Income or funding: a change from the base budget, or the level available each year.

    Parameters
    ----------
    name : str
    amounts : amount or list of amounts
    basis : {"change", "level"}
        ``"change"``: each year's change in funding (recurring, like an MTFP row).
        ``"level"``: the funding available in each year; the plan then needs a
        ``base_budget`` to know the starting level.
    profile : Profile, optional
    base : float, optional
        For ``basis="level"``: this source's level in the year brought forward. With one
        level line it defaults to the plan's ``base_budget`` (a budget brought forward in
        balance); with several (council tax, business rates, grant), give each its base:
        they must add up to the base budget.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Funding("Council tax", [3.1, 3.3, 3.4], basis="change").basis
    'change'
    """

    kind: ClassVar[str] = "Funding"
    model_kind: ClassVar[str] = "MTFP"
    section: ClassVar[str] = "funding"
    file_keys: ClassVar[dict[str, str]] = {"profile": "profile", "basis": "text", "base": "number"}
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = 1
    heading: ClassVar[str] = "Funding"
    metric: ClassVar[str] = "funding"

    amounts: AmountInput
    basis: Literal["change", "level"] = "change"
    _: KW_ONLY
    profile: Profile | None = None
    base: float | None = None

    @property
    def recurring(self) -> bool:
        """Funding given as changes keeps them; levels are each year's own."""
        return self.basis == "change"

    @property
    def given_as(self) -> GivenAs:
        return "changes" if self.basis == "change" else "levels"

    def _check(self) -> None:
        _check_levels(self, self.basis, self.base)
        if self.basis == "level" and self.delay is not None:
            raise ModelError(f"{self.describe()}: funding given as levels cannot slip (delay={self.delay!r})")


@dataclass(frozen=True, eq=False, repr=False)
class Reserves(_Amounts, Line):
    """Reserves applied to the budget: one-off by default (they close that year's gap only).

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Reserves("General balances", [2.0, 0, 0, 0]).recurring
    False

    A contribution *to* reserves is spending: enter it as a :class:`Pressure`.

    >>> fm.Reserves("General balances", [-2.0, 0, 0, 0])
    Traceback (most recent call last):
    ...
    finmodel.core.errors.ModelError: Reserves 'General balances': every amount is negative (-2, 0, 0, 0); enter reserves applied as positive amounts (tables print them in brackets)
    """

    kind: ClassVar[str] = "Reserves"
    model_kind: ClassVar[str] = "MTFP"
    section: ClassVar[str] = "reserves"
    file_keys: ClassVar[dict[str, str]] = {"recurring": "flag"}
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = 1
    heading: ClassVar[str] = "Reserves applied"
    metric: ClassVar[str] = "reserves"

    amounts: AmountInput
    _: KW_ONLY
    recurring: bool = False

    def _check(self) -> None:
        self._refuse_all_negative("reserves applied")


@dataclass(frozen=True, eq=False, repr=False)
class Benefit(Line):
    """One side of a cost/benefit case: an on-going benefit phased by a profile.

    Parameters
    ----------
    name : str
    run_rate : amount or list of amounts
        The on-going annual benefit once fully delivered (phased by ``profile``), or
        each year's new on-going benefit.
    profile : Profile, optional
        Defaults to the full run rate from the first year.
    delivery, delay : amount, optional
        Fraction delivered and years of slippage, as for :class:`Saving`.
    recurring : bool, default True
        A one-off benefit counts in its own year only.

    Examples
    --------
    >>> import finmodel as fm
    >>> b = fm.Benefit("Quick wins", fm.Range(8, 17), fm.Profile.increments([2, 13, 13, 5]))
    >>> b.run_rate.case("high")
    17.0
    """

    kind: ClassVar[str] = "Benefit"
    model_kind: ClassVar[str] = "CostBenefitCase"
    section: ClassVar[str] = "benefit"
    single_key: ClassVar[str | None] = "run_rate"
    file_keys: ClassVar[dict[str, str]] = {"profile": "profile", "recurring": "flag", "delivery": "amount", "rag": "rating"}
    amount_field: ClassVar[str] = "run_rate"
    direction: ClassVar[int] = 1
    heading: ClassVar[str] = "Benefits"
    metric: ClassVar[str] = "benefit"

    run_rate: AmountInput
    profile: Profile | None = None
    _: KW_ONLY
    recurring: bool = True
    delivery: Amount | float | None = None

    @property  # type: ignore[misc]  # the run rate, read under the common name
    def amount(self) -> Any:
        """The ``run_rate``: one amount (phased by the profile) or a tuple of one per year."""
        return self.run_rate

    def _check(self) -> None:
        self._check_delivery()
        self._refuse_all_negative("benefits")


@dataclass(frozen=True, eq=False, repr=False)
class Cost(_Amounts, Line):
    """The other side of a cost/benefit case: one-off by default, entered as positive amounts.

    Parameters
    ----------
    name : str
    amounts : amount or list of amounts
        One amount per year (each may be uncertain or an expression such as
        ``3 * overrun``), or one total spread by ``profile``.
    profile : Profile, optional
    recurring : bool, default False
        A recurring cost (a licence) continues in every later year.
    delay : amount, optional
        Years by which the spending slips.

    Examples
    --------
    >>> import finmodel as fm
    >>> overrun = fm.Triangular(1.0, 1.0, 1.6, name="cost overrun")
    >>> c = fm.Cost("Implementation", [3 * overrun, 8 * overrun, 5 * overrun, 1 * overrun])
    >>> len(c.leaves())
    1
    """

    kind: ClassVar[str] = "Cost"
    model_kind: ClassVar[str] = "CostBenefitCase"
    section: ClassVar[str] = "cost"
    file_keys: ClassVar[dict[str, str]] = {"profile": "profile", "recurring": "flag"}
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = -1
    heading: ClassVar[str] = "Costs"
    metric: ClassVar[str] = "cost"

    amounts: AmountInput
    profile: Profile | None = None
    _: KW_ONLY
    recurring: bool = False

    def _check(self) -> None:
        self._refuse_all_negative("costs")

