"""The demo's inference logs follow the log contract and show each model's scenario."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from portal.demo.catalog import MODELS, ModelSpec
from portal.demo.datasets import load_split, without_features
from portal.demo.inference import LOG_WEEKS, SCENARIOS, write_demo_inference_logs

NOW = datetime(2025, 7, 3, 9, 30, 15)  # a Thursday: the first and last ISO weeks are partial
START = NOW - timedelta(weeks=LOG_WEEKS)
PRODUCTION = {
    "customer-churn": 3,
    "credit-default-risk": 2,
    "employee-attrition": 2,
    "transit-ridership-forecast": 2,
    "property-valuation": 2,
    "Kündigungsprognose Geschäftskunden": 1,
}
LOGGED = (
    "customer-churn",
    "credit-default-risk",
    "employee-attrition",
    "transit-ridership-forecast",
    "property-valuation",
)
UNLOGGED = ("Kündigungsprognose Geschäftskunden", "delivery-time-estimate")
CLASSIFIERS = ("customer-churn", "credit-default-risk", "employee-attrition")


@dataclass(frozen=True)
class Build:
    """Where one build wrote its logs and what it reported."""

    root: Path
    rows: dict[str, int]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The logs of one build, shared by the module because building takes seconds."""
    root = tmp_path_factory.mktemp("first") / "inference"
    return Build(root, write_demo_inference_logs(root, NOW, PRODUCTION))


def read_log(root: Path, name: str) -> pd.DataFrame:
    """All weekly files of a model, oldest first."""
    files = sorted((root / name).glob("*.parquet"))
    return pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)


def model(name: str) -> ModelSpec:
    """The catalog entry of a model."""
    return next(spec for spec in MODELS if spec.name == name)


