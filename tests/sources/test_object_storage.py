"""Inference logs in S3-compatible object storage, read from a real S3 server on loopback (moto)."""

from __future__ import annotations

import pickle
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from portal.config import load_settings
from portal.errors import SettingsError
from portal.sources import object_storage
from portal.sources.inference_logs import InferenceLogs, InferenceLogsUnreadable, UnsafeLogFolder
from portal.sources.object_storage import S3Folder, S3Location, parse_s3_url, plain_message
from tests.support.drift_fixtures import NOW, churn_logs, write_logs
from tests.support.s3_server import s3_server

BUCKET = "logs"
PREFIX = "prod/inference"
ROOT = f"s3://{BUCKET}/{PREFIX}"
MODEL = "Kündigung Geschäftskunden"  # umlauts and a space, as in the local tests
WEEK = (NOW - timedelta(days=7), NOW)
WEEKS = [(NOW - timedelta(days=7 * (n + 1)), NOW - timedelta(days=7 * n)) for n in range(3)]


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    """One folder of logs, uploaded as it is: the S3 reads must equal the folder's."""
    root = tmp_path_factory.mktemp("inference")
    logs = churn_logs(NOW - timedelta(days=21), 21, 300, 7)
    write_logs(root, MODEL, logs.iloc[:3000])
    # Nested, a second Parquet file, and late rows as CSV without labels.
    write_logs(root / MODEL, "2026/02", logs.iloc[3000:5000], name="part")
    logs.iloc[5000:].assign(label=None).to_csv(root / MODEL / "late.csv", index=False)
    (root / MODEL / "notes.json").write_text("{}", encoding="utf-8")  # not a log file
    # A sibling whose name starts with the model's, and names with glob characters.
    write_logs(root, f"{MODEL}2", churn_logs(NOW - timedelta(days=7), 7, 40, 2))
    write_logs(root, "s*", churn_logs(NOW - timedelta(days=7), 7, 10, 3))
    write_logs(root, "s1", churn_logs(NOW - timedelta(days=7), 7, 20, 4))
    write_logs(root, "x[1]", churn_logs(NOW - timedelta(days=7), 7, 30, 5))
    write_logs(root, "x1", churn_logs(NOW - timedelta(days=7), 7, 50, 6))
    write_logs(root, "it's", churn_logs(NOW - timedelta(days=7), 7, 60, 8))
    return root


@pytest.fixture(scope="module")
def server(local):
    with s3_server() as s3:
        s3.create_bucket(BUCKET)
        s3.upload_folder(local, BUCKET, PREFIX)
        s3.put_object(BUCKET, f"{PREFIX}/{MODEL}/empty-folder/", b"")  # a folder marker
        s3.put_object(BUCKET, f"{PREFIX}/{MODEL}.parquet", b"not the model's")  # beside it
        yield s3


@pytest.fixture(autouse=True)
def aws_env(server, monkeypatch):
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    return server.env


def test_only_the_models_parquet_and_csv_objects_are_listed(server):
    listed = S3Folder(parse_s3_url(ROOT).child(MODEL)).files((".parquet", ".csv"))
    base = f"{BUCKET}/{PREFIX}/{MODEL}/"
    assert listed == [base + "2026/02/part.parquet", base + "late.csv", base + "logs.parquet"]


def test_counts_and_latest_equal_the_local_folders(local):
    on_s3, in_folder = InferenceLogs(ROOT, MODEL), InferenceLogs(local, MODEL)
    assert on_s3.exists() and in_folder.exists()
    assert on_s3.folder == f"{ROOT}/{MODEL}"
    assert on_s3.window_stats(*WEEK) == in_folder.window_stats(*WEEK)
    many = on_s3.window_stats_many([*WEEKS, WEEK])
    assert many == in_folder.window_stats_many([*WEEKS, WEEK])
    assert [stats.rows for stats in many] == [2100, 2100, 2100, 2100]
    # Its last 1,300 rows came as CSV without labels.
    assert (many[0].labelled_rows, many[2].labelled_rows) == (800, 2100)
    assert on_s3.latest_timestamp() == in_folder.latest_timestamp()


@pytest.mark.parametrize("max_rows", [500, 100_000])
def test_a_window_sample_equals_the_local_folders(local, max_rows):
    window = (NOW - timedelta(days=14), NOW)
    on_s3 = InferenceLogs(ROOT, MODEL).read_window(*window, max_rows=max_rows)
    in_folder = InferenceLogs(local, MODEL).read_window(*window, max_rows=max_rows)
    assert on_s3.stats == in_folder.stats
    assert len(on_s3.frame) == min(max_rows, 4200)
    pd.testing.assert_frame_equal(on_s3.frame, in_folder.frame)


@pytest.mark.parametrize("name", ["s*", "x[1]", "it's"])
def test_glob_characters_and_quotes_in_names_stay_literal(local, name):
    on_s3 = InferenceLogs(ROOT, name).window_stats(*WEEK)
    assert on_s3 == InferenceLogs(local, name).window_stats(*WEEK)
    assert on_s3.rows == {"s*": 70, "x[1]": 210, "it's": 420}[name]


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "a/b", "/abs", "a\\b", "nul\0"])
def test_names_that_are_not_one_folder_are_refused_before_any_request(name, monkeypatch):
    monkeypatch.setattr(object_storage, "filesystem", lambda: pytest.fail("no client expected"))
    with pytest.raises(UnsafeLogFolder, match="not a single folder name"):
        InferenceLogs(ROOT, name)


