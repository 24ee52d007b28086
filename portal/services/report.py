"""PDF summaries: gathers what the pages show into facts, has them rendered, records each report.

The facts are plain dataclasses from the other services, so a number in a PDF comes from the
same read as the number on the page. Rendering (reportlab, kaleido) is imported only when a
report is generated, never on the page path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from portal.clock import utc_now
from portal.domain.attention import portfolio_attention
from portal.domain.catalog import InventoryRow
from portal.domain.drift import DriftPortfolio
from portal.domain.report import (
    Changes,
    ModelStatus,
    Snapshot,
    changes_since,
    ranked_changes,
    value_by_process,
    worst_value,
)
from portal.domain.risk import RISKS, RiskPortfolio
from portal.domain.value import KpiValue, Portfolio, months_between, period_months
from portal.report.facts import DataAges, FactSheetFacts, PortfolioFacts
from portal.runtime import Runtime
from portal.services.attention import TOP as ATTENTION_TOP
from portal.services.attention import AttentionService
from portal.services.audit import write_audit
from portal.services.authorization import authorize
from portal.services.catalog import CatalogService
from portal.services.costs import CostService
from portal.services.drift import DriftService
from portal.services.estimation import EstimationService
from portal.services.fairness import FairnessService
from portal.services.feedback import FeedbackService
from portal.services.glance import GlanceService
from portal.services.identity import Identity
from portal.services.incidents import IncidentService
from portal.services.lineage import LineageService
from portal.services.people import PeopleService
from portal.services.reviews import ReviewService
from portal.services.risk import RiskService
from portal.services.signoffs import SignOffService
from portal.services.use_cases import UseCaseService
from portal.services.value import ValueService
from portal.store.report_repo import ReportRepository

MONEY_MONTHS = 12  # the fact sheet's value chart: the last twelve full months


@dataclass(frozen=True)
class GeneratedReport:
    """A rendered PDF and where it was recorded."""

    pdf: bytes
    pages: int
    report_id: int
    file_name: str


class ReportService:
    """Fact sheets and portfolio reports for anyone who may read the portal."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.settings = runtime.settings
        self.reports = ReportRepository(runtime.store)

    # --- facts ---------------------------------------------------------------------------------

    def fact_sheet_facts(
        self, name: str, generated_by: str, now: datetime | None = None
    ) -> FactSheetFacts | None:
        """One model's facts; None when no active model has that name."""
        now = now or utc_now()
        catalog = CatalogService(self.store, self.settings)
        card = catalog.model_card(name)
        if card is None:
            return None
        drift = DriftService(self.runtime)
        drift_portfolio = drift.portfolio()
        risk_portfolio = RiskService(self.store, self.settings).portfolio(now)
        value = self._quarter(now, name)
        row = next(r for r in catalog.inventory() if r.name == name)
        detail = drift.model(name, drift_portfolio)
        feedback = FeedbackService(self.store, self.settings).for_model(name)
        money_last = period_months("month", now.date(), None)
        assert money_last is not None  # 'month' always has a period
        months = months_between(date(money_last[1].year - 1, 1, 1), money_last[1])
        year = ValueService(self.store, self.settings).portfolio(
            months[-MONEY_MONTHS], money_last[1], model_name=name
        )
        return FactSheetFacts(
            card=card,
            status=_statuses([row], value, drift_portfolio, risk_portfolio)[0],
            risk=next((m for m in risk_portfolio.models if m.name == name), None),
            drift=detail.summary if detail else None,
            drift_weeks=detail.weeks if detail else (),
            quality=detail.current_quality if detail else (),
            value=value,
            money=year.money_by_month(),
            open_feedback=tuple(item for item in feedback if item.is_open),
            incidents=IncidentService(self.store, self.settings).unresolved(name, now.date()),
            use_case=UseCaseService(self.store, self.settings).serving_use_case(name),
            signoffs=SignOffService(self.store, self.settings).model_history(name),
            returns=(returns := CostService(self.store, self.settings).returns(value, {name})),
            model_return=returns.of(name),
            review=ReviewService(self.store, self.settings).status_of(name, now.date()),
            feedback_total=len(feedback),
            lineage=next(
                (
                    link
                    for link in LineageService(self.store).links(risk_portfolio)
                    if link.model_name == name
                ),
                None,
            ),
            data=self._ages(catalog, drift_portfolio, now),
            settings=self.settings,
            fairness=FairnessService(self.store).model(name),
            estimate=EstimationService(self.runtime).of_model(name),
            generated_at=now,
            generated_by=generated_by,
            glance=GlanceService(self.runtime).model_glance(
                name,
                now,
                card=card,
                risk=risk_portfolio,
                drift=drift_portfolio,
                value=value,
                feedback=feedback,
            ),
        )

    def portfolio_facts(self, generated_by: str, now: datetime | None = None) -> PortfolioFacts:
        """The portfolio's facts, compared with the newest recorded portfolio report."""
        now = now or utc_now()
        catalog = CatalogService(self.store, self.settings)
        inventory = tuple(catalog.inventory())
        value = self._quarter(now)
        drift_portfolio = DriftService(self.runtime).portfolio()
        risk_portfolio = RiskService(self.store, self.settings).portfolio(now)
        snapshot = Snapshot(
            now, tuple(_statuses(list(inventory), value, drift_portfolio, risk_portfolio))
        )
        # The overview's attention list, from the reads above: one rule set for pages and PDFs.
        model_facts = AttentionService(self.runtime).facts_from(
            inventory, risk_portfolio, drift_portfolio, value, now
        )
        stakes = {facts.name: facts.stake.weight for facts in model_facts}
        previous = self.reports.latest_portfolio()
        changes = (
            changes_since(Snapshot.from_json(previous["snapshot_json"]), snapshot)
            if previous
            else None
        )
        return PortfolioFacts(
            overview=catalog.overview(),
            inventory=inventory,
            value=value,
            drift=drift_portfolio,
            risk=risk_portfolio,
            feedback=FeedbackService(self.store, self.settings).counts(now),
            incidents=IncidentService(self.store, self.settings).counts(now.date()),
            use_cases=UseCaseService(self.store, self.settings).pipeline(),
            signoffs=SignOffService(self.store, self.settings).pending_summary(now),
            snapshot=snapshot,
            attention=portfolio_attention(model_facts, ATTENTION_TOP),
            processes=value_by_process(inventory, value),
            changes=ranked_changes(changes, stakes) if changes else None,
            previous_by=previous["generated_by_name"] if previous else "",
            data=self._ages(catalog, drift_portfolio, now),
            settings=self.settings,
            generated_at=now,
            generated_by=generated_by,
            people=PeopleService(self.runtime).directory(),
            returns=CostService(self.store, self.settings).returns(value),
        )

    # --- documents -----------------------------------------------------------------------------

    def fact_sheet(
        self, actor: Identity, name: str, language: str, now: datetime | None = None
    ) -> GeneratedReport | None:
        """Render one model's fact sheet and record it; None for an unknown model."""
        authorize(self.store, actor, "report.export", name)
        facts = self.fact_sheet_facts(name, actor.name, now)
        if facts is None:
            return None
        from portal.report import render_fact_sheet

        rendered = render_fact_sheet(facts, language)
        snapshot = Snapshot(facts.generated_at, (facts.status,))
        return self._record(
            actor, "fact_sheet", name, language, facts.generated_at, snapshot, rendered
        )

    def portfolio(
        self,
        actor: Identity,
        language: str,
        now: datetime | None = None,
        appendix: bool = False,
    ) -> GeneratedReport:
        """Render the portfolio report and record its snapshot for the next comparison; with
        `appendix`, every model's row follows the board pages."""
        authorize(self.store, actor, "report.export")
        facts = self.portfolio_facts(actor.name, now)
        from portal.report import render_portfolio

        rendered = render_portfolio(facts, language, appendix=appendix)
        return self._record(
            actor, "portfolio", None, language, facts.generated_at, facts.snapshot, rendered
        )

    def latest_portfolio(self) -> dict | None:
        """The newest recorded portfolio report (without its snapshot), for the overview."""
        rows = self.reports.recent(limit=1, kind="portfolio")
        return rows[0] if rows else None

    def changes_since_latest(
        self,
        inventory: list[InventoryRow],
        value: Portfolio,
        drift: DriftPortfolio,
        risk: RiskPortfolio,
        weights: dict[str, float],
        now: datetime | None = None,
    ) -> tuple[Changes | None, str]:
        """What changed since the newest portfolio report, as the next report will say, from
        read models the caller holds (the overview's cached ones), ranked by `weights` (the
        attention stakes); with who made that report. (None, '') before the first report."""
        previous = self.reports.latest_portfolio()
        if previous is None:
            return None, ""
        current = Snapshot(now or utc_now(), tuple(_statuses(inventory, value, drift, risk)))
        changes = changes_since(Snapshot.from_json(previous["snapshot_json"]), current)
        return ranked_changes(changes, weights), previous["generated_by_name"]

    # --- helpers -------------------------------------------------------------------------------

    def _quarter(self, now: datetime, model_name: str | None = None) -> Portfolio:
        """The last three full months, as the overview and the value page show them."""
        first, last = period_months("quarter", now.date(), None)  # type: ignore[misc]
        return ValueService(self.store, self.settings).portfolio(first, last, model_name=model_name)

    def _ages(self, catalog: CatalogService, drift: DriftPortfolio, now: datetime) -> DataAges:
        loads = ValueService(self.store, self.settings).value.loads(limit=1)
        return DataAges(
            catalog.freshness(now),
            loads[0]["loaded_at"] if loads else None,
            drift.last_checked_at,
        )

    def _record(
        self,
        actor: Identity,
        kind: str,
        model_name: str | None,
        language: str,
        at: datetime,
        snapshot: Snapshot,
        rendered,
    ) -> GeneratedReport:
        digest = hashlib.sha256(rendered.pdf).hexdigest()
        with self.store.transaction() as tx:
            report_id = ReportRepository.insert(
                tx,
                {
                    "kind": kind,
                    "model_name": model_name,
                    "language": language,
                    "generated_at": at,
                    "generated_by": actor.label,
                    "generated_by_name": actor.name,
                    "snapshot_json": snapshot.to_json(),
                    "pages": rendered.pages,
                    "size_bytes": len(rendered.pdf),
                    "sha256": digest,
                },
            )
            write_audit(
                tx,
                actor,
                f"report.{kind}",
                ("report", str(report_id)),
                at,
                model_name=model_name,
                after={"language": language, "pages": rendered.pages, "sha256": digest},
            )
        return GeneratedReport(
            rendered.pdf, rendered.pages, report_id, report_file_name(kind, model_name, at)
        )


