"""Who is responsible for which model, viewed by person, team, business process or data source."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from portal.domain.risk import ModelRisk, RiskPortfolio
from portal.services.identity import Identity

T = TypeVar("T")

ROLES = ("accountable_executive", "business_owner", "technical_owner", "expert")


@dataclass(frozen=True)
class Responsibility:
    """One person's role for one model."""

    person: str
    role: str  # one of ROLES
    model_name: str
    team: str
    business_process: str


def responsibilities(portfolio: RiskPortfolio) -> tuple[Responsibility, ...]:
    """Every (person, role, model), governance roles first."""
    found = []
    for model in portfolio.models:
        people = (
            ("accountable_executive", (model.governance.accountable_executive,)),
            ("business_owner", (model.governance.business_owner,)),
            ("technical_owner", model.technical_owners),
            ("expert", model.experts),
        )
        for role, names in people:
            found += [
                Responsibility(name, role, model.name, model.team, model.business_process)
                for name in names
                if name
            ]
    return tuple(found)


def my_models(portfolio: RiskPortfolio, actor: Identity) -> tuple[Responsibility, ...]:
    """The signed-in person's models and roles (matched by e-mail address)."""
    email = actor.email.strip().casefold()
    if not email:
        return ()
    return tuple(r for r in responsibilities(portfolio) if r.person.casefold() == email)


def by_person(portfolio: RiskPortfolio) -> dict[str, tuple[Responsibility, ...]]:
    """Each person's models and roles, people sorted by address."""
    return _grouped(responsibilities(portfolio), lambda r: (r.person.casefold(),))


def by_team(portfolio: RiskPortfolio) -> dict[str, tuple[ModelRisk, ...]]:
    """Models per team (the `team` tag); '' collects models without one."""
    return _grouped(portfolio.models, lambda m: (m.team,))


def by_process(portfolio: RiskPortfolio) -> dict[str, tuple[ModelRisk, ...]]:
    """Models per business process; '' collects models without one."""
    return _grouped(portfolio.models, lambda m: (m.business_process,))


def by_source(portfolio: RiskPortfolio) -> dict[str, tuple[ModelRisk, ...]]:
    """Models per declared data source (a model with three sources appears three times)."""
    return _grouped(portfolio.models, lambda m: m.data_sources)


def _grouped(items: Iterable[T], keys: Callable[[T], tuple[str, ...]]) -> dict[str, tuple[T, ...]]:
    groups: dict[str, list[T]] = {}
    for item in items:
        for key in keys(item):
            groups.setdefault(key, []).append(item)
    return {
        key: tuple(groups[key]) for key in sorted(groups, key=lambda k: (k == "", k.casefold()))
    }
