"""Cell value → typed value. Accepts what real ledgers hold; anything else raises CellError.

Dates come as date cells, Excel serial numbers or text in many spellings (2024-03-05, 2024/3/5,
2024.3.5, 2024年3月5日, 20240305, 二〇二四年三月五日); full-width digits and stray spaces are
normalized first (NFKC).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from ledgercheck.common.i18n import Text, chinese_number
from ledgercheck.ingest.fold import brackets, fold
from ledgercheck.model.periods import MonthDate, Period, Unit, YearDate
from ledgercheck.model.schema import FieldSpec, FieldType

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 once Excel's phantom 1900-02-29 is skipped
MAX_SERIAL = 2958465  # 9999-12-31
MAX_NUMBER = 1e15  # beyond Excel's 15 significant digits: no count or amount of a ledger comes near
EMPTY_MARKERS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "无", "没有", "暂无", "n/a", "na",
                           "none", "null"})
ALL_PRESENT_MARKERS = frozenset({"全到", "全部到会", "全员到会", "全员参加", "无缺席", "全体到会", "全体参加", "全体出席",
                                 "全员出席", "均到会", "均已到会", "无人缺席", "无缺席人员", "全勤", "应到尽到"})
# What secretaries write in 实缴金额 for a month not paid (the layout asks for a blank or 0): read as 0.
UNPAID_MARKERS = frozenset({"未缴", "未交", "欠缴", "欠交", "未缴纳", "未交纳", "未缴费", "未交费", "未收"})
# What they write for a month excused by a waiver (S-DF 第七条): read as model.records.WAIVED.
WAIVED_MARKERS = frozenset({"免交", "免缴", "免", "减免", "已免交", "已免缴", "批准免交", "经批准免交", "免交党费", "免缴党费",
                            "困难免交", "困难党员免交"})


class CellError(ValueError):
    """A cell that cannot be read. `code` is an InputIssue code; `params` fill its message."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation, ideographic spaces) and outer whitespace."""
    return unicodedata.normalize("NFKC", text).strip()


_LONGEST_MARKER = max(len(m) for m in EMPTY_MARKERS)


def is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        # Cheap test first: markers are short, and most cells hold real text.
        if len(value) > _LONGEST_MARKER and not value[:1].isspace() and not value[-1:].isspace():
            return False
        return _empty_text(value)
    return False


@lru_cache(maxsize=1 << 14)  # short texts (names, kinds, 是/否) repeat in every column and file of a scan
def _empty_text(value: str) -> bool:
    return normalize(value).lower() in EMPTY_MARKERS


def forget() -> None:
    """Forget the texts tested so far (ingest/remembered.py)."""
    _empty_text.cache_clear()


def remembered() -> int:
    return _empty_text.cache_info().currsize


