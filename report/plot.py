"""Swimmer plot of one case: a bar per line of therapy on a date axis, as inline SVG.

Each bar runs from the line's start to the date that ends its PFS (progression or death),
solid while the drugs were given and paler after the printed stop date. The bar is striped
by the drug classes of the line, responses are markers on the bar, and the PFS in months is
printed beside it. Adjuvant and neoadjuvant treatment is a hatched row of its own over a
shaded band, so it is never mistaken for a line.

matplotlib is driven through `Figure` directly, never pyplot: no GUI backend, no global
figure registry, safe in a worker. Labels come from PDFs, so mathtext is off (a "$" in a
regimen must print, not raise) and the SVG is checked before it is inlined.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib as mpl
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Transform

from report.records import AssessmentRow, EventRow, ExposureRow, LineRow
from report.svg import inline_svg

UNCLASSIFIED = "unclassified"
UNCLASSIFIED_COLOUR = "#9e9e9e"
ADJUVANT_SETTINGS = frozenset({"adjuvant", "neoadjuvant"})
ADJUVANT_ROW_LABEL = "Adjuvant / neoadjuvant"
ADJUVANT_FACE = "#d9d9d9"
ADJUVANT_SHADE = "#eeeeee"
ADJUVANT_HATCH = "///"

FIG_WIDTH_IN = 11.0
ROW_HEIGHT_IN = 0.45
FIG_BASE_HEIGHT_IN = 1.6
BAR_HEIGHT = 0.62
AFTER_STOP_ALPHA = 0.35
LABEL_MAX_CHARS = 40
ELLIPSIS = "…"
X_PAD_FRACTION = 0.02
PFS_LABEL_ROOM_FRACTION = 0.17
STUB_FRACTION = 0.015
"""Width of the stub drawn for a line whose end is unknown, as a fraction of the axis."""
MIN_SPAN_DAYS = 60
PFS_LABEL_GAP_STUBS = 1.3
"""Gap between a bar's end and its PFS label, in stub widths (room for the end marker)."""
LEGEND_COLUMNS = 4
FONT_SIZE = 9

RESPONSE_MARKERS: Mapping[str, tuple[str, str, float]] = {
    "CR": ("*", "#1a9850", 12.0),
    "PR": ("^", "#1f78b4", 8.0),
    "SD": ("s", "#ff9f1c", 6.5),
    "PD": ("v", "#d73027", 8.0),
}
PROGRESSION_MARKER = ("|", "#b2182b", 18.0)
DEATH_MARKER = ("X", "#000000", 9.0)
EDGE_COLOUR = "#333333"

RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "caselines",
    "text.parse_math": False,
    "font.size": FONT_SIZE,
    "font.family": "sans-serif",
}
SVG_METADATA = {"Date": None}
"""No timestamp in the SVG, so the same warehouse gives the same report."""


@dataclass(frozen=True)
class SwimmerPlot:
    svg: str | None
    """The inline <svg> element, None when nothing could be placed on a time axis."""
    notes: tuple[str, ...]
    """What could not be drawn and why (undated lines or adjuvant drugs)."""


@dataclass(frozen=True)
class _Bar:
    row: int
    line: LineRow
    start: date
    stop: date | None
    end: date | None
    classes: tuple[str, ...]


