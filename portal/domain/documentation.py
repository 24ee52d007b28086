"""The documentation contract: which tags a model should carry, and what is missing."""

from __future__ import annotations

from collections.abc import Mapping

# The design's data contract, in the order a reader meets them on a model card.
CONTRACT_TAGS: tuple[str, ...] = (
    "purpose",
    "business_process",
    "business_unit",
    "owner",
    "team",
    "intended_use",
    "limitations",
    "data_sources",
    "decision_mode",
    "criticality",
)


def effective_tags(
    model_tags: Mapping[str, str], version_tags: Mapping[str, str]
) -> dict[str, str]:
    """Model tags with the version's tags laid over them (a version tag overrides)."""
    merged = dict(model_tags)
    merged.update({key: value for key, value in version_tags.items() if value.strip()})
    return merged


def documentation_gaps(tags: Mapping[str, str]) -> tuple[str, ...]:
    """Contract tags that are missing or blank, in contract order."""
    return tuple(key for key in CONTRACT_TAGS if not tags.get(key, "").strip())


def documentation_score(tags: Mapping[str, str]) -> float:
    """Share of contract tags documented, from 0.0 (none) to 1.0 (all)."""
    return 1 - len(documentation_gaps(tags)) / len(CONTRACT_TAGS)


def split_list_tag(value: str) -> tuple[str, ...]:
    """A comma-separated tag such as data_sources as a tuple of trimmed names."""
    return tuple(part.strip() for part in value.split(",") if part.strip())
