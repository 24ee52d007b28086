"""The sections of the data status page."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from portal.clock import utc_now
from portal.domain.drift import DriftPortfolio
from portal.runtime import current_runtime
from portal.services.data_status import DataStatus, SyncAttempt
from portal.services.drift import DriftService
from portal.services.identity import Identity
from portal.services.mlflow_webhook import SYNC_TRIGGER, WebhookService
from portal.text import wording
from portal.text.format import (
    format_age,
    format_datetime,
    format_duration,
    markdown_code,
    markdown_literal,
)
from portal.ui import drift_sections, inputs, tables
from portal.ui.session import language, t

_DRIFT_FEEDBACK = "status.drift_feedback"


def mlflow_source(status: DataStatus) -> None:
    """The MLflow source: where it is, its schedule, its last attempt and success."""
    lang = language()
    st.subheader(t("status.mlflow"))
    st.markdown(f"**{t('status.location')}:** {markdown_code(status.mlflow_uri)}")
    schedule = (
        t("status.schedule_every", minutes=f"{status.sync_interval_minutes:g}")
        if status.sync_interval_minutes
        else t("status.schedule_off")
    )
    st.markdown(f"**{t('status.schedule')}:** {schedule}")
    source = status.mlflow
    if source is None:
        st.info(t("status.no_syncs"))
        return
    last = source.last_attempt
    outcome, when, success = st.columns(3)
    outcome.metric(
        t("status.last_attempt"),
        outcome_text(last.status),
        help=format_datetime(lang, last.started_at),
    )
    when.metric(t("status.col_duration"), format_duration(last.duration) or "–")
    success.metric(
        t("status.last_success"),
        format_age(lang, utc_now() - source.last_success_at)
        if source.last_success_at
        else t("status.never"),
        help=format_datetime(lang, source.last_success_at) or None,
    )
    if last.status == "failed":
        st.error(f"{t('status.error')}: {markdown_literal(last.error)}", icon=":material/error:")


def recent_attempts(status: DataStatus) -> None:
    """The latest sync attempts with counts and errors."""
    lang = language()
    st.subheader(t("status.recent"))
    if not status.recent:
        st.info(t("status.no_syncs"))
        return
    tables.dataframe(
        [
            {
                "started": format_datetime(lang, attempt.started_at),
                "outcome": outcome_text(attempt.status),
                "duration": format_duration(attempt.duration),
                "trigger": trigger_text(attempt),
                "models": attempt.models_seen,
                "versions": attempt.versions_seen,
                "changed": _changed(attempt),
                "runs": attempt.runs_fetched,
                "events": attempt.registry_events,
                "error": attempt.error,
            }
            for attempt in status.recent
        ],
        hide_index=True,
        column_config={
            "started": t("status.col_started"),
            "outcome": t("status.col_outcome"),
            "duration": t("status.col_duration"),
            "trigger": t("status.col_trigger"),
            "models": t("status.col_models"),
            "versions": t("status.col_versions"),
            "changed": t("status.col_changed"),
            "runs": t("status.col_runs"),
            "events": t("status.col_events"),
            "error": st.column_config.TextColumn(t("status.col_error"), width="large"),
        },
    )


def outcome_text(status: str) -> str:
    """'succeeded', 'failed' or 'running' in the session's language."""
    return t(f"status.outcome_{status}")


def trigger_text(attempt: SyncAttempt) -> str:
    """Who or what started a sync."""
    if attempt.trigger == "manual":
        return t("status.trigger_manual", person=attempt.triggered_by)
    if attempt.trigger == SYNC_TRIGGER:
        return t("webhook.trigger", model=attempt.triggered_by)
    return t(f"status.trigger_{attempt.trigger}")


def _changed(attempt: SyncAttempt) -> int | None:
    if attempt.models_changed is None:
        return None
    return attempt.models_changed + (attempt.versions_changed or 0)


def mlflow_events(actor: Identity) -> None:
    """MLflow's webhook deliveries: whether they are set up, the last one, how many refused."""
    lang = language()
    status = WebhookService(current_runtime()).status(actor)
    st.subheader(t("webhook.title"))
    st.caption(t("webhook.intro"))
    if not status.enabled:
        st.info(t("webhook.off"))
    last, accepted, refused = st.columns(3)
    last.metric(
        t("webhook.last_event"),
        format_age(lang, utc_now() - status.last_received_at)
        if status.last_received_at
        else t("status.never"),
        help=t("webhook.last_event_help", mlflow_time=format_datetime(lang, status.last_event_at))
        if status.last_received_at
        else None,
    )
    accepted.metric(t("webhook.accepted"), status.accepted, help=t("webhook.accepted_help"))
    refused.metric(t("webhook.refused"), status.refused_total, help=t("webhook.refused_help"))
    if status.last_received_at:
        event = t(f"webhook.{status.last_event}")
        st.text(t("webhook.last_what", event=event, model=status.last_model))
    elif status.enabled:
        st.info(t("webhook.none_yet"))
    if status.refused:
        reasons = ", ".join(
            f"{t(f'webhook.reason_{reason}')}: {count}" for reason, count in status.refused
        )
        st.warning(t("webhook.refused_reasons", reasons=reasons), icon=":material/block:")


