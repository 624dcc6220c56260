"""Lines: the rows of an MTFP or a cost/benefit case.

Every line has a name, an amount and explicit flags; nothing is guessed.

* ``amount`` is either one amount (a run rate, or a one-off total) phased by a
  :class:`~finmodel.core.profiles.Profile`, or a list with one amount per year.
* ``recurring`` lines keep their value in every later year: a list gives each year's
  *new* amount (the year-on-year change, as an MTFP prints it) and a run rate is phased
  by the profile's cumulative shares. ``one-off`` lines affect only their own year: a
  list gives each year's amount and a total is spread by the profile's added shares.
* ``delivery`` (fraction delivered) and ``delay`` (years of slippage) apply to savings
  and benefits; both may be uncertain.

A line evaluates to its *in-year* amount: its effect on each year's budget, as an array
of shape (trials, years). Signs are those of the words: a saving of 5 is entered as 5,
and tables print it in brackets.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from finmodel.core.amounts import Amount, Leaf, Value, as_amount, fmt_number, plus, unique_leaves
from finmodel.core.errors import AmountError, FinmodelError, ModelError
from finmodel.core.profiles import PhasedSum, Profile, check_delay, phased, shift_years

_IMMEDIATE = Profile.immediate()

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


def _merge(*parts: Mapping[Leaf, int]) -> dict[Leaf, int]:
    out: dict[Leaf, int] = {}
    for part in parts:
        for leaf, sign in part.items():
            out[leaf] = sign if out.get(leaf, sign) == sign else 0
    return out


def _signs(x: Amount | float | None, by: int = 1) -> dict[Leaf, int]:
    if not isinstance(x, Amount):
        return {}
    return {leaf: s * by for leaf, s in x.signs().items()}


def _evaluate(x: Amount | float, values: Mapping[Leaf, Value]) -> Value:
    return x.evaluate(values) if isinstance(x, Amount) else x


def _column(x: Value) -> Value:
    """A per-trial array as a column, so it scales every year of its trial."""
    return x[:, None] if isinstance(x, np.ndarray) and x.ndim == 1 else x


def _central(x: Amount | float) -> float:
    return x.case("central") if isinstance(x, Amount) else x


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Line:
    """Base of every line. Subclasses fix ``kind``, ``direction`` and the default flags.

    ``direction`` is +1 for lines where more is better for the council (benefit,
    saving, funding, reserves) and -1 where more is worse (cost, pressure,
    investment, re-profiling into a year); it decides the ``worst`` and ``best``
    scenarios.
    """

    kind: ClassVar[str] = "Line"
    #: the constructor's name for the amount, used in messages
    amount_field: ClassVar[str] = "amount"
    direction: ClassVar[int] = 1
    default_recurring: ClassVar[bool] = True

    name: str
    amount: Amount | float | tuple[Amount | float, ...]
    profile: Profile | None
    recurring: bool
    delivery: Amount | float | None
    delay: Amount | float | None
    category: str | None
    owner: str | None

    def _setup(
        self,
        name: str,
        amount: Any,
        profile: Profile | None = None,
        *,
        recurring: bool | None = None,
        delivery: Any = None,
        delay: Any = None,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ModelError(f"{self.kind}: name ({name!r}) must be a non-empty string")
        who = f"{self.kind} {name!r}"
        set_ = object.__setattr__
        set_(self, "name", name)
        try:
            if isinstance(amount, (list, tuple, np.ndarray)):
                if len(amount) == 0:
                    raise ModelError(f"{who}: amounts is empty; give one amount per year")
                set_(
                    self, "amount", tuple(as_amount(a, f"{who}: amounts[{i}]") for i, a in enumerate(amount))
                )
            else:
                set_(self, "amount", as_amount(amount, f"{who}: {self.amount_field}"))
            set_(self, "delivery", None if delivery is None else as_amount(delivery, f"{who}: delivery"))
        except AmountError as err:
            raise ModelError(str(err)) from None
        if profile is not None and not isinstance(profile, Profile):
            raise ModelError(
                f"{who}: profile ({profile!r}) must be a Profile, e.g. Profile.increments([2, 13, 13, 5])"
            )
        if profile is not None and self.per_year:
            raise ModelError(f"{who}: a profile phases a single amount; per-year amounts are already phased")
        set_(self, "profile", profile)
        rec = self.default_recurring if recurring is None else recurring
        if not isinstance(rec, bool):
            raise ModelError(f"{who}: recurring ({recurring!r}) must be True or False")
        set_(self, "recurring", rec)
        set_(self, "delay", None if delay is None else check_delay(delay, f"{who}: delay"))
        for tag, value in (("category", category), ("owner", owner)):
            if value is not None and not isinstance(value, str):
                raise ModelError(f"{who}: {tag} ({value!r}) must be a string")
        set_(self, "category", category)
        set_(self, "owner", owner)
        if self.delivery is not None:
            low = self.delivery.bounds()[0] if isinstance(self.delivery, Amount) else self.delivery
            if low < 0:
                raise ModelError(
                    f"{who}: delivery ({self.delivery!r}) can be negative; a delivery rate is a fraction >= 0"
                )

    def _refuse_all_negative(self, noun: str) -> None:
        values = [_central(a) for a in self.amounts_list]
        if any(v != 0 for v in values) and all(v <= 0 for v in values):
            shown = ", ".join(fmt_number(float(v)) for v in values)
            raise ModelError(
                f"{self.kind} {self.name!r}: every amount is negative ({shown}); enter {noun} as "
                "positive amounts (tables print them in brackets)"
            )

    # -- shape ---------------------------------------------------------------------------
    @property
    def per_year(self) -> bool:
        """True when the line has one amount per year (no profile)."""
        return isinstance(self.amount, tuple)

    @property
    def amounts_list(self) -> tuple[Amount | float, ...]:
        """The line's amounts as a tuple (one item for a phased single amount)."""
        return self.amount if isinstance(self.amount, tuple) else (self.amount,)

    def leaves(self) -> tuple[Leaf, ...]:
        """The uncertain inputs of this line, each once, in order of first use."""
        found = self.__dict__.get("_leaves")
        if found is None:
            parts: list[Any] = [*self.amounts_list, self.delivery, self.delay]
            profile_leaves = self.profile.leaves() if self.profile is not None else ()
            found = unique_leaves([*parts, *profile_leaves])
            self.__dict__["_leaves"] = found
        return found

    def check_fits(self, years: int) -> None:
        """Refuse a line whose per-year amounts or profile do not fit ``years`` years."""
        if self.per_year and len(self.amounts_list) != years:
            raise ModelError(
                f"{self.kind} {self.name!r}: has {len(self.amounts_list)} per-year amounts but the "
                f"timeline has {years} years"
            )
        if self.profile is not None:
            try:
                self.profile.received(years)
            except FinmodelError as err:
                raise ModelError(f"{self.kind} {self.name!r}: {err}") from None

    # -- evaluation -------------------------------------------------------------------
    def planned(self, values: Mapping[Leaf, Value], years: int, scale: float = 1.0) -> np.ndarray:
        """In-year amounts as planned (before delivery and slippage), times ``scale``.

        Shape (n, years) when anything is uncertain, else (1, years).
        """
        return self._in_year(values, years, scale, slip=False)

    def achieved(self, values: Mapping[Leaf, Value], years: int, scale: float = 1.0) -> np.ndarray:
        """In-year amounts after slippage (``delay``) and ``delivery``, times ``scale``."""
        return self._in_year(values, years, scale, slip=True)

    def _in_year(self, values: Mapping[Leaf, Value], years: int, scale: float, slip: bool) -> np.ndarray:
        # Scalars per trial are multiplied first, so each line costs one (n, years) product.
        factor: Value = scale
        if slip and self.delivery is not None:
            factor = factor * _evaluate(self.delivery, values)
        if self.per_year:
            table = self._per_year_table(values, years)
            if slip and self.delay is not None:
                table = shift_years(table, _evaluate(self.delay, values))
            return table * _column(factor)
        profile = self.profile or _IMMEDIATE
        delay = profile.delay_value(values)
        if slip and self.delay is not None:
            delay = delay + _evaluate(self.delay, values)
        shares = phased(profile.shares, years, delay, added=not self.recurring)
        factor = factor * _evaluate(self.amount, values)  # type: ignore[arg-type]
        return shares * _column(factor)

    def add_to(
        self, total: PhasedSum, values: Mapping[Leaf, Value], scale: float = 1.0, slip: bool = True
    ) -> None:
        """Add ``scale`` times this line's in-year amounts to ``total``.

        The amounts are :meth:`achieved` (``slip=True``) or :meth:`planned`. A line with
        one phased amount adds only its per-trial factor and delay, so a model total over
        many lines costs no ``(n, years)`` array per line (see
        :class:`~finmodel.core.profiles.PhasedSum`).

        Examples
        --------
        >>> import finmodel as fm
        >>> from finmodel.core.profiles import PhasedSum
        >>> total = PhasedSum(3, 1)
        >>> fm.Saving("ASC-03", 6.0, fm.Profile.increments([1, 1]), delivery=0.5).add_to(total, {})
        >>> total.result().tolist()
        [[1.5, 3.0, 3.0]]
        """
        if self.per_year:
            total.add_array(self._in_year(values, total.years, scale, slip))
            return
        profile = self.profile or _IMMEDIATE
        delay = profile.delay_value(values)
        if slip and self.delay is not None:
            extra = _evaluate(self.delay, values)
            delay = extra if np.ndim(delay) == 0 and delay == 0 else delay + extra
        factor = _evaluate(self.amount, values)  # type: ignore[arg-type]
        if slip and self.delivery is not None:
            factor = _evaluate(self.delivery, values) * factor
        total.add(profile.shares, factor, delay, added=not self.recurring, scale=scale)

    def _per_year_table(self, values: Mapping[Leaf, Value], years: int) -> np.ndarray:
        columns = [_evaluate(a, values) for a in self.amounts_list]
        rows = max((np.shape(c)[0] for c in columns if np.ndim(c)), default=1)
        table = np.empty((rows, years))
        for j, c in enumerate(columns):
            table[:, j] = c
        return np.cumsum(table, axis=1, out=table) if self.recurring else table

    def run_rate(self, values: Mapping[Leaf, Value]) -> Value:
        """The on-going annual value once fully delivered (0 for a one-off line).

        Delivery scales it; delay does not (slippage moves *when*, not *how much*).
        """
        if not self.recurring:
            return 0.0
        if self.per_year:
            total: Value = 0.0
            for a in self.amounts_list:
                total = total + _evaluate(a, values)
        else:
            share = (self.profile or _IMMEDIATE).shares[-1]
            total = _evaluate(self.amount, values) * share  # type: ignore[arg-type]
        if self.delivery is not None:
            total = total * _evaluate(self.delivery, values)
        return total

    def signs(self) -> dict[Leaf, int]:
        """For each input: +1 if raising it is better for the council, -1 if worse, 0 if mixed."""
        amount = _merge(*(_signs(a) for a in self.amounts_list))
        positive = all((a.case("low") >= 0 if isinstance(a, Amount) else a >= 0) for a in self.amounts_list)
        scale = 1 if positive else 0
        delivery = _signs(self.delivery, scale)
        delay = _signs(self.delay, -scale)
        profile_delay = _signs(self.profile.delay_years, -scale) if self.profile is not None else {}
        moves = _merge(amount, delivery, delay, profile_delay)
        return {leaf: s * self.direction for leaf, s in moves.items()}

    # -- what-ifs -------------------------------------------------------------------------
    def with_amount(self, amount: AmountInput) -> Line:
        """A copy of this line with a new amount (one, or one per year), checked as a new line.

        The copy goes through the line's own constructor, so every check applies again
        (a saving entered negative, a re-profiling that does not sum to zero).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Cost("IT", [3, 8, 5, 1]).with_amount([4, 8, 5, 1]).amount
        (4.0, 8.0, 5.0, 1.0)
        >>> fm.Reprofile("Moved", [1, -1]).with_amount([1, 0])
        Traceback (most recent call last):
        ...
        finmodel.core.errors.ModelError: Reprofile 'Moved': amounts sum to 1 (1 + 0), not zero; a re-profiling only moves amounts between years
        """
        args = self._constructor_args()
        per_year = isinstance(amount, (list, tuple, np.ndarray))
        for key in ("amount", "run_rate", "amounts"):
            if key in args:
                args[key] = list(amount) if per_year else amount  # type: ignore[arg-type]
        if "profile" in args and per_year:
            args["profile"] = None
        new = type(self)(**args)
        if "delay" not in args and self.delay is not None:  # a slip given with delayed()
            object.__setattr__(new, "delay", self.delay)
        return new

    def _constructor_args(self) -> dict[str, Any]:
        """The arguments that rebuild this line through its own constructor."""
        params = list(inspect.signature(type(self).__init__).parameters)[1:]
        args: dict[str, Any] = {}
        for param in params:
            value = getattr(self, "amount" if param in ("amount", "run_rate", "amounts") else param)
            args[param] = list(value) if isinstance(value, tuple) else value
        return args

    def scaled(self, factor: Any) -> Line:
        """A copy with every amount multiplied by ``factor`` (which may be uncertain).

        Examples
        --------
        >>> import finmodel as fm
        >>> overrun = fm.Triangular(1.0, 1.0, 1.6)
        >>> fm.Cost("IT", [3, 8]).scaled(overrun).amount[1].case("high")
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
        if isinstance(self, Reprofile):
            raise ModelError(
                f"Reprofile {self.name!r}: a re-profiling cannot slip (its amounts would no longer "
                "sum to zero); give the amounts in the years they fall"
            )
        total = years if self.delay is None else plus(self.delay, as_amount(years, f"{self.kind} {self.name!r}: delay"))
        new = copy.copy(self)
        new.__dict__.pop("_leaves", None)
        object.__setattr__(new, "delay", check_delay(total, f"{self.kind} {self.name!r}: delay"))
        return new

    def __repr__(self) -> str:
        amount = list(self.amount) if isinstance(self.amount, tuple) else self.amount
        extras = "".join(
            f", {k}={v!r}"
            for k, v in (("profile", self.profile), ("delivery", self.delivery), ("delay", self.delay))
            if v is not None
        )
        if self.recurring != self.default_recurring:
            extras += f", recurring={self.recurring}"
        return f"{self.kind}({self.name!r}, {amount!r}{extras})"


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Pressure(Line):
    """An increase in the cost of standing still (demography, inflation, legislation).

    Parameters
    ----------
    name : str
    amount : amount or list of amounts
        One amount (with an optional ``profile``) or one per year. Recurring by default:
        a list gives each year's *new* pressure, as an MTFP table prints it.
    profile : Profile, optional
    recurring : bool, default True
    category, owner : str, optional
        Tags for subtotals.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Pressure("Demography", [18.4, 9.0, 6.5, 0.2]).recurring
    True
    """

    kind: ClassVar[str] = "Pressure"
    direction: ClassVar[int] = -1

    def __init__(
        self,
        name: str,
        amount: AmountInput,
        profile: Profile | None = None,
        *,
        recurring: bool = True,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        self._setup(name, amount, profile, recurring=recurring, category=category, owner=owner)


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Investment(Line):
    """An improvement or growth item added to the budget (recurring by default).

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Investment("Improvements & Investments", [4.8, 0.4, 0.0, -0.5]).kind
    'Investment'
    """

    kind: ClassVar[str] = "Investment"
    direction: ClassVar[int] = -1

    def __init__(
        self,
        name: str,
        amount: AmountInput,
        profile: Profile | None = None,
        *,
        recurring: bool = True,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        self._setup(name, amount, profile, recurring=recurring, category=category, owner=owner)


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Saving(Line):
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
    delay : amount, optional
        Years of slippage (e.g. ``Chance(0.3)`` for one year with probability 0.3).
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
    direction: ClassVar[int] = 1

    def __init__(
        self,
        name: str,
        amount: AmountInput,
        profile: Profile | None = None,
        *,
        recurring: bool = True,
        delivery: Any = None,
        delay: Any = None,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        self._setup(
            name,
            amount,
            profile,
            recurring=recurring,
            delivery=delivery,
            delay=delay,
            category=category,
            owner=owner,
        )
        self._refuse_all_negative("savings")


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Reprofile(Line):
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
    direction: ClassVar[int] = -1

    def __init__(
        self,
        name: str,
        amounts: Sequence[Amount | float],
        *,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        if not isinstance(amounts, (list, tuple, np.ndarray)):
            raise ModelError(f"Reprofile {name!r}: amounts ({amounts!r}) must be a list, one amount per year")
        self._setup(name, list(amounts), recurring=True, category=category, owner=owner)
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
                f"Reprofile {self.name!r}: amounts sum to {fmt_number(round(total, 12))} ({terms}){where}, "
                "not zero; a re-profiling only moves amounts between years"
            )

    def _per_year_table(self, values: Mapping[Leaf, Value], years: int) -> np.ndarray:
        changes = super()._per_year_table(values, years)
        level = changes[:, -1]
        if np.any(np.abs(level) > 1e-9 * np.maximum(1.0, np.abs(changes).max())):
            raise ModelError(
                f"Reprofile {self.name!r}: in some trials the amounts do not sum to zero "
                f"(largest total {float(np.abs(level).max()):.6g})"
            )
        return changes


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Funding(Line):
    """Income or funding: a change from the base budget, or the level available each year.

    Parameters
    ----------
    name : str
    amounts : amount or list of amounts
    basis : {"change", "level"}
        ``"change"``: each year's change in funding (recurring, like an MTFP row).
        ``"level"``: the funding available in each year; the plan then needs a
        ``base_budget`` to know the starting level.
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
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = 1
    basis: Literal["change", "level"] = "change"
    base: float | None = None

    def __init__(
        self,
        name: str,
        amounts: AmountInput,
        basis: Literal["change", "level"] = "change",
        *,
        profile: Profile | None = None,
        base: float | None = None,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        if basis not in ("change", "level"):
            raise ModelError(f"Funding {name!r}: basis ({basis!r}) must be 'change' or 'level'")
        object.__setattr__(self, "basis", basis)
        recurring = basis == "change"
        if basis == "level" and not isinstance(amounts, (list, tuple, np.ndarray)):
            raise ModelError(
                f"Funding {name!r}: basis='level' needs one amount per year (the level each year), "
                f"got {amounts!r}"
            )
        if base is not None:
            if basis != "level":
                raise ModelError(f"Funding {name!r}: base ({base!r}) applies only to basis='level'")
            try:
                base = as_amount(base, f"Funding {name!r}: base")  # type: ignore[assignment]
            except AmountError as err:
                raise ModelError(str(err)) from None
            if isinstance(base, Amount):
                raise ModelError(f"Funding {name!r}: base ({base!r}) must be a number")
        object.__setattr__(self, "base", base)
        self._setup(name, amounts, profile, recurring=recurring, category=category, owner=owner)


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Reserves(Line):
    """Reserves applied to the budget: one-off by default (they close that year's gap only).

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.Reserves("General balances", [2.0, 0, 0, 0]).recurring
    False
    """

    kind: ClassVar[str] = "Reserves"
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = 1
    default_recurring: ClassVar[bool] = False

    def __init__(
        self,
        name: str,
        amounts: AmountInput,
        *,
        recurring: bool = False,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        self._setup(name, amounts, recurring=recurring, category=category, owner=owner)


@dataclass(frozen=True, eq=False, repr=False, init=False)
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
    >>> b.run_rate({leaf: 8.0 for leaf in b.leaves()})
    8.0
    """

    kind: ClassVar[str] = "Benefit"
    amount_field: ClassVar[str] = "run_rate"
    direction: ClassVar[int] = 1

    def __init__(
        self,
        name: str,
        run_rate: AmountInput,
        profile: Profile | None = None,
        *,
        delivery: Any = None,
        delay: Any = None,
        recurring: bool = True,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        self._setup(
            name,
            run_rate,
            profile,
            recurring=recurring,
            delivery=delivery,
            delay=delay,
            category=category,
            owner=owner,
        )
        self._refuse_all_negative("benefits")


@dataclass(frozen=True, eq=False, repr=False, init=False)
class Cost(Line):
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

    Examples
    --------
    >>> import finmodel as fm
    >>> overrun = fm.Triangular(1.0, 1.0, 1.6, name="cost overrun")
    >>> c = fm.Cost("Implementation", [3 * overrun, 8 * overrun, 5 * overrun, 1 * overrun])
    >>> len(c.leaves())
    1
    """

    kind: ClassVar[str] = "Cost"
    amount_field: ClassVar[str] = "amounts"
    direction: ClassVar[int] = -1
    default_recurring: ClassVar[bool] = False

    def __init__(
        self,
        name: str,
        amounts: AmountInput,
        profile: Profile | None = None,
        *,
        recurring: bool = False,
        category: str | None = None,
        owner: str | None = None,
    ) -> None:
        self._setup(name, amounts, profile, recurring=recurring, category=category, owner=owner)
        self._refuse_all_negative("costs")
