"""Where a correlated run's extra time goes (target T5 correlated).

T5 holds T1's call on model 1 with its four run rates rank-correlated 0.5 to at most
1.2 x the same call on model 1 uncorrelated. This splits the difference in two:

* **The calls.** T1's call on the correlated model; on the same model with the
  coupling switched off (``CorrelationGroup.couple_rows`` replaced by a step that
  leaves the uniforms independent: the same work otherwise, the numbers those of
  independent draws, only the time of interest); and on the plain model. The three
  run in turn, the order rotated every round, ``--rounds`` rounds; the table gives the
  medians. Inside the correlated call the coupling is timed (``couple_rows`` wrapped by
  a clock), and the chunk sizes it was given are noted.
* **The coupling's parts**, on one chunk of the size the engine used, in the same
  blocks of 512 trials as the coupling step (``finmodel.core.compiled.normal``): the
  four members' normal quantiles, the mixing by the Cholesky factor, the three CDFs (of
  normal values, each block copied into the work array the step would have mixed into),
  then the whole step; nanoseconds a trial, medians of ``--repeats``.

Usage::

    python -m benchmarks.correlation                # 45 rounds at 1e6 trials
    python -m benchmarks.correlation --quick        # 1e4 trials, 3 rounds: a smoke test

Writes ``benchmarks/results/correlation.md`` unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import statistics
import time
from collections.abc import Iterator

import numba
import numpy as np

from .run import ROOT, environment, publish

Q = [0.1, 0.5, 0.9]


def t1_call(case, n: int, seed: int) -> None:
    """T1's call: the default simulation and the README's three summaries."""
    import finmodel as fm

    sim = fm.simulate(case, n=n, seed=seed)
    sim.quantiles("net", Q)
    sim.quantiles("npv", Q)
    sim.probability("cumulative_net", ">=", 0, year="2019/20")


@contextlib.contextmanager
def coupling(mode: str, seconds: list[float], sizes: set[int]) -> Iterator[None]:
    """Within the block, the coupling is timed into ``seconds`` (``mode="timed"``) or
    switched off (``mode="off"``): the members' uniforms are left as drawn."""
    from finmodel.core.correlation import CorrelationGroup

    real = CorrelationGroup.couple_rows

    def timed(self, rows, positions=None):
        sizes.add(len(rows[0]))
        start = time.perf_counter()
        real(self, rows, positions)
        seconds.append(time.perf_counter() - start)

    def off(self, rows, positions=None):
        return None

    CorrelationGroup.couple_rows = timed if mode == "timed" else off  # type: ignore[method-assign]
    try:
        yield
    finally:
        CorrelationGroup.couple_rows = real  # type: ignore[method-assign]


def time_calls(n: int, rounds: int) -> dict:
    """Median seconds of T1's call on the correlated model, with its coupling off, and on
    the plain model; the coupling's seconds inside the correlated call; chunk sizes."""
    from .impl_finmodel import build_model1

    plain, correlated = build_model1(), build_model1(correlation=0.5)
    sizes: set[int] = set()
    runs: dict[str, list[float]] = {"correlated": [], "coupling off": [], "plain": []}
    inside: list[float] = []
    cases = {
        "correlated": (correlated, "timed"),
        "coupling off": (correlated, "off"),
        "plain": (plain, "timed"),
    }
    names = list(cases)
    for name in names:  # warm-up, untimed
        case, mode = cases[name]
        with coupling(mode, [], set()):
            t1_call(case, n, 2023)
    for r in range(rounds):
        for name in names[r % 3 :] + names[: r % 3]:
            case, mode = cases[name]
            seconds: list[float] = []
            gc.collect()
            with coupling(mode, seconds, sizes):
                start = time.perf_counter()
                t1_call(case, n, 2024 + r)
                runs[name].append(time.perf_counter() - start)
            if name == "correlated":
                inside.append(sum(seconds))
    medians = {name: statistics.median(times) for name, times in runs.items()}
    return {"medians": medians, "coupling": statistics.median(inside), "sizes": sorted(sizes)}


