"""Periodic reviews in the PDFs: the fact sheet's review status and its last review."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.reviews import ReviewStatus
from portal.report.layout import STYLES, Words, cut, heading, text
from portal.text import review_wording

FINDINGS_CHARACTERS = 400


def fact_sheet_section(status: ReviewStatus | None, t: Words) -> list[Flowable]:
    """When the next review is due (or since when overdue), and the last review's outcome,
    findings and reviewer; nothing for a model not in production."""
    if status is None:
        return []
    lines = [text(review_wording.status_sentence(t.language, status))]
    last = status.last
    if last is None:
        lines.append(text(t("review_report.none"), STYLES.note))
    else:
        person = last.reviewed_by_name or last.reviewed_by
        lines.append(text(review_wording.last_review_sentence(t.language, last, person)))
        if last.findings:
            findings = cut(last.findings, FINDINGS_CHARACTERS)
            lines.append(text(f"{t('reviews.findings')}: {findings}", STYLES.note))
    return heading(t("review_report.title"), *lines)
