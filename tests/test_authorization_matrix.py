"""Every write and restricted read the portal offers, for every role, in every sign-in mode.

Allowed or refused as DESIGN.md's role table says: viewer reads; expert + submits feedback;
owner (of that model) + answers feedback, sets benchmarks, assesses risks, edits governance
fields and reads the model's history;
admin + everything (sync, data status, audit log, KPI imports).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.clock import utc_now
from portal.domain.feedback import FeedbackDraft
from portal.domain.risk import AssessmentDraft, Governance
from portal.domain.value import BenchmarkDraft
from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.audit import AuditFilter, AuditService
from portal.services.data_status import DataStatusService
from portal.services.drift import DriftService
from portal.services.feedback import FeedbackService
from portal.services.identity import LOCAL_USER, identity_from_claims
from portal.services.risk import RiskService
from portal.services.value import ValueService

RULES_ENV = {"admins": ("group:risk-office",), "experts": ("erika@example.com",)}
PEOPLE = {
    # role: (e-mail, groups); the owner owns customer-churn through its MLflow owner tag.
    "viewer": ("vera@example.com", ()),
    "expert": ("erika@example.com", ()),
    "owner": ("anna.schmidt@example.com", ()),
    "owner of another model": ("otto@example.com", ()),
    "admin": ("ada@example.com", ("staff", "risk-office")),
}
PROMISE = BenchmarkDraft(
    "customers kept",
    0.0,
    370.0,
    "higher",
    "sum",
    "customers",
    50.0,
    "Pilot kept 370 a month.",
    date(2026, 1, 1),
)
KPI_FILE = b"model,kpi,period,value\ncustomer-churn,customers kept,2026-10,312\n"
DRAFT = FeedbackDraft(
    "wrong_prediction", "low", "", "", "renewed", "Renewed last week, not churned.", False
)


def submit(services, actor):
    services["feedback"].submit(actor, "customer-churn", DRAFT, f"key-{actor.label}")


def triage(services, actor):
    services["feedback"].triage(actor, services["existing"], "acknowledged", "Looking into it.")


def start_sync(services, actor):
    services["status"].request_sync(actor)


def read_data_status(services, actor):
    services["status"].status(actor)


def read_audit(services, actor):
    services["audit"].entries(actor, AuditFilter())


def read_model_history(services, actor):
    owns = services["feedback"].owns_model(actor, "customer-churn")
    services["audit"].model_history(actor, "customer-churn", owns)


def set_benchmark(services, actor):
    owns = services["feedback"].owns_model(actor, "customer-churn")
    services["value"].set_benchmark(actor, "customer-churn", PROMISE, owns)


def import_kpis(services, actor):
    services["value"].load_kpis(actor, KPI_FILE, "kpis.csv", "upload")


def assess_risk(services, actor):
    review = utc_now().date() + timedelta(days=90)
    draft = AssessmentDraft("outage", 2, 3, "Scores fall back to yesterday's.", review)
    services["risk"].assess(actor, "customer-churn", draft)


def edit_governance(services, actor):
    values = Governance("carla.chief@example.com", "", "batch", "limited", "")
    services["risk"].set_governance(actor, "customer-churn", values)


def run_drift_check(services, actor):
    services["drift"].request_check(actor, "customer-churn")


def read_drift_jobs(services, actor):
    services["drift"].jobs(actor)


ACTIONS = {
    "feedback.submit": (submit, {"expert", "owner", "admin"}),
    "feedback.triage": (triage, {"owner", "admin"}),
    "sync.start": (start_sync, {"admin"}),
    "data_status.read": (read_data_status, {"admin"}),
    "audit.read": (read_audit, {"admin"}),
    "model.history.read": (read_model_history, {"owner", "admin"}),
    "benchmark.set": (set_benchmark, {"owner", "admin"}),
    "risk.assess": (assess_risk, {"owner", "admin"}),
    "governance.edit": (edit_governance, {"owner", "admin"}),
    "kpis.import": (import_kpis, {"admin"}),
    "drift.run": (run_drift_check, {"admin"}),
    "drift jobs (data_status.read)": (read_drift_jobs, {"admin"}),
}


@pytest.fixture
def services(settings, filled_store):
    configured = settings.__class__(**{**settings.__dict__, **RULES_ENV})
    runtime = Runtime(
        configured,
        filled_store,
        Scheduler(lambda request: None, 0),
        Scheduler(lambda request: None, 0, name="drift"),
    )
    feedback = FeedbackService(filled_store, configured)
    existing = feedback.submit(LOCAL_USER, "customer-churn", DRAFT, "seed").feedback_id
    return {
        "feedback": feedback,
        "status": DataStatusService(runtime),
        "value": ValueService(filled_store, configured),
        "audit": AuditService(filled_store),
        "drift": DriftService(runtime),
        "risk": RiskService(filled_store, configured),
        "existing": existing,
        "rules": configured,
    }


@pytest.mark.parametrize("mode", ["proxy", "oidc"])
@pytest.mark.parametrize("role", list(PEOPLE))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_signed_in_roles(services, mode, role, action):
    email, groups = PEOPLE[role]
    # Both modes turn what the sign-in says (header or claim) into an identity the same way.
    actor = identity_from_claims(email, role.title(), groups, services["rules"].role_rules)
    perform, allowed_roles = ACTIONS[action]
    if role in allowed_roles:
        perform(services, actor)
    else:
        with pytest.raises(NotAllowed):
            perform(services, actor)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_embedded_mode_local_user_may_do_everything(services, action):
    perform, _ = ACTIONS[action]
    perform(services, LOCAL_USER)


def test_no_identity_without_an_address(services):
    assert identity_from_claims("  ", "Nobody", (), services["rules"].role_rules) is None