def _parts_loop():
    """The coupling step's loops, each switchable (bit 1 quantiles, 2 mixing, 4 CDFs)."""
    from finmodel.core.compiled.normal import _BLOCK, LARGEST, SMALLEST, _cdf_into, _quantile_into
    from finmodel.core.compiled.vectors import wide

    @numba.njit(error_model="numpy", nogil=True)
    def parts(rows, mixing, what):
        wide()
        members, n = len(rows), rows[0].shape[0]
        z = np.zeros((members, _BLOCK))  # the mixing alone reads zeros, not whatever was there
        y = np.empty(_BLOCK)
        tails = np.empty(_BLOCK, np.intp)
        scratch = np.empty(_BLOCK)
        for start in range(0, n, _BLOCK):
            width = min(_BLOCK, n - start)
            if what & 1:
                for j in range(members):
                    _quantile_into(z[j, :width], rows[j][start : start + width], tails, scratch, SMALLEST)
            for j in range(1, members):
                if what & 2:
                    c = mixing[j, 0]
                    for i in range(width):
                        y[i] = c * z[0, i]
                    for k in range(1, j + 1):
                        c = mixing[j, k]
                        for i in range(width):
                            y[i] += c * z[k, i]
                if what & 4:
                    row = rows[j][start : start + width]
                    if not what & 3:  # alone, the CDFs read the rows' normal values (copied: the
                        y[:width] = row  # loop is vectorised for distinct arrays, as in the step)
                    _cdf_into(row, z[j, :width] if what == 5 else y[:width], LARGEST)

    return parts


def time_parts(size: int, repeats: int) -> dict[str, float]:
    """Nanoseconds a trial of each part of coupling four members on one chunk of ``size``."""
    from finmodel.core.compiled import normal

    from .impl_finmodel import build_model1

    group = build_model1(correlation=0.5).leaves()
    mixing = next(leaf.group.mixing for leaf in group if getattr(leaf, "group", None) is not None)
    members = mixing.shape[0]
    rng = np.random.default_rng(3)
    uniforms, normals = rng.random((members, size)), rng.standard_normal((members, size))
    rows = tuple(np.empty(size) for _ in range(members))
    parts = _parts_loop()

    def step(what: int) -> None:
        if what:
            parts(rows, mixing, what)
        else:
            normal.couple_rows(rows, mixing)

    out = {}
    for what, name in ((1, "four quantiles"), (2, "the mixing"), (4, "three CDFs"), (0, "the whole step")):
        source = normals if what == 4 else uniforms  # the CDFs alone read normal values
        times = []
        for _ in range(repeats + 1):  # the first compiles and warms up
            for row, values in zip(rows, source, strict=True):
                row[:] = values
            start = time.perf_counter()
            step(what)
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times[1:]) / size * 1e9
    return out


def report(n: int, rounds: int, repeats: int) -> list[str]:
    calls = time_calls(n, rounds)
    m = calls["medians"]
    size = max(calls["sizes"]) if calls["sizes"] else 32_768
    parts = time_parts(size, repeats)
    ms = {name: 1e3 * s for name, s in m.items()}
    return [
        "# Where a correlated run's extra time goes (T5 correlated)",
        "",
        f"{environment()}; measured {time.strftime('%Y-%m-%d %H:%M')} by `python -m benchmarks.correlation`.",
        "",
        f"T1's call (`fm.simulate(case, n={n:,}, seed=s)`, quantiles of net and NPV, P(cumulative net >= 0 "
        f"in 2019/20)), in turn, the order rotated every round; medians of {rounds} rounds.",
        "",
        "| call | ms | / plain |",
        "| --- | ---: | ---: |",
        *(
            f"| {name} | {ms[name]:.1f} | {m[name] / m['plain']:.3f} |"
            for name in ("correlated", "coupling off", "plain")
        ),
        f"| the coupling, inside the correlated call | {1e3 * calls['coupling']:.1f} | "
        f"{calls['coupling'] / m['plain']:.3f} |",
        "",
        f"Chunks coupled: {', '.join(f'{s:,}' for s in calls['sizes'])} trials. The coupling's parts on one "
        f"chunk of {size:,} trials, in blocks of 512 (median of {repeats}):",
        "",
        "| part | ns a trial |",
        "| --- | ---: |",
        *(f"| {name} | {ns:.2f} |" for name, ns in parts.items()),
    ]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.correlation", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1e4 trials, 3 rounds, 3 repeats: a smoke test")
    p.add_argument("--rounds", type=int, default=None, help="rounds of the three calls (default 45)")
    p.add_argument("--repeats", type=int, default=None, help="repeats of each part (default 15)")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "correlation.md"))
    args = p.parse_args(argv)
    n = 10_000 if args.quick else 1_000_000
    rounds = args.rounds or (3 if args.quick else 45)
    repeats = args.repeats or (3 if args.quick else 15)
    publish(report(n, rounds, repeats), args.out)


if __name__ == "__main__":
    main()
