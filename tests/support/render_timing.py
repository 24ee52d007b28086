"""Server-side render time of pages, measured with AppTest in this process.

Run against the configured store (stop the server first, it holds the store):
    .venv/bin/python -m tests.support.render_timing
"""

from __future__ import annotations

import logging
import re
import statistics

from portal.ui.navigation import INVENTORY, OVERVIEW, PortalPage
from tests.support.apptest import open_app

PAGES = (OVERVIEW, INVENTORY)


class _RenderTimes(logging.Handler):
    """Collects the render times the router (portal/app.py) logs for one page."""

    def __init__(self, page: PortalPage) -> None:
        super().__init__(logging.DEBUG)
        self.label = page.url_path or "overview"
        self.seconds: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = re.search(r"page '([^']*)' rendered in (\d+) ms", record.getMessage())
        if match and match.group(1) == self.label:
            self.seconds.append(int(match.group(2)) / 1000)


def time_page(page: PortalPage, runs: int = 5) -> tuple[float, float]:
    """Server-side seconds of the page's first render (cold caches) and the median of reloads.

    The figures are the script's own time as the router logs it, without AppTest's overhead.
    """
    import streamlit as st

    logger = logging.getLogger("portal.pages")
    handler, level = _RenderTimes(page), logger.level
    app = open_app(timeout=60)  # the root run registers the page table; it is not counted
    st.cache_data.clear()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        for _ in range(runs + 1):
            app.switch_page(page.path)
            app.run()
            assert not app.exception, app.exception
            assert app.title, f"{page.script} rendered no title"
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert len(handler.seconds) == runs + 1, handler.seconds
    return handler.seconds[0], statistics.median(handler.seconds[1:])


def main() -> None:
    from portal.runtime import close_runtime, open_runtime

    runtime = open_runtime(schedule=False)
    models = runtime.store.fetch_value("n", "SELECT count(*) FROM registered_models")
    print(f"store {runtime.settings.store_path}: {models} models")
    for page in PAGES:
        cold, warm = time_page(page)
        print(f"{page.script}: first render {cold * 1000:.0f} ms, then median {warm * 1000:.0f} ms")
    close_runtime()


if __name__ == "__main__":
    main()
