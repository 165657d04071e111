"""The date grammar: find and normalise date and time expressions in plain text.

This module knows no XML. It returns character spans with ISO 8601 values; the
encoder turns each one into ``<date>`` or ``<time>``::

    >>> [m.when for m in find_dates("We met yesterday evening.", datetime.date(1952, 8, 28))]
    ['1952-08-27']

which the encoder writes as
``<date when="1952-08-27" ana="#relative-to-document">yesterday evening</date>``.

How it works (find first, decide once):

1. **Atoms.** Every rule in ``_RULES`` (a table: name, compiled regex, builder) runs
   over the whole text. A builder turns one regex match into an ``_Atom`` (a
   partial date: year, month, day as far as the text gives them) or rejects it.
   Some atoms are *weak*: a bare ``1952`` or ``August`` is a date only where the
   context says so, which is decided later.
2. **Overlaps.** The longest atom wins; ties go to the earlier start, then to the
   earlier rule in the table.
3. **Combination**, left to right over the surviving atoms: a part-of-period
   word (``early``, ``the end of``, ``the spring of``) is attached; two atoms
   joined by ``-``/``to``/``and`` become a range (``from``/``between`` included);
   a list (``in March and April 1953``) shares its year; then a bound word
   (``by``, ``before``, ``since``, ``no later than``...) is attached. A date and
   a time side by side stay two expressions.
4. **Context.** Weak atoms that gained nothing in step 3 survive only after a
   context word (``in 1955``, ``in May``, ``at 16.30``, ``on the 28th``).
5. **Values.** What the text leaves out is taken from the document date, and
   every such step is named in ``DateMatch.inferred`` (keys of ``INFERENCES``).

The conventions are documented for users in ``docs/DATES.md``.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "INFERENCES",
    "DateMatch",
    "find_dates",
    "is_iso_value",
    "parse_date_line",
    "parse_date_value",
]

#: Inference category id -> one-sentence description. The encoder writes these as a
#: TEI ``taxonomy`` and points to them with ``@ana``; ids are NCNames.
INFERENCES: dict[str, str] = {
    "year-from-document": "The year is not written; it is taken from the document date.",
    "month-from-document": (
        "The month and year are not written (only a day such as 'the 28th'); they are taken from "
        "the document date."
    ),
    "relative-to-document": (
        "A relative expression (yesterday, today, tomorrow, last year, next month, this spring...) "
        "resolved against the document date."
    ),
    "century-from-document": "A two-digit year completed with the century of the document date.",
    "century-assumed": (
        "A two-digit year or decade completed as 19xx because no document date is known and the "
        "corpus covers 1945-1991."
    ),
    "year-from-range-end": (
        "The year of one end of a range is not written and the range crosses a new year; it is the "
        "year written at the other end, one year earlier or later."
    ),
    "period-convention": (
        "The bounds of a vague period (early, mid-, late, the beginning or end of, a half, a quarter, "
        "a season, part of a decade or century) follow the project convention, not the text."
    ),
    "month-first-assumed": (
        "A numeric date with slashes that could be read either way is read month-first, the US convention."
    ),
    "order-by-validity": (
        "A numeric date is read against the usual order of its separator because only that order "
        "gives a valid date."
    ),
}

Cert = Literal["high", "medium", "low"]


@dataclass(frozen=True)
class DateMatch:
    """One date or time expression found in a text.

    ``text[start:end] == match.text`` for the text that was searched. Values are
    ISO 8601 strings: ``when`` for a single day, month, year, time or date-time;
    ``not_before``/``not_after`` for bounds and vague periods; ``from_``/``to`` for
    ranges and for ``since``/``until``. All values are ``None`` when the
    expression is recognised but cannot be resolved (``yesterday`` without a
    document date).
    """

    start: int
    end: int
    text: str
    kind: Literal["date", "time"]
    when: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    from_: str | None = None
    to: str | None = None
    inferred: tuple[str, ...] = ()
    cert: Cert | None = None


# --------------------------------------------------------------------------------------------------
# Regex vocabulary. Everything is compiled once, at import.
#
# Speed note: every rule starts with a flat alternation of literals or with a digit, and has no
# lookbehind or optional group in front. The regex engine then jumps from one possible first
# character to the next instead of trying the whole pattern at every position (about ten times
# faster). Word boundaries before a match and optional words in front of it ("the", a weekday,
# "from") are checked by the builders, looking backwards from the match.
# --------------------------------------------------------------------------------------------------

# Whitespace inside one expression: at least one blank, at most one line break. A blank line
# separates paragraphs, and a date must not swallow the first number of the next paragraph
# (a closer "August 28" followed by a paragraph that starts with "1953 ...").
_SP = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"
_SP0 = r"(?:[^\S\n]*\n?[^\S\n]*)"


def _variants(*words: str) -> str:
    """``this|This|THIS|...``: a flat alternation of the lower, title and upper forms of words.

    Used instead of ``(?i:...)`` at the head of a rule, which would hide the first letters from the
    regex engine's fast scan.
    """
    forms = (form for w in words for form in (w, w[:1].upper() + w[1:], w.upper()))
    return "|".join(dict.fromkeys(forms))


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_NUMBER: dict[str, int] = {}
for _i, _name in enumerate(_MONTH_NAMES, start=1):
    _MONTH_NUMBER[_name.lower()] = _i
    _MONTH_NUMBER[_name[:3].lower()] = _i
_MONTH_NUMBER["sept"] = 9
_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_ABBR_LOWER = frozenset(a.lower() for a in _ABBR)

# Months are recognised only in title case or all capitals: lower-case "may" and "march" are a verb
# far more often than a month in running English ("we may agree").
_FULL_MONTH = "|".join([*_MONTH_NAMES, *(n.upper() for n in _MONTH_NAMES)])
_ANY_MONTH = "|".join(
    [*_MONTH_NAMES, *(n.upper() for n in _MONTH_NAMES), *_ABBR, *(a.upper() for a in _ABBR)]
)
# A full stop belongs to the month only after an abbreviation ("Aug.", "Sept."), never after a
# full name at the end of a sentence ("... on 28 August.").
_ABBR3 = "|".join(a for a in (*_ABBR, *(a.upper() for a in _ABBR)) if len(a) == 3)
_MONTH = rf"(?P<mon>{_ANY_MONTH})(?![A-Za-z])(?:(?:(?<={_ABBR3})|(?<=Sept|SEPT))\.)?"

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NUMBER: dict[str, int] = {}
for _i, _name in enumerate(_WEEKDAYS):
    _WEEKDAY_NUMBER[_name.lower()] = _i
    _WEEKDAY_NUMBER[_name[:3].lower()] = _i
_WEEKDAY_NUMBER.update({"tues": 1, "thur": 3, "thurs": 3})

# A day of the month as digits, with an optional ordinal suffix; the builders check 1-31.
# A day is not followed by a letter, a digit or a thousands group ("In August 15,000 troops"),
# but may be glued to its year ("August 28,1952").
_DAY_END = r"(?![A-Za-z\d]|,\d\d\d(?!\d)|\.\d)"


def _day(group: str) -> str:
    return rf"(?P<{group}>\d\d?)(?!\d)(?:st|nd|rd|th)?"


# A written year next to a month or day. The range 1800-2099 keeps "In August 1500 troops" out;
# the relative forms make "in March of this year" one expression.
_YEAR = (
    rf"(?:of{_SP})?(?:(?P<y>1[89]\d\d|20\d\d)(?!\d|[,.]\d)"
    r"|['’](?P<yy>\d\d)(?![\d\w])"
    rf"|(?P<yrel>(?i:this|last|next|the{_SP}current)){_SP}(?i:year)(?![\w]))"
)
_YEAR_AFTER = rf"(?:(?:{_SP0},{_SP0}|{_SP}){_YEAR})?"

_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_NUMBER = {r: i for i, r in enumerate(_ROMAN_MONTHS, start=1)}
_ROMAN = "|".join(sorted(_ROMAN_MONTHS, key=len, reverse=True))

_AMPM = r"(?P<ampm>[AaPp]\.[Mm]\.|[AaPp][Mm](?![A-Za-z]))"
_ZONE = (
    rf"(?P<zone>{_SP0}\({_SP0}(?:[A-Z][\w.-]*|local){_SP}time{_SP0}\)"
    rf"|{_SP}(?:[A-Z][\w.-]*|local){_SP}time(?![\w])|{_SP}(?:GMT|UTC)(?![\w]))?"
)
_DAYPART = rf"(?P<dp>in{_SP}the{_SP}(?:morning|afternoon|evening)|at{_SP}night)"
# What may follow a clock time: "am", "noon", "in the afternoon", "hours", "(Moscow time)".
_TIME_TAIL = (
    rf"(?:{_SP0}{_AMPM})?(?:{_SP}(?P<noon>noon)(?![\w]))?(?:{_SP}{_DAYPART})?"
    rf"(?:{_SP}(?P<hrs>hours|hrs\.?)(?![\w]))?{_ZONE}"
)

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
        start=1,
    )
}
_DECADE_WORDS = {
    w: 10 * i
    for i, w in enumerate(
        ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"),
        start=2,
    )
}
_CENTURY_WORDS = {"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21}

# Words after a number that make it a quantity, not a year or a time ("in 1950 tons").
_UNIT_AFTER = re.compile(
    rf"{_SP0}(?:%|(?i:per{_SP0}cent|percent|tons?|tonnes?|men|people|persons|troops|soldiers|officers|"
    r"workers|rubles?|roubles?|yuan|dollars?|won|yen|pounds?|marks?|francs?|km|kilomet(?:er|re)s?|"
    r"met(?:er|re)s?|miles?|hectares?|copies|units?|pieces?|planes?|aircraft|tanks?|guns?|vehicles?|"
    r"cars?|trucks?|ships?|items?|votes?|delegates?|members?|deputies|minutes?|days?|kg|hours?|hrs|"
    r"kilograms?|degrees?|head|families|households|million|billion|thousand|hundred|per|each)(?![\w]))"
)
# A number right after "No.", "pp.", "#" is an identifier, not a date ("telegram No. 1952").
_NUMBER_PREFIX = re.compile(r"(?:(?<![\w])(?i:nos?|pp?|pages?|vol|nr|art|ch|tel)\.?|#|№)[^\S\n]*\Z")
# Characters that, right before a number, make it the tail of another number or an identifier.
_NUM_GLUE = ".,:/#№$£"
# After "the 28th": a name or one of these nouns means it is not a day ("the 20th Congress").
_NOT_DAY_AFTER = frozenset(
    (
        "anniversary", "army", "birthday", "brigade", "century", "congress", "corps", "division", "floor",
        "fleet", "group", "parallel", "parallels", "plenum", "regiment", "round", "session", "time",
        "times", "meeting", "conference", "party", "plenary", "line", "lines", "degree", "degrees",
        "year", "years", "day", "article", "point", "item", "paragraph", "chapter", "volume", "edition",
    )
)  # fmt: skip
_WORD_AFTER = re.compile(rf"{_SP0}(?P<w>[A-Za-z]+)")
_ORDINAL_AFTER = re.compile(
    rf"(?:{_SP0},{_SP0}|{_SP}(?:and|or|&){_SP})(?:the{_SP})?\d\d?(?:st|nd|rd|th)(?![\w])"
)

# Optional words in front of a rule's match, found by looking backwards (see _extend).
_LOOKBACK = 48
_THE_BEFORE = re.compile(rf"(?<![\w-])(?:the|The|THE){_SP}\Z")
_WEEKDAY_BEFORE = re.compile(
    r"(?<![\w-])(?P<wd>" + "|".join([*_WEEKDAYS, *(w.upper() for w in _WEEKDAYS)])
    + rf"|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)(?![A-Za-z])\.?,?{_SP}\Z"
)  # fmt: skip
_RANGE_BEFORE = re.compile(rf"(?i)(?<![\w-])(?P<p>from|between){_SP}\Z")
_PERIOD_PART_BEFORE = re.compile(
    rf"(?<![\w-])(?:(?:the|The|THE){_SP})?(?P<part>(?i:early|mid|late))(?:-|–|{_SP})\Z"
    rf"|(?<![\w-])(?:the|The|THE){_SP}\Z"
)
_TWELVE_BEFORE = re.compile(rf"(?<![\w.,:/])12(?::00)?{_SP}\Z")
_HOUR_BEFORE = re.compile(rf"(?<![\w.,:/])(?P<h>1[0-2]|0?[1-9]|(?i:{'|'.join(_NUMBER_WORDS)})){_SP}\Z")
_AGO_BEFORE = re.compile(
    rf"(?i)(?<![\w-])(?P<n>\d\d?\d?|an?|{'|'.join(_NUMBER_WORDS)}){_SP}"
    rf"(?P<unit>days?|weeks?|months?|years?){_SP}\Z"
)
_DECADE_WORD_BEFORE = re.compile(r"(?<![\w-])(?P<stem>(?i:twen|thir|for|fif|six|seven|eigh|nine))\Z")
_CENTURY_BEFORE = re.compile(
    rf"(?<![\w.,:/])(?:(?P<c>1\d|2[01])(?:st|nd|rd|th)|(?P<cw>(?i:{'|'.join(_CENTURY_WORDS)}))){_SP}\Z"
)
_DAY_BEFORE_AFTER = re.compile(rf"(?<![\w-])(?i:the){_SP}(?i:day){_SP}(?P<w>(?i:before|after)){_SP}\Z")


def _search_before(pattern: re.Pattern[str], text: str, floor: int, start: int) -> re.Match[str] | None:
    """The match of ``pattern`` (anchored with ``\\Z``) that ends at ``start`` and begins at or after
    ``floor`` (the end of the previous expression, so two expressions never share words)."""
    mt = pattern.search(text, max(floor, start - _LOOKBACK), start)
    return mt if mt is not None and mt.start() >= floor else None


def _free_before(text: str, i: int, glue: str = "") -> bool:
    """True when a token may start at ``i``: no letter, digit or ``glue`` character right before it."""
    if i == 0:
        return True
    c = text[i - 1]
    return not (c.isalnum() or c == "_" or c in glue)


# --------------------------------------------------------------------------------------------------
# Atoms: partial dates found by the rules, before context and document date are applied.
# --------------------------------------------------------------------------------------------------

Unit = Literal["day", "dayonly", "month", "year", "span", "time", "range", "datetime"]


@dataclass(slots=True)
class _Atom:
    """A candidate expression. ``y``/``m``/``d`` are None where the text does not give them.

    ``unit`` says what the expression names: a ``day``, a ``dayonly`` ("the 28th": month unknown),
    a ``month``, a ``year``, a ``span`` with ready-made bounds (a decade, a week), a ``time``, or
    the combinations ``range`` and ``datetime`` (``first``/``second``).
    """

    start: int
    end: int
    unit: Unit
    y: int | None = None
    m: int | None = None
    d: int | None = None
    lo: datetime.date | None = None
    hi: datetime.date | None = None
    clock: str | None = None
    weekday: int | None = None
    part: str | None = None
    # "start"/"end" when the part was said as an edge ("the beginning of", "the end of"): with
    # "before"/"after" the edge is a point ("before the end of February" = by 28 February).
    edge: str | None = None
    bound: str | None = None
    first: _Atom | None = None
    second: _Atom | None = None
    # What the atom still needs to count as a date: "" (nothing), "part" (a part-of-period word),
    # or a key of _CONTEXT_BEFORE ("date", "day", "time").
    weak: str = ""
    # Recognised but not resolvable (a relative expression with no document date).
    novalue: bool = False
    inferred: set[str] = field(default_factory=set)
    cert: Cert | None = None
    order: int = 0


Builder = Callable[[re.Match[str], str, "datetime.date | None"], "_Atom | None"]


def _two_digit_year(yy: int, doc: datetime.date | None, inferred: set[str]) -> int:
    """Complete ``'52`` or ``24.03.50``: the century of the document date, else the 1900s."""
    if doc is not None:
        inferred.add("century-from-document")
        return doc.year // 100 * 100 + yy
    inferred.add("century-assumed")
    return 1900 + yy


