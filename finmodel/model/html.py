"""A model as plain HTML for Jupyter: its lines, as typed in, one row each.

The model layer draws nothing: this is a table of text (no matplotlib), shown by
``Model._repr_html_``. Every piece of text is escaped, so a line called ``<b>`` shows
as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from finmodel.core.amounts import fmt_number
from finmodel.core.years import Timeline
from finmodel.model.lines import Line

__all__ = ["amount_text", "model_html"]

_CELL = "text-align:left;padding:2px 8px;vertical-align:top"


def amount_text(amount: Any) -> str:
    """An amount as typed: ``12``, ``Range(low=21, high=33)``, or one per year joined by commas.

    Examples
    --------
    >>> import finmodel as fm
    >>> amount_text((4.8, 0.4, fm.Range(0, 1))), amount_text(33.0)
    ('4.8, 0.4, Range(low=0, high=1)', '33')
    """
    if isinstance(amount, tuple):
        return ", ".join(amount_text(a) for a in amount)
    if isinstance(amount, float):
        return fmt_number(amount)
    return repr(amount)


def _row(line: Line, tags: Sequence[str]) -> list[str]:
    optional = [
        repr(line.profile) if line.profile is not None else "",
        amount_text(line.delivery) if line.delivery is not None else "",
        amount_text(line.delay) if line.delay is not None else "",
    ]
    return [
        line.kind,
        line.name,
        amount_text(line.amount),
        *optional,
        "yes" if line.recurring else "one-off",
        *(getattr(line, tag) or "" for tag in tags),
    ]


def model_html(kind: str, name: str, timeline: Timeline, units: str, lines: Sequence[Line], inputs: int) -> str:
    """The lines of a model as an HTML table under a one-line caption.

    Columns with nothing in them (no line is phased, delayed, tagged...) are left out.

    Examples
    --------
    >>> import finmodel as fm
    >>> plan = fm.MTFP("p", fm.Timeline("2018/19", 2), [fm.Saving("Efficiency", fm.Range(1, 2))])
    >>> html = plan._repr_html_()
    >>> "MTFP &#x27;p&#x27;: 2018/19 to 2019/20, £m, 1 line, 1 uncertain input" in html
    True
    """
    tags = [tag for tag in ("category", "owner") if any(getattr(li, tag) for li in lines)]
    head = ["Kind", "Line", "Amount", "Phasing", "Delivery", "Delay", "Recurring", *(t.capitalize() for t in tags)]
    rows = [_row(line, tags) for line in lines]
    keep = [j for j in range(len(head)) if j < 3 or any(row[j] for row in rows)]
    header = "".join(f'<th style="{_CELL}">{escape(head[j])}</th>' for j in keep)
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{escape(row[j])}</td>' for j in keep) + "</tr>" for row in rows
    )
    count = f"{len(lines)} line{'s' if len(lines) != 1 else ''}"
    uncertain = f"{inputs} uncertain input{'s' if inputs != 1 else ''}"
    caption = f"{kind} {name!r}: {timeline.labels[0]} to {timeline.end}, {units}, {count}, {uncertain}"
    return (
        '<table class="finmodel-model" style="border-collapse:collapse">'
        f'<caption style="text-align:left;font-weight:bold">{escape(caption)}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"
    )
