"""The layout of a scenario file: its sections, and the keys each section takes.

Reading checks files against these tables and writing follows them, so the two agree
on the format. ``docs/scenario-files.md`` describes every key.

Examples
--------
>>> from finmodel.model.lines import Benefit
>>> LINES["benefit"][2], SECTION_OF[Benefit]
('run_rate', 'benefit')
"""

from __future__ import annotations

from finmodel.model.lines import Line

__all__ = ["BREACH_KEYS", "COMMON_LINE_KEYS", "LINES", "MODEL_KEYS", "RESERVES_KEYS", "SECTION_OF", "STRESS_KEYS", "TOP_KEYS"]

# keys every line takes, besides its single amount and the further keys of its kind
COMMON_LINE_KEYS = ("amounts", "delay", "start_month", "category", "owner")

# section -> (class, model kind, the single-amount key, further keys): from the line kinds
LINES: dict[str, tuple[type[Line], str, str | None, tuple[str, ...]]] = {
    kind.section: (kind, kind.model_kind, kind.single_key, tuple(kind.file_keys)) for kind in Line.kinds()
}

# line class -> its section ("benefit")
SECTION_OF: dict[type[Line], str] = {kind: kind.section for kind in Line.kinds()}

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
    "stress",
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
# the keys of [stress], and of its breach table
STRESS_KEYS = ("metric", "year", "tornado", "points", "switching", "target", "inputs", "breach")
BREACH_KEYS = ("metric", "op", "threshold", "year")
