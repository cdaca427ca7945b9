"""Every drug named in the case presentation, accounted for: an exposure, or why not.

A drug mention of a patient's story either is the evidence of an exposure, names a drug the
patient was given (told elsewhere as an exposure), or carries the reason the sentence did
not start it (episodes.mention_verdicts: negated, a history of failure, the cause of an
event, an option or hypothesis, the other arm of a trial), or that its case tells no cancer
story and keeps no exposures. What is left is the pipeline's miss (types.UNEXPLAINED_REASONS):
a drug named with no treatment word of its own, told only as stopped. The warehouse stores
the account (drug_mention_dispositions) and the audit lists each antineoplastic miss
('named_not_given'), so a class of failure shows across hundreds of reports.

Pure over the records: the story sentences (with their mentions), the exposures after the
line rules (with their roles) and the numbering of the document's mentions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from transform.events.episodes import mention_verdicts
from transform.events.story import Sentence
from transform.records import (
    DrugExposure,
    DrugMentionDisposition,
    DrugValue,
    Extraction,
    Finding,
    Mention,
    Provenance,
    RegimenValue,
)
from transform.timeline.roles import shipped_roles, static_role
from transform.types import UNEXPLAINED_REASONS, DispositionReason, DrugRole

MentionKey = tuple[int, int, int, str, str]


def mention_key(mention: Mention) -> MentionKey:
    """A mention's identity within its document: sentence, offsets, kind, text."""
    p = mention.prov
    return (p.order, p.char_start, p.char_end, mention.kind, mention.text)


def mention_numbers(mentions: Sequence[Mention]) -> dict[MentionKey, int]:
    """mention -> its 1-based number in the document (the warehouse's mentions.mention_no)."""
    out: dict[MentionKey, int] = {}
    for number, mention in enumerate(mentions, start=1):
        out.setdefault(mention_key(mention), number)
    return out


def _drugs_of(mention: Mention) -> tuple[str, ...]:
    value = mention.value
    if isinstance(value, DrugValue):
        return (value.drug,)
    if isinstance(value, RegimenValue):
        return tuple(dict.fromkeys(value.drugs)) or (value.regimen.lower(),)
    return (mention.text.lower(),)


def _overlaps(a: Provenance, b: Provenance) -> bool:
    return a.order == b.order and a.char_start < b.char_end and b.char_start < a.char_end


def _table_role(drug: str) -> DrugRole:
    """The role of a drug no exposure gives one: by the tables; a conditional drug (a
    corticosteroid, leucovorin) without an antineoplastic partner is supportive."""
    role = static_role(drug, shipped_roles())
    return "supportive" if role == "conditional" else role


def dispositions(
    sentences: Sequence[Sentence],
    exposures: Sequence[DrugExposure],
    kept_cases: Collection[int],
    numbers: dict[MentionKey, int],
) -> tuple[DrugMentionDisposition, ...]:
    """One disposition per drug of each drug or regimen mention of the story sentences.

    `exposures` are the document's, numbered 1.. in order (drug_exposures.exposure_no);
    `kept_cases` the cases with a cancer story (the others keep no exposures).
    """
    numbered = list(enumerate(exposures, start=1))
    out: list[DrugMentionDisposition] = []
    seen: set[tuple[int, str]] = set()
    for sentence in sentences:
        verdicts = dict(
            (mention_key(m), reason)
            for m, reason in (
                ()
                if sentence.caption is not None or sentence.is_glossary
                else mention_verdicts(sentence)
            )
        )
        for mention in sentence.of_kind("drug", "regimen"):
            number = numbers.get(mention_key(mention))
            if number is None:
                continue
            variants = _class_variants(mention, sentence.case_id, numbered)
            for drug in _drugs_of(mention):
                if (number, drug) in seen:
                    continue  # the same mention told twice is accounted once
                seen.add((number, drug))
                mine = [
                    (n, e) for n, e in numbered if e.case_id == sentence.case_id and e.drug == drug
                ]
                own = next((n for n, e in mine if _overlaps(e.prov, mention.prov)), None)
                reason: DispositionReason
                exposure_no: int | None = None
                role: DrugRole = _table_role(drug)
                if own is not None:
                    reason, exposure_no = "exposure", own
                elif mine:
                    reason, exposure_no = "same_drug_given", _nearest(mine, mention.prov.order)
                elif drug in variants:
                    reason, exposure_no = "same_class_given", variants[drug]
                elif sentence.case_id not in kept_cases:
                    reason = "case_without_cancer"
                elif sentence.caption is not None or sentence.is_glossary:
                    reason = "caption"
                else:
                    reason = verdicts.get(mention_key(mention)) or "unexplained"
                if exposure_no is not None:
                    role = exposures[exposure_no - 1].role or role
                out.append(
                    DrugMentionDisposition(
                        case_id=sentence.case_id,
                        mention_no=number,
                        drug=drug,
                        drug_as_printed=mention.text,
                        role=role,
                        disposition="given" if exposure_no is not None else "not_given",
                        reason=reason,
                        prov=mention.prov,
                        exposure_no=exposure_no,
                    )
                )
    return tuple(out)


