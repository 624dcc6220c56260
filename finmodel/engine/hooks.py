"""Where the outputs layer plugs into results: accessors, progress and rich display.

Imports point down the layers (decision 6), so the engine cannot import the charts,
progress bars or notebook display that live in :mod:`finmodel.outputs`. Instead the
engine names the places where they plug in, and the outputs layer fills them when
``finmodel`` is imported, as pandas lets other packages add ``df.geo``:

* an **accessor**: ``Results.plot`` is an :class:`Accessor`; the outputs layer
  registers the class behind it (``register_accessor("plot", ResultsPlot)``), so
  ``sim.plot.fan("net")`` builds ``ResultsPlot(sim)`` and calls its ``fan``;
* **progress**: ``simulate(progress=True | False | None)`` asks :func:`progress_reporter`
  for the callable the passes call after each chunk; the outputs layer registers a
  factory that makes a progress bar (or nothing, when output is not interactive);
* **display**: ``Results._repr_html_`` asks :func:`render_html` for the HTML that
  Jupyter shows; the outputs layer registers the renderer.

When nothing is registered (the engine used on its own), an accessor raises
``AttributeError`` saying what to import, ``progress=True`` or ``None`` reports nothing,
and ``_repr_html_`` returns None, so Jupyter falls back to the text ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from finmodel.core.errors import FinmodelError

__all__ = [
    "Accessor",
    "Progress",
    "ProgressFactory",
    "progress_reporter",
    "register_accessor",
    "register_html",
    "register_progress",
    "render_html",
]

#: Called as ``progress(trials_done, trials)`` after each chunk of every pass.
Progress = Callable[[int, int], None]
#: ``factory(forced, label)``: a reporter for ``progress=True`` (``forced``) or ``None``
#: (automatic: only where output is interactive), labelled with the model's name; or None.
ProgressFactory = Callable[[bool, str], Progress | None]

_accessors: dict[str, Callable[[Any], Any]] = {}
_hooks: dict[str, Any] = {}


class Accessor:
    """A class attribute that hands the result to the class registered under its name.

    ``Results.plot = Accessor("plot")``: ``sim.plot`` is ``ResultsPlot(sim)`` once the
    outputs layer has registered ``ResultsPlot`` as ``"plot"``; on the class itself it
    is the registered class (so ``help(fm.Simulation.plot)`` shows its methods).

    Examples
    --------
    >>> class Thing:
    ...     shout = Accessor("shout")
    >>> @register_accessor("shout")
    ... class Shout:
    ...     def __init__(self, thing):
    ...         self.thing = thing
    ...     def hello(self):
    ...         return "HELLO"
    >>> Thing().shout.hello()
    'HELLO'
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        found = _accessors.get(self.name)
        if found is None:
            raise AttributeError(
                f"{self.name!r} is provided by finmodel's outputs layer, which registers it when "
                "finmodel is imported: import finmodel"
            )
        return found if obj is None else found(obj)


def register_accessor(name: str) -> Callable[[type], type]:
    """Register the class behind :class:`Accessor` attributes called ``name`` (a decorator).

    The class is called with the result; the latest registration wins.
    """

    def register(cls: type) -> type:
        _accessors[name] = cls
        return cls

    return register


def register_progress(factory: ProgressFactory) -> None:
    """Register what turns ``progress=True`` or ``None`` into a reporter (see :data:`ProgressFactory`)."""
    _hooks["progress"] = factory


def progress_reporter(progress: Any, label: str) -> Progress | None:
    """The callable the passes report to, for a ``progress=`` argument.

    Parameters
    ----------
    progress : bool, callable or None
        A callable is used as it is; ``False`` reports nothing; ``True`` always reports
        and ``None`` (automatic) reports only where output is interactive, through the
        registered factory.
    label : str
        What is being computed (the model's name), for the reporter to show.

    Examples
    --------
    >>> def log(done, total):
    ...     pass
    >>> progress_reporter(log, "plan") is log, progress_reporter(False, "plan")
    (True, None)
    """
    if callable(progress):
        return progress
    if progress is False:
        return None
    if progress is not True and progress is not None:
        raise FinmodelError(f"progress ({progress!r}) must be True, False, None (automatic) or a callable")
    factory: ProgressFactory | None = _hooks.get("progress")
    return None if factory is None else factory(progress is True, label)


def register_html(renderer: Callable[[Any], str | None]) -> None:
    """Register what renders a result as HTML for Jupyter (``Results._repr_html_``)."""
    _hooks["html"] = renderer


def render_html(result: Any) -> str | None:
    """The registered renderer's HTML for ``result``, or None when there is none."""
    renderer = _hooks.get("html")
    return None if renderer is None else renderer(result)
