"""Use cases in the PDFs: the portfolio report's pipeline and the fact sheet's use case line."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.use_cases import Pipeline, UseCase
from portal.report.layout import STYLES, Words, cut, heading, subheading, text
from portal.text.format import format_number

TITLE_CHARACTERS = 80
SHOWN = 5  # approved use cases without a model named; the rest are counted


def portfolio_section(pipeline: Pipeline, t: Words) -> list[Flowable]:
    """How many use cases are in each status, and the approved ones no model serves yet."""
    title = t("use_case_report.section")
    if not pipeline.total:
        return []
    counts = ", ".join(
        f"{t(f'use_case_status.{status}')}: {format_number(t.language, count)}"
        for status, count in pipeline.counts
    )
    lines = [text(t("use_case_report.counts", counts=counts))]
    waiting = pipeline.approved_without_model
    if waiting:
        names = "; ".join(cut(case.title, TITLE_CHARACTERS) for case in waiting[:SHOWN])
        more = len(waiting) - SHOWN
        line = t("use_case_report.no_model", count=len(waiting), names=names)
        if more > 0:
            line += " " + t("use_case_report.more", count=more)
        lines.append(text(line, STYLES.note))
    return subheading(title, *lines)


def fact_sheet_section(use_case: UseCase | None, t: Words) -> list[Flowable]:
    """The use case the model serves: title, status and key metrics with their targets."""
    title = t("use_case_report.fact_sheet")
    if use_case is None:
        return heading(title, text(t("use_cases.card_none")))
    lines = [
        text(
            t(
                "use_case_report.serves",
                title=cut(use_case.title, TITLE_CHARACTERS),
                status=t(f"use_case_status.{use_case.status}"),
            )
        )
    ]
    for metric in use_case.metrics:
        target = t(
            f"use_case_target.{metric.comparison}",
            metric=metric.metric,
            target=format_number(t.language, metric.target),
            unit=f" {metric.unit}" if metric.unit else "",
            kind=t(f"use_case_kind.{metric.kind}"),
        )
        lines.append(text("• " + target, STYLES.note))
    return heading(title, *lines)
