"""The reports for people as a person sees them: audit, remind, explain and rules list run in a real terminal
(tmux) 80 and 160 columns wide on the bundled sample, the screen captured with wrapped lines joined, and checked as
a reader would: no line wider than the terminal, none starting with closing punctuation, no date or number cut
across lines, every finding's rule present; at 80 columns the findings are blocks, at 160 a table."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import ROOT, SAMPLE_AS_OF
from tests.ledgers import VIOLATIONS, cli

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")]

# What may not begin a line (GB/T 15834, clreq), written out here rather than taken from the code under test.
CLOSING = set("，。、；：？！）》」』】〉,.;:?!)")
COMMANDS = {
    "audit": ["audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF],
    "audit-en": ["audit", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF, "--lang", "en"],
    "remind": ["remind", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF],
    "explain": ["explain", "DUES-BRACKET-AMOUNT"],
    "rules": ["rules", "list"],
    "scan": ["scan", str(ROOT / "samples"), "--as-of", SAMPLE_AS_OF, "--jobs", "1"],
}
END = "__ledgercheck_done__"


class Tmux:
    """A private tmux server; each command in a session of its own, its whole output captured."""

    def __init__(self, folder: Path) -> None:
        self.socket = str(folder / "tmux.sock")  # in the test's folder: nothing left in /tmp/tmux-UID
        self.config = folder / "tmux.conf"
        self.config.write_text("set -g history-limit 20000\nset -g status off\n")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, "-f", str(self.config), *args], check=True,
                              capture_output=True, text=True).stdout

    def start(self, name: str, columns: int, argv: list[str]) -> None:
        command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "ledgercheck", *argv])
        env = f"PYTHONPATH={shlex.quote(str(ROOT))} LANG=C.UTF-8"
        self.tmux("new-session", "-d", "-s", name, "-x", str(columns), "-y", "50",
                  f"sh -c {shlex.quote(f'{env} {command}; echo {END}; sleep 600')}")

    def capture(self, name: str, timeout: float = 180) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            lines = self.tmux("capture-pane", "-p", "-J", "-t", name, "-S", "-", "-E", "-").splitlines()
            if END in lines:
                return [line.rstrip() for line in lines[:lines.index(END)]]
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} did not finish:\n" + "\n".join(lines))
            time.sleep(0.3)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


@pytest.fixture(scope="module")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, int], list[str]]]:
    tmux = Tmux(tmp_path_factory.mktemp("tmux"))
    try:
        for columns in (80, 160):
            for name, argv in COMMANDS.items():
                tmux.start(f"{name}-{columns}", columns, argv)
        yield {(name, columns): tmux.capture(f"{name}-{columns}") for columns in (80, 160) for name in COMMANDS}
    finally:
        tmux.close()


def _findings() -> list[dict]:
    return json.loads(cli("audit", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--format", "json").stdout)["findings"]


def _reminders() -> list[dict]:
    return json.loads(cli("remind", VIOLATIONS, "--as-of", SAMPLE_AS_OF, "--format", "json").stdout)["reminders"]


def _rule_ids() -> list[str]:
    return re.findall(r"^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\b", cli("rules", "list").stdout, re.M)


def _read_as_a_person(lines: list[str], columns: int) -> None:
    """Nothing wider than the terminal, no line opening on closing punctuation, no date or number cut."""
    assert lines, "nothing on the screen"
    for number, line in enumerate(lines):
        assert cell_len(line) <= columns, f"line {number + 1} is {cell_len(line)} cells: {line}"
        assert line.lstrip()[:1] not in CLOSING, f"line {number + 1} starts with closing punctuation: {line}"
    for above, below in zip(lines, lines[1:]):
        head = below.lstrip()
        # a number ending the line (not a cell such as 组织!A3), or a date's 年 月 - /, or a sign before a number
        cut_number = re.search(r"(?<![A-Za-z!\d])\d[\d.,:-]*$|\d[年月/-]$|[≤≥¥]$", above) and re.match(r"\d", head)
        assert not cut_number, f"a date or number cut across lines:\n{above}\n{below}"
        assert not (re.search(r"《[^》]*$", above) and len(above) < columns - 2), f"a title cut early:\n{above}"


@pytest.mark.parametrize("columns", [80, 160])
def test_every_report_reads_well_at_the_width_of_the_terminal(screens: dict, columns: int) -> None:
    for name in COMMANDS:
        _read_as_a_person(screens[name, columns], columns)
    shown = {name: "\n".join(screens[name, columns]) for name in COMMANDS}
    for finding in _findings():
        assert finding["rule"]["id"] in shown["audit"] and finding["rule"]["id"] in shown["audit-en"]
        if finding.get("location"):
            assert finding["location"]["sheet"] in shown["audit"]
    for reminder in _reminders():
        assert reminder["date"] in shown["remind"]
    assert shown["remind"].count("依据") >= 1
    ids = _rule_ids()
    assert len(ids) > 40 and all(rule_id in shown["rules"] for rule_id in ids)
    assert "DUES-BRACKET-AMOUNT" in shown["explain"] and "≤5000" in shown["explain"]
    # scan: every rule with its rate, none cut (「100.」); the unit not read whole is listed apart, not ranked
    assert all(rule_id in shown["scan"] for rule_id in ids) and "100.0%" in shown["scan"]
    assert not re.search(r"100\.(?!0)", shown["scan"])
    ranked, _, apart = shown["scan"].partition("未能完整检查的文件")
    assert "own-roster.xlsx" in apart and "own-roster.xlsx" not in ranked.partition("单位得分排名")[2]
    # Chinese mode speaks Chinese: the severity in rules list, the level in audit
    assert "错误" in shown["rules"] and " error " not in shown["rules"]


def test_at_80_columns_a_finding_is_a_block_and_at_160_a_row(screens: dict) -> None:
    narrow, wide = screens["audit", 80], screens["audit", 160]
    assert len(narrow) < 2.2 * len(wide), (len(narrow), len(wide))  # no longer 341 lines for 116
    committee = next(n for n, line in enumerate(narrow) if "MEET-COMMITTEE-MONTHLY" in line)
    assert narrow[committee].lstrip().startswith("错误") and "2025-05" in narrow[committee]
    assert "未召开支部委员会会议" in narrow[committee + 1] and narrow[committee + 1].startswith("    ")
    assert any(line.split()[:5] == ["级别", "规则", "期间", "位置", "说明"] for line in wide)
    row = next(line for line in wide if "MEET-COMMITTEE-MONTHLY" in line)
    assert "组织!A3" in row and "未召开支部委员会会议" in row
    remind = screens["remind", 80]
    assert len(remind) < 6 * len(_reminders())  # was 536 lines for 33
    assert "共" in remind[-1]
    for screen in (narrow, screens["audit-en", 80]):  # the end of a run: per rule, per organization, next step
        text = "\n".join(screen)
        assert ("各规则的问题数" in text and "各组织的问题数" in text) or \
            ("Findings per rule" in text and "Findings per organization" in text)
        assert screen[-2].startswith(("下一步", "Next")) or screen[-1].startswith(("下一步", "Next")) or \
            any(line.startswith(("下一步", "Next")) for line in screen[-3:])

