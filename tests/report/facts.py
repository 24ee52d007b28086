"""Report facts for the PDF tests: read from a real store, then given the parts the small test
catalog lacks (benchmarks, money, assessments, feedback, changes, many models)."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from PIL import Image

from portal.domain.attention import Attention, HighRisk, ModelFacts, Stake, portfolio_attention
from portal.domain.catalog import InventoryRow
from portal.domain.drift import ModelDrift, TrendPoint
from portal.domain.feedback import FeedbackItem
from portal.domain.report import (
    BenchmarkRevision,
    Changes,
    ModelStatus,
    Snapshot,
    StatusChange,
    VersionChange,
    value_by_process,
)
from portal.domain.risk import Assessment, Governance, RiskPortfolio
from portal.domain.value import KpiValue, MonthMoney, Portfolio, ValueSummary
from portal.report.facts import FactSheetFacts, PortfolioFacts

# A name with markup and an ampersand (must print literally) and one with German letters.
MARKUP_NAME = "Kündigung <b>x</b> & Co"
KPI = "Gewinn ä ö ü ß € je Monat"
MITIGATION = "Retrain monthly <i>and</i> check new contract types & tariffs."
HIDDEN = "Hidden Helga"
VISIBLE = "Visible Viktor"
PREVIOUS = datetime(2026, 2, 2, 9, 30)


def kpi_value(model: str, kpi: str, status: str, realized: float, promised: float) -> KpiValue:
    """One KPI of a model over the quarter, with money per unit of 100."""
    summary = ValueSummary(
        realized_uplift=realized,
        promised_uplift=promised,
        attainment=realized / promised,
        status=status,
        months_with_data=3,
        months_missing=0,
        realized_money=realized * 100,
        promised_money=promised * 100,
    )
    return KpiValue(
        model, kpi, "€", "higher", "sum", "Vertrieb", "Kundenbindung", 100, 110, 2, summary, ()
    )


def assessment(
    model: str, risk: str, likelihood: int, impact: int, level: str, overdue: bool = False
) -> Assessment:
    return Assessment(
        id=len(risk) + likelihood,
        model_name=model,
        risk=risk,
        likelihood=likelihood,
        impact=impact,
        score=likelihood * impact,
        level=level,
        mitigation=MITIGATION,
        next_review=date(2026, 1, 15) if overdue else date(2026, 6, 1),
        overdue=overdue,
        assessed_by="anna.schmidt@example.com",
        assessed_by_name="Anna Schmidt",
        assessed_at=datetime(2026, 1, 10, 12, 0),
    )


def feedback(number: int, name: str, show_name: bool) -> FeedbackItem:
    return FeedbackItem(
        id=number,
        reference=f"FB-{number:04d}",
        model_name=MARKUP_NAME,
        model_version=2,
        kind="wrong_prediction",
        severity="high",
        case_reference=f"C-{number}",
        model_output="stays",
        expected_output="leaves",
        description=f"Customer {number} left <b>despite</b> a low score & a loyalty bonus.",
        submitted_by=f"{name.split()[0].lower()}@example.com",
        submitter_name=name,
        show_name=show_name,
        submitted_at=datetime(2026, 2, 20 + number, 10, 0),
        status="new",
        response="",
        responded_by="",
        responded_at=None,
    )


def drifting(model: str, checked_at: datetime) -> ModelDrift:
    """The newest check of a model: 2 of 8 inputs changed, one of them strongly."""
    return ModelDrift(
        model_name=model,
        model_version=2,
        check_id=7,
        outcome="checked",
        reason="",
        detail="",
        status="drifting",
        checked_at=checked_at,
        duration_seconds=2.5,
        window_start=checked_at - timedelta(days=7),
        window_end=checked_at,
        window_rows=1400,
        window_sampled=1400,
        reference_rows=2000,
        reference_sampled=2000,
        labelled_rows=None,
        inputs_total=8,
        inputs_changed=2,
        strongest_change=7.3,
        top_changed_inputs=("monthly_charges", "tenure"),
        prediction_drifted=False,
        added_columns=(),
        has_report=False,
    )


def weeks(until: datetime, count: int) -> tuple[TrendPoint, ...]:
    """Weekly checks, oldest first: stable, then watch, then drifting."""
    points = []
    for index in range(count):
        start = until - timedelta(weeks=count - index)
        share, status = (0.0, "stable") if index < count - 3 else (0.125, "watch")
        if index >= count - 1:
            share, status = 0.25, "drifting"
        points.append(
            TrendPoint(
                "week",
                start,
                start + timedelta(weeks=1),
                "checked",
                status,
                share,
                1.0,
                False,
                1400,
            )
        )
    return tuple(points)


def rich_fact_sheet(facts: FactSheetFacts) -> FactSheetFacts:
    """The churn model's facts renamed, with value, money, assessments and open feedback."""
    name = MARKUP_NAME
    rows = (kpi_value(name, KPI, "on_track", 95, 100), kpi_value(name, "churn", "at_risk", 8, 10))
    model_risk = facts.risk
    assert model_risk is not None
    items = (feedback(2, VISIBLE, True), feedback(1, HIDDEN, False))
    return replace(
        facts,
        card=replace(facts.card, name=name),
        status=replace(facts.status, name=name, value="at_risk", health="drifting", risk="high"),
        drift=drifting(name, facts.generated_at - timedelta(hours=3)),
        drift_weeks=weeks(facts.generated_at, 8),
        risk=replace(
            model_risk,
            name=name,
            governance=Governance(
                "erika.executive@example.com",
                "bob.business@example.com",
                "batch",
                "high",
                "An agent checks every call list.",
            ),
            experts=("petra.klein@example.com",),
            assessments={
                "decay": assessment(name, "decay", 4, 3, "high"),
                "outage": assessment(name, "outage", 2, 3, "medium", overdue=True),
            },
        ),
        value=Portfolio(
            facts.value.first,
            facts.value.last,
            rows,
            sum(row.summary.promised_money for row in rows),
            sum(row.summary.realized_money for row in rows),
            (),
        ),
        money=tuple(
            MonthMoney(
                date(2025 + (month + 2) // 12, (month + 2) % 12 + 1, 1), 3100.0 + 50 * month, 3300.0
            )
            for month in range(12)
        ),
        open_feedback=items,
        feedback_total=5,
    )


def every_change() -> Changes:
    """A comparison in which every kind of change happened."""
    return Changes(
        previous_at=PREVIOUS,
        new_models=("Neumodell Größe",),
        retired_models=("old-scoring",),
        version_changes=(
            VersionChange("customer-churn", 1, 2),
            VersionChange("house-prices", 1, None),
        ),
        status_changes=(
            StatusChange("customer-churn", "health", "stable", "drifting"),
            StatusChange("customer-churn", "value", "off_track", "on_track"),
            StatusChange("house-prices", "risk", "", "high"),
        ),
        benchmark_revisions=(
            BenchmarkRevision("customer-churn", "Kündigungen je Monat", 1, 2),
            BenchmarkRevision("house-prices", "Bewertungsdauer", None, 1),
        ),
        new_high_risks=(("house-prices", "knowledge_loss"),),
    )


def with_money(facts: PortfolioFacts) -> PortfolioFacts:
    """The portfolio with a quarter's value in money."""
    rows = (kpi_value("customer-churn", KPI, "on_track", 123.45, 150),)
    return replace(
        facts, value=Portfolio(facts.value.first, facts.value.last, rows, 15000, 12345, ())
    )


def many_models(facts: PortfolioFacts, count: int) -> PortfolioFacts:
    """The portfolio grown to `count` models, a third high risks, a quarter drifting."""
    template_risk = facts.risk.models[0]
    statuses, inventory, risks = [], [], []
    lights = ("stable", "watch", "drifting", "not_monitored")
    for index in range(count):
        name = f"model-{index:03d}-{('scoring', 'forecast', 'ranking')[index % 3]}"
        level = ("high", "medium", "low")[index % 3]
        statuses.append(
            ModelStatus(
                name=name,
                in_production=index % 5 != 0,
                production_version=index % 4 + 1 if index % 5 != 0 else None,
                value=("on_track", "at_risk", "off_track", "")[index % 4],
                health=lights[index % 4] if index % 5 != 0 else "",
                risk=level,
                high_risks=("decay",) if level == "high" else (),
                overdue_reviews=1 if index % 7 == 0 else 0,
                accountable_executive=f"exec{index % 9}@example.com" if index % 6 else "",
            )
        )
        inventory.append(
            InventoryRow(
                name,
                "",
                f"Process {index % 12}",
                "Unit",
                "",
                "",
                None,
                None,
                1,
                None,
                1.0,
                (),
                False,
            )
        )
        risks.append(
            replace(
                template_risk,
                name=name,
                assessments={
                    "decay": assessment(name, "decay", index % 5 + 1, (index * 3) % 5 + 1, level)
                },
            )
        )
    snapshot = Snapshot(facts.generated_at, tuple(statuses))
    return replace(
        facts,
        inventory=tuple(inventory),
        snapshot=snapshot,
        attention=attention_of(snapshot.models, facts.generated_at),
        processes=value_by_process(inventory, facts.value),
        risk=RiskPortfolio(tuple(risks)),
    )


def attention_of(models, at: datetime) -> Attention:
    """The attention list of report statuses, every third model deciding automatically and
    promising money in proportion to its number."""
    return portfolio_attention(
        ModelFacts(
            name=m.name,
            in_production=m.in_production,
            production_since=at - timedelta(days=90),
            stake=Stake(
                monthly_value=1000.0 * (index % 10) or None,
                currency="EUR",
                decision_mode="automated" if index % 3 == 0 else "advisory",
                criticality="high" if index % 4 == 0 else "",
                ai_act_category="",
                processes=1,
            ),
            accountable_executive=m.accountable_executive,
            business_owner="bob.business@example.com" if index % 2 else "",
            technical_owners=(f"tech{index % 5}@example.com",),
            health=m.health,
            health_since=at - timedelta(days=14),
            value=m.value,
            value_since=at - timedelta(days=30),
            high_risks=tuple(HighRisk(risk, at - timedelta(days=40)) for risk in m.high_risks),
            assessed=bool(m.risk),
            overdue_since=(at - timedelta(days=3)).date() if m.overdue_reviews else None,
        )
        for index, m in enumerate(models)
    )


def many_changes(facts: PortfolioFacts) -> Changes:
    """A comparison in which every model changed in every way."""
    names = [m.name for m in facts.snapshot.models]
    return Changes(
        previous_at=PREVIOUS,
        new_models=tuple(names[::3]),
        retired_models=tuple(f"retired-{index:04d}" for index in range(len(names) // 4)),
        version_changes=tuple(VersionChange(name, 1, 2) for name in names),
        status_changes=tuple(
            StatusChange(name, aspect, before, after)
            for index, name in enumerate(names)
            for aspect, before, after in (
                ("health", "stable", "drifting") if index % 2 else ("health", "drifting", "stable"),
                ("value", "on_track", "off_track"),
                ("risk", "", "high"),
            )
        ),
        benchmark_revisions=tuple(BenchmarkRevision(name, "revenue", 1, 2) for name in names),
        new_high_risks=tuple((name, "decay") for name in names),
    )


def text_of(pdf: bytes) -> list[str]:
    """Each page's text, whitespace runs (line breaks, no-break spaces) made single spaces."""
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def rasterize(pdf: bytes, folder: Path) -> list[Path]:
    """The pages as 50 dpi PNG files, in page order."""
    source = folder / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(source), str(folder / "page")],
        check=True,
        timeout=60,
    )
    return sorted(folder.glob("page-*.png"))


def ink_share(png: Path) -> float:
    """The share of pixels that are not (almost) white."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)
