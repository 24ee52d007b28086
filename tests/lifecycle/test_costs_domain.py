"""Net value and return on investment: what remains of the value once the costs are paid."""

from __future__ import annotations

from datetime import date

from portal.domain.costs import (
    ModelReturn,
    RunningCost,
    UseCaseCosts,
    budget_left,
    budget_share,
    check_cost,
    net_value,
    return_on_investment,
    returns_of,
)
from portal.domain.validation import Problem
from portal.domain.value import KpiValue, ValueSummary, portfolio_of

FIRST, LAST = date(2026, 7, 1), date(2026, 9, 1)


def _row(model: str, realized_money: float | None) -> KpiValue:
    summary = ValueSummary(1.0, 1.0, 1.0, "on_track", 3, 0, realized_money, realized_money)
    return KpiValue(model, "kpi", "", "higher", "sum", "", "", 0.0, 1.0, 1, summary, ())


def test_net_value_needs_both_value_and_cost():
    assert net_value(10_000, 4_000) == 6_000
    assert net_value(None, 4_000) is None  # no value measured in money: not known
    assert net_value(10_000, None) is None  # no cost entered: never read as free


def test_return_on_investment_never_divides_by_zero():
    assert return_on_investment(15_000, 10_000) == 0.5
    assert return_on_investment(5_000, 10_000) == -0.5
    assert return_on_investment(15_000, 0.0) is None
    assert return_on_investment(None, 10_000) is None
    assert return_on_investment(15_000, None) is None


def test_a_model_that_costs_more_than_it_brings_is_named_first_by_its_loss():
    portfolio = portfolio_of(
        FIRST, LAST, [_row("a", 30_000), _row("a", 6_000), _row("b", 9_000), _row("c", None)]
    )
    running = {"a": RunningCost(9_000, 3), "b": RunningCost(12_000, 3), "d": RunningCost(1, 1)}
    returns = returns_of(portfolio, running, ())
    a, b = returns.of("a"), returns.of("b")
    assert a.realized == 36_000 and a.net == 27_000 and a.roi == 3.0
    assert a.running.per_month == 3_000
    assert b.net == -3_000 and b.costs_more_than_it_brings
    assert returns.of("c") is None  # neither money nor cost in the period
    assert returns.of("d").realized is None and returns.of("d").net is None
    assert [m.model_name for m in returns.losing] == ["b"]
    assert returns.realized == 45_000 and returns.running_cost == 21_001
    assert returns.net == 45_000 - 21_001


def test_the_portfolio_counts_development_cost_and_a_scope_keeps_its_use_cases():
    portfolio = portfolio_of(FIRST, LAST, [_row("a", 20_000), _row("b", 5_000)])
    running = {"a": RunningCost(4_000, 2), "b": RunningCost(1_000, 1)}
    cases = [
        UseCaseCosts("keep", "Keep", 50_000.0, 6_000.0, 60_000.0, ("a",)),
        UseCaseCosts("new", "New", None, 10_000.0, 10_000.0, ()),
    ]
    everything = returns_of(portfolio, running, cases)
    assert everything.development_cost == 16_000 and everything.total_cost == 21_000
    assert everything.roi == (25_000 - 21_000) / 21_000
    keep = everything.use_cases[0]
    assert keep.total_cost == 10_000 and keep.net == 10_000 and keep.roi == 1.0
    new = everything.use_cases[1]
    assert new.realized is None and new.net is None and new.roi is None
    scoped = returns_of(portfolio, running, cases, scope={"a"})
    assert [m.model_name for m in scoped.models] == ["a"]
    assert [u.costs.key for u in scoped.use_cases] == ["keep"]
    assert scoped.net == 20_000 - 4_000 - 6_000


def test_nothing_known_is_not_known_not_zero():
    returns = returns_of(portfolio_of(FIRST, LAST, []), {}, ())
    assert returns.models == () and returns.losing == ()
    assert returns.realized is None and returns.total_cost is None
    assert returns.net is None and returns.roi is None
    assert ModelReturn("x", 0.0, RunningCost(0.0, 1)).roi is None


def test_budget_left_and_over_budget():
    within = UseCaseCosts("k", "K", 100_000.0, None, 40_000.0, ())
    over = UseCaseCosts("k", "K", 100_000.0, None, 130_000.0, ())
    unplanned = UseCaseCosts("k", "K", None, None, 5_000.0, ())
    assert budget_left(within) == 60_000 and budget_share(within) == 0.4
    assert budget_left(over) == -30_000 and budget_share(over) == 1.3
    assert budget_left(unplanned) is None and budget_share(unplanned) is None
    assert budget_share(UseCaseCosts("k", "K", 0.0, None, None, ())) is None


def test_a_cost_needs_a_month_and_a_number_not_below_zero():
    assert check_cost(date(2026, 9, 1), 1_200.0) == ()
    assert check_cost(None, None) == (Problem("month", "required"), Problem("amount", "required"))
    assert check_cost(date(2026, 9, 1), float("nan")) == (Problem("amount", "not_a_number"),)
    assert check_cost(date(2026, 9, 1), -1.0) == (Problem("amount", "cost_negative"),)
    assert check_cost(date(2026, 9, 1), 1.0, "x" * 501) == (Problem("note", "too_long", 500),)
