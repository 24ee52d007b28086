"""Tables of outside text: st.dataframe with bidirectional controls made visible in text cells.

Names, tags and people come from MLflow and users; the grid draws their characters as they are,
so a right-to-left override would reorder a cell ('evil.exe' reading 'exe.live').
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from portal.text.format import without_bidi_controls


def dataframe(data: list[dict[str, Any]] | dict[str, Any], **options: Any) -> Any:
    """st.dataframe of rows (or a name-to-value mapping) with every text shown in typing order."""
    if isinstance(data, dict):
        return st.dataframe({_shown(key): _shown(value) for key, value in data.items()}, **options)
    rows = [{key: _shown(value) for key, value in row.items()} for row in data]
    return st.dataframe(rows, **options)


def _shown(value: Any) -> Any:
    return without_bidi_controls(value) if isinstance(value, str) else value
