"""Versioned schema migrations: NNN_name.sql files applied once each, in order."""

from __future__ import annotations

import re
from importlib import resources

from portal.store.database import Store


def read_migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration file, in order."""
    scripts = []
    for entry in resources.files(__name__).iterdir():
        match = re.fullmatch(r"(\d{3})_(\w+)\.sql", entry.name)
        if match:
            scripts.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(scripts)


def apply_migrations(store: Store, up_to: int | None = None) -> list[int]:
    """Apply the migrations the store has not seen yet (up to a version); return their versions.

    Each migration is one transaction: a store is always at a version, never between two.
    """
    with store.transaction() as tx:
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP))"
        )
    applied = {
        row["version"]
        for row in store.fetch_all("applied_migrations", "SELECT version FROM schema_migrations")
    }
    new_versions = []
    for version, name, sql in read_migration_scripts():
        if version in applied or (up_to is not None and version > up_to):
            continue
        with store.transaction() as tx:
            for statement in _statements(sql):
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($version, $name)",
                {"version": version, "name": name},
            )
        new_versions.append(version)
    return new_versions


def _statements(sql: str) -> list[str]:
    """Split a migration file on semicolons at line ends (the files hold no procedural code)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";\n") if part.strip().strip(";")]
