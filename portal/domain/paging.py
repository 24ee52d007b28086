"""Long lists shown a page at a time: which page is shown and where it sits in the whole list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


def page_window(total: int, page: int, size: int) -> tuple[int, int]:
    """The page actually shown (1 to the last page) and the rows to skip before it."""
    pages = max(1, -(-total // size))
    shown = min(max(1, page), pages)
    return shown, (shown - 1) * size


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a filtered list, and where it sits in the whole list."""

    items: tuple[T, ...]
    total: int  # items matching the filter, on every page
    page: int  # 1-based
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def first(self) -> int:
        """The position of the page's first item in the list (0 for an empty list)."""
        return (self.page - 1) * self.page_size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0
