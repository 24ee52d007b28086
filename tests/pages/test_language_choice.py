"""Which language a visit gets: address, session, cookie, browser, configured default."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from portal.ui.inputs import _EMPTY_STATE_TARGETS
from portal.ui.navigation import INVENTORY
from portal.ui.session import browser_language
from tests.support.apptest import ROUTER, open_app


@pytest.mark.parametrize(
    ("locale", "header", "expected"),
    [
        ("de-DE", None, "de"),
        ("de_AT", "en-US", "de"),
        ("en-GB", "de", "en"),
        (None, "fr-FR,de;q=0.8,en;q=0.5", "de"),
        (None, "en;q=0.3, de-CH;q=0.9", "de"),
        (None, "fr-FR, it", None),
        ("fr-FR", "de;q=bad", None),
        (None, None, None),
    ],
)
def test_the_browsers_first_language_the_portal_speaks(locale, header, expected):
    assert browser_language(locale, header) == expected


def test_the_address_sets_the_language_and_keeps_it(app_runtime):
    app = open_app(INVENTORY, "en", lang="de")
    assert app.title[0].value == "Modellverzeichnis"
    assert app.query_params["lang"] == "de"


def test_an_address_without_it_gets_the_sessions_language_written_in(app_runtime):
    app = open_app(INVENTORY, "de")
    assert app.title[0].value == "Modellverzeichnis"
    assert app.query_params["lang"] == "de"


def test_an_unknown_language_in_the_address_changes_nothing(app_runtime):
    app = open_app(INVENTORY, "de", lang="xx")
    assert app.title[0].value == "Modellverzeichnis"
    assert app.query_params["lang"] == "de"


def test_without_address_cookie_or_browser_the_configured_default(app_runtime):
    app = AppTest.from_file(ROUTER, default_timeout=30)
    app.run()
    assert app.title[0].value == "Overview"
    assert app.query_params["lang"] == "en"


def test_the_sidebar_switch_writes_the_address(app_runtime):
    app = open_app(INVENTORY, "en")
    app.sidebar.selectbox[0].set_value("de").run()
    assert app.title[0].value == "Modellverzeichnis"
    assert app.query_params["lang"] == "de"


def test_streamlit_still_draws_no_results_where_the_style_sheet_expects_it():
    # The German "Keine Treffer" replaces Streamlit's words through these style targets;
    # a Streamlit upgrade that renames them must fail here, not silently show English.
    scripts = Path(streamlit.__file__).parent / "static" / "static" / "js"
    bundles = {
        "Selectbox": _EMPTY_STATE_TARGETS[0],
        "Multiselect": _EMPTY_STATE_TARGETS[1],
    }
    for bundle, target in bundles.items():
        (script,) = scripts.glob(f"{bundle}.*.js")
        text = script.read_text("utf-8")
        assert f"target:`{target}`" in text, bundle
        assert "`No results`" in text, bundle
