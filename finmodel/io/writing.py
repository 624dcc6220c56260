"""Writing a scenario file: :func:`dump` and :func:`dumps`.

The sections are written in the order of ``docs/scenario-files.md``; amounts are named
and written by :class:`~finmodel.io.naming.AmountNames`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from finmodel.core.amounts import Amount, Leaf
from finmodel.core.correlation import Correlated
from finmodel.core.profiles import Profile
from finmodel.core.rag import DEFAULT_RAG, RATINGS, Rated
from finmodel.io.atomic import write_atomic
from finmodel.io.errors import ScenarioFileError
from finmodel.io.layout import LINES, SCHEMA, SECTION_OF
from finmodel.io.naming import AmountNames
from finmodel.io.scenario_file import ScenarioFile
from finmodel.io.stress_settings import write_stress
from finmodel.io.toml_writer import (
    Raw,
    assignment,
    inline_table,
    multiline_string,
    toml_key,
    toml_number,
    toml_string,
    toml_value,
)
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import Line
from finmodel.model.plans import MTFP
from finmodel.model.published import EXACT, PublishedTable, Total
from finmodel.model.reserves import ReservesBalance
from finmodel.model.rules import Cell, CommonBase, CrossTotal
from finmodel.model.statements import LineRow, Part, Statement

__all__ = ["dump", "dumps"]


def dumps(obj: ScenarioFile | Model) -> str:
    """A model or a scenario file as TOML text (:func:`loads` reads it back).

    A model alone is written with its name as the title. Named amounts are written
    under ``[amounts]``; an unnamed amount used more than once is given a name
    (``amount_1``) so that it stays one amount, and carries that name when read back.
    An expression too long or too deeply nested for one string of a file (a sum of
    thousands of inputs) is written as named parts, so every file written can be read
    back. The file starts with ``schema = 1``, the version of the format. Comments are
    not kept.

    Examples
    --------
    >>> import finmodel as fm
    >>> years = fm.Timeline("2018/19", 4)
    >>> case = fm.CostBenefitCase("OCC", years,
    ...     [fm.Benefit("Quick wins", fm.Range(8, 17), fm.Profile.increments([2, 13, 13, 5]))],
    ...     [fm.Cost("Implementation", [3, 8, 5, 1])])
    >>> print(fm.dumps(case))
    schema = 1
    title = "OCC"
    source = ""
    <BLANKLINE>
    [model]
    kind = "CostBenefitCase"
    name = "OCC"
    start = "2018/19"
    years = 4
    units = "£m"
    <BLANKLINE>
    [[benefit]]
    name = "Quick wins"
    run_rate = { kind = "Range", low = 8, high = 17 }
    profile = { increments = [2, 13, 13, 5] }
    <BLANKLINE>
    [[cost]]
    name = "Implementation"
    amounts = [3, 8, 5, 1]
    <BLANKLINE>
    """
    if isinstance(obj, Model):
        obj = ScenarioFile(None, obj.name, "", "", obj)
    if not isinstance(obj, ScenarioFile):
        raise ScenarioFileError(f"dump: expected a ScenarioFile or a model, got {type(obj).__name__}")
    return "\n".join(_Writer(obj).lines()) + "\n"


def dump(obj: ScenarioFile | Model, path: str | Path) -> Path:
    """Write a model or a scenario file to ``path`` as TOML; returns the path.

    ``load(dump(model, path)).model`` is the same model: the same lines, amounts,
    profiles and shared amounts, so it evaluates and simulates identically.

    Examples
    --------
    >>> import tempfile, finmodel as fm
    >>> years = fm.Timeline("2018/19", 2)
    >>> case = fm.CostBenefitCase("c", years, [fm.Benefit("b", fm.Range(4, 8))], [fm.Cost("k", [5, 1])])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     again = fm.load(fm.dump(case, folder + "/c.toml")).model
    >>> fm.evaluate(again, "low").npv(rate=0.0)
    2.0
    """
    return write_atomic(path, dumps(obj))


def _section(header: str, *lines: str) -> list[str]:
    """A blank line, a header such as ``[[cost]]``, and its lines."""
    return ["", header, *lines]


class _Writer:
    """Lays out the sections of one scenario file."""

    def __init__(self, sf: ScenarioFile) -> None:
        self.sf = sf
        self.names = AmountNames(sf)

    def lines(self) -> list[str]:
        sf = self.sf
        out = [f"schema = {SCHEMA}", f"title = {toml_string(sf.title)}"]
        if sf.description:
            out.append(f"description = {multiline_string(sf.description)}")
        out.append(f"source = {toml_string(sf.source)}")
        if sf.model is not None:
            out += self._model_sections()
        for table in sf.tables:
            out += _table(table)
        for st in sf.statements:
            out += _section("[[statement]]", *_statement(st))
        for rule in sf.cross_totals:
            out += _section("[[cross_total]]", *_cross_total(rule))
        return out

    def _model_sections(self) -> list[str]:
        sf = self.sf
        out = _section("[model]", *self._model())
        out += self._rag()
        out += self._amounts()
        for line in self._grouped():
            out += _section(f"[[{SECTION_OF[type(line)]}]]", *self._line(line))
        reserves = getattr(sf.model, "reserves", None)
        if reserves is not None:
            out += _section("[reserves_balance]", *_reserves(reserves))
        out += self._correlations()
        for name, scenario in sf.scenarios.items():
            out += _section(f"[scenario.{toml_key(name)}]", assignment("base", scenario.base))
            if scenario.overrides:
                items = {
                    self._override_key(k): self._override_value(v) for k, v in scenario.overrides.items()
                }
                out.append(f"overrides = {inline_table(items)}")
        if sf.simulation is not None:
            out += _section("[simulation]", f"n = {sf.simulation.n}")
            if sf.simulation.seed is not None:
                out.append(f"seed = {sf.simulation.seed}")
            out.append(assignment("method", sf.simulation.method))
        if sf.stress is not None:
            out += write_stress(sf.stress)
        return out

    def _model(self) -> list[str]:
        model = self.sf.model
        assert model is not None
        timeline = model.timeline
        out = [assignment("kind", model.kind), assignment("name", model.name)]
        if timeline.financial_years is not None:
            out.append(assignment("start", timeline.financial_years[0]))
        out.append(f"years = {timeline.length}")
        if timeline.label is not None:
            out += [assignment("labels", timeline.label), f"first = {timeline.first}"]
        out.append(assignment("units", model.units))
        if isinstance(model, MTFP):
            if model.base_budget is not None:
                out.append(f"base_budget = {toml_number(model.base_budget)}")
            names = [li.name for li in self._grouped()]
            if names != [li.name for li in model.lines]:
                out.append(assignment("order", [li.name for li in model.lines]))
        elif isinstance(model, CostBenefitCase):
            if model.discount_rate is not None:
                out.append(f"discount_rate = {toml_number(model.discount_rate)}")
            if model.first_year != "undiscounted":
                out.append(assignment("first_year", model.first_year))
            if model.discount_factors is not None:
                out.append(assignment("discount_factors", list(model.discount_factors)))
        return out

    def _rag(self) -> list[str]:
        """``[rag]``: the ratings whose meaning differs from :data:`~finmodel.DEFAULT_RAG`."""
        scale = self.names.rag_scale
        default = dict(zip(RATINGS, DEFAULT_RAG.key, strict=True))
        changed = [(r, k) for r, k in zip(RATINGS, scale.key, strict=True) if k != default[r]]
        lines = []
        for rating, (_r, kind, params) in changed:
            value = dict(params)["value"] if kind == "number" else Raw(inline_table({"kind": kind, **dict(params)}))
            lines.append(f"{rating} = {toml_value(value)}")
        return _section("[rag]", *lines) if lines else []

    def _amounts(self) -> list[str]:
        """``[amounts]``: the file's named amounts in their order, then those named on writing."""
        keys, aliases = self.names.keys, self.names.aliases
        if not keys and not aliases:
            return []
        defined = {key: amount for amount, key in keys.items()}
        order = [
            *[k for k in self.sf.amounts if k in defined],
            *[keys[a] for a in self.names.met if a in keys and keys[a] not in self.sf.amounts],
        ]
        return _section(
            "[amounts]",
            *[f"{toml_key(key)} = {toml_value(self.names.definition(defined[key], key))}" for key in order],
            *[f"{toml_key(alias)} = {toml_value(target)}" for alias, target in aliases],
        )

    def _grouped(self) -> list[Line]:
        """The lines grouped by kind, the kinds in the order they first appear."""
        model = self.sf.model
        assert model is not None
        kinds = list(dict.fromkeys(type(li) for li in model.lines))
        return [li for kind in kinds for li in model.lines if type(li) is kind]

    def _line(self, line: Line) -> list[str]:
        ref = self.names.ref
        section = SECTION_OF[type(line)]
        single = LINES[section][2]
        out = [assignment("name", line.name)]
        if line.per_year or single is None:
            out.append(assignment("amounts", [ref(a) for a in line.amounts_list]))
        else:
            out.append(assignment(single, ref(line.amount)))
        if line.profile is not None:
            out.append(f"profile = {self._profile(line.profile)}")
        default = {f.name: f.default for f in dataclasses.fields(line)}.get("recurring")
        if default is not None and line.recurring != default:
            out.append(assignment("recurring", line.recurring))
        delivery = line.delivery
        if self._rated_inline(delivery):
            out.append(assignment("rag", delivery.rating))  # type: ignore[union-attr]
        elif delivery is not None:
            out.append(assignment("delivery", ref(delivery)))
        if line.delay is not None:
            out.append(assignment("delay", ref(line.delay)))
        if getattr(line, "basis", "change") != "change":
            out.append(assignment("basis", line.basis))  # type: ignore[attr-defined]
        return out + _given(line, "base", "category", "owner")

    def _rated_inline(self, delivery: Any) -> bool:
        """A delivery rate that is a rating alone (unnamed, used once, on the file's ``[rag]``)."""
        return (
            isinstance(delivery, Rated)
            and delivery.name is None
            and delivery not in self.names.keys
            and self.names.on_file_scale(delivery)
        )

    def _profile(self, profile: Profile) -> str:
        form, values = _profile_form(profile)
        items: dict[str, Any] = {form: values}
        delay = profile.delay_years
        if isinstance(delay, Amount) or delay != 0:
            items["delay"] = self.names.ref(delay)
        return inline_table(items)

    def _correlations(self) -> list[str]:
        out: list[str] = []
        groups: dict[int, Any] = {}
        for amount in self.names.keys:
            if isinstance(amount, Correlated):
                groups.setdefault(id(amount.group), amount.group)
        for group in groups.values():
            names = [self.names.keys[m] for m in group.members]
            matrix = [[float(v) for v in row] for row in group.spearman]
            out += _section("[[correlation]]", assignment("amounts", names), assignment("matrix", matrix))
        return out

    def _override_key(self, key: Any) -> str:
        return self.names.keys[key] if isinstance(key, Leaf) else str(key)

    def _override_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, (list, tuple)):
            return [self.names.ref(v) for v in value]
        return self.names.ref(value)


