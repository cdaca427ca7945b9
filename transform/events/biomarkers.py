"""Biomarker results of one patient: what each printed test says, by the published rules.

The mention layer finds a marker and the words after it ('HER2 (3+)', 'ER 80%', 'EGFR exon
19 deletion'); this module reads them as a result: a normalised marker name
(biomarker_names.tsv), a status, a value and its kind, a variant, the method, the specimen
and the date. The rules and their sources are in docs/rules.md (Biomarkers):

- HER2 (ASCO/CAP 2018): IHC 3+ positive, 2+ equivocal (decided by ISH), 0 and 1+ negative;
  ISH with a HER2/CEP17 ratio >= 2.0 amplified, below it not amplified; an ISH result
  printed as positive/negative is amplified/not amplified.
- ER and PR (ASCO/CAP 2020): >= 1% of tumour nuclei positive, 1-10% 'low', < 1% negative.
- PD-L1: the score as printed (TPS in percent, CPS), status only where a word is printed.
- Gene tests: a named variant (exon 19 deletion, L858R, G12C, a fusion) is mutated (a fusion
  positive); 'no mutation', 'wild-type' and a negated mention are wild-type.

Pure over strings and records; the cue words are data (patterns/biomarker_cues.jsonl).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from transform.events import cue_words
from transform.events.clinical import Dating
from transform.events.story import Sentence
from transform.records import Biomarker, BiomarkerValue, Mention, Provenance
from transform.types import BiomarkerStatus, BiomarkerValueType

BIOMARKER_NAMES_TSV = "biomarker_names.tsv"
_NAME_COLUMNS = 3

HER2_RATIO_AMPLIFIED = 2.0
"""ASCO/CAP 2018: a HER2/CEP17 ratio of 2.0 or more is amplified (group 1)."""
HER2_IHC_POSITIVE = 3
HER2_IHC_EQUIVOCAL = 2
"""ASCO/CAP 2018: IHC 3+ positive, 2+ equivocal, 0 and 1+ negative."""
HR_POSITIVE_PERCENT = 1.0
HR_LOW_MAX_PERCENT = 10.0
"""ASCO/CAP 2020: ER/PR positive at >= 1% of nuclei; 1-10% is reported as 'low positive'."""
STRONG_IHC_SCORE = 3
"""'strongly positive' HER2 staining is the complete, intense staining of IHC 3+."""

HORMONE_RECEPTORS = frozenset({"ER", "PR", "AR"})
_PERCENT_ONLY = frozenset({"Ki-67", "PD-L1"})
"""A percent of these says no status by itself: Ki-67 has no agreed cut-off, and PD-L1 is
stored as printed (its cut-off depends on the drug)."""
GENES = frozenset(
    {"EGFR", "ALK", "ROS1", "KRAS", "NRAS", "RAS", "BRAF", "BRCA1", "BRCA2", "PIK3CA", "KIT",
     "PDGFRA", "TP53", "MET", "RET", "NTRK", "ERBB2"}
)  # fmt: skip
"""Markers tested as genes: a negative result is wild-type, a variant is mutated."""
FUSION_GENES = frozenset({"ALK", "ROS1", "RET", "NTRK"})
"""Genes whose driver alteration is a rearrangement: a fusion is positive, not mutated."""
ISH_METHODS = frozenset({"FISH", "ISH", "CISH", "SISH", "DISH"})
_METHOD_NAMES = {
    "immunohistochemistry": "IHC",
    "immunohistochemical": "IHC",
    "immunohistochemically": "IHC",
    "fluorescence in situ hybridization": "FISH",
    "fluorescence in situ hybridisation": "FISH",
    "fluorescent in situ hybridization": "FISH",
    "in situ hybridization": "ISH",
    "in situ hybridisation": "ISH",
    "next-generation sequencing": "NGS",
    "next generation sequencing": "NGS",
    "gene sequencing": "NGS",
    "sequencing": "NGS",
    "polymerase chain reaction": "PCR",
    "arms": "PCR",
    "ddpcr": "PCR",
}
_PD_L1_SCORES: tuple[tuple[str, BiomarkerValueType], ...] = (("bm_tps", "tps"), ("bm_cps", "cps"))
_PRINTED_RESULTS = ("bm_positive", "bm_negative", "bm_score", "bm_percent", "bm_amplification")
"""Cues of a result printed beside the marker, which a negation scope does not overturn."""
WINDOW_CHARS = 60
"""How far after a marker's name its result is read when the mention stops short of it
('EGFR testing revealed an exon 19 deletion'), up to the next marker or the clause's end."""
_CLAUSE_END = re.compile(r"[;.]\s|[;]|\.$")
_PAIR = re.compile(r"\s*(?:/|and|&)\s*")
"""'ER/PR (+)', 'ER and PR positive': two markers sharing one result."""


