"""The attention list on pages: items by name with who acts and where it is fixed, groups
with a link to the models they count, and what changed since the last portfolio report."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from portal.domain.attention import KINDS, Attention, AttentionGroup, AttentionItem
from portal.domain.catalog import InventoryRow
from portal.domain.report import Changes
from portal.text.attention_wording import group_sentence, kind_label, situation_sentence
from portal.text.format import format_date, markdown_literal, without_bidi_controls
from portal.ui import data, navigation, people
from portal.ui.session import language, t

# Where each item is fixed (AttentionItem.fixed_on), opened at the model.
FIX_PAGES = {
    "risk": navigation.RISK,
    "drift": navigation.DRIFT,
    "model_card": navigation.MODEL_CARD,
    "incidents": navigation.INCIDENTS,
}
# The kinds the risk and value pages fix.
RISK_KINDS = ("high_risk", "review_overdue", "no_executive", "evidence_missing", "not_assessed")
VALUE_KINDS = ("value_off_track", "value_at_risk")
NAMES_SHOWN = 8  # model names listed under a change before "and N more"


def inventory_filter_params(kind: str) -> dict[str, str]:
    """The inventory's address showing the models of one attention kind."""
    return {"attention": kind}


def portfolio_section(attention: Attention) -> None:
    """The overview's answer: the most consequential items by name, then every kind counted."""
    st.subheader(t("attention.title"), help=t("attention.help"))
    if not attention.groups:
        st.success(t("attention.nothing"), icon=":material/check_circle:")
        return
    st.caption(
        t(
            "attention.summary",
            affected=attention.models_affected,
            models=attention.models_considered,
        )
    )
    items(attention.top, key="overview")
    st.markdown(f"**{t('attention.groups_title')}**", help=t("attention.groups_help"))
    for group in attention.groups:
        group_line(group)


def items(shown: Iterable[AttentionItem], key: str) -> None:
    """One line per item: the sentence naming who acts, the person, and the link to fix it."""
    lang = language()
    # One bordered box for the list, one row per item (the sentence with who acts, the link
    # beside it): ten items must read at a glance and stay cheap to draw on the first page.
    with st.container(border=True, key=f"attention_{key}"):
        for index, item in enumerate(shown):
            row = st.container(key=f"attention_{key}_{index}")
            sentence, link = row.columns([4, 1.5], vertical_alignment="center")
            sentence.markdown(
                markdown_literal(situation_sentence(lang, item)) + "  \n" + who_acts_markdown(item)
            )
            link.page_link(
                FIX_PAGES[item.fixed_on].path,
                label=t(f"attention_fix.{item.kind}"),
                query_params={"model": item.model_name},
                icon=":material/arrow_forward:",
            )


def who_acts_markdown(item: AttentionItem) -> str:
    """'Who acts: Anna Schmidt (technical owner)', the name linked to the e-mail address."""
    if not item.acts:
        return f"**{t('attention.who_acts')}:** {t('attention.admins')}"
    role = t(f"ownership_role.{item.acts_role}")
    return f"**{t('attention.who_acts')}:** {people.person_markdown(item.acts)} ({role})"


def group_line(group: AttentionGroup) -> None:
    """A kind counted at scale, with a link to the list of the models it counts."""
    sentence, link = st.columns([4, 1.5], vertical_alignment="center")
    sentence.markdown(markdown_literal(group_sentence(language(), group)))
    link.page_link(
        navigation.INVENTORY.path,
        label=t("attention.open_models", count=group.count)
        if group.count > 1
        else t("attention.open_model"),
        query_params=inventory_filter_params(group.kind),
        icon=":material/list_alt:",
    )


def page_section(kinds: tuple[str, ...], limit: int = 5) -> None:
    """On the risk or value page: the most consequential items of the kinds the page fixes."""
    attention = data.attention()
    shown = [item for item in attention.items if item.kind in kinds]
    st.subheader(t("attention.page_title"), help=t("attention.help"))
    if not shown:
        st.caption(t("attention.page_none"))
        return
    items(shown[:limit], key="page")
    if len(shown) > limit:
        st.caption(t("attention.more", count=len(shown) - limit))
    for group in attention.groups:
        if group.kind in kinds and group.count > 1:
            group_line(group)


