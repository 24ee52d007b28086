"""Risk assessments, accountability, experts and signals through RiskService, on a real store."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.feedback import FeedbackDraft
from portal.domain.risk import AssessmentDraft, EvidenceItem, Governance, Reason
from portal.errors import InvalidInput, NotAllowed, UnknownModel
from portal.services.audit import AuditFilter, AuditService
from portal.services.authorization import models_owned_by, owners_of
from portal.services.feedback import FeedbackService
from portal.services.identity import LOCAL_USER, Identity
from portal.services.risk import RiskService
from portal.sources.mlflow_records import RegistrySnapshot
from portal.store.audit_repo import AuditRepository
from portal.store.governance_repo import GovernanceRepository
from tests.conftest import sync_fake
from tests.support.builders import ADMIN, BUSINESS, OTHER, OWNER
from tests.support.catalog_fixture import T0, base_registry, move_alias, run, version
from tests.support.drift_fixtures import NOW, fill_drift_results

REVIEW = date(2026, 6, 1)
OUTAGE = AssessmentDraft("outage", 2, 4, "  Batch fallback to yesterday's scores.  ", REVIEW)
NO_ONE = Governance("", "", "", "", "")


@pytest.fixture
def service(settings, filled_store):
    return RiskService(filled_store, settings)


def audit(service) -> list:
    return AuditService(service.store).entries(ADMIN, AuditFilter())


def assessment_count(service) -> int:
    return service.store.fetch_value("count_assessments", "SELECT count(*) FROM risk_assessments")


# --- assessments --------------------------------------------------------------------------------


def test_an_owner_assessment_is_stored_scored_and_audited(service):
    new_id = service.assess(OWNER, "customer-churn", OUTAGE, now=NOW)
    model = service.model("customer-churn", NOW)
    outage = model.assessments["outage"]
    assert (outage.id, outage.likelihood, outage.impact, outage.score, outage.level) == (
        new_id,
        2,
        4,
        8,
        "medium",
    )
    assert outage.mitigation == "Batch fallback to yesterday's scores."
    assert (outage.next_review, outage.overdue) == (REVIEW, False)
    assert (outage.assessed_by, outage.assessed_by_name, outage.assessed_at) == (
        "anna.schmidt@example.com",
        "Anna Schmidt",
        NOW,
    )
    assert model.highest_level == "medium"
    [entry] = audit(service)
    assert (entry.action, entry.entity_id, entry.model_name, entry.actor) == (
        "risk.assessed",
        "customer-churn",
        "customer-churn",
        "anna.schmidt@example.com",
    )
    assert entry.before_json is None
    assert json.loads(entry.after_json) == {
        "risk": "outage",
        "likelihood": 2,
        "impact": 4,
        "mitigation": "Batch fallback to yesterday's scores.",
        "next_review": "2026-06-01",
    }


def test_a_new_assessment_is_a_new_version_and_the_old_one_stays_history(service):
    first = service.assess(OWNER, "customer-churn", OUTAGE, now=NOW)
    later = NOW + timedelta(days=3)
    second = service.assess(
        ADMIN, "customer-churn", replace(OUTAGE, likelihood=4, mitigation="Retry queue."), now=later
    )
    assert second != first
    model = service.model("customer-churn", later)
    assert (model.assessments["outage"].id, model.assessments["outage"].score) == (second, 16)
    assert model.highest_level == "high"
    assert [a.id for a in service.history("customer-churn")] == [second, first]
    assert [a.likelihood for a in service.history("customer-churn")] == [4, 2]
    newest = audit(service)[0]
    assert json.loads(newest.before_json) == {
        "likelihood": 2,
        "impact": 4,
        "mitigation": "Batch fallback to yesterday's scores.",
        "next_review": "2026-06-01",
    }
    assert service.history("house-prices") == ()


def test_assessments_of_different_risks_stand_side_by_side(service):
    service.assess(OWNER, "customer-churn", OUTAGE, now=NOW)
    service.assess(OWNER, "customer-churn", AssessmentDraft("decay", 3, 3, "", REVIEW), now=NOW)
    assessments = service.model("customer-churn", NOW).assessments
    assert sorted(assessments) == ["decay", "outage"]
    assert assessments["decay"].level == "medium"


def test_bad_input_raises_with_every_problem_and_stores_nothing(service):
    bad = AssessmentDraft("outage", 0, 6, "x", NOW.date())
    with pytest.raises(InvalidInput) as invalid:
        service.assess(OWNER, "customer-churn", bad, now=NOW)
    assert [(p.field, p.code) for p in invalid.value.problems] == [
        ("likelihood", "scale"),
        ("impact", "scale"),
        ("next_review", "date_past"),
    ]
    with pytest.raises(UnknownModel):
        service.assess(ADMIN, "no such model", OUTAGE, now=NOW)
    assert assessment_count(service) == 0
    assert audit(service) == []


def test_only_owners_and_admins_may_assess(service):
    assert service.may_assess(OWNER, "customer-churn")
    assert not service.may_assess(OWNER, "house-prices")
    assert not service.may_assess(OTHER, "customer-churn")
    assert service.may_assess(ADMIN, "house-prices")
    assert service.may_assess(LOCAL_USER, "house-prices")
    with pytest.raises(NotAllowed):
        service.assess(OTHER, "customer-churn", OUTAGE, now=NOW)
    with pytest.raises(NotAllowed):
        service.assess(OWNER, "house-prices", OUTAGE, now=NOW)
    assert assessment_count(service) == 0
    service.assess(ADMIN, "house-prices", OUTAGE, now=NOW)
    service.assess(LOCAL_USER, "house-prices", OUTAGE, now=NOW)
    assert assessment_count(service) == 2
    assert service.history("house-prices")[0].assessed_by == "Local user"


def test_the_audit_entry_is_written_in_the_same_transaction(service, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(AuditRepository, "append", staticmethod(broken))
    version_before = service.store.data_version()
    with pytest.raises(RuntimeError):
        service.assess(OWNER, "customer-churn", OUTAGE, now=NOW)
    with pytest.raises(RuntimeError):
        service.set_governance(
            ADMIN, "customer-churn", replace(NO_ONE, serving_mode="batch"), now=NOW
        )
    with pytest.raises(RuntimeError):
        service.name_expert(ADMIN, "customer-churn", "erika@example.com", now=NOW)
    assert assessment_count(service) == 0
    assert GovernanceRepository(service.store).governance() == {}
    assert GovernanceRepository(service.store).experts() == {}
    assert service.store.data_version() == version_before


def test_an_overdue_review_shows_in_the_portfolio(service):
    past = NOW - timedelta(days=200)
    service.assess(
        OWNER,
        "customer-churn",
        AssessmentDraft("knowledge_loss", 3, 4, "Pair programming.", past.date() + timedelta(90)),
        now=past,
    )
    service.assess(OWNER, "customer-churn", OUTAGE, now=NOW)
    portfolio = service.portfolio(NOW)
    [overdue] = portfolio.overdue
    assert (overdue.model_name, overdue.risk, overdue.overdue) == (
        "customer-churn",
        "knowledge_loss",
        True,
    )
    churn = service.model("customer-churn", NOW)
    assert [a.risk for a in churn.overdue] == ["knowledge_loss"]
    # Seen from before the review date, it is not overdue.
    assert service.portfolio(past + timedelta(days=1)).overdue == ()


# --- portfolio ----------------------------------------------------------------------------------


def test_portfolio_lists_high_risks_first_and_the_gaps(service):
    portfolio = service.portfolio(NOW)
    assert {m.name for m in portfolio.models} == {
        "bare model",
        "customer-churn",
        "house-prices",
        "Kündigung Geschäftskunden",
    }
    in_production = {"customer-churn", "house-prices", "Kündigung Geschäftskunden"}
    assert {m.name for m in portfolio.models if m.in_production} == in_production
    # Nothing assessed, nobody accountable; the bare model is not in production.
    assert set(portfolio.unassessed) == in_production
    assert set(portfolio.without_executive) == in_production
    assert portfolio.high_risks == ()

    service.assess(ADMIN, "house-prices", AssessmentDraft("decay", 2, 5, "", REVIEW), now=NOW)
    service.assess(ADMIN, "house-prices", AssessmentDraft("outage", 1, 2, "", REVIEW), now=NOW)
    service.assess(OWNER, "customer-churn", AssessmentDraft("decay", 4, 5, "", REVIEW), now=NOW)
    service.assess(ADMIN, "bare model", AssessmentDraft("decay", 5, 5, "", REVIEW), now=NOW)
    service.set_governance(
        OWNER,
        "customer-churn",
        replace(NO_ONE, accountable_executive="carla.chief@example.com"),
        now=NOW,
    )
    portfolio = service.portfolio(NOW)
    assert [(a.model_name, a.risk, a.score) for a in portfolio.high_risks] == [
        ("bare model", "decay", 25),
        ("customer-churn", "decay", 20),
        ("house-prices", "decay", 10),
    ]
    assert portfolio.unassessed == ("Kündigung Geschäftskunden",)
    assert set(portfolio.without_executive) == {"house-prices", "Kündigung Geschäftskunden"}
    assert len(portfolio.assessments) == 4
    churn = service.model("customer-churn", NOW)
    assert (churn.business_process, churn.team, churn.decision_mode) == (
        "Customer retention",
        "Retention analytics",
        "advisory",
    )
    assert churn.data_sources == ("crm.contracts", "billing.invoices")
    assert churn.technical_owners == ("anna.schmidt@example.com",)
    assert service.model("no such model", NOW) is None


# --- accountability and criticality -------------------------------------------------------------


def test_set_governance_stores_audits_and_reports_no_change(service):
    values = Governance(
        " carla.chief@example.com ",
        "bob.business@example.com",
        "batch",
        "limited",
        "Retention agents decide whom to call.",
    )
    assert service.set_governance(OWNER, "customer-churn", values, now=NOW) is True
    churn = service.model("customer-churn", NOW)
    assert churn.governance == replace(values, accountable_executive="carla.chief@example.com")
    assert service.set_governance(OWNER, "customer-churn", values, now=NOW) is False
    [entry] = audit(service)
    assert (entry.action, entry.model_name, entry.before_json) == (
        "governance.changed",
        "customer-churn",
        None,
    )
    assert json.loads(entry.after_json)["accountable_executive"] == "carla.chief@example.com"

    assert service.set_governance(
        ADMIN, "customer-churn", replace(values, serving_mode=""), now=NOW
    )
    newest = audit(service)[0]
    assert json.loads(newest.before_json)["serving_mode"] == "batch"
    assert json.loads(newest.after_json)["serving_mode"] == ""
    assert service.model("customer-churn", NOW).governance.serving_mode == ""


def test_setting_nothing_on_a_model_without_a_record_changes_nothing(service):
    assert service.set_governance(ADMIN, "house-prices", NO_ONE, now=NOW) is False
    assert audit(service) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"accountable_executive": "Carla Chief"}, [("accountable_executive", "email")]),
        ({"business_owner": "bob@localhost"}, [("business_owner", "email")]),
        ({"serving_mode": "streaming"}, [("serving_mode", "unknown_choice")]),
        ({"ai_act_category": "very high"}, [("ai_act_category", "unknown_choice")]),
        ({"human_oversight": "x" * 2001}, [("human_oversight", "too_long_text")]),
    ],
)
def test_invalid_governance_is_rejected_and_nothing_stored(service, changes, expected):
    with pytest.raises(InvalidInput) as invalid:
        service.set_governance(ADMIN, "customer-churn", replace(NO_ONE, **changes), now=NOW)
    assert [(p.field, p.code) for p in invalid.value.problems] == expected
    assert GovernanceRepository(service.store).governance() == {}
    assert audit(service) == []


def test_only_owners_and_admins_edit_governance(service):
    values = replace(NO_ONE, serving_mode="batch")
    assert not service.may_govern(OTHER, "customer-churn")
    with pytest.raises(NotAllowed):
        service.set_governance(OTHER, "customer-churn", values, now=NOW)
    with pytest.raises(NotAllowed):
        service.set_governance(OWNER, "house-prices", values, now=NOW)
    with pytest.raises(UnknownModel):
        service.set_governance(ADMIN, "no such model", values, now=NOW)
    assert service.set_governance(ADMIN, "house-prices", values, now=NOW)


def test_a_business_owner_named_in_the_portal_becomes_an_owner(service):
    draft = AssessmentDraft("wrong_predictions", 3, 2, "", REVIEW)
    with pytest.raises(NotAllowed):
        service.assess(BUSINESS, "house-prices", draft, now=NOW)
    assert owners_of(service.store, "house-prices") == ()
    service.set_governance(
        ADMIN,
        "house-prices",
        replace(
            NO_ONE,
            business_owner="Bob.Business@example.com",
            accountable_executive="carla.chief@example.com",
        ),
        now=NOW,
    )
    assert owners_of(service.store, "house-prices") == (
        "Bob.Business@example.com",
        "carla.chief@example.com",
    )
    assert owners_of(service.store, "customer-churn") == ("anna.schmidt@example.com",)
    assert service.may_assess(BUSINESS, "house-prices")
    assert service.may_govern(BUSINESS, "house-prices")
    assert not service.may_assess(BUSINESS, "customer-churn")
    service.assess(BUSINESS, "house-prices", draft, now=NOW)
    executive = Identity("Carla", "carla.chief@example.com", frozenset({"viewer"}))
    assert service.may_assess(executive, "house-prices")


# --- experts ------------------------------------------------------------------------------------


def test_experts_are_named_once_and_removed(service):
    assert service.name_expert(OWNER, "customer-churn", " Erika@Example.com ", now=NOW) is True
    assert service.name_expert(OWNER, "customer-churn", "erika@example.com", now=NOW) is False
    assert service.name_expert(ADMIN, "customer-churn", "emil@example.com", now=NOW) is True
    assert service.model("customer-churn", NOW).experts == (
        "emil@example.com",
        "erika@example.com",
    )
    assert service.model("house-prices", NOW).experts == ()
    assert [e.action for e in audit(service)] == ["expert.named", "expert.named"]

    assert service.remove_expert(OWNER, "customer-churn", "ERIKA@example.com", now=NOW) is True
    assert service.remove_expert(OWNER, "customer-churn", "erika@example.com", now=NOW) is False
    assert service.model("customer-churn", NOW).experts == ("emil@example.com",)
    removal = audit(service)[0]
    assert (removal.action, removal.model_name) == ("expert.removed", "customer-churn")
    assert json.loads(removal.before_json) == {"email": "erika@example.com"}
    assert len(audit(service)) == 3


def test_expert_changes_need_an_owner_and_an_address(service):
    with pytest.raises(NotAllowed):
        service.name_expert(OTHER, "customer-churn", "otto@example.com", now=NOW)
    with pytest.raises(NotAllowed):
        service.remove_expert(OTHER, "customer-churn", "otto@example.com", now=NOW)
    with pytest.raises(InvalidInput) as invalid:
        service.name_expert(OWNER, "customer-churn", "Erika", now=NOW)
    assert [(p.field, p.code) for p in invalid.value.problems] == [("email", "email")]
    with pytest.raises(UnknownModel):
        service.name_expert(ADMIN, "no such model", "erika@example.com", now=NOW)
    assert GovernanceRepository(service.store).experts() == {}
    assert audit(service) == []


# --- evidence for EU AI Act high-risk models ----------------------------------------------------


def evidence(model) -> dict[str, bool]:
    return {item.code: item.present for item in model.evidence}


def test_evidence_checklist_only_for_high_risk_models(settings, service):
    fill_drift_results(service.store, settings)
    assert service.model("customer-churn", NOW).evidence == ()
    service.set_governance(ADMIN, "customer-churn", replace(NO_ONE, ai_act_category="high"))
    service.set_governance(
        ADMIN, "Kündigung Geschäftskunden", replace(NO_ONE, ai_act_category="high")
    )
    # Documented, logged, monitored, advisory; nobody accountable yet.
    churn = service.model("customer-churn", NOW)
    assert churn.evidence == (
        EvidenceItem("documentation", True),
        EvidenceItem("logging", True),
        EvidenceItem("monitoring", True),
        EvidenceItem("human_oversight", True),
        EvidenceItem("accountable_executive", False),
    )
    # Barely documented, no logs, no decision mode: every gap but what the portal was told.
    german = service.model("Kündigung Geschäftskunden", NOW)
    assert not any(evidence(german).values())
    service.set_governance(
        ADMIN,
        "Kündigung Geschäftskunden",
        Governance(
            "carla.chief@example.com",
            "",
            "real_time",
            "high",
            "A clerk confirms every notice before it is sent.",
        ),
    )
    german = service.model("Kündigung Geschäftskunden", NOW)
    assert evidence(german) == {
        "documentation": False,
        "logging": False,
        "monitoring": False,
        "human_oversight": True,
        "accountable_executive": True,
    }
    # house-prices has logs but no reference sample: logged, not monitored.
    service.set_governance(ADMIN, "house-prices", replace(NO_ONE, ai_act_category="high"))
    houses = evidence(service.model("house-prices", NOW))
    assert (houses["logging"], houses["monitoring"]) == (True, False)


# --- signals from real data ---------------------------------------------------------------------


def reasons(model, risk) -> list[str]:
    return [r.code for r in model.signals[risk].reasons]


def test_signals_before_any_drift_check_or_feedback(service):
    churn = service.model("customer-churn", NOW)
    assert {risk: s.level for risk, s in churn.signals.items()} == {
        "outage": "unknown",  # no drift check has looked at its logs yet
        "wrong_predictions": "low",
        "decay": "unknown",
        "knowledge_loss": "medium",  # one contributor alone (2 points), all else well kept
    }
    assert churn.signals["knowledge_loss"].reasons == (
        Reason("knowledge.contributors", (("count", 1),)),
    )
    bare = service.model("bare model", NOW)
    # One contributor (2), no owner (2), nothing documented (2): 6 points.
    assert bare.signals["knowledge_loss"].level == "high"
    assert reasons(bare, "knowledge_loss") == [
        "knowledge.contributors",
        "knowledge.no_owner",
        "knowledge.documentation",
    ]


def test_signals_follow_the_drift_results(settings, service):
    fill_drift_results(service.store, settings)
    churn = service.model("customer-churn", NOW)
    # Monthly charges 40 % up in the last week: drifting; logs until minutes before NOW.
    assert churn.signals["decay"].level == "high"
    assert reasons(churn, "decay")[0] == "decay.drift_drifting"
    assert churn.signals["outage"].level == "low"
    assert reasons(churn, "outage") == ["outage.logs_fresh"]
    # Two weeks later nothing new was logged.
    later = service.model("customer-churn", NOW + timedelta(days=14))
    assert later.signals["outage"].level == "high"
    assert reasons(later, "outage") == ["outage.stale_logs"]
    # Logs but no reference sample: no drift light, the last log time is unknown.
    houses = service.model("house-prices", NOW)
    assert houses.signals["decay"].level == "unknown"
    assert houses.signals["outage"].level == "unknown"
    german = service.model("Kündigung Geschäftskunden", NOW)
    assert reasons(german, "outage") == ["outage.no_logs"]
    assert german.signals["outage"].level == "medium"


def wrong(severity: str) -> FeedbackDraft:
    return FeedbackDraft(
        "wrong_prediction", severity, "C-1", "churn", "stayed", "Customer renewed.", False
    )


def test_wrong_prediction_reports_in_the_last_90_days_count(settings, service):
    feedback = FeedbackService(service.store, settings)
    expert = Identity("Erika", "erika@example.com", frozenset({"viewer", "expert"}))
    feedback.submit(expert, "customer-churn", wrong("low"), "k0", now=NOW - timedelta(days=100))
    other_kind = replace(wrong("critical"), kind="data_quality")
    feedback.submit(expert, "customer-churn", other_kind, "kq", now=NOW - timedelta(days=1))
    assert service.model("customer-churn", NOW).signals["wrong_predictions"].level == "low"

    feedback.submit(expert, "customer-churn", wrong("low"), "k1", now=NOW - timedelta(days=10))
    churn = service.model("customer-churn", NOW)
    assert churn.signals["wrong_predictions"].reasons == (
        Reason("wrong.reports", (("count", 1), ("days", 90))),
    )
    assert churn.signals["wrong_predictions"].level == "medium"

    feedback.submit(expert, "customer-churn", wrong("critical"), "k2", now=NOW - timedelta(days=2))
    churn = service.model("customer-churn", NOW)
    assert churn.signals["wrong_predictions"].level == "high"
    assert churn.signals["wrong_predictions"].reasons[1] == Reason("wrong.severe", (("count", 1),))
    assert service.model("house-prices", NOW).signals["wrong_predictions"].level == "low"


def test_feedback_kinds_used_by_the_signal_exist():
    from portal.domain.feedback import KINDS

    assert "wrong_prediction" in KINDS


def test_contributors_come_from_runs_and_registrations(service):
    source = base_registry()
    move_alias(source, "customer-churn", "champion", 2)
    carla_run = replace(run("r6", T0 + timedelta(days=30), accuracy=0.87), user="carla@example.com")
    source.runs["r6"] = carla_run
    source.snapshot = RegistrySnapshot(
        source.snapshot.models, (*source.snapshot.versions, version("customer-churn", 3, "r6"))
    )
    sync_fake(service.store, source, T0 + timedelta(days=50))
    churn = service.model("customer-churn", NOW)
    # ben.meyer (trained and registered) and carla (trained v3): two people, one point.
    assert churn.signals["knowledge_loss"].reasons == (
        Reason("knowledge.contributors", (("count", 2),)),
    )
    # A year and a half later nobody has touched it: no contributors (3 points), retrained
    # over a year ago (2 points): 5, high even with an owner and full documentation.
    much_later = NOW + timedelta(days=540)
    stale = service.model("customer-churn", much_later)
    assert stale.signals["knowledge_loss"].level == "high"
    assert reasons(stale, "knowledge_loss") == [
        "knowledge.contributors",
        "knowledge.retrained_long_ago",
    ]


def test_a_failed_sync_raises_the_outage_signal(settings, service):
    fill_drift_results(service.store, settings)
    source = base_registry()
    source.fail_with = RuntimeError("MLflow unreachable")
    from portal.sync import sync_mlflow

    result = sync_mlflow(
        service.store,
        source,
        source_uri="fake://registry",
        alias_precedence=("champion", "production"),
        trigger="cli",
        now=NOW,
    )
    assert not result.ok
    churn = service.model("customer-churn", NOW)
    assert churn.signals["outage"].level == "medium"
    assert reasons(churn, "outage") == ["outage.logs_fresh", "outage.sync_failed"]


def test_a_deleted_version_does_not_count_as_retraining(service):
    source = base_registry()
    move_alias(source, "customer-churn", "champion", 2)
    late_run = replace(run("r7", T0 + timedelta(days=45)), user="lena@example.com")
    source.runs["r7"] = late_run
    source.snapshot = RegistrySnapshot(
        source.snapshot.models, (*source.snapshot.versions, version("house-prices", 2, "r7"))
    )
    sync_fake(service.store, source, T0 + timedelta(days=50))
    # Half a year after T0: retrained (r7) 136 days ago, nothing to count.
    at = T0 + timedelta(days=181)
    assert reasons(service.model("house-prices", at), "knowledge_loss") == [
        "knowledge.contributors",
        "knowledge.no_owner",
        "knowledge.documentation",
    ]
    # Version 2 is deleted in MLflow: the model in use was last trained at T0 (181 days).
    source.snapshot = RegistrySnapshot(source.snapshot.models, source.snapshot.versions[:-1])
    sync_fake(service.store, source, T0 + timedelta(days=60))
    at = T0 + timedelta(days=200)
    houses = service.model("house-prices", at)
    assert houses.signals["knowledge_loss"].reasons[-1] == Reason(
        "knowledge.retrained_long_ago", (("days", 199),)
    )


def test_owners_are_read_alike_for_one_model_and_for_all_also_without_tags(service):
    # "bare model" has no MLflow tags at all: its owners come from the portal alone.
    assert models_owned_by(service.store, BUSINESS) == frozenset()
    named = replace(NO_ONE, business_owner="bob.business@example.com")
    for name in ("bare model", "house-prices"):
        service.set_governance(ADMIN, name, named, now=NOW)
    assert owners_of(service.store, "bare model") == ("bob.business@example.com",)
    assert models_owned_by(service.store, BUSINESS) == {"bare model", "house-prices"}
    assert models_owned_by(service.store, OWNER) == {"customer-churn"}
    assert service.may_govern(BUSINESS, "bare model")


def test_a_model_whose_name_cannot_be_a_log_folder_counts_as_without_logs(settings, service):
    fill_drift_results(service.store, settings)
    with service.store.transaction() as tx:
        tx.execute(
            "UPDATE drift_checks SET reason = 'unsafe_log_folder' WHERE model_name = $name",
            {"name": "Kündigung Geschäftskunden"},
        )
        tx.bump_data_version()
    service.set_governance(
        ADMIN, "Kündigung Geschäftskunden", replace(NO_ONE, ai_act_category="high")
    )
    german = service.model("Kündigung Geschäftskunden", NOW)
    assert reasons(german, "outage") == ["outage.no_logs"]
    assert evidence(german)["logging"] is False
