"""The pages a secretary uses: upload, result, how the ledger was read (with corrections), reminders, rules.

Every page works without scripts: forms post and redirect, downloads are links. static/app.js only adds
dragging files onto the page and a progress bar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.model.issues import CATALOG
from ledgercheck.model.schema import SHEETS
from ledgercheck.web import corrections
from ledgercheck.web.jobs import ALIASES, Rejected, audit, copy_inputs, submit, upload
from ledgercheck.web.services import ACCESS_COOKIE, Services, services_of
from ledgercheck.web.store import Job
from ledgercheck.web.texts import T
from ledgercheck.web.views import lang_of
from ledgercheck.web.worker import REMIND_DAYS, AnnotateTask, load_results

router = APIRouter(include_in_schema=False)


def _job(request: Request, token: str) -> Job:
    job = services_of(request).store.get(token)
    if job is None or job.summary is None:
        raise HTTPException(404)
    return job


def _results(job: Job) -> tuple[Any, Any, Any]:
    if "results" not in job.cache:
        job.cache["results"] = load_results(job.folder)
    results: tuple[Any, Any, Any] = job.cache["results"]
    return results


def _rejected(request: Request, services: Services, error: Rejected) -> Response:
    page = services.views.error(request, error.status, error.message(lang_of(request)))
    if error.status == 503:  # busy or shutting down: as the API says it
        page.headers["Retry-After"] = "30"
    return page


@router.get("/")
async def index(request: Request) -> Response:
    services = services_of(request)
    return services.views.render(request, "index.html", today=dt.date.today().isoformat(),
                                 max_mb=f"{services.config.max_upload / (1 << 20):g}", rules=_categories(services))


@router.post("/audit")
async def post_audit(request: Request) -> Response:
    services = services_of(request)
    try:
        job = await upload(request, services, lang_of(request))
    except Rejected as error:
        return _rejected(request, services, error)
    return RedirectResponse(f"/r/{job.token}", status_code=303)


@router.get("/r/{token}")
async def result_page(request: Request, token: str) -> Response:
    from ledgercheck.reporters import html_

    services = services_of(request)
    job = _job(request, token)
    result, _reminders, _inspection = _results(job)
    lang = lang_of(request)
    return services.views.render(request, "result.html", job=job, summary=job.summary, tab="result",
                                 body=html_.body(result, lang, "web"), corrected=bool(job.corrections),
                                 annotatable=_annotatable(job))


@router.get("/report.css")
async def report_css() -> Response:
    from ledgercheck.reporters import html_

    return Response(html_.CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/r/{token}/mapping")
async def mapping_page(request: Request, token: str) -> Response:
    services = services_of(request)
    job = _job(request, token)
    _result, _reminders, inspection = _results(job)
    lang = lang_of(request)
    return services.views.render(request, "mapping.html", job=job, summary=job.summary, tab="mapping",
                                 sheets=corrections.rows(inspection, lang), kinds=_kinds(lang),
                                 issues=[i.to_dict(lang, "web") for i in inspection.issues],
                                 message=None)


@router.post("/r/{token}/mapping")
async def post_mapping(request: Request, token: str) -> Response:
    services = services_of(request)
    job = _job(request, token)
    _result, _reminders, inspection = _results(job)
    form = await request.form(max_files=0, max_fields=5000)
    chosen = {key: str(value) for key, value in form.items()}
    changes = corrections.changes(inspection, chosen)
    lang = lang_of(request)
    if not changes:
        return services.views.render(request, "mapping.html", job=job, summary=job.summary, tab="mapping",
                                     sheets=corrections.rows(inspection, lang), kinds=_kinds(lang),
                                     issues=[i.to_dict(lang, "web") for i in inspection.issues],
                                     message=T["no_change"](lang))
    rerun = services.store.new()
    try:
        copy_inputs(job, rerun)
        rerun.corrections = corrections.merge(job.corrections, changes)
        (rerun.folder / ALIASES).write_text(corrections.to_yaml(rerun.corrections), encoding="utf-8")
        await audit(services, rerun, str(rerun.folder / ALIASES))
    except Rejected as error:
        services.store.delete(rerun.token)
        return _rejected(request, services, error)
    except BaseException:
        services.store.delete(rerun.token)
        raise
    return RedirectResponse(f"/r/{rerun.token}", status_code=303)


@router.get("/r/{token}/reminders")
async def reminders_page(request: Request, token: str) -> Response:
    services = services_of(request)
    job = _job(request, token)
    _result, reminders, _inspection = _results(job)
    lang = lang_of(request)
    return services.views.render(request, "reminders.html", job=job, summary=job.summary, tab="reminders",
                                 reminders=_reminders(reminders, lang), days=REMIND_DAYS)


def _reminders(reminders: Any, lang: Lang) -> dict[str, Any]:
    from ledgercheck.findings.reminders import TOPICS

    document: dict[str, Any] = reminders.to_dict(lang)
    for item in document["reminders"]:
        item["topic_label"] = TOPICS[item["topic"]](lang) if item["topic"] in TOPICS else item["topic"]
    return document


@router.post("/r/{token}/delete")
async def delete(request: Request, token: str) -> Response:
    services = services_of(request)
    if services.store.get(token) is None:  # gone already (expired, deleted, a server restarted): not "deleted now"
        raise HTTPException(404)
    services.store.delete(token)
    return services.views.render(request, "deleted.html")


# ---------------------------------------------------------------- downloads

DOWNLOADS: dict[str, tuple[str, str, Text]] = {  # name → (format, media type, download name)
    "report.html": ("html", "text/html; charset=utf-8", Text("检查报告.html", "audit-report.html")),
    "result.json": ("json", "application/json", Text("检查结果.json", "audit.json")),
    "findings.csv": ("csv", "text/csv; charset=utf-8", Text("问题清单.csv", "findings.csv")),
}


def _download_name(job: Job, name: str) -> str:
    """A download named after the ledger (违规台账-检查报告.html), so that several people's or several rounds'
    downloads are told apart in the downloads folder."""
    return f"{Path(job.files[0]).stem}-{name}" if job.files else name


def attachment(name: str) -> dict[str, str]:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}


@router.get("/r/{token}/download/{name}")
async def download(request: Request, token: str, name: str) -> Response:
    from ledgercheck.reporters import render, reporter
    from ledgercheck.reporters.base import ReportOptions

    job = _job(request, token)
    lang = lang_of(request)
    if name == ALIASES:
        text = (job.folder / ALIASES).read_text(encoding="utf-8") if job.corrections else _results(job)[2].aliases
        return Response(text.encode("utf-8"), media_type="text/yaml; charset=utf-8",
                        headers=attachment(_download_name(job, "识别设置.yaml" if lang == "zh" else "aliases.yaml")))
    if name not in DOWNLOADS:
        raise HTTPException(404)
    format_, media, filename = DOWNLOADS[name]
    result = _results(job)[0]
    data = render(result, reporter("audit", format_), ReportOptions(lang=lang, color=False, front="web"))
    return Response(data, media_type=media, headers=attachment(_download_name(job, filename(lang))))


def _annotatable(job: Job) -> list[tuple[int, str]]:
    from ledgercheck.ingest.copy import COPIED

    return [(i, name) for i, name in enumerate(job.files) if Path(name).suffix.lower() in COPIED | {".xls", ".ods"}]


@router.get("/r/{token}/annotated/{index}")
async def annotated(request: Request, token: str, index: int) -> Response:
    services = services_of(request)
    job = _job(request, token)
    if not 0 <= index < len(job.files):
        raise HTTPException(404)
    lang = lang_of(request)
    out = job.outputs / f"annotated-{lang}-{index}.xlsx"
    if not out.exists():
        try:
            outcome = await submit(services, AnnotateTask(str(job.folder), job.files[index], lang, str(out)))
        except Rejected as error:
            return _rejected(request, services, error)
        if not outcome.ok:
            return services.views.error(request, outcome.status, (outcome.message or T["error_title"])(lang))
    stem = Path(job.files[index]).stem
    name = f"{stem}-检查结果.xlsx" if lang == "zh" else f"{stem}-checked.xlsx"
    return FileResponse(out, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers=attachment(name))


@router.get("/template")
async def template(request: Request) -> Response:
    from ledgercheck.template.blank import write_template

    services = services_of(request)
    path = services.store.root / "template" / "台账模板.xlsx"
    if not path.exists():
        write_template(path)
    return FileResponse(path, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers=attachment("党建工作台账模板.xlsx"))


# ---------------------------------------------------------------- rules

def _categories(services: Services) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for info in services.context.rule_infos():
        tag = info.tags[0] if info.tags else "其他"
        counts[tag] = counts.get(tag, 0) + 1
    return list(counts.items())


@router.get("/rules")
async def rules_page(request: Request, q: str = "") -> Response:
    services = services_of(request)
    lang = lang_of(request)
    infos = services.context.rule_infos()
    needle = q.strip().lower()
    shown = [info for info in infos if not needle or any(
        needle in text.lower() for text in (info.rule_id, info.title.zh, info.title.en, info.citation.zh,
                                            info.citation.en, " ".join(info.tags)))]
    rules = [{**info.to_dict(lang), "severity_label": info.severity.label(lang)} for info in shown]
    return services.views.render(request, "rules.html", q=q, total=len(infos), tab="rules", rules=rules)


@router.get("/rules/{rule_id}")
async def rule_page(request: Request, rule_id: str) -> Response:
    from ledgercheck.app.explain import explain

    services = services_of(request)
    lang = lang_of(request)
    if rule_id not in services.context.rulebook.rules and rule_id not in CATALOG:  # a rule, or an input problem
        raise HTTPException(404)
    explanation = explain(services.context.rulebook, rule_id, lang, "web")
    sections = [{"heading": s.heading(lang), "lines": s.lines, "table": s.table} for s in explanation.sections]
    return services.views.render(request, "rule.html", title=explanation.title, sections=sections, tab="rules",
                                 rule_id=rule_id)


def _kinds(lang: Lang) -> list[tuple[str, str]]:
    return [(spec.key, spec.en if lang == "en" else spec.title) for spec in SHEETS]


# ---------------------------------------------------------------- access code

@router.get("/login")
async def login(request: Request, next: str = "/") -> Response:
    return services_of(request).views.render(request, "login.html", next=_local(next), wrong=False)


@router.post("/login")
async def post_login(request: Request) -> Response:
    import asyncio
    import hmac

    services = services_of(request)
    form = await request.form(max_files=0, max_fields=10)
    code, target = str(form.get("code", "")), _local(str(form.get("next", "/")))
    expected = services.config.access_code or ""
    if not hmac.compare_digest(code.strip().encode(), expected.encode()):
        await asyncio.sleep(1)  # slows guessing
        return services.views.render(request, "login.html", 401, next=target, wrong=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(ACCESS_COOKIE, services.access_cookie(), httponly=True, samesite="strict")
    return response


def _local(target: str) -> str:
    """Only a path on this site (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"

