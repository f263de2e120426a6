"""Understanding a sheet before reading it: which ledger sheet it is, where its header is, what each column is.

Reading is two steps (design.md): understand, then read. Understanding looks at the sheet's name, its header
rows and the values below them, and records why it decided what it did, so that `ledgercheck inspect` can show
it and nothing is decided in silence:
- the sheet: by its name (the alias tables), else by its headers (a sheet named Sheet1 is recognized by what
  its columns are); a sheet named after a month (2024年1月) is a month of dues;
- the header: the row among the first HEADER_SCAN_ROWS that names the most fields, or that row joined with the
  row above it (a stage row over repeated field names: 确定积极分子 over 时间);
- each column: the alias tables (the user's first) by the whole header, its synonyms, the hint in its brackets,
  then the header without brackets; the values must not contradict the field (ingest/profile.py), and values
  decide what headers leave open. A column left unmapped is listed with the fields it is nearest to.
- the shape: one row per record, or dues with a column per month (1月 … 12月) that the loader unpivots.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Literal, NamedTuple

from ledgercheck.common.i18n import Term, Text
from ledgercheck.common.location import Location
from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.aliases import AliasTable, HeaderHit
from ledgercheck.ingest.coerce import is_attendee_header
from ledgercheck.ingest.fold import canon, fold
from ledgercheck.ingest.profile import ColumnProfiles, enum_field, fit
from ledgercheck.ingest.workbook import Row
from ledgercheck.model.issues import InputIssue
from ledgercheck.model.periods import Period, Unit
from ledgercheck.model.schema import SHEETS, SHEETS_BY_KEY, FieldSpec, FieldType, SheetSpec

HEADER_SCAN_ROWS = 20  # title rows above the header are allowed up to here
MIN_HEADER_FIELDS = 2  # a header row names at least this many fields
MIN_CONTENT_FIELDS = 3  # a sheet recognized by its headers alone names at least this many
MIN_MONTH_COLUMNS = 3  # dues with a column per month
MONTH_FIELDS = frozenset({"paid", "due", "paid_on", "base"})  # what a month's own columns may give

How = Literal["user", "exact", "synonym", "hint", "without-brackets", "values", "ignored", "unknown", "duplicate",
              "contradicted", "month", "merged", "year"]
STRENGTH = {"user": 6, "exact": 5, "synonym": 4, "hint": 3, "without-brackets": 2, "values": 1}

_MONTH_HEADER = re.compile(r"^(?:(\d{4})\s*[年./\-]\s*)?(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月?(?:份)?$")
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|年度|\b)")
_YEAR_HEADERS = frozenset({"年份", "年度", "交费年份", "缴费年份", "所属年份", "year"})
_MONTH_SHEET = re.compile(r"^\s*(?:((?:19|20)\d{2})\s*[年.\-/_]?\s*)?(\d{1,2})\s*月?(?:份)?(?:党费|交纳|缴纳)?\s*$")


@dataclass(frozen=True)
class Column:
    """One column of a sheet as understood: its header, the field it is read as, and why."""

    index: int  # 0-based
    header: str  # as written; a two-row header as "upper lower"
    field: str | None
    how: How
    samples: tuple[str, ...] = ()
    nearest: tuple[str, ...] = ()  # for an unmapped column: fields it might be
    month: Period | None = None  # a dues month column (wide dues)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class SheetPlan:
    """What a sheet is and how to read it."""

    name: str
    key: str | None
    how: Literal["name", "preset", "month-name", "headers", "none", "note", "hidden"]
    header_row: int | None = None  # 0-based index of the (last) header row
    header_rows: int = 1
    columns: list[Column] = field(default_factory=list)
    preset: dict[str, object] = field(default_factory=dict)  # values every row gets (meeting kind, dues month)
    infer: dict[str, str] = field(default_factory=dict)  # field → how it is inferred ("full_on", "single-org")
    missing: list[FieldSpec] = field(default_factory=list)  # required fields it lacks: the sheet is not read
    issues: list[InputIssue] = field(default_factory=list)
    guess: str | None = None  # an unrecognized sheet's nearest kind
    file: str = ""  # the workbook, as displayed
    year_column: int | None = None  # dues: 年份 in its own column, 月份 holding 1–12
    merged: dict[str, list[int]] = field(default_factory=dict)  # a list field in several columns (入党介绍人1, 2)
    # Dates written without their year (3月5日) are read in the one year the title rows above the header give, else
    # the one the sheet's name gives ("title" or "name"); none where neither gives exactly one.
    year: int | None = None
    year_source: str = ""
    # A sheet read as a form (ingest/forms.py): the header cell of each column → the label's own cell (A2).
    form_labels: dict[str, str] | None = None

    @property
    def spec(self) -> SheetSpec | None:
        return SHEETS_BY_KEY[self.key] if self.key else None

    @property
    def fields(self) -> dict[int, str]:
        """Column index → field, for the columns read as a field."""
        return {c.index: c.field for c in self.columns if c.field is not None and c.month is None}

    @property
    def months(self) -> dict[int, Period]:
        return {c.index: c.month for c in self.columns if c.month is not None}

    @property
    def wide(self) -> bool:
        return bool(self.months)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


# ---------------------------------------------------------------- headers


def _text(cell: object) -> str:
    if cell.__class__ is str:  # most header and title cells: straight to the spaces
        return " ".join(cell.split())
    if cell is None or cell.__class__ is bool:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split()) if isinstance(cell, (str, int, float)) else ""


class _Texts:
    """A sheet's rows and each row's cell texts (`_text`), made once: the search for the header reads the first
    rows again for every candidate row, one or two rows high, and every kind of sheet."""

    def __init__(self, rows: Sequence[Row]):
        self.rows = rows
        self._done: dict[int, list[str]] = {}

    def __getitem__(self, row: int) -> list[str]:
        found = self._done.get(row)
        if found is None:
            found = self._done[row] = list(map(_text, self.rows[row]))
        return found

    def __len__(self) -> int:
        return len(self.rows)


def _header_texts(texts: _Texts, row: int, two: bool) -> list[tuple[int, list[str]]]:
    """(column, the texts to try, most specific first) for each non-empty header cell."""
    lower = texts[row]
    upper = texts[row - 1] if two and row > 0 else []
    width = max(len(lower), len(upper))
    found = []
    for index in range(width):
        low = lower[index] if index < len(lower) else ""
        up = upper[index] if index < len(upper) else ""
        if two and up and low and fold(up) != fold(low):
            # The stage row over its field names: the two together, else the field name alone. Never the upper
            # text alone, or a header row over a data row would read as a two-row header.
            found.append((index, [f"{up} {low}", low]))
        elif low or up:
            found.append((index, [low or up]))
    return found


class _Read(NamedTuple):
    """One header cell read against the alias table: the field it names, a hint, or nothing (a tuple: every
    candidate header row makes one for each of its cells)."""

    column: int  # 0-based
    header: str
    hit: HeaderHit | None
    hint: str | None
    ignored: bool
    month: Period | None


def _read_headers(texts: _Texts, row: int, two: bool, key: str, aliases: AliasTable,
                  year: int | None) -> list[_Read]:
    memo = aliases.header_memo if HEADER_MEMO else None
    reads = []
    for index, tried in _header_texts(texts, row, two):
        # The same texts are read again for every candidate header row, every sheet and every file of a scan.
        memo_key = (key, tuple(tried), year if key == "dues" else None)
        found = memo.get(memo_key) if memo is not None else None
        if found is None:
            found = _read_texts(tried, key, aliases, year)
            if memo is not None:
                if len(memo) >= HEADER_MEMO:
                    memo.clear()
                memo[memo_key] = found
        reads.append(_Read(index, *found))
    return reads


HEADER_MEMO = 1 << 15  # header texts remembered per alias table (cleared when full; 0: none)


def _read_texts(texts: list[str], key: str, aliases: AliasTable,
                year: int | None) -> tuple[str, HeaderHit | None, str | None, bool, Period | None]:
    """(header, hit, hint, ignored, month) of one header cell's texts: what a `_Read` holds besides its column."""
    month = _month_of(texts[0], year) if key == "dues" else None
    chosen, hit, hint = texts[0], None, None
    for text in texts:
        hit, hint = aliases.lookup(key, text), aliases.hinted(key, text)
        if hit is not None or hint is not None:
            chosen = text
            break
    if key == "dues" and month is None and len(texts) == 2 and hit is not None and hit.field in MONTH_FIELDS:
        # A month over its columns (1月 merged over 应缴 | 实缴 | 缴纳日期): the month's amount due, paid, date
        month = _month_of(texts[0][:len(texts[0]) - len(texts[1])].strip(), year)
        if month is not None:
            chosen = texts[0]  # shown as 1月 应缴
    # A header the ignore list names is passed over only when it names no field of this sheet (状态 is a
    # member's standing, and a meeting's workflow state).
    ignored = hit is None and hint is None and aliases.ignored(key, texts[0])
    if aliases.user_ignores(key, texts[0]) and not (hit is not None and hit.layer == "user"):
        hit, hint, ignored = None, None, True  # the user's "do not read this column" beats a built-in alias
    return texts[0] if hit is None and hint is None else chosen, hit, hint, ignored, month


