"""Loops compiled with numba: the engine's hottest steps, fused into one pass over memory.

Each module here holds loops that do, element by element, exactly the floating-point
operations of the numpy code they stand in for, in the same order, or (where a loop
implements a function of its own, such as a permutation) are checked against a stated
reference. numba neither reassociates nor contracts operations unless asked to, and
nothing here asks, so a fused loop's results are bit-identical to the numpy code's; what
it saves is memory traffic, since numpy makes a temporary array per operation. Loops
implementing a function of their own, such as the normal quantile and CDF of ``normal``,
are checked against a reference within a stated tolerance instead, so results that go
through them (correlated inputs) differ in their last bits with the loops on and off.

Every compiled function calls :func:`vectors.wide` first, so that on processors with
AVX-512 that keep their clock for it the loops are built from 512-bit instructions
(``vectors``); the width changes no value.

The modules import numba, which costs a fraction of a second, so they are loaded on
first use by :func:`load`: ``import finmodel`` does not pay for it. Compiled code is
cached on disk (``cache=True``), so each loop compiles once per machine, not per process.
Setting the environment variable ``FINMODEL_COMPILED=0`` before Python starts turns them
off, as does ``with off():`` for a block of code; numpy (and scipy) then does the same
work with the same results, or within the tolerance stated (``tests/test_compiled.py``
and ``tests/test_normal.py`` check both ways).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
from collections.abc import Iterator
from types import ModuleType

__all__ = ["enabled", "load", "off"]

#: Whether compiled loops may be used: ``FINMODEL_COMPILED=0`` at start-up says no.
_on = os.environ.get("FINMODEL_COMPILED", "1") != "0"
_loaded: dict[str, ModuleType] = {}


def enabled() -> bool:
    """Whether compiled loops are used: numba imports, and neither ``FINMODEL_COMPILED=0``
    nor :func:`off` says otherwise.

    Examples
    --------
    >>> with off():
    ...     enabled()
    False
    """
    return _on and _numba() is not None


@contextlib.contextmanager
def off() -> Iterator[None]:
    """Run a block on the numpy path alone (to compare it with the compiled one).

    Examples
    --------
    >>> with off():
    ...     load("shifts") is None
    True
    """
    global _on
    was, _on = _on, False
    try:
        yield
    finally:
        _on = was


@functools.cache
def _numba() -> ModuleType | None:
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; a platform without it falls back
        return None
    return numba


def load(name: str) -> ModuleType | None:
    """The compiled module ``name`` (e.g. ``"shifts"``), or None when compiled loops are off.

    Examples
    --------
    >>> module = load("shifts")
    >>> module is None or callable(module.shift_into)
    True
    """
    if not _on:
        return None
    module = _loaded.get(name)
    if module is None:
        if _numba() is None:
            return None
        module = _loaded[name] = importlib.import_module(f"{__name__}.{name}")
    return module
