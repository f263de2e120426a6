"""The reader's panics: recognized when caught, and kept off the user's terminal.

python-calamine is Rust. When it panics (a date cell of -1e308 overflows its date arithmetic, say), pyo3 raises
PanicException, which the loader turns into an input problem with its sheet and row. Before that, Rust's panic
hook has already written its report (and, with RUST_BACKTRACE set, a backtrace of some 60 frames) straight to
file descriptor 2, where Python cannot catch it. `quiet()` sends descriptor 2 to a scratch file while the reader
converts cells, then writes back whatever else was written meanwhile, without the panic reports.

Only on POSIX: on Windows Rust writes to the console handle, which `dup2` does not redirect.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ledgercheck.common.i18n import Text

ENABLED = os.name == "posix"

# A panic's report as Rust's default hook writes it (Rust 1.73 and later, and the older form with the message in
# quotes): a blank line (recent Rust); the panic line; the message, which may span lines; a backtrace when
# RUST_BACKTRACE asks for one (frame lines and their `at` lines); and a closing note (absent after a full backtrace).
_REPORT = re.compile(
    rb"^\n?thread '[^\n]*'(?: \(\d+\))? panicked at [^\n]*\n"
    rb"(?:(?!stack backtrace:\n|note: |thread ')[^\n]*\n)*"
    rb"(?:stack backtrace:\n(?: +(?:\d+: |at )[^\n]*\n)*)?"
    rb"(?:note: [^\n]*\n)?",
    re.MULTILINE)

_lock = threading.Lock()
_depth = 0  # blocks inside quiet(), across threads
_saved = -1  # a duplicate of descriptor 2 as it was before the first block
_scratch = -1  # where descriptor 2 points meanwhile (kept open and reused)
_released = False  # release() was called: the process is ending, descriptor 2 stays as it is


def is_panic(exc: BaseException) -> bool:
    """A Rust panic inside the reader surfaces as pyo3's PanicException, a BaseException that is not importable."""
    return type(exc).__name__ == "PanicException"


def reader_failed(exc: BaseException) -> bool:
    """Whether an exception from a reader call is the reader failing (an error or a panic), to be reported with
    the sheet or row, rather than KeyboardInterrupt or SystemExit, which must go on up."""
    return isinstance(exc, Exception) or is_panic(exc)


def in_words(detail: str) -> Text | str:
    """What the reader said, with a plain explanation first where its words are known: chrono's (the reader's date
    library) mean a number in a date cell that no date can be."""
    if "TimeDelta" in detail or "NaiveDate" in detail:
        return Text(f"日期超出范围：单元格中的数值不可能是日期；读取程序的原话：{detail}",
                    f"a date out of range: the number in the cell cannot be a date; the reader said: {detail}")
    return detail


def without_reports(data: bytes) -> bytes:
    """`data` with Rust's panic reports taken out; everything else kept, in order."""
    return _REPORT.sub(b"", data) if b"panicked at " in data else data


@contextmanager
def quiet() -> Iterator[None]:
    """Within the block, what is written to descriptor 2 waits in a scratch file; after it (when no other thread is
    inside a block), it is written to the real descriptor 2 without Rust's panic reports."""
    global _depth
    if not ENABLED:
        yield
        return
    with _lock:
        entered = not _released  # checked under the lock that release() takes
        if entered:
            if _depth == 0:
                _divert()
            _depth += 1
    try:
        yield
    finally:
        if entered:
            with _lock:
                if not _released:  # released meanwhile: descriptor 2 is given back already, and for good
                    _depth -= 1
                    if _depth == 0:
                        _restore()


def release() -> None:
    """Give descriptor 2 back now, with what waited, and for good: for a thread about to write a last message and
    end the process while another may be inside `quiet()` or about to enter it (the time limit's watchdog)."""
    global _depth, _released
    if not ENABLED:
        return
    with _lock:
        _released = True
        if _depth:
            _restore()
            _depth = 0


def _divert() -> None:
    """Descriptor 2 to the scratch file; left alone where there is no descriptor 2 (a daemon's) or no scratch file."""
    global _saved, _scratch
    _flush_stderr()  # Python's own buffered text goes where it was meant to, first
    try:
        if _scratch < 0:
            _scratch = _scratch_file()
        saved = os.dup(2)
    except OSError:
        return
    try:
        os.dup2(_scratch, 2)
    except OSError:
        os.close(saved)
        return
    _saved = saved


def _restore() -> None:
    global _saved
    if _saved < 0:  # not diverted
        return
    _flush_stderr()
    os.dup2(_saved, 2)
    os.close(_saved)
    _saved = -1
    size = os.lseek(_scratch, 0, os.SEEK_CUR)
    if not size:
        return
    os.lseek(_scratch, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(_scratch, 1 << 20):
        chunks.append(chunk)
    os.lseek(_scratch, 0, os.SEEK_SET)
    os.ftruncate(_scratch, 0)
    rest = without_reports(b"".join(chunks))
    while rest:
        try:
            written = os.write(2, rest)
        except OSError:  # descriptor 2 closed or broken: nothing more can be shown
            return
        rest = rest[written:]


def _flush_stderr() -> None:
    if sys.stderr is not None:
        try:
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken stream: nothing of it can be written anyway
            pass


def _forget_after_fork() -> None:
    """A forked child (a scan worker) gets its own scratch file: one shared with the parent would mix their text."""
    global _lock, _depth, _saved, _scratch, _released
    _lock = threading.Lock()
    _released = False
    if _saved >= 0:  # forked while a thread of the parent was inside a block: descriptor 2 back as it was
        os.dup2(_saved, 2)
        os.close(_saved)
    _depth, _saved = 0, -1
    if _scratch >= 0:
        os.close(_scratch)
    _scratch = -1


if ENABLED:
    os.register_at_fork(after_in_child=_forget_after_fork)


def _scratch_file() -> int:
    """An anonymous file: in memory where the system offers one, otherwise an unlinked temporary file."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("ledgercheck-stderr", getattr(os, "MFD_CLOEXEC", 0))
        except OSError:
            pass
    import tempfile  # costs milliseconds to import; only where there is no memfd

    handle = tempfile.TemporaryFile()
    return os.dup(handle.fileno())  # the duplicate keeps the file once `handle` is collected
