"""What every request may use: the settings, the Context, the job store, the pool and the views. One per app."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

from ledgercheck.app.context import Context
from ledgercheck.web.config import ServeConfig
from ledgercheck.web.pool import AuditPool
from ledgercheck.web.store import JobStore

ACCESS_COOKIE = "lc_access"


class Services:
    """What every request may use; one per app."""

    def __init__(self, config: ServeConfig, context: Context, store: JobStore, pool: AuditPool):
        self.config = config
        self.context = context
        self.store = store
        self.pool = pool
        self.secret = secrets.token_bytes(32)
        from ledgercheck.web.views import Views

        self.views = Views(self)

    def access_cookie(self) -> str:
        code = (self.config.access_code or "").encode()
        return hmac.new(self.secret, code, hashlib.sha256).hexdigest()

    def allowed(self, request: Request) -> bool:
        if not self.config.access_code:
            return True
        given = request.headers.get("x-access-code")
        if given is not None:
            return hmac.compare_digest(given.encode(), self.config.access_code.encode())
        cookie = request.cookies.get(ACCESS_COOKIE, "")
        return hmac.compare_digest(cookie.encode(), self.access_cookie().encode())


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services
