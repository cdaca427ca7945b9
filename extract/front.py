"""Front matter of the first page: the article-type label, the title, the author block.

Publishers print an article-type label ('Case Report', 'Research Article') above the title,
often in the title's size; then authors, affiliations, correspondence, dates, editor and
copyright lines before the abstract or the first section. None of these is a section heading
(a 'Case Report' label must not open the case presentation, an author line in bold must not
open a section of its own), and the title is the article's, not its label: the largest type
of page 1 once labels are set aside, all its lines.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.blocks import SIZE_TOLERANCE, RawBlock
from extract.sections import (
    ABSTRACT_LABEL,
    PROSE_LOWER_FRAC,
    PROSE_MIN_WORDS,
    block_text,
    heading_key,
    section_of,
)

TITLE_LARGER_PT = 1.0
"""The title is the largest text of the first page, at least this much above the body size."""
AUTHOR_MAX_WORDS = 80
AUTHOR_CAPITAL_FRAC = 0.7
"""An author line: its name words mostly capitalised ('Umal Azmat,1 David Liebner,2 and ...')."""
AFFILIATION_LOWER_FRAC = 0.35
"""An affiliation is a list of names: few of its words start in lower case (of, and, the)."""

ARTICLE_TYPE = re.compile(
    r"^(?:case\s+(?:reports?|series|study|presentation)|research\s+(?:article|paper)|"
    r"review(?:\s+article)?|mini[-\s]?review|systematic\s+review|original\s+(?:article|research|"
    r"paper)|clinical\s+(?:study|trial|image|case)|brief\s+(?:report|communication)|"
    r"short\s+(?:communication|report)|letter(?:\s+to\s+the\s+editor)?|editorial|commentary|"
    r"perspective|opinion|images?\s+in\s+[a-z]+(?:\s+[a-z]+)?|technical\s+note|"
    r"rapid\s+communication)$",
    re.IGNORECASE,
)
"""Article-type labels as journals print them (alone on their line)."""
FRONT_LINE = re.compile(
    r"^(?:\W{0,2}correspond\w*|received\b|accepted\b|published\b|revised\b|submitted\b|"
    r"(?:academic\s+|handling\s+)?editor\b|edited\s+by\b|reviewed\s+by\b|specialty\s+section\b|"
    r"citation\b|copyright\b|©|\(c\)\s|this\s+is\s+an\s+open[-\s]access|open\s+access\b|"
    r"e-?mail\b|orcid\b|keywords?\b|key\s+words\b|\W?these\s+authors\b|"
    r"(?:\d{1,2}|[*†‡§#])\s*(?:department|division|faculty|school|institute|laboratory|"
    r"unit|center|centre|clinic|service|college|university|hospital)\b)",
    re.IGNORECASE,
)
"""Lines of the author block that are not the authors' names themselves."""
_INSTITUTION = re.compile(
    r"\b(?:department|division|faculty|school|institute|laboratory|center|centre|clinic|"
    r"college|university|hospital|universit[àäé]\w*)\b",
    re.IGNORECASE,
)
_NAME_PARTICLES = frozenset({"and", "de", "van", "von", "der", "da", "di", "du", "la", "le", "y"})


def is_article_type(text: str) -> bool:
    return bool(ARTICLE_TYPE.match(" ".join(text.split()).strip(" :|")))


def _name_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;]+", text) if w and w[:1].isalpha()]


def is_author_line(text: str) -> bool:
    """Names separated by commas / 'and', with affiliation marks: no sentence in it."""
    words = _name_words(text)
    if len(words) < 2 or len(words) > AUTHOR_MAX_WORDS or ". " in text.rstrip("."):
        return False
    if "," not in text and " and " not in text and "&" not in text:
        return False
    names = [w for w in words if w.lower() not in _NAME_PARTICLES]
    capital = sum(1 for w in names if w[:1].isupper())
    return bool(names) and capital >= AUTHOR_CAPITAL_FRAC * len(names)


def is_affiliation(text: str) -> bool:
    words = _name_words(text)
    if not words or not _INSTITUTION.search(text):
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return lower <= AFFILIATION_LOWER_FRAC * len(words)


def is_front_line(text: str) -> bool:
    flat = " ".join(text.split())
    return bool(FRONT_LINE.match(flat)) or is_affiliation(flat)


def _opens_body(b: RawBlock) -> bool:
    """A heading that names a section (or a run-in abstract label) ends the front matter."""
    if b.kind == "heading" and not is_article_type(block_text(b)):
        return section_of(block_text(b)) is not None
    return False


def find_title(blocks: list[RawBlock], body_size: float) -> int | None:
    """Index of the title block: the largest type on page 1 that is not a label."""
    best: int | None = None
    for i, b in enumerate(blocks):
        if b.first.page != 1 or b.kind not in ("heading", "body") or b.inline:
            continue
        text = block_text(b)
        if is_article_type(text) or is_front_line(text):
            continue
        if best is None or b.size > blocks[best].size + SIZE_TOLERANCE:
            best = i
    if best is None or blocks[best].size < body_size + TITLE_LARGER_PT:
        return None
    return best


def mark_front_matter(
    blocks: list[RawBlock], body_size: float
) -> tuple[list[RawBlock], int | None]:
    """Mark page 1's label, title continuation and author block as front matter.

    Returns the blocks (front-matter ones flagged `front`, never headings) and the index of
    the title block; a title cut into two blocks of the same type (a style change inside it)
    is joined.
    """
    out = list(blocks)
    title = find_title(out, body_size)
    if title is not None:
        t = out[title]
        nxt = title + 1
        while (
            nxt < len(out)
            and out[nxt].first.page == 1
            and out[nxt].kind in ("heading", "body")
            and abs(out[nxt].size - t.size) <= SIZE_TOLERANCE
            and not is_article_type(block_text(out[nxt]))
        ):
            t = replace(t, parts=t.parts + out[nxt].parts)
            del out[nxt]
        out[title] = t
    for i, b in enumerate(out):
        if b.first.page != 1 or i == title or b.kind not in ("heading", "body"):
            continue
        text = block_text(b)
        after_title = title is not None and i > title
        if _opens_body(b) or _abstract_label(b):
            if after_title and b.inline and section_of(text) != "abstract":
                # A structured abstract printed without a heading: its first run-in label.
                out[i] = replace(b, opens_abstract=True)
            break
        if (
            is_article_type(text)
            or (title is not None and i < title and b.kind == "heading")
            or is_front_line(text)
            or (after_title and is_author_line(text))
        ):
            out[i] = replace(b, kind="body", front=True)
        elif after_title and _is_prose(text):
            # The abstract, printed without a heading (its run-in labels may have been cut
            # out as headings just before it).
            start = i
            while start > 0 and out[start - 1].inline and out[start - 1].kind == "heading":
                start -= 1
            out[start] = replace(out[start], opens_abstract=True)
            break
    return out, title


def _abstract_label(b: RawBlock) -> bool:
    return bool(b.first.lead_bold) and bool(ABSTRACT_LABEL.match(heading_key(b.first.lead_bold)))


def _is_prose(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= PROSE_MIN_WORDS and (
        sum(1 for w in words if w[:1].islower()) >= PROSE_LOWER_FRAC * len(words)
    )
