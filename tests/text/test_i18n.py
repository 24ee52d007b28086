"""Translations: both catalogs have the same keys and placeholders; formats per language."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from portal.domain.documentation import CONTRACT_TAGS
from portal.domain.metrics import _KNOWN
from portal.domain.roles import ACTION_ROLES
from portal.errors import (
    InvalidInput,
    NotAllowed,
    QueryTimeout,
    ReportUnavailable,
    SettingsError,
    StoreUnavailable,
    UnknownFeedback,
    UnknownModel,
)
from portal.text.format import format_age, format_date, format_number
from portal.text.i18n import LANGUAGES, catalog, catalog_files, translate
from portal.ui.navigation import PAGES

PLACEHOLDER = re.compile(r"{(\w+)}")
SOURCES = Path(__file__).resolve().parents[2]


def test_english_and_german_have_the_same_keys():
    assert set(catalog("en")) == set(catalog("de"))


def test_placeholders_match_between_languages():
    for key, english in catalog("en").items():
        assert set(PLACEHOLDER.findall(english)) == set(PLACEHOLDER.findall(catalog("de")[key])), (
            key
        )


def test_every_contract_tag_and_known_metric_has_a_text():
    for language in LANGUAGES:
        for tag in CONTRACT_TAGS:
            assert f"tags.{tag}" in catalog(language)
        for metric in _KNOWN:
            assert f"metrics.{metric}" in catalog(language)


def test_every_key_used_in_code_exists():
    used = set()
    for path in [
        *SOURCES.glob("pages/*.py"),
        *SOURCES.glob("portal/*.py"),
        *SOURCES.glob("portal/ui/*.py"),
        *SOURCES.glob("portal/report/*.py"),
        *SOURCES.glob("portal/text/*.py"),
    ]:
        code = path.read_text()
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']""", code))
        used |= set(re.findall(r"""\btranslate\(\s*\w+,\s*["']([a-z_]+\.[a-z_]+)["']""", code))
    assert used, "no keys found: the pattern no longer matches the code"
    assert used - set(catalog("en")) == set()


def test_every_page_error_and_refusal_has_a_message():
    keys = set(catalog("en"))
    assert {page.title_key for page in PAGES} <= keys
    for error in (UnknownModel("m"), UnknownFeedback(), ReportUnavailable(), QueryTimeout()):
        assert error.message_key in keys, error
    for error in (StoreUnavailable("cut"), SettingsError("bad"), InvalidInput(())):
        assert error.message_key in keys, error
    for action, role in ACTION_ROLES.items():
        assert NotAllowed(action, role).message_key in keys, action
    codes = set()
    for path in SOURCES.glob("portal/**/*.py"):
        codes |= set(re.findall(r"""Problem\(\s*[\w"']+,\s*["'](\w+)["']""", path.read_text()))
    assert {"required", "too_long", "email", "scale", "date_past"} <= codes
    assert {f"problem.{code}" for code in codes} <= keys


def test_translate_fills_placeholders():
    assert translate("de", "inventory.showing", shown=2, total=7) == "2 von 7 Modellen angezeigt."


def test_dates_numbers_and_ages_per_language():
    moment = datetime(2026, 3, 2, 14, 5)
    assert format_date("en", moment) == "2 Mar 2026"
    assert format_date("de", moment) == "02.03.2026"
    assert format_number("en", 23150.0) == "23,150"
    assert format_number("de", 23150.0) == "23.150"
    assert format_number("de", 0.8612, as_percent=True) == "86,1 %"
    assert format_age("en", timedelta(hours=3, minutes=5)) == "3 hours ago"
    assert format_age("de", timedelta(minutes=1)) == "vor 1 Minute"
    assert format_age("de", timedelta(days=2)) == "vor 2 Tagen"
    assert format_age("en", timedelta(seconds=20)) == "just now"


def test_every_feature_catalog_exists_in_both_languages():
    english = {name.removeprefix("en") for name in catalog_files("en")}
    german = {name.removeprefix("de") for name in catalog_files("de")}
    assert english == german
    assert catalog_files("en")[0] == "en.toml"
