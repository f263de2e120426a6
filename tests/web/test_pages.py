"""The secretary's path through the pages, over HTTP: upload, result, downloads, mapping, reminders, rules."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.ledgers import CLEAN, VIOLATIONS
from tests.web.conftest import cli_json, service, shown_messages, upload


def text_of(page: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def sheet_index(client: TestClient, result: str, name: str) -> int:
    """The sheet's number in the mapping form (its fields are named c<number>_<column>)."""
    match = re.search(rf'<section class="card sheet" id="sheet-(\d+)">\s*<h2>工作表「{name}」', client.get(f"{result}/mapping").text)
    assert match, name
    return int(match.group(1))


def test_the_start_page_offers_the_upload_the_date_and_the_template(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'type="file"' in page.text and 'name="files"' in page.text and "multiple" in page.text
    assert 'name="as_of"' in page.text and 'href="/template"' in page.text
    assert "上传的台账只用于本次检查，1小时后自动删除" in page.text
    english = client.get("/?lang=en")
    assert "Check a ledger" in english.text and "Drop the ledger files here" in english.text
    assert client.get("/").text.count("Drop the ledger files here") == 1  # the cookie remembers English
    client.get("/?lang=zh")


def test_an_upload_shows_the_findings_of_the_command_line(client: TestClient) -> None:
    response = upload(client, VIOLATIONS)
    assert response.status_code == 303 and response.headers["location"].startswith("/r/")
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    shown = text_of(page.text)
    expected = cli_json(VIOLATIONS)
    for message in shown_messages(expected):
        assert message in shown, message
    summary = expected["summary"]
    assert f"错误{summary['error']}条" in shown and f"警告{summary['warning']}条" in shown
    for link in ("annotated/0", "download/report.html", "download/findings.csv", "download/result.json",
                 "download/aliases.yaml", "/mapping", "/reminders"):
        assert link in page.text, link


def test_the_downloads(client: TestClient, tmp_path: Path) -> None:
    result = upload(client, VIOLATIONS).headers["location"]
    expected = cli_json(VIOLATIONS)
    document = client.get(f"{result}/download/result.json").json()
    assert document["findings"] == [{**f, "location": {**f["location"], "file": "violations.xlsx"},
                                     "related": [{**r, "file": "violations.xlsx"} for r in f["related"]]}
                                    for f in expected["findings"]]
    csv_bytes = client.get(f"{result}/download/findings.csv").content
    assert csv_bytes.startswith("\ufeff".encode()) and len(csv_bytes.decode("utf-8-sig").splitlines()) > 30
    report = client.get(f"{result}/download/report.html")
    assert "attachment" in report.headers["content-disposition"] and "<!DOCTYPE html>" in report.text
    # Each download is named after the ledger: violations-检查报告.html, violations-问题清单.csv …
    for path, name in (("download/report.html", "检查报告.html"), ("download/findings.csv", "问题清单.csv"),
                       ("download/result.json", "检查结果.json"), ("download/aliases.yaml", "识别设置.yaml")):
        disposition = client.get(f"{result}/{path}").headers["content-disposition"]
        assert f"filename*=UTF-8''{quote('violations-' + name)}" in disposition, disposition
    copy = client.get(f"{result}/annotated/0")
    assert copy.status_code == 200
    assert "filename*=UTF-8''violations-%E6%A3%80%E6%9F%A5%E7%BB%93%E6%9E%9C.xlsx" in copy.headers["content-disposition"]
    book = load_workbook(io.BytesIO(copy.content))
    assert book.sheetnames[0] == "检查结果" and "党员" in book.sheetnames
    assert book["检查结果"].max_row > len(expected["findings"])
    template = client.get("/template")
    assert template.status_code == 200
    blank = load_workbook(io.BytesIO(template.content))
    assert {"组织", "党员", "组织生活", "党费"} <= set(blank.sheetnames)


def test_a_clean_ledger_and_several_workbooks_of_one_unit(client: TestClient, tmp_path: Path) -> None:
    page = client.get(upload(client, CLEAN).headers["location"])
    assert "未发现问题" in text_of(page.text)
    folder = tmp_path / "split"
    folder.mkdir()
    for name in load_workbook(VIOLATIONS).sheetnames:
        book = load_workbook(VIOLATIONS)
        for other in [s for s in book.sheetnames if s != name]:
            book.remove(book[other])
        book.save(folder / f"{name}.xlsx")
    files = sorted(folder.iterdir())
    response = upload(client, *files)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    shown = text_of(page.text)
    for message in shown_messages(cli_json(VIOLATIONS)):
        assert message in shown
    assert page.text.count("/annotated/") == len(files)  # a marked-up copy of each workbook


def test_the_mapping_page_corrects_an_unrecognized_column(client: TestClient, tmp_path: Path) -> None:
    """组织生活's 主题 column under a header nobody could recognize: the rule on complete meeting records is not
    checked; choosing 主题 for it on the mapping page re-runs the audit and finds the planted incomplete record."""
    ledger = tmp_path / "renamed.xlsx"
    book = load_workbook(VIOLATIONS)
    book["组织生活"]["K1"] = "第11栏"
    book.save(ledger)
    first = upload(client, ledger).headers["location"]
    assert "REC-MEETING-COMPLETE" not in client.get(f"{first}/download/result.json").text.split('"skipped_rules"')[0]
    mapping = client.get(f"{first}/mapping")
    assert "第11栏" in mapping.text and "未识别" in mapping.text
    index = sheet_index(client, first, "组织生活")
    response = client.post(f"{first}/mapping", data={f"c{index}_K": "topic"}, follow_redirects=False)
    assert response.status_code == 303
    second = response.headers["location"]
    assert second != first
    document = client.get(f"{second}/download/result.json").json()
    assert document["skipped_rules"] == []
    found = [f for f in document["findings"] if f["rule"]["id"] == "REC-MEETING-COMPLETE"]
    expected = [f for f in cli_json(VIOLATIONS)["findings"] if f["rule"]["id"] == "REC-MEETING-COMPLETE"]
    assert [f["message"] for f in found] == [f["message"] for f in expected] and found
    assert "按你在「台账识别情况」中的修改重新检查" in client.get(second).text
    aliases = client.get(f"{second}/download/aliases.yaml").text
    assert "meetings:" in aliases and "topic:" in aliases and "第11栏" in aliases
    # The alias file does the same on the command line.
    alias_file = tmp_path / "aliases.yaml"
    alias_file.write_text(aliases, encoding="utf-8")
    again = cli_json(ledger, "--aliases", alias_file)
    assert [f["message"] for f in again["findings"] if f["rule"]["id"] == "REC-MEETING-COMPLETE"] == \
        [f["message"] for f in found]
    unchanged = client.post(f"{second}/mapping", data={}, follow_redirects=False)
    assert unchanged.status_code == 200 and "没有做任何修改" in unchanged.text


def test_the_page_advises_what_the_page_offers(client: TestClient, tmp_path: Path) -> None:
    """A column nobody could recognize: the command line advises an alias file (--aliases, ledgercheck inspect);
    the page, its marked-up copy and its reading settings name the page's 台账识别情况 instead, and no option."""
    ledger = tmp_path / "renamed.xlsx"
    book = load_workbook(VIOLATIONS)
    book["组织生活"]["K1"] = "第11栏"
    book.save(ledger)
    cli = [i for i in cli_json(ledger)["input_issues"] if i["code"] == "INPUT-UNKNOWN-COLUMN"]
    assert cli and "ledgercheck inspect" in cli[0]["message"]
    first = upload(client, ledger).headers["location"]
    page = text_of(client.get(first).text)
    assert "未识别的列「第11栏」，未读入" in page
    assert "可在「台账识别情况」中指明" in page and "为它选择对应的项，重新检查" in page
    copy = load_workbook(io.BytesIO(client.get(f"{first}/annotated/0").content))
    sheet = copy["检查结果"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("「检查规则」页" in t for t in texts)
    assert any("为它选择对应的项" in t for t in texts)
    comments = [c.comment.text for row in copy["组织生活"].iter_rows() for c in row if c.comment is not None]
    assert any("可在「台账识别情况」中指明" in t for t in comments)
    aliases = client.get(f"{first}/download/aliases.yaml").text
    assert aliases.startswith("# ledgercheck 网页的「识别设置」") and "第11栏" in aliases
    report = client.get(f"{first}/download/report.html").text
    for shown in (page, report, aliases, *texts, *comments):
        assert "--aliases" not in shown and "ledgercheck inspect" not in shown and "--debug" not in shown


def test_not_reading_a_column_the_built_in_table_knows(client: TestClient) -> None:
    first = upload(client, VIOLATIONS).headers["location"]
    index = sheet_index(client, first, "组织生活")
    second = client.post(f"{first}/mapping", data={f"c{index}_K": "-"}, follow_redirects=False).headers["location"]
    document = client.get(f"{second}/download/result.json").json()
    assert [s["rule"] for s in document["skipped_rules"]] == ["REC-MEETING-COMPLETE"]


def test_reminders_and_rules(client: TestClient) -> None:
    result = upload(client, VIOLATIONS).headers["location"]
    reminders = text_of(client.get(f"{result}/reminders").text)
    assert "换届已逾期" in reminders and "截至2026-01-15，今后90天内" in reminders
    rules = client.get("/rules")
    count = len(service(client).context.rulebook.rules)
    assert f"共{count}条规则" in rules.text and rules.text.count('href="/rules/') == count
    dues = client.get("/rules", params={"q": "党费"})
    assert 0 < dues.text.count('href="/rules/') < count and "DUES-MONTHLY" in dues.text
    assert "没有找到" in client.get("/rules", params={"q": "不存在的规则"}).text
    rule = client.get("/rules/DUES-MONTHLY")
    assert rule.status_code == 200 and "怎样改正" in rule.text and "《" in rule.text
    assert client.get("/rules/NO-SUCH-RULE").status_code == 404


def test_delete_now(client: TestClient) -> None:
    result = upload(client, VIOLATIONS).headers["location"]
    token = result.split("/")[-1]
    folder = service(client).store.get(token).folder
    assert (folder / "in" / "violations.xlsx").exists()
    response = client.post(f"{result}/delete")
    assert response.status_code == 200 and "已删除" in response.text
    assert not folder.exists() and client.get(result).status_code == 404
    again = client.post(f"{result}/delete")  # gone already: not "deleted" a second time
    assert again.status_code == 404 and "已删除。" not in again.text


def test_unknown_pages_and_expired_results_say_what_happened(client: TestClient) -> None:
    missing = client.get("/r/" + "A" * 43)
    assert missing.status_code == 404 and "可能已经过期被删除" in missing.text
    nothing = client.get("/nothing-here")  # never was: not "expired"
    assert nothing.status_code == 404 and "没有这个页面" in nothing.text and "过期" not in nothing.text
    rule = client.get("/rules/NO-SUCH-RULE")
    assert rule.status_code == 404 and "没有规则「NO-SUCH-RULE」" in rule.text and "过期" not in rule.text
    assert 'href="/rules"' in rule.text and "返回重新上传" not in rule.text


def test_the_lifetime_is_said_as_given() -> None:
    from ledgercheck.web.texts import keep_label

    assert [keep_label(s, "zh") for s in (40, 60, 90, 3600, 5400, 7200)] == \
        ["40秒", "1分钟", "90秒", "1小时", "90分钟", "2小时"]
    assert keep_label(1, "en") == "1 second" and keep_label(120, "en") == "2 minutes"



def test_the_organization_of_a_ledger_without_an_organizations_sheet(client: TestClient, tmp_path: Path) -> None:
    """所属组织 does what --org does: a branch's ledger with no 组织 sheet and titles that do not name the branch is
    refused without it, and audited with it, the same as on the command line."""
    book = load_workbook(CLEAN)
    del book["组织"]
    for name in ("党员", "组织生活", "党费", "换届选举", "发展党员"):
        sheet = book[name]
        column = next(i for i, c in enumerate(sheet[1]) if c.value and "组织编号" in c.value)
        kept = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True) if r[column] == "B01"]
        sheet.delete_rows(2, sheet.max_row)
        for row in kept:
            sheet.append(row)
        sheet.delete_cols(column + 1)
    path = tmp_path / "台账.xlsx"
    book.save(path)
    assert 'name="org"' in client.get("/").text
    refused = upload(client, path)
    # The page names its own field, not the command line's option.
    assert refused.status_code == 422 and "请在「所属组织」中填写本台账所属的党支部" in text_of(refused.text)
    assert "--org" not in text_of(refused.text) and "ledgercheck template" not in text_of(refused.text)
    response = upload(client, path, org="  办公室党支部 ")
    assert response.status_code == 303
    shown = text_of(client.get(response.headers["location"]).text)
    expected = cli_json(path, "--org", "办公室党支部")
    assert expected["organizations"][0]["org_name"] == "办公室党支部"
    for message in shown_messages(expected):
        assert message in shown, message
    api = upload(client, path, url="/api/audit", org="办公室党支部").json()
    assert [(f["rule"]["id"], f["fingerprint"]) for f in api["findings"]] == \
        [(f["rule"]["id"], f["fingerprint"]) for f in expected["findings"]]
    assert upload(client, path, org="支" * 101).status_code == 400


