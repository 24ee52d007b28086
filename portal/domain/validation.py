"""What a rejected form field looks like, for every form's checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason input cannot be stored: the field and a code the interface translates."""

    field: str
    code: str  # a key of the catalog section `problem`: required, too_long, email, ...
    limit: int = 0  # the length limit a too_long or too_short problem refers to
