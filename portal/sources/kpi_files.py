"""Reads business KPI files (CSV, Parquet, Excel) into checked rows, or every reason to reject."""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import re
import zipfile
import zlib
from array import array
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Any
from xml.etree.ElementTree import ParseError

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

REQUIRED_COLUMNS = ("model", "kpi", "period", "value")
OPTIONAL_COLUMNS = ("unit", "segment")
ROW_SCHEMA = pa.schema(
    [
        ("model", pa.string()),
        ("kpi", pa.string()),
        ("period", pa.date32()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("segment", pa.string()),
    ]
)
FORMATS = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}

_VALUE_CHARS = 100
_SUGGESTIONS = 3
_DELIMITERS = (",", ";", "\t")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
_CSV_CHUNK_BYTES = 8 * 1024 * 1024  # a CSV is normalised in pieces of this size
_HEAD_CHARS = 1024 * 1024  # enough text to hold the leading blank lines and the header
# Excel in French or Swiss locales groups thousands with (narrow) no-break spaces.
_SPACES = " \u00a0\u202f"
_TRIM = " \t\u00a0"  # cells are trimmed of these
_GROUPING = {",": "." + _SPACES, ".": "," + _SPACES}  # decimal mark -> its thousands separators
_MONTH = r"\d{4}-\d{2}"
_DAY = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_NUMERIC_TYPES = re.compile(r"U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL.*")
_DATE_TYPES = re.compile(r"DATE|TIMESTAMP.*")
_TEXT_COLUMNS = ("model", "kpi", "unit", "segment")
# The checking connection spills to its work folder past this, so a file of any size is checked
# in bounded memory (DuckDB's default would let it take 80% of the machine).
_STAGING_MEMORY = "256MB"
_READ_CHUNK = 1 << 20
# How openpyxl and zipfile fail on damaged workbooks.
_DAMAGED_WORKBOOK = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    ParseError,
    KeyError,
    ValueError,
    TypeError,
)
_STAGED_SCHEMA = pa.schema(
    [
        ("line", pa.int64()),
        ("model", pa.string()),
        ("kpi", pa.string()),
        ("unit", pa.string()),
        ("segment", pa.string()),
        ("period_text", pa.string()),
        ("period_date", pa.date32()),
        ("value_text", pa.string()),
        ("value_num", pa.float64()),
        ("unnamed", pa.string()),
    ]
)


@dataclass(frozen=True)
class Reject:
    """Why a file, a row or a cell cannot be loaded."""

    line: int  # 1-based as a text editor or Excel shows it (header = 1); 0 for the whole file
    column: str  # '' for whole-row or file problems
    code: str  # machine code the UI translates, e.g. not_a_number
    value: str  # the offending cell text, at most 100 characters
    detail: str = ""


@dataclass(frozen=True)
class KpiFile:
    """A KPI file checked whole: its rows when every row passed, otherwise every reject."""

    rows: Path | None  # Parquet file of the checked rows (ROW_SCHEMA); None when rejected
    rejects: tuple[Reject, ...]
    row_count: int  # data rows read; blank rows are not counted
    checksum: str  # sha256 hex of the file bytes
    format: str  # csv, parquet, xlsx; '' when the extension is unknown


class _FileRejected(Exception):
    """The file cannot be read row by row; carries its file-level rejects."""

    def __init__(self, *rejects: Reject) -> None:
        super().__init__(rejects)
        self.rejects = rejects


