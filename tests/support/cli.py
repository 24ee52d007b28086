"""The `portal` command as a user runs it: a subprocess with the given PORTAL_* settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_portal(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`portal ARGS` from the project folder; exit code, stdout and stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def store_env(store: Path, **extra: str) -> dict[str, str]:
    """Settings for the store file alone: no portal.toml, no MLflow, no schedules."""
    return {
        "PORTAL_STORE_PATH": str(store),
        "PORTAL_CONFIG_FILE": str(store.parent / "absent.toml"),
        "PORTAL_MLFLOW_TRACKING_URI": f"sqlite:///{store.parent / 'missing.db'}",
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",
        "PORTAL_DRIFT_INTERVAL_MINUTES": "0",
        **extra,
    }
