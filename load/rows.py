"""Flatten an Extraction into the warehouse's tables: per table, its columns and row tuples.

Column order follows warehouse/schema/*.sql; every fact row carries doc_id, case_id and its
provenance (page, evidence) as docs/warehouse.md describes. Rows stay plain tuples here, not
DataFrames: the writer appends a whole batch of documents per table at once (load.writer), and
one DataFrame per table and document cost more than the rows themselves.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from transform.records import CaseEvents, Extraction, Mention, Provenance


@dataclass(frozen=True)
class TableRows:
    """One table's rows of one document (or, concatenated, of a batch), in column order."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


Tables = dict[str, TableRows]
"""Table name -> its rows."""

FACT_TABLES: tuple[str, ...] = (
    "cases",
    "drug_exposures",
    "lines_of_therapy",
    "assessments",
    "lesion_measurements",
    "adverse_events",
    "events",
    "mentions",
    "abbreviations",
    "audit_findings",
    "drug_mention_dispositions",
    "corrections_applied",
    "machine_events",
    "biomarkers",
)
"""Tables whose rows belong to one document and are replaced with it."""


def _page(prov: Provenance | None) -> int | None:
    return prov.page if prov is not None else None


def _evidence(prov: Provenance | None) -> str | None:
    return prov.sentence if prov is not None else None


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass's fields by name, one level deep: json.dumps walks the rest (and calls
    _json_default on a nested record), which is what dataclasses.asdict gives at a fraction
    of its cost (asdict deep-copies every value; it was a third of the writer's time)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def _json_default(value: object) -> str | dict[str, Any]:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def mention_value_json(mention: Mention) -> str:
    """The mention's normalised value as JSON, with its value type named."""
    payload: dict[str, Any] = {"type": type(mention.value).__name__}
    payload.update(_fields(mention.value))
    return json.dumps(payload, default=_json_default, ensure_ascii=False)


def _frame(columns: Sequence[str], rows: list[tuple[Any, ...]]) -> TableRows:
    return TableRows(tuple(columns), rows)


def _build(
    ext: Extraction,
    columns: Sequence[str],
    items: Sequence[Any],
    row: Callable[[Any], tuple[Any, ...]],
) -> TableRows:
    return _frame(columns, [(ext.doc_id, *row(item)) for item in items])


def document_rows(ext: Extraction, pipeline_version: str, ingested_at: datetime) -> TableRows:
    m = ext.meta
    return _frame(
        (
            "doc_id",
            "path",
            "title",
            "doi",
            "journal",
            "year",
            "volume",
            "issue",
            "pages",
            "n_pages",
            "n_cases",
            "pfs_month_days",
            "pipeline_version",
            "ingested_at",
            "warnings",
        ),
        [
            (
                ext.doc_id,
                ext.path,
                m.title,
                m.doi,
                m.journal,
                m.year,
                m.volume,
                m.issue,
                m.pages,
                m.n_pages,
                ext.n_cases,
                ext.pfs_month_days,
                pipeline_version,
                ingested_at,
                list(ext.warnings),
            )
        ],
    )


def fact_rows(ext: Extraction) -> Tables:
    """The rows of every fact table (FACT_TABLES), columns in schema order."""
    frames: Tables = {}
    frames["cases"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "age",
            "sex",
            "primary_site",
            "histology",
            "grade",
            "diagnosis_date",
            "diagnosis_date_precision",
            "death_date",
            "death_date_precision",
            "stage",
            "cancer_type",
            "advanced_onset_date",
            "advanced_onset_date_precision",
            "page",
            "evidence",
            "curated",
        ),
        ext.cases,
        lambda c: (
            c.case_id,
            c.age,
            c.sex,
            c.primary_site,
            c.histology,
            c.grade,
            c.diagnosis_date,
            c.diagnosis_precision,
            c.death_date,
            c.death_precision,
            c.stage,
            c.cancer_type,
            c.advanced_onset_date,
            c.advanced_onset_precision,
            _page(c.prov),
            _evidence(c.prov),
            c.curated,
        ),
    )
    frames["drug_exposures"] = _frame(
        (
            "doc_id",
            "case_id",
            "exposure_no",
            "episode",
            "setting",
            "line_no",
            "regimen",
            "drug",
            "drug_id",
            "drug_as_printed",
            "drug_class",
            "dose_amount",
            "dose_unit",
            "schedule",
            "route",
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
            "cycles",
            "maintenance",
            "role",
            "page",
            "evidence",
            "curated",
        ),
        [
            (
                ext.doc_id,
                x.case_id,
                n,
                x.episode,
                x.setting,
                x.line_no,
                x.regimen,
                x.drug,
                x.drug_id,
                x.drug_as_printed,
                x.drug_class,
                x.dose_amount,
                x.dose_unit,
                x.schedule,
                x.route,
                x.start_date,
                x.start_precision,
                x.end_date,
                x.end_precision,
                x.cycles,
                x.maintenance,
                x.role,
                x.prov.page,
                x.prov.sentence,
                x.curated,
            )
            for n, x in enumerate(ext.exposures, start=1)
        ],
    )
    frames["lines_of_therapy"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "line_no",
            "regimen",
            "drugs",
            "start_date",
            "start_date_precision",
            "end_date",
            "end_date_precision",
            "best_response",
            "pfs_event",
            "pfs_event_date",
            "pfs_months_reported",
            "pfs_months",
            "pfs_consistent",
            "page",
            "evidence",
            "curated",
        ),
        ext.lines,
        lambda ln: (
            ln.case_id,
            ln.line_no,
            ln.regimen,
            sorted(ln.drugs),
            ln.start_date,
            ln.start_precision,
            ln.end_date,
            ln.end_precision,
            ln.best_response,
            ln.pfs_event,
            ln.pfs_event_date,
            ln.pfs_months_reported,
            ln.pfs_months,
            ln.pfs_consistent,
            ln.prov.page,
            ln.prov.sentence,
            ln.curated,
        ),
    )
    frames["assessments"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "line_no",
            "assessed_on",
            "modality",
            "response",
            "best",
            "page",
            "evidence",
            "curated",
        ),
        ext.assessments,
        lambda a: (
            a.case_id,
            a.line_no,
            a.assessed_on,
            a.modality,
            a.response,
            a.best,
            a.prov.page,
            a.prov.sentence,
            a.curated,
        ),
    )
    frames["lesion_measurements"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "measured_on",
            "site",
            "dim1_cm",
            "dim2_cm",
            "lymph_node",
            "figure",
            "panel",
            "page",
            "evidence",
            "curated",
        ),
        ext.lesions,
        lambda s: (
            s.case_id,
            s.measured_on,
            s.site,
            s.dim1_cm,
            s.dim2_cm,
            s.lymph_node,
            s.figure,
            s.panel,
            s.prov.page,
            s.prov.sentence,
            s.curated,
        ),
    )
    frames["adverse_events"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "line_no",
            "event",
            "grade",
            "drug",
            "onset_date",
            "action",
            "page",
            "evidence",
            "curated",
        ),
        ext.adverse_events,
        lambda e: (
            e.case_id,
            e.line_no,
            e.event,
            e.grade,
            e.drug,
            e.onset_date,
            e.action,
            e.prov.page,
            e.prov.sentence,
            e.curated,
        ),
    )
    frames["events"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "event_date",
            "event_date_precision",
            "kind",
            "detail",
            "page",
            "evidence",
            "curated",
        ),
        ext.events,
        lambda e: (
            e.case_id,
            e.event_date,
            e.precision,
            e.kind,
            e.detail,
            e.prov.page,
            e.prov.sentence,
            e.curated,
        ),
    )
    frames["mentions"] = _frame(
        (
            "doc_id",
            "mention_no",
            "case_id",
            "section",
            "kind",
            "text",
            "value",
            "negated",
            "uncertain",
            "page",
            "char_start",
            "char_end",
            "sentence",
        ),
        [
            (
                ext.doc_id,
                n,
                m.case_id,
                m.section,
                m.kind,
                m.text,
                mention_value_json(m),
                m.negated,
                m.uncertain,
                m.prov.page,
                m.prov.char_start,
                m.prov.char_end,
                m.prov.sentence,
            )
            for n, m in enumerate(ext.mentions, start=1)
        ],
    )
    frames["abbreviations"] = _build(
        ext,
        ("doc_id", "abbreviation", "drugs", "expansion", "source", "page", "evidence"),
        _unique_abbreviations(ext),
        lambda a: (a.short, list(a.drugs), a.expansion, a.source, _page(a.prov), _evidence(a.prov)),
    )
    frames["audit_findings"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "line_no",
            "kind",
            "message",
            "reported",
            "computed",
            "page",
            "evidence",
        ),
        ext.findings,
        lambda f: (
            f.case_id,
            f.line_no,
            f.kind,
            f.message,
            f.reported,
            f.computed,
            _page(f.prov),
            _evidence(f.prov),
        ),
    )
    frames["drug_mention_dispositions"] = _build(
        ext,
        (
            "doc_id",
            "case_id",
            "mention_no",
            "drug",
            "drug_as_printed",
            "role",
            "disposition",
            "reason",
            "exposure_no",
            "page",
            "evidence",
        ),
        ext.dispositions,
        lambda d: (
            d.case_id,
            d.mention_no,
            d.drug,
            d.drug_as_printed,
            d.role,
            d.disposition,
            d.reason,
            d.exposure_no,
            d.prov.page,
            d.prov.sentence,
        ),
    )
    frames["corrections_applied"] = _frame(CORRECTION_COLUMNS, correction_rows(ext))
    frames["machine_events"] = _build(
        ext,
        ("doc_id", "case_id", "events"),
        ext.machine_cases,
        lambda c: (c.info.case_id, _case_events_json().dump_json(c).decode("utf-8")),
    )
    frames["biomarkers"] = _frame(
        (
            "doc_id",
            "case_id",
            "biomarker_no",
            "marker",
            "method",
            "result",
            "status",
            "value",
            "value_type",
            "variant",
            "specimen",
            "test_date",
            "test_date_precision",
            "negated",
            "page",
            "evidence",
        ),
        [
            (
                ext.doc_id,
                b.case_id,
                number,
                b.marker,
                b.method,
                b.result,
                b.status,
                b.value,
                b.value_type,
                b.variant,
                b.specimen,
                b.test_date,
                b.test_precision,
                b.negated,
                b.prov.page,
                b.prov.sentence,
            )
            for number, b in _numbered_biomarkers(ext)
        ],
    )
    return frames