def read_kpi_file(
    source: bytes | Path,
    file_name: str,
    known_models: Collection[str],
    *,
    work_dir: Path,
    max_rejects: int = 1000,
) -> KpiFile:
    """Read and check a KPI file (its bytes, or its path); it loads completely or not at all.

    The checked rows are written to a Parquet file in work_dir, which must outlive the result."""
    if max_rejects < 0:
        raise ValueError("max_rejects must not be negative")
    if isinstance(source, bytes):
        path = work_dir / "upload"
        path.write_bytes(source)
    else:
        path = source
    checksum = _checksum(path)
    suffix = PurePath(file_name).suffix.lower()
    file_format = FORMATS.get(suffix, "")
    if not file_format:
        reject = Reject(0, "", "unknown_format", suffix, "supported: " + ", ".join(FORMATS))
        return KpiFile(None, (reject,), 0, checksum, "")
    with _staging_connection(work_dir) as con:
        try:
            decimal_mark = _stage(con, file_format, path, work_dir)
            row_count = _check(con, decimal_mark, path)
        except _FileRejected as rejected:
            return KpiFile(None, _capped(rejected.rejects, max_rejects), 0, checksum, file_format)
        if row_count == 0:
            return KpiFile(None, (Reject(0, "", "no_rows", ""),), 0, checksum, file_format)
        rejects = _row_rejects(con, known_models, max_rejects)
        rows = None if rejects else _checked_rows(con, work_dir / "checked.parquet")
    return KpiFile(rows, rejects, row_count, checksum, file_format)


