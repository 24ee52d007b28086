"""What needs attention, how much is at stake, and who acts: one rule set for pages and PDFs.

Pure: the attention service gathers one `ModelFacts` per model from the store; `items_for`
turns them into attention items, `rank` orders them by what is at stake and `summarize`
aggregates items of one kind, so a thousand models read as a few groups and the most
consequential models by name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from portal.domain.decay import DecaySignal

# Kinds of attention, most serious first. 'evidence_missing': an EU AI Act high-risk model
# lacks evidence the Act asks for (the risk page lists which). 'incident_open': a reported
# malfunction not yet mitigated; 'unapproved_production': the version in production has no
# go-live approval (MLflow moves aliases, so the portal cannot block it, only show it).
# 'decaying': quality estimated well below training before outcomes arrive, or a gap between
# groups widening (portal/domain/decay.py), with or without changed data.
KINDS: tuple[str, ...] = (
    "incident_open",
    "high_risk",
    "drifting",
    "decaying",
    "value_off_track",
    "unapproved_production",
    "check_failed",
    "review_overdue",
    "no_executive",
    "evidence_missing",
    "watch",
    "value_at_risk",
    "not_assessed",
)
ROLES: tuple[str, ...] = ("accountable_executive", "business_owner", "technical_owner", "admin")
# Who acts on each kind, in the order asked: the first person the portal knows acts. Drift is
# the model team's to look into; money and risk are the business's to answer for.
ACTORS: dict[str, tuple[str, ...]] = {
    "incident_open": ("technical_owner", "business_owner", "accountable_executive"),
    "unapproved_production": ("accountable_executive", "business_owner", "technical_owner"),
    "high_risk": ("accountable_executive", "business_owner", "technical_owner"),
    "drifting": ("technical_owner", "business_owner", "accountable_executive"),
    "decaying": ("technical_owner", "business_owner", "accountable_executive"),
    "value_off_track": ("business_owner", "accountable_executive", "technical_owner"),
    "check_failed": ("technical_owner", "business_owner", "accountable_executive"),
    "review_overdue": ("business_owner", "technical_owner", "accountable_executive"),
    "no_executive": ("business_owner", "technical_owner"),
    "evidence_missing": ("business_owner", "technical_owner", "accountable_executive"),
    "watch": ("technical_owner", "business_owner", "accountable_executive"),
    "value_at_risk": ("business_owner", "accountable_executive", "technical_owner"),
    "not_assessed": ("business_owner", "technical_owner", "accountable_executive"),
}
# The page where each kind is fixed, opened at the model: the risk page holds assessments and
# accountability, the drift page the checks, the model card the promise and its value.
FIXED_ON: dict[str, str] = {
    "incident_open": "incidents",
    "unapproved_production": "model_card",
    "high_risk": "risk",
    "drifting": "drift",
    "decaying": "drift",
    "value_off_track": "model_card",
    "check_failed": "drift",
    "review_overdue": "risk",
    "no_executive": "risk",
    "evidence_missing": "risk",
    "watch": "drift",
    "value_at_risk": "model_card",
    "not_assessed": "risk",
}
# How much each part of a model's stake weighs in the ranking (see Stake.weight).
AUTOMATED_WEIGHT = 3.0
CRITICALITY_WEIGHT = {"high": 3.0, "medium": 1.5, "low": 0.0}
AI_ACT_WEIGHT = {"prohibited": 6.0, "high": 4.0, "limited": 1.0, "minimal": 0.0}
PROCESS_WEIGHT = 1.0


@dataclass(frozen=True)
class Stake:
    """What is at stake with one model: money promised, how it decides, how critical it is."""

    monthly_value: float | None  # money per month the value promise stands for; None unknown
    currency: str
    decision_mode: str  # 'automated', 'advisory' or '' (not documented)
    criticality: str  # 'high', 'medium', 'low' or ''
    ai_act_category: str  # 'prohibited', 'high', 'limited', 'minimal' or ''
    processes: int  # business processes the model serves

    @property
    def automated(self) -> bool:
        return self.decision_mode == "automated"

    @property
    def weight(self) -> float:
        """One number to rank by: money on a log scale (each tenfold adds one), plus automated
        decisions, criticality, EU AI Act category and the processes reached."""
        money = math.log10(1 + max(self.monthly_value or 0.0, 0.0))
        return (
            1.0
            + money
            + (AUTOMATED_WEIGHT if self.automated else 0.0)
            + CRITICALITY_WEIGHT.get(self.criticality, 0.0)
            + AI_ACT_WEIGHT.get(self.ai_act_category, 0.0)
            + PROCESS_WEIGHT * self.processes
        )


@dataclass(frozen=True)
class AttentionItem:
    """One thing wrong with one model, since when, what is at stake and who acts."""

    kind: str
    model_name: str
    since: datetime | None
    stake: Stake
    acts: str  # e-mail address of who acts; '' when nobody is named (the admins act)
    acts_role: str  # one of ROLES
    detail: tuple[str, ...] = ()  # codes behind the kind: risks assessed high, missing evidence

    @property
    def fixed_on(self) -> str:
        """The navigation key of the page where this is fixed."""
        return FIXED_ON[self.kind]

    @property
    def score(self) -> float:
        """How consequential the item is: its stake, scaled by how serious its kind is."""
        return self.stake.weight * (len(KINDS) - KINDS.index(self.kind))


@dataclass(frozen=True)
class AttentionGroup:
    """All items of one kind: how many, how many decide automatically, the money involved."""

    kind: str
    count: int
    automated: int
    monthly_value: float
    items: tuple[AttentionItem, ...]  # ranked

    @property
    def model_names(self) -> tuple[str, ...]:
        return tuple(item.model_name for item in self.items)


@dataclass(frozen=True)
class Attention:
    """The portfolio's attention list: the top items by name and every kind as a group."""

    top: tuple[AttentionItem, ...]
    groups: tuple[AttentionGroup, ...]  # most serious kind first; only kinds with items
    models_considered: int

    # Computed once per object: pages share one Attention per data version, and ranking
    # thousands of items on every render (or every card) is work done again for nothing.
    @cached_property
    def items(self) -> tuple[AttentionItem, ...]:
        """Every item, ranked."""
        return rank(item for group in self.groups for item in group.items)

    @cached_property
    def _by_model(self) -> dict[str, tuple[AttentionItem, ...]]:
        found: dict[str, list[AttentionItem]] = {}
        for item in self.items:
            found.setdefault(item.model_name, []).append(item)
        return {name: tuple(items) for name, items in found.items()}

    def of(self, model_name: str) -> tuple[AttentionItem, ...]:
        """One model's items, the most consequential first; () when nothing needs attention."""
        return self._by_model.get(model_name, ())

    @property
    def models_affected(self) -> int:
        return len({item.model_name for group in self.groups for item in group.items})

    def group(self, kind: str) -> AttentionGroup | None:
        return next((g for g in self.groups if g.kind == kind), None)


