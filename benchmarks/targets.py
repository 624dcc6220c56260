"""Performance targets: finmodel's default call against careful numpy, in one run.

Every target times the call a user makes, ``fm.simulate(model, n=..., seed=s)`` with no
``metrics=`` and then the summary calls of the README, against the fastest honest numpy
(``impl_numpy``) computing the same statistics (numpy's default ``"linear"`` quantiles,
the same probabilities):

* **T1** reference model 1, 1e6 trials: quantiles of net and NPV, P(cumulative net >= 0
  in 2019/20); target at most 1.5 x numpy.
* **T2** the README's OCC case for change, 1e6 trials: quantiles of the cumulative net,
  P(cumulative net >= 0 in 2019/20); at most 1.5 x numpy.
* **T3** reference model 2, 1e5 trials: quantiles of the final year's budget gap; at most
  2 x numpy.
* **T4** peak memory of T1's whole call at 1e7 trials (float64): under 2 GiB; numpy's too.
* **T5** ``method="lhs"`` against the default method on T1's call (at most 1.5 x), and
  model 1 with its four run rates rank-correlated 0.5 (``fm.correlate``) against
  model 1 (at most 1.2 x): finmodel against finmodel.
* **T6** ``fm.evaluate(plan, "central").table()`` on model 2 (built once; a fresh
  evaluation each repeat), and a second ``.table()`` on the same evaluation, against the
  same table by hand-written numpy and one ``pd.DataFrame``; reported, no target.
* **T7** peak memory of the README case's default call at 1e7 trials and of a 1,000-line,
  30-year MTFP's at 1e4 trials (``build_model2(n_lines=1000, n_years=30)``): each under
  2 GiB.

How it measures. The timed targets run in one child process with one BLAS thread (as
the harness), so their ratios come from one process run: each call's setup (building
the model) runs once untimed, each call runs once untimed as a warm-up, then the two
calls of a target run in turn, A, B, A, B, ... ``--repeats`` times with seed
``2024 + r`` in repeat r; the table gives the median wall seconds of each and the ratio
of the medians. The memory targets each run in a fresh process that reads its peak
resident set size (``VmHWM``, interpreter and imports included) after the whole call.
The code shown in the table is the code executed: each call is a string, compiled once.

Usage::

    python -m benchmarks.targets                # full sizes, 45 repeats (a few minutes)
    python -m benchmarks.targets --quick        # small sizes, 3 repeats: a smoke test
    python -m benchmarks.targets --repeats 7 --out /tmp/targets.md

Writes ``benchmarks/results/targets.md`` (the table) unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from .run import ROOT, environment, publish, worker_env

SEED = 2024
LIMIT_MB = 2048.0  # 2 GiB, in the MiB that VmHWM reports (kB / 1024)
Q = "[0.1, 0.5, 0.9]"
#: Timed repeats of each call by default: more than the 15 once used, since on the shared
#: development machine the ratios of runs of the same code spread as wide as some targets'
#: margins (T5 correlated: 1.12 to 1.27 over twelve runs of 15 repeats, 1.08 to 1.22 over
#: six of 45; docs/performance.md).
REPEATS = 45


@dataclass(frozen=True)
class Call:
    """Code to time (``s`` is the seed), with untimed set-up code run once before."""

    code: str
    setup: str = ""
    prepare: str = ""  # run before each repeat, untimed


@dataclass(frozen=True)
class Target:
    """One line of the table: ``call`` (finmodel) against ``baseline``."""

    name: str
    call: Call
    baseline: Call | None
    n: int
    limit: float | None  # the most the ratio may be (speed) or MiB (memory); None: reported only
    memory: bool = False


# ------------------------------------------------------------------ the targets ---
def _model1_call(n: int, case: str = "case", extra: str = "") -> str:
    return (
        f"sim = fm.simulate({case}, n={n:_}, seed=s{extra})\n"
        f'sim.quantiles("net", {Q})\n'
        f'sim.quantiles("npv", {Q})\n'
        'sim.probability("cumulative_net", ">=", 0, year="2019/20")'
    )


def _readme_call(n: int) -> str:
    return (
        f"sim = fm.simulate(case, n={n:_}, seed=s)\n"
        f'sim.quantiles("cumulative_net", {Q})\n'
        'sim.probability("cumulative_net", ">=", 0, year="2019/20")'
    )


def _mtfp_call(n: int, last_year: str) -> str:
    return (
        f'sim = fm.simulate(plan, n={n:_}, seed=s)\nsim.quantiles("cumulative_gap", {Q}, year="{last_year}")'
    )


def targets(quick: bool) -> list[Target]:
    """Every target, at full sizes or (``quick``) at small ones."""
    big, mid, small = (100_000, 10_000, 1_000_000) if quick else (1_000_000, 100_000, 10_000_000)
    wide = 1_000 if quick else 10_000
    model1 = "case = build_model1()"
    readme = "case = build_readme_case()"
    model2 = "plan = build_model2()"
    numpy1 = Call(f"impl_numpy.model1_statistics({big:_}, s)")
    table = Call(
        "impl_numpy.model2_central_table(index, columns)",
        'frame = fm.evaluate(build_model2(), "central").table()\nindex, columns = list(frame.index), frame.columns',
    )
    second = Call("result.table()", model2, 'result = fm.evaluate(plan, "central")\nresult.table()')
    return [
        Target("T1", Call(_model1_call(big), model1), numpy1, big, 1.5),
        Target(
            "T2", Call(_readme_call(big), readme), Call(f"impl_numpy.readme_statistics({big:_}, s)"), big, 1.5
        ),
        Target(
            "T3",
            Call(_mtfp_call(mid, "2033/34"), model2),  # the last of build_model2()'s ten years
            Call(f"impl_numpy.model2_final_gap_quantiles({mid:_}, s)"),
            mid,
            2.0,
        ),
        Target("T4", Call(_model1_call(small), model1), None, small, LIMIT_MB, memory=True),
        Target(
            "T4 numpy",
            Call(f"impl_numpy.model1_statistics({small:_}, s)"),
            None,
            small,
            LIMIT_MB,
            memory=True,
        ),
        Target(
            "T5 lhs",
            Call(_model1_call(big, extra=', method="lhs"'), model1),
            Call(_model1_call(big), model1),
            big,
            1.5,
        ),
        Target(
            "T5 correlated",
            Call(_model1_call(big, "correlated"), "correlated = build_model1(correlation=0.5)"),
            Call(_model1_call(big), model1),
            big,
            1.2,
        ),
        Target("T6 first table", Call('fm.evaluate(plan, "central").table()', model2), table, 1, None),
        Target("T6 second table", second, table, 1, None),
        Target("T7 README", Call(_readme_call(small), readme), None, small, LIMIT_MB, memory=True),
        Target(
            "T7 MTFP",
            Call(_mtfp_call(wide, "2053/54"), "plan = build_model2(n_lines=1000, n_years=30)"),  # last year
            None,
            wide,
            LIMIT_MB,
            memory=True,
        ),
    ]


# --------------------------------------------------------------------- running ---
def _namespace(*calls: Call | None) -> dict:
    """What the calls' code sees: ``impl_numpy``, and ``fm`` and the model builders if they use them.

    finmodel is imported only for calls that use it, so that a numpy-only process's peak
    memory is numpy's alone.
    """
    from . import impl_numpy

    names: dict = {"impl_numpy": impl_numpy}
    text = " ".join(f"{c.setup} {c.prepare} {c.code}" for c in calls if c is not None)
    if "fm." in text or "build_" in text:
        import finmodel as fm

        from .impl_finmodel import build_model1, build_model2, build_readme_case

        names.update(fm=fm, build_model1=build_model1, build_model2=build_model2)
        names.update(build_readme_case=build_readme_case)
    return names


class Runner:
    """A call, set up once: ``run(seed)`` times one repeat (wall and CPU seconds)."""

    def __init__(self, call: Call, names: dict) -> None:
        self.names = dict(names)
        exec(compile(call.setup, "<setup>", "exec"), self.names)
        self.prepare = compile(call.prepare, "<prepare>", "exec")
        self.code = compile(call.code, "<call>", "exec")

    def run(self, seed: int) -> tuple[float, float]:
        scope = {**self.names, "s": seed}
        exec(self.prepare, scope)
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        exec(self.code, scope)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        del scope
        gc.collect()
        return wall, cpu


def time_target(target: Target, repeats: int, names: dict) -> dict:
    """Warm up both calls, then time them in turn; the runs of each, in order."""
    runners = [Runner(target.call, names), Runner(target.baseline, names)]  # type: ignore[arg-type]
    for runner in runners:
        runner.run(SEED - 1)
    runs: list[list[tuple[float, float]]] = [[], []]
    for r in range(repeats):
        for i, runner in enumerate(runners):
            runs[i].append(runner.run(SEED + r))
    return {"call": runs[0], "baseline": runs[1]}


def timing_main(quick: bool, repeats: int) -> None:
    """In the (pinned) child: time every speed target, print the runs as JSON."""
    timed = [t for t in targets(quick) if not t.memory]
    names = _namespace(*(c for t in timed for c in (t.call, t.baseline)))
    out = {}
    for target in timed:
        print(f"  {target.name}", file=sys.stderr, flush=True)
        out[target.name] = time_target(target, repeats, names)
    print(json.dumps(out))


def memory_main(quick: bool, name: str) -> None:
    """In a fresh process: run one memory target's call once; print seconds and memory."""
    from .worker import _status_mb, peak_mb

    target = next(t for t in targets(quick) if t.name == name)
    runner = Runner(target.call, _namespace(target.call))
    base = _status_mb("VmRSS") or peak_mb()
    wall, cpu = runner.run(SEED)
    print(json.dumps({"seconds": wall, "cpu": cpu, "peak_mb": peak_mb(), "base_mb": base}))


