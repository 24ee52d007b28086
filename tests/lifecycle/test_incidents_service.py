"""Incidents through the service against a real store and ledger: the trace finds the version
in production when the incident started (not the current one), moves are kept and audited,
bad input changes nothing, resubmits store once, and incidents raise the risk signals and the
attention list."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from portal.domain.incidents import IncidentDraft, IncidentFilter
from portal.domain.risk import Governance
from portal.errors import InvalidInput, NotAllowed, UnknownIncident
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.attention import AttentionService
from portal.services.incidents import IncidentService
from portal.services.risk import RiskService
from tests.conftest import sync_fake
from tests.support.builders import ADMIN, OWNER, VIEWER
from tests.support.catalog_fixture import T0, base_registry, move_alias

NOW = T0 + timedelta(days=60)
CHURN = "customer-churn"


def draft(started_at: datetime, **changes) -> IncidentDraft:
    values = {
        "model_name": CHURN,
        "started_at": started_at,
        "kind": "wrong_predictions",
        "severity": "serious",
        "title": "Loyal customers flagged as leaving",
        "description": "Customers of twenty years get a churn score above 0.9.",
        "impact": "Agents called 40 loyal customers for nothing.",
        "cases": 40,
    }
    return IncidentDraft(**{**values, **changes})


@pytest.fixture
def service(settings, filled_store):
    return IncidentService(filled_store, settings)


def audit_actions(store) -> list[tuple[str, str]]:
    rows = store.fetch_all("test_audit", "SELECT action, entity_id FROM audit_log ORDER BY id", {})
    return [(row["action"], row["entity_id"]) for row in rows]


def test_the_trace_is_the_version_in_production_when_it_started(service, filled_store):
    # The ledger: champion v1 from T0+20d, v2 from T0+40d (the current one).
    result = service.report(VIEWER, draft(T0 + timedelta(days=30)), "k1", now=NOW)
    assert (result.reference, result.created) == ("INC-1", True)
    incident = service.get("INC-1").incident
    trace = incident.trace
    assert (incident.model_version, trace.version, trace.marker) == (1, 1, "champion")
    assert trace.run_id == "r1"
    assert trace.git_commit == "a" * 40
    assert trace.datasets == ("churn-train",)
    assert trace.data_sources == ("crm.contracts", "billing.invoices")
    assert trace.technical_owners == ("anna.schmidt@example.com",)
    assert trace.business_process == "Customer retention"
    # Every model trained on the same logged dataset shares it.
    assert trace.shared_models == ("bare model", "house-prices", "Kündigung Geschäftskunden")
    assert set(trace.shared_processes) == {"Customer retention", "Mortgage valuation"}
    later = service.report(VIEWER, draft(T0 + timedelta(days=50)), "k2", now=NOW)
    assert service.get(later.reference).incident.trace.version == 2
    assert audit_actions(filled_store)[-2:] == [
        ("incident.reported", "INC-1"),
        ("incident.reported", "INC-2"),
    ]


def test_before_the_first_production_version_the_trace_says_so(service):
    result = service.report(VIEWER, draft(T0 + timedelta(days=10)), "early", now=NOW)
    trace = service.get(result.reference).incident.trace
    assert trace.version is None and trace.run_id == ""
    assert trace.technical_owners == ("anna.schmidt@example.com",)


def test_the_trace_stays_as_reported_when_the_alias_moves_on(service, filled_store):
    result = service.report(VIEWER, draft(NOW - timedelta(days=1)), "k", now=NOW)
    source = base_registry()
    move_alias(source, CHURN, "champion", 1)
    sync_fake(filled_store, source, NOW + timedelta(days=1))
    assert service.get(result.reference).incident.trace.version == 2


def test_a_resubmit_stores_once(service, filled_store):
    first = service.report(VIEWER, draft(NOW - timedelta(days=1)), "same", now=NOW)
    again = service.report(VIEWER, draft(NOW - timedelta(days=1)), "same", now=NOW)
    assert again.reference == first.reference and not again.created
    assert service.page(IncidentFilter()).total == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started_at": NOW + timedelta(hours=1)}, "started_at"),
        ({"started_at": T0 - timedelta(days=1)}, "started_at"),
        ({"title": ""}, "title"),
        ({"model_name": ""}, "model_name"),
    ],
)
def test_bad_input_changes_nothing(service, filled_store, changes, field):
    before = audit_actions(filled_store)
    with pytest.raises(InvalidInput) as raised:
        service.report(VIEWER, replace(draft(NOW - timedelta(days=1)), **changes), "bad", now=NOW)
    assert [p.field for p in raised.value.problems] == [field]
    assert service.page(IncidentFilter()).total == 0
    assert audit_actions(filled_store) == before


def test_owners_move_it_to_closed_with_a_root_cause_and_can_reopen(service, filled_store):
    reference = service.report(VIEWER, draft(NOW - timedelta(days=3)), "k", now=NOW).reference
    with pytest.raises(NotAllowed):
        service.update(VIEWER, reference, "mitigated", "I fixed it.")
    service.update(OWNER, reference, "mitigated", "Scores are overridden by hand.", now=NOW)
    with pytest.raises(InvalidInput) as raised:
        service.update(OWNER, reference, "closed", "Done.", "", now=NOW)
    assert [p.field for p in raised.value.problems] == ["root_cause"]
    closed = service.update(
        OWNER, reference, "closed", "Retrained.", "A stale tenure feature.", now=NOW
    )
    assert (closed.status, closed.root_cause) == ("closed", "A stale tenure feature.")
    service.update(ADMIN, reference, "open", "It is back.", now=NOW + timedelta(days=1))
    found = service.get(reference)
    assert found.incident.status == "open"
    assert [(m.status, m.note, m.updated_by) for m in found.history] == [
        ("mitigated", "Scores are overridden by hand.", OWNER.email),
        ("closed", "Retrained.", OWNER.email),
        ("open", "It is back.", ADMIN.email),
    ]
    assert [a for a in audit_actions(filled_store) if a[0] == "incident.updated"] == [
        ("incident.updated", reference)
    ] * 3


def test_an_unknown_reference_is_refused(service):
    with pytest.raises(UnknownIncident):
        service.get("INC-99")
    with pytest.raises(UnknownIncident):
        service.update(ADMIN, "nonsense", "closed", "x", "y")


def test_the_list_puts_open_first_and_pages_in_sql(service):
    for day in range(25):
        service.report(
            VIEWER,
            draft(NOW - timedelta(days=30 - day), severity="low" if day % 2 else "high"),
            f"k{day}",
            now=NOW,
        )
    service.update(OWNER, "INC-1", "mitigated", "Worked around.", now=NOW)
    page = service.page(IncidentFilter(), page=1, page_size=10)
    assert (page.total, page.pages, len(page.items)) == (25, 3, 10)
    assert page.items[0].severity == "high" and page.items[0].status == "open"
    last = service.page(IncidentFilter(), page=3, page_size=10)
    assert last.items[-1].reference == "INC-1"  # the only one mitigated: after every open one
    narrowed = service.page(IncidentFilter(statuses=("open",), severities=("low",)))
    assert narrowed.total == 12
    assert service.page(IncidentFilter(models=("house-prices",))).total == 0
    with pytest.raises(InvalidInput):
        service.page(IncidentFilter(statuses=("gone",)))


def test_the_deadline_shows_for_a_serious_incident_of_a_high_risk_model(
    service, settings, filled_store
):
    risk = RiskService(filled_store, settings)
    reference = service.report(VIEWER, draft(NOW - timedelta(days=2)), "k", now=NOW).reference
    assert service.get(reference).incident.deadline is None
    risk.set_governance(OWNER, CHURN, Governance("", "", "", "high", ""))
    deadline = service.get(reference, today=NOW.date() + timedelta(days=3)).incident.deadline
    assert (deadline.due, deadline.days_left) == (NOW.date() + timedelta(days=15), 12)


def test_open_incidents_are_tasks_for_every_owner(service, settings, filled_store):
    RiskService(filled_store, settings).set_governance(
        OWNER, CHURN, Governance("exec@example.com", "bo@example.com", "", "", "")
    )
    reference = service.report(VIEWER, draft(NOW - timedelta(days=2)), "k", now=NOW).reference
    tasks = service.open_tasks(NOW)
    assert sorted(task.person for task in tasks) == [
        "anna.schmidt@example.com",
        "bo@example.com",
        "exec@example.com",
    ]
    task = tasks[0]
    assert (task.kind, task.key, task.serious, task.page) == (
        "incident_new",
        "incident:1",
        True,
        "incidents",
    )
    assert task.params == (("incident", reference),)
    assert task.values == {"reference": reference, "title": "Loyal customers flagged as leaving"}
    service.update(OWNER, reference, "mitigated", "Worked around.", now=NOW)
    assert service.open_tasks(NOW) == ()


def test_incidents_raise_the_signals_and_the_attention_list(service, settings, filled_store):
    risk = RiskService(filled_store, settings)
    before = risk.model(CHURN, NOW).signals
    service.report(
        VIEWER, draft(NOW - timedelta(days=2), kind="outage", title="Scores stopped"), "o", now=NOW
    )
    service.report(VIEWER, draft(NOW - timedelta(days=3)), "w", now=NOW)
    after = risk.model(CHURN, NOW).signals
    assert before["wrong_predictions"].level == "low"
    assert after["wrong_predictions"].level == "high"
    assert after["wrong_predictions"].reasons[-1].code == "wrong.incident_open"
    assert after["outage"].level == "high"
    assert after["outage"].reasons[-1].code == "outage.incident_open"
    runtime = Runtime(
        settings, filled_store, Scheduler(lambda r: None, 0), Scheduler(lambda r: None, 0)
    )
    facts = AttentionService(runtime).lifecycle_facts()[CHURN]
    assert facts["open_incidents"] == ("INC-2", "INC-1")  # the earliest start first
    assert facts["incident_since"] == NOW - timedelta(days=3)
    service.update(OWNER, "INC-1", "mitigated", "Restarted.", now=NOW)
    service.update(OWNER, "INC-1", "closed", "Back.", "A full disk.", now=NOW)
    outage = risk.model(CHURN, NOW).signals["outage"]
    assert outage.reasons[-1].code == "outage.incidents"
    assert AttentionService(runtime).lifecycle_facts()[CHURN]["open_incidents"] == ("INC-2",)
