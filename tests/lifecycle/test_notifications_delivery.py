"""Notifications as they arrive: a real SMTP server and a webhook receiver on loopback get the
messages; recipient, language and links are checked in what arrived."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.domain.feedback import FeedbackDraft
from portal.domain.tasks import TASK_KINDS
from portal.errors import InvalidInput, NotAllowed
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.feedback import FeedbackService
from portal.services.notifications import NotificationService, run_notifications
from portal.services.people import PeopleService
from portal.store.notification_repo import NotificationRepository, log_params
from tests.support.builders import ADMIN, EXPERT, OWNER, VIEWER
from tests.support.notifications_receivers import (
    PASSWORD,
    USER,
    self_signed,
    smtp_server,
    text_of,
    webhook_receiver,
)

MODEL = "customer-churn"  # owned by anna.schmidt@example.com
ANNA = OWNER.email
SERIOUS = FeedbackDraft(
    "wrong_prediction", "high", "C-17", "churn", "renewed", "Renewed last week, flagged.", False
)
MINOR = FeedbackDraft("data_quality", "low", "", "", "", "Odd scores for new customers.", False)
PORTAL = "https://portal.example.com"


def runtime_for(settings, store, **changes) -> Runtime:
    return Runtime(replace(settings, server_url=PORTAL, **changes), store, Scheduler(print, 0))


@pytest.fixture
def people(settings, filled_store):
    """Anna (German) and Ada by name in the directory, and one serious expert report."""
    runtime = runtime_for(settings, filled_store)
    PeopleService(runtime).upload(
        ADMIN,
        b"email,name\nanna.schmidt@example.com,Anna Schmidt\nada@example.com,Ada Admin\n",
        "people.csv",
    )
    NotificationService(runtime).remember_language(OWNER, "de")
    FeedbackService(filled_store, settings).submit(EXPERT, MODEL, SERIOUS, "serious-1")
    return filled_store


def log_rows(store, kind="feedback_new"):
    """The log's rows about the expert report (the filled store has other tasks too)."""
    rows = NotificationRepository(store).matching(log_params("", ""), 100, 0)
    return [row for row in rows if row["kind"] == kind]


def reports_to(inbox, address):
    """The mails to one address about an expert report."""
    return [m for m in inbox.to(address) if "FB-" in m["Subject"]]


def test_a_serious_task_reaches_its_owner_in_german_with_a_link_once(settings, people):
    with smtp_server() as (inbox, port):
        runtime = runtime_for(
            settings,
            people,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
            smtp_from="portal@example.com",
        )
        first = run_notifications(runtime)
        again = run_notifications(runtime)
    assert not first.failures and [m.kind for m in first.new].count("feedback_new") == 1
    assert again.new == () and again.sent == 0  # sent once per (recipient, channel, key)
    (message,) = reports_to(inbox, ANNA)
    assert message["To"] == "Anna Schmidt <anna.schmidt@example.com>"
    assert message["Subject"].startswith("Sie sind an der Reihe:")
    body = text_of(message)
    assert body.startswith("Guten Tag Anna Schmidt,")
    assert "FB-" in body and MODEL in body and "Bitte antworten Sie" in body
    assert f"{PORTAL}/feedback?model={MODEL}&lang=de" in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{PORTAL}/feedback?model={MODEL}&amp;lang=de"' in html
    (row,) = log_rows(people)
    assert (row["recipient"], row["status"], row["attempts"], row["language"]) == (
        ANNA,
        "sent",
        1,
        "de",
    )


def test_an_english_reader_gets_english(settings, people):
    NotificationService(runtime_for(settings, people)).remember_language(OWNER, "en")
    with smtp_server() as (inbox, port):
        runtime = runtime_for(
            settings, people, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
        )
        run_notifications(runtime)
    (message,) = reports_to(inbox, ANNA)
    assert message["Subject"].startswith("Your turn:")
    assert f"{PORTAL}/feedback?model={MODEL}&lang=en" in text_of(message)


