"""Treatment sequences: line 1 -> line 2 -> line 3 by drug class, flows weighted by patients.

`sequence_graph` is a pure function from each patient's class labels (the `line_sequences`
view) to nodes and flows; `sequence_svg` draws them as a flow diagram (nodes stacked per
line, bands between consecutive lines as wide as the patients who took that step), with
matplotlib like the other figures, so labels from PDFs are escaped and the SVG is checked.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from report.plot import RC, SVG_METADATA, UNCLASSIFIED, UNCLASSIFIED_COLOUR, short_label
from report.svg import inline_svg

DEPTH = 3
"""Lines drawn: 1, 2 and 3."""
MAX_NODES_PER_LINE = 8
"""The most frequent class labels of a line; the rest share OTHER."""
OTHER = "other classes"
CLASS_JOINER = " + "
NODE_WIDTH = 0.06
COLUMN_GAP = 1.0
NODE_GAP_FRACTION = 0.04
"""Space between stacked nodes, as a fraction of the patients in the busiest line."""
FLOW_ALPHA = 0.4
LABEL_CHARS = 38
FIG_WIDTH_IN = 11.0
FIG_MIN_HEIGHT_IN = 3.0
HEIGHT_PER_NODE_IN = 0.42
ID_PREFIX = "seq-"
"""Before every id of the figure: the index holds several (report/svg.py:prefix_ids)."""
BEZIER_PULL = 0.45
"""How far the control points of a flow's curve sit from its ends, in column gaps."""


@dataclass(frozen=True)
class SeqNode:
    line: int
    """1-based line number (column)."""
    label: str
    patients: int


@dataclass(frozen=True)
class SeqFlow:
    line: int
    """The line the flow leaves; it arrives at line + 1."""
    source: str
    target: str
    patients: int


@dataclass(frozen=True)
class SequenceGraph:
    nodes: tuple[SeqNode, ...]
    """Per line, most patients first."""
    flows: tuple[SeqFlow, ...]
    patients: int


@dataclass(frozen=True)
class SequenceDiagram:
    svg: str | None
    graph: SequenceGraph


def sequence_graph(
    sequences: Sequence[Sequence[str]], depth: int = DEPTH, max_nodes: int = MAX_NODES_PER_LINE
) -> SequenceGraph:
    """Nodes and flows of the first `depth` lines of each patient's class labels."""
    paths = [tuple(s[:depth]) for s in sequences if s]
    kept: list[set[str]] = []
    for k in range(depth):
        counts = Counter(p[k] for p in paths if len(p) > k)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        kept.append({label for label, _ in ranked[:max_nodes]})
    lumped = [
        tuple(label if label in kept[k] else OTHER for k, label in enumerate(p)) for p in paths
    ]
    nodes: list[SeqNode] = []
    for k in range(depth):
        counts = Counter(p[k] for p in lumped if len(p) > k)
        nodes += [
            SeqNode(k + 1, label, n)
            for label, n in sorted(counts.items(), key=lambda kv: (kv[0] == OTHER, -kv[1], kv[0]))
        ]
    steps = Counter((k, p[k], p[k + 1]) for p in lumped for k in range(len(p) - 1))
    flows = tuple(
        SeqFlow(k + 1, a, b, n)
        for (k, a, b), n in sorted(steps.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1:]))
    )
    return SequenceGraph(tuple(nodes), flows, len(paths))


def _colour(label: str, colours: Mapping[str, str]) -> str:
    first = label.split(CLASS_JOINER)[0]
    if label in (UNCLASSIFIED, OTHER):
        return UNCLASSIFIED_COLOUR
    return colours.get(first, UNCLASSIFIED_COLOUR)


def _band(x0: float, top0: float, x1: float, top1: float, width: float) -> MplPath:
    """A band of constant thickness `width` from (x0, top0) to (x1, top1), as two curves."""
    pull = (x1 - x0) * BEZIER_PULL
    verts = [
        (x0, top0), (x0 + pull, top0), (x1 - pull, top1), (x1, top1),
        (x1, top1 + width), (x1 - pull, top1 + width), (x0 + pull, top0 + width),
        (x0, top0 + width), (x0, top0),
    ]  # fmt: skip
    codes = [
        MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4,
        MplPath.LINETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4,
        MplPath.CLOSEPOLY,
    ]  # fmt: skip
    return MplPath(verts, codes)


