"""Feedback: what I reported and the answers, what I must answer, and all feedback;
filtered by model, status, kind, severity, person and time, twenty to a page."""

import streamlit as st

from portal.ui import data, feedback_sections
from portal.ui.session import current_identity, t

st.title(t("feedback.page_title"))
st.caption(t("feedback.page_intro"))

actor = current_identity()
service = data.feedback_service()
feedback_sections.confirmation()

chosen = feedback_sections.list_filters(service.filter_choices(), st.query_params.get("model"))
# Owners with open feedback land on what they must answer; everyone else on their own reports.
queue_total = service.page(actor, "queue", chosen, page_size=1).total
view = feedback_sections.view_choice(queue_total)
if view == "queue":
    st.caption(t("feedback.queue_intro"))
empty = {
    "mine": "feedback.mine_empty",
    "queue": "feedback.queue_empty",
    "all": "feedback.all_empty",
}
feedback_sections.paged_list(
    service,
    actor,
    view,
    chosen,
    empty=t(empty[view]),
    file_name="feedback.csv" if view == "all" else f"feedback-{view}.csv",
    key=view,
)
