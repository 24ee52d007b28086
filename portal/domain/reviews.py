"""Periodic reviews: how often a production model is reviewed, when the next review is due,
and what a review must hold. Pure: no store, no clock.

The cadence comes from the model's criticality (its MLflow `criticality` tag). A review's next
date may be earlier than the cadence asks, never later: the cadence is the longest a model in
production may go unreviewed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.domain.risk import RISKS, AssessmentDraft, check_assessment
from portal.domain.validation import Problem

OUTCOMES: tuple[str, ...] = ("confirmed", "changed", "retire")
CRITICALITIES: tuple[str, ...] = ("high", "medium", "low")
STATES: tuple[str, ...] = ("overdue", "due_soon", "ok")  # most urgent first
FINDINGS_MAX = 4000
MAX_CADENCE_MONTHS = 60


@dataclass(frozen=True)
class Cadence:
    """Months between reviews per criticality, and for a model whose criticality is not
    documented (or is a word the portal does not know)."""

    months: tuple[tuple[str, int], ...]
    undocumented: int

    def months_for(self, criticality: str) -> int:
        """The months between two reviews of a model of this criticality."""
        return dict(self.months).get(criticality.strip().casefold(), self.undocumented)


def parse_cadence(text: str) -> tuple[tuple[str, int], ...]:
    """'high=3,medium=6,low=12' as pairs; ValueError naming what is wrong."""
    found: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, equals, months = part.partition("=")
        name = name.strip().casefold()
        if not equals or name not in CRITICALITIES:
            raise ValueError(
                f"{part!r}: write criticality=months for {', '.join(CRITICALITIES)}, "
                "e.g. high=3,medium=6,low=12"
            )
        if name in found:
            raise ValueError(f"{name} is given twice")
        found[name] = parse_months(months.strip())
    missing = [name for name in CRITICALITIES if name not in found]
    if missing:
        raise ValueError(f"months for {', '.join(missing)} are missing")
    return tuple((name, found[name]) for name in CRITICALITIES)


def parse_months(text: str) -> int:
    """A whole number of months from 1 to 60; ValueError otherwise."""
    try:
        months = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number of months") from None
    if not 1 <= months <= MAX_CADENCE_MONTHS:
        raise ValueError(f"{months} months: must be from 1 to {MAX_CADENCE_MONTHS}")
    return months


def add_months(day: date, months: int) -> date:
    """The same day so many months later; the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Review:
    """One recorded review of one model."""

    id: int
    model_name: str
    model_version: int | None
    outcome: str
    findings: str
    next_review: date
    reviewed_by: str
    reviewed_by_name: str
    reviewed_at: datetime


@dataclass(frozen=True)
class ReviewDraft:
    """What an owner entered in the review form. For 'changed', the re-rated risks (their next
    review is the review's next date, whatever the draft says)."""

    outcome: str | None
    findings: str
    next_review: date | None
    assessments: tuple[AssessmentDraft, ...] = ()


def check_review(
    draft: ReviewDraft, today: date, cadence_months: int, confirmable: bool
) -> list[Problem]:
    """Everything wrong with a review, field by field; empty when it can be saved.

    confirmable: the model has risk assessments in force that a 'confirmed' review re-confirms.
    """
    problems = []
    if draft.outcome not in OUTCOMES:
        problems.append(Problem("outcome", "unknown_choice"))
    elif draft.outcome == "confirmed" and not confirmable:
        problems.append(Problem("outcome", "review_nothing_to_confirm"))
    if not draft.findings.strip():
        problems.append(Problem("findings", "required"))
    elif len(draft.findings) > FINDINGS_MAX:
        problems.append(Problem("findings", "too_long_text", FINDINGS_MAX))
    latest = add_months(today, cadence_months)
    if draft.next_review is None:
        problems.append(Problem("next_review", "date_required"))
    elif draft.next_review <= today:
        problems.append(Problem("next_review", "date_past"))
    elif draft.next_review > latest:
        problems.append(Problem("next_review", "review_after_cadence", cadence_months))
    if draft.outcome == "changed":
        problems.extend(_assessment_problems(draft, today))
    return problems


def _assessment_problems(draft: ReviewDraft, today: date) -> list[Problem]:
    """A 'changed' review re-rates each of the four risks once."""
    risks = [a.risk for a in draft.assessments]
    if sorted(risks) != sorted(RISKS):
        return [Problem("assessments", "review_all_risks")]
    problems: list[Problem] = []
    for assessment in draft.assessments:
        for problem in check_assessment(assessment, today):
            if problem.field != "next_review":  # the review's own date applies
                named = Problem(f"{assessment.risk}_{problem.field}", problem.code, problem.limit)
                problems.append(named)
    return problems


@dataclass(frozen=True)
class ReviewStatus:
    """When a production model's next review is due, and how that stands today."""

    model_name: str
    criticality: str  # '' when not documented
    cadence_months: int
    due: date
    state: str  # one of STATES
    days: int  # days until due ('ok', 'due_soon') or since it was due ('overdue')
    last: Review | None  # the newest review; None: the due date counts from production

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"


def due_date(last: Review | None, production_since: datetime, cadence_months: int) -> date:
    """The newest review's next date; without a review, production start plus the cadence."""
    if last is not None:
        return last.next_review
    return add_months(production_since.date(), cadence_months)


def review_status(
    model_name: str,
    criticality: str,
    cadence: Cadence,
    production_since: datetime,
    last: Review | None,
    today: date,
    notice_days: int,
) -> ReviewStatus:
    """The review status of one production model on a day."""
    months = cadence.months_for(criticality)
    due = due_date(last, production_since, months)
    days = (due - today).days
    if days < 0:
        state = "overdue"
    elif days <= notice_days:
        state = "due_soon"
    else:
        state = "ok"
    known = criticality.strip().casefold()
    return ReviewStatus(
        model_name=model_name,
        criticality=known if known in CRITICALITIES else "",
        cadence_months=months,
        due=due,
        state=state,
        days=abs(days),
        last=last,
    )


def default_next_review(today: date, cadence_months: int) -> date:
    """The form's proposal: a full cadence from today."""
    return add_months(today, cadence_months)


def notice_start(due: date, notice_days: int) -> date:
    """The day a review comes due: notice_days before its date."""
    return due - timedelta(days=notice_days)