def _band_offsets(
    flows: Sequence[SeqFlow], tops: Mapping[tuple[int, str], float]
) -> tuple[dict[SeqFlow, float], dict[SeqFlow, float]]:
    """Where each band leaves its source and reaches its target, below the node's top: a
    node's outgoing bands stacked in the order of their targets, its incoming ones in the
    order of their sources, so bands from one node do not cross each other."""
    starts: dict[SeqFlow, float] = {}
    ends: dict[SeqFlow, float] = {}
    used: dict[tuple[int, str], float] = {}
    for f in sorted(
        flows, key=lambda f: (f.line, tops[(f.line, f.source)], tops[(f.line + 1, f.target)])
    ):
        key = (f.line, f.source)
        starts[f] = used.get(key, 0.0)
        used[key] = starts[f] + f.patients
    used = {}
    for f in sorted(
        flows, key=lambda f: (f.line, tops[(f.line + 1, f.target)], tops[(f.line, f.source)])
    ):
        key = (f.line + 1, f.target)
        ends[f] = used.get(key, 0.0)
        used[key] = ends[f] + f.patients
    return starts, ends


def sequence_svg(sequences: Sequence[Sequence[str]], colours: Mapping[str, str]) -> SequenceDiagram:
    """The flow diagram; no SVG when no patient has a line."""
    graph = sequence_graph(sequences)
    if not graph.nodes:
        return SequenceDiagram(None, graph)
    depth = max(n.line for n in graph.nodes)
    busiest = max(sum(n.patients for n in graph.nodes if n.line == k) for k in range(1, depth + 1))
    most_nodes = max(sum(1 for n in graph.nodes if n.line == k) for k in range(1, depth + 1))
    gap = busiest * NODE_GAP_FRACTION
    tops: dict[tuple[int, str], float] = {}
    for k in range(1, depth + 1):
        y = 0.0
        for node in (n for n in graph.nodes if n.line == k):
            tops[(k, node.label)] = y
            y += node.patients + gap
    with mpl.rc_context(RC):  # type: ignore[arg-type]
        height = max(FIG_MIN_HEIGHT_IN, HEIGHT_PER_NODE_IN * most_nodes + 1.0)
        fig = Figure(figsize=(FIG_WIDTH_IN, height))
        ax = fig.add_subplot()
        starts, ends = _band_offsets(graph.flows, tops)
        for i, f in enumerate(graph.flows):
            top0, top1 = (
                tops[(f.line, f.source)] + starts[f],
                tops[(f.line + 1, f.target)] + ends[f],
            )
            x0 = (f.line - 1) * COLUMN_GAP + NODE_WIDTH
            x1 = f.line * COLUMN_GAP
            ax.add_patch(
                PathPatch(
                    _band(x0, top0, x1, top1, f.patients),
                    facecolor=_colour(f.source, colours),
                    alpha=FLOW_ALPHA,
                    linewidth=0,
                    gid=f"flow-{f.line}-{i + 1}",
                )
            )
        for i, node in enumerate(graph.nodes):
            x = (node.line - 1) * COLUMN_GAP
            top = tops[(node.line, node.label)]
            ax.add_patch(
                Rectangle(
                    (x, top),
                    NODE_WIDTH,
                    node.patients,
                    facecolor=_colour(node.label, colours),
                    edgecolor="#333333",
                    linewidth=0.6,
                    gid=f"node-{node.line}-{i}",
                )
            )
            ax.text(
                x + NODE_WIDTH * 1.3,
                top + node.patients / 2,
                f"{short_label(node.label, LABEL_CHARS)} ({node.patients})",
                va="center",
                ha="left",
                bbox={"facecolor": "white", "alpha": 0.75, "linewidth": 0, "pad": 1},
            )
        for k in range(1, depth + 1):
            ax.text((k - 1) * COLUMN_GAP, -gap, f"Line {k}", ha="left", va="bottom", weight="bold")
        ax.set_xlim(-0.02, (depth - 1) * COLUMN_GAP + COLUMN_GAP * 0.75)
        ax.set_ylim(busiest + gap * (most_nodes + 1), -gap * 4)
        ax.set_axis_off()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return SequenceDiagram(inline_svg(buffer.getvalue(), ID_PREFIX), graph)
