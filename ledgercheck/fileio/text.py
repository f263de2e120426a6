"""Reading a text file the user wrote (configuration, rules, waivers, an earlier report), in one place."""

from __future__ import annotations

from pathlib import Path

from ledgercheck.common.errors import LedgercheckError, with_reason
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location


def read_text(path: Path, display: str, error: type[LedgercheckError]) -> str:
    """The file's text; a byte-order mark (Notepad and WPS write one) is dropped. Failures become `error`."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(with_reason(Text("无法读取文件", "cannot read the file"), exc), Location(display)) from None
