"""Primary site: a printed '<site> cancer' first, then the site a histology names, then a
'<site> mass' outside sentences about metastases (transform/events/caseinfo.py)."""

from __future__ import annotations

import pytest

from extract.records import Block
from transform.events.caseinfo import (
    HistologySiteError,
    _primary_site,
    histology_sites,
)

BBOX = (0.0, 0.0, 100.0, 10.0)


def blocks(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(t, "body", 1, BBOX, "case_presentation", 1) for t in texts)


@pytest.mark.parametrize(
    ("texts", "site"),
    [
        (
            (
                "Imaging showed a bulky hilar mass and several liver tumours, the largest 3 cm, "
                "consistent with metastases.",
                "Bronchoscopic biopsy confirmed small cell carcinoma.",
            ),
            "lung",
        ),
        (("A core biopsy of the liver lesion showed HCC on a background of cirrhosis.",), "liver"),
        (
            (
                "She had multiple bone tumours suspicious for metastases.",
                "Biopsy showed an invasive ductal carcinoma, ER positive.",
            ),
            "breast",
        ),
        (
            (
                "He was found to have rectal adenocarcinoma with liver metastases.",
                "A renal cell carcinoma was found incidentally years later.",
            ),
            "rectal",
        ),
        (("A 7 cm pancreatic mass encasing the artery was seen on CT.",), "pancreatic"),
        (("Liver tumours were the only metastatic sites found.",), None),
        (
            (
                "CT revealed a 4 cm spiculated mass in the left upper lobe.",
                "Biopsy confirmed adenocarcinoma.",
            ),
            "lung",
        ),
        (("A nodule in the RLL was biopsied and showed squamous cell carcinoma.",), "lung"),
        (("Colon cancer with metastases in the right lower lobe was found.",), "colon"),
        (("The right lobe of the liver held a 5 cm mass.",), None),
        (("A hemicolectomy was done for an adenocarcinoma of the ascending colon.",), "colon"),
        (("She had a carcinoma of the lower oesophagus resected.",), "oesophagus"),
        (("An npc ratio was computed for the nodes.",), None),
    ],
)
def test_primary_site(texts: tuple[str, ...], site: str | None) -> None:
    assert _primary_site(blocks(*texts)) == site


def test_histology_site_table_loads_with_sources() -> None:
    sites = {site for _pattern, site in histology_sites()}
    assert {"lung", "liver", "kidney", "breast"} <= sites


def test_malformed_histology_site_table_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import transform.events.caseinfo as caseinfo

    class Fake:
        def __truediv__(self, _name: str) -> Fake:
            return self

        def read_text(self, _encoding: str) -> str:
            return "# header\nsmall cell carcinoma\tlung\n"

    histology_sites.cache_clear()
    monkeypatch.setattr(caseinfo.resources, "files", lambda _pkg: Fake())
    try:
        with pytest.raises(HistologySiteError, match=r"histology_sites\.tsv:2"):
            histology_sites()
    finally:
        monkeypatch.undo()
        histology_sites.cache_clear()


def test_diagnosis_date_is_not_the_date_of_a_later_progression() -> None:
    """The first sentence naming the cancer with a date dates the diagnosis, unless it tells
    the cancer's growth or return."""
    from datetime import date

    from tests.transform.events.test_events import Story, day
    from transform.records import DateValue

    s = Story()
    s.say("A 49-year-old man presented with haemoptysis.")
    s.say("Biopsy showed squamous cell carcinoma.")
    s.say(
        "In June 2020 the tumour progressed with new adrenal metastases.",
        ("date", "June 2020", DateValue(date(2020, 6, 1), "month")),
    )
    s.say(
        "A 60-year-old woman was diagnosed with ovarian cancer on May 4, 2015.",
        ("date", "May 4, 2015", day(2015, 5, 4)),
        case_id=2,
    )
    s.say(
        "She relapsed in March 2017.",
        ("date", "March 2017", DateValue(date(2017, 3, 1), "month")),
        case_id=2,
    )
    first, second = s.cases(2)
    assert first.info.diagnosis_date is None
    assert second.info.diagnosis_date == date(2015, 5, 4)


def test_an_adenocarcinoma_named_with_a_date_dates_the_diagnosis() -> None:
    from datetime import date

    from tests.transform.events.test_events import Story, day

    s = Story()
    s.say(
        "A 63-year-old man underwent a right hemicolectomy on 11 March 2015 for an "
        "adenocarcinoma of the caecum.",
        ("date", "11 March 2015", day(2015, 3, 11)),
    )
    (case,) = s.cases()
    assert case.info.diagnosis_date == date(2015, 3, 11)
