"""cProfile one page's cold and warm render on the bench store, to find what is slow.

    .venv/bin/python -m tests.perf.profile_page PAGE_SCRIPT [model=NAME] [--warm]

Prints the portal functions with the most cumulative time (the script runs in AppTest's
thread, which this wraps).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

from streamlit.testing.v1 import local_script_runner

from portal.runtime import open_runtime
from portal.ui import navigation
from tests.perf.bench_store import bench_store, settings_for
from tests.support.apptest import open_app

PROFILE = cProfile.Profile()
_original = local_script_runner.LocalScriptRunner._run_script_thread
_active = {"on": False}


def _profiled(self) -> None:
    if not _active["on"]:
        return _original(self)
    PROFILE.enable()
    try:
        return _original(self)
    finally:
        PROFILE.disable()


def main() -> None:
    import streamlit as st

    script = sys.argv[1]
    query = dict(arg.split("=", 1) for arg in sys.argv[2:] if "=" in arg)
    warm = "--warm" in sys.argv
    page = next(p for p in navigation.PAGES if p.script == script)
    bench = bench_store()
    folder = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    shutil.copy2(bench.settings.store_path, folder / "portal.duckdb")
    settings = settings_for(folder)
    settings = type(settings)(
        **{**settings.__dict__, "mlflow_tracking_uri": bench.settings.mlflow_tracking_uri}
    )
    open_runtime(settings, schedule=False)
    local_script_runner.LocalScriptRunner._run_script_thread = _profiled
    app = open_app(timeout=300)
    st.cache_data.clear()
    for run in range(2 if warm else 1):
        _active["on"] = run == (1 if warm else 0)
        app.switch_page(page.path)
        for key, value in query.items():
            app.query_params[key] = value
        app.run()
        assert not app.exception, app.exception
    out = io.StringIO()
    stats = pstats.Stats(PROFILE, stream=out).sort_stats("cumulative")
    stats.print_stats(r"portal/|pages/", 45)
    print(out.getvalue())
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
