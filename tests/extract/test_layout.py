"""Reading order, running heads and captions on synthetic pages (no PDF needed)."""

from __future__ import annotations

from extract.blocks import is_caption_start
from extract.layout import SPANNING, Line, group_rows, order_lines
from extract.running import PageRows, find_running, repeat_key
from extract.words import Word, font_style

SIZE = 9.0
PITCH = 12.0


def _line_words(text: str, x0: float, top: float, size: float = SIZE) -> list[Word]:
    """Words laid out as a typesetter would: char width 0.5 em, one space 0.25 em."""
    out, x = [], x0
    for tok in text.split():
        width = len(tok) * 0.5 * size
        out.append(Word(tok, x, top, x + width, top + size, size, False, False))
        x += width + 0.25 * size
    return out


def _column(prefix: str, x0: float, top: float, n: int) -> list[Word]:
    words: list[Word] = []
    for i in range(n):
        words += _line_words(f"{prefix}{i} aaaa bbbb cccc dddd eeee ffff gggg", x0, top + i * PITCH)
    return words


def _texts(lines: list[Line]) -> list[str]:
    return [ln.text.split()[0] for ln in lines]


def test_two_columns_are_read_left_then_right() -> None:
    words = _column("L", 50, 100, 8) + _column("R", 320, 104, 8)  # baselines need not match
    lines = order_lines(group_rows(words), 1)
    assert _texts(lines) == [f"L{i}" for i in range(8)] + [f"R{i}" for i in range(8)]
    assert {ln.column for ln in lines} == {0, 1}


def test_full_width_block_closes_a_column_run() -> None:
    title = _line_words("Title " + "wide " * 50, 50, 40)
    top = _column("A", 50, 100, 6) + _column("B", 320, 100, 6)
    caption = _line_words("Figure " + "caption " * 40, 50, 200)
    bottom = _column("C", 50, 260, 6) + _column("D", 320, 260, 6)
    lines = order_lines(group_rows(title + top + caption + bottom), 1)
    firsts = _texts(lines)
    assert firsts[0] == "Title"
    assert firsts[1:13] == [f"A{i}" for i in range(6)] + [f"B{i}" for i in range(6)]
    assert firsts[13] == "Figure" and lines[13].column == SPANNING
    assert firsts[14:] == [f"C{i}" for i in range(6)] + [f"D{i}" for i in range(6)]


def test_one_column_page_is_read_top_down() -> None:
    lines = order_lines(group_rows(_column("S", 50, 100, 10)), 1)
    assert _texts(lines) == [f"S{i}" for i in range(10)]


def test_superscript_is_glued_into_its_line() -> None:
    words = _line_words("175 mg/m", 50, 100)
    end = words[-1].x1
    words.append(Word("2", end, 97, end + 3.6, 104.2, 7.2, False, False))
    words += _line_words("d1 q2w", end + 3.6 + 2.25, 100)
    (line,) = order_lines(group_rows(words), 1)
    assert line.text == "175 mg/m2 d1 q2w"


def test_running_heads_repeat_with_other_page_numbers() -> None:
    pages = []
    for n in range(1, 5):
        words = _line_words(f"Journal of Cases {n}", 50, 20, 7)
        words += _column("B", 50, 100, 5)
        words += _line_words(f"Page {n} of 4", 250, 760, 7)
        pages.append(PageRows(792, tuple(group_rows(words))))
    found = find_running(pages)
    assert sorted(found.values()).count("header") == 4
    assert sorted(found.values()).count("footer") == 4
    assert all(i in (0, 6) for _, i in found)
    assert repeat_key("Page 3 of 4") == repeat_key("Page 4 of 4")


def test_bare_page_numbers_are_running_feet() -> None:
    pages = []
    for n in range(1, 5):
        words = _column("B", 50, 100, 5) + _line_words(str(n), 300, 752, 12)
        pages.append(PageRows(792, tuple(group_rows(words))))
    found = find_running(pages)
    assert sorted(found.values()) == ["footer"] * 4


def test_large_title_beside_the_other_column_keeps_both_lines_apart() -> None:
    """An 18 pt title line in the left column spans two 9 pt lines of the right column."""
    title = _line_words("Lymphocytic colitis", 57, 73.2, 18) + _line_words(
        "presenting as", 57, 97.5, 18
    )
    right = [
        w
        for i, top in enumerate((71.2, 83.4, 95.5, 107.7))
        for w in _line_words(f"R{i} aaaa bbbb cccc dddd eeee ffff gggg", 306, top)
    ]
    rows = group_rows(title + right)
    texts = [r.text() for r in rows]
    assert "Lymphocytic colitis" in texts and "presenting as" in texts
    assert [t.split()[0] for t in texts if t.startswith("R")] == ["R0", "R1", "R2", "R3"]


def test_superscript_stays_with_its_large_line() -> None:
    words = _line_words("Title of the article", 57, 73.2, 18)
    words.append(Word("1", words[-1].x1, 72.0, words[-1].x1 + 5, 80.0, 8.0, False, False))
    rows = group_rows(words)
    assert len(rows) == 1 and rows[0].text().endswith("1")


def test_text_on_a_single_page_is_not_a_running_head() -> None:
    words = _line_words("Only once at the top", 50, 20, 7) + _column("B", 50, 100, 5)
    other = _column("B", 50, 100, 5)
    pages = [PageRows(792, tuple(group_rows(words))), PageRows(792, tuple(group_rows(other)))]
    assert find_running(pages) == {}


def _line(text: str, size: float = SIZE, bold: bool = False, lead: str = "") -> Line:
    return Line(text, 1, 0, 50, 100, 300, 100 + size, size, bold, False, lead, len(text.split()))


def test_caption_start_needs_a_caption_signal() -> None:
    assert is_caption_start(_line("Figure 3 Case 1. On May 16", lead="Figure 3"), SIZE)
    assert is_caption_start(_line("FIGURE 1 | CT of the chest", size=7.0), SIZE)
    assert is_caption_start(_line("Table 2. Laboratory values"), SIZE)
    assert not is_caption_start(_line("Figure 3 shows the liver lesions"), SIZE)
    assert not is_caption_start(_line("Figures were drawn"), SIZE)


def test_font_style_from_postscript_names() -> None:
    assert font_style("ABCDEF+Liberation-Sans-Bold") == (True, False)
    assert font_style("XYZ+HelveticaNeueLTStd-BdIt") == (True, True)
    assert font_style("XYZ+MinionPro-It") == (False, True)
    assert font_style("XYZ+HelveticaNeueLTStd-Lt") == (False, False)
