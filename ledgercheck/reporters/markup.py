"""Ledger text in an HTML page: escaped, and with what a page must not carry raw spelled out (`\x07`, `\u202e`:
common.privacy.writable), as the terminal, Word and the workbooks show it. A cell's control character is not a
character a page may hold, and a bidi override would show the rest of its line reversed (D01 as 10D)."""

from __future__ import annotations

from html import escape as _escape

from ledgercheck.common.privacy import writable


def escape(text: str, quote: bool = True) -> str:
    return _escape(writable(text), quote)
