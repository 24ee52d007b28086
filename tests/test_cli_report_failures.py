"""`portal report` against long documentation and failures, as a user runs it: a model
documented up to MLflow's limits gets its fact sheet; a PDF that cannot be made or written is
one line on stderr and exit code 1, the cause in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader

from portal import cli
from tests.report.test_long_text import MLFLOW_TAG_LIMIT, body_text, flat, prose, unbroken
from tests.support.cli import run_portal

MODEL = "long-documentation"
TAGS = {
    "purpose": prose(3000, 11),
    "intended_use": prose(MLFLOW_TAG_LIMIT, 12),
    "limitations": unbroken(20000),
    "business_process": unbroken(MLFLOW_TAG_LIMIT),
}


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    """A real MLflow store holding a model documented at MLflow's limits, synced by the CLI."""
    from mlflow import MlflowClient

    folder = tmp_path_factory.mktemp("cli_long_text")
    tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
    MlflowClient(tracking_uri, tracking_uri).create_registered_model(MODEL, tags=TAGS)
    settings = {
        "PORTAL_STORE_PATH": str(folder / "portal.duckdb"),
        "PORTAL_MLFLOW_TRACKING_URI": tracking_uri,
        "PORTAL_INFERENCE_DIR": str(folder / "inference"),
    }
    synced = run_portal("sync", env=settings)
    assert synced.returncode == 0, synced.stderr
    return settings


def test_a_model_documented_at_mlflows_limits_gets_its_fact_sheet(env, tmp_path):
    out = tmp_path / "sheet.pdf"
    result = run_portal("report", "--model", MODEL, "--lang", "de", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {out}" in result.stdout
    pdf = out.read_bytes()
    assert len(PdfReader(out).pages) > 20
    text = body_text(pdf)
    for key in ("purpose", "intended_use", "limitations", "business_process"):
        assert flat(TAGS[key]) in text, key


def recorded(env: dict[str, str], out: Path) -> int:
    """Write a portfolio report; the number it was recorded under."""
    result = run_portal("report", "--portfolio", "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.rsplit("recorded as report ", 1)[1].rstrip(".\n"))


def test_a_folder_that_cannot_be_written_is_one_line_and_nothing_is_recorded(env, tmp_path):
    before = recorded(env, tmp_path / "before.pdf")
    unwritable = Path("/sys/portal-fact-sheet.pdf")  # sysfs refuses new files, even to root
    result = run_portal("report", "--model", MODEL, "--out", str(unwritable), env=env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "cannot write /sys/portal-fact-sheet.pdf: Permission denied" in result.stderr
    # Refused before anything was made: no report was recorded in between.
    assert recorded(env, tmp_path / "after.pdf") == before + 1


def test_a_file_name_too_long_for_the_file_system_is_one_line(env, tmp_path):
    out = tmp_path / ("x" * 300 + ".pdf")
    result = run_portal("report", "--portfolio", "--out", str(out), env=env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "File name too long" in result.stderr


def test_a_renderer_failure_is_one_line_and_the_cause_goes_to_the_log(
    env, tmp_path, monkeypatch, capsys, caplog
):
    def broken(facts, language):
        raise RuntimeError("the layout engine gave up\nwith a second line")

    monkeypatch.setattr("portal.report.render_fact_sheet", broken)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "sheet.pdf"
    with caplog.at_level(logging.INFO, logger="portal.cli"):
        code = cli.main(["report", "--model", MODEL, "--out", str(out)])
    error = capsys.readouterr().err
    assert code == 1
    assert error.count("\n") == 1 and "Traceback" not in error
    assert error.startswith("portal report: the fact sheet could not be made (RuntimeError)")
    assert not out.exists()
    (record,) = [r for r in caplog.records if r.exc_info]
    assert "the layout engine gave up" in str(record.exc_info[1])
