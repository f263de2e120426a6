"""From an upload to an audited job: shared by the pages and the API, so both accept and refuse alike."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
from pathlib import Path

from starlette.requests import Request

from ledgercheck.app.config import window_problem
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.ingest.formats import READABLE, read_as
from ledgercheck.web.pool import Busy
from ledgercheck.web.services import Services
from ledgercheck.web.store import Job
from ledgercheck.web.texts import T
from ledgercheck.web.upload import UploadError, receive, too_large
from ledgercheck.web.worker import AnnotateTask, AuditTask, Outcome

ALIAS_SUFFIXES = (".yaml", ".yml")
ALIASES = "aliases.yaml"  # the mapping page's corrections, in the job's folder
FORM_OVERHEAD = 64 << 10  # what a multipart body adds around its files


class Rejected(Exception):
    """The upload cannot be audited: an HTTP status and a message for the user."""

    def __init__(self, status: int, message: Text):
        super().__init__(message.en)
        self.status = status
        self.message = message


def parse_day(value: str | None) -> dt.date | None:
    from ledgercheck.ingest.coerce import CellError, to_date

    if value is None or not value.strip():
        return None
    try:
        return to_date(value.strip())
    except CellError:
        raise Rejected(400, T["bad_date"].format(value=value.strip()[:40])) from None


async def upload(request: Request, services: Services, lang: Lang) -> Job:
    """Receive the form's workbooks into a new job and audit them; raises Rejected (the job is then gone)."""
    config, store = services.config, services.store
    if services.pool.full():  # say so at once: the body is read and dropped, since a client still sending it
        drained = 0  # would see a reset connection instead of the answer
        async for chunk in request.stream():
            drained += len(chunk)
            if drained > config.max_upload + FORM_OVERHEAD:
                break
        raise Rejected(503, T["busy"])
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > config.max_upload + FORM_OVERHEAD:
        error = too_large(config.max_upload)
        raise Rejected(error.status, error.message)
    job = store.new()
    try:
        try:
            form = await receive(request.stream(), request.headers.get("content-type", ""), job.inputs,
                                 config.max_upload, config.max_files)
        except UploadError as error:
            raise Rejected(error.status, error.message) from None
        workbooks = form.workbooks("files")
        if not workbooks:
            raise Rejected(400, T["no_files"])
        for saved in workbooks:
            suffix = Path(saved.name).suffix.lower()
            if suffix in ALIAS_SUFFIXES:  # the 识别设置 downloaded last time, chosen among the ledger's files
                raise Rejected(415, _named(saved.name, T["alias_among_files"]))
            if suffix not in READABLE and read_as(job.inputs / saved.name) not in READABLE:  # 台账 without .xlsx
                from ledgercheck.ingest.workbook import unsupported

                raise Rejected(415, _named(saved.name, unsupported(suffix, "web")))
        job.files = [saved.name for saved in workbooks]
        job.as_of = parse_day(form.fields.get("as_of"))
        job.since = parse_day(form.fields.get("since"))
        problem = window_problem(job.as_of, job.since, front="web")  # as the command line refuses them (the fields swapped)
        if problem is not None:
            raise Rejected(400, problem)
        job.org = _organization(form.fields.get("org"))
        chosen = form.fields.get("lang")
        job.lang = chosen if chosen in ("zh", "en") else lang
        aliases = form.workbooks("aliases")
        if aliases and Path(aliases[0].name).suffix.lower() not in ALIAS_SUFFIXES:  # a workbook, say
            raise Rejected(415, _named(aliases[0].name, T["not_alias_file"]))
        alias_file = str(job.inputs / aliases[0].name) if aliases else None
        if alias_file:
            shutil.move(alias_file, job.folder / ALIASES)
            alias_file = str(job.folder / ALIASES)
        await audit(services, job, alias_file)
        return job
    except BaseException:
        store.delete(job.token)
        raise


def _organization(value: str | None) -> str | None:
    """The form's 所属组织, as `--org` takes it: an ID or a name, or nothing."""
    text = " ".join((value or "").split())
    if len(text) > MAX_ORG:
        raise Rejected(400, Text(f"「所属组织」太长（{len(text)}个字），请只写组织名称或编号",
                                 f"the organization is too long ({len(text)} characters): give its name or ID"))
    return text or None


MAX_ORG = 100


def _named(name: str, message: Text) -> Text:
    return Text(f"「{name}」：{message.zh}", f"{name}: {message.en}")


async def audit(services: Services, job: Job, aliases: str | None = None) -> None:
    """Run the job's audit in the pool; its summary is stored on the job. Raises Rejected."""
    task = AuditTask(str(job.folder), tuple(job.files), job.lang, job.as_of, job.since, aliases, job.org)
    outcome = await submit(services, task)
    if not outcome.ok:
        raise Rejected(outcome.status, outcome.message or Text("无法检查", "cannot audit"))
    job.summary = outcome.summary
    job.cache.clear()


async def submit(services: Services, task: AuditTask | AnnotateTask) -> Outcome:
    try:
        future = services.pool.submit(task)
    except Busy:
        raise Rejected(503, T["busy"]) from None
    return await asyncio.wrap_future(future)


def copy_inputs(source: Job, target: Job) -> None:
    """The same workbooks in a new job (hard links where the file system allows)."""
    for name in source.files:
        try:
            os.link(source.inputs / name, target.inputs / name)
        except OSError:
            shutil.copy2(source.inputs / name, target.inputs / name)
    target.files = list(source.files)
    target.as_of, target.since, target.lang, target.org = source.as_of, source.since, source.lang, source.org
