"""Headings -> sections -> one segment per patient inside the case presentation.

Headings are short blocks set apart by weight, size or capitals. Their wording names the
section (introduction, case_presentation, discussion, ...); the typographic style of the
headings that name a known section is the document's top-level heading style, so an unknown
heading in that style opens a section of its own while smaller ones stay sub-headings.
Inside the case presentation, 'Case 1' / 'Patient 2' headings (or run-in labels) open one
segment per patient; a presentation without them is one patient.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from extract.blocks import SIZE_TOLERANCE, RawBlock
from extract.normalize import LINE_BREAK_HYPHENS
from extract.records import CaseSegment
from extract.types import PageNo, Section

HEADING_MAX_LINES = 3
HEADING_MAX_WORDS = 15
HEADING_LARGER_PT = 0.8
"""A block this much larger than the body text reads as a heading even if not bold."""
CAPS_HEADING_MAX_WORDS = 6
SMALL_HEADING_PT = 1.0
"""A section-name heading this much smaller than the body text does not open a section."""
MIN_CAPS_LETTERS = 4

_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[A-H]\.)\s+")
_TRAILING = re.compile(r"[\s:.\-–—]+$")

SECTION_NAMES: tuple[tuple[Section, re.Pattern[str]], ...] = (
    ("abstract", re.compile(r"^(?:abstract|summary)$")),
    ("introduction", re.compile(r"^(?:introduction|background)$")),
    (
        "case_presentation",
        re.compile(
            r"^(?:(?:the\s+)?cases?(?:\s+(?:presentations?|reports?|descriptions?|summary|"
            r"histor(?:y|ies)|details|illustrations?|series|study))?|"
            r"(?:presentation|report|description)s?\s+of\s+(?:the\s+|a\s+)?cases?|"
            r"clinical\s+cases?(?:\s+reports?)?|patients?\s+(?:presentation|history)|"
            r"(?:clinical\s+|case\s+)?observations?|"
            r"clinical\s+(?:history|course|presentation|description|summary)|"
            r"(?:patient|case)\s+(?:and\s+(?:clinical\s+)?)?(?:information|description|course)|"
            r"(?:the\s+)?patient)$"
        ),
    ),
    ("methods", re.compile(r"^(?:(?:materials?|patients?)\s+and\s+)?methods?$")),
    ("results", re.compile(r"^results?$")),
    ("discussion", re.compile(r"^discussions?(?:\s+and\s+conclusions?)?$")),
    ("conclusion", re.compile(r"^(?:conclusions?|concluding\s+remarks|summary and conclusions?)$")),
    ("references", re.compile(r"^(?:references?|bibliography|literature\s+cited|works\s+cited)$")),
    (
        "back",
        re.compile(
            r"^(?:acknowledge?ments?|funding(?:\s+\w+)*|footnotes?|authors?'?\s+contributions?|"
            r"conflicts?\s+of\s+interests?|competing\s+interests?|ethic(?:s|al)\b.*|consent\b.*|"
            r"data\s+availability\b.*|availability\s+of\s+data\b.*|abbreviations|"
            r"supplementary\s+materials?|publisher'?s\s+note|declarations?|disclosures?|"
            r"author\s+information|additional\s+information|patient\s+perspective)$"
        ),
    ),
)
ABSTRACT_PARTS = frozenset(
    {"introduction", "case_presentation", "methods", "results", "conclusion", "discussion"}
)
"""Sections whose names also label the parts of a structured abstract."""
ABSTRACT_PART_ORDER: dict[Section, int] = {
    "introduction": 0,
    "methods": 1,
    "case_presentation": 2,
    "results": 2,
    "discussion": 3,
    "conclusion": 4,
}
"""The order a structured abstract's parts come in (background, methods, the case or results,
discussion, conclusion: ICMJE, CARE's abstract): a part named after a later one was already
seen is the article's own section heading, and the abstract is over."""
ABSTRACT_LABEL = re.compile(
    r"^(?:abstract|background|introduction|objectives?|aims?|methods?|results?|"
    r"case\s+(?:presentation|description|summary|report)|conclusions?|keywords?|key\s+words)$"
)

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
CASE_LABEL = re.compile(
    r"^(?:case|patient)\s*(?:report\s+)?(?:no\.?\s*|#\s*)?"
    r"(?P<n>\d{1,2}|[ivx]{1,4}|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)\b(?!\s*(?:[-/]|years?|months?|weeks?|days?|%))",
    re.IGNORECASE,
)
_SAYS_CASE = re.compile(
    r"\bcase\s+reports?\b|\ba\s+case\s+of\b|\bcase\s+presentation\b|\bcase\s+series\b|"
    r"\breports?\s+of\s+(?:a|an|one|two|three|four|five|six|\d{1,2})\s+(?:\w+\s+){0,2}cases?\b",
    re.I,
)
"""'Case report', 'a case of', 'case series', 'report of two cases', 'report of a rare case'."""
_CLOSING = frozenset({"discussion", "conclusion", "references", "back"})
_ABSTRACT_ONLY_SECTIONS = frozenset({"front", "abstract", "references", "back"})
_NARRATIVE = re.compile(
    r"\bwe\s+(?:report|present|describe)\s+(?:here\s+)?(?:a|an|the|two|three)\b[^.]{0,80}"
    r"\b(?:case|patient|man|woman|boy|girl|male|female|infant|child)\b|"
    r"\b(?:\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]\w+)?|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen)"
    r"[- ](?:year|month)s?[- ]old\b[^.]{0,120}\b(?:presented|was\s+admitted|"
    r"was\s+referred|complained|developed)\b",
    re.IGNORECASE,
)
"""A case narrative in an abstract: 'We report a case of ...', 'A 49-year-old woman presented',
'a sixty-two-year-old man was referred' (ages spelled out as words too)."""
PROSE_MIN_WORDS = 8
PROSE_LOWER_FRAC = 0.5
"""Prose: at least this fraction of the words in lower case (not a list of index terms or
links); the paragraph that opens it has at least PROSE_MIN_WORDS words."""
_CASE_MENTION = re.compile(r"\b(?:case|patient)\s+(\d{1,2}|[IVX]{1,4})\b", re.IGNORECASE)


