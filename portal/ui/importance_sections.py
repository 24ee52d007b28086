"""What a model looks at: the model card's sentence naming the five inputs that drive its
predictions, and the shares the drift page ranks changed inputs by."""

from __future__ import annotations

import streamlit as st

from portal.domain.drift import FeatureDrift
from portal.domain.importance import ModelImportance, driving_inputs
from portal.runtime import current_runtime
from portal.services.importance import ImportanceService
from portal.text.format import format_percent, markdown_literal
from portal.ui import data, session
from portal.ui.session import language, t


def service() -> ImportanceService:
    """The importance read service over the process's store."""
    return ImportanceService(current_runtime().store)


def _of_version(model_name: str, version: int) -> ModelImportance | None:
    return data.per_version(
        "importance.of_version",
        (model_name, version),
        lambda: service().of_version(model_name, version),
    )


def shares_of(model_name: str, version: int | None) -> dict[str, float] | None:
    """Share per input of the version (cached per data version); None while not known."""
    if version is None:
        return None
    found = _of_version(model_name, version)
    if found is None or found.outcome != "computed":
        return None
    return found.shares or None


def model_section(model_name: str, version: int | None) -> None:
    """The model card's lines on which inputs drive the production version's predictions."""
    st.subheader(t("importance.title"), help=t("importance.help"))
    if version is None:
        st.caption(t("importance.no_production"))
        return
    found = _of_version(model_name, version)
    if found is None:
        st.info(t("importance.not_computed"))
        return
    if found.outcome != "computed":
        st.warning(_failure(found))
        return
    driving = driving_inputs(found)
    if driving is None:
        st.info(t("importance.nothing_matters"))
        return
    lang = language()
    named = ", ".join(
        t("importance.input_share", input=markdown_literal(name), share=format_percent(lang, share))
        for name, share in driving.inputs
    )
    sentence = t("importance.depends_most", inputs=named)
    if driving.others:
        sentence += " " + t(
            "importance.depends_rest",
            count=driving.others,
            share=format_percent(lang, driving.others_share),
        )
    st.markdown(sentence)
    st.caption(t("importance.share_means") + " " + t(f"importance.basis_{driving.basis}"))


def _failure(found: ModelImportance) -> str:
    """Why it could not be computed; the stored reason may name servers: administrators only."""
    identity = session.current_identity()
    if found.detail and identity is not None and identity.has_role("admin"):
        return t("importance.failed", reason=markdown_literal(found.detail))
    return t("importance.failed_hidden")


def relies_text(share: float | None) -> str:
    """A cell of the drift page's inputs table: the input's share, or that it is not used."""
    if share is None:
        return t("importance.not_used")
    return format_percent(language(), share)


def ranked(features: tuple[FeatureDrift, ...], shares: dict[str, float]) -> list[FeatureDrift]:
    """Changed inputs first, the one the model relies on most at the top; then the others in
    their order (most changed first); the model's output last."""
    inputs = [feature for feature in features if feature.role == "input"]
    changed = sorted(
        (feature for feature in inputs if feature.changed),
        key=lambda feature: -shares.get(feature.feature, 0.0),
    )
    rest = [feature for feature in inputs if not feature.changed]
    return [*changed, *rest, *(feature for feature in features if feature.role != "input")]


def relies_cell(feature: FeatureDrift, shares: dict[str, float] | None) -> str:
    """The inputs table's cell: the input's share, 'not used', or nothing for the output."""
    if shares is None or feature.role != "input":
        return ""
    return relies_text(shares.get(feature.feature))


def relies_column() -> st.column_config.Column:
    """The inputs table's column header, with what the share means and the 'barely used' line."""
    minor = data.catalog_service().settings.drift_minor_importance
    return st.column_config.TextColumn(
        t("importance.col_relies"),
        help=t("importance.col_relies_help", minor=format_percent(language(), minor)),
    )
