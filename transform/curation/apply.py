"""Apply a researcher's corrections to the events of each patient, before lines are derived.

Why at the events: a corrected progression date must move the line's PFS, and a drug that
was never given must leave (or merge) the line it opened; editing the derived rows would
leave the lines, PFS and audit computed from the machine's mistake.

Corrections apply in the order of their file, each to the state the ones before it left
(the state the researcher saw when writing it). A target is found by its key
(fields.py): every row whose key fields match; a line by its number *and* drugs, against
the lines derived at that point. A target that matches nothing is stale: reported, kept in
the file, never applied to another row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from transform.curation.fields import (
    ADDABLE,
    FIELDS,
    adverse_event_key,
    assessment_key,
    event_key,
    exposure_key,
    lesion_key,
    line_key,
    matches,
)
from transform.records import (
    AdverseEvent,
    Assessment,
    CaseEvents,
    ClinicalEvent,
    Correction,
    CorrectionOutcome,
    CuratedDate,
    CuratedValue,
    DrugExposure,
    LesionMeasurement,
    Line,
    Provenance,
)
from transform.timeline.lines import DEFAULT_RULES, LineRules, derive_lines

__all__ = ["CURATED_PAGE", "Curation", "curate", "curated_lines", "describe"]

CURATED_PAGE = 0
"""The page of a row a researcher added: it was printed on no page the pipeline read."""
CLOSING_KINDS = ("progression", "recurrence")
"""Events that can close a line (transform/timeline/lines.py, `_progressions`)."""

R = TypeVar("R")


@dataclass(frozen=True)
class Curation:
    cases: tuple[CaseEvents, ...]
    outcomes: tuple[CorrectionOutcome, ...]
    not_oncology: str | None = None
    """The reason, when a correction says the document is not oncology."""


class _Stale(Exception):
    """The correction's target is not in what the pipeline found (message: why)."""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, CuratedDate):
        return value.value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _reason(existing: str | None, why: str) -> str:
    return why if not existing else f"{existing}; {why}"


def describe(corr: Correction) -> str:
    """The target in words, for tables and messages: 'case 1 line 2 (rivoceranib)'."""
    t = corr.target
    if t.row == "document":
        return "document"
    parts = [f"case {t.case_id}"]
    key = dict(t.key)
    if t.row == "line":
        parts.append(f"line {key.get('line')}")
        if "drugs" in key:
            parts.append(f"({key['drugs']})")
    elif t.row != "case":
        parts.append(t.row.replace("_", " "))
        parts.extend(f"{k}={v}" for k, v in t.key)
    if corr.action == "add":
        parts.append(f"new {t.row.replace('_', ' ')}")
    return " ".join(parts)


def _assign(record: R, row: str, values: Sequence[tuple[str, CuratedValue]], why: str) -> R:
    """The record with the fields set (a date with its precision) and marked curated."""
    changes: dict[str, Any] = {}
    for name, value in values:
        spec = FIELDS[row][name]  # type: ignore[index]
        if isinstance(value, CuratedDate):
            changes[spec.attr] = value.value
            if spec.precision:
                changes[spec.precision] = value.precision
        else:
            changes[spec.attr] = value
            if spec.kind == "date" and spec.precision:
                changes[spec.precision] = None
    changes["curated"] = _reason(getattr(record, "curated", None), why)
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def _outcomes(corr: Correction, before: Any, row: str, target: str) -> list[CorrectionOutcome]:
    return [
        CorrectionOutcome(
            corr,
            "applied",
            target,
            name,
            _text(getattr(before, FIELDS[row][name].attr, None)),  # type: ignore[index]
            _text(value),
        )
        for name, value in corr.values
    ]


_KEYS: dict[str, tuple[str, Callable[[Any], dict[str, str]]]] = {
    "exposure": ("exposures", exposure_key),
    "assessment": ("assessments", assessment_key),
    "adverse_event": ("adverse_events", adverse_event_key),
    "lesion": ("lesions", lesion_key),
    "event": ("events", event_key),
}
"""Row kind -> the CaseEvents field holding such rows, and their key."""


def _with(case: CaseEvents, attr: str, rows: tuple[Any, ...]) -> CaseEvents:
    changes: dict[str, Any] = {attr: rows}
    return dataclasses.replace(case, **changes)


