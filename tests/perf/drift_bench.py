"""The drift job at scale for `make bench`: N production models (default 1,000), 25 inputs each,
100,000 logged rows per model in the current window, checked by the local or the Ray executor.

The scale is synthetic and cheap to hold: a fake registry synced into a store (no MLflow
training), one reference sample and one fitted model for every model's run, and a few log files
(stable, watch, drifting) hard-linked into each model's folder, so a thousand models cost a few
files on disk. Built once under data/bench-cache/drift-v<N>-<models>/ (data/ is not committed);
change BENCH_VERSION when what it holds changes.

Every measurement runs the job in a fresh process on a fresh copy of the store, so the peak
memory it reports is the server's alone (Ray's workers are processes of their own):

    .venv/bin/python -m tests.perf.drift_bench --models 100 --executor local
    .venv/bin/python -m tests.perf.drift_bench --models 100 --executor ray --runs incremental
    .venv/bin/python -m tests.perf.drift_bench --overhead      # Ray's cost per task, tiny scale

It prints one JSON object: a measurement per run (first: an empty drift history; incremental:
right after, nothing changed, `now` minutes later inside the same window).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

BENCH_VERSION = "2"
MODELS = 1000
LOG_ROWS = 100_000  # per model, in the current window
REFERENCE_ROWS = 5000
NUMERIC = tuple(f"x{i:02d}" for i in range(15))
CATEGORICAL = tuple(f"c{i:02d}" for i in range(10))
CATEGORIES = ("a", "b", "c", "d", "e")
SEED = 16
# A Monday morning: the current window (the last 7 days) holds the same rows as the last
# complete calendar week, so a first run compares two windows of LOG_ROWS per model; the other
# history weeks are empty. The incremental run is a few minutes later, inside the same window.
NOW = datetime(2026, 11, 30, 6, 0)
LATER = NOW + timedelta(minutes=10)
LOGS_FROM = NOW - timedelta(days=7) + timedelta(hours=1)
LOGS_UNTIL = datetime(2026, 11, 30, 0, 0)
# Which log file each model gets, by its number modulo 10: 60 % stable, 20 % each moved.
VARIANTS = {"stable": (0, 3, 4, 5, 8, 9), "watch": (1, 6), "drifting": (2, 7)}
RUNS = ("first", "incremental")
# Ray's cost per task is read off a tiny scale, where a check itself costs next to nothing.
OVERHEAD_MODELS, OVERHEAD_ROWS = 20, 100
PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE = PROJECT_ROOT / "data" / "bench-cache"

log = logging.getLogger("tests.perf.drift_bench")


@dataclass(frozen=True)
class DriftScale:
    """A built scale: the synced store (no drift results yet) and what the workers read."""

    folder: Path
    models: int
    log_rows: int
    build_seconds: float

    @property
    def template(self) -> Path:
        return self.folder / "portal.duckdb"

    @property
    def inference_dir(self) -> Path:
        return self.folder / "inference"

    @property
    def reference(self) -> Path:
        return self.folder / "reference.parquet"

    @property
    def model(self) -> Path:
        return self.folder / "model.pkl"


class BenchArtifacts:
    """The artifact source of every bench model: one reference sample, one fitted model.

    Picklable and small (two paths), so a Ray worker gets it by value and reads the files
    itself, as it would download them from MLflow's artifact store.
    """

    def __init__(self, reference: Path, model: Path) -> None:
        self.reference = str(reference)
        self.model = str(model)

    def download_artifacts(self, run_id: str, artifact_path: str, destination: Path) -> Path | None:
        if not run_id.startswith("bench-run-"):
            return None
        folder = Path(destination) / artifact_path
        folder.mkdir(parents=True)
        shutil.copyfile(self.reference, folder / "reference.parquet")
        return folder

    def load_model(self, model_name: str, version: int):
        with open(self.model, "rb") as file:
            return pickle.load(file)  # the bench's own file, written by _build


class SeedingExecutor:
    """A first run whose checks are computed for one model per log variant and copied to the
    others, which have the same logs and reference: their results would be the same, but for
    the model's name and run. The server's plan and writes happen at full scale (every check,
    report and analysis is stored), so the incremental run after it is the real one, without
    the hours a real first run takes at a thousand models."""

    name = "local"

    def run(self, tasks, artifacts):
        from portal.drift.worker import check_model

        computed: dict[str, tuple[str, object]] = {}
        for task in tasks:
            variant = variant_of(int(task.model_name.rsplit("-", 1)[1]))
            if variant not in computed:
                outcome = check_model(task, artifacts, self.name)
                computed[variant] = (task.run_id, outcome)
                yield outcome
            else:
                yield _copied(*computed[variant], task)


def _copied(run_id: str, outcome, task):
    """A computed outcome as the check of another model with the same logs would be."""
    checks = tuple(
        replace(
            check,
            model_name=task.model_name,
            reference_run_id=task.run_id,
            fingerprint=check.fingerprint.replace(f"|{run_id}|", f"|{task.run_id}|"),
        )
        for check in outcome.checks
    )
    return replace(outcome, model_name=task.model_name, checks=checks)


def model_name(number: int) -> str:
    return f"bench-model-{number:04d}"


def variant_of(number: int) -> str:
    return next(name for name, ends in VARIANTS.items() if number % 10 in ends)


def drift_scale(models: int = MODELS, log_rows: int = LOG_ROWS, cache: Path = CACHE) -> DriftScale:
    """The cached scale, built first when absent (or left half-built by a crash)."""
    suffix = "" if log_rows == LOG_ROWS else f"-{log_rows}"
    folder = cache / f"drift-v{BENCH_VERSION}-{models}{suffix}"
    done = folder / "built.txt"
    if not done.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        started = time.perf_counter()
        _build(DriftScale(folder, models, log_rows, 0.0))
        done.write_text(f"{time.perf_counter() - started:.1f}")
    return DriftScale(folder, models, log_rows, float(done.read_text()))


def _inputs(rows: int, rng: np.random.Generator, variant: str = "stable") -> pd.DataFrame:
    """25 inputs; 'watch' moves 3 numeric inputs the model barely uses (x12-x14) clearly,
    'drifting' moves 5 numeric ones it relies on (x00-x04) and turns 3 categorical ones around:
    the traffic light weighs changed inputs by the model's input importance."""
    shifts = {
        "stable": ((), 0.0, 0),
        "watch": ((12, 13, 14), 0.3, 0),
        "drifting": ((0, 1, 2, 3, 4), 0.6, 3),
    }[variant]
    moved, shift, turned = shifts
    columns: dict[str, np.ndarray] = {}
    for index, name in enumerate(NUMERIC):
        mean, spread = 10.0 * (index + 1), 1.0 + index
        columns[name] = rng.normal(mean + (shift * spread if index in moved else 0.0), spread, rows)
    weights = np.array([0.4, 0.25, 0.15, 0.12, 0.08])
    for index, name in enumerate(CATEGORICAL):
        p = weights[::-1] if index < turned else weights
        columns[name] = rng.choice(CATEGORIES, rows, p=p)
    return pd.DataFrame(columns)


