"""The one kernel: a line's amounts per year and per trial, and the sums built from them.

Every number a table row, a total or a metric shows comes from :func:`line_values`,
which applies a line's phasing, delay and delivery in one place, and from
:func:`evaluate_flows`, which adds lines' values up. A *term* is one line seen one way
(its level or its change, as achieved or as planned, with a sign); a *flow* is a sum of
terms, added in the order given, then its *parts* (other flows), then a constant. A
table's total row is a flow whose terms are its rows' terms in the same order, so a
total is bit-identical to the sum of the rows above it.

Layout: per-year values are arrays of shape (years, trials), years first, so that every
pass over the trials of one year reads contiguous memory. An array with one column is
the same value in every trial (nothing uncertain moves it) and broadcasts.

Views of a line
---------------
``"level"``
    Its effect on each year: a recurring saving of 5 from year 1 is 5 in every year; a
    one-off of 5 is 5 in its own year only. The in-year benefit of a case.
``"change"``
    The year-on-year change of the level (the first difference, with the level before
    the first year taken as zero, or as the line's ``origin`` for a line given as levels).
    For a recurring line it is each year's *new* amount, as an MTFP table prints it.
``"run_rate"``
    The on-going annual value once fully delivered: a recurring line's last share of its
    run rate (or the sum of its yearly changes), times delivery; 0 for a one-off line.
    Delay moves *when*, not *how much*, so it does not apply.

States: ``"achieved"`` applies delivery and the line's own delay; ``"planned"`` applies
neither (a profile's own delay always applies); ``"shortfall"`` is achieved minus planned.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from finmodel.core.amounts import Amount, Leaf, Value
from finmodel.core.errors import FinmodelError
from finmodel.core.profiles import Profile, add_delayed, delayed, fit

if TYPE_CHECKING:
    from finmodel.model.lines import Line

__all__ = ["Flow", "State", "Term", "View", "evaluate_flows", "fold_years", "line_values", "running_years"]

View = Literal["level", "change", "run_rate"]
State = Literal["achieved", "planned", "shortfall"]

_IMMEDIATE = Profile.immediate()


@dataclass(frozen=True)
class Term:
    """One line seen one way, with a sign: an addend of a :class:`Flow`.

    Parameters
    ----------
    line : Line
    view : {"level", "change", "run_rate"}
    state : {"achieved", "planned", "shortfall"}
    sign : {1.0, -1.0}
    origin : float
        For a line given as levels (funding available each year): its level in the
        year brought forward; the level view is then the change from it.

    Examples
    --------
    >>> import finmodel as fm
    >>> Term(fm.Pressure("Demography", [1.0, 0.5]), "change", sign=-1.0).sign
    -1.0
    """

    line: Line
    view: View = "level"
    state: State = "achieved"
    sign: float = 1.0
    origin: float = 0.0

    @property
    def key(self) -> tuple[int, str, str, float]:
        """What identifies its values (the sign aside): computed once per chunk however often used."""
        return (id(self.line), self.view, self.state, self.origin)


@dataclass(frozen=True, eq=False)
class Flow:
    """A sum of terms, then of other flows, then a constant: one row or total of a table.

    Parameters
    ----------
    terms : tuple of Term
        Added in this order.
    parts : tuple of Flow
        Added after the terms, in this order (e.g. the "savings not delivered" row under
        the lines of an MTFP).
    constant : float
        Added last, to every year and trial (a base budget brought forward).
    per_year : bool
        False for a flow with one value per trial (run rates).

    Examples
    --------
    >>> import finmodel as fm
    >>> a, b = fm.Pressure("A", [1.0, 2.0]), fm.Saving("B", [0.5, 0.5])
    >>> total = Flow((Term(a, "change"), Term(b, "change", sign=-1.0)))
    >>> evaluate_flows([a, b], [total], {}, 2)[total].ravel().tolist()
    [0.5, 1.5]
    """

    terms: tuple[Term, ...] = ()
    parts: tuple[Flow, ...] = ()
    constant: float = 0.0
    per_year: bool = True


def _value(x: Amount | float, values: Mapping[Leaf, Value]) -> Value:
    return x.evaluate(values) if isinstance(x, Amount) else x


def _scaled(out: np.ndarray, factor: Value) -> np.ndarray:
    """``out`` (years, trials or 1) times a factor per trial (or one for all), in place when it fits."""
    row = factor[None, :] if isinstance(factor, np.ndarray) and factor.ndim == 1 else factor
    if np.ndim(row) == 2 and np.shape(row)[1] != out.shape[1]:
        return out * row
    out *= row
    return out


@functools.lru_cache(maxsize=8192)
def _schedule(shares: tuple[float, ...], years: int, recurring: bool) -> tuple[float, ...]:
    """A phased line's level per unit of its amount: the shares received (recurring) or added (one-off)."""
    received = fit(shares, years, "Profile")
    level = received if recurring else np.diff(received, prepend=0.0)
    return tuple(level.tolist())