def _edit_rows(case: CaseEvents, corr: Correction, target: str) -> tuple[CaseEvents, list[Any]]:
    attr, key_of = _KEYS[corr.target.row]
    rows: tuple[Any, ...] = getattr(case, attr)
    hits = [i for i, r in enumerate(rows) if matches(corr.target.key, key_of(r))]
    if not hits:
        raise _Stale(
            f"no {corr.target.row.replace('_', ' ')} of case {case.info.case_id} "
            f"has {', '.join(f'{k}={v}' for k, v in corr.target.key) or 'that key'}"
        )
    if corr.action == "remove":
        kept = tuple(r for i, r in enumerate(rows) if i not in hits)
        outcomes = [
            CorrectionOutcome(corr, "applied", target, None, _row_text(rows[i]), None) for i in hits
        ]
        return _with(case, attr, kept), outcomes
    new = list(rows)
    outcomes = []
    for i in hits:
        outcomes.extend(_outcomes(corr, rows[i], corr.target.row, target))
        new[i] = _assign(rows[i], corr.target.row, corr.values, corr.why)
    return _with(case, attr, tuple(new)), outcomes


_ROW_TYPES: dict[str, type] = {
    "exposure": DrugExposure,
    "assessment": Assessment,
    "adverse_event": AdverseEvent,
    "lesion": LesionMeasurement,
    "event": ClinicalEvent,
}


def _row_text(row: Any) -> str:
    for kind, (_attr, key_of) in _KEYS.items():
        if isinstance(row, _ROW_TYPES[kind]):
            return " ".join(f"{k}={v}" for k, v in key_of(row).items())
    return str(row)


def _added_prov(corr: Correction) -> Provenance:
    return Provenance(CURATED_PAGE, f"Added by {corr.by} on {corr.made_on}: {corr.why}")


def _add_row(case: CaseEvents, corr: Correction, target: str) -> tuple[CaseEvents, list[Any]]:
    row = corr.target.row
    if row not in ADDABLE:
        raise _Stale(f"a {row} cannot be added")
    cid = case.info.case_id
    prov = _added_prov(corr)
    values = dict(corr.values)
    blank: Any
    if row == "exposure":
        drug = str(values.get("drug", ""))
        episode = max((x.episode for x in case.exposures), default=0) + 1
        blank = DrugExposure(cid, episode, drug, drug, prov)
    elif row == "assessment":
        blank = Assessment(cid, None, "SD", prov)
    elif row == "adverse_event":
        blank = AdverseEvent(cid, "", prov)
    elif row == "lesion":
        blank = LesionMeasurement(cid, None, None, 0.0, prov)
    else:
        blank = ClinicalEvent(cid, "progression", None, prov)
    added = _assign(blank, row, corr.values, corr.why)
    attr = _KEYS[row][0]
    outcomes = [
        CorrectionOutcome(corr, "applied", target, name, None, _text(value))
        for name, value in corr.values
    ]
    return _with(case, attr, (*getattr(case, attr), added)), outcomes


def _line(case: CaseEvents, corr: Correction, rules: LineRules) -> tuple[Line, tuple[Any, ...]]:
    derived = derive_lines(case, rules)
    hits = [ln for ln in derived.lines if matches(corr.target.key, line_key(ln))]
    if not hits:
        have = (
            "; ".join(f"line {ln.line_no} ({'+'.join(ln.drugs)})" for ln in derived.lines)
            or "no lines"
        )
        raise _Stale(f"case {case.info.case_id} has no such line now ({have})")
    return hits[0], derived.exposures


def _members(line: Line, derived: Sequence[DrugExposure]) -> list[int]:
    return [i for i, x in enumerate(derived) if x.line_no == line.line_no]


def _set_exposures(
    case: CaseEvents, indices: Sequence[int], attr: str, value: CuratedDate | None, why: str
) -> CaseEvents:
    precision = attr.replace("_date", "_precision")
    new = list(case.exposures)
    for i in indices:
        changes: dict[str, Any] = {
            attr: value.value if value else None,
            precision: value.precision if value else None,
            "curated": _reason(new[i].curated, why),
        }
        new[i] = dataclasses.replace(new[i], **changes)
    return dataclasses.replace(case, exposures=tuple(new))


def _set_progression(
    case: CaseEvents, line: Line, value: CuratedDate | None, corr: Correction
) -> CaseEvents:
    """Move the progression that closed the line (every event telling it), or add one."""
    closing = [
        i
        for i, e in enumerate(case.events)
        if line.pfs_event == "progression"
        and line.pfs_event_date is not None
        and e.kind in CLOSING_KINDS
        and e.event_date == line.pfs_event_date
    ]
    events = list(case.events)
    if value is None:
        return dataclasses.replace(
            case, events=tuple(e for i, e in enumerate(events) if i not in closing)
        )
    for i in closing:
        events[i] = dataclasses.replace(
            events[i],
            event_date=value.value,
            precision=value.precision,
            curated=_reason(events[i].curated, corr.why),
        )
    if not closing:
        events.append(
            ClinicalEvent(
                case.info.case_id,
                "progression",
                value.value,
                _added_prov(corr),
                value.precision,
                curated=corr.why,
            )
        )
    return dataclasses.replace(case, events=tuple(events))


