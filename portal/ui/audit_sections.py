"""Audit log components: the entries table, and a model's own history for its owners."""

from __future__ import annotations

import streamlit as st

from portal.services.audit import AuditEntry, AuditService
from portal.services.identity import Identity
from portal.text.format import format_datetime
from portal.ui import tables
from portal.ui.session import language, t


def entries_table(entries: list[AuditEntry]) -> None:
    """The entries with readable actions; before and after as stored (JSON)."""
    lang = language()
    tables.dataframe(
        [
            {
                "at": format_datetime(lang, entry.at),
                "person": entry.actor,
                "action": action_text(entry.action),
                "entity": entry.entity_id,
                "model": entry.model_name or "",
                "before": entry.before_json or "",
                "after": entry.after_json or "",
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


def model_history(model_name: str, actor: Identity, service: AuditService) -> None:
    """What the portal recorded about one model, for its owners and admins."""
    entries = service.model_history(actor, model_name)
    with st.expander(t("audit.model_history"), icon=":material/history:"):
        if entries:
            entries_table(entries)
        else:
            st.caption(t("audit.model_history_empty"))


def action_text(action: str) -> str:
    """A readable name for an audit action; unknown actions as recorded."""
    text = t(f"audit_action.{action}")
    return action if text == f"audit_action.{action}" else text
