"""Business-value components: tiles, sentences, the KPI table, the chart, the benchmark form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import streamlit as st

from portal import clock
from portal.charts import MoneyPoint, value_over_time_chart
from portal.config import Settings
from portal.domain.costs import Returns
from portal.domain.value import (
    AGGREGATIONS,
    DIRECTIONS,
    KPI_MAX,
    RATIONALE_MAX,
    TABLE_ORDERS,
    UNIT_MAX,
    VALUE_STATUSES,
    BenchmarkDraft,
    KpiValue,
    MonthMoney,
    Portfolio,
    matching,
    most_consequential,
    ordered,
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
from portal.ui import inputs, navigation, tables
from portal.ui.forms import attempt
from portal.ui.session import language, person_label, t

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


def overview_tiles(quarter: Portfolio, settings: Settings):
    """The overview's value line: money realized of promised in the quarter, models off track;
    returns the line's free column (the overview puts the net value there)."""
    value, off_track, spare = st.columns([1.2, 1, 1.8])
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
    return spare


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


SENTENCES_SHOWN = 10  # the most consequential; the table holds every KPI


def sentences(portfolio: Portfolio) -> None:
    """A plain sentence per model and KPI, the most consequential first, with the months that
    had no data; past SENTENCES_SHOWN the table and its drill-down hold the rest."""
    shown = most_consequential(portfolio.rows, SENTENCES_SHOWN)
    for row in shown:
        _sentence_line(row, portfolio)
    if len(portfolio.rows) > len(shown):
        st.caption(t("value_table.sentences_more", shown=len(shown), total=len(portfolio.rows)))


def _sentence_line(row: KpiValue, portfolio: Portfolio) -> None:
    text = sentence(row, portfolio.first, portfolio.last)
    if row.summary.months_missing and row.summary.status != "no_data":
        text += " " + t("value.missing_months", count=row.summary.months_missing)
    icon = {
        "on_track": ":material/check_circle:",
        "at_risk": ":material/warning:",
        "off_track": ":material/error:",
    }.get(row.summary.status, ":material/info:")
    st.markdown(f"{icon} {markdown_literal(text)}")


def kpi_table(portfolio: Portfolio, currency: str, returns: Returns | None = None) -> None:
    """Per model and KPI: money realized and promised, attainment, status and trend, found by
    a search and a status filter, in a chosen order; a chosen row opens its model's details.
    With returns, each row also shows its model's net value and ROI."""
    search_column, status_column, order_column = st.columns([1.2, 1.1, 1.2])
    search = search_column.text_input(
        t("value_table.table_search"), key="value.table_search", max_chars=KPI_MAX
    )
    # The options are the words themselves: a widget keeps no function of the session's language.
    words = {s: t(f"status_value.{s}") for s in VALUE_STATUSES}
    status_words = {word: s for s, word in words.items()}
    statuses = inputs.multiselect(
        status_column, t("value_table.table_status"), list(status_words), key="value.table_statuses"
    )
    order_words = {t(f"value_table.order_{o}"): o for o in TABLE_ORDERS}
    order = inputs.selectbox(
        order_column, t("value_table.table_order"), list(order_words), key="value.table_order"
    )
    rows = ordered(
        matching(portfolio.rows, search, [status_words[word] for word in statuses]),
        order_words.get(order, TABLE_ORDERS[0]),
    )
    if not rows:
        st.info(t("value_table.table_none"))
        return
    st.caption(
        t(
            "value_table.table_count",
            shown=len(rows),
            total=len(portfolio.rows),
            currency=currency,
        )
    )
    picked = tables.dataframe(
        [
            {
                "model": row.model_name,
                "kpi": f"{row.kpi} ({row.unit})" if row.unit else row.kpi,
                "status": words[row.summary.status],
                "realized": _whole(row.summary.realized_money),
                "promised": _whole(row.summary.promised_money),
                "attainment": round(row.summary.attainment * 100)
                if row.summary.attainment is not None
                else None,
                "trend": [value for value in row.trend if value is not None],
                "net": _whole(model.net) if model else None,
                "roi": round(model.roi * 100) if model and model.roi is not None else None,
            }
            for row in rows
            for model in [returns.of(row.model_name) if returns else None]
        ],
        hide_index=True,
        key="value.table",
        on_select="rerun",
        selection_mode="single-row",
        placeholder="–",
        column_config={
            # Widths in pixels that add up to the main column of a 1280-pixel screen.
            "model": st.column_config.TextColumn(t("value.col_model"), width=135),
            "kpi": st.column_config.TextColumn(t("value.col_kpi"), width=115),
            "status": st.column_config.TextColumn(t("value.col_status"), width=80),
            "realized": st.column_config.NumberColumn(
                t("value_table.col_money_realized"),
                help=t("value_table.col_money_realized_help", currency=currency),
                format="localized",
                width=85,
            ),
            "promised": st.column_config.NumberColumn(
                t("value_table.col_money_promised"),
                help=t("value_table.col_money_promised_help", currency=currency),
                format="localized",
                width=85,
            ),
            "attainment": st.column_config.ProgressColumn(
                t("value.col_attainment"),
                help=t("value_table.col_attainment_help"),
                format="%d %%",
                min_value=0,
                max_value=100,
                width=80,
            ),
            "trend": st.column_config.LineChartColumn(t("value.col_trend"), width=55),
            "net": st.column_config.NumberColumn(
                t("costs.col_net"),
                help=t("costs.col_net_help", currency=currency),
                format="localized",
                width=85,
            ),
            "roi": st.column_config.NumberColumn(
                t("costs.col_roi"), help=t("costs.col_roi_help"), format="%d %%", width=60
            ),
        },
    )
    chosen = _picked_row(picked, rows)
    if chosen is None:
        st.caption(t("value_table.table_pick"))
    else:
        _drill_down(chosen, portfolio, currency)
    # Drawn only when opened: at 1,000 models a second table costs the page its time budget.
    units = st.expander(
        t("value_table.table_units"),
        icon=":material/straighten:",
        key="value.units_open",
        on_change="rerun",
    )
    if units.open:
        with units:
            units_table(rows)


