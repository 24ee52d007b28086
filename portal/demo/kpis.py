"""The demo's business KPIs and benchmarks: two years of monthly values against the promise."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.demo.catalog import MODELS, ModelSpec
from portal.domain.production import LEGACY_PRODUCTION_STAGE
from portal.domain.value import BenchmarkDraft, first_of_month, months_between

HEADER = ("model", "kpi", "period", "value", "unit", "segment")
SEED = 20240601
# The portal's default production aliases (settings.production_aliases); the demo uses no others.
PRODUCTION_ALIASES = ("champion", "production")
HISTORY_MONTHS = 24
# At least half a year before go-live, so every chart shows the level without the model.
BASELINE_MONTHS = 6
# Pilots ran about a quarter before go-live; the rationales name that quarter.
PILOT_LEAD_MONTHS = 4


@dataclass(frozen=True)
class Promise:
    """One benchmark version as the owner wrote it; `{pilot}` in the rationale names the quarter."""

    target: float
    rationale: str
    months_after_go_live: int = 0  # valid from this month; 0 is the go-live month


@dataclass(frozen=True)
class KpiSpec:
    """One KPI of one model: its promise(s) and how the simulated business actually responded."""

    model: str
    kpi: str
    unit: str
    direction: str
    aggregation: str
    baseline: float
    promises: tuple[Promise, ...]
    delivered: float  # steady-state share of the latest promise's uplift that materializes
    noise: float  # standard deviation of the month-to-month noise, in the KPI's unit
    ramp_months: int  # months until the steady state: teams learn to use the model
    decimals: int  # 0 for counts, 1 for rates and days
    money_per_unit: float | None = None  # EUR per unit of uplift per month
    segments: tuple[tuple[str, float], ...] = ()  # (segment, share of the total); sums only
    missing_months_ago: tuple[int, ...] = ()  # months before the last full month without data


@dataclass(frozen=True)
class DemoBenchmark:
    """A benchmark version as the model's owner set it, at a simulated moment."""

    model: str
    draft: BenchmarkDraft
    set_at: datetime  # naive UTC
    set_by: str


