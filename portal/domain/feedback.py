"""Expert feedback: the choices, the limits, and what makes a submission complete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.domain.validation import Problem, reading_length, says_something

KINDS: tuple[str, ...] = (
    "wrong_prediction",
    "unexpected_behaviour",
    "data_quality",
    "fairness_concern",
    "suggestion",
    "praise",
)
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
STATUSES: tuple[str, ...] = ("new", "acknowledged", "in_progress", "resolved", "wont_fix")
OPEN_STATUSES: frozenset[str] = frozenset({"new", "acknowledged", "in_progress"})

# Characters per field; long enough for a real case, short enough to read in a feed.
LIMITS: dict[str, int] = {
    "case_reference": 100,
    "model_output": 500,
    "expected_output": 500,
    "description": 4000,
    "response": 4000,
}
DESCRIPTION_MIN = 10  # in reading_length: ten Latin letters, or five Chinese characters


@dataclass(frozen=True)
class FeedbackDraft:
    """What an expert typed into the feedback form."""

    kind: str
    severity: str
    case_reference: str
    model_output: str
    expected_output: str
    description: str
    show_name: bool


def check_draft(draft: FeedbackDraft) -> tuple[Problem, ...]:
    """Every problem with a draft; empty when it can be stored."""
    problems = []
    if draft.kind not in KINDS:
        problems.append(Problem("kind", "unknown_choice"))
    if draft.severity not in SEVERITIES:
        problems.append(Problem("severity", "unknown_choice"))
    if not says_something(draft.description):
        problems.append(Problem("description", "required"))
    elif reading_length(draft.description) < DESCRIPTION_MIN:
        problems.append(Problem("description", "too_short", DESCRIPTION_MIN))
    if draft.kind == "wrong_prediction" and not draft.expected_output.strip():
        problems.append(Problem("expected_output", "required"))
    for field in ("case_reference", "model_output", "expected_output", "description"):
        if len(getattr(draft, field)) > LIMITS[field]:
            problems.append(Problem(field, "too_long", LIMITS[field]))
    return tuple(problems)


def check_triage(status: str, response: str) -> tuple[Problem, ...]:
    """Problems with an owner's answer: a known status, a response when closing."""
    problems = []
    if status not in STATUSES:
        problems.append(Problem("status", "unknown_choice"))
    if status in ("resolved", "wont_fix") and not response.strip():
        problems.append(Problem("response", "required"))
    if len(response) > LIMITS["response"]:
        problems.append(Problem("response", "too_long", LIMITS["response"]))
    return tuple(problems)


def reference_number(feedback_id: int) -> str:
    """The number an expert quotes: FB-000042."""
    return f"FB-{feedback_id:06d}"


@dataclass(frozen=True)
class FeedbackItem:
    """One piece of feedback as pages and exports show it."""

    id: int
    reference: str
    model_name: str
    model_version: int | None
    kind: str
    severity: str
    case_reference: str
    model_output: str
    expected_output: str
    description: str
    submitted_by: str  # the submitter's address; shown to others only when show_name is set
    submitter_name: str
    show_name: bool
    submitted_at: datetime
    status: str
    response: str
    responded_by: str
    responded_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Still waiting for an owner to resolve it."""
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class FeedbackCounts:
    """Feedback figures for the overview."""

    total: int
    open: int
    recent: int  # submitted in the last 30 days
    open_wrong_predictions: int


# --- lists: filters and pages ------------------------------------------------------------------

PAGE_SIZE = 20
# How far back the list looks, in days; None: any time.
PERIODS: tuple[int | None, ...] = (None, 7, 30, 90, 365)
# Which feedback a list starts from: the actor's own, open on the actor's models, or all.
SCOPES: tuple[str, ...] = ("mine", "queue", "all")


@dataclass(frozen=True)
class FeedbackFilter:
    """What a feedback list is narrowed to; an empty choice means any."""

    models: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    person: str = ""  # a submitter who agreed to be named, or the owner who answered
    since: datetime | None = None


def check_filter(chosen: FeedbackFilter) -> tuple[Problem, ...]:
    """Unknown statuses, kinds or severities (e.g. from an edited address)."""
    lists = (
        ("status", chosen.statuses, STATUSES),
        ("kind", chosen.kinds, KINDS),
        ("severity", chosen.severities, SEVERITIES),
    )
    return tuple(
        Problem(field, "unknown_choice")
        for field, values, allowed in lists
        if any(value not in allowed for value in values)
    )
