"""Which fields a correction may set or add on each kind of row, and how rows are keyed.

Data, not code paths: the YAML edge (load/corrections.py) validates values by `kind`, and
the applier (apply.py) sets `attr` (and `precision` for a date) on the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias

from transform.records import (
    AdverseEvent,
    Assessment,
    ClinicalEvent,
    DrugExposure,
    LesionMeasurement,
    Line,
)
from transform.types import (
    EVENT_KINDS,
    RESPONSES,
    SETTINGS,
    CorrectionRow,
)

FieldKind: TypeAlias = Literal["date", "text", "int", "number", "flag"]

UNDATED = "undated"
"""A key's value for a row with no date."""
DRUG_SEPARATOR = "+"
"""Joins a line's sorted drugs in its key: 'capecitabine+rivoceranib'."""
SEXES = ("female", "male")


@dataclass(frozen=True)
class FieldSpec:
    attr: str
    """The record's attribute the field sets."""
    kind: FieldKind
    precision: str | None = None
    """For a date: the record's attribute holding its precision, if it has one."""
    accepted: tuple[str, ...] = ()
    """For text: the only values allowed (empty: any)."""
    required: bool = False
    """Needed to add a row of this kind."""


FIELDS: dict[CorrectionRow, dict[str, FieldSpec]] = {
    "document": {},
    "case": {
        "age": FieldSpec("age", "int"),
        "sex": FieldSpec("sex", "text", accepted=SEXES),
        "primary_site": FieldSpec("primary_site", "text"),
        "histology": FieldSpec("histology", "text"),
        "grade": FieldSpec("grade", "text"),
        "diagnosis_date": FieldSpec("diagnosis_date", "date", "diagnosis_precision"),
        "death_date": FieldSpec("death_date", "date", "death_precision"),
    },
    "line": {
        # Not attributes of a record: the applier turns each into edits of the line's
        # exposures and progression events (apply.py, `_set_line`).
        "start": FieldSpec("start", "date"),
        "end": FieldSpec("end", "date"),
        "progression": FieldSpec("progression", "date"),
    },
    "exposure": {
        "drug": FieldSpec("drug", "text", required=True),
        "start": FieldSpec("start_date", "date", "start_precision"),
        "end": FieldSpec("end_date", "date", "end_precision"),
        "dose_amount": FieldSpec("dose_amount", "number"),
        "dose_unit": FieldSpec("dose_unit", "text"),
        "schedule": FieldSpec("schedule", "text"),
        "route": FieldSpec("route", "text"),
        "cycles": FieldSpec("cycles", "int"),
        "maintenance": FieldSpec("maintenance", "flag"),
        "setting": FieldSpec("setting_hint", "text", accepted=SETTINGS),
    },
    "assessment": {
        "date": FieldSpec("assessed_on", "date"),
        "response": FieldSpec("response", "text", accepted=RESPONSES, required=True),
        "best": FieldSpec("best", "flag"),
        "modality": FieldSpec("modality", "text"),
    },
    "adverse_event": {
        "event": FieldSpec("event", "text", required=True),
        "grade": FieldSpec("grade", "int"),
        "drug": FieldSpec("drug", "text"),
        "onset": FieldSpec("onset_date", "date"),
        "action": FieldSpec("action", "text"),
    },
    "lesion": {
        "date": FieldSpec("measured_on", "date"),
        "site": FieldSpec("site", "text"),
        "dim1_cm": FieldSpec("dim1_cm", "number", required=True),
        "dim2_cm": FieldSpec("dim2_cm", "number"),
        "lymph_node": FieldSpec("lymph_node", "flag"),
    },
    "event": {
        "kind": FieldSpec("kind", "text", accepted=EVENT_KINDS, required=True),
        "date": FieldSpec("event_date", "date", "precision"),
        "detail": FieldSpec("detail", "text"),
    },
}
"""Field name in a corrections file -> what it sets, per kind of row."""

KEY_FIELDS: dict[CorrectionRow, tuple[str, ...]] = {
    "document": (),
    "case": (),
    "line": ("line", "drugs", "start"),
    "exposure": ("drug", "start"),
    "assessment": ("date", "response"),
    "adverse_event": ("event", "onset"),
    "lesion": ("site", "date", "dim1_cm"),
    "event": ("kind", "date"),
}
"""The fields a target may name to pick its row (besides the case). A line is known by its
number and drugs, never by its number alone: a line 2 with other drugs is another line."""

REQUIRED_KEYS: dict[CorrectionRow, tuple[str, ...]] = {
    "line": ("line",),
    "exposure": ("drug",),
    "assessment": (),
    "adverse_event": ("event",),
    "lesion": (),
    "event": ("kind",),
}

ADDABLE: tuple[CorrectionRow, ...] = ("exposure", "assessment", "adverse_event", "lesion", "event")


def key_date(day: date | None) -> str:
    return day.isoformat() if day is not None else UNDATED


def number_text(value: float) -> str:
    return f"{value:g}"


def line_key(line: Line) -> dict[str, str]:
    return {
        "line": str(line.line_no),
        "drugs": DRUG_SEPARATOR.join(sorted(line.drugs)),
        "start": key_date(line.start_date),
    }


def exposure_key(x: DrugExposure) -> dict[str, str]:
    return {"drug": x.drug, "start": key_date(x.start_date)}


def assessment_key(a: Assessment) -> dict[str, str]:
    return {"date": key_date(a.assessed_on), "response": a.response}


def adverse_event_key(a: AdverseEvent) -> dict[str, str]:
    return {"event": a.event.lower(), "onset": key_date(a.onset_date)}


def lesion_key(x: LesionMeasurement) -> dict[str, str]:
    return {
        "site": (x.site or "").lower(),
        "date": key_date(x.measured_on),
        "dim1_cm": number_text(x.dim1_cm),
    }


def event_key(e: ClinicalEvent) -> dict[str, str]:
    return {"kind": e.kind, "date": key_date(e.event_date)}


def matches(key: tuple[tuple[str, str], ...], fields: dict[str, str]) -> bool:
    """Every field the target names has the row's value (text compared case-blind)."""
    return all(fields.get(name, "").lower() == value.lower() for name, value in key)
