"""Parts both documents share: the page frame's texts and how current the data is."""

from __future__ import annotations

from datetime import datetime, timedelta

from reportlab.platypus import Flowable

from portal.report.facts import DataAges
from portal.report.layout import STYLES, PageFrame, Words, fact_rows, heading, text
from portal.text.format import format_age, format_datetime


def page_frame(t: Words, document: str, generated_by: str, generated_at: datetime) -> PageFrame:
    """Header: the document and the portal; footer: who generated it when, and the page."""
    return PageFrame(
        header_left=document,
        header_right=t("app.title"),
        footer_left=t("report.generated", who=generated_by, when=_when(t, generated_at)),
        page_of=lambda page, pages: t("report.page_of", page=page, pages=pages),
    )


def freshness(
    t: Words, data: DataAges, generated_at: datetime, generated_by: str, is_demo: bool
) -> list[Flowable]:
    """The closing section: when each source was last read, and who generated the report."""
    catalog = data.catalog
    sync = _moment(t, catalog.last_success_at, generated_at)
    if catalog.state in ("stale", "failing"):
        sync += " " + t(f"report.fresh_{catalog.state}")
    rows = [
        (t("report.fresh_catalog"), sync),
        (t("report.fresh_kpis"), _moment(t, data.kpis_loaded_at, generated_at)),
        (t("report.fresh_drift"), _moment(t, data.drift_checked_at, generated_at)),
    ]
    block: list[Flowable] = fact_rows(rows, label_share=0.34)
    if is_demo:
        block.append(text(t("sidebar.demo"), STYLES.note))
    return heading(t("report.about_title"), *block)


def _when(t: Words, moment: datetime) -> str:
    return format_datetime(t.language, moment)


def _moment(t: Words, moment: datetime | None, now: datetime) -> str:
    """'27 Nov 2026 18:07 UTC (2 hours before this report)', or 'never'."""
    if moment is None:
        return t("report.never")
    age = format_age(t.language, max(now - moment, timedelta(0)))
    return t("report.moment", when=_when(t, moment), age=age)
