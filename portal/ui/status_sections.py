"""The sections of the data status page."""

from __future__ import annotations

import streamlit as st

from portal.services.data_status import DataStatus, SyncAttempt
from portal.sync import MLFLOW_SOURCE, utc_now
from portal.ui.format import format_age, format_datetime, format_duration
from portal.ui.session import language, t


def mlflow_source(status: DataStatus) -> None:
    """The MLflow source: where it is, its schedule, its last attempt and success."""
    lang = language()
    st.subheader(t("status.mlflow"))
    st.markdown(f"**{t('status.location')}:** `{status.mlflow_uri}`")
    schedule = (
        t("status.schedule_every", minutes=f"{status.sync_interval_minutes:g}")
        if status.sync_interval_minutes
        else t("status.schedule_off")
    )
    st.markdown(f"**{t('status.schedule')}:** {schedule}")
    source = next((s for s in status.sources if s.source == MLFLOW_SOURCE), None)
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
        st.error(f"{t('status.error')}: {last.error}", icon=":material/error:")


def recent_attempts(status: DataStatus) -> None:
    """The latest sync attempts with counts and errors."""
    lang = language()
    st.subheader(t("status.recent"))
    if not status.recent:
        st.info(t("status.no_syncs"))
        return
    st.dataframe(
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
    return t(f"status.trigger_{attempt.trigger}")


def _changed(attempt: SyncAttempt) -> int | None:
    if attempt.models_changed is None:
        return None
    return attempt.models_changed + (attempt.versions_changed or 0)
