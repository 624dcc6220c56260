"""Run every benchmark behind docs/performance.md, one after the other.

Usage (from the repository root, with the ``bench`` optional dependencies installed)::

    python -m benchmarks.all            # about half an hour on a 2-core machine
    python -m benchmarks.all --quick    # smaller sizes, a few minutes: checks that all runs

Writes, under ``benchmarks/results/``: ``machine.md`` (date, ``nproc``, ``lscpu``,
``free -h``, Python and numpy versions), ``results.md`` (the harness: every
implementation, both models), ``scaling.md`` / ``scaling.json`` and the plot
``docs/img/scaling.png``, ``memory.md``, ``deterministic.md``, ``dask.md``,
``profile.md``, ``correlation.md`` (where a correlated run's extra time goes) and ``targets.md`` (the performance targets). Run it on an otherwise idle machine: the harness's ``CPU %`` column
shows when a run had to share its core.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time

import numpy as np

from .run import ROOT

RESULTS = os.path.join(ROOT, "benchmarks", "results")


def _shell(command: str) -> str:
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    return (proc.stdout or proc.stderr).rstrip()


def machine() -> str:
    """The machine description that goes with every number."""
    return "\n".join(
        [
            "# Machine",
            "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}; Python {platform.python_version()}, "
            f"numpy {np.__version__}.",
            "",
            "```console",
            "$ date",
            _shell("date"),
            "$ nproc",
            _shell("nproc"),
            "$ lscpu | head -n 20",
            _shell("lscpu | head -n 20"),
            "$ free -h",
            _shell("free -h"),
            "```",
            "",
        ]
    )


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.all", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes: check that everything runs")
    args = p.parse_args(argv)
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, "machine.md"), "w") as fh:
        fh.write(machine())
    py = [sys.executable, "-m"]
    if args.quick:
        steps = [
            [
                *py,
                "benchmarks.run",
                "--n",
                "1e4,1e5",
                "--max-seconds",
                "20",
                "--out",
                os.path.join(RESULTS, "results.md"),
            ],
            [
                *py,
                "benchmarks.scaling",
                "--trials",
                "1e4,1e5,1e6",
                "--lines",
                "10,100",
                "--years",
                "5,10",
                "--fixed-trials",
                "10000",
            ],
            [*py, "benchmarks.memory", "--n", "1e6"],
            [*py, "benchmarks.deterministic", "--calls", "20"],
            [*py, "benchmarks.dask_speedup", "--n", "1e6", "--repeats", "1"],
            [*py, "benchmarks.profile_finmodel"],
            [*py, "benchmarks.correlation", "--quick"],
            [*py, "benchmarks.targets", "--quick"],
        ]
    else:
        steps = [
            [*py, "benchmarks.run", "--n", "1e4,1e5,1e6,1e7", "--out", os.path.join(RESULTS, "results.md")],
            [*py, "benchmarks.scaling"],
            [*py, "benchmarks.memory"],
            [*py, "benchmarks.deterministic"],
            [*py, "benchmarks.dask_speedup"],
            [*py, "benchmarks.profile_finmodel"],
            [*py, "benchmarks.correlation"],
            [*py, "benchmarks.targets"],
        ]
    for step in steps:
        print("$ python -m " + " ".join(step[2:]), file=sys.stderr, flush=True)
        subprocess.run(step, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