def _score(reads: list[_Read]) -> int:
    return len({r.hit.field if r.hit else r.hint for r in reads if (r.hit or r.hint) and not r.ignored})


def _find_header(texts: _Texts, key: str, aliases: AliasTable, year: int | None,
                 least: int = MIN_HEADER_FIELDS) -> tuple[int, bool, int] | None:
    """(row, two rows, score) of the best header for sheet `key` among the first rows, or None. A sheet its name
    identifies may name one field only (a list of branches by name)."""
    best: tuple[int, bool, int] | None = None
    for row in range(min(HEADER_SCAN_ROWS, len(texts))):
        for two in (False, True) if row else (False,):
            if HEADER_BOUND and best is not None and _most(texts, row, two, key) <= best[2]:
                continue  # cannot score higher than the best so far: not read (most candidates are data rows)
            reads = _read_headers(texts, row, two, key, aliases, year)
            score = _score(reads)
            if key == "dues":  # a column per month counts: a wide dues sheet names few other fields
                months = sum(1 for r in reads if r.month)
                score += 2 if months >= MIN_MONTH_COLUMNS else 0
            if score >= least and (best is None or score > best[2]):
                best = (row, two, score)
    return best


HEADER_BOUND = True  # False: every candidate row is read against the aliases (the straightforward search, for tests)


