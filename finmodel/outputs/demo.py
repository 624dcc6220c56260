"""Print the OCC case for change tables (002_90ddc037a457842c.txt lines 1551-1640)."""

from __future__ import annotations

import finmodel as fm


def occ_case() -> fm.CostBenefitCase:
    """The OCC case for change of January 2018, minimum to maximum benefit.

    Examples
    --------
    >>> fm.evaluate(occ_case(), "high").run_rate
    58.0
    """
    years = fm.Timeline("2018/19", 4)
    phasing = fm.Profile.increments([2, 13, 13, 5])
    return fm.CostBenefitCase(
        "OCC case for change (January 2018)",
        years,
        benefits=[
            fm.Benefit("Operating model transformation", fm.Range(21, 33), phasing),
            fm.Benefit("Quick wins", fm.Range(8, 17), phasing),
            fm.Benefit("Strategic sourcing & process", fm.Range(4, 8), phasing),
        ],
        costs=[fm.Cost("Implementation", [3, 8, 5, 1])],
    )


def main() -> None:
    """Print the low case as published, the high case, and a Monte Carlo summary."""
    case = occ_case()
    low, high = fm.evaluate(case, "low"), fm.evaluate(case, "high")
    print(low.report(basis="incremental", decimals=0))
    print(
        f"\nPayback (low case): {low.payback_year}; run rate £{low.run_rate:.0f}m to £{high.run_rate:.0f}m\n"
    )
    print(high.report(basis="incremental", decimals=0))
    sim = fm.simulate(case, n=100_000, seed=2018)
    p = sim.probability("cumulative_net", ">=", 0, year="2019/20")
    print(f"\nMonte Carlo, 100,000 trials: P(cumulative net >= 0 in 2019/20) = {p:.1%}")
    print(sim.quantiles("cumulative_net", [0.1, 0.5, 0.9]).round(1).to_string())


if __name__ == "__main__":
    main()
