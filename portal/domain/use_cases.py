"""Use cases: the business problem a model serves, from proposal to retirement. Pure."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from portal.domain.people import is_email
from portal.domain.validation import Problem, says_something
from portal.domain.value import Benchmark, promised_uplift

STATUSES: tuple[str, ...] = ("proposed", "approved", "in_development", "in_production", "retired")
USE_CASE_TAG = "use_case"  # the MLflow tag (model or version) naming a model's use case by key
METRIC_KINDS = ("model", "business")
COMPARISONS = ("at_least", "at_most")


@dataclass(frozen=True)
class KeyMetric:
    """A key metric with its target: a run metric ('model') or a business KPI ('business')."""

    metric: str
    kind: str  # one of METRIC_KINDS
    comparison: str  # one of COMPARISONS
    target: float
    unit: str = ""

    def met_by(self, value: float | None) -> bool | None:
        """Whether a measured value meets the target; None when there is no value."""
        if value is None:
            return None
        return value >= self.target if self.comparison == "at_least" else value <= self.target


@dataclass(frozen=True)
class UseCase:
    """One use case as recorded in the portal."""

    id: int
    key: str  # short name, the value of the MLflow tag `use_case`
    title: str
    question: str
    status: str  # one of STATUSES
    business_process: str = ""
    business_unit: str = ""
    accountable_executive: str = ""
    business_owner: str = ""
    users: str = ""
    regulation: str = ""
    budget: float | None = None  # development budget in the portal's currency
    staff: str = ""
    proposed_by: str = ""
    proposed_at: datetime | None = None
    updated_by: str = ""
    updated_at: datetime | None = None
    metrics: tuple[KeyMetric, ...] = ()

    @property
    def owners(self) -> tuple[str, ...]:
        """Who owns the use case: its business owner, accountable executive and proposer."""
        people = (self.business_owner, self.accountable_executive, self.proposed_by)
        return tuple(dict.fromkeys(p.strip() for p in people if p.strip()))


def use_case_of_model(
    linked_key: str | None, tag_value: str | None, keys: Mapping[str, str]
) -> str | None:
    """The key of the use case a model serves: a link made in the portal wins over the model's
    MLflow tag `use_case`; a tag naming no known use case links nothing. `keys` maps each known
    key, case-folded, to the key as recorded."""
    if linked_key:
        return linked_key
    if tag_value and tag_value.strip():
        return keys.get(tag_value.strip().casefold())
    return None


# --- proposing and changing a use case -----------------------------------------------------

KEY_MAX = 40
TITLE_MAX = 200
QUESTION_MAX = 2000
TEXT_MAX = 500  # process, unit, users, regulation, staff
METRIC_MAX = 100
UNIT_MAX = 40
METRICS_MAX = 20
# A short slug: letters and digits, words joined by single hyphens or underscores.
_KEY = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")
_TEXT_FIELDS = ("business_process", "business_unit", "users", "regulation", "staff")
_PEOPLE_FIELDS = ("accountable_executive", "business_owner")
# The moves an owner makes; 'approved' is reached only by the design sign-off.
_MOVES: dict[str, tuple[str, ...]] = {
    "proposed": ("retired",),
    "approved": ("in_development", "retired"),
    "in_development": ("in_production", "retired"),
    "in_production": ("retired",),
    "retired": (),
}


@dataclass(frozen=True)
class MetricDraft:
    """A key metric as typed into the form: the target may be missing or not a number."""

    metric: str
    kind: str
    comparison: str
    target: float | None
    unit: str = ""


@dataclass(frozen=True)
class UseCaseDraft:
    """What a proposer or owner typed into the use case form."""

    key: str
    title: str
    question: str
    business_process: str = ""
    business_unit: str = ""
    accountable_executive: str = ""
    business_owner: str = ""
    users: str = ""
    regulation: str = ""
    budget: float | None = None
    staff: str = ""
    metrics: tuple[MetricDraft, ...] = ()


def check_use_case(draft: UseCaseDraft, taken_keys: Collection[str]) -> tuple[Problem, ...]:
    """Every problem with a draft; empty when it can be stored. taken_keys are the keys of the
    other use cases, case-folded (a key is unique without regard to case)."""
    problems = []
    key = draft.key.strip()
    if not key:
        problems.append(Problem("key", "required"))
    elif len(key) > KEY_MAX:
        problems.append(Problem("key", "too_long", KEY_MAX))
    elif not _KEY.fullmatch(key):
        problems.append(Problem("key", "use_case_key"))
    elif key.casefold() in taken_keys:
        problems.append(Problem("key", "use_case_key_taken"))
    for name, limit in (("title", TITLE_MAX), ("question", QUESTION_MAX)):
        text = getattr(draft, name)
        if not says_something(text):
            problems.append(Problem(name, "required"))
        elif len(text) > limit:
            problems.append(Problem(name, "too_long", limit))
    for name in _TEXT_FIELDS:
        if len(getattr(draft, name)) > TEXT_MAX:
            problems.append(Problem(name, "too_long", TEXT_MAX))
    for name in _PEOPLE_FIELDS:
        address = getattr(draft, name).strip()
        if address and not is_email(address):
            problems.append(Problem(name, "email"))
    if draft.budget is not None and (not math.isfinite(draft.budget) or draft.budget < 0):
        problems.append(Problem("budget", "not_a_number"))
    problems.extend(_metric_problems(draft.metrics))
    return tuple(problems)


def _metric_problems(metrics: tuple[MetricDraft, ...]) -> list[Problem]:
    problems: list[Problem] = []
    if len(metrics) > METRICS_MAX:
        return [Problem("metrics", "use_case_metrics_many", METRICS_MAX)]
    seen: set[str] = set()
    for metric in metrics:
        name = metric.metric.strip()
        if not name:
            problems.append(Problem("metric", "required"))
        elif len(name) > METRIC_MAX:
            problems.append(Problem("metric", "too_long", METRIC_MAX))
        elif name.casefold() in seen:
            problems.append(Problem("metric", "use_case_metric_twice"))
        seen.add(name.casefold())
        if metric.kind not in METRIC_KINDS:
            problems.append(Problem("kind", "unknown_choice"))
        if metric.comparison not in COMPARISONS:
            problems.append(Problem("comparison", "unknown_choice"))
        if metric.target is None or not math.isfinite(metric.target):
            problems.append(Problem("target", "not_a_number"))
        if len(metric.unit) > UNIT_MAX:
            problems.append(Problem("unit", "too_long", UNIT_MAX))
    return list(dict.fromkeys(problems))  # one message per kind of problem, not per row


def key_metrics_of(draft: UseCaseDraft) -> tuple[KeyMetric, ...]:
    """A checked draft's key metrics, trimmed."""
    return tuple(
        KeyMetric(m.metric.strip(), m.kind, m.comparison, float(m.target), m.unit.strip())  # type: ignore[arg-type]
        for m in draft.metrics
    )


