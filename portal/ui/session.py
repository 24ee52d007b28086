"""The person and language of the current session."""

from __future__ import annotations

from typing import Any

import streamlit as st

from portal.runtime import current_settings
from portal.services.identity import (
    LOCAL_USER,
    Identity,
    identity_from_oidc_claims,
    identity_from_proxy_headers,
)
from portal.text.i18n import LANGUAGES, translate

LANGUAGE_KEY = "portal.language"
_SWITCH_KEY = "portal.language_switch"


def language() -> str:
    """The session's language: chosen in the sidebar, else the configured default."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    return chosen if chosen in LANGUAGES else current_settings().language


def t(key: str, **values: Any) -> str:
    """Translate a catalog key into the session's language."""
    return translate(language(), key, **values)


def current_identity() -> Identity | None:
    """The person using this session, per PORTAL_AUTH_MODE; None when nobody is signed in."""
    settings = current_settings()
    if settings.auth_mode == "none":
        return LOCAL_USER
    if settings.auth_mode == "proxy":
        # Only in proxy mode are these headers trusted; the proxy must strip them from clients.
        return identity_from_proxy_headers(st.context.headers, settings)
    if not st.user.is_logged_in:
        return None
    return identity_from_oidc_claims(st.user, settings)


def language_switch() -> None:
    """A sidebar switch between the catalog's languages, remembered for the session.

    The choice lives in plain session state: Streamlit may drop a widget's own state when a
    page switches mid-run (st.switch_page), and the language must survive that.
    """
    options = list(LANGUAGES)
    st.sidebar.selectbox(
        translate(language(), "sidebar.language"),
        options=options,
        index=options.index(language()),
        format_func=LANGUAGES.__getitem__,
        key=_SWITCH_KEY,
        on_change=_remember_language,
    )


def _remember_language() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[_SWITCH_KEY]
