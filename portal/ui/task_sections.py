"""My tasks and notifications: a person's tasks by urgency, their mute switches and messages,
and the admins' log of every notification."""

from __future__ import annotations

from datetime import date

import streamlit as st

from portal import clock
from portal.config import WEEKDAYS
from portal.domain.notifications import (
    MAX_ATTEMPTS,
    STATUSES,
    URGENCIES,
    Notification,
    urgency,
)
from portal.domain.paging import Page
from portal.domain.tasks import TASK_KINDS, Task, tasks_of
from portal.runtime import current_runtime
from portal.services.identity import Identity
from portal.services.notifications import NotificationService, NotifyRun
from portal.services.tasks import TaskService
from portal.services.use_cases import UseCaseService
from portal.text.format import format_date, format_datetime, format_number, markdown_literal
from portal.text.task_wording import kind_label, task_sentence
from portal.ui import data, forms, inputs, tables
from portal.ui.navigation import OVERVIEW, PAGES
from portal.ui.people import name_of
from portal.ui.session import language, t

_BY_PATH = {page.url_path: page for page in PAGES}
_LAST_RUN = "notifications.last_run"  # the result of a run started here, shown once
FAILED_SHOWN = 5  # failed messages with a retry button; the table lists the rest first
_ICONS = {"now": ":material/priority_high:", "soon": ":material/schedule:", "later": ""}


def notification_service() -> NotificationService:
    """The notification service over the process's runtime."""
    return NotificationService(current_runtime())


def open_tasks() -> tuple[Task, ...]:
    """Every person's open tasks (cached per data version and day)."""
    return _open_tasks(data.catalog_service().data_version(), clock.today())[0]


def _titles() -> dict[str, str]:
    return _open_tasks(data.catalog_service().data_version(), clock.today())[1]


@st.cache_data(max_entries=4, ttl=900, show_spinner=False)
def _open_tasks(data_version: int, today: date) -> tuple[tuple[Task, ...], dict[str, str]]:
    runtime = current_runtime()
    titles = {u.key: u.title for u in UseCaseService(runtime.store, runtime.settings).all()}
    return TaskService(runtime).open_tasks(clock.utc_now()), titles


def whose_tasks(actor: Identity) -> str:
    """The e-mail whose tasks are shown: the actor's own; an admin may choose anyone (also by
    ?person=); the local user is told how tasks follow e-mail addresses."""
    if actor.is_local:
        st.info(t("my_tasks.local_note"), icon=":material/info:")
    if not actor.has_role("admin"):
        return actor.email
    people = sorted({task.person.strip().casefold() for task in open_tasks()}, key=name_of)
    own = actor.email.strip().casefold()
    options = [own, *(p for p in people if p != own)] if own else people
    asked = (st.query_params.get("person") or "").strip().casefold()
    chosen = inputs.selectbox(
        st,
        t("my_tasks.person"),
        options,
        index=options.index(asked) if asked in options else (0 if own else None),
        format_func=name_of,
        key="my_tasks.person",
    )
    if chosen and chosen != own:
        st.query_params["person"] = chosen
        st.caption(t("my_tasks.intro_other", name=markdown_literal(name_of(chosen))))
    elif "person" in st.query_params:
        del st.query_params["person"]
    return chosen or ""


def everyone(actor: Identity) -> None:
    """For an admin who has chosen nobody: who has open tasks, how many and how urgent, so the
    risk office sees at a glance whose turn it is; a row opens that person's tasks."""
    if not actor.has_role("admin"):
        return
    today = clock.today()
    per_person: dict[str, list[Task]] = {}
    for task in open_tasks():
        per_person.setdefault(task.person.strip().casefold(), []).append(task)
    if not per_person:
        st.success(t("my_tasks.nobody_waits"), icon=":material/task_alt:")
        return
    st.subheader(t("my_tasks.everyone_title"))
    rows = sorted(
        (
            {
                "person": name_of(email),
                "now": sum(1 for task in tasks if urgency(task, today) == "now"),
                "all": len(tasks),
                "email": email,
            }
            for email, tasks in per_person.items()
        ),
        key=lambda row: (-row["now"], -row["all"], row["person"]),
    )
    chosen = tables.dataframe(
        [{key: row[key] for key in ("person", "now", "all")} for row in rows],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="my_tasks.everyone",
        column_config={
            "person": t("my_tasks.col_person"),
            "now": t("my_tasks.count_now"),
            "all": t("my_tasks.col_all"),
        },
    )
    st.caption(t("my_tasks.everyone_hint"))
    picked = chosen.selection.rows if chosen is not None else []
    if picked:
        st.query_params["person"] = rows[picked[0]]["email"]
        st.rerun()


