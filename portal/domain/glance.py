"""A model at a glance: the few facts a manager asks first, shared by the model card and the
fact sheet. Pure: the glance service reads the parts, `glance_of` puts them together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from portal.domain.catalog import ModelCard
from portal.domain.drift import ModelDrift
from portal.domain.report import worst_value
from portal.domain.risk import RISKS, ModelRisk
from portal.domain.value import Portfolio

_LEVEL_RANK = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True)
class WorstRisk:
    """The model's most serious risk: an owner's assessment, or else the strongest signal."""

    risk: str  # one of RISKS
    level: str  # 'high', 'medium' or 'low'
    assessed: bool  # True: an owner assessed it; False: only the portal's signal says so
    score: int | None = None  # likelihood x impact of an assessment


@dataclass(frozen=True)
class GlanceMoney:
    """The model's value in money over a period, against what its promise is worth."""

    first: date  # first month of the period
    last: date  # last month of the period
    realized: float | None  # None: no KPI with a money value per unit was observed
    promised: float | None
    months_with_money: int  # months in which such a KPI was observed

    @property
    def realized_per_month(self) -> float | None:
        """Realized money per month with data; None without any."""
        if self.realized is None or not self.months_with_money:
            return None
        return self.realized / self.months_with_money

    @property
    def promised_per_month(self) -> float | None:
        """Promised money per month with data; None without any."""
        if self.promised is None or not self.months_with_money:
            return None
        return self.promised / self.months_with_money

    @property
    def attainment(self) -> float | None:
        """Realized as a share of promised money; None when nothing promised."""
        if self.realized is None or not self.promised:
            return None
        return self.realized / self.promised


@dataclass(frozen=True)
class ModelGlance:
    """What a model's card and fact sheet open with."""

    name: str
    production_version: int | None
    production_since: datetime | None
    value_status: str  # worst KPI status ('off_track', …), '' without a benchmark
    kpis: int  # KPIs with a promise
    money: GlanceMoney
    health: str  # drift light of a production model ('not_monitored' unchecked), '' otherwise
    checked_at: datetime | None  # when the drift light was decided
    worst_risk: WorstRisk | None  # None: nothing assessed and no signal above low
    accountable_executive: str  # e-mail addresses (or whatever the registry names), '' unknown
    business_owner: str
    technical_owners: tuple[str, ...]
    open_feedback: int
    feedback_total: int
    documentation_score: float  # 0.0 to 1.0
    documentation_gaps: int  # fields not documented
    # Display names by e-mail, filled by the service where the people directory knows them.
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def in_production(self) -> bool:
        return self.production_version is not None

    def name_of(self, email: str) -> str:
        """A person's display name; the e-mail itself when unknown, '' for ''."""
        return self.names.get(email, email) if email else ""

    @property
    def people(self) -> tuple[str, ...]:
        """Every person the glance names, once each, in the order shown."""
        return tuple(
            dict.fromkeys(
                p
                for p in (self.accountable_executive, self.business_owner, *self.technical_owners)
                if p
            )
        )


def worst_risk(model: ModelRisk | None) -> WorstRisk | None:
    """The highest assessed risk (largest score first, then the order of RISKS); without any
    assessment, the strongest signal at medium or high."""
    if model is None:
        return None
    assessed = [
        (_LEVEL_RANK.get(a.level, 0), a.score, -RISKS.index(risk), risk)
        for risk, a in model.assessments.items()
        if risk in RISKS
    ]
    if assessed:
        *_, risk = max(assessed)
        found = model.assessments[risk]
        return WorstRisk(risk, found.level, True, found.score)
    signalled = [
        (_LEVEL_RANK[s.level], -RISKS.index(risk), risk)
        for risk, s in model.signals.items()
        if risk in RISKS and s.level in ("high", "medium")
    ]
    if not signalled:
        return None
    *_, risk = max(signalled)
    return WorstRisk(risk, model.signals[risk].level, False)


def glance_money(value: Portfolio, model_name: str) -> GlanceMoney:
    """The model's money over the portfolio's period, per month from the months with data."""
    rows = [row for row in value.rows if row.model_name == model_name]
    months = value.money_by_month(model_name)
    with_money = [row.summary for row in rows if row.summary.realized_money is not None]
    return GlanceMoney(
        value.first,
        value.last,
        sum(s.realized_money for s in with_money) if with_money else None,  # type: ignore[misc]
        sum(s.promised_money for s in with_money) if with_money else None,  # type: ignore[misc]
        sum(1 for month in months if month.realized is not None),
    )


def glance_of(
    card: ModelCard,
    risk: ModelRisk | None,
    drift: ModelDrift | None,
    value: Portfolio,
    open_feedback: int,
    feedback_total: int,
    names: Mapping[str, str] | None = None,
) -> ModelGlance:
    """One model's glance from the card, its risks, its newest drift check, its KPIs over a
    period (the card's and fact sheet's quarter) and its feedback counts."""
    kpis = [row for row in value.rows if row.model_name == card.name]
    in_production = card.production_version is not None
    owners: Sequence[str] = risk.technical_owners if risk else ()
    if not owners and card.tags.get("owner", "").strip():
        owners = (card.tags["owner"].strip(),)
    return ModelGlance(
        name=card.name,
        production_version=card.production_version,
        production_since=card.production_since,
        value_status=worst_value([row.summary.status for row in kpis]),
        kpis=len(kpis),
        money=glance_money(value, card.name),
        health=(drift.light if drift else "not_monitored") if in_production else "",
        checked_at=drift.checked_at if drift and in_production else None,
        worst_risk=worst_risk(risk),
        accountable_executive=risk.governance.accountable_executive if risk else "",
        business_owner=risk.governance.business_owner if risk else "",
        technical_owners=tuple(owners),
        open_feedback=open_feedback,
        feedback_total=feedback_total,
        documentation_score=card.documentation_score,
        documentation_gaps=len(card.documentation_gaps),
        names=dict(names or {}),
    )