def _true_score(frame: pd.DataFrame) -> np.ndarray:
    """The outcome's probability: a few inputs matter a lot, most barely."""
    z = (
        (frame["x00"] - 10.0) / 1.0
        - 0.7 * (frame["x01"] - 20.0) / 2.0
        + 0.3 * (frame["x02"] - 30.0) / 3.0
        + np.where(frame["c00"] == "a", 0.8, -0.4)
    )
    return 1.0 / (1.0 + np.exp(-z.to_numpy()))


def _with_outputs(frame: pd.DataFrame, model, rng: np.random.Generator) -> pd.DataFrame:
    inputs = frame[[*NUMERIC, *CATEGORICAL]]
    return frame.assign(
        prediction=model.predict(inputs).astype(int),
        score=model.predict_proba(inputs)[:, 1],
        label=(rng.random(len(frame)) < _true_score(frame)).astype(int),
    )


def _build(scale: DriftScale) -> None:
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    training = _inputs(REFERENCE_ROWS, rng)
    labels = (rng.random(REFERENCE_ROWS) < _true_score(training)).astype(int)
    model = Pipeline(
        [
            (
                "columns",
                ColumnTransformer(
                    [
                        ("numeric", StandardScaler(), list(NUMERIC)),
                        ("categorical", OneHotEncoder(handle_unknown="ignore"), list(CATEGORICAL)),
                    ]
                ),
            ),
            ("classifier", LogisticRegression(max_iter=500)),
        ]
    ).fit(training, labels)
    with scale.model.open("wb") as file:
        pickle.dump(model, file)
    _with_outputs(_inputs(REFERENCE_ROWS, rng), model, rng).to_parquet(scale.reference, index=False)
    sources = scale.folder / "logs"
    sources.mkdir()
    offsets = np.linspace(0, (LOGS_UNTIL - LOGS_FROM).total_seconds() - 1, scale.log_rows)
    timestamps = np.datetime64(LOGS_FROM) + offsets.astype("timedelta64[s]")
    for variant in VARIANTS:
        frame = _with_outputs(_inputs(scale.log_rows, rng, variant), model, rng)
        frame.insert(0, "timestamp", timestamps)
        frame.to_parquet(sources / f"{variant}.parquet", index=False)
    for number in range(scale.models):
        folder = scale.inference_dir / model_name(number)
        folder.mkdir(parents=True)
        # A hard link is a file inside the model's folder (the reader refuses symlinks out).
        os.link(sources / f"{variant_of(number)}.parquet", folder / "logs.parquet")
    log.info("reference, model and logs written in %.1f s", time.perf_counter() - started)
    _sync_registry(scale)


