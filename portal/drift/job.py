"""The drift job: plans which production models need checking, hands each to an executor, and
writes what comes back; only this process writes the store (portal/drift/worker.py checks)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime

from portal.config import Settings
from portal.domain.catalog import SYNTHETIC_TAG
from portal.domain.documentation import effective_tags
from portal.domain.drift import DriftThresholds
from portal.drift.context import ArtifactSource
from portal.drift.executors import Executor, executor_for
from portal.drift.worker import CheckSettings, ModelOutcome, ModelTask
from portal.errors import UnknownModel
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Store
from portal.store.drift_repo import CheckResult, DriftRepository
from portal.store.drift_reports import ReportFiles

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DriftJobResult:
    """What one run of the job did."""

    job_id: int
    outcomes: dict[str, str]  # model name -> outcome of its current-window check, or 'unchanged'
    summaries: dict[str, str]  # model name -> one line for operators: status or reason
    checks_saved: int
    elapsed_seconds: float
    executor: str = "local"

    @property
    def failed(self) -> list[str]:
        return [name for name, outcome in self.outcomes.items() if outcome == "failed"]

    @property
    def unchanged(self) -> list[str]:
        return [name for name, outcome in self.outcomes.items() if outcome == "unchanged"]


def check_settings(settings: Settings) -> CheckSettings:
    """The settings every task carries."""
    return CheckSettings(
        inference_location=settings.inference_dir,
        artifact_path=settings.reference_artifact_path,
        window_days=settings.drift_window_days,
        history_weeks=settings.drift_history_weeks,
        sample_rows=settings.drift_sample_rows,
        min_rows=settings.drift_min_rows,
        thresholds=DriftThresholds(
            settings.drift_watch_share,
            settings.drift_alert_share,
            settings.drift_alert_strength,
            settings.drift_minor_importance,
        ),
    )


def run_drift_job(
    store: Store,
    settings: Settings,
    artifacts: ArtifactSource,
    trigger: str,
    triggered_by: str = "",
    model_name: str | None = None,
    now: datetime | None = None,
    executor: Executor | None = None,
) -> DriftJobResult:
    """Check every production model (or one); one model failing never stops the others."""
    from portal.clock import utc_now

    now = now or utc_now()
    started = time.perf_counter()
    executor = executor or executor_for(settings.drift_executor, settings.ray_address)
    repo = DriftRepository(store)
    tasks = _plan(store, repo, settings, model_name, now)
    writer = _Writer(store, repo, ReportFiles(settings.drift_reports_dir), now)
    job_id = repo.start_job(trigger, triggered_by, model_name, utc_now(), executor.name)
    try:
        for outcome in executor.run(tasks, artifacts):
            writer.write(job_id, outcome)
    except Exception as exc:
        repo.finish_job(job_id, utc_now(), "failed", len(writer.outcomes), 0, str(exc))
        raise
    writer.confirm_unchanged()
    failed = sum(outcome == "failed" for outcome in writer.outcomes.values())
    unchanged = sum(outcome == "unchanged" for outcome in writer.outcomes.values())
    repo.finish_job(
        job_id, utc_now(), "ok", len(writer.outcomes), failed, None, unchanged=unchanged
    )
    return DriftJobResult(
        job_id,
        writer.outcomes,
        writer.summaries,
        writer.saved,
        time.perf_counter() - started,
        executor.name,
    )


def _plan(
    store: Store, repo: DriftRepository, settings: Settings, model_name: str | None, now: datetime
) -> list[ModelTask]:
    """One task per production model, with what the store knows of its earlier checks."""
    # Synthetic demo models (portal demo --scale) log nothing: their drift results are
    # simulated by the demo, and a check would only replace them with "not monitored".
    models = repo.production_models(unless_tagged=SYNTHETIC_TAG)
    if model_name is not None:
        models = [model for model in models if model["name"] == model_name]
        if not models:
            raise UnknownModel(f"'{model_name}' is not a model in production")
    from portal.store.importance_repo import ImportanceRepository

    config = check_settings(settings)
    weeks = repo.week_fingerprints()
    current = repo.current_fingerprints()
    tags = {
        name: effective_tags(*levels)
        for name, levels in group_tags(CatalogRepository(store).effective_tag_rows()).items()
    }
    importance = ImportanceRepository(store).production_shares()
    return [
        ModelTask(
            model_name=model["name"],
            model_version=model["version"],
            run_id=model["run_id"],
            tags=tags.get(model["name"], {}),
            now=now,
            settings=config,
            known_weeks=weeks.get(model["name"], {}),
            current_fingerprint=current.get(model["name"], (0, ""))[1],
            importance=importance.get(model["name"]),
        )
        for model in models
    ]


class _Writer:
    """Writes each outcome as it arrives: checks, reports, and the analyses beside them."""

    def __init__(self, store: Store, repo: DriftRepository, reports: ReportFiles, now) -> None:
        self.store = store
        self.repo = repo
        self.reports = reports
        self.now = now
        self.outcomes: dict[str, str] = {}
        self.summaries: dict[str, str] = {}
        self.saved = 0
        self._unchanged: list[str] = []

    def write(self, job_id: int, outcome: ModelOutcome) -> None:
        from portal.store.estimation_repo import EstimationRepository
        from portal.store.fairness_repo import FairnessRepository
        from portal.store.importance_repo import ImportanceRepository

        name = outcome.model_name
        for check in outcome.checks:
            _, released = self.repo.save_check(job_id, self._with_report(check))
            for report in released:
                self.reports.delete(report)
            self.saved += 1
        version = outcome.checks[-1].model_version if outcome.checks else None
        if version is not None and outcome.importance is not None:
            ImportanceRepository(self.store).save(
                name, version, outcome.importance, self.now, outcome.importance_problem
            )
        if outcome.estimates is not None:
            EstimationRepository(self.store).replace(
                name, version, outcome.estimates, self.now, reason=outcome.estimate_reason
            )
        if outcome.fairness is not None:
            FairnessRepository(self.store).replace(name, version, outcome.fairness, self.now)
        for note in outcome.notes:
            log.warning("drift job, %s: %s", name, note)
        self.outcomes[name] = outcome.outcome
        self.summaries[name] = (
            "unchanged: nothing new since the last check"
            if outcome.unchanged
            else _summary(outcome.checks[-1])
        )
        if outcome.unchanged:
            self._unchanged.append(name)

    def confirm_unchanged(self) -> None:
        """The newest current checks of models whose logs did not change hold at this job."""
        if not self._unchanged:
            return
        current = self.repo.current_fingerprints()
        ids = [current[name][0] for name in self._unchanged if name in current]
        self.repo.confirm_current(ids, self.now)

    def _with_report(self, check: CheckResult) -> CheckResult:
        if not check.report_html:
            return check
        return replace(check, report=self.reports.write(check.report_html), report_html=None)


def _summary(check: CheckResult) -> str:
    """A line for the command line and logs: the traffic light, or why there is none."""
    if check.outcome == "checked":
        return f"{check.status}: {check.inputs_changed} of {check.inputs_total} inputs changed"
    detail = f" ({check.detail})" if check.detail else ""
    return f"{check.outcome.replace('_', ' ')}: {check.reason.replace('_', ' ')}{detail}"
