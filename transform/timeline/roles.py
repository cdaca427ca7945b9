"""Which drugs are antineoplastic (make lines) and which are not (never do): an allowlist.

OHDSI OncologyRegimenFinder forms regimens from antineoplastic ingredients only (WHO ATC L01
antineoplastic agents and L02 endocrine therapy). antineoplastic.tsv lists those ingredients
by their WHO ATC code (ATC/DDD Index 2024), with the few outside L01/L02 that case reports
give as cancer treatment (interferon alfa, aldesleukin, intravesical BCG, thalidomide and
its analogues, somatostatin analogues for neuroendocrine tumours, therapeutic
radiopharmaceuticals), each with the reason in its source column.

The role of an exposure (the warehouse's `drug_exposures.role`):

- 'antineoplastic': its drug is in antineoplastic.tsv; or it is 'conditional' in
  drug_roles.tsv (corticosteroids, leucovorin) and started with an antineoplastic drug (same
  episode: dexamethasone in an ALL induction, leucovorin in FOLFOX).
- 'supportive': listed 'supportive' in drug_roles.tsv (growth factors, antiemetics,
  antithyroid drugs, antivirals, anticoagulants, ... by their WHO ATC code), or conditional
  without an antineoplastic drug in its episode (premedication, symptom control).
- 'other': in neither table (an antiviral, a diuretic, a drug the tables do not know), or
  an antineoplastic drug its own clause gives for a non-malignant disease (methotrexate for
  uveitis, imatinib for pulmonary arterial hypertension: `for_other_condition`). Like a
  supportive drug it never opens, splits or joins a line: only the allowlist does.

Pure over the exposure records; the tables are read with importlib.resources and validated on
load. In plain words, with the sources: docs/rules.md (Lines of therapy).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, TypeAlias

from transform.events import cue_words
from transform.records import DrugExposure
from transform.types import DRUG_ROLES, DrugRole

Role: TypeAlias = DrugRole
TableRole: TypeAlias = Literal["supportive", "conditional"]
ROLES: tuple[DrugRole, ...] = DRUG_ROLES
ROLES_TSV = "drug_roles.tsv"
ANTINEOPLASTIC_TSV = "antineoplastic.tsv"
_COLUMNS = 3
_ATC = re.compile(r"[A-V]\d{2}[A-Z](?:[A-Z](?:\d{2})?)?")
"""A WHO ATC code of level 3 to 5 ('L01', 'L01E', 'L01EK', 'L01EK01'): a level-4 group stands
for a drug the index has not coded yet, by its mechanism."""


class DrugRoleError(ValueError):
    """A shipped drug-role table is malformed (the message names file:line)."""


@dataclass(frozen=True)
class RoleTable:
    """The two tables the roles come from (module docstring)."""

    antineoplastic: Mapping[str, str]
    """drug -> WHO ATC code: the drugs that make lines (antineoplastic.tsv)."""
    listed: Mapping[str, TableRole]
    """drug -> 'supportive' | 'conditional' (drug_roles.tsv)."""

    def __post_init__(self) -> None:
        both = sorted(self.antineoplastic.keys() & self.listed.keys())
        if both:
            raise DrugRoleError(f"{ANTINEOPLASTIC_TSV} and {ROLES_TSV} both list {', '.join(both)}")


def _rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each data row: comments, blanks and the header left out."""
    out: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("drug\t"):
            continue
        parts = raw.split("\t")
        if len(parts) != _COLUMNS:
            raise DrugRoleError(f"{name}:{number}: expected {_COLUMNS} tab-separated columns")
        drug = parts[0]
        if not drug or drug != drug.strip().lower() or "  " in drug:
            raise DrugRoleError(f"{name}:{number}: {drug!r} is not a lower-case canonical name")
        if not _ATC.fullmatch(parts[1]):
            raise DrugRoleError(f"{name}:{number}: {parts[1]!r} is not a WHO ATC code")
        out.append((number, parts))
    return out


def parse_antineoplastic(text: str, name: str = ANTINEOPLASTIC_TSV) -> dict[str, str]:
    """drug -> ATC code from 'drug<TAB>atc<TAB>source' rows; DrugRoleError with file:line on a
    malformed row, a missing source or a drug listed twice."""
    out: dict[str, str] = {}
    for number, (drug, atc, source) in _rows(text, name):
        if not source.strip():
            raise DrugRoleError(f"{name}:{number}: {drug!r} has no source")
        if drug in out:
            raise DrugRoleError(f"{name}:{number}: {drug!r} is listed twice")
        out[drug] = atc
    return out


def parse_roles(text: str, name: str = ROLES_TSV) -> dict[str, TableRole]:
    """drug -> 'supportive' | 'conditional' from 'drug<TAB>atc<TAB>role' rows."""
    out: dict[str, TableRole] = {}
    for number, (drug, _atc, kind) in _rows(text, name):
        if kind == "supportive":
            out[drug] = "supportive"
        elif kind == "conditional":
            out[drug] = "conditional"
        else:
            raise DrugRoleError(f"{name}:{number}: role {kind!r} is not supportive/conditional")
    return out


