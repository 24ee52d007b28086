"""Where the per-model drift checks run: in the server's process, or as tasks on a Ray cluster.

The job plans and writes; an executor only turns tasks into outcomes, in any order. A check that
fails is already a failed outcome (portal/drift/worker.py); what an executor adds is the case of
a task that never comes back: a Ray worker killed or a node lost is retried once, then that
model alone is reported as failed and the others finish.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Protocol

from portal.drift.context import ArtifactSource
from portal.drift.worker import ModelOutcome, ModelTask, check_model, failed_outcome, first_line

log = logging.getLogger(__name__)

EXECUTORS = ("local", "ray")
# A lost task is tried once more before its model is reported as failed.
RAY_RETRIES = 1
# Tasks waited for at a time: results are written while the rest still run.
_WAIT_BATCH = 16


class Executor(Protocol):
    """Turns model tasks into outcomes."""

    name: str

    def run(self, tasks: Sequence[ModelTask], artifacts: ArtifactSource) -> Iterator[ModelOutcome]:
        """Every task's outcome exactly once, in the order they finish."""
        ...


class LocalExecutor:
    """One model after the other, in this process: the default, as before the cluster."""

    name = "local"

    def run(self, tasks: Sequence[ModelTask], artifacts: ArtifactSource) -> Iterator[ModelOutcome]:
        for task in tasks:
            yield check_model(task, artifacts, self.name)


class ExecutorUnavailable(Exception):
    """The configured cluster cannot be reached; str(exc) says which setting and why."""


class RayExecutor:
    """Each model's check as one Ray task on an existing cluster (`ray://host:10001` or `auto`).

    The workers need the portal package and its libraries in the same versions (the cluster's
    image, or a runtime environment); they read logs and references themselves, so only the
    task description and the results travel.
    """

    name = "ray"

    def __init__(self, address: str) -> None:
        self.address = address

    def run(self, tasks: Sequence[ModelTask], artifacts: ArtifactSource) -> Iterator[ModelOutcome]:
        if not tasks:
            return
        ray = self._connect()
        from ray.exceptions import RayError

        remote = ray.remote(max_retries=RAY_RETRIES, retry_exceptions=True, num_cpus=1)(
            _check_on_worker
        )
        shared = ray.put(artifacts)
        pending = {remote.remote(task, shared): task for task in tasks}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=min(_WAIT_BATCH, len(pending)))
            for ref in done:
                task = pending.pop(ref)
                try:
                    yield ray.get(ref)
                except RayError as exc:
                    log.warning("drift check of %s was lost on the cluster", task.model_name)
                    yield failed_outcome(task, "worker_lost", _lost(exc), self.name)

    def _connect(self):
        try:
            import ray
        except ImportError as exc:
            raise ExecutorUnavailable(
                "PORTAL_DRIFT_EXECUTOR=ray needs the ray package: pip install 'ray[client]'"
            ) from exc
        if ray.is_initialized():
            return ray
        try:
            ray.init(
                address=self.address,
                ignore_reinit_error=True,
                log_to_driver=False,
                logging_level=logging.WARNING,
                configure_logging=False,
            )
        except Exception as exc:
            raise ExecutorUnavailable(
                f"PORTAL_RAY_ADDRESS={self.address!r}: the Ray cluster cannot be reached"
                f" ({first_line(exc)})"
            ) from exc
        return ray


def executor_for(name: str, ray_address: str) -> Executor:
    """The executor a setting names."""
    if name == "ray":
        return RayExecutor(ray_address)
    return LocalExecutor()


def _check_on_worker(task: ModelTask, artifacts: ArtifactSource) -> ModelOutcome:
    return check_model(task, artifacts, "ray")


def _lost(exc: BaseException) -> str:
    """Why a task never came back, in one line, after its retry."""
    kind = type(exc).__name__
    return f"the check's worker was lost twice ({kind}): {first_line(exc)}"[:500]
