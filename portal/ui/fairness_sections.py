"""Fairness over time on the drift drill-down: per group column a sentence, the gap per week
against training, and the newest week's rates per group.

Column and group names come from outside: shown through markdown_literal or as table cells.
"""

from __future__ import annotations

import streamlit as st

from portal.charts import fairness_gap_chart
from portal.config import Settings
from portal.domain.drift import ModelDriftDetail
from portal.domain.fairness import (
    GAP_MARGIN,
    MEASURED,
    MISSING_COLUMN,
    NOT_CLASSIFIER,
    NOT_COMPUTED,
    REFERENCE,
    ColumnTrend,
    FairnessWindow,
    ModelFairness,
    newest_week,
    points,
    recent_low,
)
from portal.runtime import current_runtime
from portal.services.fairness import FairnessService
from portal.text.format import format_date, format_number, format_percent, markdown_literal
from portal.ui import data
from portal.ui.session import language, t


def fairness(detail: ModelDriftDetail, settings: Settings) -> None:
    """The model's fairness between groups, or why it is not monitored."""
    name = detail.summary.model_name
    found = data.per_version("fairness.model", (name,), lambda: _read(name))
    st.divider()
    st.subheader(t("fairness.title"), help=t("fairness.help"))
    if found.state != MEASURED:
        if found.state == NOT_COMPUTED:
            columns = ", ".join(found.tagged_columns)
            st.info(t("fairness.not_computed", columns=markdown_literal(columns)))
        else:
            st.info(t("fairness.not_tagged"), icon=":material/visibility_off:")
        return
    for trend in found.trends:
        column_section(trend, settings)


def _read(name: str) -> ModelFairness:
    return FairnessService(current_runtime().store).model(name)


def column_section(trend: ColumnTrend, settings: Settings) -> None:
    """One group column: what it says, its weekly gap and the newest week per group."""
    lang = language()
    column = markdown_literal(trend.group_column)
    st.markdown(f"**{t('fairness.column', column=column)}**")
    if trend.state == MISSING_COLUMN:
        where = "reference" if _reference_state(trend) == MISSING_COLUMN else "logs"
        st.warning(t(f"fairness.missing_{where}", column=column), icon=":material/help:")
        return
    if trend.state == NOT_CLASSIFIER:
        st.info(t("fairness.not_classifier"))
        return
    st.markdown(sentence(trend, lang))
    weeks = [week.window_start for week in trend.weeks if week.window_start is not None]
    if any(week.parity_difference is not None for week in trend.weeks):
        figure = fairness_gap_chart(
            weeks,
            [week.parity_difference for week in trend.weeks if week.window_start is not None],
            trend.reference_gap,
            GAP_MARGIN,
            t("fairness.chart_series"),
            t("fairness.chart_reference"),
            t("fairness.chart_limit", margin=points(GAP_MARGIN)),
            language=lang,
        )
        st.plotly_chart(
            figure,
            config={"displayModeBar": False},
            key=f"fairness.chart.{trend.group_column}",
        )
        st.caption(t("fairness.chart_caption", margin=points(GAP_MARGIN)))
    newest = newest_week(trend)
    if newest is not None:
        group_table(newest, trend.reference, settings)


def sentence(trend: ColumnTrend, lang: str) -> str:
    """'Selection rate differs between groups of gender by 18 points in the last two weeks; 4
    points in training: the gap is widening.' in the session's language."""
    column = markdown_literal(trend.group_column)
    reference = points(trend.reference_gap)
    if trend.widening:
        return t(
            "fairness.sentence_widening",
            column=column,
            recent=points(recent_low(trend)),
            reference=reference,
            since=format_date(lang, trend.since),
        )
    if trend.recent_gap is None:
        return t("fairness.sentence_too_small", column=column)
    compared = [week for week in trend.weeks if week.parity_difference is not None]
    week = format_date(lang, compared[-1].window_start)
    if reference is None:
        return t(
            "fairness.sentence_no_reference",
            column=column,
            recent=points(trend.recent_gap),
            week=week,
        )
    return t(
        "fairness.sentence_steady",
        column=column,
        recent=points(trend.recent_gap),
        reference=reference,
        week=week,
    )


def group_table(week: FairnessWindow, reference: FairnessWindow | None, settings: Settings) -> None:
    """The newest week's rates per group, next to the group's rate in training."""
    lang = language()
    trained = {g.group: g.selection_rate for g in (reference.groups if reference else ())}

    def share(value: float | None) -> str:
        return "–" if value is None else format_percent(lang, value)

    rows = []
    for group in week.groups:
        small = not group.compared
        rows.append(
            {
                t("fairness.col_group"): markdown_literal(group.group),
                t("fairness.col_rows"): format_number(lang, group.rows),
                t("fairness.col_selection"): (
                    t("fairness.too_small") if small else share(group.selection_rate)
                ),
                t("fairness.col_training"): share(trained.get(group.group)),
                t("fairness.col_accuracy"): share(group.accuracy),
                t("fairness.col_tpr"): share(group.true_positive_rate),
                t("fairness.col_fpr"): share(group.false_positive_rate),
            }
        )
    st.caption(t("fairness.table_title", week=format_date(lang, week.window_start)))
    st.table(rows, hide_index=True, border="horizontal")
    st.caption(
        t(
            "fairness.gaps",
            difference=share(week.parity_difference),
            ratio=share(week.parity_ratio),
            odds=share(week.odds_difference) if week.odds_difference is not None else "–",
        )
    )
    st.caption(t("fairness.table_caption", rows=settings.drift_min_rows))


def _reference_state(trend: ColumnTrend) -> str | None:
    reference = trend.reference
    return reference.state if reference is not None and reference.window_kind == REFERENCE else None
