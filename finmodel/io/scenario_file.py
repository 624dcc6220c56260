"""What a scenario file holds once read: the model, its sources, tables, statements and scenarios."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar, get_args

from finmodel.core.amounts import Amount
from finmodel.core.errors import FinmodelError
from finmodel.core.limits import check_trials
from finmodel.engine.results import Evaluation, Simulation
from finmodel.engine.run import evaluate, simulate
from finmodel.engine.sampling import Method
from finmodel.engine.scenario import BASE_CASES, Scenario
from finmodel.io.stress_settings import StressSettings
from finmodel.model.base import Model
from finmodel.model.published import PublishedTable
from finmodel.model.rules import CrossTotal
from finmodel.model.statements import Statement

__all__ = ["METHODS", "Correlation", "ScenarioFile", "SimulationSettings", "scenario_names"]

METHODS: tuple[str, ...] = get_args(Method)  # ("random", "lhs")
R = TypeVar("R", Evaluation, Simulation)


def scenario_names(scenarios: Mapping[str, Scenario]) -> str:
    """The cases and a file's named scenarios, for a message.

    Examples
    --------
    >>> scenario_names({})
    "'low', 'central', 'high', 'worst', 'best'"
    """
    return ", ".join(map(repr, [*BASE_CASES, *scenarios]))


@dataclass(frozen=True)
class SimulationSettings:
    """How a file asks to be simulated: ``n`` trials, a ``seed``, a ``method``.

    Examples
    --------
    >>> SimulationSettings(100_000, 2018).method
    'random'
    """

    n: int
    seed: int | None = None
    method: str = "random"

    def __post_init__(self) -> None:
        if not isinstance(self.n, int):
            raise FinmodelError(f"SimulationSettings: n ({self.n!r}) must be a whole number of trials >= 1")
        check_trials(self.n, "SimulationSettings")
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0
        ):
            raise FinmodelError(f"SimulationSettings: seed ({self.seed!r}) must be a whole number >= 0")
        if self.method not in METHODS:
            raise FinmodelError(f"SimulationSettings: method ({self.method!r}) must be 'random' or 'lhs'")


@dataclass(frozen=True)
class Correlation:
    """A rank correlation applied on load: the named amounts and their Spearman matrix.

    Examples
    --------
    >>> Correlation(("demand", "cost"), ((1.0, 0.6), (0.6, 1.0))).amounts
    ('demand', 'cost')
    """

    amounts: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class ScenarioFile:
    """A loaded scenario file: the model, its sources, tables, statements and scenarios.

    Attributes
    ----------
    path : Path or None
        Where it was read from (None for :func:`loads`).
    title, description, source : str
        What it is, in a line; more words; the citation of the paper.
    model : MTFP, CostBenefitCase or None
        The model, with correlations applied to its inputs; None for a file of
        published tables and statements only (a savings-monitoring report), which
        :func:`~finmodel.check` still checks.
    amounts : mapping of str to Amount
        The named amounts of ``[amounts]``, by name (a plain number is a
        :class:`~finmodel.core.amounts.Fixed`).
    tables : tuple of PublishedTable
    statements : tuple of Statement
    scenarios : mapping of str to Scenario
    simulation : SimulationSettings or None
    correlations : tuple of Correlation
    stress : StressSettings or None
        The ``[stress]`` section: the stress analyses ``finmodel run`` reports.
    cross_totals : tuple of CrossTotal
        Figures of one table that other tables' figures give.
    sha256 : str or None
        The SHA-256 of the file's bytes (None for :func:`~finmodel.io.loads`); the
        provenance of every result of :meth:`evaluate` and :meth:`simulate` carries it,
        with :attr:`source`.

    Examples
    --------
    >>> import finmodel as fm
    >>> occ = fm.load(fm.scenarios_folder() / "occ-case-for-change-2018.toml")
    >>> occ.evaluate("low").run_rate, occ.evaluate("high").run_rate
    (33.0, 58.0)
    >>> occ.amounts["operating_model_minimum"].case("low")  # 29-22 + 33-32 + 34-26 + 25-23 + 24-21
    21.0
    >>> len(fm.check(occ).findings)
    8
    >>> occ.evaluate(fm.Scenario("plan B", {"Quick wins run rate": 10}, base="low")).run_rate
    35.0
    """

    path: Path | None
    title: str
    description: str
    source: str
    model: Model | None
    amounts: Mapping[str, Amount] = field(default_factory=dict)
    tables: tuple[PublishedTable, ...] = ()
    statements: tuple[Statement, ...] = ()
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    simulation: SimulationSettings | None = None
    correlations: tuple[Correlation, ...] = ()
    stress: StressSettings | None = None
    cross_totals: tuple[CrossTotal, ...] = ()
    sha256: str | None = None

    def scenario(self, name: str | Scenario) -> str | Scenario:
        """A named scenario of this file, a case name (``"low"``, ``"worst"``, ...), or a Scenario as given."""
        if isinstance(name, Scenario):
            return name
        if not isinstance(name, str):
            raise FinmodelError(
                f"{self.title}: scenario ({name!r}) must be a case, the name of one of the file's scenarios, "
                "or a Scenario"
            )
        if name in self.scenarios:
            return self.scenarios[name]
        if name in BASE_CASES:
            return name
        raise FinmodelError(
            f"{self.title}: no scenario called {name!r} (scenarios: {scenario_names(self.scenarios)})"
        )

    def _model(self) -> Model:
        if self.model is None:
            raise FinmodelError(f"{self.title}: the file has published tables and no model; check it with fm.check")
        return self.model

    def evaluate(self, scenario: str | Scenario = "central") -> Evaluation:
        """Evaluate the model under a case, one of the file's named scenarios, or a :class:`Scenario`.

        The result's provenance names the file's ``source`` and SHA-256.
        """
        return self._stamped(evaluate(self._model(), self.scenario(scenario)))

    def simulate(self, **kwargs: Any) -> Simulation:
        """Simulate with the file's settings (``n``, ``seed``, ``method``); keywords override them.

        The result's provenance names the file's ``source`` and SHA-256.

        Examples
        --------
        >>> import finmodel as fm
        >>> occ = fm.load(fm.scenarios_folder() / "occ-case-for-change-2018.toml")
        >>> p = occ.simulate(n=1_000, seed=1).provenance
        >>> p.trials, p.seed, len(p.file_sha256), p.source[:30]
        (1000, 1, 64, 'Oxfordshire County Council, Pe')
        """
        settings = self.simulation or SimulationSettings(10_000)
        options: dict[str, Any] = {"n": settings.n, "seed": settings.seed, "method": settings.method}
        options.update(kwargs)
        return self._stamped(simulate(self._model(), **options))

    def _stamped(self, result: R) -> R:
        result.provenance = replace(result.provenance, source=self.source, file_sha256=self.sha256)
        return result
