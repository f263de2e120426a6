"""Rendering pages: the Jinja2 templates, the page language and the error page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ledgercheck import __version__
from ledgercheck.common.i18n import Lang
from ledgercheck.common.privacy import writable
from ledgercheck.web.texts import T, keep_label

if TYPE_CHECKING:
    from ledgercheck.web.services import Services

TEMPLATES = Path(__file__).parent / "templates"
LANG_COOKIE = "lang"


def lang_of(request: Request) -> Lang:
    """?lang=en (remembered in a cookie), else the cookie, else Chinese."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return "en" if chosen == "en" else "zh"


class Views:
    def __init__(self, services: Services):
        self.services = services
        # Every value a page shows with what a page must not carry raw spelled out (a cell's \x07, a bidi
        # override that would show D01 as 10D), as the reports do (reporters/markup.py); then escaped.
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               finalize=lambda value: writable(value) if type(value) is str else value)

    def keep(self, lang: Lang) -> str:
        return keep_label(self.services.config.keep, lang)

    def render(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)

        def t(key: str, **values: Any) -> str:
            text = T[key]
            return (text.format(**values) if values else text)(lang)

        other = "en" if lang == "zh" else "zh"
        query = dict(request.query_params)
        query["lang"] = other
        html = self.env.get_template(name).render(
            t=t, lang=lang, version=__version__, keep=self.keep(lang), path=request.url.path,
            switch_url=f"{request.url.path}?{urlencode(query)}", **context)
        response = HTMLResponse(html, status_code=status_code)
        if request.query_params.get("lang") in ("zh", "en"):
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        # A missing rule sends back to the rules, not to "upload again".
        back_to_rules = request.url.path.startswith("/rules")
        return self.render(request, "error.html", status, status=status, message=message, back_to_rules=back_to_rules)

    def not_found(self, lang: Lang, path: str = "/r/") -> str:
        """What is missing: a result (deleted when its time was up), a rule, or no page at all."""
        if path.startswith("/r/"):
            return T["not_found"].format(keep=self.keep(lang))(lang)
        if path.startswith("/rules/"):
            return T["no_rule"].format(rule=path.removeprefix("/rules/")[:80])(lang)
        return T["no_page"](lang)
