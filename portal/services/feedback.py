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
    FeedbackCounts,
    FeedbackDraft,
    FeedbackItem,
    check_draft,
    check_triage,
    reference_number,
)
from portal.errors import InvalidInput, UnknownFeedback, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may, models_owned_by
from portal.services.identity import Identity
from portal.store.catalog_repo import CatalogRepository
from portal.store.database import Row, Store
from portal.store.feedback_repo import FeedbackRepository


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
        return [_item(row) for row in self.feedback.by_submitter(actor.label)]

    def queue(self, actor: Identity) -> list[FeedbackItem]:
        """Open feedback on the models the actor owns (admins: all models), oldest first."""
        if actor.has_role("admin"):
            models = None
        else:
            models = sorted(models_owned_by(self.store, actor))
            if not models:
                return []
        return [_item(row) for row in self.feedback.open_for_models(models, sorted(OPEN_STATUSES))]

    def everything(self) -> list[FeedbackItem]:
        """All feedback, newest first, for the export."""
        return [_item(row) for row in self.feedback.all()]

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
