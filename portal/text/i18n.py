"""Translations: one TOML catalog per language; no Streamlit here, so reports can use it too."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}


@cache
def catalog(language: str) -> dict[str, str]:
    """The flattened catalog of one language: 'section.key' -> text."""
    text = resources.files("portal.text.locales").joinpath(f"{language}.toml").read_text("utf-8")
    return dict(_flatten(tomllib.loads(text)))


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
