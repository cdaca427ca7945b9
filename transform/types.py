"""Type aliases and accepted values of the transform stage, kept in one place.

The accepted-value tuples are the same lists the warehouse schema checks
(warehouse/schema/*.sql) and the contract tests assert.
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias

DatePrecision: TypeAlias = Literal["day", "month", "year"]
DATE_PRECISIONS: tuple[DatePrecision, ...] = ("day", "month", "year")

Response: TypeAlias = Literal["CR", "PR", "SD", "PD"]
RESPONSES: tuple[Response, ...] = ("CR", "PR", "SD", "PD")
"""Ordered best first (RECIST 1.1: complete, partial response, stable, progressive disease)."""

Setting: TypeAlias = Literal["adjuvant", "neoadjuvant", "metastatic"]
SETTINGS: tuple[Setting, ...] = ("adjuvant", "neoadjuvant", "metastatic")

DrugRole: TypeAlias = Literal["antineoplastic", "supportive", "other"]
DRUG_ROLES: tuple[DrugRole, ...] = ("antineoplastic", "supportive", "other")
"""What an exposure is to the line rules (transform/timeline/roles.py): only antineoplastic
drugs (WHO ATC L01/L02 and the listed others) make lines."""

PfsEvent: TypeAlias = Literal["progression", "death"]
PFS_EVENTS: tuple[PfsEvent, ...] = ("progression", "death")

MentionKind: TypeAlias = Literal[
    "drug",
    "regimen",
    "dose",
    "date",
    "duration",
    "response",
    "pfs",
    "adverse_event",
    "lesion",
    "biomarker",
    "procedure",
    "cycles",
    "trial",
    "progression",
    "death",
    "age_sex",
    "modality",
    "drug_class",
]
MENTION_KINDS: tuple[str, ...] = MentionKind.__args__  # type: ignore[attr-defined]

EventKind: TypeAlias = Literal[
    "diagnosis",
    "surgery",
    "radiotherapy",
    "imaging",
    "pathology",
    "metastasis",
    "recurrence",
    "progression",
    "death",
    "dose_change",
    "treatment_stop",
]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]

BiomarkerStatus: TypeAlias = Literal[
    "positive",
    "negative",
    "equivocal",
    "amplified",
    "not amplified",
    "mutated",
    "wild-type",
    "high",
    "low",
    "deficient",
    "proficient",
]
BIOMARKER_STATUSES: tuple[str, ...] = BiomarkerStatus.__args__  # type: ignore[attr-defined]
"""A biomarker result as the rules read it (docs/rules.md, Biomarkers): HER2 by ASCO/CAP
2018, ER/PR by ASCO/CAP 2020 ('low' is 1-10% of cells), gene tests as mutated/wild-type,
MMR as deficient/proficient."""

BiomarkerValueType: TypeAlias = Literal["percent", "ihc_score", "ratio", "tps", "cps"]
BIOMARKER_VALUE_TYPES: tuple[str, ...] = BiomarkerValueType.__args__  # type: ignore[attr-defined]
"""What `biomarkers.value` measures: a percent of stained cells, an IHC score 0-3, an ISH
ratio (HER2/CEP17), a PD-L1 tumour proportion score (%) or combined positive score."""

FindingKind: TypeAlias = Literal[
    "pfs_mismatch",
    "response_mismatch",
    "dates_out_of_order",
    "line_end_before_start",
    "named_not_given",
    "implausible_dose",
]
FINDING_KINDS: tuple[str, ...] = FindingKind.__args__  # type: ignore[attr-defined]


Disposition: TypeAlias = Literal["given", "not_given"]
DISPOSITIONS: tuple[Disposition, ...] = ("given", "not_given")

DispositionReason: TypeAlias = Literal[
    "exposure",
    "same_drug_given",
    "same_class_given",
    "case_without_cancer",
    "caption",
    "negated",
    "prior_history",
    "named_as_cause",
    "hypothetical",
    "trial_arm",
    "unknown_regimen",
    "general_statement",
    "stopped",
    "no_start_told",
    "unexplained",
]
DISPOSITION_REASONS: tuple[str, ...] = DispositionReason.__args__  # type: ignore[attr-defined]
"""Why a drug mention of the case presentation is or is not an exposure
(transform/timeline/dispositions.py; docs/warehouse.md, drug_mention_dispositions)."""
UNEXPLAINED_REASONS: frozenset[str] = frozenset({"stopped", "no_start_told", "unexplained"})
"""Reasons that are the pipeline's misses, not the text's: a drug told only as stopped was
given, and one named with no treatment word of its own is one the rules did not read."""
CorrectionRow: TypeAlias = Literal[
    "document", "case", "line", "exposure", "assessment", "adverse_event", "lesion", "event"
]
CORRECTION_ROWS: tuple[str, ...] = CorrectionRow.__args__  # type: ignore[attr-defined]
"""What a researcher's correction targets (docs/corrections.md)."""

CorrectionAction: TypeAlias = Literal["set", "remove", "add"]
CORRECTION_ACTIONS: tuple[str, ...] = CorrectionAction.__args__  # type: ignore[attr-defined]

CorrectionStatus: TypeAlias = Literal["applied", "stale"]
CORRECTION_STATUSES: tuple[str, ...] = CorrectionStatus.__args__  # type: ignore[attr-defined]
"""'stale': the correction's target is no longer in what the pipeline found; kept, not applied."""


RADIATION_UNITS = frozenset({"Gy", "cGy"})
"""Absorbed radiation dose (SI gray, centigray): the dose of a radiotherapy, never a drug's."""
_FRACTIONS = re.compile(r"\b(?:fractions?|fx)\b", re.I)


def is_radiation_unit(unit: str | None) -> bool:
    """'Gy', 'cGy' (also with a per-unit: 'Gy/fraction'): a radiotherapy dose."""
    return unit is not None and unit.split("/")[0] in RADIATION_UNITS


def is_fractions(schedule: str | None) -> bool:
    """'in 25 fractions', 'over 5 fx': the fractionation of a radiotherapy course."""
    return schedule is not None and _FRACTIONS.search(schedule) is not None