def _most(texts: _Texts, row: int, two: bool, key: str) -> int:
    """The highest score a candidate could get: a field per column with a text (`_header_texts` reads one per
    such column), and the wide dues sheet's bonus of 2 where three or more columns could name months."""
    lower = texts[row]
    if two and row > 0:
        upper = texts[row - 1]
        filled = sum(1 for low, up in zip_longest(lower, upper, fillvalue="") if low or up)
    else:
        filled = len(lower) - lower.count("")
    return filled + (2 if key == "dues" and filled >= MIN_MONTH_COLUMNS else 0)


# ---------------------------------------------------------------- months


def _month_number(text: str) -> int | None:
    number = int(text) if text.isdigit() else _CN_MONTHS.get(text)
    return number if number is not None and 1 <= number <= 12 else None


def _month_of(header: str, year: int | None) -> Period | None:
    """A dues column named after a month: 1月, 一月, 2024年1月, 2024-01, 2024.1 (the year from the header, else
    `year`)."""
    text = unicodedata.normalize("NFKC", header).replace(" ", "")
    match = _MONTH_HEADER.match(text)
    if match is None or (match.group(1) is None and "月" not in text):
        return None
    number = _month_number(match.group(2))
    found_year = int(match.group(1)) if match.group(1) else year
    if number is None or found_year is None:
        return None
    return Period(found_year, Unit.MONTH, number)


