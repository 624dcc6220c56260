"""Speed-up of ``simulate(..., backend="dask")`` on a 2-worker LocalCluster.

Reference model 1, 10,000,000 trials, ``metrics=["net", "npv", "payback_year"]`` (what
the harness keeps). The local backend runs every chunk in this process; the Dask
backend sends every chunk as a task to a ``distributed.LocalCluster`` of 2 worker
processes with 1 thread each, and this process collects the kept samples. Cluster
start-up and a warm-up run (which imports finmodel on the workers) are not timed. The
Dask run is repeated for its default chunk size, for the local default (more, smaller
tasks) and for bigger chunks, and its samples are checked to be identical to the local run's. A second set of
runs keeps only ``npv`` (one number per trial instead of six), to show what sending the
kept samples back to this process costs. Every Dask configuration runs twice: with dask's
default environment for worker processes, and with glibc's malloc told to keep freed
memory (see ``WORKER_SETTINGS``).

Usage::

    python -m benchmarks.dask_speedup [--n 1e7] [--workers 2] [--out benchmarks/results/dask.md]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from benchmarks.run import publish

from .run import ROOT, environment

CHUNKS = (None, 32_768, 1_000_000)  # None: the default for backend="dask"
# Environment of the worker processes (dask's ``distributed.nanny.pre-spawn-environ``).
# Dask sets MALLOC_TRIM_THRESHOLD_=65536 by default so that workers hand freed memory
# back to the system; setting it also switches off glibc's adaptive mmap threshold, so
# every array of 128 kB or more is a fresh mapping whose pages fault in again. The
# second setting keeps freed memory for reuse (at the cost of a larger resident size).
_THREADS = {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}
WORKER_SETTINGS = (
    ("dask's default malloc settings", {**_THREADS, "MALLOC_TRIM_THRESHOLD_": 65536}),
    (
        "malloc keeps freed memory",
        {**_THREADS, "MALLOC_TRIM_THRESHOLD_": 2**28, "MALLOC_MMAP_THRESHOLD_": 2**26},
    ),
)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.dask_speedup", description=__doc__.split("\n")[0])
    p.add_argument("--n", default="1e7")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeats", type=int, default=2, help="runs per configuration; the best is kept")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "dask.md"))
    args = p.parse_args(argv)
    n = int(float(args.n))

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one core per process, inherited by the workers
    import dask
    from distributed import Client, LocalCluster

    import finmodel as fm
    from finmodel.engine.run import chunk_size_for

    from .impl_finmodel import M1_METRICS, build_model1

    case = build_model1()

    def timed(metrics, **options):
        best, sim = float("inf"), None
        for _ in range(args.repeats):
            start = time.perf_counter()
            sim = fm.simulate(case, n, 2024, metrics=metrics, **options)
            best = min(best, time.perf_counter() - start)
            if options.get("backend") == "dask":
                time.sleep(1.0)  # let the workers free the last run's memory
        return best, sim

    rows = []
    default_chunk = chunk_size_for(len(case.leaves()))
    locals_ = {}
    for metrics in (M1_METRICS, ["npv"]):
        local_s, _sim = timed(metrics)
        locals_[tuple(metrics)] = local_s
        rows.append((metrics, "local (this process)", f"{default_chunk:,} (default)", local_s, local_s, True))
        del _sim
    for workers_label, environ in WORKER_SETTINGS:
        with (
            dask.config.set({"distributed.nanny.pre-spawn-environ": environ}),
            LocalCluster(
                n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            fm.simulate(case, 100_000, 1, metrics=M1_METRICS, backend="dask", client=client)  # warm-up
            for metrics in (M1_METRICS, ["npv"]):
                local = fm.simulate(case, n, 2024, metrics=metrics)  # the reference samples
                for chunk in CHUNKS:
                    seconds, remote = timed(metrics, backend="dask", client=client, chunk_size=chunk)
                    same = all(np.array_equal(local.samples(m), remote.samples(m)) for m in metrics)
                    size = chunk or chunk_size_for(len(case.leaves()), "dask")
                    label = f"{size:,}{' (default)' if chunk is None else ''}, {-(-n // size):,} tasks"
                    backend = f"dask, {args.workers} workers, {workers_label}"
                    rows.append((metrics, backend, label, seconds, locals_[tuple(metrics)], same))
                    del remote
                del local
    lines = [
        "# Dask backend speed-up, reference model 1",
        "",
        f"{environment()}; {n:,} trials; {os.cpu_count()} cores; LocalCluster with {args.workers} "
        f"worker processes x 1 thread; best of {args.repeats}; measured {time.strftime('%Y-%m-%d')}.",
        "",
        "| metrics kept | backend | chunk size | wall s | trials/s | speed-up vs local | samples identical |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for metrics, label, chunk, seconds, local_s, same in rows:
        kept = (
            ", ".join(metrics)
            + f" ({n * (4 * ('net' in metrics) + len(metrics) - ('net' in metrics)) * 8 / 1e6:,.0f} MB)"
        )
        lines.append(
            f"| {kept} | {label} | {chunk} | {seconds:.2f} | {n / seconds:,.0f} | {local_s / seconds:.2f} | "
            f"{'yes' if same else 'NO'} |"
        )
    publish(lines, args.out)


if __name__ == "__main__":
    main()
