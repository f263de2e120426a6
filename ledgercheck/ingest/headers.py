"""Recognize a sheet (by name or by its headers) and locate its header row and columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledgercheck.ingest.addresses import column_letter
from ledgercheck.ingest.aliases import AliasTable, header_key, sheet_key
from ledgercheck.ingest.workbook import Row
from ledgercheck.model.schema import SHEETS_BY_KEY

HEADER_SCAN_ROWS = 20  # title rows above the header are allowed up to here
MIN_HEADER_FIELDS = 2


@dataclass
class HeaderMatch:
    """The header row of a sheet and what each of its columns means."""

    row: int  # 0-based index of the header row
    fields: dict[int, str]  # column index → field key (first occurrence wins)
    labels: dict[int, str] = field(default_factory=dict)  # column index → header text as written
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # field → every column index
    extra: dict[int, str] = field(default_factory=dict)  # column index → header text not recognized

    @property
    def score(self) -> int:
        return len(self.fields)


def match_row(cells: Row, columns: dict[str, str], row: int) -> HeaderMatch:
    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    seen: dict[str, list[int]] = {}
    extra: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if cell is None or cell == "" or not isinstance(cell, str):
            continue
        key = columns.get(header_key(cell))
        if key is None:
            extra[index] = cell.strip()
            continue
        seen.setdefault(key, []).append(index)
        if len(seen[key]) == 1:
            fields[index] = key
            labels[index] = " ".join(cell.split())
    duplicates = {k: v for k, v in seen.items() if len(v) > 1}
    return HeaderMatch(row, fields, labels, duplicates, extra)


def find_header(head: list[Row], columns: dict[str, str]) -> HeaderMatch | None:
    """The row among the first rows that names the most known fields (at least two)."""
    best: HeaderMatch | None = None
    for row, cells in enumerate(head[:HEADER_SCAN_ROWS]):
        candidate = match_row(cells, columns, row)
        if candidate.score >= MIN_HEADER_FIELDS and (best is None or candidate.score > best.score):
            best = candidate
    return best


@dataclass(frozen=True)
class SheetKind:
    key: str  # canonical sheet key
    preset_kind: str | None = None  # meeting kind for single-kind meeting sheets


def classify(name: str, head: list[Row], aliases: AliasTable) -> SheetKind | None:
    """By sheet name (aliases, presets), else by the headers when one layout clearly fits best."""
    normalized = sheet_key(name)
    if normalized in aliases.presets:
        sheet, kind = aliases.presets[normalized]
        return SheetKind(sheet, kind)
    if normalized in aliases.sheet_names:
        return SheetKind(aliases.sheet_names[normalized])
    scores: list[tuple[int, str]] = []
    for key, columns in aliases.columns.items():
        match = find_header(head, columns)
        if match is None:
            continue
        required = {f.key for f in SHEETS_BY_KEY[key].fields if f.required}
        if required <= set(match.fields.values()):
            scores.append((match.score, key))
    scores.sort(reverse=True)
    if scores and scores[0][0] >= 3 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return SheetKind(scores[0][1])
    return None


def letters(indexes: list[int]) -> str:
    return ", ".join(column_letter(i) for i in indexes)
