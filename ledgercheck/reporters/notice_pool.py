"""Writing many notices' .docx files in worker processes: python-docx takes about 45 ms a notice, and a scan of
thousands of units writes thousands (4,225 for 5,000 small units: three minutes on one core).

The caller names each file and checks it against the inputs; the workers only write, each file atomically. Notices
go out in batches as they are read, with a few batches in flight at a time, so memory stays flat; a batch's
failure comes back as the error the caller raises, naming the file.
"""

from __future__ import annotations

import io
import multiprocessing
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.findings.notices import Notice

if TYPE_CHECKING:
    from ledgercheck.fileio.atomic import Protected

BATCH = 40  # notices a task (about 2 s of work): few enough tasks that handing them out costs nothing
IN_FLIGHT = 3  # batches per worker handed out ahead

Failure = tuple[str, str, str, str | None]  # (file, zh, en, detail)


def _context() -> Any:
    # The caller may hold threads (a Dask client) and an open SQLite store: start workers from a clean server.
    if sys.platform == "linux":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ledgercheck.reporters.notice_docx", "docx"])
        return context
    return multiprocessing.get_context("spawn")


def write_one(notice: Notice, path: Path, protected: Iterable[Path] | Protected = ()) -> None:
    """One notice to `path`, atomically (never over one of `protected`). The document is made in memory first (some
    40 KB): a file that fails to take it then fails on one write, not inside python-docx's zip writer, whose
    half-closed archive complained to stderr when it was collected."""
    from ledgercheck.fileio.atomic import atomic_file
    from ledgercheck.reporters.notice_docx import write_docx

    document = io.BytesIO()
    write_docx([notice], document)
    with atomic_file(path, protected) as stream:
        stream.write(document.getbuffer())


def _write_batch(batch: list[tuple[Notice, str]]) -> Failure | None:
    """Write a batch in a worker; the first failure, as plain text (an exception may not survive pickling)."""
    for notice, path in batch:
        try:
            write_one(notice, Path(path))
        except UsageError as exc:
            return path, exc.message.zh, exc.message.en, exc.detail
    return None


def _raise(failure: Failure | None) -> None:
    if failure is not None:
        path, zh, en, detail = failure
        raise UsageError(Text(zh, en), Location(path), detail)


def write_in_pool(items: Iterable[tuple[Notice, Path]], jobs: int) -> Iterator[Path]:
    """Write each (notice, path) and yield its path once written, in order. `items` is read lazily."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context())
    pending: deque[tuple[Future[Failure | None], list[Path]]] = deque()
    try:
        batch: list[tuple[Notice, str]] = []
        paths: list[Path] = []
        for notice, path in items:
            batch.append((notice, str(path)))
            paths.append(path)
            if len(batch) == BATCH:
                pending.append((pool.submit(_write_batch, batch), paths))
                batch, paths = [], []
                while len(pending) > jobs * IN_FLIGHT:
                    done, written = pending.popleft()
                    _raise(done.result())
                    yield from written
        if batch:
            pending.append((pool.submit(_write_batch, batch), paths))
        while pending:
            done, written = pending.popleft()
            _raise(done.result())
            yield from written
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
