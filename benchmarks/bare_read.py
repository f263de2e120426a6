"""The floor an audit is measured against: read every sheet of a workbook with python-calamine, nothing else.

    python -m benchmarks.bare_read FILE

The same calls the loader makes (open, get_sheet_by_name, to_python for every sheet); it prints the
number of rows so the read cannot be skipped.
"""

from __future__ import annotations

import sys

from python_calamine import CalamineWorkbook


def main(path: str) -> int:
    book = CalamineWorkbook.from_path(path)
    rows = 0
    for name in book.sheet_names:
        rows += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    book.close()
    return rows


if __name__ == "__main__":
    print(main(sys.argv[1]))
