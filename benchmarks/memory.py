"""Peak resident memory of reference model 1 at 10,000,000 trials.

Each row runs in a fresh process and reports the process's peak resident set size
(``VmHWM``, interpreter and imports included), the resident size after imports, and the
wall time:

* ``numpy``: the hand-written baseline's ``run_model1`` (summary included);
* ``finmodel float64`` / ``float32``: ``impl_finmodel.run_model1`` (the default call,
  ``fm.simulate(case, n, seed, dtype=...)`` with no ``metrics=``, then the same summary
  through ``sim.quantiles`` and ``sim.probability``);
* ``finmodel simulate only``: ``fm.simulate`` alone, without the summary's
  percentiles (which copy the samples they sort).

Usage::

    python -m benchmarks.memory [--n 1e7] [--out benchmarks/results/memory.md]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks.run import publish

from .run import ROOT, environment, worker_env

ROWS = (
    ("numpy", "numpy", "float64", "run"),
    ("finmodel float64", "finmodel", "float64", "run"),
    ("finmodel float32", "finmodel", "float32", "run"),
    ("finmodel float64, simulate only", "finmodel", "float64", "simulate"),
    ("finmodel float32, simulate only", "finmodel", "float32", "simulate"),
)
LIMIT_MB = 2048.0


def point_main(impl: str, dtype: str, what: str, n: int) -> None:
    """Run one row in this (fresh) process and print its measurements as JSON."""
    from .worker import _status_mb, peak_mb

    if impl == "numpy":
        from .impl_numpy import run_model1

        task = lambda: run_model1(n, 2024)  # noqa: E731
    else:
        import finmodel as fm

        from .impl_finmodel import build_model1, model1_summary

        def task() -> None:
            sim = fm.simulate(build_model1(), n, 2024, dtype=dtype)
            if what == "run":
                model1_summary(sim)

    base = _status_mb("VmRSS") or peak_mb()
    start = time.perf_counter()
    task()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "base_mb": base}))


def kept_per_trial() -> tuple[int, int, int]:
    """Numbers per trial for model 1: kept by ``fm.simulate`` alone, kept after the
    summary (the metrics it asks for), and every metric if all were kept."""
    import finmodel as fm

    from .impl_finmodel import build_model1, model1_summary

    sim = fm.simulate(build_model1(), 1, 0)
    store = sim._store  # what the simulation holds: a benchmark may look inside

    def held() -> int:
        return sum(values.size for values in store.kept.values())

    after_simulate = held()
    model1_summary(sim)
    return after_simulate, held(), sum(sim.samples(metric).size for metric in sim.metrics)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__.split("\n")[0])
    p.add_argument("--n", default="1e7", help="trials")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "memory.md"))
    p.add_argument("--point", nargs=4, metavar=("IMPL", "DTYPE", "WHAT", "N"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.point:
        impl, dtype, what, n = args.point
        point_main(impl, dtype, what, int(float(n)))
        return
    n = int(float(args.n))
    lines = [
        "# Peak memory, reference model 1",
        "",
        f"{environment()}; {n:,} trials; measured {time.strftime('%Y-%m-%d')}.",
        "",
        "| run | wall s | peak MB | after imports MB | Δ MB | peak under 2 GiB |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, impl, dtype, what in ROWS:
        cmd = [sys.executable, "-m", "benchmarks.memory", "--point", impl, dtype, what, str(n)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=worker_env(1), cwd=ROOT, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{label} failed:\n{proc.stderr}")
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        ok = "yes" if r["peak_mb"] < LIMIT_MB else "NO"
        lines.append(
            f"| {label} | {r['seconds']:.2f} | {r['peak_mb']:,.0f} | {r['base_mb']:,.0f} | "
            f"{r['peak_mb'] - r['base_mb']:,.0f} | {ok} |"
        )
        print(f"  {label}: {r['peak_mb']:,.0f} MB, {r['seconds']:.2f} s", file=sys.stderr, flush=True)
    alone, summary, every = kept_per_trial()

    def size(per_trial: int) -> str:
        numbers = n * per_trial
        return f"{per_trial} a trial, {numbers * 8 / 2**20:,.0f} MB in float64, {numbers * 4 / 2**20:,.0f} MB in float32"

    lines += [
        "",
        f"What finmodel keeps: after `fm.simulate` alone, its headline metric ({size(alone)}); after the "
        f"summary, also the metrics the summary asked for ({size(summary)}). Every metric, were all kept: "
        f"{size(every)}.",
    ]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
