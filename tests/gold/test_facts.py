"""The fact machinery on a tiny hand-made warehouse: the gold's `adjuvant` key holds adjuvant
and neoadjuvant treatment alike (../shared/gold/README.md), so its facts accept either
setting, and only those two."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from tests.gold.facts import Warehouse, gold_facts

GOLD: dict[str, Any] = {
    "document": {"n_cases": 1},
    "cases": [
        {
            "case": 1,
            "adjuvant": [
                {
                    "regimen": "EP",
                    "drugs": ["etoposide"],
                    "doses": {"etoposide": {"amount": 100, "unit": "mg/m2"}},
                }
            ],
        }
    ],
}


def _warehouse(setting: str) -> Warehouse:
    con = duckdb.connect()
    con.execute(
        "create table drug_exposures (doc_id varchar, case_id int, drug varchar, setting varchar,"
        " line_no int, dose_amount double, dose_unit varchar, schedule varchar)"
    )
    con.execute(
        "insert into drug_exposures values ('d', 1, 'etoposide', ?, null, 100, 'mg/m2', null)",
        [setting],
    )
    return Warehouse(con, "d")


@pytest.mark.parametrize("setting", ["adjuvant", "neoadjuvant"])
def test_adjuvant_facts_accept_either_curative_setting(setting: str) -> None:
    w = _warehouse(setting)
    results = {f.fact_id: f.check(w)[0] for f in gold_facts(GOLD) if f.category != "document"}
    assert results == {
        "case1.adjuvant1(EP).drugs": True,
        "case1.adjuvant1(EP).dose.etoposide.1": True,
    }


def test_adjuvant_facts_refuse_a_metastatic_exposure() -> None:
    w = _warehouse("metastatic")
    results = [f.check(w)[0] for f in gold_facts(GOLD) if f.category != "document"]
    assert results == [False, False]
