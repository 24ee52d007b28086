"""Drift components: traffic lights, plain sentences, the model list and the per-model drill-down.

Model, input and category names come from outside: they are shown as table cells, chart labels
or through markdown_literal, never as HTML.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from datetime import datetime

import streamlit as st
import streamlit.components.v1 as components

from portal.charts import (
    InputStrengthSeries,
    QualityWeek,
    ShareBar,
    distribution_chart,
    drift_sparkline,
    drift_trend_chart,
    input_strength_chart,
    quality_over_time_chart,
)
from portal.clock import utc_now
from portal.config import Settings
from portal.domain.drift import (
    MISSING,
    OTHER,
    QUALITY_TOLERANCE,
    DriftPortfolio,
    FeatureDrift,
    ModelDrift,
    ModelDriftDetail,
    TrendPoint,
)
from portal.domain.metrics import metric_meaning
from portal.services.drift import DriftService
from portal.text import wording
from portal.text.format import (
    format_age,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    markdown_literal,
)
from portal.ui import importance_sections, inputs, navigation, tables
from portal.ui.session import language, t
from portal.ui.tables import DATETIME_COLUMN_FORMAT

# Badge colour and icon per traffic light: the word is always shown too, never colour alone.
LIGHTS = {
    "stable": ("green", ":material/check_circle:"),
    "watch": ("orange", ":material/visibility:"),
    "drifting": ("red", ":material/warning:"),
    "not_monitored": ("gray", ":material/visibility_off:"),
    "no_data": ("gray", ":material/hourglass_empty:"),
    "failed": ("violet", ":material/error:"),
}
# Models needing attention first.
ORDER = ("drifting", "watch", "failed", "no_data", "not_monitored", "stable")
# Up to this many production models the page lists each in a box; beyond, a table.
TABLE_FROM = 13
# Shown on the page and the overview even at zero; the others only when they occur.
ALWAYS_SHOWN = ("stable", "watch", "drifting", "not_monitored")


def light_word(light: str) -> str:
    """'Stable', 'Watch', 'Drifting', 'Not monitored'… in the session's language."""
    return t(f"drift_light.{light}")


def light_badge(light: str) -> None:
    """The traffic light as a coloured badge with its word and icon."""
    colour, icon = LIGHTS.get(light, ("gray", ":material/help:"))
    st.badge(light_word(light), icon=icon, color=colour)


def outputs_word(model: ModelDrift) -> str:
    """yes / no / – for a tile or table cell."""
    if model.outcome != "checked" or model.prediction_drifted is None:
        return "–"
    return t("common.yes") if model.prediction_drifted else t("common.no")


def share_text(model: ModelDrift) -> str:
    """'1 of 3 (33 %)', or '–' without a comparison."""
    if model.share_changed is None:
        return "–"
    return t(
        "drift.share_value",
        changed=model.inputs_changed,
        total=model.inputs_total,
        share=format_percent(language(), model.share_changed),
    )


def checked_age(model: ModelDrift) -> str:
    """'3 hours ago'."""
    return format_age(language(), utc_now() - model.last_confirmed)


def sorted_models(portfolio: DriftPortfolio) -> list[ModelDrift]:
    """Models needing attention first, then by name."""
    rank = {light: index for index, light in enumerate(ORDER)}
    return sorted(
        portfolio.models, key=lambda m: (rank.get(m.light, len(ORDER)), m.model_name.casefold())
    )


def shown_lights(portfolio: DriftPortfolio) -> list[str]:
    """The lights a tile row shows: the four main ones, and the others when they occur."""
    return [
        light
        for light in (*ALWAYS_SHOWN, "no_data", "failed")
        if light in ALWAYS_SHOWN or portfolio.counts.get(light)
    ]


# --- the drift page: portfolio ---------------------------------------------------------------


