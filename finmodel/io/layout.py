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

__all__ = [
    "BREACH_KEYS",
    "CELL_KEYS",
    "COMMON_BASE_KEYS",
    "COMMON_LINE_KEYS",
    "CROSS_TOTAL_KEYS",
    "LINES",
    "MODEL_KEYS",
    "REPRODUCES_KEYS",
    "RESERVES_KEYS",
    "ROW_KEYS",
    "SCHEMA",
    "SECTION_OF",
    "STATEMENT_KEYS",
    "STRESS_KEYS",
    "TABLE_KEYS",
    "TOP_KEYS",
    "TOTAL_KEYS",
]

# keys every line takes, besides its single amount and the further keys of its kind
COMMON_LINE_KEYS = ("amounts", "delay", "start_month", "category", "owner")

# section -> (class, model kind, the single-amount key, further keys): from the line kinds
LINES: dict[str, tuple[type[Line], str, str | None, tuple[str, ...]]] = {
    kind.section: (kind, kind.model_kind, kind.single_key, tuple(kind.file_keys)) for kind in Line.kinds()
}

# line class -> its section ("benefit")
SECTION_OF: dict[type[Line], str] = {kind: kind.section for kind in Line.kinds()}

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
    "rag",
    *LINES,
    "reserves_balance",
    "correlation",
    "scenario",
    "simulation",
    "stress",
    "table",
    "statement",
    "cross_total",
)

# the keys of [model] every kind takes (a relative timeline: labels, first; start optional)
_TIMELINE_KEYS = ("kind", "name", "start", "years", "labels", "first", "units")

# model kind -> the keys of [model]
MODEL_KEYS = {
    "MTFP": (*_TIMELINE_KEYS, "base_budget", "order"),
    "CostBenefitCase": (*_TIMELINE_KEYS, "discount_rate", "first_year", "discount_factors"),
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

# published tables, their parts, statements and relations across tables
TABLE_KEYS = ("name", "source", "units", "columns", "rounding", "note", "row", "total", "common_base", "reproduces")
ROW_KEYS = ("label", "values", "source", "rounding")
TOTAL_KEYS = ("row", "column", "of", "minus", "times", "over", "scale", "running", "within")
COMMON_BASE_KEYS = ("columns", "rows", "scale", "within")
REPRODUCES_KEYS = ("scenario", "basis", "rows", "columns", "signs", "costs", "metrics", "discount_factors")
STATEMENT_KEYS = (
    "text",
    "value",
    "source",
    "metric",
    "line",
    "cell",
    "of",
    "minus",
    "times",
    "over",
    "scale",
    "op",
    "year",
    "scenario",
    "basis",
    "units",
    "rounding",
)
CELL_KEYS = ("table", "row", "column")
CROSS_TOTAL_KEYS = ("target", "of", "minus", "times", "over", "scale", "name", "source")
