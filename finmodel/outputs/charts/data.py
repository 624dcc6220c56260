"""What a chart reads from results, checked: the metric exists and has the right shape,
the year is on the timeline, and where the figures came from (for the footnote)."""

from __future__ import annotations

from typing import Any

from finmodel.core.errors import FinmodelError
from finmodel.engine.results import Results, Simulation
from finmodel.model.metrics import Metric

__all__ = ["check_metric", "check_results", "provenance_note", "year_index"]


def check_results(results: Any, chart: str, what: str = "results") -> Results:
    """``results`` if it is an Evaluation or a Simulation; else a clear error."""
    if not isinstance(results, Results):
        raise FinmodelError(
            f"{chart}: {what} ({type(results).__name__}) must be the result of fm.evaluate or fm.simulate"
        )
    return results


def check_metric(results: Results, metric: str, chart: str, *, per_year: bool | None = None) -> Metric:
    """The metric's registration, refusing one the model lacks or of the wrong shape.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)])
    >>> check_metric(fm.evaluate(case), "npv", "fan", per_year=True)
    Traceback (most recent call last):
    ...
    finmodel.core.errors.FinmodelError: fan: metric 'npv' has one value per trial, not one per year; draw it with histogram or cdf
    """
    if not isinstance(metric, str) or metric not in results.metrics:
        raise FinmodelError(
            f"{chart}: {results.model.describe()} has no metric {metric!r} (metrics: {', '.join(results.metrics)})"
        )
    found = results.model.metrics[metric]
    if per_year is True and not found.per_year:
        raise FinmodelError(
            f"{chart}: metric {metric!r} has one value per trial, not one per year; draw it with histogram or cdf"
        )
    if per_year is False and found.per_year:
        raise FinmodelError(f"{chart}: metric {metric!r} has a value per year; choose one with year=...")
    return found


def year_index(results: Results, year: Any, chart: str) -> int:
    """The position of ``year`` on the model's timeline."""
    try:
        return results.model.timeline.index(year)
    except (FinmodelError, TypeError, ValueError):
        shown = ", ".join(results.years)
        raise FinmodelError(f"{chart}: year ({year!r}) is not on the timeline ({shown})") from None


def provenance_note(results: Results) -> str:
    """One line saying what produced the figures: model, scenario or trials, seed, version.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Range(1, 2))])
    >>> provenance_note(fm.simulate(case, n=1_000, seed=7))
    'c: 1,000 trials (random), seed 7. finmodel 0.1.0.'
    """
    p = results.provenance
    if isinstance(results, Simulation):
        seed = f", seed {p.seed}" if p.seed is not None else ""
        run = f"{p.trials:,} trials ({p.method}){seed}"
    else:
        run = f"scenario {p.scenario}"
    source = f" Source: {p.source}." if p.source else ""
    return f"{p.model}: {run}. finmodel {p.finmodel}.{source}"