def portfolio_tiles(portfolio: DriftPortfolio, settings: Settings) -> None:
    """How many production models are in each state, each with a line on what it means."""
    lights = shown_lights(portfolio)
    for column, light in zip(st.columns(len(lights)), lights, strict=True):
        colour, icon = LIGHTS[light]
        with column:
            st.metric(
                f":{colour}[{light_word(light)}]",
                portfolio.counts.get(light, 0),
                icon=icon,
                border=True,
            )
            st.caption(_light_explanation(light, settings))


def _light_explanation(light: str, settings: Settings) -> str:
    lang = language()
    return t(
        f"drift_light.{light}_help",
        watch=format_percent(lang, settings.drift_watch_share),
        alert=format_percent(lang, settings.drift_alert_share),
        days=settings.drift_window_days,
    )


def model_table(portfolio: DriftPortfolio, trends: dict[str, tuple[TrendPoint, ...]]) -> str | None:
    """Beyond a handful of models: one sortable row per model, filtered by light and name;
    a selected row's model is returned (its drill-down)."""
    lights = [light for light in ORDER if portfolio.counts.get(light)]
    light_column, name_column = st.columns([2, 1])
    chosen = inputs.multiselect(
        light_column,
        t("drift_table.filter_light"),
        lights,
        format_func=lambda light: (
            f"{light_word(light)} ({format_number(language(), portfolio.counts[light])})"
        ),
        placeholder=t("drift_table.any_light"),
        key="drift.table_lights",
    )
    search = name_column.text_input(
        t("drift_table.filter_name"),
        placeholder=t("drift_table.filter_name_placeholder"),
        max_chars=200,
        key="drift.table_name",
    )
    wanted = search.strip().casefold()
    models = [
        model
        for model in sorted_models(portfolio)
        if (not chosen or model.light in chosen) and wanted in model.model_name.casefold()
    ]
    lang = language()
    st.caption(
        t(
            "drift_table.shown",
            shown=format_number(lang, len(models)),
            total=format_number(lang, len(portfolio.models)),
        )
    )
    if not models:
        st.info(t("drift_table.none"))
        return None
    # A bar per share when every model has one; otherwise words ('1 of 3 (33 %)', '–').
    numeric = all(model.share_changed is not None for model in models)
    share_column = (
        st.column_config.ProgressColumn(
            t("drift.tile_share"),
            help=t("drift.tile_share_help"),
            width=150,
            format="%d %%",
            min_value=0,
            max_value=100,
        )
        if numeric
        else st.column_config.TextColumn(
            t("drift.tile_share"), help=t("drift.tile_share_help"), width=150
        )
    )
    rows = [
        {
            "model": model.model_name,
            "light": light_word(model.light),
            "share": round(model.share_changed * 100) if numeric else share_text(model),
            "outputs": outputs_word(model),
            "checked": model.checked_at,
            "trend": _trend_values(trends.get(model.model_name, ()))
            if model.outcome == "checked"
            else [],
        }
        for model in models
    ]
    selection = tables.dataframe(
        rows,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="drift.model_table",
        column_config={
            # Widths that fit the page's width at 1280 pixels: no sideways scrolling.
            "model": st.column_config.TextColumn(
                t("drift_table.col_model"), pinned=True, width=260
            ),
            "light": st.column_config.TextColumn(
                t("drift_table.col_light"), help=t("drift_table.col_light_help"), width=110
            ),
            "share": share_column,
            "outputs": st.column_config.TextColumn(
                t("drift.tile_outputs"), help=t("drift.tile_outputs_help"), width=130
            ),
            "checked": st.column_config.DatetimeColumn(
                t("drift.tile_checked"),
                format=DATETIME_COLUMN_FORMAT.get(lang, DATETIME_COLUMN_FORMAT["en"]),
                width=140,
            ),
            "trend": st.column_config.LineChartColumn(
                t("drift_table.col_trend"),
                help=t("drift_table.col_trend_help"),
                y_min=0,
                y_max=1,
                width=110,
            ),
        },
    )
    st.caption(t("drift_table.open_hint"))
    if selection.selection.rows:
        return models[selection.selection.rows[0]].model_name
    return None


