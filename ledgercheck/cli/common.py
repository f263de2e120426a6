"""Options and error handling shared by the commands."""

from __future__ import annotations

import datetime as dt
import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ledgercheck.common import exitcodes
from ledgercheck.common.i18n import Lang, Text

if TYPE_CHECKING:
    from ledgercheck.app.config import Settings
    from ledgercheck.app.context import Context

F = TypeVar("F", bound=Callable[..., Any])

# Ctrl-C outside the scan's own handling (while a report or the notices are written, during an audit): exit 130,
# as the docs say, not click's "Aborted!" and 1, which a pipeline reads as findings.
STOPPED = Text("已中断（Ctrl-C）：正在写出的文件没有写出，此前写出的文件不受影响",
               "interrupted (Ctrl-C): the file being written was not written; files written before are kept")
INTERNAL = Text("内部错误（这是 ledgercheck 的缺陷，请报告；加 --debug 查看详情）",
                "internal error (a bug in ledgercheck; please report it; --debug shows details)")


class DateParam(click.ParamType):
    """A date in any spelling the ledgers use: 2025-01-31, 2025/1/31, 2025年1月31日."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ledgercheck.ingest.coerce import CellError, to_date

        try:
            return to_date(str(value))
        except CellError:
            message = Text(f"「{value}」不是日期，请写作 2025-01-31", f"{value!r} is not a date; write 2025-01-31")
            self.fail(message(current_lang(ctx)), param, ctx)


def current_lang(ctx: click.Context | None) -> Lang:
    """--lang is eager, so it is known while the other options are converted."""
    lang = ctx.params.get("lang") if ctx is not None else None
    return "en" if lang == "en" else "zh"


lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default=None, is_eager=True,
                           help="输出语言，默认 zh / output language (default: zh)")
_LANG_KEY = "ledgercheck.lang"


def remember_lang(lang: Lang) -> None:
    """The language the configuration chose, for errors raised after it was read."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_LANG_KEY] = lang


def configured(**flags: Any) -> Settings:
    """Settings for a command: the configuration file (.ledgercheck.yaml …) under its flags.

    `flags` are CliOptions fields by name (rules, as_of, select, waivers, …); every command resolves its settings
    here, so each reads the same configuration the same way.
    """
    from ledgercheck.app.config import CliOptions, resolve

    settings = resolve(CliOptions(**flags))
    remember_lang(settings.lang)
    remember_show_pii(settings.show_pii)
    return settings


def context_of(settings: Settings, baseline: Path | None = None) -> Context:
    """The composition root every command runs on (app/context.py)."""
    from ledgercheck.app.context import Context

    return Context.build(settings, baseline)


def _error_lang(kwargs: dict[str, Any]) -> Lang:
    ctx = click.get_current_context(silent=True)
    configured = ctx.meta.get(_LANG_KEY) if ctx is not None else None
    return kwargs.get("lang") or configured or "zh"
config_options = [
    click.option("--config", type=click.Path(path_type=Path, dir_okay=False),
                 help="配置文件，默认向上查找 .ledgercheck.yaml 或 pyproject.toml / configuration file (default: "
                      "the nearest .ledgercheck.yaml or pyproject.toml [tool.ledgercheck])"),
    click.option("--no-config", is_flag=True, help="不读取配置文件 / ignore configuration files"),
]
rules_option = click.option("--rules", "rules", metavar="PACK_OR_DIR",
                            help="规则包名称或文件夹，默认 national / built-in rule pack name or pack folder "
                                 "(default: national)")
aliases_option = click.option("--aliases", "aliases", multiple=True, type=click.Path(path_type=Path),
                              help="补充的表头/取值别名 YAML 文件 / extra alias table (YAML)")
selection_options = [
    click.option("--select", multiple=True, metavar="ID_OR_PREFIX",
                 help="只运行这些规则（编号或前缀，如 MEET-）/ run only these rules (id or prefix, e.g. MEET-)"),
    click.option("--ignore", multiple=True, metavar="ID_OR_PREFIX",
                 help="不运行这些规则（编号或前缀）/ skip these rules (id or prefix)"),
]
FAIL_ON = ("error", "warning", "info", "never")
fail_on_option = click.option("--fail-on", type=click.Choice(FAIL_ON),
                              help="达到该级别的问题使退出码为1，默认 error / exit 1 on findings at or above this "
                                   "severity (default: error)")
