"""Results of evaluating or simulating a model.

Both kinds answer every question the same way, ``samples``, ``mean``, ``quantiles``,
``probability``, and both give the council table (for a simulation, of the means). A
deterministic scenario is one trial. Nothing is computed before it is asked for: a
result holds the model, how its trials are drawn, and a store of what has been computed
(see :mod:`finmodel.engine.passes`); asking for a metric or a table computes it, bit for
bit as if it had been computed at once.

Payback is a financial year: ``payback_year`` is the label of the year from which the
cumulative net stays in credit, or :data:`NOT_WITHIN` when that does not happen within
the timeline, from ``evaluate``, ``samples`` and ``quantiles`` alike. ``payback_years``
is the same event as a number of years (linear within the year), ``inf`` where
``payback_year`` reads :data:`NOT_WITHIN`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.core.amounts import Leaf
from finmodel.core.discount import FirstYear, npv
from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS, check_units, format_money, round_half_up
from finmodel.engine.hooks import Accessor, render_html
from finmodel.engine.means import quantiles, trial_mean
from finmodel.engine.passes import Store
from finmodel.model.base import Model, Row
from finmodel.model.flows import fold_years

__all__ = ["NOTHING_UNCERTAIN", "NOT_WITHIN", "CaseEvaluation", "CaseSimulation", "Evaluation", "Provenance", "Results", "Simulation"]

#: How a payback that does not happen within the timeline reads, everywhere.
NOT_WITHIN = "not within the timeline"

#: The note of a simulation in which no input varies (``Simulation.varying_inputs`` is empty).
NOTHING_UNCERTAIN = "nothing in this model is uncertain: every trial is the same, so P10 = P50 = P90"

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True)
class Provenance:
    """What produced a result: enough to reproduce it exactly.

    Attributes
    ----------
    finmodel : str
        The library's version.
    model : str
        The model's name.
    scenario : str
    trials : int
    seed : int or None
        The entropy of the seed sequence the draws came from (an int given as ``seed``,
        or the one numpy chose for ``seed=None``); None for a deterministic scenario.
    spawn_key : tuple of int
        Where in the seed's tree the draws came from (empty for an int seed).
    method : str
        ``"random"``, ``"lhs"``, ``"given"`` (inputs given by :func:`run_trials`) or
        ``"scenario"`` (one deterministic trial).
    chunk_invariant : bool
        Results do not depend on the chunk size (always true: one stream per input).
    source : str
        The citation of the model's figures, where known (a scenario file's ``source``).
    file_sha256 : str or None
        The SHA-256 of the scenario file the model was read from, where there is one.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", fm.Range(1, 2))])
    >>> p = fm.simulate(case, n=100, seed=7).provenance
    >>> p.seed, p.method, p.trials
    (7, 'random', 100)
    """

    finmodel: str
    model: str
    scenario: str
    trials: int
    seed: int | None
    spawn_key: tuple[int, ...]
    method: str
    chunk_invariant: bool = True
    source: str = ""
    file_sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The provenance as plain values, for JSON, CSV headers and workbook properties."""
        return asdict(self)


