"""Writing a report file atomically: a reader (a CI upload step, Excel) never sees half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ledgercheck.common.errors import UsageError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _refuse_protected(path: Path, protected: Iterable[Path]) -> None:
    for other in protected:
        if _same(path, other) or path.resolve() == other.resolve():
            raise UsageError(Text(f"--output 不能覆盖输入文件 {other}", f"--output would overwrite the input {other}"),
                             Location(str(path)))


def _failed(path: Path, exc: OSError) -> UsageError:
    return UsageError(Text("无法写入输出文件", "cannot write the output file"), Location(str(path)),
                      exc.strerror or str(exc))


@contextmanager
def atomic_file(path: Path, protected: Iterable[Path] = ()) -> Iterator[BinaryIO]:
    """A binary stream to a temporary file beside `path`, renamed over `path` when the block ends without error.

    Refuses to overwrite any of `protected` (the workbook being audited, the waiver file): a mistyped
    `--output ledger.xlsx` must not destroy the ledger. Reports of any size stream through it in flat memory.
    """
    _refuse_protected(path, protected)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(temporary, path)
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, protected: Iterable[Path] = ()) -> None:
    """Write `data` to `path` atomically (see atomic_file)."""
    with atomic_file(path, protected) as stream:
        stream.write(data)
