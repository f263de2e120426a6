"""Where a record came from: the sheet it was read from (with each field's column) and its row."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledgercheck.common.location import Location


@dataclass(frozen=True, slots=True, eq=False)
class SheetRef:
    """A sheet as read: its name and the column letter of each canonical field it has."""

    file: str
    sheet: str
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowRef:
    """The row a record came from. Shares its SheetRef with every row of the sheet."""

    sheet: SheetRef
    row: int

    def at(self, field_key: str | None = None) -> Location:
        column = self.sheet.columns.get(field_key) if field_key else None
        return Location(self.sheet.file, self.sheet.sheet, self.row, column, field_key)
