"""Lineage both ways: a business process down to data and code, a data source up to everyone."""

from __future__ import annotations

from portal.domain.lineage import DIAGRAM_MOST, BlastRadius, LineageLink, SourceReach, drawable
from portal.domain.risk import ModelRisk, RiskPortfolio
from portal.store.database import Store
from portal.store.governance_repo import GovernanceRepository


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

    @staticmethod
    def source_reach(links: tuple[LineageLink, ...]) -> tuple[SourceReach, ...]:
        """Per data source: how many models and business processes it feeds, widest first."""
        models: dict[str, set[str]] = {}
        processes: dict[str, set[str]] = {}
        for link in links:
            for name in link.sources:
                models.setdefault(name, set()).add(link.model_name)
                if link.business_process:
                    processes.setdefault(name, set()).add(link.business_process)
        return tuple(
            sorted(
                (
                    SourceReach(name, len(models[name]), len(processes.get(name, ())))
                    for name in models
                ),
                key=lambda reach: (-reach.models, reach.source.casefold()),
            )
        )


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


__all__ = ["DIAGRAM_MOST", "LineageService", "drawable"]
