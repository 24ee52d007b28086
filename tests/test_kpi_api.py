"""POST /api/kpis against a running portal: tokens, malformed bodies, a valid push, rejects."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.support.portal_server import get_json, running_portal

pytestmark = pytest.mark.server
TOKEN = "s3cret-pipeline-token"


@pytest.fixture(scope="module")
def portal(awkward_sqlite_store, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("api-portal")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_API_TOKEN": TOKEN,
    }
    with running_portal(env, folder / "server.log") as url:
        yield url


def post(url: str, body: bytes, content_type: str, token: str | None) -> tuple[int, dict]:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"{url}/api/kpis", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def rows_json(model: str, value: float) -> bytes:
    return json.dumps(
        {
            "rows": [
                {
                    "model": model,
                    "kpi": "customers kept",
                    "period": "2026-09",
                    "value": value,
                    "unit": "customers",
                },
                {"model": model, "kpi": "customers kept", "period": "2026-10", "value": 350},
            ]
        }
    ).encode()


def test_without_or_with_a_wrong_token_nothing_is_loaded(portal, awkward_sqlite_store):
    body = rows_json(awkward_sqlite_store.registry.tagged_model, 312)
    assert post(portal, body, "application/json", None)[0] == 401
    status, reply = post(portal, body, "application/json", "wrong")
    assert (status, reply["error"]) == (401, "missing or wrong bearer token")


def test_malformed_json_and_unknown_content_type(portal):
    status, reply = post(portal, b"{rows: [", "application/json", TOKEN)
    assert status == 400 and reply["error"].startswith("malformed JSON")
    assert post(portal, b"<xml/>", "application/xml", TOKEN)[0] == 415


def test_a_valid_push_loads_and_the_same_push_changes_nothing(portal, awkward_sqlite_store):
    body = rows_json(awkward_sqlite_store.registry.tagged_model, 312)
    status, reply = post(portal, body, "application/json", TOKEN)
    assert status == 200, reply
    assert (reply["loaded"], reply["rows_added"], reply["rows_replaced"]) == (True, 2, 0)
    status, reply = post(portal, body, "application/json", TOKEN)
    assert (reply["rows_added"], reply["rows_unchanged"]) == (0, 2)


def test_rejected_rows_come_back_with_line_and_reason(portal):
    status, reply = post(portal, rows_json("no-such-model", 1), "application/json", TOKEN)
    assert status == 422
    assert reply["loaded"] is False
    assert [(r["line"], r["column"], r["code"]) for r in reply["rejects"]] == [
        (2, "model", "unknown_model"),
        (3, "model", "unknown_model"),
    ]


def test_a_csv_body_with_decimal_commas(portal, awkward_sqlite_store):
    model = awkward_sqlite_store.registry.tagged_model
    csv = f"model;kpi;period;value\n{model};savings;2026-10;1.234,50\n".encode()
    status, reply = post(portal, csv, "text/csv", TOKEN)
    assert status == 200, reply
    assert reply["rows_added"] == 1
    assert get_json(f"{portal}/api/health")[0] == 200
