"""Copies of a workbook in the older formats secretaries receive: .xls (old Excel, WPS exports) and .ods.

Written cell by cell from the values calamine reads, with xlwt and odfpy, so the reader tests run
without LibreOffice; tests that have LibreOffice also convert with it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from ledgercheck.ingest.workbook import Workbook


def _sheets(source: Path) -> list[tuple[str, list[list[object]]]]:
    with Workbook(source) as book:
        return [(name, list(book.sheet(name).values())) for name in book.sheet_names]


def copy_as_xls(source: Path, out: Path) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in _sheets(source):
        sheet = book.add_sheet(name)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if value == "" or value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, dates)
                else:
                    sheet.write(r, c, value)
    book.save(str(out))
    return out


def copy_as_ods(source: Path, out: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in _sheets(source):
        table = Table(name=name)
        for cells in rows:
            row = TableRow()
            for value in cells:
                if value == "" or value is None:
                    cell = TableCell()
                elif isinstance(value, dt.datetime):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.isoformat()))
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.isoformat()))
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                row.addElement(cell)
            table.addElement(row)
        doc.spreadsheet.addElement(table)
    doc.save(str(out))
    return out


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(source: Path, target: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless (`target`: xls, ods, pdf or a filter spec); returns the new file."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"  # a private profile: parallel runs must not share one
    subprocess.run([soffice() or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", target, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=180)
    extension = target.split(":")[0]
    result = outdir / f"{source.stem}.{extension}"
    assert result.is_file(), f"LibreOffice wrote no {result.name}"
    return result
