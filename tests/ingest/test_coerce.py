"""Property and example tests for cell coercion (ledgercheck.ingest.coerce)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ledgercheck.ingest.coerce import (
    ALL_PRESENT_MARKERS,
    EMPTY_MARKERS,
    CellError,
    coerce,
    is_empty,
    normalize,
    to_date,
    to_id_number,
    to_int,
    to_month,
    to_name,
    to_names,
    to_number,
    to_text,
    to_year,
)
from ledgercheck.model.periods import Period, Unit
from ledgercheck.model.schema import SHEETS_BY_KEY

SETTINGS = settings(max_examples=200, deadline=None)
EXCEL_EPOCH = dt.date(1899, 12, 30)

dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 31))


def fullwidth(text: str) -> str:
    """ASCII → the Unicode full-width forms (U+FF01–U+FF5E); other characters are kept."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


_CN = "〇一二三四五六七八九"


def cn_year(year: int) -> str:
    return "".join(_CN[int(d)] for d in str(year))


def cn_number(n: int) -> str:
    """1–31 in Chinese numerals: 五, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


SPELLINGS: dict[str, Callable[[dt.date], str]] = {
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "slash-padded": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    "dot": lambda d: f"{d.year}.{d.month}.{d.day}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "chinese-hao": lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}号",
    "compact": lambda d: d.strftime("%Y%m%d"),
    "with-time": lambda d: f"{d.isoformat()} 00:00:00",
    "with-T-time": lambda d: f"{d.isoformat()}T08:30",
    "unpadded-dash": lambda d: f"{d.year}-{d.month}-{d.day}",
    "chinese-numerals": lambda d: f"{cn_year(d.year)}年{cn_number(d.month)}月{cn_number(d.day)}日",
}

PADDING = ["", " ", "  ", "\u3000", "\t", " \u3000 "]


@SETTINGS
@given(dates, st.sampled_from(sorted(SPELLINGS)), st.booleans(), st.sampled_from(PADDING),
       st.sampled_from(PADDING))
def test_every_text_spelling_reads_back_the_same_date(day: dt.date, spelling: str, wide: bool, left: str,
                                                       right: str) -> None:
    text = SPELLINGS[spelling](day)
    if wide:
        text = fullwidth(text)
    raw = left + text + right
    assert to_date(raw) == day
    # A full date is a full date whatever month_ok says.
    assert to_date(raw, month_ok="start") == day
    assert to_date(raw, month_ok="end") == day


# What people write after a meeting's date: the weekday, the time of day, or the end of a meeting over several days.
ANNOTATIONS = ["上午", "下午", "晚上", "晚", "全天", "（周三）", "(星期一)", "周日", "星期天下午", "（上午）", " 下午2:30",
               "下午3点半", "上午9点", "上午9时30分", "（周二）上午"]
ENDS: dict[str, Callable[[dt.date], str]] = {
    "day": lambda d: f"-{d.day}",
    "day-zhi": lambda d: f"至{d.day}日",
    "month-day": lambda d: f"-{d.month}.{d.day}",
    "full": lambda d: f"~{d.isoformat()}",
    "full-dao": lambda d: f"到{d.year}年{d.month}月{d.day}日",
}


@SETTINGS
@given(dates, st.sampled_from(sorted(SPELLINGS)), st.sampled_from(ANNOTATIONS), st.booleans())
def test_a_weekday_or_time_of_day_after_the_date_is_read_past(day: dt.date, spelling: str, note: str,
                                                             wide: bool) -> None:
    text = SPELLINGS[spelling](day) + note
    assert to_date(fullwidth(text) if wide else text) == day


@SETTINGS
@given(dates, st.sampled_from(["iso", "slash", "dot", "chinese", "unpadded-dash", "slash-padded"]),
       st.sampled_from(sorted(ENDS)), st.integers(0, 3))
def test_a_meeting_over_several_days_is_dated_by_its_first(day: dt.date, spelling: str, end: str, days: int) -> None:
    last = day + dt.timedelta(days=days)
    assert to_date(SPELLINGS[spelling](day) + ENDS[end](last)) == day


@pytest.mark.parametrize("raw", ["2025-3-5-", "2025.3.5-", "上午", "周三", "2025-3上午", "2025年3月5日的会", "3月5日至6日",
                                 "2025年3月5日下午茶"])
def test_an_annotation_alone_or_after_no_date_is_no_date(raw: str) -> None:
    with pytest.raises(CellError) as info:
        to_date(raw, month_ok="start") if "2025-3上午" != raw else to_date(raw)
    # Without a year, a day is a day to read in the sheet's year (tests/ingest/test_yearless_dates.py), if any.
    assert info.value.code == "INPUT-DATE-NO-YEAR" if raw == "3月5日至6日" else \
        info.value.code in ("INPUT-BAD-DATE", "INPUT-NEED-DAY")


@SETTINGS
@given(dates, st.sampled_from(["date", "datetime", "serial", "serial+time", "serial-int", "compact-float",
                               "compact-int"]))
def test_date_cells_numbers_and_serials_read_back_the_same_date(day: dt.date, form: str) -> None:
    serial = (day - EXCEL_EPOCH).days
    # Serials 1900–2100 (dates in 1905) read as a bare year or a month typed as 2024.3, never as a date.
    assume(not form.startswith("serial") or not 1900 <= serial <= 2100)
    compact = int(day.strftime("%Y%m%d"))
    raw: object = {
        "date": day,
        "datetime": dt.datetime(day.year, day.month, day.day, 13, 45, 10),
        "serial": float(serial),
        "serial+time": serial + 0.75,
        "serial-int": serial,
        "compact-float": float(compact),
        "compact-int": compact,
    }[form]
    result = to_date(raw)
    assert result == day
    assert type(result) is dt.date


def test_serial_examples() -> None:
    assert to_date(45356.0) == dt.date(2024, 3, 5)
    assert to_date(61.0) == dt.date(1900, 3, 1)
    assert to_date(1.0e0 * 44927) == dt.date(2023, 1, 1)
    # Serials before 1900-03-01 are refused (Excel's phantom 1900-02-29).
    for raw in (60.0, 1.0, 0.0, -5.0):
        with pytest.raises(CellError) as info:
            to_date(raw)
        assert info.value.code == "INPUT-BAD-DATE"


MONTH_SPELLINGS: dict[str, Callable[[int, int], object]] = {
    "dash": lambda y, m: f"{y}-{m:02d}",
    "dash-unpadded": lambda y, m: f"{y}-{m}",
    "slash": lambda y, m: f"{y}/{m}",
    "dot": lambda y, m: f"{y}.{m}",
    "chinese": lambda y, m: f"{y}年{m}月",
    "chinese-fen": lambda y, m: f"{y}年{m}月份",
    "compact": lambda y, m: f"{y}{m:02d}",
    "compact-float": lambda y, m: float(f"{y}{m:02d}"),
    "fullwidth": lambda y, m: fullwidth(f"{y}-{m:02d}"),
    "chinese-numerals": lambda y, m: f"{cn_year(y)}年{cn_number(m)}月",
}

months = st.tuples(st.integers(min_value=1901, max_value=2099), st.integers(min_value=1, max_value=12))


@SETTINGS
@given(months, st.sampled_from(sorted(MONTH_SPELLINGS)))
def test_month_only_needs_month_ok(month: tuple[int, int], spelling: str) -> None:
    year, number = month
    raw = MONTH_SPELLINGS[spelling](year, number)
    with pytest.raises(CellError) as info:
        to_date(raw)
    assert info.value.code == "INPUT-NEED-DAY"
    period = Period(year, Unit.MONTH, number)
    assert to_date(raw, month_ok="start") == period.start == dt.date(year, number, 1)
    assert to_date(raw, month_ok="end") == period.end
    assert to_month(raw) == period


def test_month_only_examples() -> None:
    assert to_date("2024年2月", month_ok="end") == dt.date(2024, 2, 29)
    assert to_date("2023-02", month_ok="end") == dt.date(2023, 2, 28)
    assert to_date("2024-12", month_ok="end") == dt.date(2024, 12, 31)
    assert to_date(" 2024年3月 ", month_ok="start") == dt.date(2024, 3, 1)


def test_field_specs_apply_month_ok() -> None:
    members = SHEETS_BY_KEY["members"].by_key
    meetings = SHEETS_BY_KEY["meetings"].by_key
    orgs = SHEETS_BY_KEY["orgs"].by_key
    assert coerce(members["joined_on"], "2015年7月") == dt.date(2015, 7, 1)
    assert coerce(orgs["deferral_until"], "2025-06") == dt.date(2025, 6, 30)
    with pytest.raises(CellError) as info:
        coerce(meetings["date"], "2024年3月")
    assert info.value.code == "INPUT-NEED-DAY"
    assert info.value.params == {"value": "2024年3月"}


@SETTINGS
@given(dates, st.sampled_from(sorted(SPELLINGS)))
def test_to_month_of_a_full_date_is_its_month(day: dt.date, spelling: str) -> None:
    assert to_month(SPELLINGS[spelling](day)) == Period.of(Unit.MONTH, day)
    assert to_month(day) == Period.of(Unit.MONTH, day)


@pytest.mark.parametrize("raw", ["2024-13", "2024年13月", "abc", "2024-00", 13.0, "2024-02-30", True])
def test_to_month_refuses(raw: object) -> None:
    with pytest.raises(CellError) as info:
        to_month(raw)
    assert info.value.code == "INPUT-BAD-MONTH"


@pytest.mark.parametrize("raw", ["三月", 1.0, 12, "3月份"])
def test_to_month_without_a_year_says_so(raw: object) -> None:
    """A month without its year is read in the sheet's year where it has one (test_yearless_dates.py)."""
    with pytest.raises(CellError) as info:
        to_month(raw)
    assert info.value.code == "INPUT-DATE-NO-YEAR"