def _given(obj: Any, *keys: str) -> list[str]:
    """``key = value`` for each of the attributes ``keys`` of ``obj`` that it has and is not None."""
    return [assignment(key, getattr(obj, key)) for key in keys if getattr(obj, key, None) is not None]


def _reserves(res: ReservesBalance) -> list[str]:
    """The keys of ``[reserves_balance]`` that differ from their defaults."""
    out = [assignment("general", res.general)]
    if res.earmarked:
        out.append(assignment("earmarked", res.earmarked))
    out += _given(res, "minimum", "minimum_share")
    if res.policy != "close_gap":
        out.append(assignment("policy", res.policy))
    if res.use_earmarked:
        out.append(assignment("use_earmarked", True))
    for key in ("earmarked_use", "history"):
        if getattr(res, key):
            out.append(assignment(key, list(getattr(res, key))))
    return out + _given(res, "net_revenue_expenditure")


def _profile_form(profile: Profile) -> tuple[str, Any]:
    """The form a profile was given in, and its numbers as given."""
    if profile.form == "immediate":
        return "immediate", True
    return profile.form, list(profile.values)


def _places(value: int | None) -> int | str:
    return EXACT if value is None else value


def _table(table: PublishedTable) -> list[str]:
    out = _section(
        "[[table]]",
        assignment("name", table.name),
        assignment("source", table.source),
        *_given(table, "units"),
        assignment("columns", list(table.columns)),
    )
    places = [table.decimals(c) for c in table.columns]
    if len(set(places)) == 1:
        out.append(assignment("rounding", _places(places[0])))
    else:
        by_column = {c: _places(p) for c, p in zip(table.columns, places, strict=True)}
        out.append(f"rounding = {inline_table(by_column)}")
    if table.note:
        out.append(f"note = {multiline_string(table.note)}")
    if table.reproduces is not None:
        out += _section("[table.reproduces]", *_reproduces(table))
    for row in table.rows:
        out += _section(
            "[[table.row]]",
            assignment("label", row.label),
            assignment("values", ["-" if v is None else v for v in row.values]),
        )
        if row.source:
            out.append(assignment("source", row.source))
        if isinstance(row.rounding, dict):
            out.append(f"rounding = {inline_table({c: _places(p) for c, p in row.rounding.items()})}")
        elif row.rounding is not None:
            out.append(assignment("rounding", row.rounding))
    for rule in table.totals:
        if isinstance(rule, Total):
            out += _section("[[table.total]]", *_total(rule))
        elif isinstance(rule, CommonBase):
            out += _section("[[table.common_base]]", *_common_base(rule))
    return out


