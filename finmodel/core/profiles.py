"""Profiles: how an on-going run rate is phased over the timeline.

A profile is stored as the *cumulative* share of the run rate received in each year
(``received``); the share *added* each year is its first difference (``added``). The
OCC case for change phases its minimum benefit as £2m, £13m, £13m and £5m of new
on-going benefit a year: ``Profile.increments([2, 13, 13, 5])`` receives 2/33, 15/33,
28/33 and 33/33 of the run rate in years 1 to 4.

A profile shorter than the timeline keeps its last share: increments reach the full
run rate and stay there; a cumulative profile holds its final share (end a benefit
with an explicit 0). A profile longer than the timeline does not fit it and is refused.

A delay shifts the profile right by whole or fractional years (a fraction blends the
two neighbouring whole-year shifts, which is the expected profile of a slip of one
year with that probability). A delay may itself be uncertain, e.g. ``Chance(0.3)``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from finmodel.core.amounts import Amount, Leaf, Value, as_amount, check_number, fmt_number, plus
from finmodel.core.errors import AmountError, ProfileError

__all__ = ["PhasedSum", "Profile", "check_delay", "shift_years"]


def _numbers(values: Sequence[float], who: str) -> tuple[float, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ProfileError(f"{who}: expected a list of numbers, got {values!r}")
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
        raise ProfileError(
            f"{who} ({shown}) must not be negative; a profile brought forward is a new profile"
        )
    return amount


def fit(shares: tuple[float, ...], years: int, who: str) -> np.ndarray:
    """Stretch cumulative shares to ``years`` by holding the last share; refuse a longer profile."""
    if len(shares) > years:
        raise ProfileError(
            f"{who}: profile covers {len(shares)} years but the timeline has {years}; "
            "it does not fit the timeline"
        )
    out = np.empty(years)
    out[: len(shares)] = shares
    out[len(shares) :] = shares[-1]
    return out


@functools.lru_cache(maxsize=4096)
def shift_table(shares: tuple[float, ...], years: int, added: bool) -> np.ndarray:
    """Row k: the profile's shares shifted right by k years (k = 0..years), zeros in front.

    ``added=False`` shifts the cumulative shares received, ``added=True`` the shares
    added each year. Cached: a model's tables are built once, not once per chunk.

    Examples
    --------
    >>> shift_table((0.5, 1.0), 2, False).tolist()
    [[0.5, 1.0], [0.0, 0.5], [0.0, 0.0]]
    """
    received = fit(shares, years, "Profile")
    base = np.diff(received, prepend=0.0) if added else received
    table = np.zeros((years + 1, years))
    for k in range(years):
        table[k, k:] = base[: years - k]
    table.flags.writeable = False
    return table


def phased(shares: tuple[float, ...], years: int, delay: Value, added: bool = False) -> np.ndarray:
    """Shares per year after a delay: shape (1, years) for a fixed delay, (n, years) per trial.

    A fractional delay blends the two neighbouring whole-year shifts; delays are never
    negative (checked when the line or profile is built).

    Examples
    --------
    >>> phased((0.5, 1.0, 1.0), 3, 1.0)
    array([[0. , 0.5, 1. ]])
    >>> phased((0.5, 1.0, 1.0), 3, np.array([0.0, 0.5]))
    array([[0.5 , 1.  , 1.  ],
           [0.25, 0.75, 1.  ]])
    """
    table = shift_table(shares, years, added)
    d = np.asarray(delay, dtype=float)
    if d.ndim == 0:
        whole = min(int(d), years)
        rows = table[whole : whole + 1]
        frac = min(float(d), years) - whole
        if frac > 0:
            rows = rows + (table[min(whole + 1, years)] - rows) * frac
        return rows
    d = np.minimum(d, float(years))
    whole = d.astype(np.intp)
    rows = table.take(whole, axis=0)
    frac = d - whole
    if frac.any():
        after = table.take(np.minimum(whole + 1, years), axis=0)
        rows += (after - rows) * frac[:, None]
    return rows


def shift_years(schedule: np.ndarray, delay: Value) -> np.ndarray:
    """Shift a per-year schedule of shape (n or 1, years) right by ``delay`` years.

    A fractional delay blends the two neighbouring whole-year shifts. Amounts pushed
    past the last year leave the timeline.

    Examples
    --------
    >>> shift_years(np.array([[3.0, 8.0, 5.0, 1.0]]), 1.0)
    array([[0., 3., 8., 5.]])
    >>> shift_years(np.array([[3.0, 8.0, 5.0, 1.0]]), np.array([0.0, 2.0]))
    array([[3., 8., 5., 1.],
           [0., 0., 3., 8.]])
    """
    years = schedule.shape[-1]
    d = np.clip(np.asarray(delay, dtype=float), 0.0, float(years))
    if d.ndim == 0:
        whole = math.floor(float(d))
        frac = float(d) - whole
        out = np.zeros(schedule.shape)
        out[:, whole:] = schedule[:, : years - whole]
        if frac > 0:
            nxt = np.zeros(schedule.shape)
            if whole + 1 < years:
                nxt[:, whole + 1 :] = schedule[:, : years - whole - 1]
            out += (nxt - out) * frac
        return out
    n = d.shape[0]
    whole_arr = np.floor(d).astype(np.intp)
    frac_arr = d - whole_arr
    out = np.zeros((n, years))
    full = np.broadcast_to(schedule, (n, years))
    for k in range(years):
        weight = (whole_arr == k) * (1.0 - frac_arr) + (whole_arr + 1 == k) * frac_arr
        if weight.any():
            out[:, k:] += full[:, : years - k] * weight[:, None]
    return out


class PhasedSum:
    """The sum of many phased amounts, ``scale * factor * phased(shares, years, delay)``.

    A model's totals (the budget gap, the benefits of a case) add up hundreds of lines.
    Adding each line as an ``(n, years)`` array costs several passes over ``n * years``
    numbers per line. Here each amount adds only per-trial *weights*: its factor on the
    row of its profile's shift table that its delay selects (two rows, blended, for a
    fractional delay). Amounts on the same profile and row share one weight column, so
    the ``(n, years)`` work is done once per profile and row, not once per line.

    Each trial's result depends only on that trial's draws: columns are spread over the
    years in an order fixed by the order amounts are added (first use of each profile,
    then row), never by which delays a chunk of trials happens to contain, so results do
    not depend on the chunk size.

    Parameters
    ----------
    years : int
        Length of the timeline.
    n : int
        Number of trials.

    Examples
    --------
    >>> total = PhasedSum(3, 2)
    >>> total.add((0.5, 1.0), factor=np.array([2.0, 4.0]), delay=np.array([0.0, 1.0]))
    >>> total.add((1.0,), factor=10.0, scale=-1.0)
    >>> total.result().tolist()
    [[-9.0, -8.0, -8.0], [-10.0, -8.0, -6.0]]
    """

    def __init__(self, years: int, n: int) -> None:
        self.years, self.n = years, n
        self._profiles: dict[tuple[tuple[float, ...], bool, float], int] = {}
        self._weights: dict[tuple[int, int], np.ndarray] = {}
        self._constant = np.zeros(years)
        self._arrays: list[np.ndarray] = []

    def add(
        self,
        shares: tuple[float, ...],
        factor: Value,
        delay: Value = 0.0,
        *,
        added: bool = False,
        scale: float = 1.0,
    ) -> None:
        """Add ``scale * factor * phased(shares, years, delay, added)``.

        ``factor`` and ``delay`` are floats or arrays of one value per trial.
        """
        per_trial = isinstance(delay, np.ndarray) and delay.ndim > 0
        if per_trial:
            d = np.asarray(delay, dtype=float)
            lowest, highest = float(d.min()), float(d.max())
            if not (math.isfinite(lowest) and math.isfinite(highest)):
                bad = lowest if not math.isfinite(lowest) else highest
                raise ProfileError(f"a delay is {bad} in some trials; delays must be finite")
            if lowest == highest:  # one delay for every trial: the same weights, computed once
                per_trial, delay = False, lowest
                if not (isinstance(factor, np.ndarray) and factor.ndim > 0):
                    factor = np.full(self.n, float(factor))  # weighed as in any other chunk
        if not per_trial and not (isinstance(factor, np.ndarray) and factor.ndim > 0):
            row = phased(shares, self.years, delay, added)[0]
            self._constant += row * (scale * float(factor))
            return
        profile = self._profiles.setdefault((shares, added, scale), len(self._profiles))
        if not per_trial:
            fixed = min(float(delay), float(self.years))
            whole = int(fixed)
            frac = fixed - whole
            self._weigh(profile, whole, factor if frac == 0 else factor * (1.0 - frac))
            if frac > 0:
                self._weigh(profile, whole + 1, factor * frac)
            return
        if highest > self.years:
            d = np.minimum(d, float(self.years))
        floor = np.floor(d)
        blended = bool((floor != d).any())
        part = d - floor if blended else None
        first, last = math.floor(lowest), min(math.floor(highest) + blended, self.years)
        for k in range(first, last + 1):
            if part is None:
                weight = np.multiply(floor == k, factor)
            else:  # a trial at k - 1 + part puts part on row k, one at k + part puts 1 - part
                share = np.where(floor == k, 1.0 - part, 0.0)
                share += np.where(floor == k - 1, part, 0.0)
                weight = np.multiply(share, factor, out=share)
            self._weigh(profile, k, weight, owned=True)

    def add_array(self, values: np.ndarray) -> None:
        """Add an array of shape (n or 1, years) as it is (a line with per-year amounts)."""
        self._arrays.append(values)

    def _weigh(self, profile: int, row: int, weight: Value, owned: bool = False) -> None:
        column = self._weights.get((profile, row))
        if column is not None:
            column += weight
        elif owned:  # a fresh array of this sum's own: keep it as the column
            self._weights[profile, row] = weight  # type: ignore[assignment]
        else:
            column = self._weights[profile, row] = np.empty(self.n)
            column[...] = weight

    def result(self) -> np.ndarray:
        """The total, shape (n, years), C-ordered and writable."""
        if self._weights:
            tables = {index: key for key, index in self._profiles.items()}
            out = np.zeros((self.years, self.n))  # years first: every pass below runs over trials
            spread = np.empty((self.years, self.n))
            for profile, row in sorted(self._weights):
                shares, added, scale = tables[profile]
                values = shift_table(shares, self.years, added)[row] * scale
                np.multiply(values[:, None], self._weights[profile, row], out=spread)
                out += spread
            total = np.ascontiguousarray(out.T)
        else:
            total = np.zeros((self.n, self.years))
        for values in self._arrays:
            total += values
        total += self._constant
        return total


@dataclass(frozen=True)
class Profile:
    """The phasing of an on-going run rate: the cumulative share received each year.

    Build one with :meth:`increments` or :meth:`cumulative`; delay it with
    :meth:`delay`.

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
    """

    shares: tuple[float, ...]
    delay_years: Amount | float = 0.0
    given: str = field(default="", compare=False)

    @classmethod
    def increments(cls, values: Sequence[float]) -> Profile:
        """A profile from the share of the run rate *added* each year (normalised to sum 1).

        Parameters
        ----------
        values : sequence of float
            Non-negative amounts or shares added each year, e.g. ``[2, 13, 13, 5]``.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.increments([1, 1]).received(3).tolist()
        [0.5, 1.0, 1.0]
        """
        who = (
            f"Profile.increments({list(values)!r})"
            if isinstance(values, (list, tuple))
            else "Profile.increments"
        )
        numbers = _numbers(values, who)
        for i, v in enumerate(numbers):
            if v < 0:
                raise ProfileError(
                    f"{who}: value [{i}] ({fmt_number(v)}) is negative; use Profile.cumulative "
                    "for a benefit that falls"
                )
        total = sum(numbers)
        if total == 0:
            raise ProfileError(f"{who}: the increments sum to 0; nothing to phase")
        running = np.cumsum(numbers) / total
        running[-1] = 1.0
        return cls(tuple(float(x) for x in running), 0.0, given=f"increments {list(numbers)}")

    @classmethod
    def cumulative(cls, values: Sequence[float]) -> Profile:
        """A profile from the share of the run rate *received* in each year (0 to 1; may fall).

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.cumulative([0.5, 1, 1, 0]).added(4).tolist()
        [0.5, 0.5, 0.0, -1.0]
        """
        who = (
            f"Profile.cumulative({list(values)!r})"
            if isinstance(values, (list, tuple))
            else "Profile.cumulative"
        )
        numbers = _numbers(values, who)
        for i, v in enumerate(numbers):
            if not 0.0 <= v <= 1.0:
                raise ProfileError(
                    f"{who}: share [{i}] ({fmt_number(v)}) must lie in [0, 1]; give shares of the "
                    "run rate (e.g. 15/33), or use Profile.increments for amounts added each year"
                )
        return cls(numbers, 0.0, given=f"cumulative {list(numbers)}")

    @classmethod
    def immediate(cls) -> Profile:
        """The full run rate from the first year.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.Profile.immediate().received(3).tolist()
        [1.0, 1.0, 1.0]
        """
        return cls((1.0,), 0.0, given="immediate")

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
        return Profile(self.shares, total, given=self.given)

    def leaves(self) -> tuple[Leaf, ...]:
        """The uncertain inputs of this profile (those of its delay)."""
        return self.delay_years.leaves() if isinstance(self.delay_years, Amount) else ()

    def received(self, years: int, values: Mapping[Leaf, Value] | None = None) -> np.ndarray:
        """Cumulative share of the run rate received in each year.

        Without ``values`` an uncertain delay sits at its central case and a 1-D array is
        returned; with ``values`` (per-trial draws) the result has shape (n or 1, years).
        """
        fit(self.shares, years, f"Profile ({self.given})")
        if values is None:
            d = self.delay_years.case("central") if isinstance(self.delay_years, Amount) else self.delay_years
            return phased(self.shares, years, d)[0].copy()
        return phased(self.shares, years, self.delay_value(values))

    def delay_value(self, values: Mapping[Leaf, Value]) -> Value:
        """This profile's delay in years, per trial where it is uncertain."""
        d = self.delay_years
        return d.evaluate(values) if isinstance(d, Amount) else d

    def added(self, years: int) -> np.ndarray:
        """Share of the run rate added in each year (the first difference of :meth:`received`)."""
        return np.diff(self.received(years), prepend=0.0)

    def __repr__(self) -> str:
        delay = "" if _is_zero(self.delay_years) else f".delay({self.delay_years!r})"
        return f"Profile({self.given}){delay}"


def _is_zero(x: Amount | float) -> bool:
    return not isinstance(x, Amount) and x == 0
