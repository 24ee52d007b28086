"""The KPI file reader: every format and dialect loads whole, or every reject comes back."""

from __future__ import annotations

import hashlib
import io
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from portal.sources import kpi_files
from portal.sources.kpi_files import ROW_SCHEMA, KpiFile, Reject, read_kpi_file

KNOWN = ("customer-churn", "credit-default-risk")
# The reader writes checked rows to a work folder that outlives the result; one for the module.
WORK = tempfile.TemporaryDirectory(prefix="kpi-files-test-")


def work_dir() -> Path:
    """A fresh work folder for one read."""
    return Path(tempfile.mkdtemp(dir=WORK.name))


def read(data: str | bytes, file_name: str = "kpis.csv", **options) -> KpiFile:
    """Read a file given as text (UTF-8) or bytes against the known models."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read_kpi_file(raw, file_name, KNOWN, work_dir=work_dir(), **options)


def rows_of(result: KpiFile) -> pa.Table:
    """The checked rows a loading file wrote, as a table."""
    assert result.rows is not None
    return pq.read_table(result.rows)


def loaded(result: KpiFile) -> list[tuple]:
    """The rows of a file that loaded, as (model, kpi, period, value, unit, segment)."""
    assert result.rejects == ()
    rows = rows_of(result)
    assert [(f.name, f.type) for f in rows.schema] == [(f.name, f.type) for f in ROW_SCHEMA]
    return [tuple(row.values()) for row in rows.to_pylist()]


def rejected(result: KpiFile) -> list[Reject]:
    """The rejects of a file that did not load."""
    assert result.rows is None
    return list(result.rejects)


def parquet_bytes(table: pa.Table) -> bytes:
    """A Parquet file in memory."""
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    """An Excel workbook in memory whose first sheet holds these rows from row 1."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Files that load -------------------------------------------------------------------------


def test_a_comma_csv_loads_every_row_with_checksum_and_count() -> None:
    data = (
        b"model,kpi,period,value,unit,segment\n"
        b"customer-churn,retention,2026-10,0.85,share,retail\n"
        b"credit-default-risk,loss_avoided,2026-10-15,12500.5,EUR,\n"
        b"credit-default-risk,loss_avoided,2026-11-30T08:00:00,-3,EUR,\n"
    )

    result = read(data)

    assert loaded(result) == [
        ("customer-churn", "retention", date(2026, 10, 1), 0.85, "share", "retail"),
        ("credit-default-risk", "loss_avoided", date(2026, 10, 1), 12500.5, "EUR", ""),
        ("credit-default-risk", "loss_avoided", date(2026, 11, 1), -3.0, "EUR", ""),
    ]
    assert (result.row_count, result.format) == (3, "csv")
    assert result.checksum == hashlib.sha256(data).hexdigest()


def test_a_semicolon_csv_with_decimal_commas_and_thousands_separators_loads() -> None:
    result = read(
        "model;kpi;period;value\n"
        "customer-churn;revenue;2026-10;1.234,50\n"
        "customer-churn;revenue;2026-11;12.345.678,9\n"
        "customer-churn;revenue;2026-12;-3,5\n"
        "customer-churn;revenue;2027-01;1.234\n"
    )

    assert [row[3] for row in loaded(result)] == [1234.5, 12345678.9, -3.5, 1234.0]


