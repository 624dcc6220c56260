"""What a tornado, a spider and switching values cost on reference model 2 (the 200-line plan).

Each call is timed ``--repeats`` times and the median reported, beside one deterministic
evaluation for scale. The tornado moves every uncertain input (one batch of ``2k + 1``
trials); switching values scan every input at 33 points in one batch, then refine each
crossing with Brent's method, one ``fm.evaluate`` per step. The target of the switching
values is set half-way along the tornado's largest bar, so that the inputs with the
largest effects cross it and the root finding is measured too.

Usage::

    python -m benchmarks.stress [--repeats 5] [--out benchmarks/results/stress.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.run import publish

from .run import ROOT, environment


def _median(call: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.stress", description=__doc__.split("\n")[0])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "stress.md"))
    args = p.parse_args(argv)

    import finmodel as fm

    from .impl_finmodel import build_model2

    plan = build_model2()
    metric = "total_net_pressure"
    inputs = fm.analysis.targets.model_inputs(plan)
    evaluate, _ = _median(lambda: fm.evaluate(plan).value(metric), args.repeats)
    tornado, found = _median(lambda: fm.tornado(plan, metric), args.repeats)
    spider, _ = _median(lambda: fm.spider(plan, metric), args.repeats)
    top = found.table.iloc[0]
    target = 0.5 * float(top["low_result"] + top["high_result"])  # within reach of the largest bars
    switching, values = _median(lambda: fm.switching_values(plan, metric, target=target), args.repeats)
    crossed = int(values.table["switching_value"].notna().sum())
    ten = list(found.table.index[:10])
    switching_ten, _ = _median(lambda: fm.switching_values(plan, metric, target=target, inputs=ten), args.repeats)
    lines = [
        "# Stress analyses, reference model 2",
        "",
        f"{environment()}; {len(plan.lines)} lines, {len(inputs)} uncertain inputs; median of "
        f"{args.repeats} runs; measured {time.strftime('%Y-%m-%d')}.",
        "",
        "| call | trials | seconds |",
        "| --- | ---: | ---: |",
        f'| `fm.evaluate(plan).value("{metric}")` (for scale) | 1 | {evaluate:.4f} |',
        f"| `fm.tornado(plan, \"{metric}\")` | {2 * len(inputs) + 1:,} | {tornado:.3f} |",
        f"| `fm.spider(plan, \"{metric}\")` (7 points) | {7 * len(inputs) + 1:,} | {spider:.3f} |",
        f"| `fm.switching_values(plan, ...)`, every input ({crossed} cross the target) | "
        f"{33 * len(inputs) + 1:,} + Brent | {switching:.3f} |",
        f"| `fm.switching_values(plan, ..., inputs=` the tornado's top 10`)` | 331 + Brent | {switching_ten:.3f} |",
    ]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