def show(value: object) -> str:
    """A raw cell value as it would appear in a message."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value).strip()


_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")  # CJK ideographs (the unified block and extension A)


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def to_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    # Runs of whitespace as one space: `str.split` and `re`'s \s agree on what whitespace is (Py_UNICODE_ISSPACE),
    # and splitting is twice as quick as the substitution on every distinct text of a ledger.
    return " ".join(normalize(str(value)).split())


def to_name(value: object) -> str:
    """Chinese names are often padded for alignment (张　三); the spaces are not part of the name."""
    text = to_text(value)
    if " " in text and _has_cjk(text):  # most names have no space to take out: no search for an ideograph
        text = text.replace(" ", "")
    return text


_NAME_SEPARATORS = re.compile(r"[、,，;；/|\n]+")


def to_names(value: object) -> tuple[str, ...]:
    text = normalize(str(value))
    if text in ALL_PRESENT_MARKERS:
        return ()
    names: list[str] = []
    for part in _NAME_SEPARATORS.split(text):
        tokens = part.split()
        if len(tokens) == 1:  # a name without spaces, the usual case: it is its own token (as `to_name` reads it)
            names.append(tokens[0])
        # "张 三" is one padded name; "张三 李四" are two names separated by a space.
        elif tokens and all(len(t) >= 2 for t in tokens) and _has_cjk(part):
            names.extend(tokens)
        elif part.strip():
            names.append(to_name(part))
    # 李四（病假）, 王五(出差): the reason after an absentee's name is not part of it (NFKC made the brackets ASCII).
    names = [(_NAME_NOTE.sub("", n) or n) if n.endswith(")") else n for n in names]
    return tuple(n for n in names if n.lower() not in EMPTY_MARKERS)


_NAME_NOTE = re.compile(r"\s*\([^()]*\)$")


# ---- dates -------------------------------------------------------------------------------------

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# A time after the date, or a time range (WisdomTown exports 2025-03-05 09:00:00-11:30:00): the date is what counts.
_TIME_SUFFIX = re.compile(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[-~至到]\s*\d{1,2}:\d{2}(:\d{2})?)?$")
_FULL = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_ONLY = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:月份?|月)?")
_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})[日号])?")
# What people write after a meeting's date (after NFKC: ASCII brackets and colons): the weekday, the time of day
# (2025年3月5日上午, 2025.3.5(周三), 2025/3/5 下午2:30, 2025年3月5日下午3点半). The date is what counts.
_ANNOTATION = re.compile(
    r"(?:\s*(?:\(?(?:周|星期|礼拜)[一二三四五六日天]\)?"
    r"|\(?(?:上午|下午|中午|晚上|早上|傍晚|全天|晚)\)?(?:\s*\d{1,2}:\d{2}|\d{1,2}[点时](?:半|\d{1,2}分?)?)?))+\s*$")
# A meeting over several days (2025.3.5-3.6, 2025年3月5日至6日, 2025-03-05~2025-03-07) is dated by its first day.
_RANGE = re.compile(r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?)[-~—–至到](?:\d{4}[-/.年])?(?:\d{1,2}[-/.月])?\d{1,2}[日号]?")
# A date or month written without its year (3月5日, 三月五日, 3月5日至6日, 3月, 3月份): a yearly record's title or
# sheet name often gives the year (2025年组织生活记录); the loader passes that year in, else the cell is
# INPUT-DATE-NO-YEAR. Only with 月: 3.5 or 3/5 alone could be a number or either order of month and day.
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"
_YEARLESS = re.compile(rf"(\d{{1,2}}|{_CN_NUMBER})月(?:份|(\d{{1,2}}|{_CN_NUMBER})[日号]?)?"
                       rf"(?:[-~—–至到](?:\d{{1,2}}月)?\d{{1,2}}[日号]?)?")


class _Yearless(Exception):
    """A month and day, or a month, without a year to read it in."""


# A year alone (1985年, 1985, 一九八五年, 1985年度): a member's date from long ago, often known only so far.
_YEAR_ONLY = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})(?:年度?)?")


class _YearOnly(Exception):
    """A year without its month: read only where the field takes one (FieldSpec.year_ok)."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def _from_serial(number: float) -> dt.date | None:
    """Excel's 1900 date system; a fraction is the time of day. Serials before 1900-03-01 are refused."""
    if 61 <= number <= MAX_SERIAL:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def _ymd(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _parse_date_text(text: str, year: int | None = None) -> tuple[dt.date | None, tuple[int, int] | None]:
    """(full date, None) or (None, (year, month)) for month-only text, or (None, None). Text without a year
    (3月5日) is read in `year`; without one it raises _Yearless."""
    for _ in range(2):  # a time and then the time of day, or the other way round
        text = _ANNOTATION.sub("", _TIME_SUFFIX.sub("", text))
    text = text.replace(" ", "")
    cn = _CN_DATE.fullmatch(text)
    if cn:
        year = int(cn.group(1).translate(_CN_DIGITS))
        month = chinese_number(cn.group(2)) or 0
        if cn.group(3):
            return _ymd(year, month, chinese_number(cn.group(3)) or 0), None
        return None, (year, month) if 1 <= month <= 12 else None
    for pattern in (_FULL, _COMPACT):
        match = pattern.fullmatch(text)
        if match and (pattern is _FULL or _PLAUSIBLE(int(match.group(1)))):
            return _ymd(*(int(g) for g in match.groups())), None
    span = _RANGE.fullmatch(text)
    if span:
        return _parse_date_text(span.group(1))
    for pattern in (_MONTH_ONLY, _COMPACT_MONTH):
        match = pattern.fullmatch(text)
        if match and (pattern is _MONTH_ONLY or _PLAUSIBLE(int(match.group(1)))):
            found_year, month = int(match.group(1)), int(match.group(2))
            return None, (found_year, month) if 1 <= month <= 12 else None
    alone = _YEAR_ONLY.fullmatch(text)
    if alone:
        raise _YearOnly(int(alone.group(1).translate(_CN_DIGITS)))
    yearless = _YEARLESS.fullmatch(text)
    if yearless:
        month = _number(yearless.group(1))
        day = _number(yearless.group(2)) if yearless.group(2) else None
        if not 1 <= month <= 12 or (day is not None and _ymd(2000, month, day) is None):  # 2000: 2月29日 is a day
            return None, None
        if year is None:
            raise _Yearless
        return (None, (year, month)) if day is None else (_ymd(year, month, day), None)
    return None, None


def _number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_number(text) or 0


_DECIMAL_MONTH = re.compile(r"(\d{4})\.(\d{1,2})")


def _PLAUSIBLE(year: int) -> bool:  # noqa: N802 - read as a condition on a pattern's year
    """Digits run together are a year only from 1900 to 2099: 250305 is 25-03-05 (a two-digit year), not 2503-05."""
    return 1900 <= year < 2100


class _NotADate(Exception):
    pass


def _compact_number(number: float) -> tuple[dt.date | None, tuple[int, int] | None]:
    """20240305 and 202403 typed as numbers; 2024.3 typed as a number (Excel keeps it as 2024.3) is March.

    2024.1 is refused: Excel stores a typed 2024.10 as 2024.1 too, so January and October cannot be told apart.
    A bare year (2024) is not a date either, though it would be a valid Excel serial.
    """
    if 1900 <= number < 2101:
        match = _DECIMAL_MONTH.fullmatch(repr(number))
        if match and match.group(2) not in ("1", "0") and 1 <= int(match.group(2)) <= 12:
            return None, (int(match.group(1)), int(match.group(2)))
        if number.is_integer():
            raise _YearOnly(int(number))
        raise _NotADate
    if not number.is_integer():
        return None, None
    digits = str(int(number))
    return _parse_date_text(digits) if len(digits) in (6, 8) else (None, None)


EARLIEST = dt.date(1900, 1, 1)


def to_date(value: object, month_ok: str | None = None, year: int | None = None, year_ok: bool = False) -> dt.date:
    """A date cell or text; `year` is the one text without a year (3月5日) is read in (the sheet's, if any);
    `year_ok`: a year alone (1985年) is a YearDate, else INPUT-BAD-DATE."""
    try:
        day = _to_date(value, month_ok, year)
    except _YearOnly as alone:
        if not year_ok or alone.year < 1:  # 0000年 is no year either
            raise CellError("INPUT-BAD-DATE", value=show(value)) from None
        if alone.year < EARLIEST.year:
            raise CellError("INPUT-DATE-TOO-EARLY", value=show(value)) from None
        return YearDate(alone.year, 1, 1)
    if day < EARLIEST:
        raise CellError("INPUT-DATE-TOO-EARLY", value=day.isoformat())
    return day


# A date cell at serial 0 (or one holding NaN, which the reader turns into 0) is no date: 1900-01-00 in Excel.
_SERIAL_ZERO = dt.datetime(1899, 12, 30)
NOT_A_DATE = Text("日期值为 0 或不是数值", "a date value of 0, or not a number")


def _to_date(value: object, month_ok: str | None = None, year: int | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        if value == _SERIAL_ZERO:
            raise CellError("INPUT-BAD-DATE", value=NOT_A_DATE)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (dt.time, dt.timedelta)):
        raise CellError("INPUT-TIME-NOT-DATE", value=show(value))
    full: dt.date | None = None
    month: tuple[int, int] | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        try:
            full, month = _compact_number(number)
        except _NotADate:
            raise CellError("INPUT-BAD-DATE", value=show(value)) from None
        if full is None and month is None:
            if number.is_integer() and _TWO_DIGIT_YEAR.fullmatch(show(value)):  # 250305: as a serial, year 2585
                raise CellError("INPUT-TWO-DIGIT-YEAR", value=show(value))
            full = _from_serial(number)
    elif isinstance(value, str):
        try:
            full, month = _parse_date_text(normalize(value), year)
        except _Yearless:
            raise CellError("INPUT-DATE-NO-YEAR", value=show(value)) from None
    if full is not None:
        return full
    if month is not None:
        if month_ok is None:
            raise CellError("INPUT-NEED-DAY", value=show(value))
        if month_ok == "end":
            end = Period(month[0], Unit.MONTH, month[1]).end
            return MonthDate(end.year, end.month, end.day)
        return MonthDate(month[0], month[1], 1)
    if _TWO_DIGIT_YEAR.fullmatch(normalize(value) if isinstance(value, str) else show(value)):
        raise CellError("INPUT-TWO-DIGIT-YEAR", value=show(value))  # 19xx or 20xx? not guessed, and said so
    raise CellError("INPUT-BAD-DATE", value=show(value))


# A date whose year has two digits (25.3.5, 98-7-1, 21年7月1日, 25年3月): handwritten ledgers have them.
_TWO_DIGIT_YEAR = re.compile(r"\d{2}(?:年\d{1,2}月(?:\d{1,2}日?)?|([./\-])\d{1,2}\1\d{1,2}"
                             r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))")


