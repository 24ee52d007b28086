"""Whose turn it is: one task per thing a named person has to do, from every part of the lifecycle.

Pure. Each service that knows a kind of task (sign-offs, reviews, incidents, feedback, the
attention list) lists its open tasks as `Task`s; the task service gathers them for the
*My tasks* page and the notifications, which are sent once per task key and recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Every kind of task, the most urgent first. A person may mute a kind for their notifications;
# the task stays on their *My tasks* page.
TASK_KINDS: tuple[str, ...] = (
    "incident_new",  # a new incident on a model the person owns
    "signoff_waiting",  # a sign-off waits for the person (design, evaluation, go-live)
    "unapproved_production",  # a version runs in production without go-live approval
    "review_overdue",  # a periodic review of the person's model is overdue
    "review_due",  # ... comes due within the notice period
    "model_drifting",  # the person's model turned drifting
    "model_decaying",  # ... its quality is estimated well below training, or a fairness gap widens
    "model_off_track",  # the person's model's value is off track
    "feedback_new",  # a new expert report on the person's model waits for an answer
)


@dataclass(frozen=True)
class Task:
    """One thing one person has to do, since when, and where it is done."""

    kind: str  # one of TASK_KINDS
    person: str  # e-mail address of who acts
    key: str  # stable name of what it is about, e.g. 'signoff:go_live:churn:3'
    since: datetime  # when it became this person's turn
    model_name: str = ""
    use_case_key: str = ""
    serious: bool = False  # notified at once; the others wait for the weekly digest
    due: date | None = None  # a deadline, where there is one (a review date, a report deadline)
    page: str = ""  # url_path of the page where it is done ('' is the overview)
    params: tuple[tuple[str, str], ...] = ()  # that page's query parameters
    detail: tuple[tuple[str, str], ...] = ()  # values for the task's sentence (see task wording)
    variant: str = ""  # which sentence of the kind: 'design', 'go_live'; '' the kind's own

    @property
    def sentence_key(self) -> str:
        """The catalog key of the task's sentence: 'task.<kind>' or 'task.<kind>_<variant>'."""
        return f"task.{self.kind}_{self.variant}" if self.variant else f"task.{self.kind}"

    @property
    def values(self) -> dict[str, str]:
        """The detail as a mapping, for the sentence's placeholders."""
        return dict(self.detail)


def tasks_of(tasks: tuple[Task, ...], email: str) -> tuple[Task, ...]:
    """One person's tasks (e-mail compared without case), the most urgent kind first, then
    the earliest deadline, then the oldest."""
    person = email.strip().casefold()
    mine = [task for task in tasks if task.person.strip().casefold() == person and person]
    return tuple(
        sorted(
            mine,
            key=lambda task: (
                TASK_KINDS.index(task.kind),
                task.due or date.max,
                task.since,
                task.key,
            ),
        )
    )
