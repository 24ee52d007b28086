"""Reads MLflow's model registry and tracking runs into plain records; the only mlflow user."""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from portal.config import redact_uri
from portal.sources.mlflow_records import (
    RegistrySnapshot,
    SourceDataset,
    SourceModel,
    SourceRun,
    SourceVersion,
)

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from mlflow.entities import DatasetInput, Run
    from mlflow.entities.model_registry import ModelVersion, RegisteredModel

T = TypeVar("T")

# The portal reads MLflow; it must not report usage to MLflow's makers from a company network.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
# Artifact downloads run in background jobs; progress bars would only clutter the server log.
os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")

# Largest page each MLflow search accepts (server handlers and SQL stores agree on these).
_MODELS_PAGE_MAX = 1000
_VERSIONS_PAGE_MAX = 200_000
_RUNS_PAGE_MAX = 50_000
_EXPERIMENTS_PAGE_MAX = 50_000
_RUN_IDS_PER_QUERY = 100
# Keeps run ids plus experiment ids under SQLite's historical limit of 999 bound parameters.
_EXPERIMENTS_PER_QUERY = 500
_MAX_RETRIES_LIMIT = 10  # MLflow refuses more (_MLFLOW_HTTP_REQUEST_MAX_RETRIES_LIMIT)
_RUN_ID = re.compile(r"[0-9A-Za-z_-]+")
_CONTEXT_TAG = "mlflow.data.context"
_PROMPT_TAG = "mlflow.prompt.is_prompt"
_EPOCH = datetime(1970, 1, 1)

# MLflow reads its HTTP timeout and retry limits from the environment on every request, so
# they are set only while a source reads; the lock stops two sources mixing their limits.
_http_limits_lock = threading.Lock()


class MlflowUnavailable(Exception):
    """MLflow could not be reached or read; str(exc) is a plain message, safe to show users."""


class _RequestRejected(MlflowUnavailable):
    """MLflow refused a request as invalid, e.g. a filter an older server does not support."""


class _NotFound(MlflowUnavailable):
    """MLflow reports that the requested object does not exist."""


