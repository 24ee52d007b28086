"""Accountability and lineage components: who answers for which model, and where data flows.

People, model, process and source names come from users or MLflow: they are shown as table
cells, chart labels or through markdown_literal, never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from portal.charts import LineageNode, lineage_sankey
from portal.domain.lineage import BlastRadius, LineageLink
from portal.domain.people import MAX_FILE_BYTES
from portal.domain.risk import ModelRisk, RiskPortfolio
from portal.services.identity import Identity
from portal.services.ownership import (
    Responsibility,
    by_person,
    by_process,
    by_source,
    by_team,
    my_models,
)
from portal.text import wording
from portal.text.format import markdown_literal, without_bidi_controls
from portal.ui import data, inputs, navigation, tables
from portal.ui.forms import attempt
from portal.ui.people import directory, name_of, person_markdown
from portal.ui.session import language, t


def role_word(role: str) -> str:
    """'accountable executive', 'business owner', 'technical owner', 'domain expert'."""
    return t(f"ownership_role.{role}")


def _named(value: str) -> str:
    """A person by name (their e-mail when the directory does not know them), or 'nobody'."""
    return name_of(value) or t("risk.nobody_named")


def _names(people: tuple[str, ...]) -> str:
    return ", ".join(name_of(person) for person in people) or t("common.not_documented")


def _documented(value: str) -> str:
    return value or t("common.not_documented")


def _overdue_count(model: ModelRisk) -> int:
    return len(model.overdue)


def _label(person: str) -> str:
    """'Anna Schmidt (anna.schmidt@example.com)' for a chooser; an unknown person as themselves."""
    name = name_of(person)
    return name if name == person else f"{name} ({person})"


def _mailto(person: str) -> str:
    """A link to write to the person, for a link column; '' when no address is known."""
    email = directory().email_of(person)
    return f"mailto:{email}" if email else ""


def _email_column():
    return st.column_config.LinkColumn(t("people.col_email"), display_text=r"mailto:(.*)")


# --- ownership views ------------------------------------------------------------------------------


def mine(portfolio: RiskPortfolio, actor: Identity) -> None:
    """The signed-in person's models, roles, most serious risk and overdue reviews."""
    if not actor.email:
        st.info(t("ownership.mine_local"))
        return
    found = my_models(portfolio, actor)
    if not found:
        st.info(markdown_literal(t("ownership.mine_none", email=actor.email)))
        return
    models = {m.name: m for m in portfolio.models}
    st.caption(markdown_literal(t("ownership.mine_intro", email=actor.email)))
    tables.dataframe(
        [
            {
                "model": r.model_name,
                "role": role_word(r.role),
                "process": _documented(r.business_process),
                "worst": wording.level_word(language(), models[r.model_name].highest_level),
                "overdue": _overdue_count(models[r.model_name]),
            }
            for r in found
        ],
        hide_index=True,
        key="ownership.mine",
        column_config={
            "model": t("risk.col_model"),
            "role": t("ownership.col_role"),
            "process": t("tags.business_process"),
            "worst": st.column_config.TextColumn(
                t("risk.col_worst"), help=t("risk.col_worst_help")
            ),
            "overdue": st.column_config.NumberColumn(
                t("ownership.col_overdue"), help=t("ownership.col_overdue_help")
            ),
        },
    )
    _open_risks([r.model_name for r in found], "ownership.mine_open")


def people(portfolio: RiskPortfolio) -> None:
    """Each person's models and roles; a chosen person alone."""
    grouped = by_person(portfolio)
    if not grouped:
        st.info(t("ownership.nobody"))
        return
    names = {key: _label(rows[0].person) for key, rows in grouped.items()}
    chosen = inputs.selectbox(
        st,
        t("ownership.choose_person"),
        list(names),
        index=None,
        format_func=lambda key: without_bidi_controls(names[key]),
        placeholder=t("ownership.everyone"),
        key="ownership.person",
    )

    def shaped() -> tables.Shaped:
        rows: list[Responsibility] = [
            r for key, found in grouped.items() if chosen in (None, key) for r in found
        ]
        return tables.shaped(
            [
                {
                    "person": name_of(r.person),
                    "email": _mailto(r.person),
                    "role": role_word(r.role),
                    "model": r.model_name,
                    "team": _documented(r.team),
                    "process": _documented(r.business_process),
                }
                for r in rows
            ],
            column_config={
                "person": t("ownership.col_person"),
                "email": _email_column(),
                "role": t("ownership.col_role"),
                "model": t("risk.col_model"),
                "team": t("tags.team"),
                "process": t("tags.business_process"),
            },
        )

    # Some 5,000 rows at 1,000 models: shaped once per data version, language and choice.
    table = data.per_version("ownership.people", (chosen,), shaped)
    tables.show(table, hide_index=True, key="ownership.people")


