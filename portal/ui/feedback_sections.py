"""Feedback components: the feed, the expert's form, the owner's answer form, the CSV button.

User text is always drawn with st.text or as table cells: never interpreted as Markdown/HTML,
and with its bidirectional controls made visible (stored exactly as sent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import streamlit as st

from portal.domain.feedback import KINDS, LIMITS, SEVERITIES, STATUSES, FeedbackDraft, FeedbackItem
from portal.services.feedback import FeedbackService, feedback_csv
from portal.services.identity import Identity
from portal.text.format import format_date, markdown_literal, without_bidi_controls
from portal.ui.forms import attempt
from portal.ui.session import language, t

_CONFIRMATION = "feedback.confirmation"


def feed(
    items: list[FeedbackItem],
    *,
    service: FeedbackService | None = None,
    actor: Identity | None = None,
    show_model: bool = False,
) -> None:
    """Feedback items, newest first; answer forms where the actor may answer."""
    for item in items:
        with st.container(border=True):
            item_view(item, show_model=show_model)
            if service and actor and service.may_triage(actor, item.model_name):
                with st.expander(t("feedback.triage")):
                    triage_form(item, actor, service)


def item_view(item: FeedbackItem, show_model: bool = False) -> None:
    """One item: what, how serious, when, by whom, the expert's text and the owner's answer."""
    lang = language()
    who = (
        t("feedback.submitted_by", name=item.submitter_name or item.submitted_by)
        if item.show_name
        else t("feedback.anonymous")
    )
    version = (
        t("feedback.version", version=item.model_version)
        if item.model_version
        else t("feedback.no_version")
    )
    heading = " · ".join(
        [
            item.reference,
            *([item.model_name] if show_model else []),
            t(f"feedback_kind.{item.kind}"),
            t(f"feedback_severity.{item.severity}"),
            version,
            format_date(lang, item.submitted_at),
            who,
        ]
    )
    st.caption(markdown_literal(heading))
    st.badge(t(f"feedback_status.{item.status}"), color="orange" if item.is_open else "green")
    for field in ("case_reference", "model_output", "expected_output"):
        value = getattr(item, field)
        if value:
            st.caption(t(f"feedback_field.{field}"))
            st.text(without_bidi_controls(value))
    st.caption(t("feedback_field.description"))
    st.text(without_bidi_controls(item.description))
    if item.response:
        st.caption(markdown_literal(t("feedback.answer", name=item.responded_by)))
        st.text(without_bidi_controls(item.response))
    elif item.is_open:
        st.caption(t("feedback.waiting"))


def submit_form(
    model_name: str, production_version: int | None, actor: Identity, service: FeedbackService
) -> None:
    """The expert's form; stores once per content, confirms with a reference number."""
    st.caption(
        t("feedback.form_intro", version=production_version)
        if production_version
        else t("feedback.form_intro_no_version")
    )
    with st.form(f"feedback.form.{model_name}", clear_on_submit=False):
        kind_column, severity_column = st.columns(2)
        kind = kind_column.selectbox(
            t("feedback.kind"), KINDS, format_func=lambda k: t(f"feedback_kind.{k}")
        )
        severity = severity_column.selectbox(
            t("feedback.severity"),
            SEVERITIES,
            index=1,
            format_func=lambda s: t(f"feedback_severity.{s}"),
        )
        case_reference = st.text_input(
            t("feedback.case_reference"), max_chars=LIMITS["case_reference"]
        )
        said, expected = st.columns(2)
        model_output = said.text_area(
            t("feedback.model_output"), height=80, max_chars=LIMITS["model_output"]
        )
        expected_output = expected.text_area(
            t("feedback.expected_output"), height=80, max_chars=LIMITS["expected_output"]
        )
        description = st.text_area(
            t("feedback.description"), height=140, max_chars=LIMITS["description"]
        )
        show_name = st.checkbox(t("feedback.show_name"), value=True)
        sent = st.form_submit_button(t("feedback.submit"), type="primary")
    if not sent:
        return
    draft = FeedbackDraft(
        kind, severity, case_reference, model_output, expected_output, description, show_name
    )
    done, result = attempt(
        lambda: service.submit(actor, model_name, draft, submission_key(actor, model_name, draft)),
        "feedback_field",
    )
    if not done:
        return
    key = "feedback.submitted" if result.created else "feedback.already"
    st.session_state[_CONFIRMATION] = t(key, reference=result.reference)
    st.rerun()


def triage_form(item: FeedbackItem, actor: Identity, service: FeedbackService) -> None:
    """An owner's status and answer for one item."""
    with st.form(f"feedback.triage.{item.id}"):
        status = st.selectbox(
            t("feedback.status_label"),
            STATUSES,
            index=STATUSES.index(item.status),
            format_func=lambda s: t(f"feedback_status.{s}"),
        )
        response = st.text_area(
            t("feedback.response_label"),
            value=item.response,
            height=100,
            max_chars=LIMITS["response"],
        )
        saved = st.form_submit_button(t("feedback.save_answer"))
    if not saved:
        return
    done, _ = attempt(lambda: service.triage(actor, item.id, status, response), "feedback_field")
    if not done:
        return
    st.session_state[_CONFIRMATION] = t("feedback.answer_saved", reference=item.reference)
    st.rerun()


def confirmation() -> None:
    """Show a confirmation left by a form before its rerun."""
    message = st.session_state.pop(_CONFIRMATION, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def csv_button(items: list[FeedbackItem], file_name: str, key: str) -> None:
    """Download the items as CSV."""
    st.download_button(
        t("feedback.export"),
        feedback_csv(items),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def submission_key(actor: Identity, model_name: str, draft: FeedbackDraft) -> str:
    """The same person sending the same report on the same model (a double click, a resent
    form) gets the same key, so the service stores it once."""
    content = json.dumps(
        [
            actor.label,
            model_name,
            draft.kind,
            draft.severity,
            draft.case_reference.strip(),
            draft.model_output.strip(),
            draft.expected_output.strip(),
            draft.description.strip(),
        ]
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def model_section(
    model_name: str,
    production_version: int | None,
    actor: Identity,
    service: FeedbackService,
    history: Callable[[], None] | None,
) -> None:
    """The model card's feedback section: confirmation, form, feed, export, owner history."""
    st.subheader(t("feedback.section"), help=t("feedback.section_help"))
    confirmation()
    if service.may_submit(actor, model_name):
        with st.expander(t("feedback.form_title"), icon=":material/rate_review:"):
            submit_form(model_name, production_version, actor, service)
    items = service.for_model(model_name)
    if not items:
        st.caption(t("feedback.feed_empty"))
    else:
        feed(items, service=service, actor=actor)
        csv_button(items, f"feedback-{model_name}.csv", key=f"feedback.csv.{model_name}")
    if history is not None:
        history()
