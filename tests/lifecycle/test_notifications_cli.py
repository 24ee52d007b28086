"""`portal notify` as a user runs it: dry run, a real run to a webhook, a held store."""

from __future__ import annotations

from portal.domain.feedback import FeedbackDraft
from portal.services.feedback import FeedbackService
from portal.store.notification_repo import NotificationRepository, log_params
from tests.support.builders import EXPERT
from tests.support.cli import run_portal, store_env
from tests.support.held_store import held_store
from tests.support.notifications_receivers import webhook_receiver

REPORT = FeedbackDraft(
    "wrong_prediction", "high", "C-17", "churn", "renewed", "Renewed last week, flagged.", False
)


def _store_with_a_report(settings, filled_store):
    FeedbackService(filled_store, settings).submit(EXPERT, "customer-churn", REPORT, "k-1")
    filled_store.close()
    return settings.store_path


def _logged(path):
    from portal.store import open_store

    store = open_store(path)
    try:
        return NotificationRepository(store).matching(log_params("", ""), 100, 0)
    finally:
        store.close()


def test_dry_run_prints_per_recipient_and_writes_nothing(settings, filled_store):
    path = _store_with_a_report(settings, filled_store)
    env = store_env(path, PORTAL_NOTIFY_WEBHOOK_URL="http://127.0.0.1:9/unused")
    result = run_portal("notify", "--digest", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert "anna.schmidt@example.com:" in result.stdout
    assert "[webhook, en] Your turn: A domain expert reported on customer-churn" in result.stdout
    assert "Your open tasks this week" in result.stdout
    assert "Dry run: would send" in result.stdout and "nothing written" in result.stdout
    assert _logged(path) == []


def test_notify_sends_records_and_sends_once(settings, filled_store):
    path = _store_with_a_report(settings, filled_store)
    with webhook_receiver() as (hook, url):
        env = store_env(path, PORTAL_NOTIFY_WEBHOOK_URL=url, PORTAL_SERVER_URL="https://p.example")
        first = run_portal("notify", env=env)
        again = run_portal("notify", env=env)
    assert first.returncode == 0, first.stderr
    assert "Sent" in first.stdout and again.stdout.startswith("Sent 0 message(s)")
    report = [b for b in hook.bodies if b["kind"] == "feedback_new"]
    assert [b["link"] for b in report] == [
        "https://p.example/feedback?model=customer-churn&lang=en"
    ]
    assert {row["status"] for row in _logged(path)} == {"sent"}


def test_a_failing_channel_is_exit_code_1_and_kept_for_the_next_run(settings, filled_store):
    path = _store_with_a_report(settings, filled_store)
    with webhook_receiver() as (hook, url):
        hook.status = 503
        result = run_portal("notify", env=store_env(path, PORTAL_NOTIFY_WEBHOOK_URL=url))
    assert result.returncode == 1
    assert "webhook answered 503" in result.stderr and "retried on the next run" in result.stderr
    assert {row["status"] for row in _logged(path)} == {"failed"}


def test_without_a_channel_it_says_what_to_set(tmp_path):
    result = run_portal("notify", env=store_env(tmp_path / "portal.duckdb"))
    assert result.returncode == 0, result.stderr
    assert "PORTAL_SMTP_HOST" in result.stdout and "Nothing was sent" in result.stdout


def test_a_held_store_gets_exit_code_3_and_says_what_to_do(tmp_path):
    path = tmp_path / "held.duckdb"
    with held_store(path) as pid:
        result = run_portal("notify", "--dry-run", env=store_env(path))
    assert result.returncode == 3
    assert f"in use by process {pid}" in result.stderr and "Notifications page" in result.stderr
