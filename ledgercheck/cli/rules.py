"""`ledgercheck rules list | show ID | test [PACK] | docs`: look at rule packs and run their rule cases."""

from __future__ import annotations

import sys
from pathlib import Path
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
    selection_options,
)
from ledgercheck.common import exitcodes


@click.group()
def rules() -> None:
    """查看规则包、运行规则用例 / inspect rule packs and run their rule cases."""


@rules.command("list")
@options(rules_option, selection_options, config_options)
@lang_option
@debug_option
@handle_errors
def list_(debug: bool, **flags: Any) -> None:
    """列出规则：编号、级别、依据、标题 / list rules with severity, citation and title (those in force: the
    configuration's selection and overrides apply)."""
    from rich.console import Console
    from rich.table import Table

    settings = configured(**flags)
    book = context_of(settings).rulebook
    lang = settings.lang
    en = lang == "en"
    table = Table(box=None, header_style="bold", pad_edge=False)
    for title in (("rule", "severity", "citation", "title") if en else ("规则", "级别", "依据", "标题")):
        table.add_column(title, overflow="fold")
    for loaded in book.rules.values():
        rule = loaded.rule
        table.add_row(rule.id, rule.severity.label(lang), book.citation(rule, short=True)(lang), rule.title.text()(lang))
    console = Console(width=160, soft_wrap=False, highlight=False)
    console.print(table)
    console.print(f"{len(book.rules)} rules" if en else f"共{len(book.rules)}条规则")


@rules.command()
@click.argument("rule_id")
@options(rules_option, config_options)
@lang_option
@debug_option
@handle_errors
def show(rule_id: str, debug: bool, **flags: Any) -> None:
    """显示一条规则的参数、依据、说明和用例 / show a rule's parameters, rationale and examples."""
    from ledgercheck.app.reference import rule_section

    book = context_of(configured(**flags)).rulebook.select([rule_id.upper()])
    click.echo(rule_section(book, book.rules[rule_id.upper()]))


@rules.command()
@click.argument("pack", required=False, default="national")
@lang_option
@debug_option
@handle_errors
def test(pack: str, lang: str, debug: bool) -> None:
    """运行规则包的规则用例 / run a pack's rule cases (PACK: name or folder, default national).

    退出码 exit codes: 0 全部通过 / all pass; 1 有用例失败 / a case failed; 2 用例文件或规则包有误 / a case
    file or the pack is malformed.
    """
    import tempfile

    from ledgercheck.app.cases import case_files, run_case_file, standard_problems
    from ledgercheck.rulebook.loader import load_rulebook

    book = load_rulebook(pack)
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in case_files(book):
            outcomes += run_case_file(path, book, Path(tmp))
    failed = [o for o in outcomes if not o.passed]
    for outcome in failed:
        click.echo(f"FAILED {outcome.name} ({outcome.file}:{outcome.line})")
        for problem in outcome.problems:
            click.echo(f"    {problem}")
    kinds: dict[str, set[bool]] = {}
    for outcome in outcomes:
        kinds.setdefault(outcome.rule_id, set()).add(not outcome.expect_empty)
    gaps = standard_problems(book, kinds)
    for gap in gaps:
        click.echo(f"FAILED {gap}")
    passed = len(outcomes) - len(failed)
    click.echo(f"{passed} passed, {len(failed) + len(gaps)} failed")
    sys.exit(exitcodes.FINDINGS if failed or gaps else exitcodes.OK)


@rules.command()
@click.option("--write", "write_to", type=click.Path(path_type=Path), help="写入文件 / write to this file")
@lang_option
@debug_option
@handle_errors
def docs(write_to: Path | None, lang: str, debug: bool) -> None:
    """生成规则参考文档（docs/rules.md）/ generate the rules reference (docs/rules.md)."""
    from ledgercheck.app.reference import generate, write

    if write_to is None:
        click.echo(generate(), nl=False)
        return
    changed = write(write_to)
    click.echo(f"{write_to}: {'updated' if changed else 'up to date'}", err=True)
