"""`portal backup FILE`: a consistent copy straight from the file, or through the running server."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from portal.store import open_store
from tests.support.cli import run_portal, store_env
from tests.support.damaged_store import build_store, damaged_copy, row_counts
from tests.support.held_store import held_store
from tests.support.portal_server import free_port, running_portal

pytestmark = pytest.mark.server
TOKEN = "backup-token"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("built") / "portal.duckdb"
    return path, build_store(path, models=20)


@pytest.fixture
def store(built, tmp_path) -> Path:
    path = tmp_path / "store" / "portal.duckdb"
    path.parent.mkdir()
    path.write_bytes(built[0].read_bytes())
    return path


def sequences(path: Path) -> dict[str, int | None]:
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(
            con.execute("SELECT sequence_name, last_value FROM duckdb_sequences()").fetchall()
        )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_store_no_server_holds_is_copied_whole_and_left_untouched(built, store, tmp_path):
    before = digest(store)
    copy = tmp_path / "copy.duckdb"
    result = run_portal("backup", str(copy), env=store_env(store))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {copy}" in result.stdout and "from the store file" in result.stdout
    assert row_counts(copy) == built[1]
    assert sequences(copy) == sequences(store)
    assert digest(store) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []
    # The copy is a store the portal opens as it is: restoring is putting it in place.
    restored = open_store(copy)
    assert restored.fetch_value("m", "SELECT count(*) FROM registered_models") == 20
    restored.close()


def test_an_existing_file_is_replaced_only_with_force(built, store, tmp_path):
    target = tmp_path / "keep.duckdb"
    target.write_text("an older backup")
    refused = run_portal("backup", str(target), env=store_env(store))
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"portal backup: {target} exists; give --force to replace it"
    assert target.read_text() == "an older backup"
    replaced = run_portal("backup", "--force", str(target), env=store_env(store))
    assert replaced.returncode == 0, replaced.stderr
    assert row_counts(target) == built[1]


def test_the_store_itself_is_never_a_target(store):
    result = run_portal("backup", "--force", str(store), env=store_env(store))
    assert result.returncode == 2
    assert "is the store itself" in result.stderr


def test_a_damaged_store_is_not_backed_up(built, tmp_path):
    damaged = damaged_copy(built[0], tmp_path / "portal.duckdb", "garbage")
    result = run_portal("backup", str(tmp_path / "copy.duckdb"), env=store_env(damaged))
    assert result.returncode == 3
    assert "cannot be read" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "copy.duckdb").exists()


def test_a_held_store_without_a_reachable_server_says_what_to_do(store, tmp_path):
    nowhere = f"http://127.0.0.1:{free_port()}"
    with held_store(store):
        no_token = run_portal("backup", str(tmp_path / "a.duckdb"), env=store_env(store))
        no_server = run_portal(
            "backup",
            str(tmp_path / "b.duckdb"),
            env=store_env(store, PORTAL_API_TOKEN=TOKEN, PORTAL_SERVER_URL=nowhere),
        )
    assert no_token.returncode == 3
    assert "set PORTAL_API_TOKEN" in no_token.stderr
    assert no_server.returncode == 3
    assert f"no portal server answers at {nowhere}/api/backup" in no_server.stderr
    assert "set PORTAL_SERVER_URL" in no_server.stderr
    assert not any(tmp_path.glob("*.duckdb"))


def post(url: str, token: str | None, body: bytes = b"", content_type: str = "") -> int:
    headers = {"Content-Type": content_type} if content_type else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_running_server_makes_the_copy_with_its_latest_writes(built, store, tmp_path):
    env = store_env(store, PORTAL_API_TOKEN=TOKEN)
    rows = {"rows": [{"model": "model-001", "kpi": "saved hours", "period": "2026-11", "value": 7}]}
    copy = tmp_path / "copy.duckdb"
    with running_portal(env, tmp_path / "server.log") as url:
        assert post(f"{url}/api/backup", None) == 401
        assert post(f"{url}/api/backup", "guess") == 401
        pushed = post(f"{url}/api/kpis", TOKEN, json.dumps(rows).encode(), "application/json")
        assert pushed == 200
        result = run_portal("backup", str(copy), env={**env, "PORTAL_SERVER_URL": url})
        assert result.returncode == 0, result.stderr
        assert f"from the portal server at {url}" in result.stdout
        assert list(store.parent.glob(".backup-*")) == []  # the server removed its copy
    original = row_counts(store)
    copied = row_counts(copy)
    assert copied["kpi_observations"] == built[1]["kpi_observations"] + 1
    # The server's start-up sync and drift check may record their runs after the copy.
    late = {t for t in original if t == "sync_runs" or t.startswith("drift_")}
    assert {t: n for t, n in copied.items() if t not in late} == {
        t: n for t, n in original.items() if t not in late
    }
    assert all(built[1][t] <= copied[t] <= original[t] for t in late & set(copied))


def test_copies_made_while_writes_go_on_are_each_of_one_moment(tmp_path):
    store = open_store(tmp_path / "portal.duckdb")
    stop = threading.Event()

    def write_pairs() -> None:
        pair = 0
        while not stop.is_set():
            with store.transaction() as tx:  # two rows per transaction: a copy has both or none
                for side in ("a", "b"):
                    tx.execute("INSERT INTO portal_meta VALUES ($k, '1')", {"k": f"{side}{pair}"})
            pair += 1

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        copies = []
        for number in range(4):
            time.sleep(0.05)
            copies.append(tmp_path / f"copy-{number}.duckdb")
            store.backup_to(copies[-1])
    finally:
        stop.set()
        writer.join(10)
        store.close()
    pairs = []
    for copy in copies:
        with duckdb.connect(str(copy), read_only=True) as con:
            a, b = con.execute(
                "SELECT count(*) FILTER (key LIKE 'a%'), count(*) FILTER (key LIKE 'b%') "
                "FROM portal_meta"
            ).fetchone()
        assert a == b
        pairs.append(a)
    assert pairs == sorted(pairs) and pairs[-1] > 0


def test_backup_has_help():
    result = run_portal("backup", "--help", env={})
    assert result.returncode == 0
    assert "usage: portal backup" in result.stdout and "--force" in result.stdout