class BiomarkerNameError(ValueError):
    """The shipped biomarker_names.tsv is malformed."""


@cache
def marker_names() -> dict[str, str]:
    """Printed name (lower-case) -> normalised marker, from the shipped table."""
    text = (resources.files("transform.events") / BIOMARKER_NAMES_TSV).read_text("utf-8")
    names: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != _NAME_COLUMNS or not all(p.strip() for p in parts):
            raise BiomarkerNameError(
                f"{BIOMARKER_NAMES_TSV}:{number}: expected 'name<TAB>marker<TAB>source'"
            )
        names[" ".join(parts[0].lower().split())] = parts[1].strip()
    return names


def normalise_marker(name: str) -> str:
    """'c-erbB-2' -> 'HER2', 'oestrogen receptor' -> 'ER', 'MIB-1' -> 'Ki-67'; a name not in
    the table is kept as printed."""
    return marker_names().get(" ".join(name.lower().split()), name)


def normalise_method(text: str | None) -> str | None:
    if text is None:
        return None
    key = " ".join(text.lower().split())
    if key.startswith("immuno"):
        return "IHC"
    return _METHOD_NAMES.get(key, text.upper() if text.isupper() or len(text) <= 5 else text)


@dataclass(frozen=True)
class Reading:
    """What one printed result says, before it is tied to a patient, a date and a sentence."""

    marker: str
    status: BiomarkerStatus | None = None
    value: float | None = None
    value_type: BiomarkerValueType | None = None
    variant: str | None = None
    method: str | None = None


def _first(label: str, text: str) -> cue_words.CueHit | None:
    hits = cue_words.find(label, text)
    return hits[0] if hits else None


def _number(hit: cue_words.CueHit) -> float | None:
    for g in reversed(hit.groups):
        if g is not None and re.fullmatch(r"\d+(?:\.\d+)?", g.strip()):
            return float(g)
    return None


def _variant(marker: str, text: str) -> str | None:
    """'exon 19 deletion', 'L858R', 'EML4-ALK fusion' as found after the marker's name."""
    exon = _first("bm_exon_variant", text)
    if exon is not None:
        number = next(g for g in exon.groups if g and g.isdigit())
        kind = next((g for g in exon.groups if g and not g.isdigit()), "deletion").lower()
        kind = {"del": "deletion", "ins": "insertion"}.get(kind, kind.rstrip("s"))
        kind = "mutation" if "mutation" in kind else kind
        return f"exon {number} {kind}"
    protein = _first("bm_protein_variant", text)
    if protein is not None and marker in GENES:
        return "".join(g for g in protein.groups if g)
    fusion = _first("bm_fusion", text)
    if fusion is not None and marker in FUSION_GENES | {"EGFR", "BRAF", "MET"}:
        partner, gene, word = fusion.groups
        kind = "fusion" if (word or "").lower().startswith("fusion") else "rearrangement"
        return f"{partner}-{gene} fusion" if partner and gene else kind
    return None


