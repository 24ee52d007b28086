"""Which version is in production, and which was when, from aliases, stages and the ledger."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

LEGACY_PRODUCTION_STAGE = "Production"
STAGE_MARKER_PREFIX = "stage:"


@dataclass(frozen=True)
class ProductionPick:
    """The production version and what marks it (an alias name or 'stage:Production')."""

    version: int
    marker: str


@dataclass(frozen=True)
class RegistryEvent:
    """An observed change of one marker (alias or stage) of one model."""

    observed_at: datetime
    marker: str
    version_before: int | None
    version_after: int | None


@dataclass(frozen=True)
class ProductionPeriod:
    """A version in production from `start` until `end` (None: still in production)."""

    version: int
    marker: str
    start: datetime
    end: datetime | None


def stage_marker(stage: str) -> str:
    """The ledger marker for a legacy stage."""
    return STAGE_MARKER_PREFIX + stage


def pick_production(
    aliases: Mapping[str, int],
    versions_in_production_stage: Iterable[int],
    alias_precedence: Sequence[str],
) -> ProductionPick | None:
    """The first production alias that is set wins; otherwise the newest legacy Production stage."""
    for alias in alias_precedence:
        if alias in aliases:
            return ProductionPick(aliases[alias], alias)
    staged = sorted(versions_in_production_stage)
    if staged:
        return ProductionPick(staged[-1], stage_marker(LEGACY_PRODUCTION_STAGE))
    return None


def production_history(
    events: Iterable[RegistryEvent], alias_precedence: Sequence[str]
) -> list[ProductionPeriod]:
    """Replay the ledger in time order into periods of which version was in production."""
    aliases: dict[str, int] = {}
    staged: set[int] = set()
    production_stage = stage_marker(LEGACY_PRODUCTION_STAGE)
    periods: list[ProductionPeriod] = []
    ordered = sorted(events, key=lambda event: event.observed_at)
    # Changes observed by one sync share a timestamp: judge production after all of them.
    for observed_at, simultaneous in groupby(ordered, key=lambda event: event.observed_at):
        for event in simultaneous:
            if event.marker == production_stage:
                staged.discard(event.version_before)  # type: ignore[arg-type]
                if event.version_after is not None:
                    staged.add(event.version_after)
            elif event.marker in alias_precedence:
                if event.version_after is None:
                    aliases.pop(event.marker, None)
                else:
                    aliases[event.marker] = event.version_after
        pick = pick_production(aliases, staged, alias_precedence)
        current = periods[-1] if periods and periods[-1].end is None else None
        if current and pick and current.version == pick.version:
            continue
        if current:
            periods[-1] = ProductionPeriod(
                current.version, current.marker, current.start, observed_at
            )
        if pick:
            periods.append(ProductionPeriod(pick.version, pick.marker, observed_at, None))
    return periods
