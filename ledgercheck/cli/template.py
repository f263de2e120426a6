"""`ledgercheck template OUT.xlsx`: write a blank ledger workbook to fill in by hand."""

from __future__ import annotations

from pathlib import Path

import click

from ledgercheck.cli.common import configured, debug_option, handle_errors, lang_option
from ledgercheck.common.i18n import Text

WROTE = Text("已生成台账模板：{path}\n先阅读「填表说明」工作表；填好后运行 ledgercheck audit {path} 检查。",
             "Wrote the ledger template: {path}\nRead the 填表说明 (instructions) sheet first; when it is filled "
             "in, run ledgercheck audit {path}.")
EXISTS = Text("文件已存在，加 --force 覆盖", "the file exists; add --force to overwrite it")


@click.command()
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="覆盖已存在的文件 / overwrite an existing file")
@lang_option
@debug_option
@handle_errors
def template(out: Path, force: bool, lang: str | None, debug: bool) -> None:
    """生成空白台账模板（含下拉列表、日期格式和填表说明）/ write a blank ledger template (.xlsx)."""
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.location import Location
    from ledgercheck.template.blank import write_template

    lang = configured(lang=lang).lang
    if out.exists() and not force:
        raise UsageError(EXISTS, Location(str(out)))
    write_template(out, lang)
    click.echo(WROTE.format(path=str(out))(lang))
