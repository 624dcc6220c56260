"""What an analysis looks at: a metric (in a year), its inputs, and conditions on it.

Every analysis in this layer asks about one number per trial: a one-per-trial metric
(``npv``, ``total_net_pressure``), or a per-year metric in one chosen year
(``cumulative_gap`` in 2019/20). :func:`metric_values` reads it from any result;
:class:`Condition` states a breach or a goal on it ("the gap in 2019/20 above £19.7m",
"NPV below zero", "payback later than 2020/21") and says in which trials it holds.
:func:`model_inputs` picks the inputs an analysis moves, labelled as
:meth:`~finmodel.engine.results.Results.inputs` labels them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from finmodel.core.amounts import Leaf
from finmodel.core.errors import FinmodelError
from finmodel.engine.convergence import default_metric
from finmodel.engine.results import NOT_WITHIN, Results, _input_labels
from finmodel.model.base import Model

__all__ = ["Condition", "Input", "default_metric", "metric_units", "metric_values", "model_inputs", "year_code"]

_OPS: dict[str, Callable[[Any, Any], Any]] = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _check_metric(model: Model, metric: str, year: str | None) -> None:
    if metric not in model.available:
        raise FinmodelError(f"{model.describe()}: no metric {metric!r} (metrics: {', '.join(model.available)})")
    per_year = model.metrics[metric].per_year
    if per_year and year is None:
        raise FinmodelError(
            f"{model.describe()}: metric {metric!r} has one value per year; choose one with year= "
            f"(one of {', '.join(model.timeline.labels)})"
        )
    if not per_year and year is not None:
        raise FinmodelError(f"{model.describe()}: metric {metric!r} has one value per trial; leave year out")
    if year is not None:
        model.timeline.index(year)


def metric_values(results: Results, metric: str, year: str | None = None) -> np.ndarray:
    """One value per trial of a metric (in ``year`` for a per-year metric), as floats.

    A year-valued metric (``payback_year``) gives the year's position on the timeline
    (0 for the first year; the number of years where the case has not paid back).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [5, 1])])
    >>> metric_values(fm.evaluate(case, "low"), "cumulative_net", "2019/20").tolist()
    [2.0]
    >>> metric_values(fm.evaluate(case, "low"), "payback_year").tolist()
    [1.0]
    """
    model = results.model
    _check_metric(model, metric, year)
    values = results.samples(metric)
    if model.metrics[metric].units == "year":
        return np.asarray(values.codes, dtype=float)
    values = np.asarray(values, dtype=float)
    return values[:, model.timeline.index(year)] if year is not None else values


def metric_units(model: Model, metric: str) -> str:
    """The units a metric's values are in: the model's (``"£m"``) for money, else the metric's own.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 1)], units="£k")
    >>> metric_units(case, "npv"), metric_units(case, "roi")
    ('£k', 'ratio')
    """
    units = model.metrics[metric].units
    return model.units if units == "money" else units


def year_code(model: Model, label: str) -> float:
    """A year label as the position :func:`metric_values` gives year-valued metrics.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", 1)])
    >>> year_code(case, "2019/20"), year_code(case, fm.NOT_WITHIN)
    (1.0, 3.0)
    """
    if label == NOT_WITHIN:
        return float(model.timeline.length)
    return float(model.timeline.index(label))


@dataclass(frozen=True)
class Condition:
    """A condition on one metric in each trial: a breach to test, or a goal to meet.

    Parameters
    ----------
    metric : str
        A metric of the model (``"npv"``, ``"cumulative_gap"``, ``"payback_year"``).
    op : {">", ">=", "<", "<="}
    threshold : float or str
        A number in the model's units, or a year label for ``payback_year``.
    year : str, optional
        The year, for a per-year metric.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(2, 8))],
    ...                           [fm.Cost("k", [9, 0, 0])])
    >>> late = Condition("payback_year", ">", "2019/20")
    >>> late.describe()
    'payback_year > 2019/20'
    >>> late.holds(fm.run_trials(case, {case.benefits[0].amount: [2, 5, 8]})).tolist()
    [True, False, False]
    """

    metric: str
    op: str
    threshold: float | str = 0.0
    year: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.metric, str) or not self.metric:
            raise FinmodelError(f"Condition: metric ({self.metric!r}) must be a metric's name")
        if self.op not in _OPS:
            raise FinmodelError(f"Condition on {self.metric!r}: op ({self.op!r}) must be one of {', '.join(_OPS)}")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float, str)):
            raise FinmodelError(f"Condition on {self.metric!r}: threshold ({self.threshold!r}) must be a number")
        if isinstance(self.threshold, (int, float)):
            if not np.isfinite(self.threshold):
                raise FinmodelError(f"Condition on {self.metric!r}: threshold ({self.threshold!r}) must be finite")
            object.__setattr__(self, "threshold", float(self.threshold))

    def limit(self, model: Model) -> float:
        """The threshold as a number comparable with :func:`metric_values`."""
        _check_metric(model, self.metric, self.year)
        is_year = model.metrics[self.metric].units == "year"
        if isinstance(self.threshold, str):
            if not is_year:
                raise FinmodelError(
                    f"Condition on {self.metric!r}: threshold ({self.threshold!r}) must be a number"
                )
            return year_code(model, self.threshold)
        if is_year:
            raise FinmodelError(
                f"Condition on {self.metric!r}: threshold ({self.threshold!r}) must be a year label such as '2019/20'"
            )
        return float(self.threshold)

    def values(self, results: Results) -> np.ndarray:
        """The metric's value in each trial (see :func:`metric_values`)."""
        return metric_values(results, self.metric, self.year)

    def holds(self, results: Results) -> np.ndarray:
        """Whether the condition holds, trial by trial (a boolean array)."""
        return np.asarray(_OPS[self.op](self.values(results), self.limit(results.model)))

    def margin(self, values: np.ndarray, model: Model) -> np.ndarray:
        """How far the values are inside the condition: >= 0 where it holds (for ``>=``, ``<=``).

        ``value - threshold`` for ``>`` and ``>=``, ``threshold - value`` for ``<`` and ``<=``.
        """
        limit = self.limit(model)
        return values - limit if self.op in (">", ">=") else limit - values

    def probability(self, results: Results) -> float:
        """The share of trials in which the condition holds."""
        return float(np.mean(self.holds(results)))

    def describe(self) -> str:
        """The condition in words: ``cumulative_gap in 2019/20 > 19.7``."""
        where = f" in {self.year}" if self.year is not None else ""
        threshold = self.threshold if isinstance(self.threshold, str) else f"{self.threshold:g}"
        return f"{self.metric}{where} {self.op} {threshold}"


