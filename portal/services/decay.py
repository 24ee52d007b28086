"""Decay signals of every production model, from the drift job's analyses beside the drift
tests: quality estimated well below training before outcomes arrive, a widening fairness gap."""

from __future__ import annotations

from portal.domain.decay import DecaySignal
from portal.services import estimation
from portal.services.fairness import FairnessService
from portal.store.database import Store


def decay_signals(store: Store) -> dict[str, tuple[DecaySignal, ...]]:
    """Per model, its signals, the estimated quality drop first; two set-based reads."""
    found: dict[str, list[DecaySignal]] = {}
    for signal in (
        *estimation.decay_signals(store),
        *FairnessService(store).decay_signals(),
    ):
        found.setdefault(signal.model_name, []).append(signal)
    return {name: tuple(signals) for name, signals in found.items()}