def drift_checks(actor: Identity, service: DriftService, portfolio: DriftPortfolio) -> None:
    """Drift checks: the schedule, a button to check now, each model's last check, recent jobs."""
    lang = language()
    st.subheader(t("status.drift"))
    st.markdown(f"**{t('status.drift_schedule')}:** {_interval_text(service.interval_minutes)}")
    _drift_request(actor, service, portfolio)
    st.markdown(f"**{t('status.drift_models')}**")
    if not portfolio.models:
        st.info(t("status.drift_none"))
    else:
        # Folders and error messages behind the reasons: only this admin page shows them.
        details = service.check_details(actor)
        st.dataframe(
            [
                {
                    "model": model.model_name,
                    "version": model.model_version,
                    "checked": format_datetime(lang, model.checked_at),
                    "duration": format_duration(timedelta(seconds=model.duration_seconds))
                    if model.duration_seconds is not None
                    else "",
                    "outcome": drift_sections.light_word(model.light),
                    "detail": details.get(model.model_name, ""),
                    "reason": wording.drift_sentence(lang, model, service.runtime.settings)
                    if model.outcome != "checked"
                    else "",
                }
                for model in drift_sections.sorted_models(portfolio)
            ],
            hide_index=True,
            column_config={
                "model": t("status.col_model"),
                "version": t("card.col_version"),
                "checked": t("status.col_checked"),
                "duration": t("status.col_duration"),
                "outcome": t("status.col_outcome"),
                "detail": st.column_config.TextColumn(t("status.col_detail"), width="large"),
                "reason": st.column_config.TextColumn(t("status.col_reason"), width="large"),
            },
        )
    st.markdown(f"**{t('status.drift_jobs')}**")
    jobs = service.jobs(actor)
    if not jobs:
        st.info(t("status.drift_no_jobs"))
        return
    tables.dataframe(
        [
            {
                "started": format_datetime(lang, job["started_at"]),
                "outcome": outcome_text(job["status"]),
                "duration": format_duration(job["duration"]),
                "trigger": _job_trigger(job["trigger"], job["triggered_by"]),
                "scope": job["model_filter"] or t("status.drift_all"),
                "executor": t(f"status.executor_{job['executor']}"),
                "checked": job["models_checked"],
                "unchanged": job["models_unchanged"],
                "failed": job["models_failed"],
                "error": job["error"] or "",
            }
            for job in jobs
        ],
        hide_index=True,
        column_config={
            "started": t("status.col_started"),
            "outcome": t("status.col_outcome"),
            "duration": t("status.col_duration"),
            "trigger": t("status.col_trigger"),
            "scope": t("status.col_scope"),
            "executor": t("status.col_executor"),
            "checked": t("status.col_models_checked"),
            "unchanged": st.column_config.NumberColumn(
                t("status.col_models_unchanged"), help=t("status.col_models_unchanged_help")
            ),
            "failed": t("status.col_models_failed"),
            "error": st.column_config.TextColumn(t("status.col_error"), width="large"),
        },
    )


def _drift_request(actor: Identity, service: DriftService, portfolio: DriftPortfolio) -> None:
    """Check all production models or one now; says when a check is already waiting."""
    names = sorted((model.model_name for model in portfolio.models), key=str.casefold)
    scope, button = st.columns([3, 1], vertical_alignment="bottom")
    chosen = inputs.selectbox(
        scope,
        t("status.drift_scope"),
        [None, *names],
        format_func=lambda name: t("status.drift_all") if name is None else name,
        key="status.drift_scope",
    )
    if button.button(t("status.drift_now"), type="primary", key="status.drift_now"):
        accepted = service.request_check(actor, chosen)
        st.session_state[_DRIFT_FEEDBACK] = "drift_requested" if accepted else "drift_already"
        st.rerun()
    feedback = st.session_state.pop(_DRIFT_FEEDBACK, None)
    if feedback:
        st.info(t(f"status.{feedback}"))
    elif service.busy:
        st.info(t("status.drift_busy"))


def _interval_text(minutes: float) -> str:
    if not minutes:
        return t("status.drift_schedule_off")
    if minutes >= 60 and minutes % 60 == 0:
        return t("status.schedule_every_hours", hours=f"{minutes / 60:g}")
    return t("status.schedule_every", minutes=f"{minutes:g}")


def _job_trigger(trigger: str, triggered_by: str) -> str:
    if trigger == "manual":
        return t("status.trigger_manual", person=triggered_by)
    text = t(f"status.trigger_{trigger}")
    return trigger if text == f"status.trigger_{trigger}" else text
