"""My tasks and the admins' notification log in AppTest: a person's tasks with links, in
German; nothing to do; muting; the local user's note; the log with a failed message first."""

from __future__ import annotations

from dataclasses import replace

from portal.domain.feedback import FeedbackDraft
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.feedback import FeedbackService
from portal.services.identity import LOCAL_USER
from portal.services.notifications import NotificationService, run_notifications
from portal.ui.navigation import MY_TASKS, NOTIFICATIONS
from tests.pages.test_german_only import english_in, shown_texts
from tests.pages.test_pages import open_page, texts
from tests.support.builders import ADMIN, EXPERT, OWNER, VIEWER

CHURN = "customer-churn"
REPORT = FeedbackDraft(
    "wrong_prediction", "high", "C-17", "churn", "renewed", "Renewed last week, flagged.", False
)


def report(runtime) -> None:
    FeedbackService(runtime.store, runtime.settings).submit(EXPERT, CHURN, REPORT, "k-1")


def links(app) -> list[tuple[str, str]]:
    return [(e.proto.label, e.proto.page) for e in app.get("page_link")]


def test_a_person_sees_their_tasks_in_german_with_links(signed_in, app_runtime):
    report(app_runtime)
    signed_in(OWNER)
    app = open_page(MY_TASKS, "de")
    shown = texts(app).replace("\\", "")  # the sentences are shown as escaped Markdown
    assert "Meine Aufgaben" in shown
    assert "Eine Fachexpertin oder ein Fachexperte hat zu customer-churn gemeldet" in shown
    assert "Braucht Sie jetzt" in shown
    assert int(app.metric[0].value) >= 1  # the serious report needs her now
    assert any(label == "Öffnen" and page == "feedback" for label, page in links(app))
    assert [t.label for t in app.toggle][-1] == "Neue Meldungen von Fachleuten zu meinen Modellen"
    assert english_in(shown_texts(app)) == []


def test_nothing_to_do_is_a_clear_line(signed_in, app_runtime):
    signed_in(VIEWER)
    app = open_page(MY_TASKS)
    assert [s.value for s in app.success] == ["Nothing to do: no task is waiting for you."]
    assert [int(m.value) for m in app.metric] == [0, 0, 0]


def test_muting_a_kind_is_saved_for_that_person(signed_in, app_runtime):
    signed_in(OWNER)
    app = open_page(MY_TASKS)
    toggle = next(t for t in app.toggle if t.label == "New expert reports on my models")
    assert toggle.value is True
    toggle.set_value(False).run()
    assert not app.exception
    assert "no longer told about" in texts(app)
    assert NotificationService(app_runtime).muted_kinds(OWNER) == {"feedback_new"}


def test_the_local_user_is_told_how_tasks_follow_addresses_and_may_look_at_anyones(
    signed_in, app_runtime
):
    report(app_runtime)
    signed_in(LOCAL_USER)
    app = open_page(MY_TASKS, person=OWNER.email)
    shown = texts(app).replace("\\", "")
    assert "Tasks follow a person's e-mail address" in shown
    assert app.selectbox[0].value == OWNER.email
    assert "A domain expert reported on customer-churn" in shown
    assert "sign in to choose them" in shown  # no address: no mute switches


def test_the_log_shows_failed_messages_first_with_their_error(signed_in, app_runtime):
    report(app_runtime)
    broken = Runtime(
        replace(app_runtime.settings, notify_webhook_url="http://127.0.0.1:9/hook"),
        app_runtime.store,
        Scheduler(print, 0),
    )
    run_notifications(broken)
    signed_in(ADMIN)
    app = open_page(NOTIFICATIONS, "de")
    shown = texts(app)
    assert "Fehlgeschlagene Nachrichten" in shown
    assert "webhook not reached" in shown
    assert any(b.label == "Erneut versuchen" for b in app.button)
    assert "Kein Kanal ist eingeschaltet" in shown  # this portal's settings have none
    table = app.dataframe[0].value
    assert set(table["status"]) == {"fehlgeschlagen"}


def test_the_language_a_person_uses_is_recorded_for_their_messages(signed_in, app_runtime):
    from portal.store.notification_repo import NotificationRepository

    signed_in(OWNER)
    open_page(MY_TASKS, "de")
    assert NotificationRepository(app_runtime.store).languages() == {OWNER.email: "de"}


def test_an_admin_sees_who_has_tasks_and_opens_a_persons(signed_in, app_runtime):
    report(app_runtime)
    signed_in(ADMIN)
    app = open_page(MY_TASKS)
    assert "Who has open tasks" in [h.value for h in app.subheader]
    owners = app.dataframe[0].value
    assert OWNER.email in owners["person"].tolist()  # no name in this directory: the address
    fresh = open_page(MY_TASKS, person=OWNER.email)
    assert fresh.selectbox[0].value == OWNER.email
    assert int(fresh.metric[0].value) >= 1
