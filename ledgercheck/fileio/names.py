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
def readable_path(path: Path, suffix: str | None = None) -> Iterator[Path]:
    """`path`, or when its name is not UTF-8 (the workbook reader cannot open such a name) or does not end in
    `suffix` (the reader chooses the format by the name: an .xlsx named .xls), a link to it in a private temporary
    folder under a plain name."""
    suffix = path.suffix.lower() if suffix is None else suffix
    if escape_undecodable(str(path)) == str(path) and path.suffix.lower() == suffix:
        yield path
        return
    import tempfile  # only for a name that is not UTF-8 (tempfile costs milliseconds at start-up)

    with tempfile.TemporaryDirectory(prefix="ledgercheck-") as folder:
        link = Path(folder) / f"workbook{escape_undecodable(suffix)}"
        try:
            os.symlink(os.path.abspath(path), link)
        except OSError:  # no symbolic links here (Windows without the privilege): a hard link, else a copy
            try:
                os.link(path, link)
            except OSError:
                import shutil

                try:
                    shutil.copyfile(path, link)
                except OSError:  # the reader will say it cannot open the file
                    yield path
                    return
        yield link
