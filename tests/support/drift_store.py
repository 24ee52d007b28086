"""The filled store with the drift fixture's results, for page tests: built once per module
(Evidently takes seconds), copied with its report folder into each test's folder.

A page-test module takes both fixtures by importing them:
`from tests.support.drift_store import drift_template, filled_store  # noqa: F401 (fixtures)`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portal.store import open_store
from portal.store.database import Store
from tests.conftest import fill_base_history, load_settings_for
from tests.support.drift_fixtures import fill_drift_results


@pytest.fixture(scope="module")
def drift_template(tmp_path_factory) -> Path:
    """The filled store with the drift fixture's results, built once per module."""
    folder = tmp_path_factory.mktemp("drift-template")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = fill_base_history(open_store(settings.store_path))
    fill_drift_results(store, settings)
    store.close()
    return settings.store_path


@pytest.fixture
def filled_store(drift_template, settings) -> Store:
    """A copy of the template store and its report folder in this test's folder."""
    shutil.copy(drift_template, settings.store_path)
    shutil.copytree(
        drift_template.with_name(settings.drift_reports_dir.name), settings.drift_reports_dir
    )
    return open_store(settings.store_path)
