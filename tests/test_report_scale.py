"""Timing of the PDF reports for 200 generated models (the figures are in the issue note)."""

from __future__ import annotations

import pytest

from tests.support.report_scale import fill, time_reports


@pytest.mark.perf
def test_reports_for_200_models_stay_quick(settings, store, bench_figure):
    fill(store, settings, 200)
    time_reports(store, settings, 200)  # the first report starts kaleido's browser
    times = time_reports(store, settings, 200)
    bench_figure(
        f"200 models, facts and PDF: fact sheet {times.fact_sheet_seconds:.2f} s "
        f"({times.fact_sheet_pages} pages), portfolio {times.portfolio_seconds:.2f} s "
        f"({times.portfolio_pages} pages)"
    )
    assert 1 <= times.fact_sheet_pages <= 3
    assert times.portfolio_pages >= 4  # 200 rows do not fit on one page
    assert times.fact_sheet_seconds < 10
    assert times.portfolio_seconds < 45
