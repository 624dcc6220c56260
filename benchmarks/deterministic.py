"""Time of one deterministic evaluation of reference model 2 (no sampling).

One call is ``fm.evaluate(plan, "central")`` followed by reading one metric,
``samples("cumulative_gap")`` (metrics are computed when first read). The plan is built
once; the first call is reported separately (it fills caches such as the profiles'
shift tables), then the next ``--calls`` calls are timed one by one.

Usage::

    python -m benchmarks.deterministic [--calls 200] [--out benchmarks/results/deterministic.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from benchmarks.run import publish

from .run import ROOT, environment


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.deterministic", description=__doc__.split("\n")[0])
    p.add_argument("--calls", type=int, default=200)
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "deterministic.md"))
    args = p.parse_args(argv)

    import finmodel as fm

    from .impl_finmodel import build_model2

    plan = build_model2()

    def call() -> float:
        start = time.perf_counter()
        fm.evaluate(plan, "central").samples("cumulative_gap")
        return time.perf_counter() - start

    first = call()
    times = sorted(call() for _ in range(args.calls))
    median, best, p90 = statistics.median(times), times[0], times[int(0.9 * (len(times) - 1))]
    scenarios = {}
    for name in ("low", "high", "worst"):
        start = time.perf_counter()
        for _ in range(20):
            fm.evaluate(plan, name).samples("cumulative_gap")
        scenarios[name] = (time.perf_counter() - start) / 20
    lines = [
        "# Deterministic evaluation, reference model 2",
        "",
        f"{environment()}; {len(plan.lines)} lines, {len(plan.leaves())} uncertain inputs; "
        f"measured {time.strftime('%Y-%m-%d')}.",
        "",
        '`fm.evaluate(plan, "central").samples("cumulative_gap")`, one call:',
        "",
        "| call | ms |",
        "| --- | ---: |",
        f"| first | {first * 1e3:.2f} |",
        f"| later, median of {args.calls} | {median * 1e3:.2f} |",
        f"| later, fastest | {best * 1e3:.2f} |",
        f"| later, 90th percentile | {p90 * 1e3:.2f} |",
        *(f'| later, scenario "{name}" (mean of 20) | {t * 1e3:.2f} |' for name, t in scenarios.items()),
    ]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
