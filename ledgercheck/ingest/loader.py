"""Workbook → Ledger. Every non-empty row becomes a record or an input issue with its location."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path

from ledgercheck.errors import WorkbookError
from ledgercheck.i18n import Text
from ledgercheck.ingest.aliases import AliasTable, header_key, load_aliases, sheet_key
from ledgercheck.ingest.coerce import CellError, coerce, is_empty, show
from ledgercheck.ingest.headers import HEADER_SCAN_ROWS, HeaderMatch, SheetKind, classify, find_header, letters
from ledgercheck.ingest.workbook import Row, Workbook, column_letter
from ledgercheck.layout import ENUMS, NOTE_SHEETS, SHEETS_BY_KEY, FieldSpec, FieldType, SheetSpec
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.ledger import Ledger
from ledgercheck.model.provenance import Location, RowRef, SheetRef
from ledgercheck.model.records import RECORD_TYPES, Org, Record

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
    return all(is_empty(c) if isinstance(c, str) or c is None else False for c in cells)


class _ColumnReader:
    """Coerces one column's cells, remembering results for repeated raw values."""

    def __init__(self, spec: FieldSpec, header: str, aliases: AliasTable):
        self.spec = spec
        self.header = header
        self.aliases = aliases
        self.cache: dict[object, tuple[object, CellError | None]] = {}
        self.unknown_kinds: dict[str, int] = {}

    def read(self, raw: object) -> object:
        # True == 1 in Python: booleans bypass the cache so that TRUE is never taken for a cached 1.
        cached = None if raw.__class__ is bool else self.cache.get(raw)
        if cached is None:
            try:
                cached = (self._coerce(raw), None)
            except CellError as exc:
                cached = (None, exc)
            if len(self.cache) < CACHE_LIMIT and raw.__class__ is not bool:
                self.cache[raw] = cached
        value, error = cached
        if error is not None:
            raise error
        if self.spec.type is FieldType.ENUMS:
            for kind in value:  # type: ignore[union-attr]
                if kind not in ENUMS[self.spec.enum or ""]:
                    self.unknown_kinds[kind] = self.unknown_kinds.get(kind, 0) + 1
        return value

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
            parts = [p for p in _split_kinds(show(raw)) if p]
            return tuple(dict.fromkeys(self.aliases.value(spec.enum or "", p) or p for p in parts))
        return coerce(spec, raw)


def _split_kinds(text: str) -> list[str]:
    return [p.strip() for p in _KIND_SEPARATORS.split(text)]


class _SheetReader:
    """Turns the data rows of one recognized sheet into records and issues."""

    def __init__(self, display: str, name: str, spec: SheetSpec, header: HeaderMatch, kind: SheetKind,
                 aliases: AliasTable, issues: list[InputIssue]):
        self.spec = spec
        self.kind = kind
        self.issues = issues
        self.columns = [(index, _ColumnReader(spec.by_key[key], header.labels[index], aliases))
                        for index, key in header.fields.items()]
        self.sheet = SheetRef(display, name, {key: column_letter(i) for i, key in header.fields.items()})
        self.record_type = RECORD_TYPES[spec.key]
        self.required = [f for f in spec.fields if f.required and not (f.key == "kind" and kind.preset_kind)]
        self.summary = SheetSummary(name, spec.key, header.row + 1)
        self.records: list[Record] = []

    def read(self, rows: Iterator[tuple[int, Row]]) -> None:
        for index, cells in rows:
            if _row_is_empty(cells):
                continue
            self.summary.rows += 1
            record = self._record(index + 1, cells)
            if record is None:
                self.summary.skipped += 1
            else:
                self.records.append(record)
                self.summary.records += 1

    def _record(self, row: int, cells: Row) -> Record | None:
        values: dict[str, object] = {}
        unreadable: list[str] = []
        errors: list[tuple[_ColumnReader, CellError]] = []
        width = len(cells)
        for index, reader in self.columns:
            raw = cells[index] if index < width else None
            if raw is None or (isinstance(raw, str) and is_empty(raw)):
                continue
            try:
                values[reader.spec.key] = reader.read(raw)
            except CellError as exc:
                unreadable.append(reader.spec.key)
                errors.append((reader, exc))
        if self.kind.preset_kind and "kind" not in values:
            values["kind"] = (self.kind.preset_kind,)
        missing = [f for f in self.required if f.key not in values]
        skipped = bool(missing)
        for reader, exc in errors:
            self.issues.append(InputIssue(exc.code, self._at(row, reader.spec.key),
                                          {"column": reader.header, **exc.params}, row_skipped=skipped))
        for spec in missing:
            if spec.key not in unreadable:
                self.issues.append(InputIssue("INPUT-MISSING-REQUIRED", self._at(row, spec.key),
                                              {"column": spec.header}, row_skipped=True))
        if skipped:
            return None
        ref = RowRef(self.sheet, row)
        return self.record_type(ref=ref, unreadable=frozenset(unreadable), **values)

    def _at(self, row: int, key: str) -> Location:
        return RowRef(self.sheet, row).at(key)


