"""Profiles: how an on-going run rate is phased over the timeline, and how delays shift it.

A profile is kept in the form it was given (``increments``, ``cumulative`` or
``immediate``, with the numbers as typed); its *cumulative* share of the run rate
received in each year (``shares``, ``received``) and the share *added* each year
(``added``, the first difference) follow from that. The OCC case for change phases its
minimum benefit as £2m, £13m, £13m and £5m of new on-going benefit a year:
``Profile.increments([2, 13, 13, 5])`` receives 2/33, 15/33, 28/33 and 33/33 of the run
rate in years 1 to 4.

A profile shorter than the timeline keeps its last share: increments reach the full
run rate and stay there; a cumulative profile holds its final share (end a benefit
with an explicit 0). A profile longer than the timeline does not fit it and is refused.

Delays: the one rule
--------------------
A delay shifts a schedule right by whole or fractional years. A fraction blends the two
neighbouring whole-year shifts, ``S_w + (S_{w+1} - S_w) * f`` for a delay of ``w + f``
years, which is the expected schedule of a slip of one year with probability ``f``.
Amounts pushed past the last year leave the timeline. A delay may itself be uncertain
(``Chance(0.3)``), one value per trial. :func:`delayed` is the only implementation of
this rule; profiles, lines and every table use it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np

from finmodel.core import compiled
from finmodel.core.amounts import Amount, Leaf, Value, as_amount, check_number, fmt_number, plus
from finmodel.core.errors import AmountError, ProfileError
from finmodel.core.limits import MAX_YEARS

__all__ = ["FORMS", "Profile", "add_delayed", "check_delay", "delayed", "fit"]

Form = Literal["increments", "cumulative", "immediate"]
#: The forms a profile can be given in.
FORMS: tuple[Form, ...] = ("increments", "cumulative", "immediate")


def _numbers(values: Any, who: str) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ProfileError(f"{who}: expected a list of numbers, got {values!r}")
    if len(values) > MAX_YEARS:
        raise ProfileError(f"{who}: {len(values):,} values; a profile covers at most {MAX_YEARS} years")
    try:
        out = tuple(check_number(v, f"{who}: value [{i}]") for i, v in enumerate(values))
    except AmountError as err:
        raise ProfileError(str(err)) from None
    if not out:
        raise ProfileError(f"{who}: needs at least one year")
    return out


def check_delay(delay: Any, who: str) -> Amount | float:
    """Validate a delay in years: a number or amount that can never be negative.

    Examples
    --------
    >>> import finmodel as fm
    >>> check_delay(fm.Chance(0.3), "Benefit 'QW': delay").describe()
    'Chance(p=0.3)'
    >>> check_delay(-1, "Benefit 'QW': delay")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.ProfileError: Benefit 'QW': delay (-1) must not be negative; a profile brought forward is a new profile
    """
    try:
        amount = as_amount(delay, f"{who}")
    except AmountError as err:
        raise ProfileError(str(err)) from None
    low = amount.bounds()[0] if isinstance(amount, Amount) else amount
    if low < 0:
        shown = (
            fmt_number(low)
            if not isinstance(amount, Amount)
            else f"{amount.describe()}, as low as {fmt_number(low)}"
        )
        raise ProfileError(f"{who} ({shown}) must not be negative; a profile brought forward is a new profile")
    return amount


def fit(shares: tuple[float, ...], years: int, who: str) -> np.ndarray:
    """Stretch cumulative shares to ``years`` by holding the last share; refuse a longer profile.

    Examples
    --------
    >>> fit((0.5, 1.0), 4, "Profile").tolist()
    [0.5, 1.0, 1.0, 1.0]
    """
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 1 <= years <= MAX_YEARS:
        raise ProfileError(f"{who}: years ({years!r}) must be a whole number from 1 to {MAX_YEARS}")
    if len(shares) > years:
        raise ProfileError(
            f"{who}: profile covers {len(shares)} years but the timeline has {years}; "
            "it does not fit the timeline"
        )
    out = np.empty(years)
    out[: len(shares)] = shares
    out[len(shares) :] = shares[-1]
    return out


@functools.lru_cache(maxsize=8192)
def _shifts(schedule: tuple[float, ...]) -> np.ndarray:
    """Column k: ``schedule`` shifted right by k years (k = 0..years), zeros in front.

    Shape (years, years + 1), years first, so that gathering one column per trial gives
    a (years, trials) array directly. Cached: a model's schedules are few and fixed.
    """
    years = len(schedule)
    table = np.zeros((years, years + 1))
    for k in range(years):
        table[k:, k] = schedule[: years - k]
    table.flags.writeable = False
    return table


def delayed(
    schedule: np.ndarray | tuple[float, ...],
    delay: Value,
    factor: Value | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """A schedule shifted right by ``delay`` years, times ``factor``: the one rule for delays.

    Parameters
    ----------
    schedule : tuple of float, or array of shape (years, m)
        One schedule common to every trial (a tuple, e.g. a profile's shares), or one
        column per trial (``m`` trials, or ``m = 1``).
    delay : float or array of shape (trials,)
        Years of delay, never negative; per trial where it is uncertain.
    factor : float or array of shape (trials,), optional
        What the shifted schedule is multiplied by in each trial (a line's amount times
        its delivery); for a common schedule only.
    out : numpy.ndarray, optional
        An array of shape (years, trials) the result may be written into (scratch the
        caller no longer needs); used where the result has that shape.

    Returns
    -------
    numpy.ndarray
        Shape (years, trials), or (years, 1) when nothing varies by trial: ``out`` or a
        new array, which the caller may write to.

    Notes
    -----
    A delay of ``w + f`` years (``w`` whole, ``0 <= f < 1``) gives
    :math:`S_w + (S_{w+1} - S_w) f`, where :math:`S_k` is the schedule shifted right by
    ``k`` years with zeros in front. Delays beyond the timeline leave nothing in it. With
    a ``factor`` :math:`a`, each trial's value is :math:`a \\, S_\\delta`; where every trial's
    delay is a whole number of years (a slip that happens or not) it is computed as
    :math:`\\sum_k (a [w = k]) S_k`, whose one nonzero term is :math:`a S_w`: the same
    numbers, by products along the trials instead of a gather.

    Examples
    --------
    >>> delayed((3.0, 8.0, 5.0, 1.0), 1.0)[:, 0].tolist()
    [0.0, 3.0, 8.0, 5.0]
    >>> delayed((0.5, 1.0, 1.0), np.array([0.0, 0.5])).T.tolist()
    [[0.5, 1.0, 1.0], [0.25, 0.75, 1.0]]
    >>> delayed((0.5, 1.0), np.array([0.0, 1.0]), factor=np.array([10.0, 20.0])).T.tolist()
    [[5.0, 10.0], [0.0, 10.0]]
    """
    d = np.asarray(delay, dtype=float)
    if not isinstance(schedule, tuple):
        return _delayed_columns(np.asarray(schedule, dtype=float), d)
    table = _shifts(schedule)
    years = len(schedule)
    if isinstance(factor, np.ndarray) and factor.ndim == 1 and factor.size > 1:
        target = out if out is not None and out.shape == (years, factor.size) else np.empty((years, factor.size))
        if _shifted(table, d, factor, target, 0):
            return target
    if d.ndim == 0:
        fixed = _blend_fixed(table, float(d), years)
        return fixed if factor is None else _times(fixed, factor, out)
    d = np.minimum(d, float(years))
    whole = d.astype(np.intp)
    frac = d - whole
    if not frac.any():
        lowest, highest = int(whole.min()), int(whole.max())
        if highest - lowest <= _MASKED_SHIFTS:
            return _masked(table, whole, lowest, highest, factor, out)
    gathered = np.take(table, whole, axis=1)
    if frac.any():
        after = np.take(table, np.minimum(whole + 1, years), axis=1)
        after -= gathered
        after *= frac
        gathered += after
    return gathered if factor is None else _times(gathered, factor)


def add_delayed(
    total: np.ndarray, schedule: tuple[float, ...], delay: Value, factor: Value, sign: float, scale: Value | None = None
) -> bool:
    """Add (``sign`` 1) or subtract (-1) ``delayed(schedule, delay, factor * scale)`` into ``total`` in one pass.

    The sum of a line into a running total without making the line's array: bit for bit
    ``total += delayed(schedule, delay, factor)`` (or ``-=``). Done only where compiled
    code is available and the line is a common case (a factor per trial, delays of whole
    years); returns False, having changed nothing, otherwise, and the caller adds the
    line's array. ``scale`` (a line's delivery, say) multiplies ``factor`` first, as
    ``factor * scale`` would, without an array of its own.

    Examples
    --------
    >>> total = np.zeros((3, 2))
    >>> done = add_delayed(total, (0.5, 1.0, 1.0), np.array([0.0, 1.0]), np.array([10.0, 20.0]), 1.0)
    >>> bool((total == delayed((0.5, 1.0, 1.0), np.array([0.0, 1.0]), np.array([10.0, 20.0]))).all()) or not done
    True
    """
    if not isinstance(delay, np.ndarray) or delay.dtype != _FLOAT:
        delay = np.asarray(delay, dtype=float)
    return _shifted(_shifts(schedule), delay, factor, total, 1 if sign > 0 else -1, scale)


_FLOAT = np.dtype(float)


def _shifted(
    table: np.ndarray,
    delay: np.ndarray,
    factor: Value | None,
    out: np.ndarray | None,
    mode: int,
    scale: Value | None = None,
) -> bool:
    """Compiled ``out (=, +=, -=) table[:, w] * (factor * scale)``
    (:func:`finmodel.core.compiled.shifts.shift_into`), when compiled code is available and
    the arrays fit it; False, having written nothing, otherwise."""
    kernel = compiled.load("shifts")
    if kernel is None or out is None or not isinstance(factor, np.ndarray):
        return False
    if factor.ndim != 1 or factor.dtype != _FLOAT or out.dtype != _FLOAT or delay.ndim > 1:
        return False
    n = factor.shape[0]
    if out.shape != (table.shape[0], n) or delay.size not in (1, n):
        return False
    flags = out.flags
    if not (flags.c_contiguous and flags.writeable):
        return False
    if scale is None:
        scale = _ONE
    elif isinstance(scale, np.ndarray):
        if scale.dtype != _FLOAT or scale.shape != (n,):
            return False
    elif isinstance(scale, (int, float)):  # one value for every trial
        scale = np.full(1, float(scale))
    else:
        return False
    return bool(kernel.shift_into(out, table, delay.reshape(-1), factor, scale, mode))


_ONE = np.ones(1)


#: Whole-year delays spanning at most this many years more than the shortest are shifted
#: by products along the trials (faster than gathering a column per trial).
_MASKED_SHIFTS = 3


def _masked(
    table: np.ndarray, whole: np.ndarray, lowest: int, highest: int, factor: Value | None, out: np.ndarray | None
) -> np.ndarray:
    """:math:`\\sum_k (a [w = k]) S_k` over the whole delays ``k`` present.

    The first shift fills the result; each later one is added a year at a time through
    one row of scratch, so that no second (years, trials) array is made. A year where a
    shifted schedule is zero adds nothing and is skipped.
    """
    weight = np.broadcast_to(np.asarray(1.0 if factor is None else factor, dtype=float), whole.shape)
    if out is None or out.shape != (table.shape[0], whole.size):
        out = np.empty((table.shape[0], whole.size))
    np.multiply(table[:, lowest : lowest + 1], np.multiply(weight, whole == lowest), out=out)
    row = np.empty(whole.shape)
    for k in range(lowest + 1, highest + 1):
        share = np.multiply(weight, whole == k)
        for year in np.flatnonzero(table[:, k]):
            out[year] += np.multiply(share, table[year, k], out=row)
    return out


def _times(values: np.ndarray, factor: Value, out: np.ndarray | None = None) -> np.ndarray:
    """``values`` (years, trials or 1) times a factor per trial (or one for all): in place
    when it fits, else into ``out`` when that has the product's shape, else a new array."""
    row = factor[None, :] if isinstance(factor, np.ndarray) and factor.ndim == 1 else factor
    if np.ndim(row) == 2 and np.shape(row)[1] != values.shape[1]:
        shape = (values.shape[0], np.shape(row)[1])
        if out is not None and out.shape == shape:
            return np.multiply(values, row, out=out)
        return values * row
    values *= row
    return values


