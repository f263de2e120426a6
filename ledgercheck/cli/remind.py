"""`ledgercheck remind FILE`: elections, probation, meetings and dues that fall due soon, soonest first."""

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
    handle_errors,
    lang_option,
    ledger_files,
    limit_option,
    options,
    org_option,
    rules_option,
    selection_options,
    show_pii_option,
)
from ledgercheck.reporters import formats


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_FOLDER…")
@click.option("--as-of", type=DateParam(), help="以哪一天为准，默认今天 / the date to count from (default: today)")
@click.option("--within", default="90d", show_default=True, metavar="90d|3m|6m",
              help="提醒多长时间内到期的事项 / how far ahead to look (d days, w weeks, m months, y years)")
@click.option("--format", "format_", type=click.Choice(formats("remind")), default="table", show_default=True,
              help="输出格式 / output format")
@options(rules_option, selection_options, aliases_option, org_option, config_options)
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def remind(paths: tuple[Path, ...], within: str, format_: str, debug: bool, **flags: Any) -> None:
    """列出近期到期的事项：换届、预备党员转正、本月/本季度的会议、未缴党费 / what falls due soon.

    已逾期的事项也会列出。退出码 exit codes: 0 正常 / ok; 2 台账或规则无法使用 / unusable input.
    """
    from ledgercheck.app.horizon import parse_horizon
    from ledgercheck.cli.run import deliver
    from ledgercheck.cli.status import working
    from ledgercheck.common import exitcodes
    from ledgercheck.fileio.names import escape_undecodable
    from ledgercheck.reporters.base import ReportOptions

    settings = configured(**flags)
    horizon = parse_horizon(within)
    files = ledger_files(paths)
    with working(" + ".join(escape_undecodable(str(path)) for path in files), settings):
        result = context_of(settings).remind(files[0] if len(files) == 1 else files, horizon)
    deliver("remind", result, format_, ReportOptions(lang=settings.lang))
    sys.exit(exitcodes.UNUSABLE_INPUT if result.input_errors else exitcodes.OK)
