"""File names that are not UTF-8: a GBK name unpacked from a Windows zip on Linux, as Python holds it (surrogates).

python-calamine cannot open such a name (it sees another one: "No such file or directory"), and text cannot show
or store it as it is. `readable_path` gives the workbook reader a plain-named link to the file; `escape_undecodable`
shows the name with its stray bytes escaped (`\\xcc\\xa8.xlsx`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def escape_undecodable(text: str) -> str:
    """`text` as it can be shown and stored: the bytes of a name that is not UTF-8 escaped (\\xcc), else unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that does not stand for a byte
            return text.encode("utf-8", "backslashreplace").decode("utf-8")


@contextmanager
def readable_path(path: Path) -> Iterator[Path]:
    """`path`, or when its name is not UTF-8 (the workbook reader cannot open such a name), a link to it in a
    private temporary folder under a plain name."""
    if escape_undecodable(str(path)) == str(path):
        yield path
        return
    import tempfile  # only for a name that is not UTF-8 (tempfile costs milliseconds at start-up)

    with tempfile.TemporaryDirectory(prefix="ledgercheck-") as folder:
        link = Path(folder) / f"workbook{escape_undecodable(path.suffix.lower())}"
        try:
            os.symlink(os.path.abspath(path), link)
        except OSError:  # no symbolic links here: the reader will say it cannot open the file
            yield path
            return
        yield link
