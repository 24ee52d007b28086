"""PDF reports through ReportService on a real store: facts, recording, and what changed."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from portal.domain.feedback import FeedbackDraft
from portal.domain.people import Person
from portal.domain.risk import AssessmentDraft, Governance
from portal.runtime import command_runtime
from portal.services.audit import AuditService
from portal.services.feedback import FeedbackService
from portal.services.people import PeopleService
from portal.services.report import ReportService, report_file_name
from portal.services.risk import RiskService
from portal.services.value import ValueService
from portal.sources.mlflow_records import SourceModel
from portal.store.audit_repo import AuditFilter
from portal.store.report_repo import ReportRepository
from portal.text.i18n import translate
from tests.conftest import sync_fake
from tests.support.builders import ADMIN, EXPERT, OWNER, READER, RETENTION_RATE, kpi_file
from tests.support.catalog_fixture import T0, base_registry, move_alias, run, version

NOW = datetime(2026, 11, 27, 10, 0)
KPIS = kpi_file(
    ("customer-churn", "retention rate", month, value)
    for month, value in (("2026-08", 74.5), ("2026-09", 75.5), ("2026-10", 72.0))
)


@pytest.fixture
def source():
    return base_registry()


@pytest.fixture
def service(settings, store, source):
    sync_fake(store, source, T0 + timedelta(days=30))
    return ReportService(command_runtime(settings, store))


def promise_and_kpis(service: ReportService) -> None:
    values = ValueService(service.store, service.settings)
    values.set_benchmark(OWNER, "customer-churn", RETENTION_RATE, now=NOW)
    outcome = values.load_kpis(ADMIN, KPIS, "kpis.csv", "cli", now=NOW)
    assert outcome.loaded, outcome.rejects


def assess(service: ReportService, risk: str, likelihood: int, impact: int) -> None:
    draft = AssessmentDraft(risk, likelihood, impact, "Fallback ready.", date(2027, 2, 1))
    RiskService(service.store, service.settings).assess(OWNER, "customer-churn", draft, now=NOW)


def test_fact_sheet_facts_gather_what_the_pages_show(service):
    promise_and_kpis(service)
    assess(service, "outage", 2, 2)
    FeedbackService(service.store, service.settings).submit(
        EXPERT,
        "customer-churn",
        FeedbackDraft("wrong_prediction", "high", "C-1", "stays", "left", "Left last week.", False),
        "key-1",
        now=NOW,
    )
    facts = service.fact_sheet_facts("customer-churn", "Rita Reader", NOW)
    assert facts.card.production_version == 2
    assert facts.status.in_production and facts.status.production_version == 2
    assert facts.status.risk == "low"
    assert facts.status.benchmarks == (("retention rate", 1),)
    (kpi,) = facts.value.rows
    assert kpi.kpi == "retention rate"
    assert (facts.value.first, facts.value.last) == (date(2026, 8, 1), date(2026, 10, 1))
    assert len(facts.money) == 12 and facts.money[-1][0] == date(2026, 10, 1)
    assert [item.reference for item in facts.open_feedback] == [
        item.reference
        for item in FeedbackService(service.store, service.settings).for_model("customer-churn")
    ]
    assert facts.feedback_total == 1
    assert facts.lineage is not None and facts.lineage.run_id == "r2"
    assert facts.data.kpis_loaded_at == NOW
    assert facts.generated_by == "Rita Reader" and facts.generated_at == NOW


def test_unknown_model_has_no_fact_sheet_and_nothing_is_recorded(service):
    assert service.fact_sheet_facts("no such model", "x", NOW) is None
    assert service.fact_sheet(READER, "no such model", "en", NOW) is None
    assert ReportRepository(service.store).recent() == []


def test_fact_sheet_is_recorded_audited_and_the_same_for_the_same_data_and_time(service):
    promise_and_kpis(service)
    first = service.fact_sheet(READER, "customer-churn", "en", NOW)
    second = service.fact_sheet(READER, "customer-churn", "en", NOW)
    assert first.pdf.startswith(b"%PDF") and first.pdf == second.pdf
    assert first.file_name == "fact-sheet_customer-churn_2026-11-27.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(first.pdf)).pages)
    assert "customer-churn" in text and "Rita Reader" in text
    (latest, _) = ReportRepository(service.store).recent()
    assert latest["kind"] == "fact_sheet" and latest["model_name"] == "customer-churn"
    assert latest["pages"] == first.pages == len(PdfReader(io.BytesIO(first.pdf)).pages)
    entries = AuditService(service.store).entries(ADMIN, AuditFilter(action="report.fact_sheet"))
    assert [(e.actor, e.model_name) for e in entries] == [
        ("rita@example.com", "customer-churn"),
        ("rita@example.com", "customer-churn"),
    ]


def test_german_fact_sheet_of_a_model_with_umlauts(service):
    report = service.fact_sheet(READER, "Kündigung Geschäftskunden", "de", NOW)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf)).pages)
    assert "Kündigung Geschäftskunden" in text
    assert report.file_name == "fact-sheet_Kündigung_Geschäftskunden_2026-11-27.pdf"


def test_the_first_portfolio_report_has_nothing_to_compare(service):
    facts = service.portfolio_facts("Rita Reader", NOW)
    assert facts.changes is None
    assert {m.name for m in facts.snapshot.models} == {
        "customer-churn",
        "bare model",
        "house-prices",
        "Kündigung Geschäftskunden",
    }


def test_the_next_portfolio_report_says_what_changed_since_the_recorded_one(service, source, store):
    first = service.portfolio(READER, "en", NOW)
    assert first.file_name == report_file_name("portfolio", None, NOW)
    recorded = service.latest_portfolio()
    assert recorded["id"] == first.report_id and recorded["generated_by_name"] == "Rita Reader"

    # A week of changes: a new model, one retired, a version rolled back, a new promise,
    # and a high risk assessed.
    later = NOW + timedelta(days=7)
    move_alias(source, "customer-churn", "champion", 1)
    source.snapshot = replace(
        source.snapshot,
        models=(
            *(m for m in source.snapshot.models if m.name != "bare model"),
            SourceModel("fraud-alerts", "", T0, T0, {}, {"champion": 1}),
        ),
        versions=(
            *(v for v in source.snapshot.versions if v.model_name != "bare model"),
            version("fraud-alerts", 1, "r9"),
        ),
    )
    source.runs["r9"] = run("r9", T0)
    sync_fake(store, source, later)
    ValueService(store, service.settings).set_benchmark(
        OWNER, "customer-churn", RETENTION_RATE, now=later
    )
    assess(service, "outage", 4, 4)

    facts = service.portfolio_facts("Rita Reader", later + timedelta(hours=1))
    changes = facts.changes
    assert changes.previous_at == NOW
    assert changes.new_models == ("fraud-alerts",)
    assert changes.retired_models == ("bare model",)
    assert [(c.model_name, c.before, c.after) for c in changes.version_changes] == [
        ("customer-churn", 2, 1)
    ]
    assert [(r.model_name, r.kpi, r.before, r.after) for r in changes.benchmark_revisions] == [
        ("customer-churn", "retention rate", None, 1)
    ]
    assert changes.new_high_risks == (("customer-churn", "outage"),)
    assert ("customer-churn", "risk", "", "high") in [
        (c.model_name, c.aspect, c.before, c.after) for c in changes.status_changes
    ]
    assert facts.previous_by == "Rita Reader"
    entries = AuditService(store).entries(ADMIN, AuditFilter(action="report.portfolio"))
    assert len(entries) == 1


def test_a_portfolio_report_right_after_another_finds_nothing_changed(service):
    service.portfolio(READER, "de", NOW)
    facts = service.portfolio_facts("Rita Reader", NOW + timedelta(minutes=5))
    assert facts.changes is not None and facts.changes.nothing


def test_report_file_names_are_safe_for_any_model_name():
    at = datetime(2026, 3, 9, 23, 59)
    assert report_file_name("portfolio", None, at) == "portfolio-report_2026-03-09.pdf"
    assert report_file_name("fact_sheet", "../etc/pass wd", at) == (
        "fact-sheet_.._etc_pass_wd_2026-03-09.pdf"
    )


def test_a_high_risk_fact_sheet_lists_the_missing_evidence_as_the_risk_page_does(service):
    risks = RiskService(service.store, service.settings)
    risks.set_governance(
        ADMIN,
        "customer-churn",
        Governance("", "bob.business@example.com", "batch", "high", ""),
        now=NOW,
    )
    model = risks.model("customer-churn", NOW)
    missing = [item.code for item in model.evidence if not item.present]
    held = [item.code for item in model.evidence if item.present]
    assert "accountable_executive" in missing and "monitoring" in missing  # never checked
    for lang in ("en", "de"):
        report = service.fact_sheet(READER, "customer-churn", lang, NOW)
        text = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO(report.pdf)).pages
        )
        assert translate(lang, "risk.evidence_title") in text
        gaps = ", ".join(translate(lang, f"evidence.{code}") for code in missing)
        assert translate(lang, "risk.evidence_gaps", gaps=gaps) in text
        for code in missing:
            assert translate(lang, f"evidence.{code}_missing") in text, code
        for code in held:
            assert translate(lang, f"evidence.{code}_present") in text, code
    # A model outside the high category has no checklist.
    other = service.fact_sheet(READER, "house-prices", "en", NOW)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(other.pdf)).pages)
    assert translate("en", "risk.evidence_title") not in " ".join(text.split())


def test_portfolio_facts_carry_the_overviews_attention_and_name_who_acts(service):
    PeopleService(service.runtime).add_from_source(
        [Person("anna.schmidt@example.com", "Anna Schmidt", "demo")], "demo", now=NOW
    )
    facts = service.portfolio_facts("Rita Reader", NOW)
    attention = facts.attention
    assert attention.models_considered == 4
    assert {g.kind for g in attention.groups} >= {"no_executive"}
    acting = [item for item in attention.top if item.acts == "anna.schmidt@example.com"]
    assert acting  # customer-churn's technical owner acts on it
    assert [p.process for p in facts.processes if p.models] and sum(
        p.models for p in facts.processes
    ) == len(facts.inventory)
    report = service.portfolio(READER, "en", NOW)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report.pdf)).pages
    )
    assert "Anna Schmidt" in text and "anna.schmidt@example.com" in text  # name, address under it
    assert translate("en", "report_pack.processes_title") in text