def test_a_ledger_of_forms_on_the_page_and_its_mapping(client: TestClient, tmp_path: Path) -> None:
    """A branch whose committee meetings are forms, one a sheet, the host under a label nobody could recognize
    (会议召集人): the page reads them (the form's notice), the mapping tab shows each label at its cell, and choosing
    主持人 for 会议召集人 re-runs the audit with the host read."""
    from tests.ingest.test_loader import build

    sheets: dict[str, list[list[object]]] = {
        "组织": [["组织编号", "组织名称", "组织类型", "书记", "支委会委员人数"], ["B01", "第一党支部", "党支部", "张三", 3],
                 ["B02", "第二党支部", "党支部", None, 0]],
        "党员": [["姓名", "所在组织编号", "党员类别", "党内职务"], ["张三", "B01", "正式党员", "书记"],
                 ["李四", "B01", "正式党员", "组织委员"], ["王五", "B01", "正式党员", "宣传委员"]]}
    for month in (1, 2, 3):
        sheets[f"{month}月支委会"] = [["第一党支部支部委员会会议记录"], [],
                                  ["会议时间", f"2025年{month}月6日", "会议地点", "会议室"],
                                  ["会议召集人", "赵六"], ["记录人", "李四"], ["应到人数", 3, "实到人数", 3]]
    ledger = build(tmp_path / "forms.xlsx", sheets)
    first = upload(client, ledger).headers["location"]
    assert "按表单读入" in text_of(client.get(first).text)
    mapping = text_of(client.get(f"{first}/mapping").text)
    assert "按表单读入" in mapping and "会议召集人" in mapping and "A4" in mapping
    before = client.get(f"{first}/download/result.json").json()
    assert not [f for f in before["findings"] if f["rule"]["id"] == "MEET-CHAIR"]
    index = sheet_index(client, first, "1月支委会")
    second = client.post(f"{first}/mapping", data={f"c{index}_A4": "host"}, follow_redirects=False).headers["location"]
    after = client.get(f"{second}/download/result.json").json()
    chair = [f for f in after["findings"] if f["rule"]["id"] == "MEET-CHAIR"]
    # 赵六 chaired all three and is on no committee: the correction reads every form's 会议召集人, at its own cell
    assert sorted((f["location"]["sheet"], f"{f['location']['column']}{f['location']['row']}") for f in chair) == [
        ("1月支委会", "B4"), ("2月支委会", "B4"), ("3月支委会", "B4")]


