"""Feedback components: the feed, the expert's form, the owner's answer form, the CSV button.

User text is always drawn with st.text or as table cells: never interpreted as Markdown/HTML,
and with its bidirectional controls made visible (stored exactly as sent).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import streamlit as st

from portal import clock
from portal.domain.feedback import (
    KINDS,
    LIMITS,
    PERIODS,
    SCOPES,
    SEVERITIES,
    STATUSES,
    FeedbackDraft,
    FeedbackFilter,
    FeedbackItem,
)
from portal.services.feedback import FeedbackService, FilterChoices, feedback_csv
from portal.services.identity import Identity
from portal.text.format import format_date, format_number, markdown_literal, without_bidi_controls
from portal.ui import inputs, paging
from portal.ui.forms import attempt
from portal.ui.people import name_of
from portal.ui.session import language, t

_CONFIRMATION = "feedback.confirmation"
_FILTER = "feedback.filter."
PREVIEW_CHARS = 160  # of the report shown on an item's line; the rest is in its details


def feed(
    items: Sequence[FeedbackItem],
    *,
    service: FeedbackService | None = None,
    actor: Identity | None = None,
    show_model: bool = False,
) -> None:
    """Feedback items, each a compact box: one line of facts, the start of the report, and the
    details (with the answer form where the actor may answer) in an expander."""
    for item in items:
        with st.container(border=True):
            item_view(item, show_model=show_model)
            with st.expander(t("feedback_list.details"), icon=":material/unfold_more:"):
                item_details(item)
                if service and actor and service.may_triage(actor, item.model_name):
                    st.divider()
                    st.caption(t("feedback.triage"))
                    triage_form(item, actor, service)


def item_view(item: FeedbackItem, show_model: bool = False) -> None:
    """One item's line: status, reference, model, kind, severity, date and who; then the
    report's first words."""
    colour = "orange" if item.is_open else "green"
    parts = [
        item.reference,
        *([item.model_name] if show_model else []),
        t(f"feedback_kind.{item.kind}"),
        t(f"feedback_severity.{item.severity}"),
        format_date(language(), item.submitted_at),
        _submitter(item),
    ]
    status = t(f"feedback_status.{item.status}")
    st.markdown(f":{colour}-badge[{status}] " + markdown_literal(" · ".join(parts)))
    st.text(without_bidi_controls(_first_words(item.description)))


def item_details(item: FeedbackItem) -> None:
    """Everything the expert wrote, the version, and the owner's answer."""
    version = (
        t("feedback.version", version=item.model_version)
        if item.model_version
        else t("feedback.no_version")
    )
    st.caption(version)
    for field in ("case_reference", "model_output", "expected_output"):
        value = getattr(item, field)
        if value:
            st.caption(t(f"feedback_field.{field}"))
            st.text(without_bidi_controls(value))
    st.caption(t("feedback_field.description"))
    st.text(without_bidi_controls(item.description))
    if item.response:
        st.caption(markdown_literal(t("feedback.answer", name=name_of(item.responded_by))))
        st.text(without_bidi_controls(item.response))
    elif item.is_open:
        st.caption(t("feedback.waiting"))


def _submitter(item: FeedbackItem) -> str:
    if not item.show_name:
        return t("feedback.anonymous")
    known = name_of(item.submitted_by)
    name = item.submitter_name if known == item.submitted_by and item.submitter_name else known
    return t("feedback.submitted_by", name=name or item.submitted_by)


