"""Charts as methods of results: ``sim.plot.fan("net")``, ``evaluation.plot.waterfall()``.

:class:`ResultsPlot` is registered as the ``plot`` accessor of every result
(:mod:`finmodel.engine.hooks`) when finmodel is imported. Each method calls the chart
function of the same name in :mod:`finmodel.outputs.charts` with the result first, and
takes the same keyword arguments (``units=``, ``title=``, ``ax=``...). matplotlib is
imported on the first chart, not with finmodel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from finmodel.engine.hooks import register_accessor
from finmodel.engine.results import Results
from finmodel.model.cases import CostBenefitCase
from finmodel.model.plans import MTFP

if TYPE_CHECKING:  # matplotlib is imported with the first chart, not with finmodel
    from matplotlib.figure import Figure

__all__ = ["ResultsPlot", "default_metric"]


def default_metric(results: Results) -> str:
    """The per-year metric a fan chart shows unless told: a case's cumulative net, an MTFP's budget gap.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Pressure("Demand", [1.0, 0.5])])
    >>> default_metric(fm.evaluate(plan))
    'cumulative_gap'
    """
    model = results.model
    if isinstance(model, CostBenefitCase):
        return "cumulative_net"
    if isinstance(model, MTFP):
        return "cumulative_gap"
    return model.headline[0]


@register_accessor("plot")
class ResultsPlot:
    """Charts of one result; each method returns a matplotlib Figure (see :mod:`finmodel.outputs.charts`).

    Examples
    --------
    >>> import finmodel as fm
    >>> case = fm.CostBenefitCase("c", fm.Timeline("2018/19", 3), [fm.Benefit("b", fm.Range(4, 8))],
    ...                           [fm.Cost("k", [9, 1, 0])])
    >>> sim = fm.simulate(case, n=1_000, seed=1)
    >>> sim.plot.fan().axes[0].get_title(loc="left")
    'Cumulative net: c'
    """

    def __init__(self, results: Results) -> None:
        self._results = results

    def fan(self, metric: str | None = None, **options: Any) -> Figure:
        """Fan chart of a per-year metric (default: cumulative net, or the budget gap); see :func:`~finmodel.outputs.charts.fan`."""
        from finmodel.outputs.charts import fan

        return fan(self._results, metric if metric is not None else default_metric(self._results), **options)

    def payback(self, **options: Any) -> Figure:
        """A case's cumulative net with payback marked; see :func:`~finmodel.outputs.charts.payback`."""
        from finmodel.outputs.charts import payback

        return payback(self._results, **options)

    def histogram(self, metric: str, year: str | None = None, **options: Any) -> Figure:
        """Histogram with P10/P50/P90 and an optional target; see :func:`~finmodel.outputs.charts.histogram`."""
        from finmodel.outputs.charts import histogram

        return histogram(self._results, metric, year, **options)

    def cdf(self, metric: str, year: str | None = None, **options: Any) -> Figure:
        """Cumulative distribution with P10/P50/P90; see :func:`~finmodel.outputs.charts.cdf`."""
        from finmodel.outputs.charts import cdf

        return cdf(self._results, metric, year, **options)

    def waterfall(self, **options: Any) -> Figure:
        """An MTFP's budget gap from its parts; see :func:`~finmodel.outputs.charts.waterfall`."""
        from finmodel.outputs.charts import waterfall

        return waterfall(self._results, **options)

    def bridge(self, after: Results, **options: Any) -> Figure:
        """What moved the budget gap from this result to ``after``; see :func:`~finmodel.outputs.charts.bridge`."""
        from finmodel.outputs.charts import bridge

        return bridge(self._results, after, **options)

    def reserves(self, metric: str = "general_reserves", **options: Any) -> Figure:
        """A plan's reserves by year against its prudent minimum; see :func:`~finmodel.outputs.charts.reserves`."""
        from finmodel.outputs.charts import reserves

        return reserves(self._results, metric=metric, **options)
