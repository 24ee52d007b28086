"""The demo's KPI history and benchmarks tell the intended story, the same way every time."""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from datetime import date, timedelta

import pytest

from portal.demo.catalog import MODELS, ModelSpec
from portal.demo.kpis import DemoBenchmark, add_months, demo_kpis
from portal.domain.value import (
    Benchmark,
    Thresholds,
    ValueSummary,
    check_benchmark,
    month_values,
    months_between,
    summarize,
)

TODAY = date(2025, 6, 30)
LAST_PERIOD = "2025-05"
# A few other days, so the story does not hinge on where today falls in a month.
OTHER_DAYS = (date(2025, 1, 1), date(2025, 11, 17), date(2026, 3, 31))
HEADER = "model,kpi,period,value,unit,segment"
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
UNDER, OVER, REVISED, GAPPED = (
    ("credit-default-risk", "default rate"),
    ("employee-attrition", "regretted leavers per month"),
    ("customer-churn", "customers kept per month"),
    ("property-valuation", "valuation turnaround days"),
)
GAP = {"2024-07", "2024-08"}  # nine and ten months before May 2025

Series = tuple[str, str]


def rows_of(text: str) -> list[dict[str, str]]:
    """The CSV's rows as dictionaries."""
    return list(csv.DictReader(io.StringIO(text)))


def totals(rows: list[dict[str, str]]) -> dict[Series, dict[str, float]]:
    """Per model and KPI: period -> the month's total."""
    found: dict[Series, dict[str, float]] = defaultdict(dict)
    for row in rows:
        if row["segment"] == "":
            series = found[(row["model"], row["kpi"])]
            assert row["period"] not in series, f"two totals for {row}"
            series[row["period"]] = float(row["value"])
    return found


def go_live_month(model: ModelSpec, today: date) -> date | None:
    """The month the catalog first puts a model into production, read from its changes."""
    days = [
        c.days_ago
        for c in model.changes
        if (c.kind == "alias" and c.value in ("champion", "production"))
        or (c.kind == "stage" and c.value == "Production")
    ]
    return (today - timedelta(days=max(days))).replace(day=1) if days else None


def to_month(period: str) -> date:
    """A YYYY-MM period as the first day of its month."""
    return date.fromisoformat(period + "-01")


def benchmark(version: DemoBenchmark) -> Benchmark:
    """The stored form of a demo benchmark version."""
    d = version.draft
    assert d.baseline is not None and d.target is not None and d.valid_from is not None
    return Benchmark(
        baseline=d.baseline,
        target=d.target,
        direction=d.direction,
        aggregation=d.aggregation,
        valid_from=d.valid_from,
        money_per_unit=d.money_per_unit,
        created_at=version.set_at,
    )


def last_six_months(today: date) -> dict[Series, ValueSummary]:
    """Every KPI's value over the last six full months against the benchmark in force."""
    text, versions = demo_kpis(today)
    summaries = {}
    for series, observed in totals(rows_of(text)).items():
        mine = [v for v in versions if (v.model, v.draft.kpi) == series]
        months = sorted(to_month(period) for period in observed)
        last = months[-1]
        window = months_between(add_months(last, -5), last)
        assert len(window) == 6
        values = month_values(
            {to_month(p): v for p, v in observed.items()}, [benchmark(v) for v in mine], window
        )
        summaries[series] = summarize(values, mine[0].draft.aggregation, Thresholds())
    return summaries


@pytest.fixture(scope="module")
def demo() -> tuple[str, tuple[DemoBenchmark, ...]]:
    return demo_kpis(TODAY)


def test_same_day_gives_the_same_csv_and_benchmarks(demo):
    assert demo_kpis(TODAY) == demo
    assert demo_kpis(TODAY + timedelta(days=40))[0] != demo[0]


def test_csv_has_the_contract_header_and_parses_into_numbers(demo):
    text, _ = demo
    assert text.splitlines()[0] == HEADER
    rows = rows_of(text)
    assert len(rows) > 200
    for row in rows:
        assert math.isfinite(float(row["value"])), row
        assert PERIOD.match(row["period"]), row
        assert row["unit"]


def test_counts_are_whole_numbers_and_rates_have_one_decimal(demo):
    for row in rows_of(demo[0]):
        value = row["value"]
        if row["unit"] in ("customers", "leavers", "hours"):
            assert value.lstrip("-").isdigit(), row
        else:
            assert re.fullmatch(r"-?\d+\.\d", value), row


