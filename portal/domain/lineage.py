"""Lineage both ways: what a model depends on, and everything a data source reaches."""

from __future__ import annotations

from dataclasses import dataclass

# Models one diagram draws; beyond, the page asks to narrow it (a thousand boxes are unreadable).
DIAGRAM_MOST = 60


@dataclass(frozen=True)
class LineageLink:
    """One model with everything it depends on and everyone it serves."""

    business_process: str
    business_unit: str
    model_name: str
    production_version: int | None
    version: int | None  # the version described: production, else the latest
    run_id: str | None
    git_commit: str
    code_source: str
    trained_by: str
    data_sources: tuple[str, ...]  # declared in the `data_sources` tag
    datasets: tuple[str, ...]  # logged as inputs of the training run
    accountable_executive: str
    technical_owners: tuple[str, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """Declared sources and logged datasets, each once."""
        return tuple(dict.fromkeys((*self.data_sources, *self.datasets)))


@dataclass(frozen=True)
class BlastRadius:
    """Everything a data source affects."""

    source: str
    links: tuple[LineageLink, ...]

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(link.model_name for link in self.links)

    @property
    def processes(self) -> tuple[str, ...]:
        return tuple(
            sorted({link.business_process for link in self.links if link.business_process})
        )

    @property
    def executives(self) -> tuple[str, ...]:
        return tuple(
            sorted(
                {link.accountable_executive for link in self.links if link.accountable_executive}
            )
        )

    def within(self, process: str | None) -> BlastRadius:
        """The part of the radius in one business process (None: all of it)."""
        if process is None:
            return self
        return BlastRadius(
            self.source, tuple(link for link in self.links if link.business_process == process)
        )


@dataclass(frozen=True)
class SourceReach:
    """How far one data source reaches."""

    source: str
    models: int
    processes: int


def drawable(links: tuple[LineageLink, ...]) -> bool:
    """Whether a diagram of these models is small enough to read."""
    return 0 < len(links) <= DIAGRAM_MOST
