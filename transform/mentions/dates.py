"""Printed dates -> (date, precision), and relative expressions anchored to a known date.

The string-to-date step is dateutil's parser (maintained, offline); what is added here is
the precision a date was printed with ('March 2021' is a month, not March 1st) and the
arithmetic of relative expressions ('3 months later' after the previous absolute date).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from transform.records import DateValue
from transform.types import DatePrecision

MIN_YEAR = 1900
MAX_YEAR = 2100
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
"""Parsing twice with two defaults tells which fields the text itself gave."""

_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)\b", re.I)
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_LEADING_WORDS = re.compile(
    r"^(?:in|since|during|until|from|of|on|the|early|late|mid|spring|summer|autumn|fall|"
    r"winter|-|\s)+",
    re.I,
)
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18,
    "twenty": 20, "thirty": 30, "another": 1,
}  # fmt: skip


class DateParseError(ValueError):
    """Text that the date patterns matched but that is not a valid date."""


def parse_number(word: str) -> float | None:
    """'3' -> 3.0, 'three' -> 3.0, '1.5' -> 1.5; None if neither."""
    word = word.strip().lower()
    try:
        return float(word)
    except ValueError:
        value = NUMBER_WORDS.get(word)
        return float(value) if value is not None else None


def parse_date(text: str, *, day_first: bool = False) -> tuple[date, DatePrecision]:
    """A printed absolute date and the precision it was printed with.

    Numeric 'dd/mm/yyyy' versus 'mm/dd/yyyy' is ambiguous; an impossible month decides,
    otherwise `day_first` does (month first, US style, by default).
    """
    cleaned = _LEADING_WORDS.sub("", _ORDINAL.sub(r"\1", text.strip())).strip(" ,")
    if not cleaned:
        raise DateParseError(f"no date in {text!r}")
    numeric = _NUMERIC_DMY.match(cleaned)
    if numeric:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        day_first = day_first or first > 12
        if second > 12:
            day_first = False
    try:
        a = dateutil_parser.parse(cleaned, default=_DEFAULT_A, dayfirst=day_first)
        b = dateutil_parser.parse(cleaned, default=_DEFAULT_B, dayfirst=day_first)
    except (ValueError, OverflowError) as exc:
        raise DateParseError(f"not a date: {text!r}") from exc
    if a.year != b.year or not MIN_YEAR <= a.year <= MAX_YEAR:
        raise DateParseError(f"no year in {text!r}")
    if a.month != b.month:
        return date(a.year, 1, 1), "year"
    if a.day != b.day:
        return date(a.year, a.month, 1), "month"
    return a.date(), "day"


def parse_month_day(text: str, year: int) -> date:
    """'July 18' in a range whose end gives the year ('From July 18 to November 13, 2012')."""
    cleaned = _LEADING_WORDS.sub("", _ORDINAL.sub(r"\1", text.strip()))
    cleaned = re.sub(r"\s+(to|until|through|and|-|–)\s*$", "", cleaned, flags=re.I)
    try:
        return dateutil_parser.parse(f"{cleaned} {year}", default=datetime(year, 1, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise DateParseError(f"not a date: {text!r}") from exc


_REL_AMOUNT = re.compile(
    r"\b(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"another)\s+(day|week|month|year)s?\b",
    re.I,
)
_REL_NTH_DAY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+day\b|\bday\s+(\d{1,3})\b", re.I)
_REL_NEXT = re.compile(r"\b(?:next|following)\s+(day|week|month|year)\b", re.I)


def resolve_relative(text: str, anchor: DateValue) -> DateValue | None:
    """A relative expression as a date counted from `anchor` (relative=True).

    'after 3 weeks' / '3 months later' add the amount; 'on the 8th day (of the cycle)'
    is day 8 counting the anchor as day 1. The result is no more precise than the anchor.
    """
    base = anchor.value
    nth = _REL_NTH_DAY.search(text)
    if nth:
        day_no = int(nth.group(1) or nth.group(2))
        value = base + timedelta(days=day_no - 1)
        return DateValue(value, anchor.precision, relative=True)
    amount = _REL_AMOUNT.search(text)
    nxt = _REL_NEXT.search(text)
    if amount:
        number = parse_number(amount.group(1))
        unit = amount.group(2).lower()
    elif nxt:
        number, unit = 1.0, nxt.group(1).lower()
    else:
        return None
    if number is None:
        return None
    if unit == "day":
        value = base + timedelta(days=number)
    elif unit == "week":
        value = base + timedelta(weeks=number)
    elif unit == "month":
        value = base + relativedelta(months=int(number))
    else:
        value = base + relativedelta(years=int(number))
    precision: DatePrecision = anchor.precision
    if unit in ("month", "year") and precision == "day":
        precision = "month" if unit == "month" else "year"
    if precision == "month":
        value = value.replace(day=1)
    elif precision == "year":
        value = value.replace(month=1, day=1)
    return DateValue(value, precision, relative=True)