def _staging_connection(work_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to work_dir instead of growing past _STAGING_MEMORY."""
    con = duckdb.connect(
        config={"memory_limit": _STAGING_MEMORY, "temp_directory": str(work_dir / "spill")}
    )
    con.execute("SET enable_progress_bar = false")  # it would draw on the CLI's stderr
    return con


def _checksum(path: Path) -> str:
    """sha256 hex of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stage(con: duckdb.DuckDBPyConnection, file_format: str, path: Path, folder: Path) -> str:
    """Create view staged and table early_rejects; return the decimal mark for text numbers."""
    if path.stat().st_size == 0:
        raise _FileRejected(Reject(0, "", "empty_file", ""))
    con.execute(
        _MACROS_SQL.format(
            edge=" OR ".join(f"s LIKE '{c}%' OR s LIKE '%{c}'" for c in _TRIM),
            trim=_sql_text(_TRIM),
            month=_sql_text(_MONTH),
            day=_sql_text(_DAY),
        )
    )
    con.execute(
        "CREATE TABLE early_rejects (line BIGINT, col VARCHAR, pos INTEGER, code VARCHAR,"
        " value VARCHAR, detail VARCHAR)"
    )
    if file_format == "parquet":
        _stage_parquet(con, path)
    elif file_format == "xlsx":
        _stage_xlsx(con, path)
    else:
        return _stage_csv(con, path, folder)
    return "."


# Trimming with a character list is slow in DuckDB, and most cells need no trimming; LIKE is fast.
_MACROS_SQL = """
CREATE MACRO clean(s) AS
    nullif(CASE WHEN {edge} THEN trim(s, {trim}) ELSE s END, '');
CREATE MACRO as_month(s) AS CASE
    WHEN regexp_full_match(s, {month}) THEN try_cast(s || '-01' AS DATE)
    WHEN regexp_full_match(s, {day}) THEN date_trunc('month', try_cast(left(s, 10) AS DATE))::DATE
    END
"""


def _unreadable(error: duckdb.Error, path: Path) -> _FileRejected:
    """DuckDB's first line about a file it cannot read, without the server's path."""
    message = str(error).replace(str(path), "file").splitlines()[0]
    return _FileRejected(Reject(0, "", "unreadable", "", message))


def _header_positions(header: Sequence[Any]) -> tuple[dict[str, int], list[int]]:
    """Each known column's position and the positions without a name; file rejects otherwise."""
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    rejects: list[Reject] = []
    for position, cell in enumerate(header):
        name = "" if cell is None else str(cell).strip(_TRIM)
        key = name.lower()
        if not key:
            unnamed.append(position)
        elif key not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            rejects.append(Reject(0, name, "unknown_column", ""))
        elif key in positions:
            rejects.append(Reject(0, key, "duplicate_column", ""))
        else:
            positions[key] = position
    missing = [Reject(0, name, "missing_column", "") for name in REQUIRED_COLUMNS]
    rejects = [reject for reject in missing if reject.column not in positions] + rejects
    if rejects:
        raise _FileRejected(*rejects)
    return positions, unnamed


# --- CSV -------------------------------------------------------------------------------------


def _stage_csv(con: duckdb.DuckDBPyConnection, source: Path, folder: Path) -> str:
    """Read a CSV as text with DuckDB, each row tagged with its line; return its decimal mark."""
    path = folder / "kpi.csv"
    scan = _normalised_copy(source, path)
    leading = _LEADING_BLANK_LINES.match(scan.head)
    blank_lines = leading.group() if leading else ""
    header_end = scan.head.find("\n", len(blank_lines))
    header_line = scan.head[len(blank_lines) : header_end if header_end >= 0 else len(scan.head)]
    delimiter = _delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    positions, unnamed = _header_positions(header)
    header_ordinal = blank_lines.count("\n") + 1
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    try:
        con.execute(
            f"CREATE TABLE raw AS SELECT * FROM read_csv({_sql_text(str(path))},"
            f" delim = {_sql_text(delimiter)}, quote = '\"', escape = '\"', comment = '',"
            f" header = true, skip = {header_ordinal - 1}, auto_detect = false,"
            f" columns = {{{columns}}}, store_rejects = true)"
        )
    except duckdb.InvalidInputException as error:
        raise _unreadable(error, path) from error
    _create_records(con, scan, path, delimiter)
    con.execute(_STRUCTURAL_REJECTS_SQL, [f"expected {len(header)} columns"])
    _create_data_lines(con, header_ordinal)
    fields = {name: f"r.c{position}" for name, position in positions.items()}
    con.execute(
        "CREATE VIEW staged AS SELECT l.line, "
        + ", ".join(f"{fields.get(name, 'NULL')}::VARCHAR AS {name}" for name in _TEXT_COLUMNS)
        + f", {fields['period']} AS period_text, NULL::DATE AS period_date,"
        f" {fields['value']} AS value_text, NULL::DOUBLE AS value_num,"
        f" {_joined_sql([f'clean(r.c{i})' for i in unnamed])} AS unnamed"
        " FROM raw r POSITIONAL JOIN data_lines l"
    )
    # Semicolon files come from Excel in locales that write decimal commas.
    return "," if delimiter == ";" else "."


# DuckDB counts a record spanning lines (quoted newlines) as one line, but counts blank lines.
_STRUCTURAL_REJECTS_SQL = """
INSERT INTO early_rejects
SELECT r.line, '', 0,
       CASE e.error_type::VARCHAR WHEN 'TOO MANY COLUMNS' THEN 'too_many_columns'
            WHEN 'MISSING COLUMNS' THEN 'too_few_columns' ELSE 'unreadable' END,
       ltrim(any_value(e.csv_line), chr(10)),
       CASE WHEN e.error_type::VARCHAR IN ('TOO MANY COLUMNS', 'MISSING COLUMNS') THEN ?
            ELSE lower(e.error_type::VARCHAR) END
FROM reject_errors e JOIN records r ON r.ordinal = e.line
GROUP BY r.line, e.error_type
"""


@dataclass
class _CsvScan:
    """What one pass over a CSV learns while copying it as UTF-8 with LF line ends."""

    head: str = ""  # the start of the text, up to the header line's end
    line_ends: int = 0
    blank_lines: list[int] = field(default_factory=list)  # numbers of the empty lines
    has_quotes: bool = False
    has_text: bool = False  # anything but whitespace
    ends_with_newline: bool = True  # so far: at the start, line 1 begins


def _normalised_copy(source: Path, target: Path) -> _CsvScan:
    """Copy a CSV as UTF-8 with LF line ends, chunk by chunk (a file may be larger than memory
    allows); Excel writes UTF-8 with a BOM, Windows-1252 or UTF-16."""
    with source.open("rb") as file:
        start = file.read(2)
    utf16 = start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        try:
            scan = _copy_as(source, target, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _FileRejected(Reject(0, "", "unreadable", "", "not UTF-8, UTF-16 or Windows-1252"))
    if not scan.has_text:
        raise _FileRejected(Reject(0, "", "empty_file", ""))
    if scan.ends_with_newline:  # the line after a final line end is an empty one
        scan.blank_lines.append(scan.line_ends + 1)
    return scan


def _copy_as(source: Path, target: Path, encoding: str) -> _CsvScan:
    decoder = codecs.getincrementaldecoder(encoding)()
    scan, carried_cr = _CsvScan(), False
    with source.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
        while True:
            chunk = raw.read(_CSV_CHUNK_BYTES)
            text = ("\r" if carried_cr else "") + decoder.decode(chunk, final=not chunk)
            # A CR at a chunk's end may be the first half of a CRLF.
            carried_cr = bool(chunk) and text.endswith("\r")
            if carried_cr:
                text = text[:-1]
            # Editors break lines at CR too; one kind of line end keeps DuckDB and the count agreed.
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if "\x00" in text:
                raise _FileRejected(Reject(0, "", "unreadable", "", "not a text file"))
            _scan(scan, text)
            out.write(text)
            if not chunk:
                return scan


def _scan(scan: _CsvScan, text: str) -> None:
    """Count a piece of the text into the scan: line ends, empty lines, quotes, the head."""
    if not text:
        return
    if not scan.has_text and text.strip():
        scan.has_text = True
    scan.has_quotes = scan.has_quotes or '"' in text
    if len(scan.head) < _HEAD_CHARS:
        scan.head += text[: _HEAD_CHARS - len(scan.head)]
    # An empty line ends at a line end that follows another line end (or starts the file).
    if scan.ends_with_newline and text.startswith("\n"):
        scan.blank_lines.append(scan.line_ends + 1)
    counted, line_ends = 0, scan.line_ends
    position = text.find("\n\n")
    while position >= 0:
        line_ends += text.count("\n", counted, position + 1)
        counted = position + 1
        scan.blank_lines.append(line_ends + 1)
        position = text.find("\n\n", counted)
    scan.line_ends += text.count("\n")
    scan.ends_with_newline = text.endswith("\n")


def _delimiter(header_line: str) -> str:
    """The separator that splits the header into the most known column names."""
    known = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)

    def score(delimiter: str) -> tuple[int, int]:
        names = next(csv.reader([header_line], delimiter=delimiter), [])
        return len(known.intersection(n.strip(_TRIM).lower() for n in names)), len(names)

    return max(_DELIMITERS, key=score)


def _create_records(
    con: duckdb.DuckDBPyConnection, scan: _CsvScan, path: Path, delimiter: str
) -> None:
    """Table records: each CSV record as DuckDB counts them (blank lines too), with its line."""
    if scan.has_quotes:
        con.register("record_list", _records_by_csv_module(path, delimiter))
        con.execute("CREATE TABLE records AS SELECT * FROM record_list")
        return
    # Without quotes every line is a record, so only the blank ones need finding.
    blank = pa.table({"line": pa.array(scan.blank_lines, pa.int64())})
    con.register("blank_lines", blank)
    con.execute(
        "CREATE TABLE records AS SELECT range AS ordinal, range AS line,"
        " range IN (SELECT line FROM blank_lines) AS blank FROM range(1, ?)",
        [scan.line_ends + 2],
    )


def _records_by_csv_module(path: Path, delimiter: str) -> pa.Table:
    """Records of a file with quotes, which may span lines; Python's csv quotes as DuckDB does.

    Read from the normalised copy record by record; the line numbers go into compact arrays."""
    last_lines, blank = array("q"), array("b")
    with path.open(encoding="utf-8", newline="\n") as file:
        reader = csv.reader(file, delimiter=delimiter)
        try:
            for row in reader:
                last_lines.append(reader.line_num)
                blank.append(not row)
        except csv.Error as error:
            raise _FileRejected(Reject(0, "", "unreadable", "", str(error))) from error
    count = len(last_lines)
    first_lines = pa.array([1], pa.int64())
    if count > 1:
        following = pc.add(pa.array(last_lines[:-1], pa.int64()), 1)
        first_lines = pa.concat_arrays([first_lines, following])
    return pa.table(
        {
            "ordinal": pa.array(range(1, count + 1), pa.int64()),
            "line": first_lines[:count],
            "blank": pa.array(blank, pa.int8()).cast(pa.bool_()),
        }
    )


def _create_data_lines(con: duckdb.DuckDBPyConnection, header_ordinal: int) -> None:
    """Table data_lines: the line of each row DuckDB returned, in file order."""
    con.execute(
        "CREATE TABLE data_lines AS SELECT line FROM records WHERE ordinal > ? AND NOT blank"
        " AND ordinal NOT IN (SELECT line FROM reject_errors) ORDER BY ordinal",
        [header_ordinal],
    )
    counts = "SELECT (SELECT count(*) FROM data_lines) - (SELECT count(*) FROM raw)"
    if _scalar(con, counts) != 0:
        detail = "lines could not be counted; check the quotes"
        raise _FileRejected(Reject(0, "", "unreadable", "", detail))


# --- Parquet ---------------------------------------------------------------------------------


def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Stage a Parquet file's rows as DuckDB reads them from disk; row n counts as line n + 1,
    as if under a header line."""
    schema = _parquet_schema(path)
    positions, unnamed = _header_positions(schema.names)
    # DuckDB renames blank and repeated names, so columns are taken by position.
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_sql_text(str(path))})")
    except (duckdb.InvalidInputException, duckdb.IOException) as error:
        raise _unreadable(error, path) from error
    names = [_sql_name(row[0]) for row in described.fetchall()]
    column = {name: names[position] for name, position in positions.items()}
    types = {name: schema.field(position).type for name, position in positions.items()}
    period, value = column["period"], column["value"]
    period_type = types["period"]
    if pa.types.is_timestamp(period_type) and period_type.tz:
        # The month a writer meant is the one on their wall clock, not in UTC.
        period_date = f"timezone({_sql_text(period_type.tz)}, {period})::DATE"
    elif pa.types.is_date(period_type) or pa.types.is_timestamp(period_type):
        period_date = f"{period}::DATE"
    else:
        period_date = ""
    value_typed = pa.types.is_integer(types["value"]) or pa.types.is_floating(types["value"])
    value_typed = value_typed or pa.types.is_decimal(types["value"])
    con.execute(
        "CREATE VIEW staged AS SELECT file_row_number + 2 AS line, "
        + ", ".join(f"{column.get(name, 'NULL')}::VARCHAR AS {name}" for name in _TEXT_COLUMNS)
        + (
            f", NULL::VARCHAR AS period_text, {period_date} AS period_date"
            if period_date
            else f", {period}::VARCHAR AS period_text, NULL::DATE AS period_date"
        )
        + (
            f", NULL::VARCHAR AS value_text, {value}::DOUBLE AS value_num"
            if value_typed
            else f", {value}::VARCHAR AS value_text, NULL::DOUBLE AS value_num"
        )
        + f", {_joined_sql([f'clean({names[i]}::VARCHAR)' for i in unnamed])} AS unnamed"
        + f" FROM read_parquet({_sql_text(str(path))}, file_row_number = true)"
    )


def _parquet_schema(path: Path) -> pa.Schema:
    """The file's Arrow schema, from its footer: the time zones of timestamps are kept there."""
    import pyarrow.parquet as pq  # only Parquet files need it

    try:
        return pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise _FileRejected(Reject(0, "", "unreadable", "", "not a Parquet file")) from error


# --- Excel -----------------------------------------------------------------------------------


def _stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Stage the first worksheet's rows with their Excel row numbers; empty rows are skipped."""
    import openpyxl  # only Excel files need it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # A file object, not the path: openpyxl refuses paths without an Excel extension.
        with path.open("rb") as file:
            book = openpyxl.load_workbook(file, read_only=True, data_only=True)
            try:
                staged = _sheet_table(book.worksheets[0].iter_rows(values_only=True))
            finally:
                book.close()
    except (*_DAMAGED_WORKBOOK, InvalidFileException) as error:
        raise _FileRejected(Reject(0, "", "unreadable", "", "not an Excel workbook")) from error
    con.register("sheet", staged)
    con.execute("CREATE VIEW staged AS SELECT * FROM sheet")


def _sheet_table(rows: Iterable[Sequence[Any]]) -> pa.Table:
    """The staged columns from worksheet rows; cells keep their types where Excel has them."""
    numbered = ((n, row) for n, row in enumerate(rows, start=1) if any(map(_filled, row)))
    first = next(numbered, None)
    if first is None:
        raise _FileRejected(Reject(0, "", "empty_file", ""))
    header = list(first[1])
    positions, unnamed = _header_positions(header)
    unnamed_positions = set(unnamed)
    columns: dict[str, list[Any]] = {field.name: [] for field in _STAGED_SCHEMA}
    for line, cells in numbered:
        row = (*cells, *(None,) * (len(header) - len(cells)))  # rows may end early
        columns["line"].append(line)
        for name in _TEXT_COLUMNS:
            columns[name].append(_cell_text(row[positions[name]]) if name in positions else None)
        period, value = row[positions["period"]], row[positions["value"]]
        is_date = isinstance(period, date)
        columns["period_date"].append(period if is_date else None)
        columns["period_text"].append(None if is_date else _cell_text(period))
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        columns["value_num"].append(float(value) if is_number else None)
        columns["value_text"].append(None if is_number else _cell_text(value))
        extra = [
            _cell_text(cell)
            for position, cell in enumerate(row)
            if (position in unnamed_positions or position >= len(header)) and _filled(cell)
        ]
        columns["unnamed"].append(" | ".join(extra) if extra else None)
    columns["period_date"] = [
        d.date() if isinstance(d, datetime) else d for d in columns["period_date"]
    ]
    return pa.table(columns, schema=_STAGED_SCHEMA)


def _filled(cell: Any) -> bool:
    """Whether a worksheet cell holds anything but blanks."""
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip(_TRIM)))


