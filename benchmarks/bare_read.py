"""The floor an audit is measured against: read every sheet of a workbook with python-calamine, nothing else.

    python -m benchmarks.bare_read FILE

The same calls the loader makes (open, get_sheet_by_name, to_python for every sheet). It prints the number
of rows (so the read cannot be skipped) and the seconds the calamine calls took: the parse time the audit's
rule evaluation is compared with.
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