def to_month(value: object, year: int | None = None) -> Period:
    """A dues month; a month number (3) or text without a year (3月) is read in `year`, as to_date reads 3月5日."""
    if value.__class__ in (int, float) and value in _MONTH_NUMBERS:
        if year is None:
            raise CellError("INPUT-DATE-NO-YEAR", value=show(value))
        return Period(year, Unit.MONTH, int(cast(float, value)))
    try:
        day = to_date(value, month_ok="start", year=year)
    except CellError as exc:
        if exc.code in ("INPUT-DATE-NO-YEAR", "INPUT-TWO-DIGIT-YEAR"):
            raise
        raise CellError("INPUT-BAD-MONTH", value=show(value)) from None
    return Period.of(Unit.MONTH, day)


_MONTH_NUMBERS = frozenset(range(1, 13))


class MonthSpan(tuple[Period, ...]):
    """The months one dues row paid for together (2025年1-3月, 2025年第一季度, 2025年上半年): the loader reads such a
    row as one row a month (loader._spread)."""

    __slots__ = ()


# What people write for several months paid at once, after NFKC and without spaces: a range of months
# (2025年1-3月, 2025年1月至3月, 2025.1-2025.3, 2025-01~2025-03, 1-3月), a quarter (2025年第一季度, 2025年1季度,
# 2025Q1), a half (2025年上半年) or the whole year (2025年全年). 补缴/预交 before and 党费 after are allowed.
_YEAR_PART = r"(?:(\d{4})[年.\-/]?)"
_SPAN_RANGE = re.compile(rf"{_YEAR_PART}?(\d{{1,2}})月?[-~—–至到]{_YEAR_PART}?(\d{{1,2}})(?:月份?)?")
_SPAN_QUARTER = re.compile(rf"{_YEAR_PART}?(?:第?([1-4一二三四])季度|[Qq]([1-4]))")
_SPAN_HALF = re.compile(rf"{_YEAR_PART}?([上下])半年")
_SPAN_YEAR = re.compile(r"(\d{4})年?(?:全年|年度)")
_SPAN_DECOR = re.compile(r"^(?:补缴|补交|预缴|预交)|(?:党费)$")
_SPAN_HINT = re.compile(r"[-~—–至到－～]|季度|半年|全年|年度|[QqＱｑ]")
MAX_SPAN = 12  # months one row may pay for: a longer back payment is worth a look before it is read


