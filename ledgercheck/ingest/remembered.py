"""What reading remembers from one workbook for the next, and forgetting it.

A scan of a thousand units reads the same headers and values a thousand times, so reading remembers across
workbooks: folded texts (fold), short texts tested for an empty marker (coerce), header readings (the alias
table's header memo), what each distinct value counts as in a column profile (profile) and a template's sheet list
(preflight: its sheet names). Those hold cell texts, names among them. An inspector's scan keeps them: its own units, in its own process. A web worker serves
many people one upload after another, and no one's names may stay in it for the next: it forgets after each
task. The alias table's values memo stays; it holds dates, numbers and enumerations only (loader.SHARED_TYPES).
So do the preflight's compiled patterns (preflight._quick_patterns), keyed by a row-number ceiling and a column
count, and what the rules remember across workbooks (expression verdicts keyed by counts, dates and known
enumerations only; periods by date; the dues table's rounding), which say nothing of anyone.
"""

from __future__ import annotations

from ledgercheck.ingest import coerce, fold, preflight, profile
from ledgercheck.ingest.aliases import AliasTable


def forget(aliases: AliasTable) -> None:
    """Forget every cell text remembered so far (cheap: the next workbook fills the memos again)."""
    if aliases.header_memo is not None:
        aliases.header_memo.clear()
    profile.forget()
    fold.forget()
    coerce.forget()
    preflight.forget()


def remembered_texts(aliases: AliasTable) -> int:
    """How many texts are remembered now (the tests check a forgetting worker by it)."""
    header = len(aliases.header_memo) if aliases.header_memo is not None else 0
    return header + profile.remembered() + fold.remembered() + coerce.remembered() + preflight.remembered()
