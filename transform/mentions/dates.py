"""Printed dates -> (date, precision), and relative expressions anchored to a known date.

The string-to-date step is dateutil's parser (maintained, offline); what is added here is
the precision a date was printed with ('March 2021' is a month, not March 1st) and the
arithmetic of relative expressions ('3 months later' after the previous absolute date).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from transform.records import DateValue
from transform.types import DatePrecision

MIN_YEAR = 1900
MAX_YEAR = 2100
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)
"""Parsing twice with two defaults tells which fields the text itself gave."""

_ISO = re.compile(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)$")
NUMERIC_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)(?![\d/])")
"""'14/07/2011', '02.08.2011', '7/4/2012': day and month in an order the text does not say."""
MONTHS_IN_YEAR = 12
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


@dataclass(frozen=True)
class NumericReading:
    """How a document's all-numeric dates read: day first or month first, and whether the
    document itself settles it (a first field above 12 somewhere) or the order of its dates
    was used to choose."""

    day_first: bool
    by_order: bool = False

    @property
    def label(self) -> str:
        return ("dmy" if self.day_first else "mdy") + ("?" if self.by_order else "")


_NUMERIC_DATE_CORE = re.compile(r"\d[/.]\d{1,2}[/.](?:19|20)\d\d")
"""What every NUMERIC_DATE match holds, opening with a digit: the regex engine skips to the
digits of a text, where NUMERIC_DATE's look-behind makes it try every character."""


def _fields(texts: Iterable[str]) -> list[tuple[int, int, int]]:
    return [
        (int(a), int(b), int(y))
        for t in texts
        if _NUMERIC_DATE_CORE.search(t)
        for a, b, y in NUMERIC_DATE.findall(t)
    ]


def _as_date(a: int, b: int, year: int, day_first: bool) -> date | None:
    day, month = (a, b) if day_first else (b, a)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _inversions(fields: list[tuple[int, int, int]], day_first: bool) -> int:
    seq = [d for a, b, y in fields if (d := _as_date(a, b, y, day_first)) is not None]
    return sum(1 for x, y in pairwise(seq) if y < x)


def numeric_reading(texts: Iterable[str]) -> NumericReading | None:
    """Decide, once per document, how its numeric dates read (None: it prints none).

    Most of the world writes day-month-year ('14/07/2011'), the US month-day-year. A first
    field above 12 anywhere settles day first, a second field above 12 month first (the
    first such date in reading order wins if a document has both). A document whose every
    numeric date could be read either way keeps the reading under which its dates, in
    reading order, go back in time least often (case reports tell the story in order);
    a tie reads day first, the majority convention. ISO 'yyyy-mm-dd' is never ambiguous.
    """
    fields = _fields(texts)
    if not fields:
        return None
    for a, b, _ in fields:
        if a > MONTHS_IN_YEAR >= b:
            return NumericReading(day_first=True)
        if b > MONTHS_IN_YEAR >= a:
            return NumericReading(day_first=False)
    dmy, mdy = _inversions(fields, True), _inversions(fields, False)
    return NumericReading(day_first=dmy <= mdy, by_order=True)


def parse_date(text: str, *, day_first: bool = False) -> tuple[date, DatePrecision]:
    """A printed absolute date and the precision it was printed with.

    Numeric 'dd/mm/yyyy' versus 'mm/dd/yyyy' is ambiguous; an impossible month decides,
    otherwise `day_first` does (see numeric_reading for the per-document choice). ISO
    'yyyy-mm-dd' reads as written.
    """
    cleaned = _LEADING_WORDS.sub("", _ORDINAL.sub(r"\1", text.strip())).strip(" ,")
    if not cleaned:
        raise DateParseError(f"no date in {text!r}")
    iso = _ISO.match(cleaned.replace(" ", ""))
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3))), "day"
        except ValueError as exc:
            raise DateParseError(f"not a date: {text!r}") from exc
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
    Counted in days, weeks or months from an anchor known only to the year ('in 2010 ...
    within 6 months') it is no date: it may fall in that year or the next, and a year
    printed wrong is worse than none (as a month name alone takes no year-only anchor).
    """
    base = anchor.value
    year_only = anchor.precision == "year"
    nth = _REL_NTH_DAY.search(text)
    if nth and year_only:
        return None
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
    if number is None or (year_only and unit != "year"):
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
