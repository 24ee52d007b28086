"""`make bench`: the drift job at 1,000 models (100,000 logged rows a window, 25 inputs), with the
local executor and on a local Ray cluster (2 CPUs), each run in a process of its own.

Figures: seconds in total and per model, the server's peak memory, the outcomes; the first run
on an empty history at PORTAL_BENCH_DRIFT_FIRST_MODELS (a real first run at 1,000 models takes
hours on 2 cores; its figure per model is extrapolated), the incremental run with nothing changed
at PORTAL_BENCH_DRIFT_MODELS (after a seeded first run: tests/perf/drift_bench.SeedingExecutor),
and Ray's cost per task. The only threshold is the issue's: the incremental run with the local
executor under a minute at 1,000 models.
"""

from __future__ import annotations

import os

import pytest

from tests.perf import drift_bench

pytestmark = pytest.mark.perf

MODELS = int(os.environ.get("PORTAL_BENCH_DRIFT_MODELS", drift_bench.MODELS))
FIRST_MODELS = int(os.environ.get("PORTAL_BENCH_DRIFT_FIRST_MODELS", 20))
INCREMENTAL_TARGET = 60.0  # seconds, at 1,000 models, local executor
EXECUTORS = ("local", "ray")


def _line(figures: dict, run: dict, extra: str = "") -> str:
    return (
        f"drift {run['run']:<10} {figures['executor']:<5} {run['models']:>5} models"
        f" x {run['log_rows']:,} rows: {run['seconds']:8.1f} s, {run['seconds_per_model']:.3f}"
        f" s/model, peak RSS {run['peak_rss_mb']:.0f} MB, outcomes {run['outcomes']},"
        f" load {run['load']}{extra}"
    )


@pytest.mark.parametrize("executor", EXECUTORS)
def test_first_run(executor, bench_figure):
    figures = drift_bench.bench(FIRST_MODELS, executor, ["first"])
    (run,) = figures["runs"]
    estimate = run["seconds_per_model"] * MODELS / 60
    bench_figure(
        _line(figures, run, f"; at {MODELS} models about {estimate:.0f} min")
        + (
            f"; cluster started in {figures['cluster_start_seconds']} s"
            if executor == "ray"
            else ""
        )
    )
    assert run["outcomes"] == {"checked": FIRST_MODELS}
    assert set(run["statuses"]) <= {"stable", "watch", "drifting"}


@pytest.mark.parametrize("executor", EXECUTORS)
def test_incremental_run(executor, bench_figure):
    figures = drift_bench.bench(MODELS, executor, ["incremental"], seeded=True)
    seeded, run = figures["runs"]
    bench_figure(_line(figures | {"executor": "local"}, seeded))
    met = run["seconds"] < INCREMENTAL_TARGET
    target = f"; target < {INCREMENTAL_TARGET:.0f} s at 1000 models {'met' if met else 'MISSED'}"
    bench_figure(_line(figures, run, target if executor == "local" else ""))
    assert seeded["outcomes"] == {"checked": MODELS}
    assert run["outcomes"] == {"unchanged": MODELS}
    if executor == "local" and MODELS >= drift_bench.MODELS:
        assert met, f"the incremental run took {run['seconds']:.0f} s at {MODELS} models"


def test_ray_overhead_per_task(bench_figure):
    figures = drift_bench.overhead()
    per_task = figures["overhead_seconds_per_task"]
    bench_figure(
        f"ray overhead at {figures['models']} models x {figures['log_rows']} rows:"
        f" {per_task['first'] * 1000:.0f} ms per task (first run),"
        f" {per_task['incremental'] * 1000:.0f} ms per task (incremental);"
        f" cluster start {figures['cluster_start_seconds']} s"
    )
    for side in ("local", "ray"):
        for run in figures[side]:
            bench_figure("  " + _line({"executor": side}, run))
    ray_first = next(run for run in figures["ray"] if run["run"] == "first")
    assert ray_first["outcomes"] == {"checked": figures["models"]}
