"""UK financial years (1 April to 31 March) and timelines of consecutive years.

A financial year is written ``"2018/19"``; ``"18/19"`` and ``"2018-19"`` are accepted on
input, and labels are always printed in the long form (:func:`year_label`). Appraisals
that count years from their start (``Y0, Y1, ...``, "year 1") use a relative timeline,
:meth:`Timeline.relative`, with a financial year attached only where the paper gives one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from finmodel.core.errors import YearError
from finmodel.core.limits import MAX_YEARS  # the longest timeline: beyond the Green Book's 300-year schedule

__all__ = ["MAX_YEARS", "Timeline", "parse_year", "year_label"]

_YEAR = re.compile(r"^\s*(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")


def parse_year(label: str | int, *, where: str = "year") -> int:
    """Return the calendar year in which a financial year starts.

    Parameters
    ----------
    label : str or int
        ``"2018/19"``, ``"18/19"``, ``"2018-19"``, ``"2018/2019"`` or the starting
        calendar year as an int (``2018``).
    where : str
        Names the object and field in an error message.

    Returns
    -------
    int
        The starting calendar year, e.g. 2018 for ``"2018/19"``.

    Raises
    ------
    YearError
        If the label is not a financial year (e.g. ``"2018/20"``).

    Examples
    --------
    >>> parse_year("18/19")
    2018
    >>> parse_year("2021/22")
    2021
    """
    if isinstance(label, bool):
        raise YearError(f"{where} {label!r} is not a financial year")
    if isinstance(label, int):
        if 1900 <= label <= 2200:
            return label
        raise YearError(f"{where} {label!r} is not a financial year starting between 1900 and 2200")
    if not isinstance(label, str):
        raise YearError(f"{where} {label!r} is not a financial year label such as '2018/19'")
    match = _YEAR.match(label)
    if match is None:
        raise YearError(f"{where} {label!r} is not a financial year (expected '2018/19' or '18/19')")
    first, second = match.groups()
    # two digits: 70-99 are the 1970s to 1990s, 00-69 this century
    start = int(first) if len(first) == 4 else (1900 if int(first) >= 70 else 2000) + int(first)
    end = int(second) % 100
    if (start + 1) % 100 != end or (len(second) == 4 and int(second) != start + 1):
        raise YearError(f"{where} {label!r} is not a financial year (expected '2018/19' or '18/19')")
    return start


def year_label(start: int) -> str:
    """The label of the financial year starting in calendar year ``start``: ``"2018/19"``.

    The one place a financial-year label is written; timelines, tables, statements and
    files all use it.

    Examples
    --------
    >>> year_label(2018), year_label(1999)
    ('2018/19', '1999/00')
    """
    return f"{start}/{(start + 1) % 100:02d}"


def _pattern(label: str) -> re.Pattern[str]:
    """A regular expression matching the labels a relative ``label`` template makes."""
    before, after = (r"\s+".join(map(re.escape, part.split())) for part in label.split("{n}"))
    return re.compile(rf"^\s*{before}\s*(\d+)\s*{after}\s*$", re.IGNORECASE)


@dataclass(frozen=True, init=False)
class Timeline:
    """Consecutive years covered by a model: financial years, or years counted from the start.

    A timeline of **financial years** is ``Timeline("2018/19", 4)``. A **relative**
    timeline, for appraisals that print ``Y0, Y1, ... Y14`` or "year 1 of the new
    council", is :meth:`Timeline.relative`; it carries a financial year only when the
    paper gives one (``start=``).

    Parameters
    ----------
    start : str or int
        The first financial year, ``"2018/19"`` or ``"18/19"`` (None for a relative
        timeline with no financial year attached).
    length : int
        The number of years (at least 1).
    first, label : optional
        Only for a relative timeline (see :meth:`relative`).

    Examples
    --------
    >>> years = Timeline("18/19", 4)
    >>> years.labels
    ('2018/19', '2019/20', '2020/21', '2021/22')
    >>> years.index("2020/21")
    2
    >>> years.shift(1).labels[0]
    '2019/20'
    >>> years["2019/20":].labels
    ('2019/20', '2020/21', '2021/22')
    """

    start: int | None
    length: int
    first: int | None = None
    label: str | None = None

    def __init__(
        self, start: str | int | None, length: int, first: int | None = None, label: str | None = None
    ) -> None:
        relative = first is not None or label is not None
        if relative:
            first = 0 if first is None else first
            label = "Y{n}" if label is None else label
            if isinstance(first, bool) or not isinstance(first, int) or first < 0:
                raise YearError(f"Timeline: first ({first!r}) must be a whole number >= 0, the number of the first year")
            if not isinstance(label, str) or label.count("{n}") != 1 or not label.replace("{n}", "").strip():
                raise YearError(
                    f"Timeline: label ({label!r}) must hold {{n}} once, with words around it, e.g. 'Y{{n}}' or 'year {{n}}'"
                )
        elif start is None:
            raise YearError("Timeline: start is None; give the first financial year, or use Timeline.relative")
        begin = None if start is None else parse_year(start, where="Timeline: start")
        if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_YEARS:
            raise YearError(
                f"Timeline: length ({length!r}) must be a whole number of years from 1 to {MAX_YEARS}"
            )
        object.__setattr__(self, "start", begin)
        object.__setattr__(self, "length", length)
        object.__setattr__(self, "first", first)
        object.__setattr__(self, "label", " ".join(label.split()) if label is not None else None)

    @classmethod
    def relative(
        cls, length: int, *, first: int = 0, label: str = "Y{n}", start: str | int | None = None
    ) -> Timeline:
        """Years counted from the start of an appraisal: ``Y0, Y1, ...`` or ``year 1, year 2, ...``.

        Parameters
        ----------
        length : int
            The number of years.
        first : int
            The number of the first year: 0 for ``Y0`` (the appraisal's year 0, when the
            investment is made), 1 for "year 1".
        label : str
            How a year is printed, with ``{n}`` for its number: ``"Y{n}"``,
            ``"year {n}"``, ``"Year {n}"``.
        start : str or int, optional
            The financial year of the first year, when the paper gives one. Its years are
            then accepted wherever a year label is (``index("2025/26")``).

        Examples
        --------
        >>> years = Timeline.relative(15)
        >>> years.labels[:3], years.end
        (('Y0', 'Y1', 'Y2'), 'Y14')
        >>> Timeline.relative(3, first=1, label="year {n}").index("Year 2")
        1
        >>> dated = Timeline.relative(3, start="2024/25")
        >>> dated.index("2025/26"), dated.financial_years
        (1, ('2024/25', '2025/26', '2026/27'))
        """
        return cls(start, length, first, label)

    @property
    def is_relative(self) -> bool:
        """True for years counted from the start (``Y0, Y1, ...``)."""
        return self.label is not None

    @property
    def labels(self) -> tuple[str, ...]:
        """The year labels in order, e.g. ``('2018/19', '2019/20')`` or ``('Y0', 'Y1')``."""
        if self.label is not None:
            first = 0 if self.first is None else self.first
            return tuple(self.label.replace("{n}", str(first + i)) for i in range(self.length))
        assert self.start is not None
        return tuple(year_label(self.start + i) for i in range(self.length))

    @property
    def financial_years(self) -> tuple[str, ...] | None:
        """The financial years of the timeline, or None for a relative one with none attached.

        Examples
        --------
        >>> Timeline.relative(2).financial_years is None
        True
        """
        if self.start is None:
            return None
        return tuple(year_label(self.start + i) for i in range(self.length))

    @property
    def end(self) -> str:
        """The label of the last year.

        Examples
        --------
        >>> Timeline("2018/19", 4).end
        '2021/22'
        """
        return self.labels[-1]

    def offset(self, year: str | int) -> int:
        """Years from the first year of the timeline to ``year``, which may lie outside it.

        A financial year (where the timeline has them) or, on a relative timeline, a
        label in its own style (``"Y3"``, ``"year 3"``; case and spacing do not matter).

        Examples
        --------
        >>> Timeline("2018/19", 4).offset("2025/26")
        7
        >>> Timeline.relative(4, first=1, label="year {n}").offset("year 6")
        5
        """
        if self.label is not None and isinstance(year, str):
            found = _pattern(self.label).match(year)
            if found is not None:
                return int(found.group(1)) - (0 if self.first is None else self.first)
        if self.start is None:
            raise YearError(
                f"Timeline {self.labels[0]}..{self.end}: year {year!r} is not a year of this timeline "
                f"(expected a label such as {self.labels[0]!r})"
            )
        return parse_year(year, where=f"Timeline {self.labels[0]}..{self.end}: year") - self.start

    def index(self, year: str | int) -> int:
        """Position of a year on the timeline (0 for the first year).

        Raises
        ------
        YearError
            If the year is not on the timeline.

        Examples
        --------
        >>> Timeline("2018/19", 4).index("19/20")
        1
        """
        pos = self.offset(year)
        if not 0 <= pos < self.length:
            raise YearError(f"Timeline {self.labels[0]}..{self.end}: year {year!r} is not on the timeline")
        return pos

    def label_of(self, year: str | int) -> str:
        """The timeline's own label for a year given in any accepted spelling.

        Examples
        --------
        >>> Timeline("2018/19", 2).label_of("19/20")
        '2019/20'
        >>> Timeline.relative(2, start="2018/19").label_of("2019/20")
        'Y1'
        """
        return self.labels[self.index(year)]

    def shift(self, years: int) -> Timeline:
        """The same number of years, starting ``years`` later (earlier if negative).

        Examples
        --------
        >>> Timeline("2018/19", 2).shift(-1).labels
        ('2017/18', '2018/19')
        """
        return self._part(years, self.length)

    def _part(self, skip: int, length: int) -> Timeline:
        start = None if self.start is None else self.start + skip
        first = None if self.first is None else self.first + skip
        return Timeline(start, length, first, self.label)

    def __getitem__(self, item: slice) -> Timeline:
        if not isinstance(item, slice) or item.step is not None:
            raise YearError(f"Timeline: slice with year labels, e.g. years[{self.labels[1 % self.length]!r}:]")
        lo = 0 if item.start is None else self.index(item.start)
        hi = self.length - 1 if item.stop is None else self.index(item.stop)
        if hi < lo:
            raise YearError(f"Timeline: slice {item.start!r}:{item.stop!r} is empty")
        return self._part(lo, hi - lo + 1)

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[str]:
        return iter(self.labels)

    def __repr__(self) -> str:
        if self.label is None:
            return f"Timeline({self.labels[0]!r}, {self.length})"
        start = "" if self.start is None else f", start={year_label(self.start)!r}"
        return f"Timeline.relative({self.length}, first={self.first}, label={self.label!r}{start})"
