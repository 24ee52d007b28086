"""Where it comes from, both ways: a business process down to model, version, run, data and
code; a data source up to every model, process and accountable executive it affects."""

import streamlit as st

from portal.services.lineage import LineageService
from portal.text.format import without_bidi_controls
from portal.ui import data, ownership_sections
from portal.ui.session import t

st.title(t("lineage.title"))
st.caption(t("lineage.intro"))

links = data.lineage_links()
if not links:
    st.info(t("overview.empty"))
    st.stop()

down, up = st.tabs([t("lineage.tab_process"), t("lineage.tab_source")])
with down:
    st.caption(t("lineage.process_intro"))
    processes = LineageService.processes(links)
    process = st.selectbox(
        t("lineage.choose_process"),
        processes,
        format_func=without_bidi_controls,
        key="lineage.process",
    )
    if not processes:
        st.info(t("lineage.no_processes"))
    elif process is not None:
        served = data.lineage_of_process(process)
        ownership_sections.process_diagram(process, served)
        ownership_sections.process_list(served)
with up:
    st.caption(t("lineage.source_intro"))
    sources = LineageService.sources(links)
    source = st.selectbox(
        t("lineage.choose_source"),
        sources,
        format_func=without_bidi_controls,
        key="lineage.source",
    )
    if not sources:
        st.info(t("lineage.no_sources"))
    elif source is not None:
        radius = data.blast_radius(source)
        ownership_sections.blast_tiles(radius)
        ownership_sections.blast_diagram(radius)
        ownership_sections.blast_lists(radius)
