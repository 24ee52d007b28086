"""My tasks: what waits for the signed-in person, by urgency, each with a link to where it is
done; their notification kinds with a switch each, and the messages sent to them."""

import streamlit as st

from portal.ui import task_sections
from portal.ui.session import current_identity, t

st.title(t("my_tasks.title"))
st.caption(t("my_tasks.intro"))

actor = current_identity()
email = task_sections.whose_tasks(actor)
tasks = task_sections.tasks_for(email)
if email:
    task_sections.counts(tasks)
    task_sections.task_list(tasks)
if email.casefold() == actor.email.casefold():  # an admin looking at nobody else's
    task_sections.everyone(actor)
task_sections.my_notifications(actor, task_sections.notification_service())
