"""The attention rules: what needs attention, ranked by what is at stake, who acts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from portal.domain.attention import (
    KINDS,
    AttentionItem,
    HighRisk,
    ModelFacts,
    Stake,
    items_for,
    portfolio_attention,
    rank,
    summarize,
    who_acts,
)

SMALL = Stake(None, "EUR", "advisory", "low", "minimal", 1)
BIG = Stake(42_000.0, "EUR", "automated", "high", "high", 2)
LIVE = datetime(2026, 1, 10)
DRIFT_SINCE = datetime(2026, 11, 3, 6, 0)


def facts(name: str = "m", stake: Stake = SMALL, **changes) -> ModelFacts:
    base = ModelFacts(
        name=name,
        in_production=True,
        production_since=LIVE,
        stake=stake,
        accountable_executive="exec@example.com",
        business_owner="bo@example.com",
        technical_owners=("tech@example.com",),
        assessed=True,
    )
    return replace(base, **changes)


def item(kind: str, name: str, stake: Stake = SMALL) -> AttentionItem:
    return AttentionItem(kind, name, None, stake, "", "admin")


def test_a_healthy_accountable_assessed_model_needs_nothing():
    assert items_for(facts()) == ()
    assert items_for(facts(in_production=False, assessed=False, accountable_executive="")) == ()


def test_each_problem_is_an_item_most_serious_kind_first_with_its_since():
    found = items_for(
        facts(
            health="drifting",
            health_since=DRIFT_SINCE,
            value="off_track",
            high_risks=(
                HighRisk("outage", datetime(2026, 5, 1)),
                HighRisk("decay", datetime(2026, 4, 1)),
            ),
            overdue_since=date(2026, 9, 30),
            accountable_executive="",
            assessed=True,
            missing_evidence=("logging",),
        )
    )
    assert [i.kind for i in found] == [
        "high_risk",
        "drifting",
        "value_off_track",
        "review_overdue",
        "no_executive",
        "evidence_missing",
    ]
    since = {i.kind: i.since for i in found}
    assert since["high_risk"] == datetime(2026, 4, 1)  # the first high risk
    assert since["drifting"] == DRIFT_SINCE
    assert since["review_overdue"] == datetime(2026, 9, 30)
    assert since["no_executive"] == LIVE  # unaccountable since it went live
    assert since["value_off_track"] is None
    assert found[0].detail == ("outage", "decay")
    assert found[5].detail == ("logging",)


def test_lights_map_to_kinds_and_count_only_in_production():
    assert [i.kind for i in items_for(facts(health="failed"))] == ["check_failed"]
    assert [i.kind for i in items_for(facts(health="watch"))] == ["watch"]
    assert items_for(facts(health="stable")) == ()
    assert items_for(facts(health="drifting", in_production=False)) == ()
    assert [i.kind for i in items_for(facts(assessed=False))] == ["not_assessed"]
    assert [i.kind for i in items_for(facts(value="at_risk"))] == ["value_at_risk"]


def test_who_acts_follows_the_kinds_order_then_falls_back_to_the_admins():
    full = facts()
    assert who_acts("high_risk", full) == ("exec@example.com", "accountable_executive")
    assert who_acts("drifting", full) == ("tech@example.com", "technical_owner")
    assert who_acts("value_off_track", full) == ("bo@example.com", "business_owner")
    no_tech = facts(technical_owners=(" ",))
    assert who_acts("drifting", no_tech) == ("bo@example.com", "business_owner")
    only_exec = facts(business_owner="", technical_owners=())
    assert who_acts("drifting", only_exec) == ("exec@example.com", "accountable_executive")
    # Nobody names an executive for a model without one but its owners, then the admins.
    nobody = facts(accountable_executive="", business_owner="", technical_owners=())
    assert who_acts("no_executive", nobody) == ("", "admin")
    assert who_acts("high_risk", facts(accountable_executive="")) == (
        "bo@example.com",
        "business_owner",
    )


def test_stake_weighs_money_automation_criticality_act_and_processes():
    assert BIG.weight > SMALL.weight
    assert replace(SMALL, decision_mode="automated").weight == SMALL.weight + 3.0
    assert (
        replace(SMALL, monthly_value=99_999.0).weight > replace(SMALL, monthly_value=999.0).weight
    )
    assert replace(SMALL, processes=3).weight == SMALL.weight + 2.0
    assert replace(SMALL, monthly_value=-500.0).weight == SMALL.weight  # a loss is not a stake


def test_rank_is_by_stake_not_by_name():
    ranked = rank(
        [
            item("drifting", "aaa small"),
            item("drifting", "zzz big", BIG),
            item("drifting", "mmm automated", replace(SMALL, decision_mode="automated")),
        ]
    )
    assert [i.model_name for i in ranked] == ["zzz big", "mmm automated", "aaa small"]


def test_a_serious_kind_outranks_a_mild_one_at_equal_stake_and_a_big_stake_wins_over_kind():
    ranked = rank([item("not_assessed", "a"), item("high_risk", "b")])
    assert [i.kind for i in ranked] == ["high_risk", "not_assessed"]
    ranked = rank([item("high_risk", "small"), item("watch", "big", BIG)])
    assert [i.model_name for i in ranked] == ["big", "small"]


def test_ties_break_by_money_then_since_then_name():
    older = replace(item("drifting", "b"), since=datetime(2026, 1, 1))
    newer = replace(item("drifting", "a"), since=datetime(2026, 6, 1))
    assert [i.model_name for i in rank([newer, older])] == ["b", "a"]
    assert [i.model_name for i in rank([item("drifting", "b"), item("drifting", "a")])] == [
        "a",
        "b",
    ]


def test_at_scale_items_of_one_kind_aggregate():
    automated = replace(SMALL, decision_mode="automated", monthly_value=1000.0)
    models = [
        facts(f"model {n:04}", automated if n < 38 else SMALL, accountable_executive="")
        for n in range(412)
    ] + [facts(f"fine {n}") for n in range(588)]
    attention = portfolio_attention(models, top=10)
    assert attention.models_considered == 1000
    [group] = attention.groups
    assert (group.kind, group.count, group.automated) == ("no_executive", 412, 38)
    assert group.monthly_value == 38_000.0
    assert len(group.items) == 412
    assert group.items[0].stake.automated  # the automated ones lead
    assert len(attention.top) == 10
    assert all(i.stake.automated for i in attention.top)
    assert attention.models_affected == 412


def test_summary_names_each_model_once_with_its_most_consequential_item():
    items = [
        item("high_risk", "big", BIG),
        item("drifting", "big", BIG),
        item("watch", "small"),
    ]
    attention = summarize(items, top=5)
    assert [(i.model_name, i.kind) for i in attention.top] == [
        ("big", "high_risk"),
        ("small", "watch"),
    ]
    assert [g.kind for g in attention.groups] == ["high_risk", "drifting", "watch"]
    assert attention.group("drifting").count == 1
    assert attention.group("check_failed") is None
    assert [i.model_name for i in attention.items] == ["big", "big", "small"]


def test_every_kind_has_actors_and_a_page_where_it_is_fixed():
    for kind in KINDS:
        assert item(kind, "m").fixed_on in ("risk", "drift", "model_card", "incidents")


def test_an_open_incident_comes_first_and_an_unapproved_version_names_the_executive():
    facts = ModelFacts(
        name="m",
        in_production=True,
        production_since=datetime(2026, 1, 1),
        stake=Stake(None, "EUR", "", "", "", 0),
        accountable_executive="exec@example.com",
        technical_owners=("tech@example.com",),
        assessed=True,
        unapproved_since=datetime(2026, 1, 1),
        open_incidents=("INC-7",),
        incident_since=datetime(2026, 11, 20),
    )
    found = items_for(facts)
    assert [(i.kind, i.acts) for i in found] == [
        ("incident_open", "tech@example.com"),
        ("unapproved_production", "exec@example.com"),
    ]
    assert found[0].detail == ("INC-7",)
    assert found[0].fixed_on == "incidents"
    stopped = items_for(replace(facts, in_production=False, open_incidents=()))
    assert stopped == ()
