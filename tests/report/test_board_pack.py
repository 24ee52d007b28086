"""`portal report --portfolio --appendix` as a user runs it: the board pages, every model's row
only when asked for, and the flag refused where it does not belong."""

from __future__ import annotations

from pypdf import PdfReader

from portal.store import open_store
from tests.conftest import load_settings_for
from tests.report.facts import text_of
from tests.support.cli import run_portal, store_env
from tests.support.report_scale import fill

MODELS = 60


def test_the_appendix_flag_adds_every_model_to_the_portfolio_report(tmp_path):
    path = tmp_path / "portal.duckdb"
    settings = load_settings_for(path, f"sqlite:///{tmp_path / 'mlflow.db'}")
    store = open_store(path)
    fill(store, settings, MODELS)
    store.close()
    env = store_env(path)
    board, full = tmp_path / "board.pdf", tmp_path / "full.pdf"
    result = run_portal("report", "--portfolio", "--out", str(board), env=env)
    assert result.returncode == 0, result.stderr
    result = run_portal("report", "--portfolio", "--appendix", "--out", str(full), env=env)
    assert result.returncode == 0, result.stderr
    assert "recorded as report 2" in result.stdout
    board_pages, full_pages = len(PdfReader(board).pages), len(PdfReader(full).pages)
    assert board_pages < full_pages
    assert f"({full_pages} pages" in result.stdout
    board_text = " ".join(text_of(board.read_bytes()))
    full_text = " ".join(text_of(full.read_bytes()))
    assert f"Appendix: every model ({MODELS})" not in board_text
    assert f"Appendix: every model ({MODELS})" in full_text
    assert all(f"model-{index:03d}" in full_text for index in range(MODELS))


def test_the_appendix_flag_belongs_to_the_portfolio_report(tmp_path):
    env = store_env(tmp_path / "portal.duckdb")
    result = run_portal("report", "--model", "customer-churn", "--appendix", env=env)
    assert result.returncode == 2
    assert "--appendix belongs to the portfolio report (--portfolio)" in result.stderr
    assert not (tmp_path / "portal.duckdb").exists()  # refused before the store is opened


def test_the_help_explains_the_appendix():
    result = run_portal("report", "--help")
    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    assert "--appendix" in help_text and "board document" in help_text
