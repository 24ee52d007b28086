"""People shown by name: display names from the people directory, the e-mail as link and tooltip.

The directory is read once per data version (portal.ui.data.people_directory) and held for the
script run, so each name is one dictionary lookup however many people a page shows.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

import streamlit as st

from portal.domain.people import Directory
from portal.errors import PortalError
from portal.services.identity import LOCAL_USER, Identity
from portal.text.format import markdown_literal
from portal.ui import data, per_run
from portal.ui.session import person_label

log = logging.getLogger(__name__)

_RECORDED_KEY = "portal.people_recorded"  # whose sign-in this session has recorded
_LANGUAGE_KEY = "portal.language_recorded"  # (e-mail, language) this session has recorded
# Addresses safe inside a Markdown link destination and title without escaping.
_LINKABLE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def directory() -> Directory:
    """The people directory, read at most once per script run (held on the run's context:
    a name is then looked up in a microsecond, where session state would take ten)."""
    return per_run.once_per_run("people_directory", data.people_directory)


def name_of(email: str) -> str:
    """A person's display name from the directory; the e-mail itself when unknown, '' for ''."""
    if not email:
        return ""
    if email == LOCAL_USER.label:  # the embedded mode's single user, in the reader's words
        return person_label(email)
    return directory().name_of(email)


def person_markdown(email: str) -> str:
    """Escaped Markdown for a person: the name, linked to their e-mail address (also its
    tooltip); an unknown e-mail as itself, '' for ''."""
    if not email:
        return ""
    if email == LOCAL_USER.label:
        return markdown_literal(person_label(email))
    found = directory().person(email)
    if found is None:
        return markdown_literal(email)
    name = markdown_literal(found.name)
    if not _LINKABLE.fullmatch(found.email):
        return f"{name} ({markdown_literal(found.email)})"
    return f'[{name}](mailto:{quote(found.email, safe="@")} "{found.email}")'


def people_markdown(emails: list[str] | tuple[str, ...], separator: str = ", ") -> str:
    """Several people as person_markdown, joined."""
    return separator.join(person_markdown(email) for email in emails if email)


def people_line(label: str, emails: tuple[str, ...] | list[str], missing: str) -> str:
    """'**Label:** Anna Schmidt, Ben Okafor' as Markdown, or '**Label:** _missing_'."""
    named = people_markdown(tuple(emails))
    return f"**{label}:** {named}" if named else f"**{label}:** _{missing}_"


def remember_sign_in(identity: Identity) -> None:
    """Record the name this session's sign-in gave, once per session (not on every rerun)."""
    remember_language(identity)
    if identity.is_local or st.session_state.get(_RECORDED_KEY) == identity.email:
        return
    st.session_state[_RECORDED_KEY] = identity.email
    try:
        data.people_service().record_sign_in(identity)
    except PortalError:
        # A name not recorded costs nothing but the name: the page must still open.
        log.warning("could not record the sign-in of %s", identity.email, exc_info=True)


def remember_language(identity: Identity) -> None:
    """Record the person's language when new or changed (notifications are written in it):
    one store read per session and language, not one per rerun."""
    from portal.runtime import current_runtime
    from portal.services.notifications import NotificationService
    from portal.ui.session import language

    seen = (identity.email, language())
    if identity.is_local or st.session_state.get(_LANGUAGE_KEY) == seen:
        return
    st.session_state[_LANGUAGE_KEY] = seen
    try:
        NotificationService(current_runtime()).remember_language(identity, seen[1])
    except PortalError:
        log.warning("could not record the language of %s", identity.email, exc_info=True)
