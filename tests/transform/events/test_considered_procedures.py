"""A surgery or radiotherapy named only as an option or a consideration was not done: it is no
event, so it makes the drugs around it neither adjuvant nor neoadjuvant."""

from __future__ import annotations

import pytest

from tests.textdoc import document_from_text
from transform.assemble import transform_mentions
from transform.mentions.mentions import extract_mentions

STORY = (
    "A 68-year-old woman had pancreatic adenocarcinoma. {} She received gemcitabine "
    "1000 mg/m2 weekly."
)


def _kinds_and_setting(sentence: str) -> tuple[set[str], set[str | None]]:
    doc = document_from_text("Case 1\n\n" + STORY.format(sentence))
    x = transform_mentions(doc, extract_mentions(doc))
    return {e.kind for e in x.events}, {e.setting for e in x.exposures}


@pytest.mark.parametrize(
    "sentence",
    [
        "Because of her frailty she was judged a poor candidate for pancreatectomy.",
        "A Whipple resection was considered but the vessels were encased.",
    ],
)
def test_a_procedure_only_considered_is_no_surgery(sentence: str) -> None:
    kinds, settings = _kinds_and_setting(sentence)
    assert "surgery" not in kinds
    assert settings == {"metastatic"}


def test_a_procedure_done_is_a_surgery() -> None:
    kinds, settings = _kinds_and_setting("A Whipple resection was performed in May 2018.")
    assert "surgery" in kinds
    assert settings == {"adjuvant"}