def _her2(
    text: str, method: str | None
) -> tuple[BiomarkerStatus | None, float | None, BiomarkerValueType | None]:
    """(status, value, value type) of a HER2 result by ASCO/CAP 2018, or Nones."""
    ratio = _first("bm_ratio", text)
    if ratio is not None and (value := _number(ratio)) is not None:
        status: BiomarkerStatus = "amplified" if value >= HER2_RATIO_AMPLIFIED else "not amplified"
        return status, value, "ratio"
    score = _score(text)
    if score is None and method not in ISH_METHODS and _first("bm_strong", text):
        score = STRONG_IHC_SCORE
    if score is not None and method not in ISH_METHODS:
        if score >= HER2_IHC_POSITIVE:
            return "positive", float(score), "ihc_score"
        if score == HER2_IHC_EQUIVOCAL:
            return "equivocal", float(score), "ihc_score"
        return "negative", float(score), "ihc_score"
    return None, None, None


def _score(text: str) -> int | None:
    """The IHC score: '3+', '(3+)', '+++', 'score 2', '(0)'."""
    hit = _first("bm_score", text)
    if hit is None:
        return None
    digit, plus, scored, bracketed = hit.groups
    if plus:
        return len(plus)
    return int(digit or scored or bracketed or 0)


def _gene_positive(marker: str, method: str | None) -> BiomarkerStatus:
    """A gene test read 'positive': a fusion gene's rearrangement is positive, another gene's
    sequencing result mutated; by IHC it is the protein's expression ('EGFR (+)')."""
    return "positive" if marker in FUSION_GENES or method == "IHC" else "mutated"


def _word_status(
    marker: str, text: str, negated: bool, method: str | None
) -> BiomarkerStatus | None:
    """The status a printed word gives ('negative', 'amplification', 'wild-type', 'MSI-H');
    a gene tested other than by IHC and found negative is wild-type, found positive mutated."""
    gene = marker in GENES
    if _first("bm_no_amplification", text):
        return "not amplified"
    if negated and any(_first(label, text) for label in _PRINTED_RESULTS):
        negated = False  # 'no recurrence; ER 80%': the printed result stands, not the scope
    negative = _first("bm_negative", text) is not None and method != "IHC"
    if _first("bm_wild_type", text) or (gene and (negated or negative)):
        return "wild-type" if gene else "negative"
    if negated:
        return "negative"
    if _first("bm_deficient", text):
        return "deficient"
    if _first("bm_proficient", text):
        return "proficient"
    if _first("bm_amplification", text):
        return "amplified"
    if _first("bm_equivocal", text):
        return "equivocal"
    order: tuple[tuple[str, BiomarkerStatus], ...] = (
        ("bm_negative", "negative"),
        ("bm_positive", _gene_positive(marker, method) if gene else "positive"),
        ("bm_mutated", "mutated" if gene else "positive"),
        ("bm_high", "high"),
        ("bm_low", "low"),
        ("bm_stable", "low" if marker == "MSI" else "negative"),
    )
    hits = [(h.start, status) for label, status in order if (h := _first(label, text))]
    if not hits:
        return None
    return min(hits)[1]


def _percent(text: str) -> tuple[float | None, bool]:
    """(the percent printed, whether it was printed as '< n%')."""
    hit = _first("bm_percent", text)
    if hit is None:
        return None, False
    below, number = hit.groups
    return float(number or 0), bool(below and below.strip() in ("<", "≤"))


def _hormone_receptor(percent: float, below: bool) -> BiomarkerStatus:
    """ASCO/CAP 2020: < 1% negative, 1-10% low, > 10% positive."""
    if (below and percent <= HR_POSITIVE_PERCENT) or percent < HR_POSITIVE_PERCENT:
        return "negative"
    return "low" if percent <= HR_LOW_MAX_PERCENT else "positive"


def _without_score_names(text: str) -> str:
    """The text with PD-L1 scores blanked: 'combined positive score 3' says no status."""
    for label in ("bm_tps", "bm_cps"):
        for hit in cue_words.find(label, text):
            text = text[: hit.start] + " " * (hit.end - hit.start) + text[hit.end :]
    return text


