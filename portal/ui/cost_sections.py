"""Cost components: net value and return on investment beside the value, the running-cost form
on the model card, and budget against development cost on a use case."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from portal import clock
from portal.domain.costs import Returns, UseCaseReturn, budget_left, budget_share
from portal.domain.value import first_of_month
from portal.runtime import current_runtime
from portal.services.costs import CostMonth, CostService
from portal.services.identity import Identity
from portal.text.format import (
    format_money,
    format_percent,
    format_period,
    markdown_literal,
)
from portal.ui import data, inputs, tables
from portal.ui.forms import attempt
from portal.ui.people import name_of
from portal.ui.session import language, t

_SAVED = "costs.saved_message"
LOSING_SHOWN = 5  # sentences on the value page; the table holds every model's net value


def cost_service() -> CostService:
    """The cost service over the process's store."""
    runtime = current_runtime()
    return CostService(runtime.store, runtime.settings)


def returns(
    first: date, last: date, units: tuple[str, ...] = (), processes: tuple[str, ...] = ()
) -> Returns:
    """Net value and ROI over first..last for the models in the units and processes (cached
    per data version, like the value portfolio it is built from)."""
    return _returns(data.catalog_service().data_version(), first, last, units, processes)


# A resource, not data: at 1,000 models a copy on every access would cost more than the page;
# Returns is frozen (tuples of frozen records).
@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _returns(
    data_version: int, first: date, last: date, units: tuple[str, ...], processes: tuple[str, ...]
) -> Returns:
    scope = None
    if units or processes:
        scope = {
            row.name
            for row in data.inventory()
            if (not units or row.business_unit in units)
            and (not processes or row.business_process in processes)
        }
    return cost_service().returns(data.portfolio(first, last, units, processes), scope)


def money(amount: float | None, currency: str) -> str:
    """An amount in the reader's format, or 'not known'."""
    if amount is None:
        return t("costs.not_known")
    return format_money(language(), amount, currency)


def share(value: float | None) -> str:
    """A return on investment as a percentage, or 'not known'."""
    return t("costs.not_known") if value is None else format_percent(language(), value)


def tiles(figures: Returns, currency: str, cost_kpi: str) -> None:
    """The value page's second line: cost, net value and ROI of the period."""
    cost, net, roi = st.columns(3)
    cost.metric(
        t("costs.tile_cost"),
        money(figures.total_cost, currency),
        help=t("costs.tile_cost_help", kpi=cost_kpi),
    )
    net.metric(t("costs.tile_net"), money(figures.net, currency), help=t("costs.tile_net_help"))
    roi.metric(t("costs.tile_roi"), share(figures.roi), help=t("costs.tile_roi_help"))


def losing(figures: Returns, currency: str) -> None:
    """A sentence for each model that costs more than it brings, the largest loss first."""
    if not figures.losing:
        return
    lang = language()
    period = format_period(lang, figures.first, figures.last)
    st.subheader(t("costs.losing_title"))
    for model in figures.losing[:LOSING_SHOWN]:
        text = t(
            "costs.losing",
            model=model.model_name,
            cost=money(model.running_cost, currency),
            realized=money(model.realized, currency),
            loss=money(-(model.net or 0.0), currency),
            period=period,
        )
        st.markdown(f":material/trending_down: {markdown_literal(text)}")
    if len(figures.losing) > LOSING_SHOWN:
        st.caption(t("costs.losing_more", count=len(figures.losing) - LOSING_SHOWN))


def overview_figure(column, quarter: Returns, currency: str) -> None:
    """The overview's one cost figure: net value of the last three months, ROI beneath."""
    column.metric(
        t("costs.overview_net"),
        money(quarter.net, currency),
        delta=t("costs.overview_roi", roi=share(quarter.roi)) if quarter.roi is not None else None,
        delta_color="off",
        delta_arrow="off",
        help=t("costs.overview_net_help"),
    )