class MlflowSource:
    """One MLflow tracking server or store, read page by page into plain records."""

    def __init__(
        self,
        tracking_uri: str,
        *,
        timeout_seconds: float = 10.0,
        max_retries: int = 1,
        page_size: int = 1000,
    ) -> None:
        if timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        if not 0 <= max_retries <= _MAX_RETRIES_LIMIT:
            raise ValueError(f"max_retries must be between 0 and {_MAX_RETRIES_LIMIT}")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._uri = tracking_uri
        self._display_uri = redact_uri(tracking_uri)
        # MLflow takes whole seconds only.
        self._timeout_s = max(1, math.ceil(timeout_seconds))
        self._max_retries = max_retries
        self._page_size = page_size

    def read_registry(self) -> RegistrySnapshot:
        """List all registered models with tags and aliases, and all their versions."""
        with self._http_limits():
            client = self._client()
            models = [
                _model(model)
                for model in self._pages(
                    client.search_registered_models,
                    max_results=min(self._page_size, _MODELS_PAGE_MAX),
                    order_by=["name ASC"],
                )
            ]
            # Version search also lists prompt versions (MLflow 3 keeps prompts as registered
            # models, hidden from the model search) and models registered since the first page.
            names = {model.name for model in models}
            versions = [
                _version(version)
                for version in self._pages(
                    client.search_model_versions,
                    max_results=min(self._page_size, _VERSIONS_PAGE_MAX),
                    order_by=["name ASC", "version_number ASC"],
                )
                if version.name in names
            ]
        return RegistrySnapshot(models=tuple(models), versions=tuple(versions))

    def read_model(self, name: str) -> RegistrySnapshot:
        """One registered model with its tags, aliases and versions; empty when MLflow has none."""
        with self._http_limits():
            client = self._client()
            try:
                model = self._call(client.get_registered_model, name)
            except _NotFound:
                return RegistrySnapshot(models=(), versions=())
            # The full sync lists models through the model search, which hides prompts.
            if model.tags.get(_PROMPT_TAG, "").lower() == "true":
                return RegistrySnapshot(models=(), versions=())
            quoted = _filter_literal(name)
            listed = self._pages(
                client.search_model_versions,
                max_results=min(self._page_size, _VERSIONS_PAGE_MAX),
                order_by=["version_number ASC"],
                **({"filter_string": f"name = {quoted}"} if quoted else {}),
            )
            versions = [_version(version) for version in listed if version.name == name]
        return RegistrySnapshot(models=(_model(model),), versions=tuple(versions))

    def read_runs(self, run_ids: Iterable[str]) -> dict[str, SourceRun]:
        """Read the given runs; deleted or unknown runs are absent from the result."""
        wanted = sorted({run_id for run_id in run_ids if run_id and _RUN_ID.fullmatch(run_id)})
        if not wanted:
            return {}
        with self._http_limits():
            client = self._client()
            experiments = self._experiment_names(client)
            try:
                runs = self._search_runs(client, wanted, sorted(experiments))
            except _RequestRejected:
                runs = self._get_runs(client, wanted)
        return {
            run.info.run_id: _run(run, experiments.get(run.info.experiment_id, "")) for run in runs
        }

    def download_artifacts(self, run_id: str, artifact_path: str, destination: Path) -> Path | None:
        """Copy a run's artifact folder or file to `destination`; None when the run has none."""
        if not _RUN_ID.fullmatch(run_id):
            return None
        with self._http_limits():
            client = self._client()
            parent, _, name = artifact_path.strip("/").rpartition("/")
            listed = self._call(client.list_artifacts, run_id, parent or None)
            if not any(item.path.rstrip("/").rpartition("/")[2] == name for item in listed):
                return None
            local = self._call(client.download_artifacts, run_id, artifact_path, str(destination))
        return Path(local)

    def load_model(self, model_name: str, version: int) -> Any:
        """A registered version's model to predict with: the scikit-learn estimator, or MLflow's
        generic (pyfunc) model for other flavours.

        MLflow 3.17 deserializes no sklearn model unless MLFLOW_ALLOW_PICKLE_DESERIALIZATION is
        true. A skops model names the types it needs in its MLmodel file (logged with
        `skops_trusted_types`, which `mlflow.sklearn.load_model` reads from there) and skops
        refuses every other type, so the portal allows skops for this one load; pickle and
        cloudpickle, which can run any code when loaded, only if the operator set the variable.
        """
        import tempfile

        from mlflow.artifacts import download_artifacts
        from mlflow.models import Model

        allow = "MLFLOW_ALLOW_PICKLE_DESERIALIZATION"
        with tempfile.TemporaryDirectory(prefix="model-") as folder:
            with self._http_limits():
                client = self._client()
                # The version's own artifact location: models:/ URIs would resolve through
                # MLflow's process-wide registry URI, not this source's.
                uri = self._call(client.get_model_version_download_uri, model_name, str(version))
                local = self._call(
                    download_artifacts, artifact_uri=uri, dst_path=folder, tracking_uri=self._uri
                )
            flavors = self._call(Model.load, local).flavors
            sklearn = flavors.get("sklearn")
            operator_allows = os.environ.get(allow, "").lower() in ("true", "1")
            if sklearn and sklearn.get("serialization_format") != "skops" and not operator_allows:
                raise MlflowUnavailable(
                    f"model {model_name} version {version} is saved with pickle, which can run"
                    f" any code when loaded; it is loaded only when {allow}=true is set"
                )
            if sklearn:
                import mlflow.sklearn as load_from
            else:
                import mlflow.pyfunc as load_from
            # MLflow reads the variable on every load; the lock keeps it set for this one only.
            with _http_limits_lock:
                saved = os.environ.get(allow)
                if sklearn:
                    os.environ[allow] = "true"
                try:
                    return load_from.load_model(local)
                except Exception as exc:
                    reason = (str(exc).strip().splitlines() or [""])[0][:300]
                    raise MlflowUnavailable(
                        f"model {model_name} version {version} could not be loaded"
                        f" ({type(exc).__name__}{': ' + reason if reason else ''})"
                    ) from exc
                finally:
                    if saved is None:
                        os.environ.pop(allow, None)
                    else:
                        os.environ[allow] = saved

    def _client(self) -> MlflowClient:
        if (
            urlsplit(self._uri).scheme.startswith("sqlite")
            and not _sqlite_path(self._uri).is_file()
        ):
            # MLflow would silently create an empty store instead.
            raise MlflowUnavailable(f"MLflow store {self._display_uri} does not exist")
        from mlflow import MlflowClient

        return self._call(MlflowClient, tracking_uri=self._uri, registry_uri=self._uri)

    def _experiment_names(self, client: MlflowClient) -> dict[str, str]:
        from mlflow.entities import ViewType

        return {
            experiment.experiment_id: experiment.name
            for experiment in self._pages(
                client.search_experiments,
                view_type=ViewType.ACTIVE_ONLY,
                max_results=min(self._page_size, _EXPERIMENTS_PAGE_MAX),
                order_by=["experiment_id ASC"],
            )
        }

    def _search_runs(
        self, client: MlflowClient, run_ids: Sequence[str], experiment_ids: Sequence[str]
    ) -> list[Run]:
        from mlflow.entities import ViewType

        runs: list[Run] = []
        for experiment_chunk in _chunks(experiment_ids, _EXPERIMENTS_PER_QUERY):
            for run_chunk in _chunks(run_ids, _RUN_IDS_PER_QUERY):
                quoted = ", ".join(f"'{run_id}'" for run_id in run_chunk)
                runs.extend(
                    self._pages(
                        client.search_runs,
                        experiment_ids=list(experiment_chunk),
                        filter_string=f"attributes.run_id IN ({quoted})",
                        run_view_type=ViewType.ACTIVE_ONLY,
                        max_results=min(self._page_size, _RUNS_PAGE_MAX),
                    )
                )
        return runs

    def _get_runs(self, client: MlflowClient, run_ids: Sequence[str]) -> list[Run]:
        from mlflow.entities import LifecycleStage

        runs: list[Run] = []
        for run_id in run_ids:
            try:
                run = self._call(client.get_run, run_id)
            except _NotFound:
                continue
            if run.info.lifecycle_stage == LifecycleStage.ACTIVE:
                runs.append(run)
        return runs

    def _pages(self, search: Callable[..., Any], **kwargs: Any) -> Iterator[Any]:
        """Yield every item of a paginated MLflow search."""
        token = None
        while True:
            page = self._call(search, page_token=token, **kwargs)
            yield from page
            token = page.token
            if not token:
                return

    def _call(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        try:
            return function(*args, **kwargs)
        # MLflow surfaces HTTP, database driver and store errors under many exception types.
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: Exception) -> MlflowUnavailable:
        import requests
        import urllib3

        where = f"MLflow at {self._display_uri}"
        chain = list(_exception_chain(exc))
        # urllib3 derives NewConnectionError (refused, unknown host) from its timeout error.
        refused = (ConnectionError, urllib3.exceptions.NewConnectionError)
        timeouts = (TimeoutError, requests.exceptions.Timeout, urllib3.exceptions.TimeoutError)
        if not any(isinstance(error, refused) for error in chain) and any(
            isinstance(error, timeouts) for error in chain
        ):
            return MlflowUnavailable(f"{where} did not answer within {self._timeout_s} s")
        if any(
            isinstance(error, (*refused, requests.exceptions.ConnectionError)) for error in chain
        ):
            return MlflowUnavailable(f"{where} could not be reached")
        code = getattr(exc, "error_code", None) or type(exc).__name__
        if code in ("UNAUTHENTICATED", "PERMISSION_DENIED"):
            return MlflowUnavailable(f"{where} refused access; check the credentials")
        if code == "INVALID_PARAMETER_VALUE":
            return _RequestRejected(f"{where} rejected the request ({code})")
        if code == "RESOURCE_DOES_NOT_EXIST":
            return _NotFound(f"{where} does not know the requested object ({code})")
        return MlflowUnavailable(f"{where} could not be read ({code})")

    @contextmanager
    def _http_limits(self) -> Iterator[None]:
        if urlsplit(self._uri).scheme not in ("http", "https"):
            yield
            return
        limits = {
            "MLFLOW_HTTP_REQUEST_TIMEOUT": str(self._timeout_s),
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES": str(self._max_retries),
            # Defaults (factor 2, jitter 1 s) stretch a few retries into minutes.
            "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
            "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "0",
        }
        with _http_limits_lock:
            saved = {name: os.environ.get(name) for name in limits}
            os.environ.update(limits)
            try:
                yield
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value


