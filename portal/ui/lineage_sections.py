"""Lineage lists for many models: the models' lineage and the data sources' reach as tables.

The diagrams themselves are drawn by ownership_sections; these tables stay readable at any
portfolio size (sortable, scrolling), and a selected row opens the model's card.
"""

from __future__ import annotations

import streamlit as st

from portal.domain.lineage import LineageLink, SourceReach
from portal.text.format import format_number
from portal.ui import navigation, tables
from portal.ui.ownership_sections import version_label
from portal.ui.people import name_of
from portal.ui.session import language, t


def links_table(links: tuple[LineageLink, ...], key: str) -> None:
    """One row per model: process, version, run, data, code and the accountable executive."""
    lang = language()
    st.caption(t("lineage_filter.models_shown", count=format_number(lang, len(links))))
    selection = tables.dataframe(
        [
            {
                "model": link.model_name,
                "process": link.business_process or t("common.not_documented"),
                "version": version_label(link),
                "sources": ", ".join(link.sources) or t("lineage.nothing_logged"),
                "commit": link.git_commit[:8] or t("common.not_documented"),
                "run": link.run_id or t("common.not_documented"),
                "executive": name_of(link.accountable_executive) or t("risk.nobody_named"),
            }
            for link in links
        ],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config={
            "model": st.column_config.TextColumn(t("risk.col_model"), pinned=True),
            "process": t("tags.business_process"),
            "version": t("lineage.layer_version"),
            "sources": t("lineage.layer_inputs"),
            "commit": t("card.git_commit"),
            "run": t("lineage.run"),
            "executive": t("risk_field.accountable_executive"),
        },
    )
    st.caption(t("lineage_filter.open_hint"))
    if selection.selection.rows:
        chosen = links[selection.selection.rows[0]].model_name
        st.switch_page(navigation.MODEL_CARD.path, query_params={"model": chosen})


def reach_table(reach: tuple[SourceReach, ...]) -> None:
    """Every data source with the number of models and business processes it feeds."""
    tables.dataframe(
        [
            {"source": item.source, "models": item.models, "processes": item.processes}
            for item in reach
        ],
        hide_index=True,
        key="lineage.reach_table",
        column_config={
            "source": st.column_config.TextColumn(t("lineage.layer_source"), pinned=True),
            "models": st.column_config.NumberColumn(t("lineage.tile_models")),
            "processes": st.column_config.NumberColumn(t("lineage.tile_processes")),
        },
    )
