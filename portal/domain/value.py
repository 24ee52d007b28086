"""Business value against the design-time benchmark: direction-aware uplift and attainment."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from portal.domain.validation import Problem

DIRECTIONS = ("higher", "lower")
# How a KPI's months add up: a flow (customers kept per month) sums, a level (a rate) averages.
AGGREGATIONS = ("sum", "mean")


@dataclass(frozen=True)
class Benchmark:
    """One version of what was promised for a model's KPI."""

    baseline: float  # the level without the model
    target: float  # the level promised with it
    direction: str  # 'higher' or 'lower' is better
    aggregation: str  # 'sum' or 'mean' over months
    valid_from: date  # first month the promise applies to
    money_per_unit: float | None = None  # value of one unit of uplift per month, if known
    created_at: datetime | None = None  # breaks ties between versions valid from one month


@dataclass(frozen=True)
class Thresholds:
    """Attainment from which a KPI counts as on track, and below which it is off track."""

    on_track: float = 0.9
    off_track: float = 0.6


@dataclass(frozen=True)
class MonthValue:
    """One month of one KPI: what was observed and what it is worth against the promise."""

    month: date
    observed: float | None  # None: no observation, never zero
    realized_uplift: float | None  # positive: better than without the model; negative: a loss
    promised_uplift: float | None  # None: no benchmark in force that month
    realized_money: float | None
    promised_money: float | None


@dataclass(frozen=True)
class ValueSummary:
    """A KPI over a period: realized against promised, and its status."""

    realized_uplift: float | None
    promised_uplift: float | None
    attainment: float | None  # None when nothing was promised or nothing observed
    status: str  # on_track, at_risk, off_track, no_promise, no_data
    months_with_data: int
    months_missing: int
    realized_money: float | None
    promised_money: float | None


def uplift(value: float, baseline: float, direction: str) -> float:
    """How much better than the baseline a value is; negative when worse."""
    return value - baseline if direction == "higher" else baseline - value


def promised_uplift(benchmark: Benchmark) -> float:
    """The uplift the target promises over the baseline."""
    return uplift(benchmark.target, benchmark.baseline, benchmark.direction)


def attainment(realized: float, promised: float) -> float | None:
    """Realized as a share of promised; None when no uplift was promised."""
    if promised == 0:
        return None
    return realized / promised


def status_of(share: float | None, months_with_data: int, thresholds: Thresholds) -> str:
    """on_track, at_risk or off_track by attainment; no_data / no_promise when undefined."""
    if months_with_data == 0:
        return "no_data"
    if share is None:
        return "no_promise"
    if share >= thresholds.on_track:
        return "on_track"
    if share >= thresholds.off_track:
        return "at_risk"
    return "off_track"


def in_force(versions: Iterable[Benchmark], month: date) -> Benchmark | None:
    """The benchmark version that applies to a month: the latest valid from on or before it."""
    applicable = [v for v in versions if v.valid_from <= month]
    if not applicable:
        return None
    return max(applicable, key=lambda v: (v.valid_from, v.created_at or datetime.min))


def month_values(
    observations: Mapping[date, float], versions: Sequence[Benchmark], months: Sequence[date]
) -> list[MonthValue]:
    """Each month of a period against the promise in force that month."""
    result = []
    for month in months:
        benchmark = in_force(versions, month)
        observed = observations.get(month)
        if benchmark is None:
            result.append(MonthValue(month, observed, None, None, None, None))
            continue
        promised = promised_uplift(benchmark)
        realized = (
            None if observed is None else uplift(observed, benchmark.baseline, benchmark.direction)
        )
        money = benchmark.money_per_unit
        result.append(
            MonthValue(
                month,
                observed,
                realized,
                promised,
                None if realized is None or money is None else realized * money,
                None if money is None else promised * money,
            )
        )
    return result


def summarize(
    values: Sequence[MonthValue], aggregation: str, thresholds: Thresholds
) -> ValueSummary:
    """A period's realized and promised uplift over the months that have data.

    Months without an observation are counted as missing and left out of both sides, so a gap
    never reads as zero value.
    """
    measured = [
        v for v in values if v.realized_uplift is not None and v.promised_uplift is not None
    ]
    missing = sum(1 for v in values if v.observed is None)
    if not measured:
        # Observations without a promise are not a lack of data: the promise is missing.
        observed_any = any(v.observed is not None for v in values)
        state = "no_promise" if observed_any else "no_data"
        return ValueSummary(None, None, None, state, 0, missing, None, None)
    realized = sum(v.realized_uplift for v in measured)  # type: ignore[misc]
    promised = sum(v.promised_uplift for v in measured)  # type: ignore[misc]
    if aggregation == "mean":
        realized, promised = realized / len(measured), promised / len(measured)
    share = attainment(realized, promised)
    with_money = [v for v in measured if v.realized_money is not None]
    return ValueSummary(
        realized_uplift=realized,
        promised_uplift=promised,
        attainment=share,
        status=status_of(share, len(measured), thresholds),
        months_with_data=len(measured),
        months_missing=missing,
        # Money always adds up over months: it is a value per month either way.
        realized_money=sum(v.realized_money for v in with_money) if with_money else None,  # type: ignore[misc]
        promised_money=sum(v.promised_money for v in with_money) if with_money else None,  # type: ignore[misc]
    )


