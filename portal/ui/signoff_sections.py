"""Sign-offs on the use case and the model card: what waits for whom, the forms, the history."""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from portal.domain.metrics import metric_meaning
from portal.domain.signoffs import (
    DECISIONS,
    TEXT_LIMIT,
    Evidence,
    PeriodApproval,
    SignOff,
    StepState,
    Subject,
)
from portal.domain.use_cases import UseCase
from portal.runtime import current_runtime
from portal.services.identity import Identity
from portal.services.signoffs import SignOffService
from portal.text.format import format_date, format_datetime, format_number, markdown_literal
from portal.ui import data, inputs
from portal.ui.forms import attempt
from portal.ui.people import name_of, people_markdown
from portal.ui.session import language, t

_CONFIRMATION = "signoffs.confirmation"


def service() -> SignOffService:
    """The sign-off service over the process's store."""
    runtime = current_runtime()
    return SignOffService(runtime.store, runtime.settings)


def use_case_section(use_case: UseCase, actor: Identity | None) -> None:
    """A use case's design approval: where it stands, the form for its signers, the history."""
    st.subheader(t("signoffs.design_title"))
    _confirmation()
    history = data.per_version(
        "signoffs.use_case", (use_case.key,), lambda: service().use_case_history(use_case.key)
    )
    state = data.per_version(
        "signoffs.design", (use_case.key,), lambda: service().design_state(use_case.key)
    )
    if state is None:
        return
    signers = {
        role: tuple(p for p in (person.strip(),) if p)
        for role, person in (
            ("business_owner", use_case.business_owner),
            ("accountable_executive", use_case.accountable_executive),
        )
    }
    _state_line(state, signers)
    subject = Subject(use_case_key=use_case.key)
    if actor is not None and not state.decided:
        _form(actor, "design", subject, state, signers, f"signoffs.form.design.{use_case.key}")
    _history(history)


def model_section(model_name: str, actor: Identity | None) -> None:
    """A model's evaluation acceptance and go-live approval, per version awaiting a decision,
    with the use case's targets next to the version's run metrics, and the history."""
    view = data.per_version(
        "signoffs.model", (model_name,), lambda: service().model_signoffs(model_name)
    )
    if view is None:
        return
    st.subheader(t("signoffs.model_title"))
    _confirmation()
    if view.use_case is None:
        st.caption(t("signoffs.no_use_case"))
    else:
        st.caption(t("signoffs.serves", use_case=markdown_literal(view.use_case.title)))
    states = {v.version: v for v in view.versions}
    evaluation = view.awaiting.evaluation
    if evaluation is not None:
        st.markdown(f"**{t('signoffs.evaluation_of', version=evaluation)}**")
        st.caption(t("signoffs.evaluation_intro"))
        _evidence(view.evidence.get(evaluation, ()))
        state = states[evaluation].evaluation
        _state_line(state, view.signers)
        if actor is not None:
            subject = Subject(model_name=model_name, version=evaluation)
            _form(
                actor,
                "evaluation",
                subject,
                state,
                view.signers,
                f"signoffs.form.eval.{evaluation}",
            )
    for version in view.awaiting.go_live:
        st.markdown(f"**{t('signoffs.go_live_of', version=version)}**")
        if version == view.production_version:
            st.warning(t("signoffs.live_without_approval"), icon=":material/gpp_maybe:")
        state = states[version].go_live
        _state_line(state, view.signers)
        if actor is not None:
            subject = Subject(model_name=model_name, version=version)
            _form(actor, "go_live", subject, state, view.signers, f"signoffs.form.live.{version}")
    if view.use_case is not None and evaluation is None and not view.awaiting.go_live:
        st.info(t("signoffs.nothing_waits"))
    _history(view.history)


def ledger_words(model_name: str) -> dict[tuple[int, object], str]:
    """Per production period (version, start): whether that version was approved at go-live,
    in words, for the card's production ledger."""
    periods = data.per_version(
        "signoffs.ledger", (model_name,), lambda: service().ledger_approvals(model_name)
    )
    return {(p.version, p.start): _approval_words(p) for p in periods}


def _approval_words(period: PeriodApproval) -> str:
    if period.approved_before is None:
        return t("signoffs.ledger_not_approved")
    key = "signoffs.ledger_before" if period.approved_before else "signoffs.ledger_after"
    return t(key, date=format_date(language(), period.approved_at))


def _confirmation() -> None:
    said = st.session_state.pop(_CONFIRMATION, None)
    if said:
        st.success(said)


def _state_line(state: StepState, signers: dict[str, tuple[str, ...]]) -> None:
    """Where the step stands and, while pending, whose decision is missing (by name)."""
    if state.status != "pending":
        st.markdown(t(f"signoffs.state_{state.status}"))
        return
    missing = []
    for role in state.missing:
        people = people_markdown(signers.get(role, ()))
        missing.append(
            t("signoffs.missing_role", role=t(f"signoffs.role.{role}"), people=people)
            if people
            else t("signoffs.missing_nobody", role=t(f"signoffs.role.{role}"))
        )
    st.markdown(t("signoffs.state_pending") + "  \n" + "  \n".join(missing))


