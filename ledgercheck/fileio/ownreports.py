"""ledgercheck's own scan reports, told apart from ledgers before a scan reads them.

An inspector who keeps the scan's workbook beside the units' ledgers (`scan 收件箱 -o 收件箱/汇总.xlsx`, every
round) would otherwise find it in the next round as a unit that cannot be read, recorded in the history as a new
unit, and refused as an output that would overwrite one of the inputs. The report says what it is in a custom
document property (MARK); reports written before it did are told by their sheets: the summary and the rankings,
and no sheet that is not one of the report's own (REPORT_SHEETS, in either language).

Only the package's directory and two small parts are read, never a sheet; anything unexpected (not a regular
file, not a zip, a part too large) means "not a report", and the scan's worker reads the file as a ledger and
reports what it finds.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

MARK = ("ledgercheck", "scan report")  # custom property: name, text value (reporters/scan/xlsx_.py writes it)
REPORT_SHEETS = (
    frozenset({"汇总", "规则", "红黑榜", "单位", "组织", "问题", "未完成", "与上一轮比较", "报送情况"}),
    frozenset({"Summary", "Rules", "Rankings", "Units", "Organizations", "Findings", "Not audited",
               "Against last round", "Reporting"}),
)
_REQUIRED = (frozenset({"汇总", "红黑榜"}), frozenset({"Summary", "Rankings"}))
_PART_LIMIT = 1 << 20  # bytes, unpacked: both parts are a few hundred bytes in a report


def is_scan_report(path: Path) -> bool:
    """Whether `path` is a workbook report of `ledgercheck scan` (by its mark, or by its sheets)."""
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or a device is never opened here
            return False
        with zipfile.ZipFile(path) as package:
            custom = _part(package, "docProps/custom.xml")
            if custom is not None and _marked(custom):
                return True
            book = _part(package, "xl/workbook.xml")
            return book is not None and _report_sheets(book)
    except Exception:  # noqa: BLE001 - damaged, encrypted, hostile: a ledger's problem, reported by the worker
        return False


def _part(package: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _PART_LIMIT:
        return None
    with package.open(info) as part:
        data = part.read(_PART_LIMIT + 1)  # the declared size may lie
    return data if len(data) <= _PART_LIMIT else None


def _marked(custom: bytes) -> bool:
    from defusedxml.ElementTree import fromstring

    name, value = MARK
    for element in fromstring(custom).iter():
        if element.tag.endswith("}property") and element.get("name") == name:
            return any((child.text or "") == value for child in element)
    return False


def _report_sheets(book: bytes) -> bool:
    if "红黑榜".encode() not in book and b'"Rankings"' not in book:  # a ledger, almost always: no XML parse
        return False
    from defusedxml.ElementTree import fromstring

    names = {e.get("name") or "" for e in fromstring(book).iter() if e.tag.endswith("}sheet")}
    return any(required <= names <= known for required, known in zip(_REQUIRED, REPORT_SHEETS, strict=True))
