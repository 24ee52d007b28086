"""The MLflow source against real stores: a SQLite file and an `mlflow server` over HTTP."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from portal.sources.mlflow_records import RegistrySnapshot, SourceRun
from portal.sources.mlflow_source import MlflowSource, MlflowUnavailable
from tests.support.mlflow_fixtures import AwkwardStore
from tests.support.mlflow_stores import AwkwardRegistry, add_many_models, free_loopback_port

STORES = [
    pytest.param("awkward_sqlite_store", id="sqlite"),
    pytest.param("awkward_server_store", id="server", marks=pytest.mark.server),
]
FAST_FAILURE_S = 15.0


@pytest.fixture(scope="module", params=STORES)
def store(request: pytest.FixtureRequest) -> AwkwardStore:
    """Each awkward store in turn; the module's tests run once per store."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def registry(store: AwkwardStore) -> AwkwardRegistry:
    """What the store was filled with."""
    return store.registry


@pytest.fixture(scope="module")
def snapshot(store: AwkwardStore) -> RegistrySnapshot:
    """The registry as the source reads it."""
    return MlflowSource(store.tracking_uri).read_registry()


@pytest.fixture(scope="module")
def runs(store: AwkwardStore) -> dict[str, SourceRun]:
    """Every run the builder logged, the deleted one and an unknown id, read by the source."""
    registry = store.registry
    wanted = [*registry.runs, registry.deleted_run_id, "0123456789abcdef0123456789abcdef"]
    return MlflowSource(store.tracking_uri).read_runs(wanted)


def _versions_by_model(snapshot: RegistrySnapshot) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for version in snapshot.versions:
        found.setdefault(version.model_name, []).append(version.version)
    return {name: tuple(sorted(numbers)) for name, numbers in found.items()}


def test_every_model_is_listed_with_its_remaining_versions(
    snapshot: RegistrySnapshot, registry: AwkwardRegistry
) -> None:
    assert sorted(model.name for model in snapshot.models) == sorted(registry.versions)
    assert _versions_by_model(snapshot) == registry.versions
    model, deleted = registry.deleted_version
    assert deleted not in _versions_by_model(snapshot)[model]


def test_model_tags_aliases_and_version_tags(
    snapshot: RegistrySnapshot, registry: AwkwardRegistry
) -> None:
    assert {model.name: model.tags for model in snapshot.models} == registry.model_tags
    assert {model.name: model.aliases for model in snapshot.models} == registry.aliases
    version_tags = {(v.model_name, v.version): v.tags for v in snapshot.versions if v.tags}
    assert version_tags == registry.version_tags


def test_legacy_stages_and_runs_behind_versions(
    snapshot: RegistrySnapshot, registry: AwkwardRegistry
) -> None:
    assert {(v.model_name, v.version): v.stage for v in snapshot.versions} == registry.stages
    assert {(v.model_name, v.version): v.run_id for v in snapshot.versions} == (
        registry.version_runs
    )
    assert {v.status for v in snapshot.versions} == {"READY"}
    assert all(v.source == f"runs:/{v.run_id}/model" for v in snapshot.versions)


def test_non_ascii_model_name_round_trips_with_its_production_alias(
    snapshot: RegistrySnapshot, registry: AwkwardRegistry
) -> None:
    model_name, alias, version = registry.production_alias
    (model,) = [model for model in snapshot.models if model.name == model_name]
    assert model.name == registry.unicode_model
    assert model.aliases == {alias: version}
    assert model.tags == registry.model_tags[model_name]
    assert [v.version for v in snapshot.versions if v.model_name == model_name] == [version]


def test_timestamps_are_recent_naive_utc(snapshot: RegistrySnapshot) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    stamps = [m.created_at for m in snapshot.models] + [v.created_at for v in snapshot.versions]
    stamps += [v.updated_at for v in snapshot.versions]
    assert all(stamp is not None and stamp.tzinfo is None for stamp in stamps)
    assert all(now - timedelta(hours=1) < stamp <= now for stamp in stamps if stamp)