def _cell_text(cell: Any) -> str | None:
    """A worksheet cell as text; dates as ISO dates."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


# --- Checks ----------------------------------------------------------------------------------


def _check(con: duckdb.DuckDBPyConnection, default_mark: str, path: Path) -> int:
    """Create table cleaned and view checked (NULL where unusable); return the data row count."""
    try:
        con.execute(_CLEANED_SQL)
    except (duckdb.InvalidInputException, duckdb.IOException) as error:
        # A Parquet file is first read here: damaged pages, text that is not UTF-8.
        raise _unreadable(error, path) from error
    mark = _decimal_mark(con, default_mark)
    digits = "value_text"
    for separator in _GROUPING[mark]:
        digits = f"replace({digits}, {_sql_text(separator)}, '')"
    con.execute(
        _CHECKED_SQL.format(
            number=_sql_text(_number_pattern(mark)), digits=digits, mark=_sql_text(mark)
        )
    )
    return _scalar(
        con,
        "SELECT (SELECT count(*) FROM cleaned) + (SELECT count(DISTINCT line) FROM early_rejects)",
    )


_CLEANED_SQL = """
CREATE TABLE cleaned AS
SELECT line, clean(model) AS model, clean(kpi) AS kpi, coalesce(clean(unit), '') AS unit,
       coalesce(clean(segment), '') AS segment,
       coalesce(clean(period_text), period_date::VARCHAR) AS period_shown,
       coalesce(date_trunc('month', period_date)::DATE, as_month(clean(period_text))) AS period,
       clean(value_text) AS value_text, value_num,
       coalesce(clean(value_text), value_num::VARCHAR) AS value_shown, clean(unnamed) AS unnamed