def model_section(model_name: str, actor: Identity, first: date, last: date) -> None:
    """The card's cost lines: running cost a month, net value and ROI; the owners' form."""
    service = cost_service()
    currency = service.settings.currency
    st.subheader(t("costs.card_title"))
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    figures = returns(first, last).of(model_name)
    running = figures.running if figures else None
    if running is None:
        st.markdown(t("costs.card_running_none"))
    else:
        st.markdown(
            t(
                "costs.card_running",
                amount=money(running.per_month, currency),
                months=running.months,
            )
        )
        if figures.net is None:
            st.caption(t("costs.card_net_unknown"))
        else:
            st.markdown(
                t(
                    "costs.card_net",
                    net=money(figures.net, currency),
                    realized=money(figures.realized, currency),
                    cost=money(figures.running_cost, currency),
                )
            )
            st.caption(t("costs.card_roi", roi=share(figures.roi)))
        if figures.costs_more_than_it_brings:
            st.warning(
                t("costs.card_losing", loss=money(-(figures.net or 0.0), currency)),
                icon=":material/trending_down:",
            )
    months = service.running_cost_months(model_name)
    if months:
        with st.expander(t("costs.card_months"), icon=":material/receipt_long:"):
            months_table(months, currency)
    if service.may_set_running_cost(actor, model_name):
        with st.expander(t("costs.form"), icon=":material/payments:"):
            st.caption(t("costs.form_intro", currency=currency, kpi=service.settings.cost_kpi))
            month, amount, _ = _cost_inputs(f"costs.running.{model_name}", with_note=False)
            if month is not False:
                done, _ = attempt(
                    lambda: service.set_running_cost(actor, model_name, month, amount),
                    "cost_field",
                )
                if done:
                    _saved(month)


def use_case_section(use_case_key: str, actor: Identity) -> None:
    """A use case's budget against its development cost, its net value, and the owners' form."""
    service = cost_service()
    currency = service.settings.currency
    st.subheader(t("costs.uc_title"))
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(saved, icon=":material/check_circle:")
    quarter = data.value_period("quarter")
    figures = (
        next(
            (u for u in returns(*quarter).use_cases if u.costs.key == use_case_key),
            None,
        )
        if quarter
        else None
    )
    if figures is not None:
        st.markdown(markdown_literal(budget_line(figures, currency)))
        if figures.net is None:
            st.caption(t("costs.uc_net_unknown"))
        else:
            st.caption(
                t(
                    "costs.uc_net",
                    net=money(figures.net, currency),
                    realized=money(figures.realized, currency),
                    cost=money(figures.total_cost, currency),
                )
            )
    months = service.development_cost_months(use_case_key)
    if months:
        months_table(months, currency, with_note=True)
    if service.may_set_development_cost(actor, use_case_key):
        with st.expander(t("costs.uc_form"), icon=":material/payments:"):
            st.caption(t("costs.uc_form_intro", currency=currency))
            month, amount, note = _cost_inputs(f"costs.development.{use_case_key}", with_note=True)
            if month is not False:
                done, _ = attempt(
                    lambda: service.set_development_cost(actor, use_case_key, month, amount, note),
                    "cost_field",
                )
                if done:
                    _saved(month)


def budget_line(figures: UseCaseReturn, currency: str) -> str:
    """Budget against what was spent, over budget said in words."""
    costs = figures.costs
    if costs.spent_total is None:
        return t("costs.uc_nothing")
    spent = money(costs.spent_total, currency)
    left = budget_left(costs)
    if left is None:
        return t("costs.uc_no_budget", spent=spent)
    budget = money(costs.budget, currency)
    if left < 0:
        return t("costs.uc_over", spent=spent, budget=budget, over=money(-left, currency))
    return t(
        "costs.uc_budget",
        budget=budget,
        spent=spent,
        share=share(budget_share(costs)),
        left=money(left, currency),
    )


def months_table(months: tuple[CostMonth, ...], currency: str, with_note: bool = False) -> None:
    """Costs per month, newest first."""
    lang = language()
    rows = []
    for month in months:
        row = {
            t("costs.col_month"): format_period(lang, month.month, month.month),
            t("costs.col_amount", currency=currency): round(month.amount),
        }
        if with_note:
            row[t("costs.col_note")] = month.note
            row[t("costs.col_by")] = name_of(month.entered_by) if month.entered_by else ""
        rows.append(row)
    amount = t("costs.col_amount", currency=currency)
    tables.dataframe(
        rows,
        hide_index=True,
        column_config={amount: st.column_config.NumberColumn(amount, format="localized")},
    )


def _cost_inputs(key: str, with_note: bool) -> tuple:
    """A month, an amount and (optionally) a note; (False, …) until the form is sent."""
    with st.form(key):
        month_column, amount_column = st.columns(2)
        month = inputs.date_input(
            month_column, t("cost_field.month"), value=_last_month(), key=f"{key}.month"
        )
        amount = amount_column.number_input(
            t("cost_field.amount"), value=None, min_value=0.0, format="%g", key=f"{key}.amount"
        )
        note = (
            st.text_input(t("cost_field.note"), max_chars=500, key=f"{key}.note")
            if with_note
            else ""
        )
        sent = st.form_submit_button(t("costs.save"), type="primary")
    if not sent:
        return False, None, ""
    return month, amount, note


def _last_month() -> date:
    """The month a cost is usually entered for: the last full one."""
    return first_of_month(clock.today().replace(day=1) - timedelta(days=1))


def _saved(month: date) -> None:
    st.session_state[_SAVED] = t("costs.saved", month=format_period(language(), month, month))
    st.rerun()
