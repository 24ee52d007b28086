"""What each document shows: plain facts, built by the report service from the pages' reads.

A number in a PDF comes from the same read model as the number on the page; rendering sees
nothing else (no services, no store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal.config import Settings
from portal.domain.attention import Attention
from portal.domain.catalog import InventoryRow, ModelCard, Overview
from portal.domain.costs import ModelReturn, Returns
from portal.domain.drift import DriftPortfolio, ModelDrift, QualityComparison, TrendPoint
from portal.domain.estimation import ModelEstimate
from portal.domain.fairness import ModelFairness
from portal.domain.feedback import FeedbackCounts, FeedbackItem
from portal.domain.freshness import Freshness
from portal.domain.glance import ModelGlance
from portal.domain.incidents import Incident, IncidentCounts
from portal.domain.lineage import LineageLink
from portal.domain.people import Directory
from portal.domain.report import Changes, ModelStatus, ProcessValue, Snapshot
from portal.domain.reviews import ReviewStatus
from portal.domain.risk import ModelRisk, RiskPortfolio
from portal.domain.signoffs import PendingSummary, SignOff
from portal.domain.use_cases import Pipeline, UseCase
from portal.domain.value import MonthMoney, Portfolio


@dataclass(frozen=True)
class DataAges:
    """How current the sources behind a report are."""

    catalog: Freshness  # the last MLflow sync
    kpis_loaded_at: datetime | None
    drift_checked_at: datetime | None


@dataclass(frozen=True)
class FactSheetFacts:
    """Everything one model's fact sheet shows."""

    card: ModelCard
    status: ModelStatus
    risk: ModelRisk | None
    drift: ModelDrift | None  # None: not in production or never checked
    drift_weeks: tuple[TrendPoint, ...]
    quality: tuple[QualityComparison, ...]  # the current window against training
    value: Portfolio  # this model's KPIs over the last quarter
    money: tuple[MonthMoney, ...]  # the last twelve full months
    open_feedback: tuple[FeedbackItem, ...]  # newest first
    feedback_total: int
    lineage: LineageLink | None
    data: DataAges
    settings: Settings
    generated_at: datetime
    generated_by: str
    # The block the sheet opens with, as the model card shows it (names resolved); None: built
    # from the facts above, e-mail addresses for names.
    glance: ModelGlance | None = None
    incidents: tuple[Incident, ...] = ()  # not yet closed, open first, with any deadline
    use_case: UseCase | None = None  # the use case the model serves
    signoffs: tuple[SignOff, ...] = ()  # the model's sign-off records, newest first
    review: ReviewStatus | None = None  # periodic review status; None: not in production
    returns: Returns | None = None  # value against cost over the quarter (None: not read)
    fairness: ModelFairness | None = None  # gaps between groups over time (None: not read)
    estimate: ModelEstimate | None = None  # performance estimated before outcomes (None: none)
    model_return: ModelReturn | None = None  # this model's part of it


@dataclass(frozen=True)
class PortfolioFacts:
    """Everything the portfolio report shows."""

    overview: Overview
    inventory: tuple[InventoryRow, ...]
    value: Portfolio  # every model's KPIs over the last quarter
    drift: DriftPortfolio
    risk: RiskPortfolio
    feedback: FeedbackCounts
    snapshot: Snapshot
    attention: Attention  # the same list as the overview's: top items by name, kinds as groups
    processes: tuple[ProcessValue, ...]  # value by business process, most money promised first
    changes: Changes | None  # None: the first portfolio report; lists most consequential first
    previous_by: str  # who generated the previous report
    data: DataAges
    settings: Settings
    generated_at: datetime
    generated_by: str
    people: Directory = field(default_factory=Directory)  # display names by e-mail
    incidents: IncidentCounts = field(default_factory=lambda: IncidentCounts(0))
    use_cases: Pipeline = field(default_factory=lambda: Pipeline((), ()))
    signoffs: PendingSummary = field(default_factory=lambda: PendingSummary(0, (), ()))
    returns: Returns | None = None  # net value and ROI over the quarter (None: not read)
