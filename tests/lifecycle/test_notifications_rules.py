"""The pure notification rules: who is told what, once per key, mutes, digests and messages."""

from __future__ import annotations

from datetime import date, datetime

from portal.domain.attention import ModelFacts, Stake
from portal.domain.notifications import (
    TaskLine,
    Wording,
    digest_key,
    digests,
    html_text,
    immediate,
    plain_text,
    urgency,
)
from portal.domain.tasks import Task
from portal.services.tasks import _attention_tasks
from portal.text.task_wording import message_wording, task_sentence

ANNA = "anna.schmidt@example.com"
NOW = datetime(2026, 12, 2, 9, 0)
INCIDENT = Task("incident_new", ANNA, "incident:INC-1", NOW, "credit-default-risk", serious=True)
REVIEW = Task(
    "review_due", "Anna.Schmidt@example.com ", "review:churn", NOW, "churn", due=date(2026, 12, 10)
)
FEEDBACK = Task(
    "feedback_new",
    "ben@example.com",
    "feedback:7",
    NOW,
    "churn",
    detail=(("reference", "FB-000007"),),
)
STAKE = Stake(None, "EUR", "advisory", "", "", 1)


def test_serious_tasks_go_out_once_per_recipient_channel_and_key():
    tasks = (INCIDENT, REVIEW, FEEDBACK)
    due = immediate(tasks, ("email", "webhook"), frozenset(), frozenset())
    assert due == ((INCIDENT, "email"), (INCIDENT, "webhook"))
    sent = frozenset({(ANNA, "email", "incident:INC-1")})
    assert immediate(tasks, ("email", "webhook"), sent, frozenset()) == ((INCIDENT, "webhook"),)


def test_a_muted_kind_is_not_sent():
    mutes = frozenset({(ANNA, "incident_new")})
    assert immediate((INCIDENT,), ("email",), frozenset(), mutes) == ()


def test_digests_group_per_person_most_urgent_first_and_skip_the_muted():
    found = digests((REVIEW, FEEDBACK, INCIDENT), ("email",), NOW.date(), frozenset(), frozenset())
    assert [(person, [t.key for t in tasks]) for person, _, tasks in found] == [
        (ANNA, ["incident:INC-1", "review:churn"]),  # addresses compared without case
        ("ben@example.com", ["feedback:7"]),
    ]
    mutes = frozenset({("ben@example.com", "feedback_new")})
    found = digests((REVIEW, FEEDBACK), ("email",), NOW.date(), frozenset(), mutes)
    assert [person for person, _, _ in found] == [ANNA]  # nothing unmuted: no digest for Ben


def test_one_digest_per_iso_week():
    assert digest_key(date(2026, 12, 28)) == digest_key(date(2027, 1, 3)) == "digest:2026-W53"
    assert digest_key(date(2027, 1, 4)) == "digest:2027-W01"
    sent = frozenset({(ANNA, "email", digest_key(NOW.date()))})
    assert digests((REVIEW,), ("email",), NOW.date(), sent, frozenset()) == ()


def test_urgency():
    today = date(2026, 12, 2)
    assert urgency(INCIDENT, today) == "now"
    assert urgency(REVIEW, today) == "soon"
    assert urgency(REVIEW, date(2026, 12, 10)) == "now"  # its day has come
    assert urgency(FEEDBACK, today) == "later"


def test_sentences_in_both_languages_with_names_and_dates():
    assert task_sentence("en", FEEDBACK) == (
        "A domain expert reported on churn (FB-000007): please answer."
    )
    assert "Bitte antworten Sie" in task_sentence("de", FEEDBACK)
    assert "10.12.2026" in task_sentence("de", REVIEW)
    assert "10 Dec 2026" in task_sentence("en", REVIEW)


def test_plain_and_html_messages_carry_every_line_and_escape_text():
    lines = [
        TaskLine("Check <b>churn</b> & co.", "https://portal.example.com/drift?model=a&lang=en")
    ]
    wording = message_wording("de", "Anna <Schmidt>", "digest", 1, lines[0].sentence)
    assert wording.subject == "Ihre offenen Aufgaben diese Woche (1)"
    body = plain_text(wording, lines)
    assert body.splitlines()[:3] == ["Guten Tag Anna <Schmidt>,", "", wording.intro]
    assert "- Check <b>churn</b> & co.\n  https://portal.example.com/drift?model=a&lang=en" in body
    html = html_text(body)
    assert "<b>" not in html and "&lt;b&gt;churn&lt;/b&gt; &amp; co." in html
    assert '<a href="https://portal.example.com/drift?model=a&amp;lang=en">' in html
    single = message_wording("en", "Anna", "incident_new", 1, "Incident INC-1 is open.")
    assert single.subject == "Your turn: Incident INC-1 is open."
    assert isinstance(single, Wording)


def test_drifting_and_off_track_models_are_tasks_for_who_acts():
    since = datetime(2026, 11, 20)
    facts = (
        ModelFacts(
            "churn",
            True,
            since,
            STAKE,
            business_owner=ANNA,
            technical_owners=("t@x.com",),
            health="drifting",
            health_since=since,
            value="off_track",
        ),
        ModelFacts("nobody", True, since, STAKE, health="drifting", health_since=since),
    )
    tasks = _attention_tasks(facts, NOW)
    assert [(t.kind, t.person, t.page, t.serious) for t in tasks] == [
        ("model_drifting", "t@x.com", "drift", True),  # the technical owner acts on drift
        ("model_off_track", ANNA, "model", False),  # the business owner on value
    ]
    assert tasks[0].key == "model_drifting:churn:2026-11-20T00:00:00"  # a new episode: a new key