def to_months(value: object, year: int | None = None) -> MonthSpan:
    """The months a row paid for together, in order; a span without its year is read in `year` (the sheet's)."""
    if not isinstance(value, str) or not _SPAN_HINT.search(value):  # names and the like, quickly
        raise CellError("INPUT-BAD-MONTH", value=show(value))
    text = _SPAN_DECOR.sub("", normalize(value).replace(" ", ""))
    first: tuple[int | None, int] | None = None
    last: tuple[int | None, int] | None = None
    if match := _SPAN_RANGE.fullmatch(text):
        first = (int(match.group(1)) if match.group(1) else None, int(match.group(2)))
        last = (int(match.group(3)) if match.group(3) else first[0], int(match.group(4)))
    elif match := _SPAN_QUARTER.fullmatch(text):
        quarter = _number(match.group(2) or match.group(3))
        first = (int(match.group(1)) if match.group(1) else None, quarter * 3 - 2)
        last = (first[0], quarter * 3)
    elif match := _SPAN_HALF.fullmatch(text):
        first = (int(match.group(1)) if match.group(1) else None, 1 if match.group(2) == "上" else 7)
        last = (first[0], first[1] + 5)
    elif match := _SPAN_YEAR.fullmatch(text):
        first, last = (int(match.group(1)), 1), (int(match.group(1)), 12)
    if first is None or last is None:
        raise CellError("INPUT-BAD-MONTH", value=show(value))
    if not (1 <= first[1] <= 12 and 1 <= last[1] <= 12):
        raise CellError("INPUT-BAD-MONTH", value=show(value))
    (first_year, first_month), (last_year, last_month) = first, last
    if first_year is None or last_year is None:
        if year is None:
            raise CellError("INPUT-DATE-NO-YEAR", value=show(value))
        first_year, last_year = first_year or year, last_year or year
    count = (last_year - first_year) * 12 + last_month - first_month + 1
    if not 2 <= count <= MAX_SPAN:
        raise CellError("INPUT-BAD-MONTH", value=show(value))
    start = Period(first_year, Unit.MONTH, first_month)
    months = [start]
    while len(months) < count:
        months.append(months[-1].next())
    return MonthSpan(months)