def _reproduces(table: PublishedTable) -> list[str]:
    spec = table.reproduces
    assert spec is not None
    out = [assignment("scenario", spec.scenario), *_given(spec, "basis")]
    for key in ("rows", "columns", "metrics"):
        if getattr(spec, key):
            out.append(f"{key} = {inline_table(dict(getattr(spec, key)))}")
    if spec.signs:
        out.append(f"signs = {inline_table({k: int(v) for k, v in spec.signs.items()})}")
    if spec.costs != "negative":
        out.append(assignment("costs", spec.costs))
    return out + _given(spec, "discount_factors")


def _total(total: Total) -> list[str]:
    out = [assignment(total.axis, total.target), assignment("of", list(total.of))]
    out += [assignment(key, list(getattr(total, key))) for key in ("minus", "times", "over") if getattr(total, key)]
    if total.scale != 1.0:
        out.append(f"scale = {toml_number(total.scale)}")
    if total.running:
        out.append("running = true")
    if total.within is not None:
        out.append(assignment("within", list(total.within)))
    return out


def _common_base(rule: CommonBase) -> list[str]:
    out = [f"{rule.axis}s = {inline_table(dict(rule.pairs))}"]
    if rule.scale != 100.0:
        out.append(f"scale = {toml_number(rule.scale)}")
    if rule.within is not None:
        out.append(assignment("within", list(rule.within)))
    return out


