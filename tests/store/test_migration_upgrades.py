"""A store made at each earlier schema version, holding data, upgrades to the newest intact.

Every table that exists at the older version gets a row of typed values before the upgrade;
each row must read back unchanged after it, so a migration that rewrites or drops data, or
that cannot run over a filled table, fails here. New tables are covered without editing this.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from portal.services.catalog import CatalogService
from portal.store import open_store
from portal.store.database import Store
from portal.store.migrations import apply_migrations, read_migration_scripts
from portal.sync import sync_mlflow
from tests.support.catalog_fixture import T0, base_registry

VERSIONS = [version for version, _, _ in read_migration_scripts()]
NEWEST = VERSIONS[-1]
VALUES_BY_TYPE = {
    "VARCHAR": lambda table, column: f"{table}.{column} ü €",
    "INTEGER": lambda table, column: 7,
    "BIGINT": lambda table, column: 7_000_000_007,
    "DOUBLE": lambda table, column: 0.25,
    "BOOLEAN": lambda table, column: True,
    "DATE": lambda table, column: date(2026, 1, 31),
    "TIMESTAMP": lambda table, column: datetime(2026, 2, 3, 4, 5, 6),
}


def _name(model) -> str:
    return model.name.casefold()


def columns_by_table(store: Store) -> dict[str, list[tuple[str, str]]]:
    rows = store.fetch_all(
        "columns",
        "SELECT c.table_name, c.column_name, c.data_type FROM duckdb_columns() c"
        " JOIN duckdb_tables() t ON t.table_oid = c.table_oid AND NOT t.internal"
        " WHERE c.table_name <> 'schema_migrations' ORDER BY c.table_name, c.column_index",
    )
    tables: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        tables.setdefault(row["table_name"], []).append((row["column_name"], row["data_type"]))
    return tables


def allowed_values(store: Store) -> dict[tuple[str, str], str]:
    """Per column with a CHECK (... IN ('a', 'b')) constraint: the first value it allows."""
    rows = store.fetch_all(
        "checks",
        "SELECT table_name, constraint_column_names AS columns, expression"
        " FROM duckdb_constraints() WHERE constraint_type = 'CHECK'",
    )
    allowed = {}
    for row in rows:
        first = re.search(r"IN \('([^']*)'", row["expression"])
        if first and len(row["columns"]) == 1:
            allowed[(row["table_name"], row["columns"][0])] = first.group(1)
    return allowed


def typed_row(
    table: str, columns: list[tuple[str, str]], allowed: dict[tuple[str, str], str]
) -> dict[str, object]:
    missing = sorted({kind for _, kind in columns} - set(VALUES_BY_TYPE))
    assert not missing, f"{table}: give this test a value for the column type(s) {missing}"
    return {
        column: allowed.get((table, column)) or VALUES_BY_TYPE[kind](table, column)
        for column, kind in columns
    }


def fill(store: Store) -> dict[str, dict[str, object]]:
    """One row in every table (a value a CHECK allows where there is one); the rows as
    inserted."""
    allowed = allowed_values(store)
    rows = {
        table: typed_row(table, cols, allowed) for table, cols in columns_by_table(store).items()
    }
    with store.transaction() as tx:
        for table, row in rows.items():
            names = ", ".join(f'"{name}"' for name in row)
            values = ", ".join(f"$c{index}" for index in range(len(row)))
            tx.execute(
                f'INSERT INTO "{table}" ({names}) VALUES ({values})',
                {f"c{index}": value for index, value in enumerate(row.values())},
            )
    return rows


def still_there(store: Store, table: str, row: dict[str, object]) -> bool:
    where = " AND ".join(f'"{name}" IS NOT DISTINCT FROM $c{i}' for i, name in enumerate(row))
    params = {f"c{index}": value for index, value in enumerate(row.values())}
    return store.fetch_value("row", f'SELECT count(*) FROM "{table}" WHERE {where}', params) == 1


@pytest.mark.parametrize("start", VERSIONS[:-1])
def test_a_store_at_an_earlier_version_upgrades_with_its_data(tmp_path, start):
    old = Store(tmp_path / "old.duckdb")
    assert apply_migrations(old, up_to=start) == VERSIONS[: VERSIONS.index(start) + 1]
    inserted = fill(old)
    old.close()

    upgraded = open_store(tmp_path / "old.duckdb")
    try:
        applied = upgraded.fetch_all("m", "SELECT version FROM schema_migrations ORDER BY 1")
        assert [row["version"] for row in applied] == VERSIONS
        for table, row in inserted.items():
            assert still_there(upgraded, table, row), f"{table} lost its row upgrading {start}"
        assert set(columns_by_table(upgraded)) >= set(inserted)
    finally:
        upgraded.close()


def test_a_catalog_synced_at_the_first_version_reads_after_the_upgrade(tmp_path, settings):
    first = Store(tmp_path / "first.duckdb")
    apply_migrations(first, up_to=VERSIONS[0])
    result = sync_mlflow(
        first,
        base_registry(),
        source_uri="fake://registry",
        alias_precedence=("champion", "production"),
        trigger="cli",
        now=T0 + timedelta(days=1),
    )
    assert result.ok, result.error
    first.close()
    upgraded = open_store(tmp_path / "first.duckdb")
    try:
        names = [row.name for row in CatalogService(upgraded, settings).inventory()]
        assert names == [
            "bare model",
            "customer-churn",
            "house-prices",
            "Kündigung Geschäftskunden",
        ]
        assert upgraded.fetch_value("v", "SELECT max(version) FROM schema_migrations") == NEWEST
    finally:
        upgraded.close()
