"""Incidents: a reported malfunction, what was in production when it started, and its moves."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from portal.domain.production import ProductionPeriod
from portal.domain.validation import Problem, reading_length, says_something

KINDS: tuple[str, ...] = ("outage", "wrong_predictions", "other")
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "serious")
STATUSES: tuple[str, ...] = ("open", "mitigated", "closed")
# Where an owner may move an incident from each status: mitigated back to open when the
# workaround fails, closed back to open when it happens again.
MOVES: dict[str, tuple[str, ...]] = {
    "open": ("mitigated", "closed"),
    "mitigated": ("closed", "open"),
    "closed": ("open",),
}
SEVERE: frozenset[str] = frozenset({"high", "serious"})
REFERENCE_PREFIX = "INC-"
# EU AI Act Art. 73: a serious incident of a high-risk system is reported within 15 days of
# the provider learning of it; the portal learns of it when it is reported.
REPORTING_DAYS = 15
TITLE_MIN = 5  # in reading_length
DESCRIPTION_MIN = 10
LIMITS: dict[str, int] = {
    "title": 150,
    "description": 4000,
    "impact": 2000,
    "note": 2000,
    "root_cause": 2000,
}
CASES_MOST = 1_000_000_000
PAGE_SIZE = 20


@dataclass(frozen=True)
class IncidentDraft:
    """What a person typed into the report form."""

    model_name: str
    started_at: datetime | None
    kind: str
    severity: str
    title: str
    description: str
    impact: str = ""
    cases: int | None = None


def check_draft(
    draft: IncidentDraft, now: datetime, model_since: datetime | None
) -> tuple[Problem, ...]:
    """Every problem with a report; model_since: when the model was first registered."""
    problems = []
    if draft.kind not in KINDS:
        problems.append(Problem("kind", "unknown_choice"))
    if draft.severity not in SEVERITIES:
        problems.append(Problem("severity", "unknown_choice"))
    if draft.started_at is None:
        problems.append(Problem("started_at", "required"))
    elif draft.started_at > now:
        problems.append(Problem("started_at", "incident_future"))
    # Starts are given to the minute: the minute the model was registered in counts.
    elif model_since is not None and draft.started_at < model_since.replace(
        second=0, microsecond=0
    ):
        problems.append(Problem("started_at", "incident_before_model"))
    for name, least in (("title", TITLE_MIN), ("description", DESCRIPTION_MIN)):
        text = getattr(draft, name)
        if not says_something(text):
            problems.append(Problem(name, "required"))
        elif reading_length(text) < least:
            problems.append(Problem(name, "too_short", least))
    for name in ("title", "description", "impact"):
        if len(getattr(draft, name)) > LIMITS[name]:
            problems.append(Problem(name, "too_long", LIMITS[name]))
    if draft.cases is not None and not 0 <= draft.cases <= CASES_MOST:
        problems.append(Problem("cases", "incident_cases"))
    return tuple(problems)


def check_move(current: str, status: str, note: str, root_cause: str) -> tuple[Problem, ...]:
    """Problems with an owner's move: a move the status allows, a note, a root cause to close."""
    problems = []
    if status not in STATUSES:
        problems.append(Problem("status", "unknown_choice"))
    elif status not in MOVES.get(current, ()):
        problems.append(Problem("status", "incident_move"))
    if not says_something(note):
        problems.append(Problem("note", "required"))
    if status == "closed" and not says_something(root_cause):
        problems.append(Problem("root_cause", "required"))
    for name, text in (("note", note), ("root_cause", root_cause)):
        if len(text) > LIMITS[name]:
            problems.append(Problem(name, "too_long", LIMITS[name]))
    return tuple(problems)


def reference_number(incident_id: int) -> str:
    """The reference people quote: INC-12."""
    return f"{REFERENCE_PREFIX}{incident_id}"


def incident_id(reference: str) -> int | None:
    """The id in a reference ('INC-12', 'inc-12' or '12'); None when it is none."""
    text = reference.strip().upper().removeprefix(REFERENCE_PREFIX)
    return int(text) if text.isdigit() and len(text) < 18 else None