def weeks(log: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Rows from the start of week `first` to the end of week `last`, counted 1.. from START."""
    since = START + timedelta(weeks=first - 1)
    until = START + timedelta(weeks=last)
    return log[(log["timestamp"] >= since) & (log["timestamp"] < until)]


def test_one_file_per_iso_week_named_after_its_monday(build: Build) -> None:
    for name in LOGGED:
        files = sorted((build.root / name).iterdir())
        assert len(files) == LOG_WEEKS + 1, name  # partial weeks at both ends
        for path in files:
            monday = datetime.strptime(path.name, "week-%Y-%m-%d.parquet")
            assert monday.weekday() == 0, path
            stamps = pd.read_parquet(path, columns=["timestamp"])["timestamp"]
            assert stamps.min() >= monday, path
            assert stamps.max() < monday + timedelta(weeks=1), path


def test_models_without_logs_get_no_folder(build: Build) -> None:
    assert sorted(path.name for path in build.root.iterdir()) == sorted(LOGGED)
    for name in UNLOGGED:
        assert not (build.root / name).exists()
    assert set(build.rows) == set(LOGGED)


def test_sixteen_weeks_up_to_now_with_a_moderate_volume(build: Build) -> None:
    for name in LOGGED:
        log = read_log(build.root, name)
        stamps = log["timestamp"]
        assert str(stamps.dtype) == "datetime64[us]"
        assert stamps.is_monotonic_increasing
        assert stamps.min() >= START and stamps.max() < NOW, name
        per_day = stamps.groupby((stamps - START).dt.days).size()
        assert len(per_day) == LOG_WEEKS * 7, name
        assert per_day.between(150, 250).all(), name
        assert len(log) == build.rows[name]
        assert 20_000 <= len(log) <= 30_000, name


def test_columns_are_the_production_versions_features_and_outputs(build: Build) -> None:
    for name in LOGGED:
        spec = model(name)
        version = spec.versions[PRODUCTION[name] - 1]
        features = without_features(load_split(spec.dataset), version.dropped_features).x_train
        outputs = (
            ["prediction", "score", "label"] if name in CLASSIFIERS else ["prediction", "label"]
        )
        log = read_log(build.root, name)
        assert list(log.columns) == ["timestamp", *features.columns, *outputs], name
        assert log[features.columns].dtypes.equals(features.dtypes), name
    assert {"Assets", "Debt"} <= set(read_log(build.root, "credit-default-risk").columns)


def test_classifiers_log_classes_scores_and_known_outcomes(build: Build) -> None:
    for name in CLASSIFIERS:
        log = read_log(build.root, name)
        assert str(log["prediction"].dtype) == "int64"
        assert set(log["prediction"]) == {0, 1}
        assert log["score"].between(0, 1).all()
        assert ((log["score"] >= 0.5) == (log["prediction"] == 1)).mean() > 0.99
        assert str(log["label"].dtype) == "Int64"
        assert log["label"].notna().all() and set(log["label"]) == {0, 1}


def test_regressors_log_numbers(build: Build) -> None:
    for name in ("transit-ridership-forecast", "property-valuation"):
        log = read_log(build.root, name)
        assert log["prediction"].dtype == float and log["label"].dtype == float
        known = log.dropna(subset=["label"])
        # The rebuilt model predicts its own data well: the rows are real, not noise.
        error = ((known["prediction"] - known["label"]).abs() / known["label"]).median()
        assert error < 0.15, name


def test_scenarios_are_named_for_every_production_model() -> None:
    assert {name: scenario.kind for name, scenario in SCENARIOS.items()} == {
        "employee-attrition": "stable",
        "transit-ridership-forecast": "real change",
        "credit-default-risk": "gradual drift",
        "customer-churn": "sudden shift",
        "property-valuation": "delayed labels",
        "Kündigungsprognose Geschäftskunden": "no logs",
    }


def test_credit_drifts_gradually(build: Build) -> None:
    log = read_log(build.root, "credit-default-risk")
    first, last = weeks(log, 1, 2), weeks(log, LOG_WEEKS - 1, LOG_WEEKS)
    assert last["Income"].mean() < 0.8 * first["Income"].mean()
    assert last["Amount"].mean() > 1.2 * first["Amount"].mean()
    # Steadily: every four weeks lower than the four before.
    quarters = [weeks(log, week, week + 3)["Income"].mean() for week in (1, 5, 9, 13)]
    assert quarters == sorted(quarters, reverse=True)


def test_churn_prices_jump_three_weeks_before_now(build: Build) -> None:
    log = read_log(build.root, "customer-churn")
    charges = log["monthly_charges"]
    before = weeks(log, 5, 8)["monthly_charges"].mean()
    assert weeks(log, LOG_WEEKS - 1, LOG_WEEKS)["monthly_charges"].mean() >= 1.25 * before
    jump = NOW - timedelta(weeks=SCENARIOS["customer-churn"].jump_weeks)
    assert charges[log["timestamp"] < jump].mean() == pytest.approx(before, rel=0.05)
    # A customer has paid at least one bill at the new price.
    assert not (log["total_charges"] < charges).any()


def test_property_labels_missing_exactly_for_the_last_six_weeks(build: Build) -> None:
    log = read_log(build.root, "property-valuation")
    assert SCENARIOS["property-valuation"].unlabeled_weeks == 6
    recent = log["timestamp"] >= NOW - timedelta(weeks=6)
    assert recent.any() and (~recent).any()
    assert log["label"].isna().equals(recent)


def test_attrition_inputs_stay_stable(build: Build) -> None:
    log = read_log(build.root, "employee-attrition")
    first, last = weeks(log, 1, 2), weeks(log, LOG_WEEKS - 1, LOG_WEEKS)
    numbers = log.select_dtypes("number").columns.drop(["prediction", "score", "label"])
    for column in ("Age", "MonthlyIncome", "DistanceFromHome", "TotalWorkingYears"):
        assert last[column].mean() == pytest.approx(first[column].mean(), rel=0.05), column
    # Every other input too, within a tenth of its spread: sampling noise, no drift.
    shift = (last[numbers].mean() - first[numbers].mean()).abs() / log[numbers].std()
    assert (shift < 0.1).all(), shift[shift >= 0.1]


def test_a_rebuild_replaces_old_logs_with_identical_ones(
    build: Build, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("second") / "inference"
    stale = root / "customer-churn" / "week-2020-01-06.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    (root / "Kündigungsprognose Geschäftskunden").mkdir()
    rows = write_demo_inference_logs(root, NOW, PRODUCTION)
    assert rows == build.rows
    assert not stale.exists()
    assert not (root / "Kündigungsprognose Geschäftskunden").exists()
    for name in LOGGED:
        pd.testing.assert_frame_equal(read_log(root, name), read_log(build.root, name))
