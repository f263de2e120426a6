"""Writing a report file: atomically over a regular file (a reader, a CI upload step or Excel, never sees half a
file), in place to anything else.

Only a regular file (or no file yet) is replaced by renaming a temporary file over it. A device (`/dev/null`,
`/dev/full`), a FIFO, a socket, or the standard streams (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`) are
written in place, as `>` would write them: replacing `/dev/null` with a regular file would break it for every
process on the machine when ledgercheck runs as root in a container or a CI job. A symbolic link to a regular file
keeps being a link: the file it points to is replaced.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ledgercheck.common.errors import UsageError, with_reason
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location

TEMPORARY_NAME_BYTES = 96  # of the output's name kept in the temporary's; a name may be 255 bytes long
_STREAMS = ("/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/fd/", "/proc/")
_MAX_LINKS = 40


def resolved(path: Path) -> Path:
    """The absolute path with links followed; the absolute path as written when a symlink loop stops that."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        return Path(os.path.abspath(path))


class Protected:
    """Files an output must not overwrite, each found in constant time: a scan protects every workbook it read
    (thousands), and writes a notice per unit; comparing each notice with every input took minutes."""

    def __init__(self, paths: Iterable[Path]):
        self._files: dict[tuple[int, int], Path] = {}  # (device, inode) of those that exist: the same file
        self._resolved: dict[Path, Path] = {}  # the path with links followed: the same path, file or not
        for path in paths:
            try:
                found = os.stat(path)
            except (OSError, ValueError):
                pass
            else:
                self._files.setdefault((found.st_dev, found.st_ino), path)
            self._resolved.setdefault(resolved(path), path)

    def clash(self, path: Path) -> Path | None:
        """The protected file `path` would overwrite, if any."""
        try:
            found = os.stat(path)
        except (OSError, ValueError):
            pass
        else:
            other = self._files.get((found.st_dev, found.st_ino))
            if other is not None:
                return other
        return self._resolved.get(resolved(path))


def guard(protected: Iterable[Path] | Protected) -> Protected:
    """`protected` ready to look files up in (built once for many outputs)."""
    return protected if isinstance(protected, Protected) else Protected(protected)


def refuse_protected(path: Path, protected: Iterable[Path] | Protected) -> None:
    """UsageError when writing `path` would overwrite one of `protected`."""
    other = guard(protected).clash(path)
    if other is not None:
        raise UsageError(Text(f"--output 不能覆盖输入文件 {other}", f"--output would overwrite the input {other}"),
                         Location(str(path)))


def _failed(path: Path, exc: OSError, where: Path | None = None) -> UsageError:
    """`where`: the folder or file on the way that is the cause, when it is not the output itself."""
    return UsageError(with_reason(Text("无法写入输出文件", "cannot write the output file"), exc), Location(str(path)),
                      str(where) if where is not None else None)


def _error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def _through_streams(path: Path) -> bool:
    """Whether the path, or a link on the way to its file, is one of the process's streams (/dev/stdout …)."""
    current = os.path.abspath(path)
    for _ in range(_MAX_LINKS):
        if current.startswith(_STREAMS):
            return True
        try:
            target = os.readlink(current)
        except OSError:  # not a link (or a link in a folder on the way: then not one of the streams)
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    return True  # a chain too long to follow: do not rename over whatever it is


def in_place(path: Path) -> bool:
    """Whether `path` is to be written as it is (a device, FIFO, socket or stream) rather than replaced."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError:  # a symlink loop, a component that is not a folder: the rename reports it
        return False
    if stat.S_ISDIR(mode):
        return False  # refused: neither replaced nor written
    return not stat.S_ISREG(mode) or _through_streams(path)


def _nearest_folder(path: Path) -> Path:
    folder = Path(os.path.abspath(path)).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_output(path: Path, protected: Iterable[Path] | Protected = ()) -> None:
    """Refuse, before any work is done, an output that could not be written: one of the inputs, a folder, a path
    under a file, or a folder that cannot be written to (read-only, no permission)."""
    refuse_protected(path, protected)
    if in_place(path):
        return
    if path.is_dir():
        raise _failed(path, _error(errno.EISDIR))
    folder = _nearest_folder(path)
    if not folder.is_dir():
        raise _failed(path, _error(errno.ENOTDIR), folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _failed(path, _error(errno.EROFS if _read_only(folder) else errno.EACCES), folder)


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _temporary_prefix(name: str) -> str:
    """`.NAME.` with NAME cut so that the temporary's name stays far below the 255 bytes a name may have."""
    encoded = os.fsencode(name)
    if len(encoded) > TEMPORARY_NAME_BYTES:
        name = encoded[:TEMPORARY_NAME_BYTES].decode("utf-8", "ignore")  # never half a character
    return f".{name}."


@contextmanager
def _write_in_place(path: Path) -> Iterator[BinaryIO]:
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
    except OSError as exc:
        raise _failed(path, exc) from None


@contextmanager
def atomic_file(path: Path, protected: Iterable[Path] | Protected = ()) -> Iterator[BinaryIO]:
    """A binary stream to a temporary file beside `path`, renamed over `path` when the block ends without error;
    or, when `path` is a device, FIFO, socket or one of the standard streams, a stream to it (see above).

    Refuses to overwrite any of `protected` (the workbook being audited, the waiver file): a mistyped
    `--output ledger.xlsx` must not destroy the ledger. Reports of any size stream through it in flat memory.
    """
    refuse_protected(path, protected)
    if in_place(path):
        with _write_in_place(path) as stream:
            yield stream
        return
    target = path
    if path.is_symlink():  # keep the link; replace the file it points to
        target = resolved(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        previous = os.stat(target).st_mode if target.exists() else None
    except OSError:
        previous = None
    temporary: str | None = None
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file where a folder should be
            raise _failed(path, _error(errno.ENOTDIR), _nearest_folder(target)) from None
        import tempfile  # only when a file is written (an audit to the terminal starts without it)

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=_temporary_prefix(target.name), suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if previous is not None:
            mode = stat.S_IMODE(previous)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp makes 0600; a report is an ordinary file
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, protected: Iterable[Path] | Protected = ()) -> None:
    """Write `data` to `path` atomically (see atomic_file)."""
    with atomic_file(path, protected) as stream:
        stream.write(data)
