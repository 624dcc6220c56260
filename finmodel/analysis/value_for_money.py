"""Value for money: the benefit-cost ratio of a case and its band.

The ratio is the present value of benefits over the present value of costs, discounted
as the case's NPV is (the Green Book schedule unless the case sets a rate); the metric
is ``benefit_cost_ratio`` on every :class:`~finmodel.CostBenefitCase`. The bands are
the ones public-sector appraisal uses to describe it (after the Department for
Transport's value for money categories): below 1 poor, 1 to 1.5 low, 1.5 to 2 medium,
2 and above high.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import Results

__all__ = ["BANDS", "ValueForMoney", "value_for_money", "vfm_band"]

#: (lowest ratio of the band, band): a ratio on a boundary takes the higher band.
BANDS: tuple[tuple[float, str], ...] = ((-np.inf, "poor"), (1.0, "low"), (1.5, "medium"), (2.0, "high"))


def vfm_band(ratio: float) -> str:
    """The value-for-money band of a benefit-cost ratio.

    Examples
    --------
    >>> [vfm_band(r) for r in (0.8, 1.0, 1.7, 2.0, float("inf"))]
    ['poor', 'low', 'medium', 'high', 'high']
    """
    if np.isnan(ratio):
        raise FinmodelError(f"vfm_band: ratio ({ratio!r}) is not a number")
    band = BANDS[0][1]
    for lowest, name in BANDS:
        if ratio >= lowest:
            band = name
    return band


@dataclass(frozen=True)
class ValueForMoney:
    """A case's benefit-cost ratio and its value-for-money band.

    Attributes
    ----------
    ratio : float
        The benefit-cost ratio (the mean over trials for a simulation).
    band : str
        Its band: ``poor``, ``low``, ``medium`` or ``high``.
    bands : pandas.Series
        The probability of each band (1 for the band of a deterministic scenario).
    quantiles : pandas.Series
        P10, P50 and P90 of the ratio (all equal for a deterministic scenario).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 3)], [fm.Cost("k", [4, 0])],
    ...                           discount_rate=0.0)
    >>> found = value_for_money(fm.evaluate(case))
    >>> found.ratio, found.band
    (1.5, 'medium')
    """

    ratio: float
    band: str
    bands: pd.Series
    quantiles: pd.Series


def value_for_money(results: Results) -> ValueForMoney:
    """The benefit-cost ratio of an evaluated or simulated case, and its band.

    Parameters
    ----------
    results : Evaluation or Simulation of a CostBenefitCase

    Returns
    -------
    ValueForMoney

    Notes
    -----
    :math:`\\mathrm{BCR} = \\sum_t D_t b_t / \\sum_t D_t c_t`, with :math:`D_t` the
    case's discount factors, :math:`b_t` the in-year benefit and :math:`c_t` the cost.
    For a simulation, ``ratio`` is the mean ratio and ``band`` the band of the median.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Uniform(1, 5))],
    ...                           [fm.Cost("k", [4, 0])], discount_rate=0.0)
    >>> found = value_for_money(fm.simulate(case, n=10_000, seed=1))  # ratio = b / 2, from 0.5 to 2.5
    >>> found.bands.index.tolist(), bool((abs(found.bands - 0.25) < 0.02).all())
    (['poor', 'low', 'medium', 'high'], True)
    """
    if "benefit_cost_ratio" not in results.model.available:
        raise FinmodelError(f"value_for_money: {results.model.describe()} has no benefit-cost ratio (a case has)")
    ratios = np.asarray(results.samples("benefit_cost_ratio"), dtype=float)
    names = [name for _, name in BANDS]
    edges = np.array([lowest for lowest, _ in BANDS[1:]])
    found = np.searchsorted(edges, ratios, side="right")
    bands = pd.Series([float(np.mean(found == i)) for i in range(len(names))], index=pd.Index(names, name="band"))
    finite = ratios[np.isfinite(ratios)]
    qs = np.quantile(finite, [0.1, 0.5, 0.9]) if finite.size == ratios.size else np.full(3, np.inf)
    ratio = float(np.mean(ratios)) if finite.size == ratios.size else float("inf")
    median = float(np.median(ratios))
    return ValueForMoney(ratio, vfm_band(median), bands, pd.Series(qs, index=["P10", "P50", "P90"], name="ratio"))
