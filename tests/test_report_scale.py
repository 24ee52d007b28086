"""The portfolio report at 1,000 generated models: a board document of at most six pages, every
model's row only in the appendix; the timings (figures in the issue note) only under `perf`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from portal.runtime import command_runtime
from portal.services.report import ReportService
from portal.store import open_store
from portal.store.database import Store
from tests.conftest import load_settings_for
from tests.report.facts import text_of
from tests.support.builders import ADMIN
from tests.support.report_scale import NOW, fill, time_reports

MODELS = 1000


@pytest.fixture(scope="module")
def scale(tmp_path_factory) -> Iterator[tuple[object, Store]]:
    """1,000 generated models with promises, KPIs and assessments (built once: ~20 s)."""
    folder = tmp_path_factory.mktemp("report_scale")
    settings = load_settings_for(folder / "portal.duckdb", f"sqlite:///{folder / 'mlflow.db'}")
    store = open_store(settings.store_path)
    fill(store, settings, MODELS)
    yield settings, store
    store.close()


def test_a_thousand_models_make_a_board_pack_of_at_most_six_pages(scale):
    settings, store = scale
    service = ReportService(command_runtime(settings, store))
    board = service.portfolio(ADMIN, "de", NOW)
    pages = text_of(board.pdf)
    assert len(pages) == board.pages <= 6
    text = " ".join(pages)
    facts = service.portfolio_facts("Ada Admin", NOW)
    assert facts.attention.models_considered == MODELS
    # The attention list names its most consequential models, not a thousand of them.
    assert facts.attention.top and facts.attention.top[0].model_name in text
    assert sum(f"model-{index:03d}" in text for index in range(MODELS)) < 100
    assert "Nutzen nach Geschäftsprozess" in text and "Process 1" in text

    appendix = service.portfolio(ADMIN, "de", NOW, appendix=True)
    assert appendix.pages > 6
    text = " ".join(text_of(appendix.pdf))
    assert "Anhang: alle Modelle (1000)" in text
    assert all(f"model-{index:03d}" in text for index in range(MODELS))


@pytest.mark.perf
def test_reports_for_a_thousand_models_stay_quick(scale, bench_figure):
    settings, store = scale
    time_reports(store, settings, MODELS, appendix=False)  # the first starts kaleido's browser
    times = time_reports(store, settings, MODELS)
    bench_figure(
        f"{MODELS} models, facts and PDF: fact sheet {times.fact_sheet_seconds:.2f} s "
        f"({times.fact_sheet_pages} pages), portfolio {times.portfolio_seconds:.2f} s "
        f"({times.portfolio_pages} pages), with appendix {times.appendix_seconds:.2f} s "
        f"({times.appendix_pages} pages)"
    )
    assert 1 <= times.fact_sheet_pages <= 3
    assert times.portfolio_pages <= 6 < times.appendix_pages
    assert times.fact_sheet_seconds < 10
    assert times.portfolio_seconds < 5
    assert times.appendix_seconds < 45
