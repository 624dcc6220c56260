"""Results of evaluating or simulating a model.

Both kinds keep per-trial samples for each metric (a deterministic scenario is one
trial), so every question is asked the same way: ``samples``, ``mean``, ``quantiles``,
``probability``; and both give the council table (for a simulation, of the means).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from finmodel.core.discount import FirstYear, discount_factors
from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS, check_units, format_money, round_half_up
from finmodel.core.years import parse_year
from finmodel.model.base import Model, Row

__all__ = ["Evaluation", "Results", "Simulation"]

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_YEAR_VALUED = ("payback_year",)


class Results:
    """Per-trial metrics of one model under one scenario (base of Evaluation and Simulation)."""

    def __init__(
        self,
        model: Model,
        scenario: str,
        n: int,
        samples: Mapping[str, np.ndarray],
        rows: Callable[[str], np.ndarray],
    ) -> None:
        self.model = model
        self.scenario = scenario
        self.n = n
        # a Mapping, possibly lazy: a deterministic evaluation computes a metric when asked
        self._samples = samples
        self._row_values = rows

    # -- metrics -----------------------------------------------------------------------
    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics these results hold samples for."""
        return tuple(self._samples)

    @property
    def years(self) -> tuple[str, ...]:
        """The financial-year labels of the model's timeline."""
        return self.model.timeline.labels

    def samples(self, metric: str) -> np.ndarray:
        """Per-trial values: shape (trials, years) for a per-year metric, (trials,) otherwise.

        ``payback_year`` is the number of years after the first year (0 = the first
        year pays back) and ``inf`` when the case does not pay back within the timeline.
        The array is read-only.
        """
        if metric not in self._samples:
            known = ", ".join(self._samples)
            raise FinmodelError(f"{self._who()}: no metric {metric!r} (metrics: {known})")
        view = np.asarray(self._samples[metric]).view()
        view.flags.writeable = False
        return view

    def _select(self, metric: str, year: str | None) -> np.ndarray:
        values = self.samples(metric)
        if year is None:
            return values
        if values.ndim != 2:
            raise FinmodelError(f"{self._who()}: metric {metric!r} has one value per trial, not one per year")
        return values[:, self.model.timeline.index(year)]

    def _threshold(self, metric: str, threshold: Any) -> float:
        if metric in _YEAR_VALUED and isinstance(threshold, str):
            return float(parse_year(threshold, where="probability: threshold") - self.model.timeline.start)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)):
            raise FinmodelError(f"{self._who()}: threshold ({threshold!r}) must be a number")
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
        values = self._select(metric, year)
        if values.ndim == 2:
            return pd.Series(values.mean(axis=0), index=list(self.years), name=metric)
        return float(values.mean())

    def quantiles(self, metric: str, q: Sequence[float] | float, year: str | None = None) -> Any:
        """Quantiles over trials.

        Returns a DataFrame (one row per quantile, one column per year) for a per-year
        metric, otherwise a Series indexed by quantile. ``payback_year`` quantiles are
        year labels ("not within timeline" where the case has not paid back).

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Uniform(0, 2))])
        >>> fm.simulate(case, n=10_000, seed=1).quantiles("run_rate", [0.5]).round(1).tolist()
        [1.0]
        """
        qs = np.atleast_1d(np.asarray(q, dtype=float))
        if np.any((qs < 0) | (qs > 1)) or not np.all(np.isfinite(qs)):
            raise FinmodelError(f"{self._who()}: quantiles q ({q!r}) must lie in [0, 1]")
        values = self._select(metric, year)
        if metric in _YEAR_VALUED:
            found = np.quantile(values, qs, method="inverted_cdf")
            labels = [self._year_label(v) for v in found]
            return pd.Series(labels, index=pd.Index(qs, name="q"), name=metric)
        found = np.quantile(values, qs, axis=0)
        if values.ndim == 2:
            return pd.DataFrame(found, index=pd.Index(qs, name="q"), columns=list(self.years))
        return pd.Series(found, index=pd.Index(qs, name="q"), name=metric)

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
        hit = _OPS[op](self._select(metric, year), self._threshold(metric, threshold))
        if hit.ndim == 2:
            return pd.Series(hit.mean(axis=0), index=list(self.years), name=f"P({metric} {op} {threshold})")
        return float(hit.mean())

    # -- tables ------------------------------------------------------------------------
    def _row(self, row: Row) -> np.ndarray:
        key, sign = (row.key[1:], -1.0) if row.key.startswith("-") else (row.key, 1.0)
        if key.startswith("group:"):
            members = self.model.group_members(key)
            total = np.zeros(self.model.timeline.length)
            for member in members:
                total = total + self._row_values(member)
            return sign * total
        return sign * np.asarray(self._row_values(key), dtype=float)

    def table(
        self,
        basis: str | None = None,
        *,
        units: str | None = None,
        decimals: int | None = None,
        by: str | None = None,
        view: str | None = None,
    ) -> pd.DataFrame:
        """The council table: one row per printed row, one column per year plus "Total".

        Parameters
        ----------
        basis, view : str, optional
            For a cost/benefit case the benefit basis, ``"in-year"`` (default) or
            ``"incremental"``; for an MTFP the view, ``"incremental"`` (default) or
            ``"cumulative"``. ``basis`` and ``view`` are the same argument.
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
            basis; ``attrs`` holds ``basis``, ``units``, ``scenario`` and ``trials``.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> plan = fm.MTFP("p", years, [fm.Pressure("Demography", [1.0, 0.5]), fm.Saving("Efficiency", [0.4, 0.4])])
        >>> fm.evaluate(plan).table(units="£k").loc["Net Pressure / (Saving)"].tolist()
        [600.0, 100.0, 700.0]
        """
        choice = basis if basis is not None else view
        if basis is not None and view is not None and basis != view:
            raise FinmodelError(f"{self._who()}: give basis or view, not both ({basis!r}, {view!r})")
        choice = choice or self.model.views()[0]
        rows = self.model.rows(choice, by=by)  # type: ignore[call-arg]
        to_units = check_units(units, "table: units") if units is not None else self.model.units
        factor = UNITS[self.model.units] / UNITS[to_units]
        data = []
        for row in rows:
            values = self._row(row) * factor + 0.0  # + 0.0 turns -0.0 (a negated zero) into 0.0
            total = float(values.sum()) if row.total == "sum" else np.nan
            data.append([*values, total])
        noun = "benefits" if self.model.kind == "CostBenefitCase" else "view"
        caption = f"{self.model.name} ({to_units}; {noun} {choice})"
        if self.n > 1:
            caption += f", mean of {self.n:,} trials"
        frame = pd.DataFrame(
            data, index=[r.label for r in rows], columns=pd.Index([*self.years, "Total"], name=caption)
        )
        frame.attrs.update(basis=choice, units=to_units, scenario=self.scenario, trials=self.n)
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
        view: str | None = None,
    ) -> str:
        """The table as text in council format: ``£5.8m``, negatives in brackets.

        Cost/benefit tables print negatives with a minus sign (``-£3m``), as the OCC case
        for change does; MTFP tables use brackets.
        """
        frame = self.table(basis, units=units, by=by, view=view)
        to_units = frame.attrs["units"]
        brackets = self.model.kind != "CostBenefitCase"
        cells = [
            [format_money(float(v), to_units, decimals, brackets=brackets) for v in row]
            for row in frame.to_numpy()
        ]
        label_width = max(len(str(frame.columns.name)), *(len(str(i)) for i in frame.index))
        widths = [max(len(c), *(len(r[j]) for r in cells)) for j, c in enumerate(frame.columns)]
        lines = [
            str(frame.columns.name).ljust(label_width)
            + "  "
            + "  ".join(str(c).rjust(w) for c, w in zip(frame.columns, widths, strict=True))
        ]
        for label, row in zip(frame.index, cells, strict=True):
            lines.append(
                str(label).ljust(label_width)
                + "  "
                + "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True))
            )
        return "\n".join(lines)

    # -- helpers -----------------------------------------------------------------------
    def _year_label(self, offset: float) -> str | None:
        if not np.isfinite(offset):
            return None
        return self.years[int(offset)]

    def _who(self) -> str:
        return f"{type(self).__name__} of {self.model.describe()} ({self.scenario})"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self.model.describe()}: {self.scenario}, {self.n:,} trial(s)>"


