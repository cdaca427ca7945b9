"""Characters -> words as pdfplumber groups them, and PDFium's frame as pdfminer's: pure rules
on inputs of our own (no PDF)."""

from __future__ import annotations

import numpy as np
import pytest

from extract.chars import (
    Y_TOLERANCE,
    Char,
    _moved,
    _order,
    build_words,
    chars_to_words,
    split_words,
)
from extract.words import Word
from extract.words_pdfium import (
    _WHITESPACE,
    MAX_UNICODE,
    _distinct,
    _piece_runs,
    char_box,
    is_upright,
    multiply,
    page_frame,
    piece_advance,
    shown_advance,
)

SIZE = 10.0
FONT = "ABCDEF+Minion-Regular"


def _line(
    text: str, x: float = 50.0, top: float = 100.0, width: float = 5.0, **kw: object
) -> list[Char]:
    """One character per letter, each `width` wide, touching; a space leaves a blank char."""
    out = []
    for ch in text:
        out.append(Char(ch, x, top, x + width, top + SIZE, SIZE, str(kw.get("font", FONT))))
        x += width
    return out


def _texts(chars: list[Char]) -> list[str]:
    return [w.text for w in chars_to_words(chars)]


def test_a_blank_ends_a_word() -> None:
    assert _texts(_line("dose of 10 mg")) == ["dose", "of", "10", "mg"]


def test_a_gap_wider_than_the_ratio_of_the_size_splits_and_a_narrow_one_does_not() -> None:
    left = _line("CT")
    narrow = _line("of", x=left[-1].x1 + 0.1 * SIZE)
    wide = _line("the", x=narrow[-1].x1 + 0.2 * SIZE)
    assert _texts(left + narrow + wide) == ["CTof", "the"]


def test_a_change_of_font_starts_a_run_and_so_a_word() -> None:
    bold = _line("Case", font="ABCDEF+Minion-Bold")
    plain = _line("report", x=bold[-1].x1, font=FONT)
    words = chars_to_words(bold + plain)
    assert [(w.text, w.bold) for w in words] == [("Case", True), ("report", False)]


def test_lines_are_clustered_by_top_and_read_top_to_bottom_left_to_right() -> None:
    second = _line("below", top=120.0)
    first_right = _line("right", x=200.0, top=100.0 + Y_TOLERANCE / 2)
    first_left = _line("left", top=100.0)
    assert _texts(second + first_right + first_left) == ["left", "right", "below"]


def test_characters_given_right_to_left_are_read_left_to_right() -> None:
    assert _texts(list(reversed(_line("drug")))) == ["drug"]


def test_rotated_characters_are_left_out_but_cut_the_run() -> None:
    before = _line("ab")
    stamp = [Char("X", 0.0, 0.0, 0.0, 0.0, 0.0, FONT, upright=False)]
    after = _line("cd", x=before[-1].x1)
    assert _texts(before + stamp + after) == ["ab", "cd"]


def test_ligatures_are_expanded_as_pdfplumber_expands_them() -> None:
    assert _texts(_line("\ufb01rst")) == ["first"]


def test_a_word_takes_the_box_of_its_characters_and_the_first_ones_size() -> None:
    chars = _line("mg")
    sup = Char("2", chars[-1].x1, 97.0, chars[-1].x1 + 3.0, 104.0, SIZE, FONT)
    (word,) = chars_to_words([*chars, sup])
    assert (word.text, word.x0, word.top, word.x1, word.bottom) == ("mg2", 50.0, 97.0, 63.0, 110.0)


def test_an_upright_page_keeps_pdf_x_and_flips_y_from_the_mediabox_height() -> None:
    frame = page_frame(0, (10.0, 20.0, 622.0, 812.0))
    assert (frame.width, frame.height) == (612.0, 792.0)
    # pdfplumber 0.11: x as printed, top = height - y (its MediaBox-origin quirk, #1181)
    assert frame.x_shift == 0.0 and frame.y_flip == 792.0


