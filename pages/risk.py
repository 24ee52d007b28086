"""What could go wrong: the portfolio's risk matrix, high risks and overdue reviews;
one model's risks, assessments, signals, criticality and experts as ?model=<name>."""

import streamlit as st

from portal.services.risk import RISKS
from portal.ui import attention_sections, data, navigation, review_sections, risk_sections
from portal.ui.session import current_identity, t

requested = st.query_params.get("model")

if requested is None:
    st.query_params.clear()  # the address bar may still show the last drill-down
    st.title(t("risk.title"))
    st.caption(t("risk.intro"))
    portfolio = data.risk_portfolio()
    if not portfolio.models:
        st.info(t("overview.empty"))
        st.stop()
    shown = risk_sections.filters(portfolio)
    if not shown.models:
        st.info(t("risk.filter_none"))
        st.stop()
    risk_sections.tiles(shown)
    st.subheader(t("risk.matrix_title"), help=t("risk.matrix_help"))
    risk_sections.heatmap(shown, risk_sections.risk_choice())
    attention_sections.page_section(attention_sections.RISK_KINDS)
    risk_sections.overdue_list(shown)
    review_sections.overdue_list([m.name for m in shown.models])
    st.subheader(t("risk.high_title"), help=t("risk.high_help"))
    risk_sections.high_risk_table(shown)
    st.subheader(t("risk.models_title"))
    st.caption(t("risk.models_hint"))
    chosen = risk_sections.model_table(shown)
    if chosen is not None:
        st.switch_page(navigation.RISK.path, query_params={"model": chosen})
    st.stop()

# Written back so the drill-down can be bookmarked and survives a reload.
st.query_params["model"] = requested
model = data.model_risk(requested)
if model is None:
    risk_sections.unknown_model(requested)
    st.stop()

actor = current_identity()
service = data.risk_service()
may_assess = service.may_assess(actor, model.name)
may_govern = service.may_govern(actor, model.name)

risk_sections.back_link()
risk_sections.detail_header(model)
attention_sections.model_section(model.name, attention_sections.RISK_KINDS)
risk_sections.saved_message()
if not may_assess:
    st.caption(t("risk.owners_only"))
history = data.risk_history(model.name)
st.subheader(t("risk.four_risks"), help=t("risk.four_risks_help"))
for risk in RISKS:
    risk_sections.risk_block(model, risk, history, actor, service, may_assess)
st.divider()
review_sections.model_section(model, actor)
st.divider()
risk_sections.criticality(model, actor, service, may_govern)
st.divider()
risk_sections.experts(model, actor, service, may_govern)
