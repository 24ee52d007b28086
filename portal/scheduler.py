"""Background jobs in the server: periodic MLflow syncs and drift checks, and requested ones."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobRequest:
    """A job asked for by a trigger (schedule, startup, manual) and a person or process."""

    trigger: str
    requested_by: str
    model_name: str | None = None  # one model instead of all (drift checks, webhook syncs)


class Scheduler:
    """One worker thread: jobs never overlap, a request a pending one covers is not queued.

    A pending job for all models covers every request; one for a model covers that model.
    """

    def __init__(
        self, run_job: Callable[[JobRequest], object], interval_minutes: float, name: str = "sync"
    ) -> None:
        self._run_job = run_job
        self._name = name
        self._interval_seconds = interval_minutes * 60
        self._requests: queue.Queue[JobRequest | None] = queue.Queue()
        self._busy = threading.Event()
        self._pending: set[str | None] = set()  # model names of waiting requests; None: all
        self._pending_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def is_busy(self) -> bool:
        """True while a job runs or waits to run."""
        return self._busy.is_set() or bool(self._pending)

    def start(self) -> None:
        """Start the worker thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._loop, name=f"portal-{self._name}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Let the running job finish, then end the worker."""
        if self._thread is not None:
            self._requests.put(None)
            self._thread.join(timeout)
            self._thread = None

    def request(
        self, trigger: str, requested_by: str, start: bool = True, model_name: str | None = None
    ) -> bool:
        """Ask for a job; False when a waiting one already covers this request.

        start=False only queues it: the worker must not import heavy libraries while the
        process is still importing its own (a race that leaves modules half-initialized).
        """
        with self._pending_lock:
            if None in self._pending or model_name in self._pending:
                return False
            self._pending.add(model_name)
            self._requests.put(JobRequest(trigger, requested_by, model_name))
        if start:
            self.start()
        return True

    def _loop(self) -> None:
        while True:
            timeout = self._interval_seconds or None
            try:
                request = self._requests.get(timeout=timeout)
            except queue.Empty:
                request = JobRequest("schedule", "")
            if request is None:
                return
            with self._pending_lock:
                self._busy.set()
                self._pending.discard(request.model_name)
            try:
                self._run_job(request)
            except Exception:  # a failing job must not end the worker
                log.exception("scheduled job failed")
            finally:
                self._busy.clear()