def teams(portfolio: RiskPortfolio) -> None:
    """Models per team with their technical owners and the people accountable."""
    _group_table(
        lambda: by_team(portfolio),
        t("tags.team"),
        "ownership.teams",
        lambda m: {
            "owner": _names(m.technical_owners),
            "executive": _named(m.governance.accountable_executive),
            "business_owner": _named(m.governance.business_owner),
        },
    )


def processes(portfolio: RiskPortfolio) -> None:
    """Models per business process, how they decide, and who answers for them."""
    _group_table(
        lambda: by_process(portfolio),
        t("tags.business_process"),
        "ownership.processes",
        lambda m: {
            "mode": wording.mode_word(language(), m.decision_mode),
            "executive": _named(m.governance.accountable_executive),
            "business_owner": _named(m.governance.business_owner),
            "owner": _names(m.technical_owners),
        },
    )
    st.page_link(
        navigation.LINEAGE.path, label=t("ownership.to_lineage"), icon=":material/account_tree:"
    )


def sources(portfolio: RiskPortfolio) -> None:
    """Models per declared data source, with their process and accountable executive."""
    _group_table(
        lambda: by_source(portfolio),
        t("ownership.col_source"),
        "ownership.sources",
        lambda m: {
            "process": _documented(m.business_process),
            "executive": _named(m.governance.accountable_executive),
        },
    )
    st.caption(t("ownership.sources_hint"))
    st.page_link(
        navigation.LINEAGE.path, label=t("ownership.to_blast"), icon=":material/account_tree:"
    )


_COLUMNS = {
    "owner": "tags.owner",
    "executive": "risk_field.accountable_executive",
    "business_owner": "risk_field.business_owner",
    "mode": "risk_field.decision_mode",
    "process": "tags.business_process",
}


def _group_table(
    groups: Callable[[], dict[str, tuple[ModelRisk, ...]]], group_label: str, key: str, extra
) -> None:
    """One row per (group, model) with the group first; blank groups read 'not documented'.
    The rows are shaped once per data version and language (key names them)."""

    def shaped() -> tables.Shaped | None:
        rows = [
            {"group": _documented(group), "model": m.name, **extra(m)}
            for group, models in groups().items()
            for m in models
        ]
        if not rows:
            return None
        return tables.shaped(
            rows,
            column_config={
                "group": group_label,
                "model": t("risk.col_model"),
                **{column: t(label) for column, label in _COLUMNS.items()},
            },
        )

    table = data.per_version(key, (), shaped)
    if table is None:
        st.info(t("ownership.nothing"))
        return
    tables.show(table, hide_index=True, key=key)


def _open_risks(names: list[str], label_key: str) -> None:
    """Links to the risks of each listed model."""
    for name in dict.fromkeys(names):
        st.page_link(
            navigation.RISK.path,
            label=t(label_key, model=markdown_literal(name)),
            icon=":material/arrow_forward:",
            query_params={"model": name},
        )


# --- lineage ------------------------------------------------------------------------------------


def version_label(link: LineageLink) -> str:
    """'Version 3 (in production)', 'Version 1 (not in production)', or 'no version'."""
    if link.version is None:
        return t("lineage.no_version")
    state = "lineage.in_production" if link.production_version else "lineage.not_in_production"
    return f"{t('common.version', version=link.version)} ({t(state)})"


