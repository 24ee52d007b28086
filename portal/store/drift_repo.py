"""Drift job runs and their checks: per-input results, distributions and production quality."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from portal.store.database import Row, Store, Transaction
from portal.store.drift_reports import StoredReport


@dataclass(frozen=True)
class FeatureResult:
    """One input's (or the prediction's) drift result in a check."""

    feature: str
    role: str  # 'input' or 'prediction'
    kind: str
    state: str
    method: str = ""
    threshold: float | None = None
    score: float | None = None
    strength: float | None = None
    drifted: bool = False
    missing_share_reference: float | None = None
    missing_share_window: float | None = None
    new_categories: str = ""


@dataclass(frozen=True)
class DistributionRow:
    """The share of each side's rows in one bucket of one feature."""

    feature: str
    position: int
    bucket: str
    lower_edge: float | None
    upper_edge: float | None
    reference_share: float
    window_share: float


@dataclass(frozen=True)
class CheckResult:
    """What the drift job found for one model and window, ready to store."""

    model_name: str
    model_version: int | None
    reference_run_id: str | None
    window_kind: str  # 'current' or 'week'
    window_start: datetime | None
    window_end: datetime | None
    checked_at: datetime
    duration_seconds: float
    outcome: str  # 'checked', 'not_monitored', 'no_data' or 'failed'
    reason: str = ""
    detail: str = ""
    status: str | None = None
    reference_rows: int | None = None
    window_rows: int | None = None
    reference_sampled: int | None = None
    window_sampled: int | None = None
    labelled_rows: int | None = None
    latest_log_at: datetime | None = None
    inputs_total: int | None = None
    inputs_changed: int | None = None
    strongest_change: float | None = None
    added_columns: str = ""
    fingerprint: str = ""
    executor: str = "local"  # what ran the check: 'local' (in the server) or 'ray'
    report: StoredReport | None = None  # the full report's file in the store's report folder
    # The full report as a worker made it; the server writes it to a file (report) and drops it.
    report_html: str | None = None
    features: tuple[FeatureResult, ...] = ()
    distributions: tuple[DistributionRow, ...] = ()
    quality: dict[str, float] = field(default_factory=dict)


_CHECK_COLUMNS = (
    "model_name, model_version, reference_run_id, window_kind, window_start, window_end,"
    " checked_at, duration_seconds, outcome, reason, detail, status, reference_rows,"
    " window_rows, reference_sampled, window_sampled, labelled_rows, latest_log_at, inputs_total,"
    " inputs_changed, strongest_change, added_columns, fingerprint, executor"
)
_CHECK_FIELDS = tuple(name.strip() for name in _CHECK_COLUMNS.split(","))
_CHILD_TABLES = ("drift_features", "drift_distributions", "drift_quality")


