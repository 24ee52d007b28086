"""Estimated performance on the fact sheet: the newest weeks without known outcomes in a line,
or why the model has no estimate."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.estimation import ModelEstimate
from portal.report.layout import STYLES, Words, subheading, text
from portal.text.estimation import estimate_sentences, reason_sentence


def fact_sheet_section(
    estimate: ModelEstimate | None, in_production: bool, t: Words
) -> list[Flowable]:
    """One or two sentences under the health section; nothing for a model not in production."""
    if not in_production:
        return []
    if estimate is None or not estimate.estimates:
        return subheading(t("estimation.report_title"), text(reason_sentence(t.language, estimate)))
    sentences = estimate_sentences(t.language, estimate)
    lines = [text(sentence) for sentence in sentences]
    lines.append(text(t("estimation.report_chart_note"), STYLES.note))
    return subheading(t("estimation.report_title"), *lines)
