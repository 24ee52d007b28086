"""Risk arithmetic and the signals that suggest (never decide) an assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.domain.decay import DecaySignal
from portal.domain.roles import model_owners
from portal.domain.validation import Problem

RISKS: tuple[str, ...] = ("outage", "wrong_predictions", "decay", "knowledge_loss")
LEVELS: tuple[str, ...] = ("low", "medium", "high")
SIGNAL_LEVELS: tuple[str, ...] = ("unknown", "low", "medium", "high")
AI_ACT_CATEGORIES: tuple[str, ...] = ("minimal", "limited", "high", "prohibited")
SERVING_MODES: tuple[str, ...] = ("batch", "real_time")
DECISION_MODES: tuple[str, ...] = ("advisory", "automated")
SCALE = range(1, 6)  # likelihood and impact: 1 (rare, minor) to 5 (almost certain, severe)
MITIGATION_MAX = 2000

# Score = likelihood x impact, 1..25; the bands of a common 5x5 matrix.
MEDIUM_FROM = 5
HIGH_FROM = 10

# Signal rules; each constant is named in the reason the portal shows.
FEEDBACK_WINDOW = timedelta(days=90)
WRONG_PREDICTIONS_HIGH = 3  # reports in the window that make the signal high
LOGS_STALE_AFTER = timedelta(days=2)
KNOWLEDGE_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class Reason:
    """Why a signal says what it says: a code for the translation and its values."""

    code: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def params(self) -> dict[str, object]:
        return dict(self.values)


@dataclass(frozen=True)
class Signal:
    """What the data suggests about one risk, with its reasons; 'unknown' = no signal yet."""

    risk: str
    level: str
    reasons: tuple[Reason, ...]


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood times impact, 1 to 25."""
    return likelihood * impact


def risk_level(score: int) -> str:
    """low (1-4), medium (5-9) or high (10-25)."""
    if score >= HIGH_FROM:
        return "high"
    if score >= MEDIUM_FROM:
        return "medium"
    return "low"


def review_overdue(next_review: date | None, today: date) -> bool:
    """A review date in the past means the assessment is due again."""
    return next_review is not None and next_review < today


@dataclass(frozen=True)
class AssessmentDraft:
    """What an owner typed into the assessment form for one risk."""

    risk: str
    likelihood: int | None
    impact: int | None
    mitigation: str
    next_review: date | None


def check_assessment(draft: AssessmentDraft, today: date) -> list[Problem]:
    """Everything wrong with an assessment, field by field; empty when it can be saved."""
    problems = []
    if draft.risk not in RISKS:
        problems.append(Problem("risk", "unknown_risk"))
    for name in ("likelihood", "impact"):
        value = getattr(draft, name)
        if value not in SCALE:
            problems.append(Problem(name, "scale"))
    if len(draft.mitigation) > MITIGATION_MAX:
        problems.append(Problem("mitigation", "too_long_text", MITIGATION_MAX))
    if draft.next_review is None:
        problems.append(Problem("next_review", "date_required"))
    elif draft.next_review <= today:
        problems.append(Problem("next_review", "date_past"))
    return problems


# --- signals ------------------------------------------------------------------------------------


def decay_signal(
    drift_light: str | None,
    quality_worse: bool | None,
    decay: tuple[DecaySignal, ...] = (),
) -> Signal:
    """From the newest drift check: changed data and quality below training suggest decay; so
    do quality estimated well below training and a widening gap between groups (decay.py)."""
    found = tuple(Reason(f"decay.{signal.reason}", (("about", signal.detail),)) for signal in decay)
    if drift_light in (None, "not_monitored", "no_data", "failed"):
        if found:
            return Signal("decay", "high", found)
        return Signal("decay", "unknown", (Reason("decay.no_drift", (("light", drift_light),)),))
    reasons = [Reason(f"decay.drift_{drift_light}")]
    level = {"drifting": "high", "watch": "medium", "stable": "low"}[drift_light]
    if quality_worse:
        reasons.append(Reason("decay.quality_worse"))
        level = "high"
    if found:
        reasons.extend(found)
        level = "high"
    return Signal("decay", level, tuple(reasons))


