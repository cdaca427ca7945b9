"""The gold files of ../shared/gold, the PDF each describes, and the gaps listed for each.

A gold file names its PDF by convention (../shared/gold/README.md): tcr-* is the seed in
corpus/, mac-<PMID> a MACCROBAT case text printed to ../shared/eval/maccrobat/mac-<PMID>.pdf,
hindawi-<PMCID> a publisher PDF at ../shared/dev/hindawi/ContentMine-<PMCID>.pdf.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eval.shared import DEV, EVAL, GOLD, ROOT
from tests.gold.facts import Fact, gold_facts

GAPS_YAML = Path(__file__).with_name("gaps.yaml")
SEED_GAPS_YAML = ROOT / "tests" / "gold" / "gaps.yaml"
DB_ENV = "CASELINES_GOLD_DB"
"""Set by eval/gold.py to the scratch warehouse it ingested every gold PDF into."""


@dataclass(frozen=True)
class GoldSource:
    name: str
    gold: Path
    pdf: Path

    def facts(self) -> list[Fact]:
        data: dict[str, Any] = yaml.safe_load(self.gold.read_text(encoding="utf-8"))
        return gold_facts(data)


def pdf_for(name: str) -> Path:
    """The PDF a gold file describes, by the naming convention of the gold folder."""
    if name.startswith("mac-"):
        return EVAL / "maccrobat" / f"{name}.pdf"
    if name.startswith("hindawi-"):
        return DEV / "hindawi" / f"ContentMine-{name.removeprefix('hindawi-')}.pdf"
    return ROOT / "corpus" / f"{name}.pdf"


def sources(gold_dir: Path = GOLD) -> list[GoldSource]:
    """Every gold file of the folder, in name order."""
    return [GoldSource(p.stem, p, pdf_for(p.stem)) for p in sorted(gold_dir.glob("*.yaml"))]


def gaps() -> dict[str, dict[str, str]]:
    """Known misses per gold file: fact id -> the reason it is missed (strict xfails).

    The seed's gaps stay in tests/gold/gaps.yaml (fact id -> issue number), read from there.
    """
    listed: dict[str, dict[str, str]] = yaml.safe_load(GAPS_YAML.read_text(encoding="utf-8")) or {}
    seed: dict[str, int] = yaml.safe_load(SEED_GAPS_YAML.read_text(encoding="utf-8")) or {}
    out = {name: dict(per) for name, per in listed.items()}
    out.setdefault("tcr-22-2483", {}).update(
        {fact: f"waits for issue #{issue}" for fact, issue in seed.items()}
    )
    return out


def gold_db() -> Path | None:
    value = os.environ.get(DB_ENV)
    return Path(value) if value else None
