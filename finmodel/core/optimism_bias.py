"""Optimism bias: HM Treasury Green Book supplementary guidance.

Appraisers are systematically optimistic about costs and timescales. The Green Book's
supplementary guidance on optimism bias (from Mott MacDonald's 2002 review of large
public procurement) gives, for generic project types, the percentage by which capital
expenditure and works duration have historically overrun: an **upper bound**, to use at
the start of an appraisal, and a **lower bound**, what remains once the project's risks
are well managed.

=================================  ====================  ================
project type                       capital expenditure   works duration
                                   upper / lower (%)     upper / lower (%)
=================================  ====================  ================
standard buildings                 24 / 2                4 / 1
non-standard buildings             51 / 4                39 / 2
standard civil engineering         44 / 3                20 / 1
non-standard civil engineering     66 / 6                25 / 3
equipment/development              200 / 10              54 / 10
outsourcing                        41 / 0 (operating)    -
=================================  ====================  ================

Outsourcing's bias applies to operating expenditure, not capital.

Mitigation: each risk area (late design changes, poor contract structure, inadequate
business case, ...) contributes a share of the upper bound, and the project mitigates
each area by a factor from 0 (not at all) to 1 (fully). The share of the bias mitigated
is :math:`\\sum_i c_i f_i` (:func:`mitigation`), and the resultant bias is
:math:`(1 - \\sum_i c_i f_i) \\times` upper bound.

An :class:`OptimismBias` is an uncertain input, the bias as a share (0.24 for 24%): a
point value (the resultant bias) or uncertain between the lower bound and the
resultant. Apply it to a cost with ``cost.scaled(1 + bias)`` and to a duration with
``line.delayed(years * bias)`` (see :meth:`OptimismBias.uplift` and
:meth:`OptimismBias.slippage`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from finmodel.core.amounts import Amount, Expr, Leaf, fmt_number
from finmodel.core.errors import AmountError

__all__ = ["GREEN_BOOK_OPTIMISM_BIAS", "MEASURES", "OptimismBias", "mitigation"]

Measure = Literal["capital expenditure", "works duration", "operating expenditure"]
MEASURES: tuple[Measure, ...] = ("capital expenditure", "works duration", "operating expenditure")

#: project type -> measure -> (upper, lower), as shares. Green Book supplementary
#: guidance on optimism bias, table of generic upper and lower bounds.
GREEN_BOOK_OPTIMISM_BIAS: Mapping[str, Mapping[Measure, tuple[float, float]]] = {
    "standard buildings": {"capital expenditure": (0.24, 0.02), "works duration": (0.04, 0.01)},
    "non-standard buildings": {"capital expenditure": (0.51, 0.04), "works duration": (0.39, 0.02)},
    "standard civil engineering": {"capital expenditure": (0.44, 0.03), "works duration": (0.20, 0.01)},
    "non-standard civil engineering": {"capital expenditure": (0.66, 0.06), "works duration": (0.25, 0.03)},
    "equipment/development": {"capital expenditure": (2.00, 0.10), "works duration": (0.54, 0.10)},
    "outsourcing": {"operating expenditure": (0.41, 0.0)},
}


def mitigation(areas: Mapping[str, tuple[float, float]] | Iterable[tuple[float, float]]) -> float:
    """The share of optimism bias mitigated: contributions times mitigation factors, summed.

    Parameters
    ----------
    areas : mapping of str to (float, float), or iterable of (float, float)
        For each risk area, its contribution to the bias (a share of the upper bound;
        the contributions add up to at most 1) and the mitigation factor achieved (0 not
        mitigated, 1 fully).

    Notes
    -----
    :math:`m = \\sum_i c_i f_i` with :math:`0 \\le c_i, f_i \\le 1` and
    :math:`\\sum_i c_i \\le 1`, so :math:`0 \\le m \\le 1`.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.mitigation({"late design changes": (0.3, 0.5), "environmental impact": (0.2, 1.0)})
    0.35
    >>> fm.mitigation([(0.7, 0.5), (0.6, 0.5)])
    Traceback (most recent call last):
    ...
    finmodel.core.errors.AmountError: mitigation: the contributions add up to 1.3; they are shares of the bias and add up to at most 1
    """
    items = list(areas.items()) if isinstance(areas, Mapping) else [(f"[{i}]", pair) for i, pair in enumerate(areas)]
    total_contribution = 0.0
    share = 0.0
    for label, pair in items:
        where = f"mitigation: {label}" if label.startswith("[") else f"mitigation: {label!r}"
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise AmountError(f"{where} ({pair!r}) must be (contribution, mitigation factor)")
        for part, value in zip(("contribution", "mitigation factor"), pair, strict=True):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise AmountError(f"{where}: {part} ({value!r}) must lie in [0, 1]")
        total_contribution += float(pair[0])
        share += float(pair[0]) * float(pair[1])
    if total_contribution > 1.0 + 1e-9:
        raise AmountError(
            f"mitigation: the contributions add up to {fmt_number(round(total_contribution, 9))}; they are "
            "shares of the bias and add up to at most 1"
        )
    return round(share, 12)


def _project(project: str | Mapping[str, float], measure: Measure) -> tuple[tuple[tuple[str, float], ...], float, float]:
    """The project (one type, or types weighted by capital expenditure) and its bounds."""
    who = "OptimismBias"
    parts = {project: 1.0} if isinstance(project, str) else dict(project)
    if not parts:
        raise AmountError(f"{who}: project is empty; name a project type or give capital expenditure by type")
    known = ", ".join(map(repr, GREEN_BOOK_OPTIMISM_BIAS))
    upper = lower = total = 0.0
    for kind, weight in parts.items():
        if kind not in GREEN_BOOK_OPTIMISM_BIAS:
            raise AmountError(f"{who}: project type ({kind!r}) must be one of {known}")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight < 0:
            raise AmountError(f"{who}: capital expenditure of {kind!r} ({weight!r}) must be a number >= 0")
        bounds = GREEN_BOOK_OPTIMISM_BIAS[kind].get(measure)
        if bounds is None:
            has = ", ".join(map(repr, GREEN_BOOK_OPTIMISM_BIAS[kind]))
            raise AmountError(f"{who}: {kind!r} has no bound for {measure!r} (it has {has})")
        upper += weight * bounds[0]
        lower += weight * bounds[1]
        total += weight
    if total <= 0:
        raise AmountError(f"{who}: the capital expenditure by project type adds up to 0; nothing to weight by")
    return tuple((k, float(w)) for k, w in parts.items()), upper / total, lower / total


@dataclass(frozen=True, eq=False, repr=False)
class OptimismBias(Leaf):
    """Optimism bias for a project type (or a blend), as a share: an uncertain input.

    Parameters
    ----------
    project : str or mapping of str to float
        A project type of :data:`GREEN_BOOK_OPTIMISM_BIAS` (``"standard buildings"``),
        or, for a mixed project, capital expenditure by type
        (``{"standard buildings": 10, "equipment/development": 5}``): the bounds are
        then the capital-expenditure-weighted averages of the types' bounds.
    measure : {"capital expenditure", "works duration", "operating expenditure"}
        What the bias applies to.
    mitigated : float
        The share of the bias mitigated, 0 to 1 (:func:`mitigation` adds it up from
        risk areas); the resultant bias is ``(1 - mitigated) * upper``.
    uncertain : bool
        False (default): the bias is the resultant, a point value. True: uniform between
        the lower bound and the resultant (low case the lower bound, high case the
        resultant, central case the midpoint).
    name : str, optional

    Notes
    -----
    Blend of types :math:`j` with capital expenditure :math:`w_j`:
    :math:`U = \\sum_j w_j U_j / \\sum_j w_j`, likewise :math:`L`; resultant
    :math:`R = (1 - m) U`. A resultant below the lower bound can be used as a point
    value but not as the top of an uncertain range, which is refused.

    Examples
    --------
    A standard building whose late design changes (30% of the bias) are half mitigated
    and whose environmental risks (20%) are fully mitigated: 35% of the bias mitigated,
    a resultant bias of 0.65 x 24% = 15.6%:

    >>> import finmodel as fm
    >>> bias = fm.OptimismBias("standard buildings", mitigated=fm.mitigation([(0.3, 0.5), (0.2, 1.0)]))
    >>> round(bias.resultant, 6), bias.upper, bias.lower
    (0.156, 0.24, 0.02)
    >>> fm.Cost("New depot", [3, 8]).scaled(bias.uplift()).amounts[1].case("central")
    9.248
    >>> mixed = fm.OptimismBias({"standard buildings": 10, "equipment/development": 5})
    >>> round(mixed.upper, 4), round(mixed.lower, 4)
    (0.8267, 0.0467)
    """

    kind: ClassVar[str] = "OptimismBias"
    project: str | Mapping[str, float]
    measure: Measure = "capital expenditure"
    mitigated: float = 0.0
    uncertain: bool = False

    def _validate(self) -> None:
        if self.measure not in MEASURES:
            raise self._refuse(f"measure ({self.measure!r}) must be one of {', '.join(map(repr, MEASURES))}")
        if not isinstance(self.project, (str, Mapping)):
            raise self._refuse(f"project ({self.project!r}) must be a project type or capital expenditure by type")
        parts, upper, lower = _project(self.project, self.measure)
        object.__setattr__(self, "project", parts[0][0] if isinstance(self.project, str) else dict(parts))
        object.__setattr__(self, "_bounds", (upper, lower))
        value = self.mitigated
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise self._refuse(f"mitigated ({value!r}) must be a share in [0, 1]")
        object.__setattr__(self, "mitigated", float(value))
        if not isinstance(self.uncertain, bool):
            raise self._refuse(f"uncertain ({self.uncertain!r}) must be True or False")
        if self.uncertain and self.resultant < self.lower:
            raise self._refuse(
                f"the mitigated bias ({self.resultant:.4g}) lies below the lower bound ({self.lower:.4g}), so there "
                "is no range between them; use uncertain=False or mitigate less"
            )

    @property
    def upper(self) -> float:
        """The upper bound (a share: 0.24 for 24%)."""
        return float(self.__dict__["_bounds"][0])

    @property
    def lower(self) -> float:
        """The lower bound."""
        return float(self.__dict__["_bounds"][1])

    @property
    def resultant(self) -> float:
        """The bias after mitigation, ``(1 - mitigated) * upper``."""
        return (1.0 - self.mitigated) * self.upper

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"project": self.project}
        if self.measure != "capital expenditure":
            out["measure"] = self.measure
        if self.mitigated:
            out["mitigated"] = self.mitigated
        if self.uncertain:
            out["uncertain"] = True
        return out

    def ppf(self, u: np.ndarray) -> np.ndarray:
        if not self.uncertain:
            return np.full(np.shape(u), self.resultant)
        return self.lower + (self.resultant - self.lower) * u

    @property
    def cases(self) -> dict[str, float]:
        if not self.uncertain:
            return dict.fromkeys(("low", "central", "high"), self.resultant)
        return {"low": self.lower, "central": 0.5 * (self.lower + self.resultant), "high": self.resultant}

    @property
    def support(self) -> tuple[float, float]:
        return (self.lower, self.resultant) if self.uncertain else (self.resultant, self.resultant)

    def uplift(self) -> Expr:
        """The multiplier of a cost, ``1 + bias``: ``cost.scaled(bias.uplift())``.

        Examples
        --------
        >>> import finmodel as fm
        >>> fm.OptimismBias("outsourcing", "operating expenditure").uplift().case("central")
        1.41
        """
        if self.measure == "works duration":
            raise AmountError(
                f"{self.describe()}: a works-duration bias lengthens a duration; use slippage(years), not uplift()"
            )
        return 1.0 + self

    def slippage(self, duration: float | Amount) -> Expr:
        """Years of slippage of works lasting ``duration`` years: ``duration * bias``.

        Use it as a delay: ``line.delayed(bias.slippage(2))`` for works planned to take two
        years.

        Examples
        --------
        >>> import finmodel as fm
        >>> works = fm.OptimismBias("non-standard buildings", "works duration")
        >>> works.slippage(2).case("central")
        0.78
        """
        if self.measure != "works duration":
            raise AmountError(
                f"{self.describe()}: slippage needs a works-duration bias (measure='works duration'), not {self.measure!r}"
            )
        if not isinstance(duration, Amount):
            if isinstance(duration, bool) or not isinstance(duration, (int, float)) or not duration >= 0:
                raise AmountError(f"{self.describe()}: duration ({duration!r}) must be a number of years >= 0")
        return duration * self

    def describe(self) -> str:
        if self.name is not None:
            return f"{self.kind} {self.name!r}"
        project = self.project if isinstance(self.project, str) else "mixed project"
        return f"OptimismBias({project!r}, {self.measure!r})"