def test_the_webhook_gets_text_and_structured_fields(settings, people):
    with webhook_receiver() as (hook, url):
        run_notifications(runtime_for(settings, people, notify_webhook_url=url))
    (body,) = [b for b in hook.bodies if b["kind"] == "feedback_new"]
    assert body["recipient"] == ANNA and body["kind"] == "feedback_new"
    assert body["model"] == MODEL and body["language"] == "de"
    assert body["link"] == f"{PORTAL}/feedback?model={MODEL}&lang=de"
    assert body["text"].startswith("**Sie sind an der Reihe:")


def test_a_failed_send_is_recorded_retried_next_run_and_then_sent(settings, people):
    with smtp_server() as (inbox, port):
        runtime = runtime_for(
            settings, people, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
        )
        inbox.refuse = True
        failed = run_notifications(runtime)
        (row,) = log_rows(people)
        assert (row["status"], row["attempts"]) == ("failed", 1)
        assert "451" in row["last_error"] and {f.recipient for f in failed.failures} == {ANNA}
        inbox.refuse = False
        retried = run_notifications(runtime)
    assert retried.sent == len(retried.retried) == len(failed.new) and retried.new == ()
    (row,) = log_rows(people)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, "")
    assert len(reports_to(inbox, ANNA)) == 1


def test_an_unreachable_server_fails_within_the_time_limit_and_is_kept(settings, people):
    with smtp_server() as (_inbox, port):
        pass  # the port is closed again
    runtime = runtime_for(
        settings,
        people,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        notify_timeout_seconds=2,
    )
    result = run_notifications(runtime)
    (row,) = log_rows(people)
    assert (
        row["status"] == "failed"
        and "e-mail to anna.schmidt@example.com failed" in (row["last_error"])
    )
    assert result.failures and result.sent == 0


def test_starttls_then_login(settings, people, tmp_path):
    server_tls, client_tls = self_signed(tmp_path)
    with smtp_server(tls=server_tls, login=True) as (inbox, port):
        runtime = runtime_for(
            settings,
            people,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=True,
            smtp_user=USER,
            smtp_password=PASSWORD,
        )
        result = run_notifications(runtime, tls_context=client_tls)
    assert result.sent == len(result.new) and not result.failures
    assert set(inbox.logins) == {USER} and len(reports_to(inbox, ANNA)) == 1


def test_a_wrong_password_is_a_recorded_failure(settings, people, tmp_path):
    server_tls, client_tls = self_signed(tmp_path)
    with smtp_server(tls=server_tls, login=True) as (inbox, port):
        runtime = runtime_for(
            settings,
            people,
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_user=USER,
            smtp_password="wrong",
        )
        result = run_notifications(runtime, tls_context=client_tls)
    assert result.sent == 0 and "535" in result.failures[0].error
    assert inbox.messages == []


def test_the_weekly_digest_lists_every_open_task_once_a_week(settings, people):
    FeedbackService(people, settings).submit(EXPERT, MODEL, MINOR, "minor-1")
    with smtp_server() as (inbox, port):
        runtime = runtime_for(
            settings, people, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
        )
        run_notifications(runtime, digest=True)
        second = run_notifications(runtime, digest=True)
    assert second.new == ()  # one digest per ISO week
    (digest,) = [m for m in inbox.to(ANNA) if "Ihre offenen Aufgaben" in m["Subject"]]
    body = text_of(digest)
    tasks = body.count("\n- ")
    assert digest["Subject"] == f"Ihre offenen Aufgaben diese Woche ({tasks})"
    assert body.count(f"{PORTAL}/feedback?model={MODEL}&lang=de") == 2  # both reports
    assert f"{PORTAL}/my-tasks?lang=de" not in body  # each line links to its own page


