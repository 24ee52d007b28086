"""Paths built from outside data stay in their folders: inference logs by model name, reports.

A model's name comes from the registry (MLflow's database accepts any text), so it may hold
'..', a separator, an absolute path or a NUL byte; a stored report name comes from a store
file that may be a copy of another server's. Neither may lead the portal outside its folders.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from portal.clock import utc_now
from portal.drift.job import run_drift_job
from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.drift import DriftService
from portal.sources.inference_logs import InferenceLogs, UnsafeLogFolder, log_folder
from portal.sources.mlflow_records import SourceModel
from portal.store import open_store
from portal.store.database import Store
from portal.store.drift_repo import DriftRepository
from portal.store.drift_reports import REPORT_NAME, ReportFiles, StoredReport
from portal.store.migrations import apply_migrations
from tests.conftest import load_settings_for, sync_fake
from tests.support.builders import ADMIN, VIEWER
from tests.support.catalog_fixture import T0, base_registry, version
from tests.support.cli import run_portal
from tests.support.drift_fixtures import (
    NOW,
    FakeArtifacts,
    churn_logs,
    churn_rows,
    fill_drift_results,
    write_logs,
)

CHURN = "customer-churn"


def registry_with(*names: str):
    """The base registry plus models in production on run r2 (which has a reference sample)."""
    source = base_registry()
    source.snapshot = replace(
        source.snapshot,
        models=source.snapshot.models
        + tuple(SourceModel(name, "", T0, T0, {}, {"champion": 1}) for name in names),
        versions=source.snapshot.versions + tuple(version(name, 1, "r2") for name in names),
    )
    return source


def artifacts() -> FakeArtifacts:
    return FakeArtifacts({"r2": churn_rows(2000, seed=1)})


def quick(settings):
    return replace(settings, drift_history_weeks=0, drift_sample_rows=5000)


def latest(store: Store, model: str) -> dict:
    return next(row for row in DriftRepository(store).latest_checks() if row["model_name"] == model)


def plant(folder: Path, now: datetime = NOW) -> None:
    """Logs that would give a verdict if the portal read them."""
    write_logs(folder.parent, folder.name, churn_logs(now - timedelta(days=7), 7, 100, 9))


# --- inference logs: one folder per model, inside PORTAL_INFERENCE_DIR -------------------------


@pytest.mark.parametrize(
    "name",
    ["customer-churn", "Kündigung Geschäftskunden", "x'; DROP TABLE runs; --", "a..b", "...x"],
)
def test_a_plain_name_is_its_own_folder_inside_the_root(tmp_path, name):
    assert log_folder(tmp_path, name) == tmp_path.resolve() / name


@pytest.mark.parametrize(
    "name", ["a/b", "..", ".", "/abs/path", "../escape", "a\x00b", "a\\b", "", "x/../../y"]
)
def test_a_name_that_is_not_one_folder_name_is_refused(tmp_path, name):
    with pytest.raises(UnsafeLogFolder) as refused:
        InferenceLogs(tmp_path / "inference", name)
    # The reason names the model, never a server path.
    assert str(tmp_path) not in str(refused.value)


def test_a_model_folder_that_is_a_link_out_of_the_root_is_refused(tmp_path):
    outside = tmp_path / "outside"
    plant(outside / "logs")
    root = tmp_path / "inference"
    root.mkdir()
    (root / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeLogFolder, match="leads outside"):
        InferenceLogs(root, "linked")


def test_a_linked_file_in_the_model_folder_is_not_read(tmp_path):
    root = tmp_path / "inference"
    write_logs(root, CHURN, churn_logs(NOW - timedelta(days=7), 7, 10, 1))
    elsewhere = write_logs(tmp_path, "elsewhere", churn_logs(NOW - timedelta(days=7), 7, 500, 2))
    (root / CHURN / "stolen.parquet").symlink_to(elsewhere)
    nested = root / CHURN / "nested"
    nested.symlink_to(elsewhere.parent, target_is_directory=True)
    stats = InferenceLogs(root, CHURN).window_stats(NOW - timedelta(days=7), NOW)
    assert stats.rows == 70


@pytest.mark.parametrize("name", ["s*", "s?", "[s]x", "s**"])
def test_glob_characters_in_a_name_read_only_that_models_folder(tmp_path, name):
    root = tmp_path / "inference"
    write_logs(root, name, churn_logs(NOW - timedelta(days=7), 7, 10, 1))
    write_logs(root, "sx", churn_logs(NOW - timedelta(days=7), 7, 500, 2))
    write_logs(root, "s", churn_logs(NOW - timedelta(days=7), 7, 500, 3))
    assert InferenceLogs(root, name).window_stats(NOW - timedelta(days=7), NOW).rows == 70


@pytest.mark.parametrize(
    ("case", "name", "planted"),
    [
        ("parent", "../escape", lambda root: root.parent / "escape"),
        ("absolute", None, lambda root: root.parent / "abs" / "path"),
        ("nested", "a/b", lambda root: root / "a" / "b"),
        ("dot-dot", "..", lambda root: root.parent / "anything"),
        ("dot", ".", lambda root: root / "another-model"),
        ("nul", "a\x00b", lambda root: root / "a"),
        ("link", "linked", lambda root: root.parent / "linked-target"),
    ],
)
def test_the_job_never_reads_logs_outside_the_models_own_folder(
    tmp_path, settings, store, case, name, planted
):
    root = settings.inference_dir
    folder = planted(root)
    name = name or str(folder)  # an absolute path as the model's name
    plant(folder)
    root.mkdir(parents=True, exist_ok=True)
    if case == "link":
        (root / name).symlink_to(folder, target_is_directory=True)
    sync_fake(store, registry_with(name), T0 + timedelta(days=20))
    result = run_drift_job(store, quick(settings), artifacts(), "cli", model_name=name, now=NOW)
    assert result.outcomes == {name: "not_monitored"}
    check = latest(store, name)
    assert (check["reason"], check["window_rows"]) == ("unsafe_log_folder", None)
    # The reason names the model (the absolute case: its name is a path), no other path.
    for said in (check["detail"], result.summaries[name]):
        assert str(tmp_path) not in said.replace(name, "")


def test_checks_of_other_models_go_on_beside_a_refused_name(settings, store):
    write_logs(settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=7), 7, 100, 5))
    sync_fake(store, registry_with("../escape"), T0 + timedelta(days=20))
    result = run_drift_job(store, quick(settings), artifacts(), "cli", now=NOW)
    assert result.outcomes[CHURN] == "checked"
    assert result.outcomes["../escape"] == "not_monitored"


# --- report files: a name relative to THIS store's folder, and the hash written --------------


def run_check(store: Store, settings) -> dict:
    run_drift_job(store, quick(settings), artifacts(), "cli", model_name=CHURN, now=NOW)
    return latest(store, CHURN)


def recheck(store: Store, settings) -> dict:
    """Another check with a new report: more rows, as a model whose logs keep their rows and
    labels is only confirmed."""
    write_logs(settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=7), 7, 120, 11))
    return run_check(store, settings)


@pytest.fixture
def checked(settings, filled_store) -> tuple[Store, dict]:
    """The filled store with a current check of the churn model and its report."""
    write_logs(settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=7), 7, 100, 5))
    return filled_store, run_check(filled_store, settings)


def test_a_report_is_stored_by_its_name_with_the_hash_of_what_was_written(settings, checked):
    _, check = checked
    assert re.fullmatch(REPORT_NAME, check["report_file"])
    written = settings.drift_reports_dir / check["report_file"]
    assert hashlib.sha256(written.read_bytes()).hexdigest() == check["report_sha256"]


def test_a_copied_store_never_touches_the_original_servers_reports(tmp_path, settings, checked):
    store, first = checked
    original = settings.drift_reports_dir / first["report_file"]
    content = original.read_bytes()
    store.close()
    copy_path = tmp_path / "staging" / "portal.duckdb"
    copy_path.parent.mkdir()
    shutil.copy(settings.store_path, copy_path)
    copy_settings = replace(settings, store_path=copy_path)
    copy = open_store(copy_path)
    try:
        second = recheck(copy, copy_settings)
        # The copy's stored name points into its own folder, where the old report never was.
        assert DriftService(runtime(copy, copy_settings)).report_html(first["id"]) is None
    finally:
        copy.close()
    assert original.read_bytes() == content
    assert sorted(p.name for p in settings.drift_reports_dir.iterdir()) == [first["report_file"]]
    assert sorted(p.name for p in copy_settings.drift_reports_dir.iterdir()) == [
        second["report_file"]
    ]


def test_a_copied_store_with_its_folder_replaces_only_its_own_copy(tmp_path, settings, checked):
    store, first = checked
    store.close()
    staging = tmp_path / "staging"
    staging.mkdir()
    shutil.copy(settings.store_path, staging / "portal.duckdb")
    shutil.copytree(settings.drift_reports_dir, staging / settings.drift_reports_dir.name)
    copy_settings = replace(settings, store_path=staging / "portal.duckdb")
    copy = open_store(copy_settings.store_path)
    try:
        second = recheck(copy, copy_settings)
    finally:
        copy.close()
    assert (settings.drift_reports_dir / first["report_file"]).is_file()
    assert [p.name for p in copy_settings.drift_reports_dir.iterdir()] == [second["report_file"]]


def test_a_copy_saved_beside_the_original_keeps_to_its_own_folder(settings, checked):
    store, first = checked
    original = settings.drift_reports_dir / first["report_file"]
    store.close()
    copy_path = settings.store_path.with_name("portal-copy.duckdb")
    shutil.copy(settings.store_path, copy_path)
    copy_settings = replace(settings, store_path=copy_path)
    assert copy_settings.drift_reports_dir != settings.drift_reports_dir
    copy = open_store(copy_path)
    try:
        second = recheck(copy, copy_settings)
    finally:
        copy.close()
    assert original.is_file()
    assert [p.name for p in copy_settings.drift_reports_dir.iterdir()] == [second["report_file"]]


def runtime(store: Store, settings) -> Runtime:
    return Runtime(
        settings, store, Scheduler(lambda r: None, 0), Scheduler(lambda r: None, 0, name="drift")
    )


@pytest.mark.parametrize("kind", ["absolute", "relative", "other name", "link"])
def test_a_stored_name_the_portal_did_not_write_is_neither_served_nor_deleted(
    tmp_path, settings, checked, kind
):
    store, check = checked
    victim = tmp_path / "victim" / "drift-0123456789abcdef0123456789abcdef.html"
    victim.parent.mkdir()
    victim.write_text("<html>someone else's file</html>", encoding="utf-8")
    sha = hashlib.sha256(victim.read_bytes()).hexdigest()
    stored = {
        "absolute": str(victim),
        "relative": f"../victim/{victim.name}",
        "other name": "notes.html",
        "link": victim.name,
    }[kind]
    if kind == "other name":
        shutil.copy(victim, settings.drift_reports_dir / stored)
    if kind == "link":
        (settings.drift_reports_dir / victim.name).symlink_to(victim)
    with store.transaction() as tx:
        tx.execute(
            "UPDATE drift_checks SET report_file = $file, report_sha256 = $sha WHERE id = $id",
            {"file": stored, "sha": sha, "id": check["id"]},
        )
    assert DriftService(runtime(store, settings)).report_html(check["id"]) is None
    recheck(store, settings)
    assert victim.is_file()
    if kind in ("other name", "link"):
        assert (settings.drift_reports_dir / stored).exists()


def test_a_report_changed_after_writing_is_neither_served_nor_deleted(settings, checked):
    store, check = checked
    path = settings.drift_reports_dir / check["report_file"]
    path.write_text("<html>replaced</html>", encoding="utf-8")
    assert DriftService(runtime(store, settings)).report_html(check["id"]) is None
    second = recheck(store, settings)
    assert path.read_text(encoding="utf-8") == "<html>replaced</html>"
    served = DriftService(runtime(store, settings)).report_html(second["id"])
    assert served == (settings.drift_reports_dir / second["report_file"]).read_bytes()


def test_report_files_refuse_names_outside_the_pattern(tmp_path):
    files = ReportFiles(tmp_path / "drift-reports")
    written = files.write("<html>ok</html>")
    assert files.read(written) == b"<html>ok</html>"
    for name in ("../x.html", "/etc/passwd", "drift-ABC.html", f"{written.name}\x00", ""):
        assert files.read(StoredReport(name, written.sha256)) is None
        assert not files.delete(StoredReport(name, written.sha256))
    assert not files.delete(StoredReport(written.name, None))  # no hash: not provably ours
    assert files.delete(written)
    assert not (tmp_path / "drift-reports" / written.name).exists()


def test_the_migration_keeps_only_the_file_name_of_stored_paths(tmp_path):
    old = Store(tmp_path / "old.duckdb")
    apply_migrations(old, up_to=6)
    names = {
        "/srv/portal/data/drift-reports/drift-0123456789abcdef0123456789abcdef.html": (
            "drift-0123456789abcdef0123456789abcdef.html"
        ),
        "data/drift-reports/drift-fedcba9876543210fedcba9876543210.html": (
            "drift-fedcba9876543210fedcba9876543210.html"
        ),
        r"C:\portal\drift-reports\drift-00000000000000000000000000000000.html": (
            "drift-00000000000000000000000000000000.html"
        ),
        "drift-11111111111111111111111111111111.html": (
            "drift-11111111111111111111111111111111.html"
        ),
    }
    with old.transaction() as tx:
        for path in names:
            tx.execute(
                "INSERT INTO drift_checks (model_name, window_kind, checked_at, outcome,"
                " report_file) VALUES ('m', 'current', $at, 'checked', $file)",
                {"at": NOW, "file": path},
            )
    old.close()
    upgraded = open_store(tmp_path / "old.duckdb")
    try:
        rows = upgraded.fetch_all("r", "SELECT report_file, report_sha256 FROM drift_checks")
    finally:
        upgraded.close()
    assert sorted(row["report_file"] for row in rows) == sorted(names.values())
    # No hash was recorded for them: the portal cannot prove it wrote these files.
    assert {row["report_sha256"] for row in rows} == {None}


# --- what a viewer reads: a plain reason, no server paths ----------------------------------------


def test_viewers_read_no_server_paths_admins_read_the_detail(settings, filled_store):
    fill_drift_results(filled_store, settings)
    service = DriftService(runtime(filled_store, settings))
    german = "Kündigung Geschäftskunden"
    for model in service.portfolio().models:
        assert str(settings.store_path.parent) not in model.detail, model.model_name
    details = service.check_details(ADMIN)
    assert details[german] == str(settings.inference_dir.resolve() / german)
    assert details["house-prices"] == "reference"
    with pytest.raises(NotAllowed):
        service.check_details(VIEWER)


# --- the real command line: a name MLflow's API refuses, written into its database ------------


def mlflow_store_with_an_escaping_name(folder: Path) -> str:
    """An MLflow SQLite store whose model '../escape' was inserted into its tables directly."""
    from mlflow import MlflowClient

    uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = MlflowClient(uri, registry_uri=uri)
    experiment = client.create_experiment("churn", artifact_location=(folder / "art").as_uri())
    sample = folder / "reference.parquet"
    churn_rows(2000, seed=1).to_parquet(sample, index=False)
    run = client.create_run(experiment)
    client.log_artifact(run.info.run_id, str(sample), "reference")
    client.set_terminated(run.info.run_id)
    now_ms = int(time.time() * 1000)
    with sqlite3.connect(folder / "mlflow.db") as db:
        db.execute(
            "INSERT INTO registered_models (name, creation_time, last_updated_time, description)"
            " VALUES ('../escape', ?, ?, '')",
            (now_ms, now_ms),
        )
        db.execute(
            "INSERT INTO model_versions (name, version, creation_time, last_updated_time,"
            " description, user_id, current_stage, source, run_id, status, status_message,"
            " run_link, storage_location) VALUES ('../escape', 1, ?, ?, '', 'someone', 'None',"
            " ?, ?, 'READY', '', '', ?)",
            (now_ms, now_ms, f"{run.info.artifact_uri}/model", run.info.run_id, "x"),
        )
        db.execute(
            "INSERT INTO registered_model_aliases (alias, version, name)"
            " VALUES ('champion', 1, '../escape')"
        )
    return uri


def test_portal_drift_refuses_a_model_name_that_leaves_the_inference_folder(tmp_path):
    uri = mlflow_store_with_an_escaping_name(tmp_path)
    settings = load_settings_for(tmp_path / "portal.duckdb", uri)
    planted = tmp_path / "escape"  # where PORTAL_INFERENCE_DIR/../escape leads
    plant(planted, utc_now().replace(minute=0, second=0, microsecond=0))
    settings.inference_dir.mkdir()
    before = {p: p.stat().st_mtime_ns for p in planted.iterdir()}
    env = {
        "PORTAL_STORE_PATH": str(settings.store_path),
        "PORTAL_MLFLOW_TRACKING_URI": uri,
        "PORTAL_INFERENCE_DIR": str(settings.inference_dir),
        "PORTAL_DRIFT_HISTORY_WEEKS": "0",
    }
    synced = run_portal("sync", env=env, timeout=300)
    assert synced.returncode == 0, synced.stderr
    result = run_portal("drift", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "../escape" in line]
    assert " ".join(line.split()) == (
        "../escape not monitored: unsafe log folder"
        " (the model name '../escape' is not a single folder name)"
    )
    assert str(tmp_path) not in result.stdout
    assert {p: p.stat().st_mtime_ns for p in planted.iterdir()} == before
    store = open_store(settings.store_path)
    try:
        check = latest(store, "../escape")
    finally:
        store.close()
    assert (check["outcome"], check["reason"], check["window_rows"]) == (
        "not_monitored",
        "unsafe_log_folder",
        None,
    )
