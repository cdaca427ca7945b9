"""The transform layers import only downwards (docs/design.md, 'Layers').

mentions -> events -> timeline is the order the data flows; curation (a researcher's
corrections, applied to the events before the lines are derived) finds line targets with the
timeline rules. A layer may import the shared records and types, its own modules, and (timeline
and curation) helpers of the layers before it; the
mention layer (spaCy, lexicon) stays out of everything after it, so events and timeline are
testable and importable without spaCy. Only the composition modules at `transform/` wire
the layers together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "transform"
SHARED = frozenset({"transform", "transform.records", "transform.types"})
LAYERS = ("mentions", "events", "timeline", "curation")
MAY_IMPORT: dict[str, frozenset[str]] = {
    "mentions": frozenset({"mentions"}),
    "events": frozenset({"events"}),
    "timeline": frozenset({"timeline", "events"}),
    "curation": frozenset({"curation", "timeline", "events"}),
}
COMPOSITION = frozenset({"pipeline.py", "assemble.py"})


def imported_modules(path: Path) -> list[str]:
    """Every module an `import` or `from ... import` in the file names (absolute imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; the layers use absolute imports"
            if node.module:
                names.append(node.module)
    return names


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "transform" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def violations(layer: str, files: list[Path]) -> list[str]:
    bad = []
    for path in files:
        for module in imported_modules(path):
            target = layer_of(module)
            if module.startswith("transform") and module not in SHARED and target is None:
                bad.append(f"{path.name} imports {module}: not a layer nor records/types")
            elif target is not None and target not in MAY_IMPORT[layer]:
                bad.append(f"{path.name} imports {module}")
    return bad


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_downwards(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"transform/{layer}/ has no modules"
    assert violations(layer, files) == []


def test_top_level_holds_only_records_types_and_composition() -> None:
    top = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py"}
    assert top == {"records.py", "types.py"} | COMPOSITION


def test_records_and_types_import_no_layer() -> None:
    for name in ("records.py", "types.py"):
        layers = [m for m in imported_modules(PACKAGE / name) if layer_of(m)]
        assert layers == [], f"{name} imports {layers}"


def test_checker_catches_an_upward_import(tmp_path: Path) -> None:
    """The rule itself: an events module importing the mention layer is reported."""
    module = tmp_path / "bad.py"
    module.write_text("from transform.mentions.nlp import get_nlp\n", encoding="utf-8")
    assert violations("events", [module]) != []
    assert violations("mentions", [module]) == []
