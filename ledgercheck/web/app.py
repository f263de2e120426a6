"""The web application: one FastAPI app over the Context, a job store and an audit pool.

`create_app` wires them; `pages` serves people (HTML, working without scripts) and `api` serves other
systems (JSON, described by OpenAPI at /api/openapi.json). Both hand uploads to the same `jobs.upload`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ledgercheck import __version__
from ledgercheck.app.context import Context
from ledgercheck.web.config import ServeConfig
from ledgercheck.web.pool import AuditPool
from ledgercheck.web.services import Services
from ledgercheck.web.store import JobStore
from ledgercheck.web.views import lang_of

HERE = Path(__file__).parent
log = logging.getLogger("ledgercheck.web")
_TOKEN_IN_PATH = re.compile(r"/r/([A-Za-z0-9_-]{6})[A-Za-z0-9_-]{37}")
OPEN_PATHS = ("/static/", "/login", "/favicon.ico")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'")


def create_app(config: ServeConfig, context: Context | None = None) -> FastAPI:
    """The app; `context` is built from config.settings when not given (a broken rule pack fails here)."""
    context = context or Context.build(config.settings)
    store = JobStore(config.keep)
    pool = AuditPool(config.settings, config.workers, config.queue, config.time_limit, config.max_jobs_per_worker)
    services = Services(config, context, store, pool)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(pool.start)
        sweeper = asyncio.create_task(_sweep(store))
        try:
            yield
        finally:
            sweeper.cancel()
            await asyncio.to_thread(pool.close)
            store.close()

    app = FastAPI(title="ledgercheck", version=__version__, lifespan=lifespan,
                  description="Check Party-building ledgers (党建工作台账) against the regulations. POST a workbook "
                              "to /api/audit and read the same JSON as `ledgercheck audit --format json`.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")  # no CDN scripts: intranets
    app.state.services = services
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from ledgercheck.web import api, pages

    app.include_router(pages.router)
    app.include_router(api.router)
    _handlers(app, services)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.monotonic()
        path = request.url.path
        if not services.allowed(request) and not path.startswith(OPEN_PATHS):
            if path.startswith("/api/"):
                response: Response = JSONResponse({"error": {"status": 401, "message": "access code required "
                                                             "(X-Access-Code header)"}}, status_code=401)
            else:
                response = RedirectResponse(f"/login?next={path}", status_code=303)
        else:
            response = await call_next(request)
        _secure(response, path)
        # The log names no file, person or token: only the method, the path with tokens cut, status and time.
        log.info("%s %s %s %.0f ms", request.method, _TOKEN_IN_PATH.sub(r"/r/\1…", path), response.status_code,
                 (time.monotonic() - started) * 1000)
        return response

    if config.loopback:  # a page on this computer only: refuse other Host names (DNS rebinding)
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost", "::1", "[::1]"])
    return app


def _secure(response: Response, path: str) -> None:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")  # result links carry their token: never in a Referer
    headers.setdefault("X-Frame-Options", "DENY")
    if not path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")


async def _sweep(store: JobStore) -> None:
    interval = max(1.0, min(60.0, store.lifetime / 4))
    while True:
        await asyncio.sleep(interval)
        try:
            store.sweep()
        except Exception:  # noqa: BLE001 - sweeping must never stop
            log.exception("sweeping expired uploads failed")


def _handlers(app: FastAPI, services: Services) -> None:
    views = services.views

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"status": exc.status_code, "message": str(exc.detail)}},
                                status_code=exc.status_code)
        lang = lang_of(request)
        message = views.not_found(lang, request.url.path) if exc.status_code == 404 else str(exc.detail)
        return views.error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return JSONResponse({"error": {"status": 400, "message": "invalid request",
                                       "details": [e.get("msg") for e in exc.errors()]}}, status_code=400)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        # The frames go to the log, never the message: it may quote a cell.
        log.error("internal error %s at %s", type(exc).__name__, request.url.path, exc_info=False)
        log.debug("traceback", exc_info=exc)
        from ledgercheck.web.worker import INTERNAL

        lang = lang_of(request)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": {"status": 500, "message": INTERNAL(lang)}}, status_code=500)
        return views.error(request, 500, INTERNAL(lang))