@dataclass(frozen=True)
class HighRisk:
    """A risk assessed high, and when."""

    risk: str
    assessed_at: datetime


@dataclass(frozen=True)
class ModelFacts:
    """What the rules need to know about one model; the attention service fills it."""

    name: str
    in_production: bool
    production_since: datetime | None
    stake: Stake
    accountable_executive: str = ""
    business_owner: str = ""
    technical_owners: tuple[str, ...] = ()
    health: str = ""  # the drift light of a production model: drifting, failed, watch, ...
    health_since: datetime | None = None  # first check of the current run of that light
    value: str = ""  # worst KPI status: off_track, at_risk, ...; '' without a benchmark
    value_since: datetime | None = None
    high_risks: tuple[HighRisk, ...] = ()
    assessed: bool = False
    overdue_since: date | None = None  # the earliest review date that has passed
    missing_evidence: tuple[str, ...] = ()  # for EU AI Act high-risk models
    unapproved_since: datetime | None = None  # production version without go-live approval
    open_incidents: tuple[str, ...] = ()  # references of incidents not yet mitigated
    incident_since: datetime | None = None  # when the oldest of them started
    decay: tuple[DecaySignal, ...] = ()  # estimated quality drop, widening fairness gap


def who_acts(kind: str, facts: ModelFacts) -> tuple[str, str]:
    """(e-mail, role) of the first person named in the kind's order; ('', 'admin') if none."""
    named = {
        "accountable_executive": facts.accountable_executive.strip(),
        "business_owner": facts.business_owner.strip(),
        "technical_owner": next((p.strip() for p in facts.technical_owners if p.strip()), ""),
    }
    for role in ACTORS[kind]:
        if named[role]:
            return named[role], role
    return "", "admin"


