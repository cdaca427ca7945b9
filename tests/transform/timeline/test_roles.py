"""Only antineoplastic drugs make lines (roles.py: the WHO ATC L01/L02 allowlist); supportive
and other drugs never make, split or join one, on made-up stories; a drug held and resumed
without progression stays in its line."""

from __future__ import annotations

import dataclasses
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tests.transform.events.test_events import Story, day, drug
from transform.mentions.lexicon.loader import get_lexicon
from transform.records import (
    AdverseEvent,
    CaseEvents,
    CaseInfo,
    DateValue,
    DoseValue,
    DrugExposure,
    Provenance,
)
from transform.timeline.lines import LineRules, derive_lines
from transform.timeline.roles import (
    ANTINEOPLASTIC_TSV,
    DrugRoleError,
    RoleTable,
    antineoplastic_table,
    drug_roles,
    parse_antineoplastic,
    parse_roles,
    role_table,
    shipped_roles,
)


def test_the_role_table_is_sourced_and_knows_growth_factors_and_steroids() -> None:
    table = role_table()
    assert table["filgrastim"] == "supportive"
    assert table["levothyroxine"] == "supportive"
    assert table["dexamethasone"] == "conditional"
    assert "doxorubicin" not in table


def test_growth_factor_after_chemotherapy_opens_no_line() -> None:
    s = Story()
    s.say(
        "From March 3, 2020, she received doxorubicin 60 mg/m2 every 3 weeks.",
        ("date", "March 3, 2020", day(2020, 3, 3)),
        ("drug", "doxorubicin", drug("doxorubicin")),
        ("dose", "60 mg/m2", DoseValue(60, "mg/m2", "q3w", drug="doxorubicin")),
    )
    s.say(
        "On June 1, 2020, pegfilgrastim was given after febrile neutropenia.",
        ("date", "June 1, 2020", day(2020, 6, 1)),
        ("drug", "pegfilgrastim", drug("pegfilgrastim")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("doxorubicin",)]
    peg = [e for e in lines.exposures if e.drug == "pegfilgrastim"]
    assert [(e.setting, e.line_no) for e in peg] == [(None, None)]


def test_steroid_alone_is_supportive_but_part_of_an_induction_regimen() -> None:
    s = Story()
    s.say(
        "Dexamethasone 4 mg was started for headache on April 2, 2019.",
        ("drug", "Dexamethasone", drug("dexamethasone")),
        ("dose", "4 mg", DoseValue(4, "mg", drug="dexamethasone")),
        ("date", "April 2, 2019", day(2019, 4, 2)),
    )
    s.say(
        "On April 9, 2019, induction with dexamethasone, daunorubicin and vincristine was "
        "commenced.",
        ("date", "April 9, 2019", day(2019, 4, 9)),
        ("drug", "dexamethasone", drug("dexamethasone")),
        ("drug", "daunorubicin", drug("daunorubicin")),
        ("drug", "vincristine", drug("vincristine")),
    )
    (case,) = s.cases()
    roles = drug_roles(case.exposures)
    assert [(e.drug, r) for e, r in zip(case.exposures, roles, strict=True)] == [
        ("dexamethasone", "supportive"),
        ("dexamethasone", "antineoplastic"),
        ("daunorubicin", "antineoplastic"),
        ("vincristine", "antineoplastic"),
    ]
    (line,) = derive_lines(case).lines
    assert line.drugs == ("daunorubicin", "dexamethasone", "vincristine")
    assert line.start_date == date(2019, 4, 9)


@pytest.mark.parametrize("stays", [True, False])
def test_drug_held_and_resumed_without_progression_stays_in_its_line(stays: bool) -> None:
    s = Story()
    s.say(
        "On May 5, 2018, ipilimumab was started.",
        ("date", "May 5, 2018", day(2018, 5, 5)),
        ("drug", "ipilimumab", drug("ipilimumab")),
    )
    s.say(
        "Methimazole 20 mg daily was started on July 1, 2018 for thyroiditis.",
        ("drug", "Methimazole", drug("methimazole")),
        ("dose", "20 mg", DoseValue(20, "mg", "daily", drug="methimazole")),
        ("date", "July 1, 2018", day(2018, 7, 1)),
    )
    s.say(
        "On August 20, 2018, ipilimumab was resumed.",
        ("date", "August 20, 2018", day(2018, 8, 20)),
        ("drug", "ipilimumab", drug("ipilimumab")),
    )
    (case,) = s.cases()
    rules = dataclasses.replace(LineRules(), resumed_drug_stays_in_line=stays)
    lines = derive_lines(case, rules)
    assert len(lines.lines) == (1 if stays else 2)
    methimazole = [e for e in lines.exposures if e.drug == "methimazole"]
    assert [(e.line_no, e.dose_amount) for e in methimazole] == [(None, 20)]


# --- the antineoplastic allowlist (antineoplastic.tsv) -------------------------------------

SEED_GOLD = Path(__file__).resolve().parents[2] / "gold" / "tcr-22-2483.yaml"
L0X = ("L01", "L02")


def test_allowlist_covers_atc_l01_l02_and_the_documented_others() -> None:
    table = antineoplastic_table()
    assert len(table) > 300
    groups = {atc[:4] for atc in table.values()}
    # alkylating, antimetabolites, plant alkaloids, cytotoxic antibiotics, kinase inhibitors,
    # antibodies, other (platinum, PARP, proteasome, ...), endocrine therapy
    assert {"L01A", "L01B", "L01C", "L01D", "L01E", "L01F", "L01X", "L02A", "L02B"} <= groups
    assert table["rivoceranib"].startswith("L01E")
    assert table["tegafur"] == "L01BC03"
    assert table["leuprolide"] == "L02AE02"
    assert table["lenalidomide"] == "L04AX04"
    for name in ("furosemide", "adefovir dipivoxil", "lamivudine", "carvedilol", "dexamethasone"):
        assert name not in table


def test_allowlist_rows_outside_l01_l02_say_why() -> None:
    text = (resources.files("transform.timeline") / ANTINEOPLASTIC_TSV).read_text("utf-8")
    outside = [
        row.split("\t")
        for row in text.splitlines()
        if row and not row.startswith(("#", "drug\t")) and row.split("\t")[1][:3] not in L0X
    ]
    assert len(outside) >= 10
    for name, atc, source in outside:
        assert atc in source and ("use" in source or "therapy" in source), name


def test_every_allowlisted_drug_is_a_lexicon_canonical_name() -> None:
    lexicon = get_lexicon()
    wrong = {}
    for name in antineoplastic_table():
        found = lexicon.lookup(name)
        if found is None or found.drug != name:
            wrong[name] = None if found is None else found.drug
    assert wrong == {}


def test_printed_names_resolve_to_allowlisted_drugs() -> None:
    lexicon = get_lexicon()
    table = antineoplastic_table()
    for printed in ("apatinib", "S-1", "UFT", "5-FU", "T-DM1", "leuprorelin", "Taxol"):
        found = lexicon.lookup(printed)
        assert found is not None and found.drug in table, printed


def _seed_treatment_drugs() -> set[str]:
    gold = yaml.safe_load(SEED_GOLD.read_text(encoding="utf-8"))
    drugs: set[str] = set()
    for case in gold["cases"]:
        for regimen in [*case.get("adjuvant", []), *case.get("lines", [])]:
            drugs.update(regimen.get("drugs", []))
            for phase in regimen.get("phases", []):
                drugs.update(phase.get("drugs", []))
    return drugs


def test_every_drug_of_a_seed_gold_line_or_adjuvant_regimen_is_antineoplastic() -> None:
    drugs = _seed_treatment_drugs()
    assert {"rivoceranib", "utidelone", "pyrotinib", "tamoxifen"} <= drugs
    assert sorted(drugs - antineoplastic_table().keys()) == []


def test_shipped_tables_do_not_overlap() -> None:
    roles = shipped_roles()
    assert roles.antineoplastic.keys().isdisjoint(roles.listed.keys())
    with pytest.raises(DrugRoleError, match="both list cisplatin"):
        RoleTable({"cisplatin": "L01XA01"}, {"cisplatin": "supportive"})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("cisplatin\tL01XA01", "3 tab-separated columns"),
        ("Cisplatin\tL01XA01\tWHO ATC", "not a lower-case canonical name"),
        ("cisplatin\tL1XA01\tWHO ATC", "not a WHO ATC code"),
        ("cisplatin\tL01XA01\t ", "has no source"),
    ],
)
def test_malformed_allowlist_row_is_named_by_file_and_line(row: str, message: str) -> None:
    text = f"# comment\ndrug\tatc\tsource\ncarboplatin\tL01XA02\tWHO ATC\n{row}\n"
    with pytest.raises(DrugRoleError, match=rf"^x\.tsv:4: .*{message}"):
        parse_antineoplastic(text, "x.tsv")


