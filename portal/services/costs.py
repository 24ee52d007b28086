"""Costs: owners enter running and development costs (authorized, checked, audited); every
reader sees net value and return on investment next to the value."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.costs import (
    Returns,
    RunningCost,
    UseCaseCosts,
    check_cost,
    returns_of,
)
from portal.domain.validation import Problem
from portal.domain.value import Portfolio, first_of_month
from portal.errors import InvalidInput, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, authorize_as, may, may_as
from portal.services.identity import Identity
from portal.services.use_cases import UseCaseService
from portal.services.value import load_checked_kpis
from portal.store.catalog_repo import CatalogRepository
from portal.store.cost_repo import CostRepository
from portal.store.database import Store

# A one-row KPI file's columns mapped to the fields of the running-cost form.
_FORM_FIELDS = {"period": "month", "value": "amount"}


@dataclass(frozen=True)
class CostMonth:
    """One month's cost as entered."""

    month: date
    amount: float
    note: str = ""
    entered_by: str = ""
    entered_at: datetime | None = None


class CostService:
    """Running cost per model and month, development cost per use case and month."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.costs = CostRepository(store)
        self.use_cases = UseCaseService(store, settings)

    def set_running_cost(
        self,
        actor: Identity,
        model_name: str,
        month: date | None,
        amount: float | None,
        now: datetime | None = None,
    ) -> None:
        """Store a model's running cost for a month as a row of the cost KPI, through the KPI
        load's checks (one row: stored whole or not at all), audited as cost.set."""
        if CatalogRepository(self.store).model(model_name) is None:
            raise UnknownModel(model_name)
        authorize(self.store, actor, "cost.set", model_name)
        problems = check_cost(month, amount)
        if problems:
            raise InvalidInput(problems)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("model", "kpi", "period", "value", "unit"))
        writer.writerow(
            (
                model_name,
                self.settings.cost_kpi,
                f"{month:%Y-%m}",
                repr(amount),
                self.settings.currency,
            )
        )
        outcome = load_checked_kpis(
            self.store,
            actor,
            buffer.getvalue().encode("utf-8"),
            "running-cost.csv",
            "portal",
            now or utc_now(),
            known=[model_name],
            audit_action="cost.set",
            audit_model=model_name,
        )
        if not outcome.loaded:
            raise InvalidInput(
                tuple(
                    Problem(_FORM_FIELDS.get(reject.column, "amount"), "cost_rejected")
                    for reject in outcome.rejects
                )
            )

    def may_set_running_cost(self, actor: Identity, model_name: str) -> bool:
        """For the interface: offer the running-cost form or not (the save checks again)."""
        return may(self.store, actor, "cost.set", model_name)

    def set_development_cost(
        self,
        actor: Identity,
        use_case_key: str,
        month: date | None,
        amount: float | None,
        note: str = "",
        now: datetime | None = None,
    ) -> None:
        """Store what a use case's development cost in a month (replacing that month's entry)."""
        use_case = self.use_cases.get(use_case_key)
        if use_case is None:
            raise InvalidInput((Problem("use_case", "unknown_choice"),))
        authorize_as(self.store, actor, "cost.set", f"use_case:{use_case.key}", use_case.owners)
        problems = check_cost(month, amount, note)
        if problems:
            raise InvalidInput(problems)
        at = now or utc_now()
        row = {
            "use_case_id": use_case.id,
            "period": first_of_month(month),  # type: ignore[arg-type]
            "amount": amount,
            "note": note.strip(),
            "entered_by": actor.label,
            "entered_at": at,
        }
        with self.store.transaction() as tx:
            before = CostRepository.development_cost_in(tx, use_case.id, row["period"])
            CostRepository.put_development_cost(tx, row)
            write_audit(
                tx,
                actor,
                "cost.set",
                ("use_case_cost", f"{use_case.key}/{row['period']:%Y-%m}"),
                at,
                before=before,
                after={key: row[key] for key in ("period", "amount", "note")},
            )
            tx.bump_data_version()

    def may_set_development_cost(self, actor: Identity, use_case_key: str) -> bool:
        """For the interface: offer the development-cost form of a use case or not."""
        use_case = self.use_cases.get(use_case_key)
        if use_case is None:
            return False
        return may_as(self.store, actor, "cost.set", f"use_case:{use_case.key}", use_case.owners)

    def returns(self, portfolio: Portfolio, scope: Collection[str] | None = None) -> Returns:
        """Net value and return on investment over the portfolio's period, for the models in
        scope (None: all), read set-based: one query for running costs, one for development."""
        first, last = portfolio.first, portfolio.last
        running = {
            row["model_name"]: RunningCost(row["total"], row["months"])
            for row in self.costs.running_costs(self.settings.cost_kpi, first, last)
        }
        models = self.use_cases.models_by_use_case()
        use_cases = [
            UseCaseCosts(
                row["key"],
                row["title"],
                row["budget"],
                row["spent_in_period"],
                row["spent_total"],
                models.get(row["key"], ()),
            )
            for row in self.costs.development_costs(first, last)
        ]
        return returns_of(portfolio, running, use_cases, scope)

    def running_cost_months(self, model_name: str) -> tuple[CostMonth, ...]:
        """A model's running cost per month as entered or loaded, newest first."""
        return tuple(
            CostMonth(row["period"], row["value"])
            for row in self.costs.running_cost_months(self.settings.cost_kpi, model_name)
        )

    def development_cost_months(self, use_case_key: str) -> tuple[CostMonth, ...]:
        """A use case's development cost per month, newest first."""
        use_case = self.use_cases.get(use_case_key)
        if use_case is None:
            return ()
        return tuple(
            CostMonth(
                row["period"], row["amount"], row["note"], row["entered_by"], row["entered_at"]
            )
            for row in self.costs.development_cost_months(use_case.id)
        )
