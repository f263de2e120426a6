"""Line breaking for the terminal (common/wrap.py): cells counted as a terminal counts them, breaks by the Chinese
rules (no line starts with closing punctuation; dates, numbers, titles and names kept whole), nothing lost."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.common.wrap import CLOSING, OPENING, width, wrap

IDEOGRAPHS = "党支部委员会议召开组织生活记录缺少年月日期规定应当"
CLOSERS = "，。、；：？！）》」"
OPENERS = "（《「"


def rebuilt(text: str, lines: list[str]) -> None:
    """The lines are the text in order, only whitespace dropped at the breaks (and at the end)."""
    position = 0
    for number, line in enumerate(lines):
        if number:
            while position < len(text) and text[position].isspace():
                position += 1
        assert text[position:position + len(line)] == line, (text, lines)
        position += len(line)
    assert not text[position:].strip(), (text, lines)


# ---------------------------------------------------------------- what a reader of the issue pointed at


def test_cells_count_chinese_as_two() -> None:
    assert width("党支部") == 6
    assert width("A1") == 2
    assert width("e\u0301") == 1  # a combining accent takes no cell


def test_no_line_starts_with_a_pause_mark_or_a_closing_title_mark() -> None:
    text = "依据：《党费规定》第二、五、六条；《中央和国家机关党费收缴、使用和管理办法》第一条"
    for cells in range(12, 60):
        lines = wrap(text, cells)
        rebuilt(text, lines)
        assert all(line[0] not in CLOSING for line in lines), (cells, lines)
        assert all(width(line) <= cells for line in lines), (cells, lines)


def test_dates_numbers_and_their_units_stay_whole() -> None:
    text = "后勤服务中心党支部本届于2021-05-10选举产生，任期3年，应于2025-05-10前换届，已逾期250天，基数8900元"
    for cells in range(16, 70):
        joined = "\n".join(wrap(text, cells))
        for whole in ("2021-05-10", "2025-05-10", "250天", "8900元", "3年"):
            assert whole in joined, (cells, joined)


def test_a_title_and_a_protected_name_stay_on_one_line_when_they_fit() -> None:
    text = "后勤服务中心党支部的换届应于2024-05-10进行，见《基层组织选举工作条例》第三条和后勤服务中心党支部的记录"
    for cells in range(30, 80):
        lines = wrap(text, cells, keep=["后勤服务中心党支部"])
        assert sum(line.count("后勤服务中心党支部") for line in lines) == 2, (cells, lines)
        assert any("《基层组织选举工作条例》" in line for line in lines), (cells, lines)


def test_english_breaks_at_spaces_and_drops_them() -> None:
    text = "At the election on 2025-11-20, 6 of 8 voters attended, not the 4/5 required"
    lines = wrap(text, 24)
    assert lines == ["At the election on", "2025-11-20, 6 of 8", "voters attended, not the", "4/5 required"]


def test_a_fraction_in_a_sentence_is_a_number_not_a_path() -> None:
    text = "实到会6人，未达到应到会人数的4/5，选举无效"
    assert wrap(text, 30) == ["实到会6人，未达到应到会人数的", "4/5，选举无效"]


def test_a_comparison_sign_stays_with_its_number() -> None:
    lines = wrap("在职: ≤3000 0.5%、≤5000 1%、≤10000 1.5%", 22)
    assert all(not line.endswith("≤") for line in lines), lines
    assert "≤5000" in "\n".join(lines)


def test_a_hanging_indent_gives_later_lines_their_own_width() -> None:
    lines = wrap("组织生活记录缺少记录人，" * 4, 20, later=10)
    assert width(lines[0]) <= 20 and all(width(line) <= 10 for line in lines[1:]), lines


def test_a_newline_always_breaks() -> None:
    assert wrap("第一段\n第二段", 80) == ["第一段", "第二段"]


# ---------------------------------------------------------------- properties


ANY_TEXT = st.lists(st.sampled_from([*IDEOGRAPHS, *CLOSERS, *OPENERS, *"ab1-2.% \u0301", "——", "……"]),
                    max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT, cells=st.integers(1, 50))
def test_lines_give_back_the_text_and_fit(text: str, cells: int) -> None:
    lines = wrap(text, cells)
    rebuilt(text, lines)
    for line in lines:  # only a character wider than the line may overflow it, alone
        assert width(line) <= cells or len(line.rstrip("\u0301")) == 1, (cells, lines)


def _sentences(draw: st.DrawFn) -> str:
    """Text as it is written: words of characters, ASCII words and numbers, each followed by at most two closing
    marks, and opening marks only before a word."""
    parts = []
    for _ in range(draw(st.integers(1, 20))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(OPENERS)))
        parts.append(draw(st.one_of(st.text(st.sampled_from(IDEOGRAPHS), min_size=1, max_size=6),
                                    st.from_regex(r"[0-9]{1,6}(?:\.[0-9]{1,2})?%?|[a-z]{1,5}", fullmatch=True))))
        parts.append(draw(st.text(st.sampled_from(CLOSERS), max_size=2)))
    return "".join(parts)


sentences = st.composite(_sentences)


@settings(max_examples=300, deadline=None)
@given(text=sentences(), cells=st.integers(12, 60))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(text: str, cells: int) -> None:
    lines = wrap(text, cells)
    rebuilt(text, lines)
    assert all(line[:1] not in CLOSING for line in lines[1:]), (cells, lines)
    assert all(line[-1:] not in OPENING for line in lines[:-1]), (cells, lines)
    assert all(width(line) <= cells for line in lines), (cells, lines)
