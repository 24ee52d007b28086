from datetime import datetime

from portal.domain.production import (
    ProductionPeriod,
    ProductionPick,
    RegistryEvent,
    pick_production,
    production_history,
)

PRECEDENCE = ("champion", "production")
JAN, FEB, MAR, APR = (datetime(2026, month, 1) for month in (1, 2, 3, 4))


def test_first_alias_in_precedence_wins_over_later_alias_and_stage():
    pick = pick_production({"production": 3, "champion": 2}, [4], PRECEDENCE)
    assert pick == ProductionPick(2, "champion")


def test_legacy_stage_used_only_without_production_alias():
    assert pick_production({"challenger": 5}, [1, 3], PRECEDENCE) == ProductionPick(
        3, "stage:Production"
    )
    assert pick_production({"challenger": 5}, [], PRECEDENCE) is None


def test_history_follows_alias_moves_and_closes_periods():
    events = [
        RegistryEvent(JAN, "champion", None, 1),
        RegistryEvent(FEB, "challenger", None, 2),  # not a production marker
        RegistryEvent(MAR, "champion", 1, 2),
    ]
    assert production_history(events, PRECEDENCE) == [
        ProductionPeriod(1, "champion", JAN, MAR),
        ProductionPeriod(2, "champion", MAR, None),
    ]


def test_removing_the_alias_ends_production():
    events = [RegistryEvent(JAN, "champion", None, 1), RegistryEvent(FEB, "champion", 1, None)]
    assert production_history(events, PRECEDENCE) == [ProductionPeriod(1, "champion", JAN, FEB)]


def test_simultaneous_changes_leave_no_zero_length_period():
    events = [
        RegistryEvent(JAN, "stage:Production", None, 1),
        # One sync sees the stage left and an alias set on a new version at once.
        RegistryEvent(FEB, "stage:Production", 1, None),
        RegistryEvent(FEB, "production", None, 2),
    ]
    assert production_history(events, PRECEDENCE) == [
        ProductionPeriod(1, "stage:Production", JAN, FEB),
        ProductionPeriod(2, "production", FEB, None),
    ]


def test_marker_change_on_the_same_version_keeps_one_period():
    events = [
        RegistryEvent(JAN, "production", None, 4),
        RegistryEvent(APR, "champion", None, 4),
    ]
    assert production_history(events, PRECEDENCE) == [ProductionPeriod(4, "production", JAN, None)]


def test_events_out_of_order_are_replayed_by_time():
    events = [RegistryEvent(MAR, "champion", 1, 2), RegistryEvent(JAN, "champion", None, 1)]
    assert [p.version for p in production_history(events, PRECEDENCE)] == [1, 2]
