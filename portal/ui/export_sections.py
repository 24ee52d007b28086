"""PDF download buttons: the report is made when the button is pressed, not while the page draws.

Streamlit runs the callable given as `data` in a worker thread on click, so the page path never
imports reportlab or kaleido, and nobody waits for a PDF they did not ask for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import streamlit as st

from portal.clock import utc_now
from portal.errors import ReportUnavailable
from portal.runtime import Runtime, current_runtime
from portal.services.identity import Identity
from portal.services.report import ReportService, report_file_name
from portal.text.format import format_datetime
from portal.ui import session
from portal.ui.session import language, t

log = logging.getLogger(__name__)
PDF = "application/pdf"


def pdf_maker(
    runtime: Runtime, actor: Identity, lang: str, model_name: str | None
) -> Callable[[], bytes]:
    """What the button runs on click: render, record and return the PDF's bytes."""

    def make() -> bytes:
        service = ReportService(runtime)
        if model_name is None:
            return service.portfolio(actor, lang).pdf
        report = service.fact_sheet(actor, model_name, lang)
        if report is None:
            log.warning("fact sheet requested for unknown model %r", model_name)
            raise ReportUnavailable(model_name)
        return report.pdf

    return make


def fact_sheet_button(model_name: str) -> None:
    """'Fact sheet (PDF)' for one model, in the session's language."""
    _button(model_name, "fact_sheet", "export.fact_sheet_button", "export.fact_sheet_help")


def portfolio_button() -> None:
    """'Portfolio report (PDF)', with when the previous one was made and by whom."""
    _button(None, "portfolio", "export.portfolio_button", "export.portfolio_help")
    previous = ReportService(current_runtime()).latest_portfolio()
    if previous is None:
        st.caption(t("export.no_report_yet"))
    else:
        st.caption(
            t(
                "export.last_report",
                when=format_datetime(language(), previous["generated_at"]),
                who=previous["generated_by_name"] or previous["generated_by"],
            )
        )


def _button(model_name: str | None, kind: str, label_key: str, help_key: str) -> None:
    actor = session.current_identity()  # looked up on the module: tests sign in there
    if actor is None:
        return
    lang = language()
    today: datetime = utc_now()
    st.download_button(
        t(label_key),
        data=pdf_maker(current_runtime(), actor, lang, model_name),
        file_name=report_file_name(kind, model_name, today),
        mime=PDF,
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=t(help_key),
        key=f"export.{kind}.{lang}",
    )
