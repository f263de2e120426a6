"""A web app over the national pack with two real worker processes, shared by the web tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the [web] extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402

from ledgercheck.app.config import Settings  # noqa: E402
from ledgercheck.web.app import create_app  # noqa: E402
from ledgercheck.web.config import ServeConfig  # noqa: E402
from tests.conftest import SAMPLE_AS_OF  # noqa: E402
from tests.ledgers import cli  # noqa: E402

BASE = "http://127.0.0.1"


def make_client(**config: Any) -> TestClient:
    app = create_app(ServeConfig(Settings(), **{"workers": 2, **config}))
    return TestClient(app, base_url=BASE)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def upload(client: TestClient, *paths: Path, url: str = "/audit", as_of: str = SAMPLE_AS_OF,
           **data: str) -> Any:
    files = [("files", (path.name, path.read_bytes(), "application/octet-stream")) for path in paths]
    return client.post(url, files=files, data={"as_of": as_of, **data}, follow_redirects=False)


def cli_json(*args: object, lang: str = "zh") -> dict[str, Any]:
    result = cli("audit", *args, "--format", "json", "--fail-on", "never", "--lang", lang)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def service(client: TestClient) -> Any:
    return client.app.state.services  # type: ignore[attr-defined]


def shown_messages(document: dict[str, Any]) -> list[str]:
    """What a report for people shows of an audit: each group's message and its first finding's own message (a
    rule broken by one subject in several periods is one row, naming the series, with one period as an example)."""
    by_print = {f["fingerprint"]: f for f in document["findings"]}
    return [text for g in document["groups"] for text in (g["message"], by_print[g["fingerprints"][0]]["message"])]
