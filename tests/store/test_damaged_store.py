"""A damaged store: each way of opening it says in one line it cannot be read, and what to do."""

from __future__ import annotations

import shutil
import subprocess
import time

import duckdb
import pytest
import streamlit as st

from portal import runtime as runtime_module
from portal.errors import StoreUnavailable
from portal.runtime import Runtime, close_runtime, open_runtime
from portal.scheduler import Scheduler
from portal.services.health import health_report
from portal.store import open_store
from portal.store.database import Store
from tests.conftest import load_settings_for
from tests.support.apptest import open_app
from tests.support.cli import run_portal, store_env
from tests.support.damaged_store import DAMAGES, HEADERS, build_store, damaged_copy
from tests.support.portal_server import free_port

DAMAGED = "store_file.damaged"
ENGLISH = "The portal's data store cannot be read"
GERMAN = "Der Datenspeicher des Portals kann nicht gelesen werden"


@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    path = tmp_path_factory.mktemp("healthy") / "portal.duckdb"
    build_store(path)
    return path


@pytest.fixture(params=DAMAGES)
def damaged(request, healthy, tmp_path):
    return damaged_copy(healthy, tmp_path / "portal.duckdb", request.param)


def assert_one_line_to_restore(message: str) -> None:
    assert "\n" not in message.strip()
    assert "cannot be read" in message
    assert "restore it from a backup" in message


def test_opening_a_damaged_store_says_it_cannot_be_read_and_to_restore(damaged):
    with pytest.raises(StoreUnavailable) as raised:
        open_store(damaged).close()
    assert raised.value.message_key == DAMAGED
    assert_one_line_to_restore(str(raised.value))
    assert str(damaged) in str(raised.value)


def test_damage_met_by_a_query_is_reported_and_remembered(healthy, tmp_path):
    # Damage that appears after the store was opened is found only when a query reads it.
    store = Store(damaged_copy(healthy, tmp_path / "portal.duckdb", "garbage"))
    tables = [
        row["name"]
        for row in store.fetch_all("t", "SELECT table_name AS name FROM duckdb_tables()")
    ]
    with pytest.raises(StoreUnavailable) as raised:
        for table in tables:
            store.fetch_all("scan", f'SELECT count(*) FROM "{table}" t WHERE hash(t) IS NULL')
    assert raised.value.message_key == DAMAGED
    assert_one_line_to_restore(str(raised.value))
    # Once seen, the damage answers every later read and write: nothing builds on a bad file.
    with pytest.raises(StoreUnavailable, match="cannot be read"):
        store.fetch_value("one", "SELECT 1")
    with pytest.raises(StoreUnavailable, match="cannot be read"), store.transaction() as tx:
        tx.execute("INSERT INTO portal_meta VALUES ('x', '1')")
    store.close()


def test_a_fatal_error_invalidating_the_database_leaves_health_reporting_it(healthy, tmp_path):
    path = tmp_path / "portal.duckdb"
    shutil.copyfile(healthy, path)
    settings = load_settings_for(path, f"sqlite:///{tmp_path / 'missing.db'}")
    runtime = Runtime(settings, Store(path), Scheduler(lambda r: None, 0))
    with runtime.store.transaction() as tx:
        tx.execute("INSERT INTO portal_meta VALUES ('x', '1')")
    with path.open("r+b") as file:  # the file cut away beneath the open store
        file.truncate(HEADERS)
    with pytest.raises(StoreUnavailable) as raised:
        runtime.store.fetch_all("checkpoint", "CHECKPOINT")
    assert isinstance(raised.value.__cause__, duckdb.FatalException)  # DuckDB is invalidated
    report = health_report(runtime)
    assert (report.status, report.problem) == ("unavailable", "damaged")
    assert report.as_json(admin=False) == {"status": "unavailable", "problem": "damaged"}
    runtime.store.close()


def test_the_runtime_does_not_open_on_a_damaged_store(damaged):
    close_runtime()
    settings = load_settings_for(damaged, f"sqlite:///{damaged.parent / 'missing.db'}")
    with pytest.raises(StoreUnavailable) as raised:
        open_runtime(settings, schedule=False)
    assert raised.value.message_key == DAMAGED
    assert runtime_module._runtime is None


