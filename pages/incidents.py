"""Incidents: report a malfunction (with what was in production when it started), the list,
open first, and one incident with its trace, deadline, history and the owners' update form."""

import streamlit as st

from portal.ui import data, incident_sections
from portal.ui.session import current_identity, t

st.title(t("incidents.page_title"))
st.caption(t("incidents.page_intro"))

actor = current_identity()
service = incident_sections.incident_service()
incident_sections.confirmation()

reference = st.query_params.get("incident")
if reference:
    incident_sections.detail_page(service, actor, reference)
    st.stop()

requested = st.query_params.get("model")
if service.may_report(actor):
    with st.expander(t("incidents.form_title"), expanded=bool(requested), icon=":material/report:"):
        models = [row.name for row in data.inventory()]
        incident_sections.report_form(service, actor, models, requested)

st.subheader(t("incidents.list_title"))
chosen = incident_sections.list_filters(service.models(), requested)
incident_sections.paged_list(service, chosen)
