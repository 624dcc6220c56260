"""One council-report look for every chart: colours that stay apart in greyscale,
hatching and line styles as well as colour, money axes in £m or £k, financial years.

Every chart is a :class:`Chart`, a matplotlib ``Figure`` that is not managed by pyplot:
a chart function never shows or saves it, a loop that makes a thousand charts leaks
nothing, and Jupyter shows it once, as a PNG (:meth:`Chart._repr_png_`). To draw into
axes of your own (a pyplot figure, a grid of charts), pass ``ax=``.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar, cast

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import Formatter

from finmodel.core.errors import FinmodelError
from finmodel.core.money import UNITS, check_units

__all__ = [
    "BETTER",
    "INK",
    "LIGHT",
    "LINESTYLES",
    "MARKERS",
    "MID",
    "TARGET",
    "WORSE",
    "Chart",
    "MoneyFormatter",
    "chart",
    "footnote",
    "money_axis",
    "new_axes",
    "png_bytes",
    "set_title",
    "year_axis",
]

# Colours chosen to differ in lightness as well as hue, so they stay apart printed in grey.
#: Totals, medians, the main line (near black).
INK = "#1b2a41"
#: The inner band of a fan, a second series.
MID = "#5b7fa6"
#: The outer band of a fan, backgrounds.
LIGHT = "#c9d6e4"
#: What makes the position worse for the council (a pressure, a cost, a shortfall); hatched ``///``.
WORSE = "#a33b3b"
#: What makes it better (a saving, funding, a benefit); hatched ``...``.
BETTER = "#7fb89a"
#: Targets, thresholds and minimum balances (dashed).
TARGET = "#c8711d"
#: Hatching that tells worse from better without colour.
HATCH_WORSE, HATCH_BETTER = "///", "..."
#: Line styles and markers for several series (spider charts), in order.
LINESTYLES: tuple[Any, ...] = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": "#666666",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "hatch.linewidth": 0.6,
    "hatch.color": "#ffffff",
    "lines.linewidth": 1.8,
}

#: Default size of a chart in inches (fits an A4 page with margins).
SIZE = (8.0, 4.5)


class Chart(Figure):
    """A matplotlib Figure that Jupyter shows as a PNG. It is not managed by pyplot.

    Examples
    --------
    >>> fig, ax = new_axes()
    >>> isinstance(fig, Figure), fig._repr_png_()[:4]
    (True, b'\\x89PNG')
    """

    def _repr_png_(self) -> bytes:
        return png_bytes(self)


def png_bytes(fig: Figure, dpi: float = 100) -> bytes:
    """The figure as PNG bytes (trimmed to what is drawn), for notebooks and HTML.

    Examples
    --------
    >>> fig, ax = new_axes()
    >>> png_bytes(fig)[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


F = TypeVar("F", bound=Callable[..., Figure])


def chart(func: F) -> F:
    """Draw under the house style (a decorator for chart functions)."""

    @wraps(func)
    def draw(*args: Any, **kwargs: Any) -> Figure:
        with style():
            return func(*args, **kwargs)

    return draw  # type: ignore[return-value]


@contextmanager
def style() -> Iterator[None]:
    """The house style, for artists created inside the block."""
    with mpl.rc_context(cast(Any, STYLE)):
        yield


def new_axes(ax: Axes | None = None, size: Sequence[float] = SIZE) -> tuple[Figure, Axes]:
    """A new :class:`Chart` with one set of axes, or ``ax``'s figure and ``ax``."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise FinmodelError(f"chart: ax ({ax!r}) must be matplotlib Axes")
        figure = ax.figure.figure  # the root figure, also for axes in a subfigure
        assert isinstance(figure, Figure)
        return figure, ax
    with style():
        fig = Chart(figsize=(float(size[0]), float(size[1])), layout="constrained")
        return fig, fig.add_subplot()


class MoneyFormatter(Formatter):
    """Tick labels in council money format: ``£5m``, ``£2.5m``, ``(£1m)``.

    Decimals follow the tick spacing (none for whole units, one for tenths...).

    Examples
    --------
    >>> f = MoneyFormatter("£m", brackets=True)
    >>> f.set_locs([-2.5, 0.0, 2.5])
    >>> [f(x) for x in (-2.5, 0.0, 2.5)]
    ['(£2.5m)', '£0.0m', '£2.5m']
    >>> f.set_locs([0, 10, 20]); f(20), MoneyFormatter("£k")(629)
    ('£20m', '£629k')
    """

    def __init__(self, units: str, brackets: bool = False) -> None:
        self.units = check_units(units, "chart: units")
        self.brackets = brackets
        self.decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(list(locs))
        finite = [float(x) for x in locs if math.isfinite(x)]
        scale = max([abs(x) for x in finite] + [1.0])
        self.decimals = next(
            (d for d in range(4) if all(abs(x * 10**d - round(x * 10**d)) <= 1e-6 * scale * 10**d for x in finite)), 3
        )

    def __call__(self, x: float, pos: int | None = None) -> str:
        value = round(float(x), self.decimals) + 0.0
        body = f"£{abs(value):,.{self.decimals}f}{self.units[1:]}"
        if value < 0:
            return f"({body})" if self.brackets else f"-{body}"
        return body


def money_axis(ax: Axes, units: str, *, brackets: bool = False, which: str = "y", label: bool = True) -> None:
    """Format the ``which`` axis as money in ``units`` and label it (``"£m"``)."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_formatter(MoneyFormatter(units, brackets))
    if label:
        axis.set_label_text(units)


def set_title(ax: Axes, title: str, width: int = 72) -> None:
    """The chart's title, left-aligned and wrapped to fit the chart."""
    ax.set_title(textwrap.fill(title, width), loc="left")


def year_axis(ax: Axes, years: Sequence[str]) -> None:
    """Financial years at positions 0, 1, ... on the x axis."""
    ax.set_xticks(range(len(years)), list(years))
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_xlabel("Financial year")


#: Height kept free under a chart's axes for each line of its footnote (a fraction of the figure).
FOOTNOTE_ROOM = 0.045
#: Characters in a line of a footnote.
FOOTNOTE_WIDTH = 150


def footnote(fig: Figure, text: str) -> None:
    """A small grey note at the foot of a chart: where the figures come from.

    Only on a :class:`Chart` this module made (axes passed in with ``ax=`` belong to
    someone else's figure, which is left as it is).
    """
    if not text or not isinstance(fig, Chart):
        return
    wrapped = textwrap.fill(text, FOOTNOTE_WIDTH)
    room = FOOTNOTE_ROOM * (wrapped.count("\n") + 1)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0.0, room, 1.0, 1.0 - room))
    fig.text(0.005, 0.005, wrapped, fontsize=7, color="#666666", ha="left", va="bottom", gid="footnote")


def factor(from_units: str, to_units: str | None, chart_name: str) -> tuple[float, str]:
    """Multiplier from a model's units to the chart's, and the chart's units.

    Examples
    --------
    >>> factor("£m", "£k", "fan")
    (1000.0, '£k')
    """
    shown = from_units if to_units is None else check_units(to_units, f"{chart_name}: units")
    return UNITS[from_units] / UNITS[shown], shown
