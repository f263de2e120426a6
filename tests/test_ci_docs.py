"""Every example in docs/ci.md and docs/config.md is run as written, against the samples placed where the
examples expect the ledger (ledger/党建工作台账.xlsx), with the documented .ledgercheck.yaml and waivers.yaml."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import jsonschema
import pytest
import yaml
from junitparser import JUnitXml

from ledgercheck.app.config import load_config
from tests.conftest import ROOT, SAMPLE_AS_OF
from tests.ledgers import CLEAN, VIOLATIONS, sarif_schema, write

LEDGER = "ledger/党建工作台账.xlsx"
EXAMPLE = re.compile(r"<!-- example: (\S+) -->\s*```\w*\n(.*?)```", re.S)


def examples(doc: str) -> dict[str, str]:
    found = dict(EXAMPLE.findall((ROOT / "docs" / doc).read_text(encoding="utf-8")))
    assert found, doc
    return found


CI = examples("ci.md")
CONFIG = examples("config.md")


def environment(workspace: Path) -> dict[str, str]:
    scripts = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    env["PATH"] = f"{scripts}{os.pathsep}{env.get('PATH', '')}"
    env["PRE_COMMIT_HOME"] = str(workspace.parent / "pre-commit-home")
    env["GITHUB_STEP_SUMMARY"] = str(workspace / "summary.md")
    return env


def shell(workspace: Path, script: str) -> subprocess.CompletedProcess[str]:
    """As GitHub and GitLab run a step: bash, stop at the first failing command."""
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=workspace,
                          env=environment(workspace), capture_output=True, text=True, timeout=120)


class Workspace(NamedTuple):
    root: Path
    violations: bool  # the violations sample (else the clean one)


@pytest.fixture(params=[VIOLATIONS, CLEAN], ids=["violations", "clean"])
def workspace(request, tmp_path) -> Workspace:
    """A repository as docs/ci.md lays it out, with the documented configuration pinned to the samples' date."""
    root = tmp_path / "repo"
    (root / "ledger").mkdir(parents=True)
    shutil.copyfile(request.param, root / LEDGER)
    write(root / ".ledgercheck.yaml", CONFIG["config"] + f"as-of: {SAMPLE_AS_OF}\n")
    write(root / "waivers.yaml", CONFIG["waivers"])
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return Workspace(root, request.param == VIOLATIONS)


def ledgercheck_lines(script: str) -> list[str]:
    return [line for line in script.splitlines() if line.strip().startswith("ledgercheck ")]


def test_github_actions_example(workspace) -> None:
    workflow = yaml.safe_load(CI["github"])
    steps = [s for s in workflow["jobs"]["ledgercheck"]["steps"] if "ledgercheck " in s.get("run", "")
             and not s["run"].startswith("pip ")]
    assert [s.get("name") for s in steps] == ["Audit for code scanning", "Job summary", "Fail on errors"]
    codes = {s["name"]: shell(workspace.root, s["run"]).returncode for s in steps}
    assert codes == {"Audit for code scanning": 0, "Job summary": 0, "Fail on errors": int(workspace.violations)}
    upload = next(s for s in workflow["jobs"]["ledgercheck"]["steps"] if "upload-sarif" in s.get("uses", ""))
    log = json.loads((workspace.root / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(sarif_schema()).iter_errors(log)) == []
    results = log["runs"][0]["results"]
    assert bool(results) == workspace.violations
    summary = (workspace.root / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ledgercheck 审计报告")
    if workspace.violations:  # the documented waiver applies
        assert sum(1 for r in results if r.get("suppressions")) == 2 and "已豁免 2" in summary


def test_gitlab_ci_example(workspace) -> None:
    job = yaml.safe_load(CI["gitlab"])["ledgercheck"]
    commands = [c for c in job["script"] if c.startswith("ledgercheck ")]
    assert len(commands) == 1
    assert shell(workspace.root, commands[0]).returncode == int(workspace.violations)
    report = JUnitXml.fromfile(str(workspace.root / job["artifacts"]["reports"]["junit"]))
    assert job["artifacts"]["when"] == "always" and report.tests > 0
    assert (report.failures > 0) == workspace.violations


def test_pre_commit_example(workspace) -> None:
    config = CI["pre-commit"]
    write(workspace.root / ".pre-commit-config.yaml", config)
    write(workspace.root / "~$党建工作台账.xlsx", "an Excel lock file")
    subprocess.run(["git", "add", "-A"], cwd=workspace.root, check=True)
    run = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=workspace.root,
                         env=environment(workspace.root), capture_output=True, text=True, timeout=120)
    assert run.returncode == int(workspace.violations), run.stdout + run.stderr
    assert ("Failed" if workspace.violations else "Passed") in run.stdout
    assert ("ledgercheck 审计报告" in run.stdout) == workspace.violations  # pre-commit shows output on failure


def test_shipped_hook_matches_the_documented_one() -> None:
    [local] = yaml.safe_load(CI["pre-commit"])["repos"][0]["hooks"]
    [shipped] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for key in ("id", "name", "entry", "files", "exclude"):
        assert shipped[key] == local[key], key
    assert shipped["language"] == "python" and re.search(shipped["files"], LEDGER)
    assert re.search(shipped["exclude"], "ledger/~$党建工作台账.xlsx") and not re.search(shipped["exclude"], LEDGER)


@pytest.mark.parametrize("workspace", [VIOLATIONS], indirect=True, ids=["violations"])
def test_rectification_example(workspace) -> None:
    lines = ledgercheck_lines(CI["shell"])
    assert len(lines) == 4
    runs = [shell(workspace.root, line) for line in lines]
    assert [r.returncode for r in runs] == [0, 0, 0, 0], [r.stderr for r in runs]
    assert "整改：新增0条" in runs[1].stdout  # unchanged ledger: nothing new
    assert "整改情况" in runs[3].stdout and "未整改" in runs[3].stdout


def test_pyproject_example_is_valid(tmp_path) -> None:
    settings, _doc = load_config(write(tmp_path / "pyproject.toml", CONFIG["pyproject"]))
    assert settings.fail_on == "warning" and settings.overrides == {"ORG-BRANCH-MAX-50": {"check": {"max": 60}}}
