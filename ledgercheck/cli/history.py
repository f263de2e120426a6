"""`ledgercheck history FILE.db`: the rounds a scan history holds, and how units moved between two of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ledgercheck.cli.common import debug_option, handle_errors, lang_option
from ledgercheck.common.i18n import Text

NO_FILE = Text("找不到检查历史文件（用 ledgercheck scan … --history 文件 记录）",
               "no such history file (record one with ledgercheck scan … --history FILE)")
TOO_FEW = Text("至少要有两个完成的检查轮次才能比较", "comparing needs at least two complete rounds")
NO_ROUND = Text("没有第{id}轮", "there is no round #{id}")
NONE_BEFORE = Text("第{id}轮之前没有完成的轮次，无法比较（用 --from 指定）",
                   "no complete round before round #{id} to compare it with (name one with --from)")
NOT_EARLIER = Text("--from 的轮次（第{before}轮）要早于 --to 的轮次（第{now}轮）",
                   "--from (round #{before}) must be earlier than --to (round #{now})")
NOT_COMPLETE = Text("第{id}轮没有完成（中断的轮次不参与比较）", "round #{id} is not complete (interrupted rounds are "
                    "never compared)")


class _DefaultList(click.Group):
    """`history FILE.db` means `history list FILE.db`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["list", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultList, context_settings={"help_option_names": ["-h", "--help"]})
def history() -> None:
    """检查历史：各轮次，以及两轮之间各单位的变化 / scan history: the rounds, and how units moved between two.

    例 example: ledgercheck history 检查历史.db；ledgercheck history compare 检查历史.db
    """


def _open(path: Path) -> Any:
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.location import Location
    from ledgercheck.findings.scan.history import History, HistoryError

    if not path.exists():  # a folder is History's to refuse, saying so
        raise UsageError(NO_FILE, Location(str(path)))
    try:
        return History(path)
    except HistoryError as exc:
        raise unusable(exc.reason, path) from None


def unusable(why: Text, path: Path) -> Any:
    """The UsageError for a history file that cannot be used, naming it (history commands and scan --history)."""
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.location import Location

    return UsageError(Text(f"无法使用检查历史文件：{why.zh}", f"cannot use the history file: {why.en}"),
                      Location(str(path)))


def _options(lang: str | None) -> Any:
    from ledgercheck.cli.common import configured
    from ledgercheck.reporters.base import ReportOptions

    return ReportOptions(lang=configured(lang=lang).lang)


@history.command("list")
@click.argument("path", type=click.Path(path_type=Path), metavar="FILE.db")
@click.option("--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@lang_option
@debug_option
@handle_errors
def list_rounds(path: Path, format_: str, lang: str | None, debug: bool) -> None:
    """列出检查轮次 / list the rounds."""
    from ledgercheck.cli.run import deliver

    with _open(path) as store:
        deliver("rounds", store.rounds(), format_, _options(lang))


@history.command("compare")
@click.argument("path", type=click.Path(path_type=Path), metavar="FILE.db")
@click.option("--from", "before", type=int, metavar="ROUND", help="上一轮（默认：本轮之前最近的完成轮次）/ earlier round")
@click.option("--to", "now", type=int, metavar="ROUND", help="本轮（默认：最近的完成轮次）/ later round")
@click.option("--format", "format_", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式 / output format")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="写入文件 / write to FILE")
@lang_option
@debug_option
@handle_errors
def compare_rounds(path: Path, before: int | None, now: int | None, format_: str, output: Path | None,
                   lang: str | None, debug: bool) -> None:
    """比较两个轮次：得分变化、新增/未整改/已整改、整改率、红黑榜升降、规则达标率趋势 / compare two rounds."""
    from ledgercheck.cli.run import deliver
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.location import Location
    from ledgercheck.findings.scan.movement import caveats, compare, previous_round

    where = Location(str(path))
    with _open(path) as store:
        rounds = {r.id: r for r in store.rounds()}
        complete = [r for r in rounds.values() if r.complete]
        for chosen in (before, now):
            if chosen is not None and chosen not in rounds:
                raise UsageError(NO_ROUND.format(id=chosen), where)
            if chosen is not None and not rounds[chosen].complete:
                raise UsageError(NOT_COMPLETE.format(id=chosen), where)
        if now is None:
            if not complete:
                raise UsageError(TOO_FEW, where)
            now = complete[-1].id
        if before is None:
            earlier = previous_round(store, now)
            if earlier is None:
                raise UsageError(TOO_FEW if len(complete) < 2 else NONE_BEFORE.format(id=now), where)
            before = earlier.id
        if before >= now:  # a comparison runs forward in time: what was open then, what is resolved now
            raise UsageError(NOT_EARLIER.format(before=before, now=now), where)
        for note in caveats(rounds[before], rounds[now]):
            click.echo(note(_options(lang).lang), err=True)
        deliver("movement", compare(store, before, now), format_, _options(lang), output)
    sys.exit(0)
