"""Who the patient is: age, sex, primary site, histology, grade, diagnosis and death dates.

Read from the case's own running text (not only from sentences that carry mentions: 'The
pathological report revealed invasive ductal carcinoma' may carry none), first statement
wins: case reports open with the presentation and the primary diagnosis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from importlib import resources

from extract.records import Block, Document
from transform.events import cue_words
from transform.events.cue_gates import Literals, fold, may_match, required_literals
from transform.events.story import NON_CASE_SECTIONS, Sentence
from transform.events.timing import sentence_dates
from transform.records import CaseInfo, ClinicalEvent, Provenance, TextValue
from transform.types import DatePrecision

SEX_NEAR_AGE_CHARS = 40
"""'A 52-year-old female patient': the sex word follows the age within a few words."""
MAX_AGE = 120
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+|$)")
_DIAGNOSIS_ROLES = ("point", "range", "from")
HISTOLOGY_SITES_TSV = "histology_sites.tsv"
_HISTOLOGY_SITE_COLUMNS = 3
CANCER_TYPES_TSV = "cancer_types.tsv"
_CANCER_TYPE_COLUMNS = 4
_CANCER_TYPE_FIELDS = ("histology", "site")


class HistologySiteError(ValueError):
    """The shipped histology -> site table is malformed."""


class CancerTypeError(ValueError):
    """The shipped cancer_types.tsv is malformed."""


@cache
def cancer_type_rules() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(field, whole-word pattern, cancer type) in the table's order (cancer_types.tsv)."""
    text = (resources.files("transform.events") / CANCER_TYPES_TSV).read_text("utf-8")
    rows: list[tuple[str, re.Pattern[str], str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = [p.strip() for p in raw.split("\t")]
        if (
            len(parts) != _CANCER_TYPE_COLUMNS
            or not all(parts)
            or parts[0] not in _CANCER_TYPE_FIELDS
        ):
            raise CancerTypeError(
                f"{CANCER_TYPES_TSV}:{number}: expected 'histology|site<TAB>pattern<TAB>"
                "cancer type<TAB>source'"
            )
        rows.append((parts[0], re.compile(rf"\b(?:{parts[1]})\b", re.IGNORECASE), parts[2]))
    return tuple(rows)


def cancer_type(site: str | None, histology: str | None) -> str | None:
    """'breast' from a breast site, 'SCLC' from a small cell histology: the first row of
    cancer_types.tsv that the histology or the site matches."""
    fields = {"histology": histology or "", "site": site or ""}
    for field, pattern, name in cancer_type_rules():
        if pattern.search(fields[field]):
            return name
    return None


def stage(blocks: Sequence[Block]) -> str | None:
    """The stage as first printed: the TNM and the stage group of one sentence together
    ('pT2N0M0 IIA'), else either, else the extent of a small cell cancer ('extensive-stage').
    A roman numeral without the word 'stage' counts only after a TNM ('IVC' is also the
    inferior vena cava)."""
    for block in blocks:
        for m in _SENTENCE.finditer(block.text):
            sentence = m.group(0)
            tnm = cue_words.find("stage_tnm", sentence)
            group = cue_words.find("stage_group", sentence)
            if tnm and not group:  # 'pT2N0M0, IIA': a bare group only beside a TNM
                group = cue_words.find("stage_group_bare", sentence, tnm[0].end)
            parts = [next(g for g in h.groups if g) for h in (tnm[:1] + group[:1])]
            if parts:
                return " ".join(parts)
            extent = cue_words.find("stage_extent", sentence)
            if extent:
                return f"{next(g for g in extent[0].groups if g).lower()}-stage"
    return None


def with_advanced_onset(
    info: CaseInfo, when: date | None, precision: DatePrecision | None
) -> CaseInfo:
    """The case with the date its disease became advanced (the line rules' onset)."""
    return replace(info, advanced_onset_date=when, advanced_onset_precision=precision)


@cache
def histology_sites() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(whole-word pattern of a histology, the site it names), from the shipped table.

    All-capital abbreviations (HCC, NSCLC) match in capitals only, so 'npc' in another sense
    does not.
    """
    text = (resources.files("transform.events") / HISTOLOGY_SITES_TSV).read_text("utf-8")
    rows: list[tuple[re.Pattern[str], str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != _HISTOLOGY_SITE_COLUMNS or not all(p.strip() for p in parts):
            raise HistologySiteError(
                f"{HISTOLOGY_SITES_TSV}:{number}: expected 'histology<TAB>site<TAB>source'"
            )
        name = parts[0].strip()
        flags = 0 if any(c.isupper() for c in name[1:]) else re.IGNORECASE
        words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", name))
        rows.append((re.compile(rf"\b{words}\b", flags), parts[1].strip()))
    return tuple(rows)


@cache
def _histology_gates() -> tuple[Literals | None, ...]:
    """The words each histology_sites pattern needs (cue_gates): most blocks hold none of
    the 40-odd names, and a regex searched at every character costs more than `in`."""
    return tuple(required_literals(p.pattern, p.flags) for p, _ in histology_sites())


def _site_of_histology(blocks: Sequence[Block]) -> str | None:
    """The site the first histology that names one implies ('small cell carcinoma' -> lung)."""
    best: tuple[int, int, str] | None = None
    for index, block in enumerate(blocks):
        folded = fold(block.text)
        for (pattern, site), gate in zip(histology_sites(), _histology_gates(), strict=True):
            if not may_match(gate, folded, block.text):
                continue
            m = pattern.search(block.text)
            if m and (best is None or (index, m.start()) < best[:2]):
                best = (index, m.start(), site)
        if best is not None:
            return best[2]
    return None


def _primary_site(blocks: Sequence[Block]) -> str | None:
    """Where the cancer arose: a printed '<site> cancer' first, then the site its histology
    names, then a '<site> tumour/mass' outside sentences about metastases ('multiple liver
    tumours' beside a lung primary are the metastases), then a mass in a lobe of the lung
    ('a mass in the right lower lobe': the liver's lobes are not upper, middle or lower)."""
    lobe = _first("lung_lobe", blocks, skip="metastatic_word")
    return (
        _first("primary_site", blocks)
        or _site_of_histology(blocks)
        or _first("primary_site_mass", blocks, skip="metastatic_word")
        or ("lung" if lobe else None)
    )


def case_blocks(doc: Document, case_id: int) -> tuple[Block, ...]:
    return tuple(
        b
        for b in doc.body()
        if b.case_id == case_id and b.kind == "body" and (b.section or "") not in NON_CASE_SECTIONS
    )


def _sentence_around(text: str, pos: int) -> tuple[str, int]:
    for m in _SENTENCE.finditer(text):
        if m.start() <= pos < max(m.end(), m.start() + 1):
            return m.group(0).strip(), m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
    return text, 0


def _age_sex(blocks: Sequence[Block]) -> tuple[int | None, str | None, Provenance | None]:
    for block in blocks:
        for hit in cue_words.find("age", block.text):
            number = next((g for g in hit.groups if g), None)
            if number is None or not 0 < int(number) <= MAX_AGE:
                continue
            window = block.text[hit.end : hit.end + SEX_NEAR_AGE_CHARS]
            sex = None
            female = cue_words.first("female", window)
            male = cue_words.first("male", window)
            if female and (male is None or female.start <= male.start):
                sex = "female"
            elif male:
                sex = "male"
            sentence, offset = _sentence_around(block.text, hit.start)
            prov = Provenance(
                block.page_at(hit.start), sentence, hit.start - offset, hit.end - offset
            )
            return int(number), sex, prov
    return None, None, None


def _about_offspring(sentence: str) -> bool:
    """A sentence about a fetus or newborn ('a male fetus', 'the infant kept his mouth open'):
    in a pregnant patient's story its sex words and pronouns are the child's, not hers."""
    return cue_words.has("offspring", sentence)


def _pronoun_sex(blocks: Sequence[Block], skip_offspring: bool = False) -> str | None:
    """Without a stated sex, the pronouns the story uses for the patient (clear majority);
    with `skip_offspring`, leaving out the sentences about her fetus or newborn."""
    text = " ".join(b.text for b in blocks)
    if skip_offspring:
        parts = (m.group(0) for m in _SENTENCE.finditer(text))
        text = " ".join(p for p in parts if not _about_offspring(p))
    she = len(cue_words.find("female_pronoun", text))
    he = len(cue_words.find("male_pronoun", text))
    if she > 2 * he and she:
        return "female"
    if he > 2 * she and he:
        return "male"
    return None


def _first(label: str, blocks: Sequence[Block], skip: str | None = None) -> str | None:
    for block in blocks:
        for hit in cue_words.find(label, block.text):
            if skip is not None:
                sentence, _ = _sentence_around(block.text, hit.start)
                if cue_words.has(skip, sentence):
                    continue
            value = next((g for g in hit.groups if g), None) or hit.text
            return " ".join(value.lower().split()) if label != "grade" else value.strip()
    return None


def _diagnosis_date(sentences: Sequence[Sentence]) -> tuple[date | None, DatePrecision | None]:
    """The date of the first sentence that names the cancer or its diagnosis.

    A sentence that tells a progression or recurrence names the cancer too, but dates its
    growth, not its diagnosis ('In May 2019 the tumour progressed').
    """
    for s in sentences:
        if s.caption is not None:
            continue
        if not (cue_words.has("diagnosis", s.text) or cue_words.has("cancer", s.text)):
            continue
        if cue_words.has("progression", s.text) or cue_words.has("recurrence", s.text):
            continue
        for span in sentence_dates(s):
            if span.role in _DIAGNOSIS_ROLES and span.start is not None:
                return span.start, span.start_precision
    return None, None


_SPACE = re.compile(r"\s")


def _plain(text: str) -> str:
    """Every kind of space as ' ', the same length (the mention layer's sentences do so)."""
    return _SPACE.sub(" ", text)


def _anchors(
    blocks: Sequence[Block], sentences: Sequence[Sentence]
) -> list[tuple[int, int, int, int]]:
    """(block index, start, end, order) of each story sentence found in the case's blocks, in
    reading order: sentences carry an order only when they carry a mention."""
    texts = [_plain(b.text) for b in blocks]
    found: list[tuple[int, int, int, int]] = []
    cursor = (0, 0)
    for s in sentences:
        if s.caption is not None or s.order <= 0 or not s.text.strip():
            continue
        needle = _plain(s.text).strip()
        for bi in range(cursor[0], len(texts)):
            pos = texts[bi].find(needle, cursor[1] if bi == cursor[0] else 0)
            if pos >= 0:
                found.append((bi, pos, pos + len(needle), s.order))
                cursor = (bi, pos + 1)
                break
    return found


def _order_at(anchors: Sequence[tuple[int, int, int, int]], bi: int, pos: int) -> int:
    """The order of the first story sentence that contains or follows text position (bi, pos)."""
    for a_bi, _start, end, order in anchors:
        if (a_bi, end) > (bi, pos):
            return order
    return 0


def story_points(blocks: Sequence[Block], sentences: Sequence[Sentence]) -> tuple[int, int]:
    """(cancer_order, other_condition_order): where the story first names the report's cancer
    (a histology or cancer cue word), and where it told, before that, the diagnosis or history
    of another condition ('consistent with a diagnosis of ET'; 'a history of rheumatoid
    arthritis'). Each is the order of the first story sentence at or after the words (the
    words' own sentence may carry no mention, hence no order). 0 where there is none. A
    diagnosis told of a mass, nodule or lesion ('diagnosed with a breast mass') is the cancer's
    own, before its name is printed: no other condition.

    Case reports tell the story in order (CARE guideline: the timeline of the case), so what
    is told of another condition before the cancer is first named came before its diagnosis;
    the line rules keep drugs started there out of the cancer's lines (lines.py, rule 0).
    """
    anchors = _anchors(blocks, sentences)
    other: tuple[int, int] | None = None
    for bi, block in enumerate(blocks):
        cancer = [cue_words.first("cancer", block.text), cue_words.first("histology", block.text)]
        first = min((h.start for h in cancer if h is not None), default=None)
        condition = next(
            (
                h
                for h in cue_words.find("prior_condition", block.text, 0, first)
                if not cue_words.has("lesion_word", _sentence_around(block.text, h.start)[0])
            ),
            None,
        )
        if other is None and condition is not None:
            other = (bi, condition.start)
        if first is not None:
            cancer_order = _order_at(anchors, bi, first)
            other_order = _order_at(anchors, *other) if other is not None else 0
            return cancer_order, other_order if 0 < other_order < cancer_order else 0
    return 0, 0


DOUBT_WINDOW_CHARS = 50
"""How far before a cancer word a doubt cue still governs it ('negative for malignancy',
'concerning for cholangiocarcinoma'): a few words, as ConText scopes its triggers, so that
'no history of smoking' early in a sentence does not doubt the carcinoma it later names."""


def asserted_malignancy(sentence: str, start: int, end: int) -> bool:
    """Whether the malignancy word at sentence[start:end] tells this patient's own cancer.

    Not when a doubt cue governs it in its clause (negated, excluded, considered in a
    differential, suspected, benign, 'mimicking'), when it is one of alternatives ('GIST,
    lymphoma, or cancer'), or when its clause is about another person (a relative, a donor).
    ConText (Harkema et al., J Biomed Inform 2009): negated, hypothetical and other-experiencer
    mentions are not the patient's findings.
    """
    breaks = [h.end for h in cue_words.find("clause_break", sentence, 0, start)]
    clause = max(breaks, default=0)
    near = max(clause, start - DOUBT_WINDOW_CHARS)
    if cue_words.has("malignancy_doubt", sentence, near, start):
        return False
    if cue_words.has("malignancy_doubt_clause", sentence, clause, start):
        return False  # 'the differential diagnosis includes A, B, Kaposi sarcoma, ...'
    if cue_words.has("malignancy_alternative", sentence[near:start]):
        return False
    if cue_words.has("malignancy_doubt_after", sentence[end:]):
        return False
    return not cue_words.has("relative", sentence, clause, start)


TREATED_LIKE_CANCER_CUES = frozenset(
    {"case.malignancy.treated_like_cancer", "case.malignancy.diagnosed_abbreviation"}
)
"""The malignancy cues of neoplasms the histology cues do not name (AL amyloidosis, PV):
their name is the case's histology when no histology is printed."""


def neoplasm_name(found: Provenance | None) -> str | None:
    """The name of a neoplasm treated like a cancer that `found` states ('AL amyloidosis',
    'pv'), lower-case, for a case whose text prints no histology."""
    if found is None:
        return None
    for hit in cue_words.find("malignancy", found.sentence):
        if hit.start == found.char_start and hit.cue_id in TREATED_LIKE_CANCER_CUES:
            name = next((g for g in hit.groups if g), None) or hit.text
            return " ".join(name.lower().split())
    return None


def malignancy(blocks: Sequence[Block]) -> Provenance | None:
    """Where the case's own text first states a malignant neoplasm of the patient.

    Oncology content means a malignant neoplasm (or one oncologists treat with antineoplastic
    regimens: myeloproliferative neoplasms, AL amyloidosis, histiocytoses; case_cues.jsonl,
    label `malignancy`, and every `histology`, whose abbreviations know 'ALL' beside 'ET').
    A tumour, mass, cyst, aneurysm or adenoma is not one by itself, and neither is a response
    word ('remained stable'), 'recurrent' or 'stage IV' (of a kidney disease): those made
    phantom patients of reports about no cancer.
    """
    for i, block in enumerate(blocks):
        hits = cue_words.find("malignancy", block.text) + cue_words.find("histology", block.text)
        if not hits:
            continue
        # A sentence cut by a page or column break is read whole: its doubt cues may stand
        # in the other block ('The differential diagnosis of | the eruptive phase includes
        # ... sarcoma'). What the blocks around lend this block's first and last sentence:
        before = _cut_head(blocks[i - 1].text) if i and block.text[:1].islower() else ""
        unfinished = i + 1 < len(blocks) and _cut_head(block.text)
        after = _continued(blocks[i + 1].text) if unfinished else ""
        ends_at = len(block.text.rstrip())
        for hit in sorted(hits, key=lambda h: h.start):
            sentence, offset = _sentence_around(block.text, hit.start)
            start, end = hit.start - offset, hit.end - offset
            head = before if offset == 0 else ""
            tail = after if offset + len(sentence) >= ends_at else ""
            lead = len(head) + 1 if head else 0
            whole = " ".join(x for x in (head, sentence, tail) if x)
            if asserted_malignancy(whole, start + lead, end + lead):
                return Provenance(block.page_at(hit.start), sentence, start, end)
    return None


def _cut_head(text: str) -> str:
    """The unfinished sentence a block ends with (no full stop), else ''."""
    tail = text.rstrip()
    if not tail or tail[-1] in ".!?:;)":
        return ""
    cut = max(tail.rfind(". "), tail.rfind("? "), tail.rfind("! "))
    return tail[cut + 2 :] if cut >= 0 else tail


def _continued(text: str) -> str:
    """The first sentence of a block that continues the one before (it starts in lower
    case), else ''."""
    text = text.lstrip()
    if not text[:1].islower():
        return ""
    first = _SENTENCE.match(text)
    return first.group(0).strip() if first else ""


def _mention_age_sex(
    sentences: Sequence[Sentence], skip_offspring: bool = False
) -> tuple[int | None, str | None]:
    for s in sentences:
        if skip_offspring and _about_offspring(s.text):
            continue
        for m in s.of_kind("age_sex"):
            if isinstance(m.value, TextValue):
                label = m.value.label.lower()
                sex = label if label in ("female", "male") else None
                age = int(m.value.number) if m.value.number is not None else None
                return age, sex
    return None, None


def build_case_info(
    doc: Document,
    case_id: int,
    sentences: Sequence[Sentence],
    events: Sequence[ClinicalEvent],
) -> CaseInfo:
    blocks = case_blocks(doc, case_id)
    age, sex, prov = _age_sex(blocks)
    # The patient is the person the age sentence is about: a mother's story tells her
    # fetus's or newborn's sex too, which is not hers unless the age sentence is the child's.
    skip = prov is not None and not _about_offspring(prov.sentence)
    m_age, m_sex = _mention_age_sex(sentences, skip_offspring=skip)
    age = age if age is not None else m_age
    sex = sex or m_sex or _pronoun_sex(blocks, skip_offspring=skip)
    diagnosis, diagnosis_p = _diagnosis_date(sentences)
    cancer_order, other_order = story_points(blocks, sentences)
    stated = malignancy(blocks)
    deaths = [e for e in events if e.kind == "death" and e.event_date is not None]
    death = min(deaths, key=lambda e: e.event_date or date.max) if deaths else None
    site = _primary_site(blocks)
    histology = _first("histology", blocks) or neoplasm_name(stated)
    return CaseInfo(
        case_id=case_id,
        age=age,
        sex=sex,
        primary_site=site,
        histology=histology,
        grade=_first("grade", blocks, skip="toxicity_grade"),
        diagnosis_date=diagnosis,
        diagnosis_precision=diagnosis_p,
        death_date=death.event_date if death else None,
        death_precision=death.precision if death else None,
        prov=death.prov if death else prov,
        cancer_order=cancer_order,
        other_condition_order=other_order,
        stage=stage(blocks),
        cancer_type=cancer_type(site, histology),
        malignancy=stated,
    )
