"""Run the audits of a context over workbooks and deliver the reports: the terminal, or a file written atomically.

`deliver` is how every command hands a result to its reporter (reporters/__init__.py): formats for people go to
the terminal as they are; machine formats go out as UTF-8 bytes whatever the console's code page (a GBK console
must not mangle CSV or JSON); with `-o` any format is rendered in memory and written atomically.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import click

from ledgercheck.app.context import Context
from ledgercheck.common.timing import phase
from ledgercheck.reporters import Reporter, Subject, render, reporter
from ledgercheck.reporters.base import ReportOptions


def to_stdout(value: Any, chosen: Reporter, options: ReportOptions) -> None:
    if chosen.terminal:
        chosen.write(value, sys.stdout, options)
        return
    data = render(value, chosen, options)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes (tests capturing text)
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def deliver(subject: Subject, value: Any, format_: str, options: ReportOptions, output: Path | None = None,
            protected: list[Path] | tuple[Path, ...] = ()) -> None:
    """Write one report to the terminal, or atomically to `output` (never over one of the `protected` inputs)."""
    from ledgercheck.fileio.atomic import atomic_file

    chosen = reporter(subject, format_)
    if output is None:
        to_stdout(value, chosen, options)
        return
    with atomic_file(output, protected) as stream:  # streamed: a scan report of any size in flat memory
        if chosen.binary:
            chosen.write(value, stream, options)
        else:
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n")
            chosen.write(value, text, options)
            text.flush()
            text.detach()  # the stream is atomic_file's to close


def run_audit(files: list[Path], context: Context, format_: str, output: Path | None, debug: bool,
              annotate_out: Path | None = None) -> int:
    """Audit one unit's ledger (one workbook, or the workbooks it is kept in) and deliver the report."""
    settings = context.settings
    options = ReportOptions(lang=settings.lang, policy=settings.policy, color=False if output is not None else None)
    result = context.audit(files[0] if len(files) == 1 else files)
    if debug:
        for crash in result.crashes:
            click.echo(crash.traceback, err=True)
    if annotate_out is not None:
        from ledgercheck.app.annotate import write_annotated

        click.echo(write_annotated(result, files[0], annotate_out, settings.lang).describe(settings.lang), err=True)
    with phase("report"):
        protected = [*files, *([settings.waivers] if settings.waivers else [])]
        deliver("audit", result, format_, options, output, protected)
        if output is not None:
            from ledgercheck.reporters.labels import summary_line

            click.echo(f"{output}: {summary_line(result, settings.lang)}", err=True)
    return context.exit_code(result)
