"""A real store file with data, and copies damaged as a disk fault or a cut-off copy leaves them."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import duckdb

from portal.store import open_store
from tests.conftest import load_settings_for
from tests.support.report_scale import fill

BLOCK = 256 * 1024  # DuckDB's block size
HEADERS = 3 * 4096  # the file header and two database headers come before block 0
DAMAGES = ("half", "garbage", "end")


def build_store(path: Path, models: int = 60) -> dict[str, int]:
    """A migrated store with generated models, promises, KPIs and assessments; its row counts."""
    store = open_store(path)
    try:
        fill(store, load_settings_for(path, "sqlite:///unused.db"), models)
    finally:
        store.close()
    return row_counts(path)


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table, read straight from the file (read-only)."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def damaged_copy(source: Path, target: Path, damage: str) -> Path:
    """Copy the store and damage the copy: cut to half, garbage blocks in the middle, end cut."""
    shutil.copyfile(source, target)
    size = target.stat().st_size
    blocks = (size - HEADERS) // BLOCK
    with target.open("r+b") as file:
        if damage == "half":
            file.truncate(size // 2)
        elif damage == "garbage":
            garbage = random.Random(13)
            for block in range(blocks // 2 - 1, blocks // 2 + 2):
                file.seek(HEADERS + block * BLOCK)
                file.write(garbage.randbytes(BLOCK))
        elif damage == "end":
            file.truncate(size - 2 * BLOCK)
        else:
            raise ValueError(damage)
    assert unreadable(target), f"{damage}: the damage missed every block the store reads"
    return target


def unreadable(path: Path) -> bool:
    """Whether DuckDB itself fails to open the file or to read every value of every table."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = [
                row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            ]
            for table in tables:
                con.execute(f'SELECT count(*) FROM "{table}" t WHERE hash(t) IS NULL').fetchall()
    except duckdb.Error:
        return True
    return False
