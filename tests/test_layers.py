"""The design's import rules, checked on the source (not by convention)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IO_LIBRARIES = {
    "duckdb",
    "mlflow",
    "evidently",
    "streamlit",
    "requests",
    "httpx",
    "sqlite3",
    "reportlab",
    "kaleido",
    "pandas",
    "pyarrow",
    "urllib",
}


def imports_of(path: Path) -> set[str]:
    """Top-level names of every module a file imports (at any depth of the file)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def python_files(*parts: str) -> list[Path]:
    return sorted((ROOT.joinpath(*parts)).rglob("*.py"))


def test_domain_and_charts_are_pure():
    for path in [*python_files("portal", "domain"), ROOT / "portal" / "charts.py"]:
        assert not top(imports_of(path)) & IO_LIBRARIES, path


def test_only_pages_ui_and_router_import_streamlit():
    allowed = {
        ROOT / "streamlit_app.py",
        ROOT / "portal" / "server.py",
        *python_files("pages"),
        *python_files("portal", "ui"),
    }
    for path in [*python_files("portal"), *python_files("pages")]:
        if path not in allowed:
            assert "streamlit" not in top(imports_of(path)), path


def test_pages_import_only_services_ui_and_charts():
    for path in python_files("pages"):
        for name in imports_of(path):
            if name.startswith("portal"):
                assert name.split(".")[1] in {"services", "ui", "charts"}, (path, name)
            else:
                top_name = name.split(".")[0]
                assert top_name == "streamlit" or top_name in sys.stdlib_module_names, (path, name)


def test_mlflow_only_in_sources_and_demo_evidently_only_in_the_drift_job():
    for path in python_files("portal"):
        names = top(imports_of(path))
        if "mlflow" in names:
            assert path.parent.name in {"sources", "demo"}, path
        if "evidently" in names:
            assert path.parent.name == "drift", path
        if names & {"reportlab", "kaleido"}:
            assert path.parent.name == "report", path


def test_importing_the_pages_path_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "import portal.ui.data, portal.ui.card_sections, portal.ui.status_sections, "
        "portal.ui.sidebar, portal.server, portal.charts, portal.services.drift, "
        "portal.ui.export_sections, portal.services.report\n"
        "heavy = sorted(m for m in ('mlflow', 'evidently', 'sklearn', 'reportlab', 'kaleido') "
        "if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