def _trend_values(weeks: tuple[TrendPoint, ...]) -> list[float]:
    """The weekly shares of changed inputs, oldest first, for the table's small chart."""
    return [week.share_changed for week in weeks if week.share_changed is not None]


def model_list(
    portfolio: DriftPortfolio,
    settings: Settings,
    weeks_of: Callable[[str], tuple[TrendPoint, ...]],
) -> None:
    """One bordered row per production model, problems first, each linking to its details."""
    for model in sorted_models(portfolio):
        weeks = weeks_of(model.model_name) if model.outcome == "checked" else ()
        model_row(model, settings, weeks)


def model_row(model: ModelDrift, settings: Settings, weeks: tuple[TrendPoint, ...]) -> None:
    """Name, traffic light and sentence; beside them the figures, each with its explanation,
    and the weekly trend."""
    lang = language()
    with st.container(border=True):
        head, facts = st.columns([3, 2], gap="large")
        with head:
            st.markdown(f"**{markdown_literal(model.model_name)}**")
            light_badge(model.light)
            st.markdown(markdown_literal(wording.drift_sentence(lang, model, settings)))
            st.page_link(
                navigation.DRIFT.path,
                label=t("drift.open_details"),
                icon=":material/arrow_forward:",
                query_params={"model": model.model_name},
            )
        with facts:
            if model.outcome == "checked":
                _fact(t("drift.tile_share"), share_text(model), t("drift.tile_share_help"))
                _fact(t("drift.tile_outputs"), outputs_word(model), t("drift.tile_outputs_help"))
            _fact(
                t("drift.tile_checked"),
                checked_age(model),
                t("drift.tile_checked_help", when=format_datetime(lang, model.last_confirmed)),
            )
            if weeks:
                _fact(
                    t("drift.fact_weeks", count=len(weeks)),
                    wording.weeks_text(lang, weeks),
                    t("drift.fact_weeks_help"),
                )
                st.plotly_chart(
                    drift_sparkline(
                        wording.trend_weeks(lang, weeks),
                        settings.drift_watch_share,
                        settings.drift_alert_share,
                    ),
                    config={"displayModeBar": False, "staticPlot": True},
                    key=f"drift.sparkline.{model.model_name}",
                )


def _fact(label: str, value: str, explanation: str) -> None:
    """A bold label, its value, and a tooltip saying what the value means."""
    st.markdown(f"**{label}:** {value}", help=explanation)


# --- the drill-down ---------------------------------------------------------------------------


def detail_header(detail: ModelDriftDetail, settings: Settings, show_detail: bool) -> None:
    """Name, traffic light, the sentence, and what exactly was compared."""
    lang = language()
    model = detail.summary
    st.title(markdown_literal(model.model_name))
    light_badge(model.light)
    st.markdown(f"#### {markdown_literal(wording.drift_sentence(lang, model, settings))}")
    if model.outcome == "checked":
        st.markdown(markdown_literal(wording.outputs_sentence(lang, model)))
    version = t("common.version", version=model.model_version) if model.model_version else ""
    st.caption(
        " · ".join(
            part
            for part in (
                version,
                t("drift.checked_at", when=format_datetime(lang, model.checked_at)),
                t(f"drift.ran_on_{model.executor}"),
                t("drift.confirmed_at", when=format_datetime(lang, model.confirmed_at))
                if model.last_confirmed != model.checked_at
                else "",
                sample_sentence(model),
            )
            if part
        )
    )
    if model.outcome != "checked":
        no_verdict(model, settings, show_detail)
    if model.added_columns:
        st.caption(
            markdown_literal(t("drift.added_columns", columns=", ".join(model.added_columns)))
        )