class DriftRepository:
    """Named queries over the drift tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- writes by the drift job --------------------------------------------------------------

    def start_job(
        self,
        trigger: str,
        triggered_by: str,
        model_filter: str | None,
        at: datetime,
        executor: str = "local",
    ) -> int:
        """Record a drift job as running and return its id."""
        with self.store.transaction() as tx:
            return tx.fetch_value(
                "INSERT INTO drift_jobs"
                " (trigger, triggered_by, model_filter, started_at, status, executor)"
                " VALUES ($trigger, $by, $model, $at, 'running', $executor) RETURNING id",
                {
                    "trigger": trigger,
                    "by": triggered_by,
                    "model": model_filter,
                    "at": at,
                    "executor": executor,
                },
            )

    def finish_job(
        self,
        job_id: int,
        at: datetime,
        status: str,
        checked: int,
        failed: int,
        error: str | None,
        unchanged: int = 0,
    ) -> None:
        """Close a drift job with its counts."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE drift_jobs SET finished_at = $at, status = $status,"
                " models_checked = $checked, models_failed = $failed, error = $error,"
                " models_unchanged = $unchanged WHERE id = $id",
                {
                    "id": job_id,
                    "at": at,
                    "status": status,
                    "checked": checked,
                    "failed": failed,
                    "error": error,
                    "unchanged": unchanged,
                },
            )
            tx.bump_data_version()

    def confirm_current(self, check_ids: list[int], at: datetime) -> None:
        """The logs behind these current checks did not change: their results hold at `at`."""
        if not check_ids:
            return
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE drift_checks SET confirmed_at = $at WHERE id IN (SELECT unnest($ids))",
                {"ids": check_ids, "at": at},
            )
            tx.bump_data_version()

    def abandon_running(self, at: datetime) -> None:
        """Jobs still 'running' when a process starts were cut off by a stop."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE drift_jobs SET status = 'abandoned', finished_at = $at"
                " WHERE status = 'running'",
                {"at": at},
            )

    def save_check(self, job_id: int | None, check: CheckResult) -> tuple[int, list[StoredReport]]:
        """Store a check with its details in one transaction.

        A calendar week checked again replaces its earlier result; only the newest current
        check of a model keeps its distributions and report. Returns the new id and the reports
        no longer referenced, for the caller to delete (drift_reports.ReportFiles.delete).
        """
        row = {key: getattr(check, key) for key in _CHECK_FIELDS}
        row["report_file"] = check.report.name if check.report else None
        row["report_sha256"] = check.report.sha256 if check.report else None
        with self.store.transaction() as tx:
            superseded = self._superseded(tx, check)
            released = [
                StoredReport(name, sha256)
                for (name, sha256) in tx.fetch_tuples(
                    "SELECT report_file, report_sha256 FROM drift_checks"
                    " WHERE id IN (SELECT unnest($ids)) AND report_file IS NOT NULL",
                    {"ids": superseded["all"] + superseded["current"]},
                )
            ]
            self._delete(tx, superseded["all"])
            if superseded["current"]:
                tx.execute(
                    "DELETE FROM drift_distributions WHERE check_id IN (SELECT unnest($ids))",
                    {"ids": superseded["current"]},
                )
                tx.execute(
                    "UPDATE drift_checks SET report_file = NULL, report_sha256 = NULL"
                    " WHERE id IN (SELECT unnest($ids))",
                    {"ids": superseded["current"]},
                )
            placeholders = ", ".join(f"${key}" for key in row)
            check_id = tx.fetch_value(
                f"INSERT INTO drift_checks (job_id, {', '.join(row)})"
                f" VALUES ($job_id, {placeholders}) RETURNING id",
                {"job_id": job_id, **row},
            )
            tx.execute_rows(
                "INSERT INTO drift_features SELECT $check_id, r.feature, r.role, r.kind, r.state,"
                " r.method, r.threshold, r.score, r.strength, r.drifted,"
                " r.missing_share_reference, r.missing_share_window, r.new_categories"
                " FROM (SELECT unnest($rows) AS r)",
                [_shallow(feature) for feature in check.features],
                check_id=check_id,
            )
            tx.execute_rows(
                "INSERT INTO drift_distributions SELECT $check_id, r.feature, r.position,"
                " r.bucket, r.lower_edge, r.upper_edge, r.reference_share, r.window_share"
                " FROM (SELECT unnest($rows) AS r)",
                [_shallow(bucket) for bucket in check.distributions],
                check_id=check_id,
            )
            tx.execute_rows(
                "INSERT INTO drift_quality SELECT $check_id, r.metric, r.value"
                " FROM (SELECT unnest($rows) AS r)",
                [{"metric": key, "value": value} for key, value in check.quality.items()],
                check_id=check_id,
            )
            tx.bump_data_version()
        return check_id, released

    @staticmethod
    def _superseded(tx: Transaction, check: CheckResult) -> dict[str, list[int]]:
        """Earlier results this check replaces ('all') or makes old ('current')."""
        if check.window_kind == "week":
            ids = tx.fetch_tuples(
                "SELECT id FROM drift_checks WHERE model_name = $model AND window_kind = 'week'"
                " AND window_start = $start",
                {"model": check.model_name, "start": check.window_start},
            )
            return {"all": [id_ for (id_,) in ids], "current": []}
        ids = tx.fetch_tuples(
            "SELECT id FROM drift_checks WHERE model_name = $model AND window_kind = 'current'"
            " AND (report_file IS NOT NULL OR id IN (SELECT check_id FROM drift_distributions))",
            {"model": check.model_name},
        )
        return {"all": [], "current": [id_ for (id_,) in ids]}

    @staticmethod
    def _delete(tx: Transaction, ids: list[int]) -> None:
        if not ids:
            return
        for table in _CHILD_TABLES:
            tx.execute(f"DELETE FROM {table} WHERE check_id IN (SELECT unnest($ids))", {"ids": ids})
        tx.execute("DELETE FROM drift_checks WHERE id IN (SELECT unnest($ids))", {"ids": ids})

    def production_models(self, unless_tagged: str = "") -> list[Row]:
        """Models in production with the run of their production version: what drift watches;
        without those whose registered-model tag unless_tagged is 'true'."""
        return self.store.fetch_all(
            "drift_production_models",
            "SELECT m.name, m.production_version AS version, v.run_id FROM registered_models m"
            " LEFT JOIN model_versions v"
            "  ON v.model_name = m.name AND v.version = m.production_version"
            " WHERE m.production_version IS NOT NULL AND m.deleted_at IS NULL"
            "  AND NOT EXISTS (SELECT 1 FROM model_tags t WHERE t.model_name = m.name"
            "   AND t.key = $tag AND t.value = 'true')"
            " ORDER BY m.name",
            {"tag": unless_tagged},
        )

    def week_fingerprints(self) -> dict[str, dict[datetime, str]]:
        """Fingerprints of every model's stored week checks, by model and week start."""
        rows = self.store.fetch_all(
            "drift_week_fingerprints",
            "SELECT model_name, window_start, fingerprint FROM drift_checks"
            " WHERE window_kind = 'week'",
        )
        found: dict[str, dict[datetime, str]] = {}
        for row in rows:
            found.setdefault(row["model_name"], {})[row["window_start"]] = row["fingerprint"]
        return found

    def current_fingerprints(self) -> dict[str, tuple[int, str]]:
        """The newest current check of every model: its id and fingerprint ('' = never reused)."""
        rows = self.store.fetch_all(
            "drift_current_fingerprints",
            "SELECT model_name, id, fingerprint FROM drift_checks WHERE window_kind = 'current'"
            " QUALIFY row_number() OVER ("
            "  PARTITION BY model_name ORDER BY checked_at DESC, id DESC) = 1",
        )
        return {row["model_name"]: (row["id"], row["fingerprint"]) for row in rows}

    # --- reads for pages, reports and the API ---------------------------------------------------

    def latest_checks(self) -> list[Row]:
        """The newest current-window check per model, with its prediction result."""
        return self.store.fetch_all(
            "drift_latest_checks",
            """
            WITH ranked AS (
                SELECT c.*, row_number() OVER (
                    PARTITION BY c.model_name ORDER BY c.checked_at DESC, c.id DESC) AS rank
                FROM drift_checks c
                -- Only models in production now: a retired model's last check is history.
                JOIN registered_models m ON m.name = c.model_name
                    AND m.production_version IS NOT NULL AND m.deleted_at IS NULL
                WHERE c.window_kind = 'current'
            )
            SELECT c.* EXCLUDE (rank), p.drifted AS prediction_drifted,
                   p.score AS prediction_score, p.method AS prediction_method
            FROM ranked c
            LEFT JOIN drift_features p ON p.check_id = c.id AND p.role = 'prediction'
            WHERE c.rank = 1
            ORDER BY c.model_name
            """,
        )

    def changed_inputs(self, check_ids: list[int]) -> dict[int, tuple[str, ...]]:
        """Per check, the names of changed inputs, most changed first (gone ones lead)."""
        rows = self.store.fetch_all(
            "drift_changed_inputs",
            "SELECT check_id, feature FROM drift_features"
            " WHERE check_id IN (SELECT unnest($ids)) AND role = 'input' AND drifted"
            " ORDER BY check_id, state = 'compared', strength DESC NULLS LAST, feature",
            {"ids": check_ids},
        )
        changed: dict[int, list[str]] = {}
        for row in rows:
            changed.setdefault(row["check_id"], []).append(row["feature"])
        return {check_id: tuple(names) for check_id, names in changed.items()}

    def features(self, check_id: int) -> list[Row]:
        """Every input of a check and the prediction, most changed first."""
        return self.store.fetch_all(
            "drift_features",
            "SELECT * FROM drift_features WHERE check_id = $id"
            " ORDER BY role = 'prediction', drifted DESC, state = 'compared',"
            " strength DESC NULLS LAST, feature",
            {"id": check_id},
        )

    def distributions(self, check_id: int) -> list[Row]:
        """The stored buckets of every feature of a check."""
        return self.store.fetch_all(
            "drift_distributions",
            "SELECT * FROM drift_distributions WHERE check_id = $id ORDER BY feature, position",
            {"id": check_id},
        )

    def history(self, model_name: str | None = None) -> list[Row]:
        """Week and current checks of a model (or of all), oldest first, with prediction drift."""
        return self.store.fetch_all(
            "drift_history",
            "SELECT c.id, c.model_name, c.window_kind, c.window_start, c.window_end,"
            " c.checked_at, c.outcome,"
            " c.status, c.inputs_total, c.inputs_changed, c.strongest_change, c.window_rows,"
            " c.labelled_rows,"
            " c.model_version, c.executor, p.drifted AS prediction_drifted"
            " FROM drift_checks c"
            " LEFT JOIN drift_features p ON p.check_id = c.id AND p.role = 'prediction'"
            " WHERE $model IS NULL OR c.model_name = $model"
            " ORDER BY c.model_name, c.window_end, c.id",
            {"model": model_name},
        )

    def input_history(self, model_name: str, features: list[str]) -> list[Row]:
        """Per week check, how strongly the given inputs changed, oldest first."""
        return self.store.fetch_all(
            "drift_input_history",
            "SELECT c.window_start, c.window_end, f.feature, f.score, f.threshold, f.strength,"
            " f.drifted FROM drift_checks c JOIN drift_features f ON f.check_id = c.id"
            " WHERE c.model_name = $model AND c.window_kind = 'week' AND f.role = 'input'"
            " AND f.feature IN (SELECT unnest($features)) ORDER BY f.feature, c.window_start",
            {"model": model_name, "features": features},
        )

    def quality(self, model_name: str) -> list[Row]:
        """Production quality per week check of a model next to the training run's value."""
        return self.store.fetch_all(
            "drift_quality_history",
            "SELECT c.window_start, c.window_end, c.labelled_rows, q.metric, q.value,"
            " m.value AS training_value"
            " FROM drift_checks c JOIN drift_quality q ON q.check_id = c.id"
            " LEFT JOIN run_metrics m ON m.run_id = c.reference_run_id AND m.key = q.metric"
            " WHERE c.model_name = $model AND c.window_kind = 'week'"
            " ORDER BY q.metric, c.window_start",
            {"model": model_name},
        )

    def quality_of_checks(self, check_ids: list[int]) -> list[Row]:
        """Production quality of many checks next to their training runs' values."""
        return self.store.fetch_all(
            "drift_quality_of_checks",
            "SELECT c.model_name, q.metric, q.value, m.value AS training_value"
            " FROM drift_quality q JOIN drift_checks c ON c.id = q.check_id"
            " LEFT JOIN run_metrics m ON m.run_id = c.reference_run_id AND m.key = q.metric"
            " WHERE q.check_id IN (SELECT unnest($ids))",
            {"ids": check_ids},
        )

    def check_quality(self, check_id: int) -> list[Row]:
        """Production quality of one check next to the training run's value."""
        return self.store.fetch_all(
            "drift_check_quality",
            "SELECT q.metric, q.value, m.value AS training_value FROM drift_quality q"
            " JOIN drift_checks c ON c.id = q.check_id"
            " LEFT JOIN run_metrics m ON m.run_id = c.reference_run_id AND m.key = q.metric"
            " WHERE q.check_id = $id ORDER BY q.metric",
            {"id": check_id},
        )

    def report(self, check_id: int) -> StoredReport | None:
        """The file of a check's full Evidently report in the store's report folder, if any."""
        row = self.store.fetch_one(
            "drift_report_file",
            "SELECT report_file, report_sha256 FROM drift_checks"
            " WHERE id = $id AND report_file IS NOT NULL",
            {"id": check_id},
        )
        return StoredReport(row["report_file"], row["report_sha256"]) if row else None

    def jobs(self, limit: int = 20) -> list[Row]:
        """The most recent drift jobs, newest first."""
        return self.store.fetch_all(
            "drift_jobs",
            "SELECT *, finished_at - started_at AS duration FROM drift_jobs"
            " ORDER BY started_at DESC, id DESC LIMIT $limit",
            {"limit": limit},
        )


def _shallow(record: object) -> dict:
    """A dataclass as a dict without dataclasses.asdict's deep copies (thousands per check)."""
    return {item.name: getattr(record, item.name) for item in fields(record)}  # type: ignore[arg-type]