def interpret(
    marker: str, printed: str, method: str | None = None, negated: bool = False
) -> Reading:
    """One printed result by the rules (module docstring). `printed` is the text that
    follows the marker's name (the name may be included); `negated` when a negation governs
    the mention ('no EGFR mutation was found', 'negative for ALK')."""
    marker = normalise_marker(marker)
    method = normalise_method(method)
    method_hit = _first("bm_method", printed)
    if method_hit is not None and (method is None or method_hit.start == 0):
        method = normalise_method(method_hit.text)
    variant = _variant(marker, printed)
    word = _word_status(marker, _without_score_names(printed), negated, method)
    value: float | None = None
    value_type: BiomarkerValueType | None = None
    status: BiomarkerStatus | None = word
    if marker == "HER2":
        her2, value, kind = _her2(printed, method)
        value_type = kind
        if her2 is not None:
            status = her2
            if kind == "ratio" and method is None:
                method = "ISH"
            if kind == "ihc_score" and method is None:
                method = "IHC"
        elif method in ISH_METHODS and word in ("positive", "negative"):
            status = "amplified" if word == "positive" else "not amplified"
    if marker == "PD-L1":
        for label, score_type in _PD_L1_SCORES:
            hit = _first(label, printed)
            if hit is not None and (number := _number(hit)) is not None:
                return Reading(marker, word, number, score_type, None, method or "IHC")
    if value is None:
        percent, below = _percent(printed)
        if percent is not None:
            value, value_type = percent, "percent"
            if marker in HORMONE_RECEPTORS and not negated:
                status = _hormone_receptor(percent, below)
            elif status is None and marker not in _PERCENT_ONLY:
                status = "positive" if percent > 0 else "negative"
    if value is None and marker in HORMONE_RECEPTORS and status is None:
        score = _score(printed)
        if score is not None:
            status = "positive" if score > 0 else "negative"
    if variant is not None and status not in ("wild-type", "negative", "not amplified"):
        status = "positive" if marker in FUSION_GENES else "mutated"
    return Reading(marker, status, value, value_type, variant, method)


def _window(sentence: Sentence, mention: Mention, following: Mention | None) -> str:
    """The mention's text and what follows it in its clause, up to the next marker."""
    start = mention.prov.char_start
    stop = following.prov.char_start if following is not None else len(sentence.text)
    stop = min(stop, mention.prov.char_end + WINDOW_CHARS)
    tail = sentence.text[mention.prov.char_end : stop]
    end = _CLAUSE_END.search(tail)
    if end is not None:
        tail = tail[: end.start()]
    return sentence.text[start : mention.prov.char_end] + tail


def _method_before(sentence: Sentence, pos: int) -> str | None:
    """The nearest method named before the marker in its sentence ('FISH showed HER2 ...')."""
    hits = [h for h in cue_words.find("bm_method", sentence.text, 0, pos)]
    return normalise_method(hits[-1].text) if hits else None


def specimen(sentence: str) -> str | None:
    """Where the tested tissue came from: a metastatic site, the primary, or a biopsy."""
    site = _first("bm_specimen_site", sentence)
    if site is not None:
        name = next(g for g in site.groups if g).lower()
        return {"hepatic": "liver", "pulmonary": "lung", "axillary": "lymph node",
                "supraclavicular": "lymph node", "pleural": "pleura", "lymph nodes": "lymph node",
                "peritoneal": "peritoneum", "adrenal gland": "adrenal"}.get(name, name)  # fmt: skip
    if _first("bm_specimen_primary", sentence):
        return "primary"
    if _first("bm_specimen_biopsy", sentence):
        return "biopsy"
    return None