@pytest.fixture
def page_env(monkeypatch, tmp_path):
    """The environment a page opens the runtime from: no schedule, no real MLflow."""
    close_runtime()
    st.cache_data.clear()
    monkeypatch.setenv("PORTAL_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("PORTAL_MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'missing.db'}")
    monkeypatch.setenv("PORTAL_SYNC_INTERVAL_MINUTES", "0")
    monkeypatch.setenv("PORTAL_DRIFT_INTERVAL_MINUTES", "0")
    yield monkeypatch
    close_runtime()
    st.cache_data.clear()


@pytest.mark.parametrize(("language", "expected"), [("en", ENGLISH), ("de", GERMAN)])
def test_a_page_on_a_damaged_store_shows_one_translated_line(
    page_env, healthy, tmp_path, language, expected
):
    page_env.setenv("PORTAL_STORE_PATH", str(damaged_copy(healthy, tmp_path / "s.duckdb", "end")))
    app = open_app(language=language)
    assert not app.exception
    assert [error.value for error in app.error] == [
        error.value for error in app.error if error.value.startswith(expected)
    ]
    assert len(app.error) == 1
    assert str(tmp_path) not in app.error[0].value


def test_a_page_meeting_damage_in_a_running_portal_shows_the_message(page_env, healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path / "s.duckdb", "garbage")
    settings = load_settings_for(path, f"sqlite:///{tmp_path / 'missing.db'}")
    # The runtime opened before the damage appeared: its store meets it at query time.
    runtime_module._runtime = Runtime(settings, Store(path), Scheduler(lambda r: None, 0))
    app = open_app(language="de")
    assert not app.exception
    assert len(app.error) == 1
    assert app.error[0].value.startswith(GERMAN)


def test_an_unexpected_error_in_the_sidebar_shows_a_reference(app_runtime, monkeypatch):
    def broken(_identity):
        raise RuntimeError("a bug")

    monkeypatch.setattr("portal.ui.sidebar.render_sidebar", broken)
    app = open_app()
    assert not app.exception
    assert len(app.error) == 1
    assert app.error[0].value.startswith("Something went wrong while showing this page")


def portal(*args: str, store, timeout: float = 90) -> subprocess.CompletedProcess:
    env = store_env(store)
    if args[0] == "demo":  # the demo works only on the embedded MLflow store (it fails first)
        del env["PORTAL_MLFLOW_TRACKING_URI"]
    try:
        return run_portal(*args, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"portal {' '.join(args)} was still running after {timeout} s")


def assert_exit_3_with_one_line(result: subprocess.CompletedProcess, command: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 3, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"portal {command}: ")
    assert_one_line_to_restore(lines[0])


@pytest.mark.server
@pytest.mark.parametrize("damage", DAMAGES)
def test_sync_and_serve_on_a_damaged_store_exit_3_with_one_line(healthy, tmp_path, damage):
    store = damaged_copy(healthy, tmp_path / "portal.duckdb", damage)
    assert_exit_3_with_one_line(portal("sync", store=store), "sync")
    started = time.monotonic()
    serve = portal(
        "serve", "--host", "127.0.0.1", "--port", str(free_port()), store=store, timeout=60
    )
    assert_exit_3_with_one_line(serve, "serve")
    assert time.monotonic() - started < 60


@pytest.mark.server
@pytest.mark.parametrize(
    "args",
    [
        ("drift",),
        ("import-kpis", "kpis.csv"),
        ("report", "--portfolio", "--out", "report.pdf"),
        ("demo",),
    ],
)
def test_every_other_command_on_a_damaged_store_exits_3_with_one_line(healthy, tmp_path, args):
    store = damaged_copy(healthy, tmp_path / "portal.duckdb", "garbage")
    if args[0] == "import-kpis":
        (tmp_path / "kpis.csv").write_text("model,kpi,period,value\nmodel-001,x,2026-10,1\n")
        args = ("import-kpis", str(tmp_path / "kpis.csv"))
    if args[0] == "report":
        args = (*args[:-1], str(tmp_path / "report.pdf"))
    result = portal(*args, store=store)
    assert_exit_3_with_one_line(result, args[0])
    assert not (tmp_path / "report.pdf").exists()