FROM staged
WHERE coalesce(model, kpi, unit, segment, period_text, value_text, unnamed) IS NOT NULL
      OR period_date IS NOT NULL OR value_num IS NOT NULL
"""

_CHECKED_SQL = """
CREATE VIEW checked AS
SELECT *, coalesce(value_num, CASE WHEN regexp_full_match(value_text, {number})
    THEN try_cast(replace({digits}, {mark}, '.') AS DOUBLE) END) AS value
FROM cleaned
"""


def _decimal_mark(con: duckdb.DuckDBPyConnection, default_mark: str) -> str:
    """The decimal mark most numbers given as text can only be read with; else the default."""
    comma, point = _number_pattern(","), _number_pattern(".")
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE regexp_full_match(v, $1) AND NOT regexp_full_match(v, $2)),"
        " count(*) FILTER (WHERE regexp_full_match(v, $2) AND NOT regexp_full_match(v, $1))"
        " FROM (SELECT value_text AS v FROM cleaned WHERE value_num IS NULL)",
        [comma, point],
    ).fetchall()
    ((only_comma, only_point),) = counts
    if only_comma != only_point:
        return "," if only_comma > only_point else "."
    return default_mark


def _number_pattern(mark: str) -> str:
    """A number written with this decimal mark, thousands grouped or not, maybe with exponent."""
    group, point = "[" + re.escape(_GROUPING[mark]) + "]", re.escape(mark)
    digits = rf"(?:\d+|\d{{1,3}}(?:{group}\d{{3}})+)"
    return rf"[+-]?(?:{digits}(?:{point}\d*)?|{point}\d+)(?:[eE][+-]?\d+)?"


_REJECTS_SQL = """
CREATE TABLE rejects AS
SELECT line, 'model' AS col, 1 AS pos, 'blank_value' AS code, '' AS value, '' AS detail
FROM checked WHERE model IS NULL
UNION ALL
SELECT line, 'model', 1, 'unknown_model', model, '' FROM checked
WHERE model IS NOT NULL AND model NOT IN (SELECT name FROM known_models)
UNION ALL
SELECT line, 'kpi', 2, 'blank_value', '', '' FROM checked WHERE kpi IS NULL
UNION ALL
SELECT line, 'period', 3, CASE WHEN period_shown IS NULL THEN 'blank_value' ELSE 'not_a_month' END,
       coalesce(period_shown, ''), ''
