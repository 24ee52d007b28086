"""The design's import rules, checked on the source (not by convention).

Dependencies point one way: pages -> ui -> services -> (domain, store, sources, text);
report -> (report facts, text, charts); services build report facts and call the renderer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
IO_LIBRARIES = {
    "duckdb",
    "mlflow",
    "evidently",
    "nannyml",
    "fairlearn",
    "ray",
    "s3fs",
    "boto3",
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
# What each part of portal/ may import from the portal itself (its own part included).
MAY_IMPORT = {
    "domain": {"domain"},
    "text": {"text", "domain", "charts", "config"},
    "charts": set(),
    "clock": set(),
    "errors": {"domain"},
    "store": {"store", "errors"},
    "report": {"report", "text", "charts", "domain", "config"},
    "ui": {"ui", "services", "domain", "text", "charts", "config", "clock", "errors", "runtime"},
}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (lazy imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def portal_parts(names: set[str]) -> set[str]:
    """The parts of portal/ imported: 'services' for portal.services.value, 'charts' for ..."""
    return {name.split(".")[1] for name in names if name.startswith("portal.")}


def python_files(*parts: str) -> list[Path]:
    return sorted((ROOT.joinpath(*parts)).rglob("*.py"))


def part_of(path: Path) -> str:
    """'services' for portal/services/value.py, 'charts' for portal/charts.py."""
    relative = path.relative_to(PORTAL)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_each_part_imports_only_the_parts_below_it():
    for path in python_files("portal"):
        allowed = MAY_IMPORT.get(part_of(path))
        if allowed is not None:
            assert portal_parts(imports_of(path)) <= allowed, path


def test_services_never_import_the_interface():
    for path in python_files("portal", "services"):
        assert not portal_parts(imports_of(path)) & {"ui", "app", "server", "cli"}, path


def test_report_imports_neither_interface_nor_services_nor_streamlit():
    for path in python_files("portal", "report"):
        names = imports_of(path)
        assert not portal_parts(names) & {"ui", "services", "store", "runtime"}, path
        assert "streamlit" not in top(names), path


def test_domain_text_and_charts_are_pure():
    pure = [*python_files("portal", "domain"), *python_files("portal", "text")]
    for path in [*pure, PORTAL / "charts.py", PORTAL / "clock.py", PORTAL / "errors.py"]:
        assert not top(imports_of(path)) & IO_LIBRARIES, path


def test_only_pages_ui_and_the_router_import_streamlit():
    allowed = {
        PORTAL / "app.py",
        # The ASGI host: st.App and Streamlit's upload limit; it draws nothing.
        PORTAL / "server.py",
        *python_files("pages"),
        *python_files("portal", "ui"),
    }
    for path in [*python_files("portal"), *python_files("pages")]:
        if path not in allowed:
            assert "streamlit" not in top(imports_of(path)), path


def test_pages_import_only_services_ui_text_and_charts():
    for path in python_files("pages"):
        for name in imports_of(path):
            if name.startswith("portal"):
                assert name.split(".")[1] in {"services", "ui", "text", "charts"}, (path, name)
            else:
                top_name = name.split(".")[0]
                assert top_name == "streamlit" or top_name in sys.stdlib_module_names, (path, name)


def test_duckdb_only_in_the_store_the_sources_and_the_drift_job():
    for path in python_files("portal"):
        if "duckdb" in top(imports_of(path)):
            assert part_of(path) in {"store", "sources", "drift"}, path


def test_mlflow_only_in_sources_and_demo_evidently_only_in_the_drift_job():
    for path in python_files("portal"):
        names = top(imports_of(path))
        if "mlflow" in names:
            assert part_of(path) in {"sources", "demo"}, path
        # The drift job's analyses and its cluster executor: never on a page's path.
        if names & {"evidently", "nannyml", "fairlearn", "ray"}:
            assert part_of(path) == "drift", path
        if names & {"s3fs", "boto3"}:
            assert part_of(path) == "sources", path
        if names & {"reportlab", "kaleido"}:
            assert part_of(path) == "report", path


def test_no_module_outside_the_text_layer_reads_the_catalogues():
    outside = [p for p in python_files("portal") if part_of(p) != "text"] + python_files("pages")
    for path in outside:
        source = path.read_text(encoding="utf-8")
        assert "text.locales" not in source and "locales/" not in source, path


def test_no_entry_script_beside_pages_and_no_private_page_manager():
    assert sorted(p.name for p in ROOT.glob("*.py")) == []
    assert (PORTAL / "app.py").is_file()
    # Streamlit's private page manager, named in pieces so this file does not mention it.
    private = ("Pages" + "Manager", "uses_pages" + "_directory")
    for path in [*python_files("portal"), *python_files("pages"), *python_files("tests")]:
        source = path.read_text(encoding="utf-8")
        assert not any(name in source for name in private), path


def test_importing_the_pages_path_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "import portal.ui.data, portal.ui.card_sections, portal.ui.status_sections, "
        "portal.ui.sidebar, portal.ui.navigation, portal.ui.forms, portal.server, "
        "portal.charts, portal.services.drift, portal.ui.export_sections, "
        "portal.services.report, portal.text.wording\n"
        "heavy = sorted(m for m in ('mlflow', 'evidently', 'sklearn', 'reportlab', 'kaleido', "
        "'nannyml', 'fairlearn', 'ray', 's3fs', 'boto3') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