@pytest.mark.parametrize(
    ("header", "cells", "values"),
    [
        # Semicolon files with unmistakable decimal points are read with points.
        ("model;kpi;period;value", ["1.5", "2.25", "1.234"], [1.5, 2.25, 1.234]),
        # Comma files may quote decimal commas.
        ("model,kpi,period,value", ['"1,5"', '"1.234,5"', "7"], [1.5, 1234.5, 7.0]),
        ("model,kpi,period,value", ['"1,234.5"', "0.5", ".25"], [1234.5, 0.5, 0.25]),
        # Without evidence either way: semicolon means comma, comma means point.
        ("model;kpi;period;value", ["1.234", "12", "1.000.000"], [1234.0, 12.0, 1e6]),
        ("model,kpi,period,value", ['"1,234"', "12", "1e3"], [1234.0, 12.0, 1000.0]),
        # French Excel groups thousands with no-break spaces.
        (
            "model;kpi;period;value",
            ["1\u00a0234,5", "1\u202f000", "2 000,25"],
            [1234.5, 1e3, 2000.25],
        ),
    ],
)
def test_the_decimal_mark_is_the_one_the_numbers_need(
    header: str, cells: list[str], values: list[float]
) -> None:
    delimiter = header[5]
    lines = [
        delimiter.join(["customer-churn", "k", f"2026-{month:02d}", cell])
        for month, cell in enumerate(cells, start=1)
    ]

    result = read("\n".join([header, *lines]) + "\n")

    assert [row[3] for row in loaded(result)] == values


def test_numbers_that_do_not_fit_the_decimal_mark_are_rejected_not_misread() -> None:
    result = read(
        "model;kpi;period;value\n"
        "customer-churn;k;2026-01;1,5\n"
        "customer-churn;k;2026-02;2,5\n"
        "customer-churn;k;2026-03;1.5\n"
        "customer-churn;k;2026-04;1.23.4\n"
    )

    assert rejected(result) == [
        Reject(4, "value", "not_a_number", "1.5"),
        Reject(5, "value", "not_a_number", "1.23.4"),
    ]


def test_a_utf8_bom_and_windows_line_ends_are_read_and_lines_still_count() -> None:
    result = read("\ufeffModel , KPI,Period,Value\r\ncustomer-churn,r,2026-10,1\r\n")
    assert loaded(result) == [("customer-churn", "r", date(2026, 10, 1), 1.0, "", "")]

    result = read("\ufeffmodel,kpi,period,value\r\ncustomer-churn,r,2026-10,1\r\nx,r,2026-10,1\r\n")
    assert rejected(result) == [Reject(3, "model", "unknown_model", "x")]


def test_excel_encodings_windows_1252_and_utf16_tab_text_are_read() -> None:
    cp1252 = "model;kpi;period;value;segment\ncustomer-churn;Umsatz;2026-10;1,5;Süd\n"
    utf16 = "model\tkpi\tperiod\tvalue\r\ncustomer-churn\tUmsatz\t2026-10\t2,5\r\n"

    assert loaded(read(cp1252.encode("cp1252"))) == [
        ("customer-churn", "Umsatz", date(2026, 10, 1), 1.5, "", "Süd")
    ]
    assert loaded(read(utf16.encode("utf-16"), "kpis.txt")) == [
        ("customer-churn", "Umsatz", date(2026, 10, 1), 2.5, "", "")
    ]


def test_unit_and_segment_are_optional_and_blank_means_empty() -> None:
    without = read("model,kpi,period,value\ncustomer-churn,r,2026-10,1\n")
    blank = read(
        "model,kpi,period,value,unit,segment\n"
        "customer-churn,r,2026-10,1,,\n"
        "customer-churn,r,2026-11,2,  ,  \n"
        "customer-churn,r,2026-11,3,EUR,north\n"
    )

    assert loaded(without) == [("customer-churn", "r", date(2026, 10, 1), 1.0, "", "")]
    assert loaded(blank) == [
        ("customer-churn", "r", date(2026, 10, 1), 1.0, "", ""),
        ("customer-churn", "r", date(2026, 11, 1), 2.0, "", ""),
        ("customer-churn", "r", date(2026, 11, 1), 3.0, "EUR", "north"),
    ]


def test_cells_are_trimmed_and_blank_rows_are_skipped() -> None:
    result = read(
        "model,kpi,period,value,\n"
        " customer-churn ,\u00a0r\t, 2026-10 , 1.5 ,\n"
        ",,,,\n"
        "\n"
        "credit-default-risk,r,2026-10,2,\n"
    )

    assert loaded(result) == [
        ("customer-churn", "r", date(2026, 10, 1), 1.5, "", ""),
        ("credit-default-risk", "r", date(2026, 10, 1), 2.0, "", ""),
    ]
    assert result.row_count == 2


