"""Feedback and audit through the services, against a real store."""

from __future__ import annotations

import csv
import io
import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from portal.domain.feedback import FeedbackDraft
from portal.errors import InvalidInput, NotAllowed, UnknownModel
from portal.services.audit import AuditFilter, AuditService
from portal.services.feedback import FeedbackService, feedback_csv
from portal.services.identity import LOCAL_USER
from portal.store.audit_repo import AuditRepository
from tests.support.builders import ADMIN, EXPERT, OWNER, VIEWER

DRAFT = FeedbackDraft(
    "wrong_prediction",
    "high",
    "C-4711",
    "will cancel (0.91)",
    "renewed",
    "The customer renewed for two years last week.",
    True,
)


@pytest.fixture
def service(settings, filled_store):
    return FeedbackService(filled_store, settings)


def audit_rows(store):
    return AuditRepository(store).entries(AuditFilter())


def test_expert_submission_is_stored_with_the_production_version_and_audited(service):
    result = service.submit(EXPERT, "customer-churn", DRAFT, "key-1")
    assert (result.reference, result.created) == ("FB-000001", True)
    [item] = service.for_model("customer-churn")
    assert (item.model_version, item.status, item.submitted_by) == (2, "new", "erika@example.com")
    assert item.description == DRAFT.description
    [entry] = audit_rows(service.store)
    assert (entry["action"], entry["entity_id"], entry["actor"]) == (
        "feedback.submitted",
        "FB-000001",
        "erika@example.com",
    )
    assert '"case_reference": "C-4711"' in entry["after_json"]


def test_resubmitting_the_same_form_stores_once(service):
    first = service.submit(EXPERT, "customer-churn", DRAFT, "same-key")
    again = service.submit(EXPERT, "customer-churn", DRAFT, "same-key")
    assert again == replace(first, created=False)
    assert len(service.for_model("customer-churn")) == 1
    assert len(audit_rows(service.store)) == 1


def test_refused_and_invalid_submissions_change_nothing(service):
    with pytest.raises(NotAllowed):
        service.submit(VIEWER, "customer-churn", DRAFT, "k1")
    with pytest.raises(InvalidInput) as invalid:
        service.submit(EXPERT, "customer-churn", replace(DRAFT, description=""), "k2")
    assert [(p.field, p.code) for p in invalid.value.problems] == [("description", "required")]
    with pytest.raises(UnknownModel):
        service.submit(EXPERT, "no such model", DRAFT, "k3")
    assert service.everything() == []
    assert audit_rows(service.store) == []


def test_owner_answers_and_the_expert_sees_it(service):
    reference = service.submit(EXPERT, "customer-churn", DRAFT, "k").feedback_id
    with pytest.raises(NotAllowed):
        service.triage(EXPERT, reference, "resolved", "fixed")
    with pytest.raises(InvalidInput):
        service.triage(OWNER, reference, "resolved", "  ")
    answered = service.triage(OWNER, reference, "resolved", "Retrained with renewals data.")
    assert (answered.status, answered.responded_by) == ("resolved", "anna.schmidt@example.com")
    [mine] = service.mine(EXPERT)
    assert mine.response == "Retrained with renewals data."
    triage_entry = audit_rows(service.store)[0]
    assert triage_entry["action"] == "feedback.triaged"
    assert '"status": "new"' in triage_entry["before_json"]
    assert '"status": "resolved"' in triage_entry["after_json"]


def test_owner_queue_holds_open_feedback_on_own_models_oldest_first(service):
    first = service.submit(EXPERT, "customer-churn", DRAFT, "a").feedback_id
    second = service.submit(
        EXPERT, "customer-churn", replace(DRAFT, case_reference="C-2"), "b"
    ).feedback_id
    service.submit(EXPERT, "house-prices", replace(DRAFT, kind="praise"), "c")
    assert [item.id for item in service.queue(OWNER)] == [first, second]
    service.triage(OWNER, first, "wont_fix", "Expected behaviour for this segment.")
    assert [item.id for item in service.queue(OWNER)] == [second]
    assert len(service.queue(ADMIN)) == 2
    assert service.queue(VIEWER) == []
    counts = service.counts()
    assert (counts.total, counts.open, counts.open_wrong_predictions) == (3, 2, 1)


def test_fifty_simultaneous_submissions_persist_exactly_once(service):
    errors = []

    def submit(index: int, key: str) -> None:
        try:
            draft = replace(DRAFT, case_reference=f"C-{index}")
            service.submit(EXPERT, "customer-churn", draft, key)
        except Exception as exc:  # collected: a thread's exception would be lost otherwise
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(i, f"key-{i}")) for i in range(50)]
    # Ten more threads send one and the same form, as a double click would.
    threads += [threading.Thread(target=submit, args=(99, "double")) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = {item.case_reference for item in service.everything()}
    assert len(service.everything()) == 51
    assert references == {f"C-{i}" for i in [*range(50), 99]}
    assert len(audit_rows(service.store)) == 51


def test_csv_export_names_only_consenting_submitters_and_defuses_formulas(service):
    service.submit(EXPERT, "customer-churn", replace(DRAFT, case_reference="=HYPERLINK(1)"), "a")
    service.submit(
        EXPERT, "customer-churn", replace(DRAFT, show_name=False, case_reference="x"), "b"
    )
    rows = list(csv.DictReader(io.StringIO(feedback_csv(service.everything()))))
    assert {row["case_reference"] for row in rows} == {"'=HYPERLINK(1)", "x"}
    assert sorted(row["submitted_by"] for row in rows) == ["", "Erika Expert"]


def test_audit_log_is_for_admins_and_model_history_for_owners(service):
    service.submit(EXPERT, "customer-churn", DRAFT, "a")
    audit = AuditService(service.store)
    with pytest.raises(NotAllowed):
        audit.entries(EXPERT, AuditFilter())
    assert len(audit.entries(ADMIN, AuditFilter(actor="erika@example.com"))) == 1
    assert audit.entries(ADMIN, AuditFilter(action="feedback.triaged")) == []
    assert len(audit.model_history(OWNER, "customer-churn")) == 1
    with pytest.raises(NotAllowed):
        audit.model_history(VIEWER, "customer-churn")


def test_no_code_path_changes_or_removes_audit_entries():
    root = Path(__file__).resolve().parent.parent / "portal"
    statement = re.compile(
        r"\b(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE|ALTER\s+TABLE)"
        r"\s+(TABLE\s+)?audit_log\b",
        re.IGNORECASE,
    )
    offenders = [
        path
        for path in [*root.rglob("*.py"), *root.rglob("*.sql")]
        if statement.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    public = {name for name in dir(AuditRepository) if not name.startswith("_")}
    assert public == {"append", "entries", "count", "choices"}


def test_local_user_may_do_everything_in_embedded_mode(service):
    result = service.submit(LOCAL_USER, "customer-churn", DRAFT, "local")
    service.triage(LOCAL_USER, result.feedback_id, "acknowledged", "")
    assert service.for_model("customer-churn")[0].submitted_by == "Local user"