def month_sheet(name: str) -> tuple[int | None, int] | None:
    """A sheet named after a month (2024年1月, 2024.01, 1月): (year or None, month)."""
    match = _MONTH_SHEET.match(unicodedata.normalize("NFKC", name))
    if match is None:
        return None
    number = _month_number(match.group(2))
    if number is None:
        return None
    return (int(match.group(1)) if match.group(1) else None), number


def year_in(texts: Sequence[str]) -> int | None:
    for text in texts:
        match = _YEAR.search(unicodedata.normalize("NFKC", text))
        if match:
            return int(match.group(1))
    return None


def _title_texts(texts: _Texts, upto: int) -> list[str]:
    return [text for row in range(min(max(upto, 0), len(texts))) for text in texts[row] if text]


# ---------------------------------------------------------------- the plan


def _strength(column: _Read) -> int:
    if column.hit is None:
        return STRENGTH["hint"] if column.hint else 0
    return STRENGTH["user"] if column.hit.layer == "user" else STRENGTH[column.hit.how]


def _proposed(read: _Read) -> tuple[str, How] | None:
    """The field a header proposes: the whole header's alias, else the values its brackets name, else the
    header without brackets."""
    hit, hint = read.hit, read.hint
    if hit is not None and hit.how != "without-brackets":
        return hit.field, ("user" if hit.layer == "user" else hit.how)
    if hint is not None:
        return hint, "hint"
    if hit is not None:
        return hit.field, ("user" if hit.layer == "user" else "without-brackets")
    return None