@pytest.mark.parametrize("raw", [
    "2024-02-30", "2024-13-01", "2023-02-29", "2024/4/31", "2024年2月30日", "20240230", "20241301", 20240230.0,
    "2024-00-10", "2024-03-00", "2024-13", "昨天", "abc", "2024-03-05x", "3/5/2024", True, "", "2024年02月30号",
])
def test_impossible_or_unreadable_dates(raw: object) -> None:
    with pytest.raises(CellError) as info:
        to_date(raw, month_ok="start")
    assert info.value.code == "INPUT-BAD-DATE"


def test_bad_date_params_show_the_value() -> None:
    with pytest.raises(CellError) as info:
        to_date("2024-02-30")
    assert info.value.params == {"value": "2024-02-30"}


# ---- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("12人", 12), ("１２人", 12), (" 12 名 ", 12), ("3次", 3), ("8学时", 8), ("8 课时", 8), ("2小时", 2), ("4h", 4),
    (12, 12), (12.0, 12), ("12", 12), ("0", 0), ("1,200人", 1200),
])
def test_to_int_accepts_units(raw: object, expected: int) -> None:
    result = to_int(raw)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(("raw", "expected"), [("三年", 3), ("5年", 5), ("两年", 2), ("十五人", 15), ("二十", 20),
                                                ("五", 5), ("12名", 12), ("十二", 12)])