def test_an_incomplete_result_points_where_the_fix_is(client: TestClient, tmp_path: Path) -> None:
    """A date cell that cannot be read leaves the audit incomplete with every sheet and column read: the banner
    sent the secretary to the reading page, which says nothing of that cell. It points to the input problems."""
    from tests.ledgers import copy_sample, set_cell

    ledger = set_cell(copy_sample(tmp_path), "党员", "D3", "1990年13月45日")
    page = client.get(upload(client, ledger).headers["location"]).text
    assert "有1个单元格或行无法读取" in page and 'href="#lc-inputs"' in page and 'id="lc-inputs"' in page
    assert "请先看「台账识别情况」" not in page


def test_reading_settings_chosen_in_the_wrong_place_say_where(client: TestClient, tmp_path: Path) -> None:
    """The 识别设置 file among the ledger's files, a workbook as 识别设置, a text that is no alias file: each is told
    what it is and where it goes, in the page's words, without the server's path of the upload."""
    text = tmp_path / "说明.yaml"
    text.write_text("这是一段文字\n", encoding="utf-8")

    def sent(files: list[Path], aliases: Path | None = None) -> tuple[int, str]:
        parts = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in files]
        if aliases is not None:
            parts.append(("aliases", (aliases.name, aliases.read_bytes(), "application/octet-stream")))
        answer = client.post("/audit", files=parts, data={"as_of": "2026-01-15"}, follow_redirects=False)
        return answer.status_code, text_of(answer.text)

    status, page = sent([VIOLATIONS, text])
    assert status == 415 and "这是识别设置（别名文件），不是台账：请在「识别设置（别名文件）」中选择它" in page
    unnamed = tmp_path / "第三支部台账"  # a download that lost its name's end: read as the workbook it is
    unnamed.write_bytes(VIOLATIONS.read_bytes())
    status, page = sent([unnamed])
    assert status == 303, page
    notes = tmp_path / "说明"
    notes.write_text("这是一段文字\n", encoding="utf-8")
    status, page = sent([notes])
    assert status == 415 and "不支持的文件类型" in page
    status, page = sent([VIOLATIONS], VIOLATIONS)
    assert status == 415 and "「识别设置（别名文件）」中只能选择下载过的识别设置文件（.yaml）" in page
    status, page = sent([VIOLATIONS], text)
    assert status == 422 and "上传的识别设置（别名文件）: 这不是识别设置（别名文件）" in page
    assert "ledgercheck-web-" not in page and "inspect" not in page