def _count_content(rows: Iterator[tuple[int, Row]]) -> int:
    return sum(1 for _i, cells in rows if not _row_is_empty(cells))


class _Loader:
    def __init__(self, path: Path, display: str, aliases: AliasTable):
        self.path = path
        self.display = display
        self.aliases = aliases
        self.issues: list[InputIssue] = []
        self.sheets: list[SheetSummary] = []
        self.records: dict[str, list[Record]] = {key: [] for key in SHEETS_BY_KEY}
        self.columns: dict[str, set[str]] = {}
        self.unknown_kinds: dict[str, tuple[int, Location]] = {}

    def load(self) -> LoadResult:
        with Workbook(self.path, self.display) as book:
            for name in book.sheet_names:
                self._sheet(book, name)
        if "orgs" not in self.columns:
            raise WorkbookError(Text("工作簿中没有「组织」表（组织编号、组织名称、组织类型），无法审计；"
                                     "可用 `ledgercheck template` 生成标准模板",
                                     "the workbook has no organizations sheet (org ID, name, type), so nothing "
                                     "can be audited; `ledgercheck template` writes the standard layout"),
                                Location(self.display))
        for key in ("members", "meetings"):
            if key not in self.columns:
                spec = SHEETS_BY_KEY[key]
                self.issues.append(InputIssue("INPUT-MISSING-SHEET", Location(self.display),
                                              {"value": Text(spec.title, spec.en)}, level="warning"))
        orgs = self._orgs()
        self._resolve_org_refs(orgs)
        for kind, (count, location) in self.unknown_kinds.items():
            self.issues.append(InputIssue("INPUT-UNKNOWN-KIND", location, {"value": kind, "count": count},
                                          level="warning"))
        ledger = Ledger(self.display, orgs, *(self.records[k] for k in
                                              ("members", "meetings", "dues", "elections", "recruits", "training")),
                        columns={k: frozenset(v) for k, v in self.columns.items()})
        return LoadResult(ledger, self.issues, self.sheets)

    def _sheet(self, book: Workbook, name: str) -> None:
        if sheet_key(name) in _NOTE_SHEETS:
            self.sheets.append(SheetSummary(name, None))  # our own instructions or findings list: no data
            return
        data = book.sheet(name)
        rows = data.rows()
        head = [cells for _index, cells in islice(rows, HEADER_SCAN_ROWS)]
        kind = classify(name, head, self.aliases)
        if kind is None:
            count = sum(1 for c in head if not _row_is_empty(c)) + _count_content(rows)
            if count:
                self.issues.append(InputIssue("INPUT-UNKNOWN-SHEET", Location(self.display, name),
                                              {"rows": count}, level="warning"))
            self.sheets.append(SheetSummary(name, None, rows=count, skipped=count))
            return
        spec = SHEETS_BY_KEY[kind.key]
        header = find_header(head, self.aliases.columns[kind.key])
        if header is None:
            count = sum(1 for c in head if not _row_is_empty(c)) + _count_content(rows)
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
        data_rows = chain(((i, c) for i, c in enumerate(head) if i > header.row), rows)
        if missing:
            count = _count_content(data_rows)
            self.issues.append(InputIssue("INPUT-MISSING-COLUMN", Location(self.display, name, header.row + 1),
                                          {"column": "、".join(f.header for f in missing), "rows": count}))
            self.sheets.append(SheetSummary(name, kind.key, header.row + 1, rows=count, skipped=count))
            return
        reader = _SheetReader(self.display, name, spec, header, kind, self.aliases, self.issues)
        reader.read(data_rows)
        self.records[kind.key].extend(reader.records)
        self.columns.setdefault(kind.key, set()).update(present | ({"kind"} if kind.preset_kind else set()))
        self.sheets.append(reader.summary)
        for index, column in reader.columns:
            for value, count in column.unknown_kinds.items():
                previous = self.unknown_kinds.get(value)
                location = previous[1] if previous else Location(self.display, name, None, column_letter(index))
                self.unknown_kinds[value] = ((previous[0] if previous else 0) + count, location)

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
            for position, record in enumerate(records):
                org_id = getattr(record, "org_id", None)
                if org_id is None or org_id in ids:
                    continue
                resolved = by_name.get(header_key(org_id))
                if resolved is not None:
                    records[position] = replace(record, org_id=resolved)
                else:
                    self.issues.append(InputIssue("INPUT-UNKNOWN-ORG", record.at("org_id") or Location(self.display),
                                                  {"value": org_id}))


def load_ledger(path: Path, aliases: AliasTable | None = None, display: str | None = None) -> LoadResult:
    """Read a ledger workbook. Raises WorkbookError when the file cannot be used at all."""
    return _Loader(path, display or path.name, aliases or load_aliases()).load()
