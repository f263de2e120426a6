"""Command-line interface. Commands are imported only when used, so `--help` starts fast."""

from __future__ import annotations

import importlib
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


class LazyGroup(click.Group):
    context_class = Context  # help pages measured in terminal cells (cli/help.py)

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
