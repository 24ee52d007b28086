"""Select boxes, multi-selects and date inputs with Streamlit's own words in the reader's language.

Streamlit writes "Choose an option", "Choose options", "No options to select" and the date
format itself; these wrappers pass the catalog's words instead. Its "No results" (typed text
matches no option) is drawn by the browser: short lists do without typing, and for long ones
a style sheet replaces the words (see dropdown_words).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from portal.ui.session import language, t

# Up to this many options a list is read, not searched: no typing, so no "No results".
SEARCH_FROM = 12
DATE_INPUT_FORMAT = {"en": "YYYY/MM/DD", "de": "DD.MM.YYYY"}

# Streamlit 1.67 draws its "No results" in spans with these stable style targets.
_EMPTY_STATE_TARGETS = ("equpb2c9", "eo2qvtu11")


def selectbox(where: Any, label: str, options: Sequence[Any], **settings: Any) -> Any:
    """where.selectbox (st, st.sidebar or a column) with translated placeholder words."""
    settings.setdefault("placeholder", t("inputs.choose_one" if options else "inputs.no_options"))
    _no_search_for_short(options, settings)
    return where.selectbox(label, options, **settings)


def multiselect(where: Any, label: str, options: Sequence[Any], **settings: Any) -> Any:
    """where.multiselect with translated placeholder words."""
    settings.setdefault("placeholder", t("inputs.choose_many" if options else "inputs.no_options"))
    _no_search_for_short(options, settings)
    return where.multiselect(label, options, **settings)


def date_input(where: Any, label: str, **settings: Any) -> Any:
    """where.date_input showing dates as the reader writes them (31.12.2026 in German)."""
    settings.setdefault("format", DATE_INPUT_FORMAT.get(language(), DATE_INPUT_FORMAT["en"]))
    return where.date_input(label, **settings)


def dropdown_words() -> None:
    """Replace Streamlit's fixed "No results" in open dropdowns with the catalog's words."""
    if language() == "en":
        return
    words = t("inputs.no_results").replace("\\", "\\\\").replace('"', '\\"')
    rules = "".join(
        f'.{target}{{font-size:0}}.{target}::after{{content:"{words}";font-size:0.875rem}}'
        for target in _EMPTY_STATE_TARGETS
    )
    st.html(f"<style>{rules}</style>")


def _no_search_for_short(options: Sequence[Any], settings: dict[str, Any]) -> None:
    if len(options) < SEARCH_FROM and not settings.get("accept_new_options"):
        settings.setdefault("filter_mode", None)
