"""Drift and production health for pages, reports and the API: stored results, never Evidently."""

from __future__ import annotations

from portal.domain.drift import (
    STATUSES,
    Bucket,
    DriftPortfolio,
    FeatureDrift,
    InputWeek,
    ModelDrift,
    ModelDriftDetail,
    QualityPoint,
    TrendPoint,
    compare_quality,
)
from portal.domain.metrics import usable_value
from portal.runtime import Runtime
from portal.services.audit import audit_request
from portal.services.authorization import authorize
from portal.services.identity import Identity
from portal.store.database import Row, as_record
from portal.store.drift_repo import DriftRepository
from portal.store.drift_reports import ReportFiles

# Outcomes of a model's newest check besides a traffic light, as counted on the drift page.
UNMONITORED_OUTCOMES = ("not_monitored", "no_data", "failed")
TOP_INPUTS = 3
# Reasons whose stored detail is a count, which sentences show; the others hold server paths
# and error messages, for administrators only (check_details).
COUNT_DETAILS = ("reference_too_small", "too_few_rows")


class DriftService:
    """Reads drift results from the store; admins queue checks."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.repo = DriftRepository(runtime.store)

    def portfolio(self) -> DriftPortfolio:
        """The drift page's list: every production model's newest check."""
        latest = self.repo.latest_checks()
        changed = self.repo.changed_inputs([row["id"] for row in latest])
        models = tuple(_model_drift(row, changed.get(row["id"], ())) for row in latest)
        counts = {key: 0 for key in (*STATUSES, *UNMONITORED_OUTCOMES)}
        for model in models:
            counts[model.light] = counts.get(model.light, 0) + 1
        last = max((model.last_confirmed for model in models), default=None)
        return DriftPortfolio(models, counts, last)

    def model(self, name: str, portfolio: DriftPortfolio | None = None) -> ModelDriftDetail | None:
        """The drill-down of one model; None when no check has been stored for it.

        A caller that already read the portfolio passes it, so it is not read again."""
        listed = (portfolio or self.portfolio()).models
        summary = next((m for m in listed if m.model_name == name), None)
        if summary is None:
            return None
        features = tuple(_feature(row) for row in self.repo.features(summary.check_id))
        buckets: dict[str, list[Bucket]] = {}
        for row in self.repo.distributions(summary.check_id):
            buckets.setdefault(row["feature"], []).append(
                Bucket(row["bucket"], row["reference_share"], row["window_share"])
            )
        weeks = _weeks(self.repo.history(name), {name: summary.model_version}).get(name, ())
        current = tuple(
            compare_quality(row["metric"], row["value"], row["training_value"])
            for row in self.repo.check_quality(summary.check_id)
            if row["value"] is not None
        )
        history = tuple(
            QualityPoint(
                row["metric"],
                row["window_start"],
                row["window_end"],
                row["value"],
                usable_value(row["training_value"]),
                row["labelled_rows"],
            )
            for row in self.repo.quality(name)
        )
        top_inputs = (
            list(summary.top_changed_inputs)
            or [feature.feature for feature in features if feature.role == "input"][:TOP_INPUTS]
        )
        input_weeks = tuple(
            InputWeek(
                row["feature"],
                row["window_start"],
                row["window_end"],
                row["score"],
                row["threshold"],
                row["strength"],
                bool(row["drifted"]),
            )
            for row in self.repo.input_history(name, top_inputs)
        )
        return ModelDriftDetail(
            summary,
            features,
            {feature: tuple(items) for feature, items in buckets.items()},
            weeks,
            input_weeks,
            current,
            history,
        )

    def weekly_trends(self, portfolio: DriftPortfolio) -> dict[str, tuple[TrendPoint, ...]]:
        """Every listed model's calendar-week trend, read in one query for the drift list."""
        versions = {model.model_name: model.model_version for model in portfolio.models}
        return _weeks(self.repo.history(), versions)

    def report_html(self, check_id: int) -> bytes | None:
        """The full Evidently report of a check, while this store's folder keeps it intact."""
        report = self.repo.report(check_id)
        if report is None:
            return None
        return ReportFiles(self.runtime.settings.drift_reports_dir).read(report)

    def report_present(self, check_id: int) -> bool:
        """Whether a check's report file is there to offer (without reading its megabytes)."""
        report = self.repo.report(check_id)
        return report is not None and ReportFiles(self.runtime.settings.drift_reports_dir).present(
            report
        )

    def check_details(self, actor: Identity) -> dict[str, str]:
        """Per model, what lies behind its newest check's reason: a folder, an error; admins only.

        The drift page and reports show a plain reason to everyone; server paths stay here."""
        authorize(self.runtime.store, actor, "data_status.read")
        return {row["model_name"]: row["detail"] for row in self.repo.latest_checks()}

    def jobs(self, actor: Identity, limit: int = 10) -> list[Row]:
        """Recent drift jobs with duration and error; admins only, like the sync log."""
        authorize(self.runtime.store, actor, "data_status.read")
        return self.repo.jobs(limit)

    @property
    def busy(self) -> bool:
        """True while a drift job runs or waits to run."""
        scheduler = self.runtime.drift_scheduler
        return scheduler is not None and scheduler.is_busy

    @property
    def interval_minutes(self) -> float:
        return self.runtime.settings.drift_interval_minutes

    def request_check(self, actor: Identity, model_name: str | None = None) -> bool:
        """Queue a drift check of all production models or one; False when one is waiting."""
        authorize(self.runtime.store, actor, "drift.run", model_name)
        scheduler = self.runtime.drift_scheduler
        if scheduler is None:
            return False
        accepted = scheduler.request("manual", actor.label, model_name=model_name)
        if accepted:
            entity = ("model", model_name) if model_name else ("portfolio", "*")
            audit_request(self.runtime.store, actor, "drift.requested", entity)
        return accepted


def _model_drift(row: Row, changed: tuple[str, ...]) -> ModelDrift:
    return as_record(
        ModelDrift,
        row,
        check_id=row["id"],
        top_changed_inputs=changed[:TOP_INPUTS],
        added_columns=_names(row["added_columns"]),
        has_report=bool(row["report_file"] and row["report_sha256"]),
        detail=row["detail"] if row["reason"] in COUNT_DETAILS else "",
    )


def _feature(row: Row) -> FeatureDrift:
    return as_record(
        FeatureDrift,
        row,
        changed=bool(row["drifted"]),
        new_categories=_names(row["new_categories"]),
    )


def _names(text: str) -> tuple[str, ...]:
    """Names stored comma-separated."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _weeks(rows: list[Row], versions: dict[str, int | None]) -> dict[str, tuple[TrendPoint, ...]]:
    """Week checks per model, of the version its newest check compared."""
    weeks: dict[str, list[TrendPoint]] = {}
    for row in rows:
        name = row["model_name"]
        if row["window_kind"] == "week" and versions.get(name, -1) == row["model_version"]:
            weeks.setdefault(name, []).append(_trend_point(row))
    return {name: tuple(points) for name, points in weeks.items()}


def _trend_point(row: Row) -> TrendPoint:
    total, changed = row["inputs_total"], row["inputs_changed"]
    share = changed / total if total and changed is not None else None
    return as_record(TrendPoint, row, share_changed=share)