def wrong_predictions_signal(reports: int, severe_reports: int) -> Signal:
    """Expert reports of wrong predictions in the last 90 days; high or critical ones weigh most."""
    days = FEEDBACK_WINDOW.days
    if reports == 0:
        return Signal("wrong_predictions", "low", (Reason("wrong.none", (("days", days),)),))
    reasons = [Reason("wrong.reports", (("count", reports), ("days", days)))]
    if severe_reports:
        reasons.append(Reason("wrong.severe", (("count", severe_reports),)))
    level = "high" if reports >= WRONG_PREDICTIONS_HIGH or severe_reports else "medium"
    return Signal("wrong_predictions", level, tuple(reasons))


def with_incidents(signal: Signal, still_open: int, recent: int) -> Signal:
    """Reported incidents of the signal's risk (outage, wrong predictions): one not yet
    mitigated makes the signal high, one started in the last 90 days at least medium."""
    if not still_open and not recent:
        return signal
    prefix = "outage" if signal.risk == "outage" else "wrong"
    if still_open:
        reason = Reason(f"{prefix}.incident_open", (("count", still_open),))
        level = "high"
    else:
        reason = Reason(f"{prefix}.incidents", (("count", recent), ("days", FEEDBACK_WINDOW.days)))
        level = max(signal.level, "medium", key=SIGNAL_LEVELS.index)
    return Signal(signal.risk, level, (*signal.reasons, reason))


def outage_signal(
    last_logged_at: datetime | None,
    has_logs: bool,
    last_sync_failed: bool,
    now: datetime,
    checked: bool = True,
) -> Signal:
    """Missing or stale inference data, and failed syncs, suggest the model may not be running.

    checked=False: no drift check has looked at the model's logs yet (or it is not in
    production), so the portal cannot tell.
    """
    if not checked:
        return Signal("outage", "unknown", (Reason("outage.not_checked"),))
    reasons = []
    level = "low"
    if not has_logs:
        reasons.append(Reason("outage.no_logs"))
        level = "medium"
    elif last_logged_at is None:
        # Logs exist but the drift job could not date them (no reference sample, an error):
        # no grounds to call them stale.
        reasons.append(Reason("outage.stale_logs", (("since", None),)))
        level = "unknown"
    elif now - last_logged_at > LOGS_STALE_AFTER:
        reasons.append(Reason("outage.stale_logs", (("since", last_logged_at),)))
        level = "high"
    else:
        reasons.append(Reason("outage.logs_fresh", (("since", last_logged_at),)))
    if last_sync_failed:
        reasons.append(Reason("outage.sync_failed"))
        level = "high" if level == "high" else "medium"
    return Signal("outage", level, tuple(reasons))


@dataclass(frozen=True)
class KnowledgeFacts:
    """What the portal knows about who can maintain a model."""

    contributors_last_year: int  # distinct people who trained or registered versions
    technical_owner_named: bool
    documentation_score: float  # 0.0 to 1.0
    last_retrained_at: datetime | None


def knowledge_loss_points(facts: KnowledgeFacts, now: datetime) -> tuple[int, tuple[Reason, ...]]:
    """Points (0-9) for the knowledge-loss risk, each with its reason.

    Contributors in the last 12 months: none 3, one 2, two 1. No technical owner: 2.
    Documentation under 50 %: 2, under 80 %: 1. Last retraining over a year ago (or unknown): 2,
    over six months: 1.
    """
    reasons = []
    points = 0
    people = facts.contributors_last_year
    contributor_points = max(3 - people, 0)
    if contributor_points:
        reasons.append(Reason("knowledge.contributors", (("count", people),)))
        points += contributor_points
    if not facts.technical_owner_named:
        reasons.append(Reason("knowledge.no_owner"))
        points += 2
    documented = facts.documentation_score
    if documented < 0.8:
        reasons.append(Reason("knowledge.documentation", (("share", documented),)))
        points += 2 if documented < 0.5 else 1
    age = None if facts.last_retrained_at is None else now - facts.last_retrained_at
    if age is None or age > timedelta(days=365):
        reasons.append(
            Reason("knowledge.retrained_long_ago", (("days", age.days if age else None),))
        )
        points += 2
    elif age > timedelta(days=182):
        reasons.append(Reason("knowledge.retrained_long_ago", (("days", age.days),)))
        points += 1
    return points, tuple(reasons)


