"""How a ledger was understood (`ledgercheck inspect`): each sheet's kind and why, each column's field and why.

Plain data for reporters; app/inspect.py builds it from the loader's sheet plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.model.issues import InputIssue

# Why a sheet is taken for what it is.
SHEET_HOW: dict[str, Text] = {
    "name": Text("按工作表名称", "by the sheet's name"),
    "preset": Text("按工作表名称（只记一种会议）", "by the sheet's name (one kind of meeting)"),
    "month-name": Text("按工作表名称（一个月的党费）", "by the sheet's name (one month of dues)"),
    "headers": Text("按表头和内容", "by its headers and contents"),
    "none": Text("无法识别", "not recognized"),
    "note": Text("ledgercheck 自己的说明或检查结果表", "ledgercheck's own instructions or findings sheet"),
    "hidden": Text("隐藏的工作表，未读入", "a hidden sheet, not read"),
}
# Why a column is read as what it is (or not at all).
COLUMN_HOW: dict[str, Text] = {
    "user": Text("用户别名", "the user's alias"),
    "exact": Text("表头", "header"),
    "synonym": Text("表头（同义词）", "header (synonym)"),
    "hint": Text("括号中的取值", "the values in its brackets"),
    "without-brackets": Text("表头（去掉括号）", "header (without brackets)"),
    "values": Text("按取值判定", "by its values"),
    "month": Text("月份列", "a month column"),
    "ignored": Text("已知的无关列", "known, not used"),
    "unknown": Text("未识别", "not recognized"),
    "duplicate": Text("重复，未读入", "a duplicate, not read"),
    "contradicted": Text("取值与表头不符，未读入", "values contradict the header; not read"),
    "merged": Text("与同名的列合并读入", "read together with the column of the same field"),
    "year": Text("年份（与「月份」列合读）", "the year, read with the month column"),
}


@dataclass(frozen=True)
class ColumnView:
    letter: str
    header: str
    field: str | None  # canonical key
    field_label: Text | None
    how: str  # a COLUMN_HOW key
    samples: tuple[str, ...] = ()
    nearest: tuple[Text, ...] = ()

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {"column": self.letter, "header": self.header, "field": self.field,
                "field_label": self.field_label(lang) if self.field_label else None, "how": self.how,
                "why": COLUMN_HOW[self.how](lang), "samples": list(self.samples),
                "nearest": [n(lang) for n in self.nearest]}


@dataclass(frozen=True)
class SheetView:
    name: str
    file: str
    kind: str | None  # sheet key
    kind_label: Text | None
    how: str  # a SHEET_HOW key
    header_row: int | None  # 1-based (the last row of a two-row header)
    header_rows: int
    rows: int  # non-empty data rows
    records: int
    skipped: int
    columns: tuple[ColumnView, ...] = ()
    notes: tuple[Text, ...] = ()  # inferred values, presets (the month of a month sheet …)

    def to_dict(self, lang: Lang) -> dict[str, object]:
        return {"name": self.name, "file": self.file, "kind": self.kind,
                "kind_label": self.kind_label(lang) if self.kind_label else None, "how": self.how,
                "why": SHEET_HOW[self.how](lang), "header_row": self.header_row, "header_rows": self.header_rows,
                "rows": self.rows, "records": self.records, "skipped": self.skipped,
                "columns": [c.to_dict(lang) for c in self.columns], "notes": [n(lang) for n in self.notes]}


@dataclass
class Inspection:
    files: list[str]
    sheets: list[SheetView] = field(default_factory=list)
    issues: list[InputIssue] = field(default_factory=list)  # what reading said about the understanding
    aliases: str = ""  # an alias file that writes down this understanding (--write-aliases)

    def to_dict(self, lang: Lang) -> dict[str, object]:
        from ledgercheck import __version__

        return {"schema_version": "1.0", "tool": {"name": "ledgercheck", "version": __version__},
                "files": self.files, "sheets": [s.to_dict(lang) for s in self.sheets],
                "input_issues": [i.to_dict(lang) for i in self.issues]}
