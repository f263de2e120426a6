"""Workbooks → Ledger. Every non-empty row becomes a record or an input issue with its location.

Each sheet is understood first (ingest/understand.py: which sheet, which header, what each column is), then read
a column at a time. A ledger may be several workbooks of one unit (花名册.xlsx, 党费.xlsx …): their sheets are
read into one Ledger. After every sheet is read, what needed the whole ledger is settled: organizations named
by their names, the one organization of a ledger whose sheets have no organization column, and dues rows that
name members by their number in the roster.

While a workbook's last sheets are still being parsed in the background, the loader can hand the ledger read so
far to `early` (a PartialLedger, settled on copies), so that the audit judges the rules that need none of them.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, cast

from ledgercheck.common.errors import WorkbookError, with_reason
from ledgercheck.common.i18n import Term, Text
from ledgercheck.common.limits import Limits
from ledgercheck.common.location import Location
from ledgercheck.fileio.names import escape_undecodable
from ledgercheck.ingest import panics
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.aliases import AliasTable, load_aliases
from ledgercheck.ingest.coerce import (
    COERCERS,
    EVERYONE,
    UNPAID_MARKERS,
    WAIVED_MARKERS,
    Attendance,
    CellError,
    MonthSpan,
    coerce,
    is_attendee_header,
    is_empty,
    normalize,
    show,
    to_attendance,
    to_attendee_count,
    to_months,
)
from ledgercheck.ingest.fold import fold, header_key, sheet_key
from ledgercheck.ingest.forms import MAX_LABELS_A_ROW, Form, as_form
from ledgercheck.ingest.preflight import Unreadable
from ledgercheck.ingest.understand import HEADER_SCAN_ROWS, SheetPlan, field_text, understand
from ledgercheck.ingest.workbook import Row, SheetTooLarge, SheetUnreadable, Workbook
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.ledger import Ledger, PartialLedger, PendingRecords
from ledgercheck.model.periods import Period, YearDate
from ledgercheck.model.provenance import RowRef, SheetRef
from ledgercheck.model.records import (
    RECORD_TYPES,
    WAIVED,
    DuesPayment,
    Member,
    Org,
    Record,
    data_fields,
    is_waived,
)
from ledgercheck.model.schema import ENUMS, NOTE_SHEETS, SHEETS_BY_KEY, FieldSpec, FieldType, SheetSpec

_KIND_SEPARATORS = re.compile(r"[、,，;；/+＋和及]")
_NOTES = re.compile(r"[(（][^)）]*[)）]")  # a note in brackets after a meeting's kind or name
# Distinct raw values remembered per column: at least CACHE_LIMIT, and up to a CACHE_SHARE-th of a long column's
# cells. A dues sheet repeats each member's name in every month's row; with a fixed 20,000 a unit of 25,000 members
# had its names coerced row by row from the 20,001st name on (17× the coercions for 5× the rows). The cache's values
# are the records' own, so it costs its slots only.
CACHE_LIMIT = 20_000
CACHE_SHARE = 4
ORG_REFERENCING = ("members", "meetings", "dues", "elections", "recruits")
_NOTE_SHEETS = frozenset(sheet_key(name) for name in NOTE_SHEETS)
_TOTALS = frozenset({"合计", "小计", "总计", "共计", "合计金额", "total", "subtotal"})
# The rows a sheet ends with that are not records (after NFKC): who made and checked the table and when, its notes.
_FOOTER = re.compile(r"(?:制表人|填表人|填报人|统计人|经办人|审核人|审批人|负责人|联系人|(?:支部)?书记|签字|签名|盖章|"
                     r"(?:制表|填表|填报|报送|统计)(?:日期|时间)|注|备注|说明|填表说明|附注|注意事项)"
                     r"(?:签字|签名)?(?:\((?:签字|签名|盖章|签章)\))?\s*(?::|$)"
                     r"|(?:填表说明|注意事项)|\(?(?:签字|盖章|签章)\)?$")
FOOTER_ROWS = 20  # trailing rows looked at
SINGLE_ORG = "\x00the-one-organization"  # stands for the ledger's one organization until all sheets are read


@dataclass
class SheetSummary:
    """What happened to one sheet: for the report's "nothing is lost" accounting."""

    name: str
    key: str | None
    header_row: int | None = None  # 1-based
    rows: int = 0  # non-empty data rows
    records: int = 0
    skipped: int = 0  # rows that became input issues instead of records
    file: str | None = None  # the workbook, when the ledger is several

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"name": self.name, "key": self.key, "header_row": self.header_row,
                                    "rows": self.rows, "records": self.records, "skipped": self.skipped}
        if self.file is not None:
            found["file"] = self.file
        return found


@dataclass
class LoadResult:
    """A ledger read from a workbook, with every input problem met on the way."""

    ledger: Ledger
    issues: list[InputIssue]
    sheets: list[SheetSummary] = field(default_factory=list)
    plans: list[SheetPlan] = field(default_factory=list)  # how each sheet was understood (`inspect`)


def _blank(cell: object) -> bool:
    """None, or text that only marks a cell as empty (a space, 无, —)."""
    return cell is None or (cell.__class__ is str and is_empty(cell))


def _first_filled(cells: Row) -> object:
    """A row's first cell that is not blank, or None."""
    return next((c for c in cells if not _blank(c)), None)


def _row_is_empty(cells: Row) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is not str or not is_empty(cell):
            return False
    return True


_KEEP_ROW, _TOTAL_ROW, _BLANK = "keep", "total", "blank"
# The template's example rows: their first cell starts 示例 or Example (template/blank.py writes them).
EXAMPLE_ROWS = 3
_EXAMPLE_MARKS = ("示例", "example")


class _CellRole(dict[object, str]):
    """What a cell says about its row for the 合计 check, by value: blank (None or an empty marker), a total
    (text that folds to 合计, 小计 …) or anything else. Only text can be blank or a total, and no text equals a
    value of another type, so a value's role is the same wherever it is."""

    def __missing__(self, cell: object) -> str:
        if cell is None:
            role = _BLANK
        elif isinstance(cell, str):
            role = _BLANK if is_empty(cell) else _TOTAL_ROW if header_key(cell) in _TOTALS else _KEEP_ROW
        else:
            role = _KEEP_ROW
        self[cell] = role
        return role


def _count_content(rows: Sequence[Row]) -> int:
    return sum(1 for cells in rows if not _row_is_empty(cells))


def _empty(spec: FieldSpec) -> object:
    return () if spec.type in (FieldType.NAMES, FieldType.ENUMS) else None


SHARED_VALUES = True  # False: every file coerces its values afresh (the straightforward path, for the tests)
SHARED_LIMIT = 1 << 12  # values remembered per field (cleared when full)
SHARED_TYPES = frozenset({FieldType.INT, FieldType.NUMBER, FieldType.DATE, FieldType.MONTH, FieldType.YEAR,
                          FieldType.ENUM})
_UNSEEN = object()
TRANSPOSE_ROWS = 20_000  # rows of a sheet taken apart in one zip at most (`_SheetReader.read`)
DIRECT = True  # False: every cell through `_coerce` (the straightforward path, for the tests)
DIRECT_TYPES = frozenset({FieldType.TEXT, FieldType.REF, FieldType.NAME, FieldType.NAMES, FieldType.ID_NUMBER,
                          FieldType.PHONE})


# Where a cell giving both counts (7/8) puts its second: the sheet's expected count.
_EXPECTED = {"meetings": "expected", "elections": "eligible"}
FORM_SHEETS = ("meetings", "elections", "recruits")  # kept as forms: a meeting, an election, a 发展党员纪实表


_YEAR_SOURCES = {"title": Text("标题", "title"), "name": Text("表名", "name")}


