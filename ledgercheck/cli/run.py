"""Run the audits of a context over workbooks and deliver the reports: the terminal, or a file written atomically.

`deliver` is how every command hands a result to its reporter (reporters/__init__.py): formats for people go to
the terminal as they are; machine formats go out as UTF-8 bytes whatever the console's code page (a GBK console
must not mangle CSV or JSON); with `-o` any format is rendered in memory and written atomically.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ledgercheck.app.context import Context
from ledgercheck.cli.status import working
from ledgercheck.common.errors import require_stdout
from ledgercheck.common.exitcodes import UNUSABLE_INPUT
from ledgercheck.common.i18n import Lang
from ledgercheck.common.timing import phase
from ledgercheck.reporters import Reporter, Subject, render, reporter
from ledgercheck.reporters.base import ReportOptions


def to_stdout(value: Any, chosen: Reporter, options: ReportOptions) -> None:
    stdout = require_stdout()
    if chosen.terminal:
        chosen.write(value, stdout, options)
        return
    data = render(value, chosen, options)
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:  # a stream without bytes (tests capturing text)
        stdout.write(data.decode("utf-8"))
        return
    stdout.flush()
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
    """Audit one unit's ledger (one workbook, or the workbooks it is kept in) and deliver the report.

    The report is written first and the marked-up copy after it: a copy that cannot be made (a damaged sheet,
    text Excel cannot hold) is said in one line and makes the exit code 2, but never costs the report. Reading
    and judging stop after `--limit max-seconds`.
    """
    from ledgercheck.fileio.names import escape_undecodable

    settings = context.settings
    options = ReportOptions(lang=settings.lang, policy=settings.policy, color=False if output is not None else None)
    source = files[0]  # a name that is not UTF-8 is shown escaped (and read through a link: ingest/workbook)
    display = " + ".join(escape_undecodable(str(path)) for path in files)
    with time_limit(settings.limits.max_seconds, display, settings), working(display, settings):
        result = context.audit(source if len(files) == 1 else files, display if len(files) == 1 else None)
    if debug:
        for crash in result.crashes:
            click.echo(crash.traceback, err=True)
    with phase("report"):
        protected = [*files, *([settings.waivers] if settings.waivers else [])]
        deliver("audit", result, format_, options, output, protected)
        if output is not None:  # only once the report is where it was asked to be
            from ledgercheck.reporters.labels import summary_line

            click.echo(f"{output}: {summary_line(result, settings.lang)}", err=True)
    code = context.exit_code(result)
    if annotate_out is not None and not _annotate(result, source, annotate_out, settings.lang,
                                                  settings.show_pii, debug):
        code = max(code, UNUSABLE_INPUT)
    return code


def _annotate(result: Any, source: Path, out: Path, lang: Lang, show_pii: bool, debug: bool) -> bool:
    """Write the marked-up copy and say so, or say why it could not be written. Whether it was written."""
    from ledgercheck.app.annotate import write_annotated
    from ledgercheck.common.errors import LedgercheckError, UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.common.location import Location
    from ledgercheck.common.privacy import masker

    mask = masker(show_pii)
    try:
        click.echo(write_annotated(result, source, out, lang).describe(lang), err=True)
        return True
    except LedgercheckError as exc:
        click.echo(mask(exc.describe(lang)), err=True)
    except Exception as exc:  # noqa: BLE001 - the report is out already; the copy must not turn into a traceback
        if debug:
            traceback.print_exc()
        failure = UsageError(Text("无法写出标注副本（检查报告不受影响）",
                                  "could not write the marked-up copy (the report is not affected)"),
                             Location(str(out)), f"{type(exc).__name__}: {exc}")
        click.echo(mask(failure.describe(lang)), err=True)
    return False


@contextmanager
def time_limit(seconds: int, display: str, settings: Any) -> Iterator[None]:
    """Reading and judging a ledger may take `seconds` (--limit max-seconds); past it the command says so and
    ends with exit 2. A watchdog thread, since the reader may be in native code that no signal interrupts."""
    done = threading.Event()

    def watch() -> None:
        if done.wait(seconds):
            return
        from ledgercheck.common.errors import WorkbookError
        from ledgercheck.common.i18n import Text
        from ledgercheck.common.location import Location
        from ledgercheck.common.privacy import masker

        message = WorkbookError(Text(f"读取和检查超过了时间上限 {seconds} 秒，已停止（可用 --limit max-seconds=… 调高）",
                                     f"reading and auditing took longer than the time limit of {seconds} s and was "
                                     "stopped (raise it with --limit max-seconds=…)"), Location(display))
        try:
            from ledgercheck.ingest.panics import release

            release()  # the main thread may be converting cells right now, with descriptor 2 diverted
            if sys.stderr is not None:  # None: started without a stderr
                sys.stderr.write(masker(settings.show_pii)(message.describe(settings.lang)) + "\n")
                sys.stderr.flush()
        finally:
            os._exit(UNUSABLE_INPUT)

    thread = threading.Thread(target=watch, name="ledgercheck-time-limit", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