def test_muted_kinds_are_not_sent_and_a_digest_without_tasks_is_not_sent(settings, people):
    service = NotificationService(runtime_for(settings, people))
    assert service.set_muted(OWNER, "feedback_new", True) is True
    assert service.set_muted(OWNER, "feedback_new", True) is False  # already muted
    assert service.muted_kinds(OWNER) == {"feedback_new"}
    audited = people.fetch_all(
        "t", "SELECT actor, entity_id FROM audit_log WHERE action = 'notifications.mute'"
    )
    assert audited == [{"actor": ANNA, "entity_id": f"{ANNA}:feedback_new"}]
    runtime = runtime_for(settings, people, smtp_host="127.0.0.1", smtp_port=1)
    planned = run_notifications(runtime, digest=True, dry_run=True).new
    assert all("FB-" not in m.body for m in planned if m.recipient == ANNA)
    for kind in TASK_KINDS:
        service.set_muted(OWNER, kind, True)
    planned = run_notifications(runtime, digest=True, dry_run=True).new
    assert [m for m in planned if m.recipient == ANNA] == []  # no digest without a task
    assert service.set_muted(OWNER, "feedback_new", False) is True
    planned = run_notifications(runtime, digest=True, dry_run=True).new
    assert {m.kind for m in planned if m.recipient == ANNA} == {"feedback_new", "digest"}


def test_a_person_mutes_only_their_own_and_bad_kinds_are_refused(settings, people):
    service = NotificationService(runtime_for(settings, people))
    with pytest.raises(InvalidInput):
        service.set_muted(OWNER, "no_such_kind", True)
    service.set_muted(VIEWER, "feedback_new", True)
    assert service.muted_kinds(OWNER) == frozenset()
    assert service.muted_kinds(VIEWER) == {"feedback_new"}


def test_dry_run_plans_and_writes_nothing(settings, people):
    runtime = runtime_for(settings, people, smtp_host="127.0.0.1", smtp_port=1)
    planned = run_notifications(runtime, digest=True, dry_run=True)
    assert {(m.recipient, m.kind) for m in planned.new} >= {
        (ANNA, "feedback_new"),
        (ANNA, "digest"),
    }
    assert log_rows(people) == []


def test_admins_send_now_and_retry_others_may_not(settings, people):
    with smtp_server() as (inbox, port):
        runtime = runtime_for(
            settings, people, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False
        )
        service = NotificationService(runtime)
        with pytest.raises(NotAllowed):
            service.send_now(OWNER)
        inbox.refuse = True
        assert service.send_now(ADMIN).failures
        (row,) = log_rows(people)
        inbox.refuse = False
        with pytest.raises(NotAllowed):
            service.retry(OWNER, row["id"])
        assert service.retry(ADMIN, row["id"]).status == "sent"
        with pytest.raises(InvalidInput):  # sent already: nothing to retry
            service.retry(ADMIN, row["id"])
    page = service.page(ADMIN, "sent")
    assert row["id"] in {item.id for item in page.items}
    assert next(i for i in page.items if i.id == row["id"]).attempts == 2
    assert ANNA in service.recipients(ADMIN)
    with pytest.raises(NotAllowed):
        service.page(OWNER)
    assert row["subject"] in [m.subject for m in service.received(OWNER)]


def test_the_scheduled_run_adds_the_digest_on_its_weekday_only(settings, people):
    from portal.clock import utc_now
    from portal.runtime import run_notify

    today = utc_now().weekday()
    with webhook_receiver() as (hook, url):
        other_day = runtime_for(
            settings, people, notify_webhook_url=url, notify_digest_weekday=(today + 1) % 7
        )
        run_notify(other_day, "schedule")
        assert all(b["kind"] != "digest" for b in hook.bodies)
        digest_day = runtime_for(
            settings, people, notify_webhook_url=url, notify_digest_weekday=today
        )
        run_notify(digest_day, "schedule")
        run_notify(digest_day, "schedule")  # later runs that day: the week's digest is sent
    assert [b["recipient"] for b in hook.bodies if b["kind"] == "digest"].count(ANNA) == 1
    assert [b["link"] for b in hook.bodies if b["kind"] == "digest" and b["recipient"] == ANNA] == [
        f"{PORTAL}/my-tasks?lang=de"
    ]
