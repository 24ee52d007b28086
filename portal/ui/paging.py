"""The page choice of a long list: "Showing 21–40 of 734" and a page menu, kept per filter."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from portal.domain.paging import Page
from portal.text.format import format_number
from portal.ui import inputs
from portal.ui.session import language, t


def page_key(list_name: str, chosen: object) -> str:
    """The session key of a list's page under one filter: a changed filter starts at page 1."""
    return f"{list_name}.page.{hashlib.sha256(repr(chosen).encode()).hexdigest()[:12]}"


def requested(key: str) -> int:
    """The page the reader chose for this list and filter (1 before any choice)."""
    return st.session_state.get(key, 1)


def controls(page: Page[Any], key: str, summary: Any, choice: Any, words: str) -> None:
    """Write where the page sits (words.showing) and, for more than one page, the page menu
    (words.page, words.page_of) into the two given columns."""
    lang = language()
    summary.caption(
        t(
            f"{words}.showing",
            first=format_number(lang, page.first),
            last=format_number(lang, page.last),
            total=format_number(lang, page.total),
        )
    )
    if page.pages <= 1:
        return
    st.session_state[key] = page.page  # the page shown, when the one asked for is gone
    labels = {
        n: t(f"{words}.page_of", page=format_number(lang, n), pages=format_number(lang, page.pages))
        for n in range(1, page.pages + 1)
    }
    inputs.selectbox(choice, t(f"{words}.page"), list(labels), format_func=labels.get, key=key)