def _first_words(text: str) -> str:
    """The report's first line, cut at a word near PREVIEW_CHARS."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    if len(line) <= PREVIEW_CHARS and line == text.strip():
        return line
    cut = line[:PREVIEW_CHARS]
    if len(line) > PREVIEW_CHARS and " " in cut[PREVIEW_CHARS // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + " …"


# --- the lists: filters, views, pages ------------------------------------------------------------


def list_filters(choices: FilterChoices, requested_model: str | None = None) -> FeedbackFilter:
    """Model, status, kind, severity, person and time; an empty choice means any."""
    top, bottom = st.columns(3), st.columns(3)
    if requested_model in choices.models and _FILTER + "models" not in st.session_state:
        st.session_state[_FILTER + "models"] = [requested_model]
    models = inputs.multiselect(
        top[0],
        t("feedback_list.model"),
        list(choices.models),
        format_func=without_bidi_controls,
        placeholder=t("feedback_list.any_model"),
        key=_FILTER + "models",
    )
    statuses = _stored_choice(top[1], "status", STATUSES, "statuses")
    kinds = _stored_choice(top[2], "kind", KINDS, "kinds")
    severities = _stored_choice(bottom[0], "severity", SEVERITIES, "severities")
    person = inputs.selectbox(
        bottom[1],
        t("feedback_list.person"),
        list(choices.people),
        index=None,
        format_func=lambda email: without_bidi_controls(name_of(email)),
        placeholder=t("feedback_list.anyone"),
        help=t("feedback_list.person_help"),
        key=_FILTER + "person",
    )
    days = inputs.selectbox(
        bottom[2],
        t("feedback_list.period"),
        list(PERIODS),
        format_func=lambda d: (
            t("feedback_list.any_time") if d is None else t("feedback_list.last_days", days=d)
        ),
        key=_FILTER + "period",
    )
    since = None
    if days is not None:
        since = datetime.combine(clock.today() - timedelta(days=days), datetime.min.time())
    return FeedbackFilter(
        tuple(models), tuple(statuses), tuple(kinds), tuple(severities), person or "", since
    )


def _stored_choice(where, field: str, options: Sequence[str], key: str) -> list[str]:
    """A multi-select over one of feedback's stored choices (status, kind, severity), in words."""
    return inputs.multiselect(
        where,
        t(f"feedback_list.{field}"),
        list(options),
        format_func=lambda value: t(f"feedback_{field}.{value}"),
        placeholder=t(f"feedback_list.any_{field}"),
        key=_FILTER + key,
    )


def view_choice(queue_total: int) -> str:
    """My feedback, To answer (with its count) or All feedback; owners with open feedback
    start on what they must answer."""
    default = "queue" if queue_total else "mine"
    words = {
        "mine": t("feedback.mine"),
        "queue": t("feedback_list.queue_count", count=format_number(language(), queue_total)),
        "all": t("feedback.all"),
    }
    chosen = st.segmented_control(
        t("feedback_list.view"),
        SCOPES,
        default=default,
        format_func=words.__getitem__,
        label_visibility="collapsed",
        key="feedback.view",
    )
    return chosen or default


def paged_list(
    service: FeedbackService,
    actor: Identity,
    scope: str,
    chosen: FeedbackFilter,
    *,
    empty: str,
    file_name: str,
    key: str,
    show_model: bool = True,
) -> None:
    """One page of a filtered list with 'showing 21–40 of 734', the page choice and the CSV
    of the whole filtered list."""
    key_of_page = paging.page_key(f"feedback.{key}", chosen)
    page = service.page(actor, scope, chosen, paging.requested(key_of_page))
    if not page.total:
        st.caption(t("feedback_list.none_match") if _narrowed(chosen) else empty)
        return
    summary, choice, export = st.columns([3, 2, 2], vertical_alignment="bottom")
    paging.controls(page, key_of_page, summary, choice, "feedback_list")
    with export:
        csv_button(
            lambda: feedback_csv(service.matching(actor, scope, chosen)),
            file_name,
            key=f"feedback.csv.{key}",
        )
    feed(page.items, service=service, actor=actor, show_model=show_model)


def _narrowed(chosen: FeedbackFilter) -> bool:
    return chosen != FeedbackFilter()


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
        kind = inputs.selectbox(
            kind_column, t("feedback.kind"), KINDS, format_func=lambda k: t(f"feedback_kind.{k}")
        )
        severity = inputs.selectbox(
            severity_column,
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
        status = inputs.selectbox(
            st,
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


def csv_button(rows: Callable[[], str], file_name: str, key: str) -> None:
    """Download a list as CSV; the file is written only when the button is pressed."""
    st.download_button(
        t("feedback.export"),
        rows,
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
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
    paged_list(
        service,
        actor,
        "all",
        FeedbackFilter(models=(model_name,)),
        empty=t("feedback.feed_empty"),
        file_name=f"feedback-{model_name}.csv",
        key=f"model.{model_name}",
        show_model=False,
    )
    if history is not None:
        history()