def test_a_missing_prefix_is_no_logs_and_a_missing_bucket_an_error():
    assert not InferenceLogs(ROOT, "nobody").exists()
    assert not InferenceLogs(f"s3://{BUCKET}/elsewhere", MODEL).exists()
    with pytest.raises(InferenceLogsUnreadable, match="the bucket 'no-such-bucket' does not exist"):
        InferenceLogs("s3://no-such-bucket/prod", MODEL).exists()


def test_a_wrong_secret_is_a_plain_error_without_credentials(server, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-" + server.secret_access_key[6:])
    with pytest.raises(InferenceLogsUnreadable) as caught:
        InferenceLogs(ROOT, MODEL).exists()
    message = str(caught.value)
    assert message.startswith(
        f"{ROOT}/{MODEL}: could not list the logs: access refused, check AWS_ACCESS_KEY_ID and"
        " AWS_SECRET_ACCESS_KEY ("
    )
    assert "SIGNATURE_DOES_NOT_MATCH" in message
    assert server.access_key_id not in message
    assert server.secret_access_key[6:] not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_object_pickles_and_builds_its_own_client_where_it_lands(local):
    logs = InferenceLogs(ROOT, MODEL)
    before = logs.window_stats(*WEEK)
    moved = pickle.loads(pickle.dumps(logs))
    assert moved._listing is None and moved._objects._fs is None
    assert moved.window_stats(*WEEK) == before == InferenceLogs(local, MODEL).window_stats(*WEEK)


def test_a_server_that_never_answers_fails_within_the_time_limit(monkeypatch):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def hold() -> None:  # accept, never answer
        silent.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(silent.accept()[0])
            except TimeoutError:
                continue

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setattr(object_storage, "REQUEST_TIMEOUT_SECONDS", 1.0)
    started = time.perf_counter()
    try:
        with pytest.raises(InferenceLogsUnreadable) as caught:
            InferenceLogs(ROOT, MODEL).exists()
    finally:
        stop.set()
        holder.join()
        for connection in accepted:
            connection.close()
        silent.close()
    # Three attempts of one second each, plus the SDK's backoff between them.
    assert time.perf_counter() - started < 15
    assert str(caught.value).startswith(
        f"{ROOT}/{MODEL}: could not list the logs: the storage endpoint did not answer in time"
    )


def test_an_endpoint_nobody_listens_on_is_named_as_unreachable(monkeypatch):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(InferenceLogsUnreadable) as caught:
        InferenceLogs(ROOT, MODEL).exists()
    assert str(caught.value).startswith(
        f"{ROOT}/{MODEL}: could not list the logs: the storage endpoint could not be reached"
    )


def test_signed_urls_and_key_material_are_removed_from_messages(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t/Value+xyz")
    text = (
        "Traceback: GET https://logs.s3.amazonaws.com/a.parquet?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAABCDEFGHIJKLMNOP%2F20260302&X-Amz-Signature=deadbeef failed;"
        " Authorization: AWS4-HMAC-SHA256 Credential=AKIAABCDEFGHIJKLMNOP/20260302, secret"
        " s3cr3t/Value+xyz\nsecond line"
    )
    plain = plain_message(text)
    assert plain.startswith("Traceback: GET https://logs.s3.amazonaws.com/a.parquet failed;")
    for secret in ("AKIAABCDEFGHIJKLMNOP", "deadbeef", "s3cr3t/Value+xyz", "second line"):
        assert secret not in plain


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s3://logs/prod/inference/", "s3://logs/prod/inference"),
        ("S3://logs", "s3://logs"),
        ("data/inference", Path("data/inference")),
    ],
)
def test_the_setting_takes_a_folder_or_an_s3_url(tmp_path, value, expected):
    settings = load_settings(env={"PORTAL_INFERENCE_DIR": value}, toml_path=tmp_path / "no.toml")
    assert settings.inference_dir == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("gs://logs/prod", "gs:// is not supported"),
        ("https://minio:9000/logs", "https:// is not supported"),
        ("s3://Logs_Bucket/x", "needs a bucket name"),
        ("s3://logs/a/../b", "must not contain '.' or '..' parts"),
        ("s3://AKIAKEY:secret@logs/x", "must not carry credentials"),
    ],
)
def test_the_setting_refuses_other_schemes_and_says_which_setting(tmp_path, value, problem):
    with pytest.raises(SettingsError, match=problem) as caught:
        load_settings(env={"PORTAL_INFERENCE_DIR": value}, toml_path=tmp_path / "no.toml")
    assert str(caught.value).startswith("PORTAL_INFERENCE_DIR=")
    assert "secret" not in str(caught.value) and "AKIAKEY" not in str(caught.value)


def test_locations_join_model_names_under_the_prefix():
    assert parse_s3_url("s3://logs").child("m").url == "s3://logs/m"
    assert parse_s3_url("s3://logs//a/b/").child("m") == S3Location("logs", "a/b/m")