def no_verdict(model: ModelDrift, settings: Settings, show_detail: bool) -> None:
    """Without a traffic light: what would make one possible; admins are pointed to the detail.

    The page shows everyone the same plain reason: folders and error messages stay on the
    admins' Data status page (DriftService.check_details)."""
    fix = t(f"drift_fix.{model.reason}", min=settings.drift_min_rows)
    if fix != f"drift_fix.{model.reason}":
        st.info(markdown_literal(fix), icon=":material/build:")
    if show_detail:
        st.page_link(
            navigation.DATA_STATUS.path,
            label=t("drift_detail.on_status_page"),
            icon=":material/manage_search:",
        )


def has_history(detail: ModelDriftDetail) -> bool:
    """Whether a model without a current verdict still has weeks or quality to show."""
    return bool(detail.weeks or detail.quality_history or detail.current_quality)


def sample_sentence(model: ModelDrift) -> str:
    """'Compared 1,400 production rows (sampled from 9,800) with 2,000 training rows.'"""
    if model.window_sampled is None or model.reference_sampled is None:
        return ""
    lang = language()
    production = format_number(lang, model.window_sampled)
    if model.window_rows and model.window_rows > model.window_sampled:
        production = t(
            "drift.sampled_from", rows=production, of=format_number(lang, model.window_rows)
        )
    training = format_number(lang, model.reference_sampled)
    if model.reference_rows and model.reference_rows > model.reference_sampled:
        training = t(
            "drift.sampled_from", rows=training, of=format_number(lang, model.reference_rows)
        )
    return t("drift.compared_rows", production=production, training=training)


def detail_tiles(detail: ModelDriftDetail) -> None:
    """The drill-down's figures, each with its explanation."""
    model = detail.summary
    changed, outputs, quality = st.columns(3)
    changed.metric(
        t("drift.tile_share"),
        share_text(model),
        help=t("drift.tile_share_help"),
        border=True,
    )
    outputs.metric(
        t("drift.tile_outputs"),
        outputs_word(model),
        help=t("drift.tile_outputs_help"),
        border=True,
    )
    worse = [q for q in detail.current_quality if q.worse]
    compared = [q for q in detail.current_quality if q.change is not None]
    quality.metric(
        t("drift.tile_quality"),
        t("drift.quality_worse_count", worse=len(worse), total=len(compared))
        if compared
        else t("drift.quality_not_measured"),
        help=t("drift.tile_quality_help", tolerance=format_percent(language(), QUALITY_TOLERANCE)),
        border=True,
    )


def inputs_table(detail: ModelDriftDetail) -> None:
    """Every input, most changed first, then the model's output: changed or not, and why."""
    st.subheader(t("drift.inputs"), help=t("drift.inputs_help"))
    if not detail.features:
        st.info(t("drift.inputs_empty"))
        return
    st.caption(t("drift.inputs_intro"))
    lang = language()
    features = detail.features
    shares = importance_sections.shares_of(detail.summary.model_name, detail.summary.model_version)
    if shares is not None:
        features = tuple(importance_sections.ranked(features, shares))
        st.caption(t("importance.ranked"))
    # Columns that would only repeat 'compared', '0 % → 0 %' or nothing are left out.
    optional = {
        "relies": shares is not None,
        "state": any(f.state != "compared" for f in features),
        "empty": any(f.missing_share_reference or f.missing_share_window for f in features),
        "new": any(f.new_categories for f in features),
    }
    order = ["input", "changed", "relies", "state", "score", "threshold", "method", "empty", "new"]
    tables.dataframe(
        [
            {
                "input": _feature_name(feature),
                "changed": t("common.yes") if feature.changed else t("common.no"),
                "relies": importance_sections.relies_cell(feature, shares),
                "state": t(f"drift_state.{feature.state}"),
                "score": _number(lang, feature.score),
                "threshold": _number(lang, feature.threshold),
                "method": feature.method or "–",
                "empty": _missing_text(lang, feature),
                "new": ", ".join(feature.new_categories),
            }
            for feature in features
        ],
        hide_index=True,
        column_order=[column for column in order if optional.get(column, True)],
        column_config={
            "input": st.column_config.TextColumn(t("drift.col_input")),
            "changed": st.column_config.TextColumn(
                t("drift.col_changed"), help=t("drift.col_changed_help")
            ),
            "relies": importance_sections.relies_column(),
            "state": st.column_config.TextColumn(t("drift.col_state")),
            "score": st.column_config.TextColumn(
                t("drift.col_score"), help=t("drift.col_score_help")
            ),
            "threshold": st.column_config.TextColumn(
                t("drift.col_threshold"), help=t("drift.col_threshold_help")
            ),
            "method": st.column_config.TextColumn(
                t("drift.col_method"), help=t("drift.col_method_help")
            ),
            "empty": st.column_config.TextColumn(
                t("drift.col_empty"), help=t("drift.col_empty_help")
            ),
            "new": st.column_config.TextColumn(t("drift.col_new"), help=t("drift.col_new_help")),
        },
    )


