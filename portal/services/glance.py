"""A model at a glance, read once for its card and its fact sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from portal.clock import utc_now
from portal.domain.catalog import ModelCard
from portal.domain.drift import DriftPortfolio
from portal.domain.feedback import FeedbackItem
from portal.domain.glance import ModelGlance, glance_of
from portal.domain.risk import RiskPortfolio
from portal.domain.value import Portfolio, period_months
from portal.runtime import Runtime
from portal.services.catalog import CatalogService
from portal.services.drift import DriftService
from portal.services.feedback import FeedbackService
from portal.services.people import PeopleService
from portal.services.risk import RiskService
from portal.services.value import ValueService


class GlanceService:
    """The facts a model's card and fact sheet open with; a read every viewer may make."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.settings

    def model_glance(
        self,
        name: str,
        now: datetime | None = None,
        *,
        card: ModelCard | None = None,
        risk: RiskPortfolio | None = None,
        drift: DriftPortfolio | None = None,
        value: Portfolio | None = None,
        feedback: Sequence[FeedbackItem] | None = None,
    ) -> ModelGlance | None:
        """One model's glance over the last full quarter; None when no active model has that
        name. A caller that already read a part (the fact sheet) passes it, so it is not read
        again; the value part must be this model's KPIs over the last quarter."""
        now = now or utc_now()
        card = card or CatalogService(self.store, self.settings).model_card(name)
        if card is None:
            return None
        risk = risk or RiskService(self.store, self.settings).portfolio(now)
        drift = drift or DriftService(self.runtime).portfolio()
        if value is None:
            quarter = period_months("quarter", now.date(), None)
            assert quarter is not None  # 'quarter' always has a period
            value = ValueService(self.store, self.settings).portfolio(*quarter, model_name=name)
        if feedback is None:
            feedback = FeedbackService(self.store, self.settings).for_model(name)
        glance = glance_of(
            card,
            next((m for m in risk.models if m.name == name), None),
            next((m for m in drift.models if m.model_name == name), None),
            value,
            sum(1 for item in feedback if item.is_open),
            len(feedback),
        )
        people = PeopleService(self.runtime).directory()
        return replace(glance, names={email: people.name_of(email) for email in glance.people})
