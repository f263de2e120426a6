"""The scan history for inspectors: the rounds recorded, and the movement between two of them.

As a table for the terminal, or JSON. Units are listed worst change first within each group (regressed,
improved, unchanged, new, not reporting), so the table reads as the round's report: who slipped, who put things
right, who did not report.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ledgercheck.common.i18n import Lang, Text
from ledgercheck.common.privacy import printable as _p
from ledgercheck.findings.scan.history import Round
from ledgercheck.findings.scan.movement import Comparison, UnitMove
from ledgercheck.reporters.base import ReportOptions

if TYPE_CHECKING:
    from rich.console import Console

L = {
    "rounds": Text("检查轮次", "Rounds"),
    "id": Text("轮次", "round"), "scope": Text("范围", "scope"), "label": Text("名称", "name"), "as_of": Text("截止日期", "as of"),
    "pack": Text("规则包", "rule pack"), "units": Text("单位数", "units"), "status": Text("状态", "status"),
    "started": Text("开始时间", "started"),
    "listed": Text("应报", "listed"), "not_reported": Text("未报送", "did not report"),
    "complete": Text("完成", "complete"), "running": Text("进行中", "running"),
    "interrupted": Text("中断（不参与比较）", "interrupted (never compared)"),
    "none": Text("还没有记录任何轮次：用 ledgercheck scan … --history 本文件 记录。",
                 "No rounds yet: record one with ledgercheck scan … --history this-file."),
    "compare": Text("检查轮次比较", "Round comparison"),
    "now": Text("本轮", "this round"), "before": Text("上一轮", "previous round"),
    "rate": Text("整改率：上一轮的{opened}个问题已整改{resolved}个（{percent}）",
                 "Rectification: {resolved} of last round's {opened} findings resolved ({percent})"),
    "no_rate": Text("整改率：上一轮没有问题", "Rectification: last round had no findings"),
    "no_common": Text("整改率：两轮没有共同的单位，无法计算", "Rectification: no unit is in both rounds"),
    "counts": Text("好转{improved}个单位，退步{regressed}个，持平{unchanged}个，新报送{new}个，未报送{missing}个",
                   "{improved} units improved, {regressed} regressed, {unchanged} unchanged, {new} new, "
                   "{missing} did not report"),
    "unit": Text("单位", "unit"), "score": Text("得分", "score"), "change": Text("变化", "change"),
    "rank": Text("排名", "rank"), "move": Text("升降", "move"), "new_f": Text("新增", "new"),
    "open_f": Text("未整改", "still open"), "resolved_f": Text("已整改", "resolved"),
    "unit_rate": Text("整改率", "rectified"),
    "trend_improved": Text("好转", "improved"), "trend_regressed": Text("退步", "regressed"),
    "trend_unchanged": Text("持平", "unchanged"), "trend_new": Text("新报送", "new"),
    "trend_missing": Text("未报送", "not reporting"), "trend_incomplete": Text("检查不完整", "incomplete"),
    "incomplete": Text("，检查不完整{n}个（不计整改）", "; {n} incomplete (nothing counted as resolved)"),
    "unchanged_units": Text("另有{n}个单位持平，未列出（--format json 以及扫描的 xlsx、HTML 报告列出全部）",
                            "{n} more units unchanged, not listed (--format json and the scan's xlsx and HTML "
                            "reports list them all)"),
    "rules": Text("规则达标率（最近{n}轮）", "Rule compliance (last {n} rounds)"), "rule": Text("规则", "rule"),
    "unchanged_rules": Text("其余{n}条规则的达标率与上一轮相同（ledgercheck history compare 列出全部）",
                            "{n} other rules comply as in the previous round (ledgercheck history compare lists all)"),
}
ORDER = ("regressed", "improved", "unchanged", "incomplete", "new", "missing")
# A terminal lists every unit of a small comparison; of a large one every unit that moved and the first unchanged
# (5,000 rows of 持平 bury the few that matter). JSON and the scan's xlsx and HTML reports list them all.
ALL_LISTED = 50
UNCHANGED_LISTED = 20


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _round_name(round_: Round, lang: Lang) -> str:
    name = f"#{round_.id}" + (f" [{round_.scope}]" if round_.scope else "") + (f" {round_.label}" if round_.label else "")
    return f"{name}（{round_.as_of.isoformat()}，{round_.units}个单位）" if lang == "zh" else \
        f"{name} ({round_.as_of.isoformat()}, {round_.units} units)"


def _move(move: UnitMove, lang: Lang) -> str:
    if move.state == "new":
        return "新" if lang == "zh" else "new"
    if move.movement is None:
        return ""
    return f"↑{move.movement}" if move.movement > 0 else f"↓{-move.movement}" if move.movement < 0 else "—"


def _console(stream: TextIO, options: ReportOptions) -> Console:
    from rich.console import Console  # the tables only: a scan's JSON report takes comparison_dict without rich

    from ledgercheck.reporters.terminal import trimmed

    is_tty = getattr(stream, "isatty", lambda: False)()
    return Console(file=trimmed(stream), width=options.width or (None if is_tty else 120), force_terminal=options.color,
                   no_color=options.color is False, highlight=False, markup=False, emoji=False, soft_wrap=False)


def write_rounds_table(rounds: list[Round], stream: TextIO, options: ReportOptions) -> None:
    lang = options.lang
    console = _console(stream, options)
    if not rounds:
        console.print(L["none"](lang))
        return
    from rich import box
    from rich.table import Table

    grid = Table(title=L["rounds"](lang), box=box.SIMPLE_HEAD, title_justify="left")
    listed = any(r.listed for r in rounds)  # a column for the list of units only where a round had one
    scoped = any(r.scope for r in rounds)  # and for the scope only where one was given (scan --scope)
    keys = ("id", *(("scope",) if scoped else ()), "label", "as_of", "pack", "units",
            *(("listed", "not_reported") if listed else ()), "status", "started")
    for key in keys:
        grid.add_column(L[key](lang), justify="right" if key in ("id", "units", "listed", "not_reported") else "left")
    for r in rounds:
        counts = (str(r.listed) if r.listed else "—", str(r.not_reported) if r.listed else "—") if listed else ()
        grid.add_row(f"#{r.id}", *((_p(r.scope) or "—",) if scoped else ()), _p(r.label), r.as_of.isoformat(),
                     f"{r.pack} {r.pack_version}", str(r.units), *counts, L[r.status](lang) if r.status in L
                     else r.status, r.started)
    console.print(grid)


def write_rounds_json(rounds: list[Round], stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps({"rounds": [_round_dict(r) for r in rounds]}, ensure_ascii=False, indent=2) + "\n")


def _round_dict(r: Round) -> dict[str, object]:
    return {"id": r.id, "label": r.label, "scope": r.scope, "as_of": r.as_of.isoformat(),
            "window": {"start": r.window[0].isoformat() if r.window[0] else None, "end": r.window[1].isoformat()},
            "rule_pack": {"name": r.pack, "version": r.pack_version}, "units": r.units,
            "listed": r.listed or None, "not_reported": r.not_reported if r.listed else None, "status": r.status,
            "started": r.started, "finished": r.finished}


def _sorted(comparison: Comparison) -> list[UnitMove]:
    def key(move: UnitMove) -> tuple[int, float, str]:
        return ORDER.index(move.trend), move.delta if move.delta is not None else 0.0, move.unit

    return sorted(comparison.units, key=key)


def write_comparison_table(comparison: Comparison, stream: TextIO, options: ReportOptions,
                           changed_rules_only: bool = False) -> None:
    lang = options.lang
    console = _console(stream, options)
    console.print(L["compare"](lang), style="bold")
    console.print(f"{L['now'](lang)}: {_p(_round_name(comparison.now, lang))}    "
                  f"{L['before'](lang)}: {_p(_round_name(comparison.before, lang))}")
    both = [u for u in comparison.units if u.state == "both"]
    opened = sum(u.still_open + u.resolved for u in both)
    if opened:
        console.print(L["rate"].format(opened=opened, resolved=sum(u.resolved for u in both),
                                       percent=_percent(comparison.rectification_rate))(lang))
    else:  # nothing was open last round among the units of both rounds, or no unit is in both
        console.print(L["no_rate" if both else "no_common"](lang))
    incomplete = len(comparison.by_trend("incomplete"))
    console.print(L["counts"].format(**{t: len(comparison.by_trend(t)) for t in ORDER})(lang)
                  + (L["incomplete"].format(n=incomplete)(lang) if incomplete else ""))
    from rich import box
    from rich.table import Table

    grid = Table(box=box.SIMPLE_HEAD)
    for key in ("unit", "status", "score", "change", "rank", "move", "new_f", "open_f", "resolved_f", "unit_rate"):
        # A name is folded, never cut: two files of one unit differ only at its end, "name（file）".
        grid.add_column(L[key](lang), justify="left" if key in ("unit", "status") else "right",
                        overflow="fold" if key == "unit" else "ellipsis", no_wrap=key != "unit")
    moves = _sorted(comparison)
    unlisted = 0
    if len(moves) > ALL_LISTED:
        unchanged = [m for m in moves if m.trend == "unchanged"]
        unlisted = max(0, len(unchanged) - UNCHANGED_LISTED)
        hidden = {id(m) for m in unchanged[UNCHANGED_LISTED:]}
        moves = [m for m in moves if id(m) not in hidden]
    for move in moves:
        delta = move.delta
        grid.add_row(_p(move.unit), L[f"trend_{move.trend}"](lang), _score(move.score_now),
                     "" if delta is None else f"{delta:+.1f}", "" if move.rank_now is None else str(move.rank_now),
                     _move(move, lang), str(move.new) if move.state != "missing" else "",
                     str(move.still_open) if move.state == "both" else "",
                     str(move.resolved) if move.state == "both" else "", _percent(move.rectification_rate)
                     if move.state == "both" else "")
    console.print(grid)
    if unlisted:
        console.print(L["unchanged_units"].format(n=unlisted)(lang))
    if comparison.rules:
        rounds = comparison.rounds
        rules = Table(title=L["rules"].format(n=len(rounds))(lang), box=box.SIMPLE_HEAD, title_justify="left")
        rules.add_column(L["rule"](lang))
        for r in rounds:
            rules.add_column(f"#{r.id}", justify="right")
        rules.add_column("", justify="left")
        shown = [t for t in comparison.rules if not changed_rules_only or _changed(t.rates)]
        for trend in shown:
            rates = [rate for rate in trend.rates if rate is not None]
            arrow = "" if len(rates) < 2 else "↑" if rates[-1] > rates[-2] else "↓" if rates[-1] < rates[-2] else "→"
            rules.add_row(trend.rule_id, *(_percent(rate) for rate in trend.rates), arrow)
        if shown:
            console.print(rules)
        if len(shown) < len(comparison.rules):
            console.print(L["unchanged_rules"].format(n=len(comparison.rules) - len(shown))(lang))


def _changed(rates: tuple[float | None, ...]) -> bool:
    """Whether a rule's compliance moved between the last two rounds."""
    return len(rates) >= 2 and rates[-1] != rates[-2]


def write_comparison_json(comparison: Comparison, stream: TextIO, options: ReportOptions) -> None:
    stream.write(json.dumps(comparison_dict(comparison), ensure_ascii=False, indent=2) + "\n")


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """A comparison as `history compare --format json` writes it (and a scan's JSON report, as `movement`)."""
    return {
        "before": _round_dict(comparison.before), "now": _round_dict(comparison.now),
        "rectification_rate": comparison.rectification_rate,
        "units": [{"unit": m.unit, "state": m.state, "trend": m.trend, "score_before": m.score_before,
                   "score_now": m.score_now, "delta": m.delta, "rank_before": m.rank_before, "rank_now": m.rank_now,
                   "movement": m.movement, "new": m.new, "still_open": m.still_open, "resolved": m.resolved,
                   "rectification_rate": m.rectification_rate} for m in _sorted(comparison)],
        "rules": [{"rule": t.rule_id, "rates": list(t.rates)} for t in comparison.rules],
        "rounds": [r.id for r in comparison.rounds],
    }
