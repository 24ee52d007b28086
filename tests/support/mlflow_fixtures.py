"""Pytest fixtures: the awkward MLflow registry in a SQLite store and behind a real server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.support.mlflow_stores import AwkwardRegistry


@dataclass(frozen=True)
class AwkwardStore:
    """Where the awkward registry can be read, and what it holds."""

    tracking_uri: str
    registry: AwkwardRegistry


def _sqlite_store(root: Path) -> tuple[str, AwkwardRegistry, Path]:
    # Imported here so that collecting tests which never touch MLflow stays fast.
    from tests.support.mlflow_stores import build_awkward_registry

    artifact_root = root / "artifacts"
    artifact_root.mkdir()
    tracking_uri = f"sqlite:///{root / 'mlflow.db'}"
    return tracking_uri, build_awkward_registry(tracking_uri, artifact_root), artifact_root


@pytest.fixture(scope="session")
def awkward_sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> AwkwardStore:
    """The awkward registry in a SQLite file, read directly."""
    tracking_uri, registry, _ = _sqlite_store(tmp_path_factory.mktemp("mlflow-sqlite"))
    return AwkwardStore(tracking_uri=tracking_uri, registry=registry)


@pytest.fixture(scope="session")
def awkward_server_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AwkwardStore]:
    """The awkward registry in its own SQLite file, served over HTTP by `mlflow server`."""
    from tests.support.mlflow_stores import running_mlflow_server

    backend_uri, registry, artifact_root = _sqlite_store(tmp_path_factory.mktemp("mlflow-server"))
    with running_mlflow_server(backend_uri, artifact_root) as url:
        yield AwkwardStore(tracking_uri=url, registry=registry)