def _feature_name(feature: FeatureDrift) -> str:
    if feature.role == "prediction":
        return t("drift.model_output", name=feature.feature)
    return feature.feature


def _missing_text(lang: str, feature: FeatureDrift) -> str:
    if feature.missing_share_reference is None or feature.missing_share_window is None:
        return "–"
    return (
        f"{format_percent(lang, feature.missing_share_reference)} → "
        f"{format_percent(lang, feature.missing_share_window)}"
    )


def distribution(detail: ModelDriftDetail) -> None:
    """Training against production for one chosen input, from the stored summaries."""
    st.subheader(t("drift.distribution"), help=t("drift.distribution_help"))
    features = [f for f in detail.features if f.feature in detail.distributions]
    if not features:
        st.info(t("drift.distribution_empty"))
        return
    by_name = {feature.feature: feature for feature in features}
    chosen = inputs.selectbox(
        st,
        t("drift.distribution_choose"),
        list(by_name),
        format_func=lambda name: _feature_name(by_name[name]),
        key=f"drift.feature.{detail.summary.model_name}",
    )
    feature = by_name[chosen]
    lang = language()
    bars = [
        ShareBar(
            _bucket_label(lang, bucket.label, feature.kind),
            bucket.reference_share,
            bucket.window_share,
        )
        for bucket in detail.distributions[chosen]
    ]
    figure = distribution_chart(
        bars,
        t("drift.chart_training"),
        t("drift.chart_production"),
        t("drift.chart_share"),
        language=lang,
    )
    st.plotly_chart(figure, config={"displayModeBar": False}, key=f"drift.dist.{chosen}")
    verdict = "drift.distribution_changed" if feature.changed else "drift.distribution_same"
    st.caption(
        markdown_literal(t(verdict, name=_feature_name(feature)))
        + " "
        + t(
            "drift.distribution_numeric"
            if feature.kind == "numeric"
            else "drift.distribution_categories"
        )
    )


def _bucket_label(lang: str, label: str, kind: str) -> str:
    if label == OTHER:
        return t("drift.bucket_other")
    if label == MISSING:
        return t("drift.bucket_missing")
    if kind == "numeric" and lang == "de":
        # Bin edges are stored as '18 – 24.7'; a German reader expects a decimal comma.
        return label.replace(".", ",")
    # Category values come from production data; Plotly would render some HTML in labels.
    return html.escape(label)


def trend(detail: ModelDriftDetail, settings: Settings) -> None:
    """Share of changed inputs per calendar week, against the watch and drifting thresholds."""
    st.subheader(t("drift.trend"), help=t("drift.trend_help"))
    if not detail.weeks:
        st.info(t("drift.trend_empty"))
        return
    lang = language()
    watch = format_percent(lang, settings.drift_watch_share)
    alert = format_percent(lang, settings.drift_alert_share)
    weeks = wording.trend_weeks(lang, detail.weeks)
    figure = drift_trend_chart(
        weeks,
        settings.drift_watch_share,
        settings.drift_alert_share,
        t("drift.trend_series"),
        t("drift.trend_watch_line", share=watch),
        t("drift.trend_alert_line", share=alert),
        language=language(),
    )
    st.plotly_chart(figure, config={"displayModeBar": False}, key="drift.trend_chart")
    st.caption(t("drift.trend_caption", watch=watch, alert=alert))
    input_strengths(detail, settings)


