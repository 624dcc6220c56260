"""Benchmark harness: agreement check, then timing and memory per (impl, n).

Usage::

    python -m benchmarks.run [--model 1|2] [--n 1e4,1e5,1e6]
                             [--impl numpy,loop,squigglepy,monaco]
                             [--max-seconds 180] [--out results.md]

Step 1 (agreement): the numpy baseline is run ``CHECK_REPLICATES`` times at
``--check-n`` trials with different seeds. The mean of those P50s is the
reference and their standard deviation ``sd`` is the Monte Carlo standard
error of one P50 estimate at that n. Each implementation is then run once
at ``--check-n`` (fresh seed) and passes if its P50 (P50 NPV for model 1,
P50 final cumulative gap for model 2) is within ``4 * sd * sqrt(1 + 1/R)``
of the reference (4 standard errors of the difference).

Step 2 (timing): every (implementation, n) is run in a fresh subprocess
(``benchmarks.worker``) so its peak memory is its own; BLAS/OpenMP are
pinned to ``--threads`` threads (default 1, so every implementation gets one
core). Small runs are
repeated and the best wall time kept. An n whose time, extrapolated
linearly from the implementation's previous run, exceeds ``--max-seconds``
is skipped, and likewise one whose peak memory, extrapolated the same way,
exceeds ``--max-mb``; a run that takes over ``3 * --max-seconds`` is stopped.
The numpy baseline is never skipped.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass

import numpy as np

# Registry: name -> module defining run_model1(n, seed) and run_model2(n, seed).
# Adding an implementation = adding one module and one line here.
IMPLEMENTATIONS: dict[str, str] = {
    "numpy": "benchmarks.impl_numpy",  # baseline: every ratio is relative to it
    "loop": "benchmarks.impl_loop",
    "squigglepy": "benchmarks.impl_squigglepy",
    "monaco": "benchmarks.impl_monaco",
    "mcerp": "benchmarks.impl_mcerp",
    "finmodel": "benchmarks.impl_finmodel",
}
BASELINE = "numpy"
DEFAULT_IMPLS = "numpy,finmodel,loop,squigglepy,monaco,mcerp"
PEER_DISTRIBUTIONS = ("numpy", "squigglepy", "monaco", "mcerp", "finmodel")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
CHECK_REPLICATES = 20
CHECK_SIGMAS = 4.0
DEFAULT_CHECK_N = {1: 20_000, 2: 2_000}
HEADLINE = {1: "P50 NPV (£m)", 2: "P50 final cumulative gap (£m)"}


@dataclass
class Run:
    """Outcome of one worker process."""

    ok: bool
    seconds: float = float("nan")  # best wall time over repeats
    cpu_pct: float = float("nan")  # CPU time / wall time of that best repeat
    repeats: int = 0
    peak_mb: float = float("nan")
    base_mb: float = float("nan")
    headline: float = float("nan")
    headlines: tuple = ()
    error: str = ""


def worker_env(threads: int) -> dict:
    """Environment for a worker: pin BLAS/OpenMP threads unless threads == 0."""
    env = dict(os.environ)
    if threads > 0:
        for var in THREAD_VARS:
            env[var] = str(threads)
    return env


def run_worker(
    impl: str, model: int, n: int, seed: int, repeats: int, timeout: float, threads: int = 1
) -> Run:
    """Run one implementation in a fresh Python process and collect its result."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.worker",
            IMPLEMENTATIONS[impl],
            str(model),
            str(n),
            str(seed),
            str(repeats),
            out,
        ]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout, env=worker_env(threads), cwd=ROOT
            )
        except subprocess.TimeoutExpired:
            return Run(ok=False, error=f"timed out after {timeout:.0f} s")
        if proc.returncode != 0 or not os.path.exists(out):
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            return Run(ok=False, error=lines[-1] if lines else f"exit {proc.returncode}")
        with open(out) as fh:
            res = json.load(fh)
    best = int(np.argmin(res["times"]))
    return Run(
        ok=True,
        seconds=min(res["times"]),
        cpu_pct=100.0 * res["cpu_times"][best] / max(res["times"][best], 1e-9),
        repeats=len(res["times"]),
        peak_mb=res["peak_mb"],
        base_mb=res["base_mb"],
        headline=res["summary"]["headline"],
        headlines=tuple(res["headlines"]),
    )


