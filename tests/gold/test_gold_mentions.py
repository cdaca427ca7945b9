"""The mentions table of the seed holds every gold drug, dose and date of the case
presentation, in the right patient's segment, with the right normalised value."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.conftest import GOLD_YAML

GOLD = yaml.safe_load(GOLD_YAML.read_text(encoding="utf-8"))
TOLERANCE = 1e-6


def _doses(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value]


def _regimens(case: dict[str, Any]) -> list[dict[str, Any]]:
    return list(case.get("adjuvant") or []) + list(case.get("lines") or [])


def _expected() -> list[tuple[str, int, str, Any]]:
    """(kind, case, label, expected value) for every gold drug, dose and stated date."""
    out: list[tuple[str, int, str, Any]] = []
    for case in GOLD["cases"]:
        n = case["case"]
        for reg in _regimens(case):
            for drug in reg.get("drugs") or []:
                out.append(("drug", n, drug, drug))
            for drug, doses in (reg.get("doses") or {}).items():
                for d in _doses(doses):
                    out.append(
                        (
                            "dose",
                            n,
                            f"{drug} {d['amount']} {d['unit']}",
                            (drug, float(d["amount"]), d["unit"]),
                        )
                    )
            for key in ("start", "end"):
                when = reg.get(key)
                if isinstance(when, date):
                    out.append(("date", n, f"{reg.get('regimen')} {key} {when}", when))
    unique: dict[tuple[str, int, str], tuple[str, int, str, Any]] = {}
    for item in out:
        unique.setdefault(item[:3], item)
    return list(unique.values())


@pytest.fixture(scope="module")
def mentions(seed_db: Path) -> Iterator[list[tuple[str, int | None, str, dict[str, Any]]]]:
    con = duckdb.connect(str(seed_db), read_only=True)
    rows = con.execute(
        "select kind, case_id, section, value from mentions where section = 'case_presentation'"
    ).fetchall()
    con.close()
    yield [(k, c, s, json.loads(v)) for k, c, s, v in rows]


def _found(kind: str, case: int, want: Any, rows: list[tuple[Any, ...]]) -> bool:
    for k, c, _section, value in rows:
        if c != case:
            continue
        if kind == "drug" and k == "drug" and value.get("drug") == want:
            return True
        if kind == "drug" and k == "regimen" and want in value.get("drugs", []):
            return True
        if kind == "dose" and k == "dose":
            drug, amount, unit = want
            if (
                value.get("drug") == drug
                and value.get("unit") == unit
                and abs((value.get("amount") or -1) - amount) < TOLERANCE
            ):
                return True
        if (
            kind == "date"
            and k == "date"
            and want.isoformat()
            in (
                value.get("value"),
                value.get("end"),
            )
        ):
            return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "case", "label", "want"), _expected(), ids=lambda x: str(x).replace(" ", "_")
)
def test_gold_value_is_a_mention(
    kind: str, case: int, label: str, want: Any, mentions: list[tuple[Any, ...]]
) -> None:
    assert _found(kind, case, want, mentions), f"no {kind} mention {label} in case {case}"
