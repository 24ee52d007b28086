"""Model health: is each production model still seeing data like its training data?

The list of all production models (a sortable table beyond a handful), or one model's
drill-down as ?model=<name>.
"""

import streamlit as st

from portal.ui import data, drift_sections, estimation_sections, fairness_sections, navigation
from portal.ui.session import current_identity, t

settings = data.catalog_service().settings
requested = st.query_params.get("model")

if requested is None:
    st.query_params.clear()  # the address bar may still show the last drill-down (see below)
    st.title(t("drift.title"))
    st.caption(t("drift.intro"))
    portfolio = data.drift_portfolio()
    if not portfolio.models:
        st.info(t("drift.empty"))
        st.stop()
    drift_sections.portfolio_tiles(portfolio, settings)
    st.subheader(t("drift.models"))
    if len(portfolio.models) < drift_sections.TABLE_FROM:
        drift_sections.model_list(portfolio, settings, data.drift_weeks)
    else:
        opened = drift_sections.model_table(portfolio, data.drift_trends())
        if opened is not None:
            st.switch_page(navigation.DRIFT.path, query_params={"model": opened})
    st.stop()

# A link from this page to itself does not put the parameter into the address bar; writing it
# back does, so the drill-down can be bookmarked and survives a reload.
st.query_params["model"] = requested
detail = data.drift_detail(requested)
if detail is None:
    drift_sections.unknown_model(requested)
    st.stop()

drift_sections.back_link()
drift_sections.detail_header(detail, settings, current_identity().has_role("admin"))
checked = detail.summary.outcome == "checked"
if checked:
    drift_sections.detail_tiles(detail)
    st.divider()
    drift_sections.inputs_table(detail)
    drift_sections.distribution(detail)
if checked or drift_sections.has_history(detail):
    st.divider()
    drift_sections.trend(detail, settings)
    st.divider()
    drift_sections.quality(detail, settings)
    estimation_sections.estimate(detail)
    fairness_sections.fairness(detail, settings)
if checked or detail.summary.has_report:
    st.divider()
    drift_sections.full_report(detail.summary, data.drift_service())