class _ColumnReader(dict[object, object]):
    """Coerces one column's cells. It is a dict from raw value to outcome, filled on first sight.

    Ledgers repeat values heavily (org IDs, months, amounts, names), so a column is converted with
    `map(reader.__getitem__, cells)`: one C-level dict lookup per cell. An outcome is the value, the
    field's empty value (None, or () for lists) for blank cells, or the CellError to report.
    """

    def __init__(self, spec: FieldSpec, header: str, aliases: AliasTable, year: int | None = None):
        super().__init__()
        self.spec = spec
        # The sheet's year (SheetPlan.year) for dates and months written without one, and those cells' raw values.
        self.year = year if spec.type in (FieldType.DATE, FieldType.MONTH) else None
        self.yearless: dict[object, None] = {}
        self.spans: dict[object, None] = {}  # dues months paid together (2025年1-3月): MonthSpan outcomes
        self.pairs: dict[object, None] = {}  # counts present and expected in one cell (7/8): Attendance outcomes
        self.key = spec.key
        self.header = header
        # 参会人员 read as 实到人数: the count of its names (coerce.to_attendee_count); those cells' raw values
        self.attendees = spec.key == "present" and is_attendee_header(header)
        self.counted: dict[object, None] = {}
        self.aliases = aliases
        self.empty: object = _empty(spec)
        self.limit = CACHE_LIMIT
        self.errors = False  # whether any outcome is a CellError
        self.unknown_by_raw: dict[object, tuple[str, ...]] = {}
        self.within: dict[object, tuple[str, str]] = {}  # kinds named within a longer text: raw → (part, kind)
        # Values coerced in earlier files (a scan's worker reads thousands, a web worker serves many people): by
        # field, while the alias table is unchanged; only dates, numbers and enumerations, which recur across units.
        # Not names, ID numbers, phones or free text (personal, and rarely repeated across units), nor lists of
        # kinds (whose unknown kinds are counted per file).
        self.shared: dict[tuple[type, object], object] | None = (
            aliases.value_memo.setdefault(spec, {}) if SHARED_VALUES and spec.type in SHARED_TYPES else None)
        # Names, ID numbers, phones and texts: a text cell is coerced by its type's function alone, which is what
        # `_coerce` comes to for them (their values are not kept across files: personal, and rarely repeated).
        self.direct = COERCERS[spec.type] if DIRECT and spec.type in DIRECT_TYPES and spec.bounds is None else None

    def __missing__(self, raw: object) -> object:
        if raw is None or (isinstance(raw, str) and is_empty(raw)):
            outcome = self.empty
        elif raw.__class__ is Unreadable:  # an error value or a formula without a saved result
            outcome = CellError(raw.code, value=raw.text)
            self.errors = True
        else:
            shared = self.shared
            # By class too: 1, 1.0 and True are equal keys but not the same cell.
            outcome = shared.get((raw.__class__, raw), _UNSEEN) if shared is not None else _UNSEEN
            if outcome is _UNSEEN:
                try:
                    outcome = self.direct(raw) if self.direct is not None and raw.__class__ is str else self._coerce(raw)
                except CellError as exc:
                    outcome = exc
                    self.errors = True
                else:
                    # An outcome the sheet's reading made (its year, its notices) is not shared with other files.
                    if shared is not None and raw not in self.yearless and raw not in self.spans \
                            and raw not in self.pairs and raw not in self.counted:
                        if len(shared) >= SHARED_LIMIT:
                            shared.clear()
                        shared[(raw.__class__, raw)] = outcome
        if len(self) < self.limit and raw.__class__ is not bool:  # True would answer for 1 later
            self[raw] = outcome
        return outcome

    def convert(self, cells: Sequence[object]) -> list[object]:
        self.limit = max(self.limit, len(cells) // CACHE_SHARE)
        converted = list(map(self.__getitem__, cells))
        # True == 1 and False == 0 in Python, and a boolean is never cached (`__missing__`): only a cached 0 or 1 can
        # have answered for a boolean cell. Then, if the column holds booleans, it is converted again with each
        # boolean on its own (looking at every cell's type cost 14 ns a cell, 25 ms of the large ledger).
        if (0 in self or 1 in self) and bool in set(map(type, cells)):
            return [self.__missing__(c) if c.__class__ is bool else self[c] for c in cells]
        return converted

    def _coerce(self, raw: object) -> object:
        spec = self.spec
        if spec.type is FieldType.ENUM:
            text = show(raw)
            value = self.aliases.value(spec.enum or "", text)
            if value is None:
                raise CellError("INPUT-BAD-VALUE", value=text, choices="、".join(ENUMS[spec.enum or ""]))
            return value
        if spec.type is FieldType.ENUMS:
            # Unknown activity kinds are kept (they count toward nothing) and reported once per kind.
            text = show(raw)
            parts = [p.strip() for p in _KIND_SEPARATORS.split(text) if p.strip()]
            if any(self.aliases.value(spec.enum or "", p) is None for p in parts) and _NOTES.search(text):
                # a note in brackets, split apart by its own 、: 组织生活会（学习、对照检查）
                parts = [p.strip() for p in _KIND_SEPARATORS.split(_NOTES.sub("", text)) if p.strip()] or parts
            found = []
            for part in parts:
                value = self.aliases.value(spec.enum or "", part)
                if value is None:  # a meeting's name: 3月份支部委员会会议, 召开党小组会, 主题党日（重温入党誓词）
                    value = self.aliases.value_in(spec.enum or "", part)
                    if value is not None:
                        self.within.setdefault(raw, (part, value))
                found.append(value or part)
            kinds = tuple(dict.fromkeys(found))
            unknown = tuple(k for k in kinds if k not in ENUMS[spec.enum or ""])
            if unknown:
                self.unknown_by_raw[raw] = unknown
            return kinds
        if self.attendees and not isinstance(raw, (int, float)):
            self.counted[raw] = None
            return to_attendee_count(raw)
        try:
            return coerce(spec, raw)
        except CellError as exc:
            if spec.key == "paid" and isinstance(raw, str) and normalize(raw) in UNPAID_MARKERS:
                return 0.0  # 未缴: the month's row says it was not paid
            if spec.key == "paid" and isinstance(raw, str) and normalize(raw) in WAIVED_MARKERS:
                return WAIVED  # 免交: excused, not unpaid
            if spec.key == "present" and exc.code == "INPUT-BAD-NUMBER":  # 7/8, 应到8人，实到7人?
                try:
                    pair = to_attendance(raw)
                except CellError:
                    raise exc from None
                self.pairs[raw] = None
                return pair
            if spec.type is FieldType.MONTH:  # the dues month: several months paid together?
                try:
                    span = to_months(raw, self.year)
                except CellError as span_exc:
                    if span_exc.code == "INPUT-DATE-NO-YEAR":  # 1-3月: months, but of no year
                        raise span_exc from None
                else:
                    self.spans[raw] = None
                    return span
            if exc.code != "INPUT-DATE-NO-YEAR" or self.year is None:
                raise
            read = coerce(spec, raw, self.year)  # 2月29日 in 2025 is still no day: INPUT-BAD-DATE
            self.yearless[raw] = None
            return read


def _spread(records: list[DuesPayment]) -> list[DuesPayment]:
    """A row paying for several months together (2025年1-3月, 300) as one row a month, as the dues rules read dues:
    the amount paid shared equally, to the cent. The amount due is shared too, unless it is one month's (it times
    the months is what was paid, and it is not itself that sum): 应缴 100, 实缴 300 for three months."""
    spread: list[DuesPayment] = []
    for record in records:
        if record.month.__class__ is not MonthSpan:
            spread.append(record)
            continue
        months = cast(MonthSpan, record.month)
        count = len(months)
        paid, due = record.paid, record.due
        monthly_due = (due is not None and paid is not None and abs(due * count - paid) <= _CENT * count
                       and abs(due - paid) > _CENT)
        shared_paid = paid if paid is None or is_waived(paid) else round(paid / count, 2)
        shared_due = due if monthly_due or due is None else round(due / count, 2)
        spread += [dataclasses.replace(record, month=month, paid=shared_paid, due=shared_due) for month in months]
    return spread


_CENT = 0.01 + 1e-9


class _SheetReader:
    """Turns the data rows of one understood sheet into records and issues, a column at a time."""

    def __init__(self, display: str, name: str, plan: SheetPlan, aliases: AliasTable, issues: list[InputIssue],
                 fields: dict[int, str] | None = None):
        spec = cast(SheetSpec, plan.spec)
        self.spec = spec
        self.plan = plan
        self.issues = issues
        fields = plan.fields if fields is None else fields
        labels = {c.index: c.header for c in plan.columns}
        self.labels = labels
        self.readers = {key: (index, _ColumnReader(spec.by_key[key], labels[index], aliases, plan.year))
                        for index, key in fields.items()}
        self.contentless: list[int] = []  # rows with content only in columns that are not read
        self.contentless_in: dict[str, None] = {}  # those columns' headers, in the order met
        self.sheet = SheetRef(display, name, {key: column_letter(i) for i, key in fields.items()})
        record_type = RECORD_TYPES[spec.key]
        # Columns are converted in the record type's own field order, so a record is built positionally (fast)
        # and yet by name: the order comes from the record's fields, not from the layout's column order. The
        # constructor takes those fields, then src, row and unreadable (model/records.py).
        self.fields = tuple(spec.by_key[name] for name in data_fields(record_type))
        self.make: Callable[..., Record] = record_type
        supplied = set(plan.preset) | set(plan.infer)
        self.required = [f for f in spec.fields if f.required and f.key not in supplied]
        if plan.infer.get("name") == "member_no":
            self.required.append(spec.by_key["member_no"])  # the number stands in for the name
        self.summary = SheetSummary(name, spec.key, (plan.header_row or 0) + 1)
        self.records: list[Record] = []
        self.unknown_kinds: dict[str, int] = {}
        self.yearless: dict[int, int] = {}  # column → cells read in the sheet's year (SheetPlan.year)
        self.spanned: list[int] = []  # rows paying for several months together, read as a row a month
        self.paired: list[int] = []  # rows giving the counts present and expected in one cell (7/8)
        self.counted: list[int] = []  # rows listing those present (参会人员), read as their count
        self.year_only: dict[str, list[int]] = {}  # field → rows whose date gives its year alone (1985年)
        self.within: list[int] = []  # rows whose kind is named within a longer text (3月份支部委员会会议)
        self.within_example: tuple[str, str] = ("", "")

    def read(self, rows: Sequence[Row], numbers: Sequence[int]) -> None:
        """`rows` are data rows; `numbers` their 1-based row numbers in the sheet."""
        count = len(rows)
        min_width = min(map(len, rows), default=0)
        # Rows of one width (as the reader gives them) whose columns are mostly read: all columns at once, in C;
        # not a sheet of many rows, whose columns would all be held at once (14 MB more for the large ledger's dues).
        transposed = (list(zip(*rows)) if 0 < count <= TRANSPOSE_ROWS
                      and 2 * len(self.readers) >= min_width == max(map(len, rows)) else None)
        columns: list[list[object]] = []  # converted, one per record field, in the record's field order
        for spec_field in self.fields:
            key = spec_field.key
            if key in self.readers:
                index, reader = self.readers[key]
                raw: Sequence[object]
                if transposed is not None and index < min_width:
                    raw = transposed[index]
                elif min_width > index:
                    raw = list(map(itemgetter(index), rows))
                else:
                    raw = [cells[index] if index < len(cells) else None for cells in rows]
                columns.append(reader.convert(raw))
                if spec_field.year_ok:  # a year alone (1985年): read, and said
                    alone = [n for n, value in zip(numbers, columns[-1]) if value.__class__ is YearDate]
                    if alone:
                        self.year_only.setdefault(key, []).extend(alone)
                if reader.yearless:
                    self.yearless[index] = self.yearless.get(index, 0) + sum(map(raw.count, reader.yearless))
                if reader.spans:
                    self.spanned += [n for n, cell in zip(numbers, raw) if cell in reader.spans]
                for value, kinds in reader.unknown_by_raw.items():
                    for kind in kinds:
                        self.unknown_kinds[kind] = self.unknown_kinds.get(kind, 0) + raw.count(value)
                if reader.within:
                    if not self.within:
                        self.within_example = next(iter(reader.within.values()))
                    self.within += [n for n, cell in zip(numbers, raw) if cell in reader.within]
            elif key in self.plan.preset:
                columns.append([self.plan.preset[key]] * count)
            elif self.plan.infer.get(key) == "single-org":
                columns.append([SINGLE_ORG] * count)
            else:
                columns.append([_empty(spec_field)] * count)
        keys = [f.key for f in self.fields]
        if "present" in self.readers and self.readers["present"][1].pairs:
            self._split_pairs(columns, keys, numbers)
        if "present" in self.readers and self.readers["present"][1].counted:
            self._count_attendees(columns, keys, rows, numbers)
        if self.plan.infer.get("org_id") == "name":
            columns[keys.index("org_id")] = list(columns[keys.index("name")])
        if self.plan.infer.get("org_type") == "name":
            columns[keys.index("org_type")] = [_org_type(name) for name in columns[keys.index("name")]]
        if self.plan.infer.get("member_kind") == "full_on":
            full_on = columns[[f.key for f in self.fields].index("full_on")]
            inferred = columns[[f.key for f in self.fields].index("member_kind")]
            inferred[:] = ["正式党员" if day is not None and day.__class__ is not CellError else "预备党员"
                        for day in full_on]
        records: list[Record | None] = list(map(self.make, *columns, repeat(self.sheet, count), numbers))
        # Rows with an unreadable cell or without a required value are rare: fix them up one by one.
        # Blank rows lack every required value, so they are among them too.
        problems = self._problem_rows(columns)
        for position in problems:
            values = tuple(column[position] for column in columns)
            records[position] = self._troubled(numbers[position], rows[position], values)
        # Without problem rows no entry is None (the filtering pass is skipped for the common case).
        found = [r for r in records if r is not None] if problems else cast("list[Record]", records)
        if self.spanned:
            found = cast("list[Record]", _spread(cast("list[DuesPayment]", found)))
        self.records.extend(found)
        self.summary.records = len(self.records)
        if self.contentless:
            shown = "、".join(f"「{h}」" for h in list(self.contentless_in)[:3])
            self.issues.append(InputIssue("INPUT-NO-CONTENT-ROW", RowRef(self.sheet, self.contentless[0]).at(), {
                "rows": _rows_listed(self.contentless), "count": len(self.contentless), "columns": shown},
                level="warning", rows=tuple(self.contentless)))
            self.contentless = []
            self.contentless_in = {}

    def _split_pairs(self, columns: list[list[object]], keys: list[str], numbers: Sequence[int]) -> None:
        """Cells giving both counts (7/8): the present count, and the expected one (meetings' 应到人数,
        elections' 有选举权的应到会人数) where its own column is empty or absent."""
        present = columns[keys.index("present")]
        other = columns[keys.index(_EXPECTED[self.spec.key])]
        for position, value in enumerate(present):
            if value.__class__ is Attendance:
                present[position], expected = value
                if other[position] is None:
                    other[position] = expected
                self.paired.append(numbers[position])

    def _count_attendees(self, columns: list[list[object]], keys: list[str], rows: Sequence[Row],
                         numbers: Sequence[int]) -> None:
        """A list of those present (参会人员) read as its count: the rows so read, for the notice; a list saying
        everyone (全体党员) counts the row's expected number, or nothing where the row gives none."""
        index, reader = self.readers["present"]
        present = columns[keys.index("present")]
        expected = columns[keys.index(_EXPECTED[self.spec.key])]
        for position, value in enumerate(present):
            if value is EVERYONE:
                count = expected[position]
                present[position] = count if count.__class__ is int else None
            cells = rows[position]
            if index < len(cells) and cells[index] in reader.counted:
                self.counted.append(numbers[position])

    def _problem_rows(self, columns: list[list[object]]) -> list[int]:
        """Rows with an unreadable cell or a missing required value (rare: found column by column)."""
        problems: set[int] = set()
        for spec_field, column in zip(self.fields, columns):
            reader = self.readers.get(spec_field.key, (None, None))[1]
            if reader is not None and reader.errors:
                problems.update(i for i, v in enumerate(column) if v.__class__ is CellError)
            if spec_field in self.required:
                empty = _empty(spec_field)
                if empty in column:
                    problems.update(i for i, v in enumerate(column) if v is empty or v == empty)
        return sorted(problems)

    def _troubled(self, row: int, cells: Row, values: tuple[object, ...]) -> Record | None:
        """Report a row's problems; the record when it can still be made, else None (counted as skipped)."""
        errors = [(spec_field, value) for spec_field, value in zip(self.fields, values) if value.__class__ is CellError]
        missing = [f for f, v in zip(self.fields, values) if f in self.required and (v is None or v == ())]
        if not errors and _row_is_empty(cells):
            return None  # blank row
        if not errors and all(v is None or v == () for f, v in zip(self.fields, values) if f.key in self.readers):
            # Content only where nothing is read: a template's pre-numbered rows (序号 1–200), a remark alone.
            self.contentless.append(row)
            read = {index for index, _reader in self.readers.values()}
            for index, cell in enumerate(cells):
                if index not in read and not _blank(cell):
                    self.contentless_in.setdefault(self.labels.get(index) or column_letter(index), None)
            self.summary.skipped += 1
            return None
        # An unreadable required value (an error cell as a name) leaves the row without it, like a blank one.
        skip = bool(missing) or any(spec_field in self.required for spec_field, _exc in errors)
        for spec_field, exc in errors:
            assert isinstance(exc, CellError)
            header = self.readers[spec_field.key][1].header
            self.issues.append(InputIssue(exc.code, self._at(row, spec_field.key), {"column": header, **exc.params},
                                          row_skipped=skip))
        for spec_field in missing:
            self.issues.append(InputIssue("INPUT-MISSING-REQUIRED", self._at(row, spec_field.key),
                                          {"column": spec_field.header}, row_skipped=True))
        if skip:
            self.summary.skipped += 1
            return None
        unreadable = frozenset(spec_field.key for spec_field, _exc in errors)
        cleaned = [None if v.__class__ is CellError else v for v in values]
        return self.make(*cleaned, self.sheet, row, unreadable)

    def _at(self, row: int, key: str) -> Location:
        return RowRef(self.sheet, row).at(key)


@dataclass
class _Sections:
    """A sheet grouped under organization headings (`_Loader._sections`)."""

    headings: dict[int, str] = field(default_factory=dict)  # row number → the heading's text
    org_of: dict[int, str] = field(default_factory=dict)  # row number → organization ID, for the other rows


# What a heading may add to the organization's name: 一、办公室党支部, 2. 第二党支部, 办公室党支部（20人）, …党员名单.
_SECTION_DECOR = re.compile(r"^\s*(?:[一二三四五六七八九十\d]+\s*[、.．)）]|[(（][一二三四五六七八九十\d]+[)）])\s*"
                            r"|\s*(?:[(（][^()（）]*[)）]|党员名单|党员名册|花名册|名单|名册)\s*$")


@dataclass
class _Refs:
    """Rows that name something by a value the whole ledger must settle (an organization, a member number)."""

    rows: list[int] = field(default_factory=list)
    location: Location | None = None


class _Loader:
    def __init__(self, books: Sequence[tuple[Path, str]], aliases: AliasTable, limits: Limits | None = None,
                 org: str | None = None, early: Callable[[PartialLedger], None] | None = None, samples: bool = True):
        self.books = books
        self.samples = samples  # understand.understand
        self.early = early if len(books) == 1 else None  # called at most once, before a sheet not parsed yet
        self.display = " + ".join(display for _path, display in books)
        self.aliases = aliases
        self.limits = limits
        self.org = org  # --org: the organization of sheets without an organization column
        self.issues: list[InputIssue] = list(aliases.notices)
        self.sheets: list[SheetSummary] = []
        self.plans: list[SheetPlan] = []
        self.records: dict[str, list[Record]] = {key: [] for key in SHEETS_BY_KEY}
        self.columns: dict[str, set[str]] = {}
        self.unknown_kinds: dict[str, tuple[int, Location]] = {}
        self.known_orgs: set[str] = set()
        self.single_org_sheets: list[tuple[SheetSummary, str, list[Record], SheetPlan]] = []
        self.titles: list[str] = []  # the texts above each sheet's header: where a ledger names its organization

    def load(self) -> LoadResult:
        for path, display in self.books:
            self._book(path, display)
        return LoadResult(self._settle(), self.issues, self.sheets, self.plans)

    def _settle(self, pending: frozenset[str] = frozenset()) -> Ledger:
        """What needs the whole ledger (or, with sheets `pending`, the ledger read so far: see `_partial`)."""
        orgs = self._orgs()
        if not orgs and self.org is not None and "orgs" not in self.columns:
            orgs = [Org(self.org, self.org, "党支部")]
            self.issues.append(InputIssue("INPUT-ORG-FROM-OPTION", Location(self.display), {"value": self.org},
                                          level="warning"))
            self.columns["orgs"] = {"org_id", "name", "org_type"}
        elif not orgs and "orgs" not in self.columns and not pending:
            named = _org_named(self.titles, [s.name for s in self.sheets], [Path(p).stem for p, _d in self.books])
            if named is not None:  # 办公室党支部党员花名册: a branch's own ledger, without an organizations sheet
                name, source = named
                orgs = [Org(name, name, _org_type(name) or "党支部")]
                self.issues.append(InputIssue("INPUT-ORG-FROM-TITLE", Location(self.display), {
                    "value": name, "source": _ORG_SOURCES[source]}, level="warning"))
                self.columns["orgs"] = {"org_id", "name", "org_type"}
        if "orgs" not in self.columns:
            raise WorkbookError(Text("工作簿中没有「组织」表（组织编号、组织名称、组织类型），表格标题也没有写明是哪个党组织的，"
                                     "无法审计；可用 `ledgercheck template` 生成标准模板，或用 --org 指明本台账所属的党支部",
                                     "the workbook has no organizations sheet (org ID, name, type) and its titles "
                                     "name no organization, so nothing can be audited; `ledgercheck template` writes "
                                     "the standard layout, or name the branch the ledger belongs to with --org"),
                                Location(self.display),
                                web=Text("工作簿中没有「组织」表（组织编号、组织名称、组织类型），表格标题也没有写明是哪个党组织的，"
                                         "无法审计；请在「所属组织」中填写本台账所属的党支部后重新检查，或按首页的空白台账模板增加"
                                         "「组织」表",
                                         "the workbook has no organizations sheet (org ID, name, type) and its titles "
                                         "name no organization, so nothing can be audited; name the branch the ledger "
                                         "belongs to in the Organization field and check again, or add an "
                                         "organizations sheet as the blank template on the start page has it"))
        for key in ("members", "meetings"):
            if key not in self.columns and not any(s.key == key for s in self.sheets):
                spec = SHEETS_BY_KEY[key]
                self.issues.append(InputIssue("INPUT-MISSING-SHEET", Location(self.display),
                                              {"value": Text(spec.title, spec.en)}, level="warning"))
        if orgs:
            self._single_org(orgs)
            self._resolve_org_refs(orgs)
        else:  # every other row would name an unknown organization: one issue says it all
            sheet = next((s.name for s in self.sheets if s.key == "orgs"), None)
            self.issues.append(InputIssue("INPUT-NO-ORGS", Location(self.display, sheet)))
        if "members" not in pending:
            self._repeated_members()
        if "dues" not in pending:
            self._member_numbers()
        for kind, (count, location) in self.unknown_kinds.items():
            self.issues.append(InputIssue("INPUT-UNKNOWN-KIND", location, {"value": kind, "count": count},
                                          level="warning"))
        rows: dict[str, Sequence[Any]] = {key: PendingRecords(key) if key in pending else records
                                          for key, records in self.records.items()}
        # Each list holds the record type of its sheet (RECORD_TYPES).
        return (PartialLedger if pending else Ledger)(
            self.display, orgs=orgs, members=rows["members"], meetings=rows["meetings"], dues=rows["dues"],
            elections=rows["elections"], recruits=rows["recruits"], training=rows["training"],
            columns={k: frozenset(v) for k, v in self.columns.items() if k not in pending})

    def _partial(self, unread: Sequence[str]) -> PartialLedger | None:
        """The ledger read so far, for `early`, with the sheets `unread` pending; settled on copies of what
        settling changes (issues, summaries, record lists), so that the whole ledger is settled exactly as without
        it. None when it cannot be told which sheets are pending (a sheet known by its content, not its name) or
        when the organizations are among them."""
        pending = set()
        for name in unread:
            if sheet_key(name) in _NOTE_SHEETS:
                continue
            named = self.aliases.sheet_of(name)
            if named is None:
                return None
            pending.add(named[0])
        if "members" in pending:
            pending.add("dues")  # dues rows may name members by their number in the roster
        if "orgs" in pending or "orgs" not in self.columns:
            return None
        scratch = copy.copy(self)
        scratch.issues = []
        summaries = {id(s): replace(s) for s in self.sheets}
        scratch.sheets = list(summaries.values())
        scratch.records = {key: list(records) for key, records in self.records.items()}
        scratch.columns = {key: set(fields) for key, fields in self.columns.items()}
        scratch.single_org_sheets = [(summaries.get(id(summary), replace(summary)), name, records, plan)
                                     for summary, name, records, plan in self.single_org_sheets]
        try:
            return cast(PartialLedger, scratch._settle(frozenset(pending)))
        except WorkbookError:  # said again, with its location, when the whole ledger is settled
            return None

    def _book(self, path: Path, display: str) -> None:
        with Workbook(path, display, self.limits) as book:
            for code, params in book.preflight.notices:
                self.issues.append(InputIssue(code, Location(display), params, level="warning"))
            if not book.sheet_names:
                raise WorkbookError(Text("工作簿中没有任何工作表", "the workbook has no sheets"), Location(display))
            # The organizations first: the other sheets' organization columns are checked against them.
            names = list(book.sheet_names)
            _refuse_duplicate_names(names, display)
            # A sheet Excel does not show is not the ledger the secretary sees (an old copy kept out of sight, the
            # lists behind drop-downs): said, with its rows, and not read.
            hidden_now = book.hidden_sheets()
            hidden = [n for n in names if n in hidden_now]
            shown = [n for n in names if n not in hidden]
            first = [n for n in shown if (self.aliases.sheet_of(n) or ("", None))[0] == "orgs"]
            order = {name: index for index, name in enumerate(names)}
            # In the order they are read (settling needs them: `_partial`), then in the workbook's order.
            start, plans, positions = len(self.sheets), len(self.plans), []
            ordered = first + [n for n in shown if n not in first]
            read_order = {name: index for index, name in enumerate(ordered + hidden)}
            if self.early is not None:
                ordered = self._dues_last(book, ordered)
            for index, name in enumerate(ordered):
                if self.early is not None and index and book.waits_for_largest(name):
                    early, self.early = self.early, None
                    partial = self._partial(ordered[index:])
                    if partial is not None:
                        early(partial)
                    del partial  # its indexes and derived values go before the largest sheet is read
                summary = self._sheet(book, display, name)
                summary.file = display if len(self.books) > 1 else None
                self.sheets.append(summary)
                positions.append(order[name])
            for name in hidden:
                summary = self._hidden(book, display, name)
                summary.file = display if len(self.books) > 1 else None
                self.sheets.append(summary)
                positions.append(order[name])
            self.sheets[start:] = [s for _i, s in sorted(zip(positions, self.sheets[start:]), key=itemgetter(0))]
            self.plans[plans:] = sorted(self.plans[plans:], key=lambda plan: read_order[plan.name])

    def _dues_last(self, book: Workbook, names: list[str]) -> list[str]:
        """The sheets in the order to read them when a rule may be judged early: the dues sheet last while its
        background parse is under way, so that the rules judged meanwhile have every other sheet. Only where that
        cannot change what is read: every other sheet known by its name, and none of them dues (the order of a
        sheet's records, and so of findings, follows the order sheets of one kind are read in)."""
        largest = next((name for name in names if book.waits_for_largest(name)), None)
        if largest is None:
            return names
        keys = [self.aliases.sheet_of(name) for name in names if sheet_key(name) not in _NOTE_SHEETS]
        if None in keys or [key for key, _kind in filter(None, keys)].count("dues") != 1 \
                or (self.aliases.sheet_of(largest) or ("", None))[0] != "dues":
            return names
        return [name for name in names if name != largest] + [largest]

    def _sheet(self, book: Workbook, display: str, name: str) -> SheetSummary:
        if sheet_key(name) in _NOTE_SHEETS:
            self.plans.append(SheetPlan(name, None, "note", file=display))
            return SheetSummary(name, None)  # our own instructions or findings list: no data
        try:
            sheet = book.sheet(name)
            rows, lost = sheet.rows(), sheet.lost
            del sheet  # the reader's own copy of the cells (tens of MB in a large sheet) goes before they are read
            where = book.no_date_cells(name, lost) if lost else {}  # which cell, where the package tells
        except SheetTooLarge as exc:
            return self._unread(display, name, "INPUT-SHEET-TOO-LARGE", exc.params)
        except SheetUnreadable as exc:
            return self._unread(display, name, "INPUT-SHEET-UNREADABLE", {"detail": exc.detail})
        summary = self._read(display, name, rows)
        if lost:  # rows the reader failed on: reported, and counted as rows skipped
            self._lost(display, name, lost, where)
            summary.rows += len(lost)
            summary.skipped += len(lost)
        return summary

    def _read_as(self, code: str, reader: _SheetReader, key: str, rows: list[int], **params: object) -> None:
        """A notice, once per sheet, about the rows whose `key` column was read in a way of its own (7/8 as two
        counts, a meeting's name as its kind, a list of names as their count)."""
        column = reader.readers[key][0]
        self.issues.append(InputIssue(code, Location(reader.sheet.file, reader.sheet.sheet, rows[0],
                                                     column_letter(column)), {
            "column": reader.labels[column], "count": len(rows), "rows": _rows_listed(rows), **params},
            level="warning"))

    def _form(self, name: str, rows: list[Row], plan: SheetPlan) -> Form | None:
        """The sheet as a form of the records its name or headers point to (else of any FORM_SHEETS'), where that
        reads more than its table does. Tried only where the table names no more fields than a form's row can
        (the header search took 会议时间 | 2025年3月5日 for a header), or none, or lacks a required one."""
        weak = plan.spec is None or plan.header_row is None or bool(plan.missing)
        if (plan.key is not None and plan.key not in FORM_SHEETS) or not (weak or len(plan.fields) <= MAX_LABELS_A_ROW):
            return None
        keys = [k for k in (plan.key, plan.guess) if k] or list(FORM_SHEETS)
        for key in dict.fromkeys(keys):
            if key in FORM_SHEETS:
                form = as_form(rows, key, self.aliases)
                if form is not None:
                    return form if weak or form.fields > len(plan.fields) else None
        return None

    def _read_form(self, display: str, name: str, form: Form) -> SheetSummary:
        """A form read as its table; every problem found in the table is moved to the sheet's own cell."""
        start = len(self.issues)
        summary = self._read(display, name, form.rows, form)
        sheet = SheetRef(display, name, {}, form.cells)
        header = len(form.rows) - form.blocks  # 1-based, in the table

        def moved(where: Location) -> Location:
            if where.sheet != name or where.file != display or (where.row is None and not where.column):
                return where
            return sheet.locate(where.row if where.row is not None else header, where.column, where.field)

        for i in range(start, len(self.issues)):
            issue = self.issues[i]
            rows = tuple((form.cells.get((r, None)) or (r, None))[0] for r in issue.rows)
            self.issues[i] = dataclasses.replace(issue, location=moved(issue.location), rows=rows)
        for kind, (count, where) in self.unknown_kinds.items():
            self.unknown_kinds[kind] = (count, moved(where))
        plan = self.plans[-1]
        labels = {letter: form.cells[(header, letter)] for letter in (c.letter for c in plan.columns)
                  if (header, letter) in form.cells}
        plan.form_labels = {letter: f"{column}{row}" for letter, (row, column) in labels.items()}
        spec = plan.spec
        if spec is not None:
            self.issues.insert(start, InputIssue("INPUT-FORM-SHEET", Location(display, name), {
                "count": form.blocks, "sheet": Text(spec.title, spec.en)}, level="warning"))
        if form.loose:
            self.issues.append(InputIssue("INPUT-FORM-TEXT", Location(display, name, form.loose[0]), {
                "count": len(form.loose), "rows": _rows_listed(form.loose)}, level="warning", rows=tuple(form.loose)))
        return summary

    def _hidden(self, book: Workbook, display: str, name: str) -> SheetSummary:
        """A hidden sheet: INPUT-HIDDEN-SHEET when it holds anything (with what it looks like), never read."""
        self.plans.append(SheetPlan(name, None, "hidden", file=display))
        try:
            rows: list[Row] | None = book.sheet(name).rows()
        except (SheetTooLarge, SheetUnreadable):
            rows = None
        count = _count_content(rows) if rows is not None else 0
        if rows is not None and not count:
            return SheetSummary(name, None)
        kind = None
        if rows is not None:
            plan = understand(display, name, rows, self.aliases, self.known_orgs, self.samples)
            kind = plan.key or plan.guess
        what = (Text(f"{count}行有内容", f"{count} rows with content") if rows is not None
                else Text("无法读取", "it cannot be read"))
        like = (Text(f"，像是「{SHEETS_BY_KEY[kind].title}」表", f"; it looks like the {SHEETS_BY_KEY[kind].en} sheet")
                if kind else Text("", ""))
        self.issues.append(InputIssue("INPUT-HIDDEN-SHEET", Location(display, name), {"what": what, "like": like},
                                      level="warning"))
        return SheetSummary(name, None, rows=count, skipped=count)

    def _lost(self, display: str, name: str, lost: dict[int, str], where: dict[int, list[str]]) -> None:
        """INPUT-ROW-UNREADABLE for each row the reader failed on: at the cell no date can be where the package
        tells which, named by its column's header where the sheet was understood."""
        plan = self.plans[-1] if self.plans and self.plans[-1].name == name else None
        headers = {c.letter: c.header for c in plan.columns} if plan is not None else {}
        for row, detail in lost.items():
            column = next(iter(where.get(row, ())), None)
            header = headers.get(column or "")
            cell = (Text(f"「{header}」的值", f"{header}: the value") if header
                    else Text("这一行有单元格的值", "a cell in this row"))
            self.issues.append(InputIssue("INPUT-ROW-UNREADABLE", Location(display, name, row + 1, column),
                                          {"cell": cell, "detail": panics.in_words(detail)}))

    def _read(self, display: str, name: str, rows: list[Row], form: Form | None = None) -> SheetSummary:
        """The sheet's rows understood and turned into records, or the reason they cannot be; a sheet that is
        no table may be a form (ingest/forms.py), read as the table it is laid out as (`form`)."""
        plan = understand(display, name, rows, self.aliases, self.known_orgs, self.samples)
        found = self._form(name, rows, plan) if form is None else None
        if found is not None:
            return self._read_form(display, name, found)
        self.plans.append(plan)
        titles: list[str] = []  # the sheet's title rows' texts
        if plan.header_row:
            above = plan.header_row - plan.header_rows + 1
            titles = [cell for cells in rows[:above] for cell in cells if isinstance(cell, str) and cell.strip()]
            self.titles += titles
        self.issues += plan.issues
        spec = plan.spec
        if spec is None:
            count = _count_content(rows)
            if count:
                guess = SHEETS_BY_KEY[plan.guess] if plan.guess else None
                hint = Text(f"（像是「{guess.title}」表，但可识别的列太少；可用 ledgercheck inspect 查看）",
                            f" (it looks like the {guess.en} sheet, but too few columns are recognized; "
                            f"see ledgercheck inspect)") if guess else Text("", "")
                web_hint = Text(f"（像是「{guess.title}」表，但可识别的列太少；见「台账识别情况」）",
                                f" (it looks like the {guess.en} sheet, but too few columns are recognized; see "
                                "How the ledger was read)") if guess else Text("", "")
                self.issues.append(InputIssue("INPUT-UNKNOWN-SHEET", Location(display, name),
                                              {"rows": count, "hint": hint, "web_hint": web_hint}, level="warning"))
            return SheetSummary(name, None, rows=count, skipped=count)
        if plan.header_row is None:
            count = _count_content(rows)
            if count:
                self.issues.append(InputIssue("INPUT-NO-HEADER", Location(display, name),
                                              {"rows": count, "scanned": HEADER_SCAN_ROWS}))
            return SheetSummary(name, spec.key, rows=count, skipped=count)
        data_rows = rows[plan.header_row + 1:]
        first = plan.header_row + 2  # 1-based number of the first data row
        if plan.missing:
            count = _count_content(data_rows)
            seen = "、".join(f"「{h}」" for h in plan.headers) or "—"
            self.issues.append(InputIssue("INPUT-MISSING-COLUMN", Location(display, name, plan.header_row + 1), {
                "column": "、".join(f.header for f in plan.missing), "rows": count, "headers": seen}))
            return SheetSummary(name, spec.key, plan.header_row + 1, rows=count, skipped=count)
        data_rows, first = self._without_examples(display, name, data_rows, first)
        data_rows, numbers = self._without_footer(display, name, data_rows, first)
        data_rows, numbers = self._without_totals(display, name, plan, data_rows, numbers)
        if plan.merged or plan.year_column is not None:
            data_rows = _prepared(plan, data_rows)
        if plan.wide:
            ticked = _ticked(plan, data_rows, numbers)
            if ticked is not None:  # a register of ticks holds no amount: the dues are not read, their rules not run
                rows_at, value = ticked
                count = _count_content(data_rows)
                self.issues.append(InputIssue("INPUT-DUES-TICKS", Location(display, name, rows_at[0]), {
                    "value": value, "count": count, "rows": _rows_listed(rows_at)}))
                return SheetSummary(name, spec.key, plan.header_row + 1, rows=count, skipped=count)
        sections = self._sections(display, name, plan, data_rows, numbers, titles) if not plan.wide else None
        if sections is not None:
            data_rows, numbers = ([r for r, n in zip(data_rows, numbers) if n not in sections.headings],
                                  [n for n in numbers if n not in sections.headings])
        reader = _SheetReader(display, name, plan, self.aliases, self.issues)
        if plan.wide:
            self._read_wide(display, name, plan, reader, data_rows, numbers)
        else:
            reader.read(data_rows, numbers)
            reader.summary.rows = reader.summary.records + reader.summary.skipped
        if reader.paired:
            self._read_as("INPUT-ATTENDANCE-PAIR", reader, "present", reader.paired,
                          expected=field_text(spec, _EXPECTED[spec.key]))
        if reader.within:
            part, kind = reader.within_example
            self._read_as("INPUT-KIND-WITHIN-TEXT", reader, "kind", reader.within, example=part, value=Term(kind))
        if reader.counted:
            self._read_as("INPUT-PRESENT-FROM-NAMES", reader, "present", reader.counted,
                          present=field_text(spec, "present"))
        for key, alone in reader.year_only.items():
            self._read_as("INPUT-YEAR-ONLY", reader, key, alone)
        if reader.spanned:
            self.issues.append(InputIssue("INPUT-DUES-SPAN", Location(display, name, reader.spanned[0]), {
                "count": len(reader.spanned), "rows": _rows_listed(reader.spanned)}, level="warning"))
        for index, count in reader.yearless.items():
            self.issues.append(InputIssue("INPUT-YEAR-FROM-TITLE", Location(display, name, None, column_letter(index)), {
                "column": reader.labels[index], "count": count, "year": plan.year,
                "source": _YEAR_SOURCES[plan.year_source]}, level="warning"))
        if form is not None:  # the records name the form's cells; the problems found meanwhile are moved after
            located = dataclasses.replace(reader.sheet, cells=form.cells)
            for record in reader.records:
                record.src = located  # type: ignore[misc]
        if sections is not None:
            for record in reader.records:
                record.org_id = sections.org_of.get(record.row or 0, record.org_id)  # type: ignore[attr-defined]
        if not reader.summary.rows and spec.key != "orgs":  # no organizations at all is INPUT-NO-ORGS, an error
            self.issues.append(InputIssue("INPUT-EMPTY-SHEET", Location(display, name, plan.header_row + 1),
                                          level="warning"))
        self.records[spec.key].extend(reader.records)
        present = set(plan.fields.values()) | set(plan.preset) | set(plan.infer) | (
            {"month", "paid", *(c.field for c in plan.columns if c.month is not None and c.field)} if plan.wide
            else set()) | ({_EXPECTED[spec.key]} if reader.paired else set())
        self.columns.setdefault(spec.key, set()).update(present)
        if spec.key == "orgs":
            for org in reader.records:
                self.known_orgs |= {header_key(cast(Org, org).org_id), header_key(cast(Org, org).name)}
        if plan.infer.get("org_id") == "single-org":
            self.single_org_sheets.append((reader.summary, name, reader.records, plan))
        for inferred in ("member_kind",):
            if plan.infer.get(inferred):
                self.issues.append(InputIssue("INPUT-INFERRED-MEMBER-KIND", Location(display, name), {},
                                              level="warning"))
        if reader.unknown_kinds:
            index = reader.readers["kind"][0]
            for value, count in reader.unknown_kinds.items():
                previous = self.unknown_kinds.get(value)
                location = previous[1] if previous else Location(display, name, None, column_letter(index))
                self.unknown_kinds[value] = ((previous[0] if previous else 0) + count, location)
        return reader.summary

    def _without_examples(self, display: str, name: str, rows: list[Row], first: int) -> tuple[list[Row], int]:
        """The data rows but the template's example rows right under the header (first cell 「示例：…」 or
        "Example: …"), which show how to fill the sheet and are not records: said once per sheet."""
        examples = 0
        for cells in rows[:EXAMPLE_ROWS]:
            cell = _first_filled(cells)
            if not (isinstance(cell, str) and fold(cell).startswith(_EXAMPLE_MARKS)):
                break
            examples += 1
        if not examples:
            return rows, first
        numbers = "、".join(str(n) for n in range(first, first + examples))
        self.issues.append(InputIssue("INPUT-EXAMPLE-ROW", Location(display, name, first), {"rows": numbers},
                                      level="warning"))
        return rows[examples:], first + examples

    def _sections(self, display: str, name: str, plan: SheetPlan, rows: list[Row],
                  numbers: list[int], titles: list[str]) -> _Sections | None:
        """A sheet without an organization column, in a ledger of several organizations (with one, every row is
        that one's): named after one of them (办公室党支部党员名册), or titled so (办公室党支部支部委员会会议记录
        above its header), every row is that one's; else, where its rows
        are grouped under heading rows that name an organization (a row holding just 办公室党支部, often merged
        across the table) and the first filled row is such a heading, each row belongs to the heading above it.
        Said once per sheet."""
        if plan.infer.get("org_id") != "single-org":
            return None
        orgs = cast("list[Org]", self.records["orgs"])
        if len(orgs) < 2:
            return None
        by_text = {header_key(o.name): o.org_id for o in orgs} | {header_key(o.org_id): o.org_id for o in orgs}
        sections = _Sections()
        # A sheet of its own per organization, named after it (办公室党支部党员名册): its longest name in the sheet's.
        # Not an organization others belong to: a 机关党委's roster without an organization column is everyone's.
        parents = {o.parent_id for o in orgs}
        def named_in(text: str) -> Org | None:
            return max((o for o in orgs if len(header_key(o.name)) >= 3 and header_key(o.name) in header_key(text)
                        and o.org_id not in parents), key=lambda o: len(header_key(o.name)), default=None)

        in_titles = {found.org_id: found for found in map(named_in, titles) if found is not None}
        for named, how in ((named_in(name), "sheet-name"),
                           (next(iter(in_titles.values())) if len(in_titles) == 1 else None, "title")):
            if named is not None:
                sections.org_of = dict.fromkeys(numbers, named.org_id)
                plan.infer["org_id"] = how
                code = "INPUT-ORG-BY-SHEET-NAME" if how == "sheet-name" else "INPUT-ORG-BY-TITLE"
                self.issues.append(InputIssue(code, Location(display, name), {"value": named.name}, level="warning"))
                return sections
        current: str | None = None
        for cells, number in zip(rows, numbers):
            filled = {c for c in cells if not _blank(c)}
            if not filled:
                continue
            heading = next(iter(filled)) if len(filled) == 1 else None
            org = by_text.get(header_key(_SECTION_DECOR.sub("", heading))) if isinstance(heading, str) else None
            if org is not None:
                current = org
                sections.headings[number] = cast(str, heading)
                continue
            if current is None:
                return None  # rows before any heading: not this layout
            sections.org_of[number] = current
        if not sections.headings:
            return None
        plan.infer["org_id"] = "sections"
        rows_text = "、".join(str(n) for n in list(sections.headings)[:6]) + ("等" if len(sections.headings) > 6 else "")
        names = "、".join(list(dict.fromkeys(sections.headings.values()))[:3])
        self.issues.append(InputIssue("INPUT-ORG-BY-SECTION", Location(display, name, min(sections.headings)), {
            "rows": rows_text, "value": names}, level="warning"))
        return sections

    def _without_footer(self, display: str, name: str, rows: list[Row], first: int) -> tuple[list[Row], list[int]]:
        """The data rows, with their row numbers, but those the sheet ends with that sign or annotate it (制表人：…,
        注：…, 填表说明), among its last rows, blank rows and 合计 rows (left to `_without_totals`): said once per
        sheet, with the first one's text."""
        footer: list[int] = []
        text = ""
        for index in range(len(rows) - 1, max(-1, len(rows) - 1 - FOOTER_ROWS), -1):
            cell = _first_filled(rows[index])
            if cell is None or (isinstance(cell, str) and header_key(cell) in _TOTALS):
                continue
            if not (isinstance(cell, str) and _FOOTER.match(normalize(cell))):
                break
            footer.append(index)
            text = " ".join(cell.split())
        numbers = list(range(first, first + len(rows)))
        if not footer:
            return rows, numbers
        shown = text if len(text) <= 24 else text[:24] + "…"
        self.issues.append(InputIssue("INPUT-FOOTER-ROW", Location(display, name, first + min(footer)), {
            "rows": "、".join(str(first + i) for i in sorted(footer)), "text": shown}, level="warning"))
        dropped = set(footer)
        kept = [i for i in range(len(rows)) if i not in dropped]
        return [rows[i] for i in kept], [numbers[i] for i in kept]

    def _without_totals(self, display: str, name: str, plan: SheetPlan, rows: Sequence[Row],
                        numbers: list[int]) -> tuple[list[Row], list[int]]:
        """The data rows but a 合计 (total) row, which sums others and is not a record: said once per sheet. The
        name cell decides where the sheet has names (a member's dues rows), else the row's first filled cell."""
        name_index = next((i for i, key in plan.fields.items() if key == "name"), None)
        if name_index is None:
            name_index = 0  # the first column; where it is blank, the row's first filled cell
        # Names repeat (a member's dues rows): each distinct cell is judged once (_CellRole), and a sheet whose
        # name cells are all filled with something other than 合计 is kept whole without a loop over its rows.
        role = _CellRole()
        if min(map(len, rows), default=0) > name_index:
            names = list(map(itemgetter(name_index), rows))
        else:
            names = [cells[name_index] if name_index < len(cells) else None for cells in rows]
        roles = list(map(role.__getitem__, names))
        if roles and roles.count(_KEEP_ROW) == len(roles):
            return list(rows), numbers
        kept_rows, kept_numbers, totals = [], [], []
        for cells, number, verdict in zip(rows, numbers, roles):
            if verdict is _BLANK:
                # 合计 written in the first column, the name cell left empty: the first non-empty cell decides
                verdict = next((v for v in map(role.__getitem__, cells) if v is not _BLANK), _KEEP_ROW)
            if verdict is _TOTAL_ROW:
                totals.append(number)
                continue
            kept_rows.append(cells)
            kept_numbers.append(number)
        if totals:
            self.issues.append(InputIssue("INPUT-TOTAL-ROW", Location(display, name, totals[0]), {
                "rows": "、".join(str(n) for n in totals)}, level="warning"))
        return kept_rows, kept_numbers

    def _read_wide(self, display: str, name: str, plan: SheetPlan, reader: _SheetReader, rows: Sequence[Row],
                   numbers: Sequence[int]) -> None:
        """Dues with a column per month (or a few: 应缴 | 实缴 | 缴纳日期 under each month): one payment per month a row
        fills, pointing at its cells."""
        people = {i: key for i, key in plan.fields.items()}
        by_month: dict[Period, dict[int, str]] = {}
        for column in plan.columns:
            if column.month is not None and column.field is not None:
                by_month.setdefault(column.month, {})[column.index] = column.field
        for month, own in by_month.items():
            filled = [(cells, n) for cells, n in zip(rows, numbers)
                      if any(index < len(cells) and not _blank(cells[index]) for index in own)]
            if not filled:
                continue
            monthly = replace(plan, preset={**plan.preset, "month": month})
            part = _SheetReader(display, name, monthly, self.aliases, self.issues, {**people, **own})
            part.read([cells for cells, _n in filled], [n for _c, n in filled])
            reader.records += part.records
            reader.summary.skipped += part.summary.skipped
        reader.summary.records = len(reader.records)
        reader.summary.rows = _count_content(rows)

    def _unread(self, display: str, name: str, code: str, params: dict[str, object]) -> SheetSummary:
        """A sheet that cannot be read at all: reported as a whole; the other sheets are still read."""
        found = self.aliases.sheet_of(name)
        key = found[0] if found else None
        issue = InputIssue(code, Location(display, name), params)
        if key == "orgs":  # without its organizations nothing can be audited
            raise WorkbookError(Text(issue.message("zh"), issue.message("en")), issue.location,
                                web=Text(issue.message("zh", "web"), issue.message("en", "web")))
        self.issues.append(issue)
        return SheetSummary(name, key)

    # ---------------------------------------------------------------- what needs the whole ledger

    def _orgs(self) -> list[Org]:
        orgs: dict[str, Org] = {}
        for record in self.records["orgs"]:
            org = cast(Org, record)
            first = orgs.get(org.org_id)
            if first is not None and first.src is not None and org.src is not None \
                    and first.src.file != org.src.file:
                raise WorkbookError(Text(f"{first.src.file} 和 {org.src.file} 都登记了组织「{org.org_id}」：它们像是不同单位的"
                                         "台账。请逐个检查，或用 ledgercheck scan 批量检查",
                                         f"{first.src.file} and {org.src.file} both list organization {org.org_id}: "
                                         "they look like the ledgers of different units. Audit them one at a time, "
                                         "or use ledgercheck scan"), Location(self.display),
                                    web=Text(f"{first.src.file} 和 {org.src.file} 都登记了组织「{org.org_id}」：它们像是不同"
                                             "单位的台账。请每次只上传一个单位的台账",
                                             f"{first.src.file} and {org.src.file} both list organization "
                                             f"{org.org_id}: they look like the ledgers of different units. Upload one "
                                             "unit's ledger at a time"))
            if first is not None:
                self.issues.append(InputIssue("INPUT-DUPLICATE-ORG", org.at("org_id") or Location(self.display),
                                              {"value": org.org_id}, row_skipped=True))
                summary = self._summary_of(org.src)
                if summary is not None:
                    summary.records -= 1
                    summary.skipped += 1
                continue
            orgs[org.org_id] = org
        by_name = {header_key(o.name): o.org_id for o in orgs.values()}
        by_number = _by_number(orgs.values())
        for org_id, org in list(orgs.items()):
            if org.parent_id is None or org.parent_id in orgs:
                continue
            resolved = by_name.get(header_key(org.parent_id)) or _numbered(by_number, org.parent_id)
            if resolved is None:
                self.issues.append(InputIssue("INPUT-UNKNOWN-ORG", org.at("parent_id") or Location(self.display),
                                              {"value": org.parent_id, "count": 1, "rows": str(org.row)}))
            else:
                orgs[org_id] = replace(org, parent_id=resolved)
        self._check_cycles(orgs)
        return list(orgs.values())

    def _check_cycles(self, orgs: dict[str, Org]) -> None:
        reported: set[str] = set()
        for start in orgs:
            chain_: list[str] = []
            current: str | None = start
            while current is not None and current in orgs and current not in chain_:
                chain_.append(current)
                current = orgs[current].parent_id
            if current is not None and current in chain_ and current not in reported:
                cycle = chain_[chain_.index(current):]
                reported.update(cycle)
                org = orgs[current]
                self.issues.append(InputIssue("INPUT-ORG-CYCLE", org.at("parent_id") or Location(self.display),
                                              {"value": " → ".join(cycle + [current])}))
                orgs[current] = replace(org, parent_id=None)

    def _single_org(self, orgs: list[Org]) -> None:
        """Sheets without an organization column belong to the ledger's one organization (or --org's)."""
        if not self.single_org_sheets:
            return
        chosen = None
        if self.org is not None:
            chosen = next((o for o in orgs if self.org in (o.org_id, o.name)), None)
        elif len(orgs) == 1:
            chosen = orgs[0]
        for summary, name, records, plan in self.single_org_sheets:
            key = cast(SheetSpec, plan.spec).key
            if chosen is not None:
                for record in records:
                    record.org_id = chosen.org_id  # type: ignore[attr-defined]
                self.issues.append(InputIssue("INPUT-ORG-INFERRED", Location(summary.file or self.display, name),
                                              {"value": chosen.name}, level="warning"))
                continue
            mine = {id(r) for r in records}
            self.records[key] = [r for r in self.records[key] if id(r) not in mine]
            spec = SHEETS_BY_KEY[key]
            where = Location(summary.file or self.display, name, summary.header_row)
            if self.org is not None:  # the organization named is not the ledger's: said, not "add a column"
                listed = "、".join(f"{o.name}（{o.org_id}）" if o.name != o.org_id else o.name for o in orgs[:5])
                self.issues.append(InputIssue("INPUT-ORG-OPTION-UNKNOWN", where, {
                    "value": self.org, "orgs": listed + ("……" if len(orgs) > 5 else ""), "rows": summary.rows}))
            else:
                self.issues.append(InputIssue("INPUT-MISSING-COLUMN", where, {
                    "column": spec.by_key["org_id"].header, "rows": summary.rows,
                    "headers": "、".join(f"「{h}」" for h in plan.headers) or "—"}))
            summary.skipped, summary.records = summary.rows, 0

    def _resolve_org_refs(self, orgs: list[Org]) -> None:
        """Records may name their organization by ID or by name (所在支部: 第一党支部). A name or ID that is not
        in the organizations sheet is one input problem per sheet and value, with its rows."""
        ids = {o.org_id for o in orgs}
        by_name = {header_key(o.name): o.org_id for o in orgs}
        by_number = _by_number(orgs)
        for key in ORG_REFERENCING:
            records = self.records[key]
            if ids.issuperset(set(map(attrgetter("org_id"), records)) - {None}):
                continue  # every row names a known organization ID: nothing to resolve (the usual case)
            unknown: dict[tuple[str, str], _Refs] = {}
            zeros: dict[str, tuple[Location, dict[str, str], list[int]]] = {}  # sheet → where, value → ID, rows
            for position, record in enumerate(records):
                org_id = getattr(record, "org_id", None)
                if org_id is None or org_id in ids:
                    continue
                resolved = by_name.get(header_key(org_id))
                numbered = None if resolved is not None else _numbered(by_number, org_id)
                if numbered is not None:
                    sheet = record.src.sheet if record.src else ""
                    where = record.at("org_id") or Location(self.display)
                    where, values, rows = zeros.setdefault(sheet, (where, {}, []))
                    values[org_id] = numbered
                    rows.append(record.row or 0)
                    resolved = numbered
                if resolved is not None:
                    records[position] = replace(cast(Any, record), org_id=resolved)  # a record with org_id
                    continue
                refs = unknown.setdefault((record.src.sheet if record.src else "", org_id), _Refs())
                refs.rows.append(record.row or 0)
                refs.location = refs.location or record.at("org_id")
            for (_sheet, value), refs in unknown.items():
                self.issues.append(InputIssue("INPUT-UNKNOWN-ORG", refs.location or Location(self.display), {
                    "value": value, "count": len(refs.rows), "rows": _row_range(refs.rows)}))
            for where, values, rows in zeros.values():
                pairs = "、".join(f"「{v}」即「{i}」" for v, i in list(values.items())[:3]) + (
                    "……" if len(values) > 3 else "")
                self.issues.append(InputIssue("INPUT-ORG-ID-ZEROS", where, {"value": pairs, "count": len(rows)},
                                              level="warning"))

    def _repeated_members(self) -> None:
        """Rows of the roster that repeat an earlier row. A row that says word for word what an earlier one does (a
        pasted copy, an old copy of the sheet) is not read: it would count the member twice in every rule. Rows
        with the same ID number that differ are read and pointed out, unless one of them records a transfer
        (转入/转出日期: a member who moved between branches is listed in both). One issue per sheet and sheet it
        repeats, with its rows."""
        members = cast("list[Member]", self.records["members"])
        first: dict[object, Member] = {}  # by ID number; a row without one by all it says
        repeated: dict[tuple[str, tuple[str, str], str], _Refs] = {}  # (code, (file, sheet), earlier sheet) → rows
        kept: list[Member] = []
        fields = data_fields(Member)
        for member in members:
            number = (member.id_number or "").strip().upper()
            key: object = number or tuple(getattr(member, name) for name in fields)
            earlier = first.get(key)
            if earlier is None:
                first[key] = member
                kept.append(member)
                continue
            sheet = (member.src.file, member.src.sheet) if member.src else ("", "")
            other = _sheet_named(earlier.src, member.src)
            if _same_entry(member, earlier):
                refs = repeated.setdefault(("INPUT-DUPLICATE-MEMBER", sheet, other), _Refs())
                summary = self._summary_of(member.src)
                if summary is not None:
                    summary.records -= 1
                    summary.skipped += 1
            else:
                kept.append(member)
                if any((m.transferred_in, m.transferred_out) != (None, None) for m in (member, earlier)):
                    continue
                refs = repeated.setdefault(("INPUT-SAME-ID-NUMBER", sheet, other), _Refs())
            refs.rows.append(member.row or 0)
            refs.location = refs.location or member.at("id_number")
        if len(kept) != len(members):
            self.records["members"] = list(kept)
        for (code, _sheet, other), refs in repeated.items():
            self.issues.append(InputIssue(code, refs.location or Location(self.display), {
                "count": len(refs.rows), "sheet": other, "rows": _rows_listed(refs.rows)},
                level="warning", row_skipped=code == "INPUT-DUPLICATE-MEMBER",
                rows=tuple(refs.rows) if code == "INPUT-DUPLICATE-MEMBER" else ()))

    def _summary_of(self, src: SheetRef | None) -> SheetSummary | None:
        """The summary of the sheet a record came from: by workbook too, as two files of a ledger may each have a
        sheet of the same name."""
        if src is None:
            return None
        return next((s for s in self.sheets if s.name == src.sheet and s.file in (None, src.file)), None)

    def _member_numbers(self) -> None:
        """Dues rows that name members by their number in the roster get the member's name and organization."""
        if not any(r.member_no for r in cast("list[DuesPayment]", self.records["dues"]) if not r.name):
            return
        roster = {m.member_no: m for m in cast("list[Member]", self.records["members"]) if m.member_no}
        unknown: dict[str, _Refs] = {}
        for position, record in enumerate(cast("list[DuesPayment]", self.records["dues"])):
            if record.name or not record.member_no:
                continue
            member = roster.get(record.member_no)
            if member is not None:
                self.records["dues"][position] = replace(record, name=member.name,
                                                          org_id=record.org_id or member.org_id)
                continue
            refs = unknown.setdefault(record.member_no, _Refs())
            refs.rows.append(record.row or 0)
            refs.location = refs.location or record.at("member_no")
        for value, refs in unknown.items():
            self.issues.append(InputIssue("INPUT-UNKNOWN-MEMBER-NO", refs.location or Location(self.display), {
                "value": value, "count": len(refs.rows), "rows": _row_range(refs.rows)}))
        kept = [r for r in cast("list[DuesPayment]", self.records["dues"]) if r.name]
        self.records["dues"] = cast("list[Record]", kept)


def _refuse_duplicate_names(names: list[str], display: str) -> None:
    """Two sheets of one workbook with the same name (an .ods allows it) cannot be told apart by name, which is how
    sheets are read: the first would be read twice and the second never. Refused, so that nothing is counted twice
    or lost. (Two workbooks of one ledger may each have a 党员 sheet: they are read one workbook at a time.)"""
    counts = Counter(name for name in names if sheet_key(name) not in _NOTE_SHEETS)
    repeated = [(name, count) for name, count in counts.items() if count > 1]
    if repeated:
        name, count = repeated[0]
        raise WorkbookError(Text(f"工作簿中有{count}张同名的工作表「{name}」，无法分别读取：请把其中一张改名后再检查",
                                 f"the workbook has {count} sheets named {name!r}, which cannot be read apart: rename "
                                 "one of them and audit again"), Location(display, name))


_ORG_TYPES = (("机关党委", "机关党委"), ("联合党支部", "联合党支部"), ("临时党支部", "临时党支部"), ("党总支", "党总支"),
              ("总支部", "党总支"), ("党支部", "党支部"), ("支部", "党支部"), ("党委", "党委"))


# An organization named in a title (中共某局办公室党支部2025年党员花名册, 填报单位：办公室党支部): the text up to its
# last organization ending, after any year; a name that says no more than its type is no name.
_ORG_IN_TEXT = re.compile(r"[^\s:：,，。、;；()（）\[\]【】<>《》\"“”'0-9]{1,40}(?:联合党支部|临时党支部|党支部|党总支|党委)")
_YEAR_IN_TEXT = re.compile(r"\d{4}\s*年度?")
_GENERIC_ORGS = frozenset({"机关党委", "基层党委", "上级党委", "本党支部", "该党支部", "所在党支部", "各党支部", "中共党支部",
                           "本党总支", "本党委", "上级党支部"})
_ORG_SOURCES = {"title": Text("表格标题", "the sheets' titles"), "name": Text("工作表名称", "the sheets' names"),
                "file": Text("文件名", "the file's name")}


def _org_named(titles: list[str], sheets: list[str], files: list[str]) -> tuple[str, str] | None:
    """The one organization a ledger without an organizations sheet names in its titles, else its sheets' names,
    else its file's name, and where: a name within a longer one found is the same (办公室党支部, 某局办公室党支部);
    two names, or none, give none."""
    for texts, source in ((titles, "title"), (sheets, "name"), (files, "file")):
        found = {match.group(0) for text in texts
                 for match in _ORG_IN_TEXT.finditer(_YEAR_IN_TEXT.sub(" ", unicodedata.normalize("NFKC", text)))}
        found = {name for name in found if name not in _GENERIC_ORGS and len(name) >= 4}
        longest = max(found, key=len, default=None)
        if longest is not None:
            return (longest, source) if all(name in longest for name in found) else None
    return None


def _org_type(name: object) -> str | None:
    """The type an organization's name says (第一党支部: 党支部); None when it says none."""
    if not isinstance(name, str):
        return None
    return next((kind for ending, kind in _ORG_TYPES if name.endswith(ending)), None)


def _prepared(plan: SheetPlan, rows: Sequence[Row]) -> list[Row]:
    """Rows with a list field kept in several columns joined into the first, and 年份 + 月份 joined into the month."""
    month = next((i for i, key in plan.fields.items() if key == "month"), None)
    prepared = []
    for cells in rows:
        cells = list(cells)
        width = len(cells)
        for indexes in plan.merged.values():
            parts = [show(cells[i]) for i in indexes if i < width and cells[i] is not None
                     and not (isinstance(cells[i], str) and is_empty(cells[i]))]
            if indexes[0] < width:
                cells[indexes[0]] = "、".join(parts) if parts else None
        if plan.year_column is not None and month is not None and max(plan.year_column, month) < width:
            year, number = _whole(cells[plan.year_column]), _whole(cells[month])
            if year is not None and number is not None and 1 <= number <= 12:
                cells[month] = f"{year}-{number:02d}"
            elif year is not None and isinstance(text := cells[month], str) and _is_span(text, year):
                cells[month] = f"{year}年{text.strip()}"  # 1-3月, 第一季度: months paid together
        prepared.append(cells)
    return prepared


def _is_span(text: str, year: int) -> bool:
    try:
        to_months(text, year)
    except CellError:
        return False
    return True


def _whole(cell: object) -> int | None:
    """A whole number written as a number or as text (2025, 2025.0, "2025", "3月")."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        return int(cell)
    if isinstance(cell, str):
        text = cell.strip().rstrip("年月").strip()
        return int(text) if text.isdigit() else None
    return None


_TICKS = frozenset({"√", "✓", "✔", "☑", "v", "V", "已缴", "已交", "已缴纳", "已交纳", "已收", "缴", "交", "是"})


def _by_number(orgs: Iterable[Org]) -> dict[int, str]:
    """Organization IDs made of digits, by their value (002 and 2 alike), where no two share one."""
    found: dict[int, list[str]] = {}
    for org in orgs:
        if org.org_id.isdigit():
            found.setdefault(int(org.org_id), []).append(org.org_id)
    return {number: ids[0] for number, ids in found.items() if len(ids) == 1}


def _numbered(by_number: dict[int, str], value: str) -> str | None:
    """The organization whose digits-only ID has the value of `value` (Excel dropped the zeros of 002 in one sheet,
    or typed them in another)."""
    return by_number.get(int(value)) if value.isdigit() else None


def _ticked(plan: SheetPlan, rows: Sequence[Row], numbers: Sequence[int]) -> tuple[list[int], str] | None:
    """Where every filled month cell of a dues sheet with a column per month is a tick (√, 已缴), not an amount:
    the rows holding ticks and the first tick. None where any month cell holds a number (then each tick is a cell
    that is not a number)."""
    at: list[int] = []
    first = ""
    paid = [c.index for c in plan.columns if c.month is not None and c.field == "paid"]
    for cells, number in zip(rows, numbers):
        ticked = False
        for index in paid:
            cell = cells[index] if index < len(cells) else None
            if _blank(cell):
                continue
            if not (isinstance(cell, str) and normalize(cell) in _TICKS):
                return None
            first = first or normalize(cell)
            ticked = True
        if ticked:
            at.append(number)
    return (at, first) if at else None


def _same_entry(a: Member, b: Member) -> bool:
    """Whether two roster rows say the same thing in every field (where they are, and what was unreadable, aside)."""
    return all(getattr(a, name) == getattr(b, name) for name in data_fields(Member))


def _sheet_named(src: SheetRef | None, seen_from: SheetRef | None) -> str:
    """A sheet's name as a message names it to a reader of `seen_from`'s sheet: with its workbook where that is
    another (a ledger in several files)."""
    if src is None:
        return ""
    if seen_from is not None and src.file != seen_from.file:
        return f"{Path(src.file).name}：{src.sheet}"
    return src.sheet


def _rows_listed(rows: list[int], runs: int = 8) -> Text:
    """Rows as 第5–9、12行 (the first `runs` runs of consecutive rows, then 等)."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in spans[:runs]]
    more = len(spans) > runs
    return Text(f"第{'、'.join(shown)}{'等' if more else ''}行",
                f"row{'s' if len(rows) > 1 else ''} {', '.join(shown)}{' …' if more else ''}")


def _row_range(rows: list[int]) -> str:
    rows = sorted(rows)
    return str(rows[0]) if len(rows) == 1 else f"{rows[0]}–{rows[-1]}"


NOT_REGULAR = Text("这不是普通文件（而是管道、设备或套接字），不读取：请给出台账工作簿本身",
                   "this is not a regular file (a pipe, a device or a socket) and is not read: give the workbook itself")


def require_regular(path: Path, display: str) -> None:
    """Only regular files are read: a FIFO named 台账.xlsx would block the reader forever, a link to /dev/zero
    feed it forever. A missing file or a folder is left to the workbook reader, which says so."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:  # a symlink loop, a name too long, no permission
        raise WorkbookError(with_reason(Text("无法打开文件", "cannot open the file"), exc), Location(display)) from None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise WorkbookError(NOT_REGULAR, Location(display))


def load_ledger(path: Path | Sequence[Path], aliases: AliasTable | None = None, display: str | None = None,
                limits: Limits | None = None, org: str | None = None,
                early: Callable[[PartialLedger], None] | None = None, samples: bool = True) -> LoadResult:
    """Read a ledger: one workbook, or several workbooks of one unit. Raises WorkbookError when it cannot be
    used at all. `early` gets the ledger read so far while a workbook's last sheets are parsed (see above).
    `samples`: each column's first values kept in the plans, for showing how each sheet was read."""
    paths = [path] if isinstance(path, Path) else list(path)
    if len(paths) == 1:  # a name that is not UTF-8 shown with its bytes escaped (\xb2.xlsx)
        books = [(paths[0], display or escape_undecodable(paths[0].name))]
    else:
        books = [(p, escape_undecodable(str(p))) for p in paths]
    for book, shown in books:
        require_regular(book, shown)
    return _Loader(books, aliases or load_aliases(), limits, org, early, samples).load()