def items_for(facts: ModelFacts) -> tuple[AttentionItem, ...]:
    """Everything that needs attention on one model, most serious kind first."""
    found: list[tuple[str, datetime | None, tuple[str, ...]]] = []
    if facts.open_incidents:
        found.append(("incident_open", facts.incident_since, facts.open_incidents))
    if facts.in_production and facts.unapproved_since is not None:
        found.append(("unapproved_production", facts.unapproved_since, ()))
    if facts.high_risks:
        found.append(
            (
                "high_risk",
                min(r.assessed_at for r in facts.high_risks),
                tuple(r.risk for r in facts.high_risks),
            )
        )
    if facts.in_production:
        light = {"drifting": "drifting", "failed": "check_failed", "watch": "watch"}.get(
            facts.health
        )
        if light:
            found.append((light, facts.health_since, ()))
    if facts.in_production and facts.decay:
        since = [signal.since for signal in facts.decay if signal.since is not None]
        codes = tuple(decay_code(signal) for signal in facts.decay)
        found.append(("decaying", min(since) if since else None, codes))
    if facts.value in ("off_track", "at_risk"):
        found.append((f"value_{facts.value}", facts.value_since, ()))
    if facts.overdue_since is not None:
        found.append(("review_overdue", _midnight(facts.overdue_since), ()))
    if facts.in_production and not facts.accountable_executive.strip():
        found.append(("no_executive", facts.production_since, ()))
    if facts.missing_evidence:
        found.append(("evidence_missing", facts.production_since, facts.missing_evidence))
    if facts.in_production and not facts.assessed:
        found.append(("not_assessed", facts.production_since, ()))
    items = []
    for kind, since, detail in sorted(found, key=lambda f: KINDS.index(f[0])):
        acts, role = who_acts(kind, facts)
        items.append(AttentionItem(kind, facts.name, since, facts.stake, acts, role, detail))
    return tuple(items)


def decay_code(signal: DecaySignal) -> str:
    """'estimated_drop:roc_auc', 'fairness_gap:gender': the reason and what it is about."""
    return f"{signal.reason}:{signal.detail}"


def rank(items: Iterable[AttentionItem]) -> tuple[AttentionItem, ...]:
    """The most consequential first: by score, then the more serious kind, the more money,
    the longer it has been so; the name only breaks the last ties."""
    return tuple(
        sorted(
            items,
            key=lambda item: (
                -item.score,
                KINDS.index(item.kind),
                -(item.stake.monthly_value or 0.0),
                item.since.timestamp() if item.since else math.inf,
                item.model_name,
            ),
        )
    )


def summarize(
    items: Iterable[AttentionItem], top: int = 10, models: int | None = None
) -> Attention:
    """Aggregate items per kind and pick the `top` most consequential, one per model (a model
    with several problems is named once, with its most consequential one)."""
    ranked = rank(items)
    by_kind: dict[str, list[AttentionItem]] = {}
    for item in ranked:
        by_kind.setdefault(item.kind, []).append(item)
    groups = tuple(
        AttentionGroup(
            kind,
            len(by_kind[kind]),
            sum(1 for item in by_kind[kind] if item.stake.automated),
            sum(item.stake.monthly_value or 0.0 for item in by_kind[kind]),
            tuple(by_kind[kind]),
        )
        for kind in KINDS
        if kind in by_kind
    )
    chosen: list[AttentionItem] = []
    named: set[str] = set()
    for item in ranked:
        if len(chosen) >= top:
            break
        if item.model_name not in named:
            named.add(item.model_name)
            chosen.append(item)
    considered = models if models is not None else len({item.model_name for item in ranked})
    return Attention(tuple(chosen), groups, considered)


def portfolio_attention(facts: Iterable[ModelFacts], top: int = 10) -> Attention:
    """Every model's items, summarized."""
    facts = tuple(facts)
    return summarize((item for f in facts for item in items_for(f)), top, len(facts))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