def short_label(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def line_label(line: LineRow) -> str:
    return line.regimen or " + ".join(line.drugs) or "regimen not reported"


def pfs_label(line: LineRow) -> str:
    """'PFS 7.3 mo'; the article's own figure too when it prints differently."""
    reported = None if line.pfs_months_reported is None else f"{line.pfs_months_reported:.1f}"
    if line.pfs_months is None:
        return f"PFS reported {reported} mo" if reported else "PFS n/a"
    computed = f"{line.pfs_months:.1f}"
    if reported is not None and reported != computed:
        return f"PFS {computed} mo (reported {reported})"
    return f"PFS {computed} mo"


def _line_classes(line: LineRow, exposures: Sequence[ExposureRow]) -> tuple[str, ...]:
    """Drug classes of the line's drugs, in drug order; unknown ones are 'unclassified'."""
    by_drug = {e.drug: e.drug_class for e in exposures if e.drug_class}
    in_line = [e.drug for e in exposures if e.line_no == line.line_no]
    drugs = list(dict.fromkeys([*line.drugs, *in_line]))
    classes = [by_drug.get(d) or UNCLASSIFIED for d in drugs]
    return tuple(dict.fromkeys(classes)) or (UNCLASSIFIED,)


def _num(day: date) -> float:
    return float(mdates.date2num(day))


def _days(n: float) -> timedelta:
    return timedelta(days=n)


def swimmer_svg(
    prefix: str,
    lines: Sequence[LineRow],
    exposures: Sequence[ExposureRow],
    assessments: Sequence[AssessmentRow],
    events: Sequence[EventRow],
    death_date: date | None,
    class_colours: Mapping[str, str],
) -> SwimmerPlot:
    """Draw one case; `prefix` makes the SVG ids unique on the page (bars are `{prefix}-line-N`)."""
    notes: list[str] = []
    adjuvant = [e for e in exposures if e.setting in ADJUVANT_SETTINGS]
    dated_adjuvant = [e for e in adjuvant if e.start_date is not None]
    undated = sorted({e.regimen or e.drug for e in adjuvant if e.start_date is None})
    if undated:
        notes.append("Adjuvant treatment without dates (not drawn): " + ", ".join(undated) + ".")
    row_offset = 1 if dated_adjuvant else 0
    bars: list[_Bar] = []
    for line in lines:
        if line.start_date is None:
            notes.append(f"Line {line.line_no}: no start date, not drawn.")
            continue
        bars.append(
            _Bar(
                row=row_offset + len(bars),
                line=line,
                start=line.start_date,
                stop=line.end_date,
                end=line.pfs_event_date or line.end_date,
                classes=_line_classes(line, exposures),
            )
        )
    if not bars and not dated_adjuvant:
        return SwimmerPlot(None, tuple(notes))

    death = death_date or next((e.event_date for e in events if e.kind == "death"), None)
    all_dates = [b.start for b in bars] + [d for b in bars for d in (b.stop, b.end) if d]
    all_dates += [e.start_date for e in dated_adjuvant if e.start_date]
    all_dates += [e.end_date for e in dated_adjuvant if e.end_date]
    all_dates += [a.assessed_on for a in assessments if a.assessed_on]
    all_dates += [death] if death else []
    first, last = min(all_dates), max(all_dates)
    span = max((last - first).days, MIN_SPAN_DAYS)
    stub = _days(span * STUB_FRACTION)

    with mpl.rc_context(RC):  # type: ignore[arg-type]
        n_rows = row_offset + len(bars)
        fig = Figure(figsize=(FIG_WIDTH_IN, FIG_BASE_HEIGHT_IN + ROW_HEIGHT_IN * n_rows))
        ax = fig.add_subplot()
        label_x = ax.get_yaxis_transform()

        if dated_adjuvant:
            _draw_adjuvant(ax, prefix, dated_adjuvant, stub, label_x)
        for bar in bars:
            _draw_bar(ax, prefix, bar, stub, class_colours, label_x)
        rows = {b.line.line_no: b.row for b in bars}
        _draw_assessments(ax, prefix, assessments, rows)
        _draw_progressions(ax, prefix, bars, events)
        if death is not None:
            ax.axvline(
                _num(death),
                color=DEATH_MARKER[1],
                linestyle="--",
                linewidth=0.8,
                gid=f"{prefix}-death-line",
            )
            ax.text(
                _num(death),
                -0.6,
                " death",
                va="bottom",
                ha="left",
                color=DEATH_MARKER[1],
                gid=f"{prefix}-death-label",
            )

        left = first - _days(span * X_PAD_FRACTION)
        right = last + _days(span * (X_PAD_FRACTION + PFS_LABEL_ROOM_FRACTION))
        ax.set_xlim(_num(left), _num(right))
        ax.set_ylim(n_rows - 0.5, -0.7)
        ax.set_yticks([])
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        _legend(ax, bars, assessments, death is not None, class_colours)

        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata=SVG_METADATA)
    return SwimmerPlot(inline_svg(buffer.getvalue()), tuple(notes))


