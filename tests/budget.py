"""How much of the malformed corpus the equivalence tests of the speed shortcuts compare by default.

Each shortcut is compared with the straightforward path on the samples and benchmark ledgers always, and on a
fixed third of the malformed corpus (every third file, sorted) so that the suite stays within CI's ten minutes;
`LEDGERCHECK_EQUIVALENCE=full python -m pytest tests/ingest -q` compares the whole corpus (about 3 minutes more).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TypeVar

P = TypeVar("P")
FULL = os.environ.get("LEDGERCHECK_EQUIVALENCE") == "full"


def corpus_share(paths: Sequence[P]) -> list[P]:
    """Every third path (all of them with LEDGERCHECK_EQUIVALENCE=full)."""
    return list(paths) if FULL else list(paths[::3])
