"""The demo's incidents: an open serious one on the credit model traced to the version in
production that day, and an older one on the churn model closed with a root cause."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from portal.demo.incidents import seed_demo_incidents
from portal.domain.incidents import IncidentFilter
from portal.domain.risk import Governance
from portal.services.incidents import IncidentService
from portal.services.risk import RiskService
from portal.sources.mlflow_records import SourceModel
from tests.conftest import sync_fake
from tests.support.builders import ADMIN
from tests.support.catalog_fixture import T0, base_registry, move_alias, run, version

NOW = datetime(2026, 12, 2, 9, 0)


def test_the_demo_story_of_incidents(settings, store):
    source = base_registry()
    credit = SourceModel("credit-default-risk", "", T0, T0, {"owner": "carla@example.com"}, {})
    source.snapshot = replace(
        source.snapshot,
        models=(*source.snapshot.models, credit),
        versions=(*source.snapshot.versions, version("credit-default-risk", 1, "c1")),
    )
    source.runs["c1"] = run("c1", T0)
    move_alias(source, "customer-churn", "champion", 1)
    move_alias(source, "credit-default-risk", "champion", 1)
    sync_fake(store, source, NOW - timedelta(days=200))
    move_alias(source, "customer-churn", "champion", 2)  # after the churn incident
    sync_fake(store, source, NOW - timedelta(days=30))
    RiskService(store, settings).set_governance(
        ADMIN, "credit-default-risk", Governance("", "", "", "high", "")
    )
    seed_demo_incidents(store, settings, NOW)
    service = IncidentService(store, settings)
    credit_incident, churn_incident = service.page(IncidentFilter()).items
    assert (credit_incident.model_name, credit_incident.status, credit_incident.severity) == (
        "credit-default-risk",
        "open",
        "serious",
    )
    assert credit_incident.started_at.date() == (NOW - timedelta(days=6)).date()
    assert credit_incident.trace.version == 1 and credit_incident.trace.run_id == "c1"
    assert credit_incident.deadline is not None
    assert (churn_incident.model_name, churn_incident.status) == ("customer-churn", "closed")
    assert churn_incident.trace.version == 1  # not the current version 2
    assert churn_incident.root_cause.startswith("A password rotation")
    assert len(service.get(churn_incident.reference).history) == 2
