"""The shipped pattern files load, validate and reject malformed rows."""

from __future__ import annotations

import pytest

from transform.mentions.patterns import MENTION_FAMILIES, PatternError, _validate, load_patterns


@pytest.mark.parametrize("family", [*MENTION_FAMILIES, "context"])
def test_families_load(family: str) -> None:
    rows = load_patterns(family)
    assert rows and len({r.id for r in rows}) == len(rows)


@pytest.mark.parametrize(
    "bad",
    [
        {"label": "X", "pattern": []},
        {"label": "", "pattern": "a", "id": "x"},
        {"label": "X", "pattern": [], "id": "x"},
        {"label": "X", "pattern": ["a"], "id": "x"},
        {"label": "X", "pattern": " ", "id": "x"},
    ],
)
def test_malformed_rows_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(PatternError):
        _validate(bad, "test:1")


def test_missing_family() -> None:
    with pytest.raises(PatternError):
        load_patterns("no_such_family")
