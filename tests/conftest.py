"""Shared fixtures: settings and stores in temporary folders, runtime injection, cache reset."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from portal import runtime as runtime_module
from portal.config import load_settings
from portal.runtime import Runtime, close_runtime, open_runtime
from portal.store import open_store
from portal.store.database import Store
from portal.sync import sync_mlflow
from tests.support.catalog_fixture import T0, FakeSource, base_registry

pytest_plugins = ["tests.support.mlflow_fixtures"]


BENCH_FIGURES: list[str] = []


@pytest.fixture
def bench_figure():
    """Note a measured figure (one line); a run of timing tests prints them all at its end."""
    return BENCH_FIGURES.append


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures the timing tests measured, after their results (`make bench`)."""
    if BENCH_FIGURES:
        terminalreporter.section("measured")
        for line in BENCH_FIGURES:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Timing tests run only when asked for by marker (`make bench` runs `pytest -m perf`):
    CI machines are shared, so wall-clock thresholds stay out of `make test`."""
    if "perf" in (config.option.markexpr or ""):
        return
    timed = [item for item in items if item.get_closest_marker("perf")]
    if timed:
        config.hook.pytest_deselected(items=timed)
        items[:] = [item for item in items if not item.get_closest_marker("perf")]


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_settings_for(store_path: Path, tracking_uri: str):
    """Default settings with the given store and MLflow, no schedule, no portal.toml."""
    return replace(
        load_settings(env={}, toml_path=store_path.parent / "absent.toml"),
        store_path=store_path,
        mlflow_tracking_uri=tracking_uri,
        sync_interval_minutes=0,
        drift_interval_minutes=0,
        inference_dir=store_path.parent / "inference",
    )


@pytest.fixture
def settings(tmp_path: Path):
    """Settings pointing at temporary files, no schedule."""
    return load_settings_for(tmp_path / "portal.duckdb", f"sqlite:///{tmp_path / 'mlflow.db'}")


@pytest.fixture
def store(settings) -> Iterator[Store]:
    """An empty, migrated store."""
    opened = open_store(settings.store_path)
    yield opened
    opened.close()


def sync_fake(store: Store, source: FakeSource, at: datetime) -> None:
    """Sync a fake registry at a given moment, failing the test if the sync fails."""
    result = sync_mlflow(
        store,
        source,
        source_uri="fake://registry",
        alias_precedence=("champion", "production"),
        trigger="cli",
        now=at,
    )
    assert result.ok, result.error


def fill_base_history(store: Store) -> Store:
    """Sync the base registry twice, moving the churn model's champion from v1 to v2."""
    from tests.support.catalog_fixture import move_alias

    source = base_registry()
    move_alias(source, "customer-churn", "champion", 1)
    sync_fake(store, source, T0 + timedelta(days=20))
    move_alias(source, "customer-churn", "champion", 2)
    sync_fake(store, source, T0 + timedelta(days=40))
    return store


@pytest.fixture
def filled_store(store: Store) -> Store:
    """The base registry synced twice, with the churn model's champion moved from v1 to v2."""
    return fill_base_history(store)


@pytest.fixture
def app_runtime(settings, filled_store: Store) -> Iterator[Runtime]:
    """The process runtime over the filled store, as pages see it; caches cleared."""
    import streamlit as st

    filled_store.close()
    close_runtime()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield open_runtime(settings, schedule=False)
    close_runtime()
    st.cache_data.clear()
    assert runtime_module._runtime is None
