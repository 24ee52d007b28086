"""The portal's DuckDB store: the connection (database), the schema (migrations), repositories."""

from __future__ import annotations

from pathlib import Path

from portal.store.database import Store
from portal.store.migrations import apply_migrations


def open_store(path: Path, *, query_timeout_seconds: float = 10.0) -> Store:
    """Open (or create) the store file, check that it reads whole, bring its schema up to date."""
    store = Store(path, query_timeout_seconds=query_timeout_seconds)
    try:
        store.verify()
        apply_migrations(store)
    except BaseException:
        store.close()
        raise
    return store