def _year_of(mt: re.Match[str], doc: datetime.date | None, atom: _Atom) -> None:
    """Fill ``atom.y`` from the ``y``/``yy``/``yrel`` groups of a match (None when absent)."""
    groups = mt.groupdict()
    if groups.get("y"):
        atom.y = int(groups["y"])
    elif groups.get("yy"):
        atom.y = _two_digit_year(int(groups["yy"]), doc, atom.inferred)
    elif groups.get("yrel"):
        if doc is None:
            atom.novalue = True
            return
        word = groups["yrel"].lower()
        atom.y = doc.year + (-1 if word == "last" else 1 if word == "next" else 0)
        atom.inferred.add("relative-to-document")


def _month_of(mt: re.Match[str]) -> int:
    return _MONTH_NUMBER[mt["mon"].lower()]


def _valid_day(y: int | None, m: int, d: int) -> bool:
    """Day exists in that month; with the year unknown, 29 February is allowed (a leap year may come)."""
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y if y is not None else 2000, m)[1]


def _extend(text: str, start: int, *patterns: re.Pattern[str]) -> tuple[int, list[re.Match[str] | None]]:
    """Move ``start`` back over optional words in front of a match, nearest first."""
    found: list[re.Match[str] | None] = []
    for pattern in patterns:
        mt = _search_before(pattern, text, 0, start)
        found.append(mt)
        if mt is not None:
            start = mt.start()
    return start, found


def _set_weekday(a: _Atom, mt: re.Match[str] | None) -> None:
    if mt is not None:
        a.weekday = _WEEKDAY_NUMBER[mt["wd"].lower()]


