"""What a rejected form field looks like, for every form's checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason input cannot be stored: the field and a code the interface translates."""

    field: str
    code: str  # required, too_long, too_short, unknown_choice, not_a_number, ...
    limit: int = 0