def heading_key(text: str) -> str:
    """A heading's wording reduced for matching: lower case, no numbering or end punctuation."""
    text = " ".join(text.split())
    text = _NUMBERING.sub("", text)
    return _TRAILING.sub("", text).lower().replace("’", "'")


def section_of(text: str) -> Section | None:
    """The normalised section a heading names, or None for other headings."""
    key = heading_key(text)
    for name, pattern in SECTION_NAMES:
        if pattern.match(key):
            return name
    return None


def slug(text: str) -> Section:
    return re.sub(r"[^a-z0-9]+", "_", heading_key(text)).strip("_") or "section"


def case_number(text: str) -> int | None:
    """The patient number of a 'Case 2' / 'Patient II' label, or None."""
    m = CASE_LABEL.match(text.strip())
    if not m:
        return None
    n = m.group("n").lower()
    if n.isdigit():
        return int(n)
    return _NUMBER_WORDS.get(n) or _ROMAN.get(n)


def block_text(b: RawBlock) -> str:
    """The block's lines joined; a lower-case word hyphenated at a line end is made whole."""
    out = ""
    for ln in b.lines:
        text = ln.text.strip()
        if out and out[-1] in LINE_BREAK_HYPHENS and out[-2:-1].islower() and text[:1].islower():
            out = out[:-1] + text
        else:
            out = f"{out} {text}" if out else text
    return out


def is_heading(b: RawBlock, body_size: float) -> bool:
    """A short block set apart by weight, size or capitals (or a bare known section name)."""
    if b.kind != "body" or len(b.lines) > HEADING_MAX_LINES:
        return False
    text = block_text(b)
    words = text.split()
    if not words or len(words) > HEADING_MAX_WORDS:
        return False
    if section_of(text) is not None:
        # A section name printed smaller than the body (a journal's 'CASE REPORT' label in the
        # page corner) names the article type, not a section.
        if b.size < body_size - SMALL_HEADING_PT:
            return False
        if len(b.lines) == 1:
            return True
    if not text[0].isupper() and not text[0].isdigit():
        return False
    if text.endswith((",", ";")):
        return False
    if text.endswith(".") and case_number(text) is None and not _NUMBERING.match(text):
        return False
    if all(ln.bold for ln in b.lines):
        return True
    if b.size >= body_size + HEADING_LARGER_PT:
        return True
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= MIN_CAPS_LETTERS
        and len(words) <= CAPS_HEADING_MAX_WORDS
        and all(c.isupper() for c in letters)
    )


def mark_headings(blocks: list[RawBlock], body_size: float) -> list[RawBlock]:
    return [replace(b, kind="heading") if is_heading(b, body_size) else b for b in blocks]


def _style(b: RawBlock) -> tuple[float, bool]:
    return (round(b.size), b.first.bold)


@dataclass(frozen=True)
class Sectioned:
    """Blocks with their section and patient segment, and the segments found."""

    sections: tuple[Section, ...]
    case_ids: tuple[int | None, ...]
    cases: tuple[CaseSegment, ...]


def says_case_report(text: str) -> bool:
    """Whether a title or abstract calls the article a case report."""
    return bool(_SAYS_CASE.search(" ".join(text.split())))


