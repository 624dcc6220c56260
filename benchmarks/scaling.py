"""Scaling curves: how the cost of a simulation grows with trials, lines and years.

Three sweeps, each point run in a fresh process (so its peak memory is its own) for
finmodel and for the hand-written numpy baseline:

* **trials**: reference model 1 at 1e4 .. 1e7 trials (the harness's ``run_model1``,
  summary included);
* **lines**: a model-2 style MTFP (savings lines cycling through model 2's parameters,
  plus its 20 pressures, ten years) with 10 .. 1,000 savings lines at fixed trials;
* **years**: the same MTFP with 200 savings lines and 5 .. 40 years at fixed trials.

finmodel is run with the call a user makes, ``fm.simulate(model, n, seed)`` with no
``metrics=`` (``impl_finmodel``).

Usage::

    python -m benchmarks.scaling                  # all three sweeps, table and plot
    python -m benchmarks.scaling --plot-only      # redraw the plot from the saved JSON

Writes ``benchmarks/results/scaling.md`` (tables), ``benchmarks/results/scaling.json``
(raw numbers) and ``docs/img/scaling.png`` (the plot in docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

from . import models as m
from .run import ROOT, environment, worker_env

SWEEPS = {
    "trials": [10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000],
    "lines": [10, 20, 50, 100, 200, 500, 1_000],
    "years": [5, 10, 20, 40],
}
IMPLS = ("numpy", "finmodel")
JSON_OUT = os.path.join(ROOT, "benchmarks", "results", "scaling.json")
MD_OUT = os.path.join(ROOT, "benchmarks", "results", "scaling.md")
PNG_OUT = os.path.join(ROOT, "docs", "img", "scaling.png")


# ------------------------------------------------------------------ numpy, any size ---
def numpy_model2(n: int, seed: int, n_lines: int = m.M2_N_LINES, n_years: int = m.M2_N_YEARS) -> dict:
    """``impl_numpy.run_model2`` for ``n_lines`` savings lines and ``n_years`` years.

    Line i uses model 2's parameters of line ``i % 200``; ramps are cut or held at full to
    ``n_years`` (the same model as ``impl_finmodel.build_model2(n_lines, n_years)``).
    """
    from .impl_numpy import M2_SAVING_MODE, simulate_model2

    k = np.arange(n_lines) % m.M2_N_LINES
    share = np.minimum(np.arange(1, n_years + 1)[None, :] / m.M2_RAMP_YEARS[k][:, None], 1.0)
    slipped = np.zeros_like(share)
    slipped[:, 1:] = share[:, :-1]
    rng = np.random.default_rng(seed)
    savings = (m.M2_SAVING_LOW[k], M2_SAVING_MODE[k], m.M2_SAVING_HIGH[k])
    return simulate_model2(n, rng, savings, share, slipped)


def finmodel_model2(n: int, seed: int, n_lines: int = m.M2_N_LINES, n_years: int = m.M2_N_YEARS) -> dict:
    """``impl_finmodel.run_model2`` (the default call) for ``n_lines`` savings lines and ``n_years`` years."""
    import finmodel as fm

    from .impl_finmodel import build_model2, model2_summary

    return model2_summary(fm.simulate(build_model2(n_lines, n_years), n, seed))


def _task(impl: str, axis: str, size: int, trials: int):
    """The call to time for one point: a function of the seed (imports done here, untimed;
    the point then makes one small untimed call, which loads what a first call loads)."""
    if impl == "finmodel":
        import finmodel  # noqa: F401  (as the harness does: the import is not timed)
    else:
        from . import impl_numpy  # noqa: F401  (likewise)
    if axis == "trials":
        module = __import__(f"benchmarks.impl_{impl}", fromlist=["run_model1"])
        return lambda seed: module.run_model1(size, seed)
    run = numpy_model2 if impl == "numpy" else finmodel_model2
    if axis == "lines":
        return lambda seed: run(trials, seed, n_lines=size)
    return lambda seed: run(trials, seed, n_years=size)


def point_main(impl: str, axis: str, size: int, trials: int, repeats: int) -> None:
    """Run one point in this (fresh) process and print its measurements as JSON."""
    from .worker import _status_mb, peak_mb

    task = _task(impl, axis, size, trials)
    _task(impl, axis, min(size, 1_000) if axis == "trials" else size, min(trials, 1_000))(2023)  # untimed first call
    base = _status_mb("VmRSS") or peak_mb()
    times, cpu = [], []
    for r in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        task(2024 + r)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    best = int(np.argmin(times))
    print(json.dumps({"seconds": times[best], "cpu": cpu[best], "peak_mb": peak_mb(), "base_mb": base}))


def run_point(impl: str, axis: str, size: int, trials: int, threads: int) -> dict:
    work = size if axis == "trials" else trials
    repeats = 3 if work <= 300_000 else 1
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.scaling",
        "--point",
        impl,
        axis,
        str(size),
        str(trials),
        str(repeats),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=worker_env(threads), cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{impl} {axis}={size} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------- report ---
def _units(axis: str, size: int, trials: int) -> float:
    """How many units of work a point is: trials, trials x lines, or trials (years sweep)."""
    if axis == "trials":
        return float(size)
    return float(trials) * (size if axis == "lines" else 1)


def table(data: dict) -> list[str]:
    out = []
    for axis, label in (("trials", "trials (model 1)"), ("lines", "savings lines"), ("years", "years")):
        trials = data["trials_fixed"]
        unit = {"trials": "ns / trial", "lines": "ns / trial / line", "years": "µs / trial"}[axis]
        fixed = (
            ""
            if axis == "trials"
            else f", {trials:,} trials" + (", 200 lines" if axis == "years" else ", 10 years")
        )
        out += [f"### Against {label}{fixed}", ""]
        out += [
            f"| {axis} | impl | wall s | CPU % | peak MB | {unit} | × numpy |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for size in data["sizes"][axis]:
            base = data["points"][f"numpy/{axis}/{size}"]
            for impl in IMPLS:
                p = data["points"][f"{impl}/{axis}/{size}"]
                per = p["seconds"] / _units(axis, size, trials) * (1e6 if axis == "years" else 1e9)
                out.append(
                    f"| {size:,} | {impl} | {p['seconds']:.3f} | {100 * p['cpu'] / p['seconds']:.0f} | "
                    f"{p['peak_mb']:,.0f} | {per:,.1f} | {p['seconds'] / base['seconds']:.2f} |"
                )
        out.append("")
    return out


def plot(data: dict, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

    trials = data["trials_fixed"]
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5), constrained_layout=True)
    titles = {
        "trials": "Model 1: trials",
        "lines": f"MTFP: savings lines\n({trials:,} trials, 10 years)",
        "years": f"MTFP: years\n({trials:,} trials, 200 savings lines)",
    }
    # cost per unit of work: per trial; per trial and line; per trial (years barely matter)
    per = {
        "trials": ("ns per trial", 1e9),
        "lines": ("ns per trial per line", 1e9),
        "years": ("µs per trial", 1e6),
    }
    styles = {
        "numpy": dict(color="0.45", marker="s", ls="--"),
        "finmodel": dict(color="C0", marker="o", ls="-"),
    }
    for col, axis in enumerate(("trials", "lines", "years")):
        sizes = np.array(data["sizes"][axis], dtype=float)
        top, bottom = axes[0, col], axes[1, col]
        for impl in IMPLS:
            secs = np.array([data["points"][f"{impl}/{axis}/{s}"]["seconds"] for s in data["sizes"][axis]])
            work = (
                sizes
                if axis == "trials"
                else (trials * sizes if axis == "lines" else np.full(len(sizes), trials))
            )
            label = "hand-written numpy" if impl == "numpy" else "finmodel"
            top.plot(sizes, secs, label=label, **styles[impl])
            bottom.plot(sizes, secs / work * per[axis][1], label=label, **styles[impl])
            if impl == "finmodel":  # through the middle point: what growth in proportion looks like
                mid = len(sizes) // 2
                top.plot(
                    sizes, secs[mid] * sizes / sizes[mid], color="C0", alpha=0.25, lw=5, label="in proportion"
                )
        top.set(xscale="log", yscale="log", title=titles[axis], ylabel="wall seconds")
        bottom.set(xscale="log", xlabel=axis, ylabel=per[axis][0])
        bottom.set_ylim(bottom=0)
        for ax in (top, bottom):
            ax.grid(True, which="both", alpha=0.3)
            if axis != "trials":  # plain numbers at the measured sizes
                ax.xaxis.set_major_locator(FixedLocator(sizes))
                ax.xaxis.set_minor_locator(NullLocator())
                ax.xaxis.set_major_formatter(ScalarFormatter())
        top.legend(fontsize=8)
    fig.suptitle(
        f"Cost against problem size ({data['date']}; {data['machine']}; one core per run)", fontsize=10
    )
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__.split("\n")[0])
    p.add_argument(
        "--trials", default=",".join(str(x) for x in SWEEPS["trials"]), help="model-1 trial counts"
    )
    p.add_argument("--lines", default=",".join(str(x) for x in SWEEPS["lines"]), help="savings-line counts")
    p.add_argument("--years", default=",".join(str(x) for x in SWEEPS["years"]), help="timeline lengths")
    p.add_argument("--fixed-trials", type=int, default=50_000, help="trials for the lines and years sweeps")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads per run (0 = library default)")
    p.add_argument("--plot-only", action="store_true", help="redraw the plot from the saved JSON")
    p.add_argument(
        "--point", nargs=5, metavar=("IMPL", "AXIS", "SIZE", "TRIALS", "REPEATS"), help=argparse.SUPPRESS
    )
    args = p.parse_args(argv)
    if args.point:
        impl, axis, size, trials, repeats = args.point
        point_main(impl, axis, int(float(size)), int(float(trials)), int(repeats))
        return
    if args.plot_only:
        with open(JSON_OUT) as fh:
            data = json.load(fh)
        plot(data, PNG_OUT)
        return
    sizes = {axis: [int(float(x)) for x in getattr(args, axis).split(",")] for axis in SWEEPS}
    data = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, numpy {np.__version__}",
        "environment": environment(),
        "trials_fixed": args.fixed_trials,
        "sizes": sizes,
        "points": {},
    }
    for axis, values in sizes.items():
        for size in values:
            for impl in IMPLS:
                point = run_point(impl, axis, size, args.fixed_trials, args.threads)
                data["points"][f"{impl}/{axis}/{size}"] = point
                print(
                    f"  {impl:>8} {axis}={size:>10,}: {point['seconds']:.3f} s, {point['peak_mb']:,.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
    os.makedirs(os.path.dirname(JSON_OUT), exist_ok=True)
    with open(JSON_OUT, "w") as fh:
        json.dump(data, fh, indent=1)
    report = ["# Scaling", "", f"{data['environment']}; measured {data['date']}.", "", *table(data)]
    with open(MD_OUT, "w") as fh:
        fh.write("\n".join(report) + "\n")
    print("\n".join(report))
    plot(data, PNG_OUT)


if __name__ == "__main__":
    main()
