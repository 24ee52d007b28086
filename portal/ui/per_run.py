"""Values held for one script run: looked up as a plain attribute, not through session state.

Streamlit gives every run a new cursor table on its script-run context; a value is kept on
that context beside the table it was kept for, so the next run (a new table) sees nothing
and decides afresh. Reading session state costs some ten microseconds, this one: a page that
translates thousands of labels or names thousands of people notices the difference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

T = TypeVar("T")
_PREFIX = "_portal_run_"


def held(name: str) -> object | None:
    """The value kept under name for the current run; None when none is (or outside a run)."""
    context = get_script_run_ctx()
    marker = getattr(context, "cursors", None) if context is not None else None
    if marker is None:
        return None
    kept = getattr(context, _PREFIX + name, None)
    return kept[1] if kept is not None and kept[0] is marker else None


def hold(name: str, value: object) -> None:
    """Keep value under name for the rest of the current run (nothing outside a run)."""
    context = get_script_run_ctx()
    marker = getattr(context, "cursors", None) if context is not None else None
    if marker is not None:
        setattr(context, _PREFIX + name, (marker, value))


def once_per_run(name: str, compute: Callable[[], T]) -> T:
    """compute() at most once per run: later calls in the same run get the kept value."""
    found = held(name)
    if found is not None:
        return found  # type: ignore[return-value]
    value = compute()
    hold(name, value)
    return value
