"""The person and language of the current session."""

from __future__ import annotations

from typing import Any

import streamlit as st

from portal.domain.roles import granted_roles
from portal.runtime import current_settings
from portal.services.identity import LOCAL_USER, Identity
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
        headers = st.context.headers
        email = (headers.get(settings.proxy_email_header) or "").strip()
        name = (headers.get(settings.proxy_name_header) or "").strip()
        groups = split_groups(headers.get(settings.proxy_groups_header) or "")
    else:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").strip()
        name = str(st.user.get("name") or "").strip()
        groups = split_groups(st.user.get(settings.oidc_groups_claim) or "")
    if not email:
        return None
    email = email.casefold()
    return Identity(name or email, email, granted_roles(email, groups, settings.role_rules), groups)


def split_groups(value: object) -> tuple[str, ...]:
    """Groups from a claim (a list) or a header (comma-separated)."""
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


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
