"""Cost against value: net value and return on investment per model, use case and portfolio.

A figure that cannot be known (no cost entered, no value measured in money) is None and is
shown as "not known": a missing cost never reads as zero, and no division is made by zero.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from portal.domain.validation import Problem
from portal.domain.value import Portfolio

NOTE_MAX = 500


def net_value(realized: float | None, cost: float | None) -> float | None:
    """Value realized minus what it cost; None unless both are known."""
    if realized is None or cost is None:
        return None
    return realized - cost


def return_on_investment(realized: float | None, cost: float | None) -> float | None:
    """(realized − cost) / cost, as a share (0.5 = 50 %); None without value or cost (a cost
    of zero included: nothing was invested to return on)."""
    if realized is None or cost is None or cost <= 0:
        return None
    return (realized - cost) / cost


def _total(amounts: Iterable[float | None]) -> float | None:
    """The sum of the known amounts; None when none is known."""
    known = [amount for amount in amounts if amount is not None]
    return sum(known) if known else None


@dataclass(frozen=True)
class RunningCost:
    """A model's running cost over a period: the sum and how many months it covers."""

    total: float
    months: int

    @property
    def per_month(self) -> float:
        """The average month's running cost."""
        return self.total / self.months if self.months else 0.0


@dataclass(frozen=True)
class ModelReturn:
    """One model over a period: money realized, its running cost, and what remains."""

    model_name: str
    realized: float | None  # None: no KPI of the model has a money value
    running: RunningCost | None  # None: no running cost entered for the period

    @property
    def running_cost(self) -> float | None:
        return None if self.running is None else self.running.total

    @property
    def net(self) -> float | None:
        return net_value(self.realized, self.running_cost)

    @property
    def roi(self) -> float | None:
        return return_on_investment(self.realized, self.running_cost)

    @property
    def costs_more_than_it_brings(self) -> bool:
        return self.net is not None and self.net < 0


@dataclass(frozen=True)
class UseCaseCosts:
    """What a use case was given and spent on development: budget, in the period, in all."""

    key: str
    title: str
    budget: float | None
    spent_in_period: float | None  # None: nothing entered for the period's months
    spent_total: float | None  # None: nothing entered at all
    models: tuple[str, ...]


@dataclass(frozen=True)
class UseCaseReturn:
    """A use case over a period: its models' net value minus the development cost spent."""

    costs: UseCaseCosts
    realized: float | None
    running_cost: float | None

    @property
    def total_cost(self) -> float | None:
        return _total((self.running_cost, self.costs.spent_in_period))

    @property
    def net(self) -> float | None:
        return net_value(self.realized, self.total_cost)

    @property
    def roi(self) -> float | None:
        return return_on_investment(self.realized, self.total_cost)


def budget_left(costs: UseCaseCosts) -> float | None:
    """Budget minus everything spent (negative: over budget); None without a budget."""
    if costs.budget is None:
        return None
    return costs.budget - (costs.spent_total or 0.0)


def budget_share(costs: UseCaseCosts) -> float | None:
    """Spent as a share of the budget; None without a budget above zero."""
    if costs.budget is None or costs.budget <= 0:
        return None
    return (costs.spent_total or 0.0) / costs.budget


@dataclass(frozen=True)
class Returns:
    """Every model's and use case's return over one period, with the portfolio's totals."""

    first: date
    last: date
    models: tuple[ModelReturn, ...]
    use_cases: tuple[UseCaseReturn, ...]

    @property
    def realized(self) -> float | None:
        return _total(m.realized for m in self.models)

    @property
    def running_cost(self) -> float | None:
        return _total(m.running_cost for m in self.models)

    @property
    def development_cost(self) -> float | None:
        return _total(u.costs.spent_in_period for u in self.use_cases)

    @property
    def total_cost(self) -> float | None:
        return _total((self.running_cost, self.development_cost))

    @property
    def net(self) -> float | None:
        return net_value(self.realized, self.total_cost)

    @property
    def roi(self) -> float | None:
        return return_on_investment(self.realized, self.total_cost)

    @property
    def losing(self) -> tuple[ModelReturn, ...]:
        """Models that cost more than they bring, the largest loss first."""
        return tuple(
            sorted(
                (m for m in self.models if m.costs_more_than_it_brings),
                key=lambda m: (m.net, m.model_name.casefold()),
            )
        )

    def of(self, model_name: str) -> ModelReturn | None:
        """One model's return, or None when it has neither value nor cost in the period."""
        return next((m for m in self.models if m.model_name == model_name), None)


def realized_by_model(portfolio: Portfolio) -> dict[str, float]:
    """Money realized per model over the portfolio's period, over its KPIs with a money value."""
    realized: dict[str, float] = defaultdict(float)
    for row in portfolio.rows:
        if row.summary.realized_money is not None:
            realized[row.model_name] += row.summary.realized_money
    return dict(realized)


def returns_of(
    portfolio: Portfolio,
    running: Mapping[str, RunningCost],
    use_cases: Iterable[UseCaseCosts],
    scope: Collection[str] | None = None,
) -> Returns:
    """Value against cost over the portfolio's period, for the models in scope (None: all)
    and the use cases any of whose models are in scope (all of them without a scope)."""
    realized = realized_by_model(portfolio)
    names = set(realized) | set(running)
    if scope is not None:
        names &= set(scope)
    models = tuple(
        ModelReturn(name, realized.get(name), running.get(name))
        for name in sorted(names, key=str.casefold)
    )
    chosen = [u for u in use_cases if scope is None or any(model in scope for model in u.models)]
    return Returns(
        portfolio.first,
        portfolio.last,
        models,
        tuple(
            UseCaseReturn(
                u,
                _total(realized.get(model) for model in u.models),
                _total(running[m].total for m in u.models if m in running),
            )
            for u in chosen
        ),
    )


def check_cost(month: date | None, amount: float | None, note: str = "") -> tuple[Problem, ...]:
    """Every problem with a month's cost as typed; empty when it can be stored."""
    problems = []
    if month is None:
        problems.append(Problem("month", "required"))
    if amount is None:
        problems.append(Problem("amount", "required"))
    elif not math.isfinite(amount):
        problems.append(Problem("amount", "not_a_number"))
    elif amount < 0:
        problems.append(Problem("amount", "cost_negative"))
    if len(note) > NOTE_MAX:
        problems.append(Problem("note", "too_long", NOTE_MAX))
    return tuple(problems)
