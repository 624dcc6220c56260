"""TOML text for single values: strings, numbers, keys, lists and inline tables.

The writer lays out whole files with these; error messages quote a value as it looks in
the file with :func:`show`.

Examples
--------
>>> toml_value(["a", 2.0, 0.5, True])
'["a", 2, 0.5, true]'
>>> inline_table({"kind": "Range", "low": 8, "high": 17.0})
'{ kind = "Range", low = 8, high = 17 }'
>>> show({"kind": "Range", "low": 8})
'a table {kind, low}'
>>> show(float("nan")), show([1, [2, [3]]])
('nan', '[1, ...]')
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from finmodel.io.errors import ScenarioFileError

__all__ = [
    "Raw",
    "assignment",
    "inline_table",
    "multiline_string",
    "show",
    "toml_key",
    "toml_number",
    "toml_string",
    "toml_value",
]

_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SHOWN = 80  # characters of a value quoted in a message


@dataclass(frozen=True)
class Raw:
    """Text already in TOML form."""

    text: str


def toml_string(text: str, *, multiline: bool = False) -> str:
    """``text`` as a quoted TOML string (``multiline``: between triple quotes, newlines kept)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif multiline and ch == "\n":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        elif 0xD800 <= code <= 0xDFFF:
            raise ScenarioFileError(f"text {text!r} holds a lone surrogate, which a file cannot store")
        else:
            out.append(ch)
    if multiline:
        return '"""\n' + "".join(out) + '"""'
    return '"' + "".join(out) + '"'


def multiline_string(text: str) -> str:
    """``text`` between triple quotes when it holds a newline, else as a plain string."""
    return toml_string(text, multiline="\n" in text)


def toml_number(x: float | int) -> str:
    """A finite number; a whole float below 1e15 is written without its ``.0``."""
    if isinstance(x, bool):
        raise ScenarioFileError(f"cannot write {x!r} as a number")
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        raise ScenarioFileError(f"cannot write the non-finite number {x!r}")
    if x.is_integer() and abs(x) < 1e15 and not (x == 0 and math.copysign(1.0, x) < 0):
        return str(int(x))
    return repr(x)


def toml_key(key: str) -> str:
    """A key, bare when TOML allows it, else quoted."""
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(x: Any) -> str:
    """A boolean, number, string, list, :class:`Raw` text or inline table."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, float)):
        return toml_number(x)
    if isinstance(x, str):
        return toml_string(x)
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in x) + "]"
    if isinstance(x, Raw):
        return x.text
    if isinstance(x, dict):
        return inline_table(x)
    raise ScenarioFileError(f"cannot write {x!r}")


def inline_table(items: Mapping[str, Any]) -> str:
    """``{ key = value, ... }`` on one line."""
    if not items:
        return "{}"
    return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in items.items()) + " }"


def assignment(key: str, value: Any) -> str:
    """One ``key = value`` line."""
    return f"{key} = {toml_value(value)}"


def show(value: Any) -> str:
    """A value as it looks in the file, shortened for a message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = toml_string(value)
    elif isinstance(value, float) and not math.isfinite(value):
        text = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")  # as TOML writes them
    elif isinstance(value, int) and abs(value) >= 10**_SHOWN:
        text = f"a whole number of about {round(value.bit_length() * math.log10(2))} digits"
    elif isinstance(value, (int, float)):
        text = toml_number(value)
    elif isinstance(value, dict):
        text = "a table {" + ", ".join(map(str, itertools.islice(value, _SHOWN))) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) if not isinstance(v, (list, dict)) else "..." for v in value[:_SHOWN]) + "]"
    else:
        text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
