"""Everything the transform stage does after the mention layer, pure over records.

Mentions -> events per patient -> lines of therapy -> PFS with the document's month length
-> the account of every drug mention -> audit, as one Extraction. Kept apart from pipeline.py
so that it is tested without spaCy.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.records import Document
from transform.events.events import build_case_events, has_oncology_content
from transform.events.story import group_sentences
from transform.records import Abbreviation, Extraction, Mention
from transform.timeline.audit import audit
from transform.timeline.dispositions import dispositions, mention_numbers, unexplained_findings
from transform.timeline.lines import derive_lines
from transform.timeline.pfs import apply_pfs, infer_month_length, month_pairs

NO_CASES = "no case segments: not read as a case report"
NO_ONCOLOGY = "no oncology content in the case presentation: no treatment timeline"


def transform_mentions(
    doc: Document, mentions: Sequence[Mention], abbreviations: Sequence[Abbreviation] = ()
) -> Extraction:
    """Everything after the mention layer: events, lines, PFS, audit, as one Extraction.

    A document whose cases tell no cancer story yields no cases and a warning, not an error
    (docs/warehouse.md, 'Conventions').
    """
    warnings: list[str] = []
    cases = build_case_events(doc, mentions)
    if not cases:
        warnings.append(NO_CASES)
    oncology = tuple(c for c in cases if has_oncology_content(c))
    if cases and not oncology:
        warnings.append(NO_ONCOLOGY)
    per_case = [derive_lines(c) for c in oncology]
    raw_lines = tuple(line for c in per_case for line in c.lines)
    month_days = infer_month_length(month_pairs(raw_lines))
    lines = apply_pfs(raw_lines, month_days)
    exposures = tuple(e for c in per_case for e in c.exposures)
    assessments = tuple(a for c in per_case for a in c.assessments)
    adverse_events = tuple(a for c in per_case for a in c.adverse_events)
    lesions = tuple(x for c in oncology for x in c.lesions)
    events = tuple(e for c in oncology for e in c.events)
    accounted = dispositions(
        group_sentences(doc, mentions),
        exposures,
        {c.info.case_id for c in oncology},
        mention_numbers(mentions),
    )
    return Extraction(
        doc_id=doc.doc_id,
        path=doc.path,
        meta=doc.meta,
        cases=tuple(c.info for c in oncology),
        exposures=exposures,
        lines=lines,
        assessments=assessments,
        lesions=lesions,
        adverse_events=adverse_events,
        events=events,
        mentions=tuple(mentions),
        abbreviations=tuple(abbreviations),
        findings=audit(lines, assessments, lesions, events, exposures)
        + unexplained_findings(accounted),
        dispositions=accounted,
        pfs_month_days=month_days,
        warnings=tuple(warnings),
    )
