"""The person and language of the current session.

The language is read, in this order, from the address (`?lang=de`), the session's own choice
in the sidebar, the `portal_language` cookie, the browser's language (navigator.language, then
the Accept-Language header) and the configured default. The router settles it once per run
and writes it back into the address, so every page, deep link and reload shows it, and into
the cookie when it differs from it, for new tabs and later visits.
"""

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
from portal.ui import per_run

LANGUAGE_KEY = "portal.language"
LANGUAGE_PARAM = "lang"
LANGUAGE_COOKIE = "portal_language"
COOKIE_MAX_AGE = 365 * 24 * 3600  # a year, in seconds
_SWITCH_KEY = "portal.language_switch"
_COOKIE_KEY = "portal.language_cookie"  # what the browser's cookie holds, as far as we know
_RUN_LANGUAGE = "language"  # the settled language, held for the run


def language() -> str:
    """The session's language as the router settled it, else the configured default.

    Once settled it is held for the run (portal.ui.per_run): a page translates thousands of
    labels, and each lookup is then an attribute read, not one through session state."""
    settled = per_run.held(_RUN_LANGUAGE)
    if settled is not None:
        return settled  # type: ignore[return-value]
    chosen = st.session_state.get(LANGUAGE_KEY)
    return chosen if chosen in LANGUAGES else current_settings().language


def t(key: str, **values: Any) -> str:
    """Translate a catalog key into the session's language."""
    return translate(language(), key, **values)


def settle_language() -> str:
    """Decide the run's language (address, session, cookie, browser, default) and keep it."""
    if _COOKIE_KEY not in st.session_state:
        st.session_state[_COOKIE_KEY] = st.context.cookies.get(LANGUAGE_COOKIE)
    asked = st.query_params.get(LANGUAGE_PARAM)
    if asked in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = asked
    elif st.session_state.get(LANGUAGE_KEY) not in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = (
            _supported(st.session_state[_COOKIE_KEY])
            or browser_language(st.context.locale, st.context.headers.get("Accept-Language"))
            or current_settings().language
        )
    per_run.hold(_RUN_LANGUAGE, st.session_state[LANGUAGE_KEY])
    keep_language_in_address()
    return st.session_state[LANGUAGE_KEY]


def browser_language(locale: str | None, accept_language: str | None) -> str | None:
    """The first of the browser's languages the portal speaks: 'de-DE' -> 'de'; else None."""
    if found := _supported(locale):
        return found
    ranked = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((-weight, position, tag))
    for _weight, _position, tag in sorted(ranked):
        if found := _supported(tag):
            return found
    return None


def _supported(tag: str | None) -> str | None:
    code = (tag or "").strip().split("-")[0].split("_")[0].casefold()
    return code if code in LANGUAGES else None


def keep_language_in_address() -> None:
    """Put the language into the address: page links and switches start without it."""
    if st.query_params.get(LANGUAGE_PARAM) != language():
        st.query_params[LANGUAGE_PARAM] = language()


def remember_language_in_cookie() -> None:
    """Write the language into the browser's cookie when it differs from what it holds.

    Streamlit only reads cookies (st.context.cookies, from the page's first request); a
    fixed one-line script sets it: no user text goes into it, only a catalog language code.
    """
    chosen = language()
    if st.session_state.get(_COOKIE_KEY) == chosen or chosen not in LANGUAGES:
        return
    st.html(
        "<script>document.cookie = "
        f"'{LANGUAGE_COOKIE}={chosen}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax';"
        "</script>",
        unsafe_allow_javascript=True,
    )
    st.session_state[_COOKIE_KEY] = chosen


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


def person_label(label: str) -> str:
    """How a recorded person (audit, feedback) is shown: the local user in the reader's words."""
    return t("sidebar.local_user_name") if label == LOCAL_USER.label else label


def language_switch() -> None:
    """A sidebar switch between the catalog's languages; it updates the address and cookie.

    The choice lives in plain session state: Streamlit may drop a widget's own state when a
    page switches mid-run (st.switch_page), and the language must survive that.
    """
    st.session_state[_SWITCH_KEY] = language()
    st.sidebar.selectbox(
        translate(language(), "sidebar.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        filter_mode=None,  # two names to read, nothing to search (and no English "No results")
        placeholder=translate(language(), "inputs.choose_one"),
        key=_SWITCH_KEY,
        on_change=_remember_language,
    )


def _remember_language() -> None:
    st.session_state[LANGUAGE_KEY] = st.session_state[_SWITCH_KEY]
    per_run.hold(_RUN_LANGUAGE, st.session_state[LANGUAGE_KEY])
    st.query_params[LANGUAGE_PARAM] = st.session_state[LANGUAGE_KEY]
