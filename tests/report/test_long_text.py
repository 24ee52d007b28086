"""Long documentation in the PDFs: prose flows over pages, unbroken runs wrap (in table cells
too), and every text MLflow accepts as a registered-model tag, up to its 100,000-character limit,
makes a PDF that holds the whole text."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from pypdf import PdfReader

from portal.domain.drift import compare_quality
from portal.domain.report import (
    BenchmarkRevision,
    StatusChange,
    VersionChange,
)
from portal.report import render_fact_sheet, render_portfolio
from portal.report.facts import FactSheetFacts, PortfolioFacts
from portal.report.layout import BOTTOM_MARGIN, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TOP_MARGIN, WIDTH
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.report import ReportService
from portal.sources.mlflow_records import SourceModel
from portal.store import open_store
from portal.text.i18n import translate
from tests.conftest import load_settings_for, sync_fake
from tests.report.facts import attention_of, every_change, many_models, rich_fact_sheet
from tests.support.catalog_fixture import FULL_TAGS, T0, base_registry

AT = T0 + timedelta(days=31)
# MLflow's limit for a registered-model or version tag value
# (mlflow.utils.validation.MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH; checked below).
MLFLOW_TAG_LIMIT = 100_000
WORDS = (
    *("the", "model", "ranks", "customers", "by", "their", "chance", "to", "cancel", "so"),
    *("retention", "agents", "call", "the", "most", "likely", "first", "it", "is", "advisory"),
    *("only", "and", "must", "not", "decide", "prices", "Kündigungen", "Größe", "Übergabe"),
)


def prose(length: int, seed: int) -> str:
    """Ordinary sentences, a paragraph break every few hundred characters, cut to a length."""
    rng = random.Random(seed)
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < length:
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
        ending = "\n\n" if rng.random() < 0.15 else " "
        sentences.append(" ".join(words).capitalize() + "." + ending)
    return "".join(sentences)[:length].strip()


def unbroken(length: int) -> str:
    """One word without a space, hyphen or dot, whose order a test can check."""
    return "".join("abcdefghijklmnopqrstuvwxyzÄÖÜ0123456789"[i % 39] for i in range(length))


PROSE = prose(6000, 1)
WORD = unbroken(20000)
LONG_TAGS = {
    "purpose": prose(MLFLOW_TAG_LIMIT, 2),
    "intended_use": prose(MLFLOW_TAG_LIMIT, 3),
    "limitations": unbroken(MLFLOW_TAG_LIMIT),
    "business_process": unbroken(MLFLOW_TAG_LIMIT),
    "business_unit": prose(MLFLOW_TAG_LIMIT, 4),
    "owner": unbroken(5000) + "@example.com",
    "team": prose(20000, 5),
    "data_sources": ",".join(f"source_{n}" for n in range(9000))[:MLFLOW_TAG_LIMIT],
    "decision_mode": unbroken(20000),
}
MODELS = {
    "long-prose": {"intended_use": PROSE},
    "long-word": {"intended_use": WORD},
    "long-everything": LONG_TAGS,
    "markup-prose": {"limitations": "<b>bold</b> & <br/> <i>x</i> " * 300},
}


def body_text(pdf: bytes, within: tuple[float, float] = (0, PAGE_WIDTH)) -> str:
    """The text between the header and footer lines of every page (only what starts between
    two distances from the left edge, if given), without any whitespace."""
    parts: list[str] = []

    def visit(text, cm, tm, _font, _size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if BOTTOM_MARGIN - 1 <= y <= PAGE_HEIGHT - TOP_MARGIN + 1 and within[0] <= x < within[1]:
            parts.append(text)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return "".join("".join(parts).split())


def flat(value: str) -> str:
    return "".join(value.split())


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[ReportService]:
    """The base catalog and four models with long documentation, synced into a real store."""
    folder = tmp_path_factory.mktemp("long_text_store")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = open_store(settings.store_path)
    source = base_registry()
    extra = tuple(
        SourceModel(name, "", T0, T0, {**FULL_TAGS, **tags}, {}) for name, tags in MODELS.items()
    )
    source.snapshot = replace(source.snapshot, models=source.snapshot.models + extra)
    sync_fake(store, source, T0 + timedelta(days=30))
    yield ReportService(Runtime(settings, store, Scheduler(lambda request: None, 60)))
    store.close()


def sheet(service: ReportService, name: str) -> FactSheetFacts:
    facts = service.fact_sheet_facts(name, "Test User", AT)
    assert facts is not None
    return facts


def test_the_limit_is_mlflows():
    from mlflow.utils.validation import MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH

    assert MLFLOW_TAG_LIMIT == MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH


def test_the_store_keeps_every_long_tag_whole(service):
    card = sheet(service, "long-everything").card
    assert {key: card.tags[key] for key in LONG_TAGS} == LONG_TAGS


@pytest.mark.parametrize("language", ["en", "de"])
def test_six_thousand_characters_of_prose_flow_over_pages(service, language):
    short = render_fact_sheet(sheet(service, "customer-churn"), language)
    rendered = render_fact_sheet(sheet(service, "long-prose"), language)
    # The prose is not cut to fit: it takes pages of its own (the short sheet's last page has
    # room for part of it, so the count may stay equal while the whole text is there).
    assert rendered.pages >= short.pages > 1
    assert flat(PROSE) in body_text(rendered.pdf)


def test_an_unbroken_word_of_twenty_thousand_characters_wraps(service):
    rendered = render_fact_sheet(sheet(service, "long-word"), "en")
    assert rendered.pages > 1
    assert WORD in body_text(rendered.pdf)
    lines = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    pieces = [line for line in lines.splitlines() if line and set(line) <= set(WORD)]
    # Cut into lines of the column's width, not one line running off the page.
    assert len(pieces) > 100 and max(len(piece) for piece in pieces) < 120


def test_every_field_at_mlflows_limit_gives_a_fact_sheet_with_all_of_it(service):
    rendered = render_fact_sheet(sheet(service, "long-everything"), "en")
    body = body_text(rendered.pdf)
    assert rendered.pages > 50
    for key in ("purpose", "intended_use", "limitations", "business_process", "decision_mode"):
        assert flat(LONG_TAGS[key]) in body, key
    assert flat(LONG_TAGS["owner"]) in body


def test_the_portfolio_takes_a_business_process_at_mlflows_limit(service):
    facts = service.portfolio_facts("Test User", AT)
    board = render_portfolio(facts, "de")
    # Value by process and the model list show a process's start; the fact sheet has it whole.
    assert board.pages <= 6
    assert LONG_TAGS["business_process"][:120] in body_text(board.pdf)
    body = body_text(render_portfolio(facts, "de", appendix=True).pdf)
    assert LONG_TAGS["business_process"][:120] in body
    assert all(name in body for name in MODELS)


def test_markup_in_long_text_prints_literally(service):
    rendered = render_fact_sheet(sheet(service, "markup-prose"), "en")
    assert flat(MODELS["markup-prose"]["limitations"]) in body_text(rendered.pdf)


def test_long_facts_give_the_same_bytes_every_time(service):
    facts = sheet(service, "long-word")
    assert render_fact_sheet(facts, "de").pdf == render_fact_sheet(facts, "de").pdf


# --- texts in table cells, beyond what the store fixture holds -----------------------------------


def long_cells(facts: FactSheetFacts) -> FactSheetFacts:
    """The rich fact sheet with every outside text in a table cell at 100,000 characters."""
    facts = rich_fact_sheet(facts)
    long_prose, long_word = prose(MLFLOW_TAG_LIMIT, 6), unbroken(MLFLOW_TAG_LIMIT)
    risk = facts.risk
    assert risk is not None and facts.card.lineage is not None
    assessments = {
        key: replace(value, mitigation=long_prose) for key, value in risk.assessments.items()
    }
    return replace(
        facts,
        card=replace(
            facts.card,
            name=unbroken(3000),
            description=long_prose,
            lineage=replace(
                facts.card.lineage,
                run_name=unbroken(8000),
                experiment_name=long_word,
                git_commit=unbroken(8000),
                code_source=long_word,
            ),
        ),
        risk=replace(
            risk,
            governance=replace(
                risk.governance,
                accountable_executive=long_word,
                business_owner=long_prose,
                human_oversight=long_prose,
            ),
            experts=(long_word,),
            assessments=assessments,
        ),
        quality=(compare_quality(unbroken(250), 0.8, 0.9),),
        open_feedback=tuple(
            replace(item, description=long_word, submitter_name=long_prose)
            for item in facts.open_feedback
        ),
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_table_cells_of_the_fact_sheet_take_any_length(service, language):
    facts = long_cells(sheet(service, "customer-churn"))
    rendered = render_fact_sheet(facts, language)
    body = body_text(rendered.pdf)
    assert rendered.pages > 50
    governance = facts.risk.governance  # type: ignore[union-attr]
    for value in (facts.card.name, governance.human_oversight, governance.accountable_executive):
        assert flat(value) in body
    assert flat(facts.card.lineage.git_commit) in body  # type: ignore[union-attr]


def long_names(facts: PortfolioFacts) -> PortfolioFacts:
    """Three models with 2,000-character names and executives, and every change among them."""
    facts = many_models(facts, 3)
    names = [unbroken(2000) + str(index) for index in range(3)]
    renamed = dict(zip((m.name for m in facts.snapshot.models), names, strict=True))
    models = tuple(
        replace(m, name=renamed[m.name], accountable_executive=unbroken(5000))
        for m in facts.snapshot.models
    )
    snapshot = replace(facts.snapshot, models=models)
    changes = replace(
        every_change(),
        new_models=(names[0],),
        version_changes=(VersionChange(names[1], 1, 2),),
        status_changes=(StatusChange(names[2], "health", "stable", "drifting"),),
        benchmark_revisions=(BenchmarkRevision(names[0], unbroken(3000), 1, 2),),
        new_high_risks=((names[1], "decay"),),
    )
    return replace(
        facts,
        inventory=tuple(
            replace(row, name=renamed[row.name], business_process=prose(MLFLOW_TAG_LIMIT, 7))
            for row in facts.inventory
        ),
        snapshot=snapshot,
        attention=attention_of(models, facts.generated_at),
        risk=replace(
            facts.risk,
            models=tuple(replace(m, name=renamed[m.name]) for m in facts.risk.models),
        ),
        changes=changes,
    )


def test_portfolio_tables_take_names_of_any_length(service):
    facts = long_names(service.portfolio_facts("Test User", AT))
    assert facts.attention.top
    board = render_portfolio(facts, "en")
    # The board pages name models, people and KPIs of thousands of characters by their start.
    assert board.pages <= 6
    body = body_text(board.pdf)
    assert unbroken(100) in body and unbroken(2000) not in body
    rendered = render_portfolio(facts, "en", appendix=True)
    # The appendix's names' column only: a row split over pages has its other cells' parts
    # in between.
    names = body_text(rendered.pdf, (0, MARGIN + 0.2 * WIDTH))
    names = names.replace(flat(translate("en", "risk.col_model")), "")  # the repeated header
    for model in facts.snapshot.models:
        assert model.name in names


def test_bidirectional_controls_print_as_code_points_in_typing_order(service):
    facts = sheet(service, "customer-churn")
    spoofed = replace(facts, card=replace(facts.card, description="Attachment evil\u202eexe.txt"))
    body = body_text(render_fact_sheet(spoofed, "en").pdf)
    assert "evil<U+202E>exe.txt" in body
    assert "\u202e" not in body
