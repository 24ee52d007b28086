"""Audit log components: the entries table, and a model's own history for its owners.

Actions read as words and the values before and after as labelled fields ("Status: answered"),
in the reader's language; the CSV export keeps what was recorded.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import streamlit as st

from portal.services.audit import CSV_COLUMNS, AuditEntry, AuditService, audit_fields
from portal.services.identity import Identity
from portal.text import wording
from portal.text.format import format_date, format_datetime, format_number
from portal.text.i18n import LANGUAGES, catalog
from portal.ui import tables
from portal.ui.people import name_of
from portal.ui.session import language, person_label, t

# Fields whose values are enum keys, and the catalog section that words them.
_WORDED = {
    "status": "feedback_status",
    "kind": "feedback_kind",
    "severity": "feedback_severity",
    "direction": "direction",
    "aggregation": "aggregation",
    "serving_mode": "risk_serving",
    "ai_act_category": "risk_category",
}
# Fields that name a person by e-mail (or the local user by name).
_PEOPLE = {
    "submitted_by",
    "submitter_name",
    "assessed_by_name",
    "responded_by",
    "assessed_by",
    "set_by",
    "loaded_by",
    "updated_by",
    "accountable_executive",
    "business_owner",
    "email",
}
_SEPARATOR = " · "
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def entries_table(entries: list[AuditEntry]) -> None:
    """The entries with readable actions, people, and before and after as labelled fields."""
    lang = language()
    tables.dataframe(
        [
            {
                "at": format_datetime(lang, entry.at),
                "person": name_of(person_label(entry.actor)),
                "action": action_text(entry.action),
                "entity": entry.entity_id,
                "model": entry.model_name or "",
                "before": fields_text(lang, entry, "before"),
                "after": fields_text(lang, entry, "after"),
            }
            for entry in entries
        ],
        hide_index=True,
        column_config={
            "at": t("audit.col_at"),
            "person": t("audit.col_person"),
            "action": t("audit.col_action"),
            "entity": t("audit.col_entity"),
            "model": t("audit.col_model"),
            "before": st.column_config.TextColumn(t("audit.col_before"), width="medium"),
            "after": st.column_config.TextColumn(t("audit.col_after"), width="large"),
        },
    )


def fields_text(lang: str, entry: AuditEntry, side: str) -> str:
    """One side of an entry as 'Label: value · Label: value'; where both sides were recorded,
    only the fields the write changed."""
    if not (entry.before_json if side == "before" else entry.after_json):
        return ""
    both = bool(entry.before_json) and bool(entry.after_json)
    return _SEPARATOR.join(
        f"{field_label(field.name)}: {value_text(lang, field.name, getattr(field, side))}"
        for field in audit_fields(entry)
        if field.changed or not both
    )


def field_label(name: str) -> str:
    """A recorded field's name in words; the catalog's own field labels first."""
    for section in ("audit_field", "feedback_field", "risk_field", "value_field"):
        key = f"{section}.{name}"
        if key in catalog("en"):
            return t(key)
    return name


def value_text(lang: str, name: str, value: Any) -> str:
    """A recorded value in words: enum keys translated, people by name, dates as dates."""
    if value is None or value == "" or value == []:
        return tables.DASH
    if isinstance(value, bool):
        return t("common.yes") if value else t("common.no")
    if isinstance(value, list):
        return ", ".join(value_text(lang, name, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)} {value_text(lang, k, v)}" for k, v in value.items())
    if isinstance(value, int | float):
        if name in ("likelihood", "impact") and isinstance(value, int):
            return wording.scale_word(lang, name, value)
        return format_number(lang, value)
    text = str(value)
    worded = _worded(lang, name, text)
    if worded is not None:
        return worded
    if name in _PEOPLE:
        return name_of(person_label(text))
    if _ISO_DAY.match(text):
        return format_date(lang, datetime.fromisoformat(text))
    if _ISO_MOMENT.match(text):
        try:
            return format_datetime(lang, datetime.fromisoformat(text))
        except ValueError:
            return text
    return text


def _worded(lang: str, name: str, text: str) -> str | None:
    if name == "risk":
        return wording.risk_name(lang, text)
    if name == "decision_mode":
        return wording.mode_word(lang, text)
    if name == "language" and text in LANGUAGES:
        return LANGUAGES[text]
    for key in (f"{_WORDED.get(name, '')}.{text}", f"audit_value.{name}.{text}"):
        if key in catalog("en"):
            return t(key)
    return None


def csv_headers() -> list[str]:
    """The export's column headers in the reader's language."""
    return [t(f"audit_csv.{column}") for column in CSV_COLUMNS]


def model_history(model_name: str, actor: Identity, service: AuditService) -> None:
    """What the portal recorded about one model, for its owners and admins."""
    entries = service.model_history(actor, model_name)
    with st.expander(t("audit.model_history"), icon=":material/history:"):
        if entries:
            entries_table(entries)
        else:
            st.caption(t("audit.model_history_empty"))


def action_text(action: str) -> str:
    """A readable name for an audit action; an unknown one in words with its recorded name."""
    key = f"audit_action.{action}"
    return t(key) if key in catalog("en") else t("audit_text.unknown_action", action=action)
