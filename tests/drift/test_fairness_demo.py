"""The demo's credit and attrition models: their group column's gap widens in recent weeks,
measured as the drift job measures it, on the demo's real rows."""

from __future__ import annotations

from datetime import datetime

import pytest

from portal.demo.catalog import MODELS
from portal.demo.datasets import load_split, without_features
from portal.demo.inference import SCENARIOS, demo_inference_log
from portal.demo.training import train
from portal.domain.drift import current_window, weekly_windows
from portal.domain.fairness import GAP_MARGIN, column_trends, decay_signal
from portal.drift.context import ModelContext
from portal.drift.fairness import monitor_fairness
from tests.support.drift_fixtures import FakeArtifacts

NOW = datetime(2025, 7, 3, 9, 30, 15)
PRODUCTION_VERSION = 2


def demo_context(name: str) -> ModelContext:
    spec = next(model for model in MODELS if model.name == name)
    version = spec.versions[PRODUCTION_VERSION - 1]
    split = without_features(load_split(spec.dataset), version.dropped_features)
    reference = train(split, version.estimator, dict(version.params), spec.dataset.task).reference
    log = demo_inference_log(spec, version, SCENARIOS[name], NOW)

    def rows(start: datetime, end: datetime):
        inside = (log["timestamp"] >= start) & (log["timestamp"] < end)
        return log[inside].drop(columns="timestamp").reset_index(drop=True)

    return ModelContext(
        model_name=name,
        model_version=PRODUCTION_VERSION,
        run_id="demo",
        tags={**spec.tags, **version.tags},
        reference=reference,
        weeks=tuple(weekly_windows(NOW, 12)),
        current=current_window(NOW, 7),
        min_rows=30,
        sample_rows=20000,
        now=NOW,
        rows=rows,
        artifacts=FakeArtifacts({}),
    )


@pytest.mark.parametrize(
    ("name", "column", "groups", "first_widening"),
    [
        ("employee-attrition", "Gender", ["Female", "Male"], datetime(2025, 6, 9)),
        ("credit-default-risk", "Age", ["< 31", "31–40", "≥ 41"], datetime(2025, 6, 2)),
    ],
)
def test_the_demo_gap_widens_in_recent_weeks(name, column, groups, first_widening) -> None:
    context = demo_context(name)
    (trend,) = column_trends(monitor_fairness(context))
    assert trend.group_column == column
    assert [group.group for group in trend.reference.groups] == groups
    assert trend.reference_gap < 0.08  # small at design time
    gaps = [week.parity_difference for week in trend.weeks]
    # The first half of the history stays within the margin; the last weeks are well past it.
    assert all(gap < trend.reference_gap + GAP_MARGIN for gap in gaps[:6])
    assert all(gap > trend.reference_gap + GAP_MARGIN + 0.03 for gap in gaps[-2:])
    assert trend.widening and trend.since == first_widening
    signal = decay_signal(name, [trend])
    assert signal is not None and signal.detail == column
    assert signal.value == pytest.approx(gaps[-1])


def test_the_other_demo_models_carry_no_group_column() -> None:
    tagged = {
        spec.name
        for spec in MODELS
        if "fairness_groups" in spec.tags
        or any("fairness_groups" in version.tags for version in spec.versions)
    }
    assert tagged == {"employee-attrition", "credit-default-risk"}
