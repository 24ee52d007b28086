"""Tables of outside text: st.dataframe with bidirectional controls made visible in text cells,
and gaps and dates in the reader's words.

Names, tags and people come from MLflow and users; the grid draws their characters as they are,
so a right-to-left override would reorder a cell ('evil.exe' reading 'exe.live'). The grid also
draws a missing value as the English word "None" and dates in ISO form: a text column shows
its gaps as "not documented", any other column as "–", and dates follow the language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import streamlit as st

from portal.text.format import (
    DATE_COLUMN_FORMAT,
    format_date,
    format_datetime,
    format_number,
    without_bidi_controls,
)
from portal.ui.session import language, t

DASH = "–"
DATETIME_COLUMN_FORMAT = {"en": "D MMM YYYY, HH:mm", "de": "DD.MM.YYYY, HH:mm"}


@dataclass(frozen=True)
class Shaped:
    """Rows and column settings as st.dataframe gets them (see shaped); built once, they can
    be kept per data version and language (portal.ui.data.per_version)."""

    rows: list[dict[str, Any]]
    config: dict[str, Any] | None


def dataframe(
    data: list[dict[str, Any]] | dict[str, Any],
    *,
    column_config: Mapping[str, Any] | None = None,
    missing: Mapping[str, str] | None = None,
    **options: Any,
) -> Any:
    """st.dataframe of rows (or a name-to-value mapping) with every text shown in typing order.

    missing names, per column, the words for a gap where the column kind's default does not fit.
    """
    if isinstance(data, dict):
        words = t("common.not_documented")
        shown = {_shown(k): words if is_missing(v) else _shown(v) for k, v in data.items()}
        return st.dataframe(shown, column_config=column_config, **options)
    return show(shaped(data, column_config=column_config, missing=missing), **options)


def show(table: Shaped, **options: Any) -> Any:
    """st.dataframe of rows shaped before (by shaped)."""
    return st.dataframe(table.rows, column_config=table.config, **options)


def shaped(
    data: list[dict[str, Any]],
    *,
    column_config: Mapping[str, Any] | None = None,
    missing: Mapping[str, str] | None = None,
) -> Shaped:
    """The rows with texts in typing order, gaps and dates in the reader's words, and the
    column settings that fit them (dataframe's work before st.dataframe)."""
    rows = [{key: _shown(value) for key, value in row.items()} for row in data]
    config = dict(column_config or {})
    lang = language()
    for column in _columns(rows):
        if column in config and config[column] is None:
            continue  # a hidden column
        values = [row.get(column) for row in rows]
        present = [value for value in values if not is_missing(value)]
        gaps = len(present) < len(values)
        if gaps:
            words = (missing or {}).get(column) or _gap_words(present)
            as_text = _texts(lang, present)
            for row in rows:
                value = row.get(column)
                row[column] = words if is_missing(value) else as_text(value)
            config[column] = _text_column(config.get(column), column, numeric=_numeric(present))
        elif present and all(isinstance(v, datetime) for v in present):
            config.setdefault(column, _dated(column, DATETIME_COLUMN_FORMAT[lang], "datetime"))
        elif present and all(isinstance(v, date) for v in present):
            config.setdefault(column, _dated(column, DATE_COLUMN_FORMAT[lang], "date"))
    return Shaped(rows, config or None)


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NaT/NA: what the grid would draw as 'None' or 'nan'."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NaTType", "NAType"}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _numeric(present: list[Any]) -> bool:
    """Numbers, right-aligned as numbers are; dates stay left, so a narrow column cuts their
    end (the time), not the day."""
    return bool(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present
    )


def _gap_words(present: list[Any]) -> str:
    if present and not all(isinstance(value, str) for value in present):
        return DASH
    return t("common.not_documented")


def _texts(lang: str, present: list[Any]):
    """How present values of a column with gaps are written, now that it is a text column."""

    def written(value: Any) -> Any:
        if isinstance(value, datetime):
            return format_datetime(lang, value)
        if isinstance(value, date):
            return format_date(lang, datetime(value.year, value.month, value.day))
        if isinstance(value, bool):
            return t("common.yes") if value else t("common.no")
        if isinstance(value, int | float):
            return format_number(lang, value)
        return value

    return written


def _text_column(config: Any, column: str, numeric: bool) -> Any:
    """The column's own label, help and width, as text (right-aligned for numbers and dates)."""
    if config is None:
        label, settings = column, {}
    elif isinstance(config, str):
        label, settings = config, {}
    elif isinstance(config, Mapping):
        label = config["label"] if config.get("label") is not None else column
        settings = {k: config[k] for k in ("help", "width", "pinned") if config.get(k) is not None}
    else:
        return config
    if numeric:
        settings["alignment"] = "right"
    return st.column_config.TextColumn(label, **settings)


def _dated(column: str, shown: str, kind: str) -> Any:
    if kind == "datetime":
        return st.column_config.DatetimeColumn(column, format=shown)
    return st.column_config.DateColumn(column, format=shown)


def _shown(value: Any) -> Any:
    return without_bidi_controls(value) if isinstance(value, str) else value