def process_diagram(process: str, links: tuple[LineageLink, ...]) -> None:
    """Process → model → version → training data and code commit."""
    nodes = {f"p:{process}": LineageNode(f"p:{process}", process, 0)}
    edges: list[tuple[str, str]] = []
    for link in links:
        model_key, version_key = f"m:{link.model_name}", f"v:{link.model_name}"
        nodes[model_key] = LineageNode(model_key, link.model_name, 1)
        nodes[version_key] = LineageNode(version_key, version_label(link), 2)
        edges += [(f"p:{process}", model_key), (model_key, version_key)]
        inputs = [(f"d:{name}", name) for name in link.sources]
        if link.git_commit:
            inputs.append((f"c:{link.git_commit}", t("lineage.commit", commit=link.git_commit[:8])))
        for input_key, label in inputs or [(f"x:{link.model_name}", t("lineage.nothing_logged"))]:
            nodes.setdefault(input_key, LineageNode(input_key, label, 3))
            edges.append((version_key, input_key))
    titles = [
        t("tags.business_process"),
        t("lineage.layer_model"),
        t("lineage.layer_version"),
        t("lineage.layer_inputs"),
    ]
    st.plotly_chart(
        lineage_sankey(list(nodes.values()), edges, titles),
        config={"displayModeBar": False},
        key="lineage.process_chart",
    )


def process_list(links: tuple[LineageLink, ...]) -> None:
    """Per model: version, run, datasets, code commit and who trained it, with a card link."""
    for link in links:
        with st.container(border=True):
            st.markdown(f"**{markdown_literal(link.model_name)}** · {version_label(link)}")
            left, right = st.columns(2)
            with left:
                _fact(t("lineage.run"), link.run_id or "")
                _person_fact(t("card.trained_by"), link.trained_by, "common.not_documented")
                _person_fact(t("risk_field.accountable_executive"), link.accountable_executive)
            with right:
                _fact(t("card.git_commit"), link.git_commit)
                _fact(t("card.code_source"), link.code_source)
                _fact(t("lineage.declared_sources"), ", ".join(link.data_sources))
                _fact(t("lineage.datasets"), ", ".join(link.datasets))
            st.page_link(
                navigation.MODEL_CARD.path,
                label=t("lineage.open_card"),
                icon=":material/description:",
                query_params={"model": link.model_name},
            )


def blast_tiles(radius: BlastRadius) -> None:
    """How many models, processes and executives a source reaches."""
    models, processes_column, executives = st.columns(3)
    models.metric(t("lineage.tile_models"), len(radius.models), border=True)
    processes_column.metric(t("lineage.tile_processes"), len(radius.processes), border=True)
    executives.metric(t("lineage.tile_executives"), len(radius.executives), border=True)


def blast_diagram(radius: BlastRadius) -> None:
    """Source → models → business processes → accountable executives."""
    source_key = f"s:{radius.source}"
    nodes = {source_key: LineageNode(source_key, radius.source, 0)}
    edges: list[tuple[str, str]] = []
    for link in radius.links:
        model_key = f"m:{link.model_name}"
        process_key = f"p:{link.business_process}"
        executive_key = f"e:{link.accountable_executive}"
        nodes[model_key] = LineageNode(model_key, link.model_name, 1)
        nodes.setdefault(
            process_key, LineageNode(process_key, _documented(link.business_process), 2)
        )
        nodes.setdefault(
            executive_key, LineageNode(executive_key, _named(link.accountable_executive), 3)
        )
        edges += [(source_key, model_key), (model_key, process_key), (process_key, executive_key)]
    titles = [
        t("lineage.layer_source"),
        t("lineage.layer_model"),
        t("tags.business_process"),
        t("risk_field.accountable_executive"),
    ]
    st.plotly_chart(
        lineage_sankey(list(nodes.values()), list(dict.fromkeys(edges)), titles),
        config={"displayModeBar": False},
        key="lineage.blast_chart",
    )


def blast_lists(radius: BlastRadius) -> None:
    """The affected models (with process and executive), processes and executives, listed."""
    tables.dataframe(
        [
            {
                "model": link.model_name,
                "version": version_label(link),
                "process": _documented(link.business_process),
                "executive": _named(link.accountable_executive),
                "owner": _names(link.technical_owners),
            }
            for link in radius.links
        ],
        hide_index=True,
        key="lineage.blast_table",
        column_config={
            "model": t("risk.col_model"),
            "version": t("lineage.layer_version"),
            "process": t("tags.business_process"),
            "executive": t("risk_field.accountable_executive"),
            "owner": t("tags.owner"),
        },
    )
    processes_column, executives_column = st.columns(2)
    with processes_column:
        st.markdown(f"**{t('lineage.processes_list')}**")
        for name in radius.processes:
            st.markdown("- " + markdown_literal(name))
        if not radius.processes:
            st.caption(t("common.not_documented"))
    with executives_column:
        st.markdown(f"**{t('lineage.executives_list')}**")
        for name in radius.executives:
            st.markdown("- " + person_markdown(name))
    unaccounted = [link.model_name for link in radius.links if not link.accountable_executive]
    if unaccounted:
        st.warning(
            markdown_literal(t("lineage.no_executive", models=", ".join(unaccounted))),
            icon=":material/person_off:",
        )