def _picked_row(picked, rows: list[KpiValue]) -> KpiValue | None:
    selected = getattr(getattr(picked, "selection", None), "rows", None) or []
    return rows[selected[0]] if selected and selected[0] < len(rows) else None


def _drill_down(row: KpiValue, portfolio: Portfolio, currency: str) -> None:
    """One chosen KPI: its sentence, its money in the period, and the way to its model card."""
    lang = language()
    with st.container(border=True):
        st.markdown(f"**{markdown_literal(row.model_name)}** · {markdown_literal(row.kpi)}")
        _sentence_line(row, portfolio)
        summary = row.summary
        if summary.realized_money is not None and summary.promised_money is not None:
            st.caption(
                t(
                    "value_table.drill_money",
                    realized=format_money(lang, summary.realized_money, currency),
                    promised=format_money(lang, summary.promised_money, currency),
                )
            )
        st.page_link(
            navigation.MODEL_CARD.path,
            label=t("value_table.drill_card"),
            icon=":material/description:",
            query_params={"model": row.model_name},
        )


def units_table(rows: list[KpiValue]) -> None:
    """The improvements in each KPI's own unit and the months with data, for the rows shown."""
    lang = language()
    tables.dataframe(
        [
            {
                "model": row.model_name,
                "kpi": row.kpi,
                "promised": texts[1],
                "realized": texts[0],
                "months": row.summary.months_with_data,
            }
            for row in rows
            for texts in [wording.uplift_texts(lang, row)]
        ],
        hide_index=True,
        column_config={
            "model": t("value.col_model"),
            "kpi": t("value.col_kpi"),
            "promised": t("value.col_promised"),
            "realized": t("value.col_realized"),
            "months": t("value.col_months"),
        },
    )


def _whole(amount: float | None) -> int | None:
    return None if amount is None else round(amount)


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
        language=language(),
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
        lang, currency = language(), service.settings.currency
        for row in rows:
            st.markdown(markdown_literal(sentence(row, portfolio.first, portfolio.last)))
            summary = row.summary
            if summary.realized_money is not None and summary.promised_money is not None:
                st.caption(
                    t(
                        "value_table.drill_money",
                        realized=format_money(lang, summary.realized_money, currency),
                        promised=format_money(lang, summary.promised_money, currency),
                    )
                )
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
            by=person_label(row["set_by"]),
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


def benchmark_form(
    model_name: str,
    actor: Identity,
    service: ValueService,
    save: Callable[[BenchmarkDraft], int] | None = None,
) -> None:
    """Owners set a promise; a changed promise becomes a new version. save stores it for
    something else than the model named (a use case's design-time promise)."""
    st.caption(t("value.form_intro"))
    with st.form(f"value.benchmark.{model_name}"):
        kpi = st.text_input(t("value.kpi"), max_chars=KPI_MAX)
        baseline_column, target_column = st.columns(2)
        baseline = baseline_column.number_input(t("value.baseline"), value=None, format="%g")
        target = target_column.number_input(t("value.target"), value=None, format="%g")
        direction_column, aggregation_column = st.columns(2)
        direction = inputs.selectbox(
            direction_column,
            t("value.direction"),
            DIRECTIONS,
            format_func=lambda d: t(f"direction.{d}"),
        )
        aggregation = inputs.selectbox(
            aggregation_column,
            t("value.aggregation"),
            AGGREGATIONS,
            format_func=lambda a: t(f"aggregation.{a}"),
        )
        unit_column, money_column = st.columns(2)
        unit = unit_column.text_input(t("value.unit_label"), max_chars=UNIT_MAX)
        money = money_column.number_input(
            t("value.money", currency=service.settings.currency), value=None, format="%g"
        )
        rationale = st.text_area(t("value.rationale"), height=90, max_chars=RATIONALE_MAX)
        valid_from = inputs.date_input(
            st, t("value.valid_from"), value=clock.today().replace(day=1)
        )
        saved = st.form_submit_button(t("value.save"), type="primary")
    if not saved:
        return
    draft = BenchmarkDraft(
        kpi, baseline, target, direction, aggregation, unit, money, rationale, valid_from
    )
    store = save or (lambda promise: service.set_benchmark(actor, model_name, promise))
    done, version = attempt(lambda: store(draft), "value_field")
    if not done:
        return
    st.session_state[_SAVED] = t("value.saved", version=version)
    st.rerun()


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
