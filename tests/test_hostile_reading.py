"""Small hostile inputs that are not workbooks (issue 18, parts 4 and 6): YAML alias bombs, recursive aliases and
deep nesting in every file a user passes, deeply nested baselines and pyproject tables, CEL expressions that
cost exponentially, a folder that shadows the built-in pack. And the worst workbooks of tests/malformed/crafted.py
run as a user runs them, in a child process with a memory cap, timed.

Each must be answered in seconds with a message naming the file (and line), exit 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.child_usage import Timeout, measure
from ledgercheck.cli import main
from tests.conftest import ROOT, SAMPLE_AS_OF, SAMPLES

CLEAN = SAMPLES / "clean.xlsx"
MIB = 1 << 20


def _bomb(levels: int = 9) -> str:
    """The 1 KB billion laughs of YAML: each level an alias to the one before, ten times."""
    lines = ["a0: &a0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def run(*args: str, cwd: Path | None = None, memory: int = 1500 * MIB, timeout: float = 60) -> tuple[int, str, str,
                                                                                                        float, float]:
    """`ledgercheck ARGS` in a child process under an address-space cap (so a regression fails fast instead of
    eating the machine): exit code, stdout, stderr, the child's CPU seconds and its own peak resident MiB.

    CPU, not wall time: on a shared machine the wall clock measures the neighbours; `timeout` (wall) still catches
    a hang."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUST_")}
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            usage = measure([sys.executable, "-m", "ledgercheck", *args], cwd=cwd or ROOT, env=env, memory=memory,
                            timeout=timeout, stdout=out, stderr=err)
        except Timeout as slow:
            pytest.fail(str(slow))
        out.seek(0)
        err.seek(0)
        return (usage.status, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                usage.cpu, usage.peak_mib)


def audit(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", str(CLEAN), "--as-of", SAMPLE_AS_OF, *args])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception,
                                                                                          SystemExit)), result.output
    return result.exit_code, result.stderr


# ---- YAML -------------------------------------------------------------------------------------------------


def _pack(folder: Path, rules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text("name: bomb\nversion: '1'\nextends: national\n", "utf-8")
    (folder / "rules.yaml").write_text(rules, "utf-8")
    return folder


@pytest.mark.parametrize("where", ["rules", "config", "waivers", "aliases"])
def test_an_alias_bomb_is_refused_wherever_it_is_passed(tmp_path: Path, where: str) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_bomb(), "utf-8")
    option = {"rules": ["--rules", str(_pack(tmp_path / "pack", _bomb()))], "config": ["--config", str(bomb)],
              "waivers": ["--waivers", str(bomb)], "aliases": ["--aliases", str(bomb)]}[where]
    started = time.perf_counter()
    code, stderr = audit(*option)
    assert code == 2 and "10,000" in stderr and "第1行" in stderr, stderr
    assert time.perf_counter() - started < 5
    code, stderr = audit(*option, "--lang", "en")
    assert code == 2 and "aliases (*name) expand to more than 10,000 values" in stderr, stderr


def test_an_alias_bomb_found_on_its_own_is_refused(tmp_path: Path) -> None:
    """An auto-discovered .ledgercheck.yaml, and scan --aliases, in a real process with a memory cap."""
    (tmp_path / ".ledgercheck.yaml").write_text(_bomb(), "utf-8")
    code, _out, err, seconds, _peak = run("audit", str(CLEAN), "--as-of", SAMPLE_AS_OF, cwd=tmp_path)
    assert code == 2 and ".ledgercheck.yaml" in err and "10,000" in err and seconds < 10, err
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(CLEAN.read_bytes())
    (tmp_path / "aliases.yaml").write_text(_bomb(), "utf-8")
    code, _out, err, seconds, _peak = run("scan", str(folder), "--aliases", str(tmp_path / "aliases.yaml"),
                                          "--no-config", "--quiet", cwd=tmp_path)
    assert code == 2 and "aliases.yaml" in err and seconds < 10, err