ATC_CLASS_CHARS = 5
"""A WHO ATC code's first five characters are its level-4 group, the pharmacological class
('L01CD' taxanes, 'L01BC' pyrimidine analogues, 'L01XA' platinum compounds)."""


def atc_class(drug: str) -> str | None:
    """The drug's WHO ATC level-4 group, from the antineoplastic allowlist."""
    code = shipped_roles().antineoplastic.get(drug)
    return code[:ATC_CLASS_CHARS] if code and len(code) >= ATC_CLASS_CHARS else None


def _class_variants(
    mention: Mention, case_id: int, numbered: Sequence[tuple[int, DrugExposure]]
) -> dict[str, int]:
    """For a regimen code, its members the case was given as another drug of the same class.

    A code names its members by class ('TPF': a taxane, a platinum, a fluoropyrimidine), so
    a code told after a course of paclitaxel, cisplatin and tegafur ('after the second cycle
    of TPF') retells that course, though the lexicon expands TPF to docetaxel, cisplatin and
    fluorouracil. Only when every member is given, as itself or as a class member told at or
    before the mention: member -> the class member's exposure (the one told last).
    """
    if not isinstance(mention.value, RegimenValue) or not mention.value.drugs:
        return {}
    before = [
        (n, e) for n, e in numbered if e.case_id == case_id and e.prov.order <= mention.prov.order
    ]
    given = {e.drug for _n, e in numbered if e.case_id == case_id}
    out: dict[str, int] = {}
    for drug in dict.fromkeys(mention.value.drugs):
        if drug in given:
            continue
        group = atc_class(drug)
        same = [(n, e) for n, e in before if group is not None and atc_class(e.drug) == group]
        if not same:
            return {}
        out[drug] = same[-1][0]
    return out


def _nearest(mine: Sequence[tuple[int, DrugExposure]], order: int) -> int:
    """The exposure of the drug told last at or before the sentence, else the first one."""
    before = [n for n, e in mine if e.prov.order <= order]
    return before[-1] if before else mine[0][0]


def is_unexplained(d: DrugMentionDisposition) -> bool:
    return d.reason in UNEXPLAINED_REASONS


def unexplained_findings(found: Sequence[DrugMentionDisposition]) -> tuple[Finding, ...]:
    """An audit finding per antineoplastic drug named in the story and neither given nor
    explained: the reader checks the sentence, the pipeline owes a rule."""
    return tuple(
        Finding(
            case_id=d.case_id,
            kind="named_not_given",
            message=(
                f"case {d.case_id}: {d.drug} ('{d.drug_as_printed}') is named but neither "
                f"given nor explained ({d.reason})"
            ),
            prov=d.prov,
        )
        for d in found
        if d.role == "antineoplastic" and is_unexplained(d)
    )


def with_dispositions(ext: Extraction, sentences: Sequence[Sentence]) -> Extraction:
    """The extraction with its account of every drug mention and a `named_not_given` finding
    per antineoplastic miss; the cases it keeps (after any curation) are the ones with a
    cancer story."""
    found = dispositions(
        sentences, ext.exposures, {c.case_id for c in ext.cases}, mention_numbers(ext.mentions)
    )
    return dataclasses.replace(
        ext, dispositions=found, findings=ext.findings + unexplained_findings(found)
    )
