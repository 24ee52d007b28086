"""The attention list through AttentionService on a real store: every model read at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from portal.domain.risk import AssessmentDraft, Governance
from portal.runtime import command_runtime
from portal.services.attention import AttentionService
from portal.services.risk import RiskService
from portal.services.value import ValueService
from portal.sources.mlflow_records import SourceModel
from portal.store.attention_repo import AttentionRepository
from tests.conftest import sync_fake
from tests.support.builders import ADMIN, BUSINESS, CUSTOMERS_KEPT, OWNER, observe
from tests.support.catalog_fixture import T0, base_registry, version

NOW = datetime(2026, 3, 2, 6, 0)  # the quarter read is December to February


def check(store, model: str, at: datetime, outcome: str, status: str | None) -> None:
    """A current-window drift check as the job stores it."""
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO drift_checks (model_name, model_version, window_kind, checked_at,"
            " outcome, status) VALUES ($model, 1, 'current', $at, $outcome, $status)",
            {"model": model, "at": at, "outcome": outcome, "status": status},
        )
        tx.bump_data_version()


@pytest.fixture
def service(settings, filled_store):
    return AttentionService(command_runtime(settings, filled_store))


@pytest.fixture
def scenario(service):
    """customer-churn: drifting since Feb 16, a promise 18,500 a month kept a third, an
    outage risk assessed high, a business owner but no executive; house-prices: nobody named."""
    store, settings = service.store, service.settings
    for days, status in ((-42, "stable"), (-28, "watch"), (-14, "drifting"), (-7, "drifting")):
        check(store, "customer-churn", NOW + timedelta(days=days), "checked", status)
    check(store, "house-prices", NOW - timedelta(days=1), "failed", None)
    ValueService(store, settings).set_benchmark(OWNER, "customer-churn", CUSTOMERS_KEPT, now=NOW)
    observe(
        store,
        [
            ("customer-churn", "customers kept", date(2026, 1, 1), "", 120.0),
            ("customer-churn", "customers kept", date(2026, 2, 1), "", 130.0),
        ],
    )
    risks = RiskService(store, settings)
    risks.set_governance(
        ADMIN, "customer-churn", Governance("", BUSINESS.email, "", "limited", ""), now=NOW
    )
    risks.assess(
        OWNER,
        "customer-churn",
        AssessmentDraft("outage", 4, 5, "None yet.", date(2026, 6, 1)),
        now=NOW - timedelta(days=3),
    )
    return service


def test_light_since_is_the_start_of_the_current_run_of_one_light(scenario):
    since = AttentionRepository(scenario.store).light_since()
    assert since["customer-churn"] == NOW - timedelta(days=14)
    assert since["house-prices"] == NOW - timedelta(days=1)


def test_portfolio_names_what_needs_attention_with_stake_and_who_acts(scenario):
    attention = scenario.portfolio(NOW)
    assert attention.models_considered == 4
    churn = {i.kind: i for i in attention.items if i.model_name == "customer-churn"}
    assert sorted(churn) == ["drifting", "high_risk", "no_executive", "value_off_track"]
    drifting = churn["drifting"]
    assert drifting.since == NOW - timedelta(days=14)
    assert (drifting.acts, drifting.acts_role) == (OWNER.email, "technical_owner")
    assert churn["high_risk"].acts == BUSINESS.email  # no executive: the business owner
    assert churn["high_risk"].detail == ("outage",)
    assert churn["value_off_track"].acts_role == "business_owner"
    stake = drifting.stake
    assert stake.monthly_value == pytest.approx(18_500.0)
    assert (stake.currency, stake.decision_mode, stake.criticality) == ("EUR", "advisory", "medium")
    assert (stake.ai_act_category, stake.processes) == ("limited", 1)
    houses = {i.kind: i for i in attention.items if i.model_name == "house-prices"}
    assert sorted(houses) == ["check_failed", "no_executive", "not_assessed"]
    assert houses["no_executive"].acts_role == "admin"  # nobody named for it at all
    # The churn model has the most at stake, so it leads; each model is named once.
    assert attention.top[0].model_name == "customer-churn"
    assert attention.top[0].kind == "high_risk"
    assert len({i.model_name for i in attention.top}) == len(attention.top)
    groups = {g.kind: g.count for g in attention.groups}
    assert groups["no_executive"] == 3  # churn, house-prices, the German model
    assert groups["not_assessed"] == 2


def test_one_models_items_are_listed_ranked(scenario):
    attention = scenario.portfolio(NOW)
    kinds = [i.kind for i in attention.of("customer-churn")]
    assert kinds == ["high_risk", "drifting", "value_off_track", "no_executive"]
    assert attention.of("bare model") == ()  # not in production, nothing wrong
    assert attention.of("no such model") == ()


def test_reads_do_not_grow_with_the_number_of_models(scenario, monkeypatch):
    def reads() -> list[str]:
        names: list[str] = []
        original = scenario.store.fetch_all

        def counting(name, sql, params=None):
            names.append(name)
            return original(name, sql, params)

        monkeypatch.setattr(scenario.store, "fetch_all", counting)
        scenario.portfolio(NOW)
        monkeypatch.undo()
        return names

    few = reads()
    source = base_registry()
    extra = tuple(
        SourceModel(f"extra {n}", "", T0, T0, {"decision_mode": "automated"}, {"champion": 1})
        for n in range(20)
    )
    source.snapshot = replace(
        source.snapshot,
        models=source.snapshot.models + extra,
        versions=source.snapshot.versions + tuple(version(m.name, 1, "r1") for m in extra),
    )
    sync_fake(scenario.store, source, T0 + timedelta(days=60))
    many = reads()
    assert scenario.portfolio(NOW).models_considered == 24
    assert sorted(many) == sorted(few)  # the same reads for 24 models as for 4
