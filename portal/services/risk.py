"""Risk assessments, signals, accountability and lineage, for pages, reports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.decay import DecaySignal
from portal.domain.documentation import documentation_score, effective_tags, split_list_tag
from portal.domain.drift import NO_LOG_REASONS, compare_quality
from portal.domain.risk import (
    AI_ACT_CATEGORIES,
    FEEDBACK_WINDOW,
    KNOWLEDGE_WINDOW,
    RISKS,
    SERVING_MODES,
    Assessment,
    AssessmentDraft,
    EvidenceItem,
    Governance,
    KnowledgeFacts,
    ModelRisk,
    RiskPortfolio,
    Signal,
    check_assessment,
    decay_signal,
    knowledge_loss_signal,
    outage_signal,
    review_overdue,
    risk_level,
    risk_score,
    with_incidents,
    wrong_predictions_signal,
)
from portal.domain.validation import Problem
from portal.errors import InvalidInput, UnknownModel
from portal.services.audit import write_audit
from portal.services.authorization import authorize, may
from portal.services.decay import decay_signals
from portal.services.identity import Identity
from portal.store.catalog_repo import CatalogRepository, group_tags
from portal.store.database import Row, Store, Transaction, as_record
from portal.store.drift_repo import DriftRepository
from portal.store.governance_repo import GovernanceRepository
from portal.store.incident_repo import IncidentRepository
from portal.store.sync_log_repo import SyncLogRepository

GOVERNANCE_LIMIT = 200  # characters per governance field


class RiskService:
    """Reads risks, signals and accountability; owners and admins write assessments."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.repo = GovernanceRepository(store)
        self.catalog = CatalogRepository(store)

    # --- reads ----------------------------------------------------------------------------------

    def portfolio(self, now: datetime | None = None) -> RiskPortfolio:
        """Every model (not deleted) with its assessments in force and its signals."""
        now = now or utc_now()
        today = now.date()
        tags = group_tags(self.catalog.effective_tag_rows())
        governance = self.repo.governance()
        experts = self.repo.experts()
        assessments: dict[str, dict[str, Assessment]] = {}
        for row in self.repo.current_assessments():
            assessments.setdefault(row["model_name"], {})[row["risk"]] = _assessment(row, today)
        facts = _SignalFacts.read(self.store, now)
        models = []
        for row in self.catalog.inventory():
            name = row["name"]
            model_tags = effective_tags(*tags.get(name, ({}, {})))
            record = _governance(governance.get(name))
            model_assessments = assessments.get(name, {})
            models.append(
                ModelRisk(
                    name=name,
                    in_production=row["production_version"] is not None,
                    business_process=model_tags.get("business_process", ""),
                    business_unit=model_tags.get("business_unit", ""),
                    decision_mode=model_tags.get("decision_mode", ""),
                    technical_owners=split_list_tag(model_tags.get("owner", "")),
                    team=model_tags.get("team", ""),
                    data_sources=split_list_tag(model_tags.get("data_sources", "")),
                    governance=record,
                    experts=experts.get(name, ()),
                    assessments=model_assessments,
                    signals=facts.signals(name, model_tags, now),
                    evidence=_evidence(record, model_tags, facts, name),
                )
            )
        return RiskPortfolio(tuple(models))

    def model(self, name: str, now: datetime | None = None) -> ModelRisk | None:
        """One model's risks; None when it does not exist."""
        return next((m for m in self.portfolio(now).models if m.name == name), None)

    def history(self, name: str) -> tuple[Assessment, ...]:
        """Every assessment of a model, newest first."""
        today = utc_now().date()
        return tuple(_assessment(row, today) for row in self.repo.assessment_history(name))

    def may_assess(self, actor: Identity, name: str) -> bool:
        """For the interface: show the form or not (the service checks again on save)."""
        return may(self.store, actor, "risk.assess", name)

    def may_govern(self, actor: Identity, name: str) -> bool:
        """For the interface: offer the accountability and expert forms or not."""
        return may(self.store, actor, "governance.edit", name)

    # --- writes ---------------------------------------------------------------------------------

    def assess(
        self, actor: Identity, model_name: str, draft: AssessmentDraft, now: datetime | None = None
    ) -> int:
        """Record an assessment; the earlier one stays as history. Returns the new id."""
        now = now or utc_now()
        authorize(self.store, actor, "risk.assess", model_name)
        self._existing(model_name)
        problems = check_assessment(draft, now.date())
        if problems:
            raise InvalidInput(tuple(problems))
        with self.store.transaction() as tx:
            assessment_id = write_assessment(tx, actor, model_name, draft, now)
            tx.bump_data_version()
        return assessment_id

    def set_governance(
        self, actor: Identity, model_name: str, values: Governance, now: datetime | None = None
    ) -> bool:
        """Set accountability and criticality; False when nothing changed."""
        now = now or utc_now()
        authorize(self.store, actor, "governance.edit", model_name)
        self._existing(model_name)
        cleaned = {key: str(value).strip() for key, value in values.__dict__.items()}
        problems = _governance_problems(cleaned)
        if problems:
            raise InvalidInput(tuple(problems))
        with self.store.transaction() as tx:
            before = GovernanceRepository.governance_in(tx, model_name) or {}
            if {k: before.get(k, "") for k in cleaned} == cleaned:
                return False
            GovernanceRepository.upsert_governance(tx, model_name, cleaned, actor.label, now)
            write_audit(
                tx,
                actor,
                "governance.changed",
                ("model", model_name),
                now,
                model_name=model_name,
                before=dict(before) or None,
                after=cleaned,
            )
            tx.bump_data_version()
        return True

    def name_expert(
        self, actor: Identity, model_name: str, email: str, now: datetime | None = None
    ) -> bool:
        """Name a domain expert for a model; False when already named."""
        now = now or utc_now()
        authorize(self.store, actor, "governance.edit", model_name)
        self._existing(model_name)
        address = email.strip().casefold()
        if not _is_email(address):
            raise InvalidInput((Problem("email", "email"),))
        with self.store.transaction() as tx:
            added = GovernanceRepository.add_expert(tx, model_name, address, actor.label, now)
            if added:
                write_audit(
                    tx,
                    actor,
                    "expert.named",
                    ("model", model_name),
                    now,
                    model_name=model_name,
                    after={"email": address},
                )
                tx.bump_data_version()
        return added

    def remove_expert(
        self, actor: Identity, model_name: str, email: str, now: datetime | None = None
    ) -> bool:
        """Remove a named domain expert; False when the person was not named."""
        now = now or utc_now()
        authorize(self.store, actor, "governance.edit", model_name)
        with self.store.transaction() as tx:
            removed = GovernanceRepository.remove_expert(tx, model_name, email.strip().casefold())
            if removed:
                write_audit(
                    tx,
                    actor,
                    "expert.removed",
                    ("model", model_name),
                    now,
                    model_name=model_name,
                    before={"email": email.strip().casefold()},
                )
                tx.bump_data_version()
        return removed

    def _existing(self, model_name: str) -> None:
        model = self.catalog.model(model_name)
        if model is None or model["deleted_at"] is not None:
            raise UnknownModel(model_name)