def release_sql_store(tracking_uri: str) -> None:
    """Close MLflow's pooled connections to a SQL store, before its database file is deleted.

    MLflow keeps one engine per URI for the life of the process; a store rebuilt at the same
    path would otherwise be read and written through connections to the deleted file.
    """
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistryStore
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore as TrackingStore

    for store_class in (TrackingStore, RegistryStore):
        engines = getattr(store_class, "_engine_map", {})
        engine = engines.pop(tracking_uri, None)
        if engine is not None:
            engine.dispose()


def _model(model: RegisteredModel) -> SourceModel:
    return SourceModel(
        name=model.name,
        description=model.description or "",
        created_at=_from_ms(model.creation_timestamp),
        updated_at=_from_ms(model.last_updated_timestamp),
        tags=dict(model.tags),
        aliases={alias: int(version) for alias, version in model.aliases.items()},
    )


def _version(version: ModelVersion) -> SourceVersion:
    return SourceVersion(
        model_name=version.name,
        version=int(version.version),
        run_id=version.run_id or None,
        source=version.source or "",
        status=version.status or "",
        stage=version.current_stage or "None",
        description=version.description or "",
        created_at=_from_ms(version.creation_timestamp),
        updated_at=_from_ms(version.last_updated_timestamp),
        registered_by=version.user_id or "",
        tags=dict(version.tags),
    )


