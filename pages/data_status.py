"""Data status (admins): the sync log per source, errors, and a button to sync now."""

import streamlit as st

from portal.ui import data, forms, status_sections
from portal.ui.session import current_identity, t

st.title(t("status.title"))
st.caption(t("status.intro"))

actor = current_identity()
service = data.data_status_service()
status = forms.allowed_or_stop(lambda: service.status(actor))

sync_now, refresh = st.columns([1, 5])
if sync_now.button(t("status.sync_now"), type="primary", key="status.sync_now"):
    accepted = service.request_sync(actor)
    st.session_state["status.feedback"] = "sync_requested" if accepted else "sync_already"
    st.rerun()
refresh.button(t("status.refresh"), key="status.refresh")
feedback = st.session_state.pop("status.feedback", None)
if feedback:
    st.info(t(f"status.{feedback}"))
elif status.sync_busy:
    st.info(t("status.sync_busy"))

status_sections.mlflow_source(status)
status_sections.recent_attempts(status)
status_sections.mlflow_events(actor)
st.divider()
status_sections.drift_checks(actor, data.drift_service(), data.drift_portfolio())
