"""The corrections file: shape and values checked, mistakes refused with file and line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from load.corrections import CorrectionsInvalid, append, parse, read_document
from transform.records import Correction, CorrectionTarget, CuratedDate

GOOD = """\
# A made-up report
- target: {row: line, case: 1, line: 2, drugs: [Vinorelbine, afatinib]}
  set: {start: '2015-03', progression: 2016-01-20}
  why: the text says March 2015
  by: jdoe
  made_on: 2026-12-06
- target: {row: exposure, case: 1, drug: Ibuprofen}
  remove: true
  why: not a cancer drug
  by: jdoe
  made_on: 2026-12-06
"""


def test_a_good_file_gives_typed_corrections() -> None:
    first, second = parse(GOOD, "x.yaml")
    assert first.target == CorrectionTarget(
        "line", 1, (("line", "2"), ("drugs", "afatinib+vinorelbine"))
    )
    assert first.values == (
        ("start", CuratedDate(date(2015, 3, 1), "month")),
        ("progression", CuratedDate(date(2016, 1, 20), "day")),
    )
    assert (first.source, second.source) == ("x.yaml:2", "x.yaml:7")
    assert second.action == "remove" and second.target.key == (("drug", "ibuprofen"),)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        # broken YAML: an unclosed flow mapping
        ("- target: {row: case, case: 1\n  set: {age: 3}\n", 2, "not YAML"),
        # a field the row does not have, on line 4
        (
            GOOD.replace("progression: 2016-01-20", "stop: 2016-01-20")
            .replace("set: {start: '2015-03', ", "set:\n    start: '2015-03'\n    ")
            .replace("stop: 2016-01-20}", "stop: 2016-01-20"),
            5,
            "no field 'stop'",
        ),
        # an entry without its reason
        (GOOD.replace("  why: not a cancer drug\n", ""), 7, "why"),
        # a date that is no date
        (GOOD.replace("progression: 2016-01-20", "progression: soon"), 3, "no date"),
        # a key field of another kind of row
        (GOOD.replace("drug: Ibuprofen", "drug: ibuprofen, response: PR"), 7, "response"),
        # a response RECIST 1.1 does not have
        (
            GOOD.replace("drug: Ibuprofen", "drug: ibuprofen").replace(
                "row: exposure, case: 1, drug: ibuprofen", "row: assessment, case: 1, response: MR"
            ),
            7,
            "not one of CR, PR, SD, PD",
        ),
        # two actions at once
        (
            GOOD.replace("  remove: true\n", "  remove: true\n  set: {cycles: 2}\n"),
            7,
            "exactly one",
        ),
    ],
)
def test_mistakes_are_refused_with_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(CorrectionsInvalid) as caught:
        parse(text, "store/abc.yaml")
    message = str(caught.value)
    assert message.startswith(f"store/abc.yaml:{line}:"), message
    assert words in message


def test_appended_entries_keep_the_hand_written_ones_and_read_back(tmp_path: Path) -> None:
    doc = "a" * 64
    (tmp_path / f"{doc}.yaml").write_text(GOOD, encoding="utf-8")
    new = Correction(
        "add",
        CorrectionTarget("event", 1),
        "PD in May 2021 per the figure",
        "jdoe",
        date(2026, 12, 6),
        (("kind", "progression"), ("date", CuratedDate(date(2021, 5, 1), "month"))),
    )
    path = append(tmp_path, doc, "A made-up report", new)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(GOOD)
    *_, back = read_document(tmp_path, doc)
    assert (back.action, back.target, back.values, back.why) == (
        new.action,
        new.target,
        new.values,
        new.why,
    )
    assert back.number == 3


def test_a_new_file_starts_with_the_title(tmp_path: Path) -> None:
    fix = Correction("remove", CorrectionTarget("document"), "sarcoidosis", "jdoe", date.today())
    path = append(tmp_path, "b" * 64, "Sarcoidosis\n treated with methotrexate", fix)
    assert path.read_text(encoding="utf-8").splitlines()[0] == (
        "# Sarcoidosis treated with methotrexate"
    )
    assert read_document(tmp_path, "c" * 64) == ()


def test_every_example_of_the_documentation_is_a_valid_file() -> None:
    """docs/corrections.md shows one example per kind of correction; each must parse."""
    doc = Path(__file__).resolve().parent.parent / "docs" / "corrections.md"
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    parsed = [parse(block, "docs/corrections.md") for block in blocks]
    kinds = {(c.target.row, c.action) for entries in parsed for c in entries}
    assert {
        ("line", "set"),
        ("case", "set"),
        ("exposure", "set"),
        ("assessment", "set"),
        ("adverse_event", "set"),
        ("lesion", "set"),
        ("exposure", "remove"),
        ("adverse_event", "remove"),
        ("case", "remove"),
        ("exposure", "add"),
        ("event", "add"),
        ("document", "remove"),
    } <= kinds
