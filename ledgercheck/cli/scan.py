"""`ledgercheck scan DIR_OR_GLOB...`: audit many unit workbooks in parallel and summarize them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NamedTuple

import click

from ledgercheck.cli.common import (
    DateParam,
    aliases_option,
    config_options,
    configured,
    context_of,
    debug_option,
    fail_on_option,
    handle_errors,
    lang_option,
    limit_option,
    options,
    rules_option,
    selection_options,
    show_pii_option,
    waivers_option,
)
from ledgercheck.reporters import formats


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="DIR_OR_GLOB...")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="并行进程数，默认为CPU核数 / worker processes (default: number of CPUs)")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="在哪里检查：local 本机进程池（默认）；dask 在 Dask 集群上（需 pip install 'ledgercheck[dask]'），"
                   "不指定 --scheduler 时在本机启动 --jobs 个工作进程的 LocalCluster / where the audits run: local "
                   "process pool (default) or a Dask cluster (needs the dask extra); without --scheduler, a "
                   "LocalCluster of --jobs worker processes on this machine")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask 调度器地址，如 tcp://10.0.0.5:8786（隐含 --executor dask；各工作进程须能以相同路径读取台账）"
                   " / the Dask scheduler's address (implies --executor dask; the workers must read the workbooks at "
                   "the same paths)")
@click.option("--as-of", type=DateParam(), help="审计截止日期，默认今天 / audit date (default: today)")
@click.option("--since", type=DateParam(), help="审计期间起始日期 / window start (default: per ledger)")
@click.option("--format", "format_", type=click.Choice(formats("scan")), default=None,
              help="报告格式，默认按 --output 的扩展名，否则 table / report format (default: from --output, else table)")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="报告文件；xlsx 必须指定 / write the report to this file (required for xlsx)")
@options(fail_on_option, waivers_option, selection_options, rules_option, aliases_option, config_options)
@click.option("--history", "history_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.db",
              help="把本次检查记为检查历史的一轮，并与上一轮比较 / record this scan as a round of a scan history "
                   "and compare it with the previous round")
@click.option("--round-label", metavar="TEXT", default="",
              help="本轮的名称，如「2026年第一季度督导」/ the round's name in the history")
@click.option("--scope", "round_scope", metavar="TEXT", default="",
              help="检查范围，如「平谷区」：一个历史文件记几个范围时，每轮只与同一范围的上一轮比较 / the round's scope "
                   "(平谷区): where one history keeps several, a round is compared with the last of its own")
@click.option("--notices", "notices_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="为每个有问题的单位写一份整改通知书（.docx）到该文件夹 / write a rectification notice (.docx) "
                   "for each unit with findings into DIR")
@click.option("--deadline", metavar="DATE_OR_DAYS",
              help="整改期限：日期（2026-03-31）或天数（30），默认30天 / rectification deadline: a date or a number "
                   "of days (default 30)")
@click.option("--issuer", metavar="TEXT", help="检查单位（通知书落款）/ the inspecting body named on the notices")
@click.option("--expected", "expected", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="应报单位名单（.xlsx、.csv 或每行一个单位的 .txt）：报告列出未报送的单位和名单外的文件 / the units "
                   "that should report (a workbook, CSV, or text file with a unit a line): the report lists those "
                   "that did not and the files the list lacks")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度 / no progress display")
@show_pii_option
@limit_option
@lang_option
@debug_option
@handle_errors
def scan(paths: tuple[str, ...], jobs: int | None, executor: str | None, scheduler: str | None, format_: str | None, output: Path | None, quiet: bool,
         debug: bool, history_path: Path | None, round_label: str, round_scope: str, notices_dir: Path | None,
         deadline: str | None, issuer: str | None, expected: Path | None, **flags: Any) -> None:
    """批量检查多个单位的台账并汇总 / audit many unit workbooks and summarize them.

    DIR_OR_GLOB: 文件夹（递归查找 .xlsx/.xls/.ods 等）、文件或通配符（如 "台账/**/*.xlsx"）/ folders
    (searched recursively), files or glob patterns. 与 audit 读取同样的配置文件（规则选择、参数、别名、豁免、上限）
    / reads the same configuration as audit (selection, overrides, aliases, waivers, limits).

    退出码 exit codes: 0 没有达到 --fail-on 级别的问题 / nothing at or above --fail-on; 1 有问题 / findings;
    2 有文件无法读取、有无法读取的单元格或检查出错 / a file or cells could not be read or a check crashed;
    130 被 Ctrl-C 中断 / interrupted; 143 被终止（SIGTERM）/ terminated.
    """
    from ledgercheck.cli.common import _error_lang
    from ledgercheck.common.gcpause import end_startup
    from ledgercheck.scan.runner import Terminated, on_termination

    end_startup()  # a scan of many files runs for long: the collector on (common/gcpause.py)

    try:
        with on_termination():  # SIGTERM (a cancelled CI job, `timeout`): the workers end, the store is removed
            _scan(paths, jobs, format_, output, quiet, flags,
                  Extras(history_path, round_label, notices_dir, deadline, issuer, executor, scheduler, expected,
                         round_scope))
    except Terminated as exc:
        from ledgercheck.common.i18n import Text

        message = Text("检查被终止（收到终止信号）：工作进程已结束，临时文件已删除，没有写出报告",
                       "the scan was terminated (a termination signal): the workers were ended, the temporary files "
                       "removed, and no report was written")
        click.echo(message(_error_lang(flags)), err=True)
        sys.exit(128 + exc.signum)


class Extras(NamedTuple):
    """What a scan does beyond its report: the history round and the rectification notices."""

    history: Path | None = None
    label: str = ""
    notices: Path | None = None
    deadline: str | None = None
    issuer: str | None = None
    executor: str | None = None  # local (default) or dask
    scheduler: str | None = None
    expected: Path | None = None  # the list of units that should report
    scope: str = ""  # the history round's scope (平谷区): compared with the last round of the same scope


def _executor(extras: Extras) -> Any:
    """The executor the options ask for; --scheduler implies dask and contradicts an explicit local."""
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.scan.executor import Executor

    if extras.scheduler is not None and extras.executor == "local":
        raise UsageError(Text("--scheduler 只用于 --executor dask", "--scheduler is for --executor dask only"))
    kind = extras.executor or ("dask" if extras.scheduler is not None else "local")
    chosen = Executor(kind, extras.scheduler)  # type: ignore[arg-type]
    chosen.check()
    return chosen


def _scan(paths: tuple[str, ...], jobs: int | None, format_: str | None, output: Path | None, quiet: bool,
          flags: dict[str, Any], extras: Extras = Extras()) -> None:
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.exitcodes import INTERRUPTED, UNUSABLE_INPUT
    from ledgercheck.common.i18n import Text
    from ledgercheck.fileio.atomic import check_output
    from ledgercheck.findings.scan.store import ScanStore
    from ledgercheck.reporters import by_suffix, reporter
    from ledgercheck.review.policy import scan_exit_code
    from ledgercheck.scan.discover import discover
    from ledgercheck.scan.progress import make_progress
    from ledgercheck.scan.run import default_jobs
    from ledgercheck.scan.run import scan as run

    settings = configured(**flags)
    if format_ is None:
        format_ = (by_suffix("scan", output.suffix) or "table") if output else "table"
    if reporter("scan", format_).binary and output is None:
        raise UsageError(Text(f"{format_} 报告需要用 --output 指定文件", f"an {format_} report needs --output FILE"))
    context = context_of(settings)  # a broken rule pack or alias file stops here, not in every worker
    discovery = discover(list(paths))
    if extras.expected is not None:  # the list kept in the folder it lists is not a unit's ledger
        listed = extras.expected.resolve()
        discovery.files = [(path, display) for path, display in discovery.files if path.resolve() != listed]
    if not discovery.files:
        raise UsageError(Text("没有找到要检查的台账文件（.xlsx、.xls、.ods）", "no workbooks found (.xlsx, .xls, .ods)"),
                         detail=", ".join(paths))
    inputs = [path for path, _display in discovery.files]
    if output is not None:  # refused before the scan, not after it: one of the workbooks, a read-only folder …
        check_output(output, inputs)
    # A bad deadline stops here. Without --notices a deadline or issuer is for the HTML report's notice pages.
    terms = (_notice_terms(extras, docx=extras.notices is not None)
             if extras.notices is not None or extras.deadline or extras.issuer else None)
    executor = _executor(extras)  # Dask not installed stops here
    roll = _roll(extras.expected, settings.lang) if extras.expected is not None else None  # a bad list stops here
    history = _open_history(extras.history, settings.lang) if extras.history is not None else None
    progress = make_progress(len(discovery.files), settings.lang, quiet=quiet)
    with ScanStore() as store:
        writer = None
        if history is not None:
            from ledgercheck.cli.history import unusable
            from ledgercheck.findings.scan.history import HistoryError

            pack, version = context.rulebook.packs[-1]
            try:
                writer = history.begin(context.today, (settings.since, context.today), pack, version,
                                       scope=extras.scope.strip(), label=extras.label)
            except HistoryError as exc:  # readable, but not writable: before any file is audited
                raise unusable(exc.reason, history.path) from None
        try:
            report = run(discovery, context, jobs or default_jobs(), progress, store, writer, executor)
        except KeyboardInterrupt:  # a second Ctrl-C: stop without a report
            if writer is not None:
                writer.finish(complete=False)
                click.echo(_kept_interrupted(writer.id)(settings.lang), err=True)
            sys.exit(INTERRUPTED)
        if roll is not None:
            from ledgercheck.findings.scan.roll import ScannedUnit, check_roll

            # Files a Ctrl-C left unaudited count by their names: they were sent, only not checked.
            codes = _top_codes(store)
            scanned = [ScannedUnit(row.path, row.unit, codes.get(row.seq, ())) for row in store.files()]
            report.roll = check_roll(roll, scanned + [ScannedUnit(path, None) for path in report.unfinished])
        if writer is not None and history is not None:
            if report.roll is not None:  # the round keeps who was expected, and who reported for them
                label = report.roll.roll.label
                for entry, files in report.roll.reported:
                    writer.expect(label(entry), files[0].unit, files[0].path)
                for entry in report.roll.not_reported:
                    writer.expect(label(entry))
            writer.finish(complete=not report.outcome.interrupted)
            report.movement = _movement(history, writer.id, settings.lang)
            history.close()
        report.notice_terms = terms
        from ledgercheck.cli.run import deliver
        from ledgercheck.reporters.base import ReportOptions

        report_options = ReportOptions(lang=settings.lang, policy=settings.policy)
        written = output
        if output is None:
            deliver("scan", report, format_, report_options)
        else:
            written = _deliver_or_fall_back(report, format_, report_options, output, inputs, settings.lang)
            if format_ != "table" and sys.stdout.isatty():
                deliver("scan", report, "table", report_options)
            if written == output:
                message = Text(f"报告已写入 {output}", f"report written to {output}")
                click.echo(message(settings.lang), err=True)
        if report.outcome.interrupted:
            from ledgercheck.reporters.scan.table_ import interrupted_line

            click.echo(interrupted_line(report), err=True)
        if terms is not None and extras.notices is not None and not report.outcome.interrupted:
            from ledgercheck.reporters.notices import write_notices

            notes = write_notices(report, report.rules, extras.notices, terms=terms, protected=inputs,
                                  jobs=jobs or default_jobs())
            click.echo(notes.summary(settings.lang), err=True)
    code = scan_exit_code(report.totals, report.outcome.interrupted)
    if written != output and not report.outcome.interrupted:
        code = max(code, UNUSABLE_INPUT)  # the report is not where it was asked for
    sys.exit(code)


def _top_codes(store: Any) -> dict[int, tuple[str, ...]]:
    """Each file's top organizations' ids (its seq → ids), which a list of units' codes are matched with."""
    orgs: dict[int, list[Any]] = {}
    for org in store.orgs():
        orgs.setdefault(org.seq, []).append(org)
    codes = {}
    for seq, found in orgs.items():
        ids = {o.org_id for o in found}
        codes[seq] = tuple(o.org_id for o in found if o.parent_id is None or o.parent_id not in ids)
    return codes


