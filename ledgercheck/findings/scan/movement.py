"""Movement between two rounds of a scan history: what an inspector reports from one round to the next.

Per unit: the score and its change, findings new / still open / resolved (by fingerprint, as `diff` does for
one audit), the rectification rate (resolved ÷ open last round), whether it improved or regressed, and its
place on the 红黑榜 then and now. Units that reported last round and not this one are listed as not
reporting, never as improved, and so are the units the round's list (scan --expected) names that sent nothing.
Per rule: the compliance rate (organizations complying ÷ judged) over rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ledgercheck.common.i18n import Text
from ledgercheck.findings.scan.history import History, Round, UnitRecord, apart, apart_unit
from ledgercheck.findings.scan.roll import Roll, RollEntry, ScannedUnit, check_roll

# A score change smaller than this is "unchanged": scores are rounded to 0.1.
SCORE_EPSILON = 0.05


@dataclass(frozen=True)
class UnitMove:
    unit: str
    state: str  # both | new (first reported) | missing (reported last round, not this one)
    score_before: float | None
    score_now: float | None
    rank_before: int | None
    rank_now: int | None
    new: int = 0
    still_open: int = 0
    resolved: int = 0
    # False: this round's audit of the unit could not be read or was not complete (a sheet missing, a rule not
    # checked): what it does not show was not judged, so none of last round's findings counts as resolved.
    complete: bool = True

    @property
    def delta(self) -> float | None:
        if self.score_before is None or self.score_now is None:
            return None
        return self.score_now - self.score_before

    @property
    def rectification_rate(self) -> float | None:
        """Resolved ÷ open last round; None when nothing was open (or the unit is not in both rounds)."""
        opened = self.still_open + self.resolved
        return self.resolved / opened if self.state == "both" and opened else None

    @property
    def trend(self) -> str:
        """improved | regressed | unchanged | incomplete | new | missing."""
        if self.state != "both":
            return self.state
        if not self.complete:
            return "incomplete"
        delta = self.delta
        if delta is None:
            return "unchanged"
        return "improved" if delta > SCORE_EPSILON else "regressed" if delta < -SCORE_EPSILON else "unchanged"

    @property
    def movement(self) -> int | None:
        """Places moved up the ranking (positive) or down (negative); None for a unit not ranked both times."""
        if self.rank_before is None or self.rank_now is None:
            return None
        return self.rank_before - self.rank_now


@dataclass(frozen=True)
class RuleTrend:
    rule_id: str
    rates: tuple[float | None, ...]  # compliance per round, oldest first (None: not judged that round)


@dataclass
class Comparison:
    before: Round
    now: Round
    units: list[UnitMove] = field(default_factory=list)
    rules: list[RuleTrend] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)  # those the trends cover, oldest first
    scores: dict[str, tuple[float | None, ...]] = field(default_factory=dict)  # unit → its score in those rounds

    def of(self, unit: str | None, path: str | None = None) -> UnitMove | None:
        """A unit's movement: under "name（file）" where several files of the round named it (`path`: the file's),
        else under its name."""
        if not unit:
            return None
        if path is not None:
            found = self._index.get(apart(unit, path))
            if found is not None:
                return found
        return self._index.get(unit)

    @cached_property
    def _index(self) -> dict[str, UnitMove]:
        return {m.unit: m for m in self.units}

    def by_trend(self, trend: str) -> list[UnitMove]:
        return [u for u in self.units if u.trend == trend]

    @property
    def rectification_rate(self) -> float | None:
        """All units together: findings resolved ÷ findings open last round (units in both rounds)."""
        both = [u for u in self.units if u.state == "both"]
        opened = sum(u.still_open + u.resolved for u in both)
        return sum(u.resolved for u in both) / opened if opened else None


def ranks(units: dict[str, UnitRecord]) -> dict[str, int]:
    """Competition ranking by score, best first (equal scores share a place); units without a score unranked."""
    scored = sorted((u.score for u in units.values() if u.score is not None), reverse=True)
    place = {score: scored.index(score) + 1 for score in set(scored)}
    return {name: place[u.score] for name, u in units.items() if u.score is not None}


def compare(history: History, before_id: int, now_id: int, trend_rounds: int = 6) -> Comparison:
    before, now = history.round(before_id), history.round(now_id)
    if before is None or now is None:
        raise KeyError(before_id if before is None else now_id)
    old, new = history.units(before_id), history.units(now_id)
    renamed = _moved_files(old, new) | _listed_renames(history, before_id, now_id, old, new)
    old = {renamed.get(key, key): record for key, record in old.items()}
    old_ranks, new_ranks = ranks(old), ranks(new)
    moves = []
    for name in sorted(set(old) | set(new)):
        was, is_ = old.get(name), new.get(name)
        if was is not None and is_ is not None:
            # A unit that could not be read this round, or whose audit was incomplete (no score: a sheet left out,
            # a rule not checked), resolved nothing: its findings are unknown, not gone.
            judged = is_.status != "unreadable" and is_.score is not None
            before_prints = {f.fingerprint for f in was.findings}
            now_prints = {f.fingerprint for f in is_.findings}
            moves.append(UnitMove(name, "both", was.score, is_.score, old_ranks.get(name), new_ranks.get(name),
                                  len(now_prints - before_prints), len(before_prints & now_prints) if judged
                                  else len(before_prints), len(before_prints - now_prints) if judged else 0,
                                  judged))
        elif is_ is not None:
            moves.append(UnitMove(name, "new", None, is_.score, None, new_ranks.get(name),
                                  len({f.fingerprint for f in is_.findings})))
        elif was is not None:
            moves.append(UnitMove(name, "missing", was.score, None, old_ranks.get(name), None))
    moves += _listed_missing(history, before_id, now_id, old, moves)
    series = [r for r in history.rounds(now.scope) if r.complete and r.id <= now.id][-trend_rounds:]
    rates = [history.rule_rates(r.id) for r in series]
    rule_ids = sorted({rule for per_round in rates for rule in per_round})
    trends = [RuleTrend(rule, tuple(_rate(per_round.get(rule)) for per_round in rates)) for rule in rule_ids]
    # Earlier rounds keep a renamed or moved unit under its old key, as the previous round did: the same key now.
    per_round = [{renamed.get(key, key): score for key, score in history.scores(r.id).items()} for r in series]
    scores = {m.unit: tuple(round_scores.get(m.unit) for round_scores in per_round) for m in moves}
    return Comparison(before, now, moves, trends, series, scores)


def _moved_files(old: dict[str, UnitRecord], new: dict[str, UnitRecord]) -> dict[str, str]:
    """Last round's key → this round's, for the files kept apart as "name（file）" (several files of a round named
    one unit: 机关党委) whose folder changed between rounds (报送/2026Q1/… → 报送/2026Q2/…): the same name and
    the same file name, one on each side. Without it each would show as not reporting beside a new unit."""
    def by_file(units: dict[str, UnitRecord], keys: set[str]) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], list[str]] = {}
        for key in keys:
            path = units[key].path
            unit = apart_unit(key, path)
            if unit is not None:
                name = path.replace("\\", "/").rsplit("/", 1)[-1]
                found.setdefault((unit, name), []).append(key)
        return {pair: keys[0] for pair, keys in found.items() if len(keys) == 1}

    gone, came = by_file(old, set(old) - set(new)), by_file(new, set(new) - set(old))
    return {gone[pair]: came[pair] for pair in gone.keys() & came.keys()}


def _listed_renames(history: History, before_id: int, now_id: int, old: dict[str, UnitRecord],
                    new: dict[str, UnitRecord]) -> dict[str, str]:
    """Last round's key → this round's, for a unit whose name changed between rounds (中共某局机关支部委员会 for
    某局机关党支部, a new top organization) while both rounds' lists (scan --expected) matched it to one listed unit:
    the list says it is the same unit, so it is compared, not shown as a new unit beside a missing one."""
    before, now = history.expected(before_id), history.expected(now_id)
    pairs = {before[listed]: unit for listed, unit in now.items()
             if unit is not None and before.get(listed) is not None and before[listed] != unit}
    targets = [unit for unit in pairs.values()]
    return {was: unit for was, unit in pairs.items()
            if was in old and was not in new and unit in new and unit not in old and targets.count(unit) == 1}


def _listed_missing(history: History, before_id: int, now_id: int, old: dict[str, UnitRecord],
                    moves: list[UnitMove]) -> list[UnitMove]:
    """Units the round's list (scan --expected) says should report and that did not, beyond those missing since
    the last round already: a unit that never reported is missing too. A listed unit is known across rounds by the
    unit that reported for it last round (or by its own name), so it is not counted twice; and a listed name
    written otherwise than that unit (平谷区应急管理局 for 平谷区应急管理局机关党支部: the previous round had no
    list, or listed it otherwise) is matched with the units missing since last round as the list is matched."""
    before = history.expected(before_id)
    moved = {m.unit for m in moves}
    pending = []
    for listed, unit in history.expected(now_id).items():
        if unit is not None:
            continue
        was = before.get(listed) or (listed if listed in old else None)
        if was is None or was not in moved:
            pending.append(listed)
    gone = [ScannedUnit(old[m.unit].path, m.unit) for m in moves if m.state == "missing" and m.unit in old]
    if gone and pending:  # one pass over both (a province lists tens of thousands): roll.check_roll
        matched = check_roll(Roll("", [RollEntry(listed, "") for listed in pending]), gone).reported
        stood_for = {entry.name for entry, _files in matched}
        pending = [listed for listed in pending if listed not in stood_for]
    return [UnitMove(listed, "missing", None, None, None, None) for listed in pending]


def _rate(tally: tuple[int, int] | None) -> float | None:
    if tally is None or not tally[1]:
        return None
    return tally[0] / tally[1]


def caveats(before: Round, now: Round) -> list[Text]:
    """What makes two rounds less than comparable, said beside their comparison: other scopes, a later round dated
    before the earlier (a rescan), another rule pack or version (rules may have changed), another window start."""
    said = []
    if now.scope != before.scope:
        said.append(Text(f"注意：第{before.id}轮（范围「{before.scope or '—'}」）与第{now.id}轮（范围「{now.scope or '—'}」）"
                         "检查的范围不同",
                         f"note: round #{before.id} (scope {before.scope or '—'}) and round #{now.id} (scope "
                         f"{now.scope or '—'}) cover different scopes"))
    if now.as_of < before.as_of:
        said.append(Text(f"注意：第{now.id}轮的截止日期（{now.as_of.isoformat()}）早于第{before.id}轮"
                         f"（{before.as_of.isoformat()}），两轮检查的不是先后两个时段",
                         f"note: round #{now.id} is as of {now.as_of.isoformat()}, before round #{before.id} "
                         f"({before.as_of.isoformat()}): the two rounds do not look at one period after another"))
    if (now.pack, now.pack_version) != (before.pack, before.pack_version):
        said.append(Text(f"注意：两轮所用规则包不同（第{before.id}轮 {before.pack} {before.pack_version}，第{now.id}轮 "
                         f"{now.pack} {now.pack_version}），规则有变化的，问题的增减不全是整改所致",
                         f"note: the rounds used other rule packs (#{before.id}: {before.pack} {before.pack_version}, "
                         f"#{now.id}: {now.pack} {now.pack_version}); where rules changed, not every change in "
                         "findings is rectification"))
    if now.window[0] != before.window[0] and now.window[0] is not None and before.window[0] is not None:
        said.append(Text(f"注意：两轮检查期间的起始日期不同（{before.window[0].isoformat()}、{now.window[0].isoformat()}）",
                         f"note: the rounds' windows start on other dates ({before.window[0].isoformat()}, "
                         f"{now.window[0].isoformat()})"))
    return said


def previous_round(history: History, round_id: int) -> Round | None:
    """The latest complete round of the same scope before `round_id`."""
    now = history.round(round_id)
    return history.last_complete(now.scope, now.id) if now is not None else None