@dataclass(frozen=True)
class Input:
    """One input an analysis moves: the model's leaf and its label in tables.

    Examples
    --------
    >>> import finmodel as fm
    >>> Input("Quick wins", fm.Range(8, 17)).label
    'Quick wins'
    """

    label: str
    leaf: Leaf


def model_inputs(
    model: Model, inputs: Iterable[Any] | None = None, *, certain: bool = False
) -> list[Input]:
    """The inputs an analysis moves, labelled like the columns of ``sim.inputs()``.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    inputs : iterable of input objects or names, optional
        Default: every input of the model that can vary (low below high).
    certain : bool
        Keep inputs that cannot vary (a :class:`~finmodel.Fixed`) in the default.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2),
    ...     [fm.Benefit("b", fm.Range(4, 8, name="run rate") * fm.Fixed(1.0, name="scale"))])
    >>> [i.label for i in model_inputs(case)], [i.label for i in model_inputs(case, certain=True)]
    (['run rate'], ['run rate', 'scale'])
    """
    leaves = model.leaves()
    labelled = [Input(label, leaf) for label, leaf in zip(_input_labels(leaves), leaves, strict=True)]
    if inputs is None:
        return [i for i in labelled if certain or _varies(i.leaf)]
    chosen = list(inputs) if not isinstance(inputs, (str, Leaf)) else [inputs]
    out = []
    for key in chosen:
        found = [i for i in labelled if (i.leaf is key if isinstance(key, Leaf) else i.label == key)]
        if not found:
            known = ", ".join(repr(i.label) for i in labelled)
            raise FinmodelError(f"{model.describe()}: no input {key!r} (inputs: {known})")
        out.append(found[0])
    return out


def _varies(leaf: Leaf) -> bool:
    low, high = leaf.support
    return bool(high > low)


def checked_inputs(model: Model, inputs: Sequence[Input], who: str) -> list[Input]:
    """Refuse an analysis with nothing to move."""
    if not inputs:
        raise FinmodelError(f"{who}: {model.describe()} has no uncertain input to move")
    return list(inputs)
