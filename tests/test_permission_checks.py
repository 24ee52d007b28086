"""Every public service method either proves it asked for permission, or is a declared public read.

In the spirit of datasette's `assert_permissions_checked`: a forbidden call raising NotAllowed
shows a check exists somewhere; this shows that the method itself asked `authorize` (or `may`)
for the right action on the right model, for an allowed caller too, where nothing would fail.
A new public method fails the first test until it is listed here.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

import portal.services
from portal import clock
from portal.domain.feedback import FeedbackDraft
from portal.domain.risk import AssessmentDraft, Governance
from portal.errors import NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.audit import AuditFilter, AuditService
from portal.services.authorization import PermissionCheck
from portal.services.catalog import CatalogService
from portal.services.data_status import DataStatusService
from portal.services.drift import DriftService
from portal.services.feedback import FeedbackService
from portal.services.identity import Identity
from portal.services.lineage import LineageService
from portal.services.mlflow_webhook import WebhookService
from portal.services.people import PeopleService
from portal.services.report import ReportService
from portal.services.risk import RiskService
from portal.services.value import ValueService
from tests.support.builders import ADMIN, CUSTOMERS_KEPT, EXPERT, OWNER, kpi_file

MODEL = "customer-churn"
NOBODY = Identity("Nora Nobody", "nora@example.com", frozenset())  # signed in, no role at all
DRAFT = FeedbackDraft("wrong_prediction", "low", "", "", "renewed", "Renewed, not churned.", False)
REVIEW = AssessmentDraft("outage", 2, 3, "Fallback.", clock.today() + timedelta(days=90))


# method -> (call, the permission it must ask for, the model it asks about)
CHECKED = {
    "AuditService.entries": (lambda s, a: s.audit.entries(a, AuditFilter()), "audit.read", None),
    "AuditService.choices": (lambda s, a: s.audit.choices(a), "audit.read", None),
    "AuditService.page": (lambda s, a: s.audit.page(a, AuditFilter()), "audit.read", None),
    "AuditService.model_history": (
        lambda s, a: s.audit.model_history(a, MODEL),
        "model.history.read",
        MODEL,
    ),
    "AuditService.may_read_history": (
        lambda s, a: s.audit.may_read_history(a, MODEL),
        "model.history.read",
        MODEL,
    ),
    "DataStatusService.status": (lambda s, a: s.status.status(a), "data_status.read", None),
    "DataStatusService.request_sync": (lambda s, a: s.status.request_sync(a), "sync.start", None),
    "DriftService.jobs": (lambda s, a: s.drift.jobs(a), "data_status.read", None),
    "DriftService.check_details": (
        lambda s, a: s.drift.check_details(a),
        "data_status.read",
        None,
    ),
    "DriftService.request_check": (
        lambda s, a: s.drift.request_check(a, MODEL),
        "drift.run",
        MODEL,
    ),
    "FeedbackService.submit": (
        lambda s, a: s.feedback.submit(a, MODEL, DRAFT, f"key-{a.label}"),
        "feedback.submit",
        MODEL,
    ),
    "FeedbackService.may_submit": (
        lambda s, a: s.feedback.may_submit(a, MODEL),
        "feedback.submit",
        MODEL,
    ),
    "FeedbackService.triage": (
        lambda s, a: s.feedback.triage(a, s.existing, "acknowledged", "Looking into it."),
        "feedback.triage",
        MODEL,
    ),
    "FeedbackService.may_triage": (
        lambda s, a: s.feedback.may_triage(a, MODEL),
        "feedback.triage",
        MODEL,
    ),
    "PeopleService.upload": (
        lambda s, a: s.people.upload(a, b"email,name\na@example.com,A\n", "people.csv"),
        "people.upload",
        None,
    ),
    "PeopleService.may_upload": (lambda s, a: s.people.may_upload(a), "people.upload", None),
    "ReportService.fact_sheet": (
        lambda s, a: s.report.fact_sheet(a, MODEL, "en"),
        "report.export",
        MODEL,
    ),
    "ReportService.portfolio": (lambda s, a: s.report.portfolio(a, "de"), "report.export", None),
    "RiskService.assess": (lambda s, a: s.risk.assess(a, MODEL, REVIEW), "risk.assess", MODEL),
    "RiskService.may_assess": (lambda s, a: s.risk.may_assess(a, MODEL), "risk.assess", MODEL),
    "RiskService.set_governance": (
        lambda s, a: s.risk.set_governance(a, MODEL, Governance("c@example.com", "", "", "", "")),
        "governance.edit",
        MODEL,
    ),
    "RiskService.may_govern": (
        lambda s, a: s.risk.may_govern(a, MODEL),
        "governance.edit",
        MODEL,
    ),
    "RiskService.name_expert": (
        lambda s, a: s.risk.name_expert(a, MODEL, "e@example.com"),
        "governance.edit",
        MODEL,
    ),
    "RiskService.remove_expert": (
        lambda s, a: s.risk.remove_expert(a, MODEL, "e@example.com"),
        "governance.edit",
        MODEL,
    ),
    "ValueService.set_benchmark": (
        lambda s, a: s.value.set_benchmark(a, MODEL, CUSTOMERS_KEPT),
        "benchmark.set",
        MODEL,
    ),
    "ValueService.may_set_benchmark": (
        lambda s, a: s.value.may_set_benchmark(a, MODEL),
        "benchmark.set",
        MODEL,
    ),
    "ValueService.load_kpis": (
        lambda s, a: s.value.load_kpis(
            a, kpi_file([(MODEL, "customers kept", "2026-10", 312)]), "k.csv", "upload"
        ),
        "kpis.import",
        None,
    ),
    "WebhookService.status": (lambda s, a: s.webhook.status(a), "data_status.read", None),
}
# Reads every signed-in person may make (the router admits only viewers), and properties.
PUBLIC = {
    # The attention list is what the overview shows every reader.
    "AttentionService": {"portfolio", "portfolio_from", "facts", "facts_from", "lifecycle_facts"},
    "CatalogService": {
        "data_version",
        "inventory",
        "overview",
        "freshness",
        "latest_syncs",
        "model_card",
    },
    "DriftService": {
        "portfolio",
        "model",
        "weekly_trends",
        "report_html",
        "report_present",
        "busy",
        "interval_minutes",
    },
    "FeedbackService": {
        "for_model",
        "mine",
        "queue",
        "everything",
        "counts",
        "page",
        "matching",
        "filter_choices",
    },
    # The drift job's analyses beside the drift tests, shown on the drift drill-down, the model
    # card and the fact sheet, which every reader sees; the decay signals feed the attention list.
    "EstimationService": {"of_model"},
    "FairnessService": {"model", "decay_signals"},
    "ImportanceService": {"of_model", "of_version"},
    # A model's card and fact sheet open with it; every reader sees both.
    "GlanceService": {"model_glance"},
    "LineageService": {
        "links",
        "from_process",
        "blast_radius",
        "processes",
        "sources",
        "source_reach",
    },
    # Names are shown to every reader; sign-ins, the demo and syncs add names, never an upload's.
    "PeopleService": {"directory", "record_sign_in", "add_from_source"},
    # Facts are what a document shows; making and recording the document is checked.
    "ReportService": {
        "fact_sheet_facts",
        "portfolio_facts",
        "latest_portfolio",
        "changes_since_latest",
    },
    "RiskService": {"portfolio", "model", "history"},
    "ValueService": {"portfolio", "earliest_observation", "benchmark_history"},
}


# Each lifecycle feature lists its own methods beside its tests, in
# tests/lifecycle/permissions_<feature>.py (CHECKED and PUBLIC dicts of the same shape; their
# calls reach the store and settings as s.store and s.settings).
for _module in sorted(Path(__file__).parent.joinpath("lifecycle").glob("permissions_*.py")):
    _entries = importlib.import_module(f"tests.lifecycle.{_module.stem}")
    CHECKED.update(_entries.CHECKED)
    for _name, _members in _entries.PUBLIC.items():
        PUBLIC.setdefault(_name, set()).update(_members)


def service_methods() -> dict[str, set[str]]:
    """Public methods and properties of every *Service class under portal/services."""
    found: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(portal.services.__path__):
        module = importlib.import_module(f"portal.services.{info.name}")
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and cls.__module__ == module.__name__
                and name.endswith("Service")
            ):
                found[name] = {member for member in vars(cls) if not member.startswith("_")}
    return found


class Services:
    """The services over one filled store, and one feedback to triage."""

    def __init__(self, settings, store) -> None:
        self.settings = settings
        self.store = store
        runtime = Runtime(
            settings,
            store,
            Scheduler(lambda request: None, 0),
            Scheduler(lambda request: None, 0, name="drift"),
        )
        self.audit = AuditService(store)
        self.catalog = CatalogService(store, settings)
        self.status = DataStatusService(runtime)
        self.drift = DriftService(runtime)
        self.webhook = WebhookService(runtime)
        self.feedback = FeedbackService(store, settings)
        self.lineage = LineageService(store)
        self.people = PeopleService(runtime)
        self.report = ReportService(runtime)
        self.risk = RiskService(store, settings)
        self.value = ValueService(store, settings)
        self.existing = self.feedback.submit(EXPERT, MODEL, DRAFT, "seed").feedback_id


@pytest.fixture
def services(settings, filled_store):
    return Services(replace(settings), filled_store)


@pytest.fixture
def checks(caplog):
    """The permission decisions logged while a test runs."""
    caplog.set_level(logging.DEBUG, logger="portal.services.authorization")

    def decided() -> list[PermissionCheck]:
        return [r.permission_check for r in caplog.records if hasattr(r, "permission_check")]

    return decided


def test_every_public_service_method_is_checked_or_declared_public():
    listed: dict[str, set[str]] = {name: set(members) for name, members in PUBLIC.items()}
    for qualified in CHECKED:
        cls, method = qualified.split(".")
        listed.setdefault(cls, set()).add(method)
    assert service_methods() == listed


@pytest.mark.parametrize("method", list(CHECKED))
def test_an_allowed_call_asks_for_its_permission(services, checks, method):
    call, action, model = CHECKED[method]
    call(services, ADMIN)
    assert PermissionCheck(action, ADMIN.label, model, True) in checks()


@pytest.mark.parametrize("method", list(CHECKED))
def test_a_refused_call_asks_and_is_refused(services, checks, method):
    call, action, model = CHECKED[method]
    if method.split(".")[1].startswith("may_"):
        assert call(services, NOBODY) is False
    else:
        with pytest.raises(NotAllowed):
            call(services, NOBODY)
    assert checks() == [PermissionCheck(action, NOBODY.label, model, False)]


def test_an_owner_is_allowed_by_owning_the_model_concerned(services, checks):
    assert services.value.set_benchmark(OWNER, MODEL, CUSTOMERS_KEPT) == 1
    assert checks() == [PermissionCheck("benchmark.set", OWNER.label, MODEL, True)]
    with pytest.raises(NotAllowed):
        services.value.set_benchmark(OWNER, "house-prices", CUSTOMERS_KEPT)
    assert checks()[-1] == PermissionCheck("benchmark.set", OWNER.label, "house-prices", False)