def test_parquet_keeps_its_types_and_timestamps_count_in_their_own_time_zone() -> None:
    berlin = pa.timestamp("us", tz="Europe/Berlin")
    table = pa.table(
        {
            "Model": ["customer-churn", "customer-churn", "credit-default-risk"],
            "kpi": ["retention", "retention", "loss"],
            # Midnight on 1 November in Berlin is still October in UTC.
            "period": pa.array(
                [datetime(2026, 9, 30, 22), datetime(2026, 10, 31, 23), None], berlin
            ),
            "value": pa.array([1.25, 2, 3], pa.float64()),
            "unit": ["share", None, "EUR"],
        }
    )
    days = pa.array([date(2026, 10, 5), date(2026, 11, 5), date(2026, 10, 5)], pa.date32())
    fixed = table.set_column(2, "period", days)
    decimal = pa.table(
        {
            "model": ["customer-churn"],
            "kpi": ["r"],
            "period": ["2026-10"],
            "value": pa.array([12.5], pa.float64()).cast(pa.decimal128(10, 2)),
        }
    )

    result = read(parquet_bytes(table), "kpis.parquet")
    assert rejected(result) == [Reject(4, "period", "blank_value", "")]
    assert (result.format, result.row_count) == ("parquet", 3)
    assert [row[2] for row in loaded(read(parquet_bytes(table.slice(0, 2)), "k.pq"))] == [
        date(2026, 10, 1),
        date(2026, 11, 1),
    ]
    assert loaded(read(parquet_bytes(fixed), "kpis.parquet"))[2] == (
        "credit-default-risk",
        "loss",
        date(2026, 10, 1),
        3.0,
        "EUR",
        "",
    )
    assert loaded(read(parquet_bytes(decimal), "kpis.parquet")) == [
        ("customer-churn", "r", date(2026, 10, 1), 12.5, "", "")
    ]


def test_parquet_rejects_count_lines_as_if_under_a_header() -> None:
    table = pa.table(
        {
            "model": ["customer-churn", "customer-churn", "customer-churn"],
            "kpi": ["r", "r", "r"],
            "period": ["2026-10", "Oct 2026", "2026-12"],
            "value": pa.array([1.0, 2.0, float("nan")], pa.float64()),
        }
    )

    assert rejected(read(parquet_bytes(table), "kpis.parquet")) == [
        Reject(3, "period", "not_a_month", "Oct 2026"),
        Reject(4, "value", "not_a_number", "nan"),
    ]


def test_excel_loads_typed_and_text_cells_and_skips_empty_rows() -> None:
    data = xlsx_bytes(
        [
            ["Model", "KPI", "Period", "Value", "Unit"],
            ["customer-churn", "retention", datetime(2026, 10, 1), 0.85, "share"],
            [],
            ["credit-default-risk", "loss", date(2026, 11, 17), 12500, None],
            ["credit-default-risk", "loss", "2026-12", "1234.5", "EUR"],
        ]
    )

    result = read(data, "kpis.xlsx")

    assert loaded(result) == [
        ("customer-churn", "retention", date(2026, 10, 1), 0.85, "share", ""),
        ("credit-default-risk", "loss", date(2026, 11, 1), 12500.0, "", ""),
        ("credit-default-risk", "loss", date(2026, 12, 1), 1234.5, "EUR", ""),
    ]
    assert (result.format, result.row_count) == ("xlsx", 3)


def test_excel_rejects_name_the_excel_row() -> None:
    data = xlsx_bytes(
        [
            ["model", "kpi", "period", "value", None],
            ["customer-churn", "r", datetime(2026, 10, 1), 1],
            [],
            [],
            ["customer-churn", "r", "Oct 2026", "abc"],
            ["custmer-churn", "r", datetime(2026, 11, 1), True, "note"],
        ]
    )

    assert rejected(read(data, "kpis.xlsx")) == [
        Reject(5, "period", "not_a_month", "Oct 2026"),
        Reject(5, "value", "not_a_number", "abc"),
        Reject(6, "model", "unknown_model", "custmer-churn", "closest: customer-churn"),
        Reject(6, "value", "not_a_number", "True"),
        Reject(6, "", "unnamed_column", "note"),
    ]


