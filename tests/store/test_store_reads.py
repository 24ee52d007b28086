"""Reads stay cheap: one watchdog thread bounds query time, and the data version is remembered."""

from __future__ import annotations

import threading
import time

import pytest

from portal.errors import QueryTimeout
from portal.store import open_store

ENDLESS = "SELECT count(*) FROM range(10000000000) a"


def test_only_the_slow_query_stops_and_the_store_answers_afterwards(tmp_path):
    store = open_store(tmp_path / "s.duckdb", query_timeout_seconds=0.3)
    outcomes: dict[str, object] = {}

    def slow() -> None:
        try:
            store.fetch_all("endless", ENDLESS)
        except QueryTimeout as error:
            outcomes["slow"] = error

    def quick() -> None:
        outcomes["quick"] = [store.fetch_value("one", "SELECT 1") for _ in range(200)]

    threads = [threading.Thread(target=slow), threading.Thread(target=quick)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert isinstance(outcomes["slow"], QueryTimeout)
    assert outcomes["quick"] == [1] * 200
    assert time.monotonic() - started < 5
    assert store.fetch_value("one", "SELECT 42") == 42
    store.close()


def test_a_second_slow_query_is_stopped_too(tmp_path):
    store = open_store(tmp_path / "s.duckdb", query_timeout_seconds=0.2)
    for _ in range(2):
        with pytest.raises(QueryTimeout):
            store.fetch_all("endless", ENDLESS)
    store.close()


def test_the_data_version_is_read_once_and_follows_every_commit(tmp_path):
    store = open_store(tmp_path / "v.duckdb")
    before = store.data_version()
    with store.transaction() as tx:
        tx.bump_data_version()
    assert store.data_version() == before + 1
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.bump_data_version()
        raise RuntimeError("rolled back")
    assert store.data_version() == before + 1
    store.close()
    reopened = open_store(tmp_path / "v.duckdb")
    assert reopened.data_version() == before + 1
    reopened.close()


def test_a_write_while_a_reader_fetches_the_version_is_not_lost(tmp_path):
    store = open_store(tmp_path / "v.duckdb")
    seen: list[int] = []

    def read() -> None:
        for _ in range(200):
            seen.append(store.data_version())

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(20):
        with store.transaction() as tx:
            tx.bump_data_version()
    reader.join(10)
    assert store.data_version() == 20
    assert seen == sorted(seen)  # never back to an older version
    store.close()