FROM checked WHERE period IS NULL
UNION ALL
SELECT line, 'value', 4, CASE WHEN value_shown IS NULL THEN 'blank_value' ELSE 'not_a_number' END,
       coalesce(value_shown, ''), ''
FROM checked WHERE value IS NULL OR NOT isfinite(value)
UNION ALL
SELECT line, '', 5, 'unnamed_column', unnamed, '' FROM checked WHERE unnamed IS NOT NULL
UNION ALL
SELECT c.line, '', 6, 'duplicate_key', '', 'same as line ' || d.first_line
FROM cleaned c JOIN (
    SELECT model, kpi, period, segment, min(line) AS first_line FROM cleaned
    WHERE model IS NOT NULL AND kpi IS NOT NULL AND period IS NOT NULL
    GROUP BY ALL HAVING count(*) > 1
) d USING (model, kpi, period, segment)
WHERE c.line > d.first_line
UNION ALL
SELECT * FROM early_rejects
"""


def _row_rejects(
    con: duckdb.DuckDBPyConnection, known_models: Collection[str], max_rejects: int
) -> tuple[Reject, ...]:
    """Every rejected cell and row in file order, the first max_rejects of them."""
    known = sorted(set(known_models))
    con.register("known_models", pa.table({"name": pa.array(known, pa.string())}))
    con.execute(_REJECTS_SQL)
    total = _scalar(con, "SELECT count(*) FROM rejects")
    listed = con.execute(
        "SELECT line, col, code, coalesce(value, ''), coalesce(detail, '') FROM rejects"
        " ORDER BY line, pos, code LIMIT ?",
        [max_rejects],
    ).fetchall()
    rejects = [
        Reject(line, column, code, value[:_VALUE_CHARS], detail)
        for line, column, code, value, detail in listed
    ]
    return _capped(_with_suggestions(rejects, known), max_rejects, total)


def _with_suggestions(rejects: list[Reject], known: list[str]) -> list[Reject]:
    """Unknown model names get the closest known names as detail."""
    closest: dict[str, str] = {}
    for reject in rejects:
        if reject.code == "unknown_model" and reject.value not in closest:
            matches = difflib.get_close_matches(reject.value, known, n=_SUGGESTIONS)
            closest[reject.value] = "closest: " + ", ".join(matches) if matches else ""
    return [
        Reject(r.line, r.column, r.code, r.value, closest[r.value])
        if r.code == "unknown_model"
        else r
        for r in rejects
    ]


def _capped(
    rejects: Sequence[Reject], max_rejects: int, total: int | None = None
) -> tuple[Reject, ...]:
    """The first max_rejects rejects, then one too_many_rejects when there were more."""
    total = len(rejects) if total is None else total
    if total <= max_rejects:
        return tuple(rejects)
    more = Reject(0, "", "too_many_rejects", "", f"{total} rejects in total")
    return (*rejects[:max_rejects], more)


def _checked_rows(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """The checked rows in file order, written to a Parquet file at path."""
    con.execute(
        "COPY (SELECT model, kpi, period, value, unit, segment FROM checked ORDER BY line)"
        f" TO {_sql_text(str(path))} (FORMAT parquet)"
    )
    return path


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> int:
    """The one number a counting query returns."""
    ((number,),) = con.execute(query).fetchall()  # fetchone() would leave the result open
    return int(number)


# --- Comparing with the store --------------------------------------------------------------


@dataclass(frozen=True)
class KpiChanges:
    """How checked rows relate to the stored ones, and the file of the rows to write."""

    added: int
    replaced: int
    unchanged: int
    rows: Path  # Parquet: added rows, and replaced ones with the row_id of the row they replace


def compare_kpi_rows(checked: Path, stored: Path, work_dir: Path) -> KpiChanges:
    """Join checked rows (ROW_SCHEMA) with stored ones (row_id, model, kpi, period, segment,
    value, unit) by key, on disk: a load of any size is compared in bounded memory."""
    changes = work_dir / "changes.parquet"
    with _staging_connection(work_dir) as con:
        con.execute(
            _COMPARED_SQL.format(checked=_sql_text(str(checked)), stored=_sql_text(str(stored)))
        )
        ((added, replaced, unchanged),) = con.execute(
            "SELECT count(*) FILTER (WHERE row_id IS NULL),"
            " count(*) FILTER (WHERE row_id IS NOT NULL AND changed),"
            " count(*) FILTER (WHERE row_id IS NOT NULL AND NOT changed) FROM compared"
        ).fetchall()
        con.execute(
            "COPY (SELECT row_id, model, kpi, period, segment, value, unit FROM compared"
            f" WHERE row_id IS NULL OR changed) TO {_sql_text(str(changes))} (FORMAT parquet)"
        )
    return KpiChanges(int(added), int(replaced), int(unchanged), changes)


_COMPARED_SQL = """
CREATE TABLE compared AS
SELECT c.model, c.kpi, c.period, c.segment, c.value, c.unit, s.row_id,
       s.row_id IS NOT NULL AND (s.value <> c.value OR s.unit <> c.unit) AS changed
FROM read_parquet({checked}) c
LEFT JOIN read_parquet({stored}) s
  ON s.model = c.model AND s.kpi = c.kpi AND s.period = c.period AND s.segment = c.segment
"""


# --- SQL text --------------------------------------------------------------------------------


def _sql_text(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _joined_sql(expressions: list[str]) -> str:
    """The non-blank values of these expressions joined, NULL when all are blank."""
    if not expressions:
        return "NULL::VARCHAR"
    return f"nullif(concat_ws(' | ', {', '.join(expressions)}), '')"