def knowledge_loss_signal(facts: KnowledgeFacts, now: datetime) -> Signal:
    """low (0-1 points), medium (2-3), high (4-9).

    One person alone (2 points) is already a medium risk; together with one more gap, such as
    no retraining for a year, the knowledge is likely fading: high.
    """
    points, reasons = knowledge_loss_points(facts, now)
    level = "high" if points >= 4 else "medium" if points >= 2 else "low"
    if not reasons:
        reasons = (Reason("knowledge.well_kept"),)
    return Signal("knowledge_loss", level, reasons)


@dataclass(frozen=True)
class Assessment:
    """One owner's assessment of one risk of one model."""

    id: int
    model_name: str
    risk: str
    likelihood: int
    impact: int
    score: int
    level: str
    mitigation: str
    next_review: date
    overdue: bool
    assessed_by: str
    assessed_by_name: str
    assessed_at: datetime


@dataclass(frozen=True)
class Governance:
    """Who is accountable for a model and how critical it is."""

    accountable_executive: str
    business_owner: str
    serving_mode: str  # '' (not set), 'batch' or 'real_time'
    ai_act_category: str  # '' (not set), 'minimal', 'limited', 'high', 'prohibited'
    human_oversight: str  # how a person can intervene, in the owners' words


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence a high-risk model needs, and whether the portal holds it."""

    code: str  # documentation, logging, monitoring, human_oversight, accountable_executive
    present: bool


@dataclass(frozen=True)
class ModelRisk:
    """Everything the risk views know about one model."""

    name: str
    in_production: bool
    business_process: str
    business_unit: str
    decision_mode: str  # from MLflow tags: 'advisory', 'automated' or ''
    technical_owners: tuple[str, ...]
    team: str
    data_sources: tuple[str, ...]
    governance: Governance
    experts: tuple[str, ...]
    assessments: dict[str, Assessment]  # in force, by risk
    signals: dict[str, Signal]
    evidence: tuple[EvidenceItem, ...]  # for EU AI Act high-risk models; else empty

    @property
    def highest_level(self) -> str | None:
        """The most severe assessed level; None when nothing is assessed."""
        levels = [a.level for a in self.assessments.values()]
        for level in ("high", "medium", "low"):
            if level in levels:
                return level
        return None

    @property
    def overdue(self) -> tuple[Assessment, ...]:
        return tuple(a for a in self.assessments.values() if a.overdue)

    @property
    def owners(self) -> tuple[str, ...]:
        """Who owns the model, by the rule every permission check uses."""
        return model_owners(
            self.technical_owners,
            self.governance.business_owner,
            self.governance.accountable_executive,
        )


@dataclass(frozen=True)
class RiskPortfolio:
    """All models with their risks, for the heatmap, tables and overview tiles."""

    models: tuple[ModelRisk, ...]

    @property
    def assessments(self) -> tuple[Assessment, ...]:
        return tuple(a for model in self.models for a in model.assessments.values())

    @property
    def high_risks(self) -> tuple[Assessment, ...]:
        """Assessments at the high level, the largest score first."""
        return tuple(
            sorted(
                (a for a in self.assessments if a.level == "high"),
                key=lambda a: (-a.score, a.model_name, a.risk),
            )
        )

    @property
    def overdue(self) -> tuple[Assessment, ...]:
        return tuple(
            sorted((a for a in self.assessments if a.overdue), key=lambda a: a.next_review)
        )

    @property
    def without_executive(self) -> tuple[str, ...]:
        """Models in production nobody is accountable for."""
        return tuple(
            m.name
            for m in self.models
            if m.in_production and not m.governance.accountable_executive
        )

    @property
    def unassessed(self) -> tuple[str, ...]:
        """Models in production without any assessment."""
        return tuple(m.name for m in self.models if m.in_production and not m.assessments)
