"""Signals that a model decays before or beside drift: an estimated quality drop, a widening gap
between groups. Found by the offline job's analyses, read by attention, risk and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

REASONS = ("estimated_drop", "fairness_gap")


@dataclass(frozen=True)
class DecaySignal:
    """One model decaying for one reason since a week, with what it is about."""

    model_name: str
    reason: str  # one of REASONS
    since: datetime | None  # start of the first week of the current run of the signal
    detail: str  # the metric ('roc_auc') or the group column ('gender')
    value: float | None = None  # the estimated drop or the gap, for the sentence that says it