def input_strengths(detail: ModelDriftDetail, settings: Settings) -> None:
    """The most changed inputs week by week: how far past its limit each one was."""
    if not detail.top_input_weeks:
        return
    lang = language()
    by_input: dict[str, dict[datetime, float | None]] = {}
    for week in detail.top_input_weeks:
        by_input.setdefault(week.feature, {})[week.window_start] = _usable(week.strength)
    weeks = sorted({week.window_start for week in detail.top_input_weeks})
    strong = settings.drift_alert_strength
    st.markdown(f"**{t('drift.strength_title')}**", help=t("drift.strength_help"))
    figure = input_strength_chart(
        [
            # Plotly reads some HTML in legend names; input names come from outside.
            InputStrengthSeries(
                html.escape(name), tuple(weeks), tuple(values.get(week) for week in weeks)
            )
            for name, values in by_input.items()
        ],
        {week: wording.short_date(lang, week) for week in weeks},
        [
            (1.0, t("drift.strength_limit"), ""),
            (strong / 2, t("drift.strength_watch", times=format_number(lang, strong / 2)), "watch"),
            (strong, t("drift.strength_alert", times=format_number(lang, strong)), "drifting"),
        ],
        t("drift.strength_axis"),
        language=lang,
    )
    st.plotly_chart(figure, config={"displayModeBar": False}, key="drift.strength_chart")
    st.caption(
        t(
            "drift.strength_caption",
            watch=format_number(lang, strong / 2),
            alert=format_number(lang, strong),
        )
    )


def quality(detail: ModelDriftDetail, settings: Settings) -> None:
    """Quality on predictions whose true outcome arrived, per week, next to training."""
    st.subheader(t("drift.quality"), help=t("drift.quality_help"))
    model = detail.summary
    lang = language()
    if not detail.current_quality and not detail.quality_history:
        st.info(t("drift.quality_none"))
        return
    if model.window_rows:
        st.caption(
            t(
                "drift.quality_labelled",
                labelled=format_number(lang, model.labelled_rows or 0),
                rows=format_number(lang, model.window_rows),
                days=wording.window_days(model, settings),
            )
        )
    if detail.current_quality:
        quality_table(detail, wording.window_days(model, settings))
        st.caption(
            t("drift.quality_change_note", tolerance=format_percent(lang, QUALITY_TOLERANCE))
        )
    weeks = sorted(
        {week.window_start for week in detail.weeks if week.window_start}
        | {point.window_start for point in detail.quality_history}
    )
    metrics = sorted({point.metric for point in detail.quality_history})
    if not weeks or not metrics:
        return
    values = {(p.metric, p.window_start): p.value for p in detail.quality_history}
    training = {p.metric: _usable(p.training_value) for p in detail.quality_history}
    pending = [week for week in weeks if all(values.get((m, week)) is None for m in metrics)]
    if pending:
        st.warning(
            t(
                "drift.quality_pending",
                count=len(pending),
                first=format_date(lang, pending[0]),
            ),
            icon=":material/hourglass_top:",
        )
    st.markdown(f"**{t('drift.quality_weekly')}**")
    for index, metric in enumerate(metrics):
        if index % 2 == 0:
            columns = st.columns(2)
        with columns[index % 2]:
            st.markdown(f"**{markdown_literal(metric)}**")
            figure = quality_over_time_chart(
                [
                    QualityWeek(
                        week, wording.short_date(lang, week), _usable(values.get((metric, week)))
                    )
                    for week in weeks
                ],
                training[metric],
                t("drift.chart_production"),
                t("drift.chart_training_value"),
                t("drift.chart_pending"),
                metric_meaning(metric).is_share,
                language=lang,
            )
            st.plotly_chart(figure, config={"displayModeBar": False}, key=f"drift.quality.{metric}")
            if training[metric] is None:
                st.caption(t("drift.quality_no_training"))


