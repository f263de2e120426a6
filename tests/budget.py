"""What the equivalence tests of the speed shortcuts compare, and how much of the malformed corpus by default.

Each shortcut is compared with the straightforward path on the samples and benchmark ledgers always, and on a
fixed third of the malformed corpus (chosen by a checksum of each file's name, so that adding files to the corpus
does not change which of the others are compared; files over a megabyte left out) so that the suite stays within
CI's ten minutes;
`LEDGERCHECK_EQUIVALENCE=full python -m pytest tests/ingest -q` compares the whole corpus (about 3 minutes more).
"""

from __future__ import annotations

import os
import shutil
import zlib
from collections.abc import Sequence
from pathlib import Path

FULL = os.environ.get("LEDGERCHECK_EQUIVALENCE") == "full"


SHARE_MAX_BYTES = 1_000_000  # huge-media.xlsx (10 MB) and many-sheets.xlsx (hundreds of sheets) added 100 s


def corpus_share(paths: Sequence[Path]) -> list[Path]:
    """About a third of the paths, each in or out by its name alone, the files over a megabyte left to the full
    comparison (all of them with LEDGERCHECK_EQUIVALENCE=full)."""
    if FULL:
        return list(paths)
    return [p for p in paths if zlib.crc32(p.name.encode()) % 3 == 0 and p.stat().st_size <= SHARE_MAX_BYTES]


SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CORPUS_KINDS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def compared_folder(folder: Path) -> Path:
    """`folder` holding the samples, the small benchmark ledger and the malformed corpus (in malformed/)."""
    from benchmarks.ledgers import generate as generate_ledger
    from tests.malformed.generate import copy_into

    copy_into(folder / "malformed")
    for name in ("clean.xlsx", "violations.xlsx", "violations-english.xlsx", "own-roster.xlsx"):
        shutil.copy(SAMPLES / name, folder / name)
    generate_ledger("small", folder / "small.xlsx")
    return folder


def corpus(folder: Path, kinds: Sequence[str] = tuple(CORPUS_KINDS)) -> list[Path]:
    """The share of the malformed corpus compared (corpus_share), of these file kinds, sorted."""
    return corpus_share(sorted(p for p in (folder / "malformed").iterdir() if p.suffix in kinds))
