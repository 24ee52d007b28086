"""Business-value components: tiles, sentences, the KPI table, the chart, the benchmark form."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from portal import clock
from portal.charts import MoneyPoint, value_over_time_chart
from portal.config import Settings
from portal.domain.value import (
    AGGREGATIONS,
    DIRECTIONS,
    KPI_MAX,
    RATIONALE_MAX,
    UNIT_MAX,
    BenchmarkDraft,
    KpiValue,
    MonthMoney,
    Portfolio,
)
from portal.services.identity import Identity
from portal.services.value import ValueService, changes_between
from portal.text import wording
from portal.text.format import (
    format_date,
    format_money,
    format_number,
    format_percent,
    markdown_literal,
    without_bidi_controls,
)
from portal.ui import tables
from portal.ui.forms import attempt
from portal.ui.session import language, t

_SAVED = "value.saved_message"


def tiles(portfolio: Portfolio, settings: Settings) -> None:
    """Money promised and realized, and how many models are off track."""
    promised, realized, off_track = st.columns(3)
    promised.metric(
        t("value.promised_money"),
        _money(portfolio.promised_money, settings.currency),
        help=t("value.promised_money_help"),
    )
    realized.metric(
        t("value.realized_money"),
        _money(portfolio.realized_money, settings.currency),
        help=t("value.realized_money_help"),
    )
    off_track_tile(off_track, portfolio, settings)


def overview_tiles(quarter: Portfolio, settings: Settings) -> None:
    """The overview's value line: money realized of promised in the quarter, models off track."""
    value, off_track, _ = st.columns([1.2, 1, 1.8])
    value.metric(
        t("value.tile_quarter"),
        _money(quarter.realized_money, settings.currency),
        delta=t("value.tile_of", promised=_money(quarter.promised_money, settings.currency))
        if quarter.promised_money is not None
        else None,
        delta_color="off",
        delta_arrow="off",
        help=t("value.tile_quarter_help"),
    )
    off_track_tile(off_track, quarter, settings)


def off_track_tile(column, portfolio: Portfolio, settings: Settings) -> None:
    """How many models have a KPI below the off-track share of its promise (the domain's rule)."""
    column.metric(
        t("value.off_track"),
        len(portfolio.off_track_models),
        help=t(
            "value.off_track_help",
            threshold=format_percent(language(), settings.value_off_track),
        ),
    )


def _money(amount: float | None, currency: str) -> str:
    return format_money(language(), amount, currency) if amount is not None else "–"


def sentence(row: KpiValue, first: date, last: date) -> str:
    """One plain sentence on a model's KPI over the period."""
    return wording.value_sentence(language(), row, first, last)


def sentences(portfolio: Portfolio) -> None:
    """A plain sentence per model and KPI, with the months that had no data."""
    for row in portfolio.rows:
        text = sentence(row, portfolio.first, portfolio.last)
        if row.summary.months_missing and row.summary.status != "no_data":
            text += " " + t("value.missing_months", count=row.summary.months_missing)
        icon = {
            "on_track": ":material/check_circle:",
            "at_risk": ":material/warning:",
            "off_track": ":material/error:",
        }.get(row.summary.status, ":material/info:")
        st.markdown(f"{icon} {markdown_literal(text)}")


def kpi_table(portfolio: Portfolio, currency: str) -> None:
    """Per model and KPI: promised and realized improvement, attainment, status, trend, money."""
    lang = language()
    tables.dataframe(
        [
            {
                "model": row.model_name,
                "kpi": f"{row.kpi} ({row.unit})" if row.unit else row.kpi,
                "promised": _number(lang, row.summary.promised_uplift),
                "realized": _number(lang, row.summary.realized_uplift),
                "attainment": round(row.summary.attainment * 100)
                if row.summary.attainment is not None
                else None,
                "status": t(f"status_value.{row.summary.status}"),
                "trend": [value for value in row.trend if value is not None],
                "money": format_money(lang, row.summary.realized_money, currency)
                if row.summary.realized_money is not None
                else "",
                "months": row.summary.months_with_data,
            }
            for row in portfolio.rows
        ],
        hide_index=True,
        column_config={
            "model": t("value.col_model"),
            "kpi": t("value.col_kpi"),
            "promised": t("value.col_promised"),
            "realized": t("value.col_realized"),
            "attainment": st.column_config.NumberColumn(t("value.col_attainment"), format="%d %%"),
            "status": t("value.col_status"),
            "trend": st.column_config.LineChartColumn(t("value.col_trend")),
            "money": t("value.col_money"),
            "months": t("value.col_months"),
        },
    )


def money_chart(months: tuple[MonthMoney, ...], currency: str, cumulative: bool) -> None:
    """Realized against promised money per month, or added up."""
    if all(month.realized is None for month in months):
        st.caption(t("value.chart_empty"))
        return
    figure = value_over_time_chart(
        [MoneyPoint(datetime(m.year, m.month, 1), r, p) for m, r, p in months],
        t("value.chart_realized"),
        t("value.chart_promised"),
        cumulative,
        currency,
    )
    st.plotly_chart(figure, config={"displayModeBar": False})


def model_section(
    model_name: str, actor: Identity, service: ValueService, portfolio: Portfolio
) -> None:
    """The model card's value section: sentences, promise history, and the owners' form."""
    st.subheader(t("value.card_section"))
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    rows = [row for row in portfolio.rows if row.model_name == model_name]
    if rows:
        for row in rows:
            st.markdown(markdown_literal(sentence(row, portfolio.first, portfolio.last)))
    else:
        st.caption(t("value.card_empty"))
    history = service.benchmark_history(model_name)
    if history:
        with st.expander(t("value.history"), icon=":material/history:"):
            benchmark_history(history)
    if service.may_set_benchmark(actor, model_name):
        with st.expander(t("value.form"), icon=":material/flag:"):
            benchmark_form(model_name, actor, service)