def _blend_fixed(table: np.ndarray, delay: float, years: int) -> np.ndarray:
    delay = min(delay, float(years))
    whole = int(delay)
    out = table[:, whole : whole + 1].copy()
    frac = delay - whole
    if frac > 0:
        out += (table[:, min(whole + 1, years)][:, None] - out) * frac
    return out


def _delayed_columns(schedule: np.ndarray, d: np.ndarray) -> np.ndarray:
    """:func:`delayed` for a schedule with one column per trial."""
    years = schedule.shape[0]
    d = np.minimum(d, float(years))
    m = max(schedule.shape[1], d.size if d.ndim else 1)
    schedule = np.broadcast_to(schedule, (years, m))
    if d.ndim == 0:
        shift, blend = int(d), float(d) - int(d)
        out = _shift(schedule, shift)
        if blend > 0:
            out += (_shift(schedule, shift + 1) - out) * blend
        return out
    whole = d.astype(np.intp)
    frac = d - whole
    out = np.zeros((years, m))
    for k in np.unique(whole):
        trials = whole == k
        rows = _shift(schedule[:, trials], int(k))
        part = frac[trials]
        if part.any():
            rows += (_shift(schedule[:, trials], int(k) + 1) - rows) * part
        out[:, trials] = rows
    return out


