"""`ledgercheck explain RULE_ID`: the regulation behind a rule, what it checks, its parameters, how to fix."""

from __future__ import annotations

import sys
from typing import Any

import click

from ledgercheck.cli.common import (
    config_options,
    configured,
    context_of,
    debug_option,
    handle_errors,
    lang_option,
    options,
    rules_option,
)


@click.command()
@click.argument("rule_id", required=False)
@click.option("--list", "list_", is_flag=True, help="列出全部规则 / list every rule")
@options(rules_option, config_options)
@lang_option
@debug_option
@handle_errors
def explain(rule_id: str | None, list_: bool, debug: bool, **flags: Any) -> None:
    """解释一条规则：依据、检查内容、参数和改正方法 / explain a rule (or an INPUT-… code).

    例 example: ledgercheck explain MEET-COMMITTEE-MONTHLY
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text as RichText

    from ledgercheck.app.explain import explain as build
    from ledgercheck.app.explain import rule_list
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text

    settings = configured(**flags)
    lang = settings.lang
    rulebook = context_of(settings).rulebook
    console = Console(file=sys.stdout, highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 110)
    if list_:
        table = Table(box=box.SIMPLE_HEAD)
        for title in Text("规则|级别|标题", "Rule|Severity|Title")(lang).split("|"):
            table.add_column(title, overflow="fold")
        for row in rule_list(rulebook, lang):
            table.add_row(*(RichText(c) for c in row))
        console.print(table)
        return
    if not rule_id:
        raise UsageError(Text("请给出规则编号，例如 ledgercheck explain MEET-COMMITTEE-MONTHLY（--list 列出全部规则）",
                              "give a rule id, e.g. ledgercheck explain MEET-COMMITTEE-MONTHLY (--list lists them)"))
    explanation = build(rulebook, rule_id, lang)
    console.print(explanation.title, style="bold", markup=False)
    for section in explanation.sections:
        console.print(f"\n[bold]{section.heading(lang)}[/bold]")
        for line in section.lines:
            console.print(f"  {line}", overflow="fold", markup=False)
        if section.table:
            table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), expand=False)
            for title in Text("参数|取值|含义", "Parameter|Value|Meaning")(lang).split("|"):
                table.add_column(title, overflow="fold")
            for row in section.table:
                table.add_row(*(RichText(c) for c in row))
            console.print(table)
