"""Tasks and notifications in sentences; no Streamlit here, so messages and pages share them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from portal.domain.notifications import DIGEST, Wording
from portal.domain.tasks import Task
from portal.text.format import format_date
from portal.text.i18n import translate

NameOf = Callable[[str], str]


def _itself(email: str) -> str:
    return email


def task_sentence(
    language: str,
    task: Task,
    name_of: NameOf = _itself,
    use_case_titles: Mapping[str, str] | None = None,
) -> str:
    """The task as one sentence: 'Sign off the go-live of customer-churn version 3.'

    Detail values that are e-mail addresses are named from the people directory."""
    values = {key: name_of(value) if "@" in value else value for key, value in task.detail}
    title = (use_case_titles or {}).get(task.use_case_key) or task.use_case_key
    return translate(
        language,
        task.sentence_key,
        model=task.model_name,
        use_case=title,
        due=format_date(language, task.due) if task.due else "",
        **values,
    )


def kind_label(language: str, kind: str) -> str:
    """A task kind in a few words, for the mute switches and the log."""
    return translate(language, f"task_kind.{kind}")


def message_wording(language: str, name: str, kind: str, count: int, first: str) -> Wording:
    """The frame of one message: a single task (its sentence is the subject) or a digest."""
    greeting = translate(language, "notify_mail.greeting", name=name)
    closing = translate(language, "notify_mail.closing")
    if kind == DIGEST:
        return Wording(
            greeting,
            translate(language, "notify_mail.digest_intro", count=count),
            translate(language, "notify_mail.digest_subject", count=count),
            closing,
        )
    return Wording(
        greeting,
        translate(language, "notify_mail.task_intro"),
        translate(language, "notify_mail.task_subject", sentence=first),
        closing,
    )
