"""Feedback and drift results at scale, on top of tests.support.report_scale.fill.

`python -m tests.support.lists_scale FOLDER [N]` builds a store of N models (default 1,000)
with 734 feedback items and a drift check (and four weekly checks) per production model in
FOLDER/portal.duckdb (once; about 80 s), then times the feedback, drift, risk and lineage pages.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

from portal.domain.feedback import KINDS, SEVERITIES, STATUSES
from portal.store import open_store
from portal.store.database import Store
from portal.store.drift_repo import CheckResult, DriftRepository, FeatureResult
from portal.store.feedback_repo import FeedbackRepository
from tests.conftest import load_settings_for

NOW = datetime(2026, 11, 27, 10, 0)
SUBMITTERS = tuple(f"expert{index}@example.com" for index in range(12))


def add_feedback(store: Store, models: list[str], count: int, seed: int = 11) -> None:
    """count feedback items spread over the models, kinds, severities, statuses and 200 days."""
    rng = random.Random(seed)
    with store.transaction() as tx:
        for index in range(count):
            status = STATUSES[index % len(STATUSES)]
            answered = status != "new"
            FeedbackRepository.insert(
                tx,
                {
                    "submission_key": f"scale-{index}",
                    "model_name": models[index % len(models)],
                    "model_version": 1,
                    "kind": KINDS[index % len(KINDS)],
                    "severity": SEVERITIES[index % len(SEVERITIES)],
                    "case_reference": f"C-{index}",
                    "model_output": "churn",
                    "expected_output": "renewed",
                    "description": f"Report number {index}: the customer renewed.",
                    "submitted_by": SUBMITTERS[index % len(SUBMITTERS)],
                    "submitter_name": f"Expert {index % len(SUBMITTERS)}",
                    "show_name": index % 5 != 0,
                    "submitted_at": NOW - timedelta(days=index % 200, minutes=index),
                },
            )
            if answered:
                tx.execute(
                    "UPDATE feedback SET status = $status, response = 'Looked at it.',"
                    " responded_by = 'owner0@example.com', responded_at = $at"
                    " WHERE submission_key = $key",
                    {"status": status, "at": NOW, "key": f"scale-{index}"},
                )
            rng.random()
        tx.bump_data_version()


def add_drift(store: Store, models: list[str], weeks: int = 4, seed: int = 13) -> None:
    """A current check and weekly checks per model, a mix of lights."""
    rng = random.Random(seed)
    repo = DriftRepository(store)
    for index, name in enumerate(models):
        for week in range(weeks, -1, -1):
            total = 8
            changed = rng.choice((0, 0, 0, 1, 2, 4, 6)) if week else index % 7
            share = changed / total
            status = "drifting" if share >= 0.5 else "watch" if share >= 0.25 else "stable"
            start = NOW - timedelta(days=7 * (week + 1))
            repo.save_check(
                None,
                CheckResult(
                    model_name=name,
                    model_version=1,
                    reference_run_id=f"run-{index}",
                    window_kind="week" if week else "current",
                    window_start=start,
                    window_end=start + timedelta(days=7),
                    checked_at=NOW - timedelta(hours=week * 24 * 7 + index % 48),
                    duration_seconds=1.0,
                    outcome="checked",
                    status=status,
                    reference_rows=2000,
                    window_rows=1400,
                    reference_sampled=2000,
                    window_sampled=1400,
                    latest_log_at=NOW - timedelta(hours=2),
                    inputs_total=total,
                    inputs_changed=changed,
                    strongest_change=1.5 if changed else 0.2,
                    features=_features(total, changed, index % 5 == 0),
                ),
            )


def _features(total: int, changed: int, outputs_changed: bool) -> tuple[FeatureResult, ...]:
    inputs = [
        FeatureResult(
            f"input_{f}",
            "input",
            "numeric",
            "compared",
            "wasserstein",
            0.1,
            0.2 if f < changed else 0.01,
            2.0 if f < changed else 0.1,
            f < changed,
        )
        for f in range(total)
    ]
    output = FeatureResult(
        "prediction", "prediction", "numeric", "compared", drifted=outputs_changed
    )
    return (*inputs, output)


def production_models(store: Store) -> list[str]:
    """Names of the models with a production version."""
    return [
        row["name"]
        for row in store.fetch_all(
            "scale_production",
            "SELECT name FROM registered_models WHERE production_version IS NOT NULL ORDER BY name",
        )
    ]


def fill_lists(store: Store, settings, count: int, feedback: int = 734) -> None:
    """report_scale.fill, then feedback and drift results."""
    from tests.support.report_scale import fill

    fill(store, settings, count)
    models = production_models(store)
    add_feedback(store, models, feedback)
    add_drift(store, models)


def main(folder: Path, count: int) -> None:
    """Build the store once (kept in folder), then time the list pages on it."""
    from portal.runtime import close_runtime, open_runtime
    from portal.ui.navigation import DRIFT, FEEDBACK, LINEAGE, RISK
    from tests.support.render_timing import time_page

    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings_for(folder / "portal.duckdb", "sqlite:///unused.db")
    if not settings.store_path.exists():
        store = open_store(settings.store_path)
        fill_lists(store, settings, count)
        store.close()
    open_runtime(settings, schedule=False)
    for page in (FEEDBACK, DRIFT, RISK, LINEAGE):
        cold, warm = time_page(page)
        print(f"{page.script}: first render {cold * 1000:.0f} ms, then median {warm * 1000:.0f} ms")
    close_runtime()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