def test_recursive_aliases_and_deep_nesting_are_errors_not_crashes(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("fail-on: error\nselect: &a [x, *a]\n", "utf-8")
    code, stderr = audit("--config", str(config))
    assert code == 2 and "递归别名" in stderr and "第2行" in stderr, stderr
    config.write_text("select: " + "[" * 200 + "]" * 200 + "\n", "utf-8")
    code, stderr = audit("--config", str(config))
    assert code == 2 and "嵌套超过 64 层" in stderr, stderr
    config.write_text("select: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")  # libyaml's own limit
    code, stderr = audit("--config", str(config))
    assert code == 2 and "config.yaml" in stderr, stderr


def test_reuse_of_small_anchors_still_works(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("select: &prefixes [MEET-, DUES-]\nignore: []\nx-copy: *prefixes\n", "utf-8")
    from ledgercheck.fileio.yamldoc import load_yaml

    assert load_yaml(config).data["x-copy"] == ["MEET-", "DUES-"]


def test_deep_baselines_and_pyproject_tables_are_errors(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    code, stderr = audit("--baseline", str(baseline), "--format", "json")
    assert code == 2 and "baseline.json" in stderr and "嵌套过深" in stderr, stderr
    result = CliRunner().invoke(main, ["diff", str(baseline), str(baseline)])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    (tmp_path / "pyproject.toml").write_text("[tool.ledgercheck]\nselect = " + "[" * 100_000 + "]" * 100_000 + "\n",
                                             "utf-8")
    code, stderr = audit("--config", str(tmp_path / "pyproject.toml"))
    assert code == 2 and "pyproject.toml" in stderr and "嵌套过深" in stderr, stderr


# ---- CEL ------------------------------------------------------------------------------------------------


def _expression_rule(require: str) -> str:
    return ("rules:\n  - id: LOCAL-CEL\n    title: {zh: 测试, en: test}\n    severity: warning\n"
            "    source: {regulation: S-ZB, article: 第一条}\n"
            f"    check: {{kind: expression, sheet: members, require: {json.dumps(require)}}}\n"
            "    message: {zh: 测试, en: test}\n")


def test_nested_comprehensions_are_refused_when_the_pack_loads(tmp_path: Path) -> None:
    require = "true"
    for depth in range(8):  # 285 characters that used to take 33 s, ten times more per level
        require = f"[1,2,3,4,5,6,7,8,9,10].exists(x{depth}, {require} && x{depth} < 0)"
    started = time.perf_counter()
    code, stderr = audit("--rules", str(_pack(tmp_path / "deep", _expression_rule(require))))
    assert code == 2 and "嵌套了 8 层" in stderr and "rules.yaml" in stderr, stderr  # in the user's language
    assert time.perf_counter() - started < 5
    code, stderr = audit("--rules", str(_pack(tmp_path / "deep", _expression_rule(require))), "--lang", "en")
    assert code == 2 and "nested 8 deep" in stderr, stderr
    code, stderr = audit("--rules", str(_pack(tmp_path / "long", _expression_rule(" || ".join(["true"] * 300)))))
    assert code == 2 and "超过允许的 1,000 个" in stderr, stderr


def test_two_levels_of_comprehension_are_allowed() -> None:
    from ledgercheck.checks.expression import MAX_NESTING, _nesting

    assert MAX_NESTING == 2
    assert _nesting("introducers.exists(a, introducers.all(b, a == b))") == 2
    assert _nesting("name.exists(a, 'x.exists(b, true)' == a)") == 1  # a string is not code
    assert _nesting("size(introducers) > 1") == 0


def test_an_expression_over_its_time_budget_is_a_rule_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ledgercheck.checks import expression

    monkeypatch.setattr(expression, "RULE_SECONDS", 0.0)
    pack = _pack(tmp_path / "slow", _expression_rule("name != ''"))
    result = CliRunner().invoke(main, ["audit", str(CLEAN), "--as-of", SAMPLE_AS_OF, "--rules", str(pack),
                                       "--format", "json", "--select", "LOCAL-CEL"])
    assert "Traceback" not in result.output
    doc = json.loads(result.stdout)
    crashes = json.dumps(doc, ensure_ascii=False)
    assert "LOCAL-CEL" in crashes and "求值用时超过 0 秒" in crashes, crashes[:2000]
    assert doc["summary"]["internal_errors"] and result.exit_code == 2, result.exit_code


# ---- the built-in pack's name ---------------------------------------------------------------------------


def test_a_folder_named_like_the_built_in_pack_does_not_replace_it(tmp_path: Path) -> None:
    fake = tmp_path / "national"
    fake.mkdir()
    (fake / "pack.yaml").write_text("name: national\nversion: '0.0-fake'\n", "utf-8")
    (fake / "rules.yaml").write_text("rules: []\n", "utf-8")
    from ledgercheck.rulebook.loader import builtin_root, resolve_pack

    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert resolve_pack("national") == builtin_root() / "national"
        assert resolve_pack("./national") == Path("./national")
        assert resolve_pack(str(fake)) == fake
    finally:
        os.chdir(cwd)
    code, out, _err, _seconds, _peak = run("audit", str(CLEAN), "--as-of", SAMPLE_AS_OF, "--no-config",
                                           cwd=tmp_path)
    assert "national 2026" in out and "0.0-fake" not in out, out[:500]
    code, out, _err, _seconds, _peak = run("audit", str(CLEAN), "--as-of", SAMPLE_AS_OF, "--no-config",
                                           "--rules", "./national", cwd=tmp_path)
    assert "0.0-fake" in out, out[:500]


# ---- workbooks, timed and capped ------------------------------------------------------------------------

WORST = ["long-org-name.xlsx", "huge-media.xlsx", "many-styles.xlsx", "many-sheets.xlsx", "far-cells.xls",
         "lying-dimensions.xls", "far-cell.xlsb", "shared-string-count.xlsx", "target-upper-case.xlsx",
         "quoted-angle.xlsx"]


@pytest.fixture(scope="module")
def worst(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.malformed.generate import copy_into

    return copy_into(tmp_path_factory.mktemp("worst"), WORST)


@pytest.mark.parametrize("name", WORST)
def test_the_worst_workbooks_are_answered_in_seconds_within_300_mb(worst: Path, name: str) -> None:
    """As a user runs it: a child process capped at 1.5 GB of address space; under 10 s of CPU (a minute of wall
    time at most) and 300 MB resident, with its message or input problems and exit 2 (0 for the harmless ones)."""
    from tests.malformed.generate import CASES

    case = next(c for c in CASES if c.name == name)
    code, out, err, seconds, peak = run("audit", str(worst / name), "--as-of", SAMPLE_AS_OF, "--no-config",
                                        "--format", "json", "--fail-on", "never")
    assert code == case.exit, (code, err[-2000:])
    assert "Traceback" not in err and "panicked" not in err and "memory allocation" not in err.split("(")[0], err
    assert seconds < 10, seconds
    assert peak < 300, peak
    if case.fragments:
        assert all(fragment in err for fragment in case.fragments), err
    else:
        codes = sorted({i["code"] for i in json.loads(out)["input_issues"]})
        assert codes == sorted({code for code, _where in case.issues}), codes


def test_a_second_address_behind_a_quoted_angle_is_measured(tmp_path: Path) -> None:
    """The usual form, refused by the quick bound, then settled by the exact count of filled cells: that count
    must see the address calamine uses (the last r before it has r, s and t), whatever the quotes hold."""
    from ledgercheck.common.limits import Limits
    from ledgercheck.ingest.preflight import check
    from tests.malformed.generate import _rewrite

    path = tmp_path / "angle.xlsx"
    far = b'<row r="5"><c r="A5" x=">" r="XFD1048576" t="n"><v>1</v></c></row>'
    _rewrite(path, lambda part, data: data.replace(b"</sheetData>", far + b"</sheetData>")
             if part == "xl/worksheets/sheet2.xml" else data)
    assert check(path, "a", Limits()).sheets["党员"].too_large["cell"] == "XFD1048576"


def test_a_childs_peak_memory_is_its_own_not_the_test_processs() -> None:
    """The measure itself: the pytest process grows by 400 MB (the Dask tests once made it 308 MB, and every
    child reported 308 MB) and a child that uses little still reports little."""
    ballast = b"x" * (400 * MIB)
    code, out, _err, _seconds, peak = run("--version")
    assert code == 0 and "ledgercheck" in out
    assert peak < 150, peak
    del ballast
