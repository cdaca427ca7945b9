"""Placeholder drug names of the line-rule tests ('a', 'chemo', 'tki'): each stands for some
antineoplastic drug, so the tests run the rules with a role table that lists them as such
(transform/timeline/roles.py: only antineoplastic drugs make lines)."""

from __future__ import annotations

import dataclasses

from transform.records import CaseEvents
from transform.timeline.lines import DEFAULT_RULES, CaseLines, LineRules
from transform.timeline.lines import derive_lines as derive_lines_shipped
from transform.timeline.roles import RoleTable, shipped_roles

PLACEHOLDER_DRUGS = frozenset(
    {"a", "b", "c", "d", "e", "f", "x", "adj", "adj1", "adj2", "ai", "chemo", "hinted"}
    | {"hormone", "maint", "met", "met2", "neo", "tam", "tki"}
)
"""Lower-case placeholders used as drug names; none is a real drug of the shipped tables."""


def placeholder_table() -> RoleTable:
    """The shipped role tables with the placeholders added to the antineoplastic ones."""
    shipped = shipped_roles()
    antineoplastic = dict(shipped.antineoplastic) | dict.fromkeys(PLACEHOLDER_DRUGS, "L01")
    return RoleTable(antineoplastic, shipped.listed)


def derive_lines(case: CaseEvents, rules: LineRules = DEFAULT_RULES) -> CaseLines:
    """transform.timeline.lines.derive_lines with the placeholders antineoplastic (unless the
    test gives its own role table)."""
    if rules.drug_roles is None:
        rules = dataclasses.replace(rules, drug_roles=placeholder_table())
    return derive_lines_shipped(case, rules)
