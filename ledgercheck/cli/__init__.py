"""Command-line interface. Commands are imported only when used, so `--help` starts fast."""

from __future__ import annotations

import importlib
from gettext import gettext
from typing import Any

import click

from ledgercheck import __version__
from ledgercheck.cli.help import Context, use_cell_help
from ledgercheck.cli.usage import localized_usage_errors

COMMANDS = {
    "audit": "ledgercheck.cli.audit:audit",
    "diff": "ledgercheck.cli.diff:diff",
    "explain": "ledgercheck.cli.explain:explain",
    "history": "ledgercheck.cli.history:history",
    "inspect": "ledgercheck.cli.inspect:inspect",
    "remind": "ledgercheck.cli.remind:remind",
    "template": "ledgercheck.cli.template:template",
    "rules": "ledgercheck.cli.rules:rules",
    "scan": "ledgercheck.cli.scan:scan",
    "serve": "ledgercheck.cli.serve:serve",
}


# Each command's summary (the first paragraph of its help) for `ledgercheck --help`, so that listing the
# commands imports none of their modules; tests/test_startup_imports.py checks them against the commands.
SUMMARIES = {
    "audit": "检查一个单位的台账 / audit one unit's ledger (.xlsx, .xls, .ods).",
    "diff": '比较两次审计的 JSON 输出，按组织列出新增、未整改、已整改的问题 / compare two JSON outputs of `ledgercheck audit --format json`: new, still open and resolved findings per organization.',
    "explain": '解释一条规则：依据、检查内容、参数和改正方法 / explain a rule (or an INPUT-… code).',
    "history": '检查历史：各轮次，以及两轮之间各单位的变化 / scan history: the rounds, and how units moved between two.',
    "inspect": '查看台账是怎样被识别的：每张表读作什么、每一列读作哪一项、依据是什么 / show how each sheet and column of a ledger was understood, and why.',
    "remind": '列出近期到期的事项：换届、预备党员转正、本月/本季度的会议、未缴党费 / what falls due soon.',
    "template": '生成空白台账模板（含下拉列表、日期格式和填表说明）/ write a blank ledger template (.xlsx).',
    "rules": '查看规则包、运行规则用例 / inspect rule packs and run their rule cases.',
    "scan": '批量检查多个单位的台账并汇总 / audit many unit workbooks and summarize them.',
    "serve": '打开检查台账的网页：在浏览器中上传台账、查看结果、下载标注副本 / serve the web page: upload a ledger in a browser, read the result, download the marked-up copy.',
}


class LazyGroup(click.Group):
    context_class = Context  # help pages measured in terminal cells (cli/help.py)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands with their summaries, shortened to the width as click shortens a command's own help."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)) for name in names]
        with formatter.section(gettext("Commands")):
            formatter.write_dl(rows)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with localized_usage_errors():  # click's usage errors in the user's language (cli/usage.py)
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with localized_usage_errors():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return use_cell_help(getattr(importlib.import_module(module), attr))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ledgercheck")
def main() -> None:
    """ledgercheck：按党内法规检查党建工作台账（三会一课、换届、组织设置、台账要素）。

    Check Party-building ledgers against the regulations. Run `ledgercheck audit 台账.xlsx`.
    """
