"""Notifications sent (admins): every message with its result, failed ones first with their
error and a retry, fifty to a page; send now."""

import streamlit as st

from portal.ui import paging, task_sections
from portal.ui.session import current_identity, t

task_sections.log_intro()
actor = current_identity()
service = task_sections.notification_service()
task_sections.log_header(actor, service)
task_sections.failed_section(actor, service, service.page(actor, "failed"))

chosen_status, chosen_person = task_sections.log_filters(actor, service)
page_key = paging.page_key("notifications", (chosen_status, chosen_person))
page = service.page(actor, chosen_status, chosen_person, paging.requested(page_key))
if not page.total:
    st.info(t("notifications.empty"))
    st.stop()
summary, choice = st.columns([3, 2], vertical_alignment="bottom")
paging.controls(page, page_key, summary, choice, "notifications")
task_sections.log_table(page.items)