def test_allowlist_drug_listed_twice_is_an_error() -> None:
    text = "carboplatin\tL01XA02\tWHO ATC\ncarboplatin\tL01XA02\tWHO ATC\n"
    with pytest.raises(DrugRoleError, match=r"^x\.tsv:2: 'carboplatin' is listed twice"):
        parse_antineoplastic(text, "x.tsv")


def test_unknown_role_in_the_role_table_is_named_by_file_and_line() -> None:
    with pytest.raises(DrugRoleError, match=r"^y\.tsv:1: role 'adjunct'"):
        parse_roles("mesna\tV03AF01\tadjunct\n", "y.tsv")


# --- roles on made-up stories ----------------------------------------------------------------


def test_antiviral_started_with_a_kinase_inhibitor_stays_out_of_the_line() -> None:
    s = Story()
    s.say(
        "On October 4, 2017, sorafenib 400 mg twice daily was started together with "
        "entecavir 0.5 mg and tenofovir alafenamide.",
        ("date", "October 4, 2017", day(2017, 10, 4)),
        ("drug", "sorafenib", drug("sorafenib")),
        ("dose", "400 mg", DoseValue(400, "mg", "bid", drug="sorafenib")),
        ("drug", "entecavir", drug("entecavir")),
        ("dose", "0.5 mg", DoseValue(0.5, "mg", drug="entecavir")),
        ("drug", "tenofovir alafenamide", drug("tenofovir alafenamide")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("sorafenib",)]
    assert [(e.drug, e.role, e.line_no) for e in lines.exposures] == [
        ("sorafenib", "antineoplastic", 1),
        ("entecavir", "supportive", None),
        ("tenofovir alafenamide", "other", None),
    ]


def test_antiviral_and_targeted_drug_in_one_clause_make_one_targeted_line() -> None:
    s = Story()
    s.say(
        "Lenvatinib (12 mg/day) and oral adefovir were begun in May 2016.",
        ("drug", "Lenvatinib", drug("lenvatinib")),
        ("dose", "12 mg/day", DoseValue(12, "mg/day", drug="lenvatinib")),
        ("drug", "adefovir", drug("adefovir")),
        ("date", "May 2016", DateValue(date(2016, 5, 1), "month")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("lenvatinib",)]
    assert {e.drug: e.role for e in lines.exposures} == {
        "lenvatinib": "antineoplastic",
        "adefovir": "other",
    }


@pytest.mark.parametrize("name", ["torsemide", "hydrochlorothiazide"])
def test_a_diuretic_alone_opens_no_line(name: str) -> None:
    s = Story()
    s.say(
        f"For leg oedema, {name} was prescribed on February 11, 2021.",
        ("drug", name, drug(name)),
        ("date", "February 11, 2021", day(2021, 2, 11)),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert lines.lines == ()
    assert [(e.role, e.setting, e.line_no) for e in lines.exposures] == [("other", None, None)]


def test_an_unknown_drug_name_opens_no_line_but_a_listed_one_does() -> None:
    s = Story()
    s.say(
        "On June 2, 2022, she began zentumib (an investigational agent) and imatinib.",
        ("date", "June 2, 2022", day(2022, 6, 2)),
        ("drug", "zentumib", drug("zentumib")),
        ("drug", "imatinib", drug("imatinib")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    assert [line.drugs for line in lines.lines] == [("imatinib",)]
    assert [e.role for e in lines.exposures] == ["other", "antineoplastic"]


def test_prednisone_joins_r_chop_but_not_when_given_for_a_rash() -> None:
    s = Story()
    s.say(
        "Prednisone 20 mg was given on January 5, 2020 for a drug rash.",
        ("drug", "Prednisone", drug("prednisone")),
        ("dose", "20 mg", DoseValue(20, "mg", drug="prednisone")),
        ("date", "January 5, 2020", day(2020, 1, 5)),
    )
    s.say(
        "On March 1, 2020, rituximab, cyclophosphamide, doxorubicin, vincristine and "
        "prednisone were started.",
        ("date", "March 1, 2020", day(2020, 3, 1)),
        ("drug", "rituximab", drug("rituximab")),
        ("drug", "cyclophosphamide", drug("cyclophosphamide")),
        ("drug", "doxorubicin", drug("doxorubicin")),
        ("drug", "vincristine", drug("vincristine")),
        ("drug", "prednisone", drug("prednisone")),
    )
    (case,) = s.cases()
    lines = derive_lines(case)
    (line,) = lines.lines
    assert "prednisone" in line.drugs and len(line.drugs) == 5
    assert [e.role for e in lines.exposures if e.drug == "prednisone"] == [
        "supportive",
        "antineoplastic",
    ]


def test_the_role_table_is_a_line_rule_parameter() -> None:
    s = Story()
    s.say(
        "Furosemide was started on May 3, 2019.",
        ("drug", "Furosemide", drug("furosemide")),
        ("date", "May 3, 2019", day(2019, 5, 3)),
    )
    (case,) = s.cases()
    assert derive_lines(case).lines == ()
    everything = RoleTable({"furosemide": "C03CA01"}, {})
    rules = dataclasses.replace(LineRules(), drug_roles=everything)
    assert [line.drugs for line in derive_lines(case, rules).lines] == [("furosemide",)]


def _blamed(drug_name: str, exposures: tuple[DrugExposure, ...]) -> str | None:
    prov = Provenance(page=1, sentence="s", order=50)
    ae = AdverseEvent(1, "hyperglycaemia", prov, drug=drug_name)
    case = CaseEvents(info=CaseInfo(case_id=1), exposures=exposures, adverse_events=(ae,))
    return derive_lines(case).adverse_events[0].drug


def _given(name: str, episode: int, when: date) -> DrugExposure:
    prov = Provenance(page=1, sentence="s", order=episode)
    return DrugExposure(1, episode, name, name, prov, start_date=when, start_precision="day")


def test_a_steroid_is_blamed_only_when_it_was_part_of_the_regimen() -> None:
    alone = (_given("dexamethasone", 1, date(2020, 1, 1)),)
    assert _blamed("dexamethasone", alone) is None
    induction = (
        _given("dexamethasone", 1, date(2020, 1, 1)),
        _given("vincristine", 1, date(2020, 1, 1)),
    )
    assert _blamed("dexamethasone", induction) == "dexamethasone"


def test_a_listed_supportive_drug_is_never_blamed_but_an_unlisted_one_may_be() -> None:
    given = (_given("docetaxel", 1, date(2020, 1, 1)), _given("pegfilgrastim", 1, date(2020, 1, 2)))
    assert _blamed("pegfilgrastim", given) is None
    assert _blamed("filgrastim", given) is None  # not given, supportive by the table
    assert _blamed("docetaxel", given) == "docetaxel"
    assert _blamed("amiodarone", given) == "amiodarone"


def test_every_role_table_drug_is_a_lexicon_canonical_name() -> None:
    lexicon = get_lexicon()
    wrong = {}
    for name in role_table():
        found = lexicon.lookup(name)
        if found is None or found.drug != name:
            wrong[name] = None if found is None else found.drug
    assert wrong == {}
