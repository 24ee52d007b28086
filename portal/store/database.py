"""The DuckDB store: one connection per process, a cursor per thread, time-limited named queries.

A damaged file (cut short, blocks overwritten) is reported as StoreDamaged wherever DuckDB meets
the damage, at open or in a later query, and from then on for every query of the process.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from portal.errors import BackupFailed, QueryTimeout, StoreDamaged, StoreLocked, StoreUnavailable

log = logging.getLogger(__name__)

Row = dict[str, Any]
R = TypeVar("R")


def as_record(cls: type[R], row: Mapping[str, Any], **values: Any) -> R:
    """A dataclass from a row: every field from the column of its name, unless given here."""
    return cls(**{f.name: values[f.name] if f.name in values else row[f.name] for f in fields(cls)})  # type: ignore[arg-type]


_LOCK_PID = re.compile(r"PID (\d+)")
# What DuckDB says when the file is not what it wrote: checksums, short reads, foreign bytes.
_DAMAGE_SIGNS = (
    "corrupt database file",
    "corrupt wal file",
    "could not read enough bytes",
    "not a valid duckdb database file",
    "failure while replaying wal",
    "database has been invalidated",
)
# Errors that leave the database unusable in this process (DuckDB invalidates it after them).
_FATAL = (duckdb.SerializationException, duckdb.InternalException, duckdb.FatalException)


class Store:
    """The portal's only query surface; repositories pass it SQL with named parameters."""

    def __init__(
        self, path: Path, *, query_timeout_seconds: float = 10.0, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        self.query_timeout_seconds = query_timeout_seconds
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._damage: str | None = None
        # The data version, remembered between writes: only this process writes the store (the
        # file lock), so it changes only when one of our transactions commits. Pages read it
        # for every cached value they show.
        self._version_lock = threading.Lock()
        self._data_version: int | None = None
        self._version_generation = 0
        self._connection = _connect(self.path, read_only)

    def close(self) -> None:
        """Close the connection; cursors of other threads become unusable."""
        try:
            self._connection.close()
        except duckdb.Error:
            if self._damage is None:
                raise

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """Turn DuckDB's damage errors into StoreDamaged, and remember the damage."""
        if self._damage is not None:
            raise StoreDamaged(self.path, self._damage)
        try:
            yield
        except duckdb.Error as exc:
            detail = _damage_detail(exc)
            if detail is None:
                raise
            self._damage = detail
            raise StoreDamaged(self.path, detail) from exc

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._guarded():
                cursor = self._connection.cursor()
            self._local.cursor = cursor
        return cursor

    def fetch_all(self, name: str, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a named read query and return its rows as dicts."""
        cursor = self._cursor()
        with self._guarded(), self._time_limit(name, cursor):
            result = cursor.execute(sql, dict(params or {}))
            columns = [column[0] for column in result.description]
            return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]

    def verify(self) -> None:
        """Read every stored value once, so a damaged file is refused at open, not mid-page.

        No time limit: a large store takes a moment (10 million KPI rows: about 0.4 s).
        """
        cursor = self._cursor()
        with self._guarded():
            tables = cursor.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() "
                "WHERE database_name = current_database()"
            ).fetchall()
            for schema, table in tables:
                # hash(t) of the whole row reads every column of every row group.
                cursor.execute(
                    f"SELECT count(*) FROM {_identifier(schema)}.{_identifier(table)} t "
                    "WHERE hash(t) IS NULL"
                ).fetchall()

    def backup_to(self, target: Path) -> None:
        """Write a consistent copy of the store to a new file (writes wait until it is done)."""
        with self._write_lock:
            cursor = self._cursor()
            with self._guarded():
                name = cursor.execute("SELECT current_database()").fetchall()[0][0]
                try:
                    cursor.execute(
                        "ATTACH $target AS portal_backup (READ_WRITE)", {"target": str(target)}
                    )
                    try:
                        cursor.execute(f"COPY FROM DATABASE {_identifier(name)} TO portal_backup")
                    finally:
                        cursor.execute("DETACH portal_backup")
                except duckdb.Error as exc:
                    if _damage_detail(exc) is not None:
                        raise  # the store's own damage: _guarded reports it
                    raise BackupFailed(f"{target}: {str(exc).splitlines()[0]}") from exc

    def fetch_one(self, name: str, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        """Run a named read query expected to return at most one row."""
        rows = self.fetch_all(name, sql, params)
        return rows[0] if rows else None

    def fetch_value(self, name: str, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """Run a named query returning a single value (None when there is no row)."""
        row = self.fetch_one(name, sql, params)
        return next(iter(row.values())) if row else None

    def data_version(self) -> int:
        """Bumped by every sync and write; cached reads are keyed by it."""
        with self._version_lock:
            known, generation = self._data_version, self._version_generation
        if known is not None:
            return known
        value = int(
            self.fetch_value(
                "data_version", "SELECT value FROM portal_meta WHERE key = 'data_version'"
            )
        )
        with self._version_lock:
            if generation == self._version_generation:  # no write committed meanwhile
                self._data_version = value
        return value

    def _forget_data_version(self) -> None:
        with self._version_lock:
            self._data_version = None
            self._version_generation += 1

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One write transaction at a time per process; rolled back on any error."""
        with self._write_lock:
            cursor = self._cursor()
            with self._guarded():
                cursor.begin()
            try:
                yield Transaction(cursor, self._guarded)
                with self._guarded():
                    cursor.commit()
            except BaseException:
                try:
                    cursor.rollback()
                except duckdb.Error:
                    # A damaged or invalidated database cannot roll back; the damage is the news.
                    if self._damage is None:
                        raise
                raise
            finally:
                self._forget_data_version()

    @contextmanager
    def _time_limit(self, name: str, cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
        # One watchdog thread for all queries: a timer thread per query cost about a
        # millisecond to start, and a page runs dozens of queries.
        token = _WATCHDOG.watch(cursor, self.query_timeout_seconds)
        try:
            yield
        except duckdb.InterruptException as exc:
            raise QueryTimeout(
                f"query {name!r} took longer than {self.query_timeout_seconds:g} s"
            ) from exc
        finally:
            _WATCHDOG.release(token)


class _Watchdog:
    """Interrupts the cursors whose query runs past its deadline, from one daemon thread."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._watched: dict[int, tuple[float, duckdb.DuckDBPyConnection]] = {}
        self._next_token = 0
        self._thread: threading.Thread | None = None

    def watch(self, cursor: duckdb.DuckDBPyConnection, seconds: float) -> int:
        with self._wake:
            self._next_token += 1
            self._watched[self._next_token] = (time.monotonic() + seconds, cursor)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="store-query-watchdog", daemon=True
                )
                self._thread.start()
            self._wake.notify()
            return self._next_token

    def release(self, token: int) -> None:
        with self._wake:
            self._watched.pop(token, None)

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                for token, (deadline, cursor) in list(self._watched.items()):
                    if deadline <= now:
                        del self._watched[token]
                        cursor.interrupt()
                deadlines = [deadline for deadline, _ in self._watched.values()]
                self._wake.wait(min(deadlines) - now if deadlines else None)


_WATCHDOG = _Watchdog()


class Transaction:
    """Writes inside Store.transaction(); every write bumps the data version once."""

    def __init__(
        self,
        cursor: duckdb.DuckDBPyConnection,
        guarded: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self._cursor = cursor
        self._guarded = guarded
        self._bumped = False

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """Run one parameterized write."""
        with self._guarded():
            self._cursor.execute(sql, dict(params or {}))

    def execute_rows(self, sql: str, rows: list[Mapping[str, Any]], **params: Any) -> None:
        """Run one statement over many rows, passed as the list parameter $rows; none: no-op."""
        if rows:
            with self._guarded():
                self._cursor.execute(sql, {"rows": list(rows), **params})

    def fetch_value(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        """Read one value inside the transaction (e.g. a generated id)."""
        # fetchall, not fetchone: an unfinished result blocks a later register() on the cursor.
        with self._guarded():
            rows = self._cursor.execute(sql, dict(params or {})).fetchall()
        return rows[0][0] if rows else None

    def fetch_tuples(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """Read rows as plain tuples inside the transaction."""
        with self._guarded():
            return self._cursor.execute(sql, dict(params or {})).fetchall()

    def fetch_row(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        """Read one row as a dict inside the transaction."""
        with self._guarded():
            result = self._cursor.execute(sql, dict(params or {}))
            rows = result.fetchall()
        if not rows:
            return None
        return dict(zip([column[0] for column in result.description], rows[0], strict=True))

    def register(self, name: str, table: object) -> None:
        """Make an Arrow table readable as a view inside this transaction."""
        self._cursor.register(name, table)

    def unregister(self, name: str) -> None:
        """Forget a view made by register()."""
        self._cursor.unregister(name)

    def bump_data_version(self) -> None:
        """Mark the data as changed so cached reads are recomputed."""
        if self._bumped:
            return
        self.execute(
            "UPDATE portal_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
            "WHERE key = 'data_version'"
        )
        self._bumped = True


def _damage_detail(exc: duckdb.Error) -> str | None:
    """DuckDB's first line when the error means the file cannot be read; None for other errors."""
    message = str(exc).strip()
    if isinstance(exc, _FATAL) or any(sign in message.lower() for sign in _DAMAGE_SIGNS):
        return message.splitlines()[0] if message else type(exc).__name__
    return None


def _identifier(name: str) -> str:
    """A catalog name quoted for SQL (names come from DuckDB's own catalog, never from users)."""
    return '"' + name.replace('"', '""') + '"'


def _connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        detail = _damage_detail(exc)
        if detail is not None:
            raise StoreDamaged(path, detail) from exc
        if not isinstance(exc, duckdb.IOException):
            raise StoreUnavailable(f"The store {path} cannot be opened: {exc}") from exc
        message = str(exc)
        if "lock" in message.lower():
            pid = _LOCK_PID.search(message)
            holder = f"process {pid.group(1)}" if pid else "another process"
            raise StoreLocked(
                f"The store {path} is in use by {holder} (usually the running portal server). "
                "Use the portal's Data status page or stop the server, then try again."
            ) from exc
        raise StoreUnavailable(f"The store {path} cannot be opened: {message}") from exc
    except OSError as exc:
        raise StoreUnavailable(f"The store {path} cannot be opened: {exc}") from exc
