"""The PDF fact sheet and portfolio report: their text in both languages, page counts, no blank
pages, identical bytes for identical facts, every kind of change, and 200 models."""

from __future__ import annotations

import io
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from pypdf import PdfReader

from portal.domain.drift import compare_quality
from portal.domain.report import Changes
from portal.report import RenderedPdf, render_fact_sheet, render_portfolio
from portal.report.facts import FactSheetFacts, PortfolioFacts
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.report import ReportService
from portal.store import open_store
from portal.text import attention_wording
from portal.text.format import format_date, format_money
from portal.text.i18n import catalog, translate
from tests.conftest import fill_base_history, load_settings_for
from tests.report.facts import (
    HIDDEN,
    KPI,
    MARKUP_NAME,
    MITIGATION,
    PREVIOUS,
    VISIBLE,
    every_change,
    ink_share,
    many_changes,
    many_models,
    rasterize,
    rich_fact_sheet,
    text_of,
    with_money,
)
from tests.support.drift_fixtures import NOW

AT = NOW + timedelta(hours=2)
LANGUAGES = ("en", "de")
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[ReportService]:
    """The small test catalog behind a service (drift facts are added in code: fast)."""
    folder = tmp_path_factory.mktemp("report_store")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = fill_base_history(open_store(settings.store_path))
    yield ReportService(Runtime(settings, store, Scheduler(lambda request: None, 60)))
    store.close()


@pytest.fixture(scope="module")
def sheet_facts(service: ReportService) -> FactSheetFacts:
    facts = service.fact_sheet_facts("customer-churn", "Test User", AT)
    assert facts is not None
    return rich_fact_sheet(facts)


@pytest.fixture(scope="module")
def sheets(sheet_facts: FactSheetFacts) -> dict[str, RenderedPdf]:
    return {lang: render_fact_sheet(sheet_facts, lang) for lang in LANGUAGES}


@pytest.fixture(scope="module")
def portfolio_facts(service: ReportService) -> PortfolioFacts:
    return with_money(service.portfolio_facts("Test User", AT))


@pytest.fixture(scope="module")
def changed(portfolio_facts: PortfolioFacts) -> dict[str, RenderedPdf]:
    facts = replace(portfolio_facts, changes=every_change(), previous_by="Paula Previous")
    return {lang: render_portfolio(facts, lang) for lang in LANGUAGES}


@pytest.fixture(scope="module")
def many(portfolio_facts: PortfolioFacts) -> tuple[RenderedPdf, float]:
    """The portfolio report of 200 models with its appendix, and how long it took to render."""
    facts = many_models(portfolio_facts, 200)
    started = time.perf_counter()
    rendered = render_portfolio(facts, "en", appendix=True)
    return rendered, time.perf_counter() - started


@pytest.fixture(scope="module")
def board(portfolio_facts: PortfolioFacts) -> dict[str, RenderedPdf]:
    """The board pages of 200 models in which everything changed, in both languages."""
    facts = many_models(portfolio_facts, 200)
    facts = replace(facts, changes=many_changes(facts), previous_by="Paula Previous")
    return {lang: render_portfolio(facts, lang) for lang in LANGUAGES}


def words(lang: str, key: str, **values) -> str:
    return translate(lang, key, **values)


# --- fact sheet --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fact_sheet_text_names_figures_and_sections(sheets, sheet_facts, lang):
    pages = text_of(sheets[lang].pdf)
    text = " ".join(pages)
    # User text prints literally: no markup is interpreted, umlauts, ß and € survive.
    assert MARKUP_NAME in pages[0]
    assert KPI in text
    assert MITIGATION in text
    value = sheet_facts.value
    realized = format_money(lang, value.realized_money, "EUR")
    assert realized in text
    assert words(lang, "common.version", version=2) in pages[0]
    for key in (
        "report.fact_sheet_title",
        "report.at_a_glance",
        "card.what",
        "card.responsible",
        "value.card_section",
        "drift.card_section",
        "report.risks_title",
        "report.feedback_title",
        "card.lineage",
        "card.documentation",
        "report.about_title",
    ):
        assert words(lang, key) in text, key
    assert words(lang, "drift_light.drifting") in text
    assert words(lang, "risk_name.knowledge_loss") in text
    assert "erika.executive@example.com" in text
    assert "a" * 40 in text.replace(" ", "")  # the training run's git commit
    when = words(lang, "report.generated", who="Test User", when="")
    assert all(when.strip() in page for page in pages)
    for number, page in enumerate(pages, start=1):
        assert words(lang, "report.page_of", page=number, pages=len(pages)) in page


