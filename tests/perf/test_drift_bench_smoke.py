"""The drift bench's own code at 5 models and small logs, so `make test` proves `make bench` works:
the scale (hard-linked logs, one reference, a synced store), the seeded first run, the runner's
processes and figures, and the artifact source travelling by value to a process without the
tests on its path (as to a Ray worker)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.perf import drift_bench

MODELS = 5
ROWS = 1000


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One small scale for the module, built on first use as the bench's cache is."""
    return tmp_path_factory.mktemp("bench-cache")


def test_the_bench_runs_and_reports_its_figures(cache, tmp_path):
    figures = drift_bench.bench(MODELS, "local", ["incremental"], ROWS, cache=cache, seeded=True)
    seeded, incremental = figures["runs"]
    # Models 0-4 get the stable, watch, drifting, stable, stable logs.
    assert seeded["outcomes"] == {"checked": MODELS}
    assert seeded["statuses"] == {"stable": 3, "watch": 1, "drifting": 1}
    weeks = drift_bench.settings_for(tmp_path / "x", tmp_path).drift_history_weeks
    assert seeded["checks_saved"] == MODELS * (weeks + 1)
    assert seeded["report_mb"] > 0
    # Nothing changed: every model is skipped, nothing is written but the confirmation.
    assert incremental["outcomes"] == {"unchanged": MODELS}
    assert incremental["checks_saved"] == 0
    assert incremental["statuses"] == seeded["statuses"]
    for run in (seeded, incremental):
        assert run["executor"] == "local" and run["models"] == MODELS
        assert run["seconds"] > 0 and run["peak_rss_mb"] > 50
        assert len(run["load"].split()) == 3


def test_every_model_folder_holds_a_hard_link_to_one_of_three_files(cache):
    scale = drift_bench.drift_scale(MODELS, ROWS, cache)
    files = {
        (path.parent.name, path.stat().st_ino)
        for path in scale.inference_dir.glob("*/logs.parquet")
        if not path.is_symlink()
    }
    assert len(files) == MODELS
    sources = {path.stem: path.stat() for path in (scale.folder / "logs").glob("*.parquet")}
    assert {inode for _, inode in files} == {stat.st_ino for stat in sources.values()}
    assert sources["stable"].st_nlink == 1 + 3
    assert sources["watch"].st_nlink == sources["drifting"].st_nlink == 1 + 1


def test_the_artifact_source_travels_by_value(cache, tmp_path):
    import ray.cloudpickle

    scale = drift_bench.drift_scale(MODELS, ROWS, cache)
    artifacts = drift_bench.BenchArtifacts(scale.reference, scale.model)
    ray.cloudpickle.register_pickle_by_value(drift_bench)
    try:
        payload = ray.cloudpickle.dumps(artifacts)
    finally:
        ray.cloudpickle.unregister_pickle_by_value(drift_bench)
    # Outside the project folder `tests` is not this project's package, as on a Ray worker.
    worker = (
        "import pickle, sys, tempfile, pathlib, pandas as pd\n"
        "source = pickle.loads(sys.stdin.buffer.read())\n"
        "folder = source.download_artifacts('bench-run-0001', 'reference',"
        " pathlib.Path(tempfile.mkdtemp()))\n"
        "frame = pd.read_parquet(folder / 'reference.parquet')\n"
        "model = source.load_model('bench-model-0001', 1)\n"
        "print(len(frame), len(model.feature_names_in_), frame.columns[-3:].tolist())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", worker],
        input=payload,
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().split() == [
        str(drift_bench.REFERENCE_ROWS),
        "25",
        "['prediction',",
        "'score',",
        "'label']",
    ]
