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
from finmodel.model.base import Model
from finmodel.model.published import PublishedTable, Statement

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
    model : MTFP or CostBenefitCase
        The model, with correlations applied to its inputs.
    amounts : mapping of str to Amount
        The named amounts of ``[amounts]``, by name (a plain number is a
        :class:`~finmodel.core.amounts.Fixed`).
    tables : tuple of PublishedTable
    statements : tuple of Statement
    scenarios : mapping of str to Scenario
    simulation : SimulationSettings or None
    correlations : tuple of Correlation
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
    """

    path: Path | None
    title: str
    description: str
    source: str
    model: Model
    amounts: Mapping[str, Amount] = field(default_factory=dict)
    tables: tuple[PublishedTable, ...] = ()
    statements: tuple[Statement, ...] = ()
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    simulation: SimulationSettings | None = None
    correlations: tuple[Correlation, ...] = ()
    sha256: str | None = None

    def scenario(self, name: str) -> str | Scenario:
        """A named scenario of this file, or a case name (``"low"``, ``"worst"``, ...)."""
        if name in self.scenarios:
            return self.scenarios[name]
        if name in BASE_CASES:
            return name
        raise FinmodelError(
            f"{self.title}: no scenario called {name!r} (scenarios: {scenario_names(self.scenarios)})"
        )

    def evaluate(self, scenario: str = "central") -> Evaluation:
        """Evaluate the model under a case or one of the file's named scenarios.

        The result's provenance names the file's ``source`` and SHA-256.
        """
        return self._stamped(evaluate(self.model, self.scenario(scenario)))

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
        return self._stamped(simulate(self.model, **options))

    def _stamped(self, result: R) -> R:
        result.provenance = replace(result.provenance, source=self.source, file_sha256=self.sha256)
        return result
