"""What the portal knows about its models: inventory rows, overview figures, a model's card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.metrics import MetricMeaning
from portal.domain.production import ProductionPeriod

# Marks the synthetic models `portal demo --scale` generates (registered-model tag, value true).
SYNTHETIC_TAG = "portal.synthetic"


@dataclass(frozen=True)
class InventoryRow:
    """One model as the inventory lists it."""

    name: str
    purpose: str
    business_process: str
    business_unit: str
    technical_owner: str
    team: str
    production_version: int | None
    production_since: datetime | None
    version_count: int
    last_trained_at: datetime | None
    documentation_score: float
    documentation_gaps: tuple[str, ...]
    is_demo: bool


@dataclass(frozen=True)
class GroupCount:
    """Models in one business process or unit, and how many of them are in production."""

    name: str
    models: int
    in_production: int


@dataclass(frozen=True)
class Overview:
    """The portfolio at a glance."""

    models: int
    in_production: int
    versions: int
    incompletely_documented: int
    undocumented: int
    processes: tuple[GroupCount, ...]
    units: tuple[GroupCount, ...]
    is_demo: bool


@dataclass(frozen=True)
class MetricFact:
    """A training metric with what it means."""

    name: str
    value: float | None  # None when the run logged no usable number (NaN, infinite)
    meaning: MetricMeaning


@dataclass(frozen=True)
class DatasetFact:
    """A dataset a training run used."""

    name: str
    digest: str
    source_type: str
    source: str
    context: str


@dataclass(frozen=True)
class Lineage:
    """Where a version comes from: run, experiment, code commit, data, person."""

    run_id: str
    run_name: str
    experiment_name: str
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    trained_by: str
    git_commit: str
    code_source: str
    datasets: tuple[DatasetFact, ...]
    params: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class VersionFact:
    """One version in the card's version list."""

    version: int
    stage: str
    aliases: tuple[str, ...]
    status: str
    registered_at: datetime | None
    registered_by: str
    trained_at: datetime | None
    trained_by: str
    run_id: str | None
    deleted_at: datetime | None


@dataclass(frozen=True)
class ModelCard:
    """Everything the portal knows about one model, for its card."""

    name: str
    description: str
    tags: dict[str, str]
    data_sources: tuple[str, ...]
    documentation_score: float
    documentation_gaps: tuple[str, ...]
    is_demo: bool
    production_version: int | None
    production_marker: str | None
    production_since: datetime | None
    first_seen_at: datetime
    history: tuple[ProductionPeriod, ...]
    described_version: int | None  # production version, else the newest one
    versions: tuple[VersionFact, ...]
    metrics: tuple[MetricFact, ...]
    lineage: Lineage | None
