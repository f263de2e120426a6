"""Write a corpus layout's workbook (and its blind variant), and the same data in the canonical layout.

    python -m tests.corpus.build OUT_DIR        # every layout, named and blind, and its reference
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import xlsxwriter

from ledgercheck.model.schema import SHEETS_BY_KEY
from tests.corpus.layouts import LAYOUTS, Col, Layout, SheetLayout

Tables = dict[str, list[dict[str, Any]]]


@functools.cache
def _unit() -> tuple[Tables, list[dict[str, Any]]]:
    from samples.generate import violations

    unit, planted = violations()
    return unit.tables, planted


def unit() -> tuple[Tables, list[dict[str, Any]]]:
    """The violations sample's rows (a fresh copy) and its planted findings."""
    tables, planted = _unit()
    return copy.deepcopy(tables), planted


def fields_of(layout: Layout, kind: str) -> set[str]:
    found = {c.field for s in layout.sheets if s.kind == kind for c in s.columns if c.field}
    if any(s.kind == kind and s.shape in ("wide", "months") for s in layout.sheets):
        found |= {"month", "paid"}
    if any(s.kind == kind and s.keep is not None and "kind" not in {c.field for c in s.columns}
           for s in layout.sheets):
        found.add("kind")  # a sheet of one kind of meeting: its name says the kind
    return found


def project(layout: Layout, tables: Tables) -> Tables:
    """The unit's rows as the layout can hold them: only its sheets and fields, organizations by name where the
    source has no codes, one branch's rows for a branch's own ledger."""
    orgs = {o["org_id"]: o for o in tables["orgs"]}
    if layout.single_branch is not None:
        branch = layout.single_branch
        tables = {key: [r for r in rows if (r.get("org_id") == branch if key != "training" else True)]
                  for key, rows in tables.items()}
        names = {m["name"] for m in tables["members"]}
        tables["training"] = [r for r in tables["training"] if r["name"] in names]
        for org in tables["orgs"]:
            org["parent_id"] = None
    rename = (lambda org_id: orgs[org_id]["name"] if org_id in orgs else org_id) if not layout.org_codes else None
    projected: Tables = {}
    kinds = {s.kind for s in layout.sheets}
    for key, rows in tables.items():
        if key not in kinds:
            continue
        keep = fields_of(layout, key)
        out = []
        for row in rows:
            extra = {"_code": row.get("org_id"), "_org_name": orgs.get(row.get("org_id"), {}).get("name"),
                     "_parent_name": orgs.get(row.get("parent_id"), {}).get("name")}
            new = {k: v for k, v in row.items() if k in keep}
            if rename is not None:
                for ref in ("org_id", "parent_id"):
                    if new.get(ref) is not None:
                        new[ref] = rename(new[ref])
                if key == "orgs":
                    new["org_id"] = row["name"]
            out.append(new | extra)
        projected[key] = out
    if any(s.shape == "wide" for s in layout.sheets):  # an empty month cell is no payment at all
        projected["dues"] = [r for r in projected["dues"] if r.get("paid")]
    return projected


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value)) or None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return value


def _cell(column: Col, row: dict[str, Any]) -> Any:
    if column.field is None:
        return column.filler
    value = row.get(column.field)
    if column.write is not None:
        return column.write(value, row)
    if column.field == "month" and isinstance(value, dt.date):
        return f"{value.year}-{value.month:02d}"
    return _plain(value)


class _Book:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                                    "strings_to_urls": False})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.count = 0

    def sheet(self, name: str, blind: bool) -> Any:
        self.count += 1
        return self.book.add_worksheet(f"Sheet{self.count}" if blind else name)

    def put(self, sheet: Any, row: int, column: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dt.date):
            sheet.write_datetime(row, column, dt.datetime(value.year, value.month, value.day), self.date)
        else:
            sheet.write(row, column, value)

    def rows(self, sheet: Any, first: int, rows: Iterable[list[Any]]) -> int:
        number = first
        for number, cells in enumerate(rows, start=first):
            for column, value in enumerate(cells):
                self.put(sheet, number, column, value)
        return number

    def close(self) -> None:
        self.book.close()