def read_a_million_rows():
    """A semicolon CSV of 1,000,000 rows with decimal commas, read; the result and the seconds."""
    models = [f"model-{m:03d}" for m in range(200)]
    months = [f"{2018 + m // 12}-{m % 12 + 1:02d}" for m in range(100)]
    lines = ["model;kpi;period;value;unit;segment"]
    lines.extend(
        f"{model};kpi-{k:02d};{month};{k}.{m:03d},{m % 100:02d};EUR;all"
        for model in models
        for k in range(50)
        for m, month in enumerate(months)
    )
    data = ("\n".join(lines) + "\n").encode()

    started = time.perf_counter()
    result = read_kpi_file(data, "big.csv", models, work_dir=work_dir())
    elapsed = time.perf_counter() - started
    return result, elapsed


def test_one_million_rows_load_whole() -> None:
    result, _ = read_a_million_rows()
    assert result.rejects == ()
    rows = rows_of(result)
    assert (result.row_count, rows.num_rows) == (1_000_000, 1_000_000)
    assert rows.slice(999_999).to_pylist() == [
        {
            "model": "model-199",
            "kpi": "kpi-49",
            "period": date(2026, 4, 1),
            "value": 49099.99,
            "unit": "EUR",
            "segment": "all",
        }
    ]


@pytest.mark.perf
def test_one_million_rows_load_within_a_minute(bench_figure) -> None:
    _, elapsed = read_a_million_rows()
    bench_figure(f"KPI file of 1,000,000 rows (43 MB CSV) checked: {elapsed:.1f} s")
    assert elapsed < 60


# --- Files that are rejected -----------------------------------------------------------------


def test_a_missing_column_rejects_the_file() -> None:
    result = read("model,kpi,value\ncustomer-churn,r,1\n")

    assert rejected(result) == [Reject(0, "period", "missing_column", "")]
    assert result.row_count == 0


def test_an_extra_or_repeated_column_rejects_the_file() -> None:
    assert rejected(read("model,kpi,period,value,Comment\ncustomer-churn,r,2026-10,1,x\n")) == [
        Reject(0, "Comment", "unknown_column", "")
    ]
    assert rejected(read("model,kpi,period,value,value\n")) == [
        Reject(0, "value", "duplicate_column", "")
    ]


def test_a_value_that_is_not_a_number_is_rejected_at_its_line_and_column() -> None:
    result = read(
        "model,kpi,period,value\n"
        "customer-churn,r,2026-10,1\n"
        "customer-churn,r,2026-11,abc\n"
        "customer-churn,r,2026-12,NaN\n"
        "customer-churn,r,2027-01,inf\n"
        "customer-churn,r,2027-02,1e999\n"
        "customer-churn,r,2027-03,1_000\n"
    )

    assert rejected(result) == [
        Reject(3, "value", "not_a_number", "abc"),
        Reject(4, "value", "not_a_number", "NaN"),
        Reject(5, "value", "not_a_number", "inf"),
        Reject(6, "value", "not_a_number", "1e999"),
        Reject(7, "value", "not_a_number", "1_000"),
    ]
    assert result.row_count == 6


def test_a_period_that_is_not_a_month_is_rejected() -> None:
    result = read(
        "model,kpi,period,value\n"
        "customer-churn,r,Oct 2026,1\n"
        "customer-churn,r,2026-13,1\n"
        "customer-churn,r,2026-02-30,1\n"
        "customer-churn,r,01.10.2026,1\n"
    )

    assert rejected(result) == [
        Reject(2, "period", "not_a_month", "Oct 2026"),
        Reject(3, "period", "not_a_month", "2026-13"),
        Reject(4, "period", "not_a_month", "2026-02-30"),
        Reject(5, "period", "not_a_month", "01.10.2026"),
    ]