def _sync_registry(scale: DriftScale) -> None:
    """Every model in production at version 1, with its own run, through the portal's sync."""
    from portal.sources.mlflow_records import RegistrySnapshot, SourceModel
    from portal.store import open_store
    from portal.sync import sync_mlflow
    from tests.support.catalog_fixture import FULL_TAGS, T0, FakeSource, run, version

    tags = {key: value for key, value in FULL_TAGS.items() if key != "portal.demo"}
    names = [model_name(number) for number in range(scale.models)]
    source = FakeSource(
        RegistrySnapshot(
            tuple(SourceModel(name, "", T0, T0, dict(tags), {"champion": 1}) for name in names),
            tuple(version(name, 1, f"bench-run-{name[-4:]}") for name in names),
        ),
        {
            f"bench-run-{name[-4:]}": run(f"bench-run-{name[-4:]}", T0, accuracy=0.8)
            for name in names
        },
    )
    started = time.perf_counter()
    store = open_store(scale.template)
    try:
        result = sync_mlflow(
            store,
            source,
            source_uri="bench",
            alias_precedence=("champion", "production"),
            trigger="cli",
            now=T0 + timedelta(days=30),
        )
        assert result.ok, result.error
    finally:
        store.close()
    log.info("%d models synced in %.1f s", scale.models, time.perf_counter() - started)


def settings_for(store_path: Path, inference_dir: Path):
    """Default settings (12 history weeks, 20,000 sampled rows a side) on the bench's files."""
    from portal.config import load_settings

    return replace(
        load_settings(env={}, toml_path=store_path.parent / "absent.toml"),
        store_path=store_path,
        mlflow_tracking_uri="sqlite:///unused.db",
        sync_interval_minutes=0,
        drift_interval_minutes=0,
        inference_dir=inference_dir,
    )


