"""The work done in each pool process: rules loaded once by the initializer, then one workbook per call.

A workbook that cannot be used becomes an `unreadable` FileResult with the one-line message the audit
command would print; nothing a single workbook does may stop the scan.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from ledgercheck.app.audit import audit_loaded
from ledgercheck.common.errors import LedgercheckError
from ledgercheck.common.i18n import Lang, Text
from ledgercheck.ingest.aliases import AliasTable, load_aliases
from ledgercheck.ingest.loader import load_ledger
from ledgercheck.common.limits import Limits
from ledgercheck.common.privacy import mask_text, masker
from ledgercheck.findings.redact import redact_result
from ledgercheck.rulebook.loader import Rulebook, load_rulebook
from ledgercheck.scan.summary import FileResult, summarize


@dataclass(frozen=True)
class ScanSettings:
    """Everything a worker needs besides the path; picklable, so it also works with spawned workers."""

    rules: str
    alias_files: tuple[str, ...]
    as_of: dt.date
    since: dt.date | None
    lang: Lang
    limits: Limits = Limits()
    show_pii: bool = False  # ID and phone numbers in full in the reports


@dataclass
class _Worker:
    settings: ScanSettings
    rulebook: Rulebook
    aliases: AliasTable


_worker: _Worker | None = None
INTERNAL = Text("内部错误（这是 ledgercheck 的缺陷，请报告）", "internal error (a bug in ledgercheck; please report it)")


def init_worker(settings: ScanSettings) -> None:
    """Pool initializer. Ctrl-C is the parent's to handle: it stops the pool and reports what finished."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = _Worker(settings, load_rulebook(settings.rules), load_aliases([Path(p) for p in settings.alias_files]))


def scan_file(path: str, display: str) -> FileResult:
    """Audit one workbook and summarize it. Never raises for anything the workbook contains."""
    assert _worker is not None, "init_worker was not called"
    settings = _worker.settings
    started = time.perf_counter()
    mask = masker(settings.show_pii)
    try:
        loaded = load_ledger(Path(path), _worker.aliases, display, settings.limits)
        result = audit_loaded(loaded, _worker.rulebook, settings.as_of, settings.since)
        if not settings.show_pii:
            redact_result(result)
        summary = summarize(display, loaded.ledger, result, settings.lang, time.perf_counter() - started)
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
