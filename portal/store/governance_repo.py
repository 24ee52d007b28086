"""Risk assessments, accountability and criticality, named experts; and the facts signals use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction

_GOVERNANCE_FIELDS = (
    "accountable_executive",
    "business_owner",
    "serving_mode",
    "ai_act_category",
    "human_oversight",
)


class GovernanceRepository:
    """Named queries for governance data."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- risk assessments -----------------------------------------------------------------------

    @staticmethod
    def insert_assessment(tx: Transaction, row: dict[str, Any]) -> int:
        """Append an assessment and return its id."""
        return tx.fetch_value(
            "INSERT INTO risk_assessments (model_name, risk, likelihood, impact, mitigation,"
            " next_review, assessed_by, assessed_by_name, assessed_at) VALUES ($model_name,"
            " $risk, $likelihood, $impact, $mitigation, $next_review, $assessed_by,"
            " $assessed_by_name, $assessed_at) RETURNING id",
            row,
        )

    @staticmethod
    def current_assessment_in(tx: Transaction, model_name: str, risk: str) -> Row | None:
        """The assessment in force, read inside the writing transaction (for the audit entry)."""
        return tx.fetch_row(
            "SELECT likelihood, impact, mitigation, next_review FROM risk_assessments"
            " WHERE model_name = $model AND risk = $risk ORDER BY assessed_at DESC, id DESC"
            " LIMIT 1",
            {"model": model_name, "risk": risk},
        )

    def current_assessments(self) -> list[Row]:
        """The assessment in force per model and risk, of models that still exist."""
        return self.store.fetch_all(
            "risk_current_assessments",
            """
            WITH ranked AS (
                SELECT a.*, row_number() OVER (
                    PARTITION BY a.model_name, a.risk ORDER BY a.assessed_at DESC, a.id DESC
                ) AS rank
                FROM risk_assessments a
                JOIN registered_models m ON m.name = a.model_name AND m.deleted_at IS NULL
            )
            SELECT * EXCLUDE (rank) FROM ranked WHERE rank = 1 ORDER BY model_name, risk
            """,
        )

    def assessment_history(self, model_name: str) -> list[Row]:
        """Every assessment of a model, newest first."""
        return self.store.fetch_all(
            "risk_assessment_history",
            "SELECT * FROM risk_assessments WHERE model_name = $model"
            " ORDER BY assessed_at DESC, id DESC",
            {"model": model_name},
        )

    # --- accountability and criticality ---------------------------------------------------------

    @staticmethod
    def governance_in(tx: Transaction, model_name: str) -> Row | None:
        """A model's governance record inside a writing transaction."""
        return tx.fetch_row(
            f"SELECT {', '.join(_GOVERNANCE_FIELDS)} FROM model_governance"
            " WHERE model_name = $model",
            {"model": model_name},
        )

    @staticmethod
    def upsert_governance(
        tx: Transaction, model_name: str, values: dict[str, str], by: str, at: datetime
    ) -> None:
        """Replace a model's governance record."""
        tx.execute(
            f"INSERT OR REPLACE INTO model_governance (model_name, {', '.join(_GOVERNANCE_FIELDS)},"
            " updated_by, updated_at) VALUES ($model, "
            + ", ".join(f"${name}" for name in _GOVERNANCE_FIELDS)
            + ", $by, $at)",
            {
                "model": model_name,
                **{name: values[name] for name in _GOVERNANCE_FIELDS},
                "by": by,
                "at": at,
            },
        )

    def governance(self, model_name: str | None = None) -> dict[str, Row]:
        """Every model's governance record (or one model's), by model name. Where the record
        names no accountable executive or business owner, the use case the model serves names
        them (a portal link, else the MLflow tag `use_case`): the people who approved its
        design are accountable for the model that serves it until the model's own record says
        otherwise."""
        rows = self.store.fetch_all(
            "governance_records",
            """
            WITH described AS (
                SELECT m.name, coalesce(m.production_version, max(v.version)) AS version
                FROM registered_models m
                LEFT JOIN model_versions v ON v.model_name = m.name AND v.deleted_at IS NULL
                WHERE m.deleted_at IS NULL AND ($model IS NULL OR m.name = $model)
                GROUP BY m.name, m.production_version
            ),
            served AS (
                SELECT d.name AS model_name, coalesce(l.use_case_id, tagged.id) AS use_case_id
                FROM described d
                LEFT JOIN use_case_models l ON l.model_name = d.name
                LEFT JOIN model_tags mt ON mt.model_name = d.name AND mt.key = 'use_case'
                LEFT JOIN version_tags vt
                    ON vt.model_name = d.name AND vt.version = d.version AND vt.key = 'use_case'
                LEFT JOIN use_cases tagged ON lower(tagged.key)
                    = lower(trim(coalesce(nullif(trim(vt.value), ''), mt.value)))
            ),
            by_use_case AS (
                SELECT s.model_name, u.accountable_executive, u.business_owner
                FROM served s JOIN use_cases u ON u.id = s.use_case_id
            )
            SELECT coalesce(g.model_name, c.model_name) AS model_name,
                coalesce(nullif(g.accountable_executive, ''), c.accountable_executive, '')
                    AS accountable_executive,
                coalesce(nullif(g.business_owner, ''), c.business_owner, '') AS business_owner,
                coalesce(g.serving_mode, '') AS serving_mode,
                coalesce(g.ai_act_category, '') AS ai_act_category,
                coalesce(g.human_oversight, '') AS human_oversight,
                g.updated_by, g.updated_at
            FROM (SELECT * FROM model_governance WHERE $model IS NULL OR model_name = $model) g
            FULL OUTER JOIN by_use_case c ON c.model_name = g.model_name
            """,
            {"model": model_name},
        )
        return {row["model_name"]: row for row in rows}

    @staticmethod
    def add_expert(tx: Transaction, model_name: str, email: str, by: str, at: datetime) -> bool:
        """Name a domain expert for a model; False when already named."""
        exists = tx.fetch_value(
            "SELECT count(*) FROM model_experts WHERE model_name = $model AND email = $email",
            {"model": model_name, "email": email},
        )
        if exists:
            return False
        tx.execute(
            "INSERT INTO model_experts VALUES ($model, $email, $by, $at)",
            {"model": model_name, "email": email, "by": by, "at": at},
        )
        return True

    @staticmethod
    def remove_expert(tx: Transaction, model_name: str, email: str) -> bool:
        """Remove a named expert; False when not named."""
        exists = tx.fetch_value(
            "SELECT count(*) FROM model_experts WHERE model_name = $model AND email = $email",
            {"model": model_name, "email": email},
        )
        if exists:
            tx.execute(
                "DELETE FROM model_experts WHERE model_name = $model AND email = $email",
                {"model": model_name, "email": email},
            )
        return bool(exists)

    def experts(self) -> dict[str, tuple[str, ...]]:
        """Named domain experts per model."""
        rows = self.store.fetch_all(
            "governance_experts", "SELECT model_name, email FROM model_experts ORDER BY email"
        )
        experts: dict[str, list[str]] = {}
        for row in rows:
            experts.setdefault(row["model_name"], []).append(row["email"])
        return {name: tuple(emails) for name, emails in experts.items()}

    # --- lineage ---------------------------------------------------------------------------------

    def lineage_rows(self) -> list[Row]:
        """Per active model the version that describes it (production, else latest), its run,
        code and the datasets the run used."""
        return self.store.fetch_all(
            "lineage_rows",
            """
            WITH described AS (
                SELECT m.name, m.production_version,
                       coalesce(m.production_version, max(v.version)) AS version
                FROM registered_models m
                LEFT JOIN model_versions v ON v.model_name = m.name AND v.deleted_at IS NULL
                WHERE m.deleted_at IS NULL
                GROUP BY m.name, m.production_version
            )
            , linked AS (
            SELECT d.name AS model_name, d.production_version, d.version, v.run_id,
                   coalesce(r.git_commit, '') AS git_commit,
                   coalesce(r.code_source, '') AS code_source,
                   coalesce(r.user_name, '') AS trained_by,
                   coalesce(list(DISTINCT ds.name ORDER BY ds.name)
                            FILTER (WHERE ds.name IS NOT NULL), []) AS datasets
            FROM described d
            LEFT JOIN model_versions v ON v.model_name = d.name AND v.version = d.version
            LEFT JOIN runs r ON r.run_id = v.run_id
            LEFT JOIN run_datasets ds ON ds.run_id = v.run_id
            GROUP BY ALL
            )
            -- Ordered outside: DuckDB's GROUP BY ALL does not see expressions in ORDER BY.
            SELECT * FROM linked ORDER BY lower(model_name), model_name
            """,
        )

    # --- facts for signals ----------------------------------------------------------------------

    def contributors_since(self, since: datetime) -> dict[str, int]:
        """Distinct people who trained or registered a version of each model since a moment."""
        rows = self.store.fetch_all(
            "risk_contributors",
            """
            WITH people AS (
                SELECT v.model_name, r.user_name AS person FROM model_versions v
                JOIN runs r ON r.run_id = v.run_id
                WHERE coalesce(r.started_at, v.created_at) >= $since AND r.user_name <> ''
                UNION
                SELECT model_name, registered_by FROM model_versions
                WHERE created_at >= $since AND registered_by <> ''
            )
            SELECT model_name, count(DISTINCT lower(person)) AS people FROM people
            GROUP BY model_name
            """,
            {"since": since},
        )
        return {row["model_name"]: row["people"] for row in rows}

    def last_retrained(self) -> dict[str, datetime]:
        """When the newest training run of each model's remaining versions ended (or started)."""
        # A deleted version's run was discarded: it did not refresh the model in use.
        rows = self.store.fetch_all(
            "risk_last_retrained",
            "SELECT v.model_name, max(coalesce(r.ended_at, r.started_at)) AS at"
            " FROM model_versions v JOIN runs r ON r.run_id = v.run_id"
            " WHERE v.deleted_at IS NULL GROUP BY v.model_name",
        )
        return {row["model_name"]: row["at"] for row in rows if row["at"] is not None}

    def wrong_prediction_reports(self, since: datetime) -> dict[str, tuple[int, int]]:
        """Per model: expert reports of wrong predictions since a moment, and the severe ones."""
        rows = self.store.fetch_all(
            "risk_wrong_predictions",
            "SELECT model_name, count(*) AS reports,"
            " count(*) FILTER (WHERE severity IN ('high', 'critical')) AS severe"
            " FROM feedback WHERE kind = 'wrong_prediction' AND submitted_at >= $since"
            " GROUP BY model_name",
            {"since": since},
        )
        return {row["model_name"]: (row["reports"], row["severe"]) for row in rows}
