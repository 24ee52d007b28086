"""Fairness over time on the fact sheet: one line saying whether a gap between groups widens,
or why fairness is not measured."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.fairness import (
    MEASURED,
    NOT_COMPUTED,
    ModelFairness,
    points,
    recent_low,
)
from portal.report.layout import Words, subheading, text


def fact_sheet_section(
    fairness: ModelFairness | None, in_production: bool, t: Words
) -> list[Flowable]:
    """One sentence under the health section; nothing for a model not in production."""
    if not in_production or fairness is None:
        return []
    return subheading(t("fairness.title"), text(fact_sheet_line(fairness, t)))


def fact_sheet_line(fairness: ModelFairness, t: Words) -> str:
    """The widening gap that grew most, else the largest gap now, else why none is known."""
    columns = ", ".join(fairness.tagged_columns) or ", ".join(
        trend.group_column for trend in fairness.trends
    )
    if fairness.state == NOT_COMPUTED:
        return t("fairness.report_not_computed", columns=columns)
    if fairness.state != MEASURED:
        return t("fairness.report_not_tagged")
    widening = sorted(
        fairness.widening,
        key=lambda trend: (trend.recent_gap or 0.0) - (trend.reference_gap or 0.0),
        reverse=True,
    )
    if widening:
        trend = widening[0]
        return t(
            "fairness.report_widening",
            column=trend.group_column,
            recent=points(recent_low(trend)),
            reference=points(trend.reference_gap),
        )
    known = [trend for trend in fairness.trends if trend.recent_gap is not None]
    if not known:
        return t("fairness.report_not_measurable", columns=columns)
    widest = max(known, key=lambda trend: trend.recent_gap or 0.0)
    reference = points(widest.reference_gap)
    return t(
        "fairness.report_steady",
        columns=columns,
        recent=points(widest.recent_gap),
        reference="–" if reference is None else reference,
    )