@dataclass(frozen=True)
class _SignalFacts:
    """The data signals are computed from, read once for all models."""

    drift: dict[str, Row]
    quality_worse: dict[str, bool]
    feedback: dict[str, tuple[int, int]]
    contributors: dict[str, int]
    retrained: dict[str, datetime]
    last_sync_failed: bool
    incidents: dict[tuple[str, str], tuple[int, int]]  # (model, kind): (still open, recent)
    decay: dict[str, tuple[DecaySignal, ...]]  # estimated quality drop, widening fairness gap

    @classmethod
    def read(cls, store: Store, now: datetime) -> _SignalFacts:
        drift = DriftRepository(store)
        latest = {row["model_name"]: row for row in drift.latest_checks()}
        governance = GovernanceRepository(store)
        last = SyncLogRepository(store).recent(1)
        return cls(
            drift=latest,
            quality_worse=_quality_worse(
                drift.quality_of_checks([r["id"] for r in latest.values()])
            ),
            feedback=governance.wrong_prediction_reports(now - FEEDBACK_WINDOW),
            contributors=governance.contributors_since(now - KNOWLEDGE_WINDOW),
            retrained=governance.last_retrained(),
            last_sync_failed=bool(last) and last[0]["status"] == "failed",
            incidents={
                (row["model_name"], row["kind"]): (row["open"], row["recent"])
                for row in IncidentRepository(store).signal_counts(now - FEEDBACK_WINDOW)
            },
            decay=decay_signals(store),
        )

    def signals(self, name: str, tags: dict[str, str], now: datetime) -> dict[str, Signal]:
        check = self.drift.get(name)
        light = (check["status"] or check["outcome"]) if check else None
        has_logs = check is not None and check["reason"] not in NO_LOG_REASONS
        reports, severe = self.feedback.get(name, (0, 0))
        facts = KnowledgeFacts(
            contributors_last_year=self.contributors.get(name, 0),
            technical_owner_named=bool(split_list_tag(tags.get("owner", ""))),
            documentation_score=documentation_score(tags),
            last_retrained_at=self.retrained.get(name),
        )
        return {
            "outage": with_incidents(
                outage_signal(
                    check["latest_log_at"] if check else None,
                    has_logs,
                    self.last_sync_failed,
                    now,
                    checked=check is not None,
                ),
                *self.incidents.get((name, "outage"), (0, 0)),
            ),
            "wrong_predictions": with_incidents(
                wrong_predictions_signal(reports, severe),
                *self.incidents.get((name, "wrong_predictions"), (0, 0)),
            ),
            "decay": decay_signal(light, self.quality_worse.get(name), self.decay.get(name, ())),
            "knowledge_loss": knowledge_loss_signal(facts, now),
        }


