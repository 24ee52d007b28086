"""Run the app in AppTest the way the server runs it: always through the router."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from streamlit.runtime.pages_manager import PagesManager


@contextmanager
def router_mode() -> Iterator[None]:
    """Keep AppTest from running pages/ scripts directly, bypassing streamlit_app.py.

    AppTest resets PagesManager.uses_pages_directory before every run, and a pages/ folder
    beside the entry script then selects Streamlit's old multipage mode, in which a switched-to
    page runs without the router (no sidebar, no error handling). portal/server.py turns that
    mode off for the server; this does the same for AppTest.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    try:
        yield
    finally:
        PagesManager.__init__ = original