def test_blank_required_cells_are_rejected() -> None:
    result = read(
        "model,kpi,period,value\n"
        ",r,2026-10,1\n"
        "customer-churn, ,2026-10,1\n"
        "customer-churn,r,,1\n"
        "customer-churn,r,2026-11,\n"
        'customer-churn,r,2026-12,"  "\n'
    )

    assert rejected(result) == [
        Reject(2, "model", "blank_value", ""),
        Reject(3, "kpi", "blank_value", ""),
        Reject(4, "period", "blank_value", ""),
        Reject(5, "value", "blank_value", ""),
        Reject(6, "value", "blank_value", ""),
    ]


def test_a_repeated_key_rejects_the_later_lines() -> None:
    result = read(
        "model,kpi,period,value,segment\n"
        "customer-churn,r,2026-10,1,north\n"
        "customer-churn,r,2026-10,1,south\n"
        "customer-churn,r,2026-10-15,2,north\n"
        "customer-churn,r,2026-11,1,\n"
        "customer-churn,r,2026-11,3,  \n"
        "customer-churn,r,2026-10,4,north\n"
    )

    assert rejected(result) == [
        Reject(4, "", "duplicate_key", "", "same as line 2"),
        Reject(6, "", "duplicate_key", "", "same as line 5"),
        Reject(7, "", "duplicate_key", "", "same as line 2"),
    ]


def test_unknown_models_are_rejected_with_the_closest_known_names() -> None:
    result = read(
        "model,kpi,period,value\n"
        "custmer-churn,r,2026-10,1\n"
        "credit-risk,r,2026-10,1\n"
        "inventory-forecast,r,2026-10,1\n"
    )

    assert rejected(result) == [
        Reject(2, "model", "unknown_model", "custmer-churn", "closest: customer-churn"),
        Reject(3, "model", "unknown_model", "credit-risk", "closest: credit-default-risk"),
        Reject(4, "model", "unknown_model", "inventory-forecast", ""),
    ]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b" \r\n\r\n"])
def test_an_empty_file_is_rejected(data: bytes) -> None:
    assert rejected(read(data)) == [Reject(0, "", "empty_file", "")]


@pytest.mark.parametrize("data", ["model,kpi,period,value\n", "model;kpi;period;value\r\n\r\n"])
def test_a_header_without_rows_is_rejected(data: str) -> None:
    assert rejected(read(data)) == [Reject(0, "", "no_rows", "")]


def test_parquet_text_that_is_not_utf8_is_unreadable_without_the_server_path() -> None:
    offsets = pa.py_buffer(bytes(4) + (2).to_bytes(4, "little"))
    model = pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(b"\xff\xfe")])
    table = pa.table({"model": model, "kpi": ["r"], "period": ["2026-10"], "value": [1.0]})

    (reject,) = rejected(read(parquet_bytes(table), "kpis.parquet"))

    assert (reject.line, reject.code) == (0, "unreadable")
    assert "not valid UTF8" in reject.detail and WORK.name not in reject.detail


def test_an_empty_excel_sheet_and_an_empty_parquet_file_are_rejected() -> None:
    empty = pa.table({name: pa.array([], pa.string()) for name in ("model", "kpi", "period")})
    empty = empty.append_column("value", pa.array([], pa.float64()))

    assert rejected(read(xlsx_bytes([]), "kpis.xlsx")) == [Reject(0, "", "empty_file", "")]
    assert rejected(read(parquet_bytes(empty), "kpis.parquet")) == [Reject(0, "", "no_rows", "")]


def test_lines_count_as_an_editor_shows_them_with_quoted_newlines_and_blank_lines() -> None:
    result = read(
        "\ufeff\r\n"
        "model,kpi,period,value\r\n"
        'customer-churn,"two\r\nlines",2026-10,1\r\n'
        "\r\n"
        "customer-churn,r,2026-10,abc\r\n"
        "customer-churn,r,2026-11,1,9\r\n"
        "customer-churn,r\r\n"
        'customer-churn,"r",Oct 2026,"1"\r\n'
    )

    assert rejected(result) == [
        Reject(6, "value", "not_a_number", "abc"),
        Reject(7, "", "too_many_columns", "customer-churn,r,2026-11,1,9", "expected 4 columns"),
        Reject(8, "", "too_few_columns", "customer-churn,r", "expected 4 columns"),
        Reject(9, "period", "not_a_month", "Oct 2026"),
    ]
    assert result.row_count == 5


