"""Bibliographic facts from the first page, the running heads/feet and the PDF metadata.

Journals print their citation line in a handful of shapes ('Transl Cancer Res
2022;11(11):4206-4217', 'Journal of X 2013, 7:184', 'Frontiers in Medicine | ... | Volume 8 |
Article 678227', 'Journal, Vol 11, No 11 November 2022'); each shape is one pattern below.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from extract.records import DocumentMeta

DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>|]+)", re.IGNORECASE)
_DOI_TRAILING = ".,;:)]}"
YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

_JOURNAL = r"(?P<journal>[A-Z][A-Za-z.&'\-]*(?:\s+(?:[A-Za-z.&'\-]+|\([A-Za-z]+\)))*?)"
_ABBREV = (
    r"(?P<journal>[A-Z][A-Za-z.&'\-]*\.?(?:\s+(?:[A-Z][A-Za-z.&'\-]*|of|and|in|the|for|&)){0,7})"
)
"""A journal's citation name: capitalised words ('Transl Cancer Res', 'Front. Med.')."""


@dataclass(frozen=True)
class Shape:
    """One citation shape: the journal's name (`lead`), then what follows it (`tail`).

    The lead is a lazy run of capitalised words tried at every capital of a text, costly over
    a whole first page; the tail is a run of digits and punctuation that every match contains,
    so a text the tail alone does not match is skipped without trying the lead (the same
    matches, a fifth of the time)."""

    full: re.Pattern[str]
    tail: re.Pattern[str]

    @classmethod
    def of(cls, lead: str, tail: str) -> Shape:
        return cls(re.compile(lead + tail), re.compile(tail))

    def search(self, text: str) -> re.Match[str] | None:
        if self.tail.search(text) is None:
            return None
        return self.full.search(text)


ABBREV_PATTERNS: tuple[Shape, ...] = (
    # Transl Cancer Res 2022;11(11):4206-4217 / Exp Ther Med. 2014 Aug; 8(2): 419-422
    Shape.of(
        _ABBREV,
        r"\.?\s+(?P<year>(?:19|20)\d\d)(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?)?\s*;\s*"
        r"(?P<volume>\d+)\s*(?:\((?P<issue>[\w\-]+)\))?\s*:\s*"
        r"(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)",
    ),
    # Front. Med. 8:678227
    Shape.of(r"(?:^|(?<=[.)]\s))" + _ABBREV, r"\s+(?P<volume>\d+)\s*:\s*(?P<pages>[A-Za-z]?\d+)\b"),
)
"""The citation line an article prints for itself: preferred to the journal's full name."""
CITATION_PATTERNS: tuple[Shape, ...] = (
    # Translational Cancer Research, Vol 11, No 11 November 2022
    Shape.of(
        _JOURNAL,
        r",?\s+Vol(?:ume)?\.?\s*(?P<volume>\d+)\s*,?\s*(?:No\.?|Issue)\s*(?P<issue>\w+)"
        r"[\s,]+(?:[A-Z][a-z]+\.?\s+)?(?P<year>(?:19|20)\d\d)",
    ),
    # Frontiers in Medicine | www.frontiersin.org 1 November 2021 | Volume 8 | Article 678227
    Shape.of(
        _JOURNAL,
        r"\s*\|.*?(?P<year>(?:19|20)\d\d)\s*\|\s*Volume\s*(?P<volume>\d+)\s*\|\s*"
        r"Article\s*(?P<pages>\w+)",
    ),
    # Transl Cancer Res 2022;11(11):4206-4217
    Shape.of(
        _JOURNAL,
        r"\.?\s+(?P<year>(?:19|20)\d\d)\s*;\s*(?P<volume>\d+)\s*(?:\((?P<issue>[\w\-]+)\))?"
        r"\s*:\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?)",
    ),
    # Case Reports in Endocrinology Volume 2016, Article ID 2087525, 4 pages
    Shape.of(_JOURNAL, r"\s+Volume\s+(?P<year>(?:19|20)\d\d)\s*,\s*Article\s+ID\s+(?P<pages>\w+)"),
    # Journal of Medical Case Reports 2013, 7:184
    Shape.of(
        _JOURNAL, r"\s+(?P<year>(?:19|20)\d\d),\s*(?P<volume>\d+)\s*:\s*(?P<pages>[A-Za-z]?\d+)"
    ),
)


