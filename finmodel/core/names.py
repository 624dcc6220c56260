"""Names: what a name of a model, a line, an input or a scenario may hold.

Names are printed as row labels and column headings, typed at the command line and
looked up by scenarios, so each must read as what it is. Refused: control characters
(a newline or a tab in a row label breaks every printed table), and the invisible
characters that reorder or hide text (bidirectional overrides and isolates, zero-width
characters): ``"Savings\\u202e)3(`` *prints* as something else entirely.

Two names that Unicode's compatibility normalisation (NFKC) makes equal, such as
fullwidth ``"ＩＴ"`` and ``"IT"``, look alike; :func:`name_key` gives the normalised form
used to refuse such pairs where names must be told apart.

Examples
--------
>>> check_name("Quick wins", "Benefit")
'Quick wins'
>>> check_name("Quick\\nwins", "Benefit")
Traceback (most recent call last):
...
finmodel.core.errors.FinmodelError: Benefit: name ('Quick\\nwins') holds the control character U+000A; names are printed in tables, so they may hold only visible characters and spaces
>>> name_key("ＩＴ") == name_key("IT")
True
"""

from __future__ import annotations

import unicodedata

from finmodel.core.errors import FinmodelError

__all__ = ["INVISIBLE", "check_name", "name_key"]

#: Characters that reorder, hide or join text without being seen.
INVISIBLE = frozenset(
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space, non-joiner, joiner; LTR and RTL marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidirectional embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidirectional isolates
    "\ufeff"  # byte-order mark (zero-width no-break space)
)


def _refused(ch: str) -> str | None:
    """What is wrong with ``ch`` in a name, or None."""
    category = unicodedata.category(ch)
    if category == "Cc" or category in ("Zl", "Zp"):
        return "the control character"
    if ch in INVISIBLE:
        return "the invisible character"
    if category in ("Cs", "Co", "Cn"):
        return "the unassigned or private character"
    return None


def check_name(name: str, who: str, field: str = "name", error: type[FinmodelError] = FinmodelError) -> str:
    """Return ``name`` if it may name something, else raise ``error`` naming ``who`` and ``field``.

    The caller has checked that ``name`` is a non-empty string.

    Parameters
    ----------
    name : str
    who : str
        The object, for the message (``"Benefit"``, ``"MTFP 'p'"``).
    field : str
        The field, for the message.
    error : type
        The :class:`FinmodelError` subclass to raise.
    """
    for ch in name:
        what = _refused(ch)
        if what is not None:
            raise error(
                f"{who}: {field} ({name!r}) holds {what} U+{ord(ch):04X}; names are printed in tables, "
                "so they may hold only visible characters and spaces"
            )
    return name


def name_key(name: str) -> str:
    """The form in which two names that look alike are equal (Unicode NFKC).

    Examples
    --------
    >>> name_key("Ｑｕｉｃｋ ｗｉｎｓ")
    'Quick wins'
    """
    return unicodedata.normalize("NFKC", name)
