"""The review service's methods for tests/test_permission_checks.py."""

from __future__ import annotations

from datetime import timedelta

from portal import clock
from portal.domain.reviews import ReviewDraft
from portal.services.reviews import ReviewService

MODEL = "customer-churn"
# 'retire' needs no assessment in force, so the call gets as far as the write for an owner.
RETIRE = ReviewDraft("retire", "Replaced by a new model.", clock.today() + timedelta(days=30))

CHECKED = {
    "ReviewService.record": (
        lambda s, a: ReviewService(s.store, s.settings).record(a, MODEL, RETIRE, f"k-{a.label}"),
        "review.record",
        MODEL,
    ),
    "ReviewService.may_record": (
        lambda s, a: ReviewService(s.store, s.settings).may_record(a, MODEL),
        "review.record",
        MODEL,
    ),
}
# Review status, history and due tasks are shown to every reader (card, risk page, My tasks).
PUBLIC = {
    "ReviewService": {
        "cadence",
        "history",
        "status_of_all",
        "status_of",
        "cadence_of",
        "open_tasks",
    }
}
