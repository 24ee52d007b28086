"""A model's periodic review status in words, the same on the pages and in the PDFs."""

from __future__ import annotations

from portal.domain.reviews import Review, ReviewStatus
from portal.text.format import format_date, format_number
from portal.text.i18n import translate


def cadence_words(lang: str, status: ReviewStatus) -> str:
    """'every 3 months for a high-criticality model'."""
    kind = status.criticality or "undocumented"
    return translate(lang, f"reviews.cadence_{kind}", months=status.cadence_months)


def status_sentence(lang: str, status: ReviewStatus) -> str:
    """When the review is due, or since when it is overdue, and why that often."""
    return translate(
        lang,
        "reviews.due" if status.state == "ok" else f"reviews.{status.state}",
        date=format_date(lang, status.due),
        days=format_number(lang, status.days),
        cadence=cadence_words(lang, status),
    )


def last_review_sentence(lang: str, review: Review, person: str) -> str:
    """'Last review on 4 Aug 2026 by Katrin Vogel: the risk assessment stands. It looked at
    version 2.'"""
    line = translate(
        lang,
        "reviews.last",
        date=format_date(lang, review.reviewed_at),
        person=person,
        outcome=translate(lang, f"reviews.outcome_{review.outcome}"),
    )
    if review.model_version is not None:
        line += " " + translate(lang, "reviews.last_version", version=review.model_version)
    return line
