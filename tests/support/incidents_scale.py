"""Incidents at scale, on top of tests.support.report_scale.fill.

`python -m tests.support.incidents_scale FOLDER [N] [INCIDENTS]` builds a store of N models
(default 1,000) with INCIDENTS incidents (default 5,000) in FOLDER/portal.duckdb, then times
the list's first and last page, the tasks, the attention facts, and one report with its trace.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from portal.domain.incidents import KINDS, SEVERITIES, STATUSES, IncidentDraft, IncidentFilter
from portal.runtime import command_runtime
from portal.services.attention import AttentionService
from portal.services.identity import Identity
from portal.services.incidents import IncidentService
from portal.store import open_store
from portal.store.database import Store
from portal.store.incident_repo import IncidentRepository
from tests.conftest import load_settings_for
from tests.support import report_scale
from tests.support.lists_scale import production_models

NOW = datetime(2026, 11, 27, 10, 0)
REPORTER = Identity("Rita Reader", "rita@example.com", frozenset({"viewer"}))


def add_incidents(store: Store, models: list[str], count: int) -> None:
    """count incidents spread over the models, kinds, severities, statuses and 300 days."""
    with store.transaction() as tx:
        for index in range(count):
            at = NOW - timedelta(hours=index * 1.5)
            IncidentRepository.insert(
                tx,
                {
                    "submission_key": f"scale-{index}",
                    "model_name": models[index % len(models)],
                    "model_version": 1,
                    "started_at": at - timedelta(hours=3),
                    "kind": KINDS[index % len(KINDS)],
                    "severity": SEVERITIES[index % len(SEVERITIES)],
                    "title": f"Incident number {index}",
                    "description": "Scores went wrong for a group of cases.",
                    "impact": "",
                    "cases": index % 50,
                    "trace": "",
                    "reported_by": REPORTER.email,
                    "reported_by_name": REPORTER.name,
                    "reported_at": at,
                },
            )
        tx.execute(
            "UPDATE incidents SET status = $status WHERE id % 3 = 0",
            {"status": STATUSES[2]},
        )
        tx.bump_data_version()


def timed(label: str, action) -> None:
    started = time.perf_counter()
    action()
    print(f"{label}: {(time.perf_counter() - started) * 1000:.0f} ms")


def main(folder: Path, count: int, incidents: int) -> None:
    settings = load_settings_for(folder / "portal.duckdb", "sqlite:///unused.db")
    store = open_store(settings.store_path)
    if not IncidentRepository(store).models():
        report_scale.fill(store, settings, count)
        add_incidents(store, production_models(store), incidents)
    service = IncidentService(store, settings)
    models = production_models(store)
    timed("list, first page", lambda: service.page(IncidentFilter()))
    timed("list, last page", lambda: service.page(IncidentFilter(), page=10_000))
    timed("list, open serious", lambda: service.page(IncidentFilter(("open",), (), ("serious",))))
    timed("one incident", lambda: service.get("INC-77"))
    timed("open tasks", lambda: service.open_tasks(NOW))
    timed("one model's unresolved", lambda: service.unresolved(models[0]))
    attention = AttentionService(command_runtime(settings, store))
    timed("attention lifecycle facts", attention.lifecycle_facts)
    draft = IncidentDraft(
        models[0], NOW - timedelta(hours=1), "outage", "high", "Scores stopped", "No scores today."
    )
    timed("report with its trace", lambda: service.report(REPORTER, draft, "timed", now=NOW))
    store.close()


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 1000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 5000,
    )
