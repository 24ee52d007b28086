"""What changed between two portfolio reports, and which models need attention (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from portal.domain.report import (
    BenchmarkRevision,
    ModelStatus,
    Snapshot,
    StatusChange,
    VersionChange,
    attention_reasons,
    changes_since,
    needing_attention,
    worst_value,
)

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


def test_attention_reasons_most_serious_first():
    model = status(
        "m",
        risk="high",
        high_risks=("decay",),
        health="drifting",
        value="off_track",
        overdue_reviews=1,
        accountable_executive="",
    )
    assert attention_reasons(model) == (
        "high_risk",
        "drifting",
        "value_off_track",
        "review_overdue",
        "no_executive",
    )
    assert attention_reasons(status("fine")) == ()
    assert attention_reasons(status("w", health="watch", value="at_risk")) == (
        "watch",
        "value_at_risk",
    )
    assert attention_reasons(status("f", health="failed")) == ("check_failed",)
    assert attention_reasons(status("u", risk="")) == ("not_assessed",)


def test_models_outside_production_need_no_executive_or_assessment():
    model = status(
        "lab", in_production=False, production_version=None, health="", risk="", value=""
    )
    model = replace(model, accountable_executive="")
    assert attention_reasons(model) == ()


def test_needing_attention_orders_by_the_most_serious_reason_then_count_then_name():
    models = [
        status("b-watch", health="watch"),
        status("a-drifting", health="drifting"),
        status("c-high", risk="high", high_risks=("outage",)),
        status("d-high-and-drifting", risk="high", high_risks=("outage",), health="drifting"),
        status("e-fine"),
    ]
    assert [m.name for m, _ in needing_attention(models)] == [
        "d-high-and-drifting",
        "c-high",
        "a-drifting",
        "b-watch",
    ]
