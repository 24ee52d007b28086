"""The server process: /api/health when the store cannot be opened, and `serve` failing fast."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.conftest import PROJECT_ROOT
from tests.support.held_store import held_store
from tests.support.portal_server import free_port, get_json

pytestmark = pytest.mark.server


def test_health_is_503_with_the_reason_when_the_store_is_held(tmp_path):
    store = tmp_path / "portal.duckdb"
    port = free_port()
    env = {
        **os.environ,
        "PORTAL_STORE_PATH": str(store),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_API_TOKEN": "admin-token",  # the reason names the file: for admins only
    }
    with held_store(store) as pid:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "portal.server:app", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, body = get_json(
                        f"http://127.0.0.1:{port}/api/health",
                        headers={"Authorization": "Bearer admin-token"},
                    )
                    break
                except OSError:
                    assert time.monotonic() < deadline, "server did not start"
                    time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(20)
    assert status == 503
    assert body["status"] == "unavailable"
    assert f"in use by process {pid}" in body["error"]


def test_serve_refuses_to_start_on_a_held_store(tmp_path):
    store = tmp_path / "portal.duckdb"
    env = {**os.environ, "PORTAL_STORE_PATH": str(store)}
    with held_store(store):
        result = subprocess.run(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(free_port())],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 3
    assert "in use by process" in result.stderr


def test_streamlit_settings_apply_wherever_the_server_starts(tmp_path):
    # The router is portal/app.py: Streamlit reads the settings beside the main script, and
    # portal/.streamlit links to the project's .streamlit, so a server started from any folder
    # hides developer chrome and stack traces and keeps the upload limit.
    probe = (
        "import portal.server\n"
        "from streamlit import config\n"
        "print([config.get_option(k) for k in ('client.toolbarMode', 'client.showErrorDetails',"
        " 'server.maxUploadSize', 'browser.gatherUsageStats', 'server.enableXsrfProtection')])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "['viewer', 'none', 50, False, True]"
