"""What changed between two portfolio reports, the most consequential first, and the value of
each business process (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from portal.domain.catalog import InventoryRow
from portal.domain.report import (
    BenchmarkRevision,
    ModelStatus,
    Snapshot,
    StatusChange,
    VersionChange,
    changes_since,
    ranked_changes,
    value_by_process,
    worst_value,
)
from portal.domain.value import KpiValue, Portfolio, ValueSummary

MONDAY = datetime(2026, 11, 2, 9, 0)
FRIDAY = datetime(2026, 11, 27, 16, 30)


def status(name: str, **fields) -> ModelStatus:
    """A production model with everything in order, unless fields say otherwise."""
    base = ModelStatus(
        name=name,
        in_production=True,
        production_version=1,
        value="on_track",
        health="stable",
        risk="low",
        benchmarks=(("revenue", 1),),
        accountable_executive="exec@example.com",
    )
    return replace(base, **fields)


def test_the_same_portfolio_changes_nothing():
    models = (status("a"), status("b"))
    changes = changes_since(Snapshot(MONDAY, models), Snapshot(FRIDAY, models))
    assert changes.nothing
    assert changes.previous_at == MONDAY


def test_every_kind_of_change_between_two_constructed_snapshots():
    previous = Snapshot(
        MONDAY,
        (
            status("churn", production_version=2, benchmarks=(("retention", 1),)),
            status("credit", risk="medium", high_risks=()),
            status("retired-model"),
            status("pricing", value="on_track", health="watch"),
        ),
    )
    current = Snapshot(
        FRIDAY,
        (
            status(
                "churn",
                production_version=3,
                benchmarks=(("retention", 2), ("upsell", 1)),
            ),
            status("credit", risk="high", high_risks=("decay", "outage")),
            status("Kündigungsprognose", risk="high", high_risks=("knowledge_loss",)),
            status("pricing", value="off_track", health="stable"),
        ),
    )
    changes = changes_since(previous, current)
    assert not changes.nothing
    assert changes.new_models == ("Kündigungsprognose",)
    assert changes.retired_models == ("retired-model",)
    assert changes.version_changes == (VersionChange("churn", 2, 3),)
    assert changes.status_changes == (
        StatusChange("credit", "risk", "medium", "high"),
        StatusChange("pricing", "value", "on_track", "off_track"),
        StatusChange("pricing", "health", "watch", "stable"),
    )
    assert changes.benchmark_revisions == (
        BenchmarkRevision("churn", "retention", 1, 2),
        BenchmarkRevision("churn", "upsell", None, 1),
    )
    # New high risks of known models, then those a new model brings in.
    assert changes.new_high_risks == (
        ("credit", "decay"),
        ("credit", "outage"),
        ("Kündigungsprognose", "knowledge_loss"),
    )


def test_status_change_knows_whether_it_got_worse():
    assert StatusChange("m", "health", "watch", "drifting").worse
    assert not StatusChange("m", "health", "drifting", "stable").worse
    assert StatusChange("m", "value", "on_track", "at_risk").worse
    assert StatusChange("m", "risk", "", "low").worse  # newly assessed counts as more to watch
    assert not StatusChange("m", "risk", "high", "medium").worse


def test_leaving_production_is_a_version_change_to_none():
    before = Snapshot(MONDAY, (status("m", production_version=4),))
    after = Snapshot(
        FRIDAY, (status("m", in_production=False, production_version=None, health=""),)
    )
    changes = changes_since(before, after)
    assert changes.version_changes == (VersionChange("m", 4, None),)
    assert StatusChange("m", "health", "stable", "") in changes.status_changes


def test_a_high_risk_that_stays_high_is_not_new():
    before = Snapshot(MONDAY, (status("m", risk="high", high_risks=("decay",)),))
    after = Snapshot(FRIDAY, (status("m", risk="high", high_risks=("decay",)),))
    assert changes_since(before, after).new_high_risks == ()


def test_snapshot_survives_json_and_equal_snapshots_give_equal_text():
    snapshot = Snapshot(
        FRIDAY,
        (
            status("zeta", high_risks=("decay",), overdue_reviews=2),
            status("Übersicht €", production_version=None, in_production=False, health=""),
        ),
    )
    text = snapshot.to_json()
    assert "Übersicht €" in text  # kept readable, not escaped
    again = Snapshot.from_json(text)
    assert {m.name: m for m in again.models} == {m.name: m for m in snapshot.models}
    assert again.taken_at == FRIDAY
    reordered = Snapshot(FRIDAY, tuple(reversed(snapshot.models)))
    assert reordered.to_json() == text


def test_an_older_snapshot_without_newer_fields_still_reads():
    old = '{"taken_at": "2026-01-05T08:00:00", "models": [{"name": "m", "value": "at_risk"}]}'
    (model,) = Snapshot.from_json(old).models
    assert model.value == "at_risk"
    assert model.high_risks == () and model.benchmarks == () and not model.in_production


def test_worst_value_status_of_a_model():
    assert worst_value(["on_track", "at_risk"]) == "at_risk"
    assert worst_value(["no_promise", "on_track"]) == "no_promise"
    assert worst_value(["on_track", "off_track", "no_data"]) == "off_track"
    assert worst_value([]) == ""


def test_ranked_changes_put_worse_and_more_at_stake_first():
    before = Snapshot(MONDAY, (status("a"), status("b"), status("c")))
    after = Snapshot(
        FRIDAY,
        (
            status("a", health="watch", production_version=2),
            status("b", health="drifting", value="off_track", production_version=2),
            status("c", value="at_risk", production_version=2),
            status("new-small"),
            status("new-big"),
        ),
    )
    ranked = ranked_changes(changes_since(before, after), {"c": 9.0, "new-big": 5.0, "a": 1.0})
    # Worse first, the more serious new status first, then what is at stake, then the name.
    assert [(c.model_name, c.aspect) for c in ranked.status_changes] == [
        ("b", "health"),
        ("b", "value"),
        ("c", "value"),
        ("a", "health"),
    ]
    assert [c.model_name for c in ranked.version_changes] == ["c", "a", "b"]
    assert ranked.new_models == ("new-big", "new-small")
    assert ranked.previous_at == MONDAY


def test_a_better_status_follows_every_worse_one():
    before = Snapshot(MONDAY, (status("up", health="drifting"), status("down")))
    after = Snapshot(FRIDAY, (status("up"), status("down", health="watch")))
    ranked = ranked_changes(changes_since(before, after), {"up": 100.0})
    assert [c.model_name for c in ranked.status_changes] == ["down", "up"]


def row(name: str, process: str, production: bool = True) -> InventoryRow:
    return InventoryRow(
        name, "", process, "Unit", "", "", 1 if production else None, None, 1, None, 1.0, (), False
    )


def kpi(model: str, realized: float | None, promised: float | None, status: str) -> KpiValue:
    summary = ValueSummary(1.0, 2.0, 0.5, status, 3, 0, realized, promised)
    return KpiValue(model, "kpi", "", "higher", "sum", "", "", 1.0, 2.0, 1, summary, ())


def test_value_by_process_adds_up_money_and_counts_models():
    inventory = [
        row("a", "Lending"),
        row("b", "Lending", production=False),
        row("c", "Claims"),
        row("d", "Pricing"),
        row("e", ""),
    ]
    rows = (
        kpi("a", 80.0, 100.0, "at_risk"),
        kpi("a", 10.0, 20.0, "off_track"),
        kpi("c", 500.0, 400.0, "on_track"),
        kpi("d", None, None, "no_promise"),  # no money value: counts no money
    )
    portfolio = Portfolio(date(2026, 8, 1), date(2026, 10, 1), rows, 520.0, 590.0, ("a",))
    found = value_by_process(inventory, portfolio)
    assert [p.process for p in found] == ["Claims", "Lending", "Pricing", ""]
    claims, lending, pricing, undocumented = found
    assert (lending.models, lending.in_production, lending.off_track) == (2, 1, 1)
    assert (lending.promised_money, lending.realized_money) == (120.0, 90.0)
    assert lending.attainment == 0.75
    assert claims.attainment == 1.25
    assert pricing.promised_money is None and pricing.attainment is None
    assert (undocumented.models, undocumented.promised_money) == (1, None)