# ---- numbers -----------------------------------------------------------------------------------

_UNITS = re.compile(r"(人|名|个|次|学时|小时|课时|h|元|块|¥|\$|RMB)", re.IGNORECASE)


def to_number(value: object) -> float:
    if isinstance(value, bool):
        raise CellError("INPUT-BAD-NUMBER", value=show(value))
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _UNITS.sub("", normalize(str(value))).replace(",", "").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            raise CellError("INPUT-BAD-NUMBER", value=show(value)) from None
    if math.isnan(number) or math.isinf(number):
        raise CellError("INPUT-BAD-NUMBER", value=show(value))
    if abs(number) > MAX_NUMBER:
        raise CellError("INPUT-NUMBER-TOO-LARGE", value=show(value))
    return number


_INT_SUFFIX = re.compile(r"年$")  # 任期年限 written 5年


def to_int(value: object) -> int:
    written = value
    if isinstance(value, str):  # 三年, 5年, 十五人: counts as people write them
        text = _INT_SUFFIX.sub("", _UNITS.sub("", normalize(value)).replace(" ", ""))
        counted = chinese_number(text)
        if counted is not None:
            return counted
        value = text or value
    try:
        number = to_number(value)
    except CellError as exc:
        if exc.code == "INPUT-BAD-NUMBER":
            raise CellError("INPUT-BAD-NUMBER", value=show(written)) from None
        raise
    if not number.is_integer() or number < 0:
        raise CellError("INPUT-BAD-NUMBER", value=show(written))
    return int(number)


class Attendance(tuple[int, int]):
    """(present, expected) from one cell that holds both (7/8, 应到8人，实到7人): loader._SheetReader splits it."""

    __slots__ = ()


# Headers of a list of those present (参会人员 张三、李四、王五) rather than their count: read as the count of names.
ATTENDEE_HEADERS = frozenset({"参会人员", "出席人员", "参加人员", "到会人员", "实到人员", "参会人员名单", "出席人员名单",
                              "参加人员名单", "参会党员", "出席党员", "参加党员", "到会党员", "实到党员", "参会人", "出席人"})


def is_attendee_header(header: str) -> bool:
    """Whether a 实到人数 column's header says it lists those present (参会人员, 参会人员（签名）)."""
    return bool({fold(header), brackets(header)[0]} & ATTENDEE_HEADERS)


# What such a list says for everyone: the count is the expected one (应到人数), where the row gives it.
EVERYONE_MARKERS = ALL_PRESENT_MARKERS | frozenset({"全体党员", "全体", "全员", "全体人员", "全体委员", "全体支委",
                                                    "全体支委委员", "全体党员参加", "全体委员参加", "全体党员出席"})


class Everyone:
    """A list of those present that says everyone (全体党员): the count is the row's expected count."""

    __slots__ = ()


EVERYONE = Everyone()


