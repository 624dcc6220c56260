"""What a result says first, in words: its key figures, what each table's basis means,
and the charts that fit it.

The command line, the workbook and the HTML report all start from here, so the three
say the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from finmodel.core.money import format_money
from finmodel.engine.results import NOT_WITHIN, Results, Simulation
from finmodel.model.cases import CostBenefitCase
from finmodel.model.plans import MTFP

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["KeyFigure", "basis_meaning", "chart_set", "key_figures", "table_title"]


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: its label, its value (a number in the model's units, a share, a
    year) and how to show it (``"money"``, ``"share"``, ``"ratio"``, ``"text"``)."""

    label: str
    value: float | str
    form: str = "money"

    def shown(self, units: str, brackets: bool = False) -> str:
        """The value as text: ``£56.1m``, ``12.5%``, ``2019/20``.

        Examples
        --------
        >>> KeyFigure("P(NPV < 0)", 0.125, "share").shown("£m"), KeyFigure("NPV", 1363.4).shown("£k")
        ('12.5%', '£1,363k')
        """
        if self.form == "money":  # as the tables print it: whole £k, £m to one place
            return format_money(float(self.value), units, 0 if units in ("£", "£k") else 1, brackets=brackets)
        if self.form == "share":
            return f"{float(self.value):.1%}"
        if self.form == "ratio":
            return f"{float(self.value):.2f}"
        return str(self.value)


_MEANINGS = {
    (CostBenefitCase, "in-year"): "the benefit received in each year, earlier years' benefit included; "
                                  "cash flows, payback and NPV use this basis",
    (CostBenefitCase, "incremental"): "each year's new on-going benefit, the way committee papers print "
                                      "their annual benefit row (it adds up to the run rate)",
    (MTFP, "incremental"): "each year's change, the way an MTFP table prints it; the net pressure / (saving) "
                           "adds up to the budget gap",
    (MTFP, "cumulative"): "each line's level in each year (its effect on that year's budget), the budget gap "
                          "rolled forward",
}


def basis_meaning(results: Results, basis: str) -> str:
    """What a table's basis means, in a sentence.

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)])
    >>> basis_meaning(fm.evaluate(case), "in-year")[:33]
    'the benefit received in each year'
    """
    model = results.model
    if isinstance(model, MTFP) and basis == "cumulative" and model.base_budget is not None:
        return "brought forward: the net budget brought forward, the changes, the spending requirement " \
               "against the funding available"
    return next((text for (kind, name), text in _MEANINGS.items() if isinstance(model, kind) and name == basis), "")


def table_title(results: Results, basis: str) -> str:
    """A table's label: which scenario (or how many trials), which basis, and what that means.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> table_title(fm.evaluate(plan, "low"), "incremental")[:31]
    'Scenario low, incremental view:'
    """
    run = (f"Mean of {results.n:,} trials" if isinstance(results, Simulation) and results.n > 1
           else f"Scenario {results.scenario}")
    noun = "benefits" if isinstance(results.model, CostBenefitCase) else "view"
    return f"{run}, {basis} {noun}: {basis_meaning(results, basis)}"


def key_figures(results: Results) -> list[KeyFigure]:
    """The figures a finance officer reads first.

    A case: NPV, payback year, run rate and return on investment (for a simulation,
    P10/P50/P90 of NPV, P(NPV < 0), the median payback and the share paid back by each
    year). An MTFP: the total net pressure and the closing budget gap (for a simulation,
    their spread and the chance of a gap at the end).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 2), [fm.Benefit("b", 4)], [fm.Cost("k", [5, 1])])
    >>> [(f.label, f.shown("£m")) for f in key_figures(fm.evaluate(case))][:2]
    [('NPV', '£1.9m'), ('Payback year', '2019/20')]
    """
    model = results.model
    simulated = isinstance(results, Simulation) and results.n > 1
    out: list[KeyFigure] = []
    if isinstance(model, CostBenefitCase):
        if not simulated:
            return [KeyFigure("NPV", float(results.mean("npv"))),  # type: ignore[arg-type]
                    KeyFigure("Payback year", str(results.quantiles("payback_year", 0.5).iloc[0]), "text"),
                    KeyFigure("Run rate (on-going benefit a year)", float(results.mean("run_rate"))),  # type: ignore[arg-type]
                    KeyFigure("Return on investment", float(results.mean("roi")), "ratio")]  # type: ignore[arg-type]
        npv = results.quantiles("npv", [0.1, 0.5, 0.9]).tolist()
        out += [KeyFigure("NPV P10", npv[0]), KeyFigure("NPV P50", npv[1]), KeyFigure("NPV P90", npv[2]),
                KeyFigure("P(NPV < 0)", results.probability("npv", "<", 0), "share")]
        median = str(results.quantiles("payback_year", 0.5).iloc[0])
        out.append(KeyFigure("Median payback year", median, "text"))
        for year in results.years:
            out.append(KeyFigure(f"Paid back by {year}", results.probability("payback_year", "<=", year), "share"))
        out.append(KeyFigure(f"Not paid back ({NOT_WITHIN})",
                           results.probability("payback_year", ">=", NOT_WITHIN), "share"))
        run_rate = results.quantiles("run_rate", [0.1, 0.5, 0.9]).tolist()
        out += [KeyFigure("Run rate P10", run_rate[0]), KeyFigure("Run rate P50", run_rate[1]),
                KeyFigure("Run rate P90", run_rate[2])]
        return out
    last = results.years[-1]
    if not simulated:
        return [KeyFigure("Total net pressure / (saving)", float(results.mean("total_net_pressure"))),  # type: ignore[arg-type]
                KeyFigure(f"Budget gap in {last}", float(results.mean("cumulative_gap", last)))]  # type: ignore[arg-type]
    gap = results.quantiles("cumulative_gap", [0.1, 0.5, 0.9], year=last).tolist()
    return [KeyFigure(f"Budget gap in {last}, P10", gap[0]), KeyFigure(f"Budget gap in {last}, P50", gap[1]),
            KeyFigure(f"Budget gap in {last}, P90", gap[2]),
            KeyFigure(f"P(a budget gap in {last})", results.probability("cumulative_gap", ">", 0, year=last), "share")]


def chart_set(results: Results) -> list[tuple[str, Figure]]:
    """The charts that fit a result, each with a short name: payback and fans for a case,
    the waterfall and the gap's fan for an MTFP, the spread of NPV for a simulation.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> [name for name, _ in chart_set(fm.evaluate(plan))]
    ['Waterfall']
    """
    from finmodel.outputs.charts import fan, histogram, payback, waterfall

    simulated = isinstance(results, Simulation) and results.n > 1
    if isinstance(results.model, CostBenefitCase):
        found = [("Payback", payback(results))]
        if simulated:
            found += [("Cumulative net", fan(results, "cumulative_net")),
                      ("NPV", histogram(results, "npv", target=0)),
                      ("Payback years", histogram(results, "payback_year"))]
        return found
    found = [("Waterfall", waterfall(results))]
    if simulated:
        found += [("Budget gap", fan(results, "cumulative_gap")),
                  ("Total net pressure", histogram(results, "total_net_pressure", target=0))]
    return found