class Results:
    """Per-trial metrics of one model under one scenario (base of Evaluation and Simulation).

    Attributes
    ----------
    model : MTFP or CostBenefitCase
    scenario : str
        The scenario's name ("low", "plan B", "simulation").
    n : int
        Number of trials (1 for a deterministic scenario).
    provenance : Provenance
        What produced the result.
    plot : ResultsPlot
        Charts of the result (``sim.plot.fan("net")``); see :mod:`finmodel.outputs.charts`.
    to_excel : ExcelWriter
        ``result.to_excel(path)`` writes the result as a workbook; see :mod:`finmodel.outputs.workbook`.
    """

    #: charts of this result, registered by the outputs layer (see :mod:`finmodel.engine.hooks`)
    plot = Accessor("plot")
    #: the result as an Excel workbook, registered by the outputs layer
    to_excel = Accessor("to_excel")

    def __init__(self, model: Model, scenario: str, n: int, store: Store, provenance: Provenance) -> None:
        self.model = model
        self.scenario = scenario
        self.n = n
        self._store = store
        self.provenance = provenance

    # -- what there is -----------------------------------------------------------------
    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics that can be asked for (see :meth:`describe_metrics`)."""
        return self.model.available

    def describe_metrics(self) -> pd.DataFrame:
        """Every metric of the model: whether it is per year, its units and what it means.

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)])
        >>> fm.evaluate(case).describe_metrics().loc["npv", "description"]
        'net present value of the in-year net flows'
        """
        rows = [
            (m.name, m.per_year, m.units, m.description)
            for m in (self.model.metrics[name] for name in self.metrics)
        ]
        return pd.DataFrame(rows, columns=["metric", "per_year", "units", "description"]).set_index("metric")

    @property
    def years(self) -> tuple[str, ...]:
        """The financial-year labels of the model's timeline."""
        return self.model.timeline.labels

    # -- values ------------------------------------------------------------------------
    def _values(self, metric: str) -> np.ndarray:
        """A metric's kept values: shape (years, trials) or (trials,)."""
        if metric not in self.model.available:
            known = ", ".join(self.model.available)
            raise FinmodelError(f"{self._who()}: no metric {metric!r} (metrics: {known})")
        (values,) = self._store.get([metric])
        return values

    def _is_year(self, metric: str) -> bool:
        return self.model.metrics[metric].units == "year"

    def samples(self, metric: str) -> Any:
        """Per-trial values of a metric, or the draws of a named input.

        Parameters
        ----------
        metric : str
            A metric (see :attr:`metrics`), or the ``name=`` of an uncertain input.

        Returns
        -------
        numpy.ndarray or pandas.Categorical
            Shape (trials, years) for a per-year metric, (trials,) otherwise; read-only.
            ``payback_year`` gives year labels (:data:`NOT_WITHIN` where the case has not
            paid back), as an ordered categorical.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8, name="run rate"))],
        ...                           [fm.Cost("k", [9, 1])])
        >>> sim = fm.simulate(case, n=1_000, seed=1)
        >>> sim.samples("net").shape, sim.samples("run rate").shape
        ((1000, 2), (1000,))
        >>> sim.samples("payback_year")[:2].tolist()
        ['2019/20', '2019/20']
        """
        if metric not in self.model.metrics and metric in self._named_inputs():
            (values,) = self._store.inputs([self._named_inputs()[metric]])
            return _read_only(values)
        values = self._values(metric)
        if self._is_year(metric):
            return pd.Categorical.from_codes(values, categories=pd.Index([*self.years, NOT_WITHIN]), ordered=True)
        return _read_only(values.T)

    def inputs(self) -> pd.DataFrame:
        """Every uncertain input's value in each trial, one column per input.

        Columns are the inputs' names (``name=``), or their descriptions where they have
        none. Inputs a scenario fixes hold their fixed value.

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2),
        ...     [fm.Benefit("b", fm.Range(4, 8, name="run rate"), delivery=fm.Beta(9, 1, name="delivery"))])
        >>> list(fm.simulate(case, n=100, seed=1).inputs().columns)
        ['run rate', 'delivery']
        """
        leaves = self.model.leaves()
        values = self._store.inputs(leaves)
        columns = _input_labels(leaves)
        return pd.DataFrame(dict(zip(columns, values, strict=True)), columns=columns)

    def _named_inputs(self) -> dict[str, Leaf]:
        return {leaf.name: leaf for leaf in self.model.leaves() if leaf.name is not None}

    def _per_year(self, metric: str) -> bool:
        if metric not in self.model.available:
            self._values(metric)  # says which metrics there are
        return self.model.metrics[metric].per_year

    def _select(self, metric: str, year: str | None) -> np.ndarray:
        """Values as (rows, trials): one row per year, or the chosen year, or the one value.

        A year of a metric derived from kept values is derived alone: asking for the
        cumulative net in 2019/20 does not keep every year of it."""
        per_year = self._per_year(metric)
        if year is None:
            values = self._values(metric)
            return values if per_year else values[None, :]
        if not per_year:
            raise FinmodelError(f"{self._who()}: metric {metric!r} has one value per trial, not one per year")
        return self._store.row(metric, self.model.timeline.index(year))[None, :]

    def _threshold(self, metric: str, threshold: Any) -> float:
        if self._is_year(metric) and isinstance(threshold, str):
            if threshold == NOT_WITHIN:
                return float(self.model.timeline.length)
            return float(self.model.timeline.offset(threshold))
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)):
            raise FinmodelError(f"{self._who()}: threshold ({threshold!r}) must be a number")
        if not np.isfinite(threshold) and not np.isinf(threshold):
            raise FinmodelError(f"{self._who()}: threshold ({threshold!r}) must be a number, not NaN")
        return float(threshold)

    def mean(self, metric: str, year: str | None = None) -> float | pd.Series:
        """Mean over trials: a float, or a Series by year for a per-year metric.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Uniform(0, 2))])
        >>> round(fm.simulate(case, n=10_000, seed=1).mean("run_rate"), 2)
        1.0
        """
        if self._is_year(metric):
            raise FinmodelError(
                f"{self._who()}: {metric!r} is a financial year; ask for its quantiles or probabilities"
            )
        found = trial_mean(self._select(metric, year)) + 0.0
        if self._per_year(metric) and year is None:
            return pd.Series(found, index=list(self.years), name=metric)
        return float(found[0])

    def quantiles(self, metric: str, q: Sequence[float] | float, year: str | None = None) -> Any:
        """Quantiles over trials (numpy's default, linear interpolation).

        Returns a DataFrame (one row per quantile, one column per year) for a per-year
        metric, otherwise a Series indexed by quantile. ``payback_year`` quantiles are
        year labels (:data:`NOT_WITHIN` where the case has not paid back).

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Uniform(0, 2))])
        >>> fm.simulate(case, n=10_000, seed=1).quantiles("run_rate", [0.5]).round(1).tolist()
        [1.0]
        """
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        if qs.ndim != 1 or np.any((qs < 0) | (qs > 1)) or not np.all(np.isfinite(qs)):
            raise FinmodelError(f"{self._who()}: quantiles q ({q!r}) must lie in [0, 1]")
        rows = self._select(metric, year)
        index = pd.Index(qs, name="q")
        if self._is_year(metric):
            found = np.quantile(rows[0], qs, method="inverted_cdf")
            labels = [*self.years, NOT_WITHIN]
            return pd.Series([labels[int(v)] for v in found], index=index, name=metric)
        found = np.column_stack([quantiles(row, qs) for row in rows]) + 0.0
        if self._per_year(metric) and year is None:
            return pd.DataFrame(found, index=index, columns=list(self.years))
        return pd.Series(found[:, 0], index=index, name=metric)

    def probability(self, metric: str, op: str, threshold: Any, year: str | None = None) -> Any:
        """Share of trials in which ``metric op threshold`` holds.

        A float for a one-per-trial metric or when ``year`` is given; otherwise a Series
        by year. For ``payback_year`` the threshold may be a year label:
        ``probability("payback_year", "<=", "2019/20")``.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Uniform(0, 2))])
        >>> round(fm.simulate(case, n=100_000, seed=1).probability("run_rate", ">=", 1.5), 2)
        0.25
        """
        if op not in _OPS:
            raise FinmodelError(f"{self._who()}: op ({op!r}) must be one of {', '.join(_OPS)}")
        limit = self._threshold(metric, threshold)
        rows = self._select(metric, year)
        shares = np.array([np.count_nonzero(_OPS[op](row, limit)) for row in rows]) / self.n
        if self._per_year(metric) and year is None:
            return pd.Series(shares, index=list(self.years), name=f"P({metric} {op} {threshold})")
        return float(shares[0])

    # -- tables ------------------------------------------------------------------------
    def _row_values(self, rows: Sequence[Row]) -> list[np.ndarray]:
        """Each row's mean over trials, by year."""
        kept = self._store.kept
        flows = [row.source for row in rows if not (isinstance(row.source, str) and row.source in kept)]
        means = dict(zip(flows, self._store.mean(flows), strict=True)) if flows else {}
        out = []
        for row in rows:
            source = row.source
            if isinstance(source, str) and source in kept:
                values = trial_mean(kept[source])
            else:
                values = means[source]
            out.append(row.sign * values if row.sign != 1 else values)
        return out

    def table(
        self,
        basis: str | None = None,
        *,
        units: str | None = None,
        decimals: int | None = None,
        by: str | None = None,
    ) -> pd.DataFrame:
        """The council table: one row per printed row, one column per year plus "Total".

        Parameters
        ----------
        basis : str, optional
            For a cost/benefit case the benefit basis, ``"in-year"`` (default) or
            ``"incremental"``; for an MTFP ``"incremental"`` (default, each year's
            change) or ``"cumulative"`` (each year's level, or the brought-forward layout).
        units : {"£m", "£k", "£", "£bn"}, optional
            Convert from the model's units.
        decimals : int, optional
            Round at the end (published tables round only what they print).
        by : str, optional
            Group or detail rows: ``"line"`` for a case; ``"type"``, ``"category"`` or
            ``"owner"`` for an MTFP.

        Returns
        -------
        pandas.DataFrame
            The Total cell is blank (NaN) for rows that are levels or running totals, as
            the papers print them. The columns' name states the model, the units and the
            basis; ``attrs`` holds ``basis``, ``units``, ``scenario``, ``trials`` and ``provenance``
            (:attr:`provenance` as a dict).

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> plan = fm.MTFP("p", years, [fm.Pressure("Demography", [1.0, 0.5]), fm.Saving("Efficiency", [0.4, 0.4])])
        >>> fm.evaluate(plan).table(units="£k").loc["Net Pressure / (Saving)"].tolist()
        [600.0, 100.0, 700.0]
        """
        choice = self.model.bases[0] if basis is None else basis
        rows = self.model.rows(choice, by)
        to_units = check_units(units, "table: units") if units is not None else self.model.units
        factor = UNITS[self.model.units] / UNITS[to_units]
        shown = np.array(self._row_values(rows), dtype=float).reshape(len(rows), self.model.timeline.length)
        if factor != 1:
            shown *= factor
        shown += 0.0  # no -0.0 in a table
        totals = fold_years(shown.T)  # each row's years added first to last, as the NPV's are
        totals[[row.total != "sum" for row in rows]] = np.nan
        data = np.column_stack([shown, totals])
        caption = f"{self.model.name} ({to_units}; {self.model.basis_noun} {choice})"
        if self.n > 1:
            caption += f", mean of {self.n:,} trials"
        frame = pd.DataFrame(data, index=[r.label for r in rows], columns=pd.Index([*self.years, "Total"], name=caption))
        frame.attrs.update(basis=choice, units=to_units, scenario=self.scenario, trials=self.n)
        frame.attrs["provenance"] = self.provenance.as_dict()  # what produced it, as the result says
        if decimals is not None:
            frame = frame.map(lambda v: round_half_up(v, decimals))  # halves away from zero, as papers do
        return frame

    def report(
        self,
        basis: str | None = None,
        *,
        units: str | None = None,
        decimals: int = 1,
        by: str | None = None,
    ) -> str:
        """The table as text in council format: ``£5.8m``, negatives in brackets.

        Cost/benefit tables print negatives with a minus sign (``-£3m``), as the OCC case
        for change does; MTFP tables use brackets.

        Examples
        --------
        >>> import finmodel as fm
        >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Saving("Efficiency", [0.4, 0.4])])
        >>> print(fm.evaluate(plan).report())
        p (£m; view incremental)  2018/19  2019/20    Total
        Efficiency                 (£0.4m)  (£0.4m)  (£0.8m)
        Net Pressure / (Saving)    (£0.4m)  (£0.4m)  (£0.8m)
        Cumulative budget gap      (£0.4m)  (£0.8m)        –
        """
        frame = self.table(basis, units=units, by=by)
        to_units = frame.attrs["units"]
        brackets = self.model.negatives_in_brackets
        cells = [
            [format_money(float(v), to_units, decimals, brackets=brackets) for v in row] for row in frame.to_numpy()
        ]
        label_width = max(len(str(frame.columns.name)), *(len(str(i)) for i in frame.index))
        widths = [max(len(c), *(len(r[j]) for r in cells)) for j, c in enumerate(frame.columns)]
        lines = [
            str(frame.columns.name).ljust(label_width)
            + "  "
            + "  ".join(str(c).rjust(w) for c, w in zip(frame.columns, widths, strict=True))
        ]
        for label, row in zip(frame.index, cells, strict=True):
            lines.append(str(label).ljust(label_width) + "  " + "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        return "\n".join(lines)

    # -- helpers -----------------------------------------------------------------------
    def _year_label(self, code: float) -> str:
        return NOT_WITHIN if code >= self.model.timeline.length else self.years[int(code)]

    def _who(self) -> str:
        return f"{type(self).__name__} of {self.model.describe()} ({self.scenario})"

    def __repr__(self) -> str:
        trials = "1 trial" if self.n == 1 else f"{self.n:,} trials"
        return f"{type(self).__name__} of {self.model.describe()}: {self.scenario}, {trials}"

    def _repr_html_(self) -> str | None:
        """Jupyter's view: the council table, and for a simulation a summary and a chart."""
        return render_html(self)


def _read_only(values: np.ndarray) -> np.ndarray:
    view = values.view()
    view.flags.writeable = False
    return view


def _input_labels(leaves: Sequence[Leaf]) -> list[str]:
    labels: list[str] = []
    for leaf in leaves:
        label = leaf.name if leaf.name is not None else leaf.describe()
        while label in labels:
            label += "'"
        labels.append(label)
    return labels


class Evaluation(Results):
    """One deterministic scenario: every metric is a single value.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> fm.evaluate(plan).value("cumulative_gap").tolist()
    [1.0, 1.5]
    """

    def __repr__(self) -> str:
        return f"{super().__repr__()}\n{self.report()}"

    def value(self, metric: str) -> Any:
        """The single value of a metric: a float, a Series by year, or a year label.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", 4)])
        >>> fm.evaluate(case).value("benefit").tolist()
        [4.0, 4.0]
        """
        values = self._values(metric)
        if self._is_year(metric):
            return self._year_label(int(values[0]))
        if values.ndim == 2:
            return pd.Series(values[:, 0] + 0.0, index=list(self.years), name=metric)
        return float(values[0])


class CaseEvaluation(Evaluation):
    """One deterministic scenario of a cost/benefit case: run rate, payback, NPV, ROI.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [5, 1])])
    >>> low = fm.evaluate(case, "low")
    >>> low.run_rate, low.payback_year, low.npv(rate=0.0)
    (4.0, '2019/20', 2.0)
    """

    def __repr__(self) -> str:
        units = self.model.units
        figures = (
            f"run rate {format_money(self.run_rate, units, brackets=False)}; payback {self.payback_year}; "
            f"NPV {format_money(self.npv(), units, brackets=False)}"
        )
        return f"{super().__repr__()}\n{figures}"

    @property
    def run_rate(self) -> float:
        """On-going annual benefit once fully delivered."""
        return float(self.value("run_rate"))

    @property
    def net_run_rate(self) -> float:
        """On-going annual benefit less the on-going annual cost of recurring costs."""
        return float(self.value("net_run_rate"))

    @property
    def payback_year(self) -> str:
        """The year from which the cumulative net (in-year) stays >= 0, or :data:`NOT_WITHIN`."""
        return str(self.value("payback_year"))

    @property
    def payback_years(self) -> float:
        """Years until the cumulative net (in-year) stays >= 0, linear within the year.

        ``inf`` where the case does not pay back within the timeline (``payback_year``
        then reads :data:`NOT_WITHIN`).
        """
        return float(self.value("payback_years"))

    @property
    def peak_run_rate(self) -> float:
        """The most benefit received in any one year (the run rate of a programme that stops)."""
        return float(self.value("peak_run_rate"))

    @property
    def final_run_rate(self) -> float:
        """The benefit received in the last year of the timeline."""
        return float(self.value("final_run_rate"))

    @property
    def roi(self) -> float:
        """Return on investment over the timeline: (benefit - cost) / cost."""
        return float(self.value("roi"))

    def npv(self, rate: float | None = None, first_year: FirstYear | None = None) -> float:
        """Net present value of the in-year net flows.

        Parameters
        ----------
        rate : float, optional
            Flat discount rate; ``None`` uses the model's setting (the Green Book STPR
            schedule unless the case says otherwise).
        first_year : {"undiscounted", "discounted"}, optional
        """
        return float(_npv(self, rate, first_year)[0])


class Simulation(Results):
    """A Monte Carlo simulation: per-trial samples of each metric, tables of the means.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [5, 1])])
    >>> sim = fm.simulate(case, n=10_000, seed=7)
    >>> sim.samples("net").shape
    (10000, 2)
    >>> float(sim.probability("payback_year", "<=", "2019/20"))
    1.0
    """

    def __repr__(self) -> str:
        """The trials, the seed, and P10/P50/P90 of the metrics already computed (no new pass)."""
        p = self.provenance
        seed = f", seed {p.seed}" if p.seed is not None else ""
        lines = [f"{super().__repr__()} ({p.method}{seed})"]
        units, brackets = self.model.units, self.model.negatives_in_brackets
        for metric in self.model.headline:
            if metric not in self._store.kept or self.model.metrics[metric].units != "money":
                continue
            found = self.quantiles(metric, [0.1, 0.5, 0.9])
            frame = found if isinstance(found, pd.DataFrame) else found.to_frame(metric)
            shown = frame.map(lambda v: format_money(float(v), units, 1, brackets=brackets))
            shown.index = pd.Index(["P10", "P50", "P90"])
            shown.columns.name = f"{metric} ({units})"
            lines.append(shown.to_string())
        return "\n".join(lines)

    def summary(self, q: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Mean and quantiles of every one-per-trial metric, and of each year of the others.

        Year-valued metrics (payback) are left out: ask for their quantiles.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8))])
        >>> list(fm.simulate(case, n=1_000, seed=1).summary().columns)
        ['mean', 'P10', 'P50', 'P90']
        """
        names = [m for m in self.metrics if not self._is_year(m)]
        self._store.get(names)
        records = {}
        for metric in names:
            values = self._values(metric)
            rows = values if values.ndim == 2 else values[None, :]
            labels = [f"{metric} {y}" for y in self.years] if values.ndim == 2 else [metric]
            means = trial_mean(rows)
            for label, row, mean in zip(labels, rows, means, strict=True):
                records[label] = [float(mean) + 0.0, *(quantiles(row, np.asarray(q, dtype=float)) + 0.0)]
        frame = pd.DataFrame.from_dict(records, orient="index", columns=["mean", *(f"P{round(100 * x)}" for x in q)])
        if not self.varying_inputs:
            frame.attrs["note"] = NOTHING_UNCERTAIN
        return frame

    @property
    def varying_inputs(self) -> tuple[str, ...]:
        """The inputs that vary from trial to trial, labelled as in :meth:`inputs`.

        Empty when nothing in the model is uncertain (or a scenario fixes every uncertain
        input): every trial is then the same, and ``summary().attrs["note"]`` says so
        (:data:`NOTHING_UNCERTAIN`).

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)])
        >>> fm.simulate(case, n=100, seed=1).varying_inputs
        ()
        """
        leaves = self.model.leaves()
        store = self._store
        drawn = {leaf for leaf in store.leaves if leaf.support[1] > leaf.support[0]}
        given = {leaf for leaf, v in store.fixed.items() if isinstance(v, np.ndarray) and np.ptp(v) > 0}
        labels = _input_labels(leaves)
        return tuple(label for label, leaf in zip(labels, leaves, strict=True) if leaf in drawn or leaf in given)


class CaseSimulation(Simulation):
    """A Monte Carlo simulation of a cost/benefit case."""

    def npv(self, rate: float | None = None, first_year: FirstYear | None = None) -> np.ndarray:
        """Per-trial net present values; with no arguments, exactly ``samples("npv")``.

        Examples
        --------
        >>> import finmodel as fm
        >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(4, 8))],
        ...                           [fm.Cost("k", [9, 1, 0])])
        >>> sim = fm.simulate(case, n=1_000, seed=3)
        >>> bool((sim.npv() == sim.samples("npv")).all()), bool((sim.npv(0.1) < sim.npv(0.0)).all())
        (True, True)
        """
        return _npv(self, rate, first_year)


def _npv(results: Results, rate: float | None, first_year: FirstYear | None) -> np.ndarray:
    model = results.model
    if rate is None and first_year is None:
        return np.array(results.samples("npv"))  # the case's own rate or factors
    use_rate = rate if rate is not None else getattr(model, "discount_rate", None)
    use_first: FirstYear = first_year if first_year is not None else getattr(model, "first_year", "undiscounted")
    return npv(results.samples("net"), use_rate, use_first)