def test_fact_sheet_in_german_reads_german(sheets):
    text = " ".join(text_of(sheets["de"].pdf))
    for phrase in (
        "Modellsteckbrief",
        "Auf einen Blick",
        "Wer verantwortlich ist",
        "Risikobewertung",
    ):
        assert phrase in text
    assert "Seite 1 von" in text
    assert "What it does" not in text


def test_fact_sheet_names_a_submitter_only_when_they_chose_to_be(sheets):
    for rendered in sheets.values():
        text = " ".join(text_of(rendered.pdf))
        assert "FB-0001" in text and "FB-0002" in text
        assert VISIBLE in text
        assert HIDDEN not in text and "hidden@example.com" not in text
        assert "left <b>despite</b> a low score & a loyalty bonus" in text


def test_fact_sheet_fits_one_to_four_pages_with_its_charts(sheets):
    # Four since the lifecycle (use case, cost, review, incidents, sign-offs) joined it.
    for rendered in sheets.values():
        reader = PdfReader(io.BytesIO(rendered.pdf))
        assert 1 <= rendered.pages <= 4
        assert len(reader.pages) == rendered.pages
        images = sum(len(page.images) for page in reader.pages)
        assert images == 2  # value over time and the weekly drift trend
        assert reader.metadata.title.endswith(MARKUP_NAME)
        assert reader.metadata.author == "Test User"


def test_fact_sheet_without_production_benchmark_or_money(service):
    facts = service.fact_sheet_facts("bare model", "Test User", AT)
    rendered = render_fact_sheet(facts, "en")
    text = " ".join(text_of(rendered.pdf))
    assert "No version of this model is in production." in text
    assert words("en", "value.card_empty") in text
    assert words("en", "drift.card_not_production") in text
    assert "Missing: Purpose, Business process" in text
    assert words("en", "report.risks_not_assessed") in text
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(rendered.pdf)).pages) == 0


def test_fact_sheet_says_so_when_no_month_has_money(sheet_facts):
    facts = replace(sheet_facts, money=tuple(m._replace(realized=None) for m in sheet_facts.money))
    text = " ".join(text_of(render_fact_sheet(facts, "de").pdf))
    assert words("de", "report.value_chart_empty") in text


def test_fact_sheet_shows_quality_against_training(sheet_facts):
    quality = (
        compare_quality("accuracy", 0.712, 0.86),
        compare_quality("roc_auc", 0.905, 0.9),
    )
    facts = replace(rich_fact_sheet(sheet_facts), quality=quality)
    text = " ".join(text_of(render_fact_sheet(facts, "de").pdf))
    assert "Qualität im Vergleich zum Training" in text
    assert "71,2 %" in text and "86,0 %" in text and "−17 %" in text
    assert words("de", "drift.verdict_worse") in text
    assert words("de", "drift.verdict_same") in text


# --- portfolio ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_portfolio_headline_lights_and_attention(portfolio_facts, lang):
    rendered = render_portfolio(portfolio_facts, lang)
    pages = text_of(rendered.pdf)
    text = " ".join(pages)
    assert format_money(lang, 12345, "EUR") in pages[0]
    assert words(lang, "value.tile_of", promised=format_money(lang, 15000, "EUR")) in text
    for key in (
        "report.portfolio_title",
        "report.at_a_glance",
        "report.attention_title",
        "report_change.title",
        "risk.matrix_title",
        "report.about_title",
    ):
        assert words(lang, key) in text, key
    # The overview's attention list: every kind by name, the top items with who acts.
    found = portfolio_facts.attention
    assert found.groups and found.top
    for group in found.groups:
        assert attention_wording.kind_label(lang, group.kind) in text
    for item in found.top:
        assert " ".join(attention_wording.what_text(lang, item).split()) in text
    assert words(lang, "report_change.first") in text
    assert words(lang, "report_pack.processes_title") in text
    # Every model's lights only in the appendix, each in words: colour is never the only signal.
    assert words(lang, "report_pack.appendix_hint") in text
    appendix = " ".join(text_of(render_portfolio(portfolio_facts, lang, appendix=True).pdf))
    assert words(lang, "report_pack.appendix_title", count=4) in appendix
    for model in portfolio_facts.snapshot.models:
        assert model.name in appendix
    assert words(lang, "drift_light.drifting") in appendix
    assert words(lang, "report.not_in_production") in appendix
    assert words(lang, "risk_level.none") in appendix


