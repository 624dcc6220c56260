"""Charts of results in one council-report style: matplotlib Figures, never shown or saved here.

Each function returns a :class:`matplotlib.figure.Figure` (a :class:`~finmodel.outputs.charts.style.Chart`,
which Jupyter shows once, as a PNG); save it with ``fig.savefig("fan.png")``, or pass
``ax=`` to draw into axes of your own. The same charts are methods of every result:
``sim.plot.fan("cumulative_net")`` is ``fm.charts.fan(sim, "cumulative_net")``.

=====================  ==================================================================
:func:`fan`            a per-year metric over the years: median, P25-P75 and P5-P95 bands
:func:`payback`        a case's cumulative net by year, with payback marked
:func:`histogram`      one figure over the trials, with P10/P50/P90 and a target
:func:`cdf`            the chance a figure is at most each value
:func:`waterfall`      an MTFP's budget gap built up from pressures, savings, funding...
:func:`bridge`         what moved the budget gap between two versions of a plan
:func:`tornado`        how far an output swings as each input goes from low to high
:func:`spider`         the output as each input moves through its range
:func:`reserves`       the reserves balance by year against the minimum
=====================  ==================================================================

Money is shown in the model's units unless ``units=`` says otherwise (``"£k"``), years
as financial years. Colours differ in lightness, and bars are hatched and lines dashed
as well, so a chart printed in black and white still reads.
"""

from finmodel.outputs.charts.balances import reserves
from finmodel.outputs.charts.cases import payback
from finmodel.outputs.charts.distributions import cdf, fan, histogram
from finmodel.outputs.charts.plans import bridge, waterfall
from finmodel.outputs.charts.sensitivity import spider, spider_frame, tornado, tornado_frame
from finmodel.outputs.charts.style import Chart, png_bytes

__all__ = [
    "Chart",
    "bridge",
    "cdf",
    "fan",
    "histogram",
    "payback",
    "png_bytes",
    "reserves",
    "spider",
    "spider_frame",
    "tornado",
    "tornado_frame",
    "waterfall",
]
