"""Workbook → Ledger. Every non-empty row becomes a record or an input issue with its location."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, cast

from ledgercheck.common.errors import WorkbookError
from ledgercheck.common.i18n import Text
from ledgercheck.common.limits import Limits
from ledgercheck.common.location import Location
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.aliases import AliasTable, header_key, load_aliases, sheet_key
from ledgercheck.ingest.coerce import CellError, coerce, is_empty, show
from ledgercheck.ingest.headers import HEADER_SCAN_ROWS, HeaderMatch, SheetKind, classify, find_header, letters
from ledgercheck.ingest.preflight import Unreadable
from ledgercheck.ingest.workbook import Row, SheetTooLarge, SheetUnreadable, Workbook
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.provenance import RowRef, SheetRef
from ledgercheck.model.records import (
    RECORD_TYPES,
    DuesPayment,
    Election,
    Meeting,
    Member,
    Org,
    Record,
    Recruit,
    TrainingHours,
    data_fields,
)
from ledgercheck.model.schema import ENUMS, NOTE_SHEETS, SHEETS_BY_KEY, FieldSpec, FieldType, SheetSpec

_KIND_SEPARATORS = re.compile(r"[、,，;；/+＋和及]")
CACHE_LIMIT = 20_000  # distinct raw values remembered per column
ORG_REFERENCING = ("members", "meetings", "dues", "elections", "recruits")
_NOTE_SHEETS = frozenset(sheet_key(name) for name in NOTE_SHEETS)


@dataclass
class SheetSummary:
    """What happened to one sheet: for the report's "nothing is lost" accounting."""

    name: str
    key: str | None
    header_row: int | None = None  # 1-based
    rows: int = 0  # non-empty data rows
    records: int = 0
    skipped: int = 0  # rows that became input issues instead of records

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "key": self.key, "header_row": self.header_row, "rows": self.rows,
                "records": self.records, "skipped": self.skipped}


@dataclass
class LoadResult:
    ledger: Ledger
    issues: list[InputIssue]
    sheets: list[SheetSummary] = field(default_factory=list)


def _row_is_empty(cells: Row) -> bool:
    for cell in cells:
        if cell is None:
            continue
        if cell.__class__ is not str or not is_empty(cell):
            return False
    return True


def _count_content(rows: list[Row]) -> int:
    return sum(1 for cells in rows if not _row_is_empty(cells))


class _ColumnReader(dict):
    """Coerces one column's cells. It is a dict from raw value to outcome, filled on first sight.

    Ledgers repeat values heavily (org IDs, months, amounts, names), so a column is converted with
    `map(reader.__getitem__, cells)`: one C-level dict lookup per cell. An outcome is the value, the
    field's empty value (None, or () for lists) for blank cells, or the CellError to report.
    """

    def __init__(self, spec: FieldSpec, header: str, aliases: AliasTable):
        super().__init__()
        self.spec = spec
        self.key = spec.key
        self.header = header
        self.aliases = aliases
        self.empty: object = () if spec.type in (FieldType.NAMES, FieldType.ENUMS) else None
        self.errors = False  # whether any outcome is a CellError
        self.unknown_by_raw: dict[object, tuple[str, ...]] = {}

    def __missing__(self, raw: object) -> object:
        if raw is None or (isinstance(raw, str) and is_empty(raw)):
            outcome = self.empty
        elif raw.__class__ is Unreadable:  # an error value or a formula without a saved result
            outcome = CellError(raw.code, value=raw.text)
            self.errors = True
        else:
            try:
                outcome = self._coerce(raw)
            except CellError as exc:
                outcome = exc
                self.errors = True
        if len(self) < CACHE_LIMIT and raw.__class__ is not bool:  # True would answer for 1 later
            self[raw] = outcome
        return outcome

    def convert(self, cells: list[object]) -> list[object]:
        # True == 1 in Python: a column holding booleans is converted cell by cell without the cache.
        if bool in set(map(type, cells)):
            return [self.__missing__(c) if c.__class__ is bool else self[c] for c in cells]
        return list(map(self.__getitem__, cells))

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
            parts = [p.strip() for p in _KIND_SEPARATORS.split(show(raw)) if p.strip()]
            kinds = tuple(dict.fromkeys(self.aliases.value(spec.enum or "", p) or p for p in parts))
            unknown = tuple(k for k in kinds if k not in ENUMS[spec.enum or ""])
            if unknown:
                self.unknown_by_raw[raw] = unknown
            return kinds
        return coerce(spec, raw)


