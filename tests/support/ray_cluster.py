"""A real Ray cluster on loopback for the executor tests and the bench: `ray start --head`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RAY = Path(sys.executable).with_name("ray")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def local_ray_cluster(cpus: int = 2) -> Iterator[str]:
    """A head node with `cpus` CPUs on this machine; yields the address the portal is given.

    'auto', as an operator on the head node sets it: Ray finds the cluster this machine runs
    (its node address is the machine's, whatever --node-ip-address says, so 127.0.0.1:port
    is not one a driver can join here).

    The driver (this test process) connects on first use by the executor and is disconnected
    before the cluster stops, so the next cluster starts clean.
    """
    port = _free_port()
    environment = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    started = subprocess.run(
        [
            str(RAY),
            "start",
            "--head",
            f"--port={port}",
            f"--num-cpus={cpus}",
            "--node-ip-address=127.0.0.1",
            "--include-dashboard=false",
            "--disable-usage-stats",
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        yield "auto"
    finally:
        import ray

        ray.shutdown()
        subprocess.run(
            [str(RAY), "stop", "--force"], capture_output=True, env=environment, timeout=120
        )