def _quality_worse(rows: list[Row]) -> dict[str, bool]:
    """Per model: is any production quality metric noticeably below training?"""
    worse: dict[str, bool] = {}
    for row in rows:
        comparison = compare_quality(row["metric"], row["value"], row["training_value"])
        worse[row["model_name"]] = worse.get(row["model_name"], False) or comparison.worse
    return worse


def _evidence(
    record: Governance, tags: dict[str, str], facts: _SignalFacts, name: str
) -> tuple[EvidenceItem, ...]:
    """What an EU AI Act high-risk model must show, and whether the portal holds it."""
    if record.ai_act_category != "high":
        return ()
    check = facts.drift.get(name)
    return (
        EvidenceItem("documentation", documentation_score(tags) == 1.0),
        EvidenceItem("logging", check is not None and check["reason"] not in NO_LOG_REASONS),
        EvidenceItem("monitoring", check is not None and check["outcome"] == "checked"),
        EvidenceItem(
            "human_oversight",
            tags.get("decision_mode") == "advisory" or bool(record.human_oversight),
        ),
        EvidenceItem("accountable_executive", bool(record.accountable_executive)),
    )


def _assessment(row: Row, today: date) -> Assessment:
    score = risk_score(row["likelihood"], row["impact"])
    return as_record(
        Assessment,
        row,
        score=score,
        level=risk_level(score),
        overdue=review_overdue(row["next_review"], today),
    )


def _governance(row: Row | None) -> Governance:
    """A model's governance record; every field empty when none was set."""
    return as_record(Governance, row) if row else Governance("", "", "", "", "")


def _governance_problems(values: dict[str, str]) -> list[Problem]:
    problems = []
    for key in ("accountable_executive", "business_owner"):
        if values[key] and not _is_email(values[key]):
            problems.append(Problem(key, "email"))
    if values["serving_mode"] not in ("", *SERVING_MODES):
        problems.append(Problem("serving_mode", "unknown_choice"))
    if values["ai_act_category"] not in ("", *AI_ACT_CATEGORIES):
        problems.append(Problem("ai_act_category", "unknown_choice"))
    for key, value in values.items():
        limit = GOVERNANCE_LIMIT * (10 if key == "human_oversight" else 1)
        if len(value) > limit:
            problems.append(Problem(key, "too_long_text", limit))
    return problems


def _is_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and " " not in text and len(text) <= GOVERNANCE_LIMIT


def write_assessment(
    tx: Transaction, actor: Identity, model_name: str, draft: AssessmentDraft, now: datetime
) -> int:
    """Append a checked assessment and its 'risk.assessed' audit entry in the transaction (the
    risk page and a periodic review write them the same way); returns the new id."""
    assert draft.next_review is not None
    row = {
        "model_name": model_name,
        "risk": draft.risk,
        "likelihood": draft.likelihood,
        "impact": draft.impact,
        "mitigation": draft.mitigation.strip(),
        "next_review": draft.next_review,
        "assessed_by": actor.label,
        "assessed_by_name": actor.name,
        "assessed_at": now,
    }
    before = GovernanceRepository.current_assessment_in(tx, model_name, draft.risk)
    assessment_id = GovernanceRepository.insert_assessment(tx, row)
    write_audit(
        tx,
        actor,
        "risk.assessed",
        ("model", model_name),
        now,
        model_name=model_name,
        before=_plain(before),
        after={key: row[key] for key in ("risk", "likelihood", "impact", "mitigation")}
        | {"next_review": draft.next_review.isoformat()},
    )
    return assessment_id


def _plain(row: Row | None) -> dict | None:
    if row is None:
        return None
    return {
        key: value.isoformat() if isinstance(value, date) else value for key, value in row.items()
    }


__all__ = ["RISKS", "InvalidInput", "RiskService", "UnknownModel", "write_assessment"]
