"""What a rejected form field looks like, for every form's checks."""

from __future__ import annotations

from dataclasses import dataclass
from unicodedata import east_asian_width


@dataclass(frozen=True)
class Problem:
    """One reason input cannot be stored: the field and a code the interface translates."""

    field: str
    code: str  # a key of the catalog section `problem`: required, too_long, email, ...
    limit: int = 0  # the length limit a too_long or too_short problem refers to


def reading_length(text: str) -> int:
    """How long a text reads, for minimum lengths: characters without the surrounding spaces,
    a wide (Chinese, Japanese, Korean) character counting two, as one often holds a word."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text.strip())


def says_something(text: str) -> bool:
    """Whether a text holds a letter or digit, not only spaces and punctuation."""
    return any(char.isalnum() for char in text)
