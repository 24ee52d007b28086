"""The store: migrations, transactions, time limits, and the one-writer lock."""

from __future__ import annotations

import threading

import pytest

from portal.errors import QueryTimeout, StoreLocked
from portal.store import open_store
from portal.store.migrations import read_migration_scripts
from tests.support.held_store import held_store


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    again = open_store(path)
    versions = [
        row["version"]
        for row in again.fetch_all("m", "SELECT version FROM schema_migrations ORDER BY version")
    ]
    assert versions == [version for version, _, _ in read_migration_scripts()]
    again.close()


def test_failed_transaction_leaves_nothing_and_data_version_unchanged(store):
    before = store.data_version()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.execute("INSERT INTO portal_meta VALUES ('x', '1')")
        tx.bump_data_version()
        raise RuntimeError("boom")
    assert store.fetch_one("x", "SELECT * FROM portal_meta WHERE key = 'x'") is None
    assert store.data_version() == before


def test_named_parameters_keep_user_text_literal(store):
    hostile = "x'); DROP TABLE portal_meta; --"
    with store.transaction() as tx:
        tx.execute("INSERT INTO portal_meta VALUES ($key, $value)", {"key": hostile, "value": "1"})
    assert (
        store.fetch_value("k", "SELECT key FROM portal_meta WHERE key = $k", {"k": hostile})
        == hostile
    )


def test_slow_query_is_interrupted(tmp_path):
    store = open_store(tmp_path / "slow.duckdb", query_timeout_seconds=0.2)
    with pytest.raises(QueryTimeout, match=r"took longer than 0\.2 s"):
        store.fetch_all("endless", "SELECT count(*) FROM range(10000000000) a")
    store.close()


def test_each_thread_reads_with_its_own_cursor(store):
    results = []

    def read():
        results.append(store.fetch_value("v", "SELECT value FROM portal_meta"))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["0"] * 8


def test_second_process_gets_a_clear_locked_message(tmp_path):
    path = tmp_path / "held.duckdb"
    with held_store(path) as pid, pytest.raises(StoreLocked, match=f"in use by process {pid}"):
        open_store(path)
