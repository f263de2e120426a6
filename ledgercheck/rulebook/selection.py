"""Which rules run: `select` / `ignore` by rule id or id prefix (MEET-), the more specific pattern winning.

A rule matched by both lists follows the longer (more specific) pattern: `select: [MEET-]` with
`ignore: [MEET-PARTY-LECTURE]` runs every meeting rule but the lecture one, and `select: [MEET-COMMITTEE-MONTHLY, ORG-]`
with `ignore: [MEET-]` runs the committee rule and the ORG- rules. When `select` is given, rules it does not
match are off. A pattern that matches no rule is an error (a typo would otherwise
silently turn checks off). Without `select` every rule is selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ledgercheck.common.errors import ConfigError
from ledgercheck.common.i18n import Text
from ledgercheck.common.location import Location
from ledgercheck.rulebook.loader import Rulebook


@dataclass(frozen=True)
class Pattern:
    """A --select/--ignore pattern and where it was written."""

    text: str
    where: Location | None = None  # the config line it came from; None for a command-line flag

    def matches(self, rule_id: str) -> bool:
        return rule_id == self.text or rule_id.startswith(self.text)


def _most_specific(rule_id: str, patterns: Sequence[Pattern]) -> int:
    return max((len(p.text) for p in patterns if p.matches(rule_id)), default=-1)


def selected(rule_id: str, select: Sequence[Pattern], ignore: Sequence[Pattern]) -> bool:
    chosen, dropped = _most_specific(rule_id, select), _most_specific(rule_id, ignore)
    if chosen < 0 and dropped < 0:
        return not select
    return chosen > dropped  # an equally specific ignore wins


def _check_patterns(book: Rulebook, patterns: Sequence[Pattern], option: str) -> None:
    for pattern in patterns:
        if not any(pattern.matches(rule_id) for rule_id in book.rules):
            raise ConfigError(Text(f"{option}：「{pattern.text}」不是任何规则的编号或编号前缀（如 MEET-）",
                                   f"{option}: {pattern.text!r} is neither a rule id nor a prefix of one (e.g. MEET-)"),
                              pattern.where)


def apply_selection(book: Rulebook, select: Sequence[Pattern], ignore: Sequence[Pattern]) -> Rulebook:
    """The rulebook with only the selected rules, in their original order."""
    if not select and not ignore:
        return book
    _check_patterns(book, select, "select")
    _check_patterns(book, ignore, "ignore")
    return book.select([rule_id for rule_id in book.rules if selected(rule_id, select, ignore)])
