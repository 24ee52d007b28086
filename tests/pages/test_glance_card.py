"""The model card opens with its glance block; the value table shows money; EN and DE."""

from __future__ import annotations

import json

import pytest

from portal import clock
from portal.domain.people import Person
from portal.domain.risk import Governance
from portal.domain.value import months_between, period_months
from portal.services.identity import LOCAL_USER
from portal.ui import data
from portal.ui.navigation import MODEL_CARD, VALUE
from tests.pages.test_pages import open_page
from tests.support.builders import observe, promise

EXECUTIVE = "cleo.chef@example.com"


@pytest.fixture
def with_glance(app_runtime):
    """customer-churn: 370 kept customers a month promised (50 EUR each), 312 and 350 kept in
    two of the last three months; an accountable executive the directory names."""
    first, last = period_months("quarter", clock.today(), None)
    months = months_between(first, last)
    service = data.value_service()
    service.set_benchmark(LOCAL_USER, "customer-churn", promise(valid_from=months[0]))
    observe(
        service.store,
        [
            ("customer-churn", "customers kept", months[0], "", 312.0),
            ("customer-churn", "customers kept", months[2], "", 350.0),
        ],
    )
    data.risk_service().set_governance(
        LOCAL_USER,
        "customer-churn",
        Governance(EXECUTIVE, "bob.business@example.com", "", "", ""),
    )
    data.people_service().add_from_source([Person(EXECUTIVE, "Cleo Chef", "demo")], "demo")


def main_texts(app) -> list[str]:
    """Every markdown, caption and subheader of the page body, in the order shown."""
    found = []

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        if kind in ("markdown", "caption", "subheader", "title") and hasattr(node, "value"):
            found.append(str(node.value).replace("\\", ""))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app.main)
    return found


def block_of(shown: list[str], title: str) -> list[str]:
    """The glance block's texts: from its title to the first section below it."""
    start = next(i for i, text in enumerate(shown) if text == f"**{title}**")
    return shown[start:]


@pytest.mark.parametrize(
    ("lang", "title", "words", "first_section"),
    [
        (
            "en",
            "At a glance",
            [
                "**Version 2**",
                "33,100 EUR of 37,000 EUR promised",
                "16,550 EUR of 18,500 EUR a month",
                "at risk",
                "Cleo Chef",
                "bob.business@example.com",
                "anna.schmidt@example.com",
                "**100 %**",
                "of 0 reports",
            ],
            "What it does and for whom",
        ),
        (
            "de",
            "Auf einen Blick",
            [
                "**Version 2**",
                "33.100 EUR von 37.000 EUR versprochen",
                "16.550 EUR von 18.500 EUR im Monat",
                "gefährdet",
                "Cleo Chef",
                "von 0 Meldungen",
            ],
            "Was es tut und für wen",
        ),
    ],
)
def test_the_card_opens_with_the_glance_block(with_glance, lang, title, words, first_section):
    app = open_page(MODEL_CARD, language=lang, model="customer-churn")
    shown = main_texts(app)
    block = block_of(shown, title)
    # The block comes before every section of the card's details.
    details = next(i for i, text in enumerate(block) if text == first_section)
    glance_text = "\n".join(block[:details])
    for word in words:
        assert word in glance_text, word
    # The executive by name, the address as link and tooltip.
    assert f"(mailto:{EXECUTIVE}" in glance_text
    assert shown.index(f"**{title}**") < shown.index(first_section)


@pytest.mark.parametrize(
    ("lang", "realized", "promised", "units"),
    [
        ("en", "Realized", "Promised", "Improvements in each KPI's own unit"),
        (
            "de",
            "Erreicht",
            "Versprochen",
            "Verbesserungen in der Einheit jeder Kennzahl",
        ),
    ],
)
def test_the_value_table_shows_money_in_few_columns(with_glance, lang, realized, promised, units):
    app = open_page(VALUE, language=lang)
    table = app.dataframe[0]
    assert list(table.value["realized"]) == [33100]
    assert list(table.value["promised"]) == [37000]
    columns = json.loads(table.proto.columns)
    shown = [name for name, config in columns.items() if not config.get("hidden")]
    # Nine columns fit the page's width (the model's net value and ROI last); the KPI's own
    # units wait in an expander.
    assert shown == [
        "model",
        "kpi",
        "status",
        "realized",
        "promised",
        "attainment",
        "trend",
        "net",
        "roi",
    ]
    assert (columns["realized"]["label"], columns["promised"]["label"]) == (realized, promised)
    assert columns["realized"]["type_config"] == {"type": "number", "format": "localized"}
    # The currency once, above the table, and in each money column's help.
    assert "EUR" in columns["realized"]["help"] and "EUR" in columns["promised"]["help"]
    assert any("EUR" in caption.value for caption in app.caption)
    # The KPI's own units wait in an expander, drawn when opened.
    assert units in [expander.label for expander in app.expander]
    assert len(app.dataframe) == 1


def test_the_value_sentence_in_german(with_glance):
    app = open_page(VALUE, language="de")
    shown = "\n".join(main_texts(app))
    assert "customers kept 662 customers höher als ohne Modell" in shown
    assert "89 % des Versprechens (740 customers)" in shown
