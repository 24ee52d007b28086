"""The demo's periodic reviews, on a store shaped like the demo catalog after governance."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.demo.governance import seed_demo_governance
from portal.demo.reviews import REVIEWS, seed_demo_reviews
from portal.services.reviews import ReviewService
from tests.conftest import sync_fake
from tests.demo.test_governance import demo_like_registry

NOW = datetime(2026, 11, 27, 12, 0)


def test_most_models_are_reviewed_and_property_valuations_review_is_overdue(store, settings):
    sync_fake(store, demo_like_registry(), NOW - timedelta(days=400))
    seed_demo_governance(store, settings, NOW)
    seed_demo_reviews(store, settings, NOW)
    reviews = ReviewService(store, settings)
    statuses = reviews.status_of_all(NOW.date())
    reviewed = {name for name, status in statuses.items() if status.last is not None}
    assert reviewed == {review.model for review in REVIEWS}
    overdue = {name: status for name, status in statuses.items() if status.overdue}
    assert overdue["property-valuation"].days == 28
    assert overdue["property-valuation"].last.reviewed_by == "katrin.vogel@example.com"
    # Never reviewed since it went live: nobody owns it on record.
    assert set(overdue) == {"property-valuation", "Kündigungsprognose Geschäftskunden"}
    assert statuses["transit-ridership-forecast"].state == "due_soon"
    tasks = {(t.kind, t.model_name): t.person for t in reviews.open_tasks(NOW)}
    assert tasks[("review_due", "transit-ridership-forecast")] == "nina.schulz@example.com"
    assert tasks[("review_overdue", "property-valuation")] == "hannah.weber@example.com"
    changed = reviews.history("employee-attrition")[0]
    assert changed.outcome == "changed"
