"""What the MLflow source hands to the sync: plain frozen records, no MLflow types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SourceModel:
    """A registered model as MLflow reports it."""

    name: str
    description: str
    created_at: datetime | None
    updated_at: datetime | None
    tags: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, int] = field(default_factory=dict)  # alias -> version number


@dataclass(frozen=True)
class SourceVersion:
    """One version of a registered model; deleted versions are not listed by MLflow."""

    model_name: str
    version: int
    run_id: str | None
    source: str
    status: str  # READY, PENDING_REGISTRATION, FAILED_REGISTRATION
    stage: str  # legacy stage: None, Staging, Production, Archived
    description: str
    created_at: datetime | None
    updated_at: datetime | None
    registered_by: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceDataset:
    """A dataset logged as an input of a run."""

    name: str
    digest: str
    source_type: str
    source: str
    context: str  # e.g. training, evaluation


@dataclass(frozen=True)
class SourceRun:
    """The training run behind a model version: lineage and metrics."""

    run_id: str
    experiment_id: str
    experiment_name: str
    run_name: str
    status: str  # FINISHED, RUNNING, FAILED, KILLED
    started_at: datetime | None
    ended_at: datetime | None
    user: str
    git_commit: str
    code_source: str  # mlflow.source.name: script or notebook
    metrics: dict[str, float] = field(default_factory=dict)  # latest value; NaN kept
    params: dict[str, str] = field(default_factory=dict)
    datasets: tuple[SourceDataset, ...] = ()


@dataclass(frozen=True)
class RegistrySnapshot:
    """Everything the registry lists at one moment."""

    models: tuple[SourceModel, ...]
    versions: tuple[SourceVersion, ...]