def _child(args: list[str]) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.targets", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=worker_env(1), cwd=ROOT, check=False)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- report ---
def _code(call: Call | None) -> str:
    """A call as table-cell code: set-up lines marked untimed, then the timed lines."""
    if call is None:
        return "—"
    cells = [f"`{line}` (once, untimed)" for line in call.setup.splitlines()]
    cells += [f"`{line}` (each repeat, untimed)" for line in call.prepare.splitlines()]
    cells += [f"`{line}`" for line in call.code.splitlines()]
    return "<br>".join(cells)


def _median(runs: list, k: int = 0) -> float:
    return statistics.median(run[k] for run in runs)


def speed_row(target: Target, runs: dict) -> str:
    a, b = _median(runs["call"]), _median(runs["baseline"])
    ratio = a / b
    cpu = 100 * _median(runs["call"], 1) / a
    limit = "reported" if target.limit is None else f"≤ {target.limit:g}"
    met = "" if target.limit is None else ("yes" if ratio <= target.limit else "**no**")
    return (
        f"| {target.name} | {_code(target.call)} | {_code(target.baseline)} | {target.n:,} | "
        f"{len(runs['call'])} | {a:.4f} s | {b:.4f} s | {ratio:.2f} | {limit} | {met} | {cpu:.0f} |"
    )