def model_section(name: str, kinds: tuple[str, ...] | None = None) -> None:
    """One model's items (of the given kinds, or all), the most consequential first."""
    shown = [i for i in data.attention_of(name) if kinds is None or i.kind in kinds]
    st.subheader(t("attention.model_title"), help=t("attention.help"))
    if not shown:
        st.caption(t("attention.model_none"))
        return
    items(shown, key=f"model_{name}")


def changes_section(changes: Changes | None, previous_by: str) -> None:
    """What changed since the last portfolio report, as the next report will say it."""
    if changes is None:  # the report button says none was made yet
        return
    st.subheader(t("attention.changes_title"), help=t("attention.changes_help"))
    when = format_date(language(), changes.previous_at)
    who = people.name_of(previous_by) or previous_by or t("report_change.someone")
    if changes.nothing:
        st.caption(t("attention.changes_nothing", date=when, who=markdown_literal(who)))
        return
    st.caption(t("attention.changes_since", date=when, who=markdown_literal(who)))
    worse = [c.model_name for c in changes.status_changes if c.worse]
    other = [c.model_name for c in changes.status_changes if not c.worse]
    lines = (
        ("attention.changes_new", list(changes.new_models)),
        ("attention.changes_retired", list(changes.retired_models)),
        ("attention.changes_versions", [c.model_name for c in changes.version_changes]),
        ("attention.changes_worse", worse),
        ("attention.changes_better", other),
        ("attention.changes_benchmarks", [r.model_name for r in changes.benchmark_revisions]),
        ("attention.changes_high", [model for model, _ in changes.new_high_risks]),
    )
    for key, names in lines:
        if names:
            unique = list(dict.fromkeys(names))  # a model counts once, whatever changed
            _change_line(t(key, count=len(unique)), unique)


def _change_line(label: str, unique: list[str]) -> None:
    shown = ", ".join(markdown_literal(name) for name in unique[:NAMES_SHOWN])
    listed = (
        t("attention.changes_names_more", names=shown, count=len(unique) - NAMES_SHOWN)
        if len(unique) > NAMES_SHOWN
        else t("attention.changes_names", names=shown)
    )
    st.markdown(f"- **{markdown_literal(label)}** · {listed}")


# --- the inventory opened from a count ----------------------------------------------------------

ADDRESS_FILTERS = ("attention", "process", "unit", "production", "gaps", "undocumented")


def address_filter(rows: list[InventoryRow]) -> list[InventoryRow]:
    """The inventory narrowed by the address (?attention=<kind>, ?process=, ?unit=,
    ?production=1, ?gaps=1, ?undocumented=1), as the overview's counts link to it; the filter
    is named, with a button that clears it. An unknown filter shows every model and says so."""
    asked = {key: st.query_params[key] for key in ADDRESS_FILTERS if key in st.query_params}
    if not asked:
        return rows
    kept, labels, unknown = rows, [], False
    for key, value in asked.items():
        if key == "attention":
            if value not in KINDS:
                unknown = True
                continue
            group = data.attention().group(value)
            names = set(group.model_names) if group else set()
            kept = [row for row in kept if row.name in names]
            labels.append(kind_label(language(), value))
        elif key in ("process", "unit"):
            field = "business_process" if key == "process" else "business_unit"
            kept = [row for row in kept if getattr(row, field) == value]
            labels.append(
                t(f"attention.filter_{key}", **{key: without_bidi_controls(value)})
                if value
                else t(
                    "attention.filter_process_none"
                    if key == "process"
                    else "attention.filter_unit_none"
                )
            )
        elif value == "1":
            kept = [row for row in kept if _flag(key, row)]
            labels.append(t(f"attention.filter_{key}"))
        else:
            unknown = True
    if unknown:
        st.warning(t("attention.filter_unknown"), icon=":material/filter_alt_off:")
    if labels:
        shown, clear = st.columns([4, 1], vertical_alignment="center")
        shown.info(
            t("attention.filter_shown", filter=markdown_literal(", ".join(labels))),
            icon=":material/filter_alt:",
        )
        if clear.button(t("attention.filter_clear"), key="inventory.clear_address"):
            for key in asked:
                del st.query_params[key]
            st.rerun()
    return kept


def _flag(key: str, row: InventoryRow) -> bool:
    if key == "production":
        return row.production_version is not None
    if key == "gaps":
        return bool(row.documentation_gaps)
    return row.documentation_score == 0  # undocumented
