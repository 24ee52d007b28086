"""Lineage both ways: a business process down to data and code, a data source up to everyone."""

from __future__ import annotations

from dataclasses import dataclass

from portal.services.risk import ModelRisk, RiskPortfolio
from portal.store.database import Store
from portal.store.governance_repo import GovernanceRepository


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


class LineageService:
    """Lineage over the catalog, the governance records and the models' tags."""

    def __init__(self, store: Store) -> None:
        self.repo = GovernanceRepository(store)

    def links(self, portfolio: RiskPortfolio) -> tuple[LineageLink, ...]:
        """One link per model, in the model list's order."""
        models = {model.name: model for model in portfolio.models}
        return tuple(
            _link(row, models[row["model_name"]])
            for row in self.repo.lineage_rows()
            if row["model_name"] in models
        )

    def from_process(self, portfolio: RiskPortfolio, process: str) -> tuple[LineageLink, ...]:
        """The models serving a business process, with their versions, runs, data and code."""
        return tuple(link for link in self.links(portfolio) if link.business_process == process)

    def blast_radius(self, portfolio: RiskPortfolio, source: str) -> BlastRadius:
        """Every model, process and accountable executive a data source reaches."""
        wanted = source.strip().casefold()
        return BlastRadius(
            source,
            tuple(
                link
                for link in self.links(portfolio)
                if wanted in (name.casefold() for name in link.sources)
            ),
        )

    @staticmethod
    def processes(links: tuple[LineageLink, ...]) -> tuple[str, ...]:
        return tuple(sorted({link.business_process for link in links if link.business_process}))

    @staticmethod
    def sources(links: tuple[LineageLink, ...]) -> tuple[str, ...]:
        return tuple(sorted({name for link in links for name in link.sources}, key=str.casefold))


def _link(row: dict, model: ModelRisk) -> LineageLink:
    return LineageLink(
        business_process=model.business_process,
        business_unit=model.business_unit,
        model_name=model.name,
        production_version=row["production_version"],
        version=row["version"],
        run_id=row["run_id"],
        git_commit=row["git_commit"],
        code_source=row["code_source"],
        trained_by=row["trained_by"],
        data_sources=model.data_sources,
        datasets=tuple(row["datasets"]),
        accountable_executive=model.governance.accountable_executive,
        technical_owners=model.technical_owners,
    )
