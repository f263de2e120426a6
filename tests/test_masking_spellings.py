"""ID and phone numbers are masked by what their digits are, whatever separates them; nothing else is masked.

Property tests over generated spellings: valid ID numbers (check digit, X), mobiles and landlines, grouped as
people write them, with the separators real ledgers hold (a full stop, a no-break space, U+3000, two spaces, a
zero-width space, hyphens, brackets) and full-width digits, inside ordinary text. Each must come out with no more
digits shown than its plain spelling shows (the first six and last four of an ID, the first three and last four
of a mobile, the area code and last four of a landline), one character for one. Dates, amounts, counts, years,
Excel serials, organization ids and member numbers, in the forms messages print them, must come out unchanged. And
no input, however long its runs of digits and separators, makes the masking slow.
"""

from __future__ import annotations

import datetime as dt
import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ledgercheck.common.privacy import BIDI_CONTROLS, SEPARATORS, mask_text, printable, writable

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82")
# The separators the issue names (full stop, no-break space, U+3000, two spaces, zero-width space), those masked
# before (space, hyphen), and a few more a ledger holds (thin and narrow no-break spaces, full-width hyphen and stop).
SEPS = (".", "\u00a0", "\u3000", "  ", "\u200b", " ", "-", "\u2009", "\u202f", "－", "．", "_", "\u2014")
AREA_CODES = ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029", "0571", "0755", "0731", "0351",
              "0471", "0898", "0991")
SETTINGS = settings(max_examples=300, deadline=None)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ASCII = str.maketrans("０１２３４５６７８９Ｘｘx", "0123456789XXX")
BEFORE = st.sampled_from(["", "电话：", "身份证号为", "联系人张伟，", "（", "tel: ", "ID ", "「", "党员李娜 身份证"])
AFTER = st.sampled_from(["", "。", "，请核对", "）", " 联系", "」", "；", "\n第二行"])


def check_char(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(PROVINCES)) + draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(dt.date(1920, 1, 1), dt.date(2015, 12, 31)))
    body = region + born.strftime("%Y%m%d") + draw(st.text("0123456789", min_size=3, max_size=3))
    check = check_char(body)
    return body + (check.lower() if check == "X" and draw(st.booleans()) else check)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    return "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))


