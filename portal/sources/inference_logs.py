"""Production inference logs per model, read in place by DuckDB from Parquet and CSV files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

TIMESTAMP = "timestamp"
_SAMPLE_SEED = 42


class InferenceLogsUnreadable(Exception):
    """The model's log files exist but cannot be read; str(exc) names the problem."""


@dataclass(frozen=True)
class WindowStats:
    """What a time window of the logs holds, cheap to compute: decides whether to re-check it."""

    rows: int
    labelled_rows: int
    first: datetime | None
    last: datetime | None

    @property
    def fingerprint(self) -> str:
        """Changes whenever rows or late labels arrive in the window."""
        return f"{self.rows}|{self.labelled_rows}|{self.first}|{self.last}"


@dataclass(frozen=True)
class WindowSample:
    """A window's rows, sampled to at most the cap with a fixed seed."""

    stats: WindowStats
    frame: pd.DataFrame


class InferenceLogs:
    """The folder `<root>/<model name>/` of one model's logs (`*.parquet`, `*.csv`, nested too)."""

    def __init__(self, root: Path, model_name: str) -> None:
        self.folder = root / model_name

    def exists(self) -> bool:
        """True when the model has a log folder with at least one Parquet or CSV file."""
        return bool(self._files("parquet") or self._files("csv"))

    def window_stats(self, start: datetime, end: datetime) -> WindowStats:
        """Row and label counts of [start, end)."""
        with self._connection() as con:
            relation = self._relation(con)
            has_label = "label" in self._columns(con, relation)
            labelled = 'count("label")' if has_label else "0"
            row = self._query(
                con,
                f"SELECT count(*), {labelled}, min({TIMESTAMP}), max({TIMESTAMP}) FROM {relation}"
                f" WHERE {TIMESTAMP} >= $start AND {TIMESTAMP} < $end",
                {"start": start, "end": end},
            ).fetchone()
        assert row is not None
        return WindowStats(int(row[0]), int(row[1]), row[2], row[3])

    def latest_timestamp(self) -> datetime | None:
        """When the newest logged prediction was made: whether the model still runs."""
        with self._connection() as con:
            row = self._query(con, f"SELECT max({TIMESTAMP}) FROM {self._relation(con)}").fetchone()
        return row[0] if row else None

    def read_window(self, start: datetime, end: datetime, max_rows: int) -> WindowSample:
        """The rows of [start, end), a seeded reservoir sample of `max_rows` when there are more."""
        stats = self.window_stats(start, end)
        window = f"SELECT * FROM {{relation}} WHERE {TIMESTAMP} >= $start AND {TIMESTAMP} < $end"
        with self._connection() as con:
            sql = window.format(relation=self._relation(con))
            if stats.rows > max_rows:
                sql = (
                    f"SELECT * FROM ({sql}) USING SAMPLE reservoir({int(max_rows)} ROWS)"
                    f" REPEATABLE ({_SAMPLE_SEED})"
                )
            frame = self._query(con, sql, {"start": start, "end": end}).df()
        return WindowSample(stats, frame.drop(columns=[TIMESTAMP]))

    def _files(self, suffix: str) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.rglob(f"*.{suffix}"))

    def _connection(self) -> duckdb.DuckDBPyConnection:
        # One thread makes the seeded reservoir sample repeatable (DuckDB documents this).
        return duckdb.connect(config={"threads": 1})

    def _relation(self, con: duckdb.DuckDBPyConnection) -> str:
        """A FROM clause over every log file, columns matched by name across files."""
        parts = []
        if self._files("parquet"):
            parts.append(
                f"SELECT * FROM read_parquet({_glob(self.folder, 'parquet')}, union_by_name = true)"
            )
        if self._files("csv"):
            parts.append(
                f"SELECT * FROM read_csv({_glob(self.folder, 'csv')}, union_by_name = true)"
            )
        if not parts:
            raise InferenceLogsUnreadable(f"no Parquet or CSV files in {self.folder}")
        relation = f"({' UNION ALL BY NAME '.join(parts)})"
        if TIMESTAMP not in self._columns(con, relation):
            raise InferenceLogsUnreadable(f"the logs in {self.folder} have no '{TIMESTAMP}' column")
        # Naive UTC like the portal's times; time-zone-aware and text timestamps convert too.
        return f"(SELECT * REPLACE (CAST({TIMESTAMP} AS TIMESTAMP) AS {TIMESTAMP}) FROM {relation})"

    def _columns(self, con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
        return [row[0] for row in self._query(con, f"DESCRIBE SELECT * FROM {relation}").fetchall()]

    def _query(
        self, con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None
    ) -> duckdb.DuckDBPyConnection:
        try:
            return con.execute(sql, params or {})
        except duckdb.Error as exc:
            message = str(exc).splitlines()[0]
            raise InferenceLogsUnreadable(f"{self.folder}: {message}") from exc


def _glob(folder: Path, suffix: str) -> str:
    """A quoted glob literal; the folder is the model's name, so quotes are doubled."""
    pattern = str(folder / "**" / f"*.{suffix}").replace("'", "''")
    return f"'{pattern}'"