def _read(name: str) -> str:
    return (resources.files("transform.timeline") / name).read_text(encoding="utf-8")


@cache
def antineoplastic_table() -> dict[str, str]:
    """drug -> WHO ATC code of the shipped allowlist (validated on load)."""
    return parse_antineoplastic(_read(ANTINEOPLASTIC_TSV))


@cache
def role_table() -> dict[str, TableRole]:
    """drug -> 'supportive' | 'conditional', from the shipped drug_roles.tsv."""
    return parse_roles(_read(ROLES_TSV))


@cache
def shipped_roles() -> RoleTable:
    """Both shipped tables; a drug listed in both is an error."""
    return RoleTable(antineoplastic_table(), role_table())


def static_role(drug: str, table: RoleTable) -> DrugRole | Literal["conditional"]:
    """The role a drug has by the tables alone, before its episode is looked at."""
    key = drug.lower()
    if key in table.antineoplastic:
        return "antineoplastic"
    return table.listed.get(key, "other")


_FEW_WORDS = re.compile(r"(?:\s+[\w'-]+){0,3}\s*")
"""The indication word governs the disease a few words on ('for her severe rheumatoid
arthritis'), not one told later in the sentence ('for six cycles, with her lupus quiet')."""
INDICATION_REACH_CHARS = 80
"""How far from the drug its clause may name the disease it is given for ('methotrexate 15 mg
weekly was started for her rheumatoid arthritis')."""


def for_other_condition(exposure: DrugExposure) -> bool:
    """Whether the drug's own sentence gives it for a non-malignant disease: an indication word
    ('for', 'to treat', 'because of') ties it to a disease of the `other_indication` cue
    (autoimmune, inflammatory, haematological and vascular diseases antineoplastic drugs
    also treat; event_cues.jsonl), with no malignancy word between them ('rituximab for
    lymphoma-related vasculitis' stays the cancer's). An antineoplastic drug given for another
    disease is not cancer treatment (WHO ATC: L01/L04 drugs used in immunosuppression); nor
    is one its clause gives to deplete a graft's T cells or to prevent graft-versus-host
    disease ('T-cell depleted with in vivo alemtuzumab', 'methotrexate as GVHD
    prophylaxis'; cue `transplant_immunosuppression`)."""
    text = exposure.prov.sentence
    start, end = exposure.prov.char_start, exposure.prov.char_end
    lo = max(0, start - INDICATION_REACH_CHARS, text.rfind(";", 0, start) + 1)
    semicolon = text.find(";", end)
    hi = min(len(text), end + INDICATION_REACH_CHARS, semicolon if semicolon >= 0 else len(text))
    for hit in cue_words.find("other_indication", text, lo, hi):
        a, b = (end, hit.start) if hit.start >= end else (hit.end, start)
        if a > b:
            continue  # the disease word overlaps the drug's own name
        ties = cue_words.find("indication_tie", text, lo, hit.start)
        governs = bool(ties) and _FEW_WORDS.fullmatch(text[ties[-1].end : hit.start])
        if governs and not cue_words.has("malignancy", text, a, b):
            return True
    # A graft's T cells depleted with it, or graft-versus-host disease prevented with it:
    # transplant immunosuppression (WHO ATC L04), not treatment of the cancer.
    return cue_words.has("transplant_immunosuppression", text, lo, hi)


def drug_roles(
    exposures: Sequence[DrugExposure], table: RoleTable | None = None
) -> tuple[DrugRole, ...]:
    """The role of each exposure, in input order.

    A conditional drug is antineoplastic when its episode (drugs started together) holds an
    antineoplastic drug, supportive otherwise. A drug in neither table is 'other', and so is
    an antineoplastic drug given for another disease (for_other_condition).
    """
    table = shipped_roles() if table is None else table
    kinds = [
        "other" if k == "antineoplastic" and for_other_condition(e) else k
        for e, k in ((e, static_role(e.drug, table)) for e in exposures)
    ]
    active = {e.episode for e, k in zip(exposures, kinds, strict=True) if k == "antineoplastic"}
    out: list[DrugRole] = []
    for e, kind in zip(exposures, kinds, strict=True):
        if kind == "conditional":
            out.append("antineoplastic" if e.episode in active else "supportive")
        else:
            out.append(kind)
    return tuple(out)


def case_drug_role(
    drug: str, exposures: Sequence[DrugExposure], table: RoleTable | None = None
) -> DrugRole | Literal["conditional"]:
    """The role of a drug in one patient's story: antineoplastic if any of its exposures is,
    else the role of its exposures (given by the line rules), else its role by the tables."""
    table = shipped_roles() if table is None else table
    mine = {e.role for e in exposures if e.drug.lower() == drug.lower() and e.role is not None}
    if "antineoplastic" in mine:
        return "antineoplastic"
    if mine:
        return "supportive" if "supportive" in mine else "other"
    return static_role(drug, table)