# Units of a KPI that is itself a rate: a change of it is in percentage points, not percent.
RATE_UNITS = frozenset(
    {"%", "percent", "per cent", "pct", "prozent", "pp", "percentage points", "prozentpunkte"}
)
SENTENCE_DECIMALS_MAX = 3


def is_rate_unit(unit: str) -> bool:
    """Whether a KPI's unit makes it a rate ('%'), whose changes are percentage points."""
    return unit.strip().casefold() in RATE_UNITS


def shared_decimals(*values: float) -> int:
    """Decimals that show the largest of the values with two significant digits, so numbers
    compared in one sentence share their precision: 0.4 against 1 (not 0.412 against 1)."""
    largest = max((abs(v) for v in values if v is not None and math.isfinite(v)), default=0.0)
    if largest == 0:
        return 0
    return max(0, min(SENTENCE_DECIMALS_MAX, 1 - math.floor(math.log10(largest))))


def rounded_together(*values: float) -> tuple[float, ...]:
    """The values rounded to their shared decimals."""
    decimals = shared_decimals(*values)
    return tuple(round(v, decimals) for v in values)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from first to last, inclusive."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class Revision:
    """What changed between two versions of a promise, for the history ("target lowered")."""

    field: str  # baseline, target, direction, money_per_unit
    before: object
    after: object


def revisions(before: Benchmark, after: Benchmark) -> tuple[Revision, ...]:
    """The fields a new benchmark version changed."""
    fields = ("baseline", "target", "direction", "aggregation", "money_per_unit")
    return tuple(
        Revision(name, getattr(before, name), getattr(after, name))
        for name in fields
        if getattr(before, name) != getattr(after, name)
    )


RATIONALE_MAX = 2000
UNIT_MAX = 40
KPI_MAX = 100


@dataclass(frozen=True)
class BenchmarkDraft:
    """What an owner typed into the benchmark form."""

    kpi: str
    baseline: float | None
    target: float | None
    direction: str
    aggregation: str
    unit: str
    money_per_unit: float | None
    rationale: str
    valid_from: date | None


def check_benchmark(draft: BenchmarkDraft) -> tuple[Problem, ...]:
    """Every problem with a benchmark draft; empty when it can be stored."""
    problems = []
    if not draft.kpi.strip():
        problems.append(Problem("kpi", "required"))
    elif len(draft.kpi) > KPI_MAX:
        problems.append(Problem("kpi", "too_long", KPI_MAX))
    for name in ("baseline", "target"):
        number = getattr(draft, name)
        if number is None:
            problems.append(Problem(name, "required"))
        elif not math.isfinite(number):
            problems.append(Problem(name, "not_a_number"))
    if draft.money_per_unit is not None and not math.isfinite(draft.money_per_unit):
        problems.append(Problem("money_per_unit", "not_a_number"))
    if draft.direction not in DIRECTIONS:
        problems.append(Problem("direction", "unknown_choice"))
    if draft.aggregation not in AGGREGATIONS:
        problems.append(Problem("aggregation", "unknown_choice"))
    if len(draft.unit) > UNIT_MAX:
        problems.append(Problem("unit", "too_long", UNIT_MAX))
    if not draft.rationale.strip():
        problems.append(Problem("rationale", "required"))
    elif len(draft.rationale) > RATIONALE_MAX:
        problems.append(Problem("rationale", "too_long", RATIONALE_MAX))
    if draft.valid_from is None:
        problems.append(Problem("valid_from", "required"))
    return tuple(problems)


def first_of_month(day: date) -> date:
    """The month a date falls in, as its first day."""
    return day.replace(day=1)


PERIODS = ("month", "quarter", "year", "all")


def period_months(kind: str, today: date, earliest: date | None) -> tuple[date, date] | None:
    """First and last month of a period ending with the last full month before today.

    month: that month; quarter: the last three months; year: January to that month (year to
    date); all: from the earliest observation. None when there is nothing to show.
    """
    last = first_of_month(today.replace(day=1) - timedelta(days=1))
    if kind == "month":
        return last, last
    if kind == "quarter":
        return months_between(date(last.year - 1, 1, 1), last)[-3], last
    if kind == "year":
        return date(last.year, 1, 1), last
    if earliest is None or earliest > last:
        return None
    return first_of_month(earliest), last


