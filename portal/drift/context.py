"""What a worker knows about one model while it checks it: the contract between the drift job's
per-model check (portal/drift/worker.py) and the analyses it runs beside the drift tests
(performance estimation, fairness, input importance)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd


class ArtifactSource(Protocol):
    """What a worker reads from MLflow: the version run's reference sample and the model."""

    def download_artifacts(
        self, run_id: str, artifact_path: str, destination: Path
    ) -> Path | None: ...

    def load_model(self, model_name: str, version: int) -> Any: ...


@dataclass
class ModelContext:
    """One production model in one job, on whichever machine runs its check."""

    model_name: str
    model_version: int | None
    run_id: str
    tags: Mapping[str, str]  # effective tags, a version's over its model's (fairness_groups, ...)
    reference: pd.DataFrame  # inputs, label, prediction and score when logged; sampled
    weeks: tuple[tuple[datetime, datetime], ...]  # the history's calendar weeks, oldest first
    current: tuple[datetime, datetime]  # the current window
    min_rows: int
    sample_rows: int
    now: datetime
    # The sampled rows of [start, end): inputs, label, prediction and score when logged, no
    # timestamp; read once per window and shared by the drift tests and the other analyses.
    rows: Callable[[datetime, datetime], pd.DataFrame]
    artifacts: ArtifactSource
    # Stored importance share per input of this version; None while not computed yet.
    importance: Mapping[str, float] | None = None
    notes: list[str] = field(default_factory=list)  # problems of the extra analyses, one line each
