"""The incident service's methods for tests/test_permission_checks.py."""

from __future__ import annotations

from datetime import timedelta

from portal import clock
from portal.domain.incidents import IncidentDraft
from portal.services.incidents import IncidentService
from portal.store.incident_repo import IncidentRepository

MODEL = "customer-churn"


def _draft() -> IncidentDraft:
    return IncidentDraft(
        MODEL,
        clock.utc_now() - timedelta(hours=2),
        "outage",
        "high",
        "Scores stopped arriving",
        "No churn scores since this morning.",
    )


def _existing(s) -> str:
    """An open incident on the model, stored without asking for any permission."""
    now = clock.utc_now()
    with s.store.transaction() as tx:
        number = IncidentRepository.id_for_key(tx, "permissions") or IncidentRepository.insert(
            tx,
            {
                "submission_key": "permissions",
                "model_name": MODEL,
                "model_version": 2,
                "started_at": now - timedelta(hours=1),
                "kind": "outage",
                "severity": "high",
                "title": "Scores stopped arriving",
                "description": "No churn scores since this morning.",
                "impact": "",
                "cases": None,
                "trace": "",
                "reported_by": "someone@example.com",
                "reported_by_name": "Someone",
                "reported_at": now,
            },
        )
    return f"INC-{number}"


def _service(s) -> IncidentService:
    return IncidentService(s.store, s.settings)


CHECKED = {
    "IncidentService.report": (
        lambda s, a: _service(s).report(a, _draft(), f"key-{a.label}"),
        "incident.report",
        None,
    ),
    "IncidentService.may_report": (
        lambda s, a: _service(s).may_report(a),
        "incident.report",
        None,
    ),
    "IncidentService.update": (
        lambda s, a: _service(s).update(a, _existing(s), "mitigated", "Restarted the job."),
        "incident.update",
        MODEL,
    ),
    "IncidentService.may_update": (
        lambda s, a: _service(s).may_update(a, MODEL),
        "incident.update",
        MODEL,
    ),
}
# Every reader sees incidents, their trace and history: reporting is open to all signed in,
# and the trace is what makes an incident understandable. Tasks are gathered for everyone.
PUBLIC = {
    "IncidentService": {
        "trace",
        "get",
        "page",
        "models",
        "unresolved",
        "counts",
        "open_per_model",
        "open_tasks",
    }
}