def _cell(cell: Cell) -> str:
    return inline_table({"table": cell.table, "row": cell.row, "column": cell.column})


def _part(part: Part) -> str:
    if isinstance(part, Cell):
        return _cell(part)
    if isinstance(part, LineRow):
        return inline_table({"line": part.name})
    return toml_string(part)


def _statement(st: Statement) -> list[str]:
    value: Any = list(st.value) if isinstance(st.value, tuple) else st.value
    out = [assignment("text", st.text), assignment("value", value), assignment("source", st.source)]
    if st.cell is not None:
        out.append(f"cell = {_cell(st.cell)}")
    out += _given(st, "metric", "line")
    for key in ("of", "minus", "times", "over"):
        if getattr(st, key):
            out.append(f"{key} = [{', '.join(_part(p) for p in getattr(st, key))}]")
    if st.scale != 1.0:
        out.append(f"scale = {toml_number(st.scale)}")
    if st.op != "==":
        out.append(assignment("op", st.op))
    out += _given(st, "year")
    if st.scenario != "central":
        out.append(assignment("scenario", st.scenario))
    out += _given(st, "basis", "units")
    if not isinstance(st.value, str):
        out.append(assignment("rounding", _places(st.rounding)))
    return out


def _cross_total(rule: CrossTotal) -> list[str]:
    out = [f"target = {_cell(rule.target)}"]
    for key in ("of", "minus", "times", "over"):
        if getattr(rule, key):
            out.append(f"{key} = [{', '.join(_cell(c) for c in getattr(rule, key))}]")
    if rule.scale != 1.0:
        out.append(f"scale = {toml_number(rule.scale)}")
    return out + [assignment(key, getattr(rule, key)) for key in ("name", "source") if getattr(rule, key)]
