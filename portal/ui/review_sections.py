"""Periodic review components: a model's review status, the review form and history (model card
and risk page), and the portfolio's overdue reviews (risk page).

Findings and names come from users: shown through st.text, table cells or markdown_literal.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from portal import clock
from portal.domain.reviews import (
    OUTCOMES,
    Review,
    ReviewDraft,
    ReviewStatus,
    default_next_review,
)
from portal.domain.risk import MITIGATION_MAX, RISKS, SCALE, AssessmentDraft, ModelRisk
from portal.runtime import current_runtime
from portal.services.identity import Identity
from portal.services.reviews import ReviewService
from portal.text import review_wording, wording
from portal.text.format import DATE_COLUMN_FORMAT, format_date, format_number, markdown_literal
from portal.ui import data, inputs, tables
from portal.ui.forms import attempt
from portal.ui.people import name_of
from portal.ui.session import language, person_label, t

_SAVED = "reviews.saved_message"
OVERDUE_LINES = 10  # overdue reviews written out; beyond, one table of them all
# Overdue is a warning, as on the attention list; errors are kept for refused input.
_STATE_LOOK = {
    "overdue": (st.warning, ":material/event_busy:"),
    "due_soon": (st.info, ":material/event_upcoming:"),
    "ok": (st.info, ":material/event_available:"),
}


# --- reads (cached per data version and day) ----------------------------------------------------


def review_service() -> ReviewService:
    """The review service over the process's store."""
    runtime = current_runtime()
    return ReviewService(runtime.store, runtime.settings)


def statuses() -> dict[str, ReviewStatus]:
    """Every production model's review status."""
    return data.per_version(
        "reviews.statuses", (), lambda: review_service().status_of_all(clock.today())
    )


def status_of(name: str) -> ReviewStatus | None:
    """One model's review status (its own cache entry: a card does not copy 1,000)."""
    return data.per_version(
        "reviews.status", (name,), lambda: review_service().status_of(name, clock.today())
    )


def history_of(name: str) -> tuple[Review, ...]:
    """Every review of one model, newest first."""
    return data.per_version("reviews.history", (name,), lambda: review_service().history(name))


# --- words --------------------------------------------------------------------------------------


def reviewer(review: Review) -> str:
    """Who reviewed, by name where the directory or the record knows it."""
    known = name_of(review.reviewed_by)
    if known and known != review.reviewed_by:
        return known
    return review.reviewed_by_name or person_label(review.reviewed_by)


# --- one model ----------------------------------------------------------------------------------


def model_section(model: ModelRisk | None, actor: Identity) -> None:
    """Status sentence, the last review, the form for owners and the review history."""
    if model is None:
        return
    st.subheader(t("reviews.title"), help=t("reviews.title_help"))
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    status = status_of(model.name)
    if status is None:
        st.caption(t("reviews.not_in_production"))
    else:
        show, icon = _STATE_LOOK[status.state]
        show(markdown_literal(review_wording.status_sentence(language(), status)), icon=icon)
        if status.last is None:
            st.caption(t("reviews.first_review", months=status.cadence_months))
        else:
            last_review(status.last)
    service = review_service()
    if service.may_record(actor, model.name):
        with st.expander(t("reviews.form_title"), icon=":material/fact_check:"):
            review_form(model, actor, service, status)
    elif status is not None:
        st.caption(t("reviews.owners_only"))
    history = history_of(model.name)
    if history:
        with st.expander(t("reviews.history_title", count=len(history)), icon=":material/history:"):
            history_table(history)


def last_review(review: Review) -> None:
    """Who reviewed when, the outcome and the findings."""
    line = review_wording.last_review_sentence(language(), review, reviewer(review))
    st.markdown(markdown_literal(line))
    if review.findings:
        st.markdown(f"**{t('reviews.findings')}:**")
        st.text(review.findings)


def review_form(
    model: ModelRisk, actor: Identity, service: ReviewService, status: ReviewStatus | None
) -> None:
    """Outcome, findings, next date; the four risks re-rated for 'changed'. The values stay
    when a save is refused."""
    prefix = f"reviews.form.{model.name}"
    today = clock.today()
    months = status.cadence_months if status else service.cadence_of(model.name)
    st.caption(t("reviews.form_intro"))
    # Outside the form: the risk fields appear as soon as 'changed' is chosen.
    outcome = st.radio(
        t("review_field.outcome"),
        OUTCOMES,
        index=0 if model.assessments else 1,
        format_func=lambda o: t(f"reviews.option_{o}"),
        help=t("reviews.outcome_help"),
        key=f"{prefix}.outcome",
    )
    if outcome == "confirmed":
        if model.assessments:
            st.caption(t("reviews.confirm_note", count=len(model.assessments)))
        else:
            st.warning(t("reviews.no_assessment_note"))
    elif outcome == "retire":
        st.caption(t("reviews.retire_note"))
    with st.form(prefix):
        findings = st.text_area(
            t("review_field.findings"),
            height=110,
            placeholder=t("reviews.findings_placeholder"),
            max_chars=4000,
            key=f"{prefix}.findings",
        )
        next_review = inputs.date_input(
            st,
            t("review_field.next_review"),
            value=default_next_review(today, months),
            help=t("reviews.next_review_help", months=months),
            key=f"{prefix}.next_review",
        )
        ratings = _ratings(model, prefix) if outcome == "changed" else ()
        submitted = st.form_submit_button(t("reviews.save"), type="primary")
    if not submitted:
        return
    draft = ReviewDraft(outcome, findings or "", next_review, ratings)
    done, result = attempt(
        lambda: service.record(actor, model.name, draft, submission_key(actor, model.name, draft)),
        "review_field",
    )
    if done and result is not None:
        message = (
            t("reviews.saved", date=format_date(language(), draft.next_review))
            if result.created
            else t("reviews.already_saved")
        )
        st.session_state[_SAVED] = message
        st.rerun()


