"""The drift job: per production model, compare recent inference logs with the reference sample."""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pandas as pd

from portal.config import Settings
from portal.domain.catalog import SYNTHETIC_TAG
from portal.domain.drift import (
    CHANGED_STATES,
    DriftThresholds,
    current_window,
    deciding_strength,
    drift_status,
    drift_strength,
    weekly_windows,
)
from portal.drift.align import Aligned, InputState, align
from portal.drift.quality import production_quality
from portal.drift.summaries import distribution
from portal.errors import UnknownModel
from portal.sources.inference_logs import (
    InferenceLogs,
    InferenceLogsUnreadable,
    UnsafeLogFolder,
    WindowSample,
)
from portal.store.database import Row, Store
from portal.store.drift_repo import CheckResult, DistributionRow, DriftRepository, FeatureResult
from portal.store.drift_reports import ReportFiles

if TYPE_CHECKING:
    from portal.drift.evidently_check import ColumnDrift

log = logging.getLogger(__name__)

REFERENCE_SEED = 42


class ArtifactSource(Protocol):
    """Where reference samples come from: the MLflow run of the production version."""

    def download_artifacts(
        self, run_id: str, artifact_path: str, destination: Path
    ) -> Path | None: ...


@dataclass(frozen=True)
class DriftJobResult:
    """What one run of the job did."""

    job_id: int
    outcomes: dict[str, str]  # model name -> outcome of its current-window check
    summaries: dict[str, str]  # model name -> one line for operators: status or reason
    checks_saved: int
    elapsed_seconds: float

    @property
    def failed(self) -> list[str]:
        return [name for name, outcome in self.outcomes.items() if outcome == "failed"]


