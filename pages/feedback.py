"""Feedback: what I reported and the answers, what I must answer, and all feedback."""

import streamlit as st

from portal.ui import data, feedback_sections
from portal.ui.session import current_identity, t

st.title(t("feedback.page_title"))
st.caption(t("feedback.page_intro"))

actor = current_identity()
service = data.feedback_service()
feedback_sections.confirmation()

queue = service.queue(actor)
# Owners with open feedback land on what they must answer; everyone else on their own reports.
mine, to_answer, everything = st.tabs(
    [t("feedback.mine"), t("feedback.queue"), t("feedback.all")],
    default=t("feedback.queue") if queue else t("feedback.mine"),
)
with mine:
    items = service.mine(actor)
    if items:
        feedback_sections.feed(items, show_model=True)
    else:
        st.caption(t("feedback.mine_empty"))
with to_answer:
    st.caption(t("feedback.queue_intro"))
    if queue:
        feedback_sections.feed(queue, service=service, actor=actor, show_model=True)
    else:
        st.caption(t("feedback.queue_empty"))
with everything:
    items = service.everything()
    if items:
        feedback_sections.csv_button(items, "feedback.csv", key="feedback.csv.all")
        feedback_sections.feed(items, show_model=True)
    else:
        st.caption(t("feedback.all_empty"))
