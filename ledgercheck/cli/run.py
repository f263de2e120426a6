"""Run configured audits over workbooks and deliver the report: stdout, or a file written atomically."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import click

from ledgercheck.common import exitcodes
from ledgercheck.app.config import Settings
from ledgercheck.common.errors import LedgercheckError
from ledgercheck.findings.result import AuditResult
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.common.timing import phase


def render(result: AuditResult, format_: str, options: ReportOptions) -> str:
    from ledgercheck.reporters import REPORTERS

    reporter = REPORTERS[format_]
    if format_ == "table":
        buffer = io.StringIO()
        reporter.write(result, buffer, options)
        return buffer.getvalue()
    return reporter.render(result, options)


def _emit_stdout(text: str, format_: str, options: ReportOptions, result: AuditResult) -> None:
    if format_ == "table":
        from ledgercheck.reporters import table

        table.write(result, sys.stdout, options)
        return
    # Machine formats are UTF-8 whatever the console's code page (a GBK console must not mangle CSV or JSON).
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def run_audits(files: tuple[Path, ...], settings: Settings, format_: str, output: Path | None,
               baseline: Path | None, debug: bool, annotate_out: Path | None = None) -> int:
    from ledgercheck.fileio.atomic import write_atomic
    from ledgercheck.app.context import Pipeline
    from ledgercheck.review.policy import exit_code

    with phase("setup"):
        pipeline = Pipeline.build(settings, baseline)
    options = ReportOptions(lang=settings.lang, policy=settings.policy,
                            color=False if output is not None else None)
    code, texts = exitcodes.OK, []
    for path in files:
        try:
            result = pipeline.run(path)
        except LedgercheckError as exc:
            if len(files) == 1:
                raise
            from ledgercheck.common.privacy import masker

            # the other workbooks are still audited
            click.echo(masker(settings.show_pii)(exc.describe(settings.lang)), err=True)
            code = exitcodes.UNUSABLE_INPUT
            continue
        if debug:
            for crash in result.crashes:
                click.echo(crash.traceback, err=True)
        if annotate_out is not None:
            from ledgercheck.reporters.annotate import write_annotated

            click.echo(write_annotated(result, path, annotate_out, settings.lang).describe(settings.lang), err=True)
        with phase("report"):
            text = render(result, format_, options) if output is not None or format_ != "table" else ""
            if output is None:
                _emit_stdout(text, format_, options, result)
            else:
                texts.append(text)
                from ledgercheck.reporters.table import summary_line

                click.echo(f"{output}: {summary_line(result, settings.lang)}", err=True)
        code = max(code, exit_code(result, settings.policy))
    if output is not None and texts:
        protected = [*files, *([settings.waivers] if settings.waivers else [])]
        write_atomic(output, "".join(texts).encode("utf-8"), protected)
    return code
