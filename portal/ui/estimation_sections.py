"""The drift drill-down's estimate of quality while the true outcomes are not known yet."""

from __future__ import annotations

import streamlit as st

from portal.charts import EstimateWeek, performance_estimate_chart
from portal.domain.drift import ModelDriftDetail
from portal.domain.estimation import ModelEstimate
from portal.domain.metrics import metric_meaning
from portal.runtime import current_runtime
from portal.services.estimation import EstimationService
from portal.text import wording
from portal.text.estimation import estimate_sentences, measure_name, reason_sentence
from portal.text.format import markdown_literal
from portal.ui import data
from portal.ui.session import language, t


def _estimate_of(name: str) -> ModelEstimate | None:
    return data.per_version(
        "estimation.of_model", (name,), lambda: EstimationService(current_runtime()).of_model(name)
    )


def estimate(detail: ModelDriftDetail) -> None:
    """The estimate in a sentence, and per measure a chart of estimate, band and measured value."""
    st.divider()
    st.subheader(t("estimation.title"), help=t("estimation.title_help"))
    model = detail.summary
    found = _estimate_of(model.model_name)
    if found is None or not found.estimates:
        st.info(reason_sentence(language(), found))
        return
    lang = language()
    if found.model_version is not None and found.model_version != model.model_version:
        st.caption(
            t("estimation.version_note", version=found.model_version, current=model.model_version)
        )
    for sentence in estimate_sentences(lang, found):
        st.markdown(markdown_literal(sentence))
    st.caption(t("estimation.range_note"))
    metrics = found.metrics
    for index, metric in enumerate(metrics):
        if index % 2 == 0:
            columns = st.columns(2)
        weeks = found.weeks_of(metric)
        with columns[index % 2]:
            st.markdown(f"**{markdown_literal(measure_name(lang, metric))}**")
            figure = performance_estimate_chart(
                [
                    EstimateWeek(
                        week.window_start,
                        wording.short_date(lang, week.window_start),
                        week.estimated,
                        week.lower,
                        week.upper,
                        week.realized,
                    )
                    for week in weeks
                ],
                weeks[-1].reference_value if weeks else None,
                t("estimation.chart_estimate"),
                t("estimation.chart_band"),
                t("estimation.chart_realized"),
                t("estimation.chart_reference"),
                metric_meaning(metric).is_share,
                language=lang,
            )
            st.plotly_chart(
                figure, config={"displayModeBar": False}, key=f"estimation.chart.{metric}"
            )
    st.caption(t("estimation.chart_note"))