org_option = click.option("--org", metavar="ID_OR_NAME",
                          help="没有组织列的表属于哪个组织（组织编号或名称；没有「组织」表时为党支部名称）/ the "
                               "organization of sheets without an organization column")
waivers_option = click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False),
                              help="豁免清单 YAML / waiver file (YAML)")


def options(*decorators: Any) -> Callable[[F], F]:
    """Apply several click options (or lists of them) in the order written."""
    flat = [d for item in decorators for d in (item if isinstance(item, list) else [item])]

    def apply(func: F) -> F:
        for decorator in reversed(flat):
            func = decorator(func)
        return func

    return apply


debug_option = click.option("--debug", is_flag=True, help="出错时显示完整的调用栈 / show tracebacks")
show_pii_option = click.option("--show-pii/--mask-pii", "show_pii", default=None,
                               help="完整显示身份证号和电话号码（默认打码，如 110108********1234）/ print ID and phone "
                                    "numbers in full (masked by default: 110108********1234)")
limit_option = click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
                            help="调整读取上限，如 max-rows=800000、max-file-size=500MB（见 docs/config.md）/ raise or "
                                 "lower a reading limit (max-file-size, max-unpacked-size, max-compression-ratio, "
                                 "max-parts, max-rows, max-cells, max-seconds)")
_PII_KEY = "ledgercheck.show_pii"


def remember_show_pii(show: bool) -> None:
    """Whether the configuration asked for ID numbers in full, for errors raised after it was read."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_PII_KEY] = show


def _error_show_pii(kwargs: dict[str, Any]) -> bool:
    if kwargs.get("show_pii") is not None:
        return bool(kwargs["show_pii"])
    ctx = click.get_current_context(silent=True)
    return bool(ctx.meta.get(_PII_KEY)) if ctx is not None else False


def handle_errors(func: F) -> F:
    """Map user errors to a one-line message and exit 2; anything else is a bug, reported as such. A message may echo
    a cell, a sheet or a file name: ID and phone numbers are masked and control characters spelled out (`\x1b`)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ledgercheck.common.errors import LedgercheckError, require_stdout
        from ledgercheck.common.privacy import masker, printable

        try:
            if "output" in kwargs and kwargs["output"] is None:
                require_stdout()  # before the work, not after a scan of thousands of files
            return func(*args, **kwargs)
        except LedgercheckError as exc:  # a message may echo a cell: an ID number is masked here too
            click.echo(printable(masker(_error_show_pii(kwargs))(exc.describe(_error_lang(kwargs)))), err=True)
            sys.exit(exitcodes.UNUSABLE_INPUT)
        except KeyboardInterrupt:
            click.echo(STOPPED(_error_lang(kwargs)), err=True)
            sys.exit(exitcodes.INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no bare traceback for users
            if kwargs.get("debug"):
                traceback.print_exc()
            mask = masker(_error_show_pii(kwargs))
            click.echo(printable(mask(f"{INTERNAL(_error_lang(kwargs))}: {type(exc).__name__}: {exc}")), err=True)
            sys.exit(exitcodes.UNUSABLE_INPUT)

    return cast(F, wrapper)


def ledger_files(paths: tuple[Path, ...]) -> list[Path]:
    """The workbooks of one unit's ledger: the files given, and the workbooks in a folder given (sorted)."""
    import os

    from ledgercheck.ingest.formats import found_workbook

    found: list[Path] = []
    for path in paths:
        if path.is_dir():  # workbooks, and files without a suffix that are workbooks (formats.found_workbook)
            found += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))
                            and found_workbook(p))
        else:
            if not path.is_file() and os.path.lexists(path):  # a FIFO, a link to /dev/zero, a symlink loop:
                from ledgercheck.ingest.loader import require_regular  # refused before anything opens it

                require_regular(path, str(path))
            found.append(path)
    return found
