"""Precision over the stream: no patient invented, no cancer treatment given to the cancer-free.

`../shared/eval/maccrobat/classes.tsv` classifies the 102 shared MACCROBAT reports by hand:
`cancer` (yes / no / unclear) and `anticancer_drug` (yes: a systemic anticancer drug named and
given for the cancer; no; unnamed: 'chemotherapy' with no drug named). The PDFs are ingested
with `caselines ingest` into a scratch warehouse (or --db reuses one) and three measures read:

  cancer-free with a case      reports classed cancer=no that give a `cases` row
  drug-free with treatment     reports classed anticancer_drug=no that give a line of therapy
                               or an exposure whose role is `antineoplastic`
  anticancer drug found        reports classed anticancer_drug=yes that give an
                               antineoplastic exposure

Each offending report is listed with what should not be there (or is missing) and its
sentence, so that a class of failure shows across the reports rather than one at a time.

    .venv/bin/python -m eval.precision [--dir DIR] [--db FILE] [--workers N]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from eval.maccrobat import DEFAULT_DIR, ingest

CLASSES_TSV = "classes.tsv"
DOC_IN_PATH = re.compile(r"(mac-\d+)\.pdf$")
SENTENCE_CHARS = 220
"""An evidence sentence is cut to this length in the listing (one line per finding)."""


@dataclass(frozen=True)
class ReportClass:
    doc: str
    cancer: str
    anticancer_drug: str
    note: str


@dataclass(frozen=True)
class Finding:
    """One row that should not be there, or one that is missing: what, and its sentence."""

    what: str
    sentence: str


@dataclass
class Found:
    """What the warehouse holds for one report."""

    cases: list[Finding] = field(default_factory=list)
    lines: list[Finding] = field(default_factory=list)
    antineoplastic: list[Finding] = field(default_factory=list)


def read_classes(path: Path) -> list[ReportClass]:
    """The hand classification; a malformed row is a one-line error naming it."""
    out: list[ReportClass] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            try:
                out.append(
                    ReportClass(
                        row["doc"], row["cancer"], row["anticancer_drug"], row.get("note") or ""
                    )
                )
            except KeyError as exc:
                raise SystemExit(f"precision: {path}:{number}: missing column {exc}") from exc
    return out


def _doc_name(path: str) -> str | None:
    match = DOC_IN_PATH.search(path)
    return match.group(1) if match else None


def _case_why(con: duckdb.DuckDBPyConnection, doc_id: str, case_id: int) -> Finding:
    """Why the case reads as oncology: its histology or site, else its first lesion,
    response or advanced-disease event, with the sentence that told it."""
    row = con.execute(
        "select histology, primary_site, evidence from cases where doc_id = ? and case_id = ?",
        [doc_id, case_id],
    ).fetchone()
    histology, site, evidence = row if row else (None, None, None)
    queries = (
        ("lesion", "select site, evidence from lesion_measurements"),
        ("response", "select response, evidence from assessments"),
        ("event", "select kind || ' ' || coalesce(detail, ''), evidence from events"),
    )
    for label, sql in queries:
        extra = " and kind in ('metastasis', 'recurrence')" if label == "event" else ""
        hit = con.execute(
            f"{sql} where doc_id = ? and case_id = ?{extra} limit 1", [doc_id, case_id]
        ).fetchone()
        if hit and not (histology or site):
            return Finding(f"case {case_id}: {label} {hit[0]!r}", hit[1] or "")
    what = f"case {case_id}: histology {histology!r}, site {site!r}"
    return Finding(what, evidence or "")


def read_warehouse(db: Path) -> dict[str, Found]:
    con = duckdb.connect(str(db), read_only=True)
    docs = {
        doc_id: _doc_name(path)
        for doc_id, path in con.execute("select doc_id, path from documents").fetchall()
    }
    out: dict[str, Found] = defaultdict(Found)
    for doc_id, case_id in con.execute("select doc_id, case_id from cases").fetchall():
        name = docs.get(doc_id)
        if name:
            out[name].cases.append(_case_why(con, doc_id, case_id))
    for doc_id, line_no, regimen, evidence in con.execute(
        "select doc_id, line_no, coalesce(regimen, array_to_string(drugs, ' + ')), evidence "
        "from lines_of_therapy"
    ).fetchall():
        name = docs.get(doc_id)
        if name:
            out[name].lines.append(Finding(f"line {line_no}: {regimen}", evidence or ""))
    for doc_id, drug, evidence in con.execute(
        "select doc_id, drug, evidence from drug_exposures where role = 'antineoplastic' "
        "order by doc_id, exposure_no"
    ).fetchall():
        name = docs.get(doc_id)
        if name:
            out[name].antineoplastic.append(Finding(f"antineoplastic {drug}", evidence))
    con.close()
    return dict(out)


@dataclass
class Measure:
    label: str
    goal: str
    good: int = 0
    total: int = 0
    offenders: list[tuple[str, str, list[Finding]]] = field(default_factory=list)

    def add(self, ok: bool, doc: str, note: str, findings: list[Finding]) -> None:
        self.total += 1
        self.good += ok
        if not ok:
            self.offenders.append((doc, note, findings))


def measure(classes: list[ReportClass], found: dict[str, Found]) -> list[Measure]:
    """The three measures; each offending report keeps the rows that make it one."""
    phantom = Measure("cancer-free reports without a case", "all")
    treated = Measure("drug-free reports without a line or antineoplastic exposure", "all")
    recall = Measure(
        "reports naming an anticancer drug given, with an antineoplastic exposure", "all"
    )
    for rc in classes:
        got = found.get(rc.doc, Found())
        if rc.cancer == "no":
            phantom.add(not got.cases, rc.doc, rc.note, got.cases)
        if rc.anticancer_drug == "no":
            rows = got.lines + got.antineoplastic
            treated.add(not rows, rc.doc, rc.note, rows)
        elif rc.anticancer_drug == "yes":
            missing = [Finding("no antineoplastic exposure", ""), *got.cases[:1]]
            recall.add(bool(got.antineoplastic), rc.doc, rc.note, missing)
    return [phantom, treated, recall]


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SENTENCE_CHARS else text[: SENTENCE_CHARS - 1] + "…"


def print_measures(measures: list[Measure]) -> None:
    print("| measure | value | goal |\n| --- | --- | --- |")
    for m in measures:
        print(f"| {m.label} | {m.good}/{m.total} | {m.goal} |")
    for m in measures:
        if not m.offenders:
            continue
        print(f"\n### not {m.label} ({len(m.offenders)})\n")
        for doc, note, findings in m.offenders:
            print(f"- {doc} ({note})")
            for f in findings:
                print(f"    {f.what}" + (f" | {_cut(f.sentence)}" if f.sentence else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--db", type=Path, help="reuse this warehouse (ingested when absent)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    table = args.dir / CLASSES_TSV
    if not table.is_file():
        print(f"precision: {table} not found", file=sys.stderr)
        return 2
    classes = read_classes(table)
    db = args.db or Path(tempfile.mkdtemp(prefix="precision-")) / "precision.duckdb"
    if not db.exists():
        ingest(args.dir, db, args.workers)
    print(f"warehouse: {db}\n")
    print_measures(measure(classes, read_warehouse(db)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
