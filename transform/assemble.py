"""Everything the transform stage does after the mention layer, pure over records.

Mentions -> events per patient -> lines of therapy -> PFS with the document's month length
-> audit -> the account of every drug mention, as one Extraction. Kept apart from pipeline.py
so that it is tested without spaCy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from extract.records import Document
from transform.curation.apply import curate, curated_lines
from transform.events.caseinfo import with_advanced_onset
from transform.events.events import build_case_events, has_oncology_content
from transform.events.story import group_sentences
from transform.records import Abbreviation, Correction, Extraction, Mention
from transform.timeline.audit import audit
from transform.timeline.dispositions import with_dispositions
from transform.timeline.lines import derive_lines
from transform.timeline.pfs import apply_pfs, infer_month_length, month_pairs

NO_CASES = "no case segments: not read as a case report"
NO_ONCOLOGY = "no oncology content in the case presentation: no treatment timeline"
NOT_ONCOLOGY = "curated: not oncology"
MENTION_FINDINGS = frozenset({"named_not_given"})
"""Findings of the account of every drug mention (transform/timeline/dispositions.py), not of
the line audit: re-deriving lines and PFS keeps them as they are."""


def transform_mentions(
    doc: Document,
    mentions: Sequence[Mention],
    abbreviations: Sequence[Abbreviation] = (),
    corrections: Sequence[Correction] = (),
) -> Extraction:
    """Everything after the mention layer: events, lines, PFS, audit, as one Extraction.

    A document whose cases tell no cancer story yields no cases and a warning, not an error
    (docs/warehouse.md, 'Conventions').
    """
    warnings: list[str] = []
    sentences = group_sentences(doc, mentions)
    cases = build_case_events(doc, mentions, sentences)
    if not cases:
        warnings.append(NO_CASES)
    oncology = tuple(c for c in cases if has_oncology_content(c))
    if cases and not oncology:
        warnings.append(NO_ONCOLOGY)
    ext = assemble(
        Extraction(
            doc_id=doc.doc_id,
            path=doc.path,
            meta=doc.meta,
            mentions=tuple(mentions),
            abbreviations=tuple(abbreviations),
            warnings=tuple(warnings),
            machine_cases=oncology,
        ),
        corrections,
    )
    return with_dispositions(ext, sentences)


def assemble(ext: Extraction, corrections: Sequence[Correction] = ()) -> Extraction:
    """Lines, PFS and audit derived again from the extraction's machine events, with the
    researcher's corrections applied first (docs/corrections.md): what an ingest and
    `caselines apply-corrections` both run, so neither re-extracts the PDF."""
    curation = curate(ext.machine_cases, corrections)
    per_case = [derive_lines(c) for c in curation.cases]
    raw_lines = tuple(line for c in per_case for line in c.lines)
    month_days = infer_month_length(month_pairs(raw_lines))
    exposures = tuple(e for c in per_case for e in c.exposures)
    assessments = tuple(a for c in per_case for a in c.assessments)
    adverse_events = tuple(a for c in per_case for a in c.adverse_events)
    lesions = tuple(x for c in curation.cases for x in c.lesions)
    events = tuple(e for c in curation.cases for e in c.events)
    lines = curated_lines(apply_pfs(raw_lines, month_days), exposures, events)
    warnings = tuple(w for w in ext.warnings if not w.startswith(NOT_ONCOLOGY))
    if curation.not_oncology is not None:
        warnings = (*warnings, f"{NOT_ONCOLOGY}: {curation.not_oncology}")
    return dataclasses.replace(
        ext,
        cases=tuple(
            with_advanced_onset(c.info, derived.onset_date, derived.onset_precision)
            for c, derived in zip(curation.cases, per_case, strict=True)
        ),
        exposures=exposures,
        lines=lines,
        assessments=assessments,
        lesions=lesions,
        adverse_events=adverse_events,
        events=events,
        biomarkers=tuple(b for c in curation.cases for b in c.biomarkers),
        findings=audit(lines, assessments, lesions, events, exposures)
        + tuple(f for f in ext.findings if f.kind in MENTION_FINDINGS),
        pfs_month_days=month_days,
        warnings=warnings,
        corrections=curation.outcomes,
    )