KPI_SPECS: tuple[KpiSpec, ...] = (
    # Revised: the first target assumed more calls than the retention team can make.
    KpiSpec(
        model="customer-churn",
        kpi="customers kept per month",
        unit="customers",
        direction="higher",
        aggregation="sum",
        baseline=310,
        promises=(
            Promise(
                390,
                "A pilot in {pilot} with the retention team showed that calling the 600 "
                "highest-scored customers first keeps about 80 more customers a month than the "
                "usual call list. Each customer kept is worth about EUR 540, a year of the "
                "average EUR 45 monthly margin.",
            ),
            Promise(
                360,
                "Lowered after the first year in production: the retention team calls about 400 "
                "customers a month, not the 600 of the {pilot} pilot. At that capacity the "
                "pilot's save rate means about 50 more customers kept a month.",
                months_after_go_live=12,
            ),
        ),
        delivered=0.98,
        noise=9,
        ramp_months=4,
        decimals=0,
        money_per_unit=540,
        segments=(("North", 0.31), ("East", 0.19), ("South", 0.28), ("West", 0.22)),
    ),
    KpiSpec(
        model="customer-churn",
        kpi="retention rate",
        unit="%",
        direction="higher",
        aggregation="mean",
        baseline=91.0,
        promises=(
            Promise(
                92.0,
                "In the {pilot} pilot, the share of customers who stayed each month rose by "
                "about one point in the group the retention team called from the model's list.",
            ),
        ),
        delivered=0.95,
        noise=0.15,
        ramp_months=4,
        decimals=1,
    ),
    # Under-delivering: defaults fell far less than the back-test promised.
    KpiSpec(
        model="credit-default-risk",
        kpi="default rate",
        unit="%",
        direction="lower",
        aggregation="mean",
        baseline=4.2,
        promises=(
            Promise(
                3.2,
                "Back-testing on the applications of {pilot} showed that approving by the "
                "model's risk limit cuts the share of loans that default from 4.2 % to 3.2 %. "
                "One point is worth about EUR 180,000 a month: EUR 40 million of new loans a "
                "month, of which 45 % of a defaulted loan is lost.",
            ),
        ),
        delivered=0.4,
        noise=0.12,
        ramp_months=6,  # defaults show only months after the loan is paid out
        decimals=1,
        money_per_unit=180_000,
    ),
    # Over-delivering: managers used the list more widely than the pilot did.
    KpiSpec(
        model="employee-attrition",
        kpi="regretted leavers per month",
        unit="leavers",
        direction="lower",
        aggregation="sum",
        baseline=24,
        promises=(
            Promise(
                18,
                "A pilot in {pilot} in two departments showed that talking early with the "
                "people the model flags prevents about six regretted departures a month "
                "company-wide. Replacing one person costs about EUR 30,000 in recruiting and "
                "onboarding.",
            ),
        ),
        delivered=1.3,
        noise=1.2,
        ramp_months=3,
        decimals=0,
        money_per_unit=30_000,
    ),
    KpiSpec(
        model="transit-ridership-forecast",
        kpi="forecast error",
        unit="%",
        direction="lower",
        aggregation="mean",
        baseline=12.0,
        promises=(
            Promise(
                8.0,
                "In a trial in {pilot}, the model's two-week forecasts were off by 8 % on "
                "average, against 12 % for the planners' own estimates.",
            ),
        ),
        delivered=1.0,
        noise=0.5,
        ramp_months=3,
        decimals=1,
    ),
    KpiSpec(
        model="transit-ridership-forecast",
        kpi="overtime hours per month",
        unit="hours",
        direction="lower",
        aggregation="sum",
        baseline=1850,
        promises=(
            Promise(
                1450,
                "The rosters of the {pilot} trial, planned from the forecast, needed about 400 "
                "fewer overtime hours a month. One overtime hour costs about EUR 38.",
            ),
        ),
        delivered=0.9,
        noise=60,
        ramp_months=4,
        decimals=0,
        money_per_unit=38,
    ),
    # Gapped: two months were lost when the valuation workflow system was replaced.
    KpiSpec(
        model="property-valuation",
        kpi="valuation turnaround days",
        unit="days",
        direction="lower",
        aggregation="mean",
        baseline=9.5,
        promises=(
            Promise(
                6.5,
                "In a pilot in {pilot}, valuers who started from the model's estimate finished "
                "in 6.5 days instead of 9.5. Each day faster keeps about EUR 15,000 a month of "
                "mortgage business that applicants would otherwise take elsewhere.",
            ),
        ),
        delivered=0.92,
        noise=0.3,
        ramp_months=5,
        decimals=1,
        money_per_unit=15_000,
        missing_months_ago=(9, 10),
    ),
    KpiSpec(
        model="Kündigungsprognose Geschäftskunden",
        kpi="business customers kept per month",
        unit="customers",
        direction="higher",
        aggregation="sum",
        baseline=38,
        promises=(
            Promise(
                50,
                "A pilot in {pilot} in two field sales regions showed that visiting the flagged "
                "business customers first keeps about 12 more of them a month. Each one kept is "
                "worth about EUR 2,400, a year of average margin.",
            ),
        ),
        delivered=0.72,
        noise=3,
        ramp_months=4,
        decimals=0,
        money_per_unit=2_400,
    ),
)


def demo_kpis(today: date) -> tuple[str, tuple[DemoBenchmark, ...]]:
    """CSV text of KPI observations and the benchmark versions, for the demo scenario."""
    rows: list[tuple[str, ...]] = []
    benchmarks: list[DemoBenchmark] = []
    for spec in KPI_SPECS:
        model = _model(spec.model)
        live = go_live(model, today)
        if live is None:  # a spec for a model that never went live would be a demo bug
            raise ValueError(f"{spec.model} was never in production")
        rows.extend(_rows(spec, first_of_month(live), today))
        benchmarks.extend(_benchmarks(spec, model, live))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue(), tuple(benchmarks)


def go_live(model: ModelSpec, today: date) -> date | None:
    """The day a model first went into production in the demo timeline; None if it never did."""
    days = [
        change.days_ago
        for change in model.changes
        if (change.kind == "alias" and change.value in PRODUCTION_ALIASES)
        or (change.kind == "stage" and change.value == LEGACY_PRODUCTION_STAGE)
    ]
    # The scenario dates a change `days_ago` days before today at an hour of that same day.
    return today - timedelta(days=max(days)) if days else None


def last_full_month(today: date) -> date:
    """The first day of the last month that ended before today."""
    return add_months(first_of_month(today), -1)


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) a month."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _model(name: str) -> ModelSpec:
    """The catalog's model of that name."""
    return next(model for model in MODELS if model.name == name)


