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
    """列出规则：编号、级别、依据、标题 / list rules: id, severity, citation, title (those in force, after the
    configuration's selection and overrides)."""
    from ledgercheck.common.i18n import Text
    from ledgercheck.reporters.base import ReportOptions
    from ledgercheck.reporters.terminal import GAP, Grid, column_width, console, emit, head_line, lines_of, para

    settings = configured(**flags)
    book = context_of(settings).rulebook
    lang = settings.lang
    rows = [(rule.id, rule.severity.label(lang), book.citation(rule, short=True)(lang), rule.title.text()(lang))
            for rule in (loaded.rule for loaded in book.rules.values())]
    titles = Text("规则|级别|依据|标题", "Rule|Severity|Citation|Title")(lang).split("|")
    basis = Text("依据：", "Basis: ")(lang)
    widths = [column_width((r[0] for r in rows), titles[0]), column_width((r[1] for r in rows), titles[1])]
    widest = [column_width(r[2] for r in rows), column_width(r[3] for r in rows)]
    with console(sys.stdout, ReportOptions(lang=lang)) as (out, cells):
        room = cells - sum(widths) - 3 * GAP - widest[1]  # the citation column takes what the titles leave
        wide = Grid([*widths, min(widest[0], max(room, 30))], cells, 24, titles, indent=0)
        narrow = Grid(widths, cells, 24, [titles[0], titles[1], titles[3]], indent=0)
        lines = (wide if wide.fits else narrow).header() if narrow.fits else []
        for rule_id, severity, citation, title in rows:
            if wide.fits:
                lines += wide.row([[para(rule_id, "bold")], [para(severity)], [para(citation)], [para(title)]])
                continue
            if narrow.fits:  # the citation under the rule
                lines += narrow.row([[para(rule_id, "bold")], [para(severity)], [para(title)]])
            else:
                lines += head_line([(rule_id, "bold"), (severity, ""), (title, "")], None, cells, 0)
            lines += lines_of([para(basis + citation, "dim")], cells, GAP, GAP)
        lines += lines_of([para(Text(f"共{len(book.rules)}条规则", f"{len(book.rules)} rules")(lang))], cells)
        emit(out, lines)


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
    from ledgercheck.common.i18n import Lang, Text
    from ledgercheck.rulebook.loader import load_rulebook

    book = load_rulebook(pack)
    outcomes = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in case_files(book):
            outcomes += run_case_file(path, book, Path(tmp))
    failed = [o for o in outcomes if not o.passed]
    language: Lang = "en" if lang == "en" else "zh"
    for outcome in failed:
        click.echo(Text(f"失败 {outcome.name}（{outcome.file}:{outcome.line}）",
                        f"FAILED {outcome.name} ({outcome.file}:{outcome.line})")(language))
        for problem in outcome.problems:
            click.echo(f"    {problem(language)}")
    kinds: dict[str, set[bool]] = {}
    for outcome in outcomes:
        kinds.setdefault(outcome.rule_id, set()).add(not outcome.expect_empty)
    gaps = standard_problems(book, kinds)
    for gap in gaps:
        click.echo(Text(f"失败 {gap.zh}", f"FAILED {gap.en}")(language))
    passed = len(outcomes) - len(failed)
    click.echo(Text(f"用例通过{passed}个，失败{len(failed) + len(gaps)}个",
                    f"{passed} passed, {len(failed) + len(gaps)} failed")(language))
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
    from ledgercheck.common.i18n import Text

    changed = write(write_to)
    said = Text("已更新", "updated") if changed else Text("已是最新", "up to date")
    click.echo(f"{write_to}: {said('en' if lang == 'en' else 'zh')}", err=True)
