"""Audit log (admins): every change, filterable by person, model, action and time; CSV export."""

from datetime import datetime, time, timedelta

import streamlit as st

from portal.services.audit import AuditFilter, audit_csv
from portal.text.format import without_bidi_controls
from portal.ui import audit_sections, data, forms
from portal.ui.session import current_identity, t

st.title(t("audit.title"))
st.caption(t("audit.intro"))

actor = current_identity()
service = data.audit_service()
choices = forms.allowed_or_stop(lambda: service.choices(actor))

everyone = t("audit.all")
person, model, action, period = st.columns([1, 1, 1, 1.3])
chosen_person = person.selectbox(
    t("audit.person"),
    [everyone, *choices["actor"]],
    format_func=without_bidi_controls,
    key="audit.person",
)
chosen_model = model.selectbox(
    t("audit.model"),
    [everyone, *choices["model_name"]],
    format_func=without_bidi_controls,
    key="audit.model",
)
chosen_action = action.selectbox(
    t("audit.action"),
    [everyone, *choices["action"]],
    format_func=lambda a: a if a == everyone else audit_sections.action_text(a),
    key="audit.action",
)
days = period.date_input(t("audit.since") + " – " + t("audit.until"), value=(), key="audit.days")

since = datetime.combine(days[0], time.min) if len(days) >= 1 else None
until = datetime.combine(days[1], time.min) + timedelta(days=1) if len(days) == 2 else None
entries = service.entries(
    actor,
    AuditFilter(
        actor="" if chosen_person == everyone else chosen_person,
        model_name="" if chosen_model == everyone else chosen_model,
        action="" if chosen_action == everyone else chosen_action,
        since=since,
        until=until,
    ),
)
if not entries:
    st.info(t("audit.empty"))
    st.stop()
st.caption(t("audit.showing", count=len(entries)))
audit_sections.entries_table(entries)
st.download_button(
    t("audit.export"),
    audit_csv(entries),
    file_name="audit-log.csv",
    mime="text/csv",
    icon=":material/download:",
    key="audit.csv",
)
