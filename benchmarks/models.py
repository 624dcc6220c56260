"""Exact definitions of the two reference models used by the benchmarks.

Every implementation (``impl_*.py``) reads its inputs from here, so all of
them simulate the same model. Amounts are in £m. All triangular
distributions in both models have their mode at the low end
(``triangular(low, low, high)``), the usual "optimism bias" shape for
savings and pressures.

Reference model 1: "case-for-change stress test"
------------------------------------------------
Four financial years, 2018/19 to 2021/22 (year index t = 0..3).

* Four recurring benefit categories. Category k has a run rate
  ``R_k ~ triangular(low_k, low_k, high_k)`` with (low, high) given by
  ``M1_BENEFIT_LOW`` / ``M1_BENEFIT_HIGH``.
* Phasing: the cumulative share of the run rate received in year t is
  ``M1_PHASING[t]`` = 2/33, 15/33, 28/33, 1.
* Slippage: each category independently slips one whole year with
  probability ``M1_SLIP_PROB`` = 0.3. A slipped category uses
  ``M1_PHASING_SLIPPED`` = 0, 2/33, 15/33, 28/33 (the profile shifted right
  by one year).
* Delivery: a rate ``D_k ~ Beta(9, 1)`` per category multiplies that
  category's benefit.
* One-off costs ``M1_COSTS[t]`` = 3, 8, 5, 1, all multiplied by ONE cost
  overrun multiplier ``O ~ triangular(1.0, 1.0, 1.6)`` drawn once per trial.

Per trial::

    benefit[t] = sum_k R_k * D_k * share_k[t]       (share_k slipped or not)
    net[t]     = benefit[t] - O * M1_COSTS[t]
    cum[t]     = net[0] + ... + net[t]
    npv        = sum_t net[t] / 1.035**t             (year 0 undiscounted)
    payback    = first t with cum[t] >= 0, or inf if none

Summary: P10/P50/P90 of net[t] for each year and of npv; the probability
that cum[1] >= 0 (cumulative break-even by 2019/20); and, for each year t,
the probability that payback <= t.

Reference model 2: "large MTFP"
-------------------------------
Ten years, ``M2_N_LINES`` = 200 savings lines and ``M2_N_PRESSURES`` = 20
pressure lines. Per-line parameters are fixed: they are generated once, at
import, from ``np.random.default_rng(0)`` and never change.

* Savings line i: run rate ``S_i ~ triangular(low_i, low_i, high_i)``,
  cumulative-share phasing ``M2_SHARE[i, t]`` (a linear ramp to full over
  ``M2_RAMP_YEARS[i]`` = 1, 2 or 3 years), delivery rate ``D_i ~ Beta(9, 1)``,
  one-year slip with probability ``M2_SLIP_PROB`` = 0.3 (then the phasing is
  ``M2_SHARE_SLIPPED[i, t]``, the ramp shifted right by one year).
* Pressure line j: run rate ``P_j ~ triangular(low_j, low_j, high_j)``, flat
  profile: the full amount in every year from year 1 (index 0).

Per trial::

    net[t] = sum_j P_j - sum_i S_i * D_i * share_i[t]   (net pressure)
    gap[t] = net[0] + ... + net[t]                      (cumulative gap)

Summary: P10/P50/P90 of the final-year cumulative gap ``gap[9]``.

The README example: the OCC case for change
-------------------------------------------
Four years, 2018/19 to 2021/22, as the README builds it: three benefits with
``fm.Range(low, high)`` run rates (``README_BENEFITS``) and the default PERT shape,
all phased by ``Profile.increments([2, 13, 13, 5])``, and one cost of 3, 8, 5, 1.
A range's PERT has its mode at the midpoint, so it is ``low + (high - low) * B_k``
with ``B_k ~ Beta(3, 3)`` (shape ``1 + 4 (m - low) / (high - low)`` = 3 on both
sides). The benefit received in year t is the run rate times the cumulative share
2/33, 15/33, 28/33, 1, so per trial, with ``R = sum_k R_k``::

    cum[t] = R * README_CUM_SHARE[t] - README_CUM_COST[t]    (cumulative net, in-year)

with ``README_CUM_SHARE`` = 2, 17, 45, 78 (/33) and ``README_CUM_COST`` = 3, 11, 16,
17. Summary: P10/P50/P90 of ``cum[t]`` for each year and P(cum[1] >= 0).
"""

from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------- model 1 ---
M1_YEARS = ("2018/19", "2019/20", "2020/21", "2021/22")
M1_N_YEARS = len(M1_YEARS)
M1_CATEGORIES = ("category A", "category B", "category C", "category D")
M1_BENEFIT_LOW = np.array([21.0, 8.0, 4.0, 4.0])
M1_BENEFIT_HIGH = np.array([33.0, 17.0, 8.0, 8.0])
M1_PHASING = np.array([2 / 33, 15 / 33, 28 / 33, 1.0])
M1_PHASING_SLIPPED = np.array([0.0, 2 / 33, 15 / 33, 28 / 33])
M1_SLIP_PROB = 0.3
M1_DELIVERY_A, M1_DELIVERY_B = 9.0, 1.0  # Beta(9, 1): CDF x**9
M1_COSTS = np.array([3.0, 8.0, 5.0, 1.0])
M1_OVERRUN_LOW, M1_OVERRUN_MODE, M1_OVERRUN_HIGH = 1.0, 1.0, 1.6
M1_DISCOUNT_RATE = 0.035
M1_DISCOUNT = 1.0 / (1.0 + M1_DISCOUNT_RATE) ** np.arange(M1_N_YEARS)
M1_BREAKEVEN_YEAR = 1  # index of 2019/20 for P(cum net >= 0)