class Spelling:
    """A number as written: the text, and where its own digits (not a country code's) are in it."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.digits: list[int] = []  # index in chars of each of the number's characters (digits and the X)

    def add(self, text: str, number: bool = False) -> None:
        for char in text:
            if number:
                self.digits.append(len(self.chars))
            self.chars.append(char)

    @property
    def text(self) -> str:
        return "".join(self.chars)


def _groups(number: str, sizes: tuple[int, ...]) -> list[str]:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start:start + size])
        start += size
    assert start == len(number), (number, sizes)
    return parts


def _widths(draw: st.DrawFn, text: str) -> str:
    """ASCII digits, full-width digits, or each digit either way."""
    mode = draw(st.sampled_from(["ascii", "full", "mixed"]))
    if mode == "ascii":
        return text
    if mode == "full":
        return text.translate(FULL_WIDTH)
    return "".join(c.translate(FULL_WIDTH) if draw(st.booleans()) else c for c in text)


@st.composite
def spelled_ids(draw: st.DrawFn) -> tuple[str, Spelling]:
    number = draw(id_numbers())
    alike = draw(st.booleans())
    if alike:  # one separator throughout: any grouping
        sizes = draw(st.sampled_from([(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4), (6, 6, 6),
                                      (6, 12), (14, 4), (6, 8, 3, 1)]))
        sep = draw(st.sampled_from(SEPS))
        seps = [sep] * (len(sizes) - 1)
    else:  # separators of several kinds: the region code first, the last four last
        sizes = draw(st.sampled_from([(6, 8, 4), (6, 4, 4, 4), (6, 2, 2, 2, 2, 4), (6, 4, 2, 2, 4)]))
        seps = [draw(st.sampled_from(SEPS)) for _ in sizes[1:]]
    spelling = Spelling()
    spelling.add(draw(BEFORE))
    for index, part in enumerate(_groups(number, sizes)):
        if index:
            spelling.add(seps[index - 1])
        spelling.add(_widths(draw, part), number=True)
    spelling.add(draw(AFTER))
    return number, spelling


@st.composite
def spelled_mobiles(draw: st.DrawFn) -> tuple[str, Spelling]:
    number = draw(mobiles())
    sizes = draw(st.sampled_from([(11,), (3, 4, 4), (4, 4, 3), (3, 8), (7, 4), (3, 3, 5)]))
    parts = _groups(number, sizes)
    spelling = Spelling()
    spelling.add(draw(BEFORE))
    spelling.add(draw(st.sampled_from(["", "", "+86 ", "86-", "+86", "0086 ", "(+86)", "+86\u00a0", "0086-"])))
    bracketed = len(parts) > 1 and len(parts[0]) == 3 and draw(st.booleans())  # (138)1234-5679
    spelling.add("(" if bracketed else "")
    spelling.add(_widths(draw, parts[0]), number=True)
    for index, part in enumerate(parts[1:]):
        spelling.add(")" + draw(st.sampled_from(["", *SEPS])) if bracketed and index == 0 else draw(st.sampled_from(SEPS)))
        spelling.add(_widths(draw, part), number=True)
    spelling.add(draw(AFTER))
    return number, spelling


@st.composite
def spelled_landlines(draw: st.DrawFn) -> tuple[str, Spelling]:
    area = draw(st.sampled_from(AREA_CODES))
    local = draw(st.sampled_from("2345678")) + draw(st.text("0123456789", min_size=6, max_size=7))
    spelling = Spelling()
    spelling.add(draw(BEFORE))
    opening, closing = draw(st.sampled_from([("(", ")"), ("（", "）"), ("", "")]))
    spelling.add(opening)
    spelling.add(_widths(draw, area), number=True)
    spelling.add(closing + draw(st.sampled_from(SEPS if not closing else ["", *SEPS[:3]])))
    sizes = draw(st.sampled_from([(len(local),), (len(local) - 4, 4)]))
    for index, part in enumerate(_groups(local, sizes)):
        if index:
            spelling.add(draw(st.sampled_from(SEPS)))
        spelling.add(_widths(draw, part), number=True)
    spelling.add(draw(AFTER))
    return area + local, spelling


def shown(spelling: Spelling) -> tuple[str, list[int]]:
    """The masked text, and which of the number's characters (by position in the number) it still shows."""
    masked = mask_text(spelling.text)
    assert len(masked) == len(spelling.text), "one character for one"
    outside = set(range(len(spelling.chars))) - set(spelling.digits)
    assert all(masked[i] == spelling.chars[i] for i in outside), "only the number's digits change"
    return masked, [k for k, i in enumerate(spelling.digits) if masked[i] != "*"]


def no_long_run(masked: str, number: str) -> None:
    plain = re.sub(f"[{SEPARATORS}()（）]", "", masked.translate(ASCII))
    assert number.upper() not in plain
    assert mask_text(masked) == masked, "masking is idempotent"


@SETTINGS
@given(spelled_ids())
def test_id_numbers_show_the_region_code_and_the_last_four(case: tuple[str, Spelling]) -> None:
    number, spelling = case
    masked, visible = shown(spelling)
    assert visible == [0, 1, 2, 3, 4, 5, 14, 15, 16, 17], (spelling.text, masked)
    no_long_run(masked, number)


@SETTINGS
@given(spelled_mobiles())
def test_mobiles_show_the_first_three_and_the_last_four(case: tuple[str, Spelling]) -> None:
    number, spelling = case
    masked, visible = shown(spelling)
    assert visible == [0, 1, 2, 7, 8, 9, 10], (spelling.text, masked)
    no_long_run(masked, number)


@SETTINGS
@given(spelled_landlines())
def test_landlines_show_the_area_code_and_the_last_four(case: tuple[str, Spelling]) -> None:
    number, spelling = case
    masked, visible = shown(spelling)
    area = 3 if number.startswith(("01", "02")) else 4
    assert visible == [*range(area), *range(len(number) - 4, len(number))], (spelling.text, masked)
    no_long_run(masked, number)