def _shift(schedule: np.ndarray, k: int) -> np.ndarray:
    years = schedule.shape[0]
    out = np.zeros(schedule.shape)
    if k < years:
        out[k:] = schedule[: years - k]
    return out


@dataclass(frozen=True)
class Profile:
    """The phasing of an on-going run rate, kept in the form it was given.

    Build one with :meth:`increments`, :meth:`cumulative` or :meth:`immediate`; delay it
    with :meth:`delay`.

    Parameters
    ----------
    form : {"increments", "cumulative", "immediate"}
        How ``values`` read: shares (or amounts) *added* each year, shares *received* each
        year, or the full run rate from the first year (no values).
    values : tuple of float
        The numbers as given.
    delay_years : amount or float
        Years of delay (may be uncertain).

    Examples
    --------
    >>> import finmodel as fm
    >>> phasing = fm.Profile.increments([2, 13, 13, 5])
    >>> (phasing.received(4) * 33).round(6).tolist()
    [2.0, 15.0, 28.0, 33.0]
    >>> (phasing.added(4) * 33).round(6).tolist()
    [2.0, 13.0, 13.0, 5.0]
    >>> (phasing.delay(1).received(4) * 33).round(6).tolist()
    [0.0, 2.0, 15.0, 28.0]
    >>> phasing.form, phasing.values
    ('increments', (2.0, 13.0, 13.0, 5.0))
    """

    form: Form
    values: tuple[float, ...] = ()
    delay_years: Amount | float = 0.0

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise ProfileError(f"Profile: form ({self.form!r}) must be one of {', '.join(map(repr, FORMS))}")
        shown = [_short(v) if isinstance(v, (int, float)) else v for v in self.values] if hasattr(self.values, "__iter__") else self.values
        who = f"Profile.{self.form}({shown!r})" if self.form != "immediate" else "Profile.immediate()"
        if self.form == "immediate":
            if tuple(self.values) not in ((), (1.0,)):
                raise ProfileError(f"{who}: takes no values, got {self.values!r}")
            object.__setattr__(self, "values", ())
        else:
            numbers = _numbers(self.values, who)
            object.__setattr__(self, "values", numbers)
            _check_form(self.form, numbers, who)
        object.__setattr__(self, "delay_years", check_delay(self.delay_years, "Profile: delay"))

    @classmethod
    def increments(
        cls, values: Sequence[float], *, total: float | None = None, rescale: bool = False
    ) -> Profile:
        """A profile from the amounts (or shares) of the run rate *added* each year.

        Parameters
        ----------
        values : sequence of float
            Non-negative amounts added each year, e.g. ``[2, 13, 13, 5]`` (£m of new
            on-going benefit that reach a £33m run rate); only their proportions matter.
        total : float, optional
            What the values are stated to add up to: ``100`` for percentages, ``1`` for
            shares, or the run rate the paper gives for amounts. A phasing that does not
            add up to it is refused (a typing error, or the paper's own).
        rescale : bool
            With ``total``: accept values that do not add up to it and rescale them to it
            explicitly (the profile keeps the rescaled values).

        Raises
        ------
        ProfileError
            If a value is negative, the values add up to 0, or they do not add up to
            ``total`` (without ``rescale=True``).

        Notes
        -----
        Without ``total`` the values are read as amounts, whatever they add up to: the
        received share in year :math:`t` is :math:`\\sum_{s \\le t} v_s / \\sum_s v_s`.
        A percentage phasing is told apart only by ``total=100``: finmodel never guesses
        from the numbers (a phasing of £95k is as plausible as a slip in a percentage).
        With ``total`` the sum must equal it to within :math:`10^{-9}` relative.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.increments([1, 1]).received(3).tolist()
        [0.5, 1.0, 1.0]
        >>> fm.Profile.increments([10, 40, 40, 10], total=100).received(4).tolist()
        [0.1, 0.5, 0.9, 1.0]
        >>> fm.Profile.increments([10, 40, 40, 5], total=100)
        Traceback (most recent call last):
        ...
        finmodel.core.errors.ProfileError: Profile.increments([10, 40, 40, 5]): the values add up to 95, not the stated total of 100 (5 short); correct the values, or pass rescale=True to rescale them to 100
        >>> fm.Profile.increments([10, 40, 40, 5], total=100, rescale=True).values[-1]
        5.2631578947368425
        """
        numbers = _numbers(values, _who("increments", values))
        if total is None:
            if rescale:
                raise ProfileError(f"{_who('increments', values)}: rescale=True needs total=, what the values are rescaled to")
            return cls("increments", numbers)
        who = _who("increments", values)
        try:
            target = check_number(total, f"{who}: total")
        except AmountError as err:
            raise ProfileError(str(err)) from None
        if target <= 0:
            raise ProfileError(f"{who}: total ({fmt_number(target)}) must be positive")
        _check_form("increments", numbers, who)
        found = math.fsum(numbers)
        if abs(found - target) <= 1e-9 * target:
            return cls("increments", numbers)
        if not rescale:
            gap = target - found
            side = f"{fmt_number(abs(gap))} {'short' if gap > 0 else 'over'}"
            raise ProfileError(
                f"{who}: the values add up to {fmt_number(found)}, not the stated total of "
                f"{fmt_number(target)} ({side}); correct the values, or pass rescale=True to rescale "
                f"them to {fmt_number(target)}"
            )
        return cls("increments", tuple(v * target / found for v in numbers))

    @classmethod
    def cumulative(cls, values: Sequence[float]) -> Profile:
        """A profile from the share of the run rate *received* in each year (0 to 1; may fall).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.cumulative([0.5, 1, 1, 0]).added(4).tolist()
        [0.5, 0.5, 0.0, -1.0]
        """
        return cls("cumulative", _numbers(values, _who("cumulative", values)))

    @classmethod
    def immediate(cls) -> Profile:
        """The full run rate from the first year.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.immediate().received(3).tolist()
        [1.0, 1.0, 1.0]
        """
        return cls("immediate")

    @cached_property
    def shares(self) -> tuple[float, ...]:
        """The cumulative share of the run rate received in each year, as given (undelayed).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.increments([1, 3]).shares
        (0.25, 1.0)
        """
        if self.form == "immediate":
            return (1.0,)
        if self.form == "cumulative":
            return self.values
        running = np.cumsum(self.values) / sum(self.values)
        running[-1] = 1.0
        return tuple(float(x) for x in running)

    def delay(self, years: Any) -> Profile:
        """The same profile ``years`` later; ``years`` may be uncertain (e.g. ``Chance(0.3)``).

        Examples
        --------
        >>> import finmodel as fm
        >>> slip = fm.Profile.increments([1, 1]).delay(fm.Chance(0.3))
        >>> slip.received(3).tolist()  # the central case: the expected profile
        [0.35, 0.85, 1.0]
        """
        extra = check_delay(years, "Profile.delay: years")
        total = extra if _is_zero(self.delay_years) else plus(self.delay_years, extra)
        return Profile(self.form, self.values, total)

    def leaves(self) -> tuple[Leaf, ...]:
        """The uncertain inputs of this profile (those of its delay).

        Examples
        --------
        >>> import finmodel as fm
        >>> len(fm.Profile.immediate().delay(fm.Chance(0.5)).leaves())
        1
        """
        return self.delay_years.leaves() if isinstance(self.delay_years, Amount) else ()

    def received(self, years: int) -> np.ndarray:
        """Cumulative share of the run rate received in each year, an uncertain delay at its
        central case.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.increments([1, 1]).delay(1).received(3).tolist()
        [0.0, 0.5, 1.0]
        """
        shares = tuple(fit(self.shares, years, f"Profile ({self.form})").tolist())
        d = self.delay_years.case("central") if isinstance(self.delay_years, Amount) else self.delay_years
        return delayed(shares, d)[:, 0]

    def added(self, years: int) -> np.ndarray:
        """Share of the run rate added in each year (the first difference of :meth:`received`).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.increments([1, 1]).added(3).tolist()
        [0.5, 0.5, 0.0]
        """
        return np.diff(self.received(years), prepend=0.0)

    def __repr__(self) -> str:
        body = "" if self.form == "immediate" else repr([_short(v) for v in self.values])
        delay = "" if _is_zero(self.delay_years) else f".delay({self.delay_years!r})"
        return f"Profile.{self.form}({body}){delay}"