def to_attendee_count(value: object) -> int | Everyone:
    """The count of names in a list of those present (张三、李四、王五 → 3); EVERYONE for 全体党员."""
    if normalize(str(value)) in EVERYONE_MARKERS:
        return EVERYONE
    try:
        return to_int(value)  # a count after all (7, 7人, 十五人)
    except CellError:
        pass
    names = to_names(value)
    if not names:
        raise CellError("INPUT-BAD-NUMBER", value=show(value))
    return len(names)


# Both counts in one cell, as meeting records often give them: 7/8 (present of expected), 应到8人，实到7人(，缺席1人),
# 实到7人（应到8人）. A count present above the expected one is no such pair.
_FRACTION = re.compile(r"(\d+)人?/(\d+)人?")
_EXPECTED_FIRST = re.compile(r"应(?:到|出席|参加)会?(\d+)人?.*?实(?:到|出席|参加|际到会)会?(\d+)人?")
_PRESENT_FIRST = re.compile(r"实(?:到|出席|参加|际到会)会?(\d+)人?.*?应(?:到|出席|参加)会?(\d+)人?")
_ATTENDANCE_HINT = re.compile(r"/|应.*实|实.*应")


def to_attendance(value: object) -> Attendance:
    """The counts present and expected, from a cell that gives both; INPUT-BAD-NUMBER if it does not."""
    text = normalize(value).replace(" ", "") if isinstance(value, str) else ""
    if not text or not _ATTENDANCE_HINT.search(text):
        raise CellError("INPUT-BAD-NUMBER", value=show(value))
    if match := _FRACTION.fullmatch(text):
        present, expected = int(match.group(1)), int(match.group(2))
    elif match := _EXPECTED_FIRST.search(text):
        expected, present = int(match.group(1)), int(match.group(2))
    elif match := _PRESENT_FIRST.search(text):
        present, expected = int(match.group(1)), int(match.group(2))
    else:
        raise CellError("INPUT-BAD-NUMBER", value=show(value))
    if present > expected or expected == 0:
        raise CellError("INPUT-BAD-NUMBER", value=show(value))
    return Attendance((present, expected))


_YEAR_SUFFIX = re.compile(r"年度?$")


def to_year(value: object) -> int:
    if isinstance(value, str):
        value = _YEAR_SUFFIX.sub("", normalize(value))
    try:
        year = to_int(value)
    except CellError:
        raise CellError("INPUT-BAD-YEAR", value=show(value)) from None
    if not 1900 <= year <= 2100:
        raise CellError("INPUT-BAD-YEAR", value=show(value))
    return year


def to_id_number(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) >= 1e15:
            # 18-digit numbers exceed Excel's 15 significant digits: the tail is already gone.
            raise CellError("INPUT-ID-AS-NUMBER", value=show(value))
        return show(value)
    return normalize(str(value)).replace(" ", "").upper()


def to_phone(value: object) -> str:
    return show(value) if isinstance(value, float) else normalize(str(value)).replace(" ", "")


COERCERS: dict[FieldType, Callable[[object], object]] = {
    FieldType.TEXT: to_text,
    FieldType.REF: to_text,
    FieldType.NAME: to_name,
    FieldType.NAMES: to_names,
    FieldType.INT: to_int,
    FieldType.NUMBER: to_number,
    FieldType.YEAR: to_year,
    FieldType.MONTH: to_month,
    FieldType.ID_NUMBER: to_id_number,
    FieldType.PHONE: to_phone,
}


def coerce(spec: FieldSpec, value: object, year: int | None = None) -> object:
    """Coerce a non-empty cell for a field (enumerations are resolved by the loader's alias table). `year` is the one
    a date or month written without its year (3月5日) is read in: the sheet's, where it gives one."""
    if spec.type is FieldType.DATE:
        return to_date(value, spec.month_ok, year, spec.year_ok)
    if spec.type is FieldType.MONTH and year is not None:
        return to_month(value, year)
    result = COERCERS[spec.type](value)
    if spec.bounds is not None and not spec.bounds[0] <= result <= spec.bounds[1]:  # type: ignore[operator]
        raise CellError("INPUT-OUT-OF-RANGE", value=show(value), low=spec.bounds[0], high=spec.bounds[1])
    return result

