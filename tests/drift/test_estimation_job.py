"""The drift job estimates performance where outcomes are missing and stores it per week."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np

from portal.domain.drift import weekly_windows
from portal.drift.job import run_drift_job
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services.estimation import EstimationService, decay_signals
from tests.support.drift_fixtures import NOW, FakeArtifacts, churn_logs, churn_rows, write_logs

CHURN = "customer-churn"


def test_the_job_stores_estimates_for_the_weeks_without_outcomes(filled_store, settings):
    quick = replace(settings, drift_history_weeks=4, drift_sample_rows=5000)
    logs = churn_logs(NOW - timedelta(weeks=4), 28, 200, 11)
    # The outcomes of the last two weeks have not arrived yet.
    weeks = weekly_windows(NOW, 4)
    logs.loc[logs["timestamp"] >= np.datetime64(weeks[2][0]), "label"] = np.nan
    write_logs(quick.inference_dir, CHURN, logs)
    artifacts = FakeArtifacts({"r2": churn_rows(2000, seed=1)})
    run_drift_job(filled_store, quick, artifacts, trigger="cli", now=NOW, model_name=CHURN)
    service = EstimationService(Runtime(quick, filled_store, Scheduler(lambda request: None, 60)))
    found = service.of_model(CHURN)
    assert found is not None
    assert (found.model_version, found.computed_at, found.reason) == (2, NOW, "")
    assert found.metrics == ("roc_auc", "accuracy")
    auc = found.weeks_of("roc_auc")
    assert [week.window_start for week in auc] == [start for start, _ in weeks]
    assert [week.realized is None for week in auc] == [False, False, True, True]
    # The logs start at six in the morning of the first week's Monday: 50 rows fewer.
    assert [week.labelled_rows for week in auc] == [1350, 1400, 0, 0]
    assert [week.rows for week in auc] == [1350, 1400, 1400, 1400]
    assert {week.method for week in auc} == {"cbpe"}
    # The logs are drawn like the reference: estimated and measured quality agree with it.
    for week in auc:
        assert abs(week.estimated - week.reference_value) < 0.05
        if week.realized is not None:
            assert abs(week.estimated - week.realized) < 0.05
    assert decay_signals(filled_store) == []
