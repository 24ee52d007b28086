"""Inference logs read in place by DuckDB: formats, windows, the sample cap, unreadable files."""

from __future__ import annotations

import time
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from portal.sources.inference_logs import InferenceLogs, InferenceLogsUnreadable
from tests.support.drift_fixtures import NOW, churn_logs, write_logs

MODEL = "Kündigung Geschäftskunden"  # a real folder name with umlauts and a space


def test_window_counts_rows_and_labels_across_parquet_and_csv(tmp_path):
    logs = churn_logs(NOW - timedelta(days=14), 14, 100, 1)
    write_logs(tmp_path, MODEL, logs.iloc[:700])
    older = logs.iloc[700:].assign(label=None)
    older.to_csv(tmp_path / MODEL / "late.csv", index=False)
    source = InferenceLogs(tmp_path, MODEL)
    assert source.exists()
    stats = source.window_stats(NOW - timedelta(days=14), NOW)
    assert (stats.rows, stats.labelled_rows) == (1400, 700)
    last_week = source.window_stats(NOW - timedelta(days=7), NOW)
    assert last_week.rows == 700
    sample = source.read_window(NOW - timedelta(days=7), NOW, max_rows=10_000)
    assert len(sample.frame) == 700
    assert "timestamp" not in sample.frame.columns
    assert set(sample.frame.columns) == {
        "tenure",
        "monthly_charges",
        "contract",
        "prediction",
        "score",
        "label",
    }


def test_time_zone_aware_timestamps_are_compared_in_utc(tmp_path):
    logs = churn_logs(NOW - timedelta(days=2), 2, 50, 1)
    logs["timestamp"] = logs["timestamp"].dt.tz_localize("UTC").dt.tz_convert("Europe/Berlin")
    write_logs(tmp_path, MODEL, logs)
    stats = InferenceLogs(tmp_path, MODEL).window_stats(NOW - timedelta(days=1), NOW)
    assert stats.rows == 50


def test_fingerprint_changes_when_labels_arrive(tmp_path):
    logs = churn_logs(NOW - timedelta(days=7), 7, 50, 1).assign(label=None)
    path = write_logs(tmp_path, MODEL, logs)
    source = InferenceLogs(tmp_path, MODEL)
    before = source.window_stats(NOW - timedelta(days=7), NOW).fingerprint
    logs.assign(label=1).to_parquet(path, index=False)
    assert source.window_stats(NOW - timedelta(days=7), NOW).fingerprint != before


def test_missing_folder_and_missing_timestamp_column(tmp_path):
    assert not InferenceLogs(tmp_path, "nobody").exists()
    write_logs(tmp_path, MODEL, pd.DataFrame({"age": [1, 2]}))
    with pytest.raises(InferenceLogsUnreadable, match="no 'timestamp' column"):
        InferenceLogs(tmp_path, MODEL).window_stats(NOW - timedelta(days=1), NOW)


def test_a_damaged_file_names_the_folder(tmp_path):
    (tmp_path / MODEL).mkdir()
    (tmp_path / MODEL / "broken.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InferenceLogsUnreadable, match=MODEL):
        InferenceLogs(tmp_path, MODEL).window_stats(NOW - timedelta(days=1), NOW)


def sample_a_million_rows(folder):
    """A 1,000,000-row window of 21 inputs sampled to 20,000: the source, sample and seconds."""
    rows = 1_000_000
    rng = np.random.default_rng(0)
    start = NOW - timedelta(days=7)
    frame = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(start)
            + pd.to_timedelta(rng.integers(0, 604_800, rows), "s"),
            **{f"x{i}": rng.normal(0, 1, rows) for i in range(20)},
            "segment": rng.choice(["a", "b", "c"], rows),
            "prediction": rng.integers(0, 2, rows),
            "label": rng.integers(0, 2, rows),
        }
    )
    write_logs(folder, MODEL, frame)
    source = InferenceLogs(folder, MODEL)
    started = time.perf_counter()
    sample = source.read_window(start, NOW, max_rows=20_000)
    seconds = time.perf_counter() - started
    return source, sample, seconds


def test_a_million_row_window_is_sampled_to_the_cap_repeatably(tmp_path):
    source, sample, _ = sample_a_million_rows(tmp_path)
    assert sample.stats.rows == 1_000_000
    assert len(sample.frame) == 20_000
    again = source.read_window(NOW - timedelta(days=7), NOW, max_rows=20_000)
    pd.testing.assert_frame_equal(sample.frame, again.frame)


@pytest.mark.perf
def test_a_million_row_window_is_sampled_within_30_seconds(tmp_path, bench_figure):
    _, _, seconds = sample_a_million_rows(tmp_path)
    bench_figure(f"1,000,000-row inference window sampled to 20,000 rows: {seconds:.2f} s")
    assert seconds < 30
