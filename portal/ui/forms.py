"""What every form does with a service write: run it, or say why it was refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from portal.domain.validation import Problem
from portal.errors import InvalidInput, NotAllowed
from portal.ui.session import t

T = TypeVar("T")


def attempt(action: Callable[[], T], field_labels: str, refusal: str) -> T | None:
    """Run a service write; show the refusal or each input problem instead of raising.

    field_labels is the catalog section naming the form's fields (e.g. 'feedback_field');
    refusal is the catalog key said when the person may not write.
    """
    try:
        return action()
    except InvalidInput as error:
        for line in problem_lines(error.problems, field_labels):
            st.error(line)
    except NotAllowed:
        st.error(t(refusal))
    return None


def problem_lines(problems: tuple[Problem, ...], field_labels: str) -> list[str]:
    """One translated message per problem, naming the field."""
    return [
        t(f"feedback.problem_{p.code}", field=t(f"{field_labels}.{p.field}"), limit=p.limit)
        for p in problems
    ]
