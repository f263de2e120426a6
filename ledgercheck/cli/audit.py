"""`ledgercheck audit FILE…`: check ledger workbooks and report the findings."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ledgercheck.cli.common import (DateParam, debug_option, handle_errors, lang_option, limit_option, remember_lang,
                                    remember_show_pii, show_pii_option)

FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("table", "json", "sarif", "junit", "csv", "markdown")  # the REPORTERS registry (a test keeps them equal)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE…")
@click.option("--as-of", type=DateParam(), help="审计截止日期，默认今天 / audit date (default: today)")
@click.option("--since", type=DateParam(), help="审计期间起始日期，默认台账记录的第一年年初 / window start")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="table", show_default=True,
              help="输出格式 / output format")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="写入文件（原子写入）而不是标准输出 / write the report to FILE (atomically) instead of stdout")
@click.option("--fail-on", type=click.Choice(FAIL_ON),
              help="达到该级别的问题使退出码为1，默认 error / exit 1 on findings at or above this severity "
                   "(default: error)")
@click.option("--fail-on-new/--no-fail-on-new", default=None,
              help="只有相对 --baseline 新增的问题才使退出码为1 / exit 1 only on findings new since --baseline")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False),
              help="上次审计的 JSON 输出：标出新增、未整改、已整改 / an earlier JSON output: mark new, still open "
                   "and resolved findings")
@click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False),
              help="豁免清单 YAML / waiver file (YAML)")
@click.option("--select", multiple=True, metavar="ID_OR_PREFIX",
              help="只运行这些规则（编号或前缀，如 MEET-）/ run only these rules (id or prefix, e.g. MEET-)")
@click.option("--ignore", multiple=True, metavar="ID_OR_PREFIX",
              help="不运行这些规则（编号或前缀）/ skip these rules (id or prefix)")
@click.option("--rules", "rules", metavar="PACK_OR_DIR",
              help="规则包名称或文件夹，默认 national / built-in rule pack name or pack folder (default: national)")
@click.option("--annotate", "annotate_out", type=click.Path(path_type=Path, dir_okay=False), metavar="OUT.xlsx",
              help="另存一份标注了问题单元格的台账副本 / also write a marked-up copy of the ledger")
@click.option("--aliases", "alias_files", multiple=True, type=click.Path(path_type=Path),
              help="补充的表头/取值别名 YAML 文件 / extra alias table (YAML)")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
              help="配置文件，默认向上查找 .ledgercheck.yaml 或 pyproject.toml / configuration file (default: "
                   "the nearest .ledgercheck.yaml or pyproject.toml [tool.ledgercheck])")
@click.option("--no-config", is_flag=True, help="不读取配置文件 / ignore configuration files")
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def audit(files: tuple[Path, ...], as_of: dt.date | None, since: dt.date | None, format_: str, output: Path | None,
          fail_on: str | None, fail_on_new: bool | None, baseline: Path | None, waivers: Path | None,
          select: tuple[str, ...], ignore: tuple[str, ...], rules: str | None, alias_files: tuple[Path, ...],
          config: Path | None, no_config: bool, annotate_out: Path | None, show_pii: bool | None,
          limits: tuple[str, ...], lang: str | None, debug: bool) -> None:
    """检查台账工作簿 / audit ledger workbooks (.xlsx, .xls, .ods).

    退出码 exit codes: 0 没有达到 --fail-on 级别的问题 / nothing at or above --fail-on;
    1 有问题 / findings; 2 台账、规则或配置无法使用 / the input, rules or configuration could not be used.
    """
    if len(files) == 1:
        from ledgercheck.ingest import prefetch

        prefetch.start(files[0])  # parse while the engine is imported and the rules are loaded
    from ledgercheck.app.config import CliOptions, resolve
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text

    settings = resolve(CliOptions(config, no_config, rules, as_of, since, fail_on, fail_on_new,  # type: ignore[arg-type]
                                  lang, select, ignore, alias_files, waivers, limits, show_pii))  # type: ignore[arg-type]
    remember_lang(settings.lang)
    remember_show_pii(settings.show_pii)
    if settings.fail_on_new and baseline is None:
        raise UsageError(Text("--fail-on-new 需要同时给出 --baseline", "--fail-on-new needs --baseline"))
    if len(files) > 1 and (format_ != "table" or baseline is not None or annotate_out is not None):
        raise UsageError(Text("一次检查多个工作簿时只能用表格输出，且不能用 --baseline 或 --annotate；请逐个检查",
                              "several workbooks at once: only --format table, and no --baseline or --annotate; "
                              "run those one workbook at a time"))
    if annotate_out is not None:
        from ledgercheck.reporters.annotate import check_target

        check_target(files[0], annotate_out)
    from ledgercheck.cli.run import run_audits

    sys.exit(run_audits(files, settings, format_, output, baseline, debug, annotate_out))