def _notice_terms(extras: Extras, docx: bool = True) -> Any:
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.findings.notices import parse_deadline, terms_for
    from ledgercheck.reporters.notice_docx import require_docx

    try:
        deadline = parse_deadline(extras.deadline) if extras.deadline else None
    except ValueError:
        raise UsageError(Text(f"「{extras.deadline}」不是整改期限：请写日期（2026-03-31）或天数（30）",
                              f"{extras.deadline!r} is not a deadline: write a date (2026-03-31) or days (30)")) from None
    terms = terms_for(deadline, issuer=extras.issuer)
    problem = terms.problem()
    if problem is not None:
        raise UsageError(problem)
    if docx:
        require_docx()
    return terms


def _roll(path: Path, lang: Any) -> Any:
    """The list of units expected to report; what it passes over is said before the scan starts."""
    from ledgercheck.app.roll import load_roll

    roll, notes = load_roll(path)
    for note in notes:
        click.echo(note(lang), err=True)
    return roll


def _open_history(path: Path, lang: Any) -> Any:
    """The history file, created when new; a round an earlier scan left unfinished is reported once."""
    from ledgercheck.cli.history import unusable
    from ledgercheck.common.errors import reason
    from ledgercheck.common.i18n import Text
    from ledgercheck.findings.scan.history import History, HistoryError

    try:
        history = History(path)
    except (HistoryError, OSError) as exc:
        raise unusable(exc.reason if isinstance(exc, HistoryError) else reason(exc), path) from None
    for round_ in history.abandoned:
        message = Text(f"检查历史中第{round_.id}轮（{round_.started} 开始）没有完成（检查被中断），不参与比较",
                       f"round #{round_.id} of the history (started {round_.started}) did not finish (the scan was "
                       f"interrupted); it is never compared")
        click.echo(message(lang), err=True)
    return history


