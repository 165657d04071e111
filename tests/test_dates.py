"""Tests of the date grammar (tei_cable.dates): every supported form, the traps, and properties.

The tables say, for one input sentence, which span must be found and which values it must carry.
Unless a case gives its own, the document date is 28 August 1952 (the seed cable's date).
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tei_cable import dates
from tei_cable.dates import INFERENCES, DateMatch, find_dates, is_iso_value, parse_date_line, parse_date_value

DOC = datetime.date(1952, 8, 28)
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "cable-208202-zhou-enlai-1952-08-28.txt"
CASES = ROOT / "tests" / "cases"

VALUE_FIELDS = ("when", "not_before", "not_after", "from_", "to")


def only(text: str, doc: datetime.date | None = DOC) -> DateMatch:
    """The one expression found in ``text`` (fails when there are none or several)."""
    found = find_dates(text, doc)
    assert len(found) == 1, f"{text!r}: expected one expression, found {[m.text for m in found]}"
    return found[0]


def values(m: DateMatch) -> dict[str, str]:
    return {f: getattr(m, f) for f in VALUE_FIELDS if getattr(m, f) is not None}


def check(text: str, span: str, expected: dict[str, Any], doc: datetime.date | None = DOC) -> DateMatch:
    """Assert the single expression of ``text``: its span, its values, and (when given) inferred/cert."""
    m = only(text, doc)
    assert m.text == span
    assert text[m.start : m.end] == span
    want = {k: v for k, v in expected.items() if k in VALUE_FIELDS}
    assert values(m) == want, f"{text!r}: {values(m)} != {want}"
    if "inferred" in expected:
        assert m.inferred == expected["inferred"]
    if "cert" in expected:
        assert m.cert == expected["cert"]
    if "kind" in expected:
        assert m.kind == expected["kind"]
    return m


def table(*rows: tuple[str, str, dict[str, Any]]) -> Any:
    return pytest.mark.parametrize(("text", "span", "expected"), rows, ids=[r[0] for r in rows])


YFD = ("year-from-document",)
REL = ("relative-to-document",)
CONV = ("period-convention",)

# --------------------------------------------------------------------------------------------------
# Full and partial calendar dates
# --------------------------------------------------------------------------------------------------


@table(
    ("August 28, 1952", "August 28, 1952", {"when": "1952-08-28", "inferred": ()}),
    ("28 August 1952", "28 August 1952", {"when": "1952-08-28", "inferred": ()}),
    ("March 03, 1949", "March 03, 1949", {"when": "1949-03-03"}),
    ("May 5, 1961", "May 5, 1961", {"when": "1961-05-05"}),
    ("AUGUST 28, 1952", "AUGUST 28, 1952", {"when": "1952-08-28"}),
    ("August 28 1952", "August 28 1952", {"when": "1952-08-28"}),
    ("August 28,1952", "August 28,1952", {"when": "1952-08-28"}),
    ("On August 30, 1952, Mao replied.", "August 30, 1952", {"when": "1952-08-30"}),
    ("the Agreement of February 14, 1950, Concerning", "February 14, 1950", {"when": "1950-02-14"}),
    ("Aug. 28, 1952", "Aug. 28, 1952", {"when": "1952-08-28"}),
    ("on Sept. 3, 1952", "Sept. 3, 1952", {"when": "1952-09-03"}),
    ("Sept 3 1952", "Sept 3 1952", {"when": "1952-09-03"}),
    ("DEC 5, 1952", "DEC 5, 1952", {"when": "1952-12-05"}),
    ("August 28th, 1952", "August 28th, 1952", {"when": "1952-08-28"}),
    ("on the 28th of August 1952", "the 28th of August 1952", {"when": "1952-08-28"}),
    ("the 1st of May, 1953", "the 1st of May, 1953", {"when": "1953-05-01"}),
    ("28th of August", "28th of August", {"when": "1952-08-28", "inferred": YFD}),
    ("Thursday, August 28, 1952", "Thursday, August 28, 1952", {"when": "1952-08-28", "cert": None}),
    ("Thursday, 28 August 1952", "Thursday, 28 August 1952", {"when": "1952-08-28", "cert": None}),
    ("Thurs. August 28", "Thurs. August 28", {"when": "1952-08-28", "inferred": YFD}),
    # a weekday that contradicts the date makes the reading doubtful
    ("Wednesday, August 28, 1952", "Wednesday, August 28, 1952", {"when": "1952-08-28", "cert": "low"}),
    ("1952-08-28", "1952-08-28", {"when": "1952-08-28"}),
    ("The agreement expires on 29 February 1952.", "29 February 1952", {"when": "1952-02-29"}),
)
def test_full_dates(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


@table(
    ("Zhou Enlai\n\nAugust 28\n\nAnnexed below", "August 28", {"when": "1952-08-28", "inferred": YFD}),
    ("Aug. 28", "Aug. 28", {"when": "1952-08-28", "inferred": YFD}),
    ("Sept. 3", "Sept. 3", {"when": "1952-09-03", "inferred": YFD}),
    ("August 28th", "August 28th", {"when": "1952-08-28", "inferred": YFD}),
    ("on 5 June", "5 June", {"when": "1952-06-05", "inferred": YFD}),
    ("Thursday, August 28", "Thursday, August 28", {"when": "1952-08-28", "inferred": YFD}),
    ("in August 1952", "August 1952", {"when": "1952-08", "inferred": ()}),
    ("in August, 1952", "August, 1952", {"when": "1952-08"}),
    ("since Sept. 1953", "since Sept. 1953", {"from_": "1953-09"}),
    ("in August '52", "August '52", {"when": "1952-08", "inferred": ("century-from-document",)}),
    ("in March of this year", "March of this year", {"when": "1952-03", "inferred": REL}),
    ("in March of last year", "March of last year", {"when": "1951-03", "inferred": REL}),
    ("in August", "August", {"when": "1952-08", "inferred": YFD}),
    ("promised for August will arrive", "August", {"when": "1952-08", "inferred": YFD}),
    ("In May, the talks resumed.", "May", {"when": "1952-05", "inferred": YFD}),
    ("until October", "until October", {"to": "1952-10", "inferred": YFD}),
    ("on the 28th we met", "the 28th", {"when": "1952-08-28", "inferred": ("month-from-document",)}),
    ("by the 30th", "by the 30th", {"not_after": "1952-08-30"}),
    ("the 5th inst.", "the 5th inst.", {"when": "1952-08-05", "inferred": ("month-from-document",)}),
    ("your letter of the 28th ult.", "the 28th ult.", {"when": "1952-07-28", "inferred": REL}),
    ("the 3rd prox.", "the 3rd prox.", {"when": "1952-09-03", "inferred": REL}),
)
def test_partial_dates(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


# --------------------------------------------------------------------------------------------------
# Years, bounds, parts of periods
# --------------------------------------------------------------------------------------------------


@table(
    ("will be completed in 1955", "1955", {"when": "1955", "inferred": ()}),
    ("In 1954, we could assist", "1954", {"when": "1954"}),
    ("the debt can be settled by 1962", "by 1962", {"not_after": "1962-12-31"}),
    ("After 1962, the value", "After 1962", {"not_before": "1963-01-01"}),
    ("before 1962", "before 1962", {"not_after": "1961-12-31"}),
    ("prior to 1962", "prior to 1962", {"not_after": "1961-12-31"}),
    ("since 1950", "since 1950", {"from_": "1950"}),
    ("until 1955", "until 1955", {"to": "1955"}),
    ("till 1955", "till 1955", {"to": "1955"}),
    ("up until 1955", "up until 1955", {"to": "1955"}),
    ("no later than 1955", "no later than 1955", {"not_after": "1955-12-31"}),
    ("not later than 1955", "not later than 1955", {"not_after": "1955-12-31"}),
    ("no earlier than 1955", "no earlier than 1955", {"not_before": "1955-01-01"}),
    ("not earlier than March 1953", "not earlier than March 1953", {"not_before": "1953-03-01"}),
    ("during 1953", "1953", {"when": "1953"}),
    ("the year 1953 was hard", "1953", {"when": "1953"}),
    ("the treaty of 1950", "1950", {"when": "1950"}),
    ("the plan for 1953", "1953", {"when": "1953"}),
    ("deliveries for '53", "'53", {"when": "1953", "inferred": ("century-from-document",)}),
    ("by December 31, 1952", "by December 31, 1952", {"not_after": "1952-12-31"}),
    ("no later than 1 January 1953", "no later than 1 January 1953", {"not_after": "1953-01-01"}),
    ("before August 28", "before August 28", {"not_after": "1952-08-27", "inferred": YFD}),
    ("after August 28, 1952", "after August 28, 1952", {"not_before": "1952-08-29"}),
    ("by 15 September", "by 15 September", {"not_after": "1952-09-15", "inferred": YFD}),
    ("since yesterday", "since yesterday", {"from_": "1952-08-27", "inferred": REL}),
    ("by tomorrow", "by tomorrow", {"not_after": "1952-08-29", "inferred": REL}),
)
def test_years_and_bounds(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


@table(
    (
        "the end of 1952",
        "the end of 1952",
        {"not_before": "1952-09-01", "not_after": "1952-12-31", "inferred": CONV},
    ),
    ("early 1968", "early 1968", {"not_before": "1968-01-01", "not_after": "1968-04-30", "inferred": CONV}),
    ("mid-1968", "mid-1968", {"not_before": "1968-05-01", "not_after": "1968-08-31"}),
    ("in mid 1968", "mid 1968", {"not_before": "1968-05-01", "not_after": "1968-08-31"}),
    ("late 1968", "late 1968", {"not_before": "1968-09-01", "not_after": "1968-12-31"}),
    (
        "the beginning of 1968",
        "the beginning of 1968",
        {"not_before": "1968-01-01", "not_after": "1968-04-30"},
    ),
    ("the start of 1968", "the start of 1968", {"not_before": "1968-01-01", "not_after": "1968-04-30"}),
    ("the middle of 1968", "the middle of 1968", {"not_before": "1968-05-01", "not_after": "1968-08-31"}),
    ("the very end of 1968", "the very end of 1968", {"not_before": "1968-09-01", "not_after": "1968-12-31"}),
    (
        "the first half of 1953",
        "the first half of 1953",
        {"not_before": "1953-01-01", "not_after": "1953-06-30"},
    ),
    (
        "the second half of 1953",
        "the second half of 1953",
        {"not_before": "1953-07-01", "not_after": "1953-12-31"},
    ),
    (
        "the third quarter of 1953",
        "the third quarter of 1953",
        {"not_before": "1953-07-01", "not_after": "1953-09-30"},
    ),
    (
        "the last quarter of 1953",
        "the last quarter of 1953",
        {"not_before": "1953-10-01", "not_after": "1953-12-31"},
    ),
    # a bound that uses only the end the convention does not decide claims no convention
    (
        "no later than the end of 1952",
        "no later than the end of 1952",
        {"not_after": "1952-12-31", "inferred": ()},
    ),
    ("by the end of 1952", "by the end of 1952", {"not_after": "1952-12-31", "inferred": ()}),
    ("until the end of 1953", "until the end of 1953", {"to": "1953-12-31"}),
    ("since the beginning of 1953", "since the beginning of 1953", {"from_": "1953-01-01"}),
    ("by mid-1953", "by mid-1953", {"not_after": "1953-08-31", "inferred": CONV}),
    ("after mid-1953", "after mid-1953", {"not_before": "1953-09-01", "inferred": CONV}),
    # the edge is a point: "before the end of February" = by its last day
    (
        "before the end of February",
        "before the end of February",
        {"not_after": "1952-02-29", "inferred": YFD},
    ),
    ("after the beginning of 1953", "after the beginning of 1953", {"not_before": "1953-01-01"}),
    # parts of a month: thirds
    (
        "early August",
        "early August",
        {"not_before": "1952-08-01", "not_after": "1952-08-10", "inferred": YFD + CONV},
    ),
    ("in mid-August 1953", "mid-August 1953", {"not_before": "1953-08-11", "not_after": "1953-08-20"}),
    ("late February 1953", "late February 1953", {"not_before": "1953-02-21", "not_after": "1953-02-28"}),
    (
        "the end of August 1953",
        "the end of August 1953",
        {"not_before": "1953-08-21", "not_after": "1953-08-31"},
    ),
    (
        "the beginning of August",
        "the beginning of August",
        {"not_before": "1952-08-01", "not_after": "1952-08-10"},
    ),
    (
        "the second half of March 1953",
        "the second half of March 1953",
        {"not_before": "1953-03-16", "not_after": "1953-03-31"},
    ),
    # the year or month meant by "the" is the document's
    ("by the end of the year", "by the end of the year", {"not_after": "1952-12-31", "inferred": YFD}),
    (
        "at the end of the year",
        "the end of the year",
        {"not_before": "1952-09-01", "not_after": "1952-12-31"},
    ),
    ("by the end of the month", "by the end of the month", {"not_after": "1952-08-31"}),
    ("by the end of this month", "by the end of this month", {"not_after": "1952-08-31", "inferred": REL}),
    (
        "early next year",
        "early next year",
        {"not_before": "1953-01-01", "not_after": "1953-04-30", "inferred": REL + CONV},
    ),
    ("the end of last year", "the end of last year", {"not_before": "1951-09-01", "not_after": "1951-12-31"}),
)
def test_parts_of_periods(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


@table(
    (
        "in the spring of 1953",
        "the spring of 1953",
        {"not_before": "1953-03-01", "not_after": "1953-05-31", "inferred": CONV},
    ),
    ("summer 1953", "summer 1953", {"not_before": "1953-06-01", "not_after": "1953-08-31"}),
    ("the summer of 1953", "the summer of 1953", {"not_before": "1953-06-01", "not_after": "1953-08-31"}),
    ("the autumn of 1953", "the autumn of 1953", {"not_before": "1953-09-01", "not_after": "1953-11-30"}),
    ("the fall of 1953", "the fall of 1953", {"not_before": "1953-09-01", "not_after": "1953-11-30"}),
    ("in the Spring of 1953", "the Spring of 1953", {"not_before": "1953-03-01", "not_after": "1953-05-31"}),
    (
        "the winter of 1952",
        "the winter of 1952",
        {"not_before": "1952-12-01", "not_after": "1953-02-28", "cert": "medium"},
    ),
    (
        "the winter of 1952-53",
        "the winter of 1952-53",
        {"not_before": "1952-12-01", "not_after": "1953-02-28", "cert": None},
    ),
    (
        "the winter of 1955/56",
        "the winter of 1955/56",
        {"not_before": "1955-12-01", "not_after": "1956-02-29"},
    ),
    (
        "the spring of this year",
        "the spring of this year",
        {"not_before": "1952-03-01", "not_after": "1952-05-31"},
    ),
    (
        "this spring",
        "this spring",
        {"not_before": "1952-03-01", "not_after": "1952-05-31", "inferred": REL + CONV},
    ),
    ("last winter", "last winter", {"not_before": "1951-12-01", "not_after": "1952-02-29"}),
    ("next summer", "next summer", {"not_before": "1953-06-01", "not_after": "1953-08-31"}),
    ("last summer", "last summer", {"not_before": "1951-06-01", "not_after": "1951-08-31"}),
    ("next autumn", "next autumn", {"not_before": "1952-09-01", "not_after": "1952-11-30"}),
)
def test_seasons(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


@table(
    ("the 1950s", "the 1950s", {"not_before": "1950-01-01", "not_after": "1959-12-31", "inferred": ()}),
    ("in the course of the 1950s", "the 1950s", {"not_before": "1950-01-01", "not_after": "1959-12-31"}),
    ("1950s", "1950s", {"not_before": "1950-01-01", "not_after": "1959-12-31"}),
    ("the 1950's", "the 1950's", {"not_before": "1950-01-01", "not_after": "1959-12-31"}),
    ("mid-1950s", "mid-1950s", {"not_before": "1954-01-01", "not_after": "1956-12-31", "inferred": CONV}),
    ("the mid-1950s", "the mid-1950s", {"not_before": "1954-01-01", "not_after": "1956-12-31"}),
    ("the early 1960s", "the early 1960s", {"not_before": "1960-01-01", "not_after": "1963-12-31"}),
    ("the late 1940s", "the late 1940s", {"not_before": "1947-01-01", "not_after": "1949-12-31"}),
    (
        "the '50s",
        "the '50s",
        {"not_before": "1950-01-01", "not_after": "1959-12-31", "inferred": ("century-from-document",)},
    ),
    ("the fifties", "the fifties", {"not_before": "1950-01-01", "not_after": "1959-12-31"}),
    ("the early sixties", "the early sixties", {"not_before": "1960-01-01", "not_after": "1963-12-31"}),
    ("the 1900s", "the 1900s", {"not_before": "1900-01-01", "not_after": "1909-12-31", "cert": "medium"}),
    ("since the 1950s", "since the 1950s", {"from_": "1950-01-01"}),
    (
        "the 20th century",
        "the 20th century",
        {"not_before": "1900-01-01", "not_after": "1999-12-31", "inferred": CONV},
    ),
    (
        "the nineteenth century",
        "the nineteenth century",
        {"not_before": "1800-01-01", "not_after": "1899-12-31"},
    ),
    (
        "the mid-twentieth century",
        "the mid-twentieth century",
        {"not_before": "1933-01-01", "not_after": "1966-12-31"},
    ),
)
def test_decades_and_centuries(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


# --------------------------------------------------------------------------------------------------
# Ranges and lists
# --------------------------------------------------------------------------------------------------


@table(
    ("in 1950-1953", "1950-1953", {"from_": "1950", "to": "1953", "inferred": ()}),
    ("1950-1953", "1950-1953", {"from_": "1950", "to": "1953"}),
    ("1950–53", "1950–53", {"from_": "1950", "to": "1953"}),
    ("1950 – 1953", "1950 – 1953", {"from_": "1950", "to": "1953"}),
    ("the 1952/53 season", "1952/53", {"from_": "1952", "to": "1953"}),
    ("from 1950 to 1953", "from 1950 to 1953", {"from_": "1950", "to": "1953"}),
    ("between 1950 and 1953", "between 1950 and 1953", {"from_": "1950", "to": "1953"}),
    ("from 1 to 5 June 1953", "from 1 to 5 June 1953", {"from_": "1953-06-01", "to": "1953-06-05"}),
    ("June 1-5, 1953", "June 1-5, 1953", {"from_": "1953-06-01", "to": "1953-06-05"}),
    ("June 1–5, 1953", "June 1–5, 1953", {"from_": "1953-06-01", "to": "1953-06-05"}),
    ("1-5 June 1953", "1-5 June 1953", {"from_": "1953-06-01", "to": "1953-06-05"}),
    ("on 6-7 September", "6-7 September", {"from_": "1952-09-06", "to": "1952-09-07", "inferred": YFD}),
    ("between 1 and 5 June 1953", "between 1 and 5 June 1953", {"from_": "1953-06-01", "to": "1953-06-05"}),
    (
        "from the 1st to the 5th of June 1953",
        "from the 1st to the 5th of June 1953",
        {"from_": "1953-06-01", "to": "1953-06-05"},
    ),
    ("from June 1 to 5", "from June 1 to 5", {"from_": "1952-06-01", "to": "1952-06-05", "inferred": YFD}),
    (
        "from August 28 to September 3, 1952",
        "from August 28 to September 3, 1952",
        {"from_": "1952-08-28", "to": "1952-09-03", "inferred": ()},
    ),
    (
        "August 28 - September 3, 1952",
        "August 28 - September 3, 1952",
        {"from_": "1952-08-28", "to": "1952-09-03"},
    ),
    (
        "28 August – 3 September 1952",
        "28 August – 3 September 1952",
        {"from_": "1952-08-28", "to": "1952-09-03"},
    ),
    (
        "December 28, 1952 - January 3, 1953",
        "December 28, 1952 - January 3, 1953",
        {"from_": "1952-12-28", "to": "1953-01-03"},
    ),
    (
        "December 28 - January 3, 1953",
        "December 28 - January 3, 1953",
        {"from_": "1952-12-28", "to": "1953-01-03", "inferred": ("year-from-range-end",)},
    ),
    ("in June-August 1953", "June-August 1953", {"from_": "1953-06", "to": "1953-08"}),
    ("from June to August 1953", "from June to August 1953", {"from_": "1953-06", "to": "1953-08"}),
    (
        "from early 1950 to late 1953",
        "from early 1950 to late 1953",
        {"from_": "1950-01-01", "to": "1953-12-31", "inferred": CONV},
    ),
    (
        "from the 1st to the 5th",
        "from the 1st to the 5th",
        {"from_": "1952-08-01", "to": "1952-08-05", "inferred": ("month-from-document",)},
    ),
    ("from 10:00 to 12:00", "from 10:00 to 12:00", {"from_": "10:00:00", "to": "12:00:00", "kind": "time"}),
    ("from 16.30 to 18.00 hours", "from 16.30 to 18.00 hours", {"from_": "16:30:00", "to": "18:00:00"}),
    ("10:00-12:30", "10:00-12:30", {"from_": "10:00:00", "to": "12:30:00"}),
)
def test_ranges(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


def test_lists_share_context_and_year() -> None:
    found = find_dates("The railway will be completed in 1954, 1955 and 1956.", DOC)
    assert [(m.text, m.when) for m in found] == [("1954", "1954"), ("1955", "1955"), ("1956", "1956")]
    found = find_dates("in May, June and July 1953", DOC)
    assert [(m.text, m.when, m.inferred) for m in found] == [
        ("May", "1953-05", ()),
        ("June", "1953-06", ()),
        ("July 1953", "1953-07", ()),
    ]
    found = find_dates("on August 28 and September 3, 1950", DOC)
    assert [m.when for m in found] == ["1950-08-28", "1950-09-03"]


def test_two_expressions_side_by_side_are_not_a_range() -> None:
    """ "Yesterday and the day before yesterday" are two days; "and" makes a range only after "between"."""
    found = find_dates("Yesterday and the day before yesterday I held talks.", DOC)
    assert [(m.text, m.when) for m in found] == [
        ("Yesterday", "1952-08-27"),
        ("the day before yesterday", "1952-08-26"),
    ]
    assert [m.text for m in find_dates("in 1950 and 1953", DOC)] == ["1950", "1953"]


def test_a_backwards_range_is_not_a_range() -> None:
    found = find_dates("in 1953-1950 and from August 28 to August 3, 1952", DOC)
    assert all(m.from_ is None and m.to is None for m in found)
    assert [m.text for m in found] == ["1953", "August 28", "August 3, 1952"]


# --------------------------------------------------------------------------------------------------
# Relative expressions
# --------------------------------------------------------------------------------------------------


@table(
    ("yesterday", "yesterday", {"when": "1952-08-27", "inferred": REL}),
    ("Yesterday evening the two delegations met", "Yesterday evening", {"when": "1952-08-27"}),
    ("yesterday morning", "yesterday morning", {"when": "1952-08-27"}),
    ("are today flying to Moscow", "today", {"when": "1952-08-28"}),
    ("today's meeting", "today", {"when": "1952-08-28"}),
    ("Tomorrow we will finish", "Tomorrow", {"when": "1952-08-29"}),
    ("tomorrow night", "tomorrow night", {"when": "1952-08-29"}),
    ("the day before yesterday", "the day before yesterday", {"when": "1952-08-26"}),
    ("The day after tomorrow", "The day after tomorrow", {"when": "1952-08-30"}),
    ("the day after tomorrow evening", "the day after tomorrow evening", {"when": "1952-08-30"}),
    ("this morning", "this morning", {"when": "1952-08-28"}),
    ("This afternoon", "This afternoon", {"when": "1952-08-28"}),
    ("this evening", "this evening", {"when": "1952-08-28"}),
    ("tonight", "tonight", {"when": "1952-08-28"}),
    ("last night", "last night", {"when": "1952-08-27"}),
    ("last evening", "last evening", {"when": "1952-08-27"}),
    ("two days ago", "two days ago", {"when": "1952-08-26", "inferred": REL}),
    ("3 days ago", "3 days ago", {"when": "1952-08-25"}),
    ("a week ago", "a week ago", {"not_before": "1952-08-18", "not_after": "1952-08-24"}),
    ("three months ago", "three months ago", {"when": "1952-05"}),
    ("two years ago", "two years ago", {"when": "1950"}),
    ("this year", "this year", {"when": "1952", "inferred": REL}),
    ("last year", "last year", {"when": "1951"}),
    ("next year", "next year", {"when": "1953"}),
    ("the current year", "the current year", {"when": "1952"}),
    ("the year before last", "the year before last", {"when": "1950"}),
    ("this month", "this month", {"when": "1952-08"}),
    ("last month", "last month", {"when": "1952-07"}),
    ("next month", "next month", {"when": "1952-09"}),
    ("this week", "this week", {"not_before": "1952-08-25", "not_after": "1952-08-31"}),
    ("last week", "last week", {"not_before": "1952-08-18", "not_after": "1952-08-24"}),
    ("next week", "next week", {"not_before": "1952-09-01", "not_after": "1952-09-07"}),
    ("last August", "last August", {"when": "1951-08", "inferred": REL}),
    ("last July", "last July", {"when": "1952-07"}),
    ("next March", "next March", {"when": "1953-03"}),
    ("this August", "this August", {"when": "1952-08"}),
)
def test_relative(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


def test_relative_crosses_month_and_year_ends() -> None:
    new_year = datetime.date(1953, 1, 1)
    assert only("yesterday", new_year).when == "1952-12-31"
    assert only("last month", new_year).when == "1952-12"
    assert only("this winter", datetime.date(1953, 1, 15)).not_before == "1952-12-01"
    assert only("tomorrow", datetime.date(1952, 2, 28)).when == "1952-02-29"


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "Yesterday evening",
        "tomorrow",
        "this year",
        "last week",
        "last August",
        "the 28th ult.",
        "two days ago",
        "this spring",
        "in March of this year",
    ],
)
def test_relative_without_document_date_has_no_value(text: str) -> None:
    m = find_dates(text, None)
    assert len(m) == 1
    assert values(m[0]) == {}
    assert m[0].inferred == ()


def test_without_document_date() -> None:
    assert only("August 28", None).when is None
    assert only("by the end of this month", None).not_after is None
    assert only("on the 28th", None).when is None
    m = only("24.03.50", None)
    assert (m.when, m.inferred) == ("1950-03-24", ("century-assumed",))
    assert only("in 1955", None).when == "1955"
    assert only("August 28, 1952", None).when == "1952-08-28"


# --------------------------------------------------------------------------------------------------
# Numeric dates
# --------------------------------------------------------------------------------------------------

CFD = ("century-from-document",)


@table(
    ("28.VIII.1952", "28.VIII.1952", {"when": "1952-08-28", "inferred": ()}),
    ("28 VIII 1952", "28 VIII 1952", {"when": "1952-08-28"}),
    ("at Otpor on 3 X 1950.", "3 X 1950", {"when": "1950-10-03"}),
    ("28.VIII.52", "28.VIII.52", {"when": "1952-08-28", "inferred": CFD}),
    ("1-XII-1952", "1-XII-1952", {"when": "1952-12-01"}),
    ("24.03.50", "24.03.50", {"when": "1950-03-24", "inferred": CFD, "cert": None}),
    ("24.03.1950", "24.03.1950", {"when": "1950-03-24", "inferred": ()}),
    ("Sent 3.10.50", "3.10.50", {"when": "1950-10-03"}),
    # dots are day-first; only when that is impossible is the other order taken, and said so
    ("12.13.1952", "12.13.1952", {"when": "1952-12-13", "inferred": ("order-by-validity",)}),
    # slashes are month-first (US transmission stamps)
    ("8/28/52", "8/28/52", {"when": "1952-08-28", "inferred": CFD, "cert": None}),
    ("08/28/1952", "08/28/1952", {"when": "1952-08-28", "inferred": ()}),
    (
        "3/4/52",
        "3/4/52",
        {"when": "1952-03-04", "inferred": (*CFD, "month-first-assumed"), "cert": "medium"},
    ),
    ("4/4/52", "4/4/52", {"when": "1952-04-04", "cert": None}),
    ("28/8/52", "28/8/52", {"when": "1952-08-28", "inferred": (*CFD, "order-by-validity"), "cert": None}),
)
def test_numeric_dates(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


def test_transmission_stamp_is_month_first_and_date_and_time_stay_apart() -> None:
    """The trap: "Received 8/28/52 12:00 noon" is 28 August (US order), then a separate time."""
    found = find_dates("Sent 28.VIII.1952 4:10 am\nReceived 8/28/52 12:00 noon", DOC)
    assert [(m.text, m.kind, m.when) for m in found] == [
        ("28.VIII.1952", "date", "1952-08-28"),
        ("4:10 am", "time", "04:10:00"),
        ("8/28/52", "date", "1952-08-28"),
        ("12:00 noon", "time", "12:00:00"),
    ]


def test_two_digit_year_takes_the_document_century() -> None:
    assert only("24.03.50", datetime.date(2001, 1, 1)).when == "2050-03-24"
    assert only("24.03.50", datetime.date(1961, 1, 1)).when == "1950-03-24"


# --------------------------------------------------------------------------------------------------
# Times
# --------------------------------------------------------------------------------------------------


@table(
    ("12:00 noon", "12:00 noon", {"when": "12:00:00", "kind": "time"}),
    ("at noon", "noon", {"when": "12:00:00"}),
    ("12 noon", "12 noon", {"when": "12:00:00"}),
    ("4:10 am", "4:10 am", {"when": "04:10:00", "kind": "time", "inferred": ()}),
    ("4:10 a.m.", "4:10 a.m.", {"when": "04:10:00"}),
    ("4:10 AM", "4:10 AM", {"when": "04:10:00"}),
    ("4:10 pm", "4:10 pm", {"when": "16:10:00"}),
    ("12:30 am", "12:30 am", {"when": "00:30:00"}),
    ("12:30 pm", "12:30 pm", {"when": "12:30:00"}),
    ("at 4 p.m.", "4 p.m.", {"when": "16:00:00"}),
    ("at 10am", "10am", {"when": "10:00:00"}),
    ("at 16.30 we met", "16.30", {"when": "16:30:00"}),
    ("16.30 hours", "16.30 hours", {"when": "16:30:00"}),
    ("1630 hours", "1630 hours", {"when": "16:30:00"}),
    ("0400 hrs.", "0400 hrs.", {"when": "04:00:00"}),
    ("23:45 (Moscow time)", "23:45 (Moscow time)", {"when": "23:45:00"}),
    ("23:45 Moscow time", "23:45 Moscow time", {"when": "23:45:00"}),
    ("10:00 GMT", "10:00 GMT", {"when": "10:00:00"}),
    ("10:15:30", "10:15:30", {"when": "10:15:30"}),
    ("at 5 o'clock in the afternoon", "5 o'clock in the afternoon", {"when": "17:00:00"}),
    ("at four o'clock", "four o'clock", {"when": "04:00:00"}),
    ("at 9 o’clock in the evening", "9 o’clock in the evening", {"when": "21:00:00"}),
    ("at 2 o'clock at night", "2 o'clock at night", {"when": "02:00:00"}),
    ("at 11 o'clock at night", "11 o'clock at night", {"when": "23:00:00"}),
    ("4:10 in the afternoon", "4:10 in the afternoon", {"when": "16:10:00"}),
)
def test_times(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


def test_date_and_time_are_two_expressions() -> None:
    found = find_dates("Sent 3.10.50 23:45", DOC)
    assert [(m.text, m.kind, m.when) for m in found] == [
        ("3.10.50", "date", "1950-10-03"),
        ("23:45", "time", "23:45:00"),
    ]
    found = find_dates("On 15 February 1950, 11:00 pm, and Today at 1:00 am", datetime.date(1950, 10, 3))
    assert [(m.text, m.kind, m.when) for m in found] == [
        ("15 February 1950", "date", "1950-02-15"),
        ("11:00 pm", "time", "23:00:00"),
        ("Today", "date", "1950-10-03"),
        ("1:00 am", "time", "01:00:00"),
    ]


def test_military_date_time_group() -> None:
    m = check("281640Z AUG 52", "281640Z AUG 52", {"when": "1952-08-28T16:40:00Z", "inferred": CFD})
    assert m.kind == "date"
    assert only("281640Z AUG", DOC).when == "1952-08-28T16:40:00Z"


# --------------------------------------------------------------------------------------------------
# Things that are not dates
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "we must buy 15,000 tons of rubber",
        "sell 50% to 70% of rubber production",
        "a total of 1,952 wagons",
        "Telegram No. 1952",
        "Nos. 1950-1953 were lost",
        "Zhongyang wenxian chubanshe, 2018), 91-94.",
        "pp. 1950-1953",
        "pages 1950-1953",
        "#1952",
        "We may agree.",
        "we will march in march",
        "May we agree on this?",
        "March forward!",
        "the report of the 20th Congress",
        "on the 38th parallel",
        "the 8th Route Army",
        "the line of the 20th and 21st Congresses of the CPSU",
        "in 1950 tons of steel",
        "1952 was a hard year",
        "the 1952 agreement",
        "Comrade August Bebel",
        "Aug",
        "at 16.30 rubles per ton",
        "at 3.50 rubles",
        "16.30",
        "see section 4.10 of the plan",
        "version 2.1",
        "a 3:1 majority",
        "between 50 and 70",
        "in his fifties",
        "the parties and difficulties",
        "the late Stalin",
        "a century ago",
        "in the afternoon",
        "next to the station",
        "this is the last",
        "up to 1,000,000 people",
        "Article 28 of the treaty",
        "a few days ago",
        "in 1850",
        "the year",
        "the month",
        "rock'53",
        "the 24th of the divisions",
        "5 10 1952",
        "28-08-1952",
        "1.2.3",
        "192.168.10.12",
        "$16.30",
        "a ratio of 1/2",
        "the 17th Party Congress",
        "in 30 August rubles",
    ],
)
def test_not_dates(text: str) -> None:
    found = find_dates(text, DOC)
    if text == "in 30 August rubles":  # "30 August" is a date; "rubles" does not change that
        assert [m.text for m in found] == ["30 August"]
        return
    assert found == [], [m.text for m in found]


@table(
    ("in 1955", "1955", {"when": "1955"}),
    ("on August 30, 1952", "August 30, 1952", {"when": "1952-08-30"}),
    ("of 1952", "1952", {"when": "1952"}),
    ("at 16.30", "16.30", {"when": "16:30:00"}),
)
def test_spans_leave_out_in_on_of_at(text: str, span: str, expected: dict[str, Any]) -> None:
    check(text, span, expected)


def test_may_at_sentence_start() -> None:
    assert find_dates("May we come back to this? May 5 is the date.", DOC)[0].text == "May 5"
    assert [m.when for m in find_dates("May 1968", DOC)] == ["1968-05"]
    assert find_dates("The work began in May.", DOC)[0].when == "1952-05"


def test_a_full_stop_after_a_full_month_name_is_not_taken() -> None:
    assert only("It was on 28 August.").text == "28 August"
    assert only("It was in August.").text == "August"
    assert only("Aug. 28").text == "Aug. 28"


# --------------------------------------------------------------------------------------------------
# The seed cable and the fixture answer keys
# --------------------------------------------------------------------------------------------------

SEED_DATES = [
    ("August 28, 1952", {"when": "1952-08-28"}),
    ("August 28, 1952", {"when": "1952-08-28"}),
    ("Yesterday evening", {"when": "1952-08-27"}),
    ("by 1962", {"not_after": "1962-12-31"}),
    ("After 1962", {"not_before": "1963-01-01"}),
    ("today", {"when": "1952-08-28"}),
    ("1955", {"when": "1955"}),
    ("1954", {"when": "1954"}),
    ("Tomorrow", {"when": "1952-08-29"}),
    ("August 28", {"when": "1952-08-28"}),
    ("February 14, 1950", {"when": "1950-02-14"}),
    ("February 14, 1952", {"when": "1952-02-14"}),
    ("no later than the end of 1952", {"not_after": "1952-12-31"}),
    ("by December 31, 1952", {"not_after": "1952-12-31"}),
    ("August 30, 1952", {"when": "1952-08-30"}),
]


def test_seed_cable() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed not found: {SEED}")
    text = SEED.read_text(encoding="utf-8")
    found = find_dates(text, DOC)
    assert [(m.text, values(m)) for m in found] == SEED_DATES


def _case_keys() -> list[Path]:
    return sorted(p for p in CASES.glob("*/key.json")) if CASES.is_dir() else []


@pytest.mark.parametrize("key_path", _case_keys(), ids=lambda p: p.parent.name)
def test_fixture_answer_keys(key_path: Path) -> None:
    """Every date mention of a case's answer key is found in the body with exactly its values,
    and nothing else in the body is taken for a date."""
    key = json.loads(key_path.read_text(encoding="utf-8"))
    text = (key_path.parent / "input.txt").read_text(encoding="utf-8")
    doc = datetime.date.fromisoformat(key["document_date"])
    contents = re.search(r"^Contents:\s*\n(?:\s*\n)*(?:- .*\n)+", text, re.MULTILINE)
    assert contents is not None
    body = contents.end()  # the body starts after the Contents list ("- English Translation", "- Original Document")
    found = [m for m in find_dates(text, doc) if m.start > body]
    rename = {"from": "from_"}
    want = [
        (mention["text"], {rename.get(k, k): v for k, v in mention.items() if k not in ("type", "text")})
        for mention in key["mentions"]
        if mention["type"] in ("date", "time")
    ]
    assert [(m.text, values(m)) for m in found] == want


# --------------------------------------------------------------------------------------------------
# parse_date_line and parse_date_value
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("August 28, 1952", datetime.date(1952, 8, 28)),
        ("March 03, 1949", datetime.date(1949, 3, 3)),
        ("May 5, 1961", datetime.date(1961, 5, 5)),
        ("  August 28, 1952  \n", datetime.date(1952, 8, 28)),
        ("\ufeffOctober 03, 1950", datetime.date(1950, 10, 3)),
        ("28 August 1952", datetime.date(1952, 8, 28)),
        ("1952-08-28", datetime.date(1952, 8, 28)),
    ],
)
def test_parse_date_line(line: str, expected: datetime.date) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("1952", "not a full date"),
        ("August 1952", "not a full date"),
        ("August 28", "no year"),
        ("today", "no year"),
        ("Cable, Zhou Enlai to Mao", "not a date"),
        ("by 1962", "period or a bound"),
        ("1950-1953", "period or a bound"),
        ("4:10 am", "not a date"),
        ("August 28, 1952, Beijing", "not a date"),
        ("February 30, 1952", "not a date"),
    ],
)
def test_parse_date_line_errors(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_date_line(line)
    assert "August 28, 1952" in str(info.value)  # the message shows what is expected


def test_parse_date_value() -> None:
    assert parse_date_value("1952").when == "1952"  # type: ignore[union-attr]
    assert parse_date_value("August").when is None  # type: ignore[union-attr]
    assert parse_date_value("August", DOC).when == "1952-08"  # type: ignore[union-attr]
    assert parse_date_value("August 28", DOC).inferred == YFD  # type: ignore[union-attr]
    assert parse_date_value("August 28.", DOC).text == "August 28"  # type: ignore[union-attr]
    assert parse_date_value("16.30").when == "16:30:00"  # type: ignore[union-attr]
    assert parse_date_value("by 1962").not_after == "1962-12-31"  # type: ignore[union-attr]
    m = parse_date_value("  the end of 1952 ")
    assert m is not None and (m.start, m.end, m.text) == (2, 17, "the end of 1952")
    for not_one in (
        "",
        "hello",
        "Beijing, August 28, 1952",
        "August 28, 1952 and 1953",
        "the year",
        "in 1952",
    ):
        assert parse_date_value(not_one, DOC) is None, not_one


# --------------------------------------------------------------------------------------------------
# The public vocabulary
# --------------------------------------------------------------------------------------------------

NCNAME = re.compile(r"[A-Za-z_][\w.-]*")


def test_inference_ids_are_ncnames_with_one_sentence() -> None:
    for key, description in INFERENCES.items():
        assert NCNAME.fullmatch(key), key
        assert description.endswith(".") and description[0].isupper(), key


def test_date_match_is_frozen() -> None:
    m = only("in 1955")
    with pytest.raises(AttributeError):
        m.when = "1956"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1952", True), ("1952-08", True), ("1952-08-28", True), ("04:10:00", True),
        ("1952-08-28T04:10:00", True), ("1952-08-28T16:40:00Z", True), ("1952-02-30", False),
        ("1952-13", False), ("25:00:00", False), ("52", False), ("1952-8-28", False), ("", False),
    ],
)  # fmt: skip
def test_is_iso_value(value: str, ok: bool) -> None:
    assert is_iso_value(value) is ok


def test_rules_are_compiled_once() -> None:
    assert all(isinstance(pattern, re.Pattern) for _, pattern, _ in dates._RULES)
    assert len({name for name, _, _ in dates._RULES}) == len(dates._RULES)


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------


def assert_well_formed(text: str, found: list[DateMatch]) -> None:
    last_end = 0
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end, "sorted and non-overlapping"
        last_end = m.end
        assert m.kind in ("date", "time")
        assert m.cert in (None, "high", "medium", "low")
        assert set(m.inferred) <= set(INFERENCES)
        assert list(m.inferred) == [k for k in INFERENCES if k in m.inferred]
        for field in VALUE_FIELDS:
            value = getattr(m, field)
            assert value is None or is_iso_value(value), (m, field)
        if m.not_before and m.not_after:
            assert m.not_before <= m.not_after, m
        if m.from_ and m.to and len(m.from_) == len(m.to):
            assert m.from_ < m.to, m
        if m.when is not None:
            assert m.not_before is m.not_after is m.from_ is m.to is None


DOC_DATES = st.one_of(st.none(), st.dates())

# Fragments that exercise the grammar far more often than random characters would.
PIECES = st.sampled_from(
    [
        "May ", "August ", "Aug. ", "Sept. ", "1952", "1950", "'53", "the ", "from ", "to ", "by ", "before ",
        "after ", "early ", "mid-", "late ", "the end of ", "between ", " and ", "winter ", "spring of ",
        "VIII", "X", "am", "pm", "noon", "hours", "yesterday", "today", "the day before ", "ult.", "inst.",
        "1950s", "Thursday, ", "28", "3", "31", "12", "0", ".", ",", "-", "–", "/", ":", " ", "\n", "'",
        "o'clock", "ago", "days ", "two ", "this ", "last ", "next ", "year", "month", "week", "th",
        "century", "fif", "ties", "(Moscow time)", "Z ", "No. ", "%", "tons", "of ", "in ", "on ",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), DOC_DATES)
def test_arbitrary_text_never_breaks(text: str, doc: datetime.date | None) -> None:
    found = find_dates(text, doc)
    assert_well_formed(text, found)
    m = parse_date_value(text, doc)
    if m is not None:
        assert_well_formed(text, [m])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=30).map("".join), DOC_DATES)
def test_dateish_text_never_breaks(text: str, doc: datetime.date | None) -> None:
    assert_well_formed(text, find_dates(text, doc))
    m = parse_date_value(text, doc)
    if m is not None:
        assert_well_formed(text, [m])


def _gate_passes(name: str, text: str) -> bool:
    return name in {dates._RULES[k][0] for k in dates._open_rules(text)}


def test_every_rule_has_a_gate() -> None:
    assert {name for name, _, _ in dates._RULES} == set(dates._GATES)


def _assert_gates_hold(text: str) -> None:
    """A gate is a necessary condition: a rule that matches the text anywhere has passed its gate."""
    for name, pattern, _ in dates._RULES:
        if pattern.search(text) is not None:
            assert _gate_passes(name, text), (name, text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(PIECES, max_size=30).map("".join), st.text(max_size=120)), DOC_DATES)
def test_gates_never_hide_a_match(text: str, doc: datetime.date | None) -> None:
    _assert_gates_hold(text)
    assert dates._scan(text, doc, whole=False) == dates._scan(text, doc, whole=False, gated=False)


def test_gates_change_nothing_on_the_fixtures() -> None:
    root = Path(__file__).parent
    inputs = sorted((root / "cases").glob("*/input.txt")) + sorted((root / "heldout").glob("*/input.txt"))
    assert inputs
    skipped = 0
    for path in inputs:
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            _assert_gates_hold(paragraph)
            doc = datetime.date(1960, 6, 1)
            assert dates._scan(paragraph, doc, whole=False) == dates._scan(paragraph, doc, whole=False, gated=False)
            skipped += len(dates._RULES) - len(dates._open_rules(paragraph))
    assert skipped > 0, "the gates should spare some scans on real text"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_date_line_raises_only_value_error(line: str) -> None:
    try:
        parse_date_line(line)
    except ValueError as exc:
        assert "expected a full date" in str(exc)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_written_dates_round_trip(day: datetime.date) -> None:
    month = MONTHS[day.month - 1]
    iso = day.isoformat()
    spelled = (f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}")
    numeric = (
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day}.{ROMAN[day.month - 1]}.{day.year}",
        iso,
    )
    for text in (*spelled, *numeric):
        m = only(f"It was signed on {text}.", None)
        assert (m.text, m.when, m.inferred) == (text, iso, ())
    for text in spelled:
        assert parse_date_line(text) == day


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime.date(1901, 3, 1), max_value=datetime.date(2098, 10, 31)))
def test_relative_days_follow_the_document_date(doc: datetime.date) -> None:
    assert only("yesterday", doc).when == (doc - datetime.timedelta(days=1)).isoformat()
    assert only("tomorrow", doc).when == (doc + datetime.timedelta(days=1)).isoformat()
    assert only("the day before yesterday", doc).when == (doc - datetime.timedelta(days=2)).isoformat()
    assert only("this year", doc).when == str(doc.year)


# --- lists of days sharing one month, and a roman-numeral month without a year --------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("on 6 and 7 June", [("6", "1952-06-06"), ("7 June", "1952-06-07")]),
    ("around 6 or 7 June", [("6", "1952-06-06"), ("7 June", "1952-06-07")]),
    ("on 3, 4 and 5 June 1953", [("3", "1953-06-03"), ("4", "1953-06-04"), ("5 June 1953", "1953-06-05")]),
    ("the 6th and 7th of June", [("the 6th", "1952-06-06"), ("7th of June", "1952-06-07")]),
    # "between ... and" stays a range, and numbers that no month follows are no dates.
    ("between 6 and 7 June", [("between 6 and 7 June", None)]),
    ("1 and 2 divisions in June", [("June", "1952-06")]),
    # A list whose last day does not exist gives its other days no month: they are no dates.
    ("on 30 or 31 June 1953", [("June 1953", "1953-06")]),
])
def test_a_list_of_days_shares_the_month_of_its_last_day(text, expected):
    found = find_dates(text, DOC)
    assert [(m.text, m.when) for m in found] == expected


def test_a_day_with_a_roman_month_and_no_year_takes_the_document_year():
    m = only("Answer before 10.VI. at the latest", datetime.date(1961, 6, 1))
    assert (m.text, m.not_after, m.inferred) == ("before 10.VI.", "1961-06-09", ("year-from-document",))
    assert find_dates("see section 10.VI of the report", DOC) == []  # no closing dot: a section number
