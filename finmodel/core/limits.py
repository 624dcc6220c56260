"""Limits: how much finmodel takes on, checked before any time or memory is spent.

A request beyond a limit is refused with a :class:`~finmodel.core.errors.FinmodelError`
that names the request and the limit, before anything is allocated: a mistyped
``n = 9223372036854775807`` is a message, not a machine out of memory.

=====================  ================  ==================================================
limit                  value             what it bounds
=====================  ================  ==================================================
:data:`MAX_TRIALS`     10,000,000        trials of one simulation or one ``sample``;
                                         ``FINMODEL_MAX_TRIALS`` raises or lowers it
:data:`MAX_YEARS`      500               years of a timeline, of discount factors
:data:`MAX_DEPTH`      100,000           operations nested in one expression of amounts
:data:`MAX_DECIMALS`   15                decimal places asked of a table or a report
:data:`MAX_AMOUNT`     1e15              the size of any number in a model (an amount, a
                                         parameter of a distribution, a profile's values)
=====================  ================  ==================================================

Memory grows with trials times years: a simulation keeps its headline metric, one
float64 per year per trial (about 320 MB for a 4-year case at 10 million trials), and
each further metric asked for adds as much again. Scenario files have limits of their
own (their size, the length of one expression): see :mod:`finmodel.io.reading`.

Examples
--------
>>> check_trials(100_000, "simulate")
100000
>>> check_trials(10**12, "simulate")
Traceback (most recent call last):
...
finmodel.core.errors.FinmodelError: simulate: n (1,000,000,000,000) is more trials than finmodel runs at once (10,000,000); ask for fewer, or set the environment variable FINMODEL_MAX_TRIALS to raise the limit
"""

from __future__ import annotations

import os
from typing import Any

from finmodel.core.errors import FinmodelError

__all__ = ["MAX_AMOUNT", "MAX_DECIMALS", "MAX_DEPTH", "MAX_TRIALS", "MAX_YEARS", "TRIALS_VARIABLE", "check_trials", "max_trials", "too_many_trials"]

#: Most trials of one simulation (or one ``sample``), unless ``FINMODEL_MAX_TRIALS`` says otherwise.
MAX_TRIALS = 10_000_000
#: The environment variable that sets another limit on trials (a whole number).
TRIALS_VARIABLE = "FINMODEL_MAX_TRIALS"
#: Most years of a timeline or of a schedule of discount factors.
MAX_YEARS = 500
#: Most operations nested in one expression of amounts (a sum of 10,000 terms is 10,000 deep).
MAX_DEPTH = 100_000
#: Most decimal places a table or a report rounds to (float64 holds 15 to 17 significant digits).
MAX_DECIMALS = 15
#: The largest size of a number in a model: a thousand times the UK's GDP in pounds, and far
#: enough from float64's largest number (1.8e308) that sums over trials and years never overflow.
MAX_AMOUNT = 1e15


def max_trials() -> int:
    """The most trials finmodel runs at once: :data:`MAX_TRIALS`, or ``FINMODEL_MAX_TRIALS``.

    Examples
    --------
    >>> max_trials()
    10000000
    """
    text = os.environ.get(TRIALS_VARIABLE)
    if text is None or not text.strip():
        return MAX_TRIALS
    try:
        limit = int(text.strip().replace("_", ""))
    except ValueError:
        limit = 0
    if limit < 1:
        raise FinmodelError(f"{TRIALS_VARIABLE} ({text!r}) must be a whole number of trials >= 1")
    return limit


def check_trials(n: Any, who: str) -> int:
    """``n`` as an int if it is a whole number of trials from 1 to :func:`max_trials`.

    Parameters
    ----------
    n : int
        Trials asked for.
    who : str
        Names the function or setting in the message (``"simulate"``).
    """
    if isinstance(n, bool) or not hasattr(n, "__index__") or int(n) < 1:
        raise FinmodelError(f"{who}: n ({n!r}) must be a whole number of trials >= 1")
    reason = too_many_trials(int(n))
    if reason is not None:
        raise FinmodelError(f"{who}: n ({int(n):,}) is {reason}")
    return int(n)


def too_many_trials(n: int) -> str | None:
    """Why ``n`` trials are refused, or None if they are within :func:`max_trials`.

    Examples
    --------
    >>> too_many_trials(1_000) is None
    True
    """
    limit = max_trials()
    if n <= limit:
        return None
    return (
        f"more trials than finmodel runs at once ({limit:,}); ask for fewer, or set the environment "
        f"variable {TRIALS_VARIABLE} to raise the limit"
    )