def _evidence(lines: tuple[Evidence, ...]) -> None:
    """The use case's model targets next to the version's run metrics, met or not, in words."""
    if not lines:
        st.caption(t("signoffs.no_targets"))
        return
    lang = language()
    st.table(
        [
            {
                t("signoffs.col_metric"): _metric_name(line.metric),
                t("signoffs.col_target"): t(
                    f"signoffs.comparison.{line.comparison}",
                    target=_number(lang, line.metric, line.target, line.unit),
                ),
                t("signoffs.col_value"): (
                    _number(lang, line.metric, line.value, line.unit)
                    if line.value is not None
                    else t("signoffs.not_logged")
                ),
                t("signoffs.col_met"): t(
                    "signoffs.met_unknown"
                    if line.met is None
                    else ("signoffs.met" if line.met else "signoffs.not_met")
                ),
            }
            for line in lines
        ],
        hide_index=True,
        border="horizontal",
    )


def _metric_name(metric: str) -> str:
    code = metric_meaning(metric).code
    if code is None:
        return markdown_literal(metric)
    return t(f"signoffs.metric_name.{code}", metric=markdown_literal(metric))


def _number(lang: str, metric: str, value: float, unit: str) -> str:
    shown = format_number(lang, value, metric_meaning(metric).is_share and not unit)
    return f"{shown} {markdown_literal(unit)}".strip()


def _form(
    actor: Identity,
    step: str,
    subject: Subject,
    state: StepState,
    signers: dict[str, tuple[str, ...]],
    key: str,
) -> None:
    """The decision form for the roles the actor may sign in; nothing for anyone else."""
    roles = service().roles_for(actor, step, subject, signers)
    if not roles:
        return
    with st.expander(t("signoffs.decide")), st.form(key, clear_on_submit=False):
        role = inputs.selectbox(
            st, t("signoff_field.role"), roles, format_func=lambda r: t(f"signoffs.role.{r}")
        )
        decision = st.radio(
            t("signoff_field.decision"),
            DECISIONS,
            format_func=lambda d: t(f"signoffs.decision.{d}"),
            horizontal=True,
        )
        conditions = st.text_area(t("signoff_field.conditions"), height=70, max_chars=TEXT_LIMIT)
        comment = st.text_area(t("signoff_field.comment"), height=70, max_chars=TEXT_LIMIT)
        if not _named_in(actor, roles, signers):
            st.caption(t("signoffs.as_admin"))
        sent = st.form_submit_button(t("signoffs.submit"), type="primary")
    if not sent:
        return
    on_top_of = next((r.id for r in state.in_force if r.role == role), 0)
    submission = _submission_key(
        actor, step, subject, role, decision, conditions, comment, on_top_of
    )
    done, _ = attempt(
        lambda: service().sign(
            actor, step, subject, role, decision, conditions, comment, submission
        ),
        "signoff_field",
    )
    if done:
        st.session_state[_CONFIRMATION] = t(f"signoffs.recorded.{decision}")
        st.rerun()


def _named_in(actor: Identity, roles: tuple[str, ...], signers: dict) -> bool:
    me = actor.email.strip().casefold()
    return any(me == p.strip().casefold() for role in roles for p in signers.get(role, ()))


def _submission_key(actor: Identity, step: str, subject: Subject, *parts: object) -> str:
    """The same decision sent twice on top of the same record in force (a double click, a
    resent form) gets the same key, so the service stores it once."""
    content = json.dumps([actor.label, step, subject.__dict__, *parts], default=str)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _step_words(record: SignOff) -> str:
    step = t(f"signoffs.step.{record.step}")
    if record.model_version is None:
        return step
    return f"{step} · {t('common.version', version=record.model_version)}"


def _history(records: tuple[SignOff, ...]) -> None:
    """Every record, newest first: who by name, when, which step and version, the decision."""
    if not records:
        st.caption(t("signoffs.history_empty"))
        return
    lang = language()
    with st.expander(t("signoffs.history", count=len(records))):
        st.table(
            [
                {
                    t("signoffs.col_when"): format_datetime(lang, r.signed_at),
                    t("signoffs.col_who"): markdown_literal(
                        name_of(r.signed_by) or r.signed_by_name or r.signed_by
                    )
                    + (f" ({t('signoffs.by_admin')})" if r.signed_as_admin else ""),
                    t("signoffs.col_step"): _step_words(r),
                    t("signoffs.col_role"): t(f"signoffs.role.{r.role}"),
                    t("signoffs.col_decision"): t(f"signoffs.decided.{r.decision}"),
                    t("signoffs.col_conditions"): markdown_literal(
                        " · ".join(x for x in (r.conditions, r.comment) if x)
                    ),
                }
                for r in records
            ],
            hide_index=True,
            border="horizontal",
        )
