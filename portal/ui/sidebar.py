"""The shared sidebar: language, who is signed in, how current the data is, demo notice."""

from __future__ import annotations

import streamlit as st

from portal.domain.roles import ROLES, owns
from portal.services.identity import Identity
from portal.text.format import format_age, markdown_literal
from portal.ui import data, inputs
from portal.ui.session import language, language_switch, remember_language_in_cookie, t
from portal.ui.signin import sign_out_button


def render_sidebar(identity: Identity) -> None:
    """Draw the sidebar every page shares."""
    language_switch()
    inputs.dropdown_words()
    with st.sidebar:
        name = t("sidebar.local_user_name") if identity.is_local else identity.name
        st.caption(t("sidebar.signed_in_as", name=markdown_literal(name)))
        if identity.is_local:
            st.warning(t("sidebar.local_user"), icon=":material/no_accounts:")
        else:
            held = set(identity.roles)
            if any(owns(identity.email, m.owners) for m in data.risk_portfolio().models):
                held.add("owner")
            roles = ", ".join(t(f"roles.{role}") for role in ROLES if role in held)
            st.caption(t("sidebar.roles", roles=roles))
        sign_out_button()
        freshness_notice()
        if data.overview().is_demo:
            st.info(t("sidebar.demo"), icon=":material/science:")
        remember_language_in_cookie()  # last: its empty element adds no gap between others


def freshness_notice() -> None:
    """How old the model list is; a warning when the last sync failed or it is stale."""
    freshness = data.freshness()
    if freshness.state == "never":
        st.warning(t("sidebar.never"), icon=":material/sync_problem:")
        return
    age = format_age(language(), freshness.age)
    if freshness.state == "failing":
        st.warning(t("sidebar.failing", age=age), icon=":material/cloud_off:")
    elif freshness.state == "stale":
        st.warning(t("sidebar.stale", age=age), icon=":material/schedule:")
    else:
        st.caption(t("sidebar.fresh", age=age))
