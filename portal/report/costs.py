"""Cost in the PDFs: the fact sheet's running cost and net value, the portfolio report's net
value and ROI with the models that cost more than they bring, by name."""

from __future__ import annotations

from reportlab.platypus import Flowable

from portal.domain.costs import ModelReturn, Returns
from portal.report.layout import STYLES, Words, subheading, text
from portal.text.format import format_money, format_percent, format_period

LOSING_NAMED = 5  # models named in the portfolio report; more are counted


def _money(t: Words, amount: float | None, currency: str) -> str:
    return t("costs.not_known") if amount is None else format_money(t.language, amount, currency)


def fact_sheet_section(
    model: ModelReturn | None, returns: Returns | None, t: Words, currency: str
) -> list[Flowable]:
    """One model's running cost over the quarter and its net value, in a line or two."""
    if returns is None:
        return []
    period = format_period(t.language, returns.first, returns.last)
    if model is None or model.running is None:
        return subheading(t("costs.report_title"), text(t("costs.report_none", period=period)))
    lines = [
        text(
            t(
                "costs.report_cost_line",
                period=period,
                cost=_money(t, model.running.total, currency),
                per_month=_money(t, model.running.per_month, currency),
                net=_money(t, model.net, currency),
            )
        )
    ]
    if model.costs_more_than_it_brings:
        lines.append(
            text(t("costs.card_losing", loss=_money(t, -(model.net or 0.0), currency)), STYLES.note)
        )
    return subheading(t("costs.report_title"), *lines)


def portfolio_section(returns: Returns | None, t: Words, currency: str) -> list[Flowable]:
    """Net value and ROI of the quarter, and the models costing more than they bring."""
    if returns is None:
        return []
    roi = t("costs.not_known") if returns.roi is None else format_percent(t.language, returns.roi)
    lines = [
        text(
            t(
                "costs.report_portfolio",
                period=format_period(t.language, returns.first, returns.last),
                net=_money(t, returns.net, currency),
                realized=_money(t, returns.realized, currency),
                running=_money(t, returns.running_cost, currency),
                development=_money(t, returns.development_cost, currency),
                roi=roi,
            )
        )
    ]
    losing = returns.losing
    if losing:
        names = ", ".join(
            f"{m.model_name} ({_money(t, m.net, currency)})" for m in losing[:LOSING_NAMED]
        )
        if len(losing) > LOSING_NAMED:
            names += " " + t("costs.report_losing_more", count=len(losing) - LOSING_NAMED)
        lines.append(text(t("costs.report_losing", models=names), STYLES.note))
    else:
        lines.append(text(t("costs.report_losing_none"), STYLES.note))
    return subheading(t("costs.report_title"), *lines)
