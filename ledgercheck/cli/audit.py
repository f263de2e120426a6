"""`ledgercheck audit FILE`: check one ledger workbook and report the findings."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

import click

from ledgercheck import exitcodes
from ledgercheck.cli.common import DateParam, debug_option, handle_errors, lang_option

FAIL_ON = ("error", "warning", "info", "never")


def exit_code(result: object, fail_on: str) -> int:
    """2 when input could not be read or a check crashed; 1 for findings at or above `fail_on`."""
    from ledgercheck.findings import AuditResult
    from ledgercheck.rulebook.schema import Severity

    assert isinstance(result, AuditResult)
    if result.input_errors or result.crashes:
        return exitcodes.UNUSABLE_INPUT
    if fail_on == "never":
        return exitcodes.OK
    threshold = Severity(fail_on).rank
    return exitcodes.FINDINGS if any(f.severity.rank >= threshold for f in result.findings) else exitcodes.OK


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--as-of", type=DateParam(), help="审计截止日期，默认今天 / audit date (default: today)")
@click.option("--since", type=DateParam(), help="审计期间起始日期，默认台账记录的第一年年初 / window start")
@click.option("--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="达到该级别的问题使退出码为1 / exit 1 on findings at or above this severity")
@click.option("--rules", "rules", default="national", show_default=True, metavar="PACK_OR_DIR",
              help="规则包名称或文件夹 / built-in rule pack name or pack folder")
@click.option("--annotate", "annotate_out", type=click.Path(path_type=Path, dir_okay=False), metavar="OUT.xlsx",
              help="另存一份标注了问题单元格的台账副本 / also write a marked-up copy of the ledger")
@click.option("--aliases", "alias_files", multiple=True, type=click.Path(path_type=Path),
              help="补充的表头/取值别名 YAML 文件 / extra alias table (YAML)")
@lang_option
@debug_option
@handle_errors
def audit(file: Path, as_of: dt.date | None, since: dt.date | None, format_: str, fail_on: str, rules: str,
          alias_files: tuple[Path, ...], annotate_out: Path | None, lang: str, debug: bool) -> None:
    """检查一个台账工作簿 / audit one ledger workbook (.xlsx, .xls, .ods).

    退出码 exit codes: 0 没有达到 --fail-on 级别的问题 / nothing at or above --fail-on;
    1 有问题 / findings; 2 台账或规则无法使用 / the input or rules could not be used.
    """
    from ledgercheck.api import audit_workbook
    from ledgercheck.ingest.aliases import load_aliases
    from ledgercheck.reporters import REPORTERS
    from ledgercheck.reporters.base import ReportOptions
    from ledgercheck.rulebook.loader import load_rulebook

    if annotate_out is not None:
        from ledgercheck.reporters.annotate import check_target

        check_target(file, annotate_out)
    rulebook = load_rulebook(rules)
    aliases = load_aliases(list(alias_files))
    result = audit_workbook(file, rulebook, as_of, since, aliases, display=str(file))
    REPORTERS[format_].write(result, sys.stdout, ReportOptions(lang=lang))  # type: ignore[arg-type]
    if annotate_out is not None:
        from ledgercheck.reporters.annotate import write_annotated

        click.echo(write_annotated(result, file, annotate_out, lang).describe(lang), err=True)  # type: ignore[arg-type]
    if debug:
        for crash in result.crashes:
            click.echo(crash.traceback, err=True)
    sys.exit(exit_code(result, fail_on))
