"""The demo's sign-offs tell the story: designs approved but claims-triage's, versions accepted
and approved before going live, except employee-attrition v2 and credit-default-risk."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from portal.demo.governance import seed_demo_governance
from portal.demo.signoffs import seed_demo_signoffs
from portal.demo.use_cases import advance_demo_use_cases, seed_demo_use_cases, use_cases
from portal.services.signoffs import SignOffService
from portal.services.use_cases import UseCaseService
from tests.conftest import sync_fake
from tests.demo.test_governance import demo_like_registry
from tests.support.catalog_fixture import T0, move_alias, run, version

NOW = datetime(2026, 11, 27, 12, 0)


def test_the_demo_signoffs_leave_the_storys_gaps(settings, store):
    source = demo_like_registry()
    source.snapshot = replace(
        source.snapshot,
        versions=(*source.snapshot.versions, version("employee-attrition", 2, "run-attrition-2")),
    )
    source.runs["run-attrition-2"] = run("run-attrition-2", T0)
    move_alias(source, "employee-attrition", "champion", 1)
    sync_fake(store, source, T0)
    move_alias(source, "employee-attrition", "champion", 2)
    sync_fake(store, source, datetime(2026, 5, 26, 15, 0))
    seed_demo_governance(store, settings, NOW)
    seed_demo_use_cases(store, settings, NOW)
    seed_demo_signoffs(store, settings, NOW)
    advance_demo_use_cases(store, settings, NOW)

    statuses = {u.key: u.status for u in UseCaseService(store, settings).all()}
    assert statuses == {case.draft.key: case.status for case in use_cases(NOW)}
    service = SignOffService(store, settings)
    assert service.design_state("claims-triage").status == "pending"
    assert service.design_state("invoice-fraud").status == "approved"
    gaps = {(gap.model_name, gap.version) for gap in service.unapproved_production()}
    assert ("employee-attrition", 2) in gaps
    assert any(model == "credit-default-risk" for model, _ in gaps)
    assert not any(model == "customer-churn" for model, _ in gaps)
    ledger = service.ledger_approvals("employee-attrition")
    assert [(p.version, p.approved_before) for p in ledger] == [(2, None), (1, True)]
    evaluation = service.model_signoffs("employee-attrition").versions[0].evaluation
    assert evaluation.status == "approved"
    tasks = {(t.kind, t.variant, t.person) for t in service.open_tasks(NOW)}
    assert ("signoff_waiting", "design", "markus.schneider@example.com") in tasks
    assert ("unapproved_production", "", "claudia.richter@example.com") in tasks
