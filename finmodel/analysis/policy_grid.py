"""The policy grid: the same simulation over a grid of levers the council controls.

The levers are what members can decide (the council tax increase, the scale of a
savings programme, a use of reserves); the uncertainty is everything else. Each cell of
the grid simulates the model with the levers set, with the same seed, so every
uncertain input keeps its draws in every cell (common random numbers): two cells differ
only by their levers, and a difference between neighbouring cells is the levers'
effect, not noise.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from finmodel.analysis.targets import Condition
from finmodel.core.errors import FinmodelError
from finmodel.engine.run import simulate
from finmodel.engine.sampling import Method, SeedLike, seed_sequence
from finmodel.engine.scenario import Scenario
from finmodel.model.base import Model

__all__ = ["Lever", "PolicyGrid", "policy_grid"]


@dataclass(frozen=True)
class Lever:
    """A decision the council controls, and the settings to try.

    Parameters
    ----------
    name : str
        A named input (``fm.Fixed(2.0, name="council tax increase")``) or a line's name.
    values : sequence
        For an input, numbers; for a line, its new amounts (a number, or one per year); with
        ``scale=True``, factors that multiply the line (0.8 is a programme cut by a fifth).
    scale : bool
        Scale the named line by each value instead of replacing its amounts.

    Examples
    --------
    >>> Lever("Transformation savings", [0.8, 1.0, 1.2], scale=True).values
    (0.8, 1.0, 1.2)
    """

    name: str
    values: Sequence[Any]
    scale: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise FinmodelError(f"Lever: name ({self.name!r}) must name an input or a line")
        if isinstance(self.values, (str, bytes)) or not isinstance(self.values, Sequence) or not self.values:
            raise FinmodelError(f"Lever {self.name!r}: values ({self.values!r}) must be a non-empty list")
        object.__setattr__(self, "values", tuple(self.values))


@dataclass(frozen=True)
class PolicyGrid:
    """The probability of a condition in each cell of a grid of levers.

    Attributes
    ----------
    condition : Condition
    levers : tuple of Lever
    trials : int
        Trials per cell (the same draws in every cell).
    table : pandas.DataFrame
        One row per cell: a column per lever (its setting), ``probability`` and
        ``standard_error`` (:math:`\\sqrt{p(1-p)/n}`).

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 1), [fm.Pressure("d", fm.Uniform(0, 10)),
    ...     fm.Funding("Council tax", [fm.Fixed(0.0, name="tax")])])
    >>> grid = policy_grid(plan, [Lever("tax", [0, 5, 10])], Condition("total_net_pressure", "<=", 0), n=10_000, seed=1)
    >>> grid.table["probability"].round(1).tolist()
    [0.0, 0.5, 1.0]
    """

    condition: Condition
    levers: tuple[Lever, ...]
    trials: int
    table: pd.DataFrame

    def pivot(self) -> pd.DataFrame:
        """The probabilities as a grid: the first lever down, the second across (two levers)."""
        if len(self.levers) != 2:
            raise FinmodelError(f"PolicyGrid.pivot: needs two levers, the grid has {len(self.levers)}")
        first, second = (lever.name for lever in self.levers)
        return self.table.pivot(index=first, columns=second, values="probability")

    def __repr__(self) -> str:
        return f"P({self.condition.describe()}), {self.trials:,} trials per cell:\n{self.table.to_string(index=False)}"


def _apply(model: Model, levers: Sequence[Lever], setting: Sequence[Any]) -> tuple[Model, dict[str, Any]]:
    """The model with the scaling levers applied, and the overrides of the others."""
    overrides: dict[str, Any] = {}
    for lever, value in zip(levers, setting, strict=True):
        if lever.scale:
            if lever.name not in {li.name for li in model.lines}:
                raise FinmodelError(f"Lever {lever.name!r}: {model.describe()} has no line of that name to scale")
            model = model.with_line(model.line(lever.name).scaled(float(value)))
        else:
            overrides[lever.name] = list(value) if isinstance(value, tuple) else value
    return model, overrides


def policy_grid(
    model: Model,
    levers: Sequence[Lever],
    condition: Condition,
    *,
    n: int = 10_000,
    seed: SeedLike = None,
    method: Method = "random",
) -> PolicyGrid:
    """Simulate every combination of the levers' settings with common random numbers.

    Parameters
    ----------
    model : MTFP or CostBenefitCase
    levers : sequence of Lever
    condition : Condition
        What to report the probability of, e.g. a balanced budget in 2021/22:
        ``Condition("cumulative_gap", "<=", 0, year="2021/22")``.
    n : int
        Trials per cell.
    seed : int, Generator or None
        One seed for every cell: the same draws of every uncertain input in each.
    method : {"random", "lhs"}

    Returns
    -------
    PolicyGrid

    Raises
    ------
    FinmodelError
        If a lever would change which uncertain inputs the model has (a line whose
        uncertain amount is replaced): the other inputs' draws would then differ between
        cells. Give the lever a named input instead, or scale the line.
    """
    chosen = tuple(levers)
    if not chosen or not all(isinstance(lever, Lever) for lever in chosen):
        raise FinmodelError(f"policy_grid: levers ({levers!r}) must be a non-empty list of Lever")
    if not isinstance(condition, Condition):
        raise FinmodelError(f"policy_grid: condition ({condition!r}) must be a Condition")
    sequence = seed_sequence(seed)
    inputs = model.leaves()
    rows = []
    for setting in itertools.product(*(lever.values for lever in chosen)):
        changed, overrides = _apply(model, chosen, setting)
        scenario = Scenario(", ".join(f"{lever.name} = {value}" for lever, value in zip(chosen, setting, strict=True)),
                            overrides)
        applied, _ = scenario.apply(changed)
        if applied.leaves() != inputs:
            raise FinmodelError(
                f"policy_grid: setting {scenario.name} changes the model's uncertain inputs, so the other inputs' "
                "draws would differ from cell to cell; make the lever a named input (fm.Fixed(..., name=...)) "
                "or scale the line (Lever(..., scale=True))"
            )
        copy = np.random.SeedSequence(sequence.entropy, spawn_key=sequence.spawn_key)
        sim = simulate(changed, n, copy, method=method, scenario=scenario, metrics=[condition.metric])
        p = condition.probability(sim)
        rows.append((*setting, p, float(np.sqrt(p * (1 - p) / sim.n))))
    names = [lever.name for lever in chosen]
    table = pd.DataFrame(rows, columns=[*names, "probability", "standard_error"])
    return PolicyGrid(condition, chosen, int(n), table)
