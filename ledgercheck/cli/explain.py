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
    from rich.text import Text as RichText

    from ledgercheck.app.explain import explain as build
    from ledgercheck.app.explain import rule_list
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.reporters.base import ReportOptions
    from ledgercheck.reporters.terminal import GAP, INDENT, Grid, column_width, console, emit, head_line, lines_of, para

    settings = configured(**flags)
    lang = settings.lang
    rulebook = context_of(settings).rulebook
    if list_:
        rows = rule_list(rulebook, lang)
        titles = Text("规则|级别|标题", "Rule|Severity|Title")(lang).split("|")
        with console(sys.stdout, ReportOptions(lang=lang)) as (out, cells):
            grid = Grid([column_width((r[0] for r in rows), titles[0]), column_width((r[1] for r in rows), titles[1])],
                        cells, 24, titles, indent=0)
            lines = grid.header() if grid.fits else []
            for rule, severity, title in rows:
                lines += grid.row([[para(rule, "bold")], [para(severity)], [para(title)]]) if grid.fits else \
                    head_line([(rule, "bold"), (severity, ""), (title, "")], None, cells, 0)
            emit(out, lines)
        return
    if not rule_id:
        raise UsageError(Text("请给出规则编号，例如 ledgercheck explain MEET-COMMITTEE-MONTHLY（--list 列出全部规则）",
                              "give a rule id, e.g. ledgercheck explain MEET-COMMITTEE-MONTHLY (--list lists them)"))
    explanation = build(rulebook, rule_id, lang)
    with console(sys.stdout, ReportOptions(lang=lang)) as (out, cells):
        lines = lines_of([para(explanation.title, "bold")], cells, 0, INDENT)
        for section in explanation.sections:
            lines += [RichText(""), *lines_of([para(section.heading(lang), "bold")], cells)]
            for line in section.lines:  # a line's own indent (a note under a citation) is kept
                lines += lines_of([para(line.strip())], cells, INDENT + len(line) - len(line.lstrip(" ")))
            if section.table:
                titles = Text("参数|取值|含义", "Parameter|Value|Meaning")(lang).split("|")
                names = column_width((r[0] for r in section.table), titles[0])
                values = [[para(part) for part in value.split("; ")] for _n, value, _m in section.table]  # an entry a line
                half = max(24, (cells - INDENT - names - 2 * GAP) // 2)
                grid = Grid([names, column_width((p.text for v in values for p in v), titles[1], half)], cells, 20,
                            titles)
                if grid.fits:
                    lines += grid.header()
                for (name, _v, meaning), value in zip(section.table, values):
                    if grid.fits:
                        lines += grid.row([[para(name)], value, [para(meaning)]])
                    else:  # a narrow terminal: the parameter, its value and meaning under it
                        lines += lines_of([para(name)], cells, INDENT)
                        lines += lines_of(value, cells, INDENT + GAP) + lines_of([para(meaning, "dim")], cells,
                                                                                  INDENT + GAP)
        emit(out, lines)

