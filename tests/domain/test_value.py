"""Value against benchmark, with numbers computed by hand in the comments."""

from datetime import date, datetime

import pytest

from portal.domain.value import (
    Benchmark,
    Revision,
    Thresholds,
    attainment,
    in_force,
    month_values,
    months_between,
    promised_uplift,
    revisions,
    status_of,
    summarize,
    uplift,
)

JAN, FEB, MAR, APR = (date(2026, month, 1) for month in (1, 2, 3, 4))
THRESHOLDS = Thresholds(on_track=0.9, off_track=0.6)
# Retention: 71 % kept without the model, 75 % promised; higher is better; a level (mean).
RETENTION = Benchmark(71.0, 75.0, "higher", "mean", JAN)
# Default rate: 5.0 % without, 4.0 % promised; lower is better; each point is worth 20,000 €.
DEFAULTS = Benchmark(5.0, 4.0, "lower", "mean", JAN, money_per_unit=20_000)
# Customers kept per month: 0 without, 370 promised; a flow (sum).
KEPT = Benchmark(0.0, 370.0, "higher", "sum", JAN, money_per_unit=50)


def test_uplift_and_promise_respect_direction():
    assert uplift(74.0, 71.0, "higher") == 3.0
    assert uplift(4.5, 5.0, "lower") == 0.5  # 0.5 points fewer defaults
    assert uplift(5.5, 5.0, "lower") == -0.5  # a loss stays a loss
    assert promised_uplift(RETENTION) == 4.0
    assert promised_uplift(DEFAULTS) == 1.0


def test_zero_promise_has_no_attainment_and_no_division():
    assert attainment(3.0, 0.0) is None
    flat = Benchmark(10.0, 10.0, "higher", "mean", JAN)
    summary = summarize(month_values({JAN: 12.0}, [flat], [JAN]), "mean", THRESHOLDS)
    assert (summary.realized_uplift, summary.attainment, summary.status) == (
        2.0,
        None,
        "no_promise",
    )


def test_level_kpi_averages_months_and_skips_missing_ones():
    # Jan 74 (+3), Feb missing, Mar 76 (+5): mean realized 4 of promised 4 = 100 %.
    values = month_values({JAN: 74.0, MAR: 76.0}, [RETENTION], [JAN, FEB, MAR])
    assert values[1].observed is None and values[1].realized_uplift is None
    summary = summarize(values, "mean", THRESHOLDS)
    assert (summary.realized_uplift, summary.promised_uplift) == (4.0, 4.0)
    assert summary.attainment == 1.0
    assert (summary.months_with_data, summary.months_missing) == (2, 1)
    assert summary.status == "on_track"


def test_lower_is_better_with_money():
    # Jan 4.6 (+0.4), Feb 4.8 (+0.2): mean 0.3 of 1.0 = 30 % -> off track.
    # Money: (0.4 + 0.2) * 20,000 = 12,000 realized of 2 * 1.0 * 20,000 = 40,000 promised.
    summary = summarize(
        month_values({JAN: 4.6, FEB: 4.8}, [DEFAULTS], [JAN, FEB]), "mean", THRESHOLDS
    )
    assert summary.realized_uplift == pytest.approx(0.3)
    assert summary.attainment == pytest.approx(0.3)
    assert summary.status == "off_track"
    assert summary.realized_money == pytest.approx(12_000)
    assert summary.promised_money == pytest.approx(40_000)


def test_flow_kpi_sums_months():
    # Kept 312 in Jan and 350 in Feb: 662 of 740 promised = 89.46 % -> at risk.
    summary = summarize(
        month_values({JAN: 312.0, FEB: 350.0}, [KEPT], [JAN, FEB]), "sum", THRESHOLDS
    )
    assert (summary.realized_uplift, summary.promised_uplift) == (662.0, 740.0)
    assert summary.attainment == pytest.approx(662 / 740)
    assert summary.status == "at_risk"
    assert summary.realized_money == 662 * 50


def test_a_worse_than_baseline_period_is_a_loss():
    summary = summarize(month_values({JAN: 69.0}, [RETENTION], [JAN]), "mean", THRESHOLDS)
    assert summary.realized_uplift == -2.0
    assert summary.attainment == -0.5
    assert summary.status == "off_track"


def test_revision_applies_from_its_month_and_history_names_the_change():
    lowered = Benchmark(71.0, 73.0, "higher", "mean", MAR, created_at=datetime(2026, 3, 2))
    assert in_force([RETENTION, lowered], FEB) == RETENTION
    assert in_force([RETENTION, lowered], APR) == lowered
    assert in_force([lowered], FEB) is None
    # Feb 74 against 75 (+3 of 4); Mar 74 against 73 (+3 of 2): mean 3 of mean 3 = 100 %.
    values = month_values({FEB: 74.0, MAR: 74.0}, [RETENTION, lowered], [FEB, MAR])
    assert [v.promised_uplift for v in values] == [4.0, 2.0]
    assert summarize(values, "mean", THRESHOLDS).attainment == 1.0
    assert revisions(RETENTION, lowered) == (Revision("target", 75.0, 73.0),)