def period_at(periods: Iterable[ProductionPeriod], moment: datetime) -> ProductionPeriod | None:
    """The production period a moment falls in; None when nothing was in production then."""
    for period in periods:
        if period.start <= moment and (period.end is None or moment < period.end):
            return period
    return None


@dataclass(frozen=True)
class Trace:
    """What was in production when an incident started, fixed when it was reported."""

    at: datetime
    version: int | None  # None: nothing was in production then
    marker: str = ""
    run_id: str = ""
    trained_at: datetime | None = None
    git_commit: str = ""
    code_source: str = ""
    datasets: tuple[str, ...] = ()  # logged as inputs of the version's training run
    data_sources: tuple[str, ...] = ()  # declared in the data_sources tag
    business_process: str = ""
    technical_owners: tuple[str, ...] = ()
    business_owner: str = ""
    accountable_executive: str = ""
    shared_models: tuple[str, ...] = ()  # other models fed by the same data
    shared_processes: tuple[str, ...] = ()  # business processes those models serve

    @property
    def sources(self) -> tuple[str, ...]:
        """Declared sources and logged datasets, each once."""
        return tuple(dict.fromkeys((*self.data_sources, *self.datasets)))

    def to_json(self) -> str:
        """The stored form: JSON with ISO dates."""
        plain = asdict(self)
        for name in ("at", "trained_at"):
            plain[name] = plain[name].isoformat() if plain[name] else None
        return json.dumps(plain, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, fallback_at: datetime) -> Trace:
        """The stored trace; an empty one (no trace stored) says nothing was found."""
        if not text:
            return cls(fallback_at, None)
        plain = json.loads(text)
        values = {}
        for name, kind in cls.__annotations__.items():
            if name not in plain:
                continue
            value = plain[name]
            if name in ("at", "trained_at"):
                value = datetime.fromisoformat(value) if value else None
            elif "tuple" in kind:
                value = tuple(value)
            values[name] = value
        return cls(**{"at": fallback_at, "version": None, **values})


@dataclass(frozen=True)
class Deadline:
    """The EU AI Act reporting deadline of a serious incident of a high-risk model."""

    due: date
    days_left: int  # negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def reporting_deadline(
    severity: str, ai_act_category: str, reported_at: datetime, today: date
) -> Deadline | None:
    """15 days after the portal learned of a serious incident of a high-risk model; else None."""
    if severity != "serious" or ai_act_category != "high":
        return None
    due = reported_at.date() + timedelta(days=REPORTING_DAYS)
    return Deadline(due, (due - today).days)


@dataclass(frozen=True)
class Incident:
    """One incident as pages, tasks and documents show it."""

    id: int
    reference: str
    model_name: str
    model_version: int | None
    started_at: datetime
    kind: str
    severity: str
    title: str
    description: str
    impact: str
    cases: int | None
    status: str
    root_cause: str
    trace: Trace
    reported_by: str
    reported_by_name: str
    reported_at: datetime
    updated_by: str
    updated_at: datetime
    deadline: Deadline | None = None

    @property
    def is_open(self) -> bool:
        """Reported and not yet mitigated."""
        return self.status == "open"

    @property
    def severe(self) -> bool:
        return self.severity in SEVERE


@dataclass(frozen=True)
class IncidentUpdate:
    """One move of an incident, with the owner's note."""

    status: str
    note: str
    root_cause: str
    updated_by: str
    updated_by_name: str
    updated_at: datetime


@dataclass(frozen=True)
class IncidentFilter:
    """What the list is narrowed to; an empty choice means any."""

    statuses: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()


def check_filter(chosen: IncidentFilter) -> tuple[Problem, ...]:
    """Unknown statuses or severities (e.g. from an edited address)."""
    lists = (("status", chosen.statuses, STATUSES), ("severity", chosen.severities, SEVERITIES))
    return tuple(
        Problem(name, "unknown_choice")
        for name, values, allowed in lists
        if any(value not in allowed for value in values)
    )


@dataclass(frozen=True)
class IncidentCounts:
    """Open incidents for documents: how many, and the most serious first."""

    open: int
    most_serious: tuple[Incident, ...] = field(default=())