def allowed_moves(status: str) -> tuple[str, ...]:
    """The statuses an owner may move a use case to from this one."""
    return _MOVES.get(status, ())


def check_move(current: str, wanted: str) -> tuple[Problem, ...]:
    """Why a status move cannot be made; empty when it can. Approval is the design sign-off's."""
    if wanted == "approved":
        return (Problem("status", "use_case_approval"),)
    if wanted not in STATUSES or wanted not in allowed_moves(current):
        return (Problem("status", "use_case_move"),)
    return ()


# --- the pipeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelLink:
    """A model serving a use case, and how it is linked: 'portal' (a link) or 'tag' (MLflow)."""

    model_name: str
    via: str


@dataclass(frozen=True)
class Pipeline:
    """How many use cases are in each status, and the approved ones no model serves yet."""

    counts: tuple[tuple[str, int], ...]  # every status, in STATUSES order
    approved_without_model: tuple[UseCase, ...]

    @property
    def total(self) -> int:
        """All use cases."""
        return sum(count for _, count in self.counts)


def pipeline_of(use_cases: Iterable[UseCase], served: Collection[str]) -> Pipeline:
    """The pipeline of the use cases, served naming the keys that have at least one model."""
    cases = tuple(use_cases)
    counts = {status: 0 for status in STATUSES}
    for case in cases:
        counts[case.status] = counts.get(case.status, 0) + 1
    waiting = tuple(c for c in cases if c.status == "approved" and c.key not in served)
    return Pipeline(tuple(counts.items()), waiting)


def expected_money(promises: Iterable[Benchmark]) -> float | None:
    """Money per month the promises (the newest version per KPI) are worth when kept; None when
    none of them says what a unit is worth."""
    worth = [
        promised_uplift(p) * p.money_per_unit for p in promises if p.money_per_unit is not None
    ]
    return sum(worth) if worth else None
