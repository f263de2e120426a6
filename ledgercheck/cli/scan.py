"""`ledgercheck scan DIR_OR_GLOB...`: audit many unit workbooks in parallel and summarize them."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from ledgercheck.cli.audit import FAIL_ON
from ledgercheck.cli.common import DateParam, debug_option, handle_errors, lang_option, limit_option, show_pii_option
from ledgercheck.reporters.scan import FORMATS


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="DIR_OR_GLOB...")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="并行进程数，默认为CPU核数 / worker processes (default: number of CPUs)")
@click.option("--as-of", type=DateParam(), help="审计截止日期，默认今天 / audit date (default: today)")
@click.option("--since", type=DateParam(), help="审计期间起始日期 / window start (default: per ledger)")
@click.option("--format", "format_", type=click.Choice(FORMATS), default=None,
              help="报告格式，默认按 --output 的扩展名，否则 table / report format (default: from --output, else table)")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="报告文件；xlsx 必须指定 / write the report to this file (required for xlsx)")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="达到该级别的问题使退出码为1 / exit 1 on findings at or above this severity")
@click.option("--rules", "rules", default="national", show_default=True, metavar="PACK_OR_DIR",
              help="规则包名称或文件夹 / built-in rule pack name or pack folder")
@click.option("--aliases", "alias_files", multiple=True, type=click.Path(path_type=Path),
              help="补充的表头/取值别名 YAML 文件 / extra alias table (YAML)")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度 / no progress display")
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def scan(paths: tuple[str, ...], jobs: int | None, as_of: dt.date | None, since: dt.date | None,
         format_: str | None, output: Path | None, fail_on: str, rules: str, alias_files: tuple[Path, ...],
         quiet: bool, show_pii: bool | None, limits: tuple[str, ...], lang: str, debug: bool) -> None:
    """批量检查多个单位的台账并汇总 / audit many unit workbooks and summarize them.

    DIR_OR_GLOB: 文件夹（递归查找 .xlsx/.xls/.ods 等）、文件或通配符（如 "台账/**/*.xlsx"）/ folders
    (searched recursively), files or glob patterns.

    退出码 exit codes: 0 没有达到 --fail-on 级别的问题 / nothing at or above --fail-on; 1 有问题 / findings;
    2 有文件无法读取、有无法读取的单元格或检查出错 / a file or cells could not be read or a check crashed;
    130 被 Ctrl-C 中断 / interrupted.
    """
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.ingest.aliases import load_aliases
    from ledgercheck.rulebook.loader import load_rulebook
    from ledgercheck.scan.discover import discover
    from ledgercheck.scan.progress import make_progress
    from ledgercheck.scan.report import INTERRUPTED, default_jobs, scan as run, settings_for
    from ledgercheck.reporters.scan import SUFFIXES, write
    from ledgercheck.scan.store import ScanStore

    if format_ is None:
        format_ = SUFFIXES.get(output.suffix.lower(), "table") if output else "table"
    if format_ == "xlsx" and output is None:
        raise UsageError(Text("xlsx 报告需要用 --output 指定文件", "an xlsx report needs --output FILE"))
    rulebook = load_rulebook(rules)  # a broken rule pack stops here, not in every worker
    load_aliases(list(alias_files))
    discovery = discover(list(paths))
    if not discovery.files:
        raise UsageError(Text("没有找到要检查的台账文件（.xlsx、.xls、.ods）", "no workbooks found (.xlsx, .xls, .ods)"),
                         detail=", ".join(paths))
    from ledgercheck.common.limits import Limits, from_options

    if output is not None:
        _refuse_input(output, discovery.files)
    settings = settings_for(rules, alias_files, as_of, since, lang,  # type: ignore[arg-type]
                            from_options(Limits(), limits), bool(show_pii))
    progress = make_progress(len(discovery.files), settings.lang, quiet=quiet)
    with ScanStore() as store:
        try:
            report = run(discovery, rulebook, settings, jobs or default_jobs(), progress, store)
        except KeyboardInterrupt:  # a second Ctrl-C: stop without a report
            sys.exit(INTERRUPTED)
        if output is None:
            write(format_, report, sys.stdout)
        else:
            _write_file(format_, report, output)
            if format_ != "table" and sys.stdout.isatty():
                write("table", report, sys.stdout)
            message = Text(f"报告已写入 {output}", f"report written to {output}")
            click.echo(message(settings.lang), err=True)
        if report.outcome.interrupted:
            from ledgercheck.reporters.scan.table_ import interrupted_line

            click.echo(interrupted_line(report), err=True)
    sys.exit(report.exit_code(fail_on))


def _refuse_input(output: Path, files: list[tuple[Path, str]]) -> None:
    """The report must not replace one of the workbooks it is about (`-o 各单位台账/a.xlsx`)."""
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.common.location import Location

    target = output.resolve()
    for path, _display in files:
        if path.resolve() == target:
            raise UsageError(Text(f"--output 不能覆盖要检查的台账 {path}", f"--output would overwrite the input {path}"),
                             Location(str(output)))


def _write_file(format_: str, report: object, output: Path) -> None:
    """Write beside the target and rename, so an existing report is never left half-overwritten."""
    from ledgercheck.reporters.scan import BINARY, write

    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        if format_ in BINARY:
            write(format_, report, partial)
        else:
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                write(format_, report, stream)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
