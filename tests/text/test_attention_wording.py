"""Attention items and groups in plain sentences, in English and German."""

from __future__ import annotations

from datetime import datetime

from portal.domain.attention import KINDS, AttentionItem, Stake, summarize
from portal.text.attention_wording import (
    group_sentence,
    item_sentence,
    kind_label,
    situation_sentence,
)

STAKE = Stake(42_000.0, "EUR", "automated", "high", "", 1)
DRIFTING = AttentionItem(
    "drifting",
    "Credit scoring",
    datetime(2026, 11, 3),
    STAKE,
    "anna@example.com",
    "technical_owner",
)
NAMES = {"anna@example.com": "Anna Schmidt"}.get


def test_an_item_says_what_since_when_what_is_at_stake_and_who_acts():
    assert item_sentence("en", DRIFTING, NAMES) == (
        "Credit scoring has been drifting since 3 Nov 2026 (its data has changed a lot);"
        " it decides automatically, 42,000 EUR a month promised, business-critical;"
        " Anna Schmidt (technical owner) acts."
    )
    assert item_sentence("de", DRIFTING, NAMES) == (
        "Credit scoring driftet seit 03.11.2026 (seine Daten haben sich stark verändert);"
        " es entscheidet selbstständig, 42.000 EUR im Monat versprochen, geschäftskritisch;"
        " zuständig ist Anna Schmidt (technisch verantwortlich)."
    )


def test_without_since_stake_or_person_the_sentence_stays_whole():
    bare = AttentionItem(
        "high_risk",
        "m",
        None,
        Stake(None, "EUR", "", "", "high", 1),
        "",
        "admin",
        ("outage", "decay"),
    )
    assert item_sentence("en", bare) == (
        "m has a high risk assessed (outage, decay); high risk under the EU AI Act;"
        " nobody is named for it, so an administrator acts."
    )
    assert situation_sentence("de", bare) == (
        "Für m ist ein hohes Risiko bewertet (Ausfall, Verschlechterung);"
        " nach der KI-Verordnung der EU hochriskant."
    )


def test_an_unknown_name_shows_the_address_itself():
    assert "anna@example.com (technical owner) acts." in item_sentence("en", DRIFTING)


def test_groups_aggregate_at_scale():
    items = [
        AttentionItem(
            "no_executive",
            f"m{n}",
            None,
            Stake(None, "EUR", "automated" if n < 38 else "advisory", "", "", 1),
            "",
            "admin",
        )
        for n in range(412)
    ]
    [group] = summarize(items).groups
    assert group_sentence("en", group) == (
        "412 production models have no accountable executive; 38 of them decide automatically."
    )
    assert group_sentence("de", group) == (
        "412 Modelle im Einsatz haben keine verantwortliche Führungskraft;"
        " davon entscheiden 38 selbstständig."
    )
    [one] = summarize(items[:1]).groups
    assert group_sentence("en", one) == (
        "1 production model has no accountable executive; it decides automatically."
    )


def test_every_kind_has_words_in_both_languages():
    for language in ("en", "de"):
        for kind in KINDS:
            item = AttentionItem(kind, "m", None, STAKE, "", "admin")
            assert not item_sentence(language, item).startswith("attention_")
            assert not kind_label(language, kind).startswith("attention_")
            [group] = summarize([item, AttentionItem(kind, "n", None, STAKE, "", "admin")]).groups
            sentence = group_sentence(language, group)
            assert "2 " in sentence and "{" not in sentence and "attention_" not in sentence
