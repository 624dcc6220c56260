"""Cost per draw of the inverse CDFs behind finmodel's inputs, against numpy's own samplers.

Every uncertain input is drawn as its inverse CDF of uniforms (decision 0002). This
times, in one process, the median of ``--runs`` runs at ``--n`` draws of:

* finmodel's Beta inverse CDF (``beta_ppf``: the tables of ``finmodel.core.quantiles``)
  on PERT and Beta shapes, with the table already built;
* ``scipy.special.betaincinv`` on two of those shapes (what ``beta_ppf`` used before);
* numpy's ``Generator.beta`` (a rejection sampler; its time includes its random
  numbers), ``Generator.random`` (the uniforms every inverse CDF needs) and ``np.sqrt``
  (one cheap pass over the array), for scale;
* ``Range(21, 33).sample(n)`` (uniforms, inverse CDF and scaling) against
  ``21 + 12 * rng.beta(3, 3, n)``: a PERT draw from start to finish;
* ``scipy.special.ndtri`` and the Normal and LogNormal inputs built on it;
* the build of one table (``BetaQuantile.build``, no cache), in milliseconds;
* the README's example (three ``Range`` benefits, ``fm.simulate(case, n, seed=2018)``,
  then its quantiles and probability) against a plain numpy version using
  ``rng.beta``.

Usage::

    python -m benchmarks.samplers [--n 1e6] [--runs 7] [--out benchmarks/results/samplers.md]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import scipy
from scipy import special

from .run import ROOT, environment, publish

# (label, a, b): PERT shapes are a = 1 + 4 (mode - low) / width, b = 6 - a
SHAPES = [
    ("PERT, mode in the middle (the default Range)", 3.0, 3.0),
    ("PERT, Range(8, 17, central=10)", 1 + 8 / 9, 5 - 8 / 9),
    ("PERT, mode near the low end", 1.0001, 4.9999),
    ("Beta(2, 5)", 2.0, 5.0),
    ("Beta(0.5, 0.7)", 0.5, 0.7),
    ("Beta(9, 1.5)", 9.0, 1.5),
    ("Beta(30, 3)", 30.0, 3.0),
    ("Beta(60, 60)", 60.0, 60.0),
]
SCIPY_SHAPES = [(3.0, 3.0), (2.0, 5.0)]


def median_seconds(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``runs`` calls (after one untimed call).

    On a machine shared with other work, the wall time includes waiting for a core;
    the CPU time (this process's) does not.
    """
    call()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def machine_busy() -> tuple[float, float]:
    """Busy and total CPU time of the whole machine so far, in seconds (Linux), or (0, 0)."""
    try:
        with open("/proc/stat") as fh:
            ticks = [int(v) for v in fh.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    hz = os.sysconf("SC_CLK_TCK")
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks) - idle) / hz, sum(ticks) / hz


def readme_case():
    """The README's case for change: three Range benefits and a fixed cost."""
    import finmodel as fm

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


def readme_finmodel(case, n: int) -> tuple[float, float]:
    """The README's calls: P50 cumulative net in 2019/20 and P(cumulative net >= 0) then."""
    import finmodel as fm

    sim = fm.simulate(case, n=n, seed=2018)
    q = sim.quantiles("cumulative_net", [0.1, 0.5, 0.9])
    p = sim.probability("cumulative_net", ">=", 0, year="2019/20")
    return float(q.loc[0.5, "2019/20"]), float(p)


