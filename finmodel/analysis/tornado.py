"""One input at a time: the tornado (each input at two swing points) and the spider table.

Every other input stays where the scenario puts it (its central case by default), so each
bar is the effect of that input alone. All the one-at-a-time trials of a tornado or a
spider run in one :func:`~finmodel.engine.run.run_trials` call: ``1 + k * points``
trials for ``k`` inputs, through the same kernel as every other result.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.analysis.targets import (
    Input,
    checked_inputs,
    default_metric,
    metric_units,
    metric_values,
    model_inputs,
)
from finmodel.core.errors import FinmodelError
from finmodel.engine.run import run_trials
from finmodel.engine.scenario import Scenario, as_scenario
from finmodel.model.base import Model

__all__ = ["Spider", "Tornado", "spider", "tornado"]

#: The tornado's default swing points: each input's 10th and 90th percentiles.
SWING = (0.1, 0.9)
#: The spider's default points: percentiles of each input.
SPIDER = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
#: Most input values in one batch of designed trials (128 MB of float64): analyses of many
#: inputs run in blocks.
DESIGN_VALUES = 2**24


@dataclass(frozen=True)
class Tornado:
    """A tornado in the metric's units: each input alone at its two swing points.

    Attributes
    ----------
    metric : str
    year : str or None
        The year, for a per-year metric.
    base : float
        The metric with every input at the scenario's values (the tornado's spine).
    points : tuple of float or "cases"
        The percentiles each input was swung to, or ``"cases"`` (its low and high cases).
    table : pandas.DataFrame
        One row per input, largest swing first, indexed by the input's label, with columns
        ``low_value``, ``high_value`` (the input at its two points), ``low_result``,
        ``high_result`` (the metric with the input there and the rest at base) and
        ``swing`` (``|high_result - low_result|``). A chart draws one bar per row from
        ``low_result`` to ``high_result`` about ``base``.
    units : str
        The units of the metric: the model's (``"£m"``) for money, else ``"ratio"``...

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Uniform(0, 10, name="b")), fm.Benefit("s", fm.Uniform(0, 2, name="s"))])
    >>> t = tornado(case, "net", year="2018/19")
    >>> t.table.index.tolist(), t.table["swing"].round(2).tolist()
    (['b', 's'], [8.0, 1.6])
    >>> fig = fm.charts.tornado(t)  # draws its to_frame()
    """

    metric: str
    year: str | None
    base: float
    points: tuple[float, ...] | str
    table: pd.DataFrame
    units: str = "£m"

    def to_frame(self) -> pd.DataFrame:
        """The tornado as chart data (:func:`finmodel.charts.tornado` draws it as it is).

        Returns
        -------
        pandas.DataFrame
            One row per input, largest swing first: ``low`` and ``high`` (the metric with
            the input at its two points), ``base``, ``input_low`` and ``input_high`` (the
            input's two values); ``attrs`` carries ``metric``, ``year``, ``units`` and ``base``.

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Uniform(0, 10, name="b"))])
        >>> tornado(case, "run_rate").to_frame().round(2)
               low  high  base  input_low  input_high
        input
        b      1.0   9.0   5.0        1.0         9.0
        """
        frame = pd.DataFrame(
            {
                "low": self.table["low_result"],
                "high": self.table["high_result"],
                "base": self.base,
                "input_low": self.table["low_value"],
                "input_high": self.table["high_value"],
            },
            index=self.table.index,
        )
        frame.attrs.update(metric=self.metric, year=self.year, units=self.units, base=self.base)
        return frame

    def __repr__(self) -> str:
        where = f" in {self.year}" if self.year else ""
        return f"Tornado of {self.metric}{where} (base {self.base:,.4g}):\n{self.table.to_string()}"


@dataclass(frozen=True)
class Spider:
    """The metric as each input alone moves through its percentiles (a spider table).

    Attributes
    ----------
    metric, year, base
        As for :class:`Tornado`.
    points : tuple of float
        The percentiles of each input (the columns).
    results : pandas.DataFrame
        One row per input (largest range first), one column per percentile: the metric
        with that input at that percentile and the rest at base.
    values : pandas.DataFrame
        The same shape: the input's value at each percentile.
    units : str
        As for :class:`Tornado`.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Uniform(0, 10, name="b"))])
    >>> spider(case, "run_rate", points=(0.1, 0.5, 0.9)).results.round(2).values.tolist()
    [[1.0, 5.0, 9.0]]
    >>> fig = fm.charts.spider(spider(case, "run_rate"))  # draws its to_frame()
    """

    metric: str
    year: str | None
    base: float
    points: tuple[float, ...]
    results: pd.DataFrame
    values: pd.DataFrame
    units: str = "£m"

    def to_frame(self) -> pd.DataFrame:
        """The spider as chart data (:func:`finmodel.charts.spider` draws it as it is).

        Returns
        -------
        pandas.DataFrame
            Indexed by the input's percentile in per cent (named ``"input percentile (%)"``),
            one column per input: :attr:`results` turned on its side. ``attrs`` carries
            ``metric``, ``year``, ``units`` and ``base``.

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Uniform(0, 10, name="b"))])
        >>> spider(case, "run_rate", points=(0.1, 0.5, 0.9)).to_frame().round(2)
        input                  b
        input percentile (%)
        10.0                 1.0
        50.0                 5.0
        90.0                 9.0
        """
        frame = self.results.T.copy()
        frame.index = pd.Index(100.0 * frame.index.to_numpy(dtype=float), name="input percentile (%)")
        frame.attrs.update(metric=self.metric, year=self.year, units=self.units, base=self.base)
        return frame

    def __repr__(self) -> str:
        where = f" in {self.year}" if self.year else ""
        return f"Spider of {self.metric}{where} (base {self.base:,.4g}):\n{self.results.to_string()}"


def _percentiles(points: Any, least: int, who: str) -> tuple[float, ...]:
    try:
        found = tuple(float(p) for p in points)
    except (TypeError, ValueError):
        raise FinmodelError(f"{who}: points ({points!r}) must be percentiles between 0 and 1") from None
    if len(found) < least or not all(0 < p < 1 for p in found) or list(found) != sorted(set(found)):
        raise FinmodelError(
            f"{who}: points ({points!r}) must be at least {least} increasing percentiles strictly between 0 and 1"
        )
    return found


def one_at_a_time(
    model: Model,
    inputs: Sequence[Input],
    settings: Sequence[Sequence[float] | np.ndarray],
    metric: str,
    year: str | None,
    scenario: str | Scenario = "central",
) -> tuple[float, np.ndarray]:
    """The metric at base, and with input ``i`` alone at each value of ``settings[i]``.

    Returns ``(base, results)``, ``results[i, j]`` the metric with input ``i`` at
    ``settings[i][j]``; one :func:`run_trials` call of ``1 + sum(len(s))`` trials, or one
    per block of inputs when the design would hold more than :data:`DESIGN_VALUES` values.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1), [fm.Benefit("b", fm.Range(1, 3))])
    >>> base, found = one_at_a_time(case, model_inputs(case), [[1.0, 3.0]], "run_rate", None)
    >>> base, found.tolist()
    (2.0, [[1.0, 3.0]])
    """
    chosen = as_scenario(scenario)
    _, central = chosen.values(model)
    widths = [len(s) for s in settings]
    out = np.full((len(inputs), max(widths, default=0)), np.nan)
    base = np.nan
    # inputs in blocks, so that a block's design (trials x inputs) stays within DESIGN_VALUES
    per_block = max(1, int(np.sqrt(DESIGN_VALUES / max(widths, default=1))))
    for first in range(0, len(inputs), per_block):
        block = range(first, min(first + per_block, len(inputs)))
        total = 1 + sum(widths[i] for i in block)
        design = {}
        start = 1
        for i in block:
            column = np.full(total, central[inputs[i].leaf])
            column[start : start + widths[i]] = settings[i]
            design[inputs[i].leaf] = column
            start += widths[i]
        found = metric_values(run_trials(model, design, chosen), metric, year)
        base = float(found[0])
        start = 1
        for i in block:
            out[i, : widths[i]] = found[start : start + widths[i]]
            start += widths[i]
    return base, out


def tornado(
    model: Model,
    metric: str | None = None,
    *,
    year: str | None = None,
    points: Sequence[float] | str = SWING,
    inputs: Iterable[Any] | None = None,
    scenario: str | Scenario = "central",
) -> Tornado:
    """Each input alone at two swing points, the rest at base: the swing in the metric, in pounds.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    metric : str, optional
        Default ``npv`` for a case, ``total_net_pressure`` for a plan.
    year : str, optional
        The year, for a per-year metric (``"cumulative_gap"`` in ``"2019/20"``).
    points : (float, float) or "cases"
        The percentiles each input swings to (default its P10 and P90), or ``"cases"``
        for its low and high cases.
    inputs : iterable of inputs or names, optional
        Default: every input that can vary.
    scenario : str or Scenario
        Where the other inputs sit (default each at its central case).

    Returns
    -------
    Tornado

    Notes
    -----
    For input :math:`i` with swing points :math:`x_i^-, x_i^+` and the rest at base
    :math:`x^0`, the bar runs from :math:`f(x_i^-, x_{-i}^0)` to :math:`f(x_i^+, x_{-i}^0)`
    and its swing is their absolute difference. For a linear metric
    :math:`f = c + \\sum_i a_i x_i` the swing is :math:`|a_i| (x_i^+ - x_i^-)`.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2),
    ...     [fm.Benefit("Quick wins", fm.Range(8, 17, name="quick wins"))], [fm.Cost("IT", [10, 0])])
    >>> tornado(case, points="cases", scenario="central").table.loc["quick wins", ["low_result", "high_result"]].round(2).tolist()
    [5.73, 23.42]
    """
    metric = default_metric(model) if metric is None else metric
    chosen = checked_inputs(model, model_inputs(model, inputs), "tornado")
    if isinstance(points, str):
        if points != "cases":
            raise FinmodelError(f"tornado: points ({points!r}) must be two percentiles or 'cases'")
        settings = [[item.leaf.cases["low"], item.leaf.cases["high"]] for item in chosen]
        shown: tuple[float, ...] | str = "cases"
    else:
        shown = _percentiles(points, 2, "tornado")
        if len(shown) != 2:
            raise FinmodelError(f"tornado: points ({points!r}) must be two percentiles, a low and a high")
        settings = [item.leaf.ppf(np.array(shown)).tolist() for item in chosen]
    base, found = one_at_a_time(model, chosen, settings, metric, year, scenario)
    table = pd.DataFrame(
        {
            "low_value": [s[0] for s in settings],
            "high_value": [s[1] for s in settings],
            "low_result": found[:, 0],
            "high_result": found[:, 1],
            "swing": np.abs(found[:, 1] - found[:, 0]),
        },
        index=pd.Index([item.label for item in chosen], name="input"),
    )
    table = table.sort_values("swing", ascending=False, kind="stable")
    return Tornado(metric, year, base, shown, table, metric_units(model, metric))


def spider(
    model: Model,
    metric: str | None = None,
    *,
    year: str | None = None,
    points: Sequence[float] = SPIDER,
    inputs: Iterable[Any] | None = None,
    scenario: str | Scenario = "central",
) -> Spider:
    """Each input alone at several of its percentiles, the rest at base (a spider table).

    Parameters
    ----------
    model, metric, year, inputs, scenario
        As for :func:`tornado`.
    points : sequence of float
        Three or more increasing percentiles (default 5, 10, 25, 50, 75, 90 and 95%).

    Returns
    -------
    Spider

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 1),
    ...     [fm.Benefit("b", fm.Uniform(0, 10, name="b"))])
    >>> spider(case, "run_rate").results.columns.tolist()
    [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]
    """
    metric = default_metric(model) if metric is None else metric
    chosen = checked_inputs(model, model_inputs(model, inputs), "spider")
    shown = _percentiles(points, 3, "spider")
    settings = [item.leaf.ppf(np.array(shown)) for item in chosen]
    base, found = one_at_a_time(model, chosen, settings, metric, year, scenario)
    labels = pd.Index([item.label for item in chosen], name="input")
    columns = pd.Index(list(shown), name="percentile")
    results = pd.DataFrame(found, index=labels, columns=columns)
    values = pd.DataFrame(np.array(settings), index=labels, columns=columns)
    order = (results.max(axis=1) - results.min(axis=1)).sort_values(ascending=False, kind="stable").index
    return Spider(metric, year, base, shown, results.loc[order], values.loc[order], metric_units(model, metric))