def _days(
    mt: re.Match[str],
    start: int,
    m: int,
    doc: datetime.date | None,
    pre: re.Match[str] | None,
    weekday: re.Match[str] | None,
) -> _Atom | None:
    """One day (group ``d1``) or a range of days (``d1``..``d2``) of month ``m``.

    ``pre`` is the ``from``/``between`` in front of a range; ``and`` needs ``between`` and
    ``between`` needs ``and`` ("between 1 and 5 June", never "1 and 5 June").
    """
    first = _Atom(start, mt.end(), "day", m=m, d=int(mt["d1"]))
    _year_of(mt, doc, first)
    _set_weekday(first, weekday)
    if not _valid_day(first.y, m, first.d or 0):
        return None
    if mt["d2"] is None:
        return first
    word = (mt["sepword"] or "").lower()
    if (word == "and") != (pre is not None and pre["p"].lower() == "between"):
        if word == "and" and pre is None and mt.start("d2") < mt.start("mon"):
            # "6 and 7 June" is a list, not a range: this atom is "7 June"; the "day-list" rule finds the "6".
            last = _Atom(mt.start("d2"), mt.end(), "day", y=first.y, m=m, d=int(mt["d2"]),
                         inferred=set(first.inferred), novalue=first.novalue)
            return last if _valid_day(last.y, m, last.d or 0) else None
        return None
    second = _Atom(start, mt.end(), "day", y=first.y, m=m, d=int(mt["d2"]), inferred=set(first.inferred))
    if not _valid_day(second.y, m, second.d or 0) or not (first.d or 0) < (second.d or 0):
        return None
    start = pre.start() if pre is not None else start
    return _Atom(start, mt.end(), "range", first=first, second=second, novalue=first.novalue)