def quality_table(detail: ModelDriftDetail, days: int) -> None:
    """The current window's quality measures next to training, with a verdict in words."""
    lang = language()
    st.table(
        [
            {
                t("drift.col_measure"): markdown_literal(item.metric),
                t("drift.col_production", days=days): wording.quality_value(
                    lang, item.metric, item.value
                ),
                t("drift.col_training"): wording.quality_value(
                    lang, item.metric, item.training_value
                ),
                t("drift.col_quality_change"): wording.signed_percent(lang, item.change),
                t("drift.col_verdict"): wording.quality_verdict(lang, item),
                t("card.col_meaning"): t(
                    f"metrics.{metric_meaning(item.metric).code or 'unknown'}"
                ),
            }
            for item in detail.current_quality
        ],
        hide_index=True,
        border="horizontal",
    )


def _usable(value: float | None) -> float | None:
    """None for a missing or not-a-number value (a metric training did not log)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _number(lang: str, value: float | None) -> str:
    value = _usable(value)
    return "–" if value is None else format_number(lang, value)


def full_report(model: ModelDrift, service: DriftService) -> None:
    """The full Evidently report: a download, and embedded only when asked for (it is large)."""
    st.subheader(t("drift.report"), help=t("drift.report_help"))
    if not model.has_report:
        st.caption(t("drift.report_none"))
        return
    if not service.report_present(model.check_id):  # e.g. a copied store without its folder
        st.caption(t("drift.report_gone"))
        return
    st.caption(t("drift.report_intro"))
    stamp = model.checked_at.strftime("%Y-%m-%d")
    safe_name = re.sub(r"[^\w.-]+", "-", model.model_name).strip("-") or "model"
    download, show = st.columns([1, 2])
    download.download_button(
        t("drift.report_download"),
        # Read only when clicked: the report is several megabytes.
        data=lambda: service.report_html(model.check_id) or b"",
        file_name=f"drift-report-{safe_name}-{stamp}.html",
        mime="text/html",
        icon=":material/download:",
        key=f"drift.report_download.{model.check_id}",
        on_click="ignore",
    )
    if not show.toggle(t("drift.report_show"), key=f"drift.report_show.{model.check_id}"):
        return
    html = service.report_html(model.check_id)
    if html is None:
        st.warning(t("drift.report_gone"))
        return
    # Evidently's self-contained report in Streamlit's sandboxed component frame.
    components.html(html.decode("utf-8", errors="replace"), height=900, scrolling=True)


def back_link() -> None:
    """Back from a drill-down to the list of all models."""
    st.page_link(navigation.DRIFT.path, label=t("drift.back"), icon=":material/arrow_back:")


def unknown_model(name: str) -> None:
    """A drill-down asked for a model without a stored check."""
    st.title(t("drift.title"))
    st.warning(markdown_literal(t("drift.unknown", name=name)))
    back_link()


# --- elsewhere: the overview's tiles ----------------------------


def overview_tiles(portfolio: DriftPortfolio) -> None:
    """Production models per traffic light, for the overview; each explained in its tooltip."""
    counts = {light: portfolio.counts.get(light, 0) for light in ALWAYS_SHOWN}
    # Without a verdict: not monitored, no recent data, or a failed check.
    counts["not_monitored"] += portfolio.counts.get("no_data", 0) + portfolio.counts.get(
        "failed", 0
    )
    for column, (light, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        colour, icon = LIGHTS[light]
        column.metric(
            f":{colour}[{light_word(light)}]",
            count,
            icon=icon,
            help=t(f"drift.overview_{light}_help"),
        )