def _fact(label: str, value: str) -> None:
    if value:
        st.markdown(f"**{label}:** {markdown_literal(value)}")
    else:
        st.markdown(f"**{label}:** _{t('common.not_documented')}_")


def _person_fact(label: str, person: str, missing: str = "risk.nobody_named") -> None:
    """A person by name, linked to their e-mail address; a gap in words."""
    if person:
        st.markdown(f"**{label}:** {person_markdown(person)}")
    else:
        st.markdown(f"**{label}:** _{t(missing)}_")


# --- the people directory (admins) ----------------------------------------------------------------

_LOADED = "people.loaded_message"  # the success message, shown after the page reloads


def people_directory(actor: Identity) -> None:
    """Admins load the directory from a CSV and look people up by name, e-mail, team or manager."""
    service = data.people_service()
    st.caption(t("people.intro"))
    st.markdown(t("people.format"))
    loaded = st.session_state.pop(_LOADED, None)
    if loaded:
        st.success(loaded, icon=":material/check_circle:")
    with st.form("people.upload_form", clear_on_submit=True):
        uploaded = st.file_uploader(
            t("people.file"),
            type=["csv", "txt"],
            key="people.file",
            max_upload_size=MAX_FILE_BYTES // (1024 * 1024),
        )
        sent = st.form_submit_button(t("people.load"), type="primary")
    if sent and uploaded is None:
        st.warning(t("people.no_file"))
    if sent and uploaded is not None:
        done, outcome = attempt(
            lambda: service.upload(actor, uploaded.getvalue(), uploaded.name), "people"
        )
        if done and outcome.loaded:
            st.session_state[_LOADED] = t(
                "people.loaded",
                file=markdown_literal(uploaded.name),
                rows=outcome.rows_in_file,
                added=outcome.added,
                changed=outcome.changed,
                unchanged=outcome.unchanged,
            )
            st.rerun()
        if done:
            st.error(
                t(
                    "people.rejected",
                    count=len(outcome.rejects),
                    file=markdown_literal(uploaded.name),
                )
            )
            _rejects_table(outcome.rejects)
    _directory_table()


def _directory_table() -> None:
    people = sorted(directory().people.values(), key=lambda p: (p.name.casefold(), p.email))
    query = st.text_input(
        t("people.search"), key="people.search", placeholder=t("people.search_placeholder")
    )
    wanted = query.strip().casefold()
    shown = [
        p
        for p in people
        if not wanted
        or any(wanted in text.casefold() for text in (p.name, p.email, p.team, name_of(p.manager)))
    ]
    if not people:
        st.info(t("people.empty"))
        return
    st.caption(t("people.count", shown=len(shown), total=len(people)))
    if not shown:
        return
    tables.dataframe(
        [
            {
                "name": p.name,
                "email": f"mailto:{p.email}",
                "team": p.team or None,
                "manager": name_of(p.manager) or None,
                "source": t(f"people_source.{p.source}"),
                "updated": p.updated_at,
            }
            for p in shown
        ],
        hide_index=True,
        key="people.table",
        missing={"team": t("people.none"), "manager": t("people.none")},
        column_config={
            "name": t("people.col_name"),
            "email": _email_column(),
            "team": t("people.col_team"),
            "manager": t("people.col_manager"),
            "source": st.column_config.TextColumn(
                t("people.col_source"), help=t("people.col_source_help")
            ),
            "updated": st.column_config.DatetimeColumn(
                t("people.col_updated"), format=tables.DATETIME_COLUMN_FORMAT[language()]
            ),
        },
    )


def _rejects_table(rejects) -> None:
    """Each rejected row with its line, column and the reason in the reader's language."""
    tables.dataframe(
        [
            {
                "line": reject.line or None,
                "column": reject.column or None,
                "problem": t(f"people_reject.{reject.code}"),
                "value": reject.value or None,
            }
            for reject in rejects
        ],
        hide_index=True,
        key="people.rejects",
        missing={"line": t("people.whole_file"), "column": "–", "value": "–"},
        column_config={
            "line": t("people.col_line"),
            "column": t("people.col_column"),
            "problem": t("people.col_problem"),
            "value": t("people.col_value"),
        },
    )
