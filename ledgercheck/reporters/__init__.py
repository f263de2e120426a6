"""Reporters turn a result into output; they never read a workbook or evaluate a rule. One registry, by name.

Every reporter is a function `write(value, out, options)`: `value` is what it reports on (an AuditResult, a
RemindResult, a Rectification, a ScanReport or an Inspection), `out` a text stream, or a binary stream for binary formats,
and `options` the ReportOptions. A reporter's module is imported when it is first asked for, so a JSON audit
never loads rich (the table) or xlsxwriter.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Subject = Literal["audit", "remind", "rectification", "scan", "inspect", "rounds", "movement", "notice"]


@dataclass(frozen=True)
class Reporter:
    """One output format of one kind of result, and how to write it."""

    subject: Subject
    name: str  # as given to --format
    target: str  # "module:function", relative to ledgercheck.reporters
    binary: bool = False  # writes bytes (to a file only)
    terminal: bool = False  # for people: written to the terminal as is (colour, width); else UTF-8 bytes
    suffixes: tuple[str, ...] = ()  # output file names that choose this format

    @property
    def write(self) -> Callable[[Any, Any, Any], None]:
        module, function = self.target.split(":")
        return getattr(importlib.import_module(f"ledgercheck.reporters.{module}"), function)


REGISTRY: tuple[Reporter, ...] = (
    Reporter("audit", "table", "table:write", terminal=True),
    Reporter("audit", "json", "json_:write", suffixes=(".json",)),
    Reporter("audit", "sarif", "sarif:write", suffixes=(".sarif",)),
    Reporter("audit", "junit", "junit:write", suffixes=(".xml",)),
    Reporter("audit", "csv", "csv_:write", suffixes=(".csv",)),
    Reporter("audit", "markdown", "markdown:write", suffixes=(".md",)),
    Reporter("audit", "html", "html_:write", suffixes=(".html", ".htm")),
    Reporter("audit", "annotate", "annotate:write", binary=True, suffixes=(".xlsx",)),
    Reporter("remind", "table", "reminders:write_table", terminal=True),
    Reporter("remind", "json", "reminders:write_json", suffixes=(".json",)),
    Reporter("rectification", "table", "rectification:write_table", terminal=True),
    Reporter("rectification", "markdown", "rectification:write_markdown", suffixes=(".md",)),
    Reporter("rectification", "json", "rectification:write_json", suffixes=(".json",)),
    Reporter("scan", "table", "scan.table_:write", terminal=True),
    Reporter("scan", "json", "scan.json_:write", suffixes=(".json",)),
    Reporter("scan", "xlsx", "scan.xlsx_:write", binary=True, suffixes=(".xlsx",)),
    Reporter("scan", "html", "scan.html_:write", suffixes=(".html", ".htm")),
    Reporter("inspect", "table", "inspect:write_table", terminal=True),
    Reporter("inspect", "json", "inspect:write_json", suffixes=(".json",)),
    Reporter("rounds", "table", "history_:write_rounds_table", terminal=True),
    Reporter("rounds", "json", "history_:write_rounds_json", suffixes=(".json",)),
    Reporter("movement", "table", "history_:write_comparison_table", terminal=True),
    Reporter("movement", "json", "history_:write_comparison_json", suffixes=(".json",)),
    Reporter("notice", "docx", "notice_docx:write", binary=True, suffixes=(".docx",)),
    Reporter("notice", "html", "notice_html:write", suffixes=(".html", ".htm")),
)


def reporter(subject: Subject, name: str) -> Reporter:
    return next(r for r in REGISTRY if r.subject == subject and r.name == name)


def formats(subject: Subject, binary: bool | None = None) -> tuple[str, ...]:
    """The format names for `subject` (only text formats with binary=False, only binary ones with True)."""
    return tuple(r.name for r in REGISTRY if r.subject == subject and (binary is None or r.binary == binary))


def by_suffix(subject: Subject, suffix: str) -> str | None:
    """The format an output file name asks for (`-o report.html`), if any."""
    return next((r.name for r in REGISTRY if r.subject == subject and suffix.lower() in r.suffixes), None)


def render(value: Any, chosen: Reporter, options: Any) -> bytes:
    """A report as bytes (text formats in UTF-8), to be written to a file or sent."""
    if chosen.binary:
        binary = io.BytesIO()
        chosen.write(value, binary, options)
        return binary.getvalue()
    text = io.StringIO()
    chosen.write(value, text, options)
    return text.getvalue().encode("utf-8")
