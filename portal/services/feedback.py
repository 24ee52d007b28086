"""Expert feedback: submit, answer, read; every write authorized here and audited with it."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.feedback import (
    OPEN_STATUSES,
    PAGE_SIZE,
    SCOPES,
    FeedbackCounts,
    FeedbackDraft,
    FeedbackFilter,
    FeedbackItem,
    check_draft,
    check_filter,
    check_triage,
    reference_number,
)
from portal.domain.paging import Page, page_window
from portal.domain.validation import Problem
from portal.errors import InvalidInput, UnknownFeedback, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may, models_owned_by
from portal.services.identity import Identity
from portal.store.catalog_repo import CatalogRepository
from portal.store.database import Row, Store
from portal.store.feedback_repo import FeedbackRepository, matching_params


@dataclass(frozen=True)
class FilterChoices:
    """What the feedback lists can be filtered by: models with feedback, people in it."""

    models: tuple[str, ...]
    people: tuple[str, ...]


@dataclass(frozen=True)
class SubmitResult:
    """The reference an expert quotes, and whether this call stored it (False: a resubmit)."""

    reference: str
    feedback_id: int
    created: bool


class FeedbackService:
    """Feedback use cases over the store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.catalog = CatalogRepository(store)
        self.feedback = FeedbackRepository(store)

    def may_submit(self, actor: Identity, model_name: str) -> bool:
        """For the interface: show the form or not (the service checks again on submit)."""
        return may(self.store, actor, "feedback.submit", model_name)

    def may_triage(self, actor: Identity, model_name: str) -> bool:
        """For the interface: show the triage controls or not."""
        return may(self.store, actor, "feedback.triage", model_name)

    def submit(
        self,
        actor: Identity,
        model_name: str,
        draft: FeedbackDraft,
        submission_key: str,
        now: datetime | None = None,
    ) -> SubmitResult:
        """Store a submission once per key, with the production version and an audit entry."""
        model = self.catalog.model(model_name)
        if model is None:
            raise UnknownModel(model_name)
        authorize(self.store, actor, "feedback.submit", model_name)
        problems = check_draft(draft)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        with self.store.transaction() as tx:
            existing = FeedbackRepository.id_for_key(tx, submission_key)
            if existing is not None:
                return SubmitResult(reference_number(existing), existing, created=False)
            row = {
                "submission_key": submission_key,
                "model_name": model_name,
                "model_version": model["production_version"],
                **asdict(draft),
                "description": draft.description.strip(),
                "submitted_by": actor.label,
                "submitter_name": actor.name,
                "submitted_at": at,
            }
            feedback_id = FeedbackRepository.insert(tx, row)
            write_audit(
                tx,
                actor,
                "feedback.submitted",
                ("feedback", reference_number(feedback_id)),
                at,
                model_name=model_name,
                after={k: v for k, v in row.items() if k != "submission_key"},
            )
            tx.bump_data_version()
        return SubmitResult(reference_number(feedback_id), feedback_id, created=True)

    def triage(
        self,
        actor: Identity,
        feedback_id: int,
        status: str,
        response: str,
        now: datetime | None = None,
    ) -> FeedbackItem:
        """An owner sets the status and answers; the change is audited with before and after."""
        current = self.feedback.get(feedback_id)
        if current is None:
            raise UnknownFeedback(feedback_id)
        authorize(self.store, actor, "feedback.triage", current["model_name"])
        problems = check_triage(status, response)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        with self.store.transaction() as tx:
            before = FeedbackRepository.get_in(tx, feedback_id)
            FeedbackRepository.answer(tx, feedback_id, status, response.strip(), actor.label, at)
            write_audit(
                tx,
                actor,
                "feedback.triaged",
                ("feedback", reference_number(feedback_id)),
                at,
                model_name=current["model_name"],
                before=_answer_fields(before),
                after={"status": status, "response": response.strip(), "responded_by": actor.label},
            )
            tx.bump_data_version()
        return _item(self.feedback.get(feedback_id))

    def for_model(self, model_name: str) -> list[FeedbackItem]:
        """A model's feedback feed, newest first; everyone may read it."""
        return [_item(row) for row in self.feedback.for_model(model_name)]

    def mine(self, actor: Identity) -> list[FeedbackItem]:
        """What the actor submitted, with the owners' answers."""
        return self.matching(actor, "mine", FeedbackFilter())

    def queue(self, actor: Identity) -> list[FeedbackItem]:
        """Open feedback on the models the actor owns (admins: all models), oldest first."""
        return self.matching(actor, "queue", FeedbackFilter())

    def everything(self) -> list[FeedbackItem]:
        """All feedback, newest first, for the export."""
        every = matching_params(None, [], [], [], "", "", None)
        return [_item(row) for row in self.feedback.matching(every, oldest_first=False)]

    def page(
        self,
        actor: Identity,
        scope: str,
        chosen: FeedbackFilter,
        page: int = 1,
        page_size: int = PAGE_SIZE,
    ) -> Page[FeedbackItem]:
        """One page of a filtered list: the actor's own feedback ('mine'), open feedback on the
        actor's models ('queue', oldest first) or all of it ('all'); everyone may read."""
        where = self._where(actor, scope, chosen)
        if where is None:
            return Page((), 0, 1, page_size)
        total = self.feedback.count_matching(where)
        shown, offset = page_window(total, page, page_size)
        rows = self.feedback.matching(where, scope == "queue", page_size, offset) if total else []
        return Page(tuple(_item(row) for row in rows), total, shown, page_size)

    def matching(self, actor: Identity, scope: str, chosen: FeedbackFilter) -> list[FeedbackItem]:
        """Every item of a filtered list, in its order (for the CSV export)."""
        where = self._where(actor, scope, chosen)
        if where is None:
            return []
        return [_item(row) for row in self.feedback.matching(where, scope == "queue")]

    def filter_choices(self) -> FilterChoices:
        """The models and people the lists can be narrowed to."""
        return FilterChoices(tuple(self.feedback.models()), tuple(self.feedback.people()))

    def _where(self, actor: Identity, scope: str, chosen: FeedbackFilter) -> dict | None:
        """The list's query parameters; None when the list is empty whatever the store holds."""
        problems = check_filter(chosen)
        if scope not in SCOPES:
            problems += (Problem("scope", "unknown_choice"),)
        if problems:
            raise InvalidInput(problems)
        models: list[str] | None = list(chosen.models) or None
        statuses = list(chosen.statuses)
        if scope == "queue":
            if not actor.has_role("admin"):
                owned = models_owned_by(self.store, actor)
                models = sorted(owned & set(models) if models else owned)
                if not models:
                    return None
            statuses = sorted(OPEN_STATUSES & set(statuses) if statuses else OPEN_STATUSES)
            if not statuses:
                return None
        return matching_params(
            models,
            statuses,
            list(chosen.kinds),
            list(chosen.severities),
            actor.label if scope == "mine" else "",
            chosen.person,
            chosen.since,
        )

    def counts(self, now: datetime | None = None) -> FeedbackCounts:
        """Totals for the overview."""
        since = (now or utc_now()) - timedelta(days=30)
        row = self.feedback.counts(sorted(OPEN_STATUSES), since)
        return FeedbackCounts(
            **{key: int(row[key]) for key in ("total", "open", "recent", "open_wrong_predictions")}
        )


def feedback_csv(items: list[FeedbackItem]) -> str:
    """CSV of feedback; submitters appear only where they agreed to be named."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "reference",
            "model",
            "version",
            "kind",
            "severity",
            "case_reference",
            "model_output",
            "expected_output",
            "description",
            "submitted_by",
            "submitted_at",
            "status",
            "response",
            "responded_by",
            "responded_at",
        ]
    )
    for item in items:
        writer.writerow(
            [
                item.reference,
                item.model_name,
                item.model_version or "",
                item.kind,
                item.severity,
                _cell(item.case_reference),
                _cell(item.model_output),
                _cell(item.expected_output),
                _cell(item.description),
                item.submitter_name if item.show_name else "",
                item.submitted_at.isoformat(),
                item.status,
                _cell(item.response),
                item.responded_by,
                item.responded_at.isoformat() if item.responded_at else "",
            ]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _answer_fields(row: Row | None) -> dict:
    keys = ("status", "response", "responded_by")
    return {key: row[key] for key in keys} if row else {}


def _item(row: Row) -> FeedbackItem:
    return FeedbackItem(reference=reference_number(row["id"]), **row)
