"""Cached reads for pages, keyed by the store's data version so a sync or write shows at once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import plotly.graph_objects as go
import streamlit as st

from portal import clock
from portal.charts import GroupBar, HeatPoint, models_by_group_chart, risk_heatmap
from portal.domain.attention import Attention, AttentionItem
from portal.domain.catalog import InventoryRow, ModelCard, Overview
from portal.domain.drift import DriftPortfolio, ModelDrift, ModelDriftDetail, TrendPoint
from portal.domain.feedback import FeedbackCounts
from portal.domain.freshness import Freshness
from portal.domain.glance import ModelGlance
from portal.domain.lineage import BlastRadius, LineageLink
from portal.domain.people import Directory
from portal.domain.report import Changes
from portal.domain.risk import Assessment, ModelRisk, RiskPortfolio
from portal.domain.value import Portfolio, period_months
from portal.runtime import current_runtime
from portal.services.attention import AttentionService
from portal.services.audit import AuditService
from portal.services.catalog import CatalogService
from portal.services.data_status import DataStatusService
from portal.services.drift import DriftService
from portal.services.feedback import FeedbackService
from portal.services.glance import GlanceService
from portal.services.lineage import LineageService
from portal.services.people import PeopleService
from portal.services.report import ReportService
from portal.services.risk import RiskService
from portal.services.value import ValueService
from portal.text.i18n import translate
from portal.ui import session

T = TypeVar("T")


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
    """One model's newest drift check, for its card (cached per name, as model_risk)."""
    return _drift_of(catalog_service().data_version(), name)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _drift_of(data_version: int, name: str) -> ModelDrift | None:
    return next((m for m in drift_portfolio().models if m.model_name == name), None)


def drift_trends() -> dict[str, tuple[TrendPoint, ...]]:
    """Every production model's weekly drift trend in one cached read (the drift table)."""
    return _drift_weeks(catalog_service().data_version())


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


def model_glance(name: str) -> ModelGlance | None:
    """One model's at-a-glance facts for its card (cached per data version, day and name)."""
    return _model_glance(catalog_service().data_version(), clock.today(), name)


@st.cache_data(max_entries=256, ttl=600, show_spinner=False)
def _model_glance(data_version: int, today: date, name: str) -> ModelGlance | None:
    # The card's other sections read these already: the glance takes them from the cache.
    return GlanceService(current_runtime()).model_glance(
        name, card=model_card(name), risk=risk_portfolio(), drift=drift_portfolio()
    )


def risk_service() -> RiskService:
    """The risk and accountability service over the process's store."""
    runtime = current_runtime()
    return RiskService(runtime.store, runtime.settings)


def risk_portfolio() -> RiskPortfolio:
    """Every model's risks, signals and accountability (cached per data version and day:
    reviews fall due and inference logs go stale with the clock)."""
    return _risk_portfolio(catalog_service().data_version(), clock.today())


def model_risk(name: str) -> ModelRisk | None:
    """One model's risks, from the cached portfolio (cached per name: a card copies one model
    out of the cache, not the portfolio of a thousand)."""
    return _model_risk(catalog_service().data_version(), clock.today(), name)


@st.cache_data(max_entries=256, ttl=600, show_spinner=False)
def _model_risk(data_version: int, today: date, name: str) -> ModelRisk | None:
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


def people_service() -> PeopleService:
    """The people directory service over the process's runtime."""
    return PeopleService(current_runtime())


def people_directory() -> Directory:
    """Every known person by e-mail, for showing names (one object per data version)."""
    return _people_directory(catalog_service().data_version())


# A resource, not data: read by every name on a page, it must not be copied on each access;
# it is never changed after it is built.
@st.cache_resource(max_entries=4, ttl=3600, show_spinner=False)
def _people_directory(data_version: int) -> Directory:
    return people_service().directory()


def freshness() -> Freshness:
    """Catalog age, computed on every render (it changes with the clock) from the sync log as
    read once per data version (every sync attempt bumps it)."""
    service = catalog_service()
    return service.freshness(latest_syncs=_latest_syncs(service.data_version()))


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _latest_syncs(data_version: int) -> list[dict[str, Any]]:
    return [dict(row) for row in catalog_service().latest_syncs()]


@st.cache_data(max_entries=8, ttl=600, show_spinner=False)
def _feedback_counts(data_version: int) -> FeedbackCounts:
    return feedback_service().counts()


