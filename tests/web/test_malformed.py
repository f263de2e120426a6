"""Every workbook of the malformed corpus (tests/malformed), uploaded through the API and through the page:
its clear message or its input problems, and never HTTP 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ledgercheck.common.privacy import writable
from ledgercheck.model.issues import WEB_MESSAGES
from tests.malformed.generate import CASES, Case, copy_into
from tests.web.conftest import make_client, upload
from tests.web.test_pages import text_of

# Reading limits the corpus sets per case with --limit: the server sets them for every upload instead.
LIMITED = [c for c in CASES if c.args]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_into(tmp_path_factory.mktemp("malformed-web"))


def _check(client: TestClient, corpus: Path, case: Case) -> None:
    path = corpus / case.name
    api = upload(client, path, url="/api/audit")
    page = upload(client, path)
    assert api.status_code != 500 and page.status_code != 500, (case.name, api.status_code, page.status_code)
    if case.fragments:  # unusable as a whole: a message naming the file and what to do
        assert api.status_code in (413, 415, 422), (case.name, api.status_code)
        assert page.status_code == api.status_code
        message = api.json()["error"]["message"]
        assert case.name in message, message
        for fragment in case.fragments:
            assert fragment in message and fragment in text_of(page.text), (fragment, message)
        assert "--limit" not in message and "ledgercheck template" not in message, message  # the page's words
        return
    assert api.status_code == 200 and page.status_code == 303, (case.name, api.text[:300])
    issues = api.json()["input_issues"]
    assert sorted(i["code"] for i in issues) == sorted(code for code, _ in case.issues), (case.name, issues)
    shown = text_of(client.get(page.headers["location"]).text)
    for issue in issues:  # every input problem is on the result page, with its message (a control character
        # or a bidi override the cell held spelled out, as the terminal shows it)
        message = writable(issue["message"])
        if issue["code"] in WEB_MESSAGES:  # its advice in the page's words, not the command line's (the API's)
            message = message.split("；")[0]
        assert message in shown, (case.name, issue["message"])
    assert "--limit" not in shown and "--aliases" not in shown and "ledgercheck inspect" not in shown


def test_every_malformed_workbook_gets_its_message(corpus: Path) -> None:
    with make_client() as client:
        for case in CASES:
            if not case.args and (corpus / case.name).exists():
                _check(client, corpus, case)


@pytest.mark.parametrize("case", LIMITED, ids=[c.name for c in LIMITED])
def test_reading_limits_apply_to_uploads(corpus: Path, case: Case) -> None:
    from ledgercheck.app.config import Settings
    from ledgercheck.common.limits import Limits, from_options
    from ledgercheck.web.app import create_app
    from ledgercheck.web.config import ServeConfig

    limits = from_options(Limits(), tuple(case.args[1::2]))
    app = create_app(ServeConfig(Settings(limits=limits), workers=1))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        _check(client, corpus, case)
