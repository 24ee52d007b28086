"""Overview: what needs attention, how much is at stake and who acts; what changed since the
last portfolio report; the portfolio's figures, each linking to the list it counts."""

import streamlit as st

from portal.services.catalog import CONTRACT_TAGS
from portal.text.format import markdown_literal, without_bidi_controls
from portal.ui import (
    attention_sections,
    cost_sections,
    data,
    drift_sections,
    export_sections,
    navigation,
    risk_sections,
    tables,
    use_case_sections,
    value_sections,
)
from portal.ui.session import language, t

title, export = st.columns([3, 1], vertical_alignment="bottom")
title.title(t("overview.title"))
title.caption(t("overview.intro"))
with export:
    export_sections.portfolio_button()

overview = data.overview()
if not overview.models:
    st.info(t("overview.empty"))
    st.stop()

settings = data.catalog_service().settings
aliases = ", ".join(f"'{alias}'" for alias in settings.production_aliases)
feedback = data.feedback_counts()
# How current the model list is stands in the sidebar, on every page.
models, in_production, incomplete, open_feedback = st.columns(4)
models.metric(t("overview.models"), overview.models, help=t("overview.models_help"))
models.page_link(navigation.INVENTORY.path, label=t("overview.list_all"))
in_production.metric(
    t("overview.in_production"),
    overview.in_production,
    help=t("overview.in_production_help", aliases=markdown_literal(aliases)),
)
in_production.page_link(
    navigation.INVENTORY.path, label=t("overview.list"), query_params={"production": "1"}
)
incomplete.metric(
    t("overview.incomplete"),
    overview.incompletely_documented,
    delta=t("overview.undocumented", count=overview.undocumented)
    if overview.undocumented
    else None,
    delta_color="off",
    delta_arrow="off",
    help=t("overview.incomplete_help", count=len(CONTRACT_TAGS)),
)
incomplete.page_link(
    navigation.INVENTORY.path, label=t("overview.list"), query_params={"gaps": "1"}
)
open_feedback.metric(
    t("feedback.count_open"),
    feedback.open,
    delta=t("feedback.count_recent", count=feedback.recent),
    delta_color="off",
    delta_arrow="off",
    help=t("feedback.count_open_help"),
)
open_feedback.page_link(navigation.FEEDBACK.path, label=t("overview.list"))

attention_sections.portfolio_section(data.attention())
attention_sections.changes_section(*data.report_changes())
use_case_sections.pipeline_section()

quarter = data.portfolio(*data.value_period("quarter"))
if quarter.rows:
    spare = value_sections.overview_tiles(quarter, settings)
    cost_sections.overview_figure(
        spare, cost_sections.returns(quarter.first, quarter.last), settings.currency
    )
    st.page_link(navigation.VALUE.path, label=t("overview.open_value"), icon=":material/euro:")

health = data.drift_portfolio()
if health.models:
    st.subheader(t("drift.overview_title"), help=t("drift.overview_help"))
    drift_sections.overview_tiles(health)
    st.page_link(
        navigation.DRIFT.path, label=t("drift.overview_open"), icon=":material/monitor_heart:"
    )

risks = data.risk_portfolio()
if risks.models:
    st.subheader(t("risk.overview_title"), help=t("risk.overview_help"))
    risk_sections.overview_tiles(risks)
    st.page_link(navigation.RISK.path, label=t("risk.overview_open"), icon=":material/gpp_maybe:")

not_documented = t("common.not_documented")


def group_table(groups, label: str, parameter: str, key: str) -> None:
    """Counts per process or unit; choosing a row opens the inventory filtered to it."""
    picked = tables.dataframe(
        [
            {
                label: without_bidi_controls(group.name) or not_documented,
                t("overview.count_models"): group.models,
                t("overview.count_production"): group.in_production,
            }
            for group in groups
        ],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    if picked.selection.rows:
        chosen = groups[picked.selection.rows[0]].name
        st.switch_page(navigation.INVENTORY.path, query_params={parameter: chosen})


by_process, by_unit = st.columns(2)
with by_process:
    st.subheader(t("overview.by_process"), help=t("overview.by_process_help"))
    st.plotly_chart(data.process_chart(language()), config={"displayModeBar": False})
    if len(overview.processes) > data.CHART_PROCESSES:
        st.caption(
            t("overview.chart_more", shown=data.CHART_PROCESSES, count=len(overview.processes))
        )
    group_table(overview.processes, t("overview.group"), "process", "overview.processes")
with by_unit:
    st.subheader(t("overview.by_unit"))
    group_table(overview.units, t("overview.unit"), "unit", "overview.units")
st.caption(t("overview.pick_hint"))
st.page_link(
    navigation.INVENTORY.path, label=t("overview.open_inventory"), icon=":material/list_alt:"
)
