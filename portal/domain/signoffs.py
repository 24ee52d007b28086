"""Sign-offs at the central steps: who signs which step, what a step's state is, which versions
wait for which decision, and the evidence an evaluation is decided against. Pure."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from portal.domain.metrics import metric_meaning
from portal.domain.use_cases import KeyMetric

STEPS: tuple[str, ...] = ("design", "evaluation", "go_live")
DECISIONS: tuple[str, ...] = ("approved", "rejected", "withdrawn")
ROLES: tuple[str, ...] = ("business_owner", "accountable_executive", "technical_owner")
# Who must approve each step: design of a use case, evaluation and go-live of a model version.
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "design": ("business_owner", "accountable_executive"),
    "evaluation": ("business_owner", "technical_owner"),
    "go_live": ("accountable_executive",),
}
TEXT_LIMIT = 2000  # conditions and comment, each


@dataclass(frozen=True)
class Evidence:
    """One key-metric target next to the version's run metric at the moment of the decision."""

    metric: str
    comparison: str  # 'at_least' or 'at_most'
    target: float
    unit: str
    value: float | None  # None when the version's run logged no such metric
    met: bool | None  # None when there is no value to compare


@dataclass(frozen=True)
class SignOff:
    """One recorded decision; never edited (a withdrawal is a newer record)."""

    id: int
    step: str
    use_case_id: int | None
    model_name: str
    model_version: int | None
    role: str
    decision: str  # one of DECISIONS
    conditions: str
    comment: str
    evidence: tuple[Evidence, ...]
    signed_by: str
    signed_by_name: str
    signed_as_admin: bool  # recorded by an admin who is not named in the role
    signed_at: datetime


@dataclass(frozen=True)
class StepState:
    """Where one step of one subject stands: 'approved', 'rejected' or 'pending'."""

    step: str
    status: str
    missing: tuple[str, ...]  # required roles whose decision in force is not 'approved'
    in_force: tuple[SignOff, ...]  # per role, the newest record

    @property
    def decided(self) -> bool:
        """Approved or rejected: nothing waits any more."""
        return self.status != "pending"


def in_force(records: Iterable[SignOff]) -> dict[str, SignOff]:
    """Per role, the newest record (a later one replaces, a withdrawal included)."""
    newest: dict[str, SignOff] = {}
    for record in sorted(records, key=lambda r: (r.signed_at, r.id)):
        newest[record.role] = record
    return newest


def step_state(step: str, records: Iterable[SignOff]) -> StepState:
    """Approved when every required role's newest record approves; rejected when any rejects;
    otherwise pending, naming the roles still missing."""
    required = REQUIRED_ROLES[step]
    newest = in_force(r for r in records if r.role in required)
    missing = tuple(role for role in required if _decision(newest, role) != "approved")
    if any(_decision(newest, role) == "rejected" for role in required):
        status = "rejected"
    elif not missing:
        status = "approved"
    else:
        status = "pending"
    ordered = tuple(newest[role] for role in required if role in newest)
    return StepState(step, status, missing, ordered)


def _decision(newest: Mapping[str, SignOff], role: str) -> str:
    record = newest.get(role)
    return record.decision if record else ""


@dataclass(frozen=True)
class Awaiting:
    """Which versions of one model wait for which decision."""

    evaluation: int | None  # the newest version, while its evaluation is undecided
    go_live: tuple[int, ...]  # versions accepted at evaluation or in production, not yet decided


def awaiting(
    versions: Sequence[int],
    production_version: int | None,
    evaluation: Mapping[int, StepState],
    go_live: Mapping[int, StepState],
) -> Awaiting:
    """A model serving a use case waits for evaluation acceptance of its newest version while
    that is undecided; for go-live of each version that was accepted at evaluation (newer than
    the one in production: older ones were passed over) or that is in production."""
    newest = max(versions, default=None)
    pending_evaluation = None
    if newest is not None and not _is_decided(evaluation.get(newest)):
        pending_evaluation = newest
    floor = production_version or 0
    candidates = {v for v in versions if v >= floor and _status(evaluation.get(v)) == "approved"}
    if production_version is not None:
        candidates.add(production_version)
    waiting = tuple(sorted(v for v in candidates if not _is_decided(go_live.get(v))))
    return Awaiting(pending_evaluation, waiting)


def _status(state: StepState | None) -> str:
    return state.status if state else "pending"


def _is_decided(state: StepState | None) -> bool:
    return state is not None and state.decided


def evidence_for(
    targets: Iterable[KeyMetric], run_metrics: Mapping[str, float | None]
) -> tuple[Evidence, ...]:
    """The use case's model targets next to the run's metrics: a target names a metric
    exactly, or by what it measures (roc_auc matches test_roc_auc)."""
    lines = []
    for target in targets:
        if target.kind != "model":
            continue
        value = _matching_value(target.metric, run_metrics)
        lines.append(
            Evidence(
                target.metric,
                target.comparison,
                target.target,
                target.unit,
                value,
                target.met_by(value),
            )
        )
    return tuple(lines)


def _matching_value(metric: str, run_metrics: Mapping[str, float | None]) -> float | None:
    wanted = metric.strip().casefold()
    for name, value in run_metrics.items():
        if name.strip().casefold() == wanted:
            return value
    code = metric_meaning(metric).code
    if code is None:
        return None
    return next(
        (value for name, value in sorted(run_metrics.items()) if metric_meaning(name).code == code),
        None,
    )


def evidence_json(lines: Iterable[Evidence]) -> str:
    """Evidence as stored with the record."""
    return json.dumps([line.__dict__ for line in lines], sort_keys=True)


def evidence_from_json(text: str) -> tuple[Evidence, ...]:
    """Evidence read back from a stored record ('' is none)."""
    if not text.strip():
        return ()
    return tuple(Evidence(**item) for item in json.loads(text))


@dataclass(frozen=True)
class Subject:
    """What a sign-off is about: a use case (design) or a model version (evaluation, go-live)."""

    use_case_key: str = ""
    model_name: str = ""
    version: int | None = None


@dataclass(frozen=True)
class PeriodApproval:
    """One production period and whether its version was approved at go-live, and when."""

    version: int
    start: datetime
    end: datetime | None
    approved_at: datetime | None  # the go-live approval in force, None when there is none

    @property
    def approved_before(self) -> bool | None:
        """True when approved before it went live, False after, None when not approved."""
        return None if self.approved_at is None else self.approved_at <= self.start


@dataclass(frozen=True)
class Unapproved:
    """A model whose version in production has no go-live approval, since it went live."""

    model_name: str
    version: int
    since: datetime | None
    accountable_executive: str
    business_owner: str


@dataclass(frozen=True)
class Waiting:
    """One sign-off waiting for a decision, for the portfolio report."""

    step: str
    subject: str  # the use case's title, or the model's name
    version: int | None


@dataclass(frozen=True)
class PendingSummary:
    """The portfolio's open sign-offs: how many wait, a few by name, and production versions
    without go-live approval."""

    waiting: int
    examples: tuple[Waiting, ...]
    unapproved: tuple[Unapproved, ...]
