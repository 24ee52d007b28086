"""Production inference logs per model, read in place by DuckDB from Parquet and CSV files.

The files lie in a folder or in S3-compatible object storage (`s3://bucket/prefix`), one
sub-folder or sub-prefix per model; both are read with the same SQL.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from portal.sources.object_storage import (
    ObjectStorageError,
    S3Folder,
    is_s3_url,
    parse_s3_url,
    plain_message,
)

if TYPE_CHECKING:
    import pyarrow.dataset as pa_dataset

TIMESTAMP = "timestamp"
_SAMPLE_SEED = 42
_THREAD = threading.local()  # each thread's in-memory DuckDB database (see _connection)


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
    _single_folder_name(model_name)
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


def _single_folder_name(model_name: str) -> str:
    """The name, if it is one folder name (or one level of object keys); UnsafeLogFolder if not."""
    if model_name in ("", ".", "..") or any(c in model_name for c in _NOT_IN_A_FOLDER_NAME):
        raise UnsafeLogFolder(f"the model name {model_name!r} is not a single folder name")
    return model_name


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

    `root` is a folder or an `s3://bucket/prefix` URL; then the objects under
    `<prefix>/<model name>/` are the files, listed once per InferenceLogs (the job builds one
    per model and check) and read where they lie: Parquet through pyarrow's S3 client, which
    fetches only the columns and row groups a query needs, CSV copied whole to a temporary
    folder, since every reader reads all of a CSV. Building it makes no network call and holds
    no client, so a cluster worker builds its own from the same setting.

    Raises UnsafeLogFolder for a name that does not lead to a folder of its own in root.
    """

    def __init__(self, root: Path | str, model_name: str) -> None:
        self.folder: Path | str
        self._objects: S3Folder | None = None
        if is_s3_url(root):
            location = parse_s3_url(str(root)).child(_single_folder_name(model_name))
            self._objects = S3Folder(location)
            self.folder = location.url
        else:
            self.folder = log_folder(Path(root), model_name)
        self._listing: list[str] | None = None
        self._dataset: pa_dataset.Dataset | None = None
        self._downloads: tempfile.TemporaryDirectory | None = None
        self._column_names: list[str] = []  # of the logs, set by each _relation

    def __getstate__(self) -> dict:
        # Listings, datasets and local copies belong to the process that made them.
        return {**self.__dict__, "_listing": None, "_dataset": None, "_downloads": None}

    def exists(self) -> bool:
        """True when the model has a log folder with at least one Parquet or CSV file."""
        return bool(self._files("parquet") or self._files("csv"))

    def window_stats(self, start: datetime, end: datetime) -> WindowStats:
        """Row and label counts of [start, end)."""
        with self._connection() as con:
            relation = self._relation(con)
            has_label = "label" in self._column_names
            labelled = 'count("label")' if has_label else "0"
            row = self._query(
                con,
                f"SELECT count(*), {labelled}, min({TIMESTAMP}), max({TIMESTAMP}) FROM {relation}"
                f" WHERE {TIMESTAMP} >= $start AND {TIMESTAMP} < $end",
                {"start": start, "end": end},
            ).fetchone()
        assert row is not None
        return WindowStats(int(row[0]), int(row[1]), row[2], row[3])

    def window_stats_many(self, windows: list[tuple[datetime, datetime]]) -> list[WindowStats]:
        """Row and label counts of every window, in one scan of the files (windows may overlap).

        The job decides per window whether its stored result still holds; one query per window
        would read the files a dozen times per model, which at a thousand models is minutes.
        """
        if not windows:
            return []
        with self._connection() as con:
            relation = self._relation(con)
            has_label = "label" in self._column_names
            parts = []
            params: dict[str, object] = {}
            for index, (start, end) in enumerate(windows):
                inside = f"{TIMESTAMP} >= $s{index} AND {TIMESTAMP} < $e{index}"
                labelled = f'count("label") FILTER ({inside})' if has_label else "0"
                parts.append(
                    f"count(*) FILTER ({inside}), {labelled},"
                    f" min({TIMESTAMP}) FILTER ({inside}), max({TIMESTAMP}) FILTER ({inside})"
                )
                params[f"s{index}"], params[f"e{index}"] = start, end
            row = self._query(con, f"SELECT {', '.join(parts)} FROM {relation}", params).fetchone()
        assert row is not None
        return [
            WindowStats(int(row[4 * i]), int(row[4 * i + 1]), row[4 * i + 2], row[4 * i + 3])
            for i in range(len(windows))
        ]

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

    def _files(self, suffix: str) -> list[Path] | list[str]:
        """The log files in the folder; links to files or folders outside it are left out."""
        if self._objects is not None:
            return [path for path in self._object_files() if path.endswith(f".{suffix}")]
        assert isinstance(self.folder, Path)
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

    def _object_files(self) -> list[str]:
        """The model's Parquet and CSV objects, listed on first use."""
        assert self._objects is not None
        if self._listing is None:
            try:
                self._listing = self._objects.files((".parquet", ".csv"))
            except ObjectStorageError as exc:
                raise InferenceLogsUnreadable(str(exc)) from None
        return self._listing

    def _parquet_objects(self, paths: list[str]) -> pa_dataset.Dataset:
        assert self._objects is not None
        if self._dataset is None:
            try:
                self._dataset = self._objects.parquet_dataset(paths)
            except ObjectStorageError as exc:
                raise InferenceLogsUnreadable(str(exc)) from None
        return self._dataset

    def _csv_copies(self, paths: list[str]) -> list[Path]:
        """Local copies of the CSV objects, made on first use and removed with this object."""
        assert self._objects is not None
        if self._downloads is None:
            downloads = tempfile.TemporaryDirectory(prefix="portal-logs-")
            try:
                self._objects.download(paths, Path(downloads.name), ".csv")
            except ObjectStorageError as exc:
                downloads.cleanup()
                raise InferenceLogsUnreadable(str(exc)) from None
            self._downloads = downloads
        return sorted(Path(self._downloads.name).glob("*.csv"))

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor of this thread's in-memory database (what a query registers stays with the
        cursor). Opening a database costs about 17 ms, a cursor 0.1 ms: at a thousand models a
        drift job would spend 17 s opening databases. One DuckDB thread makes the seeded
        reservoir sample repeatable (DuckDB documents this)."""
        database = getattr(_THREAD, "database", None)
        if database is None:
            database = _THREAD.database = duckdb.connect(config={"threads": 1})
        return database.cursor()

    def _relation(self, con: duckdb.DuckDBPyConnection) -> str:
        """A FROM clause over every log file, columns matched by name across files."""
        parts = []
        # The checked files by name, not a glob: DuckDB would follow links out of the folder.
        if parquet := self._files("parquet"):
            if self._objects is None:
                files = _paths(parquet)
                parts.append(f"SELECT * FROM read_parquet({files}, union_by_name = true)")
            else:
                con.register("object_parquet", self._parquet_objects(parquet))
                parts.append("SELECT * FROM object_parquet")
        if csv := self._files("csv"):
            local = csv if self._objects is None else self._csv_copies(csv)
            parts.append(f"SELECT * FROM read_csv({_paths(local)}, union_by_name = true)")
        if not parts:
            raise InferenceLogsUnreadable(f"no Parquet or CSV files in {self.folder}")
        relation = f"({' UNION ALL BY NAME '.join(parts)})"
        # Kept for the query that asks whether labels are logged: one DESCRIBE per read.
        self._column_names = self._columns(con, relation)
        if TIMESTAMP not in self._column_names:
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
            if self._objects is not None:
                # An S3 read error may quote a signed request: never chain or repeat it whole.
                raise InferenceLogsUnreadable(f"{self.folder}: {plain_message(str(exc))}") from None
            message = str(exc).splitlines()[0]
            raise InferenceLogsUnreadable(f"{self.folder}: {message}") from exc


def _paths(files: list[Path] | list[str]) -> str:
    """A list literal of file names that DuckDB reads literally.

    The names hold the model's name: quotes are doubled, and DuckDB's glob characters are
    bracketed, or a model named 's*' would read every model's logs whose name starts with s.
    """
    literal = (re.sub(r"([*?\[])", r"[\1]", str(file)).replace("'", "''") for file in files)
    return "[" + ", ".join(f"'{name}'" for name in literal) + "]"
