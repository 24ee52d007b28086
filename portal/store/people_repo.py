"""The people directory's queries: every person at once, and upserts inside a transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portal.store.database import Row, Store, Transaction

COLUMNS = ("email", "name", "team", "manager", "source", "updated_at")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM people"


class PeopleRepository:
    """Named queries for the people directory; rows have the COLUMNS."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def people(self) -> list[Row]:
        """Every person in the directory, by e-mail."""
        return self.store.fetch_all("people_all", _SELECT + " ORDER BY email")

    def named(self, emails: Iterable[str]) -> dict[str, Row]:
        """The named people as stored (those the directory knows), by e-mail."""
        rows = self.store.fetch_all(
            "people_named",
            _SELECT + " WHERE list_contains($emails, email)",
            {"emails": sorted(set(emails))},
        )
        return {row["email"]: row for row in rows}

    @staticmethod
    def people_in(tx: Transaction, emails: Iterable[str]) -> dict[str, Row]:
        """The named people as stored, read inside the writing transaction."""
        rows = tx.fetch_tuples(
            _SELECT + " WHERE list_contains($emails, email)", {"emails": sorted(set(emails))}
        )
        return {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows}

    @staticmethod
    def upsert(tx: Transaction, people: Iterable[Mapping[str, Any]]) -> None:
        """Store these people (rows with the COLUMNS), replacing rows of the same e-mail."""
        tx.execute_rows(
            f"INSERT OR REPLACE INTO people ({', '.join(COLUMNS)})"
            f" SELECT {', '.join('r.' + column for column in COLUMNS)}"
            " FROM (SELECT unnest($rows) AS r)",
            [{column: person[column] for column in COLUMNS} for person in people],
        )
