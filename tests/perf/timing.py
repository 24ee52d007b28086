"""Server-side render times in this process (AppTest): the portal's pages and the MLflow page."""

from __future__ import annotations

import logging
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from portal.ui.navigation import PortalPage
from tests.support.apptest import open_app

MLFLOW_PAGE = Path(__file__).with_name("mlflow_page.py")


@dataclass(frozen=True)
class Timing:
    label: str
    cold: float  # seconds of the first render after the caches were cleared
    warm: float  # median seconds of the reloads after it


class _Times(logging.Handler):
    """Collects the render times a script logs as "page 'label' rendered in N ms"."""

    def __init__(self, label: str) -> None:
        super().__init__(logging.DEBUG)
        self.label = label
        self.seconds: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = re.search(r"page '([^']*)' rendered in (\d+) ms", record.getMessage())
        if match and match.group(1) == self.label:
            self.seconds.append(int(match.group(2)) / 1000)


class _Listening:
    def __init__(self, logger_name: str, label: str) -> None:
        self.logger = logging.getLogger(logger_name)
        self.handler = _Times(label)

    def __enter__(self) -> _Times:
        self.level = self.logger.level
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.DEBUG)
        return self.handler

    def __exit__(self, *_exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)


def time_portal_page(
    page: PortalPage, runs: int = 5, *, first_visit: bool = False, **query: str
) -> Timing:
    """The page's first render with cleared caches (in a session already open, as a visitor
    arriving from the overview), then the median of `runs` reloads; query: its address's
    parameters (a drill-down). first_visit: the resource caches are emptied too, as for the
    first visitor after the server started."""
    import streamlit as st

    label = page.url_path or "overview"
    app = open_app(timeout=120)  # the root run registers the page table; it is not counted
    st.cache_data.clear()
    if first_visit:
        st.cache_resource.clear()
    walls: list[float] = []
    with _Listening("portal.pages", label) as times:
        for _ in range(runs + 1):
            app.switch_page(page.path)
            for key, value in query.items():
                app.query_params[key] = value
            started = time.perf_counter()
            app.run()
            walls.append(time.perf_counter() - started)
            assert not app.exception, app.exception
            assert app.title, f"{page.script} rendered no title"
    suffix = f"?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else ""
    if len(times.seconds) != runs + 1:
        # The router logs nothing when a page ends with st.stop() (its closing st call raises
        # again): AppTest's own time of the run stands in, a few milliseconds more.
        return Timing(f"{page.script}{suffix} (*)", walls[0], statistics.median(walls[1:]))
    return Timing(f"{page.script}{suffix}", times.seconds[0], statistics.median(times.seconds[1:]))


def time_mlflow_page(runs: int = 3) -> Timing:
    """The newcomer's MLflow page: every render reads MLflow, so first and later are alike."""
    app = AppTest.from_file(str(MLFLOW_PAGE), default_timeout=300)
    with _Listening("tests.perf.mlflow_page", "mlflow") as times:
        for _ in range(runs + 1):
            app.run()
            assert not app.exception, app.exception
    return Timing("MLflow on every render", times.seconds[0], statistics.median(times.seconds[1:]))