class _Planner:
    def __init__(self, display: str, name: str, rows: Sequence[Row], aliases: AliasTable, orgs: AbstractSet[str],
                 samples: bool = True):
        self.display = display
        self.samples = samples
        self.name = name
        self.rows = rows
        self.texts = _Texts(rows)
        self.aliases = aliases
        self.orgs = orgs
        self._year: int | None = None
        self._year_known = False

    def at(self, row: int | None = None, column: int | None = None, field_key: str | None = None) -> Location:
        return Location(self.display, self.name, None if row is None else row + 1,
                        None if column is None else column_letter(column), field_key)

    def plan(self, key: str, how: Literal["name", "preset", "month-name", "headers"], header: tuple[int, bool, int],
             preset: dict[str, object]) -> SheetPlan:
        row, two, _score_ = header
        spec = SHEETS_BY_KEY[key]
        year = self.year_of(key)
        reads = _read_headers(self.texts, row, two, key, self.aliases, year)
        plan = SheetPlan(self.name, key, how, row, 2 if two else 1, preset=dict(preset))
        plan.year, plan.year_source = self.sheet_year(row - (1 if two else 0))
        data = self.rows[row + 1:]
        chosen: dict[int, tuple[str, How]] = {}
        profiles = ColumnProfiles(data, self.aliases.values, self.orgs)  # each made if its values are asked about
        for read in reads:
            proposed = _proposed(read)
            if proposed is not None and not read.ignored and read.month is None:
                chosen[read.column] = proposed
        self.check_values(plan, spec, reads, chosen, profiles)
        self.by_values(plan, spec, reads, chosen, profiles)
        self.merge_lists(plan, spec, chosen)
        kept = self.duplicates(plan, spec, reads, chosen, profiles)
        if key == "dues":
            self.year_and_month(plan, reads, kept, profiles)
        if sum(1 for r in reads if r.month is not None) < MIN_MONTH_COLUMNS:
            reads = [r if r.month is None else _Read(r.column, r.header, r.hit, r.hint, r.ignored, None) for r in reads]
        for read in reads:
            samples = tuple(profiles.samples(read.column)) if self.samples else ()
            if read.month is not None and "month" not in {f for f, _h in kept.values()}:
                field_key = read.hit.field if read.hit is not None and read.hit.field in MONTH_FIELDS else "paid"
                plan.columns.append(Column(read.column, read.header, field_key, "month", samples, month=read.month))
            elif read.column in kept:
                field_key, column_how = kept[read.column]
                plan.columns.append(Column(read.column, read.header, field_key, column_how, samples))
            elif read.ignored:
                plan.columns.append(Column(read.column, read.header, None, "ignored", samples))
            elif read.column in self.fate:
                plan.columns.append(Column(read.column, read.header, None, self.fate[read.column], samples))
            else:
                nearest = self.nearest(key, read.header)
                plan.columns.append(Column(read.column, read.header, None, "unknown", samples, nearest))
                plan.issues.append(InputIssue("INPUT-UNKNOWN-COLUMN", self.at(row, read.column), {
                    "column": read.header, "nearest": _nearest_text(spec, nearest)}, level="warning"))
        if key == "dues" and year is None and "month" not in plan.fields.values() and "month" not in plan.preset \
                and sum(1 for c in plan.columns if _month_of(c.header, 2000)) >= MIN_MONTH_COLUMNS:
            plan.issues.append(InputIssue("INPUT-WIDE-NO-YEAR", self.at(row), level="error"))
        self.requirements(plan, spec)
        return plan

    # -- values

    contradicted: set[int]
    fate: dict[int, How]

    def check_values(self, plan: SheetPlan, spec: SheetSpec, reads: list[_Read], chosen: dict[int, tuple[str, How]],
                     profiles: ColumnProfiles) -> None:
        """A column whose values contradict the field its header names is not read as that field: it is read
        as the enumerated field its values are, or not at all."""
        self.contradicted, self.fate = set(), {}
        headers = {r.column: r.header for r in reads}
        canonical = {r.column for r in reads if r.hit is not None and r.hit.canonical and r.hit.how == "exact"}
        for index, (field_key, how) in list(chosen.items()):
            if field_key == "present" and is_attendee_header(headers[index]):
                continue  # a list of names, read as their count (loader._ColumnReader.attendees)
            if index in canonical and spec.by_key[field_key].type is not FieldType.ENUM:
                continue  # the layout's own header: values that do not fit it are reported cell by cell
            verdict = fit(spec.by_key[field_key], profiles[index], bool(self.orgs))
            if verdict != "contradicts":
                continue
            taken = {f for i, (f, _h) in chosen.items() if i != index}
            other = enum_field([f for f in spec.fields if f.key not in taken], profiles[index])
            if index in canonical and other is None:
                continue  # the layout's own header, its values no other field's either: reported cell by cell
            samples = _shown(profiles[index].samples)
            if other is not None:
                chosen[index] = (other.key, "values")
                plan.issues.append(InputIssue("INPUT-COLUMN-BY-VALUES", self.at(plan.header_row, index, other.key), {
                    "column": headers[index], "field": field_text(spec, other.key),
                    "header_field": field_text(spec, field_key), "samples": samples}, level="warning"))
            else:
                del chosen[index]
                self.contradicted.add(index)
                self.fate[index] = "contradicted"
                plan.issues.append(InputIssue("INPUT-COLUMN-CONTRADICTED", self.at(plan.header_row, index, field_key), {
                    "column": headers[index], "field": field_text(spec, field_key), "samples": samples},
                    level="warning"))

    def by_values(self, plan: SheetPlan, spec: SheetSpec, reads: list[_Read], chosen: dict[int, tuple[str, How]],
                  profiles: ColumnProfiles) -> None:
        """Columns whose header says nothing known, read as the enumerated field (or the organization) their
        values clearly are, when no column is read as that field yet."""
        for read in reads:
            if read.column in chosen or read.ignored or read.month is not None or read.column in self.contradicted:
                continue
            taken = {f for f, _h in chosen.values()}
            found = profiles[read.column]
            other = enum_field([f for f in spec.fields if f.key not in taken], found)
            if other is None and "org_id" in spec.by_key and "org_id" not in taken and self.orgs \
                    and found.values >= 3 and found.share(found.orgs) >= 0.8:
                other = spec.by_key["org_id"]
            if other is None:
                continue
            chosen[read.column] = (other.key, "values")
            plan.issues.append(InputIssue("INPUT-COLUMN-BY-VALUES", self.at(plan.header_row, read.column, other.key), {
                "column": read.header, "field": field_text(spec, other.key), "header_field": "—",
                "samples": _shown(found.samples)}, level="warning"))

    def merge_lists(self, plan: SheetPlan, spec: SheetSpec, chosen: dict[int, tuple[str, How]]) -> None:
        """A list field kept in several columns (入党介绍人1, 入党介绍人2) is read from all of them together."""
        by_field: dict[str, list[int]] = {}
        for index, (field_key, _how) in chosen.items():
            by_field.setdefault(field_key, []).append(index)
        for field_key, indexes in by_field.items():
            if len(indexes) > 1 and spec.by_key[field_key].type is FieldType.NAMES:
                plan.merged[field_key] = sorted(indexes)
                for index in sorted(indexes)[1:]:
                    del chosen[index]
                    self.fate[index] = "merged"

    def year_and_month(self, plan: SheetPlan, reads: list[_Read], kept: dict[int, tuple[str, How]],
                       profiles: ColumnProfiles) -> None:
        """Dues with the year in one column (年份) and the month number in another (月份: 1–12)."""
        if "month" not in {f for f, _h in kept.values()}:
            return
        year = next((r.column for r in reads if fold(r.header) in _YEAR_HEADERS and r.column not in kept), None)
        if year is not None and profiles[year].values and profiles[year].share(profiles[year].numbers) >= 0.8:
            plan.year_column = year
            self.fate[year] = "year"

    def duplicates(self, plan: SheetPlan, spec: SheetSpec, reads: list[_Read], chosen: dict[int, tuple[str, How]],
                   profiles: ColumnProfiles) -> dict[int, tuple[str, How]]:
        """Two columns for one field: the one whose values fit, else the stronger header, else the first."""
        by_field: dict[str, list[int]] = {}
        for index, (field_key, _how) in chosen.items():
            by_field.setdefault(field_key, []).append(index)
        headers = {r.column: r.header for r in reads}
        kept = dict(chosen)
        for field_key, indexes in by_field.items():
            if len(indexes) < 2:
                continue

            def rank(i: int) -> tuple[int, int, int]:
                verdict = fit(spec.by_key[field_key], profiles[i], bool(self.orgs))
                return (verdict == "fits", STRENGTH.get(chosen[i][1], 0), -i)

            best = max(indexes, key=rank)
            for index in indexes:
                if index != best:
                    del kept[index]
                    self.fate[index] = "duplicate"
            others = "、".join(f"{column_letter(i)}列「{headers[i]}」" for i in sorted(indexes))
            dropped = min(i for i in indexes if i != best)  # the issue points at a column that is not read
            plan.issues.append(InputIssue("INPUT-DUPLICATE-COLUMN", self.at(plan.header_row, dropped, field_key), {
                "field": field_text(spec, field_key), "columns": others, "kept": f"{column_letter(best)}列"},
                level="warning"))
        return kept

    # -- what the sheet lacks

    def requirements(self, plan: SheetPlan, spec: SheetSpec) -> None:
        present = set(plan.fields.values()) | set(plan.preset)
        if plan.wide:
            present |= {"month", "paid"}
        missing = [f for f in spec.fields if f.required and f.key not in present]
        for required in list(missing):
            if spec.key == "members" and required.key == "member_kind" and "full_on" in present:
                plan.infer["member_kind"] = "full_on"  # 转正日期 filled: 正式党员; blank: 预备党员
            elif spec.key == "orgs" and required.key == "org_id" and "name" in present:
                plan.infer["org_id"] = "name"  # an organization without a code is known by its name
            elif spec.key == "orgs" and required.key == "org_type" and "name" in present:
                plan.infer["org_type"] = "name"  # 第一党支部 is a 党支部, 机关党委 a 机关党委
            elif required.key == "org_id":
                plan.infer["org_id"] = "single-org"  # the ledger's one organization (resolved once all is read)
            elif spec.key == "dues" and required.key == "name" and "member_no" in present:
                plan.infer["name"] = "member_no"  # named by the roster's member number
            elif spec.key == "meetings" and required.key == "kind" and self.kind_by_name(plan):
                pass  # a sheet of one kind of meeting, named after it (党小组会2025, 2025年支委会会议记录)
            else:
                continue
            missing.remove(required)
        plan.missing = missing

    def kind_by_name(self, plan: SheetPlan) -> bool:
        """Meetings without a kind column, on a sheet whose name names one kind, else whose title rows do (支部委员会
        会议记录 above a form's labels): every row is of that kind."""
        kind = self.aliases.value_in("meeting_kind", self.name)
        code = "INPUT-KIND-BY-SHEET-NAME"
        if kind is None and plan.header_row is not None:
            titles = _title_texts(self.texts, plan.header_row - plan.header_rows + 1)
            kinds = {found for text in titles if (found := self.aliases.value_in("meeting_kind", text))}
            if len(kinds) == 1:
                kind, code = kinds.pop(), "INPUT-KIND-BY-TITLE"
                plan.infer["kind"] = "title"
        if kind is None:
            return False
        plan.preset["kind"] = (kind,)
        plan.issues.append(InputIssue(code, self.at(), {"value": Term(kind)}, level="warning"))
        return True

    def sheet_year(self, first_header: int) -> tuple[int | None, str]:
        """The year of the sheet's dates written without one: the one year its title rows (above the header) give,
        else the one its name gives. Two years (2024—2025年, or a title's 制表日期) give none: never a guess."""
        for texts, source in ((_title_texts(self.texts, first_header), "title"), ([self.name], "name")):
            years = {int(m.group(1)) for text in texts for m in _YEAR.finditer(unicodedata.normalize("NFKC", text))}
            if years:
                return (years.pop(), source) if len(years) == 1 else (None, "")
        return None, ""

    def year(self) -> int | None:
        """The year of a wide dues sheet: in its title rows or its name (looked for once a sheet)."""
        if not self._year_known:
            self._year, self._year_known = year_in([*_title_texts(self.texts, HEADER_SCAN_ROWS), self.name]), True
        return self._year

    def year_of(self, key: str) -> int | None:
        """`year` where the sheet is read as dues (only dues headers name months: 1月); None, unlooked for, else."""
        return self.year() if key == "dues" else None

    def nearest(self, key: str, header: str) -> tuple[str, ...]:
        known = self.aliases.known_headers(key)
        import difflib  # only when a header is not understood

        matches = difflib.get_close_matches(canon(fold(header)), list(known), n=6, cutoff=0.5)
        return tuple(dict.fromkeys(known[m] for m in matches))[:3]


