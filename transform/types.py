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

FindingKind: TypeAlias = Literal[
    "pfs_mismatch",
    "response_mismatch",
    "dates_out_of_order",
    "line_end_before_start",
    "named_not_given",
]
FINDING_KINDS: tuple[str, ...] = FindingKind.__args__  # type: ignore[attr-defined]


Disposition: TypeAlias = Literal["given", "not_given"]
DISPOSITIONS: tuple[Disposition, ...] = ("given", "not_given")

DispositionReason: TypeAlias = Literal[
    "exposure",
    "same_drug_given",
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

RADIATION_UNITS = frozenset({"Gy", "cGy"})
"""Absorbed radiation dose (SI gray, centigray): the dose of a radiotherapy, never a drug's."""
_FRACTIONS = re.compile(r"\b(?:fractions?|fx)\b", re.I)


def is_radiation_unit(unit: str | None) -> bool:
    """'Gy', 'cGy' (also with a per-unit: 'Gy/fraction'): a radiotherapy dose."""
    return unit is not None and unit.split("/")[0] in RADIATION_UNITS


def is_fractions(schedule: str | None) -> bool:
    """'in 25 fractions', 'over 5 fx': the fractionation of a radiotherapy course."""
    return schedule is not None and _FRACTIONS.search(schedule) is not None