def test_exactly_the_models_that_went_live_have_kpis_and_benchmarks(demo):
    text, versions = demo
    live = {m.name for m in MODELS if go_live_month(m, TODAY) is not None}
    assert "delivery-time-estimate" not in live
    assert {row["model"] for row in rows_of(text)} == live
    assert {v.model for v in versions} == live
    kpis_per_model = defaultdict(set)
    for model, kpi in totals(rows_of(text)):
        kpis_per_model[model].add(kpi)
    assert all(1 <= len(kpis) <= 2 for kpis in kpis_per_model.values())


def test_every_series_has_24_months_to_last_month_with_only_the_intended_gap(demo):
    for (model, kpi), series in totals(rows_of(demo[0])).items():
        periods = sorted(series)
        assert periods[-1] == LAST_PERIOD
        assert len(periods) >= 24, (model, kpi)
        every = {f"{m:%Y-%m}" for m in months_between(to_month(periods[0]), to_month(LAST_PERIOD))}
        expected_gap = GAP if (model, kpi) == GAPPED else set()
        assert every - set(periods) == expected_gap, (model, kpi)


def test_segments_add_up_to_the_monthly_total(demo):
    rows = rows_of(demo[0])
    parts: dict[tuple[str, str, str], float] = defaultdict(float)
    for row in rows:
        if row["segment"]:
            parts[(row["model"], row["kpi"], row["period"])] += float(row["value"])
    assert parts, "the demo shows a split by region for one KPI"
    series = totals(rows)
    for (model, kpi, period), total in parts.items():
        assert series[(model, kpi)][period] == total


def test_history_before_go_live_stays_around_the_baseline(demo):
    text, versions = demo
    for series, observed in totals(rows_of(text)).items():
        model = next(m for m in MODELS if m.name == series[0])
        live = go_live_month(model, TODAY)
        first = min(
            (v for v in versions if (v.model, v.draft.kpi) == series), key=lambda v: v.set_at
        )
        assert first.draft.valid_from == live
        before = [value for period, value in observed.items() if to_month(period) < live]
        assert len(before) >= 6, series
        promised = abs(first.draft.target - first.draft.baseline)
        mean = sum(before) / len(before)
        assert abs(mean - first.draft.baseline) < 0.25 * promised, series


@pytest.mark.parametrize("today", (TODAY, *OTHER_DAYS))
def test_one_model_under_delivers_and_one_over_delivers(today):
    summaries = last_six_months(today)
    assert summaries[UNDER].status == "off_track"
    assert summaries[UNDER].attainment is not None and 0.3 < summaries[UNDER].attainment < 0.5
    assert summaries[OVER].status == "on_track"
    assert summaries[OVER].attainment is not None and summaries[OVER].attainment > 1.1
    assert summaries[OVER].realized_money > summaries[OVER].promised_money
    # The revised promise is the one in force, and it is kept.
    assert summaries[REVISED].status == "on_track"
    assert summaries[GAPPED].months_missing == 0


def test_customer_churn_target_was_lowered_once_with_a_reason(demo):
    _, versions = demo
    kept = sorted(
        (v for v in versions if (v.model, v.draft.kpi) == REVISED), key=lambda v: v.set_at
    )
    assert len(kept) == 2
    first, second = (v.draft for v in kept)
    assert second.target < first.target
    assert second.valid_from > first.valid_from
    assert second.baseline == first.baseline
    assert "Lowered" in second.rationale
    others = [v for v in versions if (v.model, v.draft.kpi) != REVISED]
    assert len({(v.model, v.draft.kpi) for v in others}) == len(others)


def test_benchmarks_are_valid_drafts_set_by_the_models_owner(demo):
    _, versions = demo
    owners = {m.name: m.tags.get("owner") for m in MODELS}
    for version in versions:
        draft = version.draft
        assert check_benchmark(draft) == (), version
        assert draft.valid_from is not None and draft.valid_from.day == 1
        assert (
            "pilot" in draft.rationale
            or "trial" in draft.rationale
            or "Back-testing" in draft.rationale
        )
        assert version.set_by == owners[version.model]
        assert version.set_at.tzinfo is None
        assert version.set_at.date() < TODAY
    with_money = [v for v in versions if v.draft.money_per_unit is not None]
    assert len(with_money) > len(versions) / 2
