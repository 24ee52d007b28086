"""The attention list: what needs attention, how much is at stake and who acts, read from the
store for every model at once (a few set-based reads, never one query per model)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from portal.clock import utc_now
from portal.domain.attention import (
    Attention,
    HighRisk,
    ModelFacts,
    Stake,
    portfolio_attention,
)
from portal.domain.catalog import InventoryRow
from portal.domain.documentation import effective_tags, split_list_tag
from portal.domain.drift import DriftPortfolio
from portal.domain.report import worst_value
from portal.domain.risk import RiskPortfolio
from portal.domain.value import KpiValue, Portfolio, period_months
from portal.runtime import Runtime
from portal.services.catalog import CatalogService
from portal.services.decay import decay_signals
from portal.services.drift import DriftService
from portal.services.incidents import IncidentService
from portal.services.reviews import ReviewService
from portal.services.risk import RiskService
from portal.services.signoffs import SignOffService
from portal.services.value import ValueService
from portal.store.attention_repo import AttentionRepository
from portal.store.catalog_repo import CatalogRepository, group_tags

TOP = 10  # individual items named on the overview


class AttentionService:
    """Attention for the portfolio and for one model; reads only, for anyone who may view."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.settings

    def portfolio(self, now: datetime | None = None, top: int = TOP) -> Attention:
        """Every model's items, ranked and aggregated per kind."""
        return portfolio_attention(self.facts(now), top)

    def portfolio_from(
        self,
        inventory: Iterable[InventoryRow],
        risk: RiskPortfolio,
        drift: DriftPortfolio,
        value: Portfolio,
        top: int = TOP,
    ) -> Attention:
        """The portfolio's attention from read models the caller holds (see facts_from)."""
        return portfolio_attention(self.facts_from(inventory, risk, drift, value), top)

    def facts(self, now: datetime | None = None) -> tuple[ModelFacts, ...]:
        """Every model's facts, read through the other read services."""
        now = now or utc_now()
        first, last = period_months("quarter", now.date(), None)  # type: ignore[misc]
        return self.facts_from(
            CatalogService(self.store, self.settings).inventory(),
            RiskService(self.store, self.settings).portfolio(now),
            DriftService(self.runtime).portfolio(),
            ValueService(self.store, self.settings).portfolio(first, last),
            now,
        )

    def facts_from(
        self,
        inventory: Iterable[InventoryRow],
        risk: RiskPortfolio,
        drift: DriftPortfolio,
        value: Portfolio,
        now: datetime | None = None,
    ) -> tuple[ModelFacts, ...]:
        """Every model's facts from read models a caller already holds (the pages' cached
        ones), plus two reads of their own: criticality tags and since when a light shows."""
        tags = group_tags(CatalogRepository(self.store).effective_tag_rows())
        light_since = AttentionRepository(self.store).light_since()
        kpis: dict[str, list[KpiValue]] = defaultdict(list)
        for row in value.rows:
            kpis[row.model_name].append(row)
        lights = {m.model_name: m.light for m in drift.models}
        risks = {m.name: m for m in risk.models}
        lifecycle = self.lifecycle_facts(now)
        facts = []
        for row in inventory:
            model = risks.get(row.name)
            if model is None:  # changed between two reads: the next render shows it
                continue
            merged = effective_tags(*tags.get(row.name, ({}, {})))
            in_production = row.production_version is not None
            extra = lifecycle.get(row.name, {})
            overdue = [a.next_review for a in model.overdue]
            if extra.get("review_overdue_since") is not None:
                overdue.append(extra["review_overdue_since"])
            facts.append(
                ModelFacts(
                    name=row.name,
                    in_production=in_production,
                    production_since=row.production_since,
                    stake=Stake(
                        monthly_value=_monthly_value(kpis.get(row.name, ())),
                        currency=self.settings.currency,
                        decision_mode=model.decision_mode.strip().casefold(),
                        criticality=merged.get("criticality", "").strip().casefold(),
                        ai_act_category=model.governance.ai_act_category,
                        processes=len(split_list_tag(model.business_process)),
                    ),
                    accountable_executive=model.governance.accountable_executive,
                    business_owner=model.governance.business_owner,
                    technical_owners=model.technical_owners,
                    health=lights.get(row.name, "") if in_production else "",
                    health_since=light_since.get(row.name),
                    value=worst_value([k.summary.status for k in kpis.get(row.name, ())]),
                    high_risks=tuple(
                        HighRisk(a.risk, a.assessed_at)
                        for a in model.assessments.values()
                        if a.level == "high"
                    ),
                    assessed=bool(model.assessments),
                    overdue_since=min(overdue) if overdue else None,
                    missing_evidence=tuple(e.code for e in model.evidence if not e.present),
                    unapproved_since=extra.get("unapproved_since"),
                    open_incidents=extra.get("open_incidents", ()),
                    incident_since=extra.get("incident_since"),
                    decay=extra.get("decay", ()),
                )
            )
        return tuple(facts)

    def lifecycle_facts(self, now: datetime | None = None) -> dict[str, dict[str, Any]]:
        """Per model, what its lifecycle records add, read for all models at once:
        'unapproved_since' (sign-offs), 'review_overdue_since' (reviews), 'open_incidents' and
        'incident_since' (incidents), 'decay' (the drift job's estimates and fairness)."""
        found: dict[str, dict[str, Any]] = defaultdict(dict)
        # Periodic reviews: the due date of a production model's review that has passed.
        today = (now or utc_now()).date()
        for name, status in ReviewService(self.store, self.settings).status_of_all(today).items():
            if status.overdue:
                found[name]["review_overdue_since"] = status.due
        # Sign-offs: a production version without go-live approval, since it went live.
        for gap in SignOffService(self.store, self.settings).unapproved_production():
            found[gap.model_name]["unapproved_since"] = gap.since
        # Incidents: references of the open (not yet mitigated) ones, and the earliest start.
        for name, (references, since) in (
            IncidentService(self.store, self.settings).open_per_model().items()
        ):
            found[name]["open_incidents"] = references
            found[name]["incident_since"] = since
        for name, signals in decay_signals(self.store).items():
            found[name]["decay"] = signals
        return found


def _monthly_value(kpis: Iterable[KpiValue]) -> float | None:
    """Money per month the model's promises stand for: per KPI the newest month with a promise
    in money; None when no promise carries a money value."""
    total = None
    for kpi in kpis:
        promised = [m.promised_money for m in kpi.months if m.promised_money is not None]
        if promised:
            total = (total or 0.0) + promised[-1]
    return total