@dataclass(frozen=True)
class KpiValue:
    """One model's KPI over a period against its promise."""

    model_name: str
    kpi: str
    unit: str
    direction: str
    aggregation: str
    business_unit: str
    business_process: str
    baseline: float
    target: float
    benchmark_version: int
    summary: ValueSummary
    months: tuple[MonthValue, ...]  # every month of the period, against the promise in force

    @property
    def trend(self) -> tuple[float | None, ...]:
        """Realized uplift per month of the period; None where nothing was observed."""
        return tuple(month.realized_uplift for month in self.months)


@dataclass(frozen=True)
class Portfolio:
    """Every model's KPIs over one period, with money totals."""

    first: date
    last: date
    rows: tuple[KpiValue, ...]
    promised_money: float | None
    realized_money: float | None
    off_track_models: tuple[str, ...]

    def money_by_month(self, model_name: str | None = None) -> tuple[MonthMoney, ...]:
        """Realized and promised money per month of the period, of all models or one."""
        return money_by_month(
            (row.months for row in self.rows if model_name in (None, row.model_name)),
            months_between(self.first, self.last),
        )


class MonthMoney(NamedTuple):
    """Value in money in one month, over every KPI that has a money value per unit."""

    month: date
    realized: float | None  # None: no such KPI was observed that month (never zero)
    promised: float | None


def money_by_month(
    kpis: Iterable[Sequence[MonthValue]], months: Sequence[date]
) -> tuple[MonthMoney, ...]:
    """Per month, realized and promised money summed over the KPIs observed that month.

    A KPI counts in a month only when it was observed and its promise has a money value, so a
    month without data reads as missing, not as no value.
    """
    realized: dict[date, float] = defaultdict(float)
    promised: dict[date, float] = defaultdict(float)
    observed: set[date] = set()
    for values in kpis:
        for value in values:
            if value.realized_money is not None and value.promised_money is not None:
                realized[value.month] += value.realized_money
                promised[value.month] += value.promised_money
                observed.add(value.month)
    return tuple(
        MonthMoney(month, realized[month], promised[month])
        if month in observed
        else MonthMoney(month, None, None)
        for month in months
    )


def portfolio_of(first: date, last: date, rows: Sequence[KpiValue]) -> Portfolio:
    """KPI rows of a period with their money totals and the models off track."""
    money = [row.summary for row in rows if row.summary.realized_money is not None]
    return Portfolio(
        first,
        last,
        tuple(rows),
        sum(s.promised_money for s in money) if money else None,  # type: ignore[misc]
        sum(s.realized_money for s in money) if money else None,  # type: ignore[misc]
        tuple(sorted({row.model_name for row in rows if row.summary.status == "off_track"})),
    )


# A KPI's statuses, worst first, as the value table filters them.
VALUE_STATUSES = ("off_track", "at_risk", "on_track", "no_promise", "no_data")
# How the value table can be ordered; 'shortfall' (money promised but not realized) first.
TABLE_ORDERS = ("shortfall", "realized", "promised", "attainment", "model")
_STATUS_RANK = {"off_track": 0, "at_risk": 1, "no_data": 2, "no_promise": 3, "on_track": 4}


def shortfall(summary: ValueSummary) -> float | None:
    """Money promised but not realized in the period (negative: more realized than promised)."""
    if summary.realized_money is None or summary.promised_money is None:
        return None
    return summary.promised_money - summary.realized_money


def ordered(rows: Iterable[KpiValue], order: str) -> list[KpiValue]:
    """KPI rows in a table order; rows without the figure ordered by go last, by name."""

    def figure(row: KpiValue) -> float | None:
        summary = row.summary
        if order == "shortfall":
            value = shortfall(summary)
            return None if value is None else -value
        if order == "realized":
            return None if summary.realized_money is None else -summary.realized_money
        if order == "promised":
            return None if summary.promised_money is None else -summary.promised_money
        if order == "attainment":
            return summary.attainment
        return 0.0

    return sorted(
        rows,
        key=lambda row: (
            (value := figure(row)) is None,
            value or 0.0,
            row.model_name.casefold(),
            row.kpi.casefold(),
        ),
    )


def matching(rows: Iterable[KpiValue], text: str, statuses: Iterable[str] = ()) -> list[KpiValue]:
    """Rows whose model or KPI contains the text (any case), in the given statuses (all: none)."""
    needle = text.strip().casefold()
    wanted = set(statuses)
    return [
        row
        for row in rows
        if (not needle or needle in row.model_name.casefold() or needle in row.kpi.casefold())
        and (not wanted or row.summary.status in wanted)
    ]


def most_consequential(rows: Iterable[KpiValue], count: int) -> list[KpiValue]:
    """The rows a reader should see first: worst status, then the largest money shortfall."""
    return sorted(
        rows,
        key=lambda row: (
            _STATUS_RANK.get(row.summary.status, 5),
            -(shortfall(row.summary) or 0.0),
            row.model_name.casefold(),
            row.kpi.casefold(),
        ),
    )[:count]
