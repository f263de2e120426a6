"""`ledgercheck scan DIR_OR_GLOB...`: audit many unit workbooks in parallel and summarize them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ledgercheck.cli.common import (
    DateParam,
    aliases_option,
    config_options,
    configured,
    context_of,
    debug_option,
    fail_on_option,
    handle_errors,
    lang_option,
    limit_option,
    options,
    rules_option,
    selection_options,
    show_pii_option,
    waivers_option,
)
from ledgercheck.reporters import formats


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="DIR_OR_GLOB...")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="并行进程数，默认为CPU核数 / worker processes (default: number of CPUs)")
@click.option("--as-of", type=DateParam(), help="审计截止日期，默认今天 / audit date (default: today)")
@click.option("--since", type=DateParam(), help="审计期间起始日期 / window start (default: per ledger)")
@click.option("--format", "format_", type=click.Choice(formats("scan")), default=None,
              help="报告格式，默认按 --output 的扩展名，否则 table / report format (default: from --output, else table)")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="报告文件；xlsx 必须指定 / write the report to this file (required for xlsx)")
@options(fail_on_option, waivers_option, selection_options, rules_option, aliases_option, config_options)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度 / no progress display")
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def scan(paths: tuple[str, ...], jobs: int | None, format_: str | None, output: Path | None, quiet: bool,
         debug: bool, **flags: Any) -> None:
    """批量检查多个单位的台账并汇总 / audit many unit workbooks and summarize them.

    DIR_OR_GLOB: 文件夹（递归查找 .xlsx/.xls/.ods 等）、文件或通配符（如 "台账/**/*.xlsx"）/ folders
    (searched recursively), files or glob patterns. 与 audit 读取同样的配置文件（规则选择、参数、别名、豁免、上限）
    / reads the same configuration as audit (selection, overrides, aliases, waivers, limits).

    退出码 exit codes: 0 没有达到 --fail-on 级别的问题 / nothing at or above --fail-on; 1 有问题 / findings;
    2 有文件无法读取、有无法读取的单元格或检查出错 / a file or cells could not be read or a check crashed;
    130 被 Ctrl-C 中断 / interrupted.
    """
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.exitcodes import INTERRUPTED
    from ledgercheck.common.i18n import Text
    from ledgercheck.findings.scan.store import ScanStore
    from ledgercheck.reporters import by_suffix, reporter
    from ledgercheck.review.policy import scan_exit_code
    from ledgercheck.scan.discover import discover
    from ledgercheck.scan.progress import make_progress
    from ledgercheck.scan.run import default_jobs
    from ledgercheck.scan.run import scan as run

    settings = configured(**flags)
    if format_ is None:
        format_ = (by_suffix("scan", output.suffix) or "table") if output else "table"
    if reporter("scan", format_).binary and output is None:
        raise UsageError(Text(f"{format_} 报告需要用 --output 指定文件", f"an {format_} report needs --output FILE"))
    context = context_of(settings)  # a broken rule pack or alias file stops here, not in every worker
    discovery = discover(list(paths))
    if not discovery.files:
        raise UsageError(Text("没有找到要检查的台账文件（.xlsx、.xls、.ods）", "no workbooks found (.xlsx, .xls, .ods)"),
                         detail=", ".join(paths))
    if output is not None:
        _refuse_input(output, discovery.files)
    progress = make_progress(len(discovery.files), settings.lang, quiet=quiet)
    with ScanStore() as store:
        try:
            report = run(discovery, context, jobs or default_jobs(), progress, store)
        except KeyboardInterrupt:  # a second Ctrl-C: stop without a report
            sys.exit(INTERRUPTED)
        from ledgercheck.cli.run import deliver
        from ledgercheck.reporters.base import ReportOptions

        report_options = ReportOptions(lang=settings.lang, policy=settings.policy)
        deliver("scan", report, format_, report_options, output, [path for path, _display in discovery.files])
        if output is not None:
            if format_ != "table" and sys.stdout.isatty():
                deliver("scan", report, "table", report_options)
            message = Text(f"报告已写入 {output}", f"report written to {output}")
            click.echo(message(settings.lang), err=True)
        if report.outcome.interrupted:
            from ledgercheck.reporters.scan.table_ import interrupted_line

            click.echo(interrupted_line(report), err=True)
    sys.exit(scan_exit_code(report.totals, report.outcome.interrupted))


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
