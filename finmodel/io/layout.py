"""The layout of a scenario file: its sections, and the keys each section takes.

Reading checks files against these tables and writing follows them, so the two agree
on the format. ``docs/scenario-files.md`` describes every key.

Examples
--------
>>> LINES["benefit"][2], SECTION_OF["Benefit"]
('run_rate', 'benefit')
"""

from __future__ import annotations

from finmodel.model.lines import (
    Benefit,
    Cost,
    Funding,
    Investment,
    Line,
    Pressure,
    Reprofile,
    Reserves,
    Saving,
)

__all__ = ["COMMON_LINE_KEYS", "LINES", "MODEL_KEYS", "SCHEMA", "SECTION_OF", "TOP_KEYS"]

# keys every line takes, besides its single amount and the further keys of its section
COMMON_LINE_KEYS = ("amounts", "delay", "category", "owner")

# section -> (class, model kind, the single-amount key, further keys)
LINES: dict[str, tuple[type[Line], str, str | None, tuple[str, ...]]] = {
    "pressure": (Pressure, "MTFP", "amount", ("profile", "recurring")),
    "investment": (Investment, "MTFP", "amount", ("profile", "recurring")),
    "saving": (Saving, "MTFP", "amount", ("profile", "recurring", "delivery")),
    "reprofile": (Reprofile, "MTFP", None, ()),
    "funding": (Funding, "MTFP", "amount", ("profile", "basis", "base")),
    "reserves": (Reserves, "MTFP", "amount", ("recurring",)),
    "benefit": (Benefit, "CostBenefitCase", "run_rate", ("profile", "recurring", "delivery")),
    "cost": (Cost, "CostBenefitCase", "amount", ("profile", "recurring")),
}

# line kind ("Benefit") -> its section ("benefit")
SECTION_OF = {cls.kind: section for section, (cls, *_rest) in LINES.items()}

#: The version of the file format this finmodel reads and writes (``schema = 1``); a file
#: without the key is read as schema 1.
SCHEMA = 1

TOP_KEYS = (
    "schema",
    "title",
    "description",
    "source",
    "model",
    "amounts",
    *LINES,
    "correlation",
    "scenario",
    "simulation",
    "table",
    "statement",
)

# model kind -> the keys of [model]
MODEL_KEYS = {
    "MTFP": ("kind", "name", "start", "years", "units", "base_budget", "order"),
    "CostBenefitCase": ("kind", "name", "start", "years", "units", "discount_rate", "first_year"),
}
