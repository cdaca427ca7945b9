"""eval/precision.py's measures on made-up warehouse contents (the script itself reads the
shared corpora, which tests never do)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.precision import Finding, Found, ReportClass, measure, read_classes


def test_each_measure_counts_and_lists_its_offenders() -> None:
    classes = [
        ReportClass("mac-1", "no", "no", "heart failure"),
        ReportClass("mac-2", "no", "no", "vasculitis"),
        ReportClass("mac-3", "yes", "yes", "breast cancer"),
        ReportClass("mac-4", "yes", "unnamed", "chemotherapy"),
    ]
    phantom = Finding("case 1: response 'SD'", "She remained stable.")
    line = Finding("line 1: rituximab", "Rituximab was given for the vasculitis.")
    found = {"mac-2": Found(cases=[phantom], lines=[line]), "mac-4": Found(cases=[phantom])}
    cases, treated, recall = measure(classes, found)
    assert (cases.good, cases.total) == (1, 2)
    assert [doc for doc, _, _ in cases.offenders] == ["mac-2"]
    assert (treated.good, treated.total) == (1, 2)
    assert treated.offenders[0][2] == [line]
    assert (recall.good, recall.total) == (0, 1)
    assert recall.offenders[0][0] == "mac-3"


def test_a_table_without_its_columns_is_a_one_line_error(tmp_path: Path) -> None:
    table = tmp_path / "classes.tsv"
    table.write_text("doc\tcancer\nmac-1\tno\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"classes.tsv:2: missing column 'anticancer_drug'"):
        read_classes(table)