def test_to_int_reads_counts_as_people_write_them(raw: str, expected: int) -> None:
    assert to_int(raw) == expected


def test_to_int_shows_the_cell_as_written() -> None:
    with pytest.raises(CellError) as info:
        to_int("约15人")
    assert info.value.code == "INPUT-BAD-NUMBER" and info.value.params["value"] == "约15人"


@pytest.mark.parametrize("raw", ["12.5", 12.5, "-3", -1, "十二点五", "abc", True, "nan", "inf", "1.5人"])
def test_to_int_refuses(raw: object) -> None:
    with pytest.raises(CellError) as info:
        to_int(raw)
    assert info.value.code == "INPUT-BAD-NUMBER"


@pytest.mark.parametrize(("raw", "expected"), [
    ("¥1,234.50元", 1234.5), ("￥1,234.50", 1234.5), ("1234.5元", 1234.5), ("RMB 100", 100.0), ("rmb100", 100.0),
    ("$20", 20.0), ("１２３.４", 123.4), (" 50 块 ", 50.0), (0, 0.0), (-2.5, -2.5), ("12.00", 12.0),
])
def test_to_number_accepts_currency_and_units(raw: object, expected: float) -> None:
    assert to_number(raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "nan", "inf", float("nan"), float("inf"), True, "元"])
def test_to_number_refuses(raw: object) -> None:
    with pytest.raises(CellError) as info:
        to_number(raw)
    assert info.value.code == "INPUT-BAD-NUMBER"


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10_000_000), st.sampled_from(["", "人", "元", "¥", "名", "次"]),
       st.booleans())