def _ratings(model: ModelRisk, prefix: str) -> tuple[AssessmentDraft, ...]:
    """Likelihood, impact and mitigation of each risk, starting from the assessment in force."""
    st.caption(t("reviews.changed_note"))
    lang = language()
    drafts = []
    for risk in RISKS:
        current = model.assessments.get(risk)
        st.markdown(f"**{wording.risk_name(lang, risk)}**")
        likelihood_column, impact_column = st.columns(2)
        likelihood = inputs.selectbox(
            likelihood_column,
            t(f"review_field.{risk}_likelihood"),
            list(SCALE),
            index=current.likelihood - 1 if current else None,
            format_func=lambda v: wording.scale_word(language(), "likelihood", v),
            placeholder=t("risk.choose"),
            key=f"{prefix}.{risk}.likelihood",
        )
        impact = inputs.selectbox(
            impact_column,
            t(f"review_field.{risk}_impact"),
            list(SCALE),
            index=current.impact - 1 if current else None,
            format_func=lambda v: wording.scale_word(language(), "impact", v),
            placeholder=t("risk.choose"),
            key=f"{prefix}.{risk}.impact",
        )
        mitigation = st.text_area(
            t(f"review_field.{risk}_mitigation"),
            value=current.mitigation if current else "",
            height=70,
            max_chars=MITIGATION_MAX,
            key=f"{prefix}.{risk}.mitigation",
        )
        drafts.append(AssessmentDraft(risk, likelihood, impact, mitigation or "", None))
    return tuple(drafts)


def submission_key(actor: Identity, model_name: str, draft: ReviewDraft) -> str:
    """The same person saving the same review on the same day (a double click, a resent form)
    gets the same key, so the service records it once."""
    content = json.dumps(
        [
            actor.label,
            model_name,
            clock.today().isoformat(),
            draft.outcome,
            draft.findings.strip(),
            draft.next_review.isoformat() if draft.next_review else None,
            [[a.risk, a.likelihood, a.impact, a.mitigation.strip()] for a in draft.assessments],
        ]
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def history_table(history: tuple[Review, ...]) -> None:
    """Every review of the model, newest first."""
    lang = language()
    tables.dataframe(
        [
            {
                "reviewed_at": r.reviewed_at,
                "person": reviewer(r),
                "outcome": t(f"reviews.word_{r.outcome}"),
                "findings": r.findings,
                "next": r.next_review,
                "version": r.model_version,
            }
            for r in history
        ],
        hide_index=True,
        column_config={
            "reviewed_at": st.column_config.DatetimeColumn(
                t("reviews.col_reviewed_at"), format=DATE_COLUMN_FORMAT[lang]
            ),
            "person": t("reviews.col_person"),
            "outcome": t("reviews.col_outcome"),
            "findings": st.column_config.TextColumn(t("reviews.col_findings"), width="large"),
            "next": st.column_config.DateColumn(
                t("reviews.col_next"), format=DATE_COLUMN_FORMAT[lang]
            ),
            "version": t("reviews.col_version"),
        },
    )


# --- the portfolio ------------------------------------------------------------------------------


def overdue_list(names: tuple[str, ...] | list[str]) -> None:
    """The shown models' overdue periodic reviews, the longest overdue first: a warning line
    each up to OVERDUE_LINES, beyond that one table of them all."""
    shown = set(names)
    overdue = sorted(
        (s for s in statuses().values() if s.overdue and s.model_name in shown),
        key=lambda s: (s.due, s.model_name.casefold()),
    )
    if not overdue:
        return
    st.subheader(t("reviews.overdue_title"), help=t("reviews.overdue_help"))
    lang = language()
    if len(overdue) <= OVERDUE_LINES:
        for status in overdue:
            st.warning(
                markdown_literal(
                    t(
                        "reviews.overdue_line",
                        model=status.model_name,
                        date=format_date(lang, status.due),
                        days=format_number(lang, status.days),
                    )
                ),
                icon=":material/event_busy:",
            )
        return
    st.caption(t("reviews.overdue_table_intro", count=format_number(lang, len(overdue))))
    tables.dataframe(
        [
            {
                "model": status.model_name,
                "due": status.due,
                "days": status.days,
                "criticality": t(f"reviews.criticality_{status.criticality or 'undocumented'}"),
            }
            for status in overdue
        ],
        hide_index=True,
        height=400,
        column_config={
            "model": t("reviews.col_model"),
            "due": st.column_config.DateColumn(
                t("reviews.col_due"), format=DATE_COLUMN_FORMAT[lang]
            ),
            "days": t("reviews.col_days"),
            "criticality": t("reviews.col_criticality"),
        },
    )