def _kept_interrupted(round_id: int) -> Any:
    from ledgercheck.common.i18n import Text

    return Text(f"已记为检查历史第{round_id}轮（检查被中断，不参与比较）",
                f"recorded as round #{round_id} of the history (interrupted: it is never compared)")


def _movement(history: Any, round_id: int, lang: Any) -> Any:
    """This round against the previous complete one, said in two lines; None for the first round."""
    from ledgercheck.common.i18n import Text
    from ledgercheck.findings.scan.movement import caveats, compare, previous_round

    before = previous_round(history, round_id)
    now = history.round(round_id)
    if now is not None and not now.complete:
        click.echo(_kept_interrupted(round_id)(lang), err=True)
        return None
    if before is None or now is None:
        if now is not None and now.complete:
            click.echo(Text(f"已记为检查历史第{round_id}轮（第一轮，下次检查时比较）",
                            f"recorded as round #{round_id} of the history (the first: compared next time)")(lang),
                       err=True)
        return None
    for note in caveats(before, now):  # a rescan of an earlier date, another rule pack: compared, and said
        click.echo(note(lang), err=True)
    comparison = compare(history, before.id, round_id)
    rate = comparison.rectification_rate
    counts = {t: len(comparison.by_trend(t)) for t in ("improved", "regressed", "missing")}
    shown = "—" if rate is None else f"{rate * 100:.1f}%"
    click.echo(Text(f"已记为检查历史第{round_id}轮；与第{before.id}轮相比：整改率{shown}，好转{counts['improved']}个单位，"
                    f"退步{counts['regressed']}个，未报送{counts['missing']}个（详见 ledgercheck history compare）",
                    f"recorded as round #{round_id}; against round #{before.id}: {shown} rectified, "
                    f"{counts['improved']} units improved, {counts['regressed']} regressed, {counts['missing']} did "
                    f"not report (ledgercheck history compare shows more)")(lang), err=True)
    return comparison


