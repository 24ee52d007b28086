"""Every write and restricted read the portal offers, for every role, in both sign-in modes.

Allowed or refused as DESIGN.md's role table says: viewer reads and exports; expert + submits
feedback; owner (of that model) + answers feedback, sets benchmarks, assesses risks, edits
governance fields and reads the model's history; admin + everything (sync, data status, audit
log, KPI imports, drift checks). A refused call changes nothing; an allowed one is checked for
its effect, not only for not raising.

The identity comes from the same functions the sign-in uses: proxy headers (with configured
header names) or OpenID Connect claims (with a configured groups claim).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from portal import clock
from portal.domain.feedback import FeedbackDraft
from portal.domain.risk import AssessmentDraft, Governance
from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.audit import AuditFilter, AuditService
from portal.services.data_status import DataStatusService
from portal.services.drift import DriftService
from portal.services.feedback import FeedbackService
from portal.services.identity import (
    LOCAL_USER,
    identity_from_oidc_claims,
    identity_from_proxy_headers,
)
from portal.services.report import ReportService
from portal.services.risk import RiskService
from portal.services.value import ValueService
from portal.store.audit_repo import AuditRepository
from tests.support.builders import CUSTOMERS_KEPT, kpi_file, person

MODEL = "customer-churn"  # owned by anna.schmidt@example.com through its MLflow owner tag
SIGN_IN = {
    "admins": ("group:risk-office",),
    "experts": ("erika@example.com",),
    "viewers": ("group:staff",),
    "proxy_email_header": "X-Auth-Email",
    "proxy_name_header": "X-Auth-Name",
    "proxy_groups_header": "X-Auth-Groups",
    "oidc_groups_claim": "portal_groups",
}
PEOPLE = {
    # role: (e-mail, groups)
    "no access": ("nora@example.com", ("contractors",)),
    "viewer": ("vera@example.com", ("staff",)),
    "expert": ("erika@example.com", ()),
    "owner": ("anna.schmidt@example.com", ("staff",)),
    "owner of another model": ("otto@example.com", ("staff",)),
    "admin": ("ada@example.com", ("staff", "risk-office")),
}
EARLIER_EXPERT = person("Emil Early", "emil@example.com", "expert")  # sent the feedback triaged
DRAFT = FeedbackDraft(
    "wrong_prediction", "low", "", "", "renewed", "Renewed last week, not churned.", False
)


def audited(services, action: str, actor) -> bool:
    """Whether the audit log holds an entry of this action by this person."""
    entries = AuditRepository(services["store"]).entries(AuditFilter(action=action))
    return any(entry["actor"] == actor.label for entry in entries)


def submit(services, actor):
    result = services["feedback"].submit(actor, MODEL, DRAFT, f"key-{actor.label}")
    assert result.created
    [mine] = services["feedback"].mine(actor)
    assert (mine.id, mine.model_name) == (result.feedback_id, MODEL)


def triage(services, actor):
    services["feedback"].triage(actor, services["existing"], "acknowledged", "Looking into it.")
    [item] = [i for i in services["feedback"].for_model(MODEL) if i.id == services["existing"]]
    assert (item.status, item.responded_by) == ("acknowledged", actor.label)


def start_sync(services, actor):
    assert services["status"].request_sync(actor)
    assert audited(services, "sync.requested", actor)


def read_data_status(services, actor):
    status = services["status"].status(actor)
    assert [attempt.status for attempt in status.recent] == ["ok", "ok"]


def read_audit(services, actor):
    entries = services["audit"].entries(actor, AuditFilter(model_name=MODEL))
    assert "feedback.submitted" in {entry.action for entry in entries}


def read_model_history(services, actor):
    history = services["audit"].model_history(actor, MODEL)
    assert [entry.action for entry in history] == ["feedback.submitted"]


def set_benchmark(services, actor):
    assert services["value"].set_benchmark(actor, MODEL, CUSTOMERS_KEPT) == 1
    [row] = services["value"].benchmark_history(MODEL)
    assert (row["kpi"], row["set_by"]) == ("customers kept", actor.label)


def import_kpis(services, actor):
    data = kpi_file([(MODEL, "customers kept", "2026-10", 312)])
    outcome = services["value"].load_kpis(actor, data, "kpis.csv", "upload")
    assert (outcome.loaded, outcome.rows_added) == (True, 1)
    assert audited(services, "kpis.loaded", actor)


def assess_risk(services, actor):
    review = clock.today() + timedelta(days=90)
    draft = AssessmentDraft("outage", 2, 3, "Scores fall back to yesterday's.", review)
    services["risk"].assess(actor, MODEL, draft)
    [assessment] = services["risk"].history(MODEL)
    assert (assessment.risk, assessment.assessed_by) == ("outage", actor.label)


def edit_governance(services, actor):
    values = Governance("carla.chief@example.com", "", "batch", "limited", "")
    assert services["risk"].set_governance(actor, MODEL, values)
    record = services["risk"].model(MODEL).governance
    assert (record.accountable_executive, record.ai_act_category) == (
        "carla.chief@example.com",
        "limited",
    )


def run_drift_check(services, actor):
    assert services["drift"].request_check(actor, MODEL)
    assert audited(services, "drift.requested", actor)


def read_drift_jobs(services, actor):
    assert services["drift"].jobs(actor) == []  # no check has run on this store


def export_portfolio(services, actor):
    report = services["report"].portfolio(actor, "en")
    assert report.pdf.startswith(b"%PDF") and audited(services, "report.portfolio", actor)


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
    "report.export": (export_portfolio, set(PEOPLE) - {"no access"}),
}


@pytest.fixture
def services(settings, filled_store):
    configured = replace(settings, **SIGN_IN)
    runtime = Runtime(
        configured,
        filled_store,
        Scheduler(lambda request: None, 0),
        Scheduler(lambda request: None, 0, name="drift"),
    )
    feedback = FeedbackService(filled_store, configured)
    existing = feedback.submit(EARLIER_EXPERT, MODEL, DRAFT, "seed").feedback_id
    return {
        "store": filled_store,
        "feedback": feedback,
        "status": DataStatusService(runtime),
        "value": ValueService(filled_store, configured),
        "audit": AuditService(filled_store),
        "drift": DriftService(runtime),
        "risk": RiskService(filled_store, configured),
        "report": ReportService(runtime),
        "existing": existing,
        "settings": configured,
    }


def signed_in(mode: str, role: str, settings):
    """The identity the sign-in of this mode builds for a person of this role."""
    email, groups = PEOPLE[role]
    if mode == "proxy":
        headers = {
            "X-Auth-Email": email,
            "X-Auth-Name": role.title(),
            "X-Auth-Groups": ",".join(groups),
            # Headers of the default names are not trusted once others are configured.
            "X-Forwarded-Groups": "risk-office",
        }
        return identity_from_proxy_headers(headers, settings)
    claims = {"email": email, "name": role.title(), "portal_groups": list(groups)}
    return identity_from_oidc_claims({**claims, "groups": ["risk-office"]}, settings)


def store_snapshot(store) -> dict[str, int]:
    """Row counts of every table a write could touch, and the data version."""
    tables = (
        "feedback",
        "audit_log",
        "benchmarks",
        "kpi_loads",
        "kpi_observations",
        "risk_assessments",
        "model_governance",
        "reports",
    )
    counts = {t: store.fetch_value("count", f"SELECT count(*) FROM {t}") for t in tables}
    return {**counts, "data_version": store.data_version()}


@pytest.mark.parametrize("mode", ["proxy", "oidc"])
@pytest.mark.parametrize("role", list(PEOPLE))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_signed_in_roles(services, mode, role, action):
    actor = signed_in(mode, role, services["settings"])
    assert actor.email == PEOPLE[role][0]
    perform, allowed_roles = ACTIONS[action]
    if role in allowed_roles:
        perform(services, actor)
    else:
        before = store_snapshot(services["store"])
        with pytest.raises(NotAllowed):
            perform(services, actor)
        assert store_snapshot(services["store"]) == before


@pytest.mark.parametrize("mode", ["proxy", "oidc"])
def test_each_mode_reads_groups_only_from_its_configured_source(services, mode):
    admin = signed_in(mode, "admin", services["settings"])
    viewer = signed_in(mode, "viewer", services["settings"])
    assert "admin" in admin.roles and admin.groups == ("staff", "risk-office")
    assert viewer.roles == frozenset({"viewer"}) and viewer.groups == ("staff",)
    assert signed_in(mode, "no access", services["settings"]).roles == frozenset()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_embedded_mode_local_user_may_do_everything(services, action):
    perform, _ = ACTIONS[action]
    perform(services, LOCAL_USER)


def test_no_identity_without_an_address(services):
    settings = services["settings"]
    assert identity_from_proxy_headers({"X-Auth-Email": "  "}, settings) is None
    assert identity_from_oidc_claims({"name": "Nobody"}, settings) is None
