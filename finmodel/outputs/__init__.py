"""Outer layer: what people look at and hand on (charts, progress bars, notebook display,
the command line). Nothing below imports from here.

Importing this package (``import finmodel`` does) plugs the outputs into the results
through the engine's hooks (:mod:`finmodel.engine.hooks`): the ``plot`` accessor of every
result, progress bars for ``simulate``, and the HTML that Jupyter shows. matplotlib and
tqdm are imported when first used.
"""

from finmodel.outputs import display, plotting, progress

__all__ = ["display", "plotting", "progress"]