FALLBACK_NAME = "ledgercheck-scan-{stamp}{suffix}"


def _deliver_or_fall_back(report: Any, format_: str, options: Any, output: Path, inputs: list[Path],
                          lang: Any) -> Path:
    """Write the report to `output`; when that fails (a full disk, a read-only mount, a name too long), to a new
    file in the first folder that takes it (beside `output`, the working folder, home, the temporary folder), and
    say where. A scan of thousands of files is not lost for want of one write. Returns the file written."""
    import datetime as dt
    import os
    import tempfile

    from ledgercheck.cli.run import deliver
    from ledgercheck.common.errors import UsageError
    from ledgercheck.common.i18n import Text
    from ledgercheck.fileio.atomic import in_place
    from ledgercheck.reporters import reporter

    try:
        deliver("scan", report, format_, options, output, inputs)
        return output
    except UsageError as exc:
        failure = exc
    suffix = (reporter("scan", format_).suffixes or (".txt",))[0]
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folders: list[Path] = []
    if not in_place(output):  # never a file among the devices
        folders.append(Path(os.path.abspath(output)).parent)
    for where in (Path.cwd, Path.home, lambda: Path(tempfile.gettempdir())):
        try:
            folders.append(where())
        except (OSError, RuntimeError, KeyError):  # no home folder
            continue
    tried: set[str] = set()
    for folder in folders:
        if str(folder) in tried or str(folder).startswith(("/dev", "/proc")):
            continue
        tried.add(str(folder))
        candidate = folder / FALLBACK_NAME.format(stamp=stamp, suffix=suffix)
        number = 1
        while candidate.exists():
            number += 1
            candidate = folder / FALLBACK_NAME.format(stamp=f"{stamp}-{number}", suffix=suffix)
        try:
            deliver("scan", report, format_, options, candidate, inputs)
        except UsageError:
            continue
        reason = failure.detail or failure.message(lang)
        message = Text(f"无法写入报告 {output}（{reason}）；报告已改写到 {candidate}",
                       f"could not write the report to {output} ({reason}); it was written to {candidate} instead")
        click.echo(message(lang), err=True)
        return candidate
    raise UsageError(Text("无法写入报告，也无法写入工作文件夹、主文件夹或临时文件夹：检查结果未能保存",
                          "cannot write the report, nor a copy in the working, home or temporary folder: the results "
                          "could not be saved"), failure.location, failure.detail)
