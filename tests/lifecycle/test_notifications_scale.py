"""Tasks and a notification plan at 1,000 models: set-based reads, in well under a few seconds."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from portal.clock import utc_now
from portal.runtime import command_runtime
from portal.services.notifications import run_notifications
from portal.services.tasks import TaskService
from tests.support.lists_scale import fill_lists


@pytest.mark.perf
def test_tasks_and_a_dry_run_at_a_thousand_models(store, settings, bench_figure):
    fill_lists(store, settings, 1000)
    runtime = command_runtime(settings, store)
    started = time.perf_counter()
    tasks = TaskService(runtime).open_tasks(utc_now())
    read = time.perf_counter() - started
    started = time.perf_counter()
    planned = run_notifications(
        command_runtime(replace(settings, notify_webhook_url="http://127.0.0.1:9/h"), store),
        digest=True,
        dry_run=True,
    )
    planning = time.perf_counter() - started
    bench_figure(
        f"tasks at 1,000 models: {len(tasks)} tasks in {read:.2f} s; "
        f"notify dry run {len(planned.new)} messages in {planning:.2f} s"
    )
    assert tasks and planned.new
    assert read < 5 and planning < 8
