"""The JSON API for other systems: POST workbooks, get back what `ledgercheck audit --format json` prints.

The upload is deleted as soon as the answer is sent. Errors are JSON too: {"error": {"status", "message"}}.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ledgercheck import __version__
from ledgercheck.reporters import render, reporter
from ledgercheck.reporters.base import ReportOptions
from ledgercheck.web.jobs import Rejected, upload
from ledgercheck.web.services import services_of
from ledgercheck.web.views import lang_of
from ledgercheck.web.worker import load_results

router = APIRouter(prefix="/api", tags=["audit"])

_FORM = {
    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["files"],
        "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                      "description": "One unit's ledger: one workbook, or the workbooks it is kept in "
                                     "(.xlsx, .xlsm, .xls, .ods)"},
            "as_of": {"type": "string", "format": "date", "description": "audit date (default: today)"},
            "since": {"type": "string", "format": "date", "description": "window start"},
            "org": {"type": "string", "maxLength": 100,
                    "description": "the organization (ID or name) of a ledger without an organizations sheet, as "
                                   "`--org`: its titles name it otherwise"},
            "lang": {"type": "string", "enum": ["zh", "en"], "description": "language of the messages"},
            "aliases": {"type": "string", "format": "binary",
                        "description": "an alias file (YAML, docs/reading.md) for a ledger in its own layout"}}}}}},
}
_ERROR = {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {
    "error": {"type": "object", "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}}}}


def _error(status: int, description: str) -> dict[str, Any]:
    return {**_ERROR, "description": description}


@router.post("/audit", openapi_extra=_FORM, summary="Audit one unit's ledger",
             response_description="the audit, as `ledgercheck audit --format json` writes it "
                                  "(its JSON Schema: ledgercheck/data/audit-result.schema.json)",
             responses={200: {"content": {"application/json": {"schema": {"type": "object"}}},
                              "headers": {"X-Ledgercheck-Exit-Code": {
                                  "description": "the command line's exit code: 0 clean, 1 findings at or above "
                                                 "fail-on", "schema": {"type": "integer"}}}},
                        400: _error(400, "no file, or a bad date"), 401: _error(401, "access code required"),
                        413: _error(413, "the upload is too large"),
                        415: _error(415, "not a workbook ledgercheck reads (.et, .csv …)"),
                        422: _error(422, "the workbook cannot be read (encrypted, damaged, too large)"),
                        503: _error(503, "busy: try again later"), 504: _error(504, "the audit took too long")})
async def audit(request: Request) -> Response:
    services = services_of(request)
    lang = lang_of(request)
    try:
        job = await upload(request, services, lang)
    except Rejected as error:
        headers = {"Retry-After": "30"} if error.status == 503 else None
        return JSONResponse({"error": {"status": error.status, "message": error.message(lang)}},
                            status_code=error.status, headers=headers)
    try:
        result = load_results(job.folder)[0]
        body = render(result, reporter("audit", "json"), ReportOptions(lang="en" if job.lang == "en" else "zh"))
        assert job.summary is not None
        exit_code = str(job.summary["exit_code"])
    finally:
        services.store.delete(job.token)  # delivered: nothing kept
    return Response(body, media_type="application/json",
                    headers={"X-Ledgercheck-Exit-Code": exit_code})


@router.get("/rules", summary="The rules in force")
async def rules(request: Request) -> list[dict[str, object]]:
    lang = lang_of(request)
    return [info.to_dict(lang) for info in services_of(request).context.rule_infos()]


@router.get("/health", summary="Whether the server runs, and how busy it is")
async def health(request: Request) -> dict[str, object]:
    services = services_of(request)
    return {"status": "ok", "version": __version__, **services.pool.stats(), "jobs": len(services.store)}