def report_file_name(kind: str, model_name: str | None, at: datetime) -> str:
    """'fact-sheet_customer-churn_2026-11-27.pdf', 'portfolio-report_2026-11-27.pdf'."""
    day = at.strftime("%Y-%m-%d")
    if kind == "portfolio":
        return f"portfolio-report_{day}.pdf"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model_name or "model")
    return f"fact-sheet_{safe}_{day}.pdf"


def _statuses(
    inventory: list[InventoryRow],
    value: Portfolio,
    drift: DriftPortfolio,
    risk: RiskPortfolio,
) -> list[ModelStatus]:
    kpis: dict[str, list[KpiValue]] = {}
    for row in value.rows:
        kpis.setdefault(row.model_name, []).append(row)
    lights = {m.model_name: m.light for m in drift.models}
    risks = {m.name: m for m in risk.models}
    statuses = []
    for row in inventory:
        model_risk = risks.get(row.name)
        assessments = model_risk.assessments if model_risk else {}
        in_production = row.production_version is not None
        statuses.append(
            ModelStatus(
                name=row.name,
                in_production=in_production,
                production_version=row.production_version,
                value=worst_value([k.summary.status for k in kpis.get(row.name, [])]),
                health=lights.get(row.name, "not_monitored") if in_production else "",
                risk=(model_risk.highest_level or "") if model_risk else "",
                high_risks=tuple(
                    r for r in RISKS if r in assessments and assessments[r].level == "high"
                ),
                benchmarks=tuple(
                    sorted((k.kpi, k.benchmark_version) for k in kpis.get(row.name, []))
                ),
                overdue_reviews=len(model_risk.overdue) if model_risk else 0,
                accountable_executive=model_risk.governance.accountable_executive
                if model_risk
                else "",
            )
        )
    return statuses
