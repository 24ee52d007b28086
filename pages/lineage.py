"""Where it comes from, both ways: a business process down to model, version, run, data and
code; a data source up to every model, process and accountable executive it affects.

With many models nothing is preselected: the page asks for a process or source and lists the
models (or sources) meanwhile; a diagram is drawn only for as many models as one can read."""

import streamlit as st

from portal.services.lineage import DIAGRAM_MOST, LineageService, drawable
from portal.text.format import without_bidi_controls
from portal.ui import data, inputs, lineage_sections, ownership_sections
from portal.ui.session import t

LISTED_FROM = 13  # models a process lists in boxes up to this many; beyond, a table

st.title(t("lineage.title"))
st.caption(t("lineage.intro"))

links = data.lineage_links()
if not links:
    st.info(t("overview.empty"))
    st.stop()
many = len(links) > DIAGRAM_MOST

down, up = st.tabs([t("lineage.tab_process"), t("lineage.tab_source")])
with down:
    st.caption(t("lineage.process_intro"))
    processes = LineageService.processes(links)
    process = inputs.selectbox(
        st,
        t("lineage.choose_process"),
        processes,
        index=None if many or not processes else 0,
        format_func=without_bidi_controls,
        placeholder=t("lineage_filter.choose_process"),
        key="lineage.process",
    )
    if not processes:
        st.info(t("lineage.no_processes"))
    elif process is None:
        st.info(t("lineage_filter.prompt_process", most=DIAGRAM_MOST))
        lineage_sections.links_table(links, key="lineage.all_table")
    else:
        served = data.lineage_of_process(process)
        if drawable(served):
            ownership_sections.process_diagram(process, served)
        else:
            st.info(t("lineage_filter.too_many", count=len(served), most=DIAGRAM_MOST))
        if len(served) < LISTED_FROM:
            ownership_sections.process_list(served)
        else:
            lineage_sections.links_table(served, key="lineage.process_table")
with up:
    st.caption(t("lineage.source_intro"))
    sources = LineageService.sources(links)
    source = inputs.selectbox(
        st,
        t("lineage.choose_source"),
        sources,
        index=None if many or not sources else 0,
        format_func=without_bidi_controls,
        placeholder=t("lineage_filter.choose_source"),
        key="lineage.source",
    )
    if not sources:
        st.info(t("lineage.no_sources"))
    elif source is None:
        st.info(t("lineage_filter.prompt_source", most=DIAGRAM_MOST))
        lineage_sections.reach_table(LineageService.source_reach(links))
    else:
        radius = data.blast_radius(source)
        ownership_sections.blast_tiles(radius)
        within = None
        if not drawable(radius.links) and len(radius.processes) > 1:
            within = inputs.selectbox(
                st,
                t("lineage_filter.within_process"),
                radius.processes,
                index=None,
                format_func=without_bidi_controls,
                placeholder=t("lineage_filter.all_processes"),
                key=f"lineage.within.{source}",
            )
        part = radius.within(within)
        if drawable(part.links):
            ownership_sections.blast_diagram(part)
        else:
            st.info(t("lineage_filter.too_many_source", count=len(part.links), most=DIAGRAM_MOST))
        ownership_sections.blast_lists(part)
