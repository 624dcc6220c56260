"""Progress of long simulations: a bar per pass where output is interactive, silence otherwise.

The engine never prints: it calls ``progress(done, total)`` after each chunk, and the
outputs layer turns ``progress=True | False | None`` into a tqdm bar or nothing
(through the engine's hook, :mod:`finmodel.engine.hooks`).
"""

from __future__ import annotations

import io

import pytest

import finmodel as fm
from finmodel.engine import hooks
from finmodel.outputs import progress

YEARS = fm.Timeline("2018/19", 4)


def case() -> fm.CostBenefitCase:
    return fm.CostBenefitCase(
        "OCC case", YEARS, [fm.Benefit("Quick wins", fm.Range(8, 17), fm.Profile.increments([2, 13, 13, 5]))],
        [fm.Cost("Implementation", [3, 8, 5, 1])],
    )


class Calls:
    def __init__(self) -> None:
        self.seen: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.seen.append((done, total))


def test_a_callable_hears_every_chunk_of_every_pass_including_later_ones():
    calls = Calls()
    sim = fm.simulate(case(), n=10_000, seed=1, chunk_size=4_000, progress=calls)
    assert calls.seen == [(4_000, 10_000), (8_000, 10_000), (10_000, 10_000)]
    sim.table()  # the means of the table's rows need a pass of their own
    assert calls.seen[3:] == [(4_000, 10_000), (8_000, 10_000), (10_000, 10_000)]
    sim.samples("npv")  # derived from the kept net: no pass
    assert len(calls.seen) == 6


def test_run_trials_reports_progress_too():
    calls = Calls()
    model = case()
    fm.run_trials(model, {model.benefits[0].run_rate: [8.0] * 3}, progress=calls).table()
    assert calls.seen[-1] == (3, 3)


def test_progress_true_draws_a_bar_per_pass_on_standard_error(capsys):
    sim = fm.simulate(case(), n=10_000, seed=1, chunk_size=5_000, progress=True)
    first = capsys.readouterr().err
    assert "OCC case:" in first and "/10000 trials" in first
    sim.table()
    assert "OCC case:" in capsys.readouterr().err


def test_automatic_progress_is_silent_when_output_is_not_interactive(capsys):
    assert progress.where_interactive() is None  # pytest captures the output
    sim = fm.simulate(case(), n=10_000, seed=1, chunk_size=5_000)
    sim.table()
    assert capsys.readouterr().err == ""
    assert sim._store.progress is None


def test_automatic_progress_shows_in_a_terminal_once_a_pass_is_slow(monkeypatch, capsys):
    monkeypatch.setattr(progress, "where_interactive", lambda: "terminal")
    monkeypatch.setattr(progress, "AUTO_DELAY", 0.0)
    fm.simulate(case(), n=10_000, seed=1, chunk_size=5_000)
    assert "OCC case:" in capsys.readouterr().err
    monkeypatch.setattr(progress, "AUTO_DELAY", 3_600.0)  # a pass quicker than the delay draws nothing
    fm.simulate(case(), n=10_000, seed=1, chunk_size=5_000)
    assert capsys.readouterr().err == ""


def test_progress_false_is_silent_even_in_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(progress, "where_interactive", lambda: "terminal")
    sim = fm.simulate(case(), n=10_000, seed=1, progress=False)
    assert sim._store.progress is None and capsys.readouterr().err == ""


def test_progress_refuses_other_values():
    with pytest.raises(fm.FinmodelError, match="progress"):
        fm.simulate(case(), n=100, seed=1, progress="yes")


def test_a_bar_opens_for_each_pass_and_closes_when_the_pass_is_done():
    out = io.StringIO()
    bar = progress.ProgressBar("plan", file=out)
    bar(5, 10)
    first = bar._bar
    assert first is not None and first.n == 5
    bar(10, 10)
    assert bar._bar is None  # closed at the end of the pass
    bar(5, 10)
    assert bar._bar is not None and bar._bar is not first
    bar(2, 10)  # fell back: a new pass (the last one failed part way)
    assert bar._bar.n == 2


def test_an_automatic_bar_is_not_even_made_for_a_pass_of_one_chunk(monkeypatch):
    made = []

    class Bar:
        def __init__(self, total: int, **options: object) -> None:
            made.append(total)
            self.n, self.total = 0, total

        def update(self, step: int) -> None:
            self.n += step

        def close(self) -> None:
            pass

    monkeypatch.setattr(progress, "_bar_class", lambda where: Bar)
    progress.ProgressBar("plan", "terminal", delay=1.0)(100, 100)
    assert made == []
    progress.ProgressBar("plan", "terminal", delay=0.0)(100, 100)  # progress=True: asked for
    assert len(made) == 1


def test_in_a_notebook_the_bar_is_a_widget_only_when_ipywidgets_is_there(monkeypatch):
    class ZMQInteractiveShell:
        pass

    monkeypatch.setattr(progress, "_ipython", lambda: ZMQInteractiveShell())
    assert progress.where_interactive() == "notebook"
    try:
        import ipywidgets  # noqa: F401

        expected = "tqdm.notebook"
    except ImportError:
        expected = "tqdm.std"  # text, redrawn in place in the cell's output
    assert progress._bar_class("notebook").__module__ == expected
    assert progress._bar_class("terminal").__module__ == "tqdm.std"


def test_without_a_registered_factory_the_engine_reports_nothing(monkeypatch):
    monkeypatch.setattr(hooks, "_hooks", {})
    assert hooks.progress_reporter(True, "plan") is None
    assert hooks.progress_reporter(None, "plan") is None
