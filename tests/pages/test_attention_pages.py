"""The attention list on the overview, the inventory opened from its counts, and the risk and
value pages' attention items, rendered by AppTest over a real store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal import clock
from portal.domain.report import ModelStatus, Snapshot
from portal.domain.risk import AssessmentDraft, Governance
from portal.runtime import current_runtime
from portal.services.people import PeopleService
from portal.store.report_repo import ReportRepository
from portal.ui import data
from portal.ui.navigation import INVENTORY, RISK, VALUE
from tests.pages.test_pages import open_page, texts
from tests.support.builders import ADMIN, BUSINESS, CUSTOMERS_KEPT, OWNER, observe

CHURN = "customer-churn"


def check(store, model: str, days_ago: int, status: str) -> None:
    """A current-window drift check as the job stores it."""
    with store.transaction() as tx:
        tx.execute(
            "INSERT INTO drift_checks (model_name, model_version, window_kind, checked_at,"
            " outcome, status) VALUES ($model, 2, 'current', $at, 'checked', $status)",
            {"model": model, "at": clock.utc_now() - timedelta(days=days_ago), "status": status},
        )
        tx.bump_data_version()


@pytest.fixture
def portfolio(app_runtime):
    """customer-churn: outage assessed high, drifting for two weeks, far behind its promise of
    18,500 EUR a month; Bob Business its business owner, no executive. Names are known from
    sign-ins. A portfolio report was recorded when churn still ran version 1, alone."""
    store, settings = app_runtime.store, app_runtime.settings
    people = PeopleService(current_runtime())
    people.record_sign_in(OWNER)
    people.record_sign_in(BUSINESS)
    risks = data.risk_service()
    risks.set_governance(ADMIN, CHURN, Governance("", BUSINESS.email, "", "limited", ""))
    today = clock.today()
    risks.assess(
        ADMIN, CHURN, AssessmentDraft("outage", 4, 5, "None yet.", today + timedelta(days=30))
    )
    check(store, CHURN, 14, "drifting")
    check(store, CHURN, 7, "drifting")
    data.value_service().set_benchmark(OWNER, CHURN, CUSTOMERS_KEPT)
    first, last = data.value_period("quarter")
    months = [first, date(first.year + (first.month // 12), first.month % 12 + 1, 1), last]
    observe(store, [(CHURN, "customers kept", month, "", 120.0) for month in months])
    before = Snapshot(
        clock.utc_now() - timedelta(days=30),
        (ModelStatus(CHURN, True, 1, "on_track", "stable", "low"),),
    )
    with store.transaction() as tx:
        ReportRepository.insert(
            tx,
            {
                "kind": "portfolio",
                "model_name": None,
                "language": "en",
                "generated_at": before.taken_at,
                "generated_by": ADMIN.email,
                "generated_by_name": ADMIN.name,
                "snapshot_json": before.to_json(),
                "pages": 4,
                "size_bytes": 1000,
                "sha256": "0" * 64,
            },
        )
        tx.bump_data_version()
    del settings
    return app_runtime


def links(app) -> list[tuple[str, str, str]]:
    """(label, page, query string) of every page link."""
    return [(k.proto.label, k.proto.page, k.proto.query_string) for k in app.get("page_link")]


def test_overview_names_the_most_consequential_item_who_acts_and_where_it_is_fixed(portfolio):
    app = open_page()
    assert "What needs attention" in [s.value for s in app.subheader]
    page = texts(app).replace("\\", "")
    # The churn model has the most at stake: named first, with its worst problem.
    shown = [m.value.replace("\\", "") for m in app.markdown]
    plain = next(m for m in shown if m.startswith("customer-churn has had a high risk"))
    assert plain.endswith("(business owner)")
    assert "(outage) since" in plain and "18,500 EUR a month promised" in plain
    # Who acts by name, the e-mail address as link and tooltip.
    who = '**Who acts:** [Bob Business](mailto:bob.business@example.com "bob.business@example.com")'
    assert any(m.value.endswith(f"  \n{who} (business owner)") for m in app.markdown)
    assert ("Review the risk", "risk", "model=customer-churn") in links(app)
    # Aggregated per kind, each with the list it counts.
    assert "3 production models have no accountable executive; together 18,500 EUR" in page
    assert ("Open the 3 models", "inventory", "attention=no_executive") in links(app)
    assert ("See the list", "inventory", "production=1") in links(app)
    assert ("See the list", "inventory", "gaps=1") in links(app)
    # What changed since the recorded report, as the next one will say it.
    assert "What changed since the last portfolio report" in [s.value for s in app.subheader]
    assert "(by Ada Admin):" in page
    assert "Version in production changed: 1" in page
    assert "Status worse: 1" in page
    assert "New models: 3" in page


def test_overview_in_german_names_people_and_links(portfolio):
    app = open_page(language="de")
    assert "Was Aufmerksamkeit braucht" in [s.value for s in app.subheader]
    page = texts(app).replace("\\", "")
    assert "Für customer-churn ist seit" in page
    assert "18.500 EUR im Monat versprochen" in page
    assert any("  \n**Zuständig:** [Bob Business](mailto:" in m.value for m in app.markdown)
    assert ("Risiko überprüfen", "risk", "model=customer-churn") in links(app)
    assert "3 Modelle im Einsatz haben keine verantwortliche Führungskraft; zusammen" in page
    assert "Was sich seit dem letzten Portfoliobericht geändert hat" in [
        s.value for s in app.subheader
    ]
    assert "Version im Einsatz gewechselt: 1" in page


def test_inventory_opens_filtered_by_an_attention_kind_and_clears(portfolio):
    app = open_page(INVENTORY, attention="no_executive")
    assert sorted(app.dataframe[0].value["name"]) == [
        "Kündigung Geschäftskunden",
        "customer-churn",
        "house-prices",
    ]
    assert app.info[0].value == "Showing only: No accountable executive"
    app.button(key="inventory.clear_address").click().run()
    assert not app.exception
    assert len(app.dataframe[0].value) == 4
    assert "attention" not in app.query_params


def test_inventory_opens_filtered_by_process_flag_or_says_a_filter_is_unknown(portfolio):
    app = open_page(INVENTORY, process="Customer retention")
    assert sorted(app.dataframe[0].value["name"]) == ["Kündigung Geschäftskunden", "customer-churn"]
    assert "business process Customer retention" in app.info[0].value
    app = open_page(INVENTORY, production="1", language="de")
    assert len(app.dataframe[0].value) == 3
    assert app.info[0].value == "Es werden nur angezeigt: Modelle im Einsatz"
    app = open_page(INVENTORY, attention="nonsense")
    assert len(app.dataframe[0].value) == 4
    assert "does not know" in app.warning[0].value


def test_risk_and_value_pages_show_their_attention_items(portfolio):
    risk = open_page(RISK)
    assert "Needing attention on this page" in [s.value for s in risk.subheader]
    assert ("Review the risk", "risk", "model=customer-churn") in links(risk)
    drill = open_page(RISK, model=CHURN)
    assert "What needs attention here" in [s.value for s in drill.subheader]
    assert "Name an accountable executive" in [label for label, _, _ in links(drill)]
    value = open_page(VALUE)
    page = texts(value).replace("\\", "")
    assert "customer-churn is far behind the value it promised" in page
    assert ("See the promise", "model", "model=customer-churn") in (links(value))
