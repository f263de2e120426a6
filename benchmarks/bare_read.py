"""The floor an audit is measured against: read every sheet of a workbook with python-calamine, nothing else.

    python -m benchmarks.bare_read FILE

What a program that reads a workbook with python-calamine does (open, get_sheet_by_name, to_python for every
sheet), as issue 19's targets define the floor. Since round eleven the audit's own reading gives calamine a copy
of the package that spares it the second pass `get_sheet_by_name` makes for merged cells (ledgercheck/ingest/
shadow.py), so the audit's parse is quicker than this read's. It prints the number of rows (so the read cannot be
skipped) and the seconds the calamine calls took: the parse time the audit's rule evaluation is compared with.
"""

from __future__ import annotations

import sys
import time

from python_calamine import CalamineWorkbook


def main(path: str) -> int:
    book = CalamineWorkbook.from_path(path)
    rows = 0
    for name in book.sheet_names:
        rows += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    book.close()
    return rows


if __name__ == "__main__":
    started = time.perf_counter()
    count = main(sys.argv[1])
    print(count, f"{time.perf_counter() - started:.6f}")