class _SheetReader:
    """Turns the data rows of one recognized sheet into records and issues, a column at a time."""

    def __init__(self, display: str, name: str, spec: SheetSpec, header: HeaderMatch, kind: SheetKind,
                 aliases: AliasTable, issues: list[InputIssue]):
        self.spec = spec
        self.kind = kind
        self.issues = issues
        self.readers = {key: (index, _ColumnReader(spec.by_key[key], header.labels[index], aliases))
                        for index, key in header.fields.items()}
        self.sheet = SheetRef(display, name, {key: column_letter(i) for i, key in header.fields.items()})
        record_type = RECORD_TYPES[spec.key]
        # Columns are converted in the record type's own field order, so a record is built positionally (fast)
        # and yet by name: the order comes from the record's fields, not from the layout's column order. The
        # constructor takes those fields, then src, row and unreadable (model/records.py).
        self.fields = tuple(spec.by_key[name] for name in data_fields(record_type))
        self.make: Callable[..., Record] = record_type
        self.required = [f for f in spec.fields if f.required and not (f.key == "kind" and kind.preset_kind)]
        self.summary = SheetSummary(name, spec.key, header.row + 1)
        self.records: list[Record] = []
        self.unknown_kinds: dict[str, int] = {}

    def read(self, rows: list[Row], first_row: int) -> None:
        """`rows` are the data rows; `first_row` is the 0-based sheet index of rows[0]."""
        count = len(rows)
        min_width = min(map(len, rows), default=0)
        columns: list[list[object]] = []  # converted, one per record field, in the record's field order
        for spec_field in self.fields:
            if spec_field.key in self.readers:
                index, reader = self.readers[spec_field.key]
                if min_width > index:
                    raw = list(map(itemgetter(index), rows))
                else:
                    raw = [cells[index] if index < len(cells) else None for cells in rows]
                columns.append(reader.convert(raw))
                for value, kinds in reader.unknown_by_raw.items():
                    for kind in kinds:
                        self.unknown_kinds[kind] = self.unknown_kinds.get(kind, 0) + raw.count(value)
            elif spec_field.key == "kind" and self.kind.preset_kind:
                columns.append([(self.kind.preset_kind,)] * count)
            else:
                empty = () if spec_field.type in (FieldType.NAMES, FieldType.ENUMS) else None
                columns.append([empty] * count)
        numbers = range(first_row + 1, first_row + 1 + count)  # 1-based Excel rows
        records: list[Record | None] = list(map(self.make, *columns, repeat(self.sheet, count), numbers))
        # Rows with an unreadable cell or without a required value are rare: fix them up one by one.
        # Blank rows lack every required value, so they are among them too.
        problems = self._problem_rows(columns)
        for position in problems:
            values = tuple(column[position] for column in columns)
            records[position] = self._troubled(numbers[position], rows[position], values)
        # Without problem rows no entry is None (the filtering pass is skipped for the common case).
        self.records = [r for r in records if r is not None] if problems else cast("list[Record]", records)
        self.summary.records = len(self.records)
        self.summary.rows = self.summary.records + self.summary.skipped

    def _problem_rows(self, columns: list[list[object]]) -> list[int]:
        """Rows with an unreadable cell or a missing required value (rare: found column by column)."""
        problems: set[int] = set()
        for spec_field, column in zip(self.fields, columns):
            reader = self.readers.get(spec_field.key, (None, None))[1]
            if reader is not None and reader.errors:
                problems.update(i for i, v in enumerate(column) if v.__class__ is CellError)
            if spec_field.required:
                empty = () if spec_field.type in (FieldType.NAMES, FieldType.ENUMS) else None
                if empty in column:
                    problems.update(i for i, v in enumerate(column) if v is empty or v == empty)
        return sorted(problems)

    def _troubled(self, row: int, cells: Row, values: tuple[object, ...]) -> Record | None:
        """Report a row's problems; the record when it can still be made, else None (counted as skipped)."""
        errors = [(spec_field, value) for spec_field, value in zip(self.fields, values) if value.__class__ is CellError]
        missing = [f for f, v in zip(self.fields, values) if f in self.required and (v is None or v == ())]
        if not errors and all(v is None or v == () for v in values) and _row_is_empty(cells):
            return None  # blank row
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


