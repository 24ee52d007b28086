"""Whose turn it is: every open task of the lifecycle, gathered from the services that know
them, plus the task service's own kinds (new expert feedback, drifting or off-track models)."""

from __future__ import annotations

from datetime import datetime

from portal.domain.attention import ModelFacts, items_for
from portal.domain.feedback import OPEN_STATUSES, reference_number
from portal.domain.roles import model_owners
from portal.domain.tasks import Task, tasks_of
from portal.runtime import Runtime
from portal.services.attention import AttentionService
from portal.services.incidents import IncidentService
from portal.services.reviews import ReviewService
from portal.services.signoffs import SignOffService
from portal.store.feedback_repo import FeedbackRepository, matching_params

# Attention kinds that are someone's task, the task kind each becomes and where it is fixed.
_FROM_ATTENTION = {
    "drifting": ("model_drifting", "drift", True),
    "decaying": ("model_decaying", "drift", True),
    "value_off_track": ("model_off_track", "model", False),
}
_SERIOUS_FEEDBACK = frozenset({"high", "critical"})


class TaskService:
    """Reads only: every person's tasks, for My tasks and the notifications."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.settings

    def open_tasks(self, now: datetime) -> tuple[Task, ...]:
        """Every open task of every person, from every producer (set-based reads)."""
        facts = AttentionService(self.runtime).facts(now)
        producers = (
            SignOffService(self.store, self.settings),
            IncidentService(self.store, self.settings),
            ReviewService(self.store, self.settings),
        )
        found: list[Task] = []
        for producer in producers:
            found.extend(producer.open_tasks(now))
        found.extend(self._feedback_tasks(facts))
        found.extend(_attention_tasks(facts, now))
        return tuple(found)

    def for_person(self, email: str, now: datetime) -> tuple[Task, ...]:
        """One person's tasks, the most urgent first."""
        return tasks_of(self.open_tasks(now), email)

    def _feedback_tasks(self, facts: tuple[ModelFacts, ...]) -> list[Task]:
        """feedback_new: each open expert report, for every owner of its model."""
        owners = {
            f.name: model_owners(f.technical_owners, f.business_owner, f.accountable_executive)
            for f in facts
        }
        where = matching_params(None, sorted(OPEN_STATUSES), [], [], "", "", None)
        tasks = []
        for row in FeedbackRepository(self.store).matching(where, oldest_first=True):
            reference = reference_number(row["id"])
            for person in owners.get(row["model_name"], ()):
                tasks.append(
                    Task(
                        kind="feedback_new",
                        person=person,
                        key=f"feedback:{row['id']}",
                        since=row["submitted_at"],
                        model_name=row["model_name"],
                        serious=row["severity"] in _SERIOUS_FEEDBACK,
                        page="feedback",
                        params=(("model", row["model_name"]),),
                        detail=(("reference", reference),),
                    )
                )
        return tasks


def _attention_tasks(facts: tuple[ModelFacts, ...], now: datetime) -> list[Task]:
    """model_drifting, model_decaying and model_off_track, for who acts on the attention item."""
    tasks = []
    for model in facts:
        for item in items_for(model):
            if item.kind not in _FROM_ATTENTION or not item.acts:
                continue
            kind, page, serious = _FROM_ATTENTION[item.kind]
            # A new episode (a later 'since') is a new task, and so a new notification.
            episode = item.since.isoformat() if item.since else ""
            tasks.append(
                Task(
                    kind=kind,
                    person=item.acts,
                    key=f"{kind}:{item.model_name}:{episode}",
                    since=item.since or now,
                    model_name=item.model_name,
                    serious=serious,
                    page=page,
                    params=(("model", item.model_name),),
                )
            )
    return tasks