def _fallback_range(blocks: list[RawBlock], sections: list[Section]) -> range | None:
    """The body between the introduction (else the abstract) and the discussion.

    For an article that says it is a case report but prints no case heading the reader can
    find: what comes after the introduction and before the discussion (or conclusion,
    references, back matter) is the case. None when either end is missing or nothing is
    between them.
    """
    opening = [i for i, s in enumerate(sections) if s == "introduction"] or [
        i for i, s in enumerate(sections) if s == "abstract"
    ]
    if not opening:
        return None
    start = opening[-1] + 1
    end = next((i for i in range(start, len(sections)) if sections[i] in _CLOSING), None)
    if end is None:
        return None
    if not any(blocks[i].kind == "body" for i in range(start, end)):
        return None
    return range(start, end)


def _goes_back(name: Section | None, seen: set[Section]) -> bool:
    """Whether an abstract part comes before one already seen (see ABSTRACT_PART_ORDER)."""
    rank = ABSTRACT_PART_ORDER.get(name) if name is not None else None
    return rank is not None and any(ABSTRACT_PART_ORDER.get(s, -1) > rank for s in seen)


def _is_prose(text: str, min_words: int = 1) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= min_words and (
        sum(1 for w in words if w[:1].islower()) >= PROSE_LOWER_FRAC * len(words)
    )


def _abstract_only_range(blocks: list[RawBlock], sections: list[Section]) -> range | None:
    """The abstract of an article printed without its body (an abstract page), as its case.

    Only when nothing but front matter, the abstract and back matter is printed: the leading
    run of prose paragraphs of the abstract (its heading and the index terms or page furniture
    after the prose left out).
    """
    if any(s not in _ABSTRACT_ONLY_SECTIONS for s in sections):
        return None
    idx = [i for i, s in enumerate(sections) if s == "abstract" and blocks[i].kind == "body"]
    start = next((i for i in idx if _is_prose(block_text(blocks[i]), PROSE_MIN_WORDS)), None)
    if start is None:
        return None
    stop = start
    while (
        stop + 1 < len(blocks)
        and sections[stop + 1] == "abstract"
        and (blocks[stop + 1].kind != "body" or _is_prose(block_text(blocks[stop + 1])))
    ):
        stop += 1
    return range(start, stop + 1)


HEADLESS_ABSTRACT_MAX_WORDS = 500
"""A headless abstract whose labelled parts run on longer than this is no abstract: its
'labels' were the article's own section headings (a web page printed to PDF, whose abstract
'opens' on page clutter). Journals cap abstracts at 250-350 words (ICMJE; BMC's Journal of
Medical Case Reports 350), so this is over the longest real one."""


def assign_sections(blocks: list[RawBlock], title: str | None = None) -> Sectioned:
    """Walk the blocks in reading order and give each its section and patient segment.

    `title` (the article's) lets an article that calls itself a case report but prints no
    case heading have its one case segment found by position (see `_fallback_range`).
    A headless abstract that takes in more than HEADLESS_ABSTRACT_MAX_WORDS words after its
    first label is walked again with its labels read as the article's section headings.
    """
    sectioned, label_words = _assign(blocks, title, headless_labels=True)
    if label_words > HEADLESS_ABSTRACT_MAX_WORDS:
        sectioned, _ = _assign(blocks, title, headless_labels=False)
    return sectioned


