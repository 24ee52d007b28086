"""Who is accountable: my models, and every model's people by person, team, process or source;
for admins, the people directory that gives those people their names."""

import streamlit as st

from portal.ui import data, ownership_sections
from portal.ui.session import current_identity, t

st.title(t("ownership.title"))
st.caption(t("ownership.intro"))

actor = current_identity()
portfolio = data.risk_portfolio()
manages_directory = data.people_service().may_upload(actor)
if not portfolio.models:
    st.info(t("overview.empty"))
    if manages_directory:
        st.subheader(t("people.title"))
        ownership_sections.people_directory(actor)
    st.stop()

labels = [
    t("ownership.tab_mine"),
    t("ownership.tab_person"),
    t("ownership.tab_team"),
    t("ownership.tab_process"),
    t("ownership.tab_source"),
]
tabs = st.tabs(labels + ([t("people.title")] if manages_directory else []))
with tabs[0]:
    ownership_sections.mine(portfolio, actor)
with tabs[1]:
    ownership_sections.people(portfolio)
with tabs[2]:
    ownership_sections.teams(portfolio)
with tabs[3]:
    ownership_sections.processes(portfolio)
with tabs[4]:
    ownership_sections.sources(portfolio)
if manages_directory:
    with tabs[5]:
        ownership_sections.people_directory(actor)