def test_to_int_reads_formatted_integers(number: int, unit: str, grouped: bool) -> None:
    text = f"{number:,}" if grouped else str(number)
    raw = unit + text if unit == "¥" else text + unit
    assert to_int(raw) == number
    assert to_int(fullwidth(raw)) == number


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024", 2024), ("2024年", 2024), ("2024年度", 2024), ("２０２４年", 2024), (2024, 2024), (2024.0, 2024),
    (" 2024 ", 2024), ("1900", 1900), ("2100", 2100),
])
def test_to_year(raw: object, expected: int) -> None:
    assert to_year(raw) == expected


@pytest.mark.parametrize("raw", ["1899", "2101", "24年", "abc", 2024.5, "二〇二四", -2024])
def test_to_year_refuses(raw: object) -> None:
    with pytest.raises(CellError) as info:
        to_year(raw)
    assert info.value.code == "INPUT-BAD-YEAR"


# ---- ID numbers, names, empties ------------------------------------------------------------------


@pytest.mark.parametrize("raw", [110105194912310021, 1.1010519491231002e17, 11010519491231002.0, 1e15])
def test_id_number_stored_as_number_is_refused(raw: object) -> None:
    with pytest.raises(CellError) as info:
        to_id_number(raw)
    assert info.value.code == "INPUT-ID-AS-NUMBER"


@pytest.mark.parametrize(("raw", "expected"), [
    ("11010519491231002x", "11010519491231002X"), (" 110105 19491231 0021 ", "110105194912310021"),
    ("１１０１０５１９４９１２３１００２１", "110105194912310021"), (110105491231002.0, "110105491231002"),
    ("\u3000110105194912310021\u3000", "110105194912310021"),
])
def test_id_number_text(raw: object, expected: str) -> None:
    assert to_id_number(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("张三、李四，王五,赵六;钱七；孙八", ("张三", "李四", "王五", "赵六", "钱七", "孙八")),
    ("张 三", ("张三",)),
    ("张\u3000三、李　四", ("张三", "李四")),
    (" 张 三 ， 李 四 ", ("张三", "李四")),
    ("欧阳 修、王 小明", ("欧阳修", "王小明")),
    ("张三 李四", ("张三", "李四")),
    ("张三、、李四", ("张三", "李四")),
    ("全到", ()),
    ("无", ()),
    ("张三、无", ("张三",)),
    ("John Smith, Li Lei", ("John Smith", "Li Lei")),
])
def test_to_names(raw: str, expected: tuple[str, ...]) -> None:
    assert to_names(raw) == expected


chinese_chars = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
# "全到" and "无" are markers for "nobody absent", not names.
names = st.text(chinese_chars, min_size=2, max_size=3).filter(lambda n: n not in ALL_PRESENT_MARKERS | EMPTY_MARKERS)


@pytest.mark.parametrize(("raw", "expected"), [
    ("李四（病假）、王五(出差)", ("李四", "王五")), ("张三  李四（病假）", ("张三", "李四")), ("(病假)", ("(病假)",)),
])
def test_to_names_reads_past_the_reason_after_a_name(raw: str, expected: tuple[str, ...]) -> None:
    assert to_names(raw) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(names, min_size=1, max_size=6), st.lists(st.sampled_from(list("、，,;；")), min_size=6, max_size=6),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_to_names_splits_and_unpads(people: list[str], separators: list[str], padded: list[bool]) -> None:
    written = [" ".join(name) if pad else name for name, pad in zip(people, padded)]
    text = written[0] + "".join(sep + name for sep, name in zip(separators, written[1:]))
    assert to_names(text) == tuple(people)


def _to_names_reference(value: object) -> tuple[str, ...]:
    """`to_names` as first written, every part through `to_name` and every name through the note's pattern."""
    text = normalize(str(value))
    if text in ALL_PRESENT_MARKERS:
        return ()
    found: list[str] = []
    for part in re.split(r"[、,，;；/|\n]+", text):
        tokens = part.split()
        if tokens and all(len(t) >= 2 for t in tokens) and re.search("[\u4e00-\u9fff\u3400-\u4dbf]", part):
            found.extend(tokens)
        elif part.strip():
            name = " ".join(normalize(part).split())
            found.append(name.replace(" ", "") if re.search("[\u4e00-\u9fff\u3400-\u4dbf]", name) else name)
    found = [re.sub(r"\s*\([^()]*\)$", "", n) or n for n in found]
    return tuple(n for n in found if n.lower() not in EMPTY_MARKERS)


