"""Production inference logs per model, read in place by DuckDB from Parquet and CSV files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

TIMESTAMP = "timestamp"
_SAMPLE_SEED = 42


class InferenceLogsUnreadable(Exception):
    """The model's log files exist but cannot be read; str(exc) names the problem."""


class UnsafeLogFolder(Exception):
    """The model's name does not lead to a folder of its own inside the log folder.

    str(exc) names the model and why, never a server path: it is shown to administrators and
    printed by the command line.
    """


# A name is one folder name: no separator of any platform, no NUL, not '.' or '..'.
_NOT_IN_A_FOLDER_NAME = ("/", "\\", "\0")


def log_folder(root: Path, model_name: str) -> Path:
    """The model's log folder `<root>/<model name>`, resolved; refused unless it lies in root.

    Names come from the registry, whose database takes any text: '../x', 'a/b' (another
    model's sub-folder), '/abs' or a link out of the root would read files the portal was
    never pointed at.
    """
    if model_name in ("", ".", "..") or any(c in model_name for c in _NOT_IN_A_FOLDER_NAME):
        raise UnsafeLogFolder(f"the model name {model_name!r} is not a single folder name")
    try:
        base = root.resolve()
        folder = (base / model_name).resolve()
    except (OSError, ValueError, RuntimeError) as exc:
        kind = type(exc).__name__
        raise UnsafeLogFolder(f"the folder {model_name!r} cannot be resolved ({kind})") from exc
    if folder == base or not folder.is_relative_to(base):
        raise UnsafeLogFolder(
            f"the folder {model_name!r} in PORTAL_INFERENCE_DIR leads outside that folder"
        )
    return folder


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
    """The folder `<root>/<model name>/` of one model's logs (`*.parquet`, `*.csv`, nested too).

    Raises UnsafeLogFolder for a name that does not lead to a folder of its own in root.
    """

    def __init__(self, root: Path, model_name: str) -> None:
        self.folder = log_folder(root, model_name)

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
        """The log files in the folder; links to files or folders outside it are left out."""
        if not self.folder.is_dir():
            return []
        files = set()
        for path in self.folder.rglob(f"*.{suffix}"):
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):  # a broken link or a link loop
                continue
            if resolved.is_relative_to(self.folder) and resolved.is_file():
                files.add(resolved)
        return sorted(files)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        # One thread makes the seeded reservoir sample repeatable (DuckDB documents this).
        return duckdb.connect(config={"threads": 1})

    def _relation(self, con: duckdb.DuckDBPyConnection) -> str:
        """A FROM clause over every log file, columns matched by name across files."""
        parts = []
        # The checked files by name, not a glob: DuckDB would follow links out of the folder.
        if parquet := self._files("parquet"):
            parts.append(f"SELECT * FROM read_parquet({_paths(parquet)}, union_by_name = true)")
        if csv := self._files("csv"):
            parts.append(f"SELECT * FROM read_csv({_paths(csv)}, union_by_name = true)")
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


def _paths(files: list[Path]) -> str:
    """A list literal of file names that DuckDB reads literally.

    The names hold the model's name: quotes are doubled, and DuckDB's glob characters are
    bracketed, or a model named 's*' would read every model's logs whose name starts with s.
    """
    literal = (re.sub(r"([*?\[])", r"[\1]", str(file)).replace("'", "''") for file in files)
    return "[" + ", ".join(f"'{name}'" for name in literal) + "]"
