"""Where finmodel spends its time on the reference models (cProfile).

Profiles ``fm.simulate`` (model built beforehand, one untimed warm-up run) for model 1
at 1,000,000 trials and model 2 at 100,000 trials, as a user calls it (no ``metrics=``:
every metric kept, and the table of means), and prints the functions with the most time of their own (``tottime``: numpy calls made
from a Python function count towards it).

Usage::

    python -m benchmarks.profile_finmodel [--top 12] [--out benchmarks/results/profile.md]

To profile another version of finmodel (say, a commit before an optimisation, for a
before/after comparison), run this script from a copy of that version::

    mkdir -p /tmp/before && git archive COMMIT finmodel | tar -x -C /tmp/before
    cp -r benchmarks /tmp/before/ && cd /tmp/before && python -m benchmarks.profile_finmodel
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

from benchmarks.run import publish

from .run import ROOT

CASES = ((1, 1_000_000, None), (2, 100_000, None))  # metrics=None: the default call


def profile(model_no: int, n: int, metrics: list[str] | None, top: int) -> list[str]:
    import finmodel as fm

    from .impl_finmodel import build_model1, build_model2

    model = build_model1() if model_no == 1 else build_model2()
    fm.simulate(model, min(n, 20_000), 1, metrics=metrics)  # warm-up: caches, first allocations
    start = time.process_time()
    fm.simulate(model, n, 2024, metrics=metrics)
    plain = time.process_time() - start
    profiler = cProfile.Profile()
    profiler.enable()
    fm.simulate(model, n, 2024, metrics=metrics)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    out = [
        f"### Model {model_no}, {n:,} trials, "
        + ("the default call" if metrics is None else f"metrics={metrics}"),
        "",
        f"CPU time without the profiler: {plain:.3f} s; with it: {total:.3f} s.",
        "",
        "| function | calls | own s | own % | with callees s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for (path, line, name), (_cc, calls, own, cumulative, _callers) in rows:
        where = path.replace(ROOT + os.sep, "").replace(os.sep, "/")
        if "site-packages/" in where:
            where = where.split("site-packages/", 1)[1]
        label = f"`{name}` ({where}:{line})" if line else f"`{name}`"
        out.append(f"| {label} | {calls:,} | {own:.3f} | {100 * own / total:.0f} | {cumulative:.3f} |")
    return [*out, ""]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.profile_finmodel", description=__doc__.split("\n")[0]
    )
    p.add_argument("--top", type=int, default=12)
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "profile.md"))
    args = p.parse_args(argv)
    import finmodel as fm

    lines = [f"# Profile of finmodel ({os.path.dirname(fm.__file__)})", ""]
    for model_no, n, metrics in CASES:
        lines += profile(model_no, n, metrics, args.top)
    publish(lines, args.out)


if __name__ == "__main__":
    main()
