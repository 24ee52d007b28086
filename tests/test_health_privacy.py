"""GET /api/health tells anyone the status and ages; the store's path and errors only to admins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.support.cli import store_env
from tests.support.damaged_store import build_store, damaged_copy
from tests.support.held_store import held_store
from tests.support.portal_server import free_port, get_json, running_portal

pytestmark = pytest.mark.server
TOKEN = "health-admin-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


def server_env(store: Path) -> dict[str, str]:
    return store_env(store, PORTAL_API_TOKEN=TOKEN)


@contextmanager
def uvicorn_portal(store: Path) -> Iterator[str]:
    """The ASGI app served directly: its lifespan keeps serving when the store cannot open."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "portal.server:app", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **server_env(store)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/api/health")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(20)


def test_a_healthy_store_shows_status_and_ages_to_anyone_and_the_path_to_admins(tmp_path):
    store = tmp_path / "portal.duckdb"
    build_store(store, models=3)
    with running_portal(server_env(store), tmp_path / "server.log", wait_for_models=False) as url:
        anyone = get_json(f"{url}/api/health")
        wrong = get_json(f"{url}/api/health", headers={"Authorization": "Bearer guess"})
        admin = get_json(f"{url}/api/health", headers=ADMIN)
    for status, body in (anyone, wrong):
        assert status == 200
        assert set(body) == {"status", "last_sync"}
        assert set(body["last_sync"]) == {"state", "last_success_at", "age_seconds"}
        assert str(tmp_path) not in json.dumps(body)
    assert admin[0] == 200
    assert admin[1]["store"] == str(store)
    assert admin[1]["counts"]["models"] == 3
    # The same sync; its age may have ticked over a second between the two requests.
    admins, anyones = dict(admin[1]["last_sync"]), dict(anyone[1]["last_sync"])
    assert 0 <= admins.pop("age_seconds") - anyones.pop("age_seconds") <= 1
    assert admins == anyones


def test_a_damaged_store_is_503_with_the_problem_and_the_details_only_for_admins(tmp_path):
    healthy = tmp_path / "healthy.duckdb"
    build_store(healthy, models=20)
    store = damaged_copy(healthy, tmp_path / "portal.duckdb", "end")
    with uvicorn_portal(store) as url:
        anyone = get_json(f"{url}/api/health")
        admin = get_json(f"{url}/api/health", headers=ADMIN)
    assert anyone == (503, {"status": "unavailable", "problem": "damaged"})
    assert admin[0] == 503
    assert admin[1]["problem"] == "damaged"
    assert admin[1]["store"] == str(store)
    assert "cannot be read" in admin[1]["error"] and str(store) in admin[1]["error"]


def test_a_held_store_is_503_locked_and_names_the_holder_only_to_admins(tmp_path):
    store = tmp_path / "portal.duckdb"
    with held_store(store) as pid, uvicorn_portal(store) as url:
        anyone = get_json(f"{url}/api/health")
        admin = get_json(f"{url}/api/health", headers=ADMIN)
    assert anyone == (503, {"status": "unavailable", "problem": "locked"})
    assert admin[0] == 503
    assert f"in use by process {pid}" in admin[1]["error"]