_IMPRINT = re.compile(
    r"^(?:[A-Z][\w&.'\-]*\s+){1,3}(?:Publishing(?:\s+(?:Corporation|Group|Company|House))?|"
    r"Publishers?|Press|Ltd\.?|Limited|Inc\.?|GmbH|B\.V\.)\s+(?=[A-Z])"
)
"""A publisher's imprint line printed just before the journal name ('Hindawi Publishing
Corporation Case Reports in Endocrinology ...')."""
PREFIX_FILE = "doi_prefixes.tsv"


@functools.cache
def doi_publishers() -> dict[str, str]:
    """DOI prefix -> publisher, from the table shipped with the package."""
    text = resources.files("extract").joinpath(PREFIX_FILE).read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return {r[0].strip(): r[1].strip() for r in rows[1:] if len(r) >= 2 and r[1].strip()}


def publisher_of(doi: str | None) -> str | None:
    """The publisher a DOI's prefix is registered to, if the table knows it."""
    if not doi:
        return None
    return doi_publishers().get(doi.split("/", 1)[0].lower())


def find_doi(texts: Iterable[str]) -> str | None:
    """The DOI printed most often (the article's own, not one from a reference)."""
    found: Counter[str] = Counter()
    for text in texts:
        for m in DOI_RE.finditer(text):
            found[m.group(1).rstrip(_DOI_TRAILING)] += 1
    return found.most_common(1)[0][0] if found else None


def find_citation(texts: Iterable[str], title: str | None = None) -> dict[str, str]:
    """Journal, year, volume, issue and pages from the citation lines printed.

    The citation form ('Transl Cancer Res 2022;11(11):4206-4217', 'Front. Med. 8:678227')
    gives the journal and pages; the other shapes (full journal name) fill what it leaves out
    and stand alone when no citation form is printed. Text up to the article's own title is
    skipped ('... (2021) <title>. Front. Med. 8:678227').
    """
    flat = [" ".join(t.split()) for t in texts]
    if title:
        key = " ".join(title.split())
        flat = [t[t.index(key) + len(key) :] if key and key in t else t for t in flat]
    found: dict[str, str] = {}
    for pattern in (*ABBREV_PATTERNS, *CITATION_PATTERNS):
        for text in flat:
            m = pattern.search(text)
            if not m:
                continue
            values = {k: v.strip() for k, v in m.groupdict().items() if v}
            if found and "volume" in values and values["volume"] != found.get("volume"):
                continue
            for k, v in values.items():
                found.setdefault(k, v)
            break
    return found


def _metadata_year(metadata: Mapping[str, object]) -> int | None:
    for key in ("CreationDate", "ModDate"):
        value = metadata.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", "ignore")
        if isinstance(value, str):
            m = re.search(r"(19|20)\d\d", value)
            if m:
                return int(m.group(0))
    return None


def _clean_str(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "ignore")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def build_meta(
    *,
    title: str | None,
    first_page_texts: list[str],
    running_texts: list[str],
    metadata: Mapping[str, object],
    n_pages: int,
) -> DocumentMeta:
    """Assemble the document's meta; printed facts win over the PDF's own metadata."""
    doi = find_doi(running_texts + first_page_texts)
    if doi is None:
        doi = find_doi(s for s in (_clean_str(v) for v in metadata.values()) if s)
    citation = find_citation(running_texts + first_page_texts, title)
    year: int | None = int(citation["year"]) if "year" in citation else None
    if year is None:
        years = Counter(int(y) for t in first_page_texts for y in YEAR_RE.findall(t))
        year = years.most_common(1)[0][0] if years else _metadata_year(metadata)
    journal = citation.get("journal")
    if journal:
        journal = _IMPRINT.sub("", journal.strip(" ,|"))
        if journal.count(".") <= 1:
            journal = journal.rstrip(".")  # a sentence's full stop, not an abbreviation's
    return DocumentMeta(
        title=title or _clean_str(metadata.get("Title")),
        doi=doi,
        journal=journal or publisher_of(doi),
        year=year,
        volume=citation.get("volume"),
        issue=citation.get("issue"),
        pages=citation.get("pages"),
        n_pages=n_pages,
    )