@pytest.mark.parametrize(
    ("rotation", "corner"), [(90, (0.0, 0.0)), (180, (600.0, 0.0)), (270, (600.0, 800.0))]
)
def test_a_turned_page_is_turned_back_the_way_pdfminer_turns_it(
    rotation: int, corner: tuple[float, float]
) -> None:
    """/Rotate turns the page clockwise for display: the user-space corner that ends up at the
    displayed top-left must land at pdfplumber's (0, 0), and a quarter-turned line of text
    becomes upright."""
    frame = page_frame(rotation, (0.0, 0.0, 600.0, 800.0))
    turned = rotation in (90, 270)
    assert (frame.width, frame.height) == ((800.0, 600.0) if turned else (600.0, 800.0))
    a, b, c, d, e, f = frame.ctm
    x, y = corner
    dx, dy = a * x + c * y + e, b * x + d * y + f
    assert (dx + frame.x_shift, frame.y_flip - dy) == (0.0, 0.0)
    if turned:
        quarter = (0.0, 1.0, -1.0, 0.0) if rotation == 90 else (0.0, -1.0, 1.0, 0.0)
        text = (*quarter, 0.0, 0.0)
        assert not is_upright(text)
        assert is_upright(multiply(text, frame.ctm))


def test_upright_means_not_rotated_and_not_mirrored() -> None:
    assert is_upright((1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    assert is_upright((1.0, 0.1, -0.1, 1.0, 0.0, 0.0))  # a slight counter-clockwise turn
    assert not is_upright((-1.0, 0.0, 0.0, 1.0, 0.0, 0.0))  # mirrored
    assert not is_upright((0.0, 1.0, -1.0, 0.0, 0.0, 0.0))  # a quarter turn


def test_a_glyph_box_spans_its_advance_and_one_font_size_above_the_descent() -> None:
    x0, y0, x1, y1 = char_box((100.0, 500.0), 5.0, -2.0, 10.0, (0.75, 0.0, 0.0, 0.75, 0.0, 0.0))
    assert (x0, y0, x1, y1) == (100.0, 498.5, 103.75, 506.0)


def test_the_shown_codes_advance_is_read_off_the_loose_box_where_the_unicode_misleads() -> None:
    # the loose box ends where the Unicode's width says: that width
    assert shown_advance(100.0, 3.2, 103.2, 102.9) == 3.2
    # it ends further and the ink does not: the shown code is wider (a small capital)
    assert shown_advance(100.0, 3.2, 104.6, 103.9) == pytest.approx(4.6)
    # it ends further because the ink overhangs (an italic f): the Unicode's width stays
    assert shown_advance(100.0, 3.2, 104.0, 104.0) == 3.2
    # it ends short of the Unicode's advance: the shown code is narrower
    assert shown_advance(100.0, 4.6, 103.2, 102.8) == pytest.approx(3.2)


def test_a_split_glyph_reaches_to_its_advance_not_to_its_overhanging_ink() -> None:
    # the advance box sticks out of the ink: its edge
    assert piece_advance(100.0, 105.0, 104.2, 0.0, 0.0) == pytest.approx(5.0)
    # the ink overhangs ('ff'): the ligature's own width when it fits in the box
    assert piece_advance(100.0, 105.8, 105.8, 5.0, 6.2) == 5.0
    # no width known for the ligature (or one that does not fit): its letters', within the ink
    assert piece_advance(100.0, 105.8, 105.8, 0.0, 5.2) == pytest.approx(5.2)
    assert piece_advance(100.0, 105.8, 105.8, 7.0, 6.4) == pytest.approx(5.8)
    # nothing known: the ink's edge
    assert piece_advance(100.0, 105.8, 105.8, 0.0, 0.0) == pytest.approx(5.8)


def _turned(text: str, x0: float, bottom: float, up: bool = True, step: float = 5.0) -> list[Char]:
    """Characters of a line turned a quarter: reading up (bottom to top) or down."""
    out = []
    for ch in text:
        top = bottom - step
        out.append(Char(ch, x0, top, x0 + SIZE, bottom, SIZE, FONT, False))
        bottom = bottom - step if up else bottom + step
    if not up:
        out = [c._replace(top=c.top + step, bottom=c.bottom + step) for c in out]
    return out


def test_turned_characters_read_up_the_page_become_turned_words() -> None:
    chars = _turned("CA 19-9", 100.0, 500.0) + _turned("CEA", 130.0, 500.0)
    upright, turned = split_words(chars, upwards=True)
    assert upright == []
    assert [w.text for w in turned] == ["CA", "19-9", "CEA"]
    assert turned[0].x0 == 100.0 and turned[0].bottom == 500.0


def test_turned_lines_are_ordered_by_their_edge_and_words_cut_at_a_gap() -> None:
    # given right to left, read left to right (line_dir 'ltr' when reading upwards)
    chars = _turned("later", 200.0, 500.0) + _turned("first", 100.0, 500.0)
    assert [w.text for w in split_words(chars, upwards=True)[1]] == ["first", "later"]
    # a gap along the line wider than pdfplumber's y tolerance ends the word
    gap = _turned("ab", 100.0, 500.0) + _turned("cd", 100.0, 485.0)
    assert [w.text for w in split_words(gap, upwards=True)[1]] == ["ab", "cd"]


def test_turned_characters_read_down_the_page_when_most_do() -> None:
    chars = _turned("down", 300.0, 100.0, up=False)
    assert [w.text for w in split_words(chars, upwards=False)[1]] == ["down"]
    # read the other way, they come out backwards (as pdfplumber's do)
    assert [w.text for w in split_words(chars, upwards=True)[1]] == ["nwod"]


def test_every_blank_python_knows_is_in_the_table_the_reader_looks_blanks_up_in() -> None:
    blanks = {c for c in range(MAX_UNICODE + 1) if chr(c).isspace()}
    assert blanks == set(_WHITESPACE.tolist())


def test_the_pieces_of_one_glyph_are_found_from_the_marks_of_those_after_the_first() -> None:
    marks = np.array([False, True, True, False, True, False, False, True])
    assert list(_piece_runs(marks)) == [(0, 2), (3, 4), (6, 7)]
    assert list(_piece_runs(np.zeros(3, dtype=np.bool_))) == []


def test_words_built_field_by_field_equal_words_built_by_their_constructor() -> None:
    rows = [
        ("dose", 1.0, 2.0, 3.0, 4.0, 9.5, True, False),
        ("mg", 5.0, 6.0, 7.0, 8.0, 10.0, False, True),
    ]
    built = build_words(*(list(column) for column in zip(*rows, strict=True)))
    assert built == [Word(*row) for row in rows]
    assert [hash(w) for w in built] == [hash(Word(*row)) for row in rows]


@pytest.mark.parametrize("largest_code", [0x7F, MAX_UNICODE])
def test_distinct_pairs_are_found_as_numpy_finds_them(largest_code: int) -> None:
    rng = np.random.default_rng(7)
    groups = rng.integers(0, 5, 500)
    codes = rng.integers(0, 40, 500)
    codes[-1] = largest_code  # past the BMP, the general path
    firsts, inverse = _distinct(groups, codes)
    _, np_firsts, np_inverse = np.unique(
        groups * (MAX_UNICODE + 1) + codes, return_index=True, return_inverse=True
    )
    assert sorted(firsts.tolist()) == sorted(np_firsts.tolist())
    # each position names the pair whose first position is the pair's first occurrence
    assert (firsts[inverse] == np_firsts[np_inverse]).all()


def test_a_character_of_several_letters_keeps_the_words_after_it_whole() -> None:
    """A glyph PDFium split and the reader joined back ('ff') is one character of two
    letters: the words after it on the page must not shift by its extra letter."""
    head = _line("e")
    ff = Char("ff", head[-1].x1, 100.0, head[-1].x1 + 5.0, 100.0 + SIZE, SIZE, FONT)
    tail = _line("ect of \U0001d400 dose", x=ff.x1)
    assert _texts([*head, ff, *tail]) == ["effect", "of", "\U0001d400", "dose"]


@pytest.mark.parametrize("shuffled", [False, True])
def test_the_reading_order_is_numpys_lexsort_of_line_then_x(shuffled: bool) -> None:
    rng = np.random.default_rng(3)
    line = np.repeat(np.arange(40), 25)
    x0 = np.tile(np.round(np.linspace(50.0, 500.0, 25), 1), 40)
    if shuffled:
        rng.shuffle(line)
    assert (_order(line, x0) == np.lexsort((x0, line))).all()  # each line written rising
    x0[::7] = x0[::7] - 3.0  # ties and steps back, as superscripts and kerning make them
    assert (_order(line, x0) == np.lexsort((x0, line))).all()
    wide = line + 40_000  # past int16: the general path
    assert (_order(wide, x0) == np.lexsort((x0, wide))).all()


def test_texts_kept_by_position_follow_their_characters_when_columns_shrink_or_turn() -> None:
    several = {1: "ff", 4: "fi"}
    assert _moved(several, np.array([0, 1, 3, 4]), 5) == {1: "ff", 3: "fi"}
    assert _moved(several, np.array([4, 3, 2, 1, 0]), 5) == {0: "fi", 3: "ff"}
    assert _moved(several, np.array([0, 4]), 5) == {1: "fi"}  # a dropped one is gone
