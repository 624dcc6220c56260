"""Metrics: what a model can report, registered beside the code that computes it.

A metric is declared on the model class, on the method that computes it, with its name,
whether it has a value per year, its units and a one-line description:

* a **flow** metric (``@flow``) is a sum of lines' values (a
  :class:`~finmodel.model.flows.Flow`), which the engine evaluates trial by trial from
  the inputs' draws;
* a **derived** metric (``@derived``) is computed from other metrics' values, trial by
  trial, by the method itself (``net = benefit - cost``).

The model class collects them into ``Model.metrics`` (a read-only mapping by name), so
``sim.metrics``, error messages and the documentation all come from one place, and
adding a metric is adding one decorated method.

Arrays passed to and returned by a derived metric have shape (years, trials) for a
per-year metric and (trials,) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Metric", "Units", "derived", "flow"]

#: ``money`` in the model's units; ``year`` a year of the timeline (payback); ``ratio`` a
#: pure number (return on investment, a discount factor); ``duration`` a number of years (a payback in years, how long reserves last).
Units = Literal["money", "year", "ratio", "duration"]


@dataclass(frozen=True)
class Metric:
    """One metric a model offers.

    Attributes
    ----------
    name : str
    per_year : bool
        One value per year (an array of shape (years, trials)) or one per trial.
    units : {"money", "year", "ratio", "duration"}
    description : str
        One line, shown in ``sim.metrics`` tables and the docs.
    needs : tuple of str
        For a derived metric, the metrics its method takes, in order; empty for a flow.
    may_be_infinite : bool
        Whether an infinite value is a legitimate answer (a return on no cost).
    to_date : bool
        For a per-year derived metric: whether each year's value comes from its needs'
        values up to that year only (a difference, a running total), so that one year's
        value can be derived from the years up to it alone, as the whole would give it.
    func : callable
        ``func(model)`` returns the metric's :class:`~finmodel.model.flows.Flow` (or None
        where the model has nothing for it); ``func(model, *arrays)`` for a derived metric.

    Examples
    --------
    >>> import finmodel as fm
    >>> m = fm.CostBenefitCase.metrics["npv"]
    >>> m.per_year, m.units, m.needs
    (False, 'money', ('net',))
    """

    name: str
    per_year: bool
    units: Units
    description: str
    needs: tuple[str, ...] = ()
    may_be_infinite: bool = False
    func: Callable[..., Any] = field(default=lambda *args: None, repr=False, compare=False)
    to_date: bool = False

    @property
    def is_flow(self) -> bool:
        """True for a sum of lines' values, evaluated from the inputs."""
        return not self.needs


def flow(name: str, *, description: str, per_year: bool = True, units: Units = "money") -> Callable[..., Any]:
    """Register a method returning a :class:`~finmodel.model.flows.Flow` as a metric.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.CostBenefitCase.metrics["benefit"].description
    'benefit received in each year (in-year basis)'
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__metric__ = Metric(name, per_year, units, description, (), False, func)  # type: ignore[attr-defined]
        return func

    return register


def derived(
    name: str,
    *,
    needs: tuple[str, ...],
    description: str,
    per_year: bool = True,
    units: Units = "money",
    may_be_infinite: bool = False,
    to_date: bool = False,
) -> Callable[..., Any]:
    """Register a method computing a metric from others (``needs``) as a metric.

    ``to_date=True`` declares that each year's value depends only on the needs' values up
    to that year (see :class:`Metric`): one year of it is then derived from those years.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.CostBenefitCase.metrics["net"].needs
    ('benefit', 'cost')
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__metric__ = Metric(name, per_year, units, description, tuple(needs), may_be_infinite, func, to_date)  # type: ignore[attr-defined]
        return func

    return register
