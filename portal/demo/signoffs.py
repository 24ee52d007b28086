"""The demo's sign-offs: design approvals, and evaluation and go-live for the production periods,
with the story's gaps (employee-attrition v2 went live without go-live approval;
credit-default-risk has no executive to approve its go-live; claims-triage still waits)."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.config import Settings
from portal.demo.governance import RISK_OFFICE
from portal.demo.people import DEMO_PEOPLE
from portal.demo.use_cases import use_cases
from portal.domain.signoffs import Subject
from portal.services.identity import Identity
from portal.services.signoffs import SignOffService
from portal.store.database import Store

WAITING = "claims-triage"  # proposed, its design approval still open
# Went live without go-live approval: the version that did, per model.
WENT_LIVE_UNAPPROVED = {"employee-attrition": 2}
# No accountable executive named and nobody approved its go-live in their place.
NO_GO_LIVE = {"credit-default-risk"}
# Where nobody is named in a role, the risk office recorded the decision a board took.
BOARD_NOTE = "Decided by the responsible board; nobody is named in this role yet."


def seed_demo_signoffs(store: Store, settings: Settings, now: datetime) -> None:
    """Enter the story's sign-offs through the service, as the people who gave them."""
    service = SignOffService(store, settings)
    _design(service, now)
    _versions(service, now)


def _design(service: SignOffService, now: datetime) -> None:
    for case in use_cases(now):
        key = case.draft.key
        if key == WAITING:
            continue
        proposed = now - timedelta(days=case.proposed_days_ago)
        days = 10
        if case.developed_days_ago:
            days = min(days, max(1, (case.proposed_days_ago - case.developed_days_ago) // 2))
        _approve(service, "design", Subject(use_case_key=key), proposed + timedelta(days=days))


def _versions(service: SignOffService, now: datetime) -> None:
    """Per production period of a model serving a use case: evaluation acceptance a week
    before it went live, go-live approval two days before, unless the story has a gap."""
    for model_name in service.use_cases.use_case_of_models():
        for period in reversed(service.ledger_approvals(model_name)):
            subject = Subject(model_name=model_name, version=period.version)
            _approve(service, "evaluation", subject, period.start - timedelta(days=7))
            if model_name in NO_GO_LIVE or WENT_LIVE_UNAPPROVED.get(model_name) == period.version:
                continue
            _approve(service, "go_live", subject, period.start - timedelta(days=2))


def _approve(service: SignOffService, step: str, subject: Subject, at: datetime) -> None:
    """Every required role approves, a few hours apart; the risk office where nobody is named."""
    for offset, (role, people) in enumerate(service.signers(step, subject).items()):
        signer = _identity(people[0]) if people else RISK_OFFICE
        comment = "" if people else BOARD_NOTE
        conditions = (
            "Watch the key metrics monthly in the first quarter."
            if step == "evaluation" and role == "business_owner"
            else ""
        )
        when = at + timedelta(hours=3 * offset)
        key = f"demo:{step}:{subject.use_case_key or subject.model_name}:{subject.version}:{role}"
        service.sign(signer, step, subject, role, "approved", conditions, comment, key, now=when)


def _identity(email: str) -> Identity:
    """The named person as they sign in: a viewer, who may sign where they are named."""
    names = {address: name for address, name, _, _ in DEMO_PEOPLE}
    return Identity(names.get(email, email), email, frozenset({"viewer"}))
