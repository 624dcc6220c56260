"""Reading ``[model]`` and the lines of a model: ``[[pressure]]``, ``[[benefit]]``, ...

A line takes one amount phased by a profile (``amount``, or ``run_rate`` for a benefit)
or one amount per year (``amounts``); the sections a model takes and the keys of each are
in :mod:`~finmodel.io.layout`.

Examples
--------
>>> from finmodel.io.read_amounts import Amounts
>>> r = Amounts("x.toml")
>>> spec, kind = model_kind(r, {"kind": "CostBenefitCase", "name": "c", "start": "18/19", "years": 2})
>>> lines = read_lines(r, {"benefit": [{"name": "b", "run_rate": 4}], "cost": [{"name": "k", "amounts": [1, 1]}]}, kind)
>>> read_model(r, spec, kind, lines).describe()
"CostBenefitCase 'c'"
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from finmodel.core.errors import FinmodelError
from finmodel.core.money import check_units
from finmodel.core.part_year import start_delay
from finmodel.core.profiles import Profile
from finmodel.core.years import MAX_YEARS, Timeline
from finmodel.io.layout import COMMON_LINE_KEYS, LINES, MODEL_KEYS, RESERVES_KEYS
from finmodel.io.read_amounts import Amounts
from finmodel.io.read_values import Values
from finmodel.io.toml_writer import show
from finmodel.model.base import Model
from finmodel.model.cases import CostBenefitCase
from finmodel.model.lines import Benefit, Cost, Line
from finmodel.model.plans import MTFP
from finmodel.model.reserves import ReservesBalance

__all__ = ["model_kind", "read_lines", "read_model", "read_profile", "read_reserves"]

_PROFILE_FORMS = ("increments", "cumulative", "immediate")


def model_kind(r: Values, value: Any) -> tuple[dict[str, Any], str]:
    """The table ``[model]``, checked against the keys of its kind, and the kind."""
    spec = r.mapping(value, "model")
    if "kind" not in spec:
        raise r.fail("model", 'missing key "kind"')
    kind = spec["kind"]
    if not isinstance(kind, str) or kind not in MODEL_KEYS:
        raise r.fail("model.kind", f'expected "MTFP" or "CostBenefitCase", got {show(kind)}')
    r.table(spec, "model", MODEL_KEYS[kind], ("kind", "name", "years"))
    if "start" not in spec and "labels" not in spec:
        raise r.fail("model", 'missing key "start" (the first financial year; or labels = "Y{n}" for years counted from the start)')
    return spec, kind


def read_model(
    r: Values, spec: dict[str, Any], kind: str, lines: list[Line], reserves: ReservesBalance | None = None
) -> Model:
    """The model of ``[model]`` (checked by :func:`model_kind`) with its ``lines`` (and, for
    an MTFP, its ``reserves``)."""
    name = r.text(spec["name"], "model.name")
    start = r.year(spec["start"], "model.start") if "start" in spec else None
    length = r.whole(spec["years"], "model.years", 1, MAX_YEARS)
    units = r.text(spec.get("units", "£m"), "model.units")
    try:
        check_units(units, "units")
    except FinmodelError:
        raise r.fail("model.units", f'expected one of "£", "£k", "£m", "£bn", got {show(units)}') from None
    timeline = _timeline(r, spec, start, length)
    with r.refusing("model"):
        if kind == "MTFP":
            base = r.optional(spec, "model", "base_budget", r.number)
            if "order" in spec:
                lines = _ordered(r, lines, r.labels(spec["order"], "model.order"))
            with r.refusing("reserves_balance" if reserves is not None else "model"):
                return MTFP(name, timeline, lines, units, base, reserves)
        rate = r.optional(spec, "model", "discount_rate", r.number)
        first = r.text(spec.get("first_year", "undiscounted"), "model.first_year")
        factors = r.optional(spec, "model", "discount_factors", lambda v, p: tuple(r.each(v, p, r.number)))
        benefits = [li for li in lines if isinstance(li, Benefit)]
        costs = [li for li in lines if isinstance(li, Cost)]
        return CostBenefitCase(name, timeline, benefits, costs, units, rate, first, factors)  # type: ignore[arg-type]


def _timeline(r: Values, spec: dict[str, Any], start: str | None, length: int) -> Timeline:
    """Financial years from ``start``, or (with ``labels``) years counted from the start."""
    if "labels" not in spec:
        if "first" in spec:
            raise r.fail("model.first", 'numbers relative years; give labels = "Y{n}" (or "year {n}") too')
        return Timeline(start, length)
    label = r.text(spec["labels"], "model.labels")
    first = r.whole(spec.get("first", 0), "model.first", 0)
    with r.refusing("model.labels"):
        return Timeline.relative(length, first=first, label=label, start=start)


def _ordered(r: Values, lines: list[Line], order: list[str]) -> list[Line]:
    by_name = {li.name: li for li in lines}
    if sorted(order) != sorted(by_name) or len(set(order)) != len(order):
        raise r.fail(
            "model.order", f"must list every line name once; lines are {', '.join(map(repr, by_name))}"
        )
    return [by_name[n] for n in order]


def read_lines(r: Amounts, data: dict[str, Any], kind: str) -> list[Line]:
    """The lines of every line section of the file, in file order; a section must suit ``kind``."""
    out: list[Line] = []
    for section in data:
        if section not in LINES:
            continue
        if LINES[section][1] != kind:
            sections = [s for s, spec in LINES.items() if spec[1] == kind]
            raise r.fail(
                section, f"a {kind} takes {', '.join(f'[[{s}]]' for s in sections)}, not [[{section}]]"
            )
        out += r.each(data[section], section, partial(_line, r, section))
    return out


def _line(r: Amounts, section: str, spec: Any, path: str) -> Line:
    cls, _kind, single, extra = LINES[section]
    r.table(spec, path, ("name", *([single] if single else []), *COMMON_LINE_KEYS, *extra), ("name",))
    name = r.text(spec["name"], f"{path}.name")
    amount = _amounts(r, spec, path, single)
    readers: dict[str, Callable[[Any, str], Any]] = {
        "text": r.text,
        "flag": r.flag,
        "amount": r.amount,
        "number": r.number,
        "profile": partial(read_profile, r),
        "rating": partial(_rating, r),
    }
    kwargs: dict[str, Any] = {**r.given(spec, path, r.text, "category", "owner"), **r.given(spec, path, r.amount, "delay")}
    for key, how in cls.file_keys.items():
        kwargs.update(r.given(spec, path, readers[how], key))
    if "rag" in kwargs:  # a rating stands for a delivery rate
        if "delivery" in kwargs:
            raise r.fail(path, 'give "delivery" or "rag" (a rating that stands for a delivery rate), not both')
        kwargs["delivery"] = kwargs.pop("rag")
    if "start_month" in spec:
        with r.refusing(f"{path}.start_month"):
            late = start_delay(r.text(spec["start_month"], f"{path}.start_month"))
        kwargs["delay"] = late if kwargs.get("delay") is None else kwargs["delay"] + late
    with r.refusing(path):
        return cls(name, amount, **kwargs)  # type: ignore[call-arg]  # each kind's own fields


def _rating(r: Amounts, value: Any, path: str) -> Any:
    """A RAG rating: the delivery rate it stands for in this file (``[rag]``)."""
    with r.refusing(path):
        return r.rag_scale.delivery(r.text(value, path))


def _amounts(r: Amounts, spec: dict[str, Any], path: str, single: str | None) -> Any:
    """A line's ``single`` amount (``amount``, ``run_rate``), or its list of ``amounts``."""
    if single is not None and single in spec and "amounts" in spec:
        raise r.fail(
            path, f'give "{single}" (one amount, phased by a profile) or "amounts" (one per year), not both'
        )
    if single is not None and single in spec:
        return r.amount(spec[single], f"{path}.{single}")
    if "amounts" in spec:
        return r.amounts(spec["amounts"], f"{path}.amounts")
    wanted = '"amounts"' if single is None else f'"{single}" or "amounts"'
    raise r.fail(path, f"missing key {wanted}")