def line_values(
    line: Line,
    values: Mapping[Leaf, Value],
    years: int,
    view: View = "level",
    state: State = "achieved",
    origin: float = 0.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """A line's values: shape (years, trials) for ``level`` and ``change``, (1, trials) for
    ``run_rate``; one column when nothing uncertain moves the line.

    Parameters
    ----------
    line : Line
    values : mapping of input to value
        Each uncertain input's value: a float, or an array with one value per trial.
    years : int
        Length of the timeline.
    view, state, origin
        See :class:`Term` and this module's documentation.
    out : numpy.ndarray, optional
        Scratch of shape (years, trials) the caller no longer needs, which a phased
        line's level may be written into instead of a new array.

    Returns
    -------
    numpy.ndarray
        ``out`` or a new array (the caller may write to it), in the line's own sign: a
        saving of 5 is +5.

    Notes
    -----
    A line with one amount ``A`` phased by a profile with cumulative shares ``s``:
    level :math:`= A \\, d \\, S_{\\delta}`, where ``d`` is delivery (achieved only),
    :math:`S` is ``s`` (recurring) or its first difference (one-off), shifted by the
    delay :math:`\\delta` (:func:`~finmodel.core.profiles.delayed`); its change is the
    first difference of that level, year on year. A line with one amount per year
    ``a_t``: the yearly amounts are the changes (recurring), the in-year amounts
    (one-off) or the levels (funding given as levels, less ``origin``), shifted by the
    delay, times delivery.

    Examples
    --------
    >>> import finmodel as fm
    >>> qw = fm.Benefit("Quick wins", 33, fm.Profile.increments([2, 13, 13, 5]))
    >>> line_values(qw, {}, 4).ravel().round(6).tolist()
    [2.0, 15.0, 28.0, 33.0]
    >>> line_values(qw, {}, 4, "change").ravel().round(6).tolist()
    [2.0, 13.0, 13.0, 5.0]
    >>> late = fm.Saving("ASC-03", [1.0, 1.0, 0.0], delivery=0.5, delay=1)
    >>> line_values(late, {}, 3).ravel().tolist(), line_values(late, {}, 3, state="planned").ravel().tolist()
    ([0.0, 0.5, 1.0], [1.0, 2.0, 2.0])
    """
    if state == "shortfall":
        return line_values(line, values, years, view, "achieved", origin) - line_values(
            line, values, years, view, "planned", origin
        )
    achieved = state == "achieved"
    delivery = _value(line.delivery, values) if achieved and line.delivery is not None else None
    if view == "run_rate":
        return _run_rate(line, values, delivery)
    delay = _delay(line, values, achieved)
    if line.per_year:
        out = _yearly(line, values, years, view, origin)
        if np.ndim(delay) or delay != 0:
            out = delayed(out, delay)
        return out if delivery is None else _scaled(out, delivery)
    schedule, factor = _phased(line, values, years, delivery)
    level = delayed(schedule, delay, factor, out if view == "level" else None)
    return level if view == "level" else _change_of(level)


def _delay(line: Line, values: Mapping[Leaf, Value], achieved: bool) -> Value:
    """A line's delay in years: its profile's, plus its own when achieved."""
    delay = _value((line.profile or _IMMEDIATE).delay_years, values)
    if achieved and line.delay is not None:
        extra = _value(line.delay, values)
        delay = extra if not isinstance(delay, np.ndarray) and delay == 0 else delay + extra
    return delay


def _phased(
    line: Line, values: Mapping[Leaf, Value], years: int, delivery: Value | None
) -> tuple[tuple[float, ...], Value]:
    """A phased line's schedule per unit of its amount, and its amount times delivery."""
    schedule = _schedule((line.profile or _IMMEDIATE).shares, years, line.recurring)
    factor = _value(line.amount, values)
    if delivery is not None:
        factor = factor * delivery
    return schedule, factor


def _add_level(total: np.ndarray, term: Term, values: Mapping[Leaf, Value], years: int, sign: float) -> bool:
    """Add a phased line's level into a running total in one pass, without making its array.

    Bit for bit ``total += sign * line_values(...)`` (see :func:`~finmodel.core.profiles.add_delayed`);
    False, having changed nothing, where that fused path does not apply.
    """
    line = term.line
    achieved = term.state == "achieved"
    delivery = _value(line.delivery, values) if achieved and line.delivery is not None else None
    amount = _value(line.amount, values)
    if isinstance(amount, np.ndarray):
        factor, scale = amount, delivery
    elif isinstance(delivery, np.ndarray):  # amount * delivery is delivery * amount, bit for bit
        factor, scale = delivery, amount
    else:
        return False
    schedule = _schedule((line.profile or _IMMEDIATE).shares, years, line.recurring)
    return add_delayed(total, schedule, _delay(line, values, achieved), factor, sign, scale)


def _change_of(level: np.ndarray) -> np.ndarray:
    """A phased line's change: its level's first difference, year on year (from zero)."""
    return np.diff(level, axis=0, prepend=0.0)


def _yearly(line: Line, values: Mapping[Leaf, Value], years: int, view: View, origin: float) -> np.ndarray:
    """A per-year line's amounts, as its view's schedule, before delay and delivery."""
    columns = [_value(a, values) for a in line.amounts_list]
    trials = max((np.shape(c)[0] for c in columns if np.ndim(c)), default=1)
    amounts = np.empty((years, trials))
    for j, c in enumerate(columns):
        amounts[j] = c
    line.check_draws(amounts)
    if line.given_as == "levels":
        base = np.full((1, trials), origin)
        return amounts - origin if view == "level" else np.diff(amounts, axis=0, prepend=base)
    if line.given_as == "changes":
        return running_years(amounts) if view == "level" else amounts
    return amounts if view == "level" else np.diff(amounts, axis=0, prepend=0.0)


def _run_rate(line: Line, values: Mapping[Leaf, Value], delivery: Value | None) -> np.ndarray:
    total: Value = 0.0
    if line.recurring and line.given_as != "levels":
        if line.per_year:
            for a in line.amounts_list:
                total = total + _value(a, values)
        else:
            total = _value(line.amount, values) * (line.profile or _IMMEDIATE).shares[-1]
        if delivery is not None:
            total = total * delivery
    return np.array(total, dtype=float, ndmin=2) if np.ndim(total) == 0 else np.asarray(total)[None, :].copy()


def running_years(values: np.ndarray) -> np.ndarray:
    """Per trial, the running total over the years (axis 0), added year by year.

    The same numbers as ``numpy.cumsum(values, axis=0)``, added a year at a time so that
    each step runs along the trials' contiguous memory (a cumulative sum down the short
    axis of a (years, trials) array visits memory a trial at a time).

    Examples
    --------
    >>> running_years(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).tolist()
    [[1.0, 2.0], [4.0, 6.0], [9.0, 12.0]]
    """
    out = np.array(values, dtype=float)
    for year in range(1, out.shape[0]):
        out[year] += out[year - 1]
    return out


def fold_years(values: np.ndarray) -> np.ndarray:
    """Per trial, the sum over the years (axis 0) added year by year, first to last.

    The order is fixed, so a total over the timeline is the same whatever the number of
    trials (a pairwise sum would group years differently from 8 years on).

    Examples
    --------
    >>> fold_years(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).tolist()
    [9.0, 12.0]
    """
    out = values[0].copy()
    for year in range(1, values.shape[0]):
        out += values[year]
    return out


def evaluate_flows(
    lines: Sequence[Line], flows: Sequence[Flow], values: Mapping[Leaf, Value], years: int
) -> dict[Flow, np.ndarray]:
    """Evaluate several flows in one pass over the lines.

    Each distinct term is computed once and added (or subtracted) into every flow that
    has it, lines taken in the order of ``lines``; a flow's terms must follow that order,
    so each flow is added up exactly in the order it lists its terms. Then each flow adds
    its parts and its constant.

    Parameters
    ----------
    lines : sequence of Line
        The model's lines, in order.
    flows : sequence of Flow
        The flows wanted (their parts are evaluated too).
    values : mapping of input to value
    years : int

    Returns
    -------
    dict of Flow to numpy.ndarray
        Shape (years, trials) (or (1, trials) for a flow that is not per year), or one
        column when nothing uncertain moves the flow.

    Examples
    --------
    >>> import finmodel as fm
    >>> p, s = fm.Pressure("P", [2.0, 1.0]), fm.Saving("S", [1.0, 0.0])
    >>> row_p, row_s = Flow((Term(p, "change"),)), Flow((Term(s, "change", sign=-1.0),))
    >>> total = Flow((Term(p, "change"), Term(s, "change", sign=-1.0)))
    >>> out = evaluate_flows([p, s], [row_p, row_s, total], {}, 2)
    >>> bool((out[row_p] + out[row_s] == out[total]).all())
    True
    """
    wanted, sweep = _plan(tuple(lines), tuple(flows))
    acc: dict[Flow, np.ndarray] = {}
    # a division by zero gives inf or NaN here, which the engine refuses by name; numpy's
    # warning would only pre-empt that
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        recent: dict[tuple[int, str, str, float], np.ndarray] = {}  # this line's values so far
        scratch = _Scratch(years)
        release = getattr(values, "release", None)  # the engine's chunk values take back finished inputs
        for key, term, users, alone, finished, single in sweep:
            scratch.next_line(key[0])
            if alone:  # a phased line's level, its line's only term, for one flow
                flow, sign = users[0]
                total = acc.get(flow)
                fits = total is not None and total.ndim == 2 and total.shape[0] == years and total.shape[1] > 1
                if fits and _add_level(total, term, values, years, sign):  # type: ignore[arg-type]
                    if finished and release is not None:
                        release(finished)
                    continue
            out = scratch.take()
            x = _term_values(term, values, years, recent, out, remember=not single)
            scratch.made(x, out)
            shared = len(users) > 1 or key in recent
            for flow, sign in users:
                if _add(acc, flow, x, sign, shared):
                    scratch.adopted(x)
            if finished and release is not None:
                release(finished)
    done: dict[Flow, np.ndarray] = {}
    for flow in wanted:  # parts come before the flows that add them
        total = acc.pop(flow, None)
        if total is None:
            total = np.zeros((years if flow.per_year else 1, 1))
        for part in flow.parts:
            total = total + done[part]
        if flow.constant != 0:
            total = total + flow.constant
        done[flow] = total
    return done


_Key = tuple[int, str, str, float]
_Step = tuple[_Key, "Term", tuple[tuple["Flow", float], ...], bool, tuple[Leaf, ...], bool]


@functools.lru_cache(maxsize=256)
def _plan(lines: tuple[Line, ...], flows: tuple[Flow, ...]) -> tuple[list[Flow], tuple[_Step, ...]]:
    """How :func:`evaluate_flows` sweeps ``lines`` for ``flows``: the flows with their parts
    (parts first), and each distinct term in the lines' order with the flows that add it
    (and its sign in each), whether it may be added straight into its one flow's total
    (:func:`_add_level`), the inputs no later term uses (which a chunk's values may then
    reuse the memory of), and whether it is its line's only term (whose values no other
    term reuses). The same for every chunk of a run, so made once."""
    wanted = _with_parts(flows)
    position = {id(line): i for i, line in enumerate(lines)}
    users: dict[_Key, list[tuple[Flow, float]]] = {}
    terms: dict[_Key, Term] = {}
    for flow in wanted:
        for term in flow.terms:
            if id(term.line) not in position:
                raise FinmodelError(f"a flow names line {term.line.name!r}, which the model does not have")
            users.setdefault(term.key, []).append((flow, term.sign))
            terms.setdefault(term.key, term)
    order = sorted(terms, key=lambda key: (position[key[0]], _VIEW_RANK[key[1]], _STATE_RANK[key[2]]))
    rank = {key: i for i, key in enumerate(order)}
    for flow in wanted:
        ranks = [rank[term.key] for term in flow.terms]
        if ranks != sorted(ranks):
            raise FinmodelError("a flow's terms must follow the order of the model's lines")
    per_line = Counter(key[0] for key in order)
    last: dict[Leaf, int] = {}  # the step after which no term uses an input
    for step, key in enumerate(order):
        for leaf in terms[key].line.leaves():
            last[leaf] = step
    finished: dict[int, list[Leaf]] = {}
    for leaf, step in last.items():
        finished.setdefault(step, []).append(leaf)
    sweep = tuple(
        (
            key,
            terms[key],
            tuple(users[key]),
            per_line[key[0]] == 1 and _fusable(terms[key], users[key]),
            tuple(finished.get(step, ())),
            per_line[key[0]] == 1,
        )
        for step, key in enumerate(order)
    )
    return wanted, sweep


def _fusable(term: Term, users: list[tuple[Flow, float]]) -> bool:
    """Whether a term may be added straight into its flow's running total (no array of its own).

    It must be a phased line's level, achieved or planned, used by one flow only; the
    caller checks that it is its line's only term in the sweep (no other term reuses its
    values) and, at each chunk, that the flow's total so far varies by trial.
    """
    return len(users) == 1 and term.view == "level" and term.state != "shortfall" and not term.line.per_year


class _Scratch:
    """(years, trials) arrays a sweep has finished with, handed back to the kernel to write into.

    A line's values live until the sweep moves to the next line (a line's other terms
    reuse them); then each one that no flow adopted as its running total is free. Writing
    a line into a finished array instead of a fresh one spares the allocator, which may
    otherwise hand memory back to the system and fault it in again, line after line.
    """

    def __init__(self, years: int) -> None:
        self.years = years
        self.free: list[np.ndarray] = []
        self.line: list[np.ndarray] = []
        self.current: int | None = None
        self.totals: set[int] = set()  # ids of arrays that became running totals (an id reused later is only not recycled)

    def next_line(self, line: int) -> None:
        """The sweep moves on to ``line``: the last line's arrays are free."""
        if line != self.current:
            self.free.extend(self.line)
            self.line, self.current = [], line

    def adopted(self, x: np.ndarray) -> None:
        """``x`` became a flow's running total: never free."""
        self.totals.add(id(x))
        self.line = [y for y in self.line if y is not x]

    def take(self) -> np.ndarray | None:
        return self.free.pop() if self.free else None

    def made(self, x: np.ndarray, out: np.ndarray | None) -> None:
        """``x`` was made for this line, given ``out`` to write into (unused unless ``x`` is it)."""
        if out is not None and x is not out:
            self.free.append(out)
        whole = x.ndim == 2 and x.shape[0] == self.years and x.shape[1] > 1 and x.base is None
        if not whole or id(x) in self.totals or not (x.flags.c_contiguous and x.flags.writeable):
            return
        if all(x is not y for y in self.line):
            self.line.append(x)


def _term_values(
    term: Term,
    values: Mapping[Leaf, Value],
    years: int,
    recent: dict[tuple[int, str, str, float], np.ndarray],
    out: np.ndarray | None = None,
    remember: bool = True,
) -> np.ndarray:
    """A term's values, reusing what was just computed for the same line: a shortfall its
    planned values, a phased line's change its level (the same numbers as computing afresh).
    ``remember=False``: no other term of the line follows, so nothing is kept for it."""
    line = term.line
    if recent and next(iter(recent))[0] != id(line):
        recent.clear()  # a new line: forget the last one's
    found = recent.get(term.key)
    if found is not None:  # kept values are never written to (a flow copies what it keeps)
        return found
    if term.state == "shortfall":
        planned = recent.get((id(line), term.view, "planned", term.origin))
        if planned is not None:
            achieved = _term_values(Term(line, term.view, "achieved", 1.0, term.origin), values, years, recent)
            return achieved - planned
    if term.view == "change" and not line.per_year:
        level = recent.get((id(line), "level", term.state, term.origin))
        if level is not None:
            return _change_of(level)
    x = line_values(line, values, years, term.view, term.state, term.origin, out)
    if remember and (term.state == "planned" or (term.view == "level" and not line.per_year)):
        recent[term.key] = x
    return x


_VIEW_RANK = {"level": 0, "change": 1, "run_rate": 2}
_STATE_RANK = {"planned": 0, "achieved": 1, "shortfall": 2}


def _add(acc: dict[Flow, np.ndarray], flow: Flow, x: np.ndarray, sign: float, shared: bool) -> bool:
    """Add ``x`` into ``flow``'s running total; True when ``x`` itself became that total."""
    current = acc.get(flow)
    if current is None:  # the first term: the flow's own array (x itself when no other flow needs x)
        if sign > 0:
            acc[flow] = x.copy() if shared else x
        else:
            acc[flow] = -x if shared else np.negative(x, out=x)
        return not shared
    if current.shape == x.shape or x.shape[1] == 1:
        if sign > 0:
            current += x
        else:
            current -= x
    else:  # a constant so far, now a term that varies by trial
        acc[flow] = current + x if sign > 0 else current - x
    return False


def _with_parts(flows: Sequence[Flow]) -> list[Flow]:
    """The flows and all their parts, each once, every part before the flows that use it."""
    out: dict[Flow, None] = {}

    def visit(flow: Flow) -> None:
        if flow in out:
            return
        for part in flow.parts:
            visit(part)
        out[flow] = None

    for flow in flows:
        visit(flow)
    return list(out)
