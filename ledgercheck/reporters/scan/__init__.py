"""Scan reporters: a ScanReport in, a table, JSON document, Excel workbook or HTML page out."""

from __future__ import annotations

FORMATS = ("table", "json", "xlsx", "html")
BINARY = {"xlsx"}  # written to --output only
SUFFIXES = {".json": "json", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}


def write(format_: str, report: object, output: object) -> None:
    """Dispatch by name; modules are imported only when used (xlsxwriter is not needed for a table)."""
    import importlib

    module = importlib.import_module(f"ledgercheck.reporters.scan.{format_}_")
    module.write(report, output)