def test_rejects_stop_at_the_limit_with_a_count_of_all() -> None:
    data = "model,kpi,period,value\n" + "".join(f"x,k{i},2026-10,1\n" for i in range(5))

    result = read(data, max_rejects=2)

    assert rejected(result) == [
        Reject(2, "model", "unknown_model", "x"),
        Reject(3, "model", "unknown_model", "x"),
        Reject(0, "", "too_many_rejects", "", "5 rejects in total"),
    ]


def test_long_cells_are_cut_to_100_characters_in_rejects() -> None:
    result = read(f"model,kpi,period,value\ncustomer-churn,r,2026-10,{'9' * 150}x\n")

    assert rejected(result) == [Reject(2, "value", "not_a_number", "9" * 100)]


def test_unknown_formats_and_unreadable_files_are_rejected_without_raising() -> None:
    assert rejected(read(b"model,kpi\n", "kpis.xls")) == [
        Reject(0, "", "unknown_format", ".xls", "supported: .csv, .txt, .parquet, .pq, .xlsx")
    ]
    assert read(b"model,kpi\n", "kpis.xls").format == ""
    for name in ("kpis.parquet", "kpis.xlsx"):
        (reject,) = rejected(read(b"model,kpi,period,value\n", name))
        assert (reject.line, reject.code) == (0, "unreadable")
    assert rejected(read(b"model,kpi,period,value\x00\n")) == [
        Reject(0, "", "unreadable", "", "not a text file")
    ]


# --- a CSV is normalised in chunks: the same result whatever falls on a chunk's edge ---------

MESSY_CSV = (
    "\ufeff\r\n"
    "model;kpi;period;value\r\n"
    'customer-churn;"two\r\nlines";2026-10;1,5\r\n'
    "\r\n"
    "\r\n"
    "customer-churn;Kündigungen;2026-10;abc\r"
    "customer-churn;r;2026-11;1;9\n"
    "credit-default-risk;r;2026-12;2\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16"])
def test_a_csv_read_in_tiny_chunks_gives_what_one_piece_gives(monkeypatch, encoding) -> None:
    data = MESSY_CSV.lstrip("\ufeff").encode(encoding)
    whole = read(data)
    for chunk in (1, 2, 3, 7):
        monkeypatch.setattr(kpi_files, "_CSV_CHUNK_BYTES", chunk)
        assert read(data) == replace(whole, rows=read(data).rows), (encoding, chunk)
    assert [(r.line, r.code) for r in rejected(whole)] == [
        (7, "not_a_number"),
        (8, "too_many_columns"),
    ]


def test_a_large_csv_is_never_held_whole_in_python(tmp_path) -> None:
    rows = 3_000_000
    path = tmp_path / "kpis.csv"
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT 'customer-churn' AS model, 'kpi ' || (i % 997) AS kpi,"
            " strftime(DATE '1900-01-01' + to_months((i // 997)::INTEGER), '%Y-%m') AS period,"
            f" i AS value FROM range({rows}) t(i)) TO '{path}' (HEADER)"
        )
    size_mb = path.stat().st_size / 2**20
    tracemalloc.start()
    try:
        result = read_kpi_file(path, "kpis.csv", KNOWN, work_dir=work_dir())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.row_count == rows and result.rejects == ()
    # Decoding the file whole held its bytes and its text at once: twice its size and more.
    # In chunks, Python holds a few chunks' worth whatever the size of the file.
    limit_mb = 6 * kpi_files._CSV_CHUNK_BYTES / 2**20
    assert size_mb > 2 * limit_mb
    assert peak / 2**20 < limit_mb, f"{peak / 2**20:.0f} MB for a {size_mb:.0f} MB file"
