"""Lineage and ownership views on a registry where one data source feeds three models."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from portal.domain.risk import Governance
from portal.services import ownership
from portal.services.identity import Identity
from portal.services.lineage import LineageService
from portal.services.risk import RiskService
from portal.sources.mlflow_records import RegistrySnapshot, SourceDataset, SourceModel
from tests.conftest import sync_fake
from tests.support.builders import ADMIN
from tests.support.catalog_fixture import T0, FakeSource, run, version

NOW = datetime(2026, 3, 2, 6, 0)
ANNA = "anna.schmidt@example.com"
BEN = "ben.meyer@example.com"
CARLA = "carla.chief@example.com"
DIETER = "dieter.direktor@example.com"


def tags(process: str, team: str, owner: str, sources: str) -> dict[str, str]:
    return {
        "business_process": process,
        "business_unit": "Consumer sales",
        "team": team,
        "owner": owner,
        "data_sources": sources,
    }


def dataset(name: str) -> SourceDataset:
    return SourceDataset(name, "d1g3st", "delta", f"warehouse://{name}", "training")


def shared_source_registry() -> FakeSource:
    """crm.contracts reaches churn-retail and upsell by tag and churn-business by a run input.

    Processes: Customer retention (churn-retail, churn-business), Cross-selling (upsell);
    payments-fraud (Payments) uses nothing from the CRM.
    """
    models = (
        SourceModel(
            "churn-retail",
            "",
            T0,
            T0,
            tags(
                "Customer retention", "Retention analytics", ANNA, "crm.contracts, billing.invoices"
            ),
            {"champion": 1},
        ),
        SourceModel(
            "churn-business",
            "",
            T0,
            T0,
            tags("Customer retention", "Retention analytics", f"{ANNA}, {BEN}", "web.sessions"),
            {},
        ),
        SourceModel(
            "upsell",
            "",
            T0,
            T0,
            tags("Cross-selling", "Sales analytics", BEN, "CRM.Contracts"),
            {"production": 1},
        ),
        SourceModel(
            "payments-fraud",
            "",
            T0,
            T0,
            tags("Payments", "Risk analytics", "fiona@example.com", "payments.transactions"),
            {"champion": 1},
        ),
    )
    versions = (
        version("churn-retail", 1, "run-retail"),
        version("churn-business", 1, "run-business-1"),
        version("churn-business", 2, "run-business-2"),
        version("upsell", 1, "run-upsell"),
        version("payments-fraud", 1, "run-fraud"),
    )
    runs = {
        "run-retail": replace(
            run("run-retail", T0), datasets=(dataset("crm.contracts"), dataset("churn-features"))
        ),
        "run-business-1": replace(run("run-business-1", T0), datasets=(dataset("web.sessions"),)),
        "run-business-2": replace(
            run("run-business-2", T0 + timedelta(days=5)),
            git_commit="b" * 40,
            code_source="training/churn_business/train.py",
            user="carla@example.com",
            datasets=(dataset("crm.contracts"), dataset("web.sessions")),
        ),
        "run-upsell": replace(run("run-upsell", T0), datasets=()),
        "run-fraud": replace(run("run-fraud", T0), datasets=(dataset("payments.transactions"),)),
    }
    return FakeSource(RegistrySnapshot(models, versions), runs)


@pytest.fixture
def risk(settings, store):
    sync_fake(store, shared_source_registry(), T0 + timedelta(days=20))
    service = RiskService(store, settings)
    service.set_governance(
        ADMIN, "churn-retail", Governance(CARLA, "bob.business@example.com", "batch", "", "")
    )
    service.set_governance(ADMIN, "upsell", Governance(DIETER, "", "real_time", "", ""))
    service.set_governance(ADMIN, "payments-fraud", Governance(DIETER, "", "", "", ""))
    service.name_expert(ADMIN, "churn-retail", "erika@example.com")
    service.name_expert(ADMIN, "upsell", ANNA)
    return service


@pytest.fixture
def portfolio(risk):
    return risk.portfolio(NOW)


@pytest.fixture
def lineage(risk):
    return LineageService(risk.store)


def test_one_link_per_model_with_version_run_code_and_data(lineage, portfolio):
    links = {link.model_name: link for link in lineage.links(portfolio)}
    assert list(links) == ["churn-business", "churn-retail", "payments-fraud", "upsell"]
    retail = links["churn-retail"]
    assert (retail.production_version, retail.version, retail.run_id) == (1, 1, "run-retail")
    assert (retail.git_commit, retail.code_source, retail.trained_by) == (
        "a" * 40,
        "training/churn/train.py",
        BEN,
    )
    assert retail.data_sources == ("crm.contracts", "billing.invoices")
    assert retail.datasets == ("churn-features", "crm.contracts")
    assert retail.sources == ("crm.contracts", "billing.invoices", "churn-features")
    assert (retail.accountable_executive, retail.technical_owners) == (CARLA, (ANNA,))
    # Not in production: the latest version describes it.
    business = links["churn-business"]
    assert (business.production_version, business.version, business.run_id) == (
        None,
        2,
        "run-business-2",
    )
    assert (business.git_commit, business.trained_by) == ("b" * 40, "carla@example.com")
    assert business.datasets == ("crm.contracts", "web.sessions")
    assert business.sources == ("web.sessions", "crm.contracts")
    assert links["upsell"].datasets == ()


def test_from_process_down_to_data_and_code(lineage, portfolio):
    retention = lineage.from_process(portfolio, "Customer retention")
    assert [link.model_name for link in retention] == ["churn-business", "churn-retail"]
    assert lineage.sources(retention) == (
        "billing.invoices",
        "churn-features",
        "crm.contracts",
        "web.sessions",
    )
    assert [link.model_name for link in lineage.from_process(portfolio, "Cross-selling")] == [
        "upsell"
    ]
    assert lineage.from_process(portfolio, "Nobody's process") == ()
    assert lineage.processes(lineage.links(portfolio)) == (
        "Cross-selling",
        "Customer retention",
        "Payments",
    )


def test_blast_radius_of_a_shared_source(lineage, portfolio):
    radius = lineage.blast_radius(portfolio, "crm.contracts")
    # By tag (churn-retail, upsell spelled in capitals) and by run input (churn-business).
    assert radius.models == ("churn-business", "churn-retail", "upsell")
    assert radius.processes == ("Cross-selling", "Customer retention")
    assert radius.executives == (CARLA, DIETER)
    assert lineage.blast_radius(portfolio, " CRM.CONTRACTS ").models == radius.models


def test_blast_radius_of_a_narrow_or_unknown_source(lineage, portfolio):
    payments = lineage.blast_radius(portfolio, "payments.transactions")
    assert (payments.models, payments.processes, payments.executives) == (
        ("payments-fraud",),
        ("Payments",),
        (DIETER,),
    )
    sessions = lineage.blast_radius(portfolio, "web.sessions")
    assert (sessions.models, sessions.executives) == (("churn-business",), ())
    nothing = lineage.blast_radius(portfolio, "hr.salaries")
    assert (nothing.models, nothing.processes, nothing.executives) == ((), (), ())


# --- ownership ----------------------------------------------------------------------------------


def roles_of(entries) -> list[tuple[str, str]]:
    return [(r.model_name, r.role) for r in entries]


def test_by_person_lists_every_role(portfolio):
    people = ownership.by_person(portfolio)
    assert list(people) == [
        ANNA,
        BEN,
        "bob.business@example.com",
        CARLA,
        DIETER,
        "erika@example.com",
        "fiona@example.com",
    ]
    assert roles_of(people[ANNA]) == [
        ("churn-business", "technical_owner"),
        ("churn-retail", "technical_owner"),
        ("upsell", "expert"),
    ]
    assert roles_of(people[DIETER]) == [
        ("payments-fraud", "accountable_executive"),
        ("upsell", "accountable_executive"),
    ]
    assert roles_of(people[CARLA]) == [("churn-retail", "accountable_executive")]
    assert roles_of(people["bob.business@example.com"]) == [("churn-retail", "business_owner")]
    assert people[ANNA][0].team == "Retention analytics"
    assert people[ANNA][2].business_process == "Cross-selling"


def test_by_team_process_and_source(portfolio):
    def names(groups):
        return {key: [m.name for m in models] for key, models in groups.items()}

    assert names(ownership.by_team(portfolio)) == {
        "Retention analytics": ["churn-business", "churn-retail"],
        "Risk analytics": ["payments-fraud"],
        "Sales analytics": ["upsell"],
    }
    assert names(ownership.by_process(portfolio)) == {
        "Cross-selling": ["upsell"],
        "Customer retention": ["churn-business", "churn-retail"],
        "Payments": ["payments-fraud"],
    }
    # Declared sources only, as spelled in the tags.
    assert names(ownership.by_source(portfolio)) == {
        "billing.invoices": ["churn-retail"],
        "crm.contracts": ["churn-retail"],
        "CRM.Contracts": ["upsell"],
        "payments.transactions": ["payments-fraud"],
        "web.sessions": ["churn-business"],
    }


def test_my_models_matches_the_signed_in_address(portfolio):
    anna = Identity("Anna", "Anna.Schmidt@Example.com", frozenset({"viewer"}))
    assert roles_of(ownership.my_models(portfolio, anna)) == [
        ("churn-business", "technical_owner"),
        ("churn-retail", "technical_owner"),
        ("upsell", "expert"),
    ]
    dieter = Identity("Dieter", DIETER, frozenset({"viewer"}))
    assert roles_of(ownership.my_models(portfolio, dieter)) == [
        ("payments-fraud", "accountable_executive"),
        ("upsell", "accountable_executive"),
    ]
    nobody = Identity("Vera", "vera@example.com", frozenset({"viewer"}))
    assert ownership.my_models(portfolio, nobody) == ()
    local = Identity("Local user", "", frozenset({"admin"}), is_local=True)
    assert ownership.my_models(portfolio, local) == ()


def test_models_without_team_or_process_are_grouped_last(risk, store):
    source = shared_source_registry()
    bare = SourceModel("zz-bare", "", T0, T0, {}, {})
    source.snapshot = RegistrySnapshot(
        (*source.snapshot.models, bare), (*source.snapshot.versions, version("zz-bare", 1, None))
    )
    sync_fake(store, source, T0 + timedelta(days=30))
    portfolio = risk.portfolio(NOW)
    assert list(ownership.by_team(portfolio))[-1] == ""
    assert [m.name for m in ownership.by_process(portfolio)[""]] == ["zz-bare"]
    link = next(li for li in LineageService(store).links(portfolio) if li.model_name == "zz-bare")
    assert (link.run_id, link.git_commit, link.datasets, link.sources) == (None, "", (), ())
