"""Read a multipart upload straight into a job's private folder, counting bytes as they arrive.

The workbooks never touch the system's temporary folder, a request larger than the limit is cut off while it
streams (not after it was spooled to disk), and only so many files and form fields are accepted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_multipart.multipart import MultipartParser, parse_options_header

from ledgercheck.common.i18n import Text
from ledgercheck.web.store import safe_name

MAX_FIELD = 64 << 10  # bytes of one ordinary form field
MAX_FIELDS = 50


class UploadError(Exception):
    def __init__(self, status: int, message: Text):
        super().__init__(message.en)
        self.status = status
        self.message = message


def too_large(limit: int) -> UploadError:
    megabytes = f"{limit / (1 << 20):g}"
    # The limit is the whole upload's: several files sent together count together, and files sent one at a time
    # are audited as separate ledgers. What helps is a smaller file, or a higher limit.
    return UploadError(413, Text(f"上传的文件太大：一次最多 {megabytes} MB。可在 Excel/WPS 中删去台账里的图片和多余的空行后"
                                 "另存再上传，或请网站管理员调高上限",
                                 f"the upload is too large: at most {megabytes} MB at a time. Remove pictures and "
                                 "unused rows from the ledger in Excel/WPS and save it again, or ask the administrator "
                                 "to raise the limit"))


BAD_FORM = UploadError(400, Text("上传的内容不是文件表单，请在页面上选择文件后提交",
                                 "the request is not a file upload form; choose the files on the page and submit"))


@dataclass
class SavedFile:
    field: str
    name: str  # as stored in the folder (the uploaded base name, made safe)
    size: int


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[SavedFile] = field(default_factory=list)

    def workbooks(self, name: str = "files") -> list[SavedFile]:
        return [f for f in self.files if f.field == name]


class _Receiver:
    def __init__(self, folder: Path, max_bytes: int, max_files: int, file_fields: set[str]):
        self.folder = folder
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.file_fields = file_fields
        self.upload = Upload()
        self.taken: set[str] = set()
        self.total = 0
        self._headers: dict[str, bytes] = {}
        self._field = b""
        self._value = b""
        self._name = ""
        self._filename: str | None = None
        self._data = bytearray()
        self._stream: IO[bytes] | None = None
        self._current: SavedFile | None = None
        self.error: UploadError | None = None

    def callbacks(self) -> Any:  # python_multipart's MultipartCallbacks (a TypedDict)
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
                "on_part_end": self.part_end}

    def part_begin(self) -> None:
        self._headers, self._field, self._value = {}, b"", b""
        self._data = bytearray()
        self._stream, self._current, self._filename = None, None, None

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._field.decode("latin-1").lower()] = self._value
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            if len(self.upload.fields) >= MAX_FIELDS:
                raise _Stop(BAD_FORM)
            return
        self._filename = filename.decode("utf-8", "replace")
        if self._name not in self.file_fields or not self._filename:
            return  # a file field we do not take, or an empty file input: its bytes are dropped
        if len(self.upload.files) >= self.max_files:
            raise _Stop(UploadError(413, Text(f"一次最多上传 {self.max_files} 个文件",
                                              f"at most {self.max_files} files at a time")))
        name = safe_name(self._filename, self.taken)
        self._current = SavedFile(self._name, name, 0)
        self._stream = (self.folder / name).open("xb")
        self.upload.files.append(self._current)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        self.total += size
        if self.total > self.max_bytes:
            raise _Stop(too_large(self.max_bytes))
        if self._stream is not None and self._current is not None:
            self._stream.write(data[start:end])
            self._current.size += size
        elif self._filename is None:
            if len(self._data) + size > MAX_FIELD:
                raise _Stop(BAD_FORM)
            self._data += data[start:end]

    def part_end(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        elif self._filename is None and self._name:
            self.upload.fields[self._name] = bytes(self._data).decode("utf-8", "replace")

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


class _Stop(Exception):
    def __init__(self, error: UploadError):
        self.error = error


async def receive(stream: AsyncIterator[bytes], content_type: str, folder: Path, max_bytes: int, max_files: int,
                  file_fields: set[str] | None = None) -> Upload:
    """Parse the request body into `folder`; raises UploadError (with its HTTP status) when it cannot."""
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise BAD_FORM
    receiver = _Receiver(folder, max_bytes, max_files, file_fields or {"files", "aliases"})
    parser = MultipartParser(boundary, receiver.callbacks())
    try:
        async for chunk in stream:
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except _Stop as stop:
        raise stop.error from None
    except UploadError:
        raise
    except Exception:  # noqa: BLE001 - a malformed body, whatever the parser calls it
        raise BAD_FORM from None
    finally:
        receiver.close()
    return receiver.upload
