"""Small hand-built records for tests of the load stage and the warehouse contracts."""

from __future__ import annotations

from datetime import date

from extract.records import DocumentMeta
from transform.records import (
    Biomarker,
    CaseInfo,
    DrugExposure,
    DrugMentionDisposition,
    DrugValue,
    Extraction,
    Finding,
    Line,
    Mention,
    Provenance,
)

PROV = Provenance(page=2, sentence="She received FOLFOX from March 1, 2020.", order=1)


def extraction(
    doc_id: str = "d" * 64,
    *,
    n_lines: int = 2,
    finding_kind: str = "pfs_mismatch",
    path: str = "/tmp/x.pdf",
    biomarkers: tuple[Biomarker, ...] = (),
    case: CaseInfo | None = None,
) -> Extraction:
    """A colorectal case with `n_lines` lines of therapy (not the seed article)."""
    lines = tuple(
        Line(
            case_id=1,
            line_no=k,
            drugs=("fluorouracil", "oxaliplatin") if k == 1 else ("irinotecan",),
            start_date=date(2020, 3 * k, 1),
            prov=PROV,
            regimen="FOLFOX" if k == 1 else "irinotecan",
            pfs_event="progression",
            pfs_event_date=date(2020, 3 * k + 2, 1),
            pfs_months=2.0,
        )
        for k in range(1, n_lines + 1)
    )
    exposures = tuple(
        DrugExposure(
            case_id=1,
            episode=k,
            drug=d,
            drug_as_printed=d,
            prov=PROV,
            setting="metastatic",
            line_no=k,
            drug_class="chemotherapy",
            role="antineoplastic",
        )
        for k in range(1, n_lines + 1)
        for d in lines[k - 1].drugs
    )
    return Extraction(
        doc_id=doc_id,
        path=path,
        meta=DocumentMeta(
            title="A test case", doi="10.1/x", journal="J Test", year=2021, n_pages=3
        ),
        cases=(case or CaseInfo(case_id=1, age=61, sex="male", prov=PROV),),
        exposures=exposures,
        lines=lines,
        mentions=(
            Mention(
                kind="drug",
                text="FOLFOX",
                value=DrugValue("fluorouracil"),
                prov=PROV,
                case_id=1,
                section="case_presentation",
            ),
        ),
        findings=(Finding(case_id=1, kind=finding_kind, message="m", prov=PROV),),  # type: ignore[arg-type]
        dispositions=(
            DrugMentionDisposition(
                case_id=1,
                mention_no=1,
                drug="fluorouracil",
                drug_as_printed="FOLFOX",
                role="antineoplastic",
                disposition="given",
                reason="exposure",
                prov=PROV,
                exposure_no=1,
            ),
        ),
        biomarkers=biomarkers,
        pfs_month_days=30.4375,
    )


def biomarker(
    marker: str,
    status: str | None,
    *,
    order: int,
    method: str | None = "IHC",
    on: date | None = None,
    value: float | None = None,
    value_type: str | None = None,
    variant: str | None = None,
) -> Biomarker:
    """One result of case 1, told in the story's sentence number `order`."""
    return Biomarker(
        case_id=1,
        marker=marker,
        result=f"{marker} {status}",
        prov=Provenance(page=1, sentence=f"{marker} was {status}.", order=order),
        method=method,
        status=status,  # type: ignore[arg-type]
        value=value,
        value_type=value_type,  # type: ignore[arg-type]
        variant=variant,
        test_date=on,
        test_precision="day" if on else None,
    )
