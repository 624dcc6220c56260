"""Run one implementation once, in a fresh process, and report as JSON.

Used by ``benchmarks.run``, which starts one such process per
(implementation, model, n) so that each peak-memory figure belongs to that
run alone::

    python -m benchmarks.worker IMPL MODEL N SEED REPEATS OUT.json

Repeat r uses seed ``SEED + r``. The JSON holds the wall time, the CPU time
(``time.process_time``, all threads) and the headline P50 of every repeat (``time.perf_counter`` around the
``run_model*`` call only, imports excluded, after one untimed call of 1,000 trials
that loads what a first call loads), the resident-set size after imports (``base_mb``), the process's peak resident-set size (``peak_mb``,
``VmHWM``) and the summary returned by the last repeat.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time

import numpy as np


def _status_mb(field: str) -> float | None:
    """Read a memory field (e.g. VmHWM, VmRSS) of this process in MB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def peak_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM, else ru_maxrss)."""
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)!r}")


def main(argv: list[str]) -> None:
    module, model, n, seed, repeats, out = argv
    impl = importlib.import_module(module)
    run = getattr(impl, f"run_model{int(model)}")
    run(min(int(n), 1_000), int(seed) - 1)  # untimed: loads what a first call loads (finmodel's compiled loops)
    base = _status_mb("VmRSS") or peak_mb()
    times, cpu_times, headlines = [], [], []
    summary = None
    for r in range(int(repeats)):
        start, cpu_start = time.perf_counter(), time.process_time()
        summary = run(int(n), int(seed) + r)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        headlines.append(summary["headline"])
    result = {
        "times": times,
        "cpu_times": cpu_times,
        "headlines": headlines,
        "base_mb": base,
        "peak_mb": peak_mb(),
        "summary": summary,
    }
    with open(out, "w") as fh:
        json.dump(result, fh, default=_jsonable)


if __name__ == "__main__":
    main(sys.argv[1:])
