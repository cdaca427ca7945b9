"""Which drugs are antineoplastic (make lines) and which are supportive care (never do).

OHDSI OncologyRegimenFinder forms regimens from antineoplastic ingredients only (ATC L01
antineoplastic agents and L02 endocrine therapy); a growth factor, an antithyroid drug, an
antiviral, an antiemetic or an anticoagulant given alongside is not part of the line. The
table (drug_roles.tsv) lists supportive drugs by their WHO ATC code; corticosteroids (and
leucovorin) are 'conditional': supportive when their episode has no antineoplastic drug
(premedication, symptom control), part of the regimen when started with one (dexamethasone
in an ALL induction). Pure over the exposure records.

In plain words, with the sources: docs/rules.md (Lines of therapy).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Literal, TypeAlias

from transform.records import DrugExposure

Role: TypeAlias = Literal["antineoplastic", "supportive"]
TableRole: TypeAlias = Literal["supportive", "conditional"]
ROLES_TSV = "drug_roles.tsv"
_COLUMNS = 3


class DrugRoleError(ValueError):
    """The shipped drug-role table is malformed."""


@cache
def role_table() -> dict[str, TableRole]:
    """drug -> 'supportive' | 'conditional', from the shipped table (validated on load)."""
    text = (resources.files("transform.timeline") / ROLES_TSV).read_text(encoding="utf-8")
    out: dict[str, TableRole] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != _COLUMNS or parts[2] not in ("supportive", "conditional"):
            raise DrugRoleError(f"{ROLES_TSV}:{number}: expected 'drug<TAB>atc<TAB>role'")
        role: TableRole = "supportive" if parts[2] == "supportive" else "conditional"
        out[parts[0].strip().lower()] = role
    return out


def drug_roles(
    exposures: Sequence[DrugExposure], table: dict[str, TableRole] | None = None
) -> tuple[Role, ...]:
    """The role of each exposure, in input order.

    A 'conditional' drug is antineoplastic when its episode (drugs started together) holds a
    drug that is neither supportive nor conditional, supportive otherwise.
    """
    table = role_table() if table is None else table
    active_episodes = {e.episode for e in exposures if e.drug.lower() not in table}
    out: list[Role] = []
    for e in exposures:
        kind = table.get(e.drug.lower())
        if kind is None or (kind == "conditional" and e.episode in active_episodes):
            out.append("antineoplastic")
        else:
            out.append("supportive")
    return tuple(out)
