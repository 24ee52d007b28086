"""One model's checks in one drift job, on whichever machine the executor chose.

A worker reads the model's logs and reference sample itself (a folder or object storage, the
MLflow artifact store) and returns what it found; only the server writes the store. Everything
that goes in (`ModelTask`) and comes out (`ModelOutcome`) is a plain, picklable value.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from portal.domain.drift import (
    CHANGED_STATES,
    DriftThresholds,
    current_window,
    deciding_strength,
    drift_status,
    drift_strength,
    importance_weights,
    weekly_windows,
    weight_of_changed,
)
from portal.drift.align import Aligned, InputState, align
from portal.drift.context import ArtifactSource, ModelContext
from portal.drift.quality import production_quality
from portal.drift.summaries import distribution
from portal.sources.inference_logs import (
    InferenceLogs,
    InferenceLogsUnreadable,
    UnsafeLogFolder,
    WindowSample,
    WindowStats,
)
from portal.store.drift_repo import CheckResult, DistributionRow, FeatureResult

if TYPE_CHECKING:
    from portal.drift.evidently_check import ColumnDrift

log = logging.getLogger(__name__)

REFERENCE_SEED = 42


@dataclass(frozen=True)
class CheckSettings:
    """The settings a check uses, read once by the server and sent with every task."""

    inference_location: Path | str  # a folder or s3://bucket/prefix, a sub-folder per model
    artifact_path: str
    window_days: int
    history_weeks: int
    sample_rows: int
    min_rows: int
    thresholds: DriftThresholds


@dataclass(frozen=True)
class ModelTask:
    """What a worker needs to check one model: no store, no server state."""

    model_name: str
    model_version: int | None
    run_id: str | None
    tags: dict[str, str]
    now: datetime
    settings: CheckSettings
    known_weeks: dict[datetime, str] = field(default_factory=dict)  # week start -> fingerprint
    current_fingerprint: str = ""  # of the model's newest current check; '' = check again
    importance: dict[str, float] | None = None  # stored shares of this version; None: compute


@dataclass(frozen=True)
class ModelOutcome:
    """What a worker found for one model; `unchanged` when the stored results still hold."""

    model_name: str
    checks: tuple[CheckResult, ...] = ()  # the current window last
    unchanged: bool = False
    importance: tuple[Any, ...] | None = None  # computed for this version (None: not this run)
    importance_problem: str = ""  # why no importance could be computed, when () above
    estimates: tuple[Any, ...] | None = None  # per week (None: not computed this run)
    estimate_reason: str = ""  # why nothing was estimated, when () above
    fairness: tuple[Any, ...] | None = None  # per group column and week (None: not computed)
    notes: tuple[str, ...] = ()  # problems of the analyses beside the drift tests
    seconds: float = 0.0

    @property
    def outcome(self) -> str:
        """The outcome of the current-window check; 'unchanged' when none was needed."""
        return "unchanged" if self.unchanged else self.checks[-1].outcome


def check_model(
    task: ModelTask, artifacts: ArtifactSource, executor: str = "local"
) -> ModelOutcome:
    """Check one model; an error becomes a failed check of that model, never an exception."""
    started = time.perf_counter()
    model_check = _ModelCheck(task, artifacts, executor)
    try:
        outcome = model_check.run()
    except Exception as exc:  # one model's problem must not stop the job
        log.exception("drift check of %s failed", task.model_name)
        failed = model_check.result("current", None, started, "failed", "error", first_line(exc))
        outcome = ModelOutcome(task.model_name, (failed,))
    return replace(outcome, seconds=time.perf_counter() - started)


def failed_outcome(task: ModelTask, reason: str, detail: str, executor: str) -> ModelOutcome:
    """A model whose check never came back (its worker was lost): a failed check saying why."""
    check = _ModelCheck(task, None, executor).result(
        "current", None, time.perf_counter(), "failed", reason, detail
    )
    return ModelOutcome(task.model_name, (check,))


class _ModelCheck:
    """One model in one job: history weeks not yet checked, then the current window."""

    def __init__(self, task: ModelTask, artifacts: ArtifactSource | None, executor: str) -> None:
        self.task = task
        self.settings = task.settings
        self.artifacts = artifacts
        self.executor = executor
        self.logs: InferenceLogs  # set by run: a name may be refused, which is a result
        self._rows: dict[tuple[datetime, datetime], WindowSample] = {}

    def run(self) -> ModelOutcome:
        started = time.perf_counter()
        name = self.task.model_name
        window = current_window(self.task.now, self.settings.window_days)
        try:
            self.logs = InferenceLogs(self.settings.inference_location, name)
        except UnsafeLogFolder as exc:
            return self._only("not_monitored", "unsafe_log_folder", str(exc), window, started)
        if not self.logs.exists():
            return self._only("not_monitored", "no_logs", str(self.logs.folder), window, started)
        if not self.task.run_id:
            return self._only("not_monitored", "no_run", "", window, started)
        weeks = weekly_windows(self.task.now, self.settings.history_weeks)
        try:
            stats = self.logs.window_stats_many([*weeks, window])
        except InferenceLogsUnreadable as exc:
            return self._only("failed", "logs_unreadable", str(exc), window, started)
        *week_stats, current_stats = stats
        importance = self.task.importance
        if (
            importance is not None
            and not self._changed(weeks, week_stats, importance)
            and self._fingerprint(current_stats, importance) == self.task.current_fingerprint
        ):
            return ModelOutcome(name, unchanged=True)
        reference = self._reference()
        if reference is None:
            detail = self.settings.artifact_path
            return self._only("not_monitored", "no_reference", detail, window, started)
        if len(reference) < self.settings.min_rows:
            check = self.result(
                "current",
                window,
                started,
                "not_monitored",
                "reference_too_small",
                str(len(reference)),
                reference_rows=len(reference),
            )
            return ModelOutcome(name, (check,))
        context = self._context(reference, tuple(weeks), window)
        tried = len(context.notes)
        computed = self._importance(context)
        problem = context.notes[tried] if computed == () and len(context.notes) > tried else ""
        changed = self._changed(weeks, week_stats, context.importance)
        current_fingerprint = self._fingerprint(current_stats, context.importance)
        checks = []
        try:
            for week, fingerprint in changed:
                checks.append(self._compare("week", week, reference, context, fingerprint, False))
            current = self._compare(
                "current", window, reference, context, current_fingerprint, True
            )
            checks.append(replace(current, latest_log_at=self.logs.latest_timestamp()))
        except InferenceLogsUnreadable as exc:
            check = self.result("current", window, started, "failed", "logs_unreadable", str(exc))
            return ModelOutcome(name, (check,))
        estimated = self._extra("performance estimate", _estimates, context)
        estimates, estimate_reason = estimated if estimated is not None else (None, "")
        return ModelOutcome(
            name,
            tuple(checks),
            importance=computed,
            importance_problem=problem,
            estimates=estimates,
            estimate_reason=estimate_reason,
            fairness=self._extra("fairness", _fairness, context),
            notes=tuple(context.notes),
        )

    def _only(
        self, outcome: str, reason: str, detail: str, window: tuple[datetime, datetime], started
    ) -> ModelOutcome:
        """A model that cannot be compared: one current check saying why."""
        check = self.result("current", window, started, outcome, reason, detail)
        return ModelOutcome(self.task.model_name, (check,))

    def _context(
        self,
        reference: pd.DataFrame,
        weeks: tuple[tuple[datetime, datetime], ...],
        window: tuple[datetime, datetime],
    ) -> ModelContext:
        task = self.task
        assert self.artifacts is not None and task.run_id
        return ModelContext(
            model_name=task.model_name,
            model_version=task.model_version,
            run_id=task.run_id,
            tags=dict(task.tags),
            reference=_sample(reference, self.settings.sample_rows),
            weeks=weeks,
            current=window,
            min_rows=self.settings.min_rows,
            sample_rows=self.settings.sample_rows,
            now=task.now,
            rows=lambda start, end: self._window(start, end).frame,
            artifacts=self.artifacts,
            importance=dict(task.importance) if task.importance is not None else None,
        )

    def _importance(self, context: ModelContext) -> tuple[Any, ...] | None:
        """The version's input importance, computed once per version; its shares go to the rule.

        () when it could not be computed: stored as such, so the next job does not try again
        and the light is decided as without importance.
        """
        if context.importance is not None:
            return None
        rows = self._extra("input importance", _importance_of, context) or ()
        context.importance = {row.feature: row.share for row in rows}
        return rows

    def _changed(
        self,
        weeks: list[tuple[datetime, datetime]],
        stats: list[WindowStats],
        importance: dict[str, float] | None,
    ) -> list[tuple[tuple[datetime, datetime], str]]:
        """The weeks whose stored result no longer holds, with their new fingerprints."""
        found = []
        for week, week_stats in zip(weeks, stats, strict=True):
            fingerprint = self._fingerprint(week_stats, importance)
            if self.task.known_weeks.get(week[0]) != fingerprint:
                found.append((week, fingerprint))
        return found

    def _extra(
        self, what: str, analysis: Callable[[ModelContext], Any], context: ModelContext
    ) -> Any:
        """An analysis beside the drift tests: its failure is a note, never the model's failure."""
        try:
            return analysis(context)
        except Exception as exc:
            log.exception("%s of %s failed", what, self.task.model_name)
            context.notes.append(f"{what}: {first_line(exc)}")
            return None

    def _fingerprint(self, stats: WindowStats, importance: dict[str, float] | None) -> str:
        """Same logs, same reference, same settings, same rule: the stored result still holds."""
        settings = self.settings
        return (
            f"{stats.fingerprint}|{self.task.run_id}|{settings.sample_rows}|{settings.min_rows}"
            f"|{settings.thresholds}|{_importance_key(importance)}"
        )

    def _reference(self) -> pd.DataFrame | None:
        """The reference sample logged with the production version's run, all Parquet parts."""
        assert self.artifacts is not None and self.task.run_id
        with tempfile.TemporaryDirectory(prefix="reference-") as folder:
            local = self.artifacts.download_artifacts(
                self.task.run_id, self.settings.artifact_path, Path(folder)
            )
            if local is None:
                return None
            files = [local] if local.is_file() else sorted(local.rglob("*.parquet"))
            if not files:
                return None
            return pd.concat([pd.read_parquet(file) for file in files], ignore_index=True)

    def _window(self, start: datetime, end: datetime) -> WindowSample:
        """A window's sampled rows, read once for the drift tests and the other analyses."""
        if (start, end) not in self._rows:
            self._rows[start, end] = self.logs.read_window(
                start, end, max_rows=self.settings.sample_rows
            )
        return self._rows[start, end]

    def _compare(
        self,
        kind: str,
        window: tuple[datetime, datetime],
        reference: pd.DataFrame,
        context: ModelContext,
        fingerprint: str,
        with_report: bool,
    ) -> CheckResult:
        started = time.perf_counter()
        sample = self._window(*window)
        sizes = {
            "reference_rows": len(reference),
            "reference_sampled": len(context.reference),
            "window_rows": sample.stats.rows,
            "window_sampled": len(sample.frame),
            "labelled_rows": sample.stats.labelled_rows,
        }
        if sample.stats.rows == 0:
            return self.result(
                kind, window, started, "no_data", "empty_window", fingerprint=fingerprint, **sizes
            )
        if sample.stats.rows < self.settings.min_rows:
            return self.result(
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
            kind, window, context, sample, fingerprint, with_report, started, sizes
        )

    def _evaluate(
        self,
        kind: str,
        window: tuple[datetime, datetime],
        context: ModelContext,
        sample: WindowSample,
        fingerprint: str,
        with_report: bool,
        started: float,
        sizes: dict[str, int],
    ) -> CheckResult:
        # Evidently takes seconds to import: only when there is something to compare.
        from portal.drift.evidently_check import run_drift

        thresholds = self.settings.thresholds
        aligned = align(context.reference, sample.frame, self.settings.min_rows)
        drift = run_drift(
            aligned.reference, aligned.window, aligned.numeric, aligned.categorical, with_report
        )
        features = _feature_results(aligned, drift.columns)
        inputs = [feature for feature in features if feature.role == "input"]
        changed = sum(_is_changed(feature) for feature in inputs)
        prediction_drifted = any(f.drifted for f in features if f.role == "prediction")
        # Weighed by what the model looks at once its importance is known (portal/domain/drift.py).
        weights = importance_weights([f.feature for f in inputs], context.importance)
        strongest = deciding_strength([(f.strength, f.method) for f in inputs], thresholds, weights)
        relied = weight_of_changed([_is_changed(f) for f in inputs], weights)
        _, quality = production_quality(sample.frame, self.settings.min_rows)
        return self.result(
            kind,
            window,
            started,
            "checked",
            status=drift_status(
                len(inputs), changed, prediction_drifted, strongest, thresholds, relied
            ),
            inputs_total=len(inputs),
            inputs_changed=changed,
            strongest_change=strongest,
            added_columns=", ".join(aligned.added_columns),
            fingerprint=fingerprint,
            report_html=drift.report_html,
            features=tuple(features),
            distributions=tuple(_distributions(aligned, context.reference, sample.frame)),
            quality=quality,
            **sizes,
        )

    def result(
        self,
        kind: str,
        window: tuple[datetime, datetime] | None,
        started: float,
        outcome: str,
        reason: str = "",
        detail: str = "",
        **fields: object,
    ) -> CheckResult:
        task = self.task
        return CheckResult(
            model_name=task.model_name,
            model_version=task.model_version,
            reference_run_id=task.run_id,
            window_kind=kind,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            checked_at=task.now,
            duration_seconds=time.perf_counter() - started,
            outcome=outcome,
            reason=reason,
            detail=detail,
            executor=self.executor,
            **fields,  # type: ignore[arg-type]
        )


def _importance_of(context: ModelContext) -> tuple[Any, ...]:
    from portal.drift.importance import compute_importance

    return compute_importance(context)


def _estimates(context: ModelContext) -> tuple[tuple[Any, ...], str]:
    from portal.drift.estimation import estimate_with_reason

    return estimate_with_reason(context)


def _fairness(context: ModelContext) -> tuple[Any, ...]:
    from portal.drift.fairness import monitor_fairness

    return monitor_fairness(context)


def _importance_key(importance: dict[str, float] | None) -> str:
    """Part of a fingerprint: a result decided without importance is decided again with it."""
    return "importance" if importance else "no-importance"


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


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:500]