SAMPLE_CHARS = 12  # a sample value shown in a notice: a cell listing names (张三、李四、…) is cut short


def _shown(samples: Sequence[str]) -> str:
    """A column's first three values for a notice, each cut to SAMPLE_CHARS characters."""
    return "、".join(s if len(s) <= SAMPLE_CHARS else s[:SAMPLE_CHARS] + "…" for s in samples[:3])


def field_text(spec: SheetSpec, key: str) -> Text:
    """A field's header in both languages, for messages."""
    found = spec.by_key[key]
    return Text(found.header, found.en)


def _nearest_text(spec: SheetSpec, nearest: Sequence[str]) -> Text:
    if not nearest:
        return Text("", "")
    zh = "、".join(spec.by_key[k].header for k in nearest)
    en = ", ".join(spec.by_key[k].en for k in nearest)
    return Text(f"（可能是：{zh}）", f" (perhaps: {en})")


def understand(display: str, name: str, rows: Sequence[Row], aliases: AliasTable,
               orgs: AbstractSet[str] = frozenset(), samples: bool = True) -> SheetPlan:
    """The plan for one sheet. `orgs` are the folded ids and names of the organizations read so far. `samples`:
    each column's first values kept for showing how the sheet was read (`Column.samples`; a scan shows none)."""
    plan = _understand(display, name, rows, aliases, orgs, samples)
    plan.file = display
    return plan


