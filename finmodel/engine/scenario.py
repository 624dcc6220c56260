"""Named scenarios: every input at a case, or chosen inputs and lines set by hand.

``"low"``, ``"central"`` and ``"high"`` put every uncertain input at that case.
``"worst"`` and ``"best"`` put each input at its unfavourable or favourable end, judged
by the lines it feeds: more benefit, saving, funding or reserves is favourable; more
cost, pressure or investment is not. An input that feeds both directions (or is not
monotone in what it feeds) has no worst end of its own, and the scenario asks for it to
be set explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from finmodel.core.amounts import CASES, Amount, Leaf, check_number
from finmodel.core.errors import AmountError, FinmodelError, ScenarioError
from finmodel.core.names import check_name
from finmodel.model.base import Model

__all__ = ["BASE_CASES", "Scenario", "as_scenario"]

BASE_CASES = ("low", "central", "high", "worst", "best")


def _check_override(scenario: str, key: Any, value: Any) -> Any:
    if isinstance(value, str):
        if value in CASES:
            return value
        raise ScenarioError(
            f"Scenario {scenario!r}: override {key!r} = {value!r} is not a number or a list of numbers"
        )
    if isinstance(value, Amount):
        return value
    try:
        if isinstance(value, (list, tuple)):
            return [
                v if isinstance(v, Amount) else check_number(v, f"Scenario {scenario!r}: {key!r}[{i}]")
                for i, v in enumerate(value)
            ]
        return check_number(value, f"Scenario {scenario!r}: override {key!r}")
    except AmountError as err:
        if "expected a number" in str(err):
            raise ScenarioError(
                f"Scenario {scenario!r}: override {key!r} = {value!r} is not a number or a list of numbers"
            ) from None
        raise ScenarioError(str(err)) from None


@dataclass(frozen=True)
class Scenario:
    """A named what-if: a base case for every input, with some inputs or lines overridden.

    Parameters
    ----------
    name : str
        Shown in results and reports ("plan B").
    overrides : mapping, optional
        Keys are input objects, input names (``name=`` given to the input) or line names.
        An input takes a number or a case name (``"low"``, ``"central"``, ``"high"``); a
        line takes a new amount (a number, an uncertain amount, or one per year).
    base : {"central", "low", "high", "worst", "best"}
        Where every input not overridden sits.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> qw = fm.Range(8, 17, name="Quick wins run rate")
    >>> case = fm.CostBenefitCase("c", years, benefits=[fm.Benefit("Quick wins", qw)],
    ...                           costs=[fm.Cost("IT", [3, 1])])
    >>> fm.evaluate(case, fm.Scenario("plan B", {"Quick wins run rate": 10})).run_rate
    10.0
    >>> fm.evaluate(case, fm.Scenario("no IT overrun", {"IT": [3, 0]}, base="low")).npv(rate=0.0)
    13.0
    """

    name: str
    overrides: Mapping[Any, Any] = field(default_factory=dict)
    base: str = "central"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ScenarioError(f"Scenario: name ({self.name!r}) must be a non-empty string")
        check_name(self.name, "Scenario", error=ScenarioError)
        if self.base not in BASE_CASES:
            raise ScenarioError(f"Scenario {self.name!r}: base ({self.base!r}) must be one of {BASE_CASES}")
        if not isinstance(self.overrides, Mapping):
            raise ScenarioError(f"Scenario {self.name!r}: overrides ({self.overrides!r}) must be a mapping")
        checked = {k: _check_override(self.name, k, v) for k, v in self.overrides.items()}
        object.__setattr__(self, "overrides", MappingProxyType(checked))  # read-only, like the rest

    def apply(self, model: Model) -> tuple[Model, dict[Leaf, float]]:
        """The model with line overrides applied, and the fixed value of every overridden input."""
        leaves = model.leaves()
        by_name: dict[str, list[Leaf]] = {}
        for leaf in leaves:
            if leaf.name is not None:
                by_name.setdefault(leaf.name, []).append(leaf)
        line_names = {li.name for li in model.lines}
        fixed: dict[Leaf, float] = {}
        for key, value in self.overrides.items():
            if isinstance(key, Leaf):
                target: Leaf | str = key
            elif isinstance(key, str):
                in_lines, in_leaves = key in line_names, key in by_name
                if in_lines and in_leaves:
                    raise ScenarioError(
                        f"Scenario {self.name!r}: {key!r} names both a line and an input; "
                        "override the input object itself"
                    )
                if in_leaves and len(by_name[key]) > 1:
                    raise ScenarioError(
                        f"Scenario {self.name!r}: {len(by_name[key])} inputs are called {key!r}; "
                        "override the input object itself"
                    )
                if not (in_lines or in_leaves):
                    known = sorted(line_names | set(by_name))
                    raise ScenarioError(
                        f"Scenario {self.name!r}: {model.describe()} has no line or named input "
                        f"called {key!r} (names: {', '.join(map(repr, known))})"
                    )
                target = by_name[key][0] if in_leaves else key
            else:
                raise ScenarioError(
                    f"Scenario {self.name!r}: override key {key!r} must be an input or a name"
                )
            if isinstance(target, Leaf):
                if target not in leaves:
                    raise ScenarioError(
                        f"Scenario {self.name!r}: {target.describe()} is not an input of {model.describe()}"
                    )
                if isinstance(value, (list, Amount)):
                    raise ScenarioError(
                        f"Scenario {self.name!r}: input {target.describe()} takes one number or a case "
                        f"name, not {value!r}"
                    )
                fixed[target] = target.cases[value] if isinstance(value, str) else float(value)
            else:
                if isinstance(value, str):
                    raise ScenarioError(
                        f"Scenario {self.name!r}: line {target!r} takes an amount, not the case name {value!r}"
                    )
                try:
                    model = model.with_line(model.line(target).with_amount(value))
                except FinmodelError as err:
                    raise ScenarioError(f"Scenario {self.name!r}: {err}") from None
        return model, fixed

    def values(self, model: Model) -> tuple[Model, dict[Leaf, float]]:
        """The model (line overrides applied) and one value for every input."""
        model, fixed = self.apply(model)
        signs = model.signs() if self.base in ("worst", "best") else {}
        out: dict[Leaf, float] = {}
        for leaf in model.leaves():
            if leaf in fixed:
                out[leaf] = fixed[leaf]
            elif self.base in CASES:
                out[leaf] = leaf.cases[self.base]
            else:
                sign = signs.get(leaf, 0)
                if sign == 0:
                    feeds = [li.name for li in model.lines if leaf in li.leaves()]
                    raise ScenarioError(
                        f"Scenario {self.name!r}: {leaf.describe()} feeds {', '.join(map(repr, feeds))} "
                        f"in both directions, so it has no {self.base} end of its own; set it "
                        f"explicitly, e.g. Scenario('{self.base}', {{{(leaf.name or 'the input')!r}: 'high'}}, "
                        f"base='{self.base}')"
                    )
                favourable = "high" if sign > 0 else "low"
                unfavourable = "low" if sign > 0 else "high"
                out[leaf] = leaf.cases[favourable if self.base == "best" else unfavourable]
        return model, out


def as_scenario(scenario: str | Scenario) -> Scenario:
    """Accept a case name or a :class:`Scenario`.

    Examples
    --------
    >>> as_scenario("low").base
    'low'
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str) and scenario in BASE_CASES:
        return Scenario(scenario, {}, base=scenario)
    raise ScenarioError(
        f"scenario ({scenario!r}) must be one of {', '.join(map(repr, BASE_CASES))} or a Scenario"
    )
