"""Business value: what each model was promised, what it delivers, and whether it is on track."""

import streamlit as st

from portal.services.value import PERIODS
from portal.text.format import without_bidi_controls
from portal.ui import attention_sections, cost_sections, data, inputs, value_sections
from portal.ui.session import current_identity, t

st.title(t("value.title"))
st.caption(t("value.intro"))

settings = data.catalog_service().settings
rows = data.inventory()
period_column, unit_column, process_column = st.columns([1.7, 1, 1])
kind = (
    period_column.segmented_control(
        t("value.period"),
        PERIODS,
        default="quarter",
        format_func=lambda p: t(f"value.period_{p}"),
        key="value.period",
    )
    or "quarter"
)
units = inputs.multiselect(
    unit_column, t("value.unit"), sorted({r.business_unit for r in rows} - {""}), key="value.units"
)
processes = inputs.multiselect(
    process_column,
    t("value.process"),
    sorted({r.business_process for r in rows} - {""}),
    key="value.processes",
)

actor = current_identity()
if actor.has_role("admin"):
    with st.expander(t("kpi_upload.title"), icon=":material/upload_file:"):
        value_sections.upload(actor, data.value_service())

period = data.value_period(kind)
if period is None:
    st.info(t("value.no_data"))
    st.stop()
first, last = period
portfolio = data.portfolio(first, last, tuple(units), tuple(processes))
if not portfolio.rows:
    st.info(t("value.no_benchmarks"))
    st.stop()

value_sections.tiles(portfolio, settings)
returns = cost_sections.returns(first, last, tuple(units), tuple(processes))
cost_sections.tiles(returns, settings.currency, settings.cost_kpi)
attention_sections.page_section(attention_sections.VALUE_KINDS)
st.subheader(t("value.sentences"))
value_sections.sentences(portfolio)
cost_sections.losing(returns, settings.currency)
st.subheader(t("value.table"))
value_sections.kpi_table(portfolio, settings.currency, returns)

st.subheader(t("value.chart"))
model_column, cumulative_column = st.columns([2, 1])
models = sorted({row.model_name for row in portfolio.rows})
chosen = inputs.selectbox(
    model_column,
    t("value.chart_model"),
    [None, *models],
    format_func=lambda m: without_bidi_controls(m) if m else t("value.chart_all"),
    key="value.chart_model",
)
cumulative = cumulative_column.toggle(t("value.chart_cumulative"), key="value.cumulative")
value_sections.money_chart(portfolio.money_by_month(chosen), settings.currency, cumulative)
