"""Value sentences in English and German: percentage points for rates, one precision per
sentence, the direction in words."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.value import KpiValue, ValueSummary
from portal.text.wording import uplift_texts, value_sentence

FIRST, LAST = date(2026, 8, 1), date(2026, 10, 1)


def row(
    realized: float | None,
    promised: float | None,
    unit: str = "%",
    direction: str = "lower",
    status: str = "off_track",
    kpi: str = "default rate",
) -> KpiValue:
    summary = ValueSummary(
        realized_uplift=realized,
        promised_uplift=promised,
        attainment=realized / promised if realized is not None and promised else None,
        status=status,
        months_with_data=3 if realized is not None else 0,
        months_missing=0,
        realized_money=None,
        promised_money=None,
    )
    return KpiValue(
        "credit-default",
        kpi,
        unit,
        direction,
        "mean",
        "Risk",
        "Lending",
        5.0,
        4.0,
        1,
        summary,
        (),
    )


def test_a_rate_changes_in_percentage_points():
    text = value_sentence("en", row(0.412, 1.0), FIRST, LAST)
    assert text == (
        "August – October 2026, credit-default: default rate 0.4 percentage points lower than "
        "without the model, 41 % of the promised 1 point."
    )


def test_a_rate_in_german_changes_in_prozentpunkte():
    text = value_sentence("de", row(0.412, 1.0), FIRST, LAST)
    assert text == (
        "August – Oktober 2026, credit-default: default rate 0,4 Prozentpunkte niedriger als "
        "ohne Modell, 41 % des Versprechens (1 Prozentpunkt)."
    )


def test_realized_and_promised_share_their_decimals():
    text = value_sentence("en", row(0.4567, 1.5), FIRST, LAST)
    assert "0.5 percentage points lower" in text
    assert "of the promised 1.5 points." in text
    text = value_sentence("en", row(0.0372, 0.1), FIRST, LAST)
    assert "0.04 percentage points lower" in text
    assert "of the promised 0.1 points." in text


def test_a_count_keeps_its_unit_and_says_higher():
    text = value_sentence(
        "en", row(661.6, 740.0, "customers", "higher", "at_risk", "customers kept"), FIRST, LAST
    )
    assert text == (
        "August – October 2026, credit-default: customers kept 662 customers higher than "
        "without the model, 89 % of the promised 740 customers."
    )
    german = value_sentence(
        "de", row(1661.6, 1740.0, "Kunden", "higher", "on_track", "gehaltene Kunden"), FIRST, LAST
    )
    assert "gehaltene Kunden 1.662 Kunden höher als ohne Modell, 95 % des Versprechens" in german
    assert "(1.740 Kunden)." in german


def test_a_loss_says_worse_in_the_kpis_direction():
    text = value_sentence("en", row(-0.23, 1.0), FIRST, LAST)
    assert text == (
        "August – October 2026, credit-default: default rate 0.2 percentage points higher than "
        "without the model (a loss), against 1 point lower promised."
    )
    german = value_sentence("de", row(-0.23, 1.0), FIRST, LAST)
    assert "default rate 0,2 Prozentpunkte höher als ohne Modell (ein Verlust)" in german
    assert "versprochen waren 1 Prozentpunkt niedriger." in german


def test_a_loss_too_small_to_show_reads_zero():
    text = value_sentence("en", row(-0.001, 1.0, status="off_track"), FIRST, LAST)
    assert "default rate 0 percentage points lower" in text
    assert "-0" not in text


@pytest.mark.parametrize("lang", ["en", "de"])
def test_no_data_and_no_promise_keep_their_sentences(lang):
    no_data = value_sentence(lang, row(None, None, status="no_data"), FIRST, LAST)
    assert "credit-default" in no_data and "default rate" in no_data
    no_promise = value_sentence(lang, row(None, None, status="no_promise"), FIRST, LAST)
    assert no_promise != no_data


def test_the_units_table_writes_improvements_as_the_sentences_do():
    assert uplift_texts("en", row(0.412, 1.0)) == ("0.4 percentage points", "1 percentage point")
    assert uplift_texts("de", row(0.412, 1.5)) == ("0,4 Prozentpunkte", "1,5 Prozentpunkte")
    counted = row(661.6, 740.0, "customers", "higher", "at_risk", "customers kept")
    assert uplift_texts("en", counted) == ("662 customers", "740 customers")
    assert uplift_texts("en", row(None, None, status="no_data")) == ("–", "–")