# A resource, not data: at 1,000 models unpickling a copy on every access costs more than the
# value page and the card take to draw; a Portfolio is frozen (tuples of frozen rows).
@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
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


# Signals read the clock (stale logs); ten minutes is fresh enough for them. A resource, not
# data: unpickling a copy of a thousand models on every access was the overview's largest cost;
# nothing changes a RiskPortfolio once built (frozen records; their dicts are only read).
@st.cache_resource(max_entries=8, ttl=600, show_spinner=False)
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


def attention_service() -> AttentionService:
    """The attention read service over the process's runtime."""
    return AttentionService(current_runtime())


def attention() -> Attention:
    """What needs attention across the portfolio (one object per data version and day)."""
    return _attention(catalog_service().data_version(), clock.today())


def attention_of(name: str) -> tuple[AttentionItem, ...]:
    """One model's attention items, the most consequential first, from the portfolio's."""
    return attention().of(name)


def report_changes() -> tuple[Changes | None, str]:
    """What changed since the last portfolio report, and who made it (cached per data version
    and day; a new report bumps the data version)."""
    return _report_changes(catalog_service().data_version(), clock.today())


# Resources, not data: the overview reads them on every render, and copying thousands of
# frozen items on each access would cost more than the page; they are never changed.
@st.cache_resource(max_entries=4, ttl=600, show_spinner=False)
def _attention(data_version: int, today: date) -> Attention:
    # The pages' cached read models, so the overview reads nothing twice.
    return attention_service().portfolio_from(
        inventory(), risk_portfolio(), drift_portfolio(), portfolio(*value_period("quarter"))
    )


@st.cache_resource(max_entries=4, ttl=600, show_spinner=False)
def _report_changes(data_version: int, today: date) -> tuple[Changes | None, str]:
    weights = {item.model_name: item.stake.weight for item in attention().items}
    runtime = current_runtime()
    return ReportService(runtime).changes_since_latest(
        inventory(),
        portfolio(*value_period("quarter")),
        drift_portfolio(),
        risk_portfolio(),
        weights,
    )


CHART_PROCESSES = 15  # bars the overview's process chart draws by name


def process_chart(language: str) -> go.Figure:
    """The overview's models-by-process chart (one figure per data version and language:
    building it costs more than the rest of the overview; st.plotly_chart only copies it)."""
    return _process_chart(catalog_service().data_version(), language)


def per_version(name: str, inputs: tuple[Any, ...], build: Callable[[], T]) -> T:
    """build() once per data version, day and session language for name and inputs (what
    else it depends on, e.g. a choice): a page's large tables are then shaped once, not on
    every render. build must depend on nothing else, and its value must pickle."""
    return _per_version(
        catalog_service().data_version(), clock.today(), session.language(), name, inputs, build
    )


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def _per_version(
    data_version: int,
    today: date,
    language: str,
    name: str,
    inputs: tuple[Any, ...],
    _build: Callable[[], T],
) -> T:
    return _build()


def risk_matrix_figure(points: list[HeatPoint], *words: Any, **more: Any) -> go.Figure:
    """charts.risk_heatmap, built once per distinct input (the models placed, the words):
    plotly's checks of a new figure cost more than the rest of the risk page."""
    # A digest stands in for the 1,000 points in the cache key: hashing them is slower.
    digest = hashlib.sha256(repr((points, words, sorted(more.items()))).encode()).hexdigest()
    return _risk_matrix_figure(digest, points, words, more)


# A resource: never changed after it is built (st.plotly_chart copies it into its message).
@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def _risk_matrix_figure(
    digest: str, _points: list[HeatPoint], _words: tuple[Any, ...], _more: dict[str, Any]
) -> go.Figure:
    return risk_heatmap(_points, *_words, **_more)


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def _process_chart(data_version: int, language: str) -> go.Figure:
    missing = translate(language, "common.not_documented")
    # The largest processes only: the table below the chart lists every one.
    largest = sorted(overview().processes, key=lambda group: (-group.models, group.name))
    bars = [
        GroupBar(group.name or missing, group.in_production, group.models - group.in_production)
        for group in largest[:CHART_PROCESSES]
    ]
    return models_by_group_chart(
        bars,
        translate(language, "overview.chart_in_production"),
        translate(language, "overview.chart_not_in_production"),
        language=language,
    )