# ---------------------------------------------------------------- model 2 ---
M2_N_YEARS = 10
M2_N_LINES = 200
M2_N_PRESSURES = 20
M2_SLIP_PROB = 0.3
M2_DELIVERY_A, M2_DELIVERY_B = 9.0, 1.0


def _model2_parameters() -> dict[str, np.ndarray]:
    """Generate the fixed per-line parameters of model 2 (seed 0)."""
    rng = np.random.default_rng(0)
    low = rng.uniform(0.1, 2.0, M2_N_LINES)
    high = low * rng.uniform(1.2, 2.0, M2_N_LINES)
    ramp = rng.integers(1, 4, M2_N_LINES)  # 1, 2 or 3 years to full
    years = np.arange(1, M2_N_YEARS + 1)
    share = np.minimum(years[None, :] / ramp[:, None], 1.0)
    slipped = np.zeros_like(share)
    slipped[:, 1:] = share[:, :-1]
    p_low = rng.uniform(8.0, 16.0, M2_N_PRESSURES)
    p_high = p_low * rng.uniform(1.1, 1.6, M2_N_PRESSURES)
    return {
        "low": low,
        "high": high,
        "ramp": ramp,
        "share": share,
        "slipped": slipped,
        "p_low": p_low,
        "p_high": p_high,
    }


_P2 = _model2_parameters()
M2_SAVING_LOW: np.ndarray = _P2["low"]  # (200,)
M2_SAVING_HIGH: np.ndarray = _P2["high"]  # (200,)
M2_RAMP_YEARS: np.ndarray = _P2["ramp"]  # (200,) in {1, 2, 3}
M2_SHARE: np.ndarray = _P2["share"]  # (200, 10) cumulative share
M2_SHARE_SLIPPED: np.ndarray = _P2["slipped"]  # (200, 10)
M2_PRESSURE_LOW: np.ndarray = _P2["p_low"]  # (20,)
M2_PRESSURE_HIGH: np.ndarray = _P2["p_high"]  # (20,)

# ------------------------------------------------------- the README example ---
README_BENEFITS = (
    ("Operating model transformation", 21.0, 33.0),
    ("Quick wins", 8.0, 17.0),
    ("Strategic sourcing & process", 4.0, 8.0),
)
README_INCREMENTS = (2.0, 13.0, 13.0, 5.0)
README_COSTS = np.array([3.0, 8.0, 5.0, 1.0])
README_SHARE = np.cumsum(README_INCREMENTS) / sum(README_INCREMENTS)  # 2/33, 15/33, 28/33, 1
README_CUM_SHARE = np.cumsum(README_SHARE)  # share of the run rate received to date
README_CUM_COST = np.cumsum(README_COSTS)
README_PERT_SHAPE = 3.0  # Beta(3, 3): the PERT of a range with its mode at the midpoint

QUANTILES = (10.0, 50.0, 90.0)  # percentiles reported everywhere


def summarise_model1(net: np.ndarray, npv: np.ndarray, n_breakeven: int, payback_counts: np.ndarray) -> dict:
    """Build the model-1 summary dict shared by every implementation.

    ``net`` is (n, 4) annual net, ``npv`` is (n,), ``n_breakeven`` counts the
    trials with cum[1] >= 0 and ``payback_counts[t]`` counts trials whose
    payback year is exactly t.
    """
    n = len(npv)
    net_q = np.percentile(net, QUANTILES, axis=0)  # (3, 4)
    npv_q = np.percentile(npv, QUANTILES)
    return model1_summary(n, net_q, npv_q, n_breakeven / n, np.cumsum(payback_counts) / n)


def model1_summary(
    n: int, net_q: np.ndarray, npv_q: np.ndarray, p_breakeven: float, p_paid_by_year: np.ndarray
) -> dict:
    """The model-1 summary dict from percentiles and probabilities already computed.

    ``net_q`` is (3, 4) (``QUANTILES`` by year), ``npv_q`` is (3,), ``p_breakeven`` is
    P(cum[1] >= 0) and ``p_paid_by_year[t]`` is P(payback <= t).
    """
    return {
        "n": n,
        "p50_npv": float(npv_q[1]),
        "npv_q": npv_q,
        "net_q": net_q,
        "p_cum_ge0_1920": float(p_breakeven),
        "p_payback_by_year": np.asarray(p_paid_by_year, dtype=float),
        "headline": float(npv_q[1]),
    }


def summarise_model2(final_gap: np.ndarray) -> dict:
    """Build the model-2 summary dict shared by every implementation."""
    return model2_summary(len(final_gap), np.percentile(final_gap, QUANTILES))


def model2_summary(n: int, gap_q: np.ndarray) -> dict:
    """The model-2 summary dict from the percentiles ``QUANTILES`` of the final cumulative gap."""
    return {
        "n": n,
        "p50_final_gap": float(gap_q[1]),
        "gap_q": gap_q,
        "headline": float(gap_q[1]),
    }