# What absentee lists are made of: names, padding, separators, notes in brackets of both widths, marks that
# NFKC changes or composes (full-width letters, a combining accent), other scripts.
_LIST_TEXT = st.lists(st.sampled_from([*"张三李四王小明欧阳修", *"、，,;；/|\n", " ", "\u3000", "\t", *"()（）",
                                      *"病假出差", "ｊ", "Ａ", "e", "\u0301", "-", "无", "全到", "a", "N", "/"]),
                      max_size=24).map("".join)


@settings(max_examples=400, deadline=None)
@given(_LIST_TEXT)
def test_to_names_reads_a_list_as_the_straightforward_reading_does(text: str) -> None:
    assert to_names(text) == _to_names_reference(text)


@settings(max_examples=300, deadline=None)
@given(_LIST_TEXT)
def test_to_name_takes_out_the_same_spaces_as_before(text: str) -> None:
    plain = " ".join(normalize(text).split())
    assert to_name(text) == (plain.replace(" ", "") if re.search("[\u4e00-\u9fff\u3400-\u4dbf]", plain) else plain)


@pytest.mark.parametrize(("raw", "expected"), [
    ("张 三", "张三"), ("张　三", "张三"), (" 李四 ", "李四"), ("John  Smith", "John Smith"), (123.0, "123"),
])
def test_to_name(raw: object, expected: str) -> None:
    assert to_name(raw) == expected


def test_to_text() -> None:
    assert to_text(" a\u3000 b ") == "a b"
    assert to_text(12.0) == "12"
    assert to_text(dt.datetime(2024, 3, 5, 8, 0)) == "2024-03-05"
    assert to_text("ＤＯ１") == "DO1"


@pytest.mark.parametrize("raw", [None, "", " ", "\u3000", "-", "--", "—", "——", "–", "/", "\\", "无", "没有", "暂无",
                                 "N/A", "n/a", "NA", "None", "NULL", " 无 ", "\u3000—\u3000", "／"])
def test_is_empty_markers(raw: object) -> None:
    assert is_empty(raw)


@pytest.mark.parametrize("raw", [0, 0.0, False, "0", "张三", "无党派", "x", dt.date(2024, 1, 1), "-1"])
def test_is_not_empty(raw: object) -> None:
    assert not is_empty(raw)


def test_month_typed_as_a_decimal_number_is_not_read_as_a_1905_serial() -> None:
    for raw in (2024.3, 2024.12):
        try:
            month = to_month(raw)
        except CellError as exc:
            assert exc.code == "INPUT-BAD-MONTH"
        else:
            assert month.year == 2024, (raw, month)


@given(names=st.lists(st.text(alphabet="张王李赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施", min_size=2, max_size=3),
                      min_size=1, max_size=30, unique=True),
       separator=st.sampled_from(["、", ",", "，", ";", "；", " "]))
def test_a_list_of_those_present_counts_its_names(names: list[str], separator: str) -> None:
    from ledgercheck.ingest.coerce import EVERYONE, to_attendee_count

    assert to_attendee_count(separator.join(names)) == len(names)
    assert to_attendee_count(f"{len(names)}人") == len(names)
    assert to_attendee_count("全体党员") is EVERYONE


@given(year=st.integers(0, 99), month=st.integers(1, 12), day=st.integers(1, 28),
       spelling=st.sampled_from(["{y:02d}.{m}.{d}", "{y:02d}-{m}-{d}", "{y:02d}/{m:02d}/{d:02d}", "{y:02d}年{m}月{d}日",
                                 "{y:02d}年{m}月"]))
def test_a_two_digit_year_is_not_guessed_and_said_so(year: int, month: int, day: int, spelling: str) -> None:
    """25.3.5, 98-7-1, 21年7月1日: 19xx or 20xx cannot be told, so the cell is not read; the problem says it is the
    year (it said only "cannot read as a date"), for a date and for a dues month alike."""
    raw = spelling.format(y=year, m=month, d=day)
    for read in (lambda v: to_date(v, "start"), to_month):
        with pytest.raises(CellError) as caught:
            read(raw)
        assert caught.value.code == "INPUT-TWO-DIGIT-YEAR", raw