def benchmark_history(history: list[dict]) -> None:
    """Every version of every promise, with what each revision changed."""
    lang = language()
    previous: dict[str, dict] = {}
    for row in history:
        line = t(
            "value.history_line",
            kpi=row["kpi"],
            version=row["version"],
            valid_from=format_date(lang, datetime.combine(row["valid_from"], datetime.min.time())),
            baseline=format_number(lang, row["baseline"]),
            target=format_number(lang, row["target"]),
            unit=row["unit"],
            direction=t(f"direction.{row['direction']}"),
            by=row["set_by"],
            on=format_date(lang, row["set_at"]),
            rationale=row["rationale"],
        )
        st.text(without_bidi_controls(line))
        before = previous.get(row["kpi"])
        if before is not None:
            for change in changes_between(before, row):
                st.caption(
                    markdown_literal(
                        t(
                            "value.history_change",
                            field=t(f"value_field.{change.field}"),
                            before=change.before,
                            after=change.after,
                        )
                    )
                )
        previous[row["kpi"]] = row


def benchmark_form(model_name: str, actor: Identity, service: ValueService) -> None:
    """Owners set a promise; a changed promise becomes a new version."""
    st.caption(t("value.form_intro"))
    with st.form(f"value.benchmark.{model_name}"):
        kpi = st.text_input(t("value.kpi"), max_chars=KPI_MAX)
        baseline_column, target_column = st.columns(2)
        baseline = baseline_column.number_input(t("value.baseline"), value=None, format="%g")
        target = target_column.number_input(t("value.target"), value=None, format="%g")
        direction_column, aggregation_column = st.columns(2)
        direction = direction_column.selectbox(
            t("value.direction"), DIRECTIONS, format_func=lambda d: t(f"direction.{d}")
        )
        aggregation = aggregation_column.selectbox(
            t("value.aggregation"), AGGREGATIONS, format_func=lambda a: t(f"aggregation.{a}")
        )
        unit_column, money_column = st.columns(2)
        unit = unit_column.text_input(t("value.unit_label"), max_chars=UNIT_MAX)
        money = money_column.number_input(
            t("value.money", currency=service.settings.currency), value=None, format="%g"
        )
        rationale = st.text_area(t("value.rationale"), height=90, max_chars=RATIONALE_MAX)
        valid_from = st.date_input(t("value.valid_from"), value=clock.today().replace(day=1))
        saved = st.form_submit_button(t("value.save"), type="primary")
    if not saved:
        return
    draft = BenchmarkDraft(
        kpi, baseline, target, direction, aggregation, unit, money, rationale, valid_from
    )
    done, version = attempt(lambda: service.set_benchmark(actor, model_name, draft), "value_field")
    if not done:
        return
    st.session_state[_SAVED] = t("value.saved", version=version)
    st.rerun()


def _number(lang: str, value: float | None) -> str:
    return format_number(lang, value) if value is not None else "–"


def upload(actor: Identity, service: ValueService) -> None:
    """Admins load a KPI file; every rejected row is listed, nothing loads unless all is right."""
    st.caption(t("kpi_upload.intro"))
    with st.form("kpi_upload.form", clear_on_submit=False):
        uploaded = st.file_uploader(t("kpi_upload.file"), type=["csv", "txt", "parquet", "xlsx"])
        sent = st.form_submit_button(t("kpi_upload.load"), type="primary")
    if sent and uploaded is not None:
        done, outcome = attempt(
            lambda: service.load_kpis(actor, uploaded.getvalue(), uploaded.name, "upload"),
            "kpi_upload",
        )
        if not done:
            return
        if outcome.loaded:
            st.success(
                t(
                    "kpi_upload.loaded",
                    file=markdown_literal(uploaded.name),
                    rows=outcome.rows_in_file,
                    added=outcome.rows_added,
                    replaced=outcome.rows_replaced,
                    unchanged=outcome.rows_unchanged,
                ),
                icon=":material/check_circle:",
            )
        else:
            st.error(
                t(
                    "kpi_upload.rejected",
                    count=len(outcome.rejects),
                    file=markdown_literal(uploaded.name),
                )
            )
            rejects_table(outcome.rejects)
    loads = service.value.loads(10)
    if loads:
        st.markdown(f"**{t('kpi_upload.recent')}**")
        lang = language()
        tables.dataframe(
            [
                {
                    t("kpi_upload.col_when"): format_date(lang, row["loaded_at"]),
                    t("kpi_upload.col_who"): row["loaded_by"],
                    t("kpi_upload.col_file"): row["file_name"],
                    t("kpi_upload.col_channel"): row["channel"],
                    t("kpi_upload.col_added"): row["rows_added"],
                    t("kpi_upload.col_replaced"): row["rows_replaced"],
                    t("kpi_upload.col_unchanged"): row["rows_unchanged"],
                }
                for row in loads
            ],
            hide_index=True,
        )


def rejects_table(rejects: tuple) -> None:
    """Rejected rows with line, column, reason, the value and a hint."""
    tables.dataframe(
        [
            {
                t("kpi_upload.col_line"): reject.line or None,
                t("kpi_upload.col_column"): reject.column,
                t("kpi_upload.col_problem"): _reject_text(reject.code),
                t("kpi_upload.col_value"): reject.value,
                t("kpi_upload.col_detail"): reject.detail,
            }
            for reject in rejects
        ],
        hide_index=True,
    )


def _reject_text(code: str) -> str:
    text = t(f"kpi_reject.{code}")
    return code if text == f"kpi_reject.{code}" else text
