"""RAG ratings as delivery rates: green, amber, red (and delivered) as distributions.

Savings trackers rate each saving green (on track), amber (at some risk) or red (at
serious risk), and mark those already achieved as delivered. :func:`rag` turns a rating
into a delivery rate for a line: ``fm.Saving("ASC-03", 1.2, delivery=fm.rag("amber"))``.

Why ``delivery=fm.rag("amber")`` and not a ``rag=`` argument
--------------------------------------------------------
A rating is one way of saying what the delivery rate is, so it goes where the
delivery rate goes. The line keeps one field for it; the rating composes with
everything a delivery rate does (scenarios put it at its low case, ``fm.correlate``
correlates it, the worst case takes its 5th percentile) and a different mapping is a
different :class:`RagScale`, passed where the rating is made, not state the model must
carry. Each call makes a new input, so two amber savings are independent; by the
shared-draw rule, one ``amber = fm.rag("amber")`` used on both makes them fail together.

The default mapping (:data:`DEFAULT_RAG`) is an assumption, not a standard
---------------------------------------------------------------------
No published source gives the delivery rates behind RAG ratings; councils define the
colours in words. The defaults put numbers on the usual words, for a council to
replace with its own record (:func:`~finmodel.fit_delivery` on past savings of each
rating):

============  ======  =====  ==============================================================
rating        mean    sd     reasoning
============  ======  =====  ==============================================================
delivered     100%    0      achieved: no risk left
green         95%     5%     on track, yet even savings on track slip at the margin; OCC
                             expected to deliver at least 95.3% of its 2017/18 savings
                             overall (002_90ddc037a457842c.txt:649)
amber         75%     15%    at some risk, with mitigation: most of it, probably, and a
                             one chance in twenty of 47% or less (its 5th percentile)
red           40%     25%    at serious risk: more likely than not to fall well short,
                             with anything from almost nothing to most of it possible
============  ======  =====  ==============================================================

Each of green, amber and red is a Beta with that mean and standard deviation
(:meth:`~finmodel.Beta.from_mean_sd`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

import numpy as np

from finmodel.core.amounts import Amount, Leaf, fmt_number
from finmodel.core.distributions import Beta
from finmodel.core.errors import AmountError

__all__ = ["DEFAULT_RAG", "RATINGS", "RagScale", "Rated", "rag"]

#: the ratings, in order of confidence
RATINGS: tuple[str, ...] = ("delivered", "green", "amber", "red")


def _rating(value: Any, who: str) -> str:
    if not isinstance(value, str) or value.strip().lower() not in RATINGS:
        raise AmountError(f"{who}: rating ({value!r}) must be one of {', '.join(map(repr, RATINGS))}")
    return value.strip().lower()


@dataclass(frozen=True, eq=False)
class RagScale:
    """What each RAG rating means as a delivery rate: an input (a distribution) or a number.

    Parameters
    ----------
    delivered, green, amber, red : Leaf or float
        The delivery rate of a saving with that rating: a distribution (usually a
        :class:`~finmodel.Beta`) or a number, never below 0. Each is a template: every
        :meth:`delivery` makes a new input with its distribution.

    Examples
    --------
    >>> import finmodel as fm
    >>> cautious = fm.DEFAULT_RAG.replace(amber=fm.Beta.from_mean_sd(0.6, 0.2))
    >>> round(cautious.delivery("amber").cases["central"], 2)
    0.6
    >>> fm.RagScale(green=0.9, amber=0.7, red=-0.1)
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: RagScale: red (-0.1) must not be negative; a delivery rate is a share >= 0
    """

    green: Leaf | float
    amber: Leaf | float
    red: Leaf | float
    delivered: Leaf | float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Leaf):
                low = value.support[0]
            elif isinstance(value, Amount):
                raise AmountError(
                    f"RagScale: {f.name} ({value!r}) is an expression; give a distribution or a number"
                )
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
                raise AmountError(f"RagScale: {f.name} ({value!r}) must be a distribution or a number")
            else:
                low = float(value)
                object.__setattr__(self, f.name, low)
            if low < 0:
                shown = repr(value) if isinstance(value, Leaf) else fmt_number(low)
                raise AmountError(
                    f"RagScale: {f.name} ({shown}) must not be negative; a delivery rate is a share >= 0"
                )

    def __getitem__(self, rating: str) -> Leaf | float:
        return getattr(self, _rating(rating, "RagScale"))

    def replace(self, **changes: Leaf | float) -> RagScale:
        """A copy with some ratings given new distributions."""
        for key in changes:
            _rating(key, "RagScale.replace")
        return replace(self, **changes)

    def delivery(self, rating: str, *, name: str | None = None) -> Rated:
        """A new input: the delivery rate of a saving with this rating.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.DEFAULT_RAG.delivery("Green").rating
        'green'
        """
        return Rated(_rating(rating, "rag"), self, name=name)

    @property
    def key(self) -> tuple[tuple[str, str, tuple[tuple[str, Any], ...]], ...]:
        """The mapping as plain values, to compare two scales by what they say."""
        out = []
        for rating in RATINGS:
            value = getattr(self, rating)
            if isinstance(value, Leaf):
                out.append((rating, value.kind, tuple(value.params().items())))
            else:
                out.append((rating, "number", (("value", value),)))
        return tuple(out)

    def __repr__(self) -> str:
        return "RagScale(" + ", ".join(f"{r}={getattr(self, r)!r}" for r in RATINGS) + ")"


#: The default mapping: delivered 1; green, amber and red Betas with means 95%, 75% and
#: 40% and standard deviations 5%, 15% and 25% (assumptions; see :mod:`finmodel.core.rag`).
DEFAULT_RAG = RagScale(
    green=Beta.from_mean_sd(0.95, 0.05),
    amber=Beta.from_mean_sd(0.75, 0.15),
    red=Beta.from_mean_sd(0.40, 0.25),
    delivered=1.0,
)


@dataclass(frozen=True, eq=False, repr=False)
class Rated(Leaf):
    """The delivery rate of a saving rated green, amber, red or delivered.

    It draws and has the cases of its rating's distribution in ``scale``; it is an input
    of its own (each one drawn independently). Build it with :func:`rag`.

    Examples
    --------
    >>> import finmodel as fm
    >>> amber = fm.rag("amber")
    >>> amber.kind, amber.rating, round(amber.cases["low"], 3)
    ('RAG', 'amber', 0.467)
    """

    kind: ClassVar[str] = "RAG"
    rating: str
    scale: RagScale = field(default=DEFAULT_RAG)

    def _validate(self) -> None:
        object.__setattr__(self, "rating", _rating(self.rating, "rag"))
        if not isinstance(self.scale, RagScale):
            raise self._refuse(f"scale ({self.scale!r}) must be a RagScale")

    @property
    def distribution(self) -> Leaf | float:
        """The distribution (or number) the rating stands for."""
        return self.scale[self.rating]

    def params(self) -> dict[str, Any]:
        return {"rating": self.rating}

    def ppf(self, u: np.ndarray) -> np.ndarray:
        dist = self.distribution
        if isinstance(dist, Leaf):
            return dist.ppf(u)
        return np.full(np.shape(u), dist)

    def from_uniforms(self, u: np.ndarray) -> np.ndarray:
        dist = self.distribution
        if isinstance(dist, Leaf):
            return dist.from_uniforms(u)
        u.fill(dist)
        return u

    @property
    def cases(self) -> dict[str, float]:
        dist = self.distribution
        return dict(dist.cases) if isinstance(dist, Leaf) else {"low": dist, "central": dist, "high": dist}

    @property
    def support(self) -> tuple[float, float]:
        dist = self.distribution
        return dist.support if isinstance(dist, Leaf) else (dist, dist)


def rag(rating: str, *, scale: RagScale | None = None, name: str | None = None) -> Rated:
    """The delivery rate of a saving rated ``"green"``, ``"amber"``, ``"red"`` or ``"delivered"``.

    Parameters
    ----------
    rating : str
        The rating (any letter case).
    scale : RagScale, optional
        The mapping from ratings to distributions; :data:`DEFAULT_RAG` if not given.
    name : str, optional
        Names the input in scenarios, sensitivity tables and files.

    Returns
    -------
    Rated
        A new input each call: independent of every other saving's delivery rate.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> plan = fm.MTFP("Savings tracker", years, lines=[
    ...     fm.Saving("Libraries review", [1.0, 0.0], delivery=fm.rag("green")),
    ...     fm.Saving("Care packages", [2.0, 0.0], delivery=fm.rag("amber")),
    ...     fm.Saving("Back office", [0.5, 0.0], delivery=fm.rag("delivered")),
    ... ])
    >>> fm.evaluate(plan).value("undelivered_savings").round(2).tolist()
    [0.55, 0.0]
    """
    return (scale if scale is not None else DEFAULT_RAG).delivery(rating, name=name)