def memory_row(target: Target, r: dict) -> str:
    met = "yes" if r["peak_mb"] < LIMIT_MB else "**no**"
    return (
        f"| {target.name} | {_code(target.call)} | — | {target.n:,} | 1 | {r['peak_mb']:,.0f} MiB peak "
        f"({r['base_mb']:,.0f} after imports and set-up; {r['seconds']:.1f} s) | | | < {LIMIT_MB:,.0f} MiB "
        f"| {met} | {100 * r['cpu'] / r['seconds']:.0f} |"
    )


def report(quick: bool, repeats: int) -> list[str]:
    """Run everything (timing child, then one process per memory target); the markdown."""
    print("timed targets (one process)", file=sys.stderr, flush=True)
    timed = _child(["--timing", "--repeats", str(repeats), *(["--quick"] if quick else [])])
    rows = []
    for target in targets(quick):
        if target.memory:
            print(f"  {target.name} (fresh process)", file=sys.stderr, flush=True)
            rows.append(
                memory_row(target, _child(["--memory", target.name, *(["--quick"] if quick else [])]))
            )
        else:
            rows.append(speed_row(target, timed[target.name]))
    return [
        "# Performance targets" + (" (quick sizes)" if quick else ""),
        "",
        f"{environment()}; 1 BLAS thread; measured {time.strftime('%Y-%m-%d %H:%M')} by "
        "`python -m benchmarks.targets" + (" --quick" if quick else "") + "`.",
        "",
        "Timed rows: median wall seconds of each call over the repeats, run in turn (A, B, A, B, ...) "
        "in one process after one untimed warm-up each; seed `s` = 2024 + repeat; ratio = median of the call "
        "/ median of the baseline. Memory rows: peak resident memory (VmHWM) of a fresh process after the "
        "whole call. `CPU %`: the call's CPU time over its wall time (well below 100: it waited for a core).",
        "",
        "| target | call measured (finmodel) | baseline | n | repeats | call | baseline | ratio | target "
        "| met | CPU % |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
        *rows,
    ]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.targets", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes and 3 repeats: a smoke test")
    p.add_argument(
        "--repeats", type=int, default=None, help="timed repeats of each call (default 45; 3 with --quick)"
    )
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "targets.md"))
    p.add_argument("--timing", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--memory", metavar="TARGET", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else REPEATS)
    if args.timing:
        timing_main(args.quick, repeats)
    elif args.memory:
        memory_main(args.quick, args.memory)
    else:
        publish(report(args.quick, repeats), args.out)


if __name__ == "__main__":
    main()
