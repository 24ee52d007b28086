"""Use cases: the business problems before and after a model exists, addressable as
?use_case=<key>; the list shows the pipeline, the detail one use case with its models."""

import streamlit as st

from portal.text.format import markdown_literal
from portal.ui import cost_sections, data, navigation, signoff_sections, use_case_sections
from portal.ui.session import current_identity, t

actor = current_identity()
known = use_case_sections.catalog()
currency = data.catalog_service().settings.currency
requested = st.query_params.get("use_case")

if requested is None:
    st.title(t("use_cases.title"))
    st.caption(t("use_cases.intro"))
    use_case_sections.saved_message()
    use_case_sections.pipeline_tiles(known.pipeline)
    use_case_sections.waiting_for_model(known.pipeline)
    st.subheader(t("use_cases.all"))
    use_case_sections.table(known, currency)
    if use_case_sections.service().may_propose(actor):
        with st.expander(t("use_case_form.open"), icon=":material/add:"):
            use_case_sections.propose_form(actor)
    st.stop()

case = use_case_sections.find(requested)
if case is None:
    st.title(t("use_cases.title"))
    st.error(t("use_cases.unknown", name=markdown_literal(requested)))
    st.page_link(navigation.USE_CASES.path, label=t("use_cases.back"), icon=":material/arrow_back:")
    st.stop()

may_edit = use_case_sections.service().may_edit(actor, case.key)
use_case_sections.saved_message()
use_case_sections.header(case)
use_case_sections.status_moves(case, actor, may_edit)
st.divider()
# design approval (sign-offs)
signoff_sections.use_case_section(case, actor)
st.divider()
use_case_sections.requirements(case, currency)
use_case_sections.key_metrics(case)
st.divider()
use_case_sections.models(case, actor, may_edit, known)
st.divider()
use_case_sections.expected_value(case, actor, may_edit, known)
# costs (budget and actual)
st.divider()
cost_sections.use_case_section(case.key, actor)
if may_edit:
    st.divider()
    with st.expander(t("use_case_form.edit"), icon=":material/edit:"):
        use_case_sections.edit_form(case, actor)
st.page_link(navigation.USE_CASES.path, label=t("use_cases.back"), icon=":material/arrow_back:")