def check_agreement(model: int, impls: list[str], n: int, timeout: float, threads: int):
    """Step 1: compare each implementation's headline P50 with the baseline's."""
    base = run_worker(BASELINE, model, n, 1000, CHECK_REPLICATES, timeout, threads)
    if not base.ok:
        raise SystemExit(f"baseline failed: {base.error}")
    reps = np.array(base.headlines)
    ref, sd = float(reps.mean()), float(reps.std(ddof=1))
    tol = CHECK_SIGMAS * sd * np.sqrt(1.0 + 1.0 / CHECK_REPLICATES)
    rows, runs = [], {}
    for impl in impls:
        r = run_worker(impl, model, n, seed=7, repeats=1, timeout=timeout, threads=threads)
        runs[impl] = r
        if r.ok:
            diff = r.headline - ref
            verdict = "pass" if abs(diff) <= tol else "FAIL"
            rows.append(
                f"| {impl} | {r.headline:.3f} | {diff:+.3f} | {abs(diff) / (tol / CHECK_SIGMAS):.2f} | {verdict} | {r.seconds:.2f} |"
            )
        else:
            rows.append(f"| {impl} | - | - | - | ERROR: {r.error} | - |")
    head = [
        f"Agreement check, model {model}, n = {n:,}: {HEADLINE[model]}; baseline reference "
        f"{ref:.3f} (mean of {CHECK_REPLICATES} numpy runs), standard error {sd:.3f}, "
        f"tolerance ±{tol:.3f} ({CHECK_SIGMAS:g} SE of the difference).",
        "",
        "| impl | P50 | diff | diff / SE | result | seconds |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    return head + rows, runs


def time_all(model: int, impls: list[str], ns: list[int], args, check_runs: dict):
    """Step 2: time every implementation at every n (with skipping)."""
    results: dict[tuple[str, int], Run | str] = {}
    for impl in impls:
        prev = check_runs.get(impl)
        last = (args.check_n, prev) if prev is not None and prev.ok else None
        if prev is not None and not prev.ok:
            for n in ns:
                results[impl, n] = f"not run: {prev.error}"
            continue
        for n in ns:
            scale = n / last[0] if last else 0.0
            est = last[1].seconds * scale if last else 0.0
            est_mb = last[1].base_mb + (last[1].peak_mb - last[1].base_mb) * scale if last else 0.0
            if impl != BASELINE and est > args.max_seconds:
                results[impl, n] = f"skipped: est. {est:,.0f} s > {args.max_seconds:g} s"
                continue
            if impl != BASELINE and est_mb > args.max_mb:
                results[impl, n] = f"skipped: est. {est_mb:,.0f} MB > {args.max_mb:g} MB"
                continue
            cheap = est * args.repeats <= args.max_seconds / 4
            repeats = args.repeats if (n <= 100_000 and cheap) else 1
            r = run_worker(impl, model, n, args.seed, repeats, 3 * args.max_seconds, args.threads)
            results[impl, n] = r if r.ok else f"failed: {r.error}"
            print(
                f"  {impl:>10} n={n:>9,}: " + (f"{r.seconds:.3f} s, {r.peak_mb:.0f} MB" if r.ok else r.error),
                file=sys.stderr,
                flush=True,
            )
            if not r.ok:
                break
            last = (n, r)
    return results


def timing_table(model: int, impls: list[str], ns: list[int], results) -> list[str]:
    """Markdown rows: one per (impl, n)."""
    lines = [
        "| impl | n | wall s (best) | repeats | CPU % | trials/s | × numpy | peak MB | Δ MB | "
        + HEADLINE[model]
        + " |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in ns:
        base = results.get((BASELINE, n))
        for impl in impls:
            r = results.get((impl, n), "not run: a smaller n failed")
            if not isinstance(r, Run):
                lines.append(f"| {impl} | {n:,} | {r} | | | | | | | |")
                continue
            ratio = r.seconds / base.seconds if isinstance(base, Run) else float("nan")
            lines.append(
                f"| {impl} | {n:,} | {r.seconds:.3f} | {r.repeats} | {r.cpu_pct:.0f} | {n / r.seconds:,.0f} | "
                f"{ratio:,.1f} | {r.peak_mb:,.0f} | {r.peak_mb - r.base_mb:,.0f} | {r.headline:.3f} |"
            )
    return lines


def environment() -> str:
    """One line describing the machine and library versions."""
    versions = []
    for dist in PEER_DISTRIBUTIONS:
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; " + ", ".join(
        versions
    )


def publish(lines: list[str], out: str) -> None:
    """Print a report and write it to ``out`` (its folder made if need be)."""
    text = "\n".join(lines)
    print(text)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as fh:
        fh.write(text + "\n")


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument(
        "--model",
        type=int,
        choices=(1, 2),
        action="append",
        help="reference model (repeatable; default: both)",
    )
    p.add_argument("--n", default="1e4,1e5,1e6", help="comma-separated trial counts")
    p.add_argument(
        "--impl",
        default=DEFAULT_IMPLS,
        help=f"comma-separated implementations from: {', '.join(IMPLEMENTATIONS)}",
    )
    p.add_argument(
        "--max-seconds", type=float, default=180.0, help="skip an n whose extrapolated wall time exceeds this"
    )
    p.add_argument(
        "--max-mb",
        type=float,
        default=16000.0,
        help="skip an n whose extrapolated peak memory exceeds this (MB)",
    )
    p.add_argument(
        "--check-n",
        type=int,
        default=None,
        help="trials for the agreement check (default 20000 model 1, 2000 model 2)",
    )
    p.add_argument("--repeats", type=int, default=3, help="repeats for n <= 1e5 (best is kept)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument(
        "--threads", type=int, default=1, help="BLAS/OpenMP threads per worker (0 = library default)"
    )
    p.add_argument("--out", help="also write the markdown report to this file")
    return p.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    ns = sorted(int(float(x)) for x in args.n.split(","))
    impls = [i.strip() for i in args.impl.split(",") if i.strip()]
    unknown = [i for i in impls if i not in IMPLEMENTATIONS]
    if unknown:
        raise SystemExit(f"unknown implementation(s): {', '.join(unknown)}")
    impls = [BASELINE] + [i for i in impls if i != BASELINE]
    threads = f"{args.threads} BLAS thread(s) per run" if args.threads else "default BLAS threads"
    report = ["# Benchmark results", "", f"{environment()}; {threads}.", ""]
    for model in args.model or [1, 2]:
        check_n = args.check_n or DEFAULT_CHECK_N[model]
        args_m = argparse.Namespace(**{**vars(args), "check_n": check_n})
        print(f"model {model}: agreement check at n = {check_n:,}", file=sys.stderr, flush=True)
        check, check_runs = check_agreement(model, impls, check_n, 3 * args.max_seconds, args.threads)
        print(f"model {model}: timing", file=sys.stderr, flush=True)
        results = time_all(model, impls, ns, args_m, check_runs)
        report += [f"## Model {model}", "", *check, "", *timing_table(model, impls, ns, results), ""]
    text = "\n".join(report)
    print(text)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
