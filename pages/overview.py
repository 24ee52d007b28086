"""Overview: what models the company has, which are in production, where, how documented."""

import streamlit as st

from portal.charts import GroupBar, models_by_group_chart
from portal.services.catalog import CONTRACT_TAGS
from portal.text.format import format_age, markdown_literal
from portal.ui import (
    data,
    drift_sections,
    export_sections,
    navigation,
    risk_sections,
    tables,
    value_sections,
)
from portal.ui.session import language, t

title, export = st.columns([3, 1], vertical_alignment="bottom")
title.title(t("overview.title"))
title.caption(t("overview.intro"))
with export:
    export_sections.portfolio_button()

overview = data.overview()
freshness = data.freshness()
settings = data.catalog_service().settings
aliases = ", ".join(f"'{alias}'" for alias in settings.production_aliases)

feedback = data.feedback_counts()
models, in_production, incomplete, open_feedback, synced = st.columns(5)
models.metric(t("overview.models"), overview.models, help=t("overview.models_help"))
in_production.metric(
    t("overview.in_production"),
    overview.in_production,
    help=t("overview.in_production_help", aliases=markdown_literal(aliases)),
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
open_feedback.metric(
    t("feedback.count_open"),
    feedback.open,
    delta=t("feedback.count_recent", count=feedback.recent),
    delta_color="off",
    delta_arrow="off",
    help=t("feedback.count_open_help"),
)
synced.metric(
    t("overview.last_sync"),
    format_age(language(), freshness.age)
    if freshness.age is not None
    else t("overview.never_synced"),
    help=t("overview.last_sync_help"),
)

quarter = data.portfolio(*data.value_period("quarter"))
if quarter.rows:
    value_sections.overview_tiles(quarter, settings)

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

if not overview.models:
    st.info(t("overview.empty"))
    st.stop()

not_documented = t("common.not_documented")


def bars(groups):
    """Chart bars for process or unit counts; blank names read 'not documented'."""
    return [
        GroupBar(
            group.name or not_documented, group.in_production, group.models - group.in_production
        )
        for group in groups
    ]


by_process, by_unit = st.columns(2)
with by_process:
    st.subheader(t("overview.by_process"), help=t("overview.by_process_help"))
    st.plotly_chart(
        models_by_group_chart(
            bars(overview.processes),
            t("overview.chart_in_production"),
            t("overview.chart_not_in_production"),
        ),
        config={"displayModeBar": False},
    )
with by_unit:
    st.subheader(t("overview.by_unit"))
    tables.dataframe(
        [
            {
                t("overview.unit"): unit.name or not_documented,
                t("overview.count_models"): unit.models,
                t("overview.count_production"): unit.in_production,
            }
            for unit in overview.units
        ],
        hide_index=True,
    )
st.page_link(
    navigation.INVENTORY.path, label=t("overview.open_inventory"), icon=":material/list_alt:"
)
