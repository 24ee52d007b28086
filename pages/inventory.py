"""Model inventory: every registered model, searchable and filterable; a row opens its card."""

import streamlit as st

from portal.services.catalog import CONTRACT_TAGS, filter_inventory
from portal.text.format import DATE_COLUMN_FORMAT, without_bidi_controls
from portal.ui import attention_sections, data, inputs, navigation, tables, use_case_sections
from portal.ui.session import language, t

st.title(t("inventory.title"))
st.caption(t("inventory.intro"))
use_case_sections.pipeline_section()

everything = data.inventory()
# The overview's counts link here with their filter in the address (?attention=, ?process=, …).
rows = attention_sections.address_filter(everything)
not_documented = t("common.not_documented")
processes = sorted({row.business_process for row in rows}, key=lambda name: (not name, name))
units = sorted({row.business_unit for row in rows}, key=lambda name: (not name, name))

search, process, unit = st.columns([2, 1, 1])
text = search.text_input(t("inventory.search"), key="inventory.search")
chosen_processes = inputs.multiselect(
    process,
    t("inventory.process"),
    processes,
    format_func=lambda v: without_bidi_controls(v) or not_documented,
    key="inventory.process",
)
chosen_units = inputs.multiselect(
    unit,
    t("inventory.unit"),
    units,
    format_func=lambda v: without_bidi_controls(v) or not_documented,
    key="inventory.unit",
)
production_only, gaps_only = st.columns(2)
only_production = production_only.toggle(t("inventory.production_only"), key="inventory.prod")
only_gaps = gaps_only.toggle(t("inventory.gaps_only"), key="inventory.gaps")

shown = filter_inventory(rows, text, chosen_processes, chosen_units, only_production, only_gaps)
st.caption(
    t("inventory.showing", shown=len(shown), total=len(everything))
    + " "
    + t("inventory.select_hint")
)
if not shown:
    st.info(t("inventory.none_match"))
    st.stop()

date_format = DATE_COLUMN_FORMAT[language()]
table = [
    {
        "name": row.name,
        "purpose": row.purpose or not_documented,
        "production": (
            t("common.version", version=row.production_version)
            if row.production_version
            else t("inventory.no_production")
        ),
        "since": row.production_since,
        "docs": round(row.documentation_score * 100),
        "process": row.business_process or not_documented,
        "unit": row.business_unit or not_documented,
        "owner": row.technical_owner or not_documented,
        "trained": row.last_trained_at,
        "versions": row.version_count,
    }
    for row in shown
]
selection = tables.dataframe(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key="inventory.table",
    column_config={
        "name": st.column_config.TextColumn(t("inventory.col_name")),
        "purpose": st.column_config.TextColumn(t("inventory.col_purpose"), width="medium"),
        "process": t("inventory.col_process"),
        "unit": t("inventory.col_unit"),
        "owner": t("inventory.col_owner"),
        "production": t("inventory.col_production"),
        "since": st.column_config.DatetimeColumn(t("inventory.col_since"), format=date_format),
        "trained": st.column_config.DatetimeColumn(t("inventory.col_trained"), format=date_format),
        "docs": st.column_config.ProgressColumn(
            t("inventory.col_docs"),
            min_value=0,
            max_value=100,
            format="%d %%",
            help=t("inventory.col_docs_help", count=len(CONTRACT_TAGS)),
        ),
        "versions": t("inventory.col_versions"),
    },
)
if selection.selection.rows:
    chosen = shown[selection.selection.rows[0]].name
    st.switch_page(navigation.MODEL_CARD.path, query_params={"model": chosen})
