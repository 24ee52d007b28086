"""The interface's one way to show the portal's errors: a message per error, in the reader's words.

Every form runs its service write through `attempt`; pages and the router turn other expected
errors (a refused read, an unavailable store) into messages with `error_lines`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from portal.errors import InvalidInput, PortalError
from portal.text.format import markdown_literal
from portal.ui.session import t

T = TypeVar("T")


def attempt(action: Callable[[], T], field_labels: str) -> tuple[bool, T | None]:
    """Run a service write; on refusal show why (each problem naming its field), change nothing.

    field_labels is the catalog section naming the form's fields (e.g. 'feedback_field').
    Returns whether the write ran, and what it returned.
    """
    try:
        return True, action()
    except PortalError as error:
        for line in error_lines(error, field_labels):
            st.error(line)
    return False, None


def error_lines(error: PortalError, field_labels: str = "") -> list[str]:
    """The messages for an error: one per input problem, else the error type's own."""
    if isinstance(error, InvalidInput):
        return [
            t(f"problem.{p.code}", field=t(f"{field_labels}.{p.field}"), limit=p.limit)
            for p in error.problems
        ]
    # Values name models, files or people from outside: the messages are drawn as Markdown.
    values = {
        key: markdown_literal(value) if isinstance(value, str) else value
        for key, value in error.message_values().items()
    }
    return [t(error.message_key, **values)]


def allowed_or_stop(read: Callable[[], T]) -> T:
    """Run a page's restricted read; when it is refused, say why and end the page there."""
    try:
        return read()
    except PortalError as error:
        for line in error_lines(error):
            st.error(line)
        st.stop()  # ends the script run here
