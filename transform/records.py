"""Records of the transform stage: mentions, dated clinical events, lines, findings.

Everything after `mentions.py` is plain Python over these frozen records, so the line,
PFS, RECIST and audit rules are tested without spaCy, Prefect or a database. They pickle
cleanly, so an `Extraction` can cross a process boundary or be cached by the PDF's hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from extract.records import DocumentMeta
from transform.types import (
    BiomarkerStatus,
    BiomarkerValueType,
    CorrectionAction,
    CorrectionRow,
    CorrectionStatus,
    DatePrecision,
    Disposition,
    DispositionReason,
    DrugRole,
    EventKind,
    FindingKind,
    MentionKind,
    PfsEvent,
    Response,
    Setting,
)


@dataclass(frozen=True)
class Provenance:
    """Where a fact came from: the page and the sentence, so a researcher can check it."""

    page: int
    sentence: str
    char_start: int = 0
    char_end: int = 0
    """Offsets of the supporting text inside `sentence`."""
    order: int = 0
    """Position of the sentence in the document's reading order (for 'the line it closes')."""


# --- normalised values carried by mentions --------------------------------------------


@dataclass(frozen=True)
class DrugValue:
    drug: str
    """Canonical lower-case DrugBank name ('rivoceranib' for apatinib)."""
    drug_id: str | None = None
    """DrugBank accession (DB...), where known."""
    drug_class: str | None = None


@dataclass(frozen=True)
class RegimenValue:
    regimen: str
    """The abbreviation or name as printed ('TH', 'FOLFOX')."""
    drugs: tuple[str, ...]
    """Canonical names of its drugs."""
    source: str = "builtin"
    """'article' when the article defines it, 'builtin' from the shipped table."""


@dataclass(frozen=True)
class DoseValue:
    amount: float | None
    unit: str | None
    """'mg', 'g', 'mg/m2', 'mg/kg', 'AUC', 'ug', 'IU', ..."""
    schedule: str | None = None
    """As printed, normalised spacing: 'qd', 'bid', 'd1,8', 'd1-14', 'q3w', 'CIV 48 h'."""
    route: str | None = None
    drug: str | None = None
    """Canonical name of the drug the dose is attached to, if any."""
    amount_max: float | None = None
    """Upper end of a printed range ('2-4 mg/day': amount 2, amount_max 4)."""


@dataclass(frozen=True)
class DateValue:
    value: date
    precision: DatePrecision
    end: date | None = None
    """For a range ('from May 24, 2016, to November 30, 2016'): its end."""
    end_precision: DatePrecision | None = None
    relative: bool = False
    """True when resolved from a relative expression against an anchor date."""
    reading: str | None = None
    """For an all-numeric date whose day and month could swap ('02/08/2011'): 'dmy' or 'mdy'
    as read; 'dmy?'/'mdy?' when nothing in the document settles it and the reading that
    keeps the story's numeric dates in order was chosen (transform.mentions.dates)."""


@dataclass(frozen=True)
class DurationValue:
    amount: float
    unit: str
    """'day', 'week', 'month', 'year', 'cycle'."""


@dataclass(frozen=True)
class ResponseValue:
    response: Response
    best: bool = False
    """The text says this is the best response."""
    modality: str | None = None


@dataclass(frozen=True)
class PfsValue:
    months: float


@dataclass(frozen=True)
class AdverseEventValue:
    event: str
    grade: int | None = None
    """CTCAE v5.0 grade 1-5."""


@dataclass(frozen=True)
class LesionValue:
    site: str | None
    dim1_cm: float
    dim2_cm: float | None = None
    figure: str | None = None
    panel: str | None = None


@dataclass(frozen=True)
class BiomarkerValue:
    marker: str
    """'ER', 'PR', 'HER2', 'Ki-67', 'EGFR', ..."""
    status: str | None = None
    """'positive', 'negative', '3+', '30%', ..."""
    method: str | None = None
    """'IHC', 'FISH', ..."""


@dataclass(frozen=True)
class TextValue:
    """A value that is just a normalised label (procedure, trial, modality, age/sex...)."""

    label: str
    number: float | None = None


MentionValue = (
    DrugValue
    | RegimenValue
    | DoseValue
    | DateValue
    | DurationValue
    | ResponseValue
    | PfsValue
    | AdverseEventValue
    | LesionValue
    | BiomarkerValue
    | TextValue
)


@dataclass(frozen=True)
class Mention:
    """Something the patterns found in the text, with its evidence."""

    kind: MentionKind
    text: str
    value: MentionValue
    prov: Provenance
    case_id: int | None = None
    section: str | None = None
    negated: bool = False
    uncertain: bool = False


