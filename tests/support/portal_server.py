"""Start `portal serve` as a real process on a free loopback port, for browser and API tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(
    url: str, timeout: float = 5.0, headers: Mapping[str, str] | None = None
) -> tuple[int, dict]:
    """Status code and JSON body of a GET (with the given headers), also for error statuses."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def running_portal(
    env: Mapping[str, str],
    log_path: Path,
    wait_for_models: bool = True,
    timeout: float = 90.0,
    untouched: bool = False,
    verbose: bool = False,
) -> Iterator[str]:
    """Serve the portal with the given PORTAL_* settings; yield its base URL; stop it after.

    verbose: `portal -v serve`, whose log (log_path) shows each step at INFO.

    untouched: wait only until the port accepts connections (uvicorn listens once the
    lifespan has opened the store), so the test's own request is the server's first one.
    """
    port = free_port()
    full_env = {**os.environ, **env}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portal.cli",
                *(["-v"] if verbose else []),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            if untouched:
                _wait_until_listening(port, process, log_path, timeout)
            else:
                _wait_until_ready(base, process, log_path, wait_for_models, timeout)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _wait_until_ready(
    base: str, process: subprocess.Popen, log_path: Path, wait_for_models: bool, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"portal exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            status, body = get_json(f"{base}/api/health", timeout=2)
            # Anyone sees the ages: the first sync has succeeded once it has a time.
            synced = body.get("last_sync", {}).get("last_success_at") is not None
            if status == 200 and (not wait_for_models or synced):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"portal not ready after {timeout} s:\n{log_path.read_text()}")


def _wait_until_listening(
    port: int, process: subprocess.Popen, log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"portal exited with {process.returncode}:\n{log_path.read_text()}")
        with socket.socket() as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"portal not listening after {timeout} s:\n{log_path.read_text()}")
