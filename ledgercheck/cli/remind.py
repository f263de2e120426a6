"""`ledgercheck remind FILE`: elections, probation, meetings and dues that fall due soon, soonest first."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ledgercheck.common import exitcodes
from ledgercheck.cli.common import (DateParam, configured, debug_option, handle_errors, lang_option, limit_option,
                                    show_pii_option)


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--as-of", type=DateParam(), help="以哪一天为准，默认今天 / the date to count from (default: today)")
@click.option("--within", default="90d", show_default=True, metavar="90d|3m|6m",
              help="提醒多长时间内到期的事项 / how far ahead to look (d days, w weeks, m months, y years)")
@click.option("--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@click.option("--rules", "rules", metavar="PACK_OR_DIR",
              help="规则包名称或文件夹，默认 national / built-in rule pack name or pack folder (default: national)")
@click.option("--aliases", "alias_files", multiple=True, type=click.Path(path_type=Path),
              help="补充的表头/取值别名 YAML 文件 / extra alias table (YAML)")
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def remind(file: Path, as_of: dt.date | None, within: str, format_: str, rules: str | None,
           alias_files: tuple[Path, ...], show_pii: bool | None, limits: tuple[str, ...], lang: str | None,
           debug: bool) -> None:
    """列出近期到期的事项：换届、预备党员转正、本月/本季度的会议、未缴党费 / what falls due soon.

    已逾期的事项也会列出。退出码 exit codes: 0 正常 / ok; 2 台账或规则无法使用 / unusable input.
    """
    from ledgercheck.app.audit import sort_issues
    from ledgercheck.ingest.aliases import load_aliases
    from ledgercheck.ingest.loader import load_ledger
    from ledgercheck.app.remind import parse_horizon, remind as build
    from ledgercheck.reporters.base import ReportOptions
    from ledgercheck.reporters.reminders import write_json, write_table

    from ledgercheck.ingest.plausibility import future_dates
    from ledgercheck.findings.redact import redact_reminders

    settings = configured(lang, rules, as_of, aliases=alias_files, limits=limits, show_pii=show_pii)
    horizon = parse_horizon(within)
    rulebook = settings.rulebook()
    loaded = load_ledger(file, load_aliases(list(settings.aliases)), str(file), settings.limits)
    day = settings.as_of or dt.date.today()
    result = build(loaded.ledger, rulebook, day, horizon)
    result.input_issues = sort_issues(loaded.issues + future_dates(loaded.ledger, day), loaded)
    if not settings.show_pii:
        redact_reminders(result)
    writer = write_json if format_ == "json" else write_table
    writer(result, sys.stdout, ReportOptions(lang=settings.lang))
    sys.exit(exitcodes.UNUSABLE_INPUT if result.input_errors else exitcodes.OK)
