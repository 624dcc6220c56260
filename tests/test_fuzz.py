"""Fuzzing: whatever a file, an expression or a model holds, the only outcomes are a clean
result or a FinmodelError.

Hypothesis generates valid scenario files and mutates them (lines dropped, repeated or
garbled, numbers made extreme, keys swapped, sections added), writes expression strings
from the file grammar and from hostile text, and builds random models through the API
with extreme values. Each is then loaded, evaluated, checked, simulated and written out.
Any other exception (a RecursionError, an OverflowError, a KeyError), a RuntimeWarning
(the suite turns them into errors: a silent NaN) or a hang fails the test; an expression
that executed anything would end the test run (``os._exit``).

The examples per test default to a number that keeps the whole file to about a minute;
``FINMODEL_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`` searches longer.
"""

from __future__ import annotations

import math
import os
from datetime import timedelta

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import finmodel as fm
from finmodel.io.layout import LINES, MODEL_KEYS, TOP_KEYS

EXAMPLES = int(os.environ.get("FINMODEL_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=30),  # a hang fails the test instead of stalling the suite
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
BUNDLED = [path.read_text(encoding="utf-8") for path in sorted(fm.scenarios_folder().glob("*.toml"))]
SMALL_FILE = '''
title = "Fuzz"
[model]
kind = "CostBenefitCase"
name = "Fuzz"
start = "2018/19"
years = 3
[amounts]
growth = { kind = "Range", low = 1, high = 2, name = "growth" }
spend = 100
rate = { kind = "Beta", a = 9, b = 1 }
[[benefit]]
name = "Income"
run_rate = "spend * growth - 1"
profile = { increments = [1, 2, 1] }
delivery = "rate"
[[cost]]
name = "IT"
amounts = [3, "growth", 1]
[scenario."plan B"]
overrides = { growth = "high", IT = [4, 1, 0] }
[simulation]
n = 100
seed = 1
'''


def exercise(sf: fm.ScenarioFile) -> None:
    """Everything a user does with a loaded file: each case, each scenario, the check, a simulation, a rewrite."""
    model = sf.model
    for case in ("low", "central", "high", *sf.scenarios):
        result = sf.evaluate(case)
        for basis in model.bases:
            result.table(basis)
            result.report(basis)
    fm.check(sf)
    sim = fm.simulate(model, n=64, seed=0)
    sim.summary()
    again = fm.loads(fm.dumps(sf))
    assert [li.name for li in again.model.lines] == [li.name for li in model.lines]


def survives(text: str) -> None:
    """Load ``text`` and use it: a clean result, or a FinmodelError."""
    try:
        sf = fm.loads(text, name="fuzz.toml")
        event("loaded")
        exercise(sf)
        event("used without an error")
    except fm.FinmodelError:
        event("refused")


# -- mutations of valid files ----------------------------------------------------------------------
EXTREMES = ["nan", "inf", "-inf", "-1", "0", "1e308", "-1e308", "9223372036854775807", "-400", "1e-320", '"x"', "[]", "{}", "true"]
KEYS = sorted({*TOP_KEYS, *(k for keys in MODEL_KEYS.values() for k in keys), *LINES, "low", "high", "kind", "expr", "n"})
JUNK = st.lists(
    st.sampled_from([*'[]{}=",.#\'\n ', "[[", "]]", '"""', "\\u202e", "\u202e", "\ufeff", "\x00", "ＩＴ", "é"]),
    max_size=6,
).map("".join)


@st.composite
def mutated(draw) -> str:
    lines = draw(st.sampled_from([SMALL_FILE, *BUNDLED])).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "number", "key", "junk", "section", "cut"]))
        line = lines[i]
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(i, line)
        elif action == "number" and "=" in line:
            key = line.split("=", 1)[0]
            lines[i] = f"{key}= {draw(st.sampled_from(EXTREMES))}"
        elif action == "key" and "=" in line:
            lines[i] = f"{draw(st.sampled_from(KEYS))} =" + line.split("=", 1)[1]
        elif action == "junk":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(JUNK) + line[at:]
        elif action == "section":
            lines.insert(i, f"[{draw(st.sampled_from(['[', '']))}{draw(st.sampled_from(KEYS))}]")
        elif action == "cut":
            lines = lines[:i]
    return "\n".join(lines) + "\n"


@FUZZ
@given(mutated())
def test_mutated_scenario_files_load_cleanly_or_are_refused(text):
    survives(text)


# -- generated files ---------------------------------------------------------------------------------
SCALARS = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.booleans(),
    st.sampled_from(["low", "high", "2018/19", "Range", "PERT", "growth", "a + b", "increments"]),
)