def _understand(display: str, name: str, rows: Sequence[Row], aliases: AliasTable,
                orgs: AbstractSet[str], samples: bool = True) -> SheetPlan:
    planner = _Planner(display, name, rows, aliases, orgs, samples)
    named = aliases.sheet_of(name)
    month = month_sheet(name)
    if named is not None:
        key, kind = named
        header = _find_header(planner.texts, key, aliases, planner.year_of(key), 1)
        if header is None:
            return SheetPlan(name, key, "name")
        preset: dict[str, object] = {"kind": (kind,)} if kind else {}
        return planner.plan(key, "preset" if kind else "name", header, preset)
    if month is not None:
        year, number = month
        year = year or planner.year()
        header = _find_header(planner.texts, "dues", aliases, year)
        if header is not None and year is not None:
            return planner.plan("dues", "month-name", header, {"month": Period(year, Unit.MONTH, number)})
    return _by_content(planner, aliases)


# A field only one sheet has tells the sheet apart (确定积极分子日期 is the recruits sheet's), and counts double.
_SHARED = {key for key in {f.key for s in SHEETS for f in s.fields}
           if sum(1 for s in SHEETS if key in s.by_key) > 1}
_ORG_NAME = re.compile(r"(党支部|党总支|党委|支部|总支|委员会)$")


