"""The drift job against a real store, constructed logs and reference samples."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from portal.domain.catalog import SYNTHETIC_TAG
from portal.drift.job import run_drift_job
from portal.errors import UnknownModel
from portal.store.database import Store
from portal.store.drift_repo import DriftRepository
from tests.support.drift_fixtures import NOW, FakeArtifacts, churn_logs, churn_rows, write_logs

CHURN = "customer-churn"


@pytest.fixture
def drift_settings(settings):
    """Two history weeks keep the tests quick; the cap is well above the test volumes."""
    return replace(settings, drift_history_weeks=2, drift_sample_rows=5000)


@pytest.fixture
def artifacts() -> FakeArtifacts:
    return FakeArtifacts({"r2": churn_rows(2000, seed=1)})


def run(store: Store, settings, artifacts: FakeArtifacts, **kwargs):
    return run_drift_job(store, settings, artifacts, trigger="cli", now=NOW, **kwargs)


def latest(store: Store, model: str) -> dict:
    return next(row for row in DriftRepository(store).latest_checks() if row["model_name"] == model)


def test_identical_distributions_stay_stable(filled_store, drift_settings, artifacts):
    write_logs(
        drift_settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=21), 21, 300, 100)
    )
    result = run(filled_store, drift_settings, artifacts, model_name=CHURN)
    assert result.outcomes == {CHURN: "checked"}
    check = latest(filled_store, CHURN)
    assert check["status"] == "stable"
    assert check["inputs_total"] == 3
    assert check["inputs_changed"] == 0
    assert check["prediction_drifted"] is False


def test_strong_shift_is_flagged_and_ranked_first(filled_store, drift_settings, artifacts):
    logs = churn_logs(NOW - timedelta(days=21), 21, 300, 100, shift_from=NOW - timedelta(days=7))
    write_logs(drift_settings.inference_dir, CHURN, logs)
    run(filled_store, drift_settings, artifacts, model_name=CHURN)
    repo = DriftRepository(filled_store)
    check = latest(filled_store, CHURN)
    assert check["status"] == "drifting"
    assert check["inputs_changed"] == 1
    features = repo.features(check["id"])
    assert features[0]["feature"] == "monthly_charges"
    assert features[0]["drifted"] is True
    assert {f["feature"]: f["drifted"] for f in features}["tenure"] is False
    history = [row for row in repo.history(CHURN) if row["window_kind"] == "week"]
    # The last complete week (Monday to Monday) already holds the shifted days.
    assert [row["status"] for row in history] == ["stable", "drifting"]


def test_every_production_model_gets_a_result_and_failures_stay_per_model(
    filled_store, drift_settings, artifacts
):
    write_logs(
        drift_settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=14), 14, 200, 7)
    )
    # house-prices has logs but its run logged no reference sample.
    write_logs(
        drift_settings.inference_dir, "house-prices", churn_logs(NOW - timedelta(days=7), 7, 50, 3)
    )
    # The German model's logs are not a table at all.
    broken = drift_settings.inference_dir / "Kündigung Geschäftskunden"
    broken.mkdir(parents=True)
    (broken / "part.parquet").write_bytes(b"not parquet")
    artifacts.references["r5"] = churn_rows(500, seed=2)
    result = run(filled_store, drift_settings, artifacts)
    assert result.outcomes == {
        CHURN: "checked",
        "house-prices": "not_monitored",
        "Kündigung Geschäftskunden": "failed",
    }
    checks = {row["model_name"]: row for row in DriftRepository(filled_store).latest_checks()}
    assert checks["house-prices"]["reason"] == "no_reference"
    assert checks["Kündigung Geschäftskunden"]["reason"] == "logs_unreadable"
    assert "part.parquet" in checks["Kündigung Geschäftskunden"]["detail"]
    job = DriftRepository(filled_store).jobs()[0]
    assert (job["status"], job["models_checked"], job["models_failed"]) == ("ok", 3, 1)


def test_synthetic_demo_models_keep_their_simulated_results(
    filled_store, drift_settings, artifacts
):
    # portal demo --scale tags its generated models; they log nothing, so the job leaves them.
    with filled_store.transaction() as tx:
        tx.execute(
            "INSERT INTO model_tags VALUES ('house-prices', $key, 'true')", {"key": SYNTHETIC_TAG}
        )
    result = run(filled_store, drift_settings, artifacts)
    assert set(result.outcomes) == {CHURN, "Kündigung Geschäftskunden"}
    checked = {row["model_name"] for row in DriftRepository(filled_store).latest_checks()}
    assert "house-prices" not in checked


def test_model_without_logs_is_not_monitored(filled_store, drift_settings, artifacts):
    result = run(filled_store, drift_settings, artifacts, model_name=CHURN)
    assert result.outcomes == {CHURN: "not_monitored"}
    check = latest(filled_store, CHURN)
    assert (check["reason"], check["status"]) == ("no_logs", None)
    assert artifacts.downloads == []  # no reference is fetched for a model nobody logs


def test_reference_with_a_single_row_is_not_compared(filled_store, drift_settings):
    write_logs(drift_settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=7), 7, 100, 5))
    single = FakeArtifacts({"r2": churn_rows(1, seed=1)})
    run(filled_store, drift_settings, single, model_name=CHURN)
    check = latest(filled_store, CHURN)
    assert (check["outcome"], check["reason"], check["detail"]) == (
        "not_monitored",
        "reference_too_small",
        "1",
    )


def test_empty_current_window_says_so(filled_store, drift_settings, artifacts):
    old_logs = churn_logs(NOW - timedelta(days=40), 10, 100, 5)  # nothing in the last 7 days
    write_logs(drift_settings.inference_dir, CHURN, old_logs)
    run(filled_store, drift_settings, artifacts, model_name=CHURN)
    check = latest(filled_store, CHURN)
    assert (check["outcome"], check["reason"], check["window_rows"]) == (
        "no_data",
        "empty_window",
        0,
    )
    assert check["latest_log_at"] == old_logs["timestamp"].max()  # when the model last ran


def test_unknown_model_is_refused(filled_store, drift_settings, artifacts):
    with pytest.raises(UnknownModel, match="bare model"):
        run(filled_store, drift_settings, artifacts, model_name="bare model")


def test_unchanged_weeks_are_not_checked_again_but_late_labels_are(
    filled_store, drift_settings, artifacts
):
    logs = churn_logs(NOW - timedelta(days=14), 14, 200, 9)
    last_week = NOW.replace(hour=0) - timedelta(days=7)
    logs.loc[logs["timestamp"] < last_week, "label"] = None  # the week before has no outcomes yet
    path = write_logs(drift_settings.inference_dir, CHURN, logs)
    first = run(filled_store, drift_settings, artifacts, model_name=CHURN)
    assert first.checks_saved == 3  # two weeks and the current window
    again = run(filled_store, drift_settings, artifacts, model_name=CHURN)
    # Nothing changed: the stored results are confirmed, not computed again.
    assert (again.checks_saved, again.outcomes) == (0, {CHURN: "unchanged"})
    current = latest(filled_store, CHURN)
    assert current["confirmed_at"] == NOW and current["checked_at"] == NOW
    repo = DriftRepository(filled_store)
    assert not [
        row for row in repo.quality(CHURN) if row["window_start"] == last_week - timedelta(days=7)
    ]
    logs["label"] = churn_logs(NOW - timedelta(days=14), 14, 200, 9)["label"]  # labels arrive
    logs.to_parquet(path, index=False)
    late = run(filled_store, drift_settings, artifacts, model_name=CHURN)
    assert late.checks_saved == 2  # the week whose labels arrived, and the current window
    weeks = [row for row in repo.history(CHURN) if row["window_kind"] == "week"]
    assert len(weeks) == 2  # replaced, not duplicated
    quality = {
        row["metric"]: row
        for row in repo.quality(CHURN)
        if row["window_start"] == last_week - timedelta(days=7)
    }
    assert set(quality) == {"accuracy", "f1", "roc_auc"}
    assert quality["accuracy"]["training_value"] == pytest.approx(0.86)  # run r2's metric


def test_only_the_newest_report_per_model_is_kept(filled_store, drift_settings, artifacts):
    write_logs(drift_settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=7), 7, 100, 5))
    run(filled_store, drift_settings, artifacts, model_name=CHURN)
    first = latest(filled_store, CHURN)
    reports = drift_settings.drift_reports_dir
    assert (reports / first["report_file"]).read_text(encoding="utf-8").lstrip().startswith("<")
    # A day more of logs: the current window changed, so it is checked again.
    write_logs(drift_settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=8), 8, 100, 6))
    run(filled_store, drift_settings, artifacts, model_name=CHURN)
    second = latest(filled_store, CHURN)
    assert second["id"] != first["id"]
    assert (reports / second["report_file"]).is_file()
    assert not (reports / first["report_file"]).exists()
    assert DriftRepository(filled_store).distributions(first["id"]) == []
    assert DriftRepository(filled_store).distributions(second["id"])


MILLION = 1_000_000


def check_a_million_rows(store, settings, artifacts) -> tuple[dict, float]:
    """Check a 1,000,000-row window with a 20,000-row cap; the stored check and the seconds."""
    rng = np.random.default_rng(0)
    start = NOW - timedelta(days=7)
    logs = churn_rows(MILLION, seed=5).assign(
        timestamp=pd.to_datetime(start) + pd.to_timedelta(rng.integers(0, 604_800, MILLION), "s")
    )
    write_logs(settings.inference_dir, CHURN, logs)
    capped = replace(settings, drift_history_weeks=0, drift_sample_rows=20_000)
    started = time.perf_counter()
    run(store, capped, artifacts, model_name=CHURN)
    seconds = time.perf_counter() - started
    return latest(store, CHURN), seconds


def test_a_million_row_window_is_checked_on_the_capped_sample(filled_store, settings, artifacts):
    check, _ = check_a_million_rows(filled_store, settings, artifacts)
    assert (check["window_rows"], check["window_sampled"]) == (MILLION, 20_000)
    assert check["status"] == "stable"


@pytest.mark.perf
def test_a_million_row_window_is_checked_within_a_minute(
    filled_store, settings, artifacts, bench_figure
):
    _, seconds = check_a_million_rows(filled_store, settings, artifacts)
    bench_figure(f"drift check of a 1,000,000-row window (sample cap 20,000): {seconds:.1f} s")
    assert seconds < 60


def test_production_data_that_changed_shape_is_reported_per_input(
    filled_store, settings, artifacts
):
    reference = churn_rows(2000, seed=1).assign(
        region=lambda frame: np.where(frame.index % 2, "north", "south"),
        discount=lambda frame: frame["tenure"] * 0.5,
        channel=lambda frame: np.where(frame.index % 3, "shop", "web"),
    )
    artifacts.references["r2"] = reference
    logs = churn_logs(NOW - timedelta(days=7), 7, 200, 3).assign(
        region="west",  # a category production invented
        discount=np.nan,  # no longer filled
        tenure=lambda frame: frame["tenure"].map(lambda value: f"{value} months"),  # now text
        referrer="newsletter",  # added in production
    )  # 'channel' is not logged at all
    write_logs(settings.inference_dir, CHURN, logs)
    run(filled_store, replace(settings, drift_history_weeks=0), artifacts, model_name=CHURN)
    check = latest(filled_store, CHURN)
    features = {row["feature"]: row for row in DriftRepository(filled_store).features(check["id"])}
    assert {name: row["state"] for name, row in features.items()} == {
        "tenure": "type_changed",
        "monthly_charges": "compared",
        "contract": "compared",
        "region": "compared",
        "discount": "all_missing",
        "channel": "missing",
        "prediction": "compared",
    }
    assert features["region"]["new_categories"] == "west"
    assert features["region"]["drifted"] is True
    assert all(features[name]["drifted"] for name in ("tenure", "discount", "channel"))
    assert check["added_columns"] == "referrer"
    assert (check["inputs_total"], check["inputs_changed"], check["status"]) == (6, 4, "drifting")
    stored = {row["feature"] for row in DriftRepository(filled_store).distributions(check["id"])}
    assert "discount" in stored  # the reference next to an all-missing production column


def test_logged_text_cannot_inject_markup_into_the_full_report(filled_store, settings, artifacts):
    attack = "</script><script>alert(document.cookie)</script>"
    artifacts.references["r2"] = churn_rows(2000, seed=1).assign(contract=attack)
    logs = churn_logs(NOW - timedelta(days=7), 7, 100, 5).assign(contract=attack)
    write_logs(settings.inference_dir, CHURN, logs)
    run(filled_store, replace(settings, drift_history_weeks=0), artifacts, model_name=CHURN)
    report = settings.drift_reports_dir / latest(filled_store, CHURN)["report_file"]
    html = report.read_text(encoding="utf-8")
    assert "alert(document.cookie)" in html  # the value is shown ...
    assert "<script>alert" not in html and "</script><script>alert" not in html  # ... as text
