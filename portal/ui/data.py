"""Cached reads for pages, keyed by the store's data version so a sync or write shows at once."""

from __future__ import annotations

from datetime import date

import streamlit as st

from portal import clock
from portal.domain.catalog import InventoryRow, ModelCard, Overview
from portal.domain.drift import DriftPortfolio, ModelDrift, ModelDriftDetail, TrendPoint
from portal.domain.feedback import FeedbackCounts
from portal.domain.freshness import Freshness
from portal.domain.lineage import BlastRadius, LineageLink
from portal.domain.risk import Assessment, ModelRisk, RiskPortfolio
from portal.domain.value import Portfolio, period_months
from portal.runtime import current_runtime
from portal.services.audit import AuditService
from portal.services.catalog import CatalogService
from portal.services.data_status import DataStatusService
from portal.services.drift import DriftService
from portal.services.feedback import FeedbackService
from portal.services.lineage import LineageService
from portal.services.risk import RiskService
from portal.services.value import ValueService


def catalog_service() -> CatalogService:
    """The catalog read service over the process's store."""
    runtime = current_runtime()
    return CatalogService(runtime.store, runtime.settings)


def data_status_service() -> DataStatusService:
    """The data status service over the process's runtime."""
    return DataStatusService(current_runtime())


def drift_service() -> DriftService:
    """The drift read service (and admins' check requests) over the process's runtime."""
    return DriftService(current_runtime())


def drift_portfolio() -> DriftPortfolio:
    """Every production model's newest drift check (cached per data version)."""
    return _drift_portfolio(catalog_service().data_version())


def drift_detail(name: str) -> ModelDriftDetail | None:
    """One model's drift drill-down (cached per data version and name)."""
    return _drift_detail(catalog_service().data_version(), name)


def drift_of(name: str) -> ModelDrift | None:
    """One model's newest drift check, for its card."""
    return next((m for m in drift_portfolio().models if m.model_name == name), None)


def drift_weeks(name: str) -> tuple[TrendPoint, ...]:
    """One model's weekly drift trend, for the drift page's list (all models read at once)."""
    return _drift_weeks(catalog_service().data_version()).get(name, ())


def feedback_service() -> FeedbackService:
    """The feedback service over the process's store."""
    runtime = current_runtime()
    return FeedbackService(runtime.store, runtime.settings)


def audit_service() -> AuditService:
    """The audit read service over the process's store."""
    return AuditService(current_runtime().store)


def feedback_counts() -> FeedbackCounts:
    """Feedback figures for the overview (cached per data version)."""
    return _feedback_counts(catalog_service().data_version())


def value_service() -> ValueService:
    """The business-value service over the process's store."""
    runtime = current_runtime()
    return ValueService(runtime.store, runtime.settings)


def value_period(kind: str) -> tuple[date, date] | None:
    """First and last month of a period choice (month, quarter, year, all)."""
    # Only 'all' needs the earliest observation: no store query for the other periods.
    earliest = value_service().earliest_observation() if kind == "all" else None
    return period_months(kind, clock.today(), earliest)


def portfolio(
    first: date, last: date, units: tuple[str, ...] = (), processes: tuple[str, ...] = ()
) -> Portfolio:
    """Value per model and KPI for the months first..last (cached per data version)."""
    return _portfolio(catalog_service().data_version(), first, last, units, processes)


def inventory() -> list[InventoryRow]:
    """All active models (cached per data version)."""
    return _inventory(catalog_service().data_version())


def overview() -> Overview:
    """Portfolio figures (cached per data version)."""
    return _overview(catalog_service().data_version())


def model_card(name: str) -> ModelCard | None:
    """One model's card (cached per data version and name)."""
    return _model_card(catalog_service().data_version(), name)


def risk_service() -> RiskService:
    """The risk and accountability service over the process's store."""
    runtime = current_runtime()
    return RiskService(runtime.store, runtime.settings)


def risk_portfolio() -> RiskPortfolio:
    """Every model's risks, signals and accountability (cached per data version and day:
    reviews fall due and inference logs go stale with the clock)."""
    return _risk_portfolio(catalog_service().data_version(), clock.today())


def model_risk(name: str) -> ModelRisk | None:
    """One model's risks, from the cached portfolio."""
    return next((m for m in risk_portfolio().models if m.name == name), None)


def risk_history(name: str) -> tuple[Assessment, ...]:
    """Every assessment of a model, newest first (cached per data version)."""
    return _risk_history(catalog_service().data_version(), clock.today(), name)


def lineage_links() -> tuple[LineageLink, ...]:
    """Per model: process, versions, run, data and code commit (cached per data version)."""
    return _lineage_links(catalog_service().data_version(), clock.today())


def lineage_of_process(process: str) -> tuple[LineageLink, ...]:
    """The models serving a business process, with versions, runs, data and code."""
    return _lineage_of_process(catalog_service().data_version(), clock.today(), process)


def blast_radius(source: str) -> BlastRadius:
    """Every model, process and accountable executive a data source reaches."""
    return _blast_radius(catalog_service().data_version(), clock.today(), source)


def _lineage() -> LineageService:
    return LineageService(current_runtime().store)


def freshness() -> Freshness:
    """Catalog age, computed on every render: it changes with the clock, not the data."""
    return catalog_service().freshness()


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _feedback_counts(data_version: int) -> FeedbackCounts:
    return feedback_service().counts()


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _portfolio(
    data_version: int, first: date, last: date, units: tuple[str, ...], processes: tuple[str, ...]
) -> Portfolio:
    return value_service().portfolio(first, last, units, processes)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _inventory(data_version: int) -> list[InventoryRow]:
    return catalog_service().inventory()


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _overview(data_version: int) -> Overview:
    return catalog_service().overview()


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _model_card(data_version: int, name: str) -> ModelCard | None:
    return catalog_service().model_card(name)


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _drift_portfolio(data_version: int) -> DriftPortfolio:
    return drift_service().portfolio()


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _drift_weeks(data_version: int) -> dict[str, tuple[TrendPoint, ...]]:
    return drift_service().weekly_trends(drift_portfolio())


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _drift_detail(data_version: int, name: str) -> ModelDriftDetail | None:
    return drift_service().model(name)


# Signals read the clock (stale logs); ten minutes is fresh enough for them.
@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _risk_portfolio(data_version: int, today: date) -> RiskPortfolio:
    return risk_service().portfolio()


@st.cache_data(max_entries=256, ttl=600, show_spinner=False)
def _risk_history(data_version: int, today: date, name: str) -> tuple[Assessment, ...]:
    return risk_service().history(name)


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _lineage_links(data_version: int, today: date) -> tuple[LineageLink, ...]:
    return _lineage().links(risk_portfolio())


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def _lineage_of_process(data_version: int, today: date, process: str) -> tuple[LineageLink, ...]:
    return _lineage().from_process(risk_portfolio(), process)


@st.cache_data(max_entries=64, ttl=600, show_spinner=False)
def _blast_radius(data_version: int, today: date, source: str) -> BlastRadius:
    return _lineage().blast_radius(risk_portfolio(), source)
