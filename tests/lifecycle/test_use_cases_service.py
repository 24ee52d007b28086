"""Use case writes against a real store: authorized, validated, audited, versioned."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest

from portal.domain.use_cases import KeyMetric, MetricDraft, ModelLink
from portal.errors import InvalidInput, NotAllowed, UnknownModel
from portal.services.use_cases import UseCaseService
from portal.services.value import ValueService
from tests.lifecycle.use_cases_support import RETENTION
from tests.support.builders import ADMIN, BUSINESS, EXPERT, OTHER, OWNER, VIEWER, promise

AT = datetime(2026, 11, 2, 9, 0)


@pytest.fixture
def service(filled_store, settings) -> UseCaseService:
    return UseCaseService(filled_store, settings)


def audit(store) -> list[dict]:
    return store.fetch_all(
        "t",
        "SELECT action, actor, entity_id, model_name, before_json, after_json"
        " FROM audit_log ORDER BY id",
    )


def snapshot(store) -> tuple:
    tables = ("use_cases", "use_case_metrics", "use_case_models", "use_case_benchmarks")
    rows = tuple(store.fetch_all(t, f"SELECT * FROM {t} ORDER BY ALL") for t in tables)
    return rows, store.data_version(), len(audit(store))


def test_an_expert_proposes_and_the_use_case_is_stored_audited_and_waits(service, filled_store):
    before = filled_store.data_version()
    assert service.propose(EXPERT, RETENTION, now=AT) == "customer-retention"
    case = service.get("CUSTOMER-RETENTION")
    assert (case.status, case.proposed_by, case.proposed_at) == ("proposed", EXPERT.label, AT)
    assert case.accountable_executive == "markus.schneider@example.com"  # trimmed, case-folded
    assert case.metrics == (
        KeyMetric("retention rate increase", "business", "at_least", 4.0, "%"),
        KeyMetric("roc_auc", "model", "at_least", 0.8, ""),
    )
    assert set(case.owners) == {
        "bob.business@example.com",
        "markus.schneider@example.com",
        EXPERT.label,
    }
    assert filled_store.data_version() > before
    [entry] = audit(filled_store)
    assert entry["action"] == "use_case.propose"
    assert entry["entity_id"] == "customer-retention"
    assert json.loads(entry["after_json"])["status"] == "proposed"


def test_a_model_owner_may_propose_and_a_viewer_may_not(service, filled_store):
    assert service.may_propose(OWNER) and service.may_propose(EXPERT)
    assert not service.may_propose(VIEWER)
    service.propose(OWNER, RETENTION, now=AT)
    unchanged = snapshot(filled_store)
    with pytest.raises(NotAllowed):
        service.propose(VIEWER, replace(RETENTION, key="other"), now=AT)
    assert snapshot(filled_store) == unchanged


def test_bad_input_is_refused_with_every_problem_and_changes_nothing(service, filled_store):
    service.propose(EXPERT, RETENTION, now=AT)
    unchanged = snapshot(filled_store)
    bad = replace(
        RETENTION,
        key="Customer-Retention",
        title="",
        business_owner="not an address",
        metrics=(MetricDraft("auc", "model", "at_least", None),),
    )
    with pytest.raises(InvalidInput) as refused:
        service.propose(EXPERT, bad, now=AT)
    assert {(p.field, p.code) for p in refused.value.problems} == {
        ("key", "use_case_key_taken"),
        ("title", "required"),
        ("business_owner", "email"),
        ("target", "not_a_number"),
    }
    assert snapshot(filled_store) == unchanged


def test_owners_edit_with_before_and_after_and_the_key_stays(service, filled_store):
    service.propose(EXPERT, RETENTION, now=AT)
    changed = replace(
        RETENTION,
        key="renamed",
        title="Keep customers",
        metrics=(MetricDraft("roc_auc", "model", "at_least", 0.82),),
    )
    service.edit(BUSINESS, "customer-retention", changed, now=AT)
    case = service.get("customer-retention")
    assert case.title == "Keep customers"
    assert case.metrics == (KeyMetric("roc_auc", "model", "at_least", 0.82, ""),)
    assert service.get("renamed") is None
    entry = audit(filled_store)[-1]
    assert entry["action"] == "use_case.edit"
    before, after = json.loads(entry["before_json"]), json.loads(entry["after_json"])
    assert (before["title"], after["title"]) == (
        "Call customers before they cancel",
        "Keep customers",
    )
    assert len(before["metrics"]) == 2 and after["metrics"][0]["target"] == 0.82
    unchanged = snapshot(filled_store)
    with pytest.raises(NotAllowed):
        service.edit(OTHER, "customer-retention", RETENTION, now=AT)
    with pytest.raises(InvalidInput):
        service.edit(BUSINESS, "customer-retention", replace(RETENTION, question=""), now=AT)
    assert snapshot(filled_store) == unchanged


def test_status_moves_only_where_they_make_sense_and_approval_is_refused(service, filled_store):
    service.propose(EXPERT, RETENTION, now=AT)
    with pytest.raises(InvalidInput) as refused:
        service.set_status(BUSINESS, "customer-retention", "approved", now=AT)
    assert refused.value.problems[0].code == "use_case_approval"
    with pytest.raises(InvalidInput):
        service.set_status(BUSINESS, "customer-retention", "in_production", now=AT)
    with filled_store.transaction() as tx:  # as the design sign-off does
        service.use_cases.set_status_in(
            tx, service.get("customer-retention").id, "approved", "x", AT
        )
    with pytest.raises(NotAllowed):
        service.set_status(VIEWER, "customer-retention", "in_development", now=AT)
    service.set_status(BUSINESS, "customer-retention", "in_development", now=AT)
    service.set_status(ADMIN, "customer-retention", "in_production", now=AT)
    assert service.get("customer-retention").status == "in_production"
    entry = audit(filled_store)[-1]
    assert entry["action"] == "use_case.status"
    assert json.loads(entry["before_json"]) == {"status": "in_development"}


def test_links_in_the_portal_win_over_the_tag_and_unlinking_leaves_the_tag(service, filled_store):
    service.propose(EXPERT, RETENTION, now=AT)
    service.propose(EXPERT, replace(RETENTION, key="pricing", title="Price houses"), now=AT)
    with filled_store.transaction() as tx:
        tx.execute(
            "INSERT INTO model_tags VALUES ('customer-churn', 'use_case', 'Customer-Retention')"
        )
    assert service.serving() == {"customer-retention": (ModelLink("customer-churn", "tag"),)}
    service.link_model(EXPERT, "pricing", "house-prices", now=AT)
    service.link_model(EXPERT, "pricing", "customer-churn", now=AT)
    assert service.serving() == {
        "pricing": (ModelLink("customer-churn", "portal"), ModelLink("house-prices", "portal"))
    }
    entry = audit(filled_store)[-1]
    assert (entry["action"], entry["model_name"]) == ("use_case.link", "customer-churn")
    service.unlink_model(EXPERT, "pricing", "customer-churn", now=AT)
    assert service.use_case_of_models() == {
        "customer-churn": "customer-retention",
        "house-prices": "pricing",
    }
    unchanged = snapshot(filled_store)
    with pytest.raises(UnknownModel):
        service.link_model(EXPERT, "pricing", "no-such-model", now=AT)
    with pytest.raises(InvalidInput):
        service.unlink_model(EXPERT, "pricing", "customer-churn", now=AT)
    with pytest.raises(NotAllowed):
        service.link_model(VIEWER, "pricing", "bare model", now=AT)
    assert snapshot(filled_store) == unchanged


def test_the_pipeline_names_approved_use_cases_without_a_model(service, filled_store):
    service.propose(EXPERT, RETENTION, now=AT)
    service.propose(EXPERT, replace(RETENTION, key="fraud", title="Flag fraud"), now=AT)
    with filled_store.transaction() as tx:
        for key in ("customer-retention", "fraud"):
            service.use_cases.set_status_in(tx, service.get(key).id, "approved", "x", AT)
    service.link_model(EXPERT, "customer-retention", "customer-churn", now=AT)
    pipeline = service.pipeline()
    assert dict(pipeline.counts)["approved"] == 2
    assert [c.title for c in pipeline.approved_without_model] == ["Flag fraud"]


def test_benchmarks_are_versioned_audited_and_validated(service, filled_store):
    service.propose(EXPERT, RETENTION, now=AT)
    assert service.set_benchmark(BUSINESS, "customer-retention", promise(), now=AT) == 1
    assert service.set_benchmark(BUSINESS, "customer-retention", promise(target=380.0), now=AT) == 2
    history = service.benchmark_history("customer-retention")
    assert [(r["version"], r["target"], r["set_by"]) for r in history] == [
        (1, 370.0, BUSINESS.label),
        (2, 380.0, BUSINESS.label),
    ]
    assert service.expected_values() == {"customer-retention": 380.0 * 50.0}
    entry = audit(filled_store)[-1]
    assert entry["action"] == "use_case.benchmark"
    assert entry["entity_id"] == "customer-retention/customers kept/v2"
    assert json.loads(entry["before_json"])["target"] == 370.0
    unchanged = snapshot(filled_store)
    with pytest.raises(InvalidInput):
        service.set_benchmark(BUSINESS, "customer-retention", promise(kpi="", baseline=None))
    with pytest.raises(NotAllowed):
        service.set_benchmark(VIEWER, "customer-retention", promise())
    assert snapshot(filled_store) == unchanged
    assert service.benchmark_history("nothing") == []


def test_a_promise_becomes_a_linked_models_benchmark_with_its_owners_permission(
    service, filled_store, settings
):
    service.propose(EXPERT, RETENTION, now=AT)
    service.set_benchmark(EXPERT, "customer-retention", promise(), now=AT)
    with pytest.raises(InvalidInput) as refused:
        service.adopt_benchmark(OWNER, "customer-retention", "customer-churn", "customers kept")
    assert refused.value.problems[0].code == "use_case_not_serving"
    service.link_model(EXPERT, "customer-retention", "customer-churn", now=AT)
    with pytest.raises(InvalidInput):
        service.adopt_benchmark(OWNER, "customer-retention", "customer-churn", "no such kpi")
    with pytest.raises(NotAllowed):
        service.adopt_benchmark(EXPERT, "customer-retention", "customer-churn", "customers kept")
    version = service.adopt_benchmark(
        OWNER, "customer-retention", "customer-churn", "customers kept", now=AT
    )
    [row] = ValueService(filled_store, settings).benchmark_history("customer-churn")
    assert (version, row["target"], row["set_by"]) == (1, 370.0, OWNER.label)
    assert row["rationale"].startswith("Call customers before they cancel (customer-retention, v1)")
    assert audit(filled_store)[-1]["action"] == "benchmark.set"
