"""Where a record came from: the sheet it was read from (with each field's column) and its row."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledgercheck.common.location import Location

Cell = tuple[int, str | None]  # 1-based row and column letter (None: the whole row)


@dataclass(frozen=True, slots=True, eq=False)
class SheetRef:
    """A sheet as read: its name and the column letter of each canonical field it has.

    `cells` is for a sheet read as a form (ingest/forms.py): the table it was laid out as, row and column, to the
    sheet's own cell, so that a location names the cell a person sees."""

    file: str
    sheet: str
    columns: dict[str, str] = field(default_factory=dict)
    cells: dict[Cell, Cell] | None = None

    def locate(self, row: int, column: str | None, field_key: str | None = None) -> Location:
        if self.cells is not None:
            row, column = self.cells.get((row, column)) or self.cells.get((row, None), (row, column))
        return Location(self.file, self.sheet, row, column, field_key)


@dataclass(frozen=True, slots=True)
class RowRef:
    """The row a record came from. Shares its SheetRef with every row of the sheet."""

    sheet: SheetRef
    row: int

    def at(self, field_key: str | None = None) -> Location:
        column = self.sheet.columns.get(field_key) if field_key else None
        return self.sheet.locate(self.row, column, field_key)
