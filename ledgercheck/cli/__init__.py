"""Command-line interface. Commands are imported only when used, so `--help` starts fast."""

from __future__ import annotations

import importlib

import click

from ledgercheck import __version__

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
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ledgercheck")
def main() -> None:
    """ledgercheck：按党内法规检查党建工作台账（三会一课、换届、组织设置、台账要素）。

    Check Party-building ledgers against the regulations. Run `ledgercheck audit 台账.xlsx`.
    """
