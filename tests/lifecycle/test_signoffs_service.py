"""Sign-offs against a real store: record, withdraw, reject, approve a design, and what waits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.domain.signoffs import Subject
from portal.errors import InvalidInput, NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.attention import AttentionService
from portal.services.signoffs import SignOffService
from portal.services.use_cases import UseCaseService
from tests.conftest import sync_fake
from tests.lifecycle.signoffs_fixture import AT, BUSINESS_OWNER, EXECUTIVE, add_use_case
from tests.support.builders import ADMIN, OTHER, OWNER
from tests.support.catalog_fixture import T0, base_registry, move_alias

DESIGN = Subject(use_case_key="churn")
V2 = Subject(model_name="customer-churn", version=2)


def _sign(service, actor, step, subject, role, decision="approved", comment="", minutes=0, **kw):
    return service.sign(
        actor,
        step,
        subject,
        role,
        decision,
        kw.get("conditions", ""),
        comment,
        f"{actor.email}:{step}:{role}:{decision}:{minutes}:{subject}",
        now=AT + timedelta(minutes=minutes),
    )


def _audit_actions(store):
    return [
        row["action"]
        for row in store.fetch_all("audit", "SELECT action FROM audit_log ORDER BY id")
    ]


def test_a_design_approved_by_both_roles_moves_the_use_case_to_approved(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    _sign(service, BUSINESS_OWNER, "design", DESIGN, "business_owner", conditions="Pilot first")
    assert UseCaseService(filled_store, settings).get("churn").status == "proposed"
    state = service.design_state("churn")
    assert (state.status, state.missing) == ("pending", ("accountable_executive",))
    _sign(service, EXECUTIVE, "design", DESIGN, "accountable_executive", minutes=1)
    assert UseCaseService(filled_store, settings).get("churn").status == "approved"
    assert service.design_state("churn").status == "approved"
    history = service.use_case_history("churn")
    assert [(r.signed_by_name, r.decision) for r in history] == [
        ("Markus Schneider", "approved"),
        ("Sophie Wagner", "approved"),
    ]
    assert history[1].conditions == "Pilot first"
    assert _audit_actions(filled_store)[-3:] == [
        "signoff.approved",
        "signoff.approved",
        "use_case.approved",
    ]


def test_someone_not_named_in_the_role_is_refused_and_nothing_is_stored(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    with pytest.raises(NotAllowed):
        _sign(service, OTHER, "design", DESIGN, "business_owner")
    # The technical owner may accept at evaluation, but not as business owner.
    with pytest.raises(NotAllowed):
        _sign(service, OWNER, "evaluation", V2, "business_owner")
    with pytest.raises(NotAllowed):
        _sign(service, BUSINESS_OWNER, "go_live", V2, "accountable_executive")
    assert service.model_history("customer-churn") == ()
    assert service.use_case_history("churn") == ()


def test_an_admin_may_record_in_any_role_and_the_record_says_so(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    done = _sign(service, ADMIN, "go_live", V2, "accountable_executive", comment="On paper")
    assert done.signed_as_admin is True
    mine = _sign(service, EXECUTIVE, "go_live", V2, "accountable_executive", minutes=1)
    assert mine.signed_as_admin is False
    assert service.roles_for(ADMIN, "design", DESIGN) == ("business_owner", "accountable_executive")
    assert service.roles_for(OWNER, "evaluation", V2) == ("technical_owner",)
    assert service.roles_for(OTHER, "evaluation", V2) == ()


def test_bad_input_gets_problems_and_changes_nothing(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    cases = [
        (("launch", V2, "business_owner", "approved", ""), "step"),
        (("go_live", V2, "business_owner", "approved", ""), "role"),
        (("go_live", V2, "accountable_executive", "maybe", ""), "decision"),
        (("go_live", V2, "accountable_executive", "rejected", "  "), "comment"),
        (("go_live", V2, "accountable_executive", "withdrawn", "Oops"), "decision"),
        (("design", Subject(use_case_key="nope"), "business_owner", "approved", ""), "use_case"),
        (
            ("go_live", Subject("", "customer-churn", 9), "accountable_executive", "approved", ""),
            "version",
        ),
    ]
    for (step, subject, role, decision, comment), field in cases:
        with pytest.raises(InvalidInput) as raised:
            service.sign(EXECUTIVE, step, subject, role, decision, "", comment, f"k{field}", AT)
        assert field in [p.field for p in raised.value.problems]
    with pytest.raises(InvalidInput) as raised:
        service.sign(
            EXECUTIVE,
            "go_live",
            V2,
            "accountable_executive",
            "approved",
            "x" * 2001,
            "",
            "long",
            AT,
        )
    assert [(p.field, p.code) for p in raised.value.problems] == [("conditions", "too_long")]
    assert service.model_history("customer-churn") == ()


def test_a_resubmitted_form_stores_one_record(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    first = service.sign(
        EXECUTIVE, "go_live", V2, "accountable_executive", "approved", "", "", "same-key", AT
    )
    again = service.sign(
        EXECUTIVE,
        "go_live",
        V2,
        "accountable_executive",
        "approved",
        "",
        "",
        "same-key",
        AT + timedelta(minutes=3),
    )
    assert again.id == first.id
    assert len(service.model_history("customer-churn")) == 1


def test_withdrawal_and_rejection_are_new_records_and_the_newest_counts(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    _sign(service, OWNER, "evaluation", V2, "technical_owner")
    _sign(service, BUSINESS_OWNER, "evaluation", V2, "business_owner", minutes=1)
    card = service.model_signoffs("customer-churn")
    assert card.versions[0].evaluation.status == "approved"
    _sign(service, OWNER, "evaluation", V2, "technical_owner", "withdrawn", "Leak", minutes=2)
    card = service.model_signoffs("customer-churn")
    assert (card.versions[0].evaluation.status, card.versions[0].evaluation.missing) == (
        "pending",
        ("technical_owner",),
    )
    _sign(service, OWNER, "evaluation", V2, "technical_owner", "rejected", "Leak", minutes=3)
    card = service.model_signoffs("customer-churn")
    assert card.versions[0].evaluation.status == "rejected"
    assert [r.decision for r in card.history] == ["rejected", "withdrawn", "approved", "approved"]


def test_evaluation_evidence_records_targets_and_the_versions_run_metrics(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    card = service.model_signoffs("customer-churn")
    assert card.awaiting.evaluation == 2
    shown = {e.metric: (e.value, e.met) for e in card.evidence[2]}
    assert shown == {"accuracy": (0.86, False), "roc_auc": (0.9, True)}
    done = _sign(service, OWNER, "evaluation", V2, "technical_owner")
    assert {e.metric: e.met for e in done.evidence} == {"accuracy": False, "roc_auc": True}
    assert service.model_history("customer-churn")[0].evidence == done.evidence


def test_open_tasks_name_who_must_decide(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    tasks = {(t.kind, t.variant, t.person, t.detail) for t in service.open_tasks(AT)}
    assert tasks == {
        ("signoff_waiting", "design", BUSINESS_OWNER.email, ()),
        ("signoff_waiting", "design", EXECUTIVE.email, ()),
        ("signoff_waiting", "evaluation", BUSINESS_OWNER.email, (("version", "2"),)),
        ("signoff_waiting", "evaluation", OWNER.email, (("version", "2"),)),
        ("unapproved_production", "", EXECUTIVE.email, (("version", "2"),)),
    }
    assert all(t.serious for t in service.open_tasks(AT))
    design = next(t for t in service.open_tasks(AT) if t.variant == "design")
    assert (design.page, design.params) == ("use-cases", (("use_case", "churn"),))
    assert len({t.key for t in service.open_tasks(AT)}) == 5
    assert {t.key for t in service.open_tasks(AT)} == {t.key for t in service.open_tasks(AT)}
    _sign(service, BUSINESS_OWNER, "design", DESIGN, "business_owner")
    _sign(service, EXECUTIVE, "go_live", V2, "accountable_executive")
    kinds = {(t.variant, t.person) for t in service.open_tasks(AT)}
    assert ("design", BUSINESS_OWNER.email) not in kinds
    assert ("design", EXECUTIVE.email) in kinds
    assert "unapproved_production" not in {t.kind for t in service.open_tasks(AT)}


def test_unapproved_production_and_the_ledger_from_a_real_ledger(filled_store, settings):
    add_use_case(filled_store)
    service = SignOffService(filled_store, settings)
    (gap,) = service.unapproved_production()
    assert (gap.model_name, gap.version, gap.since) == (
        "customer-churn",
        2,
        T0 + timedelta(days=40),
    )
    assert gap.accountable_executive == EXECUTIVE.email
    # Version 1 approved after it went live; version 2 approved later, before it goes back.
    v1 = Subject(model_name="customer-churn", version=1)
    service.sign(
        EXECUTIVE,
        "go_live",
        v1,
        "accountable_executive",
        "approved",
        "",
        "",
        "a",
        T0 + timedelta(days=30),
    )
    service.sign(
        EXECUTIVE,
        "go_live",
        V2,
        "accountable_executive",
        "approved",
        "",
        "",
        "b",
        T0 + timedelta(days=50),
    )
    assert service.unapproved_production() == ()
    source = base_registry()
    move_alias(source, "customer-churn", "champion", 1)
    sync_fake(filled_store, source, T0 + timedelta(days=60))
    ledger = service.ledger_approvals("customer-churn")
    assert [(p.version, p.approved_before) for p in ledger] == [(1, True), (2, False), (1, False)]
    assert ledger[-1].end == T0 + timedelta(days=40)


def test_the_attention_list_names_the_unapproved_production_version(filled_store, settings):
    add_use_case(filled_store)
    runtime = Runtime(settings, filled_store, Scheduler(lambda request: None, 60))
    facts = AttentionService(runtime).lifecycle_facts()
    assert facts["customer-churn"]["unapproved_since"] == T0 + timedelta(days=40)
    kinds = {item.kind for item in AttentionService(runtime).portfolio().of("customer-churn")}
    assert "unapproved_production" in kinds
    SignOffService(filled_store, settings).sign(
        EXECUTIVE, "go_live", V2, "accountable_executive", "approved", "", "", "ok", AT
    )
    assert "unapproved_since" not in AttentionService(runtime).lifecycle_facts()["customer-churn"]
