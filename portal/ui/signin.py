"""The gate in front of every page: who is signed in, and what a visitor without access sees."""

from __future__ import annotations

import streamlit as st

from portal.runtime import current_settings
from portal.services.identity import Identity
from portal.text.format import markdown_literal
from portal.ui import people
from portal.ui.session import current_identity, t


def signed_in_identity() -> Identity:
    """The signed-in person with read access; otherwise show why not and stop the page."""
    identity = current_identity()
    if identity is None:
        st.title(t("app.title"))
        if current_settings().auth_mode == "oidc":
            st.info(t("signin.oidc"), icon=":material/login:")
            st.button(t("signin.button"), type="primary", on_click=st.login, key="signin.login")
        else:
            st.warning(t("signin.proxy"), icon=":material/lock:")
        st.stop()
    if not identity.has_role("viewer"):
        st.title(t("app.title"))
        st.error(
            t("signin.no_access", email=markdown_literal(identity.email)), icon=":material/block:"
        )
        st.stop()
    people.remember_sign_in(identity)
    return identity


def sign_out_button() -> None:
    """In OpenID Connect mode, a sidebar button that signs out."""
    if current_settings().auth_mode == "oidc":
        st.sidebar.button(t("signin.sign_out"), on_click=st.logout, key="signin.logout")
