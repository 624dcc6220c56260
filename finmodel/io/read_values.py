"""Checking the plain values of a scenario file, with errors that name file, key path and value.

A key path is written as in the file, with list positions counted from 0:
``benefit[2].run_rate.low``.

Examples
--------
>>> values = Values("x.toml")
>>> values.number(21, "benefit[2].run_rate.low")
21.0
>>> values.number("21m", "benefit[2].run_rate.low")
Traceback (most recent call last):
...
finmodel.io.errors.ScenarioFileError: x.toml: benefit[2].run_rate.low: expected a number, got "21m"
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from finmodel.core.errors import FinmodelError
from finmodel.core.limits import MAX_DECIMALS
from finmodel.core.years import parse_year, year_label
from finmodel.io.errors import ScenarioFileError
from finmodel.io.toml_writer import show

__all__ = ["Values"]

T = TypeVar("T")
Read = Callable[[Any, str], T]  # reads the value at a key path


class Values:
    """Reads the plain values of one file; every error names the file and the key path.

    Each reader takes the value and its key path, and returns the value checked (or
    raises a :class:`ScenarioFileError`).
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, path: str, message: str) -> ScenarioFileError:
        """The error for ``message`` about the value at ``path`` ("" for the whole file)."""
        return ScenarioFileError(f"{self.name}: {path}: {message}" if path else f"{self.name}: {message}")

    @contextmanager
    def refusing(self, path: str) -> Iterator[None]:
        """Report what finmodel refuses to build (a :class:`FinmodelError`) as an error at ``path``."""
        try:
            yield
        except ScenarioFileError:
            raise
        except FinmodelError as err:
            raise self.fail(path, str(err)) from None

    # -- tables and lists -------------------------------------------------------------------
    def table(
        self, value: Any, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any]:
        """A table with only the ``allowed`` keys and all the ``required`` ones."""
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a table, got {show(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(
                    f"{path}.{key}" if path else key,
                    f"unknown key (expected one of: {', '.join(allowed)})",
                )
        for key in required:
            if key not in value:
                raise self.fail(path, f'missing key "{key}"')
        return value

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        """A table whose keys are names chosen by the file (amounts, scenarios, overrides)."""
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a table, got {show(value)}")
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        """A list."""
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, got {show(value)}")
        return value

    def each(self, value: Any, path: str, read: Read[T]) -> list[T]:
        """A list, each item read at its own key path (``path[0]``, ``path[1]``, ...)."""
        return [read(item, f"{path}[{i}]") for i, item in enumerate(self.array(value, path))]

    def given(self, spec: dict[str, Any], path: str, read: Read[T], *keys: str) -> dict[str, T]:
        """``{key: value}`` for each of ``keys`` that the table ``spec`` has, read in that order."""
        return {key: read(spec[key], f"{path}.{key}") for key in keys if key in spec}

    def optional(
        self, spec: dict[str, Any], path: str, key: str, read: Read[T], default: T | None = None
    ) -> T | None:
        """The value of ``key`` in the table ``spec``, read, or ``default`` when it is absent."""
        return read(spec[key], f"{path}.{key}") if key in spec else default

    # -- single values -----------------------------------------------------------------------
    def text(self, value: Any, path: str, *, empty: bool = False) -> str:
        """A string; blank only if ``empty``."""
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(
                path, f"expected {'a string' if empty else 'a non-empty string'}, got {show(value)}"
            )
        return value

    def number(self, value: Any, path: str) -> float:
        """A finite number (not a boolean), as a float."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(path, f"expected a number, got {show(value)}")
        if not math.isfinite(value):
            raise self.fail(path, f"expected a finite number, got {show(value)}")
        return float(value)

    def whole(self, value: Any, path: str, minimum: int, maximum: int | None = None) -> int:
        """A whole number of at least ``minimum`` (and at most ``maximum``)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(path, f"expected a whole number >= {minimum}, got {show(value)}")
        if maximum is not None and value > maximum:
            raise self.fail(path, f"expected a whole number <= {maximum}, got {show(value)}")
        return value

    def flag(self, value: Any, path: str) -> bool:
        """``true`` or ``false``."""
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {show(value)}")
        return value

    def labels(self, value: Any, path: str) -> list[str]:
        """A list of non-empty strings."""
        return self.each(value, path, self.text)

    def year(self, value: Any, path: str) -> str:
        """A financial year, in either spelling, as ``"2018/19"``."""
        try:
            start = parse_year(value)
        except FinmodelError:
            raise self.fail(
                path, f'expected a financial year such as "2018/19" or "18/19", got {show(value)}'
            ) from None
        return year_label(start)

    def rounding(self, value: Any, path: str) -> int | None:
        """Decimal places, or ``"exact"`` (None)."""
        if value == "exact" and isinstance(value, str):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not -MAX_DECIMALS <= value <= MAX_DECIMALS:
            raise self.fail(
                path,
                f"expected a whole number of decimal places from {-MAX_DECIMALS} to {MAX_DECIMALS} "
                f'or "exact", got {show(value)}',
            )
        return value