# --- events of one case ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseInfo:
    case_id: int
    age: int | None = None
    sex: str | None = None
    """'female' or 'male'."""
    primary_site: str | None = None
    histology: str | None = None
    grade: str | None = None
    diagnosis_date: date | None = None
    diagnosis_precision: DatePrecision | None = None
    death_date: date | None = None
    death_precision: DatePrecision | None = None
    prov: Provenance | None = None
    cancer_order: int = 0
    """Story position of the first sentence that names the report's cancer (a histology or
    cancer word; caseinfo.story_points); 0 when none does."""
    other_condition_order: int = 0
    """Story position of the first sentence before `cancer_order` that tells the diagnosis or
    history of another condition ('a diagnosis of essential thrombocythemia'); 0: none."""
    curated: str | None = None
    """Why a researcher's correction changed or added this row (docs/corrections.md); None:
    as the pipeline found it."""
    stage: str | None = None
    """The stage as first printed ('pT2N0M0 IIA', 'IV', 'extensive-stage')."""
    cancer_type: str | None = None
    """Normalised from site and histology (transform/events/cancer_types.tsv)."""
    advanced_onset_date: date | None = None
    """When the disease became advanced: the onset the line rules start line 1 at (filled by
    transform/assemble.py from transform/timeline/lines.py)."""
    advanced_onset_precision: DatePrecision | None = None
    malignancy: Provenance | None = None
    """The sentence that first states the patient's malignant neoplasm (caseinfo.malignancy);
    None: the case tells no cancer, so it gives no patient and no timeline."""


@dataclass(frozen=True)
class DrugExposure:
    """A drug given in one treatment episode (drugs started together), with its dose."""

    case_id: int
    episode: int
    """Treatment episode in the order of the story; drugs started together share it."""
    drug: str
    drug_as_printed: str
    prov: Provenance
    drug_id: str | None = None
    drug_class: str | None = None
    regimen: str | None = None
    """The regimen label as printed ('TH', 'NVB + BIBW2992'), if any."""
    start_date: date | None = None
    start_precision: DatePrecision | None = None
    end_date: date | None = None
    end_precision: DatePrecision | None = None
    dose_amount: float | None = None
    dose_unit: str | None = None
    schedule: str | None = None
    route: str | None = None
    cycles: int | None = None
    setting_hint: Setting | None = None
    """What the text says of the setting ('adjuvant', 'neoadjuvant'), if it says."""
    maintenance: bool = False
    """The text calls this drug maintenance."""
    after_progression: bool = False
    """The text says this drug was started because of progression."""
    setting: Setting | None = None
    """Filled by the line rules."""
    line_no: int | None = None
    """Filled by the line rules (metastatic lines only)."""
    role: DrugRole | None = None
    """Filled by the line rules (transform/timeline/roles.py): 'antineoplastic' drugs make
    lines; 'supportive' and 'other' ones never do."""
    curated: str | None = None
    """Why a researcher's correction changed or added this row (docs/corrections.md); None:
    as the pipeline found it."""


@dataclass(frozen=True)
class ClinicalEvent:
    case_id: int
    kind: EventKind
    event_date: date | None
    prov: Provenance
    precision: DatePrecision | None = None
    detail: str | None = None
    curated: str | None = None


@dataclass(frozen=True)
class Assessment:
    case_id: int
    assessed_on: date | None
    response: Response
    prov: Provenance
    modality: str | None = None
    best: bool = False
    line_no: int | None = None
    curated: str | None = None


@dataclass(frozen=True)
class ReportedPfs:
    """A PFS figure printed in the text, with the date the sentence says it ran to."""

    case_id: int
    months: float
    prov: Provenance
    end_date: date | None = None
    start_date: date | None = None


@dataclass(frozen=True)
class AdverseEvent:
    case_id: int
    event: str
    prov: Provenance
    grade: int | None = None
    drug: str | None = None
    onset_date: date | None = None
    action: str | None = None
    line_no: int | None = None
    curated: str | None = None


@dataclass(frozen=True)
class LesionMeasurement:
    case_id: int
    measured_on: date | None
    site: str | None
    dim1_cm: float
    prov: Provenance
    dim2_cm: float | None = None
    lymph_node: bool = False
    figure: str | None = None
    panel: str | None = None
    curated: str | None = None


@dataclass(frozen=True)
class Biomarker:
    """One biomarker result of a patient at one time, read by the rules of docs/rules.md."""

    case_id: int
    marker: str
    """Normalised name (transform/events/biomarker_names.tsv): HER2, ER, PR, Ki-67, EGFR..."""
    result: str
    """The result as printed (the mention's text)."""
    prov: Provenance
    method: str | None = None
    status: BiomarkerStatus | None = None
    value: float | None = None
    value_type: BiomarkerValueType | None = None
    variant: str | None = None
    """'exon 19 deletion', 'L858R', 'G12C', 'EML4-ALK fusion'."""
    specimen: str | None = None
    """'primary', a metastatic site ('liver'), or 'biopsy'."""
    test_date: date | None = None
    test_precision: DatePrecision | None = None
    negated: bool = False