def tasks_for(email: str) -> tuple[Task, ...]:
    """One person's tasks, the most urgent first."""
    return tasks_of(open_tasks(), email) if email else ()


def counts(tasks: tuple[Task, ...]) -> None:
    """How many tasks need the person now, come due, or can wait."""
    today = clock.today()
    lang = language()
    columns = st.columns(len(URGENCIES))
    for column, level in zip(columns, URGENCIES, strict=True):
        count = sum(1 for task in tasks if urgency(task, today) == level)
        column.metric(t(f"my_tasks.count_{level}"), format_number(lang, count))


def task_list(tasks: tuple[Task, ...]) -> None:
    """The tasks grouped by urgency, each a sentence with a link to where it is done."""
    if not tasks:
        st.success(t("my_tasks.nothing"), icon=":material/task_alt:")
        return
    today = clock.today()
    lang = language()
    titles = _titles()
    for level in URGENCIES:
        group = [task for task in tasks if urgency(task, today) == level]
        if not group:
            continue
        st.subheader(t(f"my_tasks.group_{level}"))
        with st.container(border=True, key=f"tasks_{level}"):
            for index, task in enumerate(group):
                sentence, link = st.columns([4, 1], vertical_alignment="center")
                text = markdown_literal(task_sentence(lang, task, name_of, titles))
                # A task whose start is unknown carries the moment it was read: no 'since'.
                if task.since.date() < today:
                    since = t("my_tasks.since", since=format_date(lang, task.since))
                    text += f"  \n:gray[{markdown_literal(since)}]"
                sentence.markdown(text)
                link.page_link(
                    _BY_PATH.get(task.page, OVERVIEW).path,
                    label=t("my_tasks.open_link"),
                    query_params=dict(task.params),
                    icon=_ICONS[level] or ":material/arrow_forward:",
                )
                if index + 1 < len(group):
                    st.divider()


def my_notifications(actor: Identity, service: NotificationService) -> None:
    """The actor's notification kinds, each with a switch, and what was sent to them."""
    st.subheader(t("my_tasks.notifications_title"))
    st.caption(t("my_tasks.notifications_intro"))
    if not service.channels():
        st.caption(t("my_tasks.notifications_off"))
    if not actor.email:
        st.info(t("my_tasks.no_email"), icon=":material/mail:")
        return
    muted = service.muted_kinds(actor)
    for kind in TASK_KINDS:
        st.toggle(
            kind_label(language(), kind),
            value=kind not in muted,
            key=f"my_tasks.mute.{kind}",
            on_change=_switch,
            args=(actor, kind),
        )
    saved = st.session_state.pop("my_tasks.saved", None)
    if saved:
        st.success(saved, icon=":material/check:")
    _received(service.received(actor))


def _switch(actor: Identity, kind: str) -> None:
    wanted = st.session_state[f"my_tasks.mute.{kind}"]
    done, _ = forms.attempt(
        lambda: notification_service().set_muted(actor, kind, not wanted), "notifications_field"
    )
    if done:
        words = "my_tasks.unmuted_saved" if wanted else "my_tasks.muted_saved"
        st.session_state["my_tasks.saved"] = t(words, kind=kind_label(language(), kind))


def _received(messages: tuple[Notification, ...]) -> None:
    st.markdown(f"**{t('my_tasks.received')}**")
    if not messages:
        st.caption(t("my_tasks.received_none"))
        return
    lang = language()
    tables.dataframe(
        [
            {
                "when": format_datetime(lang, m.created_at),
                "subject": m.subject,
                "channel": t(f"notification_channel.{m.channel}"),
                "status": t(f"notification_status.{m.status}"),
            }
            for m in messages
        ],
        hide_index=True,
        column_config={
            "when": t("my_tasks.col_when"),
            "subject": st.column_config.TextColumn(t("my_tasks.col_subject"), width="large"),
            "channel": t("my_tasks.col_channel"),
            "status": t("my_tasks.col_status"),
        },
    )


def log_intro() -> None:
    """The admins' page title and what the log holds."""
    st.title(t("notifications.title"))
    st.caption(t("notifications.intro", attempts=MAX_ATTEMPTS))


