"""Peak memory of the real `portal import-kpis` on large generated Parquet and CSV files: a
file is checked and compared on disk, so memory stays bounded whatever its size, and a file
with one bad row still loads nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.store import open_store
from tests.support.kpi_scale import model_store, write_csv, write_parquet

ROOT = Path(__file__).resolve().parents[2]


# Runs the command and writes its peak RSS (kB) to a file. The command is started from this
# small process, not from pytest: a child counts its parent's memory at the fork as its own peak.
_PEAK_OF = (
    "import os, subprocess, sys; process = subprocess.Popen(sys.argv[2:]);"
    " _, status, usage = os.wait4(process.pid, 0);"
    " open(sys.argv[1], 'w').write(str(usage.ru_maxrss));"
    " sys.exit(os.waitstatus_to_exitcode(status))"
)


def import_kpis(store: Path, file: Path) -> tuple[int, str, str, float]:
    """Run `portal import-kpis FILE` on store; exit code, stdout, stderr and peak RSS in MB."""
    peak = store.with_suffix(".peak")
    command = [sys.executable, "-m", "portal.cli", "import-kpis", str(file)]
    result = subprocess.run(
        [sys.executable, "-c", _PEAK_OF, str(peak), *command],
        cwd=ROOT,
        env={**os.environ, "PORTAL_STORE_PATH": str(store)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.returncode, result.stdout, result.stderr, int(peak.read_text()) / 1024


def stored_rows(store: Path) -> int:
    opened = open_store(store)
    try:
        return opened.fetch_value("n", "SELECT count(*) FROM kpi_observations")
    finally:
        opened.close()


def test_a_million_rows_load_in_bounded_memory_and_one_bad_row_loads_nothing(tmp_path):
    rows = 1_000_000
    store, good, bad = tmp_path / "portal.duckdb", tmp_path / "good.parquet", tmp_path / "bad.pq"
    model_store(store)
    write_parquet(good, rows)
    write_parquet(bad, rows, bad_row=rows - 1)

    code, _, err, peak_mb = import_kpis(store, bad)
    assert code == 1
    assert "line 1000000, column model: unknown_model ('no-such-model')" in err
    assert stored_rows(store) == 0

    code, out, err, peak_mb = import_kpis(store, good)
    assert code == 0, err
    assert f"{rows} rows, {rows} added, 0 replaced, 0 unchanged" in out
    assert stored_rows(store) == rows
    # Reading the file into Python (Arrow) and the key index needed about 600 MB here.
    assert peak_mb < 512, f"import-kpis peaked at {peak_mb:.0f} MB"


@pytest.mark.perf
def test_ten_million_rows_load_and_load_again_within_one_gigabyte(tmp_path, bench_figure):
    rows = 10_000_000
    store, file = tmp_path / "portal.duckdb", tmp_path / "kpis.parquet"
    model_store(store)
    write_parquet(file, rows)

    code, out, err, first_mb = import_kpis(store, file)
    assert code == 0, err
    assert f"{rows} rows, {rows} added, 0 replaced, 0 unchanged" in out
    code, out, err, again_mb = import_kpis(store, file)
    assert code == 0, err
    assert f"{rows} rows, 0 added, 0 replaced, {rows} unchanged" in out
    assert stored_rows(store) == rows
    bench_figure(f"import-kpis 10M Parquet rows: peak {first_mb:.0f} MB, again {again_mb:.0f} MB")
    assert first_mb < 1024 and again_mb < 1024, (first_mb, again_mb)


@pytest.mark.perf
@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_a_ten_million_row_csv_loads_within_one_gigabyte(tmp_path, bench_figure, quoted):
    rows = 10_000_000
    store, file = tmp_path / "portal.duckdb", tmp_path / "kpis.csv"
    model_store(store)
    write_csv(file, rows, quoted=quoted)

    code, out, err, peak_mb = import_kpis(store, file)
    assert code == 0, err
    assert f"{rows} rows, {rows} added, 0 replaced, 0 unchanged" in out
    kind = "quoted " if quoted else ""
    bench_figure(
        f"import-kpis 10M {kind}CSV rows ({file.stat().st_size >> 20} MB): peak {peak_mb:.0f} MB"
    )
    assert peak_mb < 1024, peak_mb