def test_portfolio_says_when_nothing_changed(portfolio_facts):
    facts = replace(portfolio_facts, changes=Changes(PREVIOUS), previous_by="Paula Previous")
    for lang in LANGUAGES:
        text = " ".join(text_of(render_portfolio(facts, lang).pdf))
        date = format_date(lang, PREVIOUS)
        assert words(lang, "report_change.nothing", date=date, who="Paula Previous") in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_portfolio_lists_every_kind_of_change(changed, lang):
    text = " ".join(text_of(changed[lang].pdf))
    date = format_date(lang, PREVIOUS)
    assert words(lang, "report_change.since", date=date, who="Paula Previous") in text
    for key, count in (
        ("report_pack.change_new", 1),
        ("report_pack.change_retired", 1),
        ("report_pack.change_versions", 2),
        ("report_pack.change_worse", 2),
        ("report_pack.change_better", 1),
        ("report_pack.change_benchmarks", 2),
        ("report_pack.change_high_risks", 1),
    ):
        assert f"{words(lang, key)} {count}" in text, key
    assert "Neumodell Größe" in text and "old-scoring" in text
    assert "Kündigungen je Monat" in text and "Bewertungsdauer" in text
    health = words(lang, "report.health")
    stable, drifting = words(lang, "drift_light.stable"), words(lang, "drift_light.drifting")
    assert f"customer-churn: {health} {stable} → {drifting}" in text
    for word in (
        words(lang, "report.not_in_production"),
        words(lang, "status_value.off_track"),
        words(lang, "report_pack.benchmark_first"),
        words(lang, "risk_name.knowledge_loss"),
    ):
        assert word in text, word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_board_pages_of_two_hundred_changed_models_count_and_name_the_first(board, lang):
    pages = text_of(board[lang].pdf)
    assert len(pages) == board[lang].pages <= 6
    text = " ".join(pages)
    # 200 versions changed: counted, five named, the rest said to be in the portal.
    assert f"{words(lang, 'report_pack.change_versions')} 200" in text
    assert f"{words(lang, 'report_pack.change_worse')} 500" in text  # 100 health, 200 each
    assert f"{words(lang, 'report_pack.change_better')} 100" in text
    assert words(lang, "report_pack.and_more_changes", count=195) in text
    assert text.count(words(lang, "common.version", version=2)) <= 10
    assert words(lang, "report_pack.appendix_title", count=200) not in text
    assert words(lang, "report_pack.appendix_hint") in text


def test_two_hundred_models_in_the_appendix_split_across_pages_with_the_header_repeated(many):
    rendered, _ = many
    pages = text_of(rendered.pdf)
    assert len(pages) == rendered.pages > 6
    text = " ".join(pages)
    for index in (0, 99, 199):
        assert f"model-{index:03d}-" in text
    header = "Model Business process Value Health Risk Accountable executive"
    assert sum(header in page for page in pages) >= 3
    assert words("en", "report_pack.appendix_title", count=200) in text


@pytest.mark.perf
def test_two_hundred_models_render_within_30_seconds(many, bench_figure):
    rendered, seconds = many
    bench_figure(
        f"portfolio report of 200 models rendered: {rendered.pages} pages, {seconds:.2f} s"
    )
    assert seconds < 30


# --- both documents ----------------------------------------------------------------------------


@needs_pdftoppm
@pytest.mark.parametrize("document", ["sheet_en", "sheet_de", "portfolio_changed_de", "many"])
def test_pages_are_counted_and_none_is_blank(document, sheets, changed, many, tmp_path):
    rendered = {
        "sheet_en": sheets["en"],
        "sheet_de": sheets["de"],
        "portfolio_changed_de": changed["de"],
        "many": many[0],
    }[document]
    pngs = rasterize(rendered.pdf, tmp_path)
    assert len(pngs) == rendered.pages == len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    # Header and footer alone ink about 0.3 % of a page; real content far more.
    for png in pngs:
        assert ink_share(png) > 0.01, png.name


def test_same_facts_give_identical_bytes_also_from_several_threads(sheet_facts, sheets, changed):
    assert render_fact_sheet(sheet_facts, "en").pdf == sheets["en"].pdf
    assert sheets["en"].pdf != sheets["de"].pdf
    results: list[bytes] = []

    def render() -> None:
        results.append(render_fact_sheet(sheet_facts, "de").pdf)

    threads = [threading.Thread(target=render) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [sheets["de"].pdf] * 2


def test_same_portfolio_facts_give_identical_bytes(portfolio_facts):
    facts = replace(portfolio_facts, changes=every_change(), previous_by="Paula Previous")
    assert render_portfolio(facts, "en").pdf == render_portfolio(facts, "en").pdf


def test_every_freshness_state_has_words():
    for lang in LANGUAGES:
        texts = catalog(lang)
        for state in ("stale", "failing"):
            assert f"report.fresh_{state}" in texts