def log_header(actor: Identity, service: NotificationService) -> None:
    """Channels and schedule in force, messages per result, and the send buttons."""
    counts = forms.allowed_or_stop(lambda: service.status_counts(actor))
    channels = service.channels()
    if channels:
        names = ", ".join(t(f"notification_channel.{c}") for c in channels)
        st.markdown(t("notifications.channels_on", channels=names))
    else:
        st.warning(t("notifications.channels_off"), icon=":material/mail_lock:")
    settings = service.settings
    if settings.notify_interval_minutes:
        weekday = t(f"notify_weekday.{WEEKDAYS[settings.notify_digest_weekday]}")
        minutes = format_number(language(), settings.notify_interval_minutes)
        st.caption(t("notifications.schedule_on", minutes=minutes, weekday=weekday))
    else:
        st.caption(t("notifications.schedule_off"))
    st.markdown(
        t(
            "notifications.counts",
            sent=format_number(language(), counts.get("sent", 0)),
            failed=format_number(language(), counts.get("failed", 0)),
            pending=format_number(language(), counts.get("pending", 0)),
        )
    )
    now, digest = st.columns(2)
    for column, words, with_digest in (
        (now, "notifications.send_now", False),
        (digest, "notifications.send_digest", True),
    ):
        if column.button(t(words), icon=":material/send:", disabled=not channels, key=words):
            done, result = forms.attempt(
                lambda d=with_digest: service.send_now(actor, digest=d), "notifications_field"
            )
            if done and result is not None:
                # Shown after the rerun, so the counts above include what this run sent.
                st.session_state[_LAST_RUN] = result
                st.rerun()
    if _LAST_RUN in st.session_state:
        _run_result(st.session_state.pop(_LAST_RUN))


def log_filters(actor: Identity, service: NotificationService) -> tuple[str, str]:
    """The chosen result and recipient ('' for all)."""
    status, person = st.columns(2)
    chosen_status = inputs.selectbox(
        status,
        t("notifications.status"),
        ["", *STATUSES],
        format_func=lambda s: (
            t(f"notification_status.{s}") if s else t("notifications.all_statuses")
        ),
        key="notifications.status",
    )
    chosen_person = inputs.selectbox(
        person,
        t("notifications.recipient"),
        ["", *service.recipients(actor)],
        format_func=lambda p: name_of(p) if p else t("notifications.everyone"),
        key="notifications.recipient",
    )
    return chosen_status, chosen_person


def _run_result(result: NotifyRun) -> None:
    """What an admin's run did."""
    text = t("notifications.sent_result", sent=result.sent, failed=len(result.failures))
    (st.warning if result.failures else st.success)(text, icon=":material/send:")


def failed_section(
    actor: Identity, service: NotificationService, failed: Page[Notification]
) -> None:
    """Failed messages first, each with its error and a retry button."""
    if not failed.items:
        return
    lang = language()
    st.subheader(t("notifications.failed_title"))
    if failed.total > FAILED_SHOWN:
        st.caption(
            t(
                "notifications.failed_more",
                shown=format_number(lang, FAILED_SHOWN),
                total=format_number(lang, failed.total),
            )
        )
    for item in failed.items[:FAILED_SHOWN]:
        with st.container(border=True, key=f"failed_{item.id}"):
            line, button = st.columns([5, 1], vertical_alignment="center")
            line.markdown(
                markdown_literal(
                    t(
                        "notifications.failed_line",
                        subject=item.subject,
                        recipient=name_of(item.recipient),
                        channel=t(f"notification_channel.{item.channel}"),
                        attempts=format_number(lang, item.attempts),
                        error=item.last_error,
                    )
                )
            )
            if item.gave_up:
                line.caption(t("notifications.gave_up", attempts=format_number(lang, MAX_ATTEMPTS)))
            if button.button(t("notifications.retry"), key=f"retry_{item.id}"):
                done, after = forms.attempt(
                    lambda item=item: service.retry(actor, item.id), "notifications_field"
                )
                if done and after is not None:
                    if after.status == "sent":
                        st.success(t("notifications.retried_ok"))
                    else:
                        st.error(t("notifications.retried_failed", error=after.last_error))


def log_table(items: tuple[Notification, ...]) -> None:
    """The log's rows in the reader's words."""
    lang = language()
    tables.dataframe(
        [
            {
                "at": format_datetime(lang, item.sent_at or item.created_at),
                "recipient": name_of(item.recipient),
                "channel": t(f"notification_channel.{item.channel}"),
                "kind": kind_label(lang, item.kind),
                "subject": item.subject,
                "status": t(f"notification_status.{item.status}"),
                "attempts": item.attempts,
                "error": item.last_error,
            }
            for item in items
        ],
        hide_index=True,
        column_config={
            "at": t("notifications.col_at"),
            "recipient": t("notifications.col_recipient"),
            "channel": t("notifications.col_channel"),
            "kind": t("notifications.col_kind"),
            "subject": st.column_config.TextColumn(t("notifications.col_subject"), width="large"),
            "status": t("notifications.col_status"),
            "attempts": t("notifications.col_attempts"),
            "error": st.column_config.TextColumn(t("notifications.col_error"), width="medium"),
        },
    )
