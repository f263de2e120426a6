"""What runs in a web worker process: audits and marked-up copies, written into the job's folder.

A worker builds the Context once (the rule pack, aliases, limits) and then takes tasks one at a time. Each
audit runs inside the job's `in/` folder with the file names as uploaded, so every location in the results
names the user's file and never the server's temporary path. The results are pickled into `out/` (a private
folder only this server reads) and the pages render them in either language; only a summary goes back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import signal
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import masker

RESULTS = "results.pickle"
REMIND_DAYS = 90
INTERNAL = Text("内部错误：检查这个台账时程序出错（这是 ledgercheck 的缺陷，请把台账的情况告诉管理员）",
                "internal error while auditing this ledger (a bug in ledgercheck; please tell the administrator)")


@dataclass(frozen=True)
class AuditTask:
    folder: str  # the job's folder; the workbooks are in its in/
    files: tuple[str, ...]
    lang: str = "zh"
    as_of: dt.date | None = None
    since: dt.date | None = None
    aliases: str | None = None  # the job's own alias file (the mapping page's corrections)
    org: str | None = None  # as --org: the organization of a ledger without an organizations sheet


@dataclass(frozen=True)
class AnnotateTask:
    folder: str
    file: str  # which of the job's workbooks to mark
    lang: str
    out: str  # where to write the copy


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int = 200  # the HTTP status of a failure
    message: Text | None = None
    summary: dict[str, Any] | None = None


def main(conn: Connection, settings: Settings) -> None:
    """A worker's life: build the Context, say ready, then answer tasks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    context = Context.build(settings)
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(run(context, task))


def run(context: Context, task: AuditTask | AnnotateTask) -> Outcome:
    try:
        return _run(context, task)
    finally:
        context.forget()  # no one's names stay in the worker for the next person's upload


ALIAS_FIELD = Text("上传的识别设置（别名文件）", "the uploaded reading settings (alias file)")


def _run(context: Context, task: AuditTask | AnnotateTask) -> Outcome:
    mask = masker(context.settings.show_pii)
    try:
        if isinstance(task, AnnotateTask):
            return _annotate(task)
        return _audit(context, task)
    except LedgercheckError as exc:  # the message may echo a cell: masked as in every output
        said = Text(exc.describe("zh", "web"), exc.describe("en", "web"))
        if isinstance(task, AuditTask) and task.aliases:  # the server's path of the upload: the page's field
            said = Text(said.zh.replace(task.aliases, ALIAS_FIELD.zh), said.en.replace(task.aliases, ALIAS_FIELD.en))
        return Outcome(False, 422, Text(mask(said.zh), mask(said.en)))
    except Exception as exc:  # noqa: BLE001 - a bug: the page says so; the log gets the frames, not the data
        frames = "".join(traceback.format_tb(exc.__traceback__))
        print(f"ledgercheck serve: internal error {type(exc).__name__}\n{frames}", flush=True)
        return Outcome(False, 500, INTERNAL)


def _audit(context: Context, task: AuditTask) -> Outcome:
    from dateutil.relativedelta import relativedelta

    from ledgercheck.app.inspect import inspection_of
    from ledgercheck.common.gcpause import paused_gc

    lang: Lang = "en" if task.lang == "en" else "zh"
    extra = (Path(task.aliases),) if task.aliases else ()
    settings = dataclasses.replace(context.settings, as_of=task.as_of, since=task.since, lang=lang,
                                   aliases=context.settings.aliases + extra, org=task.org or context.settings.org)
    ctx = context.derive(settings)
    folder = Path(task.folder)
    os.chdir(folder / "in")
    try:
        paths = [Path(name) for name in task.files]
        with paused_gc():
            loaded = ctx.read(paths[0] if len(paths) == 1 else paths)
            result = ctx.judge(loaded)
            reminders = ctx.remind_loaded(loaded, relativedelta(days=REMIND_DAYS))
            inspection = inspection_of(loaded, list(task.files), settings.show_pii, "web")
            del loaded
        result = ctx.review(result)
    finally:
        os.chdir(folder)
    with (folder / "out" / RESULTS).open("wb") as stream:
        pickle.dump((result, reminders, inspection), stream, protocol=pickle.HIGHEST_PROTOCOL)
    counts = result.counts()
    return Outcome(True, summary={
        "organizations": result.orgs, "errors": counts["error"], "warnings": counts["warning"],
        "info": counts["info"], "input_errors": len(result.input_errors),
        "input_warnings": len(result.input_issues) - len(result.input_errors),
        "skipped_rules": len(result.skipped_rules), "complete": result.complete,
        "exit_code": ctx.exit_code(result), "as_of": result.as_of.isoformat(),
        "window": [result.window.start.isoformat(), result.window.as_of.isoformat()]})


def _annotate(task: AnnotateTask) -> Outcome:
    from ledgercheck.app.annotate import only_file, write_annotated

    folder = Path(task.folder)
    with (folder / "out" / RESULTS).open("rb") as stream:
        result = pickle.load(stream)[0]
    lang: Lang = "en" if task.lang == "en" else "zh"
    os.chdir(folder / "in")
    try:
        annotated = write_annotated(only_file(result, task.file), Path(task.file), Path(task.out), lang, "web")
    finally:
        os.chdir(folder)
    return Outcome(True, summary={"cells": annotated.cells, "listed": annotated.listed,
                                  "dropped": list(annotated.dropped)})


def load_results(folder: Path) -> tuple[Any, Any, Any]:
    """(AuditResult, RemindResult, Inspection) as the worker wrote them."""
    with (folder / "out" / RESULTS).open("rb") as stream:
        return pickle.load(stream)