def _draw_adjuvant(
    ax: Axes, prefix: str, exposures: Sequence[ExposureRow], stub: timedelta, label_x: Transform
) -> None:
    spans: dict[tuple[str, date, date], None] = {}
    for e in exposures:
        assert e.start_date is not None
        end = e.end_date if e.end_date and e.end_date > e.start_date else e.start_date + stub
        spans.setdefault((e.regimen or e.drug, e.start_date, end), None)
    lo = min(s for _, s, _ in spans)
    hi = max(e for _, _, e in spans)
    ax.axvspan(_num(lo), _num(hi), color=ADJUVANT_SHADE, zorder=0, gid=f"{prefix}-adjuvant-shade")
    for k, (name, start, end) in enumerate(spans):
        ax.add_patch(
            Rectangle(
                (_num(start), -BAR_HEIGHT / 2),
                _num(end) - _num(start),
                BAR_HEIGHT,
                facecolor=ADJUVANT_FACE,
                edgecolor=EDGE_COLOUR,
                hatch=ADJUVANT_HATCH,
                linewidth=0.6,
                gid=f"{prefix}-adjuvant-{k + 1}",
            )
        )
        ax.text(
            _num(start),
            -BAR_HEIGHT / 2 - 0.05,
            short_label(name, LABEL_MAX_CHARS // 2),
            va="bottom",
            ha="left",
            fontsize=FONT_SIZE - 1,
        )
    ax.text(
        -0.01,
        0,
        ADJUVANT_ROW_LABEL,
        transform=label_x,
        ha="right",
        va="center",
        style="italic",
        gid=f"{prefix}-adjuvant-label",
    )


def _draw_bar(
    ax: Axes,
    prefix: str,
    bar: _Bar,
    stub: timedelta,
    class_colours: Mapping[str, str],
    label_x: Transform,
) -> None:
    n = bar.line.line_no
    end = bar.end if bar.end and bar.end >= bar.start else bar.start + stub
    stop = bar.stop if bar.stop and bar.start <= bar.stop <= end else end
    top = bar.row - BAR_HEIGHT / 2
    stripe = BAR_HEIGHT / len(bar.classes)
    for k, drug_class in enumerate(bar.classes):
        colour = class_colours.get(drug_class, UNCLASSIFIED_COLOUR)
        y = top + k * stripe
        ax.add_patch(
            Rectangle(
                (_num(bar.start), y),
                _num(stop) - _num(bar.start),
                stripe,
                facecolor=colour,
                linewidth=0,
                gid=f"{prefix}-line-{n}-class-{k + 1}",
            )
        )
        if end > stop:
            ax.add_patch(
                Rectangle(
                    (_num(stop), y),
                    _num(end) - _num(stop),
                    stripe,
                    facecolor=colour,
                    alpha=AFTER_STOP_ALPHA,
                    linewidth=0,
                    gid=f"{prefix}-line-{n}-after-{k + 1}",
                )
            )
    ax.add_patch(
        Rectangle(
            (_num(bar.start), top),
            _num(end) - _num(bar.start),
            BAR_HEIGHT,
            fill=False,
            edgecolor=EDGE_COLOUR,
            linewidth=0.8,
            hatch="..." if bar.end is None else None,
            gid=f"{prefix}-line-{n}",
        )
    )
    ax.text(
        -0.01,
        bar.row,
        f"L{n}  {short_label(line_label(bar.line))}",
        transform=label_x,
        ha="right",
        va="center",
        gid=f"{prefix}-label-{n}",
    )
    suffix = "" if bar.end is not None else " · end not reported"
    ax.text(
        _num(end + stub * PFS_LABEL_GAP_STUBS),
        bar.row,
        pfs_label(bar.line) + suffix,
        ha="left",
        va="center",
        gid=f"{prefix}-pfs-{n}",
    )


def _draw_assessments(
    ax: Axes, prefix: str, assessments: Sequence[AssessmentRow], rows: Mapping[int, int]
) -> None:
    for k, a in enumerate(assessments):
        row = rows.get(a.line_no) if a.line_no is not None else None
        if a.assessed_on is None or row is None or a.response not in RESPONSE_MARKERS:
            continue
        marker, colour, size = RESPONSE_MARKERS[a.response]
        ax.plot(
            [_num(a.assessed_on)],
            [row],
            marker=marker,
            color=colour,
            markersize=size,
            markeredgecolor="white",
            markeredgewidth=0.6,
            linestyle="none",
            zorder=4,
            gid=f"{prefix}-assessment-{k + 1}-{a.response}",
        )


def _draw_progressions(
    ax: Axes, prefix: str, bars: Sequence[_Bar], events: Sequence[EventRow]
) -> None:
    """A progression mark where each line's PFS ends, plus progressions no line accounts for."""
    marked: set[date] = set()
    for bar in bars:
        day = bar.line.pfs_event_date
        if day is None or bar.line.pfs_event is None:
            continue
        marker, colour, size = DEATH_MARKER if bar.line.pfs_event == "death" else PROGRESSION_MARKER
        ax.plot(
            [_num(day)],
            [bar.row],
            marker=marker,
            color=colour,
            markersize=size,
            markeredgewidth=2.2,
            linestyle="none",
            zorder=5,
            gid=f"{prefix}-{bar.line.pfs_event}-line-{bar.line.line_no}",
        )
        marked.add(day)
    for k, e in enumerate(events):
        if e.kind != "progression" or e.event_date is None or e.event_date in marked:
            continue
        row = next((b.row for b in bars if b.end and b.start <= e.event_date <= b.end), None)
        if row is None:
            continue
        marker, colour, size = PROGRESSION_MARKER
        ax.plot(
            [_num(e.event_date)],
            [row],
            marker=marker,
            color=colour,
            markersize=size,
            markeredgewidth=2.2,
            linestyle="none",
            zorder=5,
            gid=f"{prefix}-progression-event-{k + 1}",
        )


def _marker_handle(
    marker: str, colour: str, size: float, label: str, edge: float | None = None
) -> Line2D:
    """A legend entry that shows a marker alone, as the plot draws it."""
    handle = Line2D(
        [], [], marker=marker, color=colour, markersize=size, linestyle="none", label=label
    )
    if edge is not None:
        handle.set_markeredgewidth(edge)
    return handle


def _legend(
    ax: Axes,
    bars: Sequence[_Bar],
    assessments: Sequence[AssessmentRow],
    has_death: bool,
    class_colours: Mapping[str, str],
) -> None:
    classes = list(dict.fromkeys(c for b in bars for c in b.classes))
    handles: list[Patch | Line2D] = [
        Patch(facecolor=class_colours.get(c, UNCLASSIFIED_COLOUR), label=short_label(c, 30))
        for c in classes
    ]
    responses = {a.response for a in assessments if a.assessed_on}
    for response, (marker, colour, size) in RESPONSE_MARKERS.items():
        if response in responses:
            handles.append(_marker_handle(marker, colour, size * 0.8, response))
    if any(b.line.pfs_event == "progression" for b in bars):
        marker, colour, size = PROGRESSION_MARKER
        handles.append(_marker_handle(marker, colour, size * 0.6, "progression", edge=2))
    if has_death:
        marker, colour, size = DEATH_MARKER
        handles.append(_marker_handle(marker, colour, size * 0.8, "death"))
    if any(b.stop and b.end and b.end > b.stop for b in bars):
        handles.append(
            Patch(
                facecolor=UNCLASSIFIED_COLOUR,
                alpha=AFTER_STOP_ALPHA,
                label="after stop, before progression",
            )
        )
    if handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=LEGEND_COLUMNS,
            frameon=False,
        )


PALETTES = ("tab10", "Dark2", "Set2")
"""Qualitative palettes, most distinct first; greys are left out (grey means unclassified)."""


def _palette() -> list[str]:
    colours: list[str] = []
    for name in PALETTES:
        for rgb in mpl.colormaps[name].colors:  # type: ignore[attr-defined]
            colour = mpl.colors.to_hex(rgb)
            r, g, b = mpl.colors.to_rgb(colour)
            if not (r == g == b) and colour not in colours:
                colours.append(colour)
    return colours


def class_colours(classes: Sequence[str | None]) -> dict[str, str]:
    """One colour per drug class across the report, so a class looks the same in every plot."""
    palette = _palette()
    names = sorted({c for c in classes if c and c != UNCLASSIFIED})
    colours = {name: palette[i % len(palette)] for i, name in enumerate(names)}
    colours[UNCLASSIFIED] = UNCLASSIFIED_COLOUR
    return colours
