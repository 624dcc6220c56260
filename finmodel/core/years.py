"""UK financial years (1 April to 31 March) and timelines of consecutive years.

A financial year is written ``"2018/19"``; ``"18/19"`` and ``"2018-19"`` are accepted on
input, and labels are always printed in the long form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from finmodel.core.errors import YearError
from finmodel.core.limits import MAX_YEARS  # the longest timeline: beyond the Green Book's 300-year schedule

__all__ = ["MAX_YEARS", "Timeline", "parse_year"]

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


def _label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Timeline:
    """Consecutive financial years covered by a model.

    Parameters
    ----------
    start : str or int
        The first financial year, ``"2018/19"`` or ``"18/19"``.
    length : int
        The number of years (at least 1).

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

    start: int
    length: int

    def __init__(self, start: str | int, length: int) -> None:
        first = parse_year(start, where="Timeline: start")
        if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_YEARS:
            raise YearError(
                f"Timeline: length ({length!r}) must be a whole number of years from 1 to {MAX_YEARS}"
            )
        object.__setattr__(self, "start", first)
        object.__setattr__(self, "length", length)

    @property
    def labels(self) -> tuple[str, ...]:
        """The year labels in order, e.g. ``('2018/19', '2019/20')``."""
        return tuple(_label(self.start + i) for i in range(self.length))

    @property
    def end(self) -> str:
        """The label of the last year.

        Examples
        --------
        >>> Timeline("2018/19", 4).end
        '2021/22'
        """
        return _label(self.start + self.length - 1)

    def index(self, year: str | int) -> int:
        """Position of a financial year on the timeline (0 for the first year).

        Raises
        ------
        YearError
            If the year is not on the timeline.

        Examples
        --------
        >>> Timeline("2018/19", 4).index("19/20")
        1
        """
        first = parse_year(year, where="Timeline.index: year")
        pos = first - self.start
        if not 0 <= pos < self.length:
            raise YearError(
                f"Timeline {self.labels[0]}..{self.end}: year {_label(first)!r} is not on the timeline"
            )
        return pos

    def shift(self, years: int) -> Timeline:
        """The same number of years, starting ``years`` later (earlier if negative).

        Examples
        --------
        >>> Timeline("2018/19", 2).shift(-1).labels
        ('2017/18', '2018/19')
        """
        return Timeline(self.start + years, self.length)

    def __getitem__(self, item: slice) -> Timeline:
        if not isinstance(item, slice) or item.step is not None:
            raise YearError("Timeline: slice with year labels, e.g. years['2019/20':'2020/21']")
        lo = 0 if item.start is None else self.index(item.start)
        hi = self.length - 1 if item.stop is None else self.index(item.stop)
        if hi < lo:
            raise YearError(f"Timeline: slice {item.start!r}:{item.stop!r} is empty")
        return Timeline(self.start + lo, hi - lo + 1)

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[str]:
        return iter(self.labels)

    def __repr__(self) -> str:
        return f"Timeline({self.labels[0]!r}, {self.length})"
