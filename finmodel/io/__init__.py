"""Scenario files (the ``io`` layer, models to and from files): a whole model, its sources and its published tables, in TOML.

``load(path)`` reads a file into a :class:`ScenarioFile`; ``dump(obj, path)`` writes a
model or a scenario file back. The format is described key by key in
``docs/scenario-files.md``; in brief::

    title = "OCC case for change (January 2018)"
    source = "002_90ddc037a457842c.txt:1551-1640"

    [model]
    kind = "CostBenefitCase"           # or "MTFP"
    name = "OCC case for change"
    start = "2018/19"
    years = 4
    units = "£m"

    [amounts]                          # named amounts, shared wherever they are used
    quick_wins = { kind = "Range", low = 8, high = 17 }

    [[benefit]]
    name = "Quick wins"
    run_rate = "quick_wins"            # a name, or an expression: "a - b", "spend * rate"
    profile = { increments = [2, 13, 13, 5] }

    [[cost]]
    name = "Implementation"
    amounts = [3, 8, 5, 1]

Reading never executes anything from the file: expressions are parsed with :mod:`ast`
and only numbers, names, ``+ - * /``, unary minus and parentheses are accepted; the
amounts are then built with finmodel's own arithmetic. Every error is a
:class:`ScenarioFileError` naming the file, the key path and the bad value::

    scenarios/x.toml: benefit[2].run_rate.low: expected a number, got "21m"

List positions in key paths count from 0, as in Python.

The shared-draw rule
--------------------
A named amount (a key of ``[amounts]``) is ONE object however many lines use it, so
every use sees the same draw in a trial. Two inline tables with equal parameters are
two independent amounts.

Modules
-------
``scenario_file``
    :class:`ScenarioFile` and the settings it carries.
``reading``, with ``read_values``, ``expressions``, ``read_amounts``, ``read_correlations``,
``read_lines`` and ``read_tables``
    :func:`load` and :func:`loads`, section by section; the sections and their keys
    are listed in ``layout``.
``writing``, with ``naming`` and ``toml_writer``
    :func:`dump` and :func:`dumps`.
``bundled``
    The files in the repository's ``scenarios/`` folder.
"""

from __future__ import annotations

from finmodel.io.bundled import BundledScenario, bundled, scenarios_folder
from finmodel.io.errors import ScenarioFileError
from finmodel.io.reading import load, loads
from finmodel.io.scenario_file import Correlation, ScenarioFile, SimulationSettings
from finmodel.io.stress_settings import BreachSettings, StressSettings
from finmodel.io.writing import dump, dumps

__all__ = [
    "BreachSettings",
    "BundledScenario",
    "Correlation",
    "ScenarioFile",
    "ScenarioFileError",
    "SimulationSettings",
    "StressSettings",
    "bundled",
    "dump",
    "dumps",
    "load",
    "loads",
    "scenarios_folder",
]
