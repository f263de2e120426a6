"""A place in an input file: file, sheet, row and column of a workbook cell, or a line of a text file."""

from __future__ import annotations

from dataclasses import dataclass

from ledgercheck.common.i18n import Lang


@dataclass(frozen=True, slots=True)
class Location:
    """A cell (or row, or file line) in an input file. Rows are 1-based as Excel shows them."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # column letter, e.g. "E"
    field: str | None = None  # canonical field key, e.g. "joined_on"
    line: int | None = None  # for YAML files

    @property
    def cell(self) -> str | None:
        if self.row is None:
            return None
        return f"{self.column or ''}{self.row}"

    def describe(self, lang: Lang, with_file: bool = True) -> str:
        """Human form: `ledger.xlsx 工作表「党员」第5行 E列` / `ledger.xlsx, sheet 党员, row 5, column E`."""
        parts: list[str] = [self.file] if with_file else []
        if lang == "en":
            if self.line is not None:
                return f"{self.file}:{self.line}"
            if self.sheet:
                parts.append(f"sheet {self.sheet}")
            if self.row is not None:
                parts.append(f"row {self.row}")
            if self.column:
                parts.append(f"column {self.column}")
            return ", ".join(parts)
        if self.line is not None:
            return f"{self.file} 第{self.line}行"
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.column}列")
        return " ".join(parts)

    def short(self) -> str:
        """Compact form for tables: 党员!E5."""
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.sheet and self.row is not None:
            # A whole row in Excel's own notation (党员!3:3) when the column is not in the sheet.
            return f"{self.sheet}!{self.cell}" if self.column else f"{self.sheet}!{self.row}:{self.row}"
        return self.sheet or self.file

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "field": self.field}
