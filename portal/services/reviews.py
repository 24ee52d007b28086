"""Periodic reviews of production models: record one (owners), read a model's reviews, every
production model's review status at once, and whose turn a due review is.

A review touches the risk assessments in the same transaction, so the assessment history
stays one history (the risk page shows it) and a refused review changes nothing:
- 'changed': the four re-rated risks are written as new assessments;
- 'confirmed': each assessment in force is written again with the same likelihood, impact and
  mitigation and the review's next date, so the history shows the re-confirmation;
- 'retire': the assessments stay as they are.
Each assessment gets the audit entry an assessment on the risk page gets ('risk.assessed'),
then the review its own ('review.recorded').
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.documentation import effective_tags, split_list_tag
from portal.domain.reviews import (
    Cadence,
    Review,
    ReviewDraft,
    ReviewStatus,
    check_review,
    notice_start,
    review_status,
)
from portal.domain.risk import AssessmentDraft
from portal.domain.tasks import Task
from portal.errors import InvalidInput, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may
from portal.services.identity import Identity
from portal.services.risk import write_assessment
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Row, Store, as_record
from portal.store.governance_repo import GovernanceRepository
from portal.store.review_repo import ReviewRepository

MODEL_PAGE = "model"  # url_path of the model card, where a review is recorded


@dataclass(frozen=True)
class RecordResult:
    """The review a submission recorded, and whether this submission recorded it."""

    review_id: int
    created: bool


class ReviewService:
    """Reviews over the store; every reader sees them, owners and admins record them."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.reviews = ReviewRepository(store)
        self.catalog = CatalogRepository(store)

    @property
    def cadence(self) -> Cadence:
        """Months between reviews per criticality, as configured."""
        return Cadence(
            self.settings.review_cadence_months, self.settings.review_cadence_undocumented_months
        )

    # --- reads ----------------------------------------------------------------------------------

    def history(self, model_name: str) -> tuple[Review, ...]:
        """Every review of a model, newest first."""
        return tuple(as_record(Review, row) for row in self.reviews.history(model_name))

    def status_of_all(self, today: date) -> dict[str, ReviewStatus]:
        """Every production model's review status, by name, in three queries."""
        return self._statuses(today, None)

    def status_of(self, model_name: str, today: date) -> ReviewStatus | None:
        """One model's review status; None when it is not in production."""
        return self._statuses(today, model_name).get(model_name)

    def cadence_of(self, model_name: str) -> int:
        """Months between reviews of this model, from its criticality tag."""
        tags = group_tags(self.catalog.effective_tag_rows(model_name))
        merged = effective_tags(*tags.get(model_name, ({}, {})))
        return self.cadence.months_for(merged.get("criticality", ""))

    def open_tasks(self, now: datetime) -> tuple[Task, ...]:
        """A task per review due within the notice days or overdue, for the business owner
        (else each technical owner) of the model."""
        today = now.date()
        statuses = self.status_of_all(today)
        governance = GovernanceRepository(self.store).governance()
        tags = group_tags(self.catalog.effective_tag_rows())
        tasks = []
        for name, status in statuses.items():
            if status.state == "ok":
                continue
            owner = (governance.get(name) or {}).get("business_owner", "")
            people = (owner,) if owner else _technical_owners(tags, name)
            overdue = status.overdue
            kind = "review_overdue" if overdue else "review_due"
            since = (
                status.due
                if overdue
                else notice_start(status.due, self.settings.review_notice_days)
            )
            for person in people:
                tasks.append(
                    Task(
                        kind=kind,
                        person=person,
                        key=f"{kind}:{name}:{status.due.isoformat()}",
                        since=datetime.combine(since, time()),
                        model_name=name,
                        serious=overdue,
                        due=status.due,
                        page=MODEL_PAGE,
                        params=(("model", name),),
                    )
                )
        return tuple(tasks)

    def may_record(self, actor: Identity, model_name: str) -> bool:
        """For the interface: show the review form or not (record checks again)."""
        return may(self.store, actor, "review.record", model_name)

    # --- writes ---------------------------------------------------------------------------------

    def record(
        self,
        actor: Identity,
        model_name: str,
        draft: ReviewDraft,
        submission_key: str,
        now: datetime | None = None,
    ) -> RecordResult:
        """Record a review once per submission key, with the assessments it re-confirms or
        changes, each audited, in one transaction."""
        now = now or utc_now()
        today = now.date()
        authorize(self.store, actor, "review.record", model_name)
        model = self.catalog.model(model_name)
        if model is None or model["deleted_at"] is not None:
            raise UnknownModel(model_name)
        in_force = {row["risk"]: row for row in self.reviews.assessments_in_force(model_name)}
        problems = check_review(draft, today, self.cadence_of(model_name), bool(in_force))
        if problems:
            raise InvalidInput(tuple(problems))
        assert draft.next_review is not None  # checked above
        row = {
            "submission_key": submission_key,
            "model_name": model_name,
            "model_version": model["production_version"],
            "outcome": draft.outcome,
            "findings": draft.findings.strip(),
            "next_review": draft.next_review,
            "reviewed_by": actor.label,
            "reviewed_by_name": actor.name,
            "reviewed_at": now,
        }
        with self.store.transaction() as tx:
            existing = ReviewRepository.id_for_key(tx, submission_key)
            if existing is not None:
                return RecordResult(existing, created=False)
            for assessment in _assessments(draft, in_force):
                write_assessment(tx, actor, model_name, assessment, now)
            review_id = ReviewRepository.insert(tx, row)
            write_audit(
                tx,
                actor,
                "review.recorded",
                ("review", str(review_id)),
                now,
                model_name=model_name,
                after={k: v for k, v in row.items() if k not in ("submission_key", "model_name")}
                | {"next_review": draft.next_review.isoformat(), "reviewed_at": now.isoformat()},
            )
            tx.bump_data_version()
        return RecordResult(review_id, created=True)

    def _statuses(self, today: date, model_name: str | None) -> dict[str, ReviewStatus]:
        tags = group_tags(self.catalog.effective_tag_rows(model_name))
        cadence = self.cadence
        found = {}
        for row in self.reviews.production_models(model_name):
            name = row["name"]
            criticality = effective_tags(*tags.get(name, ({}, {}))).get("criticality", "")
            found[name] = review_status(
                name,
                criticality,
                cadence,
                row["production_since"],
                _last_review(row),
                today,
                self.settings.review_notice_days,
            )
        return found


def _last_review(row: Row) -> Review | None:
    if row["last_id"] is None:
        return None
    return Review(
        id=row["last_id"],
        model_name=row["name"],
        model_version=row["last_model_version"],
        outcome=row["last_outcome"],
        findings=row["last_findings"],
        next_review=row["last_next_review"],
        reviewed_by=row["last_reviewed_by"],
        reviewed_by_name=row["last_reviewed_by_name"],
        reviewed_at=row["last_reviewed_at"],
    )


def _technical_owners(tags: dict, name: str) -> tuple[str, ...]:
    return split_list_tag(effective_tags(*tags.get(name, ({}, {}))).get("owner", ""))


def _assessments(draft: ReviewDraft, in_force: dict[str, Row]) -> tuple[AssessmentDraft, ...]:
    """The assessments a review writes, each due again on the review's next date."""
    if draft.outcome == "changed":
        return tuple(replace(a, next_review=draft.next_review) for a in draft.assessments)
    if draft.outcome == "confirmed":
        return tuple(
            AssessmentDraft(
                risk, row["likelihood"], row["impact"], row["mitigation"], draft.next_review
            )
            for risk, row in sorted(in_force.items())
        )
    return ()