def _run(run: Run, experiment_name: str) -> SourceRun:
    info, tags = run.info, run.data.tags
    dataset_inputs = run.inputs.dataset_inputs if run.inputs else []
    return SourceRun(
        run_id=info.run_id,
        experiment_id=info.experiment_id,
        experiment_name=experiment_name,
        run_name=info.run_name or "",
        status=info.status,
        started_at=_from_ms(info.start_time),
        ended_at=_from_ms(info.end_time),
        user=tags.get("mlflow.user") or info.user_id or "",
        git_commit=tags.get("mlflow.source.git.commit", ""),
        code_source=tags.get("mlflow.source.name", ""),
        metrics={key: float(value) for key, value in run.data.metrics.items()},
        params=dict(run.data.params),
        datasets=tuple(_dataset(dataset_input) for dataset_input in dataset_inputs),
    )


def _dataset(dataset_input: DatasetInput) -> SourceDataset:
    dataset = dataset_input.dataset
    context = next((tag.value for tag in dataset_input.tags if tag.key == _CONTEXT_TAG), "")
    return SourceDataset(
        name=dataset.name,
        digest=dataset.digest,
        source_type=dataset.source_type,
        source=dataset.source,
        context=context,
    )


def _from_ms(epoch_ms: int | None) -> datetime | None:
    """Epoch milliseconds as naive UTC; MLflow uses 0 or None for unknown."""
    return _EPOCH + timedelta(milliseconds=epoch_ms) if epoch_ms else None


def _filter_literal(name: str) -> str | None:
    """The name quoted for an MLflow filter; None when it holds both quote characters.

    MLflow's filter parser knows no escapes, so such a name is matched after listing instead.
    """
    if "'" not in name:
        return f"'{name}'"
    if '"' not in name:
        return f'"{name}"'
    return None


def _sqlite_path(uri: str) -> Path:
    # sqlite:///relative.db and sqlite:////absolute.db: the third slash only separates.
    database = uri.split("://", 1)[-1].removeprefix("/")
    return Path(database.split("?", 1)[0])


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and errors wrapped by requests and urllib3."""
    pending: list[object] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(current.args)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