def test_the_window_and_the_reading_notes_in_the_page_s_words(client: TestClient) -> None:
    swapped = client.post("/audit", files=[("files", (VIOLATIONS.name, VIOLATIONS.read_bytes(), "x"))],
                          data={"as_of": "2026-01-15", "since": "2027-01-01"}, follow_redirects=False)
    assert swapped.status_code == 400 and "审计期间的起始日期（2027-01-01）晚于截止日期（2026-01-15）" in text_of(swapped.text)
    assert "--since" not in swapped.text
    from tests.conftest import SAMPLES

    result = upload(client, SAMPLES / "own-roster.xlsx").headers["location"]
    mapping = text_of(client.get(f"{result}/mapping").text)
    assert "没有组织列：属于台账唯一的组织（或「所属组织」中填写的组织）" in mapping and "--org" not in mapping


def test_an_input_problem_s_code_has_its_page(client: TestClient) -> None:
    """The result page shows each input problem's code, as it shows each rule's: the code's page explains it, in
    the page's words (the command line's `explain INPUT-…` tells of --aliases)."""
    page = client.get("/rules/INPUT-UNKNOWN-COLUMN")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "未识别的列" in text and "在「台账识别情况」中为它选择对应的项" in text
    assert "--aliases" not in text and "退出码" not in text
