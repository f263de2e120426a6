"""The work done in each pool process: the context built once by the initializer, then one workbook per call.

A workbook that cannot be used becomes an `unreadable` FileResult with the one-line message the audit
command would print; nothing a single workbook does may stop the scan.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from ledgercheck.app.config import Settings
from ledgercheck.app.context import Context
from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import mask_text, masker
from ledgercheck.findings.scan.summary import FileResult, summarize

_context: Context | None = None
INTERNAL = Text("内部错误（这是 ledgercheck 的缺陷，请报告）", "internal error (a bug in ledgercheck; please report it)")


def init_worker(settings: Settings) -> None:
    """Pool initializer. Ctrl-C is the parent's to handle: it stops the pool and reports what finished."""
    global _context
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _context = Context.build(settings)


def scan_file(path: str, display: str) -> FileResult:
    """Audit one workbook and summarize it. Never raises for anything the workbook contains."""
    assert _context is not None, "init_worker was not called"
    context, settings = _context, _context.settings
    started = time.perf_counter()
    mask = masker(settings.show_pii)
    try:
        loaded = context.read(Path(path), display)
        result = context.review(context.judge(loaded))
        summary = summarize(display, loaded.ledger, result, settings.lang, time.perf_counter() - started,
                            blocking=sum(1 for f in result.findings if context.policy.blocks(f)))
        if not settings.show_pii:  # names taken from the ledger itself: the unit and its organizations
            summary.unit = summary.unit and mask_text(summary.unit)
            for org in summary.orgs:
                org.name = mask_text(org.name)
        return summary
    except LedgercheckError as exc:
        return FileResult.unreadable(display, mask(describe(exc, settings.lang)), time.perf_counter() - started)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a loader bug or a reader panic must not end the scan
        message = mask(f"{INTERNAL(settings.lang)}: {type(exc).__name__}: {exc}")
        return FileResult.unreadable(display, message, time.perf_counter() - started)


def describe(exc: LedgercheckError, lang: Lang) -> str:
    """The audit command's one-line message without the file name, which the scan shows in its own column."""
    where = exc.location.describe(lang, with_file=False) if exc.location else ""
    detail = f" ({exc.detail})" if exc.detail else ""
    return f"{exc.kind(lang)}: {where + ': ' if where else ''}{exc.message(lang)}{detail}"
