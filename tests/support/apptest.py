"""The one way tests open the portal in AppTest: through the router, as the server serves it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from portal.ui.navigation import OVERVIEW, PortalPage
from tests.support.portal_server import ROOT

ROUTER = str(ROOT / "portal" / "app.py")


def open_app(
    page: PortalPage = OVERVIEW, language: str = "en", timeout: float = 30, **query: str
) -> AppTest:
    """Run the router on a page (with query parameters) in a language; return the AppTest.

    The router runs once at the root first, as a browser's first request does: that run
    registers the page table, so a page is then found by its script.
    """
    app = AppTest.from_file(ROUTER, default_timeout=timeout)
    app.session_state["portal.language"] = language
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    if page is not OVERVIEW:
        app.switch_page(page.path)
        app.run()
    return app