def test_the_spellings_of_the_issue() -> None:
    assert mask_text("1101 0819 8001 0112 26") == "1101 08** **** **12 26"  # was 1101 0819 **** 0110 26
    assert mask_text("110108.19800101.1234") == "110108.********.1234"
    assert mask_text("110108\u00a019800101\u00a01234") == "110108\u00a0********\u00a01234"
    assert mask_text("110108\u300019800101\u30001234") == "110108\u3000********\u30001234"
    assert mask_text("110108  19800101  1234") == "110108  ********  1234"
    assert mask_text("110108\u200b19800101\u200b1234") == "110108\u200b********\u200b1234"
    assert mask_text("138.1234.5674") == "138.****.5674"
    assert mask_text("1381 2345 675") == "138* ***5 675"
    assert mask_text("(138)1234-5679") == "(138)****-5679"
    assert mask_text("138\u00a01234\u00a05678") == "138\u00a0****\u00a05678"
    assert mask_text("１３８１２３４５６７８") == "１３８****５６７８"
    assert mask_text("(0571)88881235") == "(0571)****1235"
    assert mask_text("电话：+86 138 1234 5678，") == "电话：+86 138 **** 5678，"


def test_the_plain_spellings_are_masked_as_before() -> None:
    assert mask_text("110108199001011234") == "110108********1234"
    assert mask_text("33010619850201234X") == "330106********234X"
    assert mask_text("110108800101123") == "110108*****1123"
    assert mask_text("13812345678") == "138****5678"
    assert mask_text("139 8765 4322") == "139 **** 4322"
    assert mask_text("138-1234-5678") == "138-****-5678"
    assert mask_text("8613812345678") == "86138****5678"
    assert mask_text("010-65123457") == "010-****3457"
    assert mask_text("0571-88881234") == "0571-****1234"
    assert mask_text("12345678901234567890") == "123456**********7890"  # a long run: an ID with a typo


# ---------------------------------------------------------------- what must not be masked

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%-m/%-d", "%Y.%m.%d", "%Y%m%d", "%Y年%-m月%-d日", "%Y-%m", "%Y年%-m月")
dates = st.builds(lambda d, f: d.strftime(f), st.dates(dt.date(1949, 1, 1), dt.date(2035, 12, 31)),
                  st.sampled_from(_DATE_FORMATS))
amounts = st.one_of(st.integers(0, 99999).map(str),
                    st.decimals("0", "99999.99", places=2, allow_nan=False).map(lambda d: f"{d:f}".rstrip("0")
                                                                                .rstrip(".")))
counts = st.integers(0, 5000).map(str)
years = st.integers(1921, 2035).map(str)
serials = st.one_of(st.integers(1, 80000).map(str), st.floats(1, 80000).map(lambda f: f"{f:.4f}"))
org_ids = st.builds(lambda letter, n, width: f"{letter}{n:0{width}d}", st.sampled_from("BGDJZ"),
                    st.integers(0, 999), st.integers(2, 3))
member_numbers = st.builds(lambda year, n: f"{year}{n:03d}", st.integers(1990, 2030), st.integers(1, 999))
periods = st.one_of(st.builds(lambda y, q: f"{y}Q{q}", years, st.integers(1, 4)),
                    st.builds(lambda a, b: f"{a} ~ {b}", dates, dates))
HARMLESS = st.one_of(dates, amounts, counts, years, serials, org_ids, member_numbers, periods)
# How messages put values side by side: lists (、 , ), clauses, units, ranges.
JOINERS = st.sampled_from(["、", "，", ", ", "；", "：", " 至 ", " ~ ", "元，", "人，", "条；", "\n", "（", "）", "年"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(HARMLESS, JOINERS), min_size=1, max_size=12))
def test_dates_amounts_counts_and_numbers_are_left_alone(tokens: list[tuple[str, str]]) -> None:
    text = "".join(f"{value}{joiner}" for value, joiner in tokens)
    assert mask_text(text) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(dates, years), min_size=2, max_size=10), st.sampled_from([" ", "  ", "\u3000"]))
