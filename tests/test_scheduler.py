"""The scheduler: requests are not queued twice, a failing job does not stop the worker."""

from __future__ import annotations

import threading
import time

from portal.scheduler import JobRequest, Scheduler


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_requests_run_in_order_and_a_pending_request_is_not_queued_twice():
    started = threading.Event()
    release = threading.Event()
    runs: list[JobRequest] = []

    def job(request):
        runs.append(request)
        started.set()
        release.wait(5)

    scheduler = Scheduler(job, interval_minutes=0)
    assert scheduler.request("manual", "ann")
    started.wait(5)
    assert scheduler.is_busy
    assert scheduler.request("manual", "ben")  # queued behind the running one
    assert not scheduler.request("manual", "cem")  # covered by ben's pending request
    release.set()
    wait_for(lambda: len(runs) == 2 and not scheduler.is_busy)
    scheduler.stop()
    assert [r.requested_by for r in runs] == ["ann", "ben"]


def test_a_failing_job_leaves_the_worker_running():
    calls = []

    def job(request):
        calls.append(request.requested_by)
        if request.requested_by == "first":
            raise RuntimeError("boom")

    scheduler = Scheduler(job, interval_minutes=0)
    scheduler.request("manual", "first")
    wait_for(lambda: calls == ["first"] and not scheduler.is_busy)
    scheduler.request("manual", "second")
    wait_for(lambda: calls == ["first", "second"])
    scheduler.stop()


def test_interval_runs_scheduled_jobs():
    calls = []
    scheduler = Scheduler(lambda request: calls.append(request.trigger), interval_minutes=0.001)
    scheduler.start()
    wait_for(lambda: len(calls) >= 2)
    scheduler.stop()
    assert set(calls) == {"schedule"}


def test_a_request_carries_the_model_to_check():
    seen = []
    scheduler = Scheduler(seen.append, interval_minutes=0, name="drift")
    scheduler.request("manual", "ann", model_name="customer-churn")
    wait_for(lambda: len(seen) == 1 and not scheduler.is_busy)
    scheduler.stop()
    assert seen == [JobRequest("manual", "ann", "customer-churn")]