def test_runs_carry_what_was_logged(runs: dict[str, SourceRun], registry: AwkwardRegistry) -> None:
    assert sorted(runs) == sorted(registry.runs)
    for run_id, expected in registry.runs.items():
        run = runs[run_id]
        assert (run.run_id, run.experiment_name, run.run_name, run.status) == (
            expected.run_id,
            expected.experiment_name,
            expected.run_name,
            expected.status,
        )
        assert (run.started_at, run.ended_at) == (expected.started_at, expected.ended_at)
        assert (run.user, run.git_commit, run.code_source) == (
            expected.user,
            expected.git_commit,
            expected.code_source,
        )
        assert run.params == expected.params
        assert _nan_safe(run.metrics) == _nan_safe(expected.metrics)
        assert [(d.name, d.digest, d.source_type, d.source, d.context) for d in run.datasets] == [
            (d.name, d.digest, d.source_type, d.source, d.context) for d in expected.datasets
        ]


def test_nan_metric_stays_nan_and_latest_value_wins(
    runs: dict[str, SourceRun], registry: AwkwardRegistry
) -> None:
    champion = registry.aliases[registry.tagged_model]["champion"]
    run = runs[registry.version_runs[registry.tagged_model, champion]]
    assert math.isnan(run.metrics[registry.nan_metric])
    assert run.metrics["accuracy"] == registry.runs[run.run_id].metrics["accuracy"]
    assert {d.context for d in run.datasets} == {"training", "evaluation"}
    assert run.git_commit
    assert run.user


def test_deleted_run_is_absent_but_its_version_remains(
    runs: dict[str, SourceRun], snapshot: RegistrySnapshot, registry: AwkwardRegistry
) -> None:
    assert registry.deleted_run_id not in runs
    orphans = [v for v in snapshot.versions if v.model_name == registry.deleted_run_model]
    assert [v.run_id for v in orphans] == [registry.deleted_run_id]


def test_experiments_are_named_per_run(
    runs: dict[str, SourceRun], registry: AwkwardRegistry
) -> None:
    names = {run.experiment_id: run.experiment_name for run in runs.values()}
    assert sorted(names.values()) == sorted({r.experiment_name for r in registry.runs.values()})


@pytest.fixture
def count_calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], list[int]]:
    """Wrap an MlflowClient method to record the page size of every call."""
    from mlflow import MlflowClient

    def wrap(method_name: str) -> list[int]:
        calls: list[int] = []
        original = getattr(MlflowClient, method_name)

        def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append(kwargs["max_results"])
            return original(self, *args, **kwargs)

        monkeypatch.setattr(MlflowClient, method_name, counted)
        return calls

    return wrap


def test_registry_pagination_reads_everything(
    tmp_path: Path, count_calls: Callable[[str], list[int]]
) -> None:
    tracking_uri = f"sqlite:///{tmp_path / 'many.db'}"
    names = add_many_models(tracking_uri, 7)
    whole = MlflowSource(tracking_uri).read_registry()
    model_pages = count_calls("search_registered_models")
    version_pages = count_calls("search_model_versions")

    paged = MlflowSource(tracking_uri, page_size=2).read_registry()

    assert paged == whole
    assert [model.name for model in paged.models] == names
    assert [(v.model_name, v.version) for v in paged.versions] == [(name, 1) for name in names]
    assert model_pages == [2, 2, 2, 2]
    assert version_pages == [2, 2, 2, 2]


def test_run_pagination_reads_everything(
    awkward_sqlite_store: AwkwardStore, count_calls: Callable[[str], list[int]]
) -> None:
    run_ids = list(awkward_sqlite_store.registry.runs)
    whole = MlflowSource(awkward_sqlite_store.tracking_uri).read_runs(run_ids)
    run_pages = count_calls("search_runs")

    paged = MlflowSource(awkward_sqlite_store.tracking_uri, page_size=2).read_runs(run_ids)

    assert repr(paged) == repr(whole)  # repr, because NaN metrics never compare equal
    assert len(run_pages) == math.ceil(len(run_ids) / 2)


