"""PDF buttons: the report is made when its button is pressed, not while the page draws; a
second button then saves it.

The page path never imports reportlab or kaleido, and nobody waits for a PDF they did not ask
for. The PDF is made in the page's own run rather than in a download's worker thread, so that a
failure can say so where the button is, in the reader's language: a download that fails only
leaves a line in the server log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

import streamlit as st

from portal.clock import utc_now
from portal.errors import PortalError, ReportUnavailable
from portal.runtime import Runtime, current_runtime
from portal.services.identity import Identity
from portal.services.report import ReportService, report_file_name
from portal.text.format import format_datetime, markdown_literal
from portal.ui import session
from portal.ui.forms import error_lines
from portal.ui.session import language, t

log = logging.getLogger(__name__)
PDF = "application/pdf"


def pdf_maker(
    runtime: Runtime,
    actor: Identity,
    lang: str,
    model_name: str | None,
    appendix: bool = False,
) -> Callable[[], bytes]:
    """What the button runs on click: render, record and return the PDF's bytes; `appendix`
    adds every model's row to the portfolio report."""

    def make() -> bytes:
        service = ReportService(runtime)
        if model_name is None:
            return service.portfolio(actor, lang, appendix=appendix).pdf
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
    """'Portfolio report (PDF)' with the choice of the every-model appendix beside it, and when
    the previous one was made and by whom."""
    _button(None, "portfolio", "export.portfolio_button", "export.portfolio_help", appendix=True)
    previous = ReportService(current_runtime()).latest_portfolio()
    if previous is None:
        st.caption(t("export.no_report_yet"))
    else:
        st.caption(
            t(
                "export.last_report",
                when=format_datetime(language(), previous["generated_at"]),
                who=markdown_literal(previous["generated_by_name"] or previous["generated_by"]),
            )
        )


def _button(
    model_name: str | None, kind: str, label_key: str, help_key: str, appendix: bool = False
) -> None:
    actor = session.current_identity()  # looked up on the module: tests sign in there
    if actor is None:
        return
    lang = language()
    key = f"export.{kind}.{lang}"
    pressed = st.button(t(label_key), key=key, icon=":material/picture_as_pdf:", help=t(help_key))
    # The board pages stay a few pages at any size; every model's row only when asked for.
    with_appendix = appendix and st.checkbox(
        t("report_pack.appendix_checkbox"),
        key=f"export.{kind}.appendix",
        help=t("report_pack.appendix_checkbox_help"),
    )
    if not pressed:
        return
    make = pdf_maker(current_runtime(), actor, lang, model_name, with_appendix)
    with st.spinner(t("export.making")):
        pdf = _made(make, kind, model_name)
    if pdf is None:
        return
    today: datetime = utc_now()
    st.download_button(
        t("export.save_button"),
        data=pdf,
        file_name=report_file_name(kind, model_name, today),
        mime=PDF,
        on_click="ignore",  # saving the file needs no new run, which would hide this button
        icon=":material/download:",
        type="primary",
        help=t("export.save_help"),
        key=f"{key}.save",
    )


def _made(make: Callable[[], bytes], kind: str, model_name: str | None) -> bytes | None:
    """The PDF's bytes, or None after saying in the reader's language why there are none."""
    try:
        return make()
    except PortalError as error:  # expected: the model went away, the store does not answer
        log.warning("no %s of %r: %s", kind, model_name, error)
        for line in error_lines(error):
            st.error(line, icon=":material/error:")
    except Exception:  # the reader gets a reference, operators the log entry
        reference = uuid.uuid4().hex[:8]
        log.exception("the %s of %r could not be made, reference %s", kind, model_name, reference)
        st.error(t("export.failed", reference=reference), icon=":material/error:")
    return None
