"""POST /api/kpis with a chunked body (no Content-Length) far beyond the upload limit: a real
server answers 413 as soon as the limit is passed, and its memory does not grow with the body."""

from __future__ import annotations

import os
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.portal_server import running_portal

pytestmark = pytest.mark.server
TOKEN = "s3cret-pipeline-token"
LIMIT_MB = 50  # server.maxUploadSize in .streamlit/config.toml
CHUNK = b"model,kpi,period,value\n" * (1 << 16)  # about 1.5 MB of CSV text per chunk
SEND_AT_MOST = 4 * 1024 * 1024 * 1024  # a body the server must never read whole


@pytest.fixture(scope="module")
def portal(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A running portal on an empty store, and the id of its process."""
    folder = tmp_path_factory.mktemp("api-streaming")
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": f"sqlite:///{folder / 'unused.db'}",
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_DRIFT_INTERVAL_MINUTES": "0",
        "PORTAL_API_TOKEN": TOKEN,
    }
    with running_portal(env, folder / "server.log", untouched=True) as url:
        yield url, server_pid(int(url.rsplit(":", 1)[1]))


def server_pid(port: int) -> int:
    """The `portal serve` child of this test process that listens on port."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"serve" in arguments and str(port).encode() in arguments:
            return int(entry.name)
    raise AssertionError(f"no portal process on port {port}")


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def post_chunked(url: str, *, timeout: float) -> tuple[int, bytes, int]:
    """Send a chunked CSV body until the server answers (or SEND_AT_MOST bytes went out);
    the status line's code, the response, and how many body bytes were sent."""
    host, port = url.removeprefix("http://").split(":")
    sent = 0
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(
            b"POST /api/kpis?file_name=big.csv HTTP/1.1\r\n"
            + f"Host: {host}:{port}\r\n".encode()
            + f"Authorization: Bearer {TOKEN}\r\n".encode()
            + b"Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
        while sent < SEND_AT_MOST and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and closed: read what it said
            sent += len(CHUNK)
        response = b""
        sock.settimeout(max(1.0, deadline - time.monotonic()))
        try:
            while b"\r\n\r\n" not in response or not response.rstrip().endswith(b"}"):
                data = sock.recv(65536)
                if not data:
                    break
                response += data
        except (TimeoutError, ConnectionResetError):
            pass
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
    return status, response, sent


def test_a_chunked_body_past_the_limit_is_refused_promptly_in_bounded_memory(portal):
    url, pid = portal
    before = memory_mb(pid)

    started = time.monotonic()
    status, response, sent = post_chunked(url, timeout=60)
    elapsed = time.monotonic() - started

    after = memory_mb(pid)
    assert status == 413, (status, response[:200], sent)
    assert b"larger than the upload limit" in response
    # Refused soon after the limit, not after reading gigabytes.
    assert sent < 4 * LIMIT_MB * 1024 * 1024, sent
    assert elapsed < 20, elapsed
    # The body went to a file, not into the server's memory.
    assert after["VmHWM"] - before["VmRSS"] < 100, (before, after)