def test_lists_of_dates_and_years_separated_by_spaces_are_left_alone(values: list[str], sep: str) -> None:
    text = sep.join(values)
    assert mask_text(text) == text


def test_examples_that_must_survive() -> None:
    for text in ("2024-03-05", "20240305", "133.5", "应缴133.5元，实缴89元", "B01", "2023001", "45356", "45356.5",
                 "2025-07 ~ 2025-12", "2025-01 2025-02 2025-03", "2021 2022 2023 2024", "20240305 20240630 20241231",
                 "第3、5、8行", "1,380,000,000.00", "2c0c1d0a4f6e9b3a7d21", "192.168.100.200", "v1.2.3.4.5.6.7.8.9",
                 "党员编号2023001于2024年3月5日交纳党费133.5元", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18"):
        assert mask_text(text) == text, text


# ---------------------------------------------------------------- speed


def test_long_runs_of_digits_and_separators_take_no_time() -> None:
    """No backtracking: each of these, 30,000 characters and more, is masked in well under a second."""
    texts = ["1" * 100_000, "1 " * 50_000, "12-" * 30_000, "138 " * 25_000, "1   " * 25_000 + "x",
             ("1" * 9 + "    ") * 8_000, "2024-03-05 " * 10_000, "13812345678 " * 8_000,
             "(" * 10_000 + "1" * 10_000 + ")" * 10_000, "1\u200b" * 50_000, "１" * 50_000]
    for text in texts:
        started = time.perf_counter()
        masked = mask_text(text)
        assert time.perf_counter() - started < 1.0, text[:20]
        assert len(masked) == len(text)
    assert mask_text("1" * 100_000).count("*") == 100_000 - 10


def test_text_without_long_numbers_is_returned_as_it_is() -> None:
    for text in ("", "没有数字", "2025年7月", "a" * 100_000):
        assert mask_text(text) is text


# ---------------------------------------------------------------- control characters


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8")))
def test_printable_leaves_no_control_character_but_line_feeds_and_tabs(text: str) -> None:
    shown = printable(text)
    raw = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]"  # and the bidi controls, which reorder what follows
    assert not re.search(raw, shown)
    if not re.search(raw, text):
        assert shown is text


def test_printable_spells_escapes_out() -> None:
    assert printable("台账\x1b[31m.xlsx") == "台账\\x1b[31m.xlsx"
    assert printable("a\x07b\x9bc\x00d") == "a\\x07b\\x9bc\\x00d"
    assert printable("一行\r\n两行\t制表") == "一行\n两行\t制表"
    assert printable("梁婷\u202e婷 D01") == "梁婷\\u202e婷 D01" and printable("a\u2066b\u2069") == "a\\u2066b\\u2069"


@given(st.text(st.characters()))  # any code point, lone surrogates too (a file name's byte not in UTF-8)
def test_writable_text_is_what_an_xml_document_holds_and_changes_nothing_else(text: str) -> None:
    from lxml import etree

    shown = writable(text)
    element = etree.Element("t")
    element.text = shown  # lxml refuses control characters and lone surrogates: the Word notices' failure
    assert (etree.fromstring(etree.tostring(element, encoding="utf-8")).text or "") == shown
    assert not re.search(f"[{BIDI_CONTROLS}]", shown)
    if all(c in "\t\n\r" or (" " <= c and not "\ud800" <= c <= "\udfff" and c not in "\ufffe\uffff"
                                and not re.match(f"[{BIDI_CONTROLS}]", c)) for c in text):
        assert shown == text


def test_writable_spells_what_it_changes() -> None:
    assert writable("办公\x07室\x00\x1b[31m") == "办公\\x07室\\x00\\x1b[31m"
    assert writable("报送/\udcb2\udcc6.xlsx") == "报送/\\xb2\\xc6.xlsx"
    assert writable("一\t二\n三\r") == "一\t二\n三\r" and writable("\ufffe") == "\\ufffe"