def test_the_two_digit_year_message() -> None:
    from ledgercheck.model.issues import CATALOG, INPUT_FIXES

    assert CATALOG["INPUT-TWO-DIGIT-YEAR"]("zh").format(column="会议日期", value="25.3.5") == \
        "「会议日期」的年份只写了两位：25.3.5（是19xx年还是20xx年？），无法读取"
    assert "四位年份" in INPUT_FIXES["INPUT-TWO-DIGIT-YEAR"]("zh")
    for raw in ("3.5", "12.5", "2025.3.5"):  # no year, or four digits: not this problem
        try:
            to_date(raw, "start")
        except CellError as exc:
            assert exc.code != "INPUT-TWO-DIGIT-YEAR", raw


def test_a_two_digit_year_in_a_ledger_is_reported_at_its_cell(tmp_path: Path) -> None:
    from tests.ingest.audited import audit_json
    from tests.ledgers import copy_sample, set_cell

    ledger = set_cell(copy_sample(tmp_path), "党员", "D3", "90.5.12")
    code, report = audit_json(ledger)
    found = [i for i in report["input_issues"] if i["code"] == "INPUT-TWO-DIGIT-YEAR"]
    assert code == 2 and len(found) == 1
    assert found[0]["location"]["sheet"] == "党员" and found[0]["location"]["column"] == "D"
    assert found[0]["location"]["row"] == 3
    assert "的年份只写了两位：90.5.12（是19xx年还是20xx年？），无法读取" in found[0]["message"]


@given(year=st.integers(0, 99), month=st.integers(1, 12), day=st.integers(1, 28), as_number=st.booleans())
def test_six_digits_that_are_no_year_and_month_are_a_two_digit_year(year: int, month: int, day: int,
                                                                   as_number: bool) -> None:
    """250305 typed in a date column: it was read as March 2503 (as text) or as Excel's serial 250305, a day in
    2585 (as a number). Digits run together are a year from 1900 to 2099 only (200103 stays January 2001)."""
    digits = f"{year:02d}{month:02d}{day:02d}"
    assume(not 1900 <= int(digits[:4]) < 2100)
    assume(not as_number or year >= 10)  # a number has no leading zero: 000101 is 101, a serial
    with pytest.raises(CellError) as caught:
        to_date(int(digits) if as_number else digits, "start")
    assert caught.value.code == "INPUT-TWO-DIGIT-YEAR", digits
    assert to_date("200103", "start") == dt.date(2001, 3, 1) and to_date(20250305) == dt.date(2025, 3, 5)


def _text_as_before(value: object) -> str:
    """to_text as it was written before its whitespace was collapsed by splitting (the reference)."""
    import re
    import unicodedata

    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value)).strip())


def _name_as_before(value: object) -> str:
    text = _text_as_before(value)
    if any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text):
        text = text.replace(" ", "")
    return text


_SPACE_CHARS = st.sampled_from([" ", "\t", "\n", "\u3000", "\u00a0", "\u2003", "\x1c", "\x1f", "\x85", "\u200b"])


@settings(max_examples=400)
@given(st.lists(st.one_of(st.text(max_size=4), _SPACE_CHARS, st.sampled_from(["张", "三", "㐀", "Li", "（", "１"])),
                max_size=8).map("".join))
def test_texts_and_names_read_as_the_straightforward_reading_reads_them(text: str) -> None:
    """Whitespace of every kind (ideographic, no-break, separators) collapsed and names unpadded exactly as the
    regular-expression reading did."""
    from ledgercheck.ingest import coerce

    assert coerce.to_text(text) == _text_as_before(text)
    assert coerce.to_name(text) == _name_as_before(text)
    assert coerce.to_names(text) == _names_as_before(text)


def _names_as_before(value: object) -> tuple[str, ...]:
    from ledgercheck.ingest import coerce

    text = coerce.normalize(str(value))
    if text in coerce.ALL_PRESENT_MARKERS:
        return ()
    names: list[str] = []
    for part in coerce._NAME_SEPARATORS.split(text):
        tokens = part.split()
        if tokens and all(len(t) >= 2 for t in tokens) and any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"
                                                                for c in part):
            names.extend(tokens)
        elif part.strip():
            names.append(_name_as_before(part))
    names = [coerce._NAME_NOTE.sub("", n) or n for n in names]
    return tuple(n for n in names if n.lower() not in coerce.EMPTY_MARKERS)
