"""Model card: one model, addressable as ?model=<name>."""

import streamlit as st

from portal.text.format import markdown_literal, without_bidi_controls
from portal.ui import (
    attention_sections,
    audit_sections,
    card_sections,
    cost_sections,
    data,
    export_sections,
    feedback_sections,
    importance_sections,
    incident_sections,
    inputs,
    navigation,
    review_sections,
    signoff_sections,
    use_case_sections,
    value_sections,
)
from portal.ui.session import current_identity, t

requested = st.query_params.get("model")

if requested is None:
    names = [row.name for row in data.inventory()]
    st.title(t("card.title"))
    if not names:
        st.info(t("overview.empty"))
        st.stop()
    chosen = inputs.selectbox(
        st,
        t("card.choose"),
        names,
        index=None,
        format_func=without_bidi_controls,
        key="card.choose",
    )
    if chosen is None:
        st.stop()
    st.query_params["model"] = chosen
    st.rerun()

card = data.model_card(requested)
if card is None:
    st.title(t("card.title"))
    st.error(t("card.unknown", name=markdown_literal(requested)))
    st.page_link(navigation.INVENTORY.path, label=t("card.back"), icon=":material/arrow_back:")
    st.stop()

settings = data.catalog_service().settings
card_sections.header(card)
glance = data.model_glance(card.name)
if glance is not None:
    card_sections.glance(glance, settings.currency)
attention_sections.model_section(card.name)
card_sections.description(card)
export_sections.fact_sheet_button(card.name)
card_sections.what_and_who(card)
use_case_sections.card_line(card.name)
st.divider()
card_sections.production(card)
card_sections.versions(card)
st.divider()
card_sections.health(card, data.drift_of(card.name), settings)
importance_sections.model_section(card.name, card.production_version)
st.divider()
card_sections.training_metrics(card)
card_sections.lineage(card)
st.divider()
card_sections.documentation(card)
st.divider()
card_sections.risks_and_people(data.model_risk(card.name))
st.divider()
signoff_sections.model_section(card.name, current_identity())
st.divider()
review_sections.model_section(data.model_risk(card.name), current_identity())
st.divider()
incident_sections.model_section(card.name)
st.divider()
actor = current_identity()
quarter = data.value_period("quarter")
value_sections.model_section(card.name, actor, data.value_service(), data.portfolio(*quarter))
cost_sections.model_section(card.name, actor, *quarter)
st.divider()
audit = data.audit_service()
feedback_sections.model_section(
    card.name,
    card.production_version,
    actor,
    data.feedback_service(),
    history=(lambda: audit_sections.model_history(card.name, actor, audit))
    if audit.may_read_history(actor, card.name)
    else None,
)
st.page_link(navigation.INVENTORY.path, label=t("card.back"), icon=":material/arrow_back:")