class _Loader:
    def __init__(self, path: Path, display: str, aliases: AliasTable, limits: Limits | None = None):
        self.path = path
        self.display = display
        self.aliases = aliases
        self.limits = limits
        self.issues: list[InputIssue] = []
        self.sheets: list[SheetSummary] = []
        self.records: dict[str, list[Record]] = {key: [] for key in SHEETS_BY_KEY}
        self.columns: dict[str, set[str]] = {}
        self.unknown_kinds: dict[str, tuple[int, Location]] = {}

    def load(self) -> LoadResult:
        with Workbook(self.path, self.display, self.limits) as book:
            for code, params in book.preflight.notices:
                self.issues.append(InputIssue(code, Location(self.display), params, level="warning"))
            if not book.sheet_names:
                raise WorkbookError(Text("工作簿中没有任何工作表", "the workbook has no sheets"), Location(self.display))
            for name in book.sheet_names:
                self._sheet(book, name)
        if "orgs" not in self.columns:
            raise WorkbookError(Text("工作簿中没有「组织」表（组织编号、组织名称、组织类型），无法审计；"
                                     "可用 `ledgercheck template` 生成标准模板",
                                     "the workbook has no organizations sheet (org ID, name, type), so nothing "
                                     "can be audited; `ledgercheck template` writes the standard layout"),
                                Location(self.display))
        for key in ("members", "meetings"):
            if key not in self.columns and not any(s.key == key for s in self.sheets):
                spec = SHEETS_BY_KEY[key]
                self.issues.append(InputIssue("INPUT-MISSING-SHEET", Location(self.display),
                                              {"value": Text(spec.title, spec.en)}, level="warning"))
        orgs = self._orgs()
        if orgs:
            self._resolve_org_refs(orgs)
        else:  # every other row would name an unknown organization: one issue says it all
            sheet = next((s.name for s in self.sheets if s.key == "orgs"), None)
            self.issues.append(InputIssue("INPUT-NO-ORGS", Location(self.display, sheet)))
        for kind, (count, location) in self.unknown_kinds.items():
            self.issues.append(InputIssue("INPUT-UNKNOWN-KIND", location, {"value": kind, "count": count},
                                          level="warning"))
        rows = self.records  # each list holds the record type of its sheet (RECORD_TYPES)
        ledger = Ledger(self.display, orgs=orgs, members=cast("list[Member]", rows["members"]),
                        meetings=cast("list[Meeting]", rows["meetings"]), dues=cast("list[DuesPayment]", rows["dues"]),
                        elections=cast("list[Election]", rows["elections"]),
                        recruits=cast("list[Recruit]", rows["recruits"]),
                        training=cast("list[TrainingHours]", rows["training"]),
                        columns={k: frozenset(v) for k, v in self.columns.items()})
        return LoadResult(ledger, self.issues, self.sheets)

    def _sheet(self, book: Workbook, name: str) -> None:
        if sheet_key(name) in _NOTE_SHEETS:
            self.sheets.append(SheetSummary(name, None))  # our own instructions or findings list: no data
            return
        try:
            rows = book.sheet(name).rows()
        except SheetTooLarge as exc:
            self._unread(name, "INPUT-SHEET-TOO-LARGE", exc.params)
            return
        except SheetUnreadable as exc:
            self._unread(name, "INPUT-SHEET-UNREADABLE", {"detail": exc.detail})
            return
        head = rows[:HEADER_SCAN_ROWS]
        kind = classify(name, head, self.aliases)
        if kind is None:
            count = _count_content(rows)
            if count:
                self.issues.append(InputIssue("INPUT-UNKNOWN-SHEET", Location(self.display, name),
                                              {"rows": count}, level="warning"))
            self.sheets.append(SheetSummary(name, None, rows=count, skipped=count))
            return
        spec = SHEETS_BY_KEY[kind.key]
        header = find_header(head, self.aliases.columns[kind.key])
        if header is None:
            count = _count_content(rows)
            if count:
                self.issues.append(InputIssue("INPUT-NO-HEADER", Location(self.display, name),
                                              {"rows": count, "scanned": HEADER_SCAN_ROWS}))
            self.sheets.append(SheetSummary(name, kind.key, rows=count, skipped=count))
            return
        for key, indexes in header.duplicates.items():
            self.issues.append(InputIssue("INPUT-DUPLICATE-COLUMN",
                                          Location(self.display, name, header.row + 1, column_letter(indexes[1]), key),
                                          {"column": spec.by_key[key].header, "columns": letters(indexes)},
                                          level="warning"))
        present = set(header.fields.values())
        missing = [f for f in spec.fields if f.required and f.key not in present
                   and not (f.key == "kind" and kind.preset_kind)]
        data_rows = rows[header.row + 1:]
        if missing:
            count = _count_content(data_rows)
            self.issues.append(InputIssue("INPUT-MISSING-COLUMN", Location(self.display, name, header.row + 1),
                                          {"column": "、".join(f.header for f in missing), "rows": count}))
            self.sheets.append(SheetSummary(name, kind.key, header.row + 1, rows=count, skipped=count))
            return
        reader = _SheetReader(self.display, name, spec, header, kind, self.aliases, self.issues)
        reader.read(data_rows, header.row + 1)
        if not reader.summary.rows and kind.key != "orgs":  # no organizations at all is INPUT-NO-ORGS, an error
            self.issues.append(InputIssue("INPUT-EMPTY-SHEET", Location(self.display, name, header.row + 1),
                                          level="warning"))
        self.records[kind.key].extend(reader.records)
        self.columns.setdefault(kind.key, set()).update(present | ({"kind"} if kind.preset_kind else set()))
        self.sheets.append(reader.summary)
        if reader.unknown_kinds:
            index = reader.readers["kind"][0]
            for value, count in reader.unknown_kinds.items():
                previous = self.unknown_kinds.get(value)
                location = previous[1] if previous else Location(self.display, name, None, column_letter(index))
                self.unknown_kinds[value] = ((previous[0] if previous else 0) + count, location)

    def _unread(self, name: str, code: str, params: dict[str, object]) -> None:
        """A sheet that cannot be read at all: reported as a whole; the other sheets are still read."""
        key = self.aliases.sheet_names.get(sheet_key(name))
        issue = InputIssue(code, Location(self.display, name), params)
        if key == "orgs":  # without its organizations nothing can be audited
            raise WorkbookError(Text(issue.message("zh"), issue.message("en")), issue.location)
        self.issues.append(issue)
        self.sheets.append(SheetSummary(name, key))

    def _orgs(self) -> list[Org]:
        orgs: dict[str, Org] = {}
        for org in self.records["orgs"]:
            assert isinstance(org, Org)
            if org.org_id in orgs:
                self.issues.append(InputIssue("INPUT-DUPLICATE-ORG", org.at("org_id") or Location(self.display),
                                              {"value": org.org_id}, row_skipped=True))
                summary = next(s for s in self.sheets if org.ref and s.name == org.ref.sheet.sheet)
                summary.records -= 1
                summary.skipped += 1
                continue
            orgs[org.org_id] = org
        by_name = {header_key(o.name): o.org_id for o in orgs.values()}
        for org_id, org in list(orgs.items()):
            if org.parent_id is None or org.parent_id in orgs:
                continue
            resolved = by_name.get(header_key(org.parent_id))
            if resolved is None:
                self.issues.append(InputIssue("INPUT-UNKNOWN-ORG", org.at("parent_id") or Location(self.display),
                                              {"value": org.parent_id}))
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

    def _resolve_org_refs(self, orgs: list[Org]) -> None:
        """Records may name their organization by ID or by name (所在支部: 第一党支部)."""
        ids = {o.org_id for o in orgs}
        by_name = {header_key(o.name): o.org_id for o in orgs}
        for key in ORG_REFERENCING:
            records = self.records[key]
            if ids.issuperset(set(map(attrgetter("org_id"), records)) - {None}):
                continue  # every row names a known organization ID: nothing to resolve (the usual case)
            for position, record in enumerate(records):
                org_id = getattr(record, "org_id", None)
                if org_id is None or org_id in ids:
                    continue
                resolved = by_name.get(header_key(org_id))
                if resolved is not None:
                    records[position] = replace(cast(Any, record), org_id=resolved)  # a record with org_id
                else:
                    self.issues.append(InputIssue("INPUT-UNKNOWN-ORG", record.at("org_id") or Location(self.display),
                                                  {"value": org_id}))


def load_ledger(path: Path, aliases: AliasTable | None = None, display: str | None = None,
                limits: Limits | None = None) -> LoadResult:
    """Read a ledger workbook. Raises WorkbookError when the file cannot be used at all."""
    return _Loader(path, display or path.name, aliases or load_aliases(), limits).load()
