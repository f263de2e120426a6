"""`ledgercheck audit FILE…`: check ledger workbooks and report the findings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

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
    ledger_files,
    limit_option,
    options,
    org_option,
    rules_option,
    selection_options,
    show_pii_option,
    waivers_option,
)
from ledgercheck.reporters import formats

FORMATS = formats("audit", binary=False)  # the marked-up copy (binary) has its own option, --annotate


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_FOLDER…")
@click.option("--as-of", type=DateParam(), help="审计截止日期，默认今天 / audit date (default: today)")
@click.option("--since", type=DateParam(), help="审计期间起始日期，默认台账记录的第一年年初 / window start")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="table", show_default=True,
              help="输出格式 / output format")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="写入文件（原子写入）而不是标准输出；未给 --format 时按扩展名选择格式（.html .json .csv .md .sarif "
                   ".xml）/ write the report to FILE (atomically) instead of stdout; without --format its suffix "
                   "chooses the format")
@fail_on_option
@click.option("--fail-on-new/--no-fail-on-new", default=None,
              help="只有相对 --baseline 新增的问题才使退出码为1 / exit 1 only on findings new since --baseline")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False),
              help="上次审计的 JSON 输出：标出新增、未整改、已整改 / an earlier JSON output: mark new, still open "
                   "and resolved findings")
@options(waivers_option, selection_options, rules_option)
@click.option("--annotate", "annotate_out", type=click.Path(path_type=Path, dir_okay=False), metavar="OUT.xlsx",
              help="另存一份标注了问题单元格的台账副本 / also write a marked-up copy of the ledger")
@options(aliases_option, org_option, config_options)
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def audit(paths: tuple[Path, ...], format_: str, output: Path | None, baseline: Path | None,
          annotate_out: Path | None, debug: bool, **flags: Any) -> None:
    """检查一个单位的台账 / audit one unit's ledger (.xlsx, .xls, .ods).

    台账分成几个文件时（花名册.xlsx 党费.xlsx …）一起给出，或给出它们所在的文件夹：按一本台账检查。多个单位请用
    ledgercheck scan。/ A ledger kept in several workbooks is given as those files, or their folder, and audited as
    one; for many units use ledgercheck scan.

    退出码 exit codes: 0 没有达到 --fail-on 级别的问题 / nothing at or above --fail-on;
    1 有问题 / findings; 2 台账、规则或配置无法使用 / the input, rules or configuration could not be used.
    """
    files = ledger_files(paths)
    if output is not None and click.get_current_context().get_parameter_source("format_") is ParameterSource.DEFAULT:
        from ledgercheck.reporters import by_suffix

        chosen = by_suffix("audit", output.suffix)
        format_ = chosen if chosen in FORMATS else format_  # -o report.html writes HTML, -o audit.json JSON
    if len(files) == 1:
        from ledgercheck.ingest import prefetch

        prefetch.start(files[0])  # parse while the engine is imported and the rules are loaded
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text

    settings = configured(**flags)
    if settings.fail_on_new and baseline is None:
        raise UsageError(Text("--fail-on-new 需要同时给出 --baseline", "--fail-on-new needs --baseline"))
    if not files:
        from ledgercheck.common.errors import WorkbookError
        from ledgercheck.common.location import Location

        raise WorkbookError(Text("这是一个文件夹，其中没有台账工作簿（.xlsx、.xls、.ods）",
                                 "this is a folder with no workbooks in it (.xlsx, .xls, .ods)"),
                            Location(", ".join(map(str, paths))))
    if len(files) > 1 and annotate_out is not None:
        raise UsageError(Text("--annotate 只能标注一个工作簿；台账分成几个文件时请逐个标注",
                              "--annotate marks one workbook; for a ledger in several files, mark them one at a time"))
    if annotate_out is not None:
        from ledgercheck.app.annotate import check_target

        check_target(files[0], annotate_out)
    if output is not None or annotate_out is not None:  # refused now, before the audit, not after it
        from ledgercheck.fileio.atomic import check_output

        protected = [*files, *([settings.waivers] if settings.waivers else [])]
        for target in (output, annotate_out):
            if target is not None:
                check_output(target, protected)
        if output is not None and annotate_out is not None and output.absolute() == annotate_out.absolute():
            raise UsageError(Text("--output 和 --annotate 不能写同一个文件", "--output and --annotate name the same file"))
    from ledgercheck.cli.run import run_audit
    from ledgercheck.common.timing import phase

    with phase("setup"):
        context = context_of(settings, baseline)
    sys.exit(run_audit(files, context, format_, output, debug, annotate_out))
