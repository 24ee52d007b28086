"""Facts the attention list needs beyond what the other read models hold: since when a
model's drift light shows what it shows."""

from __future__ import annotations

from datetime import datetime

from portal.store.database import Store


class AttentionRepository:
    """Set-based reads over all models at once."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def light_since(self) -> dict[str, datetime]:
        """Per model, the first current-window check of the run of checks showing the newest
        check's light (status when checked, else the outcome)."""
        rows = self.store.fetch_all(
            "attention_light_since",
            """
            WITH checks AS (
                SELECT model_name, checked_at, id,
                       CASE WHEN outcome = 'checked' THEN status ELSE outcome END AS light
                FROM drift_checks WHERE window_kind = 'current'
            ),
            latest AS (
                SELECT model_name, arg_max(light, (checked_at, id)) AS light
                FROM checks GROUP BY model_name
            ),
            other AS (
                SELECT c.model_name, max(c.checked_at) AS until
                FROM checks c JOIN latest l USING (model_name)
                WHERE c.light IS DISTINCT FROM l.light GROUP BY c.model_name
            )
            SELECT c.model_name, min(c.checked_at) AS since
            FROM checks c JOIN latest l USING (model_name)
            LEFT JOIN other o USING (model_name)
            WHERE c.light IS NOT DISTINCT FROM l.light
              AND (o.until IS NULL OR c.checked_at > o.until)
            GROUP BY c.model_name
            """,
        )
        return {row["model_name"]: row["since"] for row in rows}