def _content_score(texts: _Texts, key: str, aliases: AliasTable, year: int | None,
                   header: tuple[int, bool, int]) -> tuple[float, float]:
    """How clearly a header (and the values under it) is sheet `key`'s: (weighted fields, share of its required
    fields named)."""
    row, two, _score = header
    spec = SHEETS_BY_KEY[key]
    reads = _read_headers(texts, row, two, key, aliases, year)
    rows = texts.rows
    named = {r.hit.field if r.hit else r.hint for r in reads if (r.hit or r.hint) and not r.ignored}
    weight = float(sum(1 if f in _SHARED else 2 for f in named if f))
    if key == "dues" and sum(1 for r in reads if r.month is not None) >= MIN_MONTH_COLUMNS:
        weight += 2
    if key == "orgs":  # a column of organization names (…党支部, …党委) is the organizations sheet's
        for read in reads:
            names = [str(c[read.column]).strip() for c in rows[row + 1:row + 60]
                     if read.column < len(c) and isinstance(c[read.column], str)]
            if len(names) >= MIN_VALUES_FOR_NAMES and \
                    sum(1 for name in names if _ORG_NAME.search(name)) >= 0.8 * len(names):
                weight += 2
                break
    if any(aliases.sheet_in(text) == key for text in _title_texts(texts, row - (1 if two else 0))):
        weight += 3  # a title row that names the sheet: 入党积极分子名单
    required = [f.key for f in spec.fields if f.required]
    return weight, sum(1 for f in required if f in named) / len(required)


MIN_VALUES_FOR_NAMES = 2


def _by_content(planner: _Planner, aliases: AliasTable) -> SheetPlan:
    """A sheet whose name says nothing (Sheet1, 表2, a unit's own title): the kind its header and values point to
    most, when that is clear. Fields only one sheet has count double, a column of organization names points to
    the organizations sheet, and a tie goes to the sheet whose required fields are named more fully."""
    year = planner.year()
    scored = []
    for spec in SHEETS:
        found = _find_header(planner.texts, spec.key, aliases, year, 1)
        if found is not None:
            scored.append((_content_score(planner.texts, spec.key, aliases, year, found), spec.key, found))
    scored.sort(key=lambda s: s[0], reverse=True)
    if not scored:
        return SheetPlan(planner.name, None, "none")
    top = scored[0]
    clear = top[0][0] >= MIN_CONTENT_FIELDS and (len(scored) == 1 or top[0] > scored[1][0])
    if not clear:
        return SheetPlan(planner.name, None, "none", guess=top[1] if top[0][0] >= MIN_HEADER_FIELDS else None)
    return planner.plan(top[1], "headers", top[2], {})
