"""Every write and restricted read the portal offers, for every role, in every sign-in mode.

Allowed or refused as DESIGN.md's role table says: viewer reads; expert + submits feedback;
owner (of that model) + answers feedback and reads the model's history; admin + everything.
"""

from __future__ import annotations

import pytest

from portal.domain.feedback import FeedbackDraft
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.audit import AuditFilter, AuditService
from portal.services.data_status import DataStatusService
from portal.services.feedback import FeedbackService
from portal.services.identity import LOCAL_USER, NotAllowed, identity_from_claims

RULES_ENV = {"admins": ("group:risk-office",), "experts": ("erika@example.com",)}
PEOPLE = {
    # role: (e-mail, groups); the owner owns customer-churn through its MLflow owner tag.
    "viewer": ("vera@example.com", ()),
    "expert": ("erika@example.com", ()),
    "owner": ("anna.schmidt@example.com", ()),
    "owner of another model": ("otto@example.com", ()),
    "admin": ("ada@example.com", ("staff", "risk-office")),
}
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


ACTIONS = {
    "feedback.submit": (submit, {"expert", "owner", "admin"}),
    "feedback.triage": (triage, {"owner", "admin"}),
    "sync.start": (start_sync, {"admin"}),
    "data_status.read": (read_data_status, {"admin"}),
    "audit.read": (read_audit, {"admin"}),
    "model.history.read": (read_model_history, {"owner", "admin"}),
}


@pytest.fixture
def services(settings, filled_store):
    configured = settings.__class__(**{**settings.__dict__, **RULES_ENV})
    runtime = Runtime(configured, filled_store, Scheduler(lambda request: None, 0))
    feedback = FeedbackService(filled_store, configured)
    existing = feedback.submit(LOCAL_USER, "customer-churn", DRAFT, "seed").feedback_id
    return {
        "feedback": feedback,
        "status": DataStatusService(runtime),
        "audit": AuditService(filled_store),
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