def _b_month_first(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """Everything that starts with a month name: ``August 28, 1952``, ``Aug. 28``, ``Thursday,
    August 28th``, ``June 1-5, 1953``, ``August 1952``, ``March of this year``, and ``August``
    alone (weak: a date only where the context says so)."""
    m = _month_of(mt)
    if not _free_before(text, mt.start()):
        return None
    if mt["d1"] is None:
        if mt["y"] or mt["yy"] or mt["yrel"]:
            a = _Atom(mt.start(), mt.end(), "month", m=m)
            _year_of(mt, doc, a)
            return a
        if mt["mon"].lower() in _ABBR_LOWER:
            return None  # "Aug" or "Dec" alone is not a date
        return _Atom(mt.start(), mt.end("mon"), "month", m=m, weak="date")
    start, (weekday,) = _extend(text, mt.start(), _WEEKDAY_BEFORE)
    pre = _search_before(_RANGE_BEFORE, text, 0, start) if mt["d2"] else None
    return _days(mt, start, m, doc, pre, weekday)


def _b_day_first(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``28 August 1952``, ``the 28th of August``, ``Thursday, 28 August``, ``from 1 to 5 June 1953``."""
    m = _month_of(mt)
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    start, (_the, weekday) = _extend(text, mt.start(), _THE_BEFORE, _WEEKDAY_BEFORE)
    pre = _search_before(_RANGE_BEFORE, text, 0, start) if mt["d2"] else None
    return _days(mt, start, m, doc, pre, weekday)


def _b_day_list(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """A day in a list that ends with a day and its month: the "6" of ``6 and 7 June``, the "3" and "4" of
    ``3, 4 and 5 June``, the "6" of ``6 or 7 June``. It takes the month and year of the list's last day
    (``_share_list``), which the text states once for all of them."""
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    d = int(mt["d"])
    # Weak "list": it counts only once ``_share_list`` gave it a month ("30 or 31 June": no 31 June, no date).
    return _Atom(mt.start(), mt.end(), "dayonly", d=d, weak="list") if 1 <= d <= 31 else None


def _b_roman_day(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``10.VI.``: a day and a roman-numeral month with no year (the document's year)."""
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    a = _Atom(mt.start(), mt.end(), "day", m=_ROMAN_NUMBER[mt["rom"]], d=int(mt["d"]))
    return a if _valid_day(None, a.m or 0, a.d or 0) else None


def _b_year(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """A number 1800-2099: a decade (``1950s``), a range (``1950–53``, ``1952/53``) or a bare year
    1900-2099, which is weak: it needs a context word, a range partner or a modifier."""
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    y = int(mt["y"])
    if mt["dec"]:
        return _decade_atom(text, mt.start(), mt.end(), y, set()) if y % 10 == 0 else None
    if mt["yy"]:
        y2 = y // 100 * 100 + int(mt["yy"])
        if y2 > y and y >= 1900 and not _UNIT_AFTER.match(text, mt.end()):
            first = _Atom(mt.start(), mt.start() + 4, "year", y=y)
            second = _Atom(mt.end() - 2, mt.end(), "year", y=y2)
            return _Atom(mt.start(), mt.end(), "range", first=first, second=second)
    end = mt.start() + 4  # "1952-08-28" and the like: the year alone (the ISO rule wins anyway)
    if y < 1900 or _UNIT_AFTER.match(text, end):
        return None
    return _Atom(mt.start(), end, "year", y=y, weak="date")


def _b_short_year(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``for '53``: a year in two digits after an apostrophe; weak, like a bare year."""
    if not _free_before(text, mt.start()):
        return None  # "rock'53" or a closing quote glued to a word
    a = _Atom(mt.start(), mt.end(), "year", weak="date")
    a.y = _two_digit_year(int(mt["yy"]), doc, a.inferred)
    return a


def _b_ago(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``two days ago``, ``a week ago``, ``three months ago``, ``two years ago`` (from the document date).

    Days give a day; weeks the Monday-to-Sunday week; months a month; years a year. Vague counts
    ("a few days ago", "several years ago") are not dates.
    """
    before = _search_before(_AGO_BEFORE, text, 0, mt.start())
    if before is None:
        return None
    raw = before["n"].lower()
    n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)  # "a"/"an" = 1
    unit = before["unit"].lower().rstrip("s")
    if unit == "day":
        a = _Atom(before.start(), mt.end(), "day")
        if doc is None:
            a.novalue = True
            return a
        try:
            day = doc - datetime.timedelta(days=n)
        except OverflowError:
            a.novalue = True
            return a
        a.y, a.m, a.d = day.year, day.month, day.day
        a.inferred.add("relative-to-document")
        return a
    return _relative_unit(before.start(), mt.end(), unit, -n, doc)


def _relative_unit(start: int, end: int, unit: str, offset: int, doc: datetime.date | None) -> _Atom:
    """A calendar year, month or week ``offset`` units away from the document date."""
    a = _Atom(start, end, "year" if unit == "year" else "month" if unit == "month" else "span")
    if doc is None:
        a.novalue = True
        return a
    a.inferred.add("relative-to-document")
    if unit == "year":
        a.y = doc.year + offset
    elif unit == "month":
        y, m0 = divmod(doc.year * 12 + doc.month - 1 + offset, 12)
        a.y, a.m = y, m0 + 1
    else:  # weeks run Monday to Sunday (ISO 8601)
        try:
            monday = doc - datetime.timedelta(days=doc.weekday()) + datetime.timedelta(weeks=offset)
            a.lo, a.hi = monday, monday + datetime.timedelta(days=6)
        except OverflowError:
            a.novalue = True
    if a.y is not None and not 1 <= a.y <= 9999:
        a.novalue = True
    return a


def _relative_month(start: int, end: int, which: str, m: int, doc: datetime.date | None) -> _Atom:
    """``last August`` = the latest August before the document month; ``next`` the first after."""
    a = _Atom(start, end, "month", m=m)
    if doc is None:
        a.novalue = True
        return a
    a.y = doc.year
    if which == "last" and m >= doc.month:
        a.y -= 1
    elif which == "next" and m <= doc.month:
        a.y += 1
    a.inferred.add("relative-to-document")
    return a


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}


def _month_end(y: int, m: int) -> datetime.date:
    return datetime.date(y, m, calendar.monthrange(y, m)[1])


def _season_span(season: str, year: int) -> tuple[datetime.date, datetime.date]:
    """Northern-hemisphere meteorological seasons; winter runs from December into February."""
    first, last = _SEASON_MONTHS[season]
    if last > 12:
        return datetime.date(year, first, 1), _month_end(year + 1, last - 12)
    return datetime.date(year, first, 1), _month_end(year, last)


def _relative_season(start: int, end: int, which: str, season: str, doc: datetime.date | None) -> _Atom:
    """``this spring``: the one in the document year; ``last``/``next``: the nearest one before/after."""
    a = _Atom(start, end, "span")
    if doc is None:
        a.novalue = True
        return a
    year = doc.year
    if season == "winter" and doc.month <= 2:
        year -= 1  # January and February belong to the winter that began the December before
    try:
        lo, hi = _season_span(season, year)
        if which == "last":
            while hi >= doc:
                year -= 1
                lo, hi = _season_span(season, year)
        elif which == "next":
            while lo <= doc:
                year += 1
                lo, hi = _season_span(season, year)
    except ValueError:  # beyond year 1 or 9999
        a.novalue = True
        return a
    a.lo, a.hi = lo, hi
    a.inferred.update(("relative-to-document", "period-convention"))
    return a


def _b_relative(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``this year``, ``last month``, ``next week``, ``the current year``, ``last August``,
    ``this spring``, ``last night``, ``this morning``."""
    if not _free_before(text, mt.start()):
        return None
    which = mt["w"].lower()
    start = mt.start()
    if which == "current":
        the = _search_before(_THE_BEFORE, text, 0, start) if mt["unit"] else None
        if the is None:
            return None
        start = the.start()
    if mt["unit"]:
        offset = -1 if which == "last" else 1 if which == "next" else 0
        return _relative_unit(start, mt.end(), mt["unit"].lower(), offset, doc)
    if mt["season"]:
        return _relative_season(start, mt.end(), which, mt["season"].lower(), doc)
    if mt["mon"]:
        return _relative_month(start, mt.end(), which, _MONTH_NUMBER[mt["mon"].lower()], doc)
    return _b_relative_day(mt, text, doc)


def _b_winter_range(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``the winter of 1952-53``: December 1952 to February 1953, no guess needed."""
    if not _free_before(text, mt.start()):
        return None
    y1 = int(mt["y"])
    y2 = int(mt["y2"]) if len(mt["y2"]) == 4 else y1 // 100 * 100 + int(mt["y2"])
    if y2 != y1 + 1:
        return None
    start, _ = _extend(text, mt.start(), _THE_BEFORE)
    lo, hi = _season_span("winter", y1)
    return _Atom(start, mt.end(), "span", lo=lo, hi=hi, inferred={"period-convention"})


# Thirds of a decade and of a century for "early/mid/late 1950s", "the mid-20th century".
_DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}
_CENTURY_PARTS = {"early": (0, 32), "mid": (33, 66), "late": (67, 99)}


def _decade_atom(
    text: str, start: int, end: int, first_year: int, inferred: set[str], *, need_the: bool = False
) -> _Atom | None:
    """A decade with what stands in front of it: ``the``, ``early``/``mid-``/``late``."""
    a = _Atom(start, end, "span", inferred=inferred)
    before = _search_before(_PERIOD_PART_BEFORE, text, 0, start)
    if need_the and (before is None or not before[0].lower().startswith("the")):
        return None  # "fifties" alone is an age or a number
    first, last = 0, 9
    if before is not None:
        a.start = before.start()
        if before["part"]:
            first, last = _DECADE_PARTS[before["part"].lower()]
            a.inferred.add("period-convention")
    if first_year % 100 == 0:
        a.cert = "medium"  # "the 1900s" may mean the whole century
    a.lo, a.hi = datetime.date(first_year + first, 1, 1), datetime.date(first_year + last, 12, 31)
    return a


def _b_decade(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``the '50s``, ``the early fifties`` (decades in words need "the")."""
    inferred: set[str] = set()
    if mt.groupdict().get("ties"):
        stem = _search_before(_DECADE_WORD_BEFORE, text, 0, mt.start())
        word = (stem["stem"] + "ties").lower() if stem is not None else ""
        if stem is None or word not in _DECADE_WORDS:
            return None
        first_year = _two_digit_year(_DECADE_WORDS[word], doc, inferred)
        return _decade_atom(text, stem.start(), mt.end(), first_year, inferred, need_the=True)
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    first_year = _two_digit_year(int(mt["dd"]), doc, inferred)
    return _decade_atom(text, mt.start(), mt.end(), first_year, inferred)


def _b_century(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``the 20th century`` = 1900-1999, the popular reading (not the strict 1901-2000)."""
    number = _search_before(_CENTURY_BEFORE, text, 0, mt.start())
    if number is None:
        return None
    n = int(number["c"]) if number["c"] else _CENTURY_WORDS[number["cw"].lower()]
    start = (n - 1) * 100
    first, last = 0, 99
    a = _Atom(number.start(), mt.end(), "span", inferred={"period-convention"})
    before = _search_before(_PERIOD_PART_BEFORE, text, 0, a.start)
    if before is not None:
        a.start = before.start()
        if before["part"]:
            first, last = _CENTURY_PARTS[before["part"].lower()]
    a.lo, a.hi = datetime.date(start + first, 1, 1), datetime.date(start + last, 12, 31)
    return a


def _numeric(
    mt: re.Match[str], text: str, doc: datetime.date | None, *, day_first: bool, roman: bool = False
) -> _Atom | None:
    """Numeric dates. Dots (and roman months) are day-first, slashes month-first (US).

    When the usual order gives no valid date but the other does, the other is taken and
    ``order-by-validity`` says so. When both orders are valid and differ for a slash date, the
    month-first reading is kept with cert="medium": slashes are used day-first by British and
    European writers too, so the reading is a guess. Dots are not doubted: day-first is the only
    convention that writes them (Soviet, Chinese and European usage).
    """
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    a = _Atom(mt.start(), mt.end(), "day")
    raw_year = mt["year"]
    a.y = int(raw_year) if len(raw_year) == 4 else _two_digit_year(int(raw_year), doc, a.inferred)
    if a.y < 1800:
        return None
    if roman:
        a.m, a.d = _ROMAN_NUMBER[mt["rom"]], int(mt["n1"])
        return a if _valid_day(a.y, a.m, a.d) else None
    n1, n2 = int(mt["n1"]), int(mt["n2"])
    usual = (n2, n1) if day_first else (n1, n2)  # (month, day)
    other = (usual[1], usual[0])
    ok_usual = _valid_day(a.y, *usual)
    ok_other = _valid_day(a.y, *other)
    if ok_usual:
        a.m, a.d = usual
        if not day_first and ok_other and usual != other:
            a.inferred.add("month-first-assumed")
            a.cert = "medium"
    elif ok_other:
        a.m, a.d = other
        a.inferred.add("order-by-validity")
    else:
        return None
    return a


def _b_numeric(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``24.03.50``, ``8/28/52``, ``28.VIII.1952``, ``28 VIII 1952``."""
    if mt["rom"]:
        return _numeric(mt, text, doc, day_first=True, roman=True)
    if mt["sep"] in "./":
        return _numeric(mt, text, doc, day_first=mt["sep"] == ".")
    return None  # digits with spaces or dashes ("5 10 1952", "28-08-52") are too often not dates


def _b_iso(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    if not _free_before(text, mt.start(), _NUM_GLUE + "-"):
        return None
    a = _Atom(mt.start(), mt.end(), "day", y=int(mt["y"]), m=int(mt["m"]), d=int(mt["d"]))
    return a if _valid_day(a.y, a.m or 0, a.d or 0) else None


_RELATIVE_DAY_OFFSET = {
    "yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "the day before yesterday": -2,
    "the day after tomorrow": 2, "last night": -1, "last evening": -1, "this morning": 0,
    "this afternoon": 0, "this evening": 0,
}  # fmt: skip


def _b_relative_day(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``yesterday``, ``the day before yesterday``, ``yesterday evening``, ``tonight``, ``last night``."""
    if not _free_before(text, mt.start()):
        return None
    head = " ".join(mt["w"].lower().split())
    start = mt.start()
    if mt.groupdict().get("rest"):
        head += " " + " ".join(mt["rest"].lower().split())
    elif head in ("yesterday", "tomorrow"):
        day = _search_before(_DAY_BEFORE_AFTER, text, 0, start)
        if day is not None:
            head = f"the day {day['w'].lower()} {head}"
            start = day.start()
    offset = _RELATIVE_DAY_OFFSET.get(head)
    if offset is None:
        return None
    # A part of the day may follow only a day word: "yesterday evening", not "tonight evening".
    dp_ok = head in ("yesterday", "today", "tomorrow", "the day before yesterday", "the day after tomorrow")
    end = mt.end() if dp_ok or not mt["dp"] else mt.end("rest" if mt.groupdict().get("rest") else "w")
    a = _Atom(start, end, "day")
    if doc is None:
        a.novalue = True
        return a
    try:
        day = doc + datetime.timedelta(days=offset)
    except OverflowError:
        a.novalue = True
        return a
    a.y, a.m, a.d = day.year, day.month, day.day
    a.inferred.add("relative-to-document")
    return a


def _b_ordinal_day(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``the 28th`` (weak: needs ``on``/``by``...), ``the 28th inst.`` (this month), ``ult.``, ``prox.``."""
    the = _search_before(_THE_BEFORE, text, 0, mt.start())
    if the is None or not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    d = int(mt["d"])
    if not 1 <= d <= 31:
        return None
    rel = (mt["rel"] or "").lower()
    if not rel:
        end = mt.end()
        while (more := _ORDINAL_AFTER.match(text, end)) is not None:
            end = more.end()  # "the 20th and 21st Congresses": judge by the word after the list
        after = _WORD_AFTER.match(text, end)
        if after and (after["w"][0].isupper() or after["w"].lower() in _NOT_DAY_AFTER):
            return None
        return _Atom(the.start(), mt.end(), "dayonly", d=d, weak="day")
    a = _Atom(the.start(), mt.end(), "day", d=d)
    if doc is None:
        a.novalue = True
        return a
    offset = {"inst": 0, "ult": -1, "prox": 1}[rel]
    y, m0 = divmod(doc.year * 12 + doc.month - 1 + offset, 12)
    a.y, a.m = y, m0 + 1
    a.inferred.add("month-from-document" if rel == "inst" else "relative-to-document")
    return a if 1 <= y <= 9999 and _valid_day(a.y, a.m, d) else None


def _b_the_year(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``the year``/``the month``: a date only after a part word (``by the end of the year``)."""
    the = _search_before(_THE_BEFORE, text, 0, mt.start())
    if the is None:
        return None
    unit: Unit = "year" if mt["unit"].lower() == "year" else "month"
    if mt["before_last"]:
        return _relative_unit(the.start(), mt.end(), unit, -2, doc) if unit == "year" else None
    a = _Atom(the.start(), mt.end(), unit, weak="part")
    if unit == "month":
        if doc is None:
            a.novalue = True
        else:
            a.y, a.m = doc.year, doc.month
            a.inferred.add("month-from-document")
    return a


def _clock(h: int, mi: int, s: int, mt: re.Match[str]) -> str | None:
    """Normalise a clock reading to ``HH:MM:SS`` from am/pm, ``noon`` and ``in the afternoon``.

    A time with neither am/pm nor a part of the day is read as written (24-hour clock): that is
    what Soviet, Chinese and most European originals use.
    """
    groups = mt.groupdict()
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm == "pm" else 0)
    if groups.get("noon"):
        if h != 12 or ampm:
            return None
    elif not ampm and groups.get("dp"):
        part = " ".join(groups["dp"].lower().split())
        if h < 12 and (part in ("in the afternoon", "in the evening") or (part == "at night" and h >= 6)):
            h += 12
    if not (0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59):
        return None
    return f"{h:02d}:{mi:02d}:{s:02d}"


def _b_time(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """``4:10 am``, ``16.30``, ``1630 hours``, ``4 p.m.``, ``12:00 noon``, ``23:45 (Moscow time)``."""
    groups = mt.groupdict()
    start = mt.start()
    raw_h = groups.get("h") or "12"
    if groups.get("oclock"):
        # The rule starts at the apostrophe of "o'clock" (rare, so fast to find): step back over the "o".
        start -= 1
        hour = _search_before(_HOUR_BEFORE, text, 0, start)
        if hour is None:
            return None
        start, raw_h = hour.start(), hour["h"]
    elif not _free_before(text, start, _NUM_GLUE if groups.get("h") else "-"):
        return None  # the tail of a number, or "noon" inside "afternoon"
    h = int(raw_h) if raw_h.isdigit() else _NUMBER_WORDS[raw_h.lower()]
    if groups.get("noon") and not groups.get("h"):
        twelve = _search_before(_TWELVE_BEFORE, text, 0, start)  # "12 noon", "12:00 noon"
        if twelve is not None:
            start = twelve.start()
    clock = _clock(h, int(groups.get("mi") or 0), int(groups.get("s") or 0), mt)
    if clock is None:
        return None
    a = _Atom(start, mt.end(), "time", clock=clock)
    # "16.30" is also a price or a section number: it needs a suffix or a context word.
    if groups.get("sep") == "." and groups.get("s"):
        return None  # "16.30:00" is no time anyone writes
    if groups.get("sep") == "." and not any(groups.get(g) for g in ("ampm", "noon", "dp", "hrs", "zone")):
        if _UNIT_AFTER.match(text, mt.end()):
            return None
        a.weak = "time"
    return a


def _b_dtg(mt: re.Match[str], text: str, doc: datetime.date | None) -> _Atom | None:
    """Military date-time group ``281640Z AUG 52``: day, hour, minute, Zulu (UTC), month, year."""
    if not _free_before(text, mt.start(), _NUM_GLUE):
        return None
    a = _Atom(mt.start(), mt.end(), "day", m=_MONTH_NUMBER[mt["mon"].lower()], d=int(mt["d"]))
    if mt["year"]:
        raw = mt["year"]
        a.y = int(raw) if len(raw) == 4 else _two_digit_year(int(raw), doc, a.inferred)
    if not _valid_day(a.y, a.m or 0, a.d or 0) or int(mt["h"]) > 23 or int(mt["mi"]) > 59:
        return None
    clock = _Atom(mt.start(), mt.end(), "time", clock=f"{mt['h']}:{mt['mi']}:00Z")
    return _Atom(mt.start(), mt.end(), "datetime", first=a, second=clock)


_DAY_SEP = rf"(?:{_SP0}[-–—]{_SP0}|{_SP}(?P<sepword>to|till|until|through|and){_SP})"
_DAYPART_WORD = rf"(?:{_SP}(?P<dp>(?i:morning|afternoon|evening|night))(?![\w]))?"

#: The rule table: name, regex, builder. Order matters only for ties (same start, same length).
_RULES: tuple[tuple[str, re.Pattern[str], Builder], ...] = tuple(
    (name, re.compile(pattern), builder)
    for name, pattern, builder in (
        (
            "month-first",
            rf"{_MONTH}(?:{_SP}{_day('d1')}(?:{_DAY_SEP}{_day('d2')})?{_DAY_END})?{_YEAR_AFTER}",
            _b_month_first,
        ),
        (
            "day-first",
            rf"{_day('d1')}(?:{_DAY_SEP}(?:(?i:the){_SP})?{_day('d2')})?"
            rf"(?:{_SP}of)?{_SP}{_MONTH}{_YEAR_AFTER}",
            _b_day_first,
        ),
        (
            "relative",
            rf"(?P<w>{_variants('this', 'last', 'next', 'current')}){_SP}(?:(?P<unit>(?i:year|month|week))"
            r"|(?P<season>(?i:spring|summer|autumn|fall|winter))"
            rf"|(?P<mon>{_FULL_MONTH})"
            rf"|(?P<rest>(?i:night|morning|afternoon|evening)){_DAYPART_WORD})(?![\w])",
            _b_relative,
        ),
        (
            "relative-day",
            rf"(?P<w>{_variants('yesterday', 'today', 'tomorrow', 'tonight')})(?![\w]){_DAYPART_WORD}",
            _b_relative_day,
        ),
        (
            "year",
            rf"(?P<y>1[89]\d\d|20\d\d)(?:(?P<dec>['’]?s)|{_SP0}[-–—/]{_SP0}(?P<yy>\d\d))?(?![\w]|[.,]\d)",
            _b_year,
        ),
        ("iso-date", r"(?P<y>1[89]\d\d|20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\w-])", _b_iso),
        (
            "winter-range",
            rf"(?:{_variants('winter')}){_SP}(?:of{_SP})?(?P<y>1[89]\d\d|20\d\d)"
            rf"{_SP0}[-–/]{_SP0}(?P<y2>\d\d\d\d|\d\d)(?![\w])",
            _b_winter_range,
        ),
        ("decade-apostrophe", r"['’](?P<dd>\d0)s(?![\w])", _b_decade),
        ("short-year", r"['’](?P<yy>\d\d)(?![\w'’])", _b_short_year),
        ("ago", r"(?P<ago>ago)(?![\w])", _b_ago),
        # Decade words all end in "ties" and centuries in "century": both rules start at that word
        # (a literal the engine finds fast) and read the number in front of it in the builder.
        ("decade-word", r"(?P<ties>ties|TIES)(?![\w])", _b_decade),
        ("century", rf"(?P<century>{_variants('century')})(?![\w])", _b_century),
        (
            "ordinal-day",
            rf"(?P<d>\d\d?)(?!\d)(?:st|nd|rd|th)(?:{_SP}(?P<rel>(?i:inst|ult|prox))(?:\.|(?![\w])))?(?![\w])",
            _b_ordinal_day,
        ),
        (
            "the-year",
            rf"(?P<unit>{_variants('year', 'month')})(?![\w])(?!{_SP0}\d)"
            rf"(?P<before_last>{_SP}(?i:before){_SP}(?i:last)(?![\w]))?",
            _b_the_year,
        ),
        (
            "day-list",
            rf"(?P<d>\d\d?)(?:st|nd|rd|th)?(?=(?:{_SP0},{_SP0}\d\d?(?:st|nd|rd|th)?)*(?:{_SP0},)?{_SP}(?:and|or|&)"
            rf"{_SP}\d\d?(?:st|nd|rd|th)?{_SP}(?:of{_SP})?{_MONTH})",
            _b_day_list,
        ),
        ("roman-day", rf"(?P<d>\d\d?)\.(?P<rom>{_ROMAN})\.(?![\w.])", _b_roman_day),
        (
            "numeric-date",
            rf"(?P<n1>\d\d?)(?P<sep>[./]|-|[^\S\n]+)(?:(?P<n2>\d\d?)|(?P<rom>{_ROMAN}))(?P=sep)"
            r"(?P<year>\d\d\d\d|\d\d)(?![\w/]|[.,]\d)",
            _b_numeric,
        ),
        (
            "dtg",
            rf"(?P<d>\d\d)(?P<h>\d\d)(?P<mi>\d\d)Z{_SP}"
            r"(?P<mon>JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
            rf"(?:{_SP}(?P<year>\d\d\d\d|\d\d))?(?![\w])",
            _b_dtg,
        ),
        (
            "time",
            rf"(?P<h>\d\d?)(?P<sep>[:.])(?P<mi>\d\d)(?::(?P<s>\d\d))?(?!\d|[:.,]\d){_TIME_TAIL}",
            _b_time,
        ),
        (
            "time-hours",
            rf"(?P<h>\d\d)(?P<mi>\d\d){_SP0}(?P<hrs>(?i:hours|hrs\.?))(?![\w]){_ZONE}",
            _b_time,
        ),
        ("time-ampm", rf"(?P<h>\d\d?)(?!\d){_SP0}{_AMPM}{_ZONE}", _b_time),
        (
            "time-oclock",
            rf"(?P<oclock>['’](?<=[oO]['’])(?:clock|CLOCK))(?![\w])"
            rf"(?:{_SP0}{_AMPM})?(?:{_SP}{_DAYPART})?{_ZONE}",
            _b_time,
        ),
        ("noon", rf"(?P<noon>{_variants('noon')})(?![\w])", _b_time),
    )
)


#: What each rule needs in a text before it can match: ``DIGIT`` (a rule that starts with or requires a
#: number), or words, one of which must occur in the lower-cased text. A text without them skips the rule's
#: scan: each scan costs about as much as the next, most paragraphs have no digit, and most rules want
#: one. ``month-first`` has none (``None``): it starts at a month name, so a gate scanning for one would cost
#: what it saves. ``tests/test_dates.py`` checks that every rule has a gate and that gating never changes a
#: result.
DIGIT = "digit"
_GATES: dict[str, str | tuple[str, ...] | None] = {
    "month-first": None,
    "day-first": DIGIT,
    "relative": ("this", "last", "next", "current"),
    "relative-day": ("yesterday", "today", "tomorrow", "tonight"),
    "year": DIGIT,
    "iso-date": DIGIT,
    "winter-range": DIGIT,
    "decade-apostrophe": DIGIT,
    "short-year": DIGIT,
    "ago": ("ago",),
    "decade-word": ("ties",),
    "century": ("century",),
    "ordinal-day": DIGIT,
    "the-year": ("year", "month"),
    "day-list": DIGIT,
    "roman-day": DIGIT,
    "numeric-date": DIGIT,
    "dtg": DIGIT,
    "time": DIGIT,
    "time-hours": DIGIT,
    "time-ampm": DIGIT,
    "time-oclock": ("clock",),
    "noon": ("noon",),
}
_ANY_DIGIT = re.compile(r"\d")


_GATE_WORDS = tuple(sorted({word for gate in _GATES.values() if isinstance(gate, tuple) for word in gate}))


def _open_rules(text: str) -> tuple[int, ...]:
    """Positions in ``_RULES`` of the rules whose gate the text passes (see ``_GATES``)."""
    lower = text.lower()
    return _rules_for(_ANY_DIGIT.search(text) is not None, tuple([word in lower for word in _GATE_WORDS]))


@functools.cache
def _rules_for(has_digit: bool, words_present: tuple[bool, ...]) -> tuple[int, ...]:
    """The open rules for one combination of gate features (few combinations occur: remembered)."""
    present = {word for word, here in zip(_GATE_WORDS, words_present, strict=True) if here}
    return tuple(order for order, (name, _, _) in enumerate(_RULES)
                 if (gate := _GATES[name]) is None or (has_digit if gate == DIGIT else not present.isdisjoint(gate)))


# --------------------------------------------------------------------------------------------------
# Combination: part-of-period words, ranges, date-times, bounds, context.
# --------------------------------------------------------------------------------------------------

_PART_BEFORE = re.compile(
    rf"(?i)(?<![\w-])(?:"
    rf"(?:the{_SP})?(?:very{_SP})?(?P<edge>beginning|start|middle|end|close){_SP}of{_SP}"
    rf"|(?P<el>early|late){_SP}"
    rf"|(?P<mid>mid)(?:-|–|{_SP})"
    rf"|(?:the{_SP})?(?P<half>first|second|latter|last){_SP}half{_SP}of{_SP}"
    rf"|(?:the{_SP})?(?P<quarter>first|second|third|fourth|last){_SP}quarter{_SP}of{_SP}"
    rf"|(?:the{_SP})?(?P<season>spring|summer|autumn|fall|winter)(?:{_SP}of)?{_SP}"
    rf")\Z"
)
_PART_KEY = {
    "beginning": "early", "start": "early", "early": "early", "middle": "mid", "mid": "mid",
    "end": "late", "close": "late", "late": "late", "first": "h1", "second": "h2", "latter": "h2",
    "last": "h2",
}  # fmt: skip
_EDGE_KEY = {"beginning": "start", "start": "start", "end": "end", "close": "end"}
_QUARTER_KEY = {"first": "q1", "second": "q2", "third": "q3", "fourth": "q4", "last": "q4"}

#: Part of a year -> (first month, last month); winter's 14 means February of the next year.
_YEAR_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 4), "mid": (5, 8), "late": (9, 12), "h1": (1, 6), "h2": (7, 12),
    "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
    "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14),
}  # fmt: skip
#: Part of a month -> (first day, last day); 31 stands for the month's last day.
_MONTH_PARTS: dict[str, tuple[int, int]] = {
    "early": (1, 10), "mid": (11, 20), "late": (21, 31), "h1": (1, 15), "h2": (16, 31),
}  # fmt: skip

_BOUND_BEFORE = re.compile(
    rf"(?i)(?<![\w-])(?P<w>by|before|prior{_SP}to|after|since|until|till|up{_SP}(?:until|till)"
    rf"|not?{_SP}later{_SP}than|not?{_SP}earlier{_SP}than){_SP}\Z"
)
_BOUND_KEY = {
    "by": "not-after", "before": "before", "prior to": "before", "after": "after", "since": "from",
    "until": "to", "till": "to", "up until": "to", "up till": "to", "no later than": "not-after",
    "not later than": "not-after", "no earlier than": "not-before", "not earlier than": "not-before",
}  # fmt: skip

_RANGE_GAP = re.compile(rf"{_SP0}[-–—]{_SP0}|{_SP}(?P<w>to|till|until|through|thru|and){_SP}")
_LIST_GAP = re.compile(rf"{_SP0},{_SP0}|(?:{_SP0},)?{_SP}(?:and|or|&){_SP}")

#: The words that make a weak atom a date, by what the atom needs. Matched right before the atom.
_CONTEXT_BEFORE: dict[str, re.Pattern[str]] = {
    "date": re.compile(
        rf"(?i)(?<![\w-])(?:in|of|by|since|until|till|after|before|from|through|during|between|for"
        rf"|around|circa|year|throughout){_SP}\Z"
    ),
    "day": re.compile(rf"(?i)(?<![\w-])(?:on|by|since|until|till|after|before|from|to|of|and){_SP}\Z"),
    "time": re.compile(rf"(?i)(?<![\w-])(?:at|by|since|until|till|after|before|around|about){_SP}\Z"),
}

_DATE_UNITS = frozenset({"day", "dayonly", "month", "year", "span"})
#: Atoms that are no expression until something else completes them: a part-of-period word ("the end of")
#: without its period, a day of a list ("the 30 of 30 or 31 June") without the month of the list's last day.
_UNATTACHED = frozenset({"part", "list"})


def _non_overlapping(candidates: list[_Atom]) -> list[_Atom]:
    """Longest wins, then the earlier start, then a strong atom over a weak one, then table order."""
    candidates.sort(key=lambda a: (a.start - a.end, a.start, a.weak != "", a.order))
    starts: list[int] = []
    chosen: list[_Atom] = []
    for a in candidates:
        i = bisect.bisect_right(starts, a.start)
        if i > 0 and chosen[i - 1].end > a.start:
            continue
        if i < len(chosen) and chosen[i].start < a.end:
            continue
        starts.insert(i, a.start)
        chosen.insert(i, a)
    return chosen


def _attach_parts(atoms: list[_Atom], text: str) -> None:
    """``early 1968``, ``the end of 1952``, ``the spring of 1953``, ``mid-August``: widen the atom."""
    floor = 0
    for a in atoms:
        if a.unit in ("year", "month"):
            mt = _search_before(_PART_BEFORE, text, floor, a.start)
            key = None
            if mt is not None:
                if mt["season"]:
                    key = mt["season"].lower() if a.unit == "year" else None
                elif mt["quarter"]:
                    key = _QUARTER_KEY[mt["quarter"].lower()] if a.unit == "year" else None
                else:
                    key = _PART_KEY[(mt["edge"] or mt["el"] or mt["mid"] or mt["half"]).lower()]
            if mt is not None and key is not None:
                a.part, a.start, a.weak = key, mt.start(), ""
                if mt["edge"]:
                    a.edge = _EDGE_KEY.get(mt["edge"].lower())
        floor = a.end


def _copy(a: _Atom) -> _Atom:
    return dataclasses.replace(a, inferred=set(a.inferred))


def _provisional(a: _Atom, doc: datetime.date | None) -> datetime.date | None:
    """The first day an atom can mean, with a stand-in year where none is known (for ordering only)."""
    if a.unit == "span":
        return a.lo
    y = a.y if a.y is not None else (doc.year if doc is not None else 2000)
    try:
        return datetime.date(y, a.m or 1, a.d or 1)
    except ValueError:
        return None


def _fill_range(a: _Atom, b: _Atom, doc: datetime.date | None) -> tuple[_Atom, _Atom] | None:
    """Share what one end of a range leaves out (``1 to 5 June``, ``August 28 - September 3, 1952``).

    Returns filled copies, or None when the two ends do not make an ordered range.
    """
    a, b = _copy(a), _copy(b)
    if a.novalue or b.novalue:
        return None
    if a.unit == "dayonly":
        if b.unit not in ("day", "dayonly"):
            return None
        a.m, a.y, a.unit = b.m, b.y, "day" if b.unit == "day" else "dayonly"
        a.inferred |= b.inferred
    if b.unit == "dayonly" and a.unit == "day":
        b.m, b.y, b.unit = a.m, a.y, "day"
        b.inferred |= a.inferred
    if a.unit in ("day", "month") and b.unit in ("day", "month"):
        if a.y is None and b.y is not None:
            a.y = b.y
            if (a.m or 0) > (b.m or 0):
                a.y -= 1
                a.inferred.add("year-from-range-end")
        elif b.y is None and a.y is not None:
            b.y = a.y
            if (b.m or 0) < (a.m or 0):
                b.y += 1
                b.inferred.add("year-from-range-end")
    if a.unit == "dayonly" and b.unit == "dayonly":
        if (a.d or 0) >= (b.d or 0):
            return None
        return a, b
    lo_a, lo_b = _provisional(a, doc), _provisional(b, doc)
    if lo_a is None or lo_b is None or not lo_a < lo_b:
        return None
    return a, b


def _merge(atoms: list[_Atom], text: str, doc: datetime.date | None) -> list[_Atom]:
    """Join neighbours into ranges (``1950-1953``, ``from X to Y``, ``from 10:00 to 12:00``).

    A date and a time next to each other stay two expressions (``Sent 3.10.50 23:45`` is a
    ``<date>`` and a ``<time>``): that is what the answer keys of the test fixtures expect, and it
    keeps each element's text a single reading. Only the military date-time group
    (``281640Z AUG 52``), one token, gives a date-time value.
    """
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        merged = _join(a, b, text, doc, out[-1].end if out else 0) if b is not None else None
        if merged is not None:
            out.append(merged)
            i += 2
            continue
        out.append(a)
        i += 1
    for j in range(len(out) - 2, -1, -1):  # right to left: "May, June and July 1953", "3, 4 and 5 June"
        _share_list(out[j], out[j + 1], text)
        _share_year(out[j], out[j + 1], text)
    return out


def _share_list(a: _Atom, b: _Atom, text: str) -> None:
    """``6 and 7 June``, ``3, 4 and 5 June``: a day of a list takes the month and year of the day after it."""
    if a.unit == "dayonly" and b.unit == "day" and b.m is not None and _LIST_GAP.fullmatch(text, a.end, b.start) \
            and _valid_day(b.y, b.m, a.d or 0):
        a.m, a.y, a.unit, a.weak = b.m, b.y, "day", ""
        a.inferred |= b.inferred
        a.novalue = b.novalue


def _share_year(a: _Atom, b: _Atom, text: str) -> None:
    """``in March and April 1953``: a list shares the year written at its end (not an inference:
    the text states it once for both)."""
    if (
        a.unit in ("day", "month")
        and b.unit in ("day", "month")
        and a.y is None
        and b.y is not None
        and not a.novalue
        and not b.inferred
        and (a.m or 0) <= (b.m or 0)
        and _LIST_GAP.fullmatch(text, a.end, b.start)
    ):
        a.y = b.y


def _join(a: _Atom, b: _Atom, text: str, doc: datetime.date | None, floor: int) -> _Atom | None:
    gap = text[a.end : b.start]
    strong = not a.weak or not b.weak
    sep = _RANGE_GAP.fullmatch(gap)
    if sep is None or a.weak in _UNATTACHED or b.weak in _UNATTACHED:
        return None
    pre = _search_before(_RANGE_BEFORE, text, floor, a.start)
    word = (sep["w"] or "").lower()
    if (word == "and") != (pre is not None and pre["p"].lower() == "between"):
        return None
    start = pre.start() if pre is not None else a.start
    if a.unit == "time" and b.unit == "time":
        if not (a.clock or "") < (b.clock or ""):
            return None
        weak = "" if strong or pre is not None else "time"
        return _Atom(start, b.end, "range", first=a, second=b, weak=weak)
    if a.unit not in _DATE_UNITS or b.unit not in _DATE_UNITS:
        return None
    filled = _fill_range(a, b, doc)
    if filled is None:
        return None
    years = a.unit == "year" and b.unit == "year"
    weak = "" if strong or pre is not None or years else a.weak
    return _Atom(start, b.end, "range", first=filled[0], second=filled[1], weak=weak)


def _attach_bounds(atoms: list[_Atom], text: str) -> None:
    """``by 1962``, ``before August 28``, ``no later than the end of 1952``: widen and mark the atom."""
    floor = 0
    for a in atoms:
        if a.unit in _DATE_UNITS and a.weak not in _UNATTACHED:
            mt = _search_before(_BOUND_BEFORE, text, floor, a.start)
            if mt is not None:
                bound = _BOUND_KEY[" ".join(mt["w"].lower().split())]
                if (bound, a.edge) in (("before", "end"), ("after", "start")):
                    # "before the end of February": the end is a point, so the bound is its last day
                    # (not_after 28 February), not the day before the last ten days begin.
                    bound = "not-after" if bound == "before" else "not-before"
                a.bound = bound
                a.start, a.weak = mt.start(), ""
        floor = a.end


def _in_context(atoms: list[_Atom], text: str, whole: bool) -> list[_Atom]:
    """Keep a weak atom only after a context word, or in a list after a date (``in 1954 and 1955``)."""
    out: list[_Atom] = []
    floor = 0
    for a in atoms:
        if a.weak in _UNATTACHED:
            floor = a.end
            continue
        if a.weak and not whole:
            ok = _search_before(_CONTEXT_BEFORE[a.weak], text, floor, a.start) is not None
            if not ok and out and out[-1].end == floor and _LIST_GAP.fullmatch(text[floor : a.start]):
                prev_is_time = out[-1].unit == "time"
                ok = prev_is_time == (a.unit == "time")
            if not ok:
                floor = a.end
                continue
        out.append(a)
        floor = a.end
    return out


# --------------------------------------------------------------------------------------------------
# Values.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Value:
    iso: str | None  # the written precision ("1952", "1952-08", "1952-08-28"), None for a period
    lo: datetime.date
    hi: datetime.date
    inferred: frozenset[str]
    cert: Cert | None


def _value(a: _Atom, doc: datetime.date | None) -> _Value | None:
    """Resolve a date atom against the document date; None when it cannot be resolved."""
    if a.novalue:
        return None
    inferred = set(a.inferred)
    cert = a.cert
    if a.unit == "span":
        if a.lo is None or a.hi is None:
            return None
        return _Value(None, a.lo, a.hi, frozenset(inferred), cert)
    y, m = a.y, a.m
    if a.unit == "dayonly":
        if doc is None:
            return None
        y, m = doc.year, doc.month
        inferred.add("month-from-document")
    elif y is None:
        if doc is None:
            return None
        y = doc.year
        inferred.add("year-from-document")
    try:
        if a.unit == "year":
            iso, lo, hi = f"{y:04d}", datetime.date(y, 1, 1), datetime.date(y, 12, 31)
        elif a.unit == "month":
            if m is None:
                return None
            lo, hi = datetime.date(y, m, 1), _month_end(y, m)
            iso = f"{y:04d}-{m:02d}"
        else:
            lo = hi = datetime.date(y, m or 0, a.d or 0)
            iso = lo.isoformat()
            if a.weekday is not None and lo.weekday() != a.weekday:
                cert = "low"  # the weekday contradicts the date: something in the reading is wrong
        if a.part is not None:
            lo, hi = _part_bounds(a.unit, a.part, lo)
            iso = None
            inferred.add("period-convention")
            if a.part == "winter":
                cert = cert or "medium"  # "the winter of 1952" may also mean January-February 1952
    except (ValueError, OverflowError):
        return None
    if lo.year < 1 or (iso is not None and len(iso.split("-")[0]) != 4):
        return None
    return _Value(iso, lo, hi, frozenset(inferred), cert)


def _part_bounds(unit: str, part: str, lo: datetime.date) -> tuple[datetime.date, datetime.date]:
    if unit == "year":
        first, last = _YEAR_PARTS[part]
        y_last = lo.year + (1 if last > 12 else 0)
        return datetime.date(lo.year, first, 1), _month_end(y_last, (last - 1) % 12 + 1)
    first, last = _MONTH_PARTS[part]
    end = _month_end(lo.year, lo.month)
    return lo.replace(day=first), end if last == 31 else lo.replace(day=last)


def _order(inferred: frozenset[str] | set[str]) -> tuple[str, ...]:
    return tuple(k for k in INFERENCES if k in inferred)


def _worst(*certs: Cert | None) -> Cert | None:
    """The least certain of several readings (a range is as uncertain as its weaker end)."""
    levels: tuple[Cert, ...] = ("low", "medium", "high")
    return next((level for level in levels if level in certs), None)


_DAY = datetime.timedelta(days=1)

#: What a bound word does to the resolved period ``v`` (lo..hi, or the written value ``iso``).
_BOUND_VALUES: dict[str, Callable[[_Value], dict[str, str]]] = {
    "not-after": lambda v: {"not_after": v.hi.isoformat()},  # by 1962 -> 1962-12-31
    "before": lambda v: {"not_after": (v.lo - _DAY).isoformat()},  # before 1962 -> 1961-12-31
    "after": lambda v: {"not_before": (v.hi + _DAY).isoformat()},  # after 1962 -> 1963-01-01
    "not-before": lambda v: {"not_before": v.lo.isoformat()},  # no earlier than March 1953
    "from": lambda v: {"from_": v.iso or v.lo.isoformat()},  # since 1950 -> from="1950"
    "to": lambda v: {"to": v.iso or v.hi.isoformat()},  # until 1955 -> to="1955"
}


#: Which end of the period each bound uses.
_BOUND_EDGE = {"not-after": "hi", "before": "lo", "after": "hi", "not-before": "lo", "from": "lo", "to": "hi"}


def _edge_is_exact(a: _Atom, v: _Value, doc: datetime.date | None) -> bool:
    """True when a bound only uses an end that the convention does not decide: ``by the end of 1952``
    is 31 December whatever "the end" spans, so no ``period-convention`` is claimed for it."""
    whole = _value(dataclasses.replace(a, part=None, inferred=set(a.inferred)), doc)
    if whole is None or a.bound is None:
        return False
    if _BOUND_EDGE[a.bound] == "hi":
        return whole.hi == v.hi
    return whole.lo == v.lo


def _make(
    a: _Atom,
    text: str,
    kind: Literal["date", "time"] = "date",
    inferred: frozenset[str] = frozenset(),
    cert: Cert | None = None,
    /,
    *,
    when: str | None = None,
    not_before: str | None = None,
    not_after: str | None = None,
    from_: str | None = None,
    to: str | None = None,
) -> DateMatch:
    span = text[a.start : a.end]
    return DateMatch(
        a.start, a.end, span, kind, when, not_before, not_after, from_, to, _order(inferred), cert
    )


def _to_match(a: _Atom, text: str, doc: datetime.date | None) -> DateMatch:
    """Turn a combined atom into the public record, computing bounds for ``by``/``after``..."""
    if a.unit == "time":
        return _make(a, text, "time", when=a.clock)
    if a.unit == "range" and a.first is not None and a.second is not None:
        if a.first.unit == "time":
            return _make(a, text, "time", from_=a.first.clock, to=a.second.clock)
        v1, v2 = _value(a.first, doc), _value(a.second, doc)
        if v1 is None or v2 is None or v1.lo > v2.hi:
            return _make(a, text)
        from_, to = v1.iso or v1.lo.isoformat(), v2.iso or v2.hi.isoformat()
        return _make(a, text, "date", v1.inferred | v2.inferred, _worst(v1.cert, v2.cert), from_=from_, to=to)
    if a.unit == "datetime" and a.first is not None and a.second is not None:
        v = _value(a.first, doc)
        if v is None or v.iso is None:
            return _make(a, text)
        return _make(a, text, "date", v.inferred, v.cert, when=f"{v.iso}T{a.second.clock}")
    v = _value(a, doc)
    if v is None:
        return _make(a, text)
    if a.bound is not None:
        try:
            values = _BOUND_VALUES[a.bound](v)
        except OverflowError:  # "after" the last day Python can count
            return _make(a, text)
        if a.part is not None and "period-convention" in v.inferred and _edge_is_exact(a, v, doc):
            v = dataclasses.replace(v, inferred=v.inferred - {"period-convention"})
    elif v.iso is not None:
        values = {"when": v.iso}
    else:
        values = {"not_before": v.lo.isoformat(), "not_after": v.hi.isoformat()}
    return _make(a, text, "date", v.inferred, v.cert, **values)


# --------------------------------------------------------------------------------------------------
# Public API.
# --------------------------------------------------------------------------------------------------


def _scan(text: str, document_date: datetime.date | None, *, whole: bool, gated: bool = True) -> list[DateMatch]:
    candidates: list[_Atom] = []
    for order in _open_rules(text) if gated else range(len(_RULES)):
        _name, pattern, build = _RULES[order]
        for mt in pattern.finditer(text):
            if mt.end() == mt.start():
                continue
            if mt[0][0].isdigit() and _NUMBER_PREFIX.search(text, max(0, mt.start() - 8), mt.start()):
                continue
            atom = build(mt, text, document_date)
            if atom is not None:
                atom.order = order
                candidates.append(atom)
    atoms = _non_overlapping(candidates)
    _attach_parts(atoms, text)
    atoms = _merge(atoms, text, document_date)
    _attach_bounds(atoms, text)
    atoms = _in_context(atoms, text, whole)
    return [_to_match(a, text, document_date) for a in atoms]


def find_dates(text: str, document_date: datetime.date | None) -> list[DateMatch]:
    """All date and time expressions in ``text``, sorted by start and non-overlapping.

    >>> [(m.text, m.not_after) for m in find_dates("settled by 1962.", None)]
    [('by 1962', '1962-12-31')]
    """
    return _scan(text, document_date, whole=False)


def parse_date_value(text: str, document_date: datetime.date | None = None) -> DateMatch | None:
    """Read a whole string as one date expression (a title's date, a closer's ``August 28``).

    Context words are not required here (``"1952"`` alone is a year), and a trailing full stop
    or comma is allowed. Returns None when the string is not exactly one expression. Offsets are
    into ``text`` as passed in.

    >>> parse_date_value("August 28", datetime.date(1952, 8, 28)).when
    '1952-08-28'
    """
    stripped = text.strip()
    if not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    tail = lead + len(stripped)
    matches = _scan(text, document_date, whole=True)
    if len(matches) != 1:
        return None
    mt = matches[0]
    if mt.start != lead or text[mt.end : tail].strip(".,;:") != "":
        return None
    return mt


_EXAMPLE = "expected a full date such as 'August 28, 1952' or '28 August 1952'"


def parse_date_line(line: str) -> datetime.date:
    """The date on the first line of an archive export (``August 28, 1952``, ``March 03, 1949``).

    Raises ValueError with a message saying what was found and what is expected; the caller adds
    the file name and line number.

    >>> parse_date_line("March 03, 1949")
    datetime.date(1949, 3, 3)
    """
    cleaned = line.strip().lstrip("\ufeff").strip()
    if not cleaned:
        raise ValueError(f"the date line is empty; {_EXAMPLE}")
    mt = parse_date_value(cleaned, None)
    if mt is None or mt.kind != "date":
        raise ValueError(f"{cleaned!r} is not a date; {_EXAMPLE}")
    if mt.when is None:
        if mt.from_ or mt.to or mt.not_before or mt.not_after:
            raise ValueError(f"{cleaned!r} is a period or a bound, not a single date; {_EXAMPLE}")
        raise ValueError(f"{cleaned!r} has no year or is relative to another date; {_EXAMPLE}")
    if len(mt.when) != 10:
        raise ValueError(f"{cleaned!r} is not a full date (it names a year, a month or a time); {_EXAMPLE}")
    if mt.inferred:
        raise ValueError(f"{cleaned!r} does not write the full year; {_EXAMPLE}")
    return datetime.date.fromisoformat(mt.when)


_ISO_SHAPES = re.compile(
    r"(?P<y>\d\d\d\d)(?:-(?P<m>\d\d)(?:-(?P<d>\d\d)(?:T(?P<t>\d\d:\d\d:\d\dZ?))?)?)?"
    r"|(?P<time>\d\d:\d\d:\d\dZ?)"
)


def is_iso_value(value: str) -> bool:
    """True for the ISO 8601 shapes this module writes: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
    ``HH:MM:SS`` and ``YYYY-MM-DDTHH:MM:SS`` (optionally with ``Z``), each a real calendar value.

    >>> is_iso_value("1952-02-30")
    False
    """
    mt = _ISO_SHAPES.fullmatch(value)
    if mt is None:
        return False
    try:
        if mt["time"]:
            datetime.time.fromisoformat(mt["time"].rstrip("Z"))
        elif mt["t"]:
            datetime.datetime.fromisoformat(value.rstrip("Z"))
        elif mt["d"]:
            datetime.date.fromisoformat(value)
        elif mt["m"]:
            return 1 <= int(mt["m"]) <= 12 and int(mt["y"]) >= 1
        else:
            return int(mt["y"]) >= 1
    except ValueError:
        return False
    return True
