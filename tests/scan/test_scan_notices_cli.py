"""`scan --notices DIR`: one notice per unit with problems, written after the report; a bad deadline stops first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledgercheck.cli import main
from tests.conftest import SAMPLE_AS_OF
from tests.ledgers import CLEAN, VIOLATIONS

pytest.importorskip("docx", reason="python-docx (the docx extra) is not installed")


def test_scan_writes_the_notices(tmp_path: Path) -> None:
    from docx import Document

    folder = tmp_path / "报送"
    folder.mkdir()
    shutil.copyfile(VIOLATIONS, folder / "某委.xlsx")
    shutil.copyfile(CLEAN, folder / "某局.xlsx")
    out = tmp_path / "通知书"
    result = CliRunner().invoke(main, ["scan", str(folder), "--as-of", SAMPLE_AS_OF, "--quiet", "--jobs", "1",
                                       "--notices", str(out), "--deadline", "2099-03-31", "--issuer", "某工委"])
    assert result.exit_code == 1, result.output
    assert "已生成整改通知书 1 份" in result.stderr
    [notice] = out.glob("*.docx")
    assert notice.name == "某委-整改通知书.docx"
    text = "\n".join(p.text for p in Document(str(notice)).paragraphs)
    assert "2099年3月31日" in text and "某工委" in text


def test_a_bad_deadline_stops_before_the_scan(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scan", str(VIOLATIONS), "--as-of", SAMPLE_AS_OF, "--quiet",
                                       "--notices", str(tmp_path / "out"), "--deadline", "下个月"])
    assert result.exit_code == 2 and "不是整改期限" in result.stderr and not (tmp_path / "out").exists()
