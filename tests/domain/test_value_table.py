"""The value table at any size: found by text and status, ordered by money or attainment."""

from __future__ import annotations

from portal.domain.value import (
    KpiValue,
    ValueSummary,
    matching,
    most_consequential,
    ordered,
    shortfall,
)


def row(model: str, status: str, realized: float | None, promised: float | None, share=None):
    summary = ValueSummary(1.0, 1.0, share, status, 3, 0, realized, promised)
    return KpiValue(model, "kept", "", "higher", "sum", "", "", 0.0, 1.0, 1, summary, ())


ROWS = [
    row("alpha", "on_track", 900.0, 1000.0, 0.9),
    row("beta", "off_track", 100.0, 1000.0, 0.1),
    row("Gamma", "at_risk", 3000.0, 4500.0, 0.66),
    row("delta", "no_promise", None, None),
]


def names(rows: list[KpiValue]) -> list[str]:
    return [r.model_name for r in rows]


def test_shortfall_is_promised_minus_realized_money():
    assert shortfall(ROWS[2].summary) == 1500.0
    assert shortfall(ROWS[3].summary) is None


def test_orders_put_rows_without_the_figure_last():
    assert names(ordered(ROWS, "shortfall")) == ["Gamma", "beta", "alpha", "delta"]
    assert names(ordered(ROWS, "realized")) == ["Gamma", "alpha", "beta", "delta"]
    assert names(ordered(ROWS, "promised")) == ["Gamma", "alpha", "beta", "delta"]
    assert names(ordered(ROWS, "attainment")) == ["beta", "Gamma", "alpha", "delta"]
    assert names(ordered(ROWS, "model")) == ["alpha", "beta", "delta", "Gamma"]


def test_search_is_case_blind_over_model_and_kpi_and_statuses_filter():
    assert names(matching(ROWS, "gAm")) == ["Gamma"]
    assert names(matching(ROWS, "KEPT")) == names(ROWS)
    assert names(matching(ROWS, "", ["off_track", "at_risk"])) == ["beta", "Gamma"]
    assert matching(ROWS, "zeta") == []


def test_the_most_consequential_come_first_worst_status_then_largest_shortfall():
    many = [*ROWS, row("epsilon", "off_track", 0.0, 5000.0, 0.0)]
    assert names(most_consequential(many, 3)) == ["epsilon", "beta", "Gamma"]
    assert most_consequential([], 10) == []