@dataclass(frozen=True)
class CaseEvents:
    """Everything dated that the text tells about one patient: the input of the line rules."""

    info: CaseInfo
    exposures: tuple[DrugExposure, ...] = ()
    events: tuple[ClinicalEvent, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    reported_pfs: tuple[ReportedPfs, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    lesions: tuple[LesionMeasurement, ...] = ()
    biomarkers: tuple[Biomarker, ...] = ()


# --- derived ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A line of therapy in the metastatic setting."""

    case_id: int
    line_no: int
    drugs: tuple[str, ...]
    """Sorted canonical names."""
    start_date: date | None
    prov: Provenance
    regimen: str | None = None
    start_precision: DatePrecision | None = None
    end_date: date | None = None
    end_precision: DatePrecision | None = None
    best_response: Response | None = None
    pfs_event: PfsEvent | None = None
    pfs_event_date: date | None = None
    pfs_months_reported: float | None = None
    pfs_months: float | None = None
    pfs_consistent: bool | None = None
    pfs_reported_prov: Provenance | None = None
    """The sentence that printed `pfs_months_reported` (the audit's evidence for a mismatch)."""
    curated: str | None = None


@dataclass(frozen=True)
class Abbreviation:
    short: str
    drugs: tuple[str, ...]
    """Canonical names the abbreviation stands for."""
    expansion: str
    """As printed."""
    source: str
    """'article' or 'builtin'."""
    prov: Provenance | None = None


@dataclass(frozen=True)
class Finding:
    """An inconsistency of the article with itself, found by the audit."""

    case_id: int | None
    kind: FindingKind
    message: str
    prov: Provenance | None = None
    line_no: int | None = None
    reported: str | None = None
    computed: str | None = None


@dataclass(frozen=True)
class DrugMentionDisposition:
    """What became of one drug named in the case presentation: an exposure, or why not.

    A regimen mention gives one per drug it stands for. Computed after the line rules
    (transform/timeline/dispositions.py), so the role is the exposure's when given."""

    case_id: int
    mention_no: int
    """1-based position of the mention in `Extraction.mentions` (mentions.mention_no)."""
    drug: str
    drug_as_printed: str
    role: DrugRole
    disposition: Disposition
    reason: DispositionReason
    prov: Provenance
    exposure_no: int | None = None
    """1-based position in `Extraction.exposures` (drug_exposures.exposure_no) when given."""


@dataclass(frozen=True)
class CuratedDate:
    """A date a researcher gave, with its precision ('2015-03' is March 2015: month)."""

    value: date
    precision: DatePrecision


CuratedValue = str | int | float | bool | CuratedDate | None
"""The value of one field of a correction, typed at the edge (load/corrections.py)."""


@dataclass(frozen=True)
class CorrectionTarget:
    """The row a correction is about, by a key that survives re-extraction (docs/corrections.md).

    `key` holds (field, value as text) pairs compared with the same fields of the rows the
    pipeline found (`transform.curation.keys`): every pair must match; 'undated' stands for
    no date. A line is keyed by its number and its drugs, an exposure by drug and start.
    """

    row: CorrectionRow
    case_id: int | None = None
    key: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Correction:
    """One decision of a researcher: set fields of a row, remove it, or add one."""

    action: CorrectionAction
    target: CorrectionTarget
    why: str
    by: str
    made_on: date
    values: tuple[tuple[str, CuratedValue], ...] = ()
    """For 'set' the fields to change, for 'add' the fields of the new row."""
    number: int = 0
    """Position in its document's corrections file (1-based)."""
    source: str = ""
    """'file:line' of the correction, for messages."""


@dataclass(frozen=True)
class CorrectionOutcome:
    """What became of one correction (one row per field set): applied, or stale and why."""

    correction: Correction
    status: CorrectionStatus
    target: str
    """The row, in words: 'case 1 line 2 (rivoceranib)'."""
    field: str | None = None
    machine_value: str | None = None
    curated_value: str | None = None
    reason: str | None = None
    """Why a stale correction was not applied."""


@dataclass(frozen=True)
class Extraction:
    """All the transform stage learnt from one document: what the loader writes."""

    doc_id: str
    path: str
    meta: DocumentMeta
    cases: tuple[CaseInfo, ...] = ()
    exposures: tuple[DrugExposure, ...] = ()
    lines: tuple[Line, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    lesions: tuple[LesionMeasurement, ...] = ()
    adverse_events: tuple[AdverseEvent, ...] = ()
    events: tuple[ClinicalEvent, ...] = ()
    mentions: tuple[Mention, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()
    findings: tuple[Finding, ...] = ()
    dispositions: tuple[DrugMentionDisposition, ...] = ()
    biomarkers: tuple[Biomarker, ...] = ()
    pfs_month_days: float = 30.4375
    warnings: tuple[str, ...] = field(default=())
    machine_cases: tuple[CaseEvents, ...] = ()
    """The oncology cases' events as the pipeline found them, before any correction: what
    corrections are applied to again (`caselines apply-corrections`, the next ingest)."""
    corrections: tuple[CorrectionOutcome, ...] = ()

    @property
    def n_cases(self) -> int:
        return len(self.cases)
