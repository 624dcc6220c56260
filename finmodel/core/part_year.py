"""Part-year effects: a line that starts in a month other than April.

A UK financial year runs from 1 April to 31 March. A saving of £2m a year that starts in
October delivers half of it, £1m, in its first year and the full £2m from the next.
That is a delay of half a year: finmodel's delays already blend the schedules of the
whole-year delays either side (see :func:`~finmodel.core.profiles.delayed`), and for a
line whose effect is level within each year that blend *is* the part-year effect.
:func:`start_delay` gives the delay for a start month, to use wherever a delay goes:

* as slippage, ``fm.Saving(..., delay=fm.start_delay("October"))``: the plan assumed
  April; the tables keep the plan and show the half year lost as "Savings not
  delivered";
* as the plan's own timing, ``profile.delay(fm.start_delay("October"))``: the phasing
  itself starts in October, in the plan and in the outturn alike;
* uncertain, ``fm.Uniform(fm.start_delay("July"), fm.start_delay("January"))``: a start
  any time from July to January.

Conventions: a start on the first of the month, whole months, every month the same
length (October is 6/12 of a year after April, not 183/365). A one-off amount that
slips half a year falls half in its own year and half in the next; a per-year line
that slips moves each year's amount half a year later.
"""

from __future__ import annotations

from finmodel.core.errors import ProfileError

__all__ = ["MONTHS", "start_delay"]

#: The months of a UK financial year, in order from April.
MONTHS: tuple[str, ...] = (
    "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "January", "February", "March",
)  # fmt: skip


def start_delay(month: str) -> float:
    """Years of delay of an effect that starts on the first of ``month`` instead of 1 April.

    Parameters
    ----------
    month : str
        A month name, in full or its first three letters, any letter case
        (``"October"``, ``"oct"``).

    Returns
    -------
    float
        Months after April divided by 12: 0 for April, 0.5 for October, 11/12 for March.

    Notes
    -----
    A recurring amount :math:`A` a year delayed by :math:`d = k/12` is received as
    :math:`(1 - d) A` in its first year (the part-year effect, :math:`12 - k` months of
    12) and :math:`A` after that.

    Examples
    --------
    >>> import finmodel as fm
    >>> fm.start_delay("October"), fm.start_delay("jan")
    (0.5, 0.75)
    >>> late = fm.Saving("Libraries review", [2.0, 0.0, 0.0], delay=fm.start_delay("October"))
    >>> plan = fm.MTFP("Part-year", fm.Timeline("2018/19", 3), [late])
    >>> fm.evaluate(plan).value("undelivered_savings").tolist()
    [1.0, -1.0, 0.0]
    >>> fm.start_delay("Octember")
    Traceback (most recent call last):
    ...
    finmodel.core.errors.ProfileError: start_delay: month ('Octember') is not a month; give its name, e.g. 'October' or 'Oct'
    """
    if isinstance(month, str):
        text = month.strip().lower()
        for i, name in enumerate(MONTHS):
            if text in (name.lower(), name[:3].lower()):
                return i / 12.0
    raise ProfileError(f"start_delay: month ({month!r}) is not a month; give its name, e.g. 'October' or 'Oct'")