def _edit_line(
    case: CaseEvents, corr: Correction, target: str, rules: LineRules
) -> tuple[CaseEvents, list[CorrectionOutcome]]:
    """A line is derived, so its corrections are edits of what it is derived from: its
    opening exposures (start), its last ones (end), the progression that closed it."""
    line, derived = _line(case, corr, rules)
    members = _members(line, derived)
    if corr.action == "remove":
        kept = tuple(x for i, x in enumerate(case.exposures) if i not in members)
        outcome = CorrectionOutcome(corr, "applied", target, None, f"line {line.line_no}", None)
        return dataclasses.replace(case, exposures=kept), [outcome]
    outcomes: list[CorrectionOutcome] = []
    for name, value in corr.values:
        day = value if isinstance(value, CuratedDate) else None
        if name == "start":
            before = line.start_date
            own = [i for i in members if case.exposures[i].start_date == before]
            case = _set_exposures(case, own or members, "start_date", day, corr.why)
        elif name == "end":
            before = line.end_date
            last = [i for i in members if case.exposures[i].end_date in (before, None)]
            case = _set_exposures(case, last or members, "end_date", day, corr.why)
        else:
            before = line.pfs_event_date
            case = _set_progression(case, line, day, corr)
        outcomes.append(
            CorrectionOutcome(corr, "applied", target, name, _text(before), _text(value))
        )
    return case, outcomes


def _apply(
    cases: dict[int, CaseEvents], corr: Correction, rules: LineRules
) -> list[CorrectionOutcome]:
    target = describe(corr)
    row = corr.target.row
    if row == "document":
        n = len(cases)
        cases.clear()
        return [CorrectionOutcome(corr, "applied", target, None, f"{n} cases", "not oncology")]
    cid = corr.target.case_id
    if cid is None or cid not in cases:
        raise _Stale(f"no case {cid} among the oncology cases found")
    case = cases[cid]
    outcomes: list[CorrectionOutcome]
    if row == "case":
        if corr.action == "remove":
            del cases[cid]
            return [CorrectionOutcome(corr, "applied", target, None, f"case {cid}", None)]
        if corr.action == "add":
            raise _Stale("a case cannot be added")
        outcomes = _outcomes(corr, case.info, row, target)
        cases[cid] = dataclasses.replace(case, info=_assign(case.info, row, corr.values, corr.why))
        return outcomes
    if row == "line":
        if corr.action == "add":
            raise _Stale("a line cannot be added: add its exposures")
        cases[cid], outcomes = _edit_line(case, corr, target, rules)
        return outcomes
    if corr.action == "add":
        cases[cid], outcomes = _add_row(case, corr, target)
    else:
        cases[cid], outcomes = _edit_rows(case, corr, target)
    return outcomes


def curate(
    cases: Sequence[CaseEvents], corrections: Sequence[Correction], rules: LineRules = DEFAULT_RULES
) -> Curation:
    """The cases with the corrections applied in order, and what became of each one."""
    state = {c.info.case_id: c for c in cases}
    outcomes: list[CorrectionOutcome] = []
    not_oncology: str | None = None
    for corr in corrections:
        try:
            outcomes.extend(_apply(state, corr, rules))
        except _Stale as stale:
            outcomes.append(CorrectionOutcome(corr, "stale", describe(corr), reason=str(stale)))
            continue
        if corr.target.row == "document":
            not_oncology = corr.why
    return Curation(tuple(state.values()), tuple(outcomes), not_oncology)


def curated_lines(
    lines: Sequence[Line],
    exposures: Sequence[DrugExposure],
    events: Sequence[ClinicalEvent],
) -> tuple[Line, ...]:
    """Mark a line curated when a corrected exposure is in it or a corrected progression
    closed it: its dates and PFS come from the researcher's values."""
    out = []
    for line in lines:
        reasons = [
            x.curated
            for x in exposures
            if x.curated and x.case_id == line.case_id and x.line_no == line.line_no
        ]
        reasons += [
            e.curated
            for e in events
            if e.curated
            and e.case_id == line.case_id
            and e.kind in CLOSING_KINDS
            and line.pfs_event_date is not None
            and e.event_date == line.pfs_event_date
        ]
        unique = list(dict.fromkeys(r for r in reasons if r))
        out.append(dataclasses.replace(line, curated="; ".join(unique)) if unique else line)
    return tuple(out)
