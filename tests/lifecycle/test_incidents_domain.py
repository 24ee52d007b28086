"""Incident rules: what a report needs, which moves are allowed, the EU AI Act deadline, and
how incidents raise the outage and wrong-prediction signals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from portal.domain.incidents import (
    IncidentDraft,
    Trace,
    check_draft,
    check_move,
    incident_id,
    period_at,
    reference_number,
    reporting_deadline,
)
from portal.domain.production import ProductionPeriod
from portal.domain.risk import (
    Reason,
    Signal,
    outage_signal,
    with_incidents,
    wrong_predictions_signal,
)
from portal.domain.validation import Problem

NOW = datetime(2026, 12, 1, 12, 0)
BORN = datetime(2026, 1, 1)


def draft(**changes) -> IncidentDraft:
    values = {
        "model_name": "credit",
        "started_at": NOW - timedelta(days=2),
        "kind": "wrong_predictions",
        "severity": "serious",
        "title": "Self-employed scored as defaulting",
        "description": "Every self-employed applicant gets a high default risk.",
        "impact": "",
        "cases": 12,
    }
    return IncidentDraft(**{**values, **changes})


def test_a_complete_report_has_no_problems():
    assert check_draft(draft(), NOW, BORN) == ()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"started_at": None}, Problem("started_at", "required")),
        ({"started_at": NOW + timedelta(minutes=1)}, Problem("started_at", "incident_future")),
        ({"started_at": BORN - timedelta(days=1)}, Problem("started_at", "incident_before_model")),
        ({"kind": "meteor"}, Problem("kind", "unknown_choice")),
        ({"severity": "critical"}, Problem("severity", "unknown_choice")),
        ({"title": " ... "}, Problem("title", "required")),
        ({"title": "Bad"}, Problem("title", "too_short", 5)),
        ({"description": "Wrong."}, Problem("description", "too_short", 10)),
        ({"description": "x" * 4001}, Problem("description", "too_long", 4000)),
        ({"cases": -1}, Problem("cases", "incident_cases")),
    ],
)
def test_each_bad_field_is_named(changes, problem):
    assert check_draft(draft(**changes), NOW, BORN) == (problem,)


def test_moves_follow_the_lifecycle():
    assert check_move("open", "mitigated", "Workaround in place.", "") == ()
    assert check_move("mitigated", "closed", "Fixed.", "Stale feature table.") == ()
    assert check_move("closed", "open", "It happened again.", "") == ()
    assert check_move("closed", "mitigated", "Worked around.", "") == (
        Problem("status", "incident_move"),
    )
    assert check_move("open", "open", "again", "") == (Problem("status", "incident_move"),)
    assert check_move("open", "done", "x", "") == (Problem("status", "unknown_choice"),)


def test_closing_needs_a_root_cause_and_every_move_a_note():
    assert check_move("mitigated", "closed", "Fixed.", "  ") == (Problem("root_cause", "required"),)
    assert check_move("open", "mitigated", "", "") == (Problem("note", "required"),)


def test_references_read_both_ways():
    assert reference_number(12) == "INC-12"
    assert incident_id("INC-12") == 12
    assert incident_id(" inc-7 ") == 7
    assert incident_id("INC-x") is None
    assert incident_id("FB-000012") is None


def test_the_period_of_a_moment_is_found_in_the_ledger():
    periods = [
        ProductionPeriod(1, "champion", datetime(2026, 1, 1), datetime(2026, 6, 1)),
        ProductionPeriod(2, "champion", datetime(2026, 6, 1), None),
    ]
    assert period_at(periods, datetime(2026, 5, 31, 23)).version == 1
    assert period_at(periods, datetime(2026, 6, 1)).version == 2
    assert period_at(periods, datetime(2025, 12, 1)) is None


def test_a_serious_incident_of_a_high_risk_model_has_15_days():
    reported = datetime(2026, 11, 27, 11, 0)
    deadline = reporting_deadline("serious", "high", reported, date(2026, 12, 2))
    assert (deadline.due, deadline.days_left, deadline.overdue) == (date(2026, 12, 12), 10, False)
    late = reporting_deadline("serious", "high", reported, date(2026, 12, 14))
    assert (late.days_left, late.overdue) == (-2, True)
    assert reporting_deadline("high", "high", reported, date(2026, 12, 2)) is None
    assert reporting_deadline("serious", "limited", reported, date(2026, 12, 2)) is None


def test_a_trace_survives_its_stored_form():
    trace = Trace(
        datetime(2026, 11, 26, 9, 30),
        2,
        "champion",
        "run-1",
        datetime(2026, 2, 5),
        "abc",
        "train.py",
        ("credit_data",),
        ("Credit bureau",),
        "Loan approval",
        ("carla@example.com",),
        "julia@example.com",
        "",
        ("churn",),
        ("Customer retention",),
    )
    assert Trace.from_json(trace.to_json(), datetime(2000, 1, 1)) == trace
    assert Trace.from_json("", NOW) == Trace(NOW, None)


def test_an_open_incident_makes_the_signal_high_and_says_why():
    quiet = wrong_predictions_signal(0, 0)
    raised = with_incidents(quiet, 1, 1)
    assert raised.level == "high"
    assert raised.reasons[-1] == Reason("wrong.incident_open", (("count", 1),))
    unknown = outage_signal(None, False, False, NOW, checked=False)
    assert with_incidents(unknown, 2, 2).level == "high"


def test_a_recent_closed_incident_makes_it_at_least_medium():
    low = wrong_predictions_signal(0, 0)
    assert with_incidents(low, 0, 1) == Signal(
        "wrong_predictions",
        "medium",
        (*low.reasons, Reason("wrong.incidents", (("count", 1), ("days", 90)))),
    )
    high = wrong_predictions_signal(5, 0)
    assert with_incidents(high, 0, 1).level == "high"
    assert with_incidents(low, 0, 0) is low
