"""The `portal` command as a user runs it: help, errors, exit codes."""

from __future__ import annotations

import pytest

from tests.support.cli import run_portal
from tests.support.held_store import held_store


@pytest.mark.parametrize("command", ["demo", "sync", "drift", "import-kpis", "report", "serve"])
def test_every_command_has_help(command):
    result = run_portal(command, "--help")
    assert result.returncode == 0
    assert f"usage: portal {command}" in result.stdout


def test_bad_port_is_a_usage_error():
    result = run_portal("serve", "--port", "http")
    assert result.returncode == 2
    assert "'http' is not a port number" in result.stderr


def test_bad_setting_names_the_variable(tmp_path):
    result = run_portal(
        "sync", env={"PORTAL_LANGUAGE": "fr", "PORTAL_STORE_PATH": str(tmp_path / "s")}
    )
    assert result.returncode == 2
    assert "PORTAL_LANGUAGE='fr' is not valid" in result.stderr


def test_sync_against_a_missing_store_fails_clearly(tmp_path):
    env = {
        "PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb"),
        "PORTAL_MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'missing.db'}",
    }
    result = run_portal("sync", env=env)
    assert result.returncode == 1
    assert "sync failed" in result.stderr and "does not exist" in result.stderr


def test_sync_of_a_real_store_reports_counts(tmp_path, awkward_sqlite_store):
    env = {
        "PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb"),
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
    }
    result = run_portal("sync", env=env)
    assert result.returncode == 0, result.stderr
    models = len(awkward_sqlite_store.registry.versions)
    assert f"Synced {models} models" in result.stdout


def test_demo_refuses_a_foreign_mlflow_store_unless_told_to_skip(tmp_path):
    env = {
        "PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb"),
        "PORTAL_MLFLOW_TRACKING_URI": "http://127.0.0.1:9",
    }
    refused = run_portal("demo", env=env)
    assert refused.returncode == 2
    assert "only writes to the embedded MLflow store" in refused.stderr
    skipped = run_portal("demo", "--if-empty", env=env)
    assert skipped.returncode == 0
    assert "Demo skipped" in skipped.stdout


def test_a_held_store_gets_exit_code_3_and_says_what_to_do(tmp_path):
    path = tmp_path / "held.duckdb"
    with held_store(path) as pid:
        result = run_portal("sync", env={"PORTAL_STORE_PATH": str(path)})
    assert result.returncode == 3
    assert f"in use by process {pid}" in result.stderr
    assert "Data status page" in result.stderr


def test_drift_of_a_store_without_production_models_says_so(tmp_path):
    result = run_portal("drift", env={"PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb")})
    assert result.returncode == 0, result.stderr
    assert "No model is in production" in result.stdout


def test_drift_of_an_unknown_model_is_a_usage_error(tmp_path):
    env = {"PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb")}
    result = run_portal("drift", "--model", "nobody", env=env)
    assert result.returncode == 2
    assert "'nobody' is not a model in production" in result.stderr


def test_drift_of_a_synced_store_lists_each_model(tmp_path, awkward_sqlite_store):
    env = {
        "PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb"),
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
        "PORTAL_INFERENCE_DIR": str(tmp_path / "inference"),
    }
    assert run_portal("sync", env=env).returncode == 0
    result = run_portal("drift", env=env)
    assert result.returncode == 0, result.stderr
    assert "not monitored: no logs" in result.stdout
    assert "The Drift page shows the details" in result.stdout


def test_drift_while_the_server_holds_the_store_gets_exit_code_3(tmp_path):
    path = tmp_path / "held.duckdb"
    with held_store(path) as pid:
        result = run_portal("drift", env={"PORTAL_STORE_PATH": str(path)})
    assert result.returncode == 3
    assert f"in use by process {pid}" in result.stderr


def test_report_needs_a_model_or_the_portfolio():
    result = run_portal("report")
    assert result.returncode == 2
    assert "one of the arguments --model --portfolio is required" in result.stderr


def test_report_of_an_unknown_model_is_a_usage_error(tmp_path):
    env = {"PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb")}
    result = run_portal("report", "--model", "nobody", env=env)
    assert result.returncode == 2
    assert "no model is named 'nobody'" in result.stderr


def test_report_into_a_missing_folder_says_so_before_anything_is_made(tmp_path):
    env = {"PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb")}
    result = run_portal("report", "--portfolio", "--out", str(tmp_path / "no" / "r.pdf"), env=env)
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "portal.duckdb").exists()


def test_report_writes_the_portfolio_and_a_german_fact_sheet(tmp_path, awkward_sqlite_store):
    from pypdf import PdfReader

    env = {
        "PORTAL_STORE_PATH": str(tmp_path / "portal.duckdb"),
        "PORTAL_MLFLOW_TRACKING_URI": awkward_sqlite_store.tracking_uri,
    }
    assert run_portal("sync", env=env).returncode == 0
    out = tmp_path / "portfolio.pdf"
    result = run_portal("report", "--portfolio", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {out}" in result.stdout and "recorded as report 1" in result.stdout
    assert PdfReader(out).pages
    name = sorted(awkward_sqlite_store.registry.versions)[0]
    sheet = tmp_path / "sheet.pdf"
    result = run_portal("report", "--model", name, "--lang", "de", "--out", str(sheet), env=env)
    assert result.returncode == 0, result.stderr
    assert "recorded as report 2" in result.stdout
    text = "".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert name in text


def test_report_while_the_server_holds_the_store_gets_exit_code_3(tmp_path):
    path = tmp_path / "held.duckdb"
    with held_store(path):
        result = run_portal("report", "--portfolio", env={"PORTAL_STORE_PATH": str(path)})
    assert result.returncode == 3