@cache
def _case_events_json() -> TypeAdapter[CaseEvents]:
    """CaseEvents <-> JSON for `machine_events`: pydantic reads the frozen dataclasses as they
    are (built on first use: it costs a moment, and most commands never need it)."""
    return TypeAdapter(CaseEvents)


CORRECTION_COLUMNS = (
    "doc_id",
    "correction_no",
    "case_id",
    "target_row",
    "target",
    "action",
    "field",
    "machine_value",
    "curated_value",
    "why",
    "made_by",
    "made_on",
    "status",
    "reason",
    "source",
)

DERIVED_TABLES: tuple[str, ...] = tuple(
    t
    for t in FACT_TABLES
    if t not in ("mentions", "abbreviations", "machine_events", "drug_mention_dispositions")
)
"""What `caselines apply-corrections` rewrites: everything derived from the machine events.
The drug-mention account needs the sentences, which only an ingest has: it stays as loaded."""


def correction_rows(ext: Extraction) -> list[tuple[Any, ...]]:
    return [
        (
            ext.doc_id,
            o.correction.number,
            o.correction.target.case_id,
            o.correction.target.row,
            o.target,
            o.correction.action,
            o.field,
            o.machine_value,
            o.curated_value,
            o.correction.why,
            o.correction.by,
            o.correction.made_on,
            o.status,
            o.reason,
            o.correction.source,
        )
        for o in ext.corrections
    ]


def machine_cases_of(payloads: Sequence[str]) -> tuple[CaseEvents, ...]:
    """The CaseEvents stored in `machine_events.events`, in the order given."""
    return tuple(_case_events_json().validate_json(p) for p in payloads)


def _numbered_biomarkers(ext: Extraction) -> list[tuple[int, Any]]:
    """(biomarker_no, result): numbered 1, 2, ... per case in story order, the order the
    case_biomarkers view reads as time."""
    counters: dict[int, int] = {}
    out: list[tuple[int, Any]] = []
    ordered = sorted(ext.biomarkers, key=lambda b: (b.case_id, b.prov.order, b.prov.char_start))
    for b in ordered:
        counters[b.case_id] = counters.get(b.case_id, 0) + 1
        out.append((counters[b.case_id], b))
    return out


def _unique_abbreviations(ext: Extraction) -> list[Any]:
    """The article's own definition wins over the built-in table (first one printed)."""
    chosen: dict[str, Any] = {}
    for abbr in sorted(ext.abbreviations, key=lambda a: a.source != "article"):
        chosen.setdefault(abbr.short, abbr)
    return list(chosen.values())