def run_once(scale_folder: Path, store_path: Path, executor: str, now: datetime) -> dict:
    """One job on the store, in this process (the child's side): what the server measures."""
    from portal.drift.executors import LocalExecutor, RayExecutor
    from portal.drift.job import run_drift_job
    from portal.store import open_store
    from portal.store.drift_repo import DriftRepository

    scale = DriftScale(scale_folder, 0, 0, 0.0)
    settings = settings_for(store_path, scale.inference_dir)
    artifacts = BenchArtifacts(scale.reference, scale.model)
    connect_seconds = 0.0
    if executor == "ray":
        import ray
        import ray.cloudpickle

        import tests.perf.drift_bench as this

        # Ray's workers do not have the tests on their path: the artifact source goes by value.
        ray.cloudpickle.register_pickle_by_value(this)
        started = time.perf_counter()
        ray.init(address="auto", log_to_driver=False, logging_level=logging.WARNING)
        connect_seconds = time.perf_counter() - started
        chosen = RayExecutor("auto")
    elif executor == "seeding":
        chosen = SeedingExecutor()
    else:
        chosen = LocalExecutor()
    store = open_store(store_path)
    try:
        result = run_drift_job(store, settings, artifacts, "cli", now=now, executor=chosen)
        statuses = Counter(
            row["status"] or row["outcome"] for row in DriftRepository(store).latest_checks()
        )
    finally:
        store.close()
    reports = settings.drift_reports_dir
    report_bytes = sum(path.stat().st_size for path in reports.glob("*.html"))
    models = len(result.outcomes)
    return {
        "executor": result.executor,
        "models": models,
        "seconds": round(result.elapsed_seconds, 2),
        "seconds_per_model": round(result.elapsed_seconds / max(models, 1), 4),
        "connect_seconds": round(connect_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "outcomes": dict(Counter(result.outcomes.values())),
        "statuses": dict(statuses),
        "checks_saved": result.checks_saved,
        "report_mb": round(report_bytes / 1e6, 1),
    }


def measure(
    scale: DriftScale, executor: str, runs: Sequence[str], work: Path, seeded: bool = False
) -> list[dict[str, object]]:
    """The runs, each in a fresh process on a copy of the scale's store (first: empty history;
    incremental: right after a first run, made unmeasured when not asked for). seeded: that
    first run computes one model per log variant and copies the rest (SeedingExecutor)."""
    work.mkdir(parents=True, exist_ok=True)
    store_path = work / "portal.duckdb"
    shutil.copy2(scale.template, store_path)
    found = []
    if "first" in runs or "incremental" in runs:
        first = _child(scale, store_path, "seeding" if seeded else executor, NOW)
        if "first" in runs or seeded:
            kind = "seeded first (3 models computed, the rest copied)" if seeded else "first"
            found.append({"run": kind, "log_rows": scale.log_rows, "load": _load(), **first})
    if "incremental" in runs:
        figures = _child(scale, store_path, executor, LATER)
        found.append({"run": "incremental", "log_rows": scale.log_rows, "load": _load(), **figures})
    return found


def _child(scale: DriftScale, store_path: Path, executor: str, now: datetime) -> dict:
    command = [
        sys.executable,
        "-m",
        "tests.perf.drift_bench",
        "--child",
        str(scale.folder),
        str(store_path),
        "--executor",
        executor,
        "--now",
        now.isoformat(),
    ]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=6 * 3600
    )
    if done.returncode != 0:
        raise RuntimeError(f"the drift job failed ({executor}): {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load() -> str:
    """The machine's load averages (1, 5, 15 minutes): other work shares its 2 cores."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@contextmanager
def cluster_if(executor: str) -> Iterator[float]:
    """A local Ray cluster (2 CPUs) around the runs when they use Ray; yields its start time."""
    if executor != "ray":
        yield 0.0
        return
    from tests.support.ray_cluster import local_ray_cluster

    started = time.perf_counter()
    with local_ray_cluster(cpus=2):
        yield time.perf_counter() - started


def bench(
    models: int,
    executor: str,
    runs: Sequence[str],
    log_rows: int = LOG_ROWS,
    cache: Path = CACHE,
    seeded: bool = False,
) -> dict[str, object]:
    """Build (or reuse) the scale and measure the runs with one executor."""
    scale = drift_scale(models, log_rows, cache)
    work = tempfile.TemporaryDirectory(prefix="drift-bench-", dir=cache)
    with work, cluster_if(executor) as cluster_seconds:
        found = measure(scale, executor, runs, Path(work.name), seeded)
    return {
        "models": models,
        "log_rows": log_rows,
        "executor": executor,
        "scale_build_seconds": scale.build_seconds,
        "cluster_start_seconds": round(cluster_seconds, 1),
        "runs": found,
    }


def overhead(models: int = OVERHEAD_MODELS, rows: int = OVERHEAD_ROWS, cache: Path = CACHE):
    """Ray's cost per task: the same jobs on a tiny scale, local and on the cluster."""
    local = bench(models, "local", RUNS, rows, cache)
    ray = bench(models, "ray", RUNS, rows, cache)
    per_task = {}
    for kind in RUNS:
        seconds = {
            side["executor"]: next(r for r in side["runs"] if r["run"] == kind)["seconds"]
            for side in (local, ray)
        }
        per_task[kind] = round((seconds["ray"] - seconds["local"]) / models, 4)
    return {
        "models": models,
        "log_rows": rows,
        "cluster_start_seconds": ray["cluster_start_seconds"],
        "overhead_seconds_per_task": per_task,
        "local": local["runs"],
        "ray": ray["runs"],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.drift_bench")
    parser.add_argument("--models", type=int, default=MODELS)
    parser.add_argument("--rows", type=int, default=LOG_ROWS, help="logged rows per model")
    parser.add_argument("--executor", choices=("local", "ray", "seeding"), default="local")
    parser.add_argument("--runs", default=",".join(RUNS), help="first,incremental")
    parser.add_argument(
        "--seeded",
        action="store_true",
        help="before the incremental run, a first run computing 3 models and copying the rest",
    )
    parser.add_argument("--overhead", action="store_true", help="Ray's cost per task")
    parser.add_argument("--child", nargs=2, metavar=("SCALE", "STORE"), help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    if args.child:
        figures = run_once(
            Path(args.child[0]),
            Path(args.child[1]),
            args.executor,
            datetime.fromisoformat(args.now),
        )
        print(json.dumps(figures))
        return
    logging.getLogger("tests.perf.drift_bench").setLevel(logging.INFO)
    if args.overhead:
        print(json.dumps(overhead(), indent=2))
        return
    runs = [kind.strip() for kind in args.runs.split(",") if kind.strip()]
    unknown = set(runs) - set(RUNS)
    if unknown:
        parser.error(f"--runs takes first and incremental, not {', '.join(sorted(unknown))}")
    if args.executor == "seeding":
        parser.error("--executor takes local or ray")
    figures = bench(args.models, args.executor, runs, args.rows, seeded=args.seeded)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    # Run as the module proper, so what travels to Ray's workers is tests.perf.drift_bench's.
    from tests.perf.drift_bench import main as module_main

    module_main()
