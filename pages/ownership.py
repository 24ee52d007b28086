"""Who is accountable: my models, and every model's people by person, team, process or source."""

import streamlit as st

from portal.ui import data, ownership_sections
from portal.ui.session import current_identity, t

st.title(t("ownership.title"))
st.caption(t("ownership.intro"))

portfolio = data.risk_portfolio()
if not portfolio.models:
    st.info(t("overview.empty"))
    st.stop()

mine, people, teams, processes, sources = st.tabs(
    [
        t("ownership.tab_mine"),
        t("ownership.tab_person"),
        t("ownership.tab_team"),
        t("ownership.tab_process"),
        t("ownership.tab_source"),
    ]
)
with mine:
    ownership_sections.mine(portfolio, current_identity())
with people:
    ownership_sections.people(portfolio)
with teams:
    ownership_sections.teams(portfolio)
with processes:
    ownership_sections.processes(portfolio)
with sources:
    ownership_sections.sources(portfolio)
