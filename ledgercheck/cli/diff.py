"""`ledgercheck diff OLD.json NEW.json`: the rectification status between two audits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ledgercheck.reporters import formats

if TYPE_CHECKING:
    from ledgercheck.common.i18n import Lang
from ledgercheck.cli.common import debug_option, handle_errors, lang_option, show_pii_option


@click.command()
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "format_", type=click.Choice(formats("rectification")), default="table",
              show_default=True, help="输出格式 / output format")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="写入文件（原子写入）/ write to FILE (atomically)")
@click.option("--fail-on-new", is_flag=True, help="有新增（且未豁免）的问题时退出码为1 / exit 1 when there are new, "
                                                  "unwaived findings")
@show_pii_option
@lang_option
@debug_option
@handle_errors
def diff(old: Path, new: Path, format_: str, output: Path | None, fail_on_new: bool, show_pii: bool | None,
         lang: str | None, debug: bool) -> None:
    """比较两次审计的 JSON 输出，按组织列出新增、未整改、已整改的问题 / compare two JSON outputs of
    `ledgercheck audit --format json`: new, still open and resolved findings per organization.

    退出码 exit codes: 0; 1 有新增问题（仅 --fail-on-new）/ new findings (only with --fail-on-new);
    2 文件无法使用 / a file could not be used.
    """
    from ledgercheck.cli.run import deliver
    from ledgercheck.common import exitcodes
    from ledgercheck.common.privacy import mask_value
    from ledgercheck.reporters.base import ReportOptions
    from ledgercheck.review.baseline import load_baseline, rectification

    language: Lang = "en" if lang == "en" else "zh"
    documents = [load_baseline(old), load_baseline(new)]
    if not show_pii:  # outputs written with --show-pii hold full ID numbers; this report does not
        documents = [mask_value(d) for d in documents]
    rect = rectification(*documents)
    deliver("rectification", rect, format_, ReportOptions(lang=language), output, (old, new))
    new_findings = [f for f in rect.findings if f["baseline_state"] == "new" and not f.get("waiver")]
    sys.exit(exitcodes.FINDINGS if fail_on_new and new_findings else exitcodes.OK)