def read_profile(r: Amounts, spec: Any, path: str) -> Profile:
    """A profile: exactly one of ``increments``, ``cumulative`` or ``immediate``, and a ``delay``.

    ``increments`` may state the ``total`` its values add up to (100 for percentages),
    and ``rescale = true`` to rescale values that do not.
    """
    r.table(spec, path, (*_PROFILE_FORMS, "delay", "total", "rescale"))
    forms = [k for k in _PROFILE_FORMS if k in spec]
    if len(forms) != 1:
        raise r.fail(path, 'give exactly one of "increments", "cumulative" or "immediate"')
    form = forms[0]
    with r.refusing(path):
        if form == "immediate":
            if spec[form] is not True:
                raise r.fail(f"{path}.immediate", f"expected true, got {show(spec[form])}")
            profile = Profile.immediate()
        else:
            values = r.each(spec[form], f"{path}.{form}", r.number)
            checks: dict[str, Any] = {
                **r.given(spec, path, r.number, "total"),
                **r.given(spec, path, r.flag, "rescale"),
            }
            if checks and form != "increments":
                raise r.fail(f"{path}.{next(iter(checks))}", "applies to increments only")
            profile = Profile.increments(values, **checks) if form == "increments" else Profile.cumulative(values)
        if "delay" in spec:
            profile = profile.delay(r.amount(spec["delay"], f"{path}.delay"))
    return profile


def read_reserves(r: Values, value: Any) -> ReservesBalance:
    """``[reserves_balance]``: an MTFP's reserves balance (see :class:`~finmodel.ReservesBalance`)."""
    where = "reserves_balance"
    spec = r.table(value, where, RESERVES_KEYS, ("general",))
    kwargs: dict[str, Any] = {
        **r.given(spec, where, r.number, "general", "earmarked", "minimum", "minimum_share", "net_revenue_expenditure"),
        **r.given(spec, where, r.text, "policy"),
        **r.given(spec, where, r.flag, "use_earmarked"),
        **r.given(spec, where, lambda v, p: r.each(v, p, r.number), "earmarked_use", "history"),
    }
    with r.refusing(where):
        return ReservesBalance(**kwargs)
