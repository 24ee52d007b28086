"""Audit log (admins): every change, filterable by person, model, action and time, fifty to a
page; CSV export of the filtered log."""

from datetime import datetime, time, timedelta

import streamlit as st

from portal.services.audit import AuditFilter, audit_csv
from portal.text.format import without_bidi_controls
from portal.ui import audit_sections, data, forms, inputs, paging
from portal.ui.session import current_identity, person_label, t

st.title(t("audit.title"))
st.caption(t("audit.intro"))

actor = current_identity()
service = data.audit_service()
choices = forms.allowed_or_stop(lambda: service.choices(actor))

everyone = t("audit.all")
person, model, action, period = st.columns([1, 1, 1, 1.3])
chosen_person = inputs.selectbox(
    person,
    t("audit.person"),
    [everyone, *choices["actor"]],
    format_func=lambda p: p if p == everyone else without_bidi_controls(person_label(p)),
    key="audit.person",
)
chosen_model = inputs.selectbox(
    model,
    t("audit.model"),
    [everyone, *choices["model_name"]],
    format_func=without_bidi_controls,
    key="audit.model",
)
actions = {everyone: everyone, **{a: audit_sections.action_text(a) for a in choices["action"]}}
chosen_action = inputs.selectbox(
    action,
    t("audit.action"),
    list(actions),
    format_func=actions.get,
    key="audit.action",
)
days = inputs.date_input(
    period, t("audit.since") + " – " + t("audit.until"), value=(), key="audit.days"
)

since = datetime.combine(days[0], time.min) if len(days) >= 1 else None
until = datetime.combine(days[1], time.min) + timedelta(days=1) if len(days) == 2 else None
chosen = AuditFilter(
    actor="" if chosen_person == everyone else chosen_person,
    model_name="" if chosen_model == everyone else chosen_model,
    action="" if chosen_action == everyone else chosen_action,
    since=since,
    until=until,
)
# Fifty to a page; the page choice is kept per filter, so changing a filter starts at page 1.
page_key = paging.page_key("audit", chosen)
page = service.page(actor, chosen, paging.requested(page_key))
if not page.total:
    st.info(t("audit.empty"))
    st.stop()
summary, choice, export = st.columns([3, 2, 2], vertical_alignment="bottom")
paging.controls(page, page_key, summary, choice, "audit")
export.download_button(
    t("audit.export"),
    # The whole filtered log (as before, up to its limit), written only when pressed.
    lambda: audit_csv(service.entries(actor, chosen), audit_sections.csv_headers()),
    file_name="audit-log.csv",
    mime="text/csv",
    icon=":material/download:",
    key="audit.csv",
    on_click="ignore",
)
audit_sections.entries_table(list(page.items))
