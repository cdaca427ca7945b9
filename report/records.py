"""Rows of the warehouse as the report reads them: one frozen dataclass per table.

The report never passes DuckDB rows or dicts around: `read.py` turns every row into one of
these records, and the page builders work on them alone. Field names are the column names,
so the reader can select exactly the fields each record declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    path: str
    title: str | None
    doi: str | None
    journal: str | None
    year: int | None
    n_pages: int
    n_cases: int
    pfs_month_days: float
    pipeline_version: str
    ingested_at: datetime
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class CaseRow:
    doc_id: str
    case_id: int
    age: int | None
    sex: str | None
    primary_site: str | None
    histology: str | None
    grade: str | None
    diagnosis_date: date | None
    death_date: date | None
    page: int | None
    evidence: str | None


@dataclass(frozen=True)
class LineRow:
    doc_id: str
    case_id: int
    line_no: int
    regimen: str | None
    drugs: tuple[str, ...]
    start_date: date | None
    end_date: date | None
    best_response: str | None
    pfs_event: str | None
    pfs_event_date: date | None
    pfs_months_reported: float | None
    pfs_months: float | None
    pfs_consistent: bool | None
    page: int | None
    evidence: str | None
    curated: str | None = None
    """Why a researcher's correction changed the line (docs/corrections.md); None: machine."""


@dataclass(frozen=True)
class ExposureRow:
    doc_id: str
    case_id: int
    exposure_no: int
    setting: str | None
    line_no: int | None
    regimen: str | None
    drug: str
    drug_as_printed: str
    drug_class: str | None
    dose_amount: float | None
    dose_unit: str | None
    schedule: str | None
    route: str | None
    start_date: date | None
    end_date: date | None
    cycles: int | None
    maintenance: bool
    page: int
    evidence: str
    curated: str | None = None


@dataclass(frozen=True)
class AssessmentRow:
    doc_id: str
    case_id: int
    line_no: int | None
    assessed_on: date | None
    modality: str | None
    response: str
    page: int
    evidence: str


@dataclass(frozen=True)
class LesionRow:
    doc_id: str
    case_id: int
    measured_on: date | None
    site: str | None
    dim1_cm: float
    dim2_cm: float | None
    lymph_node: bool
    figure: str | None
    panel: str | None
    page: int
    evidence: str


@dataclass(frozen=True)
class AdverseEventRow:
    doc_id: str
    case_id: int
    line_no: int | None
    event: str
    grade: int | None
    drug: str | None
    onset_date: date | None
    action: str | None
    page: int
    evidence: str


@dataclass(frozen=True)
class EventRow:
    doc_id: str
    case_id: int
    event_date: date | None
    kind: str
    detail: str | None
    page: int
    evidence: str


@dataclass(frozen=True)
class AuditRow:
    doc_id: str
    case_id: int | None
    line_no: int | None
    kind: str
    message: str
    reported: str | None
    computed: str | None
    page: int | None
    evidence: str | None


@dataclass(frozen=True)
class AbbreviationRow:
    doc_id: str
    abbreviation: str
    drugs: tuple[str, ...]
    expansion: str
    source: str
    page: int | None
    evidence: str | None


@dataclass(frozen=True)
class PatientLineRow:
    """A row of the `patient_lines` view: one patient and line, the cohort table's row."""

    doc_id: str
    case_id: int
    title: str | None
    doi: str | None
    age: int | None
    sex: str | None
    primary_site: str | None
    histology: str | None
    line_no: int
    regimen: str | None
    drugs: tuple[str, ...]
    drug_classes: tuple[str, ...]
    start_date: date | None
    start_date_precision: str | None
    end_date: date | None
    end_date_precision: str | None
    pfs_months: float | None
    pfs_months_reported: float | None
    pfs_event: str | None
    pfs_event_date: date | None
    censored_on: date | None
    censor_basis: str | None
    best_response: str | None
    page: int | None
    evidence: str | None


@dataclass(frozen=True)
class SurvivalRow:
    """A row of the `pfs_survival` view: one line's PFS time and whether it ended in an event."""

    doc_id: str
    case_id: int
    line_no: int
    drug_classes: tuple[str, ...]
    start_date: date | None
    pfs_end_date: date | None
    months: float | None
    event: int


@dataclass(frozen=True)
class SequenceRow:
    """A row of the `line_sequences` view: one patient's lines in order."""

    doc_id: str
    case_id: int
    n_lines: int
    regimens: tuple[str, ...]
    drug_classes: tuple[str, ...]
    class_sequence: str