class Evaluation(Results):
    """One deterministic scenario: every metric is a single value.

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

    def _scalar(self, metric: str) -> float:
        return float(self.samples(metric)[0])

    def value(self, metric: str) -> Any:
        """The single value of a metric: a float, or a Series by year.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", 4)])
        >>> fm.evaluate(case).value("benefit").tolist()
        [4.0, 4.0]
        """
        values = self.samples(metric)
        if values.ndim == 2:
            return pd.Series(values[0], index=list(self.years), name=metric)
        return float(values[0])

    @property
    def run_rate(self) -> float:
        """On-going annual benefit once fully delivered."""
        return self._scalar("run_rate")

    @property
    def net_run_rate(self) -> float:
        """On-going annual benefit less the on-going annual cost of recurring costs."""
        return self._scalar("net_run_rate")

    @property
    def payback_year(self) -> str | None:
        """The first year whose cumulative net (in-year) is >= 0, or None within the timeline."""
        return self._year_label(self._scalar("payback_year"))

    @property
    def roi(self) -> float:
        """Return on investment over the timeline: (benefit - cost) / cost."""
        return self._scalar("roi")

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

    def npv(self, rate: float | None = None, first_year: FirstYear | None = None) -> np.ndarray:
        """Per-trial net present values (needs the ``net`` metric)."""
        return _npv(self, rate, first_year)

    def summary(self, q: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Mean and quantiles of every one-per-trial metric, and of each year of the others.

        Examples
        --------
        >>> import finmodel as fm
        >>> years = fm.Timeline("2018/19", 2)
        >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8))])
        >>> list(fm.simulate(case, n=1_000, seed=1).summary().columns)
        ['mean', 'P10', 'P50', 'P90']
        """
        records = {}
        for metric in self.metrics:
            values = self._samples[metric]
            if metric in _YEAR_VALUED:
                continue
            columns = [values] if values.ndim == 1 else [values[:, j] for j in range(values.shape[1])]
            names = [metric] if values.ndim == 1 else [f"{metric} {y}" for y in self.years]
            for name, col in zip(names, columns, strict=True):
                finite = col[np.isfinite(col)]
                if finite.size == 0:
                    continue
                records[name] = [float(finite.mean()) + 0.0, *(np.quantile(finite, list(q)) + 0.0)]
        return pd.DataFrame.from_dict(
            records, orient="index", columns=["mean", *(f"P{round(100 * x)}" for x in q)]
        )


def _npv(results: Results, rate: float | None, first_year: FirstYear | None) -> np.ndarray:
    model = results.model
    use_rate = rate if rate is not None else getattr(model, "discount_rate", None)
    use_first: FirstYear = (
        first_year if first_year is not None else getattr(model, "first_year", "undiscounted")
    )
    net = results.samples("net")
    return net @ discount_factors(net.shape[1], use_rate, use_first)