def _check_form(form: str, numbers: tuple[float, ...], who: str) -> None:
    if form == "increments":
        for i, v in enumerate(numbers):
            if v < 0:
                raise ProfileError(
                    f"{who}: value [{i}] ({fmt_number(v)}) is negative; use Profile.cumulative "
                    "for a benefit that falls"
                )
        total = sum(numbers)
        if total == 0:
            raise ProfileError(f"{who}: the increments sum to 0; nothing to phase")
        if not np.isfinite(total):
            raise ProfileError(f"{who}: the increments sum to {total}; give shares or amounts that add up")
    else:
        for i, v in enumerate(numbers):
            if not 0.0 <= v <= 1.0:
                raise ProfileError(
                    f"{who}: share [{i}] ({fmt_number(v)}) must lie in [0, 1]; give shares of the "
                    "run rate (e.g. 15/33), or use Profile.increments for amounts added each year"
                )


def _who(form: str, values: Any) -> str:
    if isinstance(values, (list, tuple)):
        shown = [_short(v) if isinstance(v, float) and not isinstance(v, bool) else v for v in values[:12]]
        text = repr(shown) if len(values) <= 12 else repr(shown)[:-1] + ", ...]"  # a long list cut short
        return f"Profile.{form}({text})"
    return f"Profile.{form}"


def _short(v: float) -> float | int:
    return int(v) if np.isfinite(v) and float(v).is_integer() and abs(v) < 1e15 else v


def _is_zero(x: Amount | float) -> bool:
    return not isinstance(x, Amount) and x == 0