def _rows(spec: KpiSpec, live_month: date, today: date) -> Iterator[tuple[str, ...]]:
    """Total and segment rows of one KPI, month by month, leaving out the months without data."""
    last = last_full_month(today)
    # The gap must not eat into the promised 24 months of observations.
    span = HISTORY_MONTHS + len(spec.missing_months_ago)
    first = min(add_months(last, 1 - span), add_months(live_month, -BASELINE_MONTHS))
    missing = {add_months(last, -ago) for ago in spec.missing_months_ago}
    # One generator per series: adding a KPI or a model does not change the others' values.
    rng = random.Random(f"{SEED}:{spec.model}:{spec.kpi}")
    for month in months_between(first, last):
        value = _value(spec, _months_between(live_month, month), rng)
        shares = _segment_shares(spec, rng)  # drawn every month so a gap shifts nothing
        if month in missing:
            continue
        period = f"{month:%Y-%m}"
        yield spec.model, spec.kpi, period, _format(value, spec.decimals), spec.unit, ""
        for segment, part in _split(round(value), shares):
            yield spec.model, spec.kpi, period, str(part), spec.unit, segment


def _value(spec: KpiSpec, since_live: int, rng: random.Random) -> float:
    """One month's observation: the baseline, plus the part of the uplift realized so far."""
    promise = spec.promises[-1]
    uplift = (promise.target - spec.baseline) * spec.delivered
    # The go-live month already counts a little: the model ran for part of it.
    progress = 0.0 if since_live < 0 else min(1.0, (since_live + 1) / (spec.ramp_months + 1))
    level = spec.baseline + progress * uplift + rng.gauss(0.0, spec.noise)
    return round(level, spec.decimals)


def _segment_shares(spec: KpiSpec, rng: random.Random) -> tuple[tuple[str, float], ...]:
    """This month's shares of the segments: the usual split with some month-to-month wobble."""
    return tuple((name, share * (1 + rng.gauss(0.0, 0.08))) for name, share in spec.segments)


def _split(total: int, shares: tuple[tuple[str, float], ...]) -> list[tuple[str, int]]:
    """Whole counts per segment that add up exactly to the total (largest remainder)."""
    if not shares:
        return []
    weight = sum(share for _, share in shares)
    exact = [(name, total * share / weight) for name, share in shares]
    counts = {name: int(amount) for name, amount in exact}
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for name, _ in by_remainder[: total - sum(counts.values())]:
        counts[name] += 1
    return [(name, counts[name]) for name, _ in shares]


def _format(value: float, decimals: int) -> str:
    """A value as the KPI file carries it: whole counts without a decimal point."""
    return str(round(value)) if decimals == 0 else f"{value:.{decimals}f}"


def _benchmarks(spec: KpiSpec, model: ModelSpec, live: date) -> Iterator[DemoBenchmark]:
    """Every version of the KPI's benchmark, set by the model's owner."""
    live_month = first_of_month(live)
    pilot = _quarter(add_months(live_month, -PILOT_LEAD_MONTHS))
    for number, promise in enumerate(spec.promises):
        valid_from = add_months(live_month, promise.months_after_go_live)
        draft = BenchmarkDraft(
            kpi=spec.kpi,
            baseline=spec.baseline,
            target=promise.target,
            direction=spec.direction,
            aggregation=spec.aggregation,
            unit=spec.unit,
            money_per_unit=spec.money_per_unit,
            rationale=promise.rationale.format(pilot=pilot),
            valid_from=valid_from,
        )
        yield DemoBenchmark(
            spec.model, draft, _set_at(number, live, valid_from), model.tags["owner"]
        )


def _set_at(number: int, live: date, valid_from: date) -> datetime:
    """When the owner typed a version in: the first at design time, a revision just before use."""
    if number == 0:
        return datetime(live.year, live.month, live.day, 11) - timedelta(days=14)
    return datetime(valid_from.year, valid_from.month, valid_from.day, 16) - timedelta(days=6)


def _quarter(month: date) -> str:
    """A month's quarter as people write it: Q1 2024."""
    return f"Q{(month.month - 1) // 3 + 1} {month.year}"


def _months_between(start: date, end: date) -> int:
    """Whole months from one month to another; negative when `end` is earlier."""
    return (end.year - start.year) * 12 + end.month - start.month
