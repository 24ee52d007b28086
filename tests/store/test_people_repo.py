"""The people table on a real DuckDB file: upserts, reads inside and outside a transaction."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from portal.store import open_store
from portal.store.people_repo import PeopleRepository

AT = datetime(2026, 11, 2, 9, 30)


def row(email, name, source, team="", manager=""):
    return {
        "email": email,
        "name": name,
        "team": team,
        "manager": manager,
        "source": source,
        "updated_at": AT,
    }


def test_people_are_stored_replaced_and_read_back_after_reopening(store, settings):
    anna = row("anna.schmidt@example.com", "Anna Schmidt", "sign_in")
    carla = row("carla.rossi@example.com", "Carla Rossi", "upload", "Credit", "max@example.com")
    with store.transaction() as tx:
        PeopleRepository.upsert(tx, [anna, carla])
    renamed = row("anna.schmidt@example.com", "Dr. Anna Schmidt", "upload", "Retention")
    with store.transaction() as tx:
        assert PeopleRepository.people_in(tx, ["anna.schmidt@example.com", "x@example.com"]) == {
            "anna.schmidt@example.com": anna
        }
        PeopleRepository.upsert(tx, [renamed])
    store.close()

    reopened = open_store(settings.store_path)
    try:
        repo = PeopleRepository(reopened)
        assert repo.people() == [renamed, carla]
        assert repo.named(["carla.rossi@example.com"]) == {"carla.rossi@example.com": carla}
        assert repo.named([]) == {}
    finally:
        reopened.close()


def test_an_unknown_source_is_refused_by_the_table(store):
    with pytest.raises(duckdb.ConstraintException), store.transaction() as tx:
        PeopleRepository.upsert(tx, [row("a@example.com", "A", "guess")])
    assert PeopleRepository(store).people() == []