def test_rejected_run_filter_falls_back_to_reading_runs_one_by_one(
    awkward_sqlite_store: AwkwardStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    registry = awkward_sqlite_store.registry
    wanted = [*registry.runs, registry.deleted_run_id, "0123456789abcdef0123456789abcdef"]
    source = MlflowSource(awkward_sqlite_store.tracking_uri)
    searched = source.read_runs(wanted)

    def old_server(*_: Any, **__: Any) -> None:
        raise MlflowException("Invalid filter 'attributes.run_id IN'", INVALID_PARAMETER_VALUE)

    monkeypatch.setattr(MlflowClient, "search_runs", old_server)
    fetched = source.read_runs(wanted)

    assert sorted(fetched) == sorted(registry.runs)
    assert repr(dict(sorted(fetched.items()))) == repr(dict(sorted(searched.items())))


def test_no_run_ids_reads_nothing(tmp_path: Path) -> None:
    assert MlflowSource(f"sqlite:///{tmp_path / 'absent.db'}").read_runs([]) == {}


def test_missing_sqlite_file_is_unavailable_and_not_created(tmp_path: Path) -> None:
    database = tmp_path / "nowhere" / "mlflow.db"
    source = MlflowSource(f"sqlite:///{database}")

    with pytest.raises(MlflowUnavailable, match="does not exist") as registry_error:
        source.read_registry()
    with pytest.raises(MlflowUnavailable, match="does not exist"):
        source.read_runs(["0123456789abcdef0123456789abcdef"])

    assert str(database) in str(registry_error.value)
    assert not database.exists()


def _timed_failure(source: MlflowSource) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(MlflowUnavailable) as error:
        source.read_registry()
    return str(error.value), time.monotonic() - started


def unreachable_failure() -> tuple[str, float, int]:
    """Read a registry nobody listens for: the message, the seconds, and the port."""
    port = free_loopback_port()
    message, elapsed = _timed_failure(
        MlflowSource(f"http://alice:s3cret@127.0.0.1:{port}", timeout_seconds=2)
    )
    return message, elapsed, port


# Hang guards, not timings: a call that never gave up would run into this limit.
@pytest.mark.timeout(120)
def test_unreachable_server_fails_with_a_plain_message() -> None:
    timeout_before = os.environ.get("MLFLOW_HTTP_REQUEST_TIMEOUT")
    message, _, port = unreachable_failure()
    assert message == f"MLflow at http://127.0.0.1:{port} could not be reached"
    assert os.environ.get("MLFLOW_HTTP_REQUEST_TIMEOUT") == timeout_before


@pytest.mark.perf
def test_unreachable_server_fails_fast(bench_figure) -> None:
    _, elapsed, _ = unreachable_failure()
    bench_figure(f"unreachable MLflow reported after {elapsed:.1f} s (2 s limit)")
    assert elapsed < FAST_FAILURE_S


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.timeout(120)
def test_silent_server_times_out_after_its_limit(silent_server: str) -> None:
    message, elapsed = _timed_failure(MlflowSource(silent_server, timeout_seconds=2, max_retries=1))
    assert message == f"MLflow at {silent_server} did not answer within 2 s"
    assert elapsed >= 2  # it waited for the limit (a slow machine only waits longer)


@pytest.mark.perf
def test_silent_server_times_out_within_the_limits(silent_server: str, bench_figure) -> None:
    _, elapsed = _timed_failure(MlflowSource(silent_server, timeout_seconds=2, max_retries=1))
    bench_figure(f"silent MLflow given up after {elapsed:.1f} s (2 s limit, one retry)")
    assert 2 <= elapsed < FAST_FAILURE_S


def test_importing_the_source_does_not_import_mlflow() -> None:
    probe = "import sys, portal.sources.mlflow_source; print('mlflow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "False"


def _nan_safe(metrics: dict[str, float]) -> dict[str, object]:
    return {key: "nan" if math.isnan(value) else value for key, value in metrics.items()}
