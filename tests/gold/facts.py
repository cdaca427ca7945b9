"""Gold facts of a gold YAML file, one per checkable value, and how to check each.

A fact is an id (stable, readable in pytest's output), the issue whose work produces it, the
category it is counted under (CATEGORIES) and a check that reads the warehouse. The harness
(test_gold.py; eval/gold_harness/ for the gold files outside the repository) runs each fact
as its own test.

Conventions (../shared/gold/README.md): a key a file leaves out is not gold (an undated line
has no `start` fact); an empty list is gold (`lines: []` says there is no line, and is
checked as a negative); a date printed without a day ('2015-11') is stored as the first of
the month (docs/warehouse.md, 'Conventions'); a dose `unit` may list the spellings it accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

ISSUE_EXTRACT = 3
ISSUE_TRANSFORM = 4
ISSUE_LINES = 5
ISSUE_TIMELINES = 16
ISSUE_BIOMARKERS = 22
TOLERANCE = 1e-6
SIZE_TOLERANCE_CM = 0.01
PFS_TOLERANCE = 0.05
CURATIVE_SETTINGS = ("adjuvant", "neoadjuvant")
"""The gold's `adjuvant` key holds all curative-intent treatment before advanced disease,
adjuvant and neoadjuvant alike (../shared/gold/README.md): either warehouse setting matches."""

Check = Callable[["Warehouse"], tuple[bool, str]]


CATEGORIES = (
    "document",
    "case",
    "adjuvant",
    "lines",
    "responses",
    "pfs",
    "doses",
    "exposures",
    "aes",
    "lesions",
    "negatives",
    "abbreviations",
    "biomarkers",
)
"""Every fact is counted under one of these in the per-category tables (eval/gold.py)."""


@dataclass(frozen=True)
class Fact:
    fact_id: str
    issue: int
    check: Check
    category: str = "lines"


class Warehouse:
    """Read-only access to one document's rows, fetched once per table."""

    def __init__(self, con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
        self.con = con
        self.doc_id = doc_id
        self._cache: dict[str, list[dict[str, Any]]] = {}

    def rows(self, table: str) -> list[dict[str, Any]]:
        if table not in self._cache:
            rel = self.con.execute(f"select * from {table} where doc_id = ?", [self.doc_id])
            cols = [d[0] for d in rel.description or []]
            self._cache[table] = [dict(zip(cols, r, strict=True)) for r in rel.fetchall()]
        return self._cache[table]

    def line(self, case: int, line_no: int) -> dict[str, Any] | None:
        for r in self.rows("lines_of_therapy"):
            if r["case_id"] == case and r["line_no"] == line_no:
                return r
        return None


def _date(value: Any) -> date | None:
    """An ISO date; 'YYYY-MM' (printed without a day) is the first of the month."""
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    if len(text) == len("2000-01"):
        text += "-01"
    return date.fromisoformat(text)


def _units(dose: dict[str, Any]) -> tuple[str, ...]:
    unit = dose["unit"]
    return tuple(unit) if isinstance(unit, list) else (unit,)


def _norm_schedule(value: Any) -> list[str]:
    if value is None:
        return []
    text = str(value).lower().replace("–", "-").replace("‐", "-").replace(", ", ",")
    return sorted(text.split())


def _norm_text(value: Any) -> str:
    return " ".join(str(value or "").lower().replace("-", " ").split())


def _eq(observed: Any, expected: Any) -> tuple[bool, str]:
    return observed == expected, f"expected {expected!r}, got {observed!r}"


def _line_value(case: int, line_no: int, column: str, expected: Any) -> Check:
    def check(w: Warehouse) -> tuple[bool, str]:
        row = w.line(case, line_no)
        if row is None:
            return False, f"no line {line_no} for case {case}"
        observed = row[column]
        if column == "drugs":
            return _eq(sorted(observed or []), sorted(expected))
        if isinstance(expected, float) and observed is not None:
            ok = abs(float(observed) - expected) <= PFS_TOLERANCE
            return ok, f"expected {expected}, got {observed}"
        return _eq(observed, expected)

    return check


def _doses(gold: Any) -> list[dict[str, Any]]:
    return gold if isinstance(gold, list) else [gold]


def _dose_check(
    case: int, where: dict[str, Any], drug: str, dose: dict[str, Any], schedule: bool
) -> Check:
    def check(w: Warehouse) -> tuple[bool, str]:
        rows = [
            r
            for r in w.rows("drug_exposures")
            if r["case_id"] == case
            and r["drug"] == drug
            and all(r[k] in v if isinstance(v, tuple) else r[k] == v for k, v in where.items())
        ]
        if not rows:
            return False, f"no exposure to {drug} for case {case} where {where}"
        matching = [
            r
            for r in rows
            if r["dose_amount"] is not None
            and abs(r["dose_amount"] - float(dose["amount"])) < TOLERANCE
            and r["dose_unit"] in _units(dose)
        ]
        seen = [(r["dose_amount"], r["dose_unit"], r["schedule"]) for r in rows]
        if not schedule:
            return bool(matching), f"expected {dose['amount']} {dose['unit']}, got {seen}"
        want = _norm_schedule(dose.get("schedule"))
        ok = any(_norm_schedule(r["schedule"]) == want for r in matching)
        return ok, f"expected schedule {dose.get('schedule')!r} with the dose, got {seen}"

    return check


def _document_facts(doc: dict[str, Any]) -> Iterator[Fact]:
    for key, issue in (
        ("doi", ISSUE_EXTRACT),
        ("journal", ISSUE_EXTRACT),
        ("year", ISSUE_EXTRACT),
        ("n_cases", ISSUE_EXTRACT),
        ("pfs_month_days", ISSUE_LINES),
    ):
        if key not in doc:
            continue
        expected = doc[key]

        def check(w: Warehouse, key: str = key, expected: Any = expected) -> tuple[bool, str]:
            row = w.rows("documents")[0]
            observed = row[key]
            if key == "doi" and observed is not None:
                observed = str(observed).lower()
                return _eq(observed, str(expected).lower())
            return _eq(observed, expected)

        yield Fact(f"document.{key}", issue, check, "document")


def _case_facts(case: dict[str, Any]) -> Iterator[Fact]:
    n = case["case"]
    for key in ("age", "sex"):
        if key not in case:
            continue

        def check(w: Warehouse, key: str = key, expected: Any = case[key]) -> tuple[bool, str]:
            rows = [r for r in w.rows("cases") if r["case_id"] == n]
            if not rows:
                return False, f"no case {n}"
            return _eq(rows[0][key], expected)

        yield Fact(f"case{n}.{key}", ISSUE_TRANSFORM, check, "case")
    if (case.get("primary") or {}).get("stage"):
        expected_stage = _norm_text(case["primary"]["stage"])

        def stage(w: Warehouse, expected: str = expected_stage) -> tuple[bool, str]:
            rows = [r for r in w.rows("cases") if r["case_id"] == n]
            return _eq(_norm_text(rows[0]["stage"]) if rows else None, expected)

        yield Fact(f"case{n}.stage", ISSUE_BIOMARKERS, stage, "case")
    if case.get("death_date"):
        expected_death = _date(case["death_date"])

        def death(w: Warehouse, expected: Any = expected_death) -> tuple[bool, str]:
            rows = [r for r in w.rows("cases") if r["case_id"] == n]
            return _eq(rows[0]["death_date"] if rows else None, expected)

        yield Fact(f"case{n}.death_date", ISSUE_TRANSFORM, death, "case")


def _adjuvant_facts(case: dict[str, Any]) -> Iterator[Fact]:
    n = case["case"]
    for i, reg in enumerate(case.get("adjuvant") or [], start=1):
        drugs = reg.get("drugs") or []
        if not drugs:
            continue
        label = f"case{n}.adjuvant{i}({reg.get('regimen') or '+'.join(drugs)})"

        def check(w: Warehouse, drugs: list[str] = drugs) -> tuple[bool, str]:
            got = {
                r["drug"]
                for r in w.rows("drug_exposures")
                if r["case_id"] == n and r["setting"] in CURATIVE_SETTINGS
            }
            missing = sorted(set(drugs) - got)
            return not missing, f"missing adjuvant drugs {missing}; adjuvant drugs: {sorted(got)}"

        yield Fact(f"{label}.drugs", ISSUE_TRANSFORM, check, "adjuvant")
        for drug, doses in (reg.get("doses") or {}).items():
            for k, dose in enumerate(_doses(doses), start=1):
                where = {"setting": CURATIVE_SETTINGS}
                yield Fact(
                    f"{label}.dose.{drug}.{k}",
                    ISSUE_TRANSFORM,
                    _dose_check(n, where, drug, dose, schedule=False),
                    "doses",
                )
                if dose.get("schedule"):
                    yield Fact(
                        f"{label}.schedule.{drug}.{k}",
                        ISSUE_TRANSFORM,
                        _dose_check(n, where, drug, dose, schedule=True),
                        "doses",
                    )


def _line_facts(case: dict[str, Any]) -> Iterator[Fact]:
    n = case["case"]
    for line in case.get("lines") or []:
        k = line["line"]
        label = f"case{n}.line{k}"
        if "start" in line:
            yield Fact(
                f"{label}.start",
                ISSUE_TRANSFORM,
                _line_value(n, k, "start_date", _date(line["start"])),
                "lines",
            )
        yield Fact(
            f"{label}.drugs", ISSUE_LINES, _line_value(n, k, "drugs", line["drugs"]), "lines"
        )
        if "pfs_event" in line:
            yield Fact(
                f"{label}.pfs_event",
                ISSUE_LINES,
                _line_value(n, k, "pfs_event", line["pfs_event"]),
                "pfs",
            )
        if "pfs_event_date" in line:
            yield Fact(
                f"{label}.pfs_event_date",
                ISSUE_LINES,
                _line_value(n, k, "pfs_event_date", _date(line["pfs_event_date"])),
                "pfs",
            )
        if line.get("best_response") is not None:
            yield Fact(
                f"{label}.best_response",
                ISSUE_LINES,
                _line_value(n, k, "best_response", line["best_response"]),
                "responses",
            )
        if "pfs_months_reported" in line:
            reported = line["pfs_months_reported"]
            yield Fact(
                f"{label}.pfs_months_reported",
                ISSUE_LINES,
                _line_value(
                    n, k, "pfs_months_reported", None if reported is None else float(reported)
                ),
                "pfs",
            )
        if line.get("pfs_months_days30") is not None:
            yield Fact(
                f"{label}.pfs_months",
                ISSUE_LINES,
                _line_value(n, k, "pfs_months", float(line["pfs_months_days30"])),
                "pfs",
            )
        for drug, doses in (line.get("doses") or {}).items():
            for j, dose in enumerate(_doses(doses), start=1):
                where = {"line_no": k}
                yield Fact(
                    f"{label}.dose.{drug}.{j}",
                    ISSUE_TRANSFORM,
                    _dose_check(n, where, drug, dose, schedule=False),
                    "doses",
                )
                if dose.get("schedule"):
                    yield Fact(
                        f"{label}.schedule.{drug}.{j}",
                        ISSUE_TRANSFORM,
                        _dose_check(n, where, drug, dose, schedule=True),
                        "doses",
                    )


def _ae_facts(case: dict[str, Any]) -> Iterator[Fact]:
    n = case["case"]
    for i, ae in enumerate(case.get("adverse_events") or [], start=1):

        def check(w: Warehouse, ae: dict[str, Any] = ae) -> tuple[bool, str]:
            want = _norm_text(ae["event"])
            rows = [r for r in w.rows("adverse_events") if r["case_id"] == n]
            hits = [
                r
                for r in rows
                if want in _norm_text(r["event"])
                or (_norm_text(r["event"]) and _norm_text(r["event"]) in want)
            ]
            if ae.get("grade") is not None:
                hits = [r for r in hits if r["grade"] == ae["grade"]]
            seen = [(r["event"], r["grade"]) for r in rows]
            return bool(hits), f"expected {ae['event']!r} grade {ae.get('grade')}, got {seen}"

        yield Fact(f"case{n}.ae{i}({ae['event']})", ISSUE_TRANSFORM, check, "aes")


def _gold_drugs(case: dict[str, Any]) -> set[str]:
    regimens = list(case.get("adjuvant") or []) + list(case.get("lines") or [])
    return {d for reg in regimens for d in reg.get("drugs") or []}


def _exposure_facts(case: dict[str, Any]) -> Iterator[Fact]:
    """`exposures`: drugs given with a printed dose outside any line or adjuvant regimen."""
    n = case["case"]
    for i, exp in enumerate(case.get("exposures") or [], start=1):
        drug = exp["drug"]
        dose = {"amount": exp["amount"], "unit": exp["unit"]}
        yield Fact(
            f"case{n}.exposure{i}({drug})",
            ISSUE_TIMELINES,
            _dose_check(n, {"line_no": None}, drug, dose, schedule=False),
            "exposures",
        )


def _rows_of(w: Warehouse, table: str, case: int) -> list[dict[str, Any]]:
    return [r for r in w.rows(table) if r["case_id"] == case]


def _nothing(
    n: int,
    name: str,
    table: str,
    what: str,
    project: Callable[[dict[str, Any]], Any],
    keep: Callable[[dict[str, Any]], bool] = lambda r: True,
    tidy: Callable[[list[Any]], list[Any]] = list,
) -> Fact:
    """A negative fact: no row of `table` for case n (that `keep` accepts) may exist; the
    message shows what was found, each row as `project` gives it."""

    def check(w: Warehouse) -> tuple[bool, str]:
        got = tidy([project(r) for r in _rows_of(w, table, n) if keep(r)])
        return not got, f"expected {what}, got {got}"

    return Fact(f"case{n}.{name}", ISSUE_TIMELINES, check, "negatives")


def _negative_facts(case: dict[str, Any]) -> Iterator[Fact]:
    """Empty lists are gold: nothing of that kind may be found for the patient."""
    n = case["case"]
    if case.get("lines") == []:
        yield _nothing(
            n, "lines.none", "lines_of_therapy", "no line", lambda r: (r["line_no"], r["drugs"])
        )
    if case.get("adjuvant") == []:
        yield _nothing(
            n,
            "adjuvant.none",
            "drug_exposures",
            "no adjuvant drug",
            lambda r: r["drug"],
            keep=lambda r: r["setting"] in CURATIVE_SETTINGS,
            tidy=lambda got: sorted(set(got)),
        )
    if case.get("adverse_events") == []:
        yield _nothing(
            n,
            "adverse_events.none",
            "adverse_events",
            "no adverse event",
            lambda r: (r["event"], r["grade"]),
        )
    if case.get("lesions") == []:
        yield _nothing(
            n,
            "lesions.none",
            "lesion_measurements",
            "no lesion measurement",
            lambda r: (str(r["measured_on"]), r["dim1_cm"], r["dim2_cm"]),
        )
    if case.get("exposures") == []:
        regimen_drugs = _gold_drugs(case)
        yield _nothing(
            n,
            "exposures.none",
            "drug_exposures",
            "no dosed exposure outside the regimens",
            lambda r: (r["drug"], r["dose_amount"], r["dose_unit"]),
            keep=lambda r: r["drug"] not in regimen_drugs and r["dose_amount"] is not None,
            tidy=sorted,
        )
    for drug in case.get("absent_drugs") or []:

        def absent(w: Warehouse, drug: str = drug) -> tuple[bool, str]:
            got = [r["setting"] for r in _rows_of(w, "drug_exposures", n) if r["drug"] == drug]
            return not got, f"expected no exposure to {drug}, got {len(got)} ({got})"

        yield Fact(f"case{n}.absent.{drug}", ISSUE_TIMELINES, absent, "negatives")


def _lesion_facts(case: dict[str, Any]) -> Iterator[Fact]:
    n = case["case"]
    for les in case.get("lesions") or []:
        when = _date(les["date"])
        d1, d2 = (float(x) for x in les["size_cm"])
        label = f"case{n}.lesion.{les['date']}.fig{les['figure']}{les['panel']}"

        def check(
            w: Warehouse,
            when: date | None = when,
            d1: float = d1,
            d2: float = d2,
            fig: str = str(les["figure"]),
        ) -> tuple[bool, str]:
            rows = [r for r in w.rows("lesion_measurements") if r["case_id"] == n]
            hits = [
                r
                for r in rows
                if r["measured_on"] == when
                and abs(r["dim1_cm"] - d1) < SIZE_TOLERANCE_CM
                and r["dim2_cm"] is not None
                and abs(r["dim2_cm"] - d2) < SIZE_TOLERANCE_CM
                and str(r["figure"]) == fig
            ]
            seen = [(str(r["measured_on"]), r["dim1_cm"], r["dim2_cm"], r["figure"]) for r in rows]
            return bool(hits), f"expected {when} {d1}x{d2} cm fig {fig}, got {seen}"

        yield Fact(label, ISSUE_TRANSFORM, check, "lesions")


ISH_METHODS = ("FISH", "ISH", "CISH", "SISH", "DISH")
GOLD_STATUSES = {
    "positive": ("positive", "amplified", "low"),
    "negative": ("negative", "not amplified", "wild-type"),
}
"""A gold word and the statuses that say it (docs/rules.md, Biomarkers: an amplified ISH is
HER2-positive, ER 1-10% is 'low' positive, a gene found negative is wild-type)."""
PERCENT_TYPES = ("percent", "tps")
"""A gold 'n%' is a percent of stained cells, or a PD-L1 tumour proportion score."""
_GOLD_SCORE = re.compile(r"^([0-3])\+$")
_GOLD_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


def _gold_marker(key: str) -> tuple[str, tuple[str, ...] | None]:
    """'HER2_IHC' -> ('HER2', ('IHC',)); 'HER2_FISH' -> the ISH methods; 'Ki67' -> 'Ki-67'."""
    marker, _, method = key.partition("_")
    marker = {"Ki67": "Ki-67"}.get(marker, marker)
    if not method:
        return marker, None
    return marker, ISH_METHODS if method.upper() in ISH_METHODS else (method.upper(),)


def _biomarker_matches(row: dict[str, Any], expected: str) -> bool:
    """Every part of the gold value ('positive 80%', '3+', '20%') holds for the row."""
    for part in str(expected).split():
        score = _GOLD_SCORE.match(part)
        percent = _GOLD_PERCENT.match(part)
        if score:
            ok = row["value_type"] == "ihc_score" and row["value"] == float(score.group(1))
        elif percent:
            ok = row["value_type"] in PERCENT_TYPES and row["value"] == float(percent.group(1))
        else:
            ok = row["status"] in GOLD_STATUSES.get(part, (part,))
        if not ok:
            return False
    return True


def _time_point(case: dict[str, Any], point: str) -> Callable[[dict[str, Any]], bool]:
    """Which results belong to the gold time point: the primary's are undated or told before
    the metastasis was found; the metastasis's are of its biopsy date (else on or after the
    date it was found)."""
    meta = case.get("metastasis") or {}
    found, biopsy = _date(meta.get("first_detected")), _date(meta.get("biopsy_date"))
    if point == "primary":
        return lambda r: r["test_date"] is None or found is None or r["test_date"] < found
    if biopsy is not None:
        return lambda r: r["test_date"] == biopsy
    return lambda r: r["test_date"] is not None and found is not None and r["test_date"] >= found


def _biomarker_facts(case: dict[str, Any]) -> Iterator[Fact]:
    n = case["case"]
    for point in ("primary", "metastasis"):
        gold = (case.get(point) or {}).get("biomarkers") or {}
        at = _time_point(case, point)
        for key, expected in gold.items():
            marker, methods = _gold_marker(key)

            def check(
                w: Warehouse,
                marker: str = marker,
                methods: tuple[str, ...] | None = methods,
                expected: Any = expected,
                at: Callable[[dict[str, Any]], bool] = at,
            ) -> tuple[bool, str]:
                rows = [
                    r
                    for r in _rows_of(w, "biomarkers", n)
                    if r["marker"] == marker
                    and (methods is None or r["method"] in methods)
                    and at(r)
                ]
                seen = [(r["method"], r["status"], r["value"], str(r["test_date"])) for r in rows]
                ok = any(_biomarker_matches(r, expected) for r in rows)
                return ok, f"expected {marker} {expected!r}, got {seen}"

            yield Fact(f"case{n}.{point}.biomarker.{key}", ISSUE_BIOMARKERS, check, "biomarkers")


def _abbreviation_facts(abbrs: dict[str, list[str]]) -> Iterator[Fact]:
    for short, drugs in abbrs.items():

        def check(w: Warehouse, short: str = short, drugs: list[str] = drugs) -> tuple[bool, str]:
            rows = [r for r in w.rows("abbreviations") if r["abbreviation"] == short]
            if not rows:
                return False, f"no abbreviation {short}"
            return _eq(sorted(rows[0]["drugs"]), sorted(drugs))

        yield Fact(f"abbreviation.{short}", ISSUE_TRANSFORM, check, "abbreviations")


def gold_facts(gold: dict[str, Any]) -> list[Fact]:
    """Every checkable value of a gold file, in a stable order."""
    facts: list[Fact] = list(_document_facts(gold["document"]))
    for case in gold["cases"]:
        facts.extend(_case_facts(case))
        facts.extend(_adjuvant_facts(case))
        facts.extend(_line_facts(case))
        facts.extend(_ae_facts(case))
        facts.extend(_lesion_facts(case))
        facts.extend(_exposure_facts(case))
        facts.extend(_negative_facts(case))
        facts.extend(_biomarker_facts(case))
    facts.extend(_abbreviation_facts(gold.get("abbreviations") or {}))
    return facts


def fact_params(name: str, head: object, facts: list[Fact], listed: dict[str, str]) -> list[Any]:
    """One pytest case per fact of a gold file (`head` the case's first argument), the facts
    `listed` as known gaps (fact id -> reason) run as strict xfails; a listed id the file does
    not have is an error, so a gap list cannot outlive its fact."""
    import pytest

    unknown = set(listed) - {f.fact_id for f in facts}
    assert not unknown, f"the gap list names facts {name} lacks: {sorted(unknown)}"
    return [
        pytest.param(
            head,
            fact,
            id=f"{name}::{fact.fact_id}",
            marks=(
                [pytest.mark.xfail(strict=True, reason=listed[fact.fact_id])]
                if fact.fact_id in listed
                else []
            ),
        )
        for fact in facts
    ]