def _header(book: _Book, sheet: Any, layout: SheetLayout, columns: list[str], first: int) -> int:
    for number, title in enumerate(layout.title):
        sheet.merge_range(first + number, 0, first + number, max(len(columns) - 1, 1), title)
    row = first + len(layout.title)
    uppers = [c.upper for c in layout.columns]
    if any(uppers):
        index = 0
        while index < len(layout.columns):
            upper = uppers[index]
            span = 1
            while index + span < len(layout.columns) and uppers[index + span] == upper:
                span += 1
            if span > 1:
                sheet.merge_range(row, index, row, index + span - 1, upper)
            else:
                sheet.write(row, index, upper)
            index += span
        row += 1
    for column, header in enumerate(columns):
        sheet.write(row, column, header)
    return row + 1


def write_layout(layout: Layout, tables: Tables, path: Path, blind: bool = False) -> Path:
    """The layout's workbook; `blind`: every sheet named Sheet1, Sheet2 … (understood by its contents)."""
    book = _Book(path)
    for sheet_layout in layout.sheets:
        rows = [r for r in tables[sheet_layout.kind] if sheet_layout.keep is None or sheet_layout.keep(r)]
        if sheet_layout.shape == "months":
            for month in range(1, 13):
                name = sheet_layout.name.format(year=sheet_layout.year, month=month)
                monthly = [r for r in rows if r["month"].month == month and r["month"].year == sheet_layout.year]
                sheet = book.sheet(name, blind and False)  # a month's name is its data: kept in the blind copy
                first = _header(book, sheet, sheet_layout, [c.header for c in sheet_layout.columns], 0)
                book.rows(sheet, first, [[_cell(c, r) for c in sheet_layout.columns] for r in monthly])
            continue
        sheet = book.sheet(sheet_layout.name, blind)
        headers = [c.header for c in sheet_layout.columns]
        if sheet_layout.shape == "wide":
            headers += [f"{m}月" for m in range(1, 13)]
            people: dict[tuple[Any, Any], list[Any]] = {}
            for row in rows:
                key = (row["name"], row.get("org_id"))
                if key not in people:
                    people[key] = [_cell(c, row) for c in sheet_layout.columns] + [None] * 12
                people[key][len(sheet_layout.columns) + row["month"].month - 1] = row["paid"]
            first = _header(book, sheet, sheet_layout, headers, 0)
            book.rows(sheet, first, list(people.values()))
            continue
        first = _header(book, sheet, sheet_layout, headers, 0)
        cells = []
        for row in rows:
            line = [_cell(c, row) for c in sheet_layout.columns]
            if sheet_layout.shape == "year-month":
                year_at = next(i for i, c in enumerate(sheet_layout.columns) if c.header == "年份")
                month_at = next(i for i, c in enumerate(sheet_layout.columns) if c.field == "month")
                line[year_at], line[month_at] = row["month"].year, row["month"].month
            cells.append(line)
        book.rows(sheet, first, cells)
    book.close()
    return path


def write_reference(layout: Layout, tables: Tables, path: Path) -> Path:
    """The same data in the canonical layout, with exactly the layout's fields: the audit it must equal."""
    book = _Book(path)
    for key, rows in tables.items():
        spec = SHEETS_BY_KEY[key]
        keys = [f.key for f in spec.fields if f.key in fields_of(layout, key)]
        sheet = book.sheet(spec.title, False)
        for column, name in enumerate(keys):
            sheet.write(0, column, spec.by_key[name].header)
        book.rows(sheet, 1, [[_month(k, r.get(k)) for k in keys] for r in rows])
    book.close()
    return path


def _month(key: str, value: Any) -> Any:
    if key == "month" and isinstance(value, dt.date):
        return f"{value.year}-{value.month:02d}"
    return _plain(value)


def main(out: Path) -> None:
    for layout in LAYOUTS:
        tables = project(layout, unit()[0])
        write_layout(layout, tables, out / f"{layout.id}.xlsx")
        write_layout(layout, tables, out / f"{layout.id}-blind.xlsx", blind=True)
        write_reference(layout, tables, out / f"{layout.id}-reference.xlsx")
        print(out / f"{layout.id}.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus"))
