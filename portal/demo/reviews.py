"""The demo's periodic reviews, each recorded through the review service by the person who did it.

Most production models were reviewed; property-valuation's review (a high-criticality model,
every three months) was due four weeks ago and nobody has done it. Kündigungsprognose
Geschäftskunden has no owners on record and was never reviewed, so its first review is overdue
too. transit-ridership-forecast's owner chose an early next date: it is due within days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.config import Settings
from portal.domain.reviews import ReviewDraft, add_months
from portal.domain.risk import AssessmentDraft
from portal.services.identity import Identity
from portal.services.reviews import ReviewService
from portal.store.database import Store


@dataclass(frozen=True)
class DemoReview:
    """A review made `days_ago` days before the demo's now; next date a full cadence later
    unless `next_in_days` (from the demo's now) says otherwise."""

    model: str
    by: tuple[str, str]  # name, e-mail
    days_ago: int
    outcome: str
    findings: str
    next_in_days: int | None = None
    ratings: tuple[AssessmentDraft, ...] = ()


REVIEWS: tuple[DemoReview, ...] = (
    DemoReview(
        "property-valuation",
        ("Katrin Vogel", "katrin.vogel@example.com"),
        120,
        "confirmed",
        "Estimates stay within 5 % of the valuers' inspection results; the decay check each "
        "quarter stays as agreed.",
    ),
    DemoReview(
        "employee-attrition",
        ("Martin Krause", "martin.krause@example.com"),
        40,
        "changed",
        "The outage risk was never rated; department totals are now sent to works council "
        "monthly, so a missed run is noticed within days.",
        ratings=(
            AssessmentDraft(
                "outage", 2, 2, "Monthly batch; a missed run is re-run next day.", None
            ),
            AssessmentDraft("wrong_predictions", 2, 3, "Only department totals are shared.", None),
            AssessmentDraft("decay", 3, 3, "Retrained each half year on new HR data.", None),
            AssessmentDraft(
                "knowledge_loss", 3, 3, "A second data scientist is being trained.", None
            ),
        ),
    ),
    DemoReview(
        "credit-default-risk",
        ("Julia Hoffmann", "julia.hoffmann@example.com"),
        18,
        "confirmed",
        "Approval rates and defaults by segment unchanged since the last assessment; the "
        "missing accountable executive is still open.",
    ),
    DemoReview(
        "transit-ridership-forecast",
        ("Nina Schulz", "nina.schulz@example.com"),
        8,
        "confirmed",
        "Forecasts held through the autumn timetable change; look again after the Christmas "
        "timetable.",
        next_in_days=12,
    ),
    DemoReview(
        "customer-churn",
        ("Sophie Wagner", "sophie.wagner@example.com"),
        3,
        "confirmed",
        "Retention agents report calls on target; the decay assessment was renewed last week.",
    ),
)


def seed_demo_reviews(store: Store, settings: Settings, now: datetime) -> None:
    """Record the demo's reviews through the service, as their reviewers, in time order."""
    service = ReviewService(store, settings)
    for item in sorted(REVIEWS, key=lambda r: -r.days_ago):
        at = now - timedelta(days=item.days_ago)
        if item.next_in_days is None:
            next_review = add_months(at.date(), service.cadence_of(item.model))
        else:
            next_review = now.date() + timedelta(days=item.next_in_days)
        name, email = item.by
        service.record(
            Identity(name, email, frozenset({"viewer"})),
            item.model,
            ReviewDraft(item.outcome, item.findings, next_review, item.ratings),
            f"demo-review:{item.model}:{item.days_ago}",
            now=at,
        )
