"""Progress bars for long simulations, in a terminal or a notebook.

The passes over the trials (:mod:`finmodel.engine.passes`) call ``progress(done, total)``
after each chunk; they never print. This module turns that call into a tqdm bar, one
bar per pass, and registers itself with the engine (:func:`finmodel.engine.hooks.register_progress`),
so ``fm.simulate(..., progress=True | False | None)`` reaches it without the engine
importing the outputs layer. A result keeps its reporter, so a pass run later, for a
table or a metric asked for after simulating, shows its own bar.

``progress=None`` (the default) is automatic: a bar appears only where output is
interactive (a terminal, or a Jupyter kernel) and only once a pass has run for
:data:`AUTO_DELAY` seconds, so quick simulations, tests, pipes and log files stay
silent. ``progress=True`` always shows one; ``progress=False`` never does. tqdm's own
environment settings apply too (``TQDM_DISABLE=1`` turns every bar off).
"""

from __future__ import annotations

import sys
from typing import Any, Literal

from finmodel.engine.hooks import register_progress

__all__ = ["AUTO_DELAY", "ProgressBar", "where_interactive"]

#: Seconds a pass runs before an automatic bar appears.
AUTO_DELAY = 1.0

Where = Literal["notebook", "terminal"]
#: What a bar shows: ``OCC case:  33%|███▎      | 65536/200000 trials [00:01<00:02]``.
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} trials [{elapsed}<{remaining}]"


def where_interactive() -> Where | None:
    """``"notebook"`` in a Jupyter kernel, ``"terminal"`` when standard error is a terminal, else None.

    Examples
    --------
    >>> where_interactive() in ("notebook", "terminal", None)
    True
    """
    shell = _ipython()
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        return "notebook"
    stream = sys.stderr
    try:
        return "terminal" if stream is not None and stream.isatty() else None
    except (AttributeError, ValueError):  # a replaced or closed stream
        return None


def _ipython() -> Any:
    """The running IPython shell, if IPython is loaded (never imported here)."""
    module = sys.modules.get("IPython")
    getter = getattr(module, "get_ipython", None)
    return getter() if getter is not None else None


class ProgressBar:
    """A progress reporter: ``bar(done, total)`` moves a tqdm bar; one bar per pass.

    A pass starts when ``done`` falls back (or on the first call) and ends when it
    reaches ``total``, which closes the bar.

    Parameters
    ----------
    label : str
        Shown before the bar (the model's name).
    where : {"notebook", "terminal"}, optional
        A notebook widget (when ipywidgets is installed) or text; default: text.
    delay : float
        Seconds before the bar is first drawn.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar("OCC case", file=out)
    >>> for done in (400, 800, 1000):
    ...     bar(done, 1000)
    >>> out.getvalue().split("|")[0].strip()
    'OCC case:   0%'
    """

    def __init__(self, label: str, where: Where | None = None, *, delay: float = 0.0, file: Any = None) -> None:
        self.label = label
        self.where = where
        self.delay = delay
        self.file = file
        self._bar: Any = None

    def _open(self, total: int) -> Any:
        bar_class = _bar_class(self.where)
        kwargs: dict[str, Any] = {"total": total, "desc": _short(self.label), "unit": " trials", "delay": self.delay}
        kwargs.update(leave=False, dynamic_ncols=True, bar_format=BAR_FORMAT)
        if self.file is not None:
            kwargs["file"] = self.file
        return bar_class(**kwargs)

    def __call__(self, done: int, total: int) -> None:
        bar = self._bar
        if bar is None and done >= total and self.delay > 0:
            return  # an automatic bar for a pass of one chunk: over before it could be shown
        if bar is None or done < bar.n or bar.total != total:
            if bar is not None:
                bar.close()
            bar = self._bar = self._open(total)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()
            self._bar = None


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _bar_class(where: Where | None) -> Any:
    if where == "notebook":
        try:
            import ipywidgets  # noqa: F401  (tqdm's notebook bar is a widget)
            from tqdm.notebook import tqdm as notebook_bar

            return notebook_bar
        except ImportError:
            pass  # text in the cell's output, which notebooks redraw in place
    from tqdm.std import tqdm as text_bar

    return text_bar


def make_reporter(forced: bool, label: str) -> ProgressBar | None:
    """The reporter for ``progress=True`` (``forced``) or ``None`` (automatic).

    Examples
    --------
    >>> make_reporter(True, "plan").delay  # progress=True: a bar from the start
    0.0
    """
    where = where_interactive()
    if forced:
        return ProgressBar(label, where)
    if where is None:
        return None
    return ProgressBar(label, where, delay=AUTO_DELAY)


register_progress(make_reporter)