def _assign(
    blocks: list[RawBlock], title: str | None, headless_labels: bool
) -> tuple[Sectioned, int]:
    """`assign_sections`' walk; also the words of a headless abstract after its first label
    (`headless_labels`: whether an inline section name can be a headless abstract's label)."""
    known = [_style(b) for b in blocks if b.kind == "heading" and section_of(block_text(b))]
    top_style = Counter(known).most_common(1)[0][0] if known else None

    section: Section = "front"
    sections: list[Section] = []
    case_ids: list[int | None] = []
    segments: list[CaseSegment] = []
    labels: dict[int, int] = {}
    presentation: tuple[str, PageNo] | None = None
    current_case: int | None = None
    in_abstract = False
    abstract_seen: set[Section] = set()
    abstract_style: tuple[float, bool] | None = None
    runin_abstract = False
    headless = False
    """Whether the abstract was printed without a heading, right after the front matter: a
    label cut out of its running text ('Conclusion.') is still one of its parts."""
    labelled = False
    """Whether a headless abstract took an inline section name as one of its labels."""
    label_words = 0
    structured = True
    """Whether the abstract is structured: its first part label comes before any text of it
    (a section name after an unstructured abstract's text ends the abstract)."""

    def open_case(text: str, page: PageNo) -> None:
        nonlocal current_case
        number = case_number(text)
        current_case = len(segments) + 1
        if number is not None:
            labels.setdefault(number, current_case)
        segments.append(CaseSegment(current_case, " ".join(text.split()), page))

    for b in blocks:
        if b.front:
            sections.append("front")
            case_ids.append(None)
            continue
        text = block_text(b)
        page = b.first.page
        if b.opens_abstract and section == "front":
            section, in_abstract, abstract_seen, abstract_style = "abstract", True, set(), None
            structured = headless = True
            labelled = False
        if b.kind == "heading":
            name = section_of(text)
            if (
                runin_abstract
                and b.inline
                and name != "abstract"
                and ABSTRACT_LABEL.match(heading_key(text))
            ):
                # A label of a run-in structured abstract cut out of its paragraph.
                sections.append("abstract")
                case_ids.append(None)
                continue
            runin_abstract = False
            if in_abstract:
                style = _style(b)
                by_label = not structured and headless and b.inline
                stays = (
                    (structured or (headless_labels and headless and b.inline))
                    and name in ABSTRACT_PARTS
                    and name not in abstract_seen
                    and not _goes_back(name, abstract_seen)
                    and (abstract_style is None or abs(style[0] - abstract_style[0]) < 1)
                )
                if stays and name is not None:
                    labelled = labelled or by_label
                    abstract_seen.add(name)
                    abstract_style = abstract_style or style
                    sections.append("abstract")
                    case_ids.append(None)
                    continue
                in_abstract = False
            number = case_number(text)
            is_top = (
                top_style is not None
                and abs(_style(b)[0] - top_style[0]) < 1
                and (_style(b)[1] == top_style[1])
            )
            if name == "abstract":
                section, in_abstract, abstract_seen, abstract_style = "abstract", True, set(), None
                structured, headless, labelled = True, False, False
                current_case = None
            elif name is not None and not (name == "case_presentation" and number is not None):
                section, current_case = name, None
                if name == "case_presentation":
                    presentation = presentation or (text, page)
            elif number is not None and (section == "case_presentation" or is_top):
                if section != "case_presentation":
                    section = "case_presentation"
                    presentation = presentation or (text, page)
                open_case(text, page)
            elif is_top and not b.inline and section not in ("front",):
                # (An inline heading other than a section name or a patient label is a
                # sub-heading: it stays in its section.)
                section, current_case = slug(text), None
        elif b.kind in ("body", "reference"):
            if in_abstract and not abstract_seen:
                structured = False
            if in_abstract and labelled:
                label_words += len(text.split())
            label = heading_key(b.first.lead_bold) if b.first.lead_bold else ""
            if section == "case_presentation" and label and case_number(label) is not None:
                open_case(b.first.lead_bold, page)
            elif section in ("front", "abstract") and label:
                if ABSTRACT_LABEL.match(label):
                    section, runin_abstract = "abstract", True
                elif runin_abstract:
                    section, runin_abstract = "front", False
            elif section == "abstract" and runin_abstract and not label:
                pass
        sections.append(section)
        case_ids.append(current_case if section == "case_presentation" else None)

    if not segments and presentation is not None:
        segments.append(CaseSegment(1, " ".join(presentation[0].split()), presentation[1]))
        case_ids = [1 if s == "case_presentation" else None for s in sections]
        labels[1] = 1
        # The presentation heading itself opens the one segment.
    elif not segments:
        abstract = " ".join(
            block_text(b) for b, s in zip(blocks, sections, strict=True) if s == "abstract"
        )
        reported = says_case_report(f"{title or ''} {abstract}")
        span = _fallback_range(blocks, sections) if reported else None
        if span is None and (reported or _NARRATIVE.search(" ".join(abstract.split()))):
            span = _abstract_only_range(blocks, sections)
        if span is not None:
            first = blocks[span.start]
            heading = block_text(first) if first.kind == "heading" else ""
            segments.append(CaseSegment(1, heading, first.first.page))
            labels[1] = 1
            for i in span:
                if blocks[i].kind in ("body", "heading", "caption", "figure"):
                    sections[i] = "case_presentation"
            case_ids = [1 if s == "case_presentation" else None for s in sections]
    for i, b in enumerate(blocks):
        if b.kind == "caption":
            numbers = {m.group(1).lower() for m in _CASE_MENTION.finditer(block_text(b))}
            if len(numbers) == 1:
                n = next(iter(numbers))
                value = int(n) if n.isdigit() else _ROMAN.get(n)
                case_ids[i] = labels.get(value) if value is not None else None
            else:
                case_ids[i] = None
    return Sectioned(tuple(sections), tuple(case_ids), tuple(segments)), label_words


def kinds_for_sections(blocks: list[RawBlock], sections: tuple[Section, ...]) -> list[RawBlock]:
    """Body blocks of the references section are references."""
    return [
        replace(b, kind="reference") if s == "references" and b.kind == "body" else b
        for b, s in zip(blocks, sections, strict=True)
    ]


__all__ = ["SIZE_TOLERANCE", "Sectioned", "assign_sections", "mark_headings", "section_of"]
