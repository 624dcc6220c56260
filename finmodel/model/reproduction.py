"""How a model reproduces a published table: scenario, basis, names, and the paper's signs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from finmodel.core.errors import ModelError
from finmodel.model.printed import text

__all__ = ["Reproduction"]

Costs = Literal["negative", "positive"]


@dataclass(frozen=True)
class Reproduction:
    """How a model reproduces a published table: scenario, basis, names and signs.

    The table's columns are years of the model's timeline (``"18/19"``, ``"2018/19"``,
    ``"Y3"`` on a relative timeline, or a printed column mapped by ``columns``) or
    ``"Total"``. Each printed row is a row of the model's table, or (``metrics``) a
    per-year metric of the model such as ``present_value``.

    Parameters
    ----------
    scenario : str
        A case (``"low"``, ``"central"``, ...) or the name of a scenario defined with the
        model.
    basis : str, optional
        The table view: ``"incremental"`` or ``"in-year"`` for a case,
        ``"incremental"`` or ``"cumulative"`` for an MTFP; default the model's first.
    rows : mapping, optional
        Printed row label -> the model table's row label, where they differ
        (``{"Annual capital cost": "Annual cost"}``).
    columns : mapping, optional
        Printed column label -> a year of the model's timeline, where the paper prints
        its years another way (``{"Year 1": "2018/19"}``).
    signs : mapping, optional
        Printed row label -> +1 or -1: -1 for a row the paper prints as the negative of
        the model's row ("Net cost" against the model's net benefit).
    costs : {"negative", "positive"}
        How the paper prints the rows finmodel prints negated (a case's costs): as
        negatives (the default, as finmodel prints them), or as positive numbers.
    metrics : mapping, optional
        Printed row label -> a per-year metric of the model (``{"Discount factor":
        "discount_factor", "Present value": "present_value"}``); the Total cell of a
        money metric is its sum over the years (the NPV, for present values).
    discount_factors : str, optional
        A printed row of discount factors the model should use instead of its own rate,
        so that present values and the NPV match a paper that computed with its own
        rounded factors. The check says which factors it used.

    Examples
    --------
    >>> spec = Reproduction("low", "incremental", {"Annual capital cost": "Annual cost"})
    >>> spec.model_row("Annual capital cost")
    'Annual cost'
    >>> Reproduction(signs={"Net cost": -1}, rows={"Net cost": "Annual net benefit"}).sign("Net cost")
    -1.0
    """

    scenario: str = "central"
    basis: str | None = None
    rows: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    signs: Mapping[str, float] = field(default_factory=dict)
    costs: Costs = "negative"
    metrics: Mapping[str, str] = field(default_factory=dict)
    discount_factors: str | None = None

    def __post_init__(self) -> None:
        who = "Reproduction"
        text(self.scenario, who, "scenario")
        if self.basis is not None:
            text(self.basis, who, "basis")
        for name in ("rows", "columns", "metrics"):
            given = getattr(self, name)
            if not isinstance(given, Mapping):
                raise ModelError(f"{who}: {name} ({given!r}) must map printed labels to the model's")
            mapped = {text(k, who, f"{name} key"): text(v, who, f"{name}[{k!r}]") for k, v in given.items()}
            object.__setattr__(self, name, mapped)
        both = set(self.rows) & set(self.metrics)
        if both:
            raise ModelError(f"{who}: row {sorted(both)[0]!r} is mapped both to a model row and to a metric")
        if not isinstance(self.signs, Mapping):
            raise ModelError(f"{who}: signs ({self.signs!r}) must map printed row labels to +1 or -1")
        signs = {}
        for k, v in self.signs.items():
            if isinstance(v, bool) or v not in (1, -1):
                raise ModelError(f"{who}: signs[{k!r}] ({v!r}) must be +1 or -1")
            signs[text(k, who, "signs key")] = float(v)
        object.__setattr__(self, "signs", signs)
        if self.costs not in ("negative", "positive"):
            raise ModelError(f"{who}: costs ({self.costs!r}) must be 'negative' or 'positive'")
        if self.discount_factors is not None:
            text(self.discount_factors, who, "discount_factors")

    def model_row(self, label: str) -> str:
        """The model table's label for a printed row."""
        return self.rows.get(label, label)

    def sign(self, label: str) -> float:
        """+1, or -1 for a printed row that is the negative of the model's."""
        return self.signs.get(label, 1.0)
