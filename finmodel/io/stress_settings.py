"""The ``[stress]`` section of a scenario file: which stress analyses to run, and how.

.. code-block:: toml

    [stress]
    metric = "npv"                 # what the tornado and switching values look at
    tornado = true                 # each input alone at its P10 and P90
    points = [0.1, 0.9]            # or "cases" for each input's low and high
    switching = true               # the value of each input at which the metric reaches target
    target = 0.0
    breach = { metric = "cumulative_net", op = "<", threshold = 0, year = "2019/20" }

Reading checks every key against the model (the metrics and years it has, the inputs it
names), so ``finmodel run`` never fails half-way through a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finmodel.core.errors import FinmodelError
from finmodel.io.layout import BREACH_KEYS, STRESS_KEYS
from finmodel.io.read_values import Values
from finmodel.io.toml_writer import assignment, inline_table, show
from finmodel.model.base import Model

__all__ = ["BreachSettings", "StressSettings", "read_stress", "write_stress"]

OPS = (">", ">=", "<", "<=")


@dataclass(frozen=True)
class BreachSettings:
    """The breach a file asks the probability of: ``metric op threshold`` (in ``year``).

    Examples
    --------
    >>> BreachSettings("npv", "<", 0.0).year is None
    True
    """

    metric: str
    op: str
    threshold: float | str
    year: str | None = None

    def __post_init__(self) -> None:
        if self.op not in OPS:
            raise FinmodelError(f"BreachSettings: op ({self.op!r}) must be one of {', '.join(OPS)}")


@dataclass(frozen=True)
class StressSettings:
    """How a file asks to be stress-tested (the ``[stress]`` section).

    Attributes
    ----------
    metric : str or None
        The metric of the tornado and the switching values (None: ``npv`` for a case,
        ``total_net_pressure`` for a plan).
    year : str or None
        Its year, for a per-year metric.
    tornado : bool
    points : tuple of float, or "cases"
        The tornado's swing points.
    switching : bool
    target : float
        The value the switching values reach.
    inputs : tuple of str, or None
        The inputs to analyse (None: every one that can vary).
    breach : BreachSettings or None
        A breach whose probability a simulation reports.

    Examples
    --------
    >>> StressSettings().points
    (0.1, 0.9)
    """

    metric: str | None = None
    year: str | None = None
    tornado: bool = True
    points: tuple[float, ...] | str = (0.1, 0.9)
    switching: bool = True
    target: float = 0.0
    inputs: tuple[str, ...] | None = None
    breach: BreachSettings | None = None


def _metric(r: Values, model: Model, spec: dict[str, Any], path: str, required: bool) -> tuple[str | None, str | None]:
    """A metric of the model and, for a per-year one, a year on its timeline."""
    metric = r.optional(spec, path, "metric", r.text)
    if metric is None:
        if required:
            raise r.fail(path, 'missing key "metric"')
        return None, None
    if metric not in model.available:
        raise r.fail(f"{path}.metric", f"{show(metric)} is not a metric of the model (metrics: {', '.join(model.available)})")
    year = r.optional(spec, path, "year", r.year)
    per_year = model.metrics[metric].per_year
    if per_year and year is None:
        raise r.fail(path, f'{show(metric)} has one value per year: give "year"')
    if not per_year and year is not None:
        raise r.fail(f"{path}.year", f"{show(metric)} has one value per trial: leave the year out")
    if year is not None and year not in model.timeline.labels:
        raise r.fail(f"{path}.year", f"{show(year)} is not on the model's timeline ({', '.join(model.timeline.labels)})")
    return metric, year


def _points(r: Values, value: Any, path: str) -> tuple[float, ...] | str:
    if value == "cases":
        return "cases"
    found = [r.number(v, f"{path}[{i}]") for i, v in enumerate(r.array(value, path))]
    if len(found) != 2 or not 0 < found[0] < found[1] < 1:
        raise r.fail(path, f'expected two increasing percentiles between 0 and 1, or "cases", got {show(value)}')
    return tuple(found)


def _breach(r: Values, value: Any, path: str, model: Model) -> BreachSettings:
    spec = r.table(value, path, BREACH_KEYS, ("metric", "op", "threshold"))
    metric, year = _metric(r, model, spec, path, required=True)
    op = spec["op"]
    if op not in OPS:
        raise r.fail(f"{path}.op", f"expected one of {', '.join(map(show, OPS))}, got {show(op)}")
    assert metric is not None
    raw = spec["threshold"]
    if model.metrics[metric].units == "year":
        threshold: float | str = r.year(raw, f"{path}.threshold")
    else:
        threshold = r.number(raw, f"{path}.threshold")
    return BreachSettings(metric, op, threshold, year)


def read_stress(r: Values, value: Any, model: Model) -> StressSettings:
    """``[stress]``: the analyses to run and their settings, checked against the model."""
    spec = r.table(value, "stress", STRESS_KEYS)
    metric, year = _metric(r, model, spec, "stress", required=False)
    if metric is not None and model.metrics[metric].units == "year":
        raise r.fail("stress.metric", f"{show(metric)} is a year; give a money metric (payback belongs in a breach)")
    names = {leaf.name for leaf in model.leaves() if leaf.name is not None}
    inputs = r.optional(spec, "stress", "inputs", r.labels)
    for i, name in enumerate(inputs or ()):
        if name not in names:
            raise r.fail(f"stress.inputs[{i}]", f"{show(name)} is not a named input of the model ({', '.join(sorted(names))})")
    return StressSettings(
        metric,
        year,
        r.optional(spec, "stress", "tornado", r.flag, True) is True,
        r.optional(spec, "stress", "points", lambda v, p: _points(r, v, p), (0.1, 0.9)) or (0.1, 0.9),
        r.optional(spec, "stress", "switching", r.flag, True) is True,
        r.optional(spec, "stress", "target", r.number, 0.0) or 0.0,
        tuple(inputs) if inputs is not None else None,
        r.optional(spec, "stress", "breach", lambda v, p: _breach(r, v, p, model)),
    )


def write_stress(settings: StressSettings) -> list[str]:
    """The lines of a ``[stress]`` section (its header included), only the keys that differ from the defaults."""
    default = StressSettings()
    out = ["", "[stress]"]
    if settings.metric is not None:
        out.append(assignment("metric", settings.metric))
    if settings.year is not None:
        out.append(assignment("year", settings.year))
    for key in ("tornado", "points", "switching", "target"):
        value = getattr(settings, key)
        if value != getattr(default, key):
            out.append(assignment(key, list(value) if isinstance(value, tuple) else value))
    if settings.inputs is not None:
        out.append(assignment("inputs", list(settings.inputs)))
    if settings.breach is not None:
        b = settings.breach
        items: dict[str, Any] = {"metric": b.metric, "op": b.op, "threshold": b.threshold}
        if b.year is not None:
            items["year"] = b.year
        out.append(f"breach = {inline_table(items)}")
    return out