def toml(value) -> str:
    """A value in TOML, including the non-finite numbers finmodel's own writer refuses."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return '"' + "".join(c if c.isalnum() or c in " /+-*._" else " " for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(map(toml, value)) + "]"
    return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"


VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=8,
)


PLAUSIBLE = {  # a value of the right kind for a key, most of the time
    "amount": st.one_of(
        st.floats(0, 100),
        st.sampled_from(["a", "b", "a + b", "a * 2", '{ kind = "Range", low = 1, high = 3 }']),
    ),
    "run_rate": st.floats(0, 100),
    "profile": st.sampled_from([{"increments": [1, 2]}, {"cumulative": [0.5, 1]}, {"immediate": True}]),
    "recurring": st.booleans(),
    "delivery": st.sampled_from([0.9, "b", {"kind": "Beta", "a": 9, "b": 1}]),
    "delay": st.sampled_from([0, 1, 0.5, {"kind": "Chance", "p": 0.3}]),
    "basis": st.sampled_from(["change", "level"]),
}


def value_for(draw, key: str, years: int):
    if key == "amounts" and draw(st.booleans()):
        return draw(st.lists(st.floats(0, 100), min_size=years, max_size=years))
    if key in PLAUSIBLE and draw(st.integers(0, 3)):
        value = draw(PLAUSIBLE[key])
        return value
    return draw(VALUES)


@st.composite
def generated(draw) -> str:
    """A file laid out as the format says, with values of the right kind or of any type in its keys."""
    kind = draw(st.sampled_from(["MTFP", "CostBenefitCase"]))
    years = draw(st.sampled_from([1, 2, 3, 1, 2, 3, 0, 501]))
    out = [
        "[model]",
        f'kind = "{kind}"',
        'name = "m"',
        f'start = "{draw(st.sampled_from(["2018/19", "18/19", "2018/19", "2018/20", "1899/00"]))}"',
        f"years = {years}",
    ]
    if draw(st.booleans()):
        out.append(f"units = {toml(draw(st.sampled_from(['£m', '£k', '$', ''])))}")
    out.append("[amounts]")
    a_range = '{ kind = "Range", low = 1, high = 2 }'
    out.append("a = " + (toml(draw(VALUES)) if not draw(st.integers(0, 3)) else a_range))
    out.append("b = " + (toml(draw(VALUES)) if not draw(st.integers(0, 3)) else "0.5"))
    sections = [s for s, (_, k, _, _) in LINES.items() if k == kind]
    for _ in range(draw(st.integers(0, 4))):
        section = draw(st.sampled_from(sections))
        _, _, single, extra = LINES[section]
        keys = [k for k in ("name", single, "amounts", *extra, "delay", "category") if k]
        out.append(f"[[{section}]]")
        out.append(f'name = "{draw(st.sampled_from(["x", "y", "ＩＴ", "z"]))}"')
        chosen = [single or "amounts"] if draw(st.integers(0, 4)) else []  # the amount, most of the time
        chosen += draw(st.lists(st.sampled_from([k for k in keys if k not in chosen]), max_size=3, unique=True))
        for key in chosen:
            if key != "name":
                value = value_for(draw, key, max(years, 1))
                out.append(f"{key} = {value if isinstance(value, str) and value.startswith('{') else toml(value)}")
    if draw(st.booleans()):
        out += ["[simulation]", f"n = {toml(draw(SCALARS))}"]
    return "\n".join(out) + "\n"


@FUZZ
@given(generated())
def test_generated_scenario_files_load_cleanly_or_are_refused(text):
    survives(text)


# -- expression strings ------------------------------------------------------------------------------
HOSTILE = [
    "__import__('os')._exit(99)",
    "().__class__.__bases__[0].__subclasses__()",
    "a.__class__",
    "lambda: 1",
    "[a for a in b]",
    "a ** 99999",
    "a if b else a",
    "a < b",
    "a[0]",
    "open('x')",
    "9" * 400,
    "1e999",
    "a / 0",
    "a / (b - b)",
    "(" * 300 + "a" + ")" * 300,
    "-" * 1_000 + "a",
    "a\u202e + b",
    "ａ + b",
]


@st.composite
def expression_text(draw, depth: int = 0) -> str:
    """Mostly the file grammar (names, numbers, + - * /, parentheses), now and then something hostile."""
    choice = draw(st.integers(0, 12 if depth < 5 else 3))
    if choice <= 1:
        return draw(st.sampled_from(["a", "b", "c", "a", "b", "c", "missing", "lambda"]))
    if choice == 2:
        return repr(draw(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)))
    if choice == 3:
        return draw(st.sampled_from(HOSTILE)) if draw(st.integers(0, 3)) == 0 else "a"
    if choice == 4:
        return f"-({draw(expression_text(depth + 1))})"
    if choice == 5:
        return f"({draw(expression_text(depth + 1))})"
    op = draw(st.sampled_from(["+", "-", "*", "/"] * 5 + ["//", "%", "**", "@", "and", ","]))
    return f"{draw(expression_text(depth + 1))} {op} {draw(expression_text(depth + 1))}"


@FUZZ
@given(expression_text(), st.sampled_from(["run_rate", "delivery", "delay"]))
def test_expressions_build_cleanly_or_are_refused_and_never_run_code(expression, where):
    text = (
        '[model]\nkind = "CostBenefitCase"\nname = "e"\nstart = "2018/19"\nyears = 2\n'
        "[amounts]\na = { kind = \"Range\", low = 1, high = 2 }\nb = 3\nc = \"a * b\"\n"
        f'[[benefit]]\nname = "x"\nrun_rate = 10\n{where} = "{expression.replace(chr(34), chr(39))}"\n'
    )
    survives(text)


# -- random models through the API ------------------------------------------------------------------
MODERATE = st.floats(0, 100)
NUMBERS = st.one_of(  # mostly the sizes a council uses, now and then the extremes of float64
    MODERATE,
    MODERATE,
    MODERATE,
    st.floats(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324, 1e15, -1e15, 1.0, -1.0, 0.5]),
    st.integers(-(10**400), 10**400),
)


@st.composite
def amounts(draw):
    kind = draw(st.sampled_from(["number", "Range", "Uniform", "PERT", "Normal", "LogNormal", "Beta", "Chance", "expr"]))
    a, b, c = draw(NUMBERS), draw(NUMBERS), draw(NUMBERS)
    if kind in ("Range", "Uniform", "PERT") and draw(st.booleans()):
        a, b, c = sorted((a, b, c)) if all(isinstance(v, float) and v == v for v in (a, b, c)) else (a, b, c)
    if kind == "number":
        return a
    if kind == "Range":
        return fm.Range(a, c)
    if kind == "Uniform":
        return fm.Uniform(a, c)
    if kind == "PERT":
        return fm.PERT(a, b, c)
    if kind == "Normal":
        return fm.Normal(a, abs(b) if isinstance(b, float) else b)
    if kind == "LogNormal":
        return fm.LogNormal(a / 50 if isinstance(a, float) else a, b)
    if kind == "Beta":
        return fm.Beta(a, b)
    if kind == "Chance":
        return fm.Chance(a / 100 if isinstance(a, float) else a)
    x = fm.Range(1, 2)
    return draw(st.sampled_from([x * a, x / a, a - x, (x + a) * x]))


@st.composite
def api_models(draw):
    years = draw(st.integers(1, 6))
    timeline = fm.Timeline("2018/19", years)
    kinds = [fm.Pressure, fm.Saving, fm.Investment, fm.Reserves, fm.Funding] if draw(st.booleans()) else [fm.Benefit, fm.Cost]
    lines = []
    for i in range(draw(st.integers(1, 4))):
        cls = draw(st.sampled_from(kinds))
        per_year = draw(st.booleans()) or cls in (fm.Reserves,)
        amount = [draw(amounts()) for _ in range(years)] if per_year else draw(amounts())
        options = {}
        if not per_year and cls is not fm.Reserves and draw(st.booleans()):
            options["profile"] = fm.Profile.increments(draw(st.lists(NUMBERS, min_size=1, max_size=years)))
        if cls in (fm.Saving, fm.Benefit) and draw(st.booleans()):
            options["delivery"] = draw(amounts())
        if cls is not fm.Reserves and draw(st.booleans()):
            options["delay"] = draw(amounts())
        lines.append(cls(f"line {i}", amount, **options))
    if kinds[0] is fm.Benefit:
        return fm.CostBenefitCase(
            "case", timeline, [li for li in lines if isinstance(li, fm.Benefit)], [li for li in lines if isinstance(li, fm.Cost)]
        )
    return fm.MTFP("plan", timeline, lines, base_budget=draw(st.none() | NUMBERS))


@FUZZ
@given(st.data())
def test_random_models_through_the_api_give_results_or_finmodel_errors(data):
    try:
        model = data.draw(api_models())
        for case in ("low", "central", "high", "worst", "best"):
            result = fm.evaluate(model, case)
            for basis in model.bases:
                result.table(basis, decimals=data.draw(st.sampled_from([None, 0, 2])))
                result.report(basis)
        sim = fm.simulate(model, n=data.draw(st.integers(1, 300)), seed=0, method=data.draw(st.sampled_from(["random", "lhs"])))
        summary = sim.summary()
        assert not summary.isna().any().any()  # no silent NaN in a summary
        fm.loads(fm.dumps(model))
        assert np.isfinite(sim.samples(model.headline[0])).all()
        event("used without an error")
    except fm.FinmodelError:
        event("refused")
