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

__all__ = ["COMMON_LINE_KEYS", "LINES", "MODEL_KEYS", "RESERVES_KEYS", "SECTION_OF", "TOP_KEYS"]

# keys every line takes, besides its single amount and the further keys of its section
COMMON_LINE_KEYS = ("amounts", "delay", "start_month", "category", "owner")

# section -> (class, model kind, the single-amount key, further keys)
LINES: dict[str, tuple[type[Line], str, str | None, tuple[str, ...]]] = {
    "pressure": (Pressure, "MTFP", "amount", ("profile", "recurring", "basis", "base")),
    "investment": (Investment, "MTFP", "amount", ("profile", "recurring", "basis", "base")),
    "saving": (Saving, "MTFP", "amount", ("profile", "recurring", "delivery", "rag", "basis", "base")),
    "reprofile": (Reprofile, "MTFP", None, ()),
    "funding": (Funding, "MTFP", "amount", ("profile", "basis", "base")),
    "reserves": (Reserves, "MTFP", "amount", ("recurring",)),
    "benefit": (Benefit, "CostBenefitCase", "run_rate", ("profile", "recurring", "delivery", "rag")),
    "cost": (Cost, "CostBenefitCase", "amount", ("profile", "recurring")),
}

# line kind ("Benefit") -> its section ("benefit")
SECTION_OF = {cls.kind: section for section, (cls, *_rest) in LINES.items()}

TOP_KEYS = (
    "title",
    "description",
    "source",
    "model",
    "amounts",
    "rag",
    *LINES,
    "reserves_balance",
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

# the keys of [reserves_balance] (an MTFP's ReservesBalance)
RESERVES_KEYS = (
    "general",
    "earmarked",
    "minimum",
    "minimum_share",
    "policy",
    "use_earmarked",
    "earmarked_use",
    "net_revenue_expenditure",
    "history",
)