@dataclass(frozen=True)
class _Config:
    """The settings the job uses, read once."""

    inference_dir: Path
    reports: ReportFiles
    artifact_path: str
    window_days: int
    history_weeks: int
    sample_rows: int
    min_rows: int
    thresholds: DriftThresholds

    @classmethod
    def of(cls, settings: Settings) -> _Config:
        return cls(
            inference_dir=settings.inference_dir,
            reports=ReportFiles(settings.drift_reports_dir),
            artifact_path=settings.reference_artifact_path,
            window_days=settings.drift_window_days,
            history_weeks=settings.drift_history_weeks,
            sample_rows=settings.drift_sample_rows,
            min_rows=settings.drift_min_rows,
            thresholds=DriftThresholds(
                settings.drift_watch_share,
                settings.drift_alert_share,
                settings.drift_alert_strength,
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
) -> DriftJobResult:
    """Check every production model (or one); one model failing never stops the others."""
    from portal.clock import utc_now

    now = now or utc_now()
    started = time.perf_counter()
    repo = DriftRepository(store)
    # Synthetic demo models (portal demo --scale) log nothing: their drift results are
    # simulated by the demo, and a check would only replace them with "not monitored".
    models = repo.production_models(unless_tagged=SYNTHETIC_TAG)
    if model_name is not None:
        models = [model for model in models if model["name"] == model_name]
        if not models:
            raise UnknownModel(f"'{model_name}' is not a model in production")
    config = _Config.of(settings)
    job_id = repo.start_job(trigger, triggered_by, model_name, utc_now())
    outcomes: dict[str, str] = {}
    summaries: dict[str, str] = {}
    saved = 0
    try:
        for model in models:
            checks = _ModelCheck(model, config, artifacts, repo, now).run()
            for check in checks:
                _, released = repo.save_check(job_id, check)
                for report in released:
                    config.reports.delete(report)
                saved += 1
            outcomes[model["name"]] = checks[-1].outcome
            summaries[model["name"]] = _summary(checks[-1])
    except Exception as exc:
        repo.finish_job(job_id, utc_now(), "failed", len(outcomes), 0, str(exc))
        raise
    failed = sum(outcome == "failed" for outcome in outcomes.values())
    repo.finish_job(job_id, utc_now(), "ok", len(outcomes), failed, None)
    return DriftJobResult(job_id, outcomes, summaries, saved, time.perf_counter() - started)


class _ModelCheck:
    """One model in one job: history weeks not yet checked, then the current window."""

    def __init__(
        self,
        model: Row,
        config: _Config,
        artifacts: ArtifactSource,
        repo: DriftRepository,
        now: datetime,
    ) -> None:
        self.model = model
        self.config = config
        self.artifacts = artifacts
        self.repo = repo
        self.now = now
        self.logs: InferenceLogs  # set by _checks: a name may be refused, which is a result

    def run(self) -> list[CheckResult]:
        """Checks to store, the current window last; an error becomes a failed check."""
        started = time.perf_counter()
        try:
            return self._checks()
        except Exception as exc:  # one model's problem must not stop the job
            log.exception("drift check of %s failed", self.model["name"])
            return [self._result("current", None, started, "failed", "error", _first_line(exc))]

    def _checks(self) -> list[CheckResult]:
        started = time.perf_counter()
        window = current_window(self.now, self.config.window_days)
        try:
            self.logs = InferenceLogs(self.config.inference_dir, self.model["name"])
        except UnsafeLogFolder as exc:
            return [
                self._result(
                    "current", window, started, "not_monitored", "unsafe_log_folder", str(exc)
                )
            ]
        if not self.logs.exists():
            return [
                self._result(
                    "current", window, started, "not_monitored", "no_logs", str(self.logs.folder)
                )
            ]
        if not self.model["run_id"]:
            return [self._result("current", window, started, "not_monitored", "no_run")]
        reference = self._reference()
        if reference is None:
            return [
                self._result(
                    "current",
                    window,
                    started,
                    "not_monitored",
                    "no_reference",
                    self.config.artifact_path,
                )
            ]
        if len(reference) < self.config.min_rows:
            return [
                self._result(
                    "current",
                    window,
                    started,
                    "not_monitored",
                    "reference_too_small",
                    str(len(reference)),
                    reference_rows=len(reference),
                )
            ]
        sampled = _sample(reference, self.config.sample_rows)
        checks = []
        known = self.repo.week_fingerprints(self.model["name"])
        for week in weekly_windows(self.now, self.config.history_weeks):
            try:
                stats = self.logs.window_stats(*week)
            except InferenceLogsUnreadable as exc:
                return [
                    self._result("current", window, started, "failed", "logs_unreadable", str(exc))
                ]
            fingerprint = self._fingerprint(stats.fingerprint)
            if known.get(week[0]) == fingerprint:
                continue
            checks.append(self._compare("week", week, reference, sampled, fingerprint, False))
        try:
            current = self._compare("current", window, reference, sampled, "", True)
            checks.append(replace(current, latest_log_at=self.logs.latest_timestamp()))
        except InferenceLogsUnreadable as exc:
            checks.append(
                self._result("current", window, started, "failed", "logs_unreadable", str(exc))
            )
        return checks

    def _fingerprint(self, window_fingerprint: str) -> str:
        """Same logs, same reference, same settings: the stored week result still holds."""
        config = self.config
        return (
            f"{window_fingerprint}|{self.model['run_id']}|{config.sample_rows}|{config.min_rows}"
            f"|{config.thresholds}"
        )

    def _reference(self) -> pd.DataFrame | None:
        """The reference sample logged with the production version's run, all Parquet parts."""
        with tempfile.TemporaryDirectory(prefix="reference-") as folder:
            local = self.artifacts.download_artifacts(
                self.model["run_id"], self.config.artifact_path, Path(folder)
            )
            if local is None:
                return None
            files = [local] if local.is_file() else sorted(local.rglob("*.parquet"))
            if not files:
                return None
            return pd.concat([pd.read_parquet(file) for file in files], ignore_index=True)

    def _compare(
        self,
        kind: str,
        window: tuple[datetime, datetime],
        reference: pd.DataFrame,
        sampled: pd.DataFrame,
        fingerprint: str,
        with_report: bool,
    ) -> CheckResult:
        started = time.perf_counter()
        sample = self.logs.read_window(*window, max_rows=self.config.sample_rows)
        sizes = {
            "reference_rows": len(reference),
            "reference_sampled": len(sampled),
            "window_rows": sample.stats.rows,
            "window_sampled": len(sample.frame),
            "labelled_rows": sample.stats.labelled_rows,
        }
        if sample.stats.rows == 0:
            return self._result(
                kind, window, started, "no_data", "empty_window", fingerprint=fingerprint, **sizes
            )
        if sample.stats.rows < self.config.min_rows:
            return self._result(
                kind,
                window,
                started,
                "no_data",
                "too_few_rows",
                str(sample.stats.rows),
                fingerprint=fingerprint,
                **sizes,
            )
        return self._evaluate(
            kind, window, sampled, sample, fingerprint, with_report, started, sizes
        )

    def _evaluate(
        self,
        kind: str,
        window: tuple[datetime, datetime],
        reference: pd.DataFrame,
        sample: WindowSample,
        fingerprint: str,
        with_report: bool,
        started: float,
        sizes: dict[str, int],
    ) -> CheckResult:
        # Evidently takes seconds to import: only when there is something to compare.
        from portal.drift.evidently_check import run_drift

        aligned = align(reference, sample.frame, self.config.min_rows)
        drift = run_drift(
            aligned.reference, aligned.window, aligned.numeric, aligned.categorical, with_report
        )
        features = _feature_results(aligned, drift.columns)
        inputs = [feature for feature in features if feature.role == "input"]
        changed = sum(_is_changed(feature) for feature in inputs)
        prediction_drifted = any(f.drifted for f in features if f.role == "prediction")
        strongest = deciding_strength(
            [(f.strength, f.method) for f in inputs], self.config.thresholds
        )
        _, quality = production_quality(sample.frame, self.config.min_rows)
        report = self.config.reports.write(drift.report_html) if drift.report_html else None
        return self._result(
            kind,
            window,
            started,
            "checked",
            status=drift_status(
                len(inputs), changed, prediction_drifted, strongest, self.config.thresholds
            ),
            inputs_total=len(inputs),
            inputs_changed=changed,
            strongest_change=strongest,
            added_columns=", ".join(aligned.added_columns),
            fingerprint=fingerprint,
            report=report,
            features=tuple(features),
            distributions=tuple(_distributions(aligned, reference, sample.frame)),
            quality=quality,
            **sizes,
        )

    def _result(
        self,
        kind: str,
        window: tuple[datetime, datetime] | None,
        started: float,
        outcome: str,
        reason: str = "",
        detail: str = "",
        **fields: object,
    ) -> CheckResult:
        return CheckResult(
            model_name=self.model["name"],
            model_version=self.model["version"],
            reference_run_id=self.model["run_id"],
            window_kind=kind,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            checked_at=self.now,
            duration_seconds=time.perf_counter() - started,
            outcome=outcome,
            reason=reason,
            detail=detail,
            **fields,  # type: ignore[arg-type]
        )


def _summary(check: CheckResult) -> str:
    """A line for the command line and logs: the traffic light, or why there is none."""
    if check.outcome == "checked":
        return f"{check.status}: {check.inputs_changed} of {check.inputs_total} inputs changed"
    detail = f" ({check.detail})" if check.detail else ""
    return f"{check.outcome.replace('_', ' ')}: {check.reason.replace('_', ' ')}{detail}"


def _feature_results(aligned: Aligned, drift: dict[str, ColumnDrift]) -> list[FeatureResult]:
    """Evidently's verdict per compared column; inputs it could not compare keep their state."""
    states = [*((state, "input") for state in aligned.inputs)]
    if aligned.prediction is not None:
        states.append((aligned.prediction, "prediction"))
    return [_feature_result(state, role, drift.get(state.feature)) for state, role in states]


def _feature_result(state: InputState, role: str, drift: ColumnDrift | None) -> FeatureResult:
    common = {
        "feature": state.feature,
        "role": role,
        "kind": state.kind,
        "state": state.state,
        "missing_share_reference": state.missing_share_reference,
        "missing_share_window": state.missing_share_window,
        "new_categories": ", ".join(state.new_categories),
    }
    if drift is None:
        return FeatureResult(**common, drifted=state.state in CHANGED_STATES)
    return FeatureResult(
        **common,
        method=drift.method,
        threshold=drift.threshold,
        score=drift.score,
        strength=drift_strength(drift.score, drift.threshold, drift.method),
        drifted=drift.drifted,
    )


def _is_changed(feature: FeatureResult) -> bool:
    return feature.drifted or feature.state in CHANGED_STATES


def _distributions(
    aligned: Aligned, reference: pd.DataFrame, window: pd.DataFrame
) -> list[DistributionRow]:
    """Buckets for every compared column, and for inputs production stopped filling."""
    rows = []
    states = [*aligned.inputs, *([aligned.prediction] if aligned.prediction else [])]
    for state in states:
        if state.state == "compared":
            ref_values, win_values = aligned.reference[state.feature], aligned.window[state.feature]
        elif state.state == "all_missing":
            ref_values, win_values = reference[state.feature], window[state.feature]
        else:
            continue
        for bucket in distribution(ref_values, win_values, state.kind):
            rows.append(
                DistributionRow(
                    state.feature,
                    bucket.position,
                    bucket.label,
                    bucket.lower_edge,
                    bucket.upper_edge,
                    bucket.reference_share,
                    bucket.window_share,
                )
            )
    return rows


def _sample(frame: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """At most max_rows rows, the same ones every time."""
    if len(frame) <= max_rows:
        return frame
    return frame.sample(n=max_rows, random_state=REFERENCE_SEED).reset_index(drop=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:500]