def _markers(mention: Mention) -> tuple[str, ...]:
    """The markers a mention names: the longest name of the table its text starts with
    ('c-erbB-2 (+++)'), else the mention layer's; 'triple-negative' names ER, PR and HER2."""
    value = mention.value
    assert isinstance(value, BiomarkerValue)
    if "/" in value.marker and value.marker.isupper():
        return tuple(value.marker.split("/"))
    text = " ".join(mention.text.lower().split())
    first = _name_at(text)
    if first is None:
        return (value.marker,)
    rest = _PAIR.match(text[len(first) :])
    second = _name_at(text[len(first) + rest.end() :]) if rest else None
    names = marker_names()
    return (names[first], names[second]) if second else (names[first],)


def _name_at(text: str) -> str | None:
    """The longest name of the table that `text` starts with, as a whole word."""
    for name in sorted(marker_names(), key=len, reverse=True):
        if text.startswith(name) and not text[len(name) : len(name) + 1].isalnum():
            return name
    return None


def case_biomarkers(sentence: Sentence, dating: Dating, before: str = "") -> tuple[Biomarker, ...]:
    """The biomarker results one sentence of a patient's story tells, dated. `before` is the
    sentence printed just before it: a panel names no tissue when the sentence before told
    it ('Pathology of the liver puncture showed carcinoma. IHC showed HER2 (3+)...')."""
    found = [m for m in sentence.of_kind("biomarker") if isinstance(m.value, BiomarkerValue)]
    listed = _listed(sentence.text)
    if not found and not listed:
        return ()
    where = specimen(sentence.text) or specimen(before)
    out: list[Biomarker] = []
    for i, mention in enumerate(found):
        value = mention.value
        assert isinstance(value, BiomarkerValue)
        following = found[i + 1] if i + 1 < len(found) else None
        printed = _window(sentence, mention, following)
        method = _method_before(sentence, mention.prov.char_start)
        when, precision = dating.at(mention.prov.char_start)
        if when is None and dating.carried is not None:
            when, precision = dating.carried.when, dating.carried.precision
        if _first("bm_not_tested", printed):
            continue  # 'KIT mutation analysis was not performed': no result at all
        for marker in _markers(mention):
            reading = interpret(marker, printed, method, mention.negated)
            if reading.status is None and reading.value is None and reading.variant is None:
                continue
            out.append(
                Biomarker(
                    case_id=sentence.case_id,
                    marker=reading.marker,
                    result=mention.text,
                    prov=mention.prov,
                    method=reading.method,
                    status=reading.status,
                    value=reading.value,
                    value_type=reading.value_type,
                    variant=reading.variant,
                    specimen=where,
                    test_date=when,
                    test_precision=precision,
                    negated=mention.negated,
                )
            )
    told = {b.marker for b in out}
    for marker, word, start, end in listed:
        if marker in told:
            continue
        method = _method_before(sentence, start)
        reading = interpret(marker, word, method)
        when, precision = dating.at(start)
        if when is None and dating.carried is not None:
            when, precision = dating.carried.when, dating.carried.precision
        out.append(
            Biomarker(
                case_id=sentence.case_id,
                marker=marker,
                result=f"{word} for {sentence.text[start:end]}",
                prov=Provenance(sentence.page, sentence.text, start, end, sentence.order),
                method=reading.method,
                status=reading.status,
                specimen=where,
                test_date=when,
                test_precision=precision,
            )
        )
    return tuple(out)


_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _listed(text: str) -> list[tuple[str, str, int, int]]:
    """(marker, 'positive'/'negative', start, end) of each marker of a list that one status
    word governs ('negative for ALK, ROS1 and PD-L1'): the mention layer reads the first
    name of such a list, this reads the others. Only names of biomarker_names.tsv count."""
    out: list[tuple[str, str, int, int]] = []
    for hit in cue_words.find("bm_list", text):
        word, items = hit.groups
        assert word is not None and items is not None
        offset = hit.end - len(items)
        pos = 0
        for item in _LIST_SPLIT.split(items):
            pos = items.index(item, pos)
            name = marker_names().get(item.lower())
            if name is not None:
                out.append((name, word.lower(), offset + pos, offset + pos + len(item)))
            pos += len(item)
    return out