def test_same_month_revisions_take_the_newest():
    first = Benchmark(1.0, 2.0, "higher", "sum", JAN, created_at=datetime(2026, 1, 5))
    second = Benchmark(1.0, 3.0, "higher", "sum", JAN, created_at=datetime(2026, 1, 9))
    assert in_force([second, first], JAN) == second


def test_no_data_and_no_benchmark():
    assert summarize(month_values({}, [RETENTION], [JAN]), "mean", THRESHOLDS).status == "no_data"
    values = month_values({JAN: 70.0}, [], [JAN])
    assert values[0].promised_uplift is None
    assert summarize(values, "mean", THRESHOLDS).status == "no_promise"
    assert status_of(0.95, 3, THRESHOLDS) == "on_track"


def test_months_between_crosses_years():
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        JAN,
        FEB,
    ]


def test_benchmark_form_checks():
    from portal.domain.validation import Problem
    from portal.domain.value import BenchmarkDraft, check_benchmark

    good = BenchmarkDraft(
        "retention",
        71.0,
        75.0,
        "higher",
        "mean",
        "%",
        None,
        "Pilot in 2025 kept 4 points more.",
        JAN,
    )
    assert check_benchmark(good) == ()
    bad = BenchmarkDraft(" ", None, float("nan"), "up", "max", "u" * 41, float("inf"), "", None)
    assert check_benchmark(bad) == (
        Problem("kpi", "required"),
        Problem("baseline", "required"),
        Problem("target", "not_a_number"),
        Problem("money_per_unit", "not_a_number"),
        Problem("direction", "unknown_choice"),
        Problem("aggregation", "unknown_choice"),
        Problem("unit", "too_long", 40),
        Problem("rationale", "required"),
        Problem("valid_from", "required"),
    )


def test_periods_end_with_the_last_full_month():
    from portal.domain.value import period_months

    today = date(2026, 11, 27)
    assert period_months("month", today, None) == (date(2026, 10, 1), date(2026, 10, 1))
    assert period_months("quarter", today, None) == (date(2026, 8, 1), date(2026, 10, 1))
    assert period_months("year", today, None) == (date(2026, 1, 1), date(2026, 10, 1))
    assert period_months("all", today, date(2024, 11, 5)) == (date(2024, 11, 1), date(2026, 10, 1))
    assert period_months("all", today, None) is None
    assert period_months("quarter", date(2026, 2, 3), None) == (date(2025, 11, 1), date(2026, 1, 1))


def test_money_by_month_adds_kpis_observed_that_month_and_never_invents_a_zero():
    from portal.domain.value import MonthMoney, money_by_month

    months = months_between(date(2026, 8, 1), date(2026, 10, 1))
    kept = Benchmark(0, 370, "higher", "sum", JAN, money_per_unit=50.0)
    rate = Benchmark(71, 75, "higher", "mean", JAN, money_per_unit=1200.0)
    unpriced = Benchmark(10, 5, "lower", "mean", JAN)  # no money value: never in the money
    kpis = [
        month_values({date(2026, 8, 1): 312.0, date(2026, 10, 1): 350.0}, [kept], months),
        month_values({date(2026, 8, 1): 74.0}, [rate], months),
        month_values({date(2026, 9, 1): 7.0}, [unpriced], months),
    ]
    assert money_by_month(kpis, months) == (
        MonthMoney(date(2026, 8, 1), 312 * 50 + 3 * 1200, 370 * 50 + 4 * 1200),
        MonthMoney(date(2026, 9, 1), None, None),  # only the unpriced KPI was observed
        MonthMoney(date(2026, 10, 1), 350 * 50, 370 * 50),
    )


def test_a_portfolio_sums_money_per_month_from_its_own_rows():
    from portal.domain.value import KpiValue, Thresholds, portfolio_of

    months = months_between(date(2026, 8, 1), date(2026, 9, 1))
    kept = Benchmark(0, 370, "higher", "sum", JAN, money_per_unit=50.0)

    def row(model: str, value: float) -> KpiValue:
        values = month_values({m: value for m in months}, [kept], months)
        summary = summarize(values, "sum", Thresholds())
        return KpiValue(
            model, "kept", "", "higher", "sum", "", "", 0, 370, 1, summary, tuple(values)
        )

    portfolio = portfolio_of(months[0], months[-1], [row("a", 370.0), row("b", 185.0)])
    assert portfolio.off_track_models == ("b",)  # 50 % of the promise, below 60 %
    assert portfolio.realized_money == (370 + 185) * 2 * 50
    assert [m.realized for m in portfolio.money_by_month()] == [(370 + 185) * 50] * 2
    assert [m.realized for m in portfolio.money_by_month("b")] == [185 * 50] * 2
    assert portfolio.rows[1].trend == (185.0, 185.0)