def readme_numpy(n: int) -> tuple[float, float]:
    """The same summary in plain numpy: each run rate is 'low + width * Beta(3, 3)'."""
    rng = np.random.default_rng(2018)
    run_rate = np.zeros(n)
    for low, high in ((21, 33), (8, 17), (4, 8)):
        run_rate += low + (high - low) * rng.beta(3.0, 3.0, n)
    share = np.cumsum([2, 13, 13, 5]) / 33  # the level of each year's benefit
    net = run_rate[:, None] * share - np.array([3.0, 8.0, 5.0, 1.0])
    cumulative = np.cumsum(net, axis=1)
    q = np.quantile(cumulative, [0.1, 0.5, 0.9], axis=0)
    return float(q[1, 1]), float((cumulative[:, 1] >= 0).mean())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.samplers", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=float, default=1e6, help="draws per run")
    p.add_argument("--runs", type=int, default=7, help="timed runs per row (the median is reported)")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "samplers.md"))
    args = p.parse_args(argv)
    n, runs = int(args.n), args.runs

    import finmodel as fm
    from finmodel.core.amounts import uniform_open
    from finmodel.core.distributions import beta_ppf
    from finmodel.core.quantiles import BetaQuantile

    rng = np.random.default_rng(0)
    u = uniform_open(rng, n)
    busy0, total0, own0 = *machine_busy(), time.process_time()

    def ns(call: Callable[[], object]) -> tuple[float, float]:
        wall, cpu = median_seconds(call, runs)
        return wall / n * 1e9, cpu / n * 1e9

    rows: list[tuple[str, tuple[float, float]]] = []
    builds: list[tuple[str, tuple[float, float], float]] = []
    for label, a, b in SHAPES:
        rows.append(
            (f"finmodel `beta_ppf`: {label}, ({a:.6g}, {b:.6g})", ns(lambda a=a, b=b: beta_ppf(u, a, b)))
        )
        table = BetaQuantile.build(a, b)
        build = median_seconds(lambda a=a, b=b: BetaQuantile.build(a, b), runs)
        builds.append((f"{label}, ({a:.6g}, {b:.6g})", build, table.error))
    for a, b in SCIPY_SHAPES:
        rows.append(
            (f"`scipy.special.betaincinv`, ({a:g}, {b:g})", ns(lambda a=a, b=b: special.betaincinv(a, b, u)))
        )
    rows.append(
        ("numpy `rng.beta(3, 3, n)` (its own random numbers included)", ns(lambda: rng.beta(3.0, 3.0, n)))
    )
    rows.append(("numpy `rng.beta(2, 5, n)`", ns(lambda: rng.beta(2.0, 5.0, n))))
    rows.append(("numpy `rng.random(n)` (the uniforms)", ns(lambda: rng.random(n))))
    rows.append(("`np.sqrt` of n values", ns(lambda: np.sqrt(u))))
    pert = fm.Range(21, 33)
    rows.append(
        ("`fm.Range(21, 33).sample(n)`: uniforms + inverse CDF + scaling", ns(lambda: pert.sample(n, rng)))
    )
    rows.append(("`21 + 12 * rng.beta(3, 3, n)`", ns(lambda: 21 + 12 * rng.beta(3.0, 3.0, n))))
    rows.append(("`scipy.special.ndtri`", ns(lambda: special.ndtri(u))))
    normal, lognormal = fm.Normal(10, 2), fm.LogNormal(1.0, 0.5)
    rows.append(("`fm.Normal(10, 2).ppf` (ndtri, scale, shift)", ns(lambda: normal.ppf(u))))
    rows.append(("`fm.LogNormal(1, 0.5).ppf` (ndtri, scale, shift, exp)", ns(lambda: lognormal.ppf(u))))
    rows.append(("numpy `rng.standard_normal(n)` (ziggurat, for scale)", ns(lambda: rng.standard_normal(n))))

    busy1, total1, own1 = *machine_busy(), time.process_time()
    others = (busy1 - busy0 - (own1 - own0)) / (total1 - total0) if total1 > total0 else math.nan
    case = readme_case()
    fin_s = median_seconds(lambda: readme_finmodel(case, n), runs)
    np_s = median_seconds(lambda: readme_numpy(n), runs)
    fin_p50, fin_prob = readme_finmodel(case, n)
    np_p50, np_prob = readme_numpy(n)

    lines = [
        "# Samplers: cost per draw",
        "",
        f"{environment()}, scipy {scipy.__version__}; measured {time.strftime('%Y-%m-%d')}. "
        f"Median of {runs} runs at {n:,} draws, in one process (`python -m benchmarks.samplers`); "
        f"other work used {others:.0%} of the machine's {os.cpu_count()} CPUs while the draws were timed.",
        "",
        "| what | ns per draw | CPU ns per draw |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {wall:.1f} | {cpu:.1f} |" for label, (wall, cpu) in rows),
        "",
        "Building one table (`BetaQuantile.build`, median of the same runs) and the largest",
        "error its check found against `betaincinv`:",
        "",
        "| shape (a, b) | build ms | CPU ms | check error |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {label} | {wall * 1e3:.2f} | {cpu * 1e3:.2f} | {err:.1e} |"
            for label, (wall, cpu), err in builds
        ),
        "",
        f"The README's example at {n:,} trials (three `Range` benefits; `fm.simulate`, then",
        "`quantiles` and `probability` as the README calls them) against plain numpy drawing",
        "each run rate with `rng.beta(3, 3)`:",
        "",
        "| implementation | s | × numpy | CPU s | × numpy (CPU) | P50 cumulative net 2019/20 | P(cumulative net >= 0), 2019/20 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| finmodel | {fin_s[0]:.3f} | {fin_s[0] / np_s[0]:.2f} | {fin_s[1]:.3f} | {fin_s[1] / np_s[1]:.2f} "
        f"| {fin_p50:.3f} | {fin_prob:.4f} |",
        f"| numpy | {np_s[0]:.3f} | 1.00 | {np_s[1]:.3f} | 1.00 | {np_p50:.3f} | {np_prob:.4f} |",
    ]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
