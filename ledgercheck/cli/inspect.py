"""`ledgercheck inspect FILE…`: how each sheet and column was understood; optionally an alias file to edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ledgercheck.cli.common import (
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
    show_pii_option,
)
from ledgercheck.reporters import formats


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE_OR_FOLDER…")
@click.option("--format", "format_", type=click.Choice(formats("inspect")), default="table", show_default=True,
              help="输出格式 / output format")
@click.option("--write-aliases", "aliases_out", type=click.Path(path_type=Path, dir_okay=False), metavar="ALIASES.yaml",
              help="把识别结果写成别名文件，修改后用 --aliases 传回 / write what was understood as an alias file to edit "
                   "and pass back with --aliases")
@options(aliases_option, org_option, config_options)
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def inspect(paths: tuple[Path, ...], format_: str, aliases_out: Path | None, debug: bool, **flags: Any) -> None:
    """查看台账是怎样被识别的：每张表读作什么、每一列读作哪一项、依据是什么 / show how each sheet and column of a
    ledger was understood, and why.

    例 example: ledgercheck inspect 台账.xlsx --write-aliases 别名.yaml

    退出码 exit codes: 0 全部读入 / everything was read; 2 有表或列未能读入 / a sheet or column could not be used.
    """
    from ledgercheck.app.inspect import inspect as build
    from ledgercheck.cli.run import deliver
    from ledgercheck.common import exitcodes
    from ledgercheck.common.i18n import Text
    from ledgercheck.reporters.base import ReportOptions

    settings = configured(**flags)
    files = ledger_files(paths)
    inspection = build(context_of(settings), files)
    deliver("inspect", inspection, format_, ReportOptions(lang=settings.lang))
    if aliases_out is not None:
        from ledgercheck.fileio.atomic import write_atomic

        write_atomic(aliases_out, inspection.aliases.encode("utf-8"), files)
        click.echo(Text(f"已写出别名文件：{aliases_out}", f"Wrote the alias file: {aliases_out}")(settings.lang), err=True)
    sys.exit(exitcodes.UNUSABLE_INPUT if any(i.level == "error" for i in inspection.issues) else exitcodes.OK)
