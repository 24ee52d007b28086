"""Translations: one TOML catalog per language; no Streamlit here, so reports can use it too."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}


@cache
def catalog(language: str) -> dict[str, str]:
    """The flattened catalog of one language: 'section.key' -> text, from `<language>.toml`
    and the feature catalogs beside it (`<language>.<feature>.toml`); a key twice is an error."""
    merged: dict[str, str] = {}
    for name in catalog_files(language):
        text = resources.files("portal.text.locales").joinpath(name).read_text("utf-8")
        for key, value in _flatten(tomllib.loads(text)):
            if key in merged:
                raise ValueError(f"{key} is in two catalogs of {language!r} (again in {name})")
            merged[key] = value
    return merged


def catalog_files(language: str) -> tuple[str, ...]:
    """The catalog files of one language: the main one first, then the features' by name."""
    names = sorted(
        entry.name
        for entry in resources.files("portal.text.locales").iterdir()
        if entry.name.startswith(f"{language}.") and entry.name.endswith(".toml")
    )
    main = f"{language}.toml"
    return (main, *(name for name in names if name != main))


def translate(language: str, key: str, **values: Any) -> str:
    """The text for key in the language, with placeholders filled; the key itself if missing."""
    template = catalog(language).get(key) or catalog("en").get(key) or key
    return template.format(**values) if values else template


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for key, value in table.items():
        if isinstance(value, dict):
            items.extend(_flatten(value, f"{prefix}{key}."))
        else:
            items.append((f"{prefix}{key}", str(value)))
    return items
