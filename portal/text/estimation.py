"""Estimated performance in words, for the drift drill-down and the fact sheet alike."""

from __future__ import annotations

from portal.domain.estimation import DROP_TOLERANCE, REASONS, ModelEstimate, pending_summary
from portal.text.format import format_percent
from portal.text.i18n import translate
from portal.text.wording import quality_value


def measure_name(lang: str, metric: str) -> str:
    """'ranking quality (ROC AUC)': a measure in plain words, its technical name second."""
    key = f"estimation.measure_{metric}"
    text = translate(lang, key)
    return metric if text == key else text


def estimate_sentences(lang: str, estimate: ModelEstimate) -> list[str]:
    """The estimate of the newest weeks without known outcomes in one sentence, and whether it
    is a large drop from training; or why the newest weeks need no estimate."""
    summary = pending_summary(estimate)
    if summary is None:
        return [translate(lang, "estimation.newest_known")] if estimate.estimates else []
    metric = summary.metric
    sentence = translate(
        lang,
        "estimation.sentence_one" if summary.weeks == 1 else "estimation.sentence_many",
        source=translate(lang, f"estimation.source_{summary.method}"),
        measure=measure_name(lang, metric),
        value=quality_value(lang, metric, summary.estimated),
        lower=quality_value(lang, metric, summary.lower),
        upper=quality_value(lang, metric, summary.upper),
        weeks=summary.weeks,
        reference=quality_value(lang, metric, summary.reference_value),
    )
    if summary.drop is None:
        return [sentence]
    if summary.drop > DROP_TOLERANCE:
        verdict = translate(lang, "estimation.drop_large", drop=format_percent(lang, summary.drop))
    else:
        verdict = translate(
            lang, "estimation.drop_small", tolerance=format_percent(lang, DROP_TOLERANCE)
        )
    return [sentence, verdict]


def reason_sentence(lang: str, estimate: ModelEstimate | None) -> str:
    """Why a model shows no estimate, in plain words."""
    if estimate is None:
        return translate(lang, "estimation.not_yet")
    reason = estimate.reason if estimate.reason in REASONS else "unknown"
    return translate(lang, f"estimation.reason_{reason}")
